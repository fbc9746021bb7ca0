"""Editor windows: the record form with Save, Delete, Seal and Attachments, autosaved
drafts, and `open_editor` which picks the right editor for a kind.

Saving goes through `kkdesk.interchange.save` (errors inline next to their fields,
warnings shown but never blocking). Unsaved text is kept as an encrypted draft
(`kkdesk.drafts`) every few seconds, when the focus moves and when the store is about
to lock; a saved record's draft is deleted. Opening a record (or a new form) for
which a draft exists offers to resume it."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from PySide6.QtCore import QRect, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (QApplication, QHBoxLayout, QLabel, QListView, QListWidget, QListWidgetItem,
                               QMessageBox, QPushButton, QSplitter, QStyleOptionViewItem, QVBoxLayout,
                               QWidget)

from kkdesk import labels, schema as S
from kkdesk.errors import InputError, KkdeskError, Problem, StorageError, StoreBusyError, ValidationError
from kkdesk.i18n import N_, _
from kkdesk.ui.editors.editing import (CHANGED_WHILE_EDITING, CONFLICT_SAVED, IN_CONFLICT, delete_with_draft,
                                      draft_base, local_stamp, seal_confirmed)
from kkdesk.ui.editors.forms import RecordForm, describe_path
from kkdesk.ui.common.screenfit import fit_size
from kkdesk.ui.fields.fieldbase import ERROR_COLOUR, problem_message

AUTOSAVE_MS = 4000
DRAFT_FORMAT = "record-form-1"
PATH_ROLE = Qt.ItemDataRole.UserRole + 1
WARNING_LINES = 10  # the warnings box grows to this many lines of text, then scrolls

_open_editors: list[QWidget] = []


def _alive(widget: QWidget) -> bool:
    try:
        import shiboken6

        return shiboken6.isValid(widget)
    except ImportError:  # pragma: no cover - shiboken6 ships with PySide6
        return True


_DOC_PATH = re.compile(r"^(?:%s)\[\d+\](?:\.sources\[\d+\])?\.?" % "|".join(S.DOCUMENT_LISTS))


SAVED_DUPLICATE = N_("Saved. Possible duplicate of %(nos)s (Tools › Find duplicates).")


def possible_duplicates(session, kind: str, record_id: str) -> list[str]:
    """Record numbers of possible duplicates of the saved record (SPEC §7.11)."""
    from kkdesk.duplicates import warnings_for

    return [w.params["no"] for w in warnings_for(session, kind, record_id)]


def stored_problems(warnings: list[dict]) -> list[Problem]:
    """The warnings a record was saved with (RecordView.warnings) as Problems; paths of
    imported records ('threats[2].acts[0].case') are made relative to the record."""
    out = []
    for w in warnings or ():
        if isinstance(w, dict) and w.get("message"):
            path = _DOC_PATH.sub("", w.get("path") or "", count=1)
            out.append(Problem(path, w["message"], **(w.get("params") or {})))
    return out


class WarningsList(QListWidget):
    """The saved record's warnings, each wrapped to the list's width and the list as tall
    as its wrapped lines (up to WARNING_LINES lines; more scroll): a long warning in
    Kazakh or Russian on a 1366-wide screen is read whole, never cut at the box's edge."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setUniformItemSizes(False)
        self.setResizeMode(QListView.ResizeMode.Adjust)  # rewrapped when the width changes
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self._fitted_width = -1

    def item_heights(self, text_width: int) -> list[int]:
        """Each item's height wrapped to `text_width` (the viewport's width), as the
        list's delegate paints it."""
        heights = []
        for i in range(self.count()):
            option = QStyleOptionViewItem()
            self.initViewItemOption(option)
            option.rect = QRect(0, 0, max(text_width, 1), option.fontMetrics.height())
            heights.append(self.itemDelegate().sizeHint(option, self.indexFromItem(self.item(i))).height())
        return heights

    def fit_height(self) -> None:
        frame = 2 * self.frameWidth()
        width = self.width() - frame
        line = self.fontMetrics().lineSpacing()
        most = WARNING_LINES * line
        total = sum(self.item_heights(width))
        total = min(total, most)  # past that the list scrolls (Qt rewraps beside the scroll bar)
        self.setFixedHeight(max(total, line) + frame + 2)
        self._fitted_width = self.width()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if event.size().width() != self._fitted_width:
            self.fit_height()


