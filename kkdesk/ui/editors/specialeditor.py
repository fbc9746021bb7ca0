"""What the two special editors (hearing mode, medical examination) share: drafts that
survive a crash (autosaved every few seconds, on focus change and before the idle lock),
the offer to resume them, saving a revision, the question on closing, and the delete,
seal and attachments actions. An editor builds its own fields and layout and fills in
the few hooks below; the generic RecordEditor (recordeditor.py) has its own flow."""

from __future__ import annotations

import uuid

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kkdesk.i18n import _, ngettext

AUTOSAVE_MS = 3000


class DraftBanner(QFrame):
    """A non-blocking offer to resume unsaved drafts."""

    resume_requested = Signal(str)
    discard_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("draftBanner")
        self.setStyleSheet("QFrame#draftBanner { background: #fff4c2; border: 1px solid #d4a000; }")
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.choice = QComboBox(self)
        self.text.setBuddy(self.choice)
        self.resume_button = QPushButton(self)
        self.discard_button = QPushButton(self)
        self.resume_button.clicked.connect(lambda: self.resume_requested.emit(self.current()))
        self.discard_button.clicked.connect(lambda: self.discard_requested.emit(self.current()))
        layout = QHBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.choice)
        layout.addWidget(self.resume_button)
        layout.addWidget(self.discard_button)
        self.hide()
        self.retranslate()

    def retranslate(self) -> None:
        self.text.setText(_("Unsaved work from an earlier session was found (kept encrypted). Resume it?"))
        self.resume_button.setText(_("&Resume"))
        self.discard_button.setText(_("Discard"))
        self.choice.setAccessibleName(_("Unsaved drafts"))
        self.resume_button.setAccessibleName(_("Resume the draft"))
        self.discard_button.setAccessibleName(_("Discard the draft"))

    def offer(self, items: list[tuple[str, str]]) -> None:
        """(key, description) pairs; hides itself when empty."""
        self.choice.clear()
        for key, text in items:
            self.choice.addItem(text, key)
        self.setVisible(bool(items))

    def keys(self) -> list[str]:
        return [self.choice.itemData(i) for i in range(self.choice.count())]

    def current(self) -> str:
        return self.choice.currentData() or ""


