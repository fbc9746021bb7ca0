"""The generic record form: every field of a kind, grouped by `labels.sections(kind)`.

`FormBody` builds the widgets of any entity (top-level records and child rows) and
maps problems (`acts[0].perpetrators[1].perpetrator_type`) onto them; `RecordForm` is
a FormBody for a top-level kind that validates inline through
`kkdesk.interchange.validate` while the user types (debounced) and when a field is
left. `.values()` returns the interchange form (empty values omitted, child rows
keep their ids)."""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (QFormLayout, QFrame, QGroupBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem,
                               QScrollArea, QSizePolicy, QStackedWidget, QStyle, QVBoxLayout, QWidget)

from kkdesk import labels, schema as S
from kkdesk.errors import Problem
from kkdesk.i18n import N_, _, get_language, ngettext
from kkdesk.problem_paths import describe_path, entity_of, split_path  # noqa: F401 (used by editors)
from kkdesk.ui.editors.childtable import ChecklistField, ChildListField
from kkdesk.ui.editors.inlinerows import INLINE, InlineChildListField
from kkdesk.ui.fields.choicefields import CodeField
from kkdesk.ui.fields.datefields import DateTimeField, derived_precision
from kkdesk.ui.fields.factory import make_field_widget
from kkdesk.ui.fields.fieldbase import ERROR_COLOUR, problem_message

HIDDEN = {"id", "record_no"}
# derived by the core from another field; a stale value would be kept, so never edited
HIDDEN_BY_KIND = {"source_link": {"target_entity"}}
NAVIGATOR_OVER = 8  # kinds with more sections than this get a section list instead of one long page
VALIDATE_DELAY_MS = 500
MAX_WIDTH = 1000
LABEL_MIN_WIDTH = 180
LABEL_MAX_WIDTH = 260
READ_ONLY = {"attachment": {"sha256", "size_bytes", "mime", "target_entity", "target_id", "physical_finding"}}

VICTIM_HINT = N_("Taken from the victim's record when left empty; change it if it was different at the time.")
VICTIM_TYPE_HINT = N_("Set from the victim chosen below when left empty.")
ACT_DATE_HINT = N_("The incident's start date is used when left empty.")
PRECISION_EMPTY = N_("from the date")

Validator = Callable[[dict], "tuple[list[Problem], list[Problem]]"]


class _FocusWatcher(QObject):
    """Validates when the user leaves a field."""

    def __init__(self, form: "FormBody") -> None:
        super().__init__(form)
        self.form = form

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.FocusOut and self.form._pending:
            self.form._timer.start(0)
        return False


class _WidthCap(QObject):
    def __init__(self, content: QWidget, parent: QObject) -> None:
        super().__init__(parent)
        self.content = content
        content.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Resize:
            layout = self.content.layout()
            m = layout.contentsMargins()
            right = max(9, self.content.width() - MAX_WIDTH)
            if m.right() != right:
                layout.setContentsMargins(m.left(), m.top(), right, m.bottom())
        return False


