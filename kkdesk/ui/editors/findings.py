"""Physical findings of a medical examination: the table model, the row editor and
the panel that keeps the table and the body-diagram markers in step.

A click on the diagram creates a finding with `diagram_view`, `diagram_x`/`_y` and
`body_region` + `laterality` from `kkdesk.bodymap.region_at`; dragging a marker moves
it (and updates the region unless the user chose one by hand). Consistency levels
are the clinician's choice, never computed (SPEC §5.2)."""

from __future__ import annotations

import copy
import uuid
from decimal import Decimal
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kkdesk import bodymap, schema
from kkdesk import labels as L
from kkdesk.i18n import N_, _, get_language
from kkdesk.istanbul import CONSISTENCY_DEFINITIONS
from kkdesk.ui.editors.bodydiagram import BodyDiagram, Marker
from kkdesk.vocab import vocabularies

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()  # the invisible root (a shared default argument)
KeyRole = Qt.ItemDataRole.UserRole + 1

# shown as help text: the IP 2022 definitions, and what "not assessed" means
DEFINITIONS = {**CONSISTENCY_DEFINITIONS, "not_assessed": N_("The consistency has not been assessed.")}


def definition(level: str | None) -> str:
    """Translated IP definition of a consistency level ("" for none)."""
    return _(DEFINITIONS[level]) if level in DEFINITIONS else ""


COLUMNS = (
    ("finding_no", N_("No.")),
    ("location", N_("Location")),
    ("lesion_type", N_("Lesion")),
    ("count", N_("Count")),
    ("size", N_("Size, mm")),
    ("stage", N_("Stage")),
    ("consistency", N_("Consistency")),
    ("diagram_view", N_("Diagram")),
)

# the row editor places these itself or leaves them to the diagram
EDITOR_SKIP = {"id", "finding_no", "diagram_view", "diagram_x", "diagram_y", "linked_methods"}


def _num(v: Any) -> str:
    if v is None or v == "":
        return ""
    try:
        d = Decimal(str(v))
    except ArithmeticError:
        return str(v)
    return format(d.normalize(), "f") if d == d.to_integral_value() else str(v)


def size_text(f: dict) -> str:
    dims = [_num(f.get(k)) for k in ("length_mm", "width_mm", "depth_mm")]
    dims = [d for d in dims if d]
    return " × ".join(dims)


