"""Editing child lists (threat acts and their perpetrators, case parties with charges
and sentences, participants, clinicians, findings, affiliations, source links…): a
table of rows with Add / Edit / Remove / Move, and a row editor dialog built from
the same field widgets (`FormBody`), nested as deep as the schema goes.

A row dialog validates its row inside the whole record: the owner's values with this
row in place go through the owner's validator and the problems under
`acts[2].` come back with that prefix removed."""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView, QLabel,
                               QPushButton, QSizePolicy, QStyle, QTableView, QVBoxLayout, QWidget)

from kkdesk import labels, schema as S
from kkdesk.errors import Problem
from kkdesk.i18n import N_, _, get_language
from kkdesk.ui.fields.fieldbase import ERROR_COLOUR, WARNING_COLOUR, problem_message
from kkdesk.ui.fields.refpicker import describe, lookup
from kkdesk.ui.common.screenfit import available_size, fit_size

MAX_CELL = 80

# the columns shown for each kind of row: (header msgid or None for the field's label, fields shown first-non-empty)
COLUMNS: dict[str, list[tuple[str | None, list[str]]]] = {
    "threat_act": [(N_("Victim"), ["victim_person", "victim_organisation", "group_description"]),
                   (None, ["threat_type"]), (None, ["act_date"]), (None, ["perpetrators"])],
    "act_perpetrator": [(None, ["perpetrator_type"]),
                        (N_("Perpetrator"), ["perpetrator_person", "perpetrator_organisation", "description"]),
                        (None, ["involvement_degree"])],
    "case_party": [(N_("Party"), ["person", "organisation"]), (None, ["role"]), (None, ["in_custody"]),
                   (None, ["charges"]), (None, ["sentences"])],
    "charge": [(None, ["legal_article"]), (None, ["article_part"]), (None, ["charge_status"]), (None, ["status_date"])],
    "sentence": [(None, ["instance"]), (None, ["decision_date"]), (None, ["sentence_type"]), (None, ["term_years"]),
                 (None, ["in_force"])],
    "affiliation": [(None, ["person"]), (None, ["role"]), (None, ["start_date"]), (None, ["end_date"])],
    "source_link": [(None, ["target"]), (None, ["locator"]), (None, ["quote"])],
    "hearing_participant": [(N_("Participant"), ["person", "name"]), (None, ["role"]), (None, ["presence"])],
    "hearing_note": [(None, ["time"]), (None, ["text"])],
    "fair_trial_answer": [(None, ["item"]), (None, ["answer"]), (None, ["note"])],
    "clinician": [(None, ["name"]), (None, ["qualification"])],
    "alleged_method": [(None, ["method"]), (None, ["start_date"]), (None, ["place_type"]), (None, ["perpetrator_type"])],
    "physical_finding": [(None, ["finding_no"]), (None, ["body_region"]), (None, ["laterality"]),
                         (None, ["lesion_type"]), (None, ["consistency"])],
    "psychological_finding": [(None, ["finding"]), (None, ["severity"]), (None, ["consistency"])],
}


def columns_for(entity: S.Entity) -> list[tuple[str, list[str]]]:
    spec = COLUMNS.get(entity.kind)
    if spec is None:
        names = [f.name for f in entity.fields if f.name != "id"][:4]
        spec = [(None, [n]) for n in names]
    return [(header or labels.field_label(entity.kind, names[0]), names) for header, names in spec]


def share_width(available: int, needs: list[int]) -> list[int]:
    """Column widths filling `available` as evenly as they can, none below its need (its
    title's width); when the needs alone are wider, just the needs (the table scrolls)."""
    if not needs or sum(needs) >= available:
        return list(needs)
    wide: set[int] = set()
    while True:  # columns wider than an even share keep their need; the others share the rest
        rest = available - sum(needs[i] for i in wide)
        free = [i for i in range(len(needs)) if i not in wide]
        each = rest // len(free)
        grow = [i for i in free if needs[i] > each]
        if not grow:
            break
        wide.update(grow)
    widths = list(needs)
    spare = rest - each * len(free)
    for k, i in enumerate(free):
        widths[i] = each + (1 if k < spare else 0)
    return widths


