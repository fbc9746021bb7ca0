"""Locking: the idle watcher (an app-wide event filter), closing windows on lock, and
offering the drafts that editors saved, once the profile is unlocked again.

Locking drops the store (see `AppContext.lock`); the windows that showed case data
are closed and rebuilt after unlocking, never merely hidden."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kkdesk.i18n import _

ACTIVITY_EVENTS = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick,
                   QEvent.Type.MouseMove, QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate,
                   QEvent.Type.InputMethod, QEvent.Type.TabletPress}


class IdleLock(QObject):
    """Locks `ctx` after `ctx.settings.auto_lock_minutes` without keyboard or mouse
    input anywhere in the application."""

    def __init__(self, ctx, app: QApplication | None = None) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self.app = app or QApplication.instance()
        self._last = time.monotonic()
        self._timeout_s = ctx.settings.auto_lock_minutes * 60.0
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._check)
        self.app.installEventFilter(self)
        ctx.auto_lock_changed.connect(lambda minutes: self.set_timeout(minutes * 60.0))
        self.set_timeout(self._timeout_s)

    def set_timeout(self, seconds: float) -> None:
        self._timeout_s = max(0.05, float(seconds))
        self._last = time.monotonic()
        # check a few times per period, at most every 5 s
        self._timer.start(int(max(20, min(5000, self._timeout_s * 1000 / 5))))

    @property
    def timeout_s(self) -> float:
        return self._timeout_s

    def touch(self) -> None:
        self._last = time.monotonic()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY_EVENTS:
            self._last = time.monotonic()
        return False

    def _check(self) -> None:
        if self.ctx.store is None or self._visible_work():
            self._last = time.monotonic()
            return
        if time.monotonic() - self._last >= self._timeout_s:
            self._last = time.monotonic()
            self.ctx.lock()

    def _visible_work(self) -> bool:
        """A task with a progress dialog (an import the user is watching) is not idleness:
        locking would cancel it."""
        return any(not task.quiet and not task.done for task in list(self.ctx.tasks.tasks.values()))

    def stop(self) -> None:
        self._timer.stop()
        self.app.removeEventFilter(self)


def close_secondary_windows(keep: QWidget | None = None) -> None:
    """Close every top-level window but `keep`: modal dialogs are rejected first (so
    their nested event loops end), editor windows are closed and deleted."""
    app = QApplication.instance()
    if app is None:
        return
    for _attempt in range(20):  # nested modal dialogs, innermost first
        modal = QApplication.activeModalWidget()
        if modal is None or modal is keep:
            break
        if isinstance(modal, QDialog):
            modal.reject()
        modal.close()
        modal.hide()
    for w in QApplication.topLevelWidgets():
        if w is keep or not w.isWindow() or not w.isVisible():
            continue
        if w.windowType() in (Qt.WindowType.ToolTip, Qt.WindowType.Popup):
            w.hide()
            continue
        w.close()
        if w.isVisible():  # a window that refused to close still must not show case data
            w.hide()
        w.deleteLater()


# --- drafts offered after unlocking ----------------------------------------------------

class DraftsDialog(QDialog):
    """Unsaved work kept as encrypted drafts: resume or discard. Resuming calls
    `open_draft(kind, record_id, draft_key)` (the main window's), which opens the editor."""

    def __init__(self, ctx, parent: QWidget | None, open_draft: Callable[[str, str | None, str], object]) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.open_draft = open_draft
        self.setObjectName("drafts_dialog")
        self.drafts: list = []
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _i: self.resume())
        self.intro.setBuddy(self.table)
        self.resume_button = QPushButton()
        self.discard_button = QPushButton()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.addButton(self.resume_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.discard_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)
        self.resume_button.clicked.connect(self.resume)
        self.discard_button.clicked.connect(self.discard)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table)
        layout.addWidget(self.buttons)
        self.resize(640, 320)
        self.retranslate()
        self.reload()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Unsaved drafts"))
        self.intro.setText(_("These forms were not saved when kkdesk was locked or closed. "
                             "Their text is kept encrypted. Resume a draft to continue, or discard it."))
        self.table.setAccessibleName(_("Unsaved drafts"))
        self.table.setHorizontalHeaderLabels([_("Kind"), _("Record"), _("Last change")])
        self.resume_button.setText(_("&Resume"))
        self.discard_button.setText(_("&Discard"))

    def reload(self) -> None:
        from kkdesk.drafts import list_drafts
        from kkdesk.errors import NotFoundError
        from kkdesk.labels import kind_label
        from kkdesk.records import find

        with self.ctx.store.session() as s:
            self.drafts = list_drafts(s)
            titles = []
            for d in self.drafts:
                title = _("New record")
                if d.record_id:
                    try:
                        rec = find(s, d.record_id)
                        title = " · ".join(x for x in (rec.record_no, rec.title) if x)
                    except NotFoundError:
                        title = d.record_id
                titles.append(title)
        self.table.setRowCount(len(self.drafts))
        for row, (d, title) in enumerate(zip(self.drafts, titles)):
            for col, text in enumerate((_(kind_label(d.kind)), title, _format_stamp(d.updated_at, self.ctx.ui_lang))):
                self.table.setItem(row, col, QTableWidgetItem(text))
        if self.drafts:
            self.table.selectRow(0)
        self.resume_button.setEnabled(bool(self.drafts))
        self.discard_button.setEnabled(bool(self.drafts))

    def _current(self):
        row = self.table.currentRow()
        return self.drafts[row] if 0 <= row < len(self.drafts) else None

    def resume(self) -> None:
        draft = self._current()
        if draft is None:
            return
        self.accept()
        self.open_draft(draft.kind, draft.record_id, draft.key)

    def discard(self) -> None:
        draft = self._current()
        if draft is None:
            return
        from kkdesk.drafts import delete_draft
        from kkdesk.ui.common.messages import confirm

        if not confirm(self, _("Discard draft"), _("Discard this unsaved draft? Its text cannot be recovered."),
                       _("&Discard")):
            return
        with self.ctx.store.session() as s:
            delete_draft(s, draft.key)
        self.reload()
        if not self.drafts:
            self.accept()


def _format_stamp(stamp: str, lang: str) -> str:
    from kkdesk.labels import format_stored_datetime

    try:
        return format_stored_datetime(stamp, lang)
    except (ValueError, TypeError):
        return stamp


def has_drafts(ctx) -> bool:
    from kkdesk.drafts import list_drafts

    with ctx.store.session() as s:
        return bool(list_drafts(s))


def offer_drafts(ctx, parent: QWidget | None, open_draft: Callable[[str, str | None, str], object]
                 ) -> DraftsDialog | None:
    """After unlocking: show the drafts dialog (non-blocking) when there are drafts."""
    if ctx.store is None or not has_drafts(ctx):
        return None
    dlg = DraftsDialog(ctx, parent, open_draft)
    dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dlg.open()
    return dlg