class FindingsModel(QAbstractTableModel):
    """Finding rows (interchange-form dicts, each with an `id`)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[dict] = []
        self._problems: dict[str, dict[str, tuple[str, str]]] = {}  # finding id -> field -> (text, severity)

    # --- Qt -----------------------------------------------------------------------------------
    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(COLUMNS):
            return _(COLUMNS[section][1])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows) or index.column() >= len(COLUMNS):
            return None
        f = self._rows[index.row()]
        name = COLUMNS[index.column()][0]
        if role == KeyRole:
            return f.get("id")
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(f, name)
        if role == Qt.ItemDataRole.ToolTipRole:
            problems = self._problems.get(f.get("id"), {})
            if index.column() == 0 and problems:
                return "\n".join(text for text, _s in problems.values())
            text = self.display(f, name)
            if name == "consistency" and f.get("consistency"):
                return f"{text}: {definition(f.get('consistency'))}"
            return text or None
        if role == Qt.ItemDataRole.DecorationRole and index.column() == 0 and self._problems.get(f.get("id")):
            from PySide6.QtWidgets import QApplication, QStyle

            severities = {s for _t, s in self._problems[f["id"]].values()}
            icon = QStyle.StandardPixmap.SP_MessageBoxCritical if "error" in severities \
                else QStyle.StandardPixmap.SP_MessageBoxWarning
            return QApplication.style().standardIcon(icon)
        if role == Qt.ItemDataRole.TextAlignmentRole and name in ("finding_no", "count"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def display(f: dict, name: str) -> str:
        lang = get_language()
        if name == "size":
            return size_text(f)
        if name == "location":
            region = L.value_label("physical_finding", "body_region", f.get("body_region"), lang)
            side = f.get("laterality")
            if side and side not in ("not_applicable", "midline"):
                return _("%(region)s, %(side)s") % {
                    "region": region, "side": L.value_label("physical_finding", "laterality", side, lang).lower()}
            return region
        if name == "diagram_view":
            if f.get("diagram_view") and f.get("diagram_x") is not None:
                return L.value_label("physical_finding", "diagram_view", f["diagram_view"], lang)
            return "—"
        if name in ("finding_no", "count"):
            v = f.get(name)
            return "" if v is None else str(v)
        return L.value_label("physical_finding", name, f.get(name), lang)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # --- rows --------------------------------------------------------------------------------
    def findings(self) -> list[dict]:
        return copy.deepcopy(self._rows)

    def set_findings(self, findings: list[dict]) -> None:
        self.beginResetModel()
        self._rows = [copy.deepcopy(f) for f in findings or ()]
        for f in self._rows:
            f.setdefault("id", str(uuid.uuid4()))
        # a finding without a number gets the next free one (numbers are labels: never renumbered)
        used = {f["finding_no"] for f in self._rows if isinstance(f.get("finding_no"), int)}
        n = 0
        for f in self._rows:
            if not isinstance(f.get("finding_no"), int):
                n += 1
                while n in used:
                    n += 1
                f["finding_no"] = n
                used.add(n)
        self.endResetModel()

    def next_number(self) -> int:
        return max((f.get("finding_no") or 0 for f in self._rows), default=0) + 1

    def row_of(self, key: str) -> int:
        for i, f in enumerate(self._rows):
            if f.get("id") == key:
                return i
        return -1

    def finding(self, row: int) -> dict:
        return self._rows[row]

    def key(self, row: int) -> str:
        return self._rows[row]["id"]

    def append(self, finding: dict) -> int:
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(finding)
        self.endInsertRows()
        return row

    def remove(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()

    def update(self, row: int, values: dict) -> None:
        f = self._rows[row]
        for k, v in values.items():
            if v is None or v == "" or v == []:
                f.pop(k, None)
            else:
                f[k] = v
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def set_problems(self, problems: dict[str, dict[str, tuple[str, str]]]) -> None:
        self._problems = problems
        self.relabel()

    def problems(self, key: str) -> dict[str, tuple[str, str]]:
        return self._problems.get(key, {})

    def relabel(self) -> None:
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(COLUMNS) - 1))
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)


class FindingEditor(QWidget):
    """Edits one finding through the forms engineer's field widgets (one per schema field)."""

    edited = Signal(dict)  # the values of the row after a change

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from kkdesk.ui.fields.factory import make_field_widget

        self.ctx = ctx
        self.fields: dict[str, Any] = {}
        self._loading = False
        self.title = QLabel(self)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.position = QLabel(self)
        self.position.setWordWrap(True)
        inner = QWidget()
        outer = QVBoxLayout(inner)
        outer.setContentsMargins(0, 0, 0, 0)
        self.boxes: list[tuple[QGroupBox, str]] = []
        for title, names in L.sections("physical_finding"):
            names = [n for n in names if n not in EDITOR_SKIP]
            if not names:
                continue
            box = QGroupBox(inner)
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            for name in names:
                fw = make_field_widget(ctx, "physical_finding", schema.PHYSICAL_FINDING.field(name), self)
                fw.changed.connect(lambda *a, n=name: self._changed(n))
                self.fields[name] = fw
                form.addRow(fw.label, fw.widget)
                if name == "consistency":
                    self.definition = QLabel(box)
                    self.definition.setWordWrap(True)
                    self.definition.setStyleSheet("color: #444; font-style: italic;")
                    form.addRow("", self.definition)
                if name == "alternative_causes":
                    self.methods_label = QLabel(box)
                    self.methods = QListWidget(box)
                    self.methods.setMaximumHeight(90)
                    self.methods_label.setBuddy(self.methods)
                    self.methods.itemChanged.connect(lambda *a: self._changed("linked_methods"))
                    form.insertRow(form.rowCount() - 1, self.methods_label, self.methods)
            self.boxes.append((box, title))
            outer.addWidget(box)
        outer.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.position)
        layout.addWidget(scroll, 1)
        self._finding: dict | None = None
        self._methods: list[dict] = []
        self.retranslate()
        self.load(None)

    def retranslate(self) -> None:
        for box, title in self.boxes:
            box.setTitle(_(title))
        for fw in self.fields.values():
            fw.retranslate()
        self.methods_label.setText(_("Linked alleged methods"))
        self.methods.setAccessibleName(_("Linked alleged methods"))
        self._update_texts()

    def set_methods(self, methods: list[dict]) -> None:
        """The examination's alleged methods (rows with `id` and `method`) a finding may be linked to."""
        self._methods = [m for m in methods or () if m.get("id")]
        self._fill_methods()

    def _fill_methods(self) -> None:
        lang = get_language()
        linked = set((self._finding or {}).get("linked_methods") or ())
        self.methods.blockSignals(True)
        self.methods.clear()
        for m in self._methods:
            text = vocabularies().label("torture_method", m.get("method"), lang) or m["id"]
            if m.get("start_date"):
                text += f" ({m['start_date']})"
            item = QListWidgetItem(text, self.methods)
            item.setData(Qt.ItemDataRole.UserRole, m["id"])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if m["id"] in linked else Qt.CheckState.Unchecked)
        self.methods.blockSignals(False)
        self.methods.setEnabled(bool(self._methods) and self._finding is not None)

    def load(self, finding: dict | None) -> None:
        self._loading = True
        self._finding = finding
        for name, fw in self.fields.items():
            fw.set_value(None if finding is None else finding.get(name))
            fw.widget.setEnabled(finding is not None)
        self._fill_methods()
        self._loading = False
        self._update_texts()

    def values(self) -> dict:
        out = {name: fw.value() for name, fw in self.fields.items()}
        out["linked_methods"] = [self.methods.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.methods.count())
                                 if self.methods.item(i).checkState() == Qt.CheckState.Checked]
        return out

    def show_problems(self, problems: dict[str, tuple[str, str]]) -> None:
        """{field: (message, "error"|"warning")} of the finding shown."""
        for name, fw in self.fields.items():
            text, severity = problems.get(name, (None, "error"))
            fw.set_problem(text, severity)

    def _changed(self, name: str) -> None:
        if self._loading or self._finding is None:
            return
        values = self.values()
        values["_changed"] = name
        self._update_texts()
        self.edited.emit(values)

    def _update_texts(self) -> None:
        f = self._finding
        if f is None:
            self.title.setText(_("No finding selected"))
            self.position.setText(_("Click on the body diagram or press “Add finding”."))
            self.definition.setText("")
            return
        self.title.setText(_("Finding %(number)s") % {"number": f.get("finding_no", "")})
        if f.get("diagram_view") in bodymap.VIEWS and f.get("diagram_x") is not None:
            self.position.setText(_("On the diagram: %(view)s, x %(x)s, y %(y)s") % {
                "view": L.value_label("physical_finding", "diagram_view", f["diagram_view"], get_language()),
                "x": _num(f.get("diagram_x")), "y": _num(f.get("diagram_y"))})
        else:
            self.position.setText(_("Not placed on the diagram."))
        level = self.fields["consistency"].value() if "consistency" in self.fields else None
        self.definition.setText(definition(level))


