"""AppContext: what every window needs — the open store (or None when locked), the UI
language, settings, the task runner and the error presenter — passed explicitly,
never reached through a global.

Signals: `changed(set of kinds)` after any write; `language_changed(lang)`;
`about_to_lock()` (editors save their drafts synchronously while the store is still
open); `locked()` (the store is gone); `unlocked()`."""

from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QWidget

from kkdesk.ui.common.tasks import Progress, Task, TaskRunner
from kkdesk.ui.shell.language import apply_language
from kkdesk.ui.shell.settings import Settings


class AppContext(QObject):
    changed = Signal(object)
    language_changed = Signal(str)
    about_to_lock = Signal()
    locked = Signal()
    unlocked = Signal()
    auto_lock_changed = Signal(int)

    def __init__(self, store=None, *, home: Path | str | None = None, settings: Settings | None = None,
                 ui_lang: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.home = Path(home) if home is not None else (Path(store.home) if store is not None else None)
        self.settings = settings or (Settings.for_home(self.home) if self.home is not None else Settings(None))
        self.ui_lang = ui_lang or (store.ui_lang if store is not None else "en")
        self.tasks = TaskRunner(self, error_presenter=self.show_error)
        # list windows and search results: never queued behind a slow count or import
        self.quick_tasks = TaskRunner(self, error_presenter=self.show_error)
        self.locking = False  # True while lock() runs: editors must not ask questions then
        self.main_window: QWidget | None = None
        self._clipboard_ours = False
        if QApplication.instance() is not None:
            QApplication.clipboard().dataChanged.connect(self._clipboard_changed)

    # the store --------------------------------------------------------------------
    @property
    def is_locked(self) -> bool:
        return self.store is None

    def author(self):
        from kkdesk.records import Author

        if self.store is None:
            from kkdesk.errors import ProfileError
            from kkdesk.i18n import N_

            raise ProfileError(N_("The store is locked."))
        return Author(self.store.profile_id, self.store.profile_code)

    def notify_changed(self, kinds) -> None:
        self.changed.emit(set(kinds))

    def unlock(self, store) -> None:
        self.store = store
        self.home = Path(store.home)
        self.unlocked.emit()

    def lock(self) -> bool:
        """Drop the unlocked store: editors save drafts, other windows close, running
        tasks are cancelled and awaited, the engine and keys are disposed of."""
        if self.store is None or self.locking:
            return False
        from kkdesk.ui.shell.locking import close_secondary_windows

        self.locking = True
        try:
            self.about_to_lock.emit()
            close_secondary_windows(keep=self.main_window)
            for runner in (self.quick_tasks, self.tasks):
                runner.cancel_all()
            # a write (import, save) must end before the engine goes; reads get a moment,
            # and one still running finishes on its own connection, which then closes
            self.tasks.wait(30000, quiet=False)
            for runner in (self.quick_tasks, self.tasks):
                runner.wait(1000)
            store, self.store = self.store, None
            store.close()
            del store
            self._clear_own_clipboard()
            gc.collect()
            # still `locking` while the shell swaps the main window for the unlock window:
            # a window closed by the lock must not read its close as the user quitting
            self.locked.emit()
        finally:
            self.locking = False
        return True

    def _clipboard_changed(self) -> None:
        # a copy made while one of our windows is active is ours; another program's copy
        # happens while it is active. (Ownership alone is not known on every platform.)
        self._clipboard_ours = QApplication.activeWindow() is not None

    def _clear_own_clipboard(self) -> None:
        """Text copied from a record does not outlive the lock; what another program put
        on the clipboard is left alone."""
        if QApplication.instance() is None:
            return
        clipboard = QApplication.clipboard()
        if clipboard.ownsClipboard() or self._clipboard_ours:
            clipboard.clear()
            if clipboard.supportsSelection() and clipboard.ownsSelection():
                clipboard.clear(clipboard.Mode.Selection)
        self._clipboard_ours = False

    # language and settings --------------------------------------------------------
    def set_language(self, lang: str) -> None:
        lang = apply_language(lang)
        self.ui_lang = lang
        self.settings.language = lang
        self.settings.sync()
        if self.store is not None:
            try:
                self.store.set_ui_lang(lang)  # profile.json: the unlock window speaks it next time
            except OSError as exc:
                self.show_error(self.main_window, exc)
        self.language_changed.emit(lang)

    def set_auto_lock_minutes(self, minutes: int) -> None:
        self.settings.auto_lock_minutes = minutes
        self.settings.sync()
        self.auto_lock_changed.emit(self.settings.auto_lock_minutes)

    # background work and errors -----------------------------------------------------
    def run_task(self, fn: Callable[[Progress], Any], on_done: Callable[[Any], None] | None = None,
                 on_error: Callable[[BaseException], None] | None = None, label: str | None = None,
                 cancellable: bool = False, parent: QWidget | None = None, quiet: bool = False) -> Task:
        """Run `fn(progress)` on a worker thread; callbacks run on the GUI thread.
        `fn` opens its own session with `ctx.store.session()` and never touches widgets.
        When `parent` is given and has been deleted by the time the work ends, the
        callbacks are skipped."""
        return self.tasks.run(fn, on_done, on_error, label, cancellable, parent or self.main_window, quiet,
                              owner=parent)

    def busy(self) -> bool:
        """Some background work has not reported yet."""
        return self.tasks.busy() or self.quick_tasks.busy()

    # windows ------------------------------------------------------------------------
    def open_editor(self, parent: QWidget | None, kind: str, record_id: str | None = None, **options):
        """A record's editor window (a new record without `record_id`): the way into the
        editors for the widgets they are built from (a reference picker's "New…"), so
        those need not import the editors."""
        from kkdesk.ui.editors.recordeditor import open_editor

        return open_editor(parent, self, kind, record_id=record_id, **options)

    def show_error(self, parent: QWidget | None, exc: BaseException):
        from kkdesk.ui.common.messages import show_error

        return show_error(parent, exc)