class SpecialEditor(QWidget):
    """Base of the hearing and medical editors (a top-level window each).

    A subclass builds its widgets, calls `_build_actions()` and `_build_bars()` for the
    shared buttons, lays them out, then `_start_editing()`. It provides `content()`,
    `set_content()`, `load()`, `retranslate()`, `show_problems()` and `draft_label()`, and may
    override the hooks `_has_pending`, `_draft_applied`, `_may_save`, `_save_refused`,
    `_after_save`, `_autosaved` and `_before_close_save`."""

    saved = Signal(str)  # record id
    CLOSE_TITLE: str  # msgids of the question on closing with unsaved changes
    CLOSE_TEXT: str

    def __init__(self, ctx, kind: str, record_id: str | None, draft_key: str | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.kind = kind
        self.record_id = record_id
        self.record_no: str | None = None
        self.draft_key = draft_key or (f"{kind}:{record_id}" if record_id else f"{kind}:new:{uuid.uuid4()}")
        self._draft_given = draft_key is not None
        self._dirty = False           # changed since the last revision / load
        self._draft_dirty = False     # changed since the last draft save
        self._loading = False
        self._closing_ok = False
        self._base: dict = {}         # the loaded revision (fields no widget shows are kept)
        self._base_heads: list[str] | None = None  # the versions the form's text was made on
        self._seen_heads: list[str] | None = None  # the record's heads as this window last knew them
        self._last_save = ""  # the status of the last save ("conflict": said again on closing)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setObjectName(f"{kind}_editor")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    # --- building ----------------------------------------------------------------------------------
    def _build_actions(self) -> None:
        self.seal_button = QPushButton(self)
        self.delete_button = QPushButton(self)
        self.seal_button.clicked.connect(self.seal_record)
        self.delete_button.clicked.connect(self.delete_record)
        self.attachments_page = QWidget(self)
        self._attachments_layout = QVBoxLayout(self.attachments_page)
        self._attachments_hint = QLabel(self.attachments_page)
        self._attachments_hint.setWordWrap(True)
        self._attachments_layout.addWidget(self._attachments_hint)
        self._attachments_layout.addStretch(1)
        self.attachments = None

    def _build_bars(self) -> QHBoxLayout:
        """The draft banner and the bottom bar: status, Delete, Seal, Save, Close."""
        self.banner = DraftBanner(self)
        self.banner.resume_requested.connect(self.resume_draft)
        self.banner.discard_requested.connect(self.discard_draft)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.save_button = QPushButton(self)
        self.save_button.clicked.connect(self.save)
        self.close_button = QPushButton(self)
        self.close_button.clicked.connect(self.close)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        for button in (self.delete_button, self.seal_button, self.save_button, self.close_button):
            bottom.addWidget(button)
        return bottom

    def _start_editing(self) -> None:
        """Ctrl+S, the autosave timer, and the signals that save a draft or retranslate."""
        self._save_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        self._save_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._save_shortcut.activated.connect(self.save)
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setInterval(AUTOSAVE_MS)
        self.autosave_timer.timeout.connect(self.autosave)
        self.autosave_timer.start()
        QApplication.instance().focusChanged.connect(self._focus_changed)
        self.ctx.about_to_lock.connect(self._about_to_lock)
        self.ctx.language_changed.connect(self.retranslate)
        self.ctx.changed.connect(self._changed_elsewhere)

    def _changed_elsewhere(self, kinds) -> None:
        """Another window or an imported bundle wrote this record: a clean form shows the
        new version; a form being edited keeps its text and says what saving will do."""
        from kkdesk.errors import KkdeskError
        from kkdesk.records import get

        if (self.kind not in kinds or self.record_id is None or self._seen_heads is None or not self._store_open()
                or not shiboken6.isValid(self)):
            return
        try:
            with self.ctx.store.session() as s:
                view = get(s, self.record_id, self.kind)
        except KkdeskError:
            return
        if view.heads == self._seen_heads:
            return
        self._seen_heads = view.heads
        if view.deleted:  # the form keeps its text; saving it would restore the record, in conflict
            self._set_status(_("This record has been deleted elsewhere."), error=True)
        elif self._dirty or self._has_pending():
            from kkdesk.ui.editors.editing import CHANGED_WHILE_EDITING

            self._set_status(_(CHANGED_WHILE_EDITING), error=True)
        else:
            self.load()
            self._set_status(_("Updated: the record was changed in another window."))

    def _retranslate_actions(self) -> None:
        self.seal_button.setText(_("Seal…"))
        self.seal_button.setToolTip(_("Sign the saved version with this profile's key"))
        self.delete_button.setText(_("Delete…"))
        self._attachments_hint.setText(_("Save the record first; then files (photos, documents) can be attached "
                                         "to it. They are stored encrypted."))
        if self.attachments is not None:
            self.attachments.retranslate()
        self._sync_actions()

    def _sync_actions(self) -> None:
        saved = self.record_id is not None and self.record_no is not None
        self.seal_button.setEnabled(saved)
        self.delete_button.setEnabled(saved)
        if saved and self.attachments is None and self._store_open():
            from kkdesk.ui.editors.attachments import AttachmentsPanel

            self.attachments = AttachmentsPanel(self.ctx, self.record_id, self.attachments_page)
            self._attachments_hint.hide()
            self._attachments_layout.insertWidget(0, self.attachments, 1)

    # --- state ---------------------------------------------------------------------------------------
    def _store_open(self) -> bool:
        store = self.ctx.store
        return store is not None and not getattr(store, "locked", False)

    def is_dirty(self) -> bool:
        return self._dirty

    def _set_status(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #b00020;" if error else "")

    def _has_pending(self) -> bool:
        """Typed text not yet in the content (the hearing's unstamped note)."""
        return False

    # --- drafts --------------------------------------------------------------------------------------
    def draft_payload(self) -> dict:
        return {"content": self.content(), "record_no": self.record_no, "base_heads": self._base_heads}

    def draft_label(self, draft) -> str:
        raise NotImplementedError

    def save_draft_now(self) -> bool:
        """Commit the draft in its own transaction, synchronously."""
        if not self._store_open():
            return False
        from kkdesk.drafts import save_draft

        with self.ctx.store.session() as s:
            save_draft(s, self.draft_key, self.kind, self.draft_payload(), self.record_id)
        self._draft_dirty = False
        return True

    def autosave(self) -> None:
        if not self._draft_dirty or not self._store_open():
            return
        try:
            self.save_draft_now()
        except Exception as exc:  # noqa: BLE001 — presented by the one error presenter
            self.autosave_timer.stop()  # one message, not one every few seconds
            self.ctx.show_error(self, exc)
            return
        self._autosaved()

    def _autosaved(self) -> None:
        """After an autosave (the hearing says so in its status line)."""

    def _focus_changed(self, old, new) -> None:
        """Leaving a field of this editor saves a draft."""
        if old is not None and shiboken6.isValid(self) and shiboken6.isValid(old) and self.isAncestorOf(old):
            self.autosave()

    def _about_to_lock(self) -> None:
        if self._draft_dirty or self._has_pending():
            self.save_draft_now()
        self._closing_ok = True

    def available_drafts(self) -> list:
        """Drafts this editor can resume: its own record's, or unsaved new records of its kind."""
        if not self._store_open():
            return []
        from kkdesk.drafts import list_drafts

        with self.ctx.store.session() as s:
            return [d for d in list_drafts(s, self.kind) if d.record_id == self.record_id]

    def offer_drafts(self) -> None:
        """Resume the draft the caller named; otherwise offer the drafts there are."""
        if not self._store_open():
            return
        if self._draft_given:
            self._draft_given = False
            if self.resume_draft(self.draft_key):
                return
        drafts = self.available_drafts()
        if any(d.key == self.draft_key for d in drafts):
            # until that draft is resumed or discarded, autosaves go elsewhere: never over unsaved work
            self.draft_key = f"{self.kind}:{self.record_id}:{uuid.uuid4().hex[:12]}"
        self.banner.offer([(d.key, self.draft_label(d)) for d in drafts])

    def resume_draft(self, key: str) -> bool:
        from kkdesk.drafts import load_draft

        if not key or not self._store_open():
            return False
        with self.ctx.store.session() as s:
            draft = load_draft(s, key)
        if draft is None:
            return False
        from kkdesk.ui.editors.editing import draft_base

        self.draft_key = draft.key
        self.record_id = draft.record_id or self.record_id
        self._base_heads = draft_base(draft.payload or {}) or self._base_heads
        content = dict(self._base)
        content.update((draft.payload or {}).get("content") or {})
        self.set_content(content)
        self._draft_applied(draft.payload or {}, content)
        self._dirty, self._draft_dirty = True, False
        self.banner.hide()
        return True

    def _draft_applied(self, payload: dict, content: dict) -> None:
        self._set_status(_("Draft resumed."))

    def discard_draft(self, key: str) -> None:
        from kkdesk.drafts import delete_draft
        from kkdesk.ui.common.messages import confirm

        if not key or not confirm(self, _("Discard draft"), _("Discard this unsaved draft? Its text cannot be recovered."),
                                  _("&Discard")):
            return
        with self.ctx.store.session() as s:
            delete_draft(s, key)
        self.offer_drafts()

    # --- saving --------------------------------------------------------------------------------------
    def save(self) -> bool:
        """Make a revision. Errors are shown next to their fields; warnings never block."""
        from kkdesk.drafts import delete_draft
        from kkdesk.errors import ValidationError
        from kkdesk.interchange import save

        if not self._store_open():
            return False
        fields = self.content()
        if not self._may_save(fields):
            return False
        try:
            with self.ctx.store.session() as s:
                result = save(s, self.ctx.author(), self.kind, fields, self.record_id,
                              default_language=self.ctx.ui_lang, base_heads=self._base_heads if self.record_id else None)
                delete_draft(s, self.draft_key)
        except ValidationError as exc:
            self.show_problems(exc.problems, [])
            self._save_refused(exc)
            return False
        except Exception as exc:  # noqa: BLE001 — presented by the one error presenter
            self.ctx.show_error(self, exc)
            return False
        self._last_save = result.status
        from kkdesk.records import current_heads

        with self.ctx.store.session() as s:  # the heads now: this window's own save is not news
            self._seen_heads = current_heads(s, result.id)
        self.record_id, self.record_no = result.id, result.record_no
        self._base_heads = [result.rev_id] if result.rev_id else self._base_heads  # a conflict: go on from ours
        self.draft_key = f"{self.kind}:{result.id}"
        self._base = {**fields, "record_no": result.record_no}
        self._dirty = self._draft_dirty = False
        self.show_problems([], result.warnings)
        text = _("Saved %(record)s.") % {"record": result.record_no}
        if result.warnings:
            n = len(result.warnings)
            text += " " + ngettext("%(n)d warning (see the fields marked).", "%(n)d warnings (see the fields marked).",
                                   n) % {"n": n}
        if result.status == "conflict":
            from kkdesk.ui.editors.editing import CONFLICT_SAVED

            text = _(CONFLICT_SAVED)
        self._set_status(text, error=result.status == "conflict")
        self._after_save(result)
        self.ctx.notify_changed({self.kind})
        self.saved.emit(result.id)
        return True

    def _may_save(self, fields: dict) -> bool:
        return True

    def _save_refused(self, exc) -> None:
        self._set_status(exc.user_message(), error=True)

    def _after_save(self, result) -> None:
        """After a revision was made (the record number and title may be new)."""

    # --- delete and seal -----------------------------------------------------------------------------
    def delete_record(self) -> bool:
        if self.record_id is None or not self._store_open():
            return False
        from kkdesk.ui.common.messages import confirm
        from kkdesk.ui.editors.editing import delete_with_draft

        if not confirm(self, _("Delete record"), _("Delete %(record)s?") % {"record": self.record_no},
                       _("Delete"), _("The record disappears from lists, searches and statistics. "
                                      "Its earlier versions stay in its history.")):
            return False

        if not delete_with_draft(self, self.ctx, self.kind, self.record_id, self.draft_key, self._base_heads):
            return False
        self._closing_ok = True
        self.close()
        return True

    def seal_record(self) -> bool:
        from kkdesk.ui.editors.editing import seal_confirmed

        if self.record_id is None or not self._store_open():
            return False
        if not seal_confirmed(self, self.ctx, self.record_id, self.record_no, self.is_dirty(), self.save,
                              lambda: self._base_heads[0] if self._base_heads and len(self._base_heads) == 1 else None):
            return False
        self._set_status(_("Sealed."))
        self.ctx.notify_changed({self.kind})
        return True

    # --- closing -------------------------------------------------------------------------------------
    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self._closing_ok or not self._store_open() or getattr(self.ctx, "locking", False):
            self._shutdown()
            event.accept()
            return
        if self._dirty or self._has_pending():
            answer = self.ask_save_on_close()
            if answer == QMessageBox.StandardButton.Cancel:
                event.ignore()
                return
            if answer == QMessageBox.StandardButton.Save:
                self._before_close_save()
                if not self.save():
                    event.ignore()
                    return
                if self._last_save == "conflict":  # the status line closes with the window
                    from kkdesk.ui.common.messages import show_info
                    from kkdesk.ui.editors.editing import CONFLICT_SAVED

                    show_info(None, _("Record in conflict"), _(CONFLICT_SAVED))
            elif answer == QMessageBox.StandardButton.Discard:
                from kkdesk.drafts import delete_draft

                with self.ctx.store.session() as s:
                    delete_draft(s, self.draft_key)
        self._shutdown()
        event.accept()

    def _before_close_save(self) -> None:
        """Last edits to fold into the content before the closing save."""

    def ask_save_on_close(self) -> QMessageBox.StandardButton:
        box = QMessageBox(QMessageBox.Icon.Question, _(self.CLOSE_TITLE), _(self.CLOSE_TEXT),
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, self)
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        return QMessageBox.StandardButton(box.exec())

    def _shutdown(self) -> None:
        self.autosave_timer.stop()
        _disconnect(QApplication.instance().focusChanged, self._focus_changed)
        _disconnect(self.ctx.about_to_lock, self._about_to_lock)
        _disconnect(self.ctx.language_changed, self.retranslate)
        _disconnect(self.ctx.changed, self._changed_elsewhere)


def _disconnect(signal, slot) -> None:
    try:
        signal.disconnect(slot)
    except (RuntimeError, TypeError):
        pass
