"""Long work off the GUI thread: one helper for every background task.

`TaskRunner.run(fn, on_done, on_error, ...)` calls `fn(progress)` on a worker thread
and delivers `on_done(result)` or `on_error(exc)` on the GUI thread — every exception
is delivered, none is lost. `fn` must never touch widgets and must open its own
database session (sessions are not thread-safe). A progress dialog appears only when
the task is still running after 600 ms; its Cancel button sets `progress.cancelled()`.

Workers are Python daemon threads. Results travel back through one
relay QObject per runner, with the task's number: no Qt object is made or deleted per
task, so nothing can be destroyed while a queued result for it is on its way.
"""

from __future__ import annotations

import itertools
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import wait as wait_futures
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget
from shiboken6 import Shiboken

from kkdesk.i18n import _

SHOW_AFTER_MS = 600


class _Relay(QObject):
    """Lives in the GUI thread with its runner; signals emitted by workers arrive queued."""

    progressed = Signal(int, int, int)  # task number, done, total
    succeeded = Signal(int, object)
    failed = Signal(int, object)


class Progress:
    """What a worker function gets. Also callable as the core's progress callback
    `progress(done, total)`, which returns False once the user has cancelled."""

    def __init__(self, relay: _Relay, number: int) -> None:
        self._relay = relay
        self._number = number
        self._cancel = threading.Event()

    def report(self, done: int, total: int) -> None:
        self._relay.progressed.emit(self._number, int(done), int(total))

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    def __call__(self, done: int, total: int) -> bool:
        self.report(done, total)
        return not self.cancelled()


class _DaemonPool:
    """A few daemon worker threads: a read that is still running when the application
    quits (a statistics scan of a million rows) does not hold the exit up."""

    def __init__(self, size: int, name: str) -> None:
        self.size, self.name = size, name
        self.queue: queue.SimpleQueue = queue.SimpleQueue()
        self.threads: list[threading.Thread] = []

    def submit(self, fn: Callable, *args: Any) -> Future:
        future: Future = Future()
        self.queue.put((future, fn, args))
        if len(self.threads) < self.size:
            thread = threading.Thread(target=self._loop, name=f"{self.name}-{len(self.threads) + 1}", daemon=True)
            self.threads.append(thread)
            thread.start()
        return future

    def _loop(self) -> None:
        while True:
            future, fn, args = self.queue.get()
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(fn(*args))
            except BaseException as exc:  # noqa: BLE001 - _work delivers errors itself
                future.set_exception(exc)
            del future, fn, args  # nothing of the last task stays referenced while idle


def _work(fn: Callable[[Progress], Any], progress: Progress, relay: _Relay, number: int) -> None:
    """The worker side: run `fn`, post its result or its exception to the GUI thread."""
    try:
        result = fn(progress)
    except BaseException as exc:  # noqa: BLE001 - delivered to on_error, never swallowed
        relay.failed.emit(number, exc)
    else:
        relay.succeeded.emit(number, result)


class Task:
    """One task as the GUI sees it; `done` is True once its callback has run."""

    def __init__(self, number: int, on_done, on_error, label: str | None, cancellable: bool,
                 parent_widget: QWidget | None, quiet: bool, owner: QObject | None, progress: Progress) -> None:
        self.number = number
        self.on_done, self.on_error = on_done, on_error
        self.label, self.cancellable, self.quiet = label, cancellable, quiet
        self.parent_widget, self.owner = parent_widget, owner
        self.progress = progress
        self.done = False
        self.total = 0
        self.value = 0
        self.reports: list[tuple[int, int]] = []
        self.dialog: QProgressDialog | None = None
        self.future: Future | None = None

    def cancel(self) -> None:
        self.progress.cancel()

    def owner_gone(self) -> bool:
        """The widget that asked for the work was deleted meanwhile: nobody to tell."""
        return self.owner is not None and not Shiboken.isValid(self.owner)


