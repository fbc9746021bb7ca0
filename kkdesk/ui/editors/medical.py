"""The medical examination editor (Istanbul Protocol annex IV, SPEC §3.9, §5).

One page per annex IV block (from `labels.sections("medical")`, plain fields through
the generic `RecordForm`); the physical examination page holds the body diagram and
the findings table. Consistency levels — per finding, physical, psychological and
the overall evaluation — are the clinician's choices with the IP definition shown;
nothing is computed (SPEC §5.2). Confidentiality defaults to `restricted` and is
lowered only after an explicit confirmation (SPEC §7 rule 6)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kkdesk import labels as L
from kkdesk import schema
from kkdesk.i18n import N_, _, ngettext
from kkdesk.ui.editors.editing import local_stamp
from kkdesk.ui.editors.findings import FindingsPanel, definition
from kkdesk.ui.editors.specialeditor import SpecialEditor
from kkdesk.ui.common.screenfit import fit_size

KIND = "medical"
CONFIDENTIALITY_ORDER = ("public", "internal", "restricted")
# placed by this editor, not by the generic forms
LEVEL_FIELDS = ("physical_consistency_overall", "psychological_consistency_overall", "overall_evaluation")
OWN_FIELDS = {"findings", "confidentiality", *LEVEL_FIELDS}
PHYSICAL_SECTION = "Physical examination"
LEVEL_NOTE = N_("These levels are the clinician's judgement of the evidence as a whole. kkdesk never derives them "
                "from the findings: it is the overall evaluation of all clinical findings, not the consistency of "
                "one finding, that is important (Istanbul Protocol, para. 383).")


def _rank(level: str | None) -> int:
    return CONFIDENTIALITY_ORDER.index(level) if level in CONFIDENTIALITY_ORDER else -1


class LevelChoice(QWidget):
    """A consistency level as a plain choice, with the IP definition of the chosen level."""

    def __init__(self, fw, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fw = fw
        self.definition = QLabel(self)
        self.definition.setWordWrap(True)
        self.definition.setStyleSheet("color: #444; font-style: italic;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(fw.widget)
        layout.addWidget(self.definition)
        fw.changed.connect(lambda *a: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        self.definition.setText(definition(self.fw.value()))


class MedicalEditor(SpecialEditor):
    """Editor window of one medical examination (new when `record_id` is None)."""

    CLOSE_TITLE = N_("Close examination")
    CLOSE_TEXT = N_("Save this examination before closing? Saving makes a new revision.")

    def __init__(self, ctx, record_id: str | None = None, draft_key: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, KIND, record_id, draft_key, parent)
        from kkdesk.ui.editors.forms import RecordForm
        from kkdesk.ui.fields.factory import make_field_widget

        self._confidentiality = "restricted"
        self._lowering_confirmed = False

        everything = {f.name for f in schema.MEDICAL.fields}
        self.forms: list[Any] = []
        self.pages = QStackedWidget(self)
        self.nav = QListWidget(self)
        self.nav.setMaximumWidth(260)
        self.nav.setMinimumWidth(170)
        self.nav.setWordWrap(True)
        self.nav.currentRowChanged.connect(self._page_changed)
        self.nav_label = QLabel(self)
        self.nav_label.setBuddy(self.nav)
        self.section_titles: list[str] = []

        # level fields (own widgets), confidentiality (own widget, guarded)
        self.levels: dict[str, LevelChoice] = {}
        self.level_fields: dict[str, Any] = {}
        for name in LEVEL_FIELDS:
            fw = make_field_widget(ctx, KIND, schema.MEDICAL.field(name), self)
            fw.changed.connect(self._edited)
            self.level_fields[name] = fw
            self.levels[name] = LevelChoice(fw)
        self.confidentiality = make_field_widget(ctx, KIND, schema.MEDICAL.field("confidentiality"), self)
        self.confidentiality.changed.connect(self._confidentiality_changed)
        combo = self.confidentiality.primary
        # as wide as its longest level: the levels differ in their parentheses ("only the named persons")
        combo.setSizeAdjustPolicy(combo.SizeAdjustPolicy.AdjustToContents)
        self.confidentiality.label.setWordWrap(False)
        self.findings = FindingsPanel(ctx, self)
        self.findings.changed.connect(self._edited)
        self.level_notes: list[QLabel] = []

        for title, names in L.sections(KIND):
            shown = [n for n in names if n not in OWN_FIELDS]
            levels_here = [n for n in names if n in LEVEL_FIELDS]
            page = QWidget()
            page_layout = QVBoxLayout(page)
            page_layout.setContentsMargins(4, 4, 4, 4)
            form = None
            if shown:
                form = RecordForm(ctx, KIND, exclude=sorted(everything - set(shown)))
                sig = getattr(form, "changed", None)
                if sig is not None:
                    sig.connect(self._edited)
                self.forms.append(form)
            if "findings" in names:
                split = QSplitter(Qt.Orientation.Vertical, page)
                split.addWidget(self.findings)
                if form is not None:
                    split.addWidget(form)
                split.setStretchFactor(0, 5)
                split.setStretchFactor(1, 1)
                split.setChildrenCollapsible(False)
                page_layout.addWidget(split, 1)
                self.physical_page = page
            else:
                if levels_here:
                    box = QGroupBox(page)
                    box_form = QFormLayout(box)
                    box_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
                    for name in levels_here:
                        box_form.addRow(self.level_fields[name].label, self.levels[name])
                    note = QLabel(box)
                    note.setWordWrap(True)
                    box_form.addRow(note)
                    self.level_notes.append(note)
                    page_layout.addWidget(box)
                if form is not None:
                    page_layout.addWidget(form, 1)  # a RecordForm scrolls by itself
                else:
                    page_layout.addStretch(1)
            self.pages.addWidget(page)
            self.section_titles.append(title)
            self.nav.addItem("")

        # attachments (photos of the findings, documents) once the record is saved
        self._build_actions()
        self.pages.addWidget(self.attachments_page)
        self.nav.addItem("")

        # top and bottom bars
        self.title = QLabel(self)
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.title.setFont(font)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.confidentiality.label)
        top.addWidget(self.confidentiality.widget)
        bottom = self._build_bars()
        nav_box = QWidget(self)
        nav_layout = QVBoxLayout(nav_box)
        nav_layout.setContentsMargins(0, 0, 0, 0)
        nav_layout.addWidget(self.nav_label)
        nav_layout.addWidget(self.nav, 1)
        body = QSplitter(Qt.Orientation.Horizontal, self)
        body.addWidget(nav_box)
        body.addWidget(self.pages)
        body.setStretchFactor(1, 1)
        body.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addWidget(self.banner)
        layout.addLayout(top)
        layout.addWidget(body, 1)
        layout.addLayout(bottom)

        self._start_editing()
        self.retranslate()
        fit_size(self, 1366, 740)
        self.load()
        self.nav.setCurrentRow(0)
        self.offer_drafts()

    @staticmethod
    def _scrolled(widget: QWidget) -> QScrollArea:
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setWidget(widget)
        return area

    def retranslate(self, *args) -> None:
        kind = _(L.kind_label(KIND))
        title = f"{kind} {self.record_no}" if self.record_no else _("New medical examination")
        self.setWindowTitle(title)
        self.title.setText(title)
        self.setAccessibleName(kind)
        self.nav_label.setText(_("&Sections"))
        self.nav.setAccessibleName(_("Sections"))
        for i, t in enumerate(self.section_titles):
            self.nav.item(i).setText(_(t))
        self.nav.item(len(self.section_titles)).setText(_("Attachments"))
        self._retranslate_actions()
        for fw in list(self.level_fields.values()) + [self.confidentiality]:
            fw.retranslate()
        for choice in self.levels.values():
            choice.refresh()
        for note in self.level_notes:
            note.setText(_(LEVEL_NOTE))
        for form in self.forms:
            form.retranslate()
        self.findings.retranslate()
        self.banner.retranslate()
        self.save_button.setText(_("&Save (Ctrl+S)"))
        self.close_button.setText(_("Close"))

    def show_section(self, title: str) -> None:
        if title in self.section_titles:
            self.nav.setCurrentRow(self.section_titles.index(title))

    def _page_changed(self, row: int) -> None:
        self.pages.setCurrentIndex(row)
        if 0 <= row < len(self.section_titles) and self.section_titles[row] == PHYSICAL_SECTION:
            self.findings.set_methods(self._form_values().get("alleged_methods") or [])

    # --- content --------------------------------------------------------------------------------------
    def _form_values(self) -> dict:
        out: dict = {}
        for form in self.forms:
            out.update(form.values())
        return out

    def content(self) -> dict:
        shown = set(self.level_fields) | {"confidentiality", "findings", "id", "record_no"}
        for form in self.forms:
            shown |= set(form.fields)
        out = {k: v for k, v in self._base.items() if k not in shown}  # a cleared field stays cleared
        out.update(self._form_values())
        for name, fw in self.level_fields.items():
            out[name] = fw.value()
        out["confidentiality"] = self.confidentiality.value()
        out["findings"] = self.findings.findings()
        return {k: v for k, v in out.items() if v is not None and v != "" and v != []}

    def set_content(self, content: dict) -> None:
        self._loading = True
        try:
            for form in self.forms:
                form.set_values(content)
            for name, fw in self.level_fields.items():
                fw.set_value(content.get(name))
            for choice in self.levels.values():
                choice.refresh()
            self._confidentiality = content.get("confidentiality") or "restricted"
            self.confidentiality.set_value(self._confidentiality)
            self.findings.set_findings(content.get("findings") or [])
            self.findings.set_methods(content.get("alleged_methods") or [])
        finally:
            self._loading = False

    def load(self) -> None:
        if self.record_id:
            from kkdesk.records import get

            with self.ctx.store.session() as s:
                view = get(s, self.record_id, kind=KIND)
            self.record_id, self.record_no, content = view.id, view.record_no, dict(view.content)
            self._base_heads, conflict = view.heads, view.conflict
            self._seen_heads = view.heads
        else:
            content, conflict = {"confidentiality": schema.MEDICAL.default_confidentiality}, False
        self._base = content
        self.set_content(content)
        self._dirty = self._draft_dirty = False
        self.retranslate()
        if conflict:
            from kkdesk.ui.editors.editing import IN_CONFLICT

            self._set_status(_(IN_CONFLICT), error=True)

    def _edited(self, *args) -> None:
        if not self._loading:
            self._dirty = self._draft_dirty = True

    # --- confidentiality (SPEC §7 rule 6) ------------------------------------------------------------
    def _confidentiality_changed(self, *args) -> None:
        if self._loading:
            return
        new = self.confidentiality.value()
        if _rank(new) < _rank("restricted") and _rank(self._confidentiality) >= _rank("restricted") \
                and not self.confirm_lowering(new):
            self._loading = True
            self.confidentiality.set_value(self._confidentiality)
            self._loading = False
            return
        self._confidentiality = new
        self._edited()

    def confirm_lowering(self, level: str | None) -> bool:
        from kkdesk.ui.common.messages import confirm
        from kkdesk.vocab import vocabularies

        label = vocabularies().label("confidentiality", level, self.ctx.ui_lang) if level else _("none")
        ok = confirm(self, _("Lower confidentiality"),
                     _("Medical examinations are restricted by default. Lower the confidentiality of this "
                       "examination to “%(level)s”?") % {"level": label},
                     _("&Lower confidentiality"),
                     _("Only a supervisor should decide this: the record may then be shared more widely."))
        self._lowering_confirmed = self._lowering_confirmed or ok
        return ok

    # --- drafts -----------------------------------------------------------------------------------------
    def draft_label(self, draft) -> str:
        n = len(((draft.payload or {}).get("content") or {}).get("findings") or ())
        when = local_stamp(draft.updated_at, self.ctx.ui_lang)
        return _("%(when)s — %(notes)s") % {"when": when, "notes": ngettext("%(n)d finding", "%(n)d findings", n) % {"n": n}}

    # --- saving -------------------------------------------------------------------------------------------
    def _may_save(self, fields: dict) -> bool:
        level = fields.get("confidentiality")
        was = self._base.get("confidentiality") or "restricted"
        return not (_rank(level) < _rank("restricted") <= _rank(was) and not self._lowering_confirmed
                    and not self.confirm_lowering(level))

    def _after_save(self, result) -> None:
        self._lowering_confirmed = False
        self.retranslate()

    def show_problems(self, errors: list, warnings: list) -> None:
        """Problems next to their fields: in the section forms, the level choices and the findings."""
        from kkdesk.ui.editors.forms import split_path
        from kkdesk.ui.fields.fieldbase import problem_message

        for form in self.forms:
            mine = lambda ps, f=form: [p for p in ps if split_path(p.path)[0] in f.fields]
            form.show_problems(mine(errors), mine(warnings))
        own: dict[str, tuple[str, str]] = {}
        per_finding: dict[int, dict[str, tuple[str, str]]] = {}
        for severity, problems in (("error", errors), ("warning", warnings)):
            for p in problems:
                name, index, rest = split_path(p.path)
                if name == "findings" and index is not None:
                    per_finding.setdefault(index, {}).setdefault(split_path(rest)[0], (problem_message(p), severity))
                else:
                    own.setdefault(name, (problem_message(p), severity))
        for name, fw in list(self.level_fields.items()) + [("confidentiality", self.confidentiality)]:
            text, severity = own.get(name, (None, "error"))
            fw.set_problem(text, severity)
        self.findings.show_problems(per_finding)
        self.status.setToolTip("\n".join(p.text() for p in list(errors) + list(warnings)))
