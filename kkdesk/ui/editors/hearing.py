"""Hearing mode: the window a monitor keeps open in the courtroom.

A header strip with the key facts, a large notes area (Ctrl+Enter stamps the time
and commits the note to the encrypted draft table at once — that is what survives a
crash or a kill), the fair-trial checklist, the outcome, the participants and the
remaining fields. Other typing is autosaved to the draft every few seconds and on
focus change; a revision is made only by Save (Ctrl+S) or when the hearing is closed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from kkdesk import clock, schema
from kkdesk import labels as L
from kkdesk.i18n import N_, _, ngettext
from kkdesk.ui.editors.checklist import ChecklistWidget
from kkdesk.ui.editors.editing import local_stamp
from kkdesk.ui.editors.notes import NotesArea
from kkdesk.ui.editors.specialeditor import SpecialEditor
from kkdesk.ui.common.screenfit import fit_size

KIND = "hearing"
DEFAULT_OFFSET = dt.timedelta(hours=5)   # Kazakhstan (one zone since 1 March 2024)

HEADER_FIELDS = ("case", "court", "instance", "stage", "hearing_format", "observer_access",
                 "scheduled_start", "actual_start", "actual_end", "monitors")
OUTCOME_FIELDS = ("outcome", "next_hearing_at", "proceedings_summary")
CONTEXT_FIELDS = ("case", "hearing_format", "observer_access", "outcome")  # decide the checklist's pre-sets


def all_fields(kind: str) -> list[str]:
    return [f.name for f in schema.TOP_LEVEL[kind].fields]


def problem_field(path: str) -> str:
    """'participants[0].role' -> 'participants'; 'case' -> 'case'."""
    head = path.lstrip(".").split(".", 1)[0]
    return head.split("[", 1)[0]


def offset_of(value: Any) -> dt.timedelta | None:
    if not isinstance(value, str) or "T" not in value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)  # Python 3.11 reads "Z" too
    except ValueError:
        return None
    return parsed.utcoffset()


def draft_summary(ctx, draft) -> str:
    """'10 June 2024, 10:42 (UTC+05:00) — 7 notes' for a draft list."""
    payload = draft.payload or {}
    n = len((payload.get("content") or {}).get("notes") or ())
    when = local_stamp(draft.updated_at, ctx.ui_lang)
    return _("%(when)s — %(notes)s") % {"when": when, "notes": ngettext("%(n)d note", "%(n)d notes", n) % {"n": n}}


class CourtDialog(QDialog):
    """Create a court without leaving the hearing."""

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from kkdesk.ui.editors.forms import RecordForm

        self.ctx = ctx
        self.court_id: str | None = None
        self.form = RecordForm(ctx, "court", parent=self)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.buttons)
        self.setWindowTitle(_("New court"))
        fit_size(self, 560, 520)

    def save(self) -> None:
        from kkdesk.errors import ValidationError
        from kkdesk.interchange import save

        try:
            with self.ctx.store.session() as s:
                result = save(s, self.ctx.author(), "court", self.form.values(), None, default_language=self.ctx.ui_lang)
        except ValidationError as exc:
            self.form.show_problems(exc.problems, [])
            return
        except Exception as exc:  # noqa: BLE001 — presented, never swallowed
            self.ctx.show_error(self, exc)
            return
        self.court_id = result.id
        self.ctx.notify_changed({"court"})
        self.accept()


class HearingEditor(SpecialEditor):
    """Hearing mode for one hearing observation (new when `record_id` is None)."""

    CLOSE_TITLE = N_("Close hearing")
    CLOSE_TEXT = N_("Save this hearing before closing? Saving makes a new revision.")

    def __init__(self, ctx, record_id: str | None = None, draft_key: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, KIND, record_id, draft_key, parent)
        from kkdesk.ui.editors.forms import RecordForm
        from kkdesk.ui.fields.factory import make_field_widget

        self._procedure: str | None = None
        self._warnings: list[str] = []

        # header strip ------------------------------------------------------------------------
        self.fields: dict[str, Any] = {}
        for name in HEADER_FIELDS + OUTCOME_FIELDS:
            fw = make_field_widget(ctx, KIND, schema.HEARING.field(name), self)
            fw.changed.connect(lambda *a, n=name: self._field_changed(n))
            self.fields[name] = fw
        self.new_court = QToolButton(self)
        self.new_court.clicked.connect(self.create_court)
        header = QFrame(self)
        header.setObjectName("hearingHeader")
        header.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(header)
        grid.setContentsMargins(6, 4, 6, 4)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(3)
        court_box = QWidget(header)
        court_layout = QHBoxLayout(court_box)
        court_layout.setContentsMargins(0, 0, 0, 0)
        court_layout.addWidget(self.fields["court"].widget, 1)
        court_layout.addWidget(self.new_court, 0, Qt.AlignmentFlag.AlignTop)
        # labels above their inputs: four columns fit a 1366-pixel screen
        def cell(name: str, widget: QWidget | None = None) -> QWidget:
            box = QWidget(header)
            lay = QVBoxLayout(box)
            lay.setContentsMargins(0, 0, 0, 0)
            lay.setSpacing(1)
            lay.addWidget(self.fields[name].label)
            lay.addWidget(widget or self.fields[name].widget)
            lay.addStretch(1)
            return box

        grid.addWidget(cell("case"), 0, 0, 1, 2)
        grid.addWidget(cell("court", court_box), 0, 2, 1, 2)
        for r, names in enumerate((("instance", "stage", "hearing_format", "observer_access"),
                                   ("scheduled_start", "actual_start", "actual_end", "monitors")), start=1):
            for c, name in enumerate(names):
                grid.addWidget(cell(name), r, c)
        for c in range(4):
            grid.setColumnStretch(c, 1)
        for name in HEADER_FIELDS:
            fw = self.fields[name]
            combo = fw.primary
            if isinstance(combo, QComboBox):  # long vocabulary labels must not widen the strip
                combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
                combo.setMinimumContentsLength(10)
            if hasattr(fw, "preview"):
                fw.preview.hide()  # the date is shown in full in the record view; the strip stays compact
            if hasattr(fw, "offset_label"):
                fw.offset_label.hide()  # the offset box reads "UTC+05:00" by itself
        monitors = self.fields["monitors"].primary
        monitors.setFixedHeight(monitors.fontMetrics().lineSpacing() * 2 + 12)
        for fw in self.fields.values():
            if hasattr(fw, "date_edit"):  # a squeezed row must not cut the date or the time
                fm = fw.date_edit.fontMetrics()
                fw.date_edit.setMinimumWidth(fm.horizontalAdvance("0000-00-00") + 14)
                fw.time_edit.setMinimumWidth(fm.horizontalAdvance("00:00") + 14)
                fw.preview.setWordWrap(True)
        summary = self.fields["proceedings_summary"].primary
        summary.setFixedHeight(summary.fontMetrics().lineSpacing() * 14 + 14)  # the monitor's account
        for name in ("scheduled_start", "actual_start", "actual_end", "next_hearing_at"):
            self.fields[name].region_hint = self._court_region
        self.header = header

        # notes -----------------------------------------------------------------------------------
        self.notes = NotesArea(self.stamp_time, self)
        self.notes.stamped.connect(self._note_stamped)
        self.notes.edited.connect(self._edited)

        # right side: checklist, outcome, participants, more --------------------------------------
        self.checklist = ChecklistWidget(self)
        self.checklist.changed.connect(self._edited)
        outcome = QWidget(self)
        outcome_form = QFormLayout(outcome)
        outcome_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for name in OUTCOME_FIELDS:
            outcome_form.addRow(self.fields[name].label, self.fields[name].widget)
        placed = set(HEADER_FIELDS) | set(OUTCOME_FIELDS) | {"notes", "checklist"}
        everything = set(all_fields(KIND))
        self.participants = RecordForm(ctx, KIND, exclude=sorted(everything - {"participants"}))
        self.more = RecordForm(ctx, KIND, exclude=sorted(placed | {"participants"}))
        for form in (self.participants, self.more):
            self._connect_form(form)
        self._build_actions()
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.checklist, "")
        self.tabs.addTab(self._scrolled(outcome), "")
        self.tabs.addTab(self.participants, "")
        self.tabs.addTab(self.more, "")
        self.tabs.addTab(self.attachments_page, "")

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.notes)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 6)
        self.splitter.setChildrenCollapsible(False)

        bottom = self._build_bars()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addWidget(self.banner)
        layout.addWidget(header)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(bottom)
        self._start_editing()

        self.retranslate()
        fit_size(self, 1366, 740)
        self.load()
        self.offer_drafts()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not getattr(self, "_sized", False):
            self._sized = True
            total = max(self.splitter.width(), 600)
            self.splitter.setSizes([int(total * 0.44), total - int(total * 0.44)])  # the notes are the main work

    @staticmethod
    def _scrolled(widget: QWidget) -> QScrollArea:
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setWidget(widget)
        return area

    def _connect_form(self, form) -> None:
        sig = getattr(form, "changed", None)
        if sig is not None:
            sig.connect(self._edited)

    # --- text ------------------------------------------------------------------------------------------
    def _update_title(self) -> None:
        title = _(L.kind_label(KIND))
        if self.record_no:
            title = f"{title} {self.record_no}"
        self.setWindowTitle(_("Hearing mode — %(title)s") % {"title": title})
        self._sync_actions()

    def retranslate(self, *args) -> None:
        self._update_title()
        self.setAccessibleName(_("Hearing mode"))
        for fw in self.fields.values():
            fw.retranslate()
        self.new_court.setText(_("New court…"))
        self.new_court.setToolTip(_("Create a court that is not in the list yet"))
        self.new_court.setAccessibleName(_("New court"))
        self.tabs.setTabText(0, _("Fair-trial checklist"))
        self.tabs.setTabText(1, _("Outcome"))
        self.tabs.setTabText(2, _("Participants"))
        self.tabs.setTabText(3, _("More details"))
        self.tabs.setTabText(4, _("Attachments"))
        self._retranslate_actions()
        self.save_button.setText(_("&Save (Ctrl+S)"))
        self.close_button.setText(_("Close"))
        self.notes.retranslate()
        self.checklist.retranslate()
        self.participants.retranslate()
        self.more.retranslate()
        self.banner.retranslate()

    # --- content ------------------------------------------------------------------------------------
    def content(self) -> dict:
        """The hearing in interchange form, as the widgets show it."""
        shown = set(self.fields) | {"notes", "checklist", "id", "record_no"}
        for form in (self.participants, self.more):
            shown |= set(form.fields)
        # fields no widget shows are kept from the loaded revision; a cleared field stays cleared
        out = {k: v for k, v in self._base.items() if k not in shown}
        for form in (self.participants, self.more):
            out.update(form.values())
        for name, fw in self.fields.items():
            out[name] = fw.value()
        out["notes"] = self.notes.notes()
        out["checklist"] = self.checklist.answers()
        return {k: v for k, v in out.items() if v is not None and v != "" and v != [] and v != {}}

    def set_content(self, content: dict) -> None:
        self._loading = True
        try:
            for name, fw in self.fields.items():
                fw.set_value(content.get(name))
            for form in (self.participants, self.more):
                form.set_values(content)
            self.notes.set_notes(content.get("notes") or [])
            self._update_procedure(content.get("case"))
            self.checklist.set_context(content, self._procedure)
            self.checklist.set_answers(content.get("checklist") or {})
        finally:
            self._loading = False

    def load(self) -> None:
        """The stored revision (or the defaults of a new hearing)."""
        if self.record_id:
            from kkdesk.records import get

            with self.ctx.store.session() as s:
                view = get(s, self.record_id, kind=KIND)
                self.record_id = view.id
                content = dict(view.content)
                self.record_no = view.record_no
                self._base_heads = self._seen_heads = view.heads
                conflict = view.conflict
        else:
            conflict = False
            content = {}
            for form in (self.participants, self.more):
                content.update(form.values())  # the kind's defaults (confidentiality, language of entry…)
            name = self.ctx.store.name
            if name:
                content["monitors"] = [name]
        self._base = content
        self.set_content(content)
        self._dirty = self._draft_dirty = False
        self._update_title()
        if conflict:
            from kkdesk.ui.editors.editing import IN_CONFLICT

            self._set_status(_(IN_CONFLICT), error=True)
        else:
            self._set_status(_("Opened."))

    # --- time ---------------------------------------------------------------------------------------
    def local_offset(self) -> dt.timedelta:
        for name in ("actual_start", "scheduled_start", "actual_end"):
            off = offset_of(self.fields[name].value())
            if off is not None:
                return off
        return DEFAULT_OFFSET

    def stamp_time(self) -> str:
        return clock.now().astimezone(dt.timezone(self.local_offset())).strftime("%H:%M")

    # --- changes --------------------------------------------------------------------------------------
    def _edited(self, *args) -> None:
        if self._loading:
            return
        self._dirty = self._draft_dirty = True

    def _field_changed(self, name: str) -> None:
        if self._loading:
            return
        self._edited()
        if name == "case":
            self._update_procedure(self.fields["case"].value())
        if name in CONTEXT_FIELDS:
            self.checklist.set_context({n: self.fields[n].value() for n in CONTEXT_FIELDS}, self._procedure)

    def _court_region(self) -> str | None:
        """The court's region: the default UTC offset of dates before March 2024 depends on it."""
        court = self.fields["court"].value() if hasattr(self, "fields") and "court" in self.fields else None
        if not court or not self._store_open():
            return None
        from kkdesk.errors import KkdeskError
        from kkdesk.records import get

        try:
            with self.ctx.store.session() as s:
                return get(s, court, kind="court").content.get("region")
        except KkdeskError:
            return None

    def _update_procedure(self, case_id: str | None) -> None:
        self._procedure = None
        if not case_id or not self._store_open():
            return
        from kkdesk.errors import KkdeskError
        from kkdesk.records import get

        try:
            with self.ctx.store.session() as s:
                self._procedure = get(s, case_id, kind="case").content.get("procedure_type")
        except KkdeskError:
            self._procedure = None

    # --- drafts ---------------------------------------------------------------------------------------
    def _has_pending(self) -> bool:
        return bool(self.notes.pending_text().strip())

    def draft_payload(self) -> dict:
        return {"content": self.content(), "pending_note": self.notes.pending_text(),
                "pending_checklist_notes": self.checklist.pending_notes(), "record_no": self.record_no}

    def draft_label(self, draft) -> str:
        return draft_summary(self.ctx, draft)

    def _note_stamped(self, note: dict) -> None:
        self._dirty = True
        try:
            self.save_draft_now()
        except Exception as exc:  # noqa: BLE001 — the monitor must learn at once that notes are not kept
            self.ctx.show_error(self, exc)
            return
        self._set_status(_("Note stamped at %(time)s and saved as a draft.") % {"time": note["time"]})

    def _autosaved(self) -> None:
        self._set_status(_("Draft saved at %(time)s.") % {"time": self.stamp_time()})

    def _draft_applied(self, payload: dict, content: dict) -> None:
        self.checklist.set_answers(content.get("checklist") or {}, payload.get("pending_checklist_notes"))
        self.notes.set_pending_text(payload.get("pending_note") or "")
        n = len(content.get("notes") or ())
        self._set_status(ngettext("Draft resumed: %(n)d note.", "Draft resumed: %(n)d notes.", n) % {"n": n})

    # --- saving ----------------------------------------------------------------------------------------
    def _save_refused(self, exc) -> None:
        self._set_status(exc.user_message() + " " + _("Your notes are kept in the draft."), error=True)
        self.save_draft_now()

    def _after_save(self, result) -> None:
        self._update_title()

    def _before_close_save(self) -> None:
        if self.notes.pending_text().strip():
            self.notes.stamp()

    def show_problems(self, errors: list, warnings: list) -> None:
        """Each problem next to its field: header and outcome here, the rest in the forms."""
        from kkdesk.ui.fields.fieldbase import problem_message

        by_field: dict[str, tuple[str, str]] = {}
        for severity, problems in (("error", errors), ("warning", warnings)):
            for p in problems:
                name = problem_field(p.path)
                if name in self.fields and name not in by_field:
                    by_field[name] = (problem_message(p), severity)
        for name, fw in self.fields.items():
            text, severity = by_field.get(name, (None, "error"))
            fw.set_problem(text, severity)
        for form in (self.participants, self.more):
            mine = lambda ps, f=form: [p for p in ps if problem_field(p.path) in f.fields]
            form.show_problems(mine(errors), mine(warnings))
        self._warnings = [p.text() for p in list(errors) + list(warnings)]
        self.status.setToolTip("\n".join(self._warnings))

    # --- court -------------------------------------------------------------------------------------
    def create_court(self) -> str | None:
        dlg = CourtDialog(self.ctx, self)
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.court_id:
            self.fields["court"].set_value(dlg.court_id)
            self._field_changed("court")
            return dlg.court_id
        return None