def two_lines(title: str) -> str:
    """A title broken at the space nearest its middle."""
    spaces = [i for i, c in enumerate(title) if c == " "]
    if not spaces:
        return title
    cut = min(spaces, key=lambda i: abs(2 * i - len(title)))
    return title[:cut] + "\n" + title[cut + 1:]


def relative_problems(problems: list[Problem], prefix: str) -> list[Problem]:
    """Problems under `prefix` ('acts[2]'), with the prefix removed from their paths."""
    out = []
    for p in problems:
        if p.path == prefix:
            out.append(Problem("", p.message, **p.params))
        elif p.path.startswith(prefix + "."):
            out.append(Problem(p.path[len(prefix) + 1:], p.message, **p.params))
    return out


class ChildRowsModel(QAbstractTableModel):
    """Rows of a child list (interchange dicts) with a few summary columns; rows with
    problems carry an icon and the messages in their tooltip."""

    def __init__(self, entity: S.Entity, describe_ref: Callable[[str], str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.entity = entity
        self.columns = columns_for(entity)
        self.describe_ref = describe_ref
        self.rows: list[dict] = []
        self.problems: dict[int, list[tuple[str, str]]] = {}
        self.wrapped: set[int] = set()  # columns whose title is shown on two lines (a narrow table)

    # Qt model interface
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < len(self.columns):
                return None
            title = _(self.columns[section][0])
            return two_lines(title) if section in self.wrapped and role == Qt.ItemDataRole.DisplayRole else title
        if role == Qt.ItemDataRole.ToolTipRole:
            return None
        return str(section + 1) if 0 <= section < len(self.rows) else None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self.rows)) or not (0 <= index.column() < len(self.columns)):
            return None
        row, col = index.row(), index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.cell_text(row, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [self.cell_text(row, col, full=True)]
            lines += [("\u2716 " if s == "error" else "\u26a0 ") + m for m, s in self.problems.get(row, ())]
            return "\n".join(line for line in lines if line)
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return "; ".join(m for m, _s in self.problems.get(row, ())) or None
        if role == Qt.ItemDataRole.DecorationRole and col == 0 and self.problems.get(row):
            from PySide6.QtWidgets import QApplication

            bad = any(s == "error" for _m, s in self.problems[row])
            icon = QStyle.StandardPixmap.SP_MessageBoxCritical if bad else QStyle.StandardPixmap.SP_MessageBoxWarning
            return QApplication.style().standardIcon(icon)
        return None

    # content
    def cell_text(self, row: int, col: int, full: bool = False) -> str:
        record = self.rows[row]
        for name in self.columns[col][1]:
            value = record.get(name)
            if value in (None, "", [], {}):
                continue
            f = self.entity.field(name)
            if f is not None and f.type == S.CHILDREN:
                text = str(len(value))
            elif f is not None and f.type == S.REF:
                text = self.describe_ref(value)
            elif f is not None and f.type == S.REFS:
                text = ", ".join(self.describe_ref(v) for v in value)
            else:
                try:
                    text = labels.value_label(self.entity.kind, name, value, get_language())
                except Exception:  # noqa: BLE001 - a malformed value is shown as stored
                    text = str(value)
            text = " ".join(text.split())
            if not full and len(text) > MAX_CELL:
                text = text[:MAX_CELL - 1] + "\u2026"
            return text
        return ""

    def set_rows(self, rows: list[dict]) -> None:
        self.beginResetModel()
        self.rows = [dict(r) for r in rows]
        self.problems = {}
        self.endResetModel()

    def replace(self, row: int, record: dict) -> None:
        self.rows[row] = dict(record)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))

    def append(self, record: dict) -> int:
        n = len(self.rows)
        self.beginInsertRows(QModelIndex(), n, n)
        self.rows.append(dict(record))
        self.endInsertRows()
        return n

    def remove(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self.rows[row]
        self.problems = {(r if r < row else r - 1): p for r, p in self.problems.items() if r != row}
        self.endRemoveRows()

    def move(self, row: int, to: int) -> None:
        if row == to or not (0 <= to < len(self.rows)):
            return
        dest = to + 1 if to > row else to  # Qt's destination is "before this row" in the old numbering
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), dest)
        self.rows.insert(to, self.rows.pop(row))
        self.problems = {}
        self.endMoveRows()

    def set_problems(self, problems: dict[int, list[tuple[str, str]]]) -> None:
        self.problems = {r: p for r, p in problems.items() if 0 <= r < len(self.rows)}
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(self.columns) - 1))

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.columns) - 1)
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(self.columns) - 1))