class RecordEditor(QWidget):
    """The window for one record of any kind (hearing and medical have their own)."""

    saved = Signal(str, str)    # kind, record id
    deleted = Signal(str, str)

    def __init__(self, ctx, kind: str, record_id: str | None = None, draft_key: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        if kind not in S.TOP_LEVEL:
            raise InputError(N_("Unknown record kind: %(kind)s"), kind=kind)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setObjectName(f"editor_{kind}")
        self.ctx = ctx
        self.kind = kind
        self.record_id = record_id
        self.view = None  # kkdesk.records.RecordView of the saved record
        self._base_heads: list[str] | None = None  # the versions the form's text was made on
        self._last_save = ""  # the status of the last save ("conflict": said again on closing)
        self.draft_key = draft_key or (f"{kind}:{record_id}" if record_id else f"{kind}:new-{uuid.uuid4().hex[:12]}")
        self._explicit_draft = draft_key is not None
        self._baseline: dict = {}
        self._last_draft: str | None = None
        self._draft_exists = False
        self._offered = False
        self._closing = False
        self._status: tuple[str, str] | None = None  # (msgid, kind) for retranslate
        self._status_params: dict = {}
        self.attachments_panel = None
        self.close_box: QMessageBox | None = None
        self.draft_box: QMessageBox | None = None

        self.title_label = QLabel()
        font = QFont(self.title_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title_label.setFont(font)
        self.title_label.setObjectName("editor_title")
        self.info_label = QLabel()
        self.info_label.setObjectName("editor_info")
        self.info_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label = QLabel()
        self.status_label.setObjectName("editor_status")
        self.status_label.setWordWrap(True)

        self.form = RecordForm(ctx, kind, record_id=record_id)
        self.form.changed.connect(self._edited)
        self.form.validated.connect(lambda _e, _w: self._update_warnings())

        self.warnings_label = QLabel()
        self.warnings_label.setWordWrap(True)
        self.warnings_list = WarningsList()
        self.warnings_list.setObjectName("warnings_list")
        self.warnings_label.setBuddy(self.warnings_list)
        self.warnings_list.itemActivated.connect(lambda item: self.form.focus_path(item.data(PATH_ROLE)))

        self.save_button = QPushButton()
        self.save_close_button = QPushButton()
        self.seal_button = QPushButton()
        self.delete_button = QPushButton()
        self.attachments_button = QPushButton()
        self.attachments_button.setCheckable(True)
        self.copy_button = QPushButton()  # attachments: their file
        self.close_button = QPushButton()
        for b, name in ((self.save_button, "save"), (self.save_close_button, "save_close"), (self.seal_button, "seal"),
                        (self.delete_button, "delete"), (self.attachments_button, "attachments"),
                        (self.copy_button, "save_copy"), (self.close_button, "close")):
            b.setObjectName(f"button_{name}")
        self.save_button.setDefault(False)
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save)
        self.save_close_button.clicked.connect(self.save_and_close)
        self.seal_button.clicked.connect(self.seal)
        self.delete_button.clicked.connect(self.delete)
        self.attachments_button.toggled.connect(self.show_attachments)
        self.copy_button.clicked.connect(self.save_file_copy)
        self.close_button.clicked.connect(self.close)
        self.copy_button.setVisible(kind == "attachment")
        self.attachments_button.setVisible(kind != "attachment")

        self.save_action = QAction(self)
        self.save_action.setShortcut(QKeySequence.StandardKey.Save)
        self.save_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.save_action.triggered.connect(self.save)
        self.save_close_action = QAction(self)
        self.save_close_action.setShortcut(QKeySequence("Ctrl+Return"))
        self.save_close_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.save_close_action.triggered.connect(self.save_and_close)
        self.close_action = QAction(self)
        self.close_action.setShortcut(QKeySequence.StandardKey.Close)
        self.close_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.close_action.triggered.connect(self.close)
        self.addActions([self.save_action, self.save_close_action, self.close_action])

        header = QVBoxLayout()
        header.addWidget(self.title_label)
        header.addWidget(self.info_label)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.form, 1)
        left_layout.addWidget(self.warnings_label)
        left_layout.addWidget(self.warnings_list)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.setChildrenCollapsible(False)
        buttons = QHBoxLayout()
        for b in (self.save_button, self.save_close_button, self.seal_button, self.delete_button,
                  self.attachments_button, self.copy_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.status_label)
        layout.addLayout(buttons)

        self._autosave = QTimer(self)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self.save_draft)
        self._autosave.start()
        app = QApplication.instance()
        if app is not None:
            app.focusChanged.connect(self._focus_changed)
        ctx.language_changed.connect(self._language_changed)
        ctx.about_to_lock.connect(self._about_to_lock)
        ctx.locked.connect(self._locked)
        ctx.changed.connect(self._changed_elsewhere)

        if record_id:
            self._load()
        else:
            self._baseline = self.form.values()
        self._fit_screen()
        self.retranslate()
        _open_editors.append(self)

    # --- layout and language ---------------------------------------------------------
    def _fit_screen(self) -> None:
        fit_size(self, 1120, 760, minimum=(640, 480))

    def _language_changed(self, _lang: str) -> None:
        if _alive(self):
            self.retranslate()

    def retranslate(self) -> None:
        self._refresh_header()
        self.save_button.setText(_("Save"))
        self.save_button.setToolTip(_("Save a new version (Ctrl+S)"))
        self.save_close_button.setText(_("Save and close"))
        self.save_close_button.setToolTip(_("Save, then close the window (Ctrl+Enter)"))
        self.seal_button.setText(_("Seal…"))
        self.seal_button.setToolTip(_("Sign the saved version with this profile's key"))
        self.delete_button.setText(_("Delete…"))
        self.attachments_button.setText(_("Attachments"))
        self.copy_button.setText(_("Save a copy of the file…"))
        self.close_button.setText(_("Close"))
        self.save_action.setText(_("Save"))
        self.save_close_action.setText(_("Save and close"))
        self.close_action.setText(_("Close"))
        self.warnings_label.setText(_("Warnings (the record is saved but marked incomplete):"))
        self.warnings_list.setAccessibleName(_("Warnings"))
        self.form.retranslate()
        self._update_warnings()
        self._show_status()
        if self.attachments_panel is not None:
            self.attachments_panel.retranslate()

    def _refresh_header(self) -> None:
        kind_name = _(labels.kind_label(self.kind))
        number = self.view.record_no if self.view is not None else None
        title = f"{kind_name} {number}" if number else _("%(kind)s (new record)") % {"kind": kind_name}
        self.title_label.setText(title)
        self.setWindowTitle(f"{title}[*] \u2014 kkdesk")
        self.info_label.setText(self._info_text())
        self.attachments_button.setToolTip(_("Files attached to this record") if self.record_id
                                           else _("Save the record first to attach files."))
        self._update_buttons()

    def _info_text(self) -> str:
        if self.view is None:
            return _("Not saved yet.")
        parts = [_("Version %(rev)s") % {"rev": self.view.head[:8]}]
        try:
            stamp = local_stamp(self.view.updated_at, self.ctx.ui_lang)
            parts.append(_("last saved %(when)s") % {"when": stamp})
        except (ValueError, TypeError):
            pass
        if self.view.sealed:
            parts.append("\U0001f512 " + _("sealed"))
        if self.view.conflict:
            parts.append(_("conflicting versions"))
        if self.view.incomplete:
            parts.append(_("incomplete"))
        return " \u00b7 ".join(parts)

    def _update_buttons(self) -> None:
        saved = self.record_id is not None and self.view is not None and not self.view.deleted
        self.seal_button.setEnabled(saved and not self.view.sealed if saved else False)
        self.delete_button.setEnabled(saved)
        self.attachments_button.setEnabled(saved)
        self.copy_button.setEnabled(saved)

    def _set_status(self, msgid: str | None, level: str = "info", **params: Any) -> None:
        self._status = (msgid, level) if msgid else None
        self._status_params = params
        self._show_status()

    def _show_status(self) -> None:
        if not self._status:
            self.status_label.setText("")
            return
        msgid, level = self._status
        text = _(msgid) % self._status_params if self._status_params else _(msgid)
        if level == "error":
            self.status_label.setStyleSheet(f"color: {ERROR_COLOUR};")
        else:
            self.status_label.setStyleSheet("")
        self.status_label.setText(f"{text} {self.form.summary()}".strip())
        self.status_label.setAccessibleName(self.status_label.text())

    def _update_warnings(self) -> None:
        self.warnings_list.clear()
        for p, severity in self.form.problems():
            if severity != "warning":
                continue
            where = describe_path(self.kind, p.path)
            item = QListWidgetItem(f"{where}: {problem_message(p)}" if where else problem_message(p))
            item.setData(PATH_ROLE, p.path)
            self.warnings_list.addItem(item)
        has = self.warnings_list.count() > 0
        self.warnings_list.fit_height()
        self.warnings_list.setVisible(has)
        self.warnings_label.setVisible(has)

    # --- loading ---------------------------------------------------------------------
    def _load(self) -> None:
        from kkdesk.records import get

        with self.ctx.store.session() as s:
            self.view = get(s, self.record_id, self.kind)
        self.record_id = self.view.id
        self.form.record_id = self.view.id
        self.form.set_values(self.view.content)
        self.form.show_all_problems()
        self.form.show_problems([], stored_problems(self.view.warnings))
        self._baseline = self.form.values()
        self._base_heads = list(self.view.heads)
        self.setWindowModified(False)
        if self.view.conflict:
            self._set_status(IN_CONFLICT, "warning")

    def _changed_elsewhere(self, kinds) -> None:
        """Another window (the list, sync, a second editor) wrote this record."""
        from kkdesk.errors import NotFoundError
        from kkdesk.records import get

        if (not _alive(self) or self._closing or self.record_id is None or self.view is None
                or self.kind not in kinds or self.ctx.store is None):
            return
        try:
            with self.ctx.store.session() as s:
                view = get(s, self.record_id)
        except NotFoundError:
            return
        if (view.head, view.deleted, view.sealed, view.conflict) == (self.view.head, self.view.deleted,
                                                                     self.view.sealed, self.view.conflict):
            return
        if view.deleted:
            self.view = view
            self._set_status(N_("This record has been deleted elsewhere."), "error")
        elif view.head == self.view.head:
            self.view = view  # sealed (or marked in conflict) elsewhere; the content is the same
        elif not self.is_dirty():
            self._load()
            self._set_status(N_("Updated: the record was changed in another window."))
        else:
            self.view = view  # the form keeps the version it was made on (_base_heads)
            self._set_status(CHANGED_WHILE_EDITING, "warning")
        self._refresh_header()

    def values(self) -> dict:
        return self.form.values()

    def is_dirty(self) -> bool:
        return self.form.values() != self._baseline

    def _edited(self) -> None:
        self.setWindowModified(self.is_dirty())

    # --- saving ----------------------------------------------------------------------
    def save(self) -> bool:
        """Make a revision from the form; problems are shown next to their fields."""
        from kkdesk.drafts import delete_draft
        from kkdesk.interchange import save

        if self.ctx.store is None:
            return False
        values = self.form.values()
        try:
            with self.ctx.store.session() as s:
                result = save(s, self.ctx.author(), self.kind, values, self.record_id, default_language=self.ctx.ui_lang,
                              base_heads=self._base_heads if self.record_id else None)
                delete_draft(s, self.draft_key)
                duplicates = possible_duplicates(s, self.kind, result.id) if result.status != "unchanged" else []
        except ValidationError as exc:
            self.form.show_all_problems()
            self.form.show_problems(exc.problems, [])
            self._update_warnings()
            self._set_status(N_("Not saved: correct the fields marked in red."), "error")
            if exc.problems:
                self.form.focus_path(exc.problems[0].path)
            return False
        except KkdeskError as exc:
            self.ctx.show_error(self, exc)
            return False
        self._draft_exists = False
        self._last_draft = None
        self.record_id = result.id
        self.draft_key = f"{self.kind}:{result.id}"
        self._load()
        self.form.show_problems([], result.warnings)
        self._update_warnings()
        self._last_save = result.status
        if result.status == "conflict":
            # go on from this version: a further save must not settle the conflict unseen
            self._base_heads = [result.rev_id]
            self._set_status(CONFLICT_SAVED, "warning")
        elif result.status == "unchanged":
            self._set_status(N_("Nothing to save: the record is unchanged."))
        elif duplicates:
            self._set_status(SAVED_DUPLICATE, "warning", nos=", ".join(duplicates))
        elif result.warnings:
            self._set_status(N_("Saved."), "warning")
        else:
            self._set_status(N_("Saved."))
        self._refresh_header()
        self.ctx.notify_changed({self.kind})
        self.saved.emit(self.kind, result.id)
        return True

    def save_and_close(self) -> bool:
        if self.save():
            in_conflict = self._last_save == "conflict"
            self._closing = True
            self.close()
            if in_conflict:  # the status line goes with the window: say it where it stays
                from kkdesk.ui.common.messages import show_info

                show_info(None, _("Record in conflict"), _(CONFLICT_SAVED))
            return True
        return False

    def delete(self) -> bool:
        from kkdesk.ui.common.messages import confirm

        if self.record_id is None or self.ctx.store is None:
            return False
        name = self.view.record_no if self.view is not None else self.record_id
        if not confirm(self, _("Delete record"), _("Delete %(record)s?") % {"record": name}, _("Delete"),
                       _("The record disappears from lists, searches and statistics. "
                         "Its earlier versions stay in its history.")):
            return False
        if not delete_with_draft(self, self.ctx, self.kind, self.record_id, self.draft_key, self._base_heads):
            return False
        self.deleted.emit(self.kind, self.record_id)
        self._closing = True
        self.close()
        return True

    def seal(self) -> bool:
        from kkdesk.records import get

        if self.record_id is None or self.ctx.store is None:
            return False
        if not seal_confirmed(self, self.ctx, self.record_id, self.view.record_no, self.is_dirty(), self.save,
                              lambda: self.view.head):
            return False
        try:
            with self.ctx.store.session() as s:
                self.view = get(s, self.record_id)
        except KkdeskError as exc:
            self.ctx.show_error(self, exc)
            return False
        self._set_status(N_("Sealed."))
        self._refresh_header()
        self.ctx.notify_changed({self.kind})
        return True

    # --- drafts ---------------------------------------------------------------------
    def _draft_payload(self) -> dict:
        return {"format": DRAFT_FORMAT, "values": self.form.values(),
                "base_rev": self.view.head if self.view is not None else None, "base_heads": self._base_heads}

    def save_draft(self) -> bool:
        """Keep unsaved form text in the encrypted draft table (not a revision)."""
        from kkdesk.drafts import delete_draft, save_draft

        from sqlalchemy.exc import SQLAlchemyError

        if self.ctx.store is None or not _alive(self):
            return False
        if self.attachments_panel is not None and self.attachments_panel.busy():
            return False  # a file is being stored (write lock held); the next trigger saves the draft
        try:
            if not self.is_dirty():
                if self._draft_exists:
                    with self.ctx.store.session() as s:
                        delete_draft(s, self.draft_key)
                    self._draft_exists = False
                    self._last_draft = None
                return False
            payload = self._draft_payload()
            text = json.dumps(payload, sort_keys=True, ensure_ascii=False)
            if text == self._last_draft:
                return False
            with self.ctx.store.session() as s:
                save_draft(s, self.draft_key, self.kind, payload, self.record_id)
        except StoreBusyError:
            return False  # the next trigger tries again
        except StorageError as exc:  # a full or failing disk: the user must know the text is not kept
            self._set_status(N_("Your typing could not be kept as a draft: %(reason)s"), "error",
                             reason=exc.user_message())
            return False
        except (KkdeskError, SQLAlchemyError):
            return False  # locked or busy meanwhile: the next trigger tries again
        self._last_draft = text
        self._draft_exists = True
        return True

    def _focus_changed(self, old, _new) -> None:
        if old is not None and _alive(self) and _alive(old) and self.isAncestorOf(old):
            self.save_draft()

    def _find_draft(self):
        from kkdesk.drafts import list_drafts, load_draft

        with self.ctx.store.session() as s:
            if self.record_id or self._explicit_draft:
                d = load_draft(s, self.draft_key)
                return d if d is not None and d.kind == self.kind else None
            for d in list_drafts(s, self.kind):
                if d.record_id is None and d.key.startswith(f"{self.kind}:new-") and d.payload.get("format") == DRAFT_FORMAT:
                    return d
        return None

    def offer_draft(self) -> bool:
        """Offer a draft of this record (or of a new record of this kind); a draft chosen
        explicitly (draft_key) is resumed at once. The question does not block: the
        answer arrives in `_draft_answered`. Returns True when a draft was found."""
        if self.ctx.store is None or not _alive(self):
            return False
        draft = self._find_draft()
        if draft is None:
            return False
        values = draft.payload.get("values") if draft.payload.get("format") == DRAFT_FORMAT else None
        if not isinstance(values, dict):
            return False
        if self._explicit_draft:
            self.resume_draft(draft.key, values, draft_base(draft.payload))
            return True
        box = QMessageBox(QMessageBox.Icon.Question, _("Unsaved draft"),
                          _("There is an unsaved draft of this form from %(when)s. Resume it?") %
                          {"when": self._stamp(draft.updated_at)}, QMessageBox.StandardButton.NoButton, self)
        box.setObjectName("draft_question")
        if self.view is not None and draft_base(draft.payload) not in (None, self.view.heads):
            box.setInformativeText(_("The record has been changed since; resuming puts the draft's text in the "
                                     "form, and saving it keeps both versions, marked as in conflict."))
        resume = box.addButton(_("Resume draft"), QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton(_("Discard draft"), QMessageBox.ButtonRole.DestructiveRole)
        later = box.addButton(_("Not now"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(resume)
        box.setEscapeButton(later)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.buttonClicked.connect(lambda button: self._draft_answered(button, draft, values, resume, discard))
        self.draft_box = box
        box.open()
        return True

    def _draft_answered(self, button, draft, values: dict, resume, discard) -> None:
        from kkdesk.drafts import delete_draft

        self.draft_box = None
        if not _alive(self) or self.ctx.store is None:
            return
        if button is resume:
            self.resume_draft(draft.key, values, draft_base(draft.payload))
        elif button is discard:
            with self.ctx.store.session() as s:
                delete_draft(s, draft.key)

    def resume_draft(self, key: str, values: dict, base_heads: list[str] | None = None) -> None:
        """Put a draft's values in the form; the draft is kept until the record is saved.
        `base_heads`: the versions the draft was made on."""
        self.draft_key = key
        if base_heads:
            self._base_heads = list(base_heads)
        self.form.set_values(values)
        self.form.show_all_problems()
        self.form.run_validation()
        self._draft_exists = True
        self._last_draft = json.dumps(self._draft_payload(), sort_keys=True, ensure_ascii=False)
        self.setWindowModified(self.is_dirty())
        self._set_status(N_("Draft resumed: save to keep it as a new version."))

    def _stamp(self, iso: str) -> str:
        try:
            return local_stamp(iso, self.ctx.ui_lang)
        except (ValueError, TypeError):
            return iso

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self._offered:
            self._offered = True
            QTimer.singleShot(0, self.offer_draft)

    # --- locking and closing ----------------------------------------------------------
    def _about_to_lock(self) -> None:
        if not _alive(self):
            return
        if self.attachments_panel is not None and self.attachments_panel.busy():
            # a file being stored holds the write lock; it is cancelled (rolled back) first
            self.attachments_panel.cancel_tasks()
            self.ctx.tasks.wait(10000)
        self.save_draft()
        self._closing = True

    def _locked(self) -> None:
        if _alive(self):
            self._closing = True
            self.close()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        from kkdesk.drafts import delete_draft

        if self._closing or getattr(self.ctx, "locking", False) or self.ctx.store is None:
            self._shutdown()
            event.accept()
            return
        if self.is_dirty():
            # ask without a nested event loop; the answer closes the window (or not)
            event.ignore()
            self._ask_unsaved()
            return
        if self._draft_exists:
            with self.ctx.store.session() as s:
                delete_draft(s, self.draft_key)
        self._shutdown()
        event.accept()

    def _ask_unsaved(self) -> None:
        if self.close_box is not None and _alive(self.close_box):
            self.close_box.raise_()
            return
        box = QMessageBox(QMessageBox.Icon.Question, _("Unsaved changes"), _("Save the changes to this record?"),
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("close_question")
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        box.setEscapeButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.buttonClicked.connect(lambda button: self._unsaved_answered(box.standardButton(button)))
        self.close_box = box
        box.open()

    def _unsaved_answered(self, answer) -> None:
        from kkdesk.drafts import delete_draft

        self.close_box = None
        if not _alive(self) or self.ctx.store is None:
            return
        if answer == QMessageBox.StandardButton.Save:
            self.save_and_close()
        elif answer == QMessageBox.StandardButton.Discard:
            with self.ctx.store.session() as s:
                delete_draft(s, self.draft_key)
            self._draft_exists = False
            self._closing = True
            self.close()

    def _shutdown(self) -> None:
        self._autosave.stop()
        app = QApplication.instance()
        if app is not None:
            try:
                app.focusChanged.disconnect(self._focus_changed)
            except (RuntimeError, TypeError):
                pass
        for signal, slot in ((self.ctx.language_changed, self._language_changed),
                             (self.ctx.about_to_lock, self._about_to_lock), (self.ctx.locked, self._locked),
                             (self.ctx.changed, self._changed_elsewhere)):
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):
                pass
        if self in _open_editors:
            _open_editors.remove(self)

    # --- attachments ---------------------------------------------------------------
    def show_attachments(self, show: bool = True) -> None:
        from kkdesk.ui.editors.attachments import AttachmentsPanel

        if show and self.record_id is None:
            self.attachments_button.setChecked(False)
            return
        if show and self.attachments_panel is None:
            self.attachments_panel = AttachmentsPanel(self.ctx, self.record_id)
            self.splitter.addWidget(self.attachments_panel)
            self.splitter.setStretchFactor(0, 1)
            self.splitter.setStretchFactor(1, 0)
            total = max(self.splitter.width(), 800)
            panel = min(460, total // 3)
            self.splitter.setSizes([total - panel, panel])
        if self.attachments_panel is not None:
            self.attachments_panel.setVisible(show)
        if self.attachments_button.isChecked() != show:
            self.attachments_button.setChecked(show)

    def save_file_copy(self) -> None:
        """Attachment records: write the file where the user says (never a temp copy)."""
        from kkdesk.ui.editors.attachments import ask_and_save_copy

        if self.view is not None:
            ask_and_save_copy(self, self.ctx, self.view.content)


def open_editor(parent: QWidget | None, ctx, kind: str, record_id: str | None = None,
                draft_key: str | None = None, modal: bool = False) -> QWidget:
    """Open (and return) the editor window for a record of `kind`; a record already
    open in an editor is brought to the front instead of opened twice. `modal` keeps
    the rest of the application waiting (a record created from a search popup)."""
    _open_editors[:] = [w for w in _open_editors if _alive(w)]
    if record_id:
        for w in _open_editors:
            if getattr(w, "kind", None) == kind and getattr(w, "record_id", None) == record_id and w.isVisible():
                w.raise_()
                w.activateWindow()
                return w
    if kind == "attachment" and record_id is None:
        raise InputError(N_("Files are attached from the record they belong to: open the record and use Attachments."))
    cls = None
    if kind == "hearing":
        from kkdesk.ui.editors.hearing import HearingEditor as cls  # noqa: N813
    elif kind == "medical":
        from kkdesk.ui.editors.medical import MedicalEditor as cls  # noqa: N813
    if cls is not None:
        editor = cls(ctx, record_id=record_id, draft_key=draft_key, parent=parent)
        if not editor.isWindow():
            editor.setWindowFlag(Qt.WindowType.Window, True)
        if editor not in _open_editors:
            _open_editors.append(editor)
    else:
        editor = RecordEditor(ctx, kind, record_id=record_id, draft_key=draft_key, parent=parent)
    if modal:
        editor.setWindowModality(Qt.WindowModality.ApplicationModal)
    editor.show()
    editor.raise_()
    editor.activateWindow()
    return editor