class FormBody(QWidget):
    """The fields of one entity kind, laid out by sections, with inline problems."""

    changed = Signal()
    validated = Signal(list, list)  # errors, warnings (as shown)

    def __init__(self, ctx, kind: str, exclude=(), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.kind = kind
        self.entity = entity_of(kind)
        self.exclude = set(exclude)
        self.fields: dict[str, Any] = {}  # name -> FieldWidget or ChildListField
        self.validator: Validator | None = None
        self._row_id: str | None = None
        self._problems: list[tuple[Problem, str]] = []
        self._touched: set[str] = set()
        self._show_all = False
        self._pending = False
        self._loading = False
        self._autofilled: dict[str, Any] = {}
        self._victims: dict[str, str | None] = {}  # threat acts: the victim the snapshot fields came from
        self._sections: list[tuple[str, QWidget, list[str]]] = []  # (title msgid, box/page, field names)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(VALIDATE_DELAY_MS)
        self._timer.timeout.connect(self.run_validation)
        self._focus_watcher = _FocusWatcher(self)
        self._build()
        self._install_hooks()
        self.retranslate()

    def row_form(self, kind: str, parent: QWidget) -> "FormBody":
        """The form of one row of a child list: its row dialog asks the list's owner, so
        childtable builds forms without importing this module."""
        return FormBody(self.ctx, kind, parent=parent)

    # --- building -------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.banner = QLabel()
        self.banner.setObjectName("form_banner")
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.TextFormat.PlainText)
        self.banner.setFrameShape(QFrame.Shape.StyledPanel)
        self.banner.setStyleSheet(f"QLabel {{ color: {ERROR_COLOUR}; padding: 6px; }}")
        self.banner.hide()
        outer.addWidget(self.banner)
        sections = []
        for title, names in labels.sections(self.kind):
            hidden = HIDDEN | HIDDEN_BY_KIND.get(self.kind, set()) | self.exclude
            shown = [n for n in names if n not in hidden and self.entity.field(n) is not None]
            if shown:
                sections.append((title, shown))
        self.navigator: QListWidget | None = None
        self.pages: QStackedWidget | None = None
        if len(sections) > NAVIGATOR_OVER:
            self.navigator = QListWidget()
            self.navigator.setObjectName("section_list")
            self.navigator.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
            self.navigator.setWordWrap(True)
            self.navigator.setSpacing(2)
            self.nav_label = QLabel()
            self.nav_label.setBuddy(self.navigator)
            self.pages = QStackedWidget()
            self.navigator.currentRowChanged.connect(self.pages.setCurrentIndex)
            side = QVBoxLayout()
            side.addWidget(self.nav_label)
            side.addWidget(self.navigator, 1)
            row = QHBoxLayout()
            row.addLayout(side)
            row.addWidget(self.pages, 1)
            outer.addLayout(row, 1)
        else:
            self.scroll = self._scroll_area()
            content = QWidget()
            self.body_layout = QVBoxLayout(content)
            self.scroll.setWidget(self._capped(content))
            outer.addWidget(self.scroll, 1)
        for title, names in sections:
            box = QGroupBox()
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
            form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            for name in names:
                f = self.entity.field(name)
                if f.type == S.CHILDREN:
                    inline = (self.kind, f.name) in INLINE
                    fw = (InlineChildListField if inline else ChildListField)(self.ctx, self, self.kind, f)
                    form.addRow(fw.label)
                    form.addRow(fw.widget)
                elif f.type == S.CHECKLIST:
                    fw = ChecklistField(self.ctx, self, self.kind, f)
                    form.addRow(fw.label)
                    form.addRow(fw.widget)
                else:
                    fw = make_field_widget(self.ctx, self.kind, f, self)
                    fw.label.setMinimumWidth(LABEL_MIN_WIDTH)
                    fw.label.setMaximumWidth(LABEL_MAX_WIDTH)
                    fw.label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
                    form.addRow(fw.label, fw.widget)
                self.fields[name] = fw
                fw.changed.connect(lambda n=name: self._field_changed(n))
                for w, _part in fw.inputs:
                    w.installEventFilter(self._focus_watcher)
                if name in READ_ONLY.get(self.kind, ()):
                    fw.set_read_only(True)
            if self.pages is not None:
                page = self._scroll_area()
                inner = QWidget()
                lay = QVBoxLayout(inner)
                lay.addWidget(box)
                lay.addStretch(1)
                page.setWidget(self._capped(inner))
                self.pages.addWidget(page)
                self.navigator.addItem(QListWidgetItem())
                self._sections.append((title, box, names))
            else:
                self.body_layout.addWidget(box)
                self._sections.append((title, box, names))
        if self.pages is not None:
            self.navigator.setCurrentRow(0)
            self.navigator.setFixedWidth(220)
        else:
            self.body_layout.addStretch(1)

    def _capped(self, content: QWidget) -> QWidget:
        """Keep lines readable on wide screens: the form grows to MAX_WIDTH, no further
        (a right margin takes the rest; capping the widget itself breaks scrolling)."""
        _WidthCap(content, self)
        return content

    @staticmethod
    def _scroll_area() -> QScrollArea:
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        return area

    def _install_hooks(self) -> None:
        for f in self.entity.fields:
            if f.type == S.CODE and f.vocab == "date_precision" and f.name in self.fields:
                fw = self.fields[f.name]
                fw.empty_text = lambda: f"\u2014 {_(PRECISION_EMPTY)}"
                fw._fill()
        region = self._region_source()
        if region is not None:
            for fw in self.fields.values():
                if isinstance(fw, DateTimeField):
                    fw.region_hint = region
                    fw.refresh_default_offset()
        if self.kind == "threat_act":
            for name in ("target_group_at_time", "gender_at_time", "region_at_time"):
                if name in self.fields:
                    self.fields[name].set_hint(VICTIM_HINT)
            if "victim_type" in self.fields:
                self.fields["victim_type"].set_hint(VICTIM_TYPE_HINT)
            if "act_date" in self.fields:
                self.fields["act_date"].set_hint(ACT_DATE_HINT)

    def _region_source(self) -> Callable[[], str | None] | None:
        """Where the form's datetimes learn the region for their default UTC offset."""
        for name in ("region", "residence_region"):
            if name in self.fields and isinstance(self.fields[name], CodeField):
                fw = self.fields[name]
                return fw.value
        if "court" in self.fields and self.entity.field("court").ref == "court":
            court = self.fields["court"]

            def court_region() -> str | None:
                rid = court.value()
                content = self._content_of(rid) if rid else None
                return (content or {}).get("region")

            return court_region
        return None

    # --- values ---------------------------------------------------------------------
    def values(self) -> dict:
        """The form's content in interchange form; empty values are left out."""
        out: dict[str, Any] = {}
        for name, fw in self.fields.items():
            v = fw.value()
            if v is None or v == "" or v == [] or v == {}:
                continue
            out[name] = v
        for f in self.entity.fields:
            if f.type == S.DATE and f.precision and out.get(f.precision) is not None:
                if out[f.precision] == derived_precision(out.get(f.name)):
                    del out[f.precision]  # the core derives it from the date
        if self._row_id:
            out = {"id": self._row_id, **out}
        return out

    def set_values(self, content: dict | None) -> None:
        """Show stored content (does not count as an edit)."""
        content = content or {}
        self._loading = True
        try:
            for name, fw in self.fields.items():
                fw.set_value(content.get(name))
            self._row_id = content.get("id") if not self.entity.top_level else None
        finally:
            self._loading = False
        self._autofilled.clear()
        self._victims = {n: content.get(n) for n in ("victim_person", "victim_organisation")}
        self._touched.clear()
        self.clear_problems()
        for fw in self.fields.values():
            if isinstance(fw, DateTimeField):
                fw.refresh_default_offset()

    def apply_defaults(self) -> None:
        """Defaults of a new record: schema defaults, the kind's confidentiality and the
        UI language as the language of entry."""
        self._loading = True
        try:
            for f in self.entity.fields:
                if f.default is not None and f.name in self.fields:
                    self.fields[f.name].set_value(f.default)
            if self.entity.top_level:
                if "confidentiality" in self.fields:
                    self.fields["confidentiality"].set_value(self.entity.default_confidentiality)
                if "entry_language" in self.fields:
                    self.fields["entry_language"].set_value(getattr(self.ctx, "ui_lang", None) or get_language())
        finally:
            self._loading = False

    def field(self, name: str):
        return self.fields.get(name)

    def form_widgets(self) -> list[QWidget]:
        """Every input of the form (for accessibility checks)."""
        out: list[QWidget] = []
        for fw in self.fields.values():
            out.extend(w for w, _part in fw.inputs)
        if self.navigator is not None:
            out.append(self.navigator)
        return out

    def is_touched(self) -> bool:
        return bool(self._touched)

    # --- editing events ------------------------------------------------------------
    def _field_changed(self, name: str) -> None:
        if self._loading:
            return
        self._touched.add(name)
        self._after_change(name)
        self.changed.emit()
        self._pending = True
        self._timer.start()

    def _after_change(self, name: str) -> None:
        f = self.entity.field(name)
        if f is not None and f.type == S.DATE and f.precision and f.precision in self.fields:
            prec = self.fields[f.precision]
            if prec.value() in ("day", "month", "year"):
                prec.set_value(None)  # follows the new date; "estimate"/"unknown" stay as chosen
        if name in ("region", "residence_region", "court"):
            for fw in self.fields.values():
                if isinstance(fw, DateTimeField):
                    fw.refresh_default_offset()
        if self.kind == "threat_act" and name in ("victim_person", "victim_organisation"):
            self._victim_defaults(name)
        if name in self._autofilled:
            self._autofilled.pop(name, None)

    def _content_of(self, record_id: str) -> dict | None:
        from kkdesk.errors import NotFoundError
        from kkdesk.records import get

        store = getattr(self.ctx, "store", None)
        if store is None or not record_id:
            return None
        try:
            with store.session() as s:
                view = get(s, record_id)
                return None if view.deleted else view.content
        except NotFoundError:
            return None

    def _victim_snapshot(self, name: str, record_id: str | None) -> dict[str, Any]:
        """What an act takes from its victim's record when the user leaves it empty
        (the same defaults the core derives on saving)."""
        if not record_id:
            return {}
        content = self._content_of(record_id) or {}
        if name == "victim_person":
            out = {"victim_type": "person", "gender_at_time": content.get("gender"),
                   "target_group_at_time": content.get("primary_target_group"),
                   "region_at_time": content.get("residence_region")}
        else:
            out = {"victim_type": "organisation", "gender_at_time": "not_applicable",
                   "target_group_at_time": content.get("primary_target_group"), "region_at_time": content.get("region")}
        return {k: v for k, v in out.items() if v is not None}

    def _victim_defaults(self, name: str) -> None:
        """A new victim replaces what came from the previous one; values the user chose
        (anything not taken from the previous victim) stay."""
        old_id, new_id = self._victims.get(name), self.fields[name].value()
        self._victims[name] = new_id
        old, new = self._victim_snapshot(name, old_id), self._victim_snapshot(name, new_id)
        for field, value in new.items():
            fw = self.fields.get(field)
            if fw is None:
                continue
            current = fw.value()
            if current is None or current == old.get(field) or self._autofilled.get(field) == current:
                self._loading = True
                try:
                    fw.set_value(value)
                finally:
                    self._loading = False
                self._autofilled[field] = fw.value()

    # --- validation ---------------------------------------------------------------
    def show_all_problems(self, show: bool = True) -> None:
        """After a save attempt (or for stored records) every problem is shown, not only
        those of fields the user has touched."""
        self._show_all = show

    def run_validation(self) -> tuple[list[Problem], list[Problem]] | None:
        self._pending = False
        self._timer.stop()
        if self.validator is None:
            return None
        try:
            errors, warnings = self.validator(self.values())
        except Exception:  # noqa: BLE001 - a locked store or a vanished record: no inline check now
            return None
        if not self._show_all:
            errors = [p for p in errors if split_path(p.path)[0] in self._touched]
            warnings = [p for p in warnings if split_path(p.path)[0] in self._touched]
        self.show_problems(errors, warnings)
        self.validated.emit(errors, warnings)
        return errors, warnings

    def flush_validation(self) -> None:
        """Run a pending inline check now (tests, and before saving)."""
        if self._pending or self._timer.isActive():
            self.run_validation()

    def clear_problems(self) -> None:
        self.show_problems([], [])

    def show_problems(self, errors: list[Problem], warnings: list[Problem]) -> list[Problem]:
        """Show problems next to their fields (also inside child rows); the ones that
        name no field of this form go to the banner at the top and are returned."""
        self._problems = [(p, "error") for p in errors] + [(p, "warning") for p in warnings]
        return self._render_problems()

    def problems(self) -> list[tuple[Problem, str]]:
        return list(self._problems)

    def _render_problems(self) -> list[Problem]:
        per_field: dict[str, list[tuple[str, str]]] = {}
        per_row: dict[str, dict[int, list[tuple[Problem, str]]]] = {}
        unmapped: list[tuple[Problem, str]] = []
        banner: list[tuple[Problem, str]] = []
        for p, severity in self._problems:
            name, index, rest = split_path(p.path)
            fw = self.fields.get(name)
            if fw is None:
                unmapped.append((p, severity))
                # a field placed elsewhere (exclude) is the special editor's to show; problems
                # naming no field go to the banner of a form that shows the whole record
                if name not in self.exclude and not (self.exclude and self.entity.field(name) is None):
                    banner.append((p, severity))
            elif getattr(fw, "is_list", False):
                key = fw.row_key(index, rest)
                if key is None:
                    per_field.setdefault(name, []).append((problem_message(p), severity))
                else:
                    row, sub = key
                    per_row.setdefault(name, {}).setdefault(row, []).append((Problem(sub, p.message, **p.params), severity))
            else:
                per_field.setdefault(name, []).append((problem_message(p), severity))
        for name, fw in self.fields.items():
            items = per_field.get(name)
            if items:
                severity = "error" if any(s == "error" for _m, s in items) else "warning"
                fw.set_problem("; ".join(dict.fromkeys(m for m, _s in items)), severity)
            else:
                fw.set_problem(None)
            if getattr(fw, "is_list", False):
                fw.set_row_problems(per_row.get(name, {}))
        lines = []
        for p, severity in banner:
            where = describe_path(self.kind, p.path)
            mark = "\u2716" if severity == "error" else "\u26a0"
            lines.append(f"{mark} {where}: {problem_message(p)}" if where else f"{mark} {problem_message(p)}")
        self.banner.setText("\n".join(lines))
        self.banner.setVisible(bool(lines))
        self.banner.setAccessibleName(_("Problems") if lines else "")
        self._mark_sections()
        return [p for p, _s in unmapped]

    def _mark_sections(self) -> None:
        if self.navigator is None:
            return
        bad: dict[str, set[str]] = {}
        for p, severity in self._problems:
            bad.setdefault(split_path(p.path)[0], set()).add(severity)
        style = self.style()
        for i, (_title, _box, names) in enumerate(self._sections):
            item = self.navigator.item(i)
            severities = set().union(*(bad[n] for n in names if n in bad))
            if "error" in severities:
                item.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical))
            elif severities:
                item.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning))
            else:
                item.setIcon(QIcon())

    def focus_path(self, path: str) -> bool:
        """Bring the field a problem names into view and give it the focus."""
        name, index, rest = split_path(path)
        fw = self.fields.get(name)
        if fw is None:
            return False
        for i, (_title, _box, names) in enumerate(self._sections):
            if name in names:
                if self.navigator is not None:
                    self.navigator.setCurrentRow(i)
                    area = self.pages.widget(i)
                else:
                    area = self.scroll
                area.ensureWidgetVisible(fw.widget)
                break
        if getattr(fw, "is_list", False) and index is not None:
            fw.select_row(index)
        fw.focus()
        return True

    # --- language -----------------------------------------------------------------
    def retranslate(self) -> None:
        for i, (title, box, _names) in enumerate(self._sections):
            box.setTitle(_(title))
            if self.navigator is not None:
                self.navigator.item(i).setText(_(title))
        if self.navigator is not None:
            self.nav_label.setText(_("Sections"))
            self.navigator.setAccessibleName(_("Sections"))
        for fw in self.fields.values():
            fw.retranslate()
        self._render_problems()