class ChildRowDialog(QDialog):
    """Edits one row with the same field widgets as every form."""

    def __init__(self, owner: "ChildListField", index: int | None, row: dict | None,
                 problems: list[tuple[Problem, str]] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.owner = owner
        self.index = index
        self.setObjectName(f"row_dialog_{owner.entity.kind}")
        self.form = owner.owner.row_form(owner.entity.kind, self)
        self.form.validator = owner.row_validator(index)
        if row:
            self.form.set_values(row)
            self.form.show_all_problems()
            if problems:
                self.form.show_problems([p for p, s in problems if s == "error"], [p for p, s in problems if s != "error"])
        else:
            self.form.apply_defaults()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form, 1)
        layout.addWidget(self.buttons)
        room = available_size(self)
        width = min(900, int(room.width() * 0.9))
        height = min(660, int(room.height() * 0.85))
        body = self.form.scroll.widget() if getattr(self.form, "scroll", None) is not None else None
        if body is not None:  # short rows (a perpetrator, a clinician) get a short dialog
            wanted = body.sizeHint().height() + self.buttons.sizeHint().height() + 40
            height = max(240, min(height, wanted))
        fit_size(self, width, height, minimum=(320, 240))
        self.retranslate()

    def retranslate(self) -> None:
        name = _(labels.kind_label(self.owner.entity.kind))
        if self.index is None:
            self.setWindowTitle(_("New: %(item)s") % {"item": name})
        else:
            self.setWindowTitle(_("%(item)s no. %(number)s") % {"item": name, "number": self.index + 1})
        self.form.retranslate()

    def values(self) -> dict:
        return self.form.values()