def marker_of(f: dict) -> Marker | None:
    if f.get("diagram_view") not in bodymap.VIEWS or f.get("diagram_x") is None or f.get("diagram_y") is None:
        return None
    try:
        x, y = float(f["diagram_x"]), float(f["diagram_y"])
    except (TypeError, ValueError):
        return None
    return Marker(f["id"], f["diagram_view"], x, y, f.get("finding_no"))


class FindingsPanel(QWidget):
    """Body diagram | findings table over the row editor, kept in step."""

    changed = Signal()

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = FindingsModel(self)
        self.diagram = BodyDiagram(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for i, (name, _title) in enumerate(COLUMNS):  # long vocabulary labels share the width, elided
            if name in ("location", "lesion_type", "stage", "consistency"):
                header.setSectionResizeMode(i, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table_label = QLabel(self)
        self.table_label.setBuddy(self.table)
        self.editor = FindingEditor(ctx, self)
        self.add_button = QPushButton(self)
        self.place_button = QPushButton(self)
        self.delete_button = QPushButton(self)
        self.add_button.clicked.connect(lambda: self.add_finding())
        self.place_button.clicked.connect(lambda: self.place_selected())
        self._del_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        self._del_shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        self._del_shortcut.activated.connect(self.delete_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        # regions the user chose by hand are not overwritten when a marker moves
        self._manual_region: set[str] = set()

        self.diagram.placed.connect(self._placed)
        self.diagram.moved.connect(self._moved)
        self.diagram.selection_changed.connect(self._diagram_selected)
        self.diagram.delete_requested.connect(self._delete_key)
        self.table.selectionModel().selectionChanged.connect(self._table_selected)
        self.editor.edited.connect(self._edited)

        buttons = QHBoxLayout()
        buttons.addWidget(self.table_label, 1)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.place_button)
        buttons.addWidget(self.delete_button)
        right = QSplitter(Qt.Orientation.Vertical, self)
        top = QWidget(right)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(buttons)
        top_layout.addWidget(self.table, 1)
        right.addWidget(top)
        right.addWidget(self.editor)
        right.setStretchFactor(0, 2)
        right.setStretchFactor(1, 3)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.diagram)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self.setTabOrder(self.diagram, self.add_button)
        self.setTabOrder(self.add_button, self.place_button)
        self.setTabOrder(self.place_button, self.delete_button)
        self.setTabOrder(self.delete_button, self.table)
        self.retranslate()
        self._sync_buttons()

    def retranslate(self) -> None:
        self.table_label.setText(_("&Findings"))
        self.table.setAccessibleName(_("Physical findings"))
        self.table.setAccessibleDescription(_("One row per finding; the same findings as the markers on the diagram."))
        self.add_button.setText(_("Add finding"))
        self.delete_button.setText(_("Delete finding"))
        self.place_button.setText(_("Place on diagram"))
        self.place_button.setToolTip(_("Put the selected finding's marker in the middle of its body region; "
                                       "then move it with the arrow keys on the diagram."))
        self.place_button.setAccessibleName(_("Place on diagram"))
        self.add_button.setAccessibleName(_("Add finding"))
        self.delete_button.setAccessibleName(_("Delete finding"))
        self.diagram.retranslate()
        self.editor.retranslate()
        self.model.relabel()

    # --- data --------------------------------------------------------------------------------------
    def findings(self) -> list[dict]:
        return self.model.findings()

    def set_findings(self, findings: list[dict]) -> None:
        self.model.set_findings(findings)
        self._manual_region.clear()
        for f in self.model.findings():
            m = marker_of(f)
            if m is not None and f.get("body_region"):
                auto = bodymap.region_at(m.view, m.x, m.y)
                if auto is None or auto[0] != f.get("body_region"):
                    self._manual_region.add(f["id"])
        self._refresh_markers()
        self.editor.load(None)
        if self.model.rowCount():
            self.select(self.model.key(0))  # the row editor shows the first finding
        self._sync_buttons()

    def set_methods(self, methods: list[dict]) -> None:
        self.editor.set_methods(methods)

    def show_problems(self, by_index: dict[int, dict[str, tuple[str, str]]]) -> None:
        """Problems of findings by their position (as in `findings()`)."""
        by_key = {self.model.key(i): p for i, p in by_index.items() if 0 <= i < self.model.rowCount()}
        self.model.set_problems(by_key)
        key = self.selected_key()
        self.editor.show_problems(self.model.problems(key) if key else {})

    def _refresh_markers(self) -> None:
        self.diagram.set_markers([m for m in (marker_of(f) for f in self.model.findings()) if m is not None])

    def selected_key(self) -> str:
        rows = self.table.selectionModel().selectedRows()
        return self.model.key(rows[0].row()) if rows else ""

    def select(self, key: str) -> None:
        row = self.model.row_of(key)
        sm = self.table.selectionModel()
        if row < 0:
            sm.clearSelection()
            return
        sm.select(self.model.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                  | QItemSelectionModel.SelectionFlag.Rows)
        sm.setCurrentIndex(self.model.index(row, 0), QItemSelectionModel.SelectionFlag.NoUpdate)
        self.table.scrollTo(self.model.index(row, 0))

    # --- actions -----------------------------------------------------------------------------------
    def add_finding(self, view: str | None = None, x: float | None = None, y: float | None = None) -> str:
        """A new finding row (at a diagram position when given, region pre-filled); returns its id."""
        f: dict[str, Any] = {"id": str(uuid.uuid4()), "finding_no": self.model.next_number(), "count": 1}
        if view is not None and x is not None and y is not None:
            f.update(diagram_view=view, diagram_x=round(x, 3), diagram_y=round(y, 3))
            hit = bodymap.region_at(view, x, y)
            if hit is not None:
                f["body_region"] = hit[0]
                if hit[1]:
                    f["laterality"] = hit[1]
        self.model.append(f)
        m = marker_of(f)
        if m is not None:
            self.diagram.upsert_marker(m)
        self.select(f["id"])
        self.changed.emit()
        self._sync_buttons()
        return f["id"]

    def place_selected(self) -> bool:
        """Give the selected finding a marker at the centre of its region (keyboard users' way to the diagram)."""
        key = self.selected_key()
        row = self.model.row_of(key)
        if row < 0:
            return False
        f = self.model.finding(row)
        if marker_of(f) is not None or not f.get("body_region"):
            return False
        for view in ((f["diagram_view"],) if f.get("diagram_view") in bodymap.VIEWS else bodymap.VIEWS):
            centre = bodymap.region_centre(view, f["body_region"], f.get("laterality"))
            if centre is not None:
                self.model.update(row, {"diagram_view": view, "diagram_x": round(centre[0], 3),
                                        "diagram_y": round(centre[1], 3)})
                self.diagram.upsert_marker(marker_of(self.model.finding(row)))
                self.diagram.select(key)
                self.editor.load(self.model.finding(row))
                self.changed.emit()
                self._sync_buttons()
                return True
        return False

    def delete_finding(self, key: str) -> None:
        row = self.model.row_of(key)
        if row < 0:
            return
        self.model.remove(row)
        self.diagram.remove_marker(key)
        self._manual_region.discard(key)
        if not self.selected_key():
            self.editor.load(None)
        self.changed.emit()
        self._sync_buttons()

    def delete_selected(self) -> None:
        key = self.selected_key()
        if key and self.confirm_delete(key):
            self.delete_finding(key)

    def confirm_delete(self, key: str) -> bool:
        f = self.model.finding(self.model.row_of(key))
        answer = QMessageBox.question(self, _("Delete finding"),
                                      _("Delete finding %(number)s?") % {"number": f.get("finding_no", "")})
        return answer == QMessageBox.StandardButton.Yes

    def _delete_key(self, key: str) -> None:
        if self.confirm_delete(key):
            self.delete_finding(key)

    # --- signals -------------------------------------------------------------------------------------
    def _placed(self, view: str, x: float, y: float) -> None:
        self.add_finding(view, x, y)

    def _moved(self, key: str, view: str, x: float, y: float) -> None:
        row = self.model.row_of(key)
        if row < 0:
            return
        values: dict[str, Any] = {"diagram_view": view, "diagram_x": round(x, 3), "diagram_y": round(y, 3)}
        if key not in self._manual_region:
            hit = bodymap.region_at(view, x, y)
            if hit is not None:
                values["body_region"] = hit[0]
                values["laterality"] = hit[1]
        self.model.update(row, values)
        if self.selected_key() == key:
            self.editor.load(self.model.finding(row))
        self.changed.emit()

    def _diagram_selected(self, key: str) -> None:
        if key != self.selected_key():
            self.select(key)

    def _table_selected(self, *args) -> None:
        key = self.selected_key()
        self.diagram.select(key)
        self.editor.load(self.model.finding(self.model.row_of(key)) if key else None)
        self.editor.show_problems(self.model.problems(key) if key else {})
        self._sync_buttons()

    def _edited(self, values: dict) -> None:
        key = self.selected_key()
        row = self.model.row_of(key)
        if row < 0:
            return
        changed = values.pop("_changed", None)
        if changed in ("body_region", "laterality"):
            self._manual_region.add(key)
        self.model.update(row, values)
        self.changed.emit()
        self._sync_buttons()

    def _sync_buttons(self) -> None:
        key = self.selected_key()
        self.delete_button.setEnabled(bool(key))
        f = self.model.finding(self.model.row_of(key)) if key else None
        self.place_button.setEnabled(f is not None and marker_of(f) is None and bool(f.get("body_region")))
