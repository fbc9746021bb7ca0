"""The medical examination editor (Istanbul Protocol annex IV, SPEC §3.9, §5).

One page per annex IV block (from `labels.sections("medical")`, plain fields through
the generic `RecordForm`); the physical examination page holds the body diagram and
the findings table. Consistency levels — per finding, physical, psychological and
the overall evaluation — are the clinician's choices with the IP definition shown;
nothing is computed (SPEC §5.2). Confidentiality defaults to `restricted` and is
lowered only after an explicit confirmation (SPEC §7 rule 6)."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kkdesk import labels as L
from kkdesk import schema
from kkdesk.i18n import N_, _, ngettext
from kkdesk.ui.findings import FindingsPanel, definition
from kkdesk.ui.hearing import DraftBanner, RecordActions, local_stamp

KIND = "medical"
AUTOSAVE_MS = 3000
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


class MedicalEditor(RecordActions, QWidget):
    """Editor window of one medical examination (new when `record_id` is None)."""

    saved = Signal(str)

    def __init__(self, ctx, record_id: str | None = None, draft_key: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from kkdesk.ui.fields import make_field_widget
        from kkdesk.ui.forms import RecordForm

        self.ctx = ctx
        self.kind = KIND
        self.record_id = record_id
        self.record_no: str | None = None
        self.draft_key = draft_key or (f"{KIND}:{record_id}" if record_id else f"{KIND}:new:{uuid.uuid4()}")
        self._draft_given = draft_key is not None
        self._dirty = self._draft_dirty = False
        self._loading = False
        self._closing_ok = False
        self._base: dict = {}
        self._confidentiality = "restricted"
        self._lowering_confirmed = False
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setObjectName("medical_editor")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

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
        combo.setSizeAdjustPolicy(combo.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(34)
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
        self.banner = DraftBanner(self)
        self.banner.resume_requested.connect(self.resume_draft)
        self.banner.discard_requested.connect(self.discard_draft)
        self.title = QLabel(self)
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.title.setFont(font)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.confidentiality.label)
        top.addWidget(self.confidentiality.widget)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.save_button = QPushButton(self)
        self.save_button.clicked.connect(self.save)
        self.close_button = QPushButton(self)
        self.close_button.clicked.connect(self.close)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.delete_button)
        bottom.addWidget(self.seal_button)
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.close_button)
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

        self._save_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        self._save_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._save_shortcut.activated.connect(self.save)
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setInterval(AUTOSAVE_MS)
        self.autosave_timer.timeout.connect(self.autosave)
        self.autosave_timer.start()
        QApplication.instance().focusChanged.connect(self._focus_changed)
        ctx.about_to_lock.connect(self._about_to_lock)
        ctx.language_changed.connect(self.retranslate)

        self.retranslate()
        self.resize(1366, 740)
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
        else:
            content = {"confidentiality": schema.MEDICAL.default_confidentiality}
        self._base = content
        self.set_content(content)
        self._dirty = self._draft_dirty = False
        self.retranslate()

    def _edited(self, *args) -> None:
        if not self._loading:
            self._dirty = self._draft_dirty = True

    def _set_status(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #b00020;" if error else "")

    def is_dirty(self) -> bool:
        return self._dirty

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
        from kkdesk.ui.messages import confirm
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
    def save_draft_now(self) -> bool:
        if not self._store_open():
            return False
        from kkdesk.drafts import save_draft

        with self.ctx.store.session() as s:
            save_draft(s, self.draft_key, KIND, {"content": self.content(), "record_no": self.record_no},
                       self.record_id)
        self._draft_dirty = False
        return True

    def autosave(self) -> None:
        if not self._draft_dirty or not self._store_open():
            return
        try:
            self.save_draft_now()
        except Exception as exc:  # noqa: BLE001
            self.autosave_timer.stop()
            self.ctx.show_error(self, exc)

    def _about_to_lock(self) -> None:
        if self._draft_dirty:
            self.save_draft_now()
        self._closing_ok = True

    def offer_drafts(self) -> None:
        if not self._store_open():
            return
        if self._draft_given:
            self._draft_given = False
            if self.resume_draft(self.draft_key):
                return
        items = []
        drafts = self.available_drafts()
        if any(d.key == self.draft_key for d in drafts):
            self.draft_key = f"{KIND}:{self.record_id}:{uuid.uuid4().hex[:12]}"  # never autosave over a draft
        for d in drafts:
            n = len(((d.payload or {}).get("content") or {}).get("findings") or ())
            when = local_stamp(d.updated_at, self.ctx.ui_lang)
            items.append((d.key, _("%(when)s — %(notes)s") % {
                "when": when, "notes": ngettext("%(n)d finding", "%(n)d findings", n) % {"n": n}}))
        self.banner.offer(items)

    def resume_draft(self, key: str) -> bool:
        from kkdesk.drafts import load_draft

        if not key or not self._store_open():
            return False
        with self.ctx.store.session() as s:
            draft = load_draft(s, key)
        if draft is None:
            return False
        self.draft_key = draft.key
        self.record_id = draft.record_id or self.record_id
        content = dict(self._base)
        content.update((draft.payload or {}).get("content") or {})
        self.set_content(content)
        self._dirty, self._draft_dirty = True, False
        self.banner.hide()
        self.status.setText(_("Draft resumed."))
        return True

    # --- saving -------------------------------------------------------------------------------------------
    def save(self) -> bool:
        from kkdesk.drafts import delete_draft
        from kkdesk.errors import ValidationError
        from kkdesk.interchange import save

        if not self._store_open():
            return False
        fields = self.content()
        level = fields.get("confidentiality")
        was = self._base.get("confidentiality") or "restricted"
        if _rank(level) < _rank("restricted") <= _rank(was) and not self._lowering_confirmed \
                and not self.confirm_lowering(level):
            return False
        try:
            with self.ctx.store.session() as s:
                result = save(s, self.ctx.author(), KIND, fields, self.record_id, default_language=self.ctx.ui_lang)
                delete_draft(s, self.draft_key)
        except ValidationError as exc:
            self.show_problems(exc.problems, [])
            self.status.setText(exc.user_message())
            self.status.setStyleSheet("color: #b00020;")
            return False
        except Exception as exc:  # noqa: BLE001
            self.ctx.show_error(self, exc)
            return False
        self.record_id, self.record_no = result.id, result.record_no
        self.draft_key = f"{KIND}:{result.id}"
        self._base = {**fields, "record_no": result.record_no}
        self._dirty = self._draft_dirty = False
        self._lowering_confirmed = False
        self.show_problems([], result.warnings)
        text = _("Saved %(record)s.") % {"record": result.record_no}
        if result.warnings:
            n = len(result.warnings)
            text += " " + ngettext("%(n)d warning (see the fields marked).", "%(n)d warnings (see the fields marked).",
                                   n) % {"n": n}
        self.status.setText(text)
        self.status.setStyleSheet("")
        self.retranslate()
        self.ctx.notify_changed({KIND})
        self.saved.emit(result.id)
        return True

    def show_problems(self, errors: list, warnings: list) -> None:
        """Problems next to their fields: in the section forms, the level choices and the findings."""
        from kkdesk.ui.fields import problem_message
        from kkdesk.ui.forms import split_path

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

    # --- closing -------------------------------------------------------------------------------------------
    def closeEvent(self, event) -> None:
        if self._closing_ok or not self._store_open() or getattr(self.ctx, "locking", False):
            self._shutdown()
            event.accept()
            return
        if self._dirty:
            box = QMessageBox(QMessageBox.Icon.Question, _("Close examination"),
                              _("Save this examination before closing? Saving makes a new revision."),
                              QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                              | QMessageBox.StandardButton.Cancel, self)
            box.setDefaultButton(QMessageBox.StandardButton.Save)
            answer = box.exec()
            if answer == QMessageBox.StandardButton.Cancel:
                event.ignore()
                return
            if answer == QMessageBox.StandardButton.Save and not self.save():
                event.ignore()
                return
            if answer == QMessageBox.StandardButton.Discard:
                from kkdesk.drafts import delete_draft

                with self.ctx.store.session() as s:
                    delete_draft(s, self.draft_key)
        self._shutdown()
        event.accept()