class ChildListField(QObject):
    """A child list as a form field: label, table, buttons and a problem line."""

    changed = Signal()
    is_list = True

    def __init__(self, ctx, owner, parent_kind: str, field: S.Field) -> None:
        super().__init__(owner)
        self.ctx = ctx
        self.owner = owner  # the FormBody this list belongs to
        self.kind = parent_kind
        self.field = field
        self.name = field.name
        self.entity: S.Entity = field.child  # type: ignore[assignment]
        self.required = field.req == "R"
        self._refs: dict[str, str] = {}
        self._row_problems: dict[int, list[tuple[Problem, str]]] = {}
        self._problem: tuple[str, str] | None = None
        self.read_only = False
        self.dialog: ChildRowDialog | None = None
        self._fitting = False  # fit_columns is at work (its own header changes call it again)

        self.label = QLabel()
        self.label.setObjectName(f"label_{self.name}")
        self.view = QTableView()
        self.view.setObjectName(f"input_{self.name}")
        self.model = ChildRowsModel(self.entity, self._describe_ref, self.view)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setTabKeyNavigation(False)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().lineSpacing() + 10)
        header = self.view.horizontalHeader()
        # columns share the width, each at least as wide as its title (cells elide); see fit_columns
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setMinimumSectionSize(60)
        self.view.viewport().installEventFilter(self)
        self.model.headerDataChanged.connect(lambda *_a: self.fit_columns())
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self._fit_view_height()
        self.view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.view.activated.connect(lambda index: self.edit_row(index.row()))
        self.label.setBuddy(self.view)
        for keys, slot in ((QKeySequence(Qt.Key.Key_Insert), lambda: self.add_row()),
                           (QKeySequence(QKeySequence.StandardKey.Delete), lambda: self.remove_row(self.current_row()))):
            shortcut = QShortcut(keys, self.view)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)

        self.add_button = QPushButton()
        self.edit_button = QPushButton()
        self.remove_button = QPushButton()
        self.up_button = QPushButton()
        self.down_button = QPushButton()
        self.add_button.clicked.connect(lambda: self.add_row())
        self.edit_button.clicked.connect(lambda: self.edit_row(self.current_row()))
        self.remove_button.clicked.connect(lambda: self.remove_row(self.current_row()))
        self.up_button.clicked.connect(lambda: self.move_row(self.current_row(), -1))
        self.down_button.clicked.connect(lambda: self.move_row(self.current_row(), +1))
        self.view.selectionModel().currentRowChanged.connect(lambda *_a: self._update_buttons())
        self.model.modelReset.connect(self._update_buttons)
        self.model.rowsInserted.connect(self._update_buttons)
        self.model.rowsRemoved.connect(self._update_buttons)

        self.problem_label = QLabel()
        self.problem_label.setObjectName(f"problem_{self.name}")
        self.problem_label.setWordWrap(True)
        self.problem_label.hide()

        self.widget = QWidget()
        self.widget.setObjectName(f"field_{self.name}")
        buttons = QVBoxLayout()
        for b in (self.add_button, self.edit_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.view, 1)
        row.addLayout(buttons)
        box = QVBoxLayout(self.widget)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(row)
        box.addWidget(self.problem_label)
        self.inputs: list[tuple[QWidget, str | None]] = [
            (self.view, None), (self.add_button, N_("add")), (self.edit_button, N_("edit")),
            (self.remove_button, N_("remove")), (self.up_button, N_("move up")), (self.down_button, N_("move down"))]
        self.retranslate()

    # --- columns ---------------------------------------------------------------------
    def fit_columns(self) -> None:
        """Size the columns to the table's width, none narrower than its translated title
        ("Бұзушылық жасаушылар" is whole at 1366 x 768). A table too narrow for its titles
        on one line puts the longest on two; still too narrow, it scrolls sideways rather
        than cut them."""
        if self._fitting:
            return
        self._fitting = True
        try:
            header = self.view.horizontalHeader()
            available = self.view.viewport().width()

            def needs_for(wrapped: set[int]) -> list[int]:
                self.model.wrapped = wrapped  # sectionSizeHint measures the model's title as shown
                return [max(header.sectionSizeHint(i), header.minimumSectionSize()) for i in range(header.count())]

            before = set(self.model.wrapped)
            wrapped: set[int] = set()
            needs = needs_for(wrapped)
            for i in sorted(range(len(needs)), key=lambda i: -needs[i]):
                if sum(needs) <= available:
                    break
                if " " in _(self.model.columns[i][0]):
                    wrapped.add(i)
                    needs = needs_for(wrapped)
            if wrapped != before:
                self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(needs) - 1)
                self._fit_view_height()
            for i, width in enumerate(share_width(available, needs)):
                if header.sectionSize(i) != width:
                    header.resizeSection(i, width)
        finally:
            self._fitting = False

    def _fit_view_height(self) -> None:
        """Room for the header (one or two lines) and 3 to 6 rows."""
        header = self.view.horizontalHeader()
        row_height = self.view.verticalHeader().defaultSectionSize()
        self.view.setMinimumHeight(header.sizeHint().height() + row_height * 3 + 6)
        self.view.setMaximumHeight(header.sizeHint().height() + row_height * 6 + 6)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Resize and obj is self.view.viewport():
            self.fit_columns()
        return False

    # --- the FieldWidget interface --------------------------------------------------
    def value(self) -> Any:
        return self._to_value([dict(r) for r in self.model.rows])

    def set_value(self, value: Any) -> None:
        self.model.set_rows(self._from_value(value))
        self._row_problems = {}
        self._update_buttons()

    def rows(self) -> list[dict]:
        return [dict(r) for r in self.model.rows]

    def set_problem(self, text: str | None, severity: str = "error") -> None:
        self._problem = (text, severity) if text else None
        if text:
            colour = ERROR_COLOUR if severity == "error" else WARNING_COLOUR
            self.problem_label.setStyleSheet(f"color: {colour};")
            self.problem_label.setText(("\u2716 " if severity == "error" else "\u26a0 ") + text)
        self.problem_label.setVisible(bool(text))
        self._describe()

    def problem(self) -> tuple[str, str] | None:
        return self._problem

    def set_read_only(self, read_only: bool = True) -> None:
        self.read_only = read_only
        self._update_buttons()

    def focus(self) -> None:
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def retranslate(self) -> None:
        name = _(labels.field_label(self.kind, self.name))
        self.label.setText(name + (" *" if self.required else ""))
        font = self.label.font()
        font.setBold(True)
        self.label.setFont(font)
        self.add_button.setText(_("Add…"))
        self.edit_button.setText(_("Edit…"))
        self.remove_button.setText(_("Remove"))
        self.up_button.setText(_("Move up"))
        self.down_button.setText(_("Move down"))
        for w, part in self.inputs:
            w.setAccessibleName(f"{name}: {_(part)}" if part else name)
        self.model.retranslate()
        self._describe()
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.retranslate()

    def _describe(self) -> None:
        parts = [_("Required field") + "." if self.required else "",
                 _("A table: Enter opens the selected row, Insert adds a row, Delete removes it; "
                   "the buttons beside the table do the same.")]
        if self._problem:
            text, severity = self._problem
            parts.append((_("Error: %(message)s") if severity == "error" else _("Warning: %(message)s")) % {"message": text})
        self.view.setAccessibleDescription(" ".join(p for p in parts if p))

    # --- problems of rows ---------------------------------------------------------
    def row_key(self, index: int | None, rest: str) -> tuple[int, str] | None:
        """Which row (and path inside it) a problem path below this list names."""
        if index is None or not (0 <= index < len(self.model.rows)):
            return None
        return index, rest

    def set_row_problems(self, mapping: dict[int, list[tuple[Problem, str]]]) -> None:
        self._row_problems = mapping
        shown: dict[int, list[tuple[str, str]]] = {}
        for row, items in mapping.items():
            for p, severity in items:
                where = p.path.split(".")[0].split("[")[0]
                label = _(labels.field_label(self.entity.kind, where)) if where else ""
                shown.setdefault(row, []).append((f"{label}: {problem_message(p)}" if label else problem_message(p), severity))
        self.model.set_problems(shown)

    def row_problems(self, row: int) -> list[tuple[Problem, str]]:
        return list(self._row_problems.get(row, ()))

    # --- validation of one row inside the whole record -----------------------------------
    def _prefix(self, index: int, rows: list[dict]) -> str:
        return f"{self.name}[{index}]"

    def row_validator(self, index: int | None):
        def validate(row_values: dict) -> tuple[list[Problem], list[Problem]]:
            if self.owner.validator is None:
                return [], []
            values = self.owner.values()
            rows = self.rows()
            i = index if index is not None and index < len(rows) else len(rows)
            if i < len(rows):
                rows[i] = row_values
            else:
                rows.append(row_values)
            values[self.name] = self._to_value(rows)
            errors, warnings = self.owner.validator(values)
            prefix = self._prefix(i, rows)
            return relative_problems(errors, prefix), relative_problems(warnings, prefix)

        return validate

    def _to_value(self, rows: list[dict]) -> Any:
        return rows or None

    def _from_value(self, value: Any) -> list[dict]:
        return [dict(r) for r in value or ()]

    # --- actions ---------------------------------------------------------------
    def current_row(self) -> int:
        index = self.view.currentIndex()
        return index.row() if index.isValid() else -1

    def select_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(row, 0))
            self.view.selectRow(row)

    def _update_buttons(self, *_args) -> None:
        row = self.current_row()
        n = self.model.rowCount()
        self.add_button.setEnabled(not self.read_only)
        self.edit_button.setEnabled(row >= 0)
        self.remove_button.setEnabled(row >= 0 and not self.read_only)
        self.up_button.setEnabled(row > 0 and not self.read_only)
        self.down_button.setEnabled(0 <= row < n - 1 and not self.read_only)

    def _open(self, index: int | None, row: dict | None) -> ChildRowDialog:
        dialog = ChildRowDialog(self, index, row, self._row_problems.get(index, []) if index is not None else None,
                                self.widget.window())
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.accepted.connect(lambda: self._accepted(dialog))
        dialog.finished.connect(lambda _r: self._closed(dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    def add_row(self) -> ChildRowDialog | None:
        if self.read_only:
            return None
        return self._open(None, None)

    def edit_row(self, row: int) -> ChildRowDialog | None:
        if not 0 <= row < self.model.rowCount():
            return None
        dialog = self._open(row, self.model.rows[row])
        if self.read_only:
            dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        return dialog

    def _accepted(self, dialog: ChildRowDialog) -> None:
        values = dialog.values()
        if dialog.index is None:
            if not any(k != "id" for k in values):
                return  # an empty new row is no row
            row = self.model.append(values)
        else:
            row = dialog.index
            self.model.replace(row, values)
        self.select_row(row)
        self.changed.emit()

    def _closed(self, dialog: ChildRowDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()
        self.view.setFocus()

    def remove_row(self, row: int, confirm: bool = True) -> bool:
        if not 0 <= row < self.model.rowCount() or self.read_only:
            return False
        if confirm:
            from kkdesk.ui.common.messages import confirm as ask

            name = _(labels.kind_label(self.entity.kind))
            if not ask(self.widget.window(), _("Remove"), _("Remove %(item)s no. %(number)s from the list?") %
                       {"item": name, "number": row + 1}, _("Remove"),
                       _("The row disappears when you save the record.")):
                return False
        self.model.remove(row)
        self._row_problems = {}
        self.select_row(min(row, self.model.rowCount() - 1))
        self.changed.emit()
        return True

    def move_row(self, row: int, step: int) -> None:
        to = row + step
        if self.read_only or not (0 <= row < self.model.rowCount()) or not (0 <= to < self.model.rowCount()):
            return
        self.model.move(row, to)
        self._row_problems = {}
        self.select_row(to)
        self.changed.emit()

    def _describe_ref(self, record_id: str) -> str:
        if record_id not in self._refs:
            self._refs[record_id] = describe(lookup(self.ctx, record_id), record_id)
        return self._refs[record_id]


class ChecklistField(ChildListField):
    """The hearing checklist as plain rows (item, answer, note) for the generic form;
    stored as {item: {answer, note}}. Hearing mode has its own grouped checklist."""

    def _to_value(self, rows: list[dict]) -> Any:
        out: dict[str, dict] = {}
        for r in rows:
            item = r.get("item")
            if item:
                out[item] = {k: v for k, v in r.items() if k in ("answer", "note", "attachment") and v not in (None, "")}
        return out or None

    def _from_value(self, value: Any) -> list[dict]:
        if not isinstance(value, dict):
            return []
        return [{"item": code, **(entry if isinstance(entry, dict) else {"answer": entry})} for code, entry in value.items()]

    def _prefix(self, index: int, rows: list[dict]) -> str:
        return f"{self.name}.{rows[index].get('item')}"

    def row_key(self, index: int | None, rest: str) -> tuple[int, str] | None:
        code, _sep, sub = rest.partition(".")
        for i, r in enumerate(self.model.rows):
            if r.get("item") == code:
                return i, sub
        return None