class RecordForm(FormBody):
    """A FormBody for a top-level kind with inline validation by the core.

    A new form starts with the defaults of the kind; `set_values` shows a stored
    record. Fields named in `exclude` are left out (special editors place them)."""

    def __init__(self, ctx, kind: str, exclude=(), parent: QWidget | None = None, record_id: str | None = None) -> None:
        if kind not in S.TOP_LEVEL:
            raise KeyError(kind)
        super().__init__(ctx, kind, exclude=exclude, parent=parent)
        self.record_id = record_id
        self.validator = self._validate
        # an editor that shows part of the record in this form sets this to a function
        # returning the whole record, so inline checks see every field (not only these)
        self.validation_values: Callable[[], dict] | None = None
        self.apply_defaults()

    def _validate(self, values: dict) -> tuple[list[Problem], list[Problem]]:
        from kkdesk.interchange import validate

        store = getattr(self.ctx, "store", None)
        if store is None:
            return [], []
        if self.validation_values is not None:
            values = self.validation_values()
        with store.session() as s:
            return validate(s, self.kind, values, self.record_id,
                            default_language=getattr(self.ctx, "ui_lang", None) or get_language())

    def summary(self) -> str:
        """'2 problems, 1 warning' for the status line of an editor."""
        errors = sum(1 for _p, s in self._problems if s == "error")
        warnings = len(self._problems) - errors
        parts = []
        if errors:
            parts.append(ngettext("%(n)s field needs attention", "%(n)s fields need attention", errors) % {"n": errors})
        if warnings:
            parts.append(ngettext("%(n)s warning", "%(n)s warnings", warnings) % {"n": warnings})
        return ", ".join(parts)