class TaskRunner(QObject):
    """Runs tasks on a small thread pool and delivers what they report."""

    def __init__(self, parent: QObject | None = None, error_presenter: Callable | None = None,
                 max_threads: int = 2) -> None:
        super().__init__(parent)
        self.pool = _DaemonPool(max_threads, "kkdesk-task")
        self.relay = _Relay(self)
        self.relay.progressed.connect(self._on_progress)
        self.relay.succeeded.connect(self._on_succeeded)
        self.relay.failed.connect(self._on_failed)
        self.tasks: dict[int, Task] = {}
        self.futures: set[Future] = set()
        self._numbers = itertools.count(1)
        self._present = error_presenter

    def run(self, fn: Callable[[Progress], Any], on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[BaseException], None] | None = None, label: str | None = None,
            cancellable: bool = False, parent: QWidget | None = None, quiet: bool = False,
            owner: QObject | None = None) -> Task:
        """`owner`: when this widget is gone by the time the work ends, the callbacks are
        skipped (a failure of visible work is still shown)."""
        number = next(self._numbers)
        task = Task(number, on_done, on_error, label, cancellable, parent, quiet, owner,
                    Progress(self.relay, number))
        self.tasks[number] = task
        if not quiet:
            QTimer.singleShot(SHOW_AFTER_MS, self, lambda n=number: self._show_dialog(n))
        task.future = self.pool.submit(_work, fn, task.progress, self.relay, number)
        self.futures.add(task.future)
        task.future.add_done_callback(self.futures.discard)
        return task

    # the progress dialog ----------------------------------------------------------------------
    def _show_dialog(self, number: int) -> None:
        task = self.tasks.get(number)
        if task is None or task.done:
            return
        parent = task.parent_widget if task.parent_widget is not None and Shiboken.isValid(task.parent_widget) else None
        dlg = QProgressDialog(parent)
        dlg.setObjectName("task_progress")
        dlg.setWindowTitle(_("Please wait"))
        dlg.setLabelText(task.label or _("Working…"))
        dlg.setMinimumDuration(0)
        dlg.setAutoClose(False)
        dlg.setAutoReset(False)
        dlg.setAccessibleName(task.label or _("Working…"))
        if task.cancellable:
            dlg.setCancelButtonText(_("Cancel"))
            dlg.canceled.connect(lambda n=number: self._user_cancelled(n))
        else:
            dlg.setCancelButton(None)
        dlg.setRange(0, max(0, task.total))
        dlg.setValue(min(task.value, task.total) if task.total > 0 else 0)
        dlg.show()
        task.dialog = dlg

    def _user_cancelled(self, number: int) -> None:
        task = self.tasks.get(number)
        if task is None:
            return
        task.cancel()
        if task.dialog is not None:
            task.dialog.setLabelText(_("Cancelling…"))

    @Slot(int, int, int)
    def _on_progress(self, number: int, done: int, total: int) -> None:
        task = self.tasks.get(number)
        if task is None:
            return
        task.value, task.total = done, total
        task.reports.append((done, total))
        dlg = task.dialog
        if dlg is None or task.progress.cancelled():
            return
        if dlg.wasCanceled():
            self._user_cancelled(number)
        elif total > 0:
            dlg.setRange(0, total)
            dlg.setValue(min(done, total))
        else:
            dlg.setRange(0, 0)

    # results ------------------------------------------------------------------------------------
    def _finish(self, number: int) -> Task | None:
        task = self.tasks.pop(number, None)
        if task is None:
            return None
        task.done = True
        if task.dialog is not None:
            task.dialog.hide()
            task.dialog.deleteLater()
            task.dialog = None
        return task

    @staticmethod
    def _release(task: Task) -> None:
        task.on_done = task.on_error = None
        task.owner = task.parent_widget = None

    @Slot(int, object)
    def _on_succeeded(self, number: int, result: Any) -> None:
        task = self._finish(number)
        if task is None:
            return
        try:
            if task.on_done is not None and not task.owner_gone():
                task.on_done(result)
        finally:
            self._release(task)

    @Slot(int, object)
    def _on_failed(self, number: int, exc: BaseException) -> None:
        task = self._finish(number)
        if task is None:
            return
        try:
            if task.owner_gone():
                if not task.quiet:  # the window is gone, but a failed save must still be told
                    self.report_error(None, exc)
            elif task.on_error is not None:
                task.on_error(exc)
            else:
                self.report_error(task.parent_widget, exc)
        finally:
            self._release(task)

    def report_error(self, parent: QWidget | None, exc: BaseException) -> None:
        from kkdesk.errors import Cancelled

        if isinstance(exc, Cancelled):
            return  # the user asked for it; nothing to report
        if self._present is not None:
            self._present(parent, exc)
        else:
            from kkdesk.ui.common.messages import show_error

            show_error(parent, exc)

    # the whole runner ----------------------------------------------------------------------------
    def cancel_all(self) -> None:
        for task in list(self.tasks.values()):
            task.cancel()

    def busy(self) -> bool:
        return bool(self.tasks)

    def wait(self, timeout_ms: int = 5000, quiet: bool = True) -> bool:
        """Block until the worker functions have returned (their callbacks arrive later);
        with quiet=False only for the visible work (imports, saves), not quiet reads."""
        if quiet:
            futures = list(self.futures)
        else:
            futures = [t.future for t in list(self.tasks.values()) if not t.quiet and t.future is not None]
        _done, pending = wait_futures(futures, timeout=timeout_ms / 1000)
        return not pending
