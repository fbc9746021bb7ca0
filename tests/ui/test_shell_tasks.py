"""Background tasks and the error presenter."""

from __future__ import annotations

import time

from kkdesk.errors import Cancelled, Problem, ValidationError
from tests.ui.conftest import wait_tasks


def test_progress_dialog_appears_late_and_cancel_reaches_the_worker(qtbot, ctx):
    from PySide6.QtWidgets import QProgressDialog

    results, errors = [], []

    def work(progress):
        for i in range(400):
            if progress.cancelled():
                raise Cancelled("cancelled")
            progress.report(i, 400)
            time.sleep(0.005)
        return "finished"

    task = ctx.run_task(work, results.append, errors.append, label="Counting", cancellable=True)
    qtbot.wait(200)
    assert task.dialog is None  # short tasks never flash a dialog
    qtbot.waitUntil(lambda: task.dialog is not None and task.dialog.isVisible(), timeout=3000)
    dialog = task.dialog
    assert isinstance(dialog, QProgressDialog) and dialog.labelText() == "Counting"
    assert dialog.maximum() == 400
    from PySide6.QtWidgets import QPushButton

    cancel = dialog.findChild(QPushButton)
    assert cancel is not None and cancel.text() == "Cancel"
    cancel.click()
    wait_tasks(qtbot, ctx)
    assert not results and len(errors) == 1 and isinstance(errors[0], Cancelled)
    assert task.done and task.dialog is None


def test_worker_errors_reach_on_error_on_the_gui_thread(qtbot, ctx):
    import threading

    seen = []

    def boom(_progress):
        raise ValueError("broken")

    ctx.run_task(boom, on_error=lambda exc: seen.append((exc, threading.current_thread() is threading.main_thread())))
    wait_tasks(qtbot, ctx)
    assert len(seen) == 1 and isinstance(seen[0][0], ValueError) and seen[0][1]


def test_error_presenter_shows_translated_message_and_details(qtbot):
    from kkdesk.ui.common.messages import show_error
    from kkdesk.ui.shell.language import apply_language

    exc = ValidationError("The record was not saved: some fields need attention.",
                          [Problem("title", "required field is missing")])
    box = show_error(None, exc)
    assert box.text() == "The record was not saved: some fields need attention."
    assert "title" in box.detailedText()
    box.close()
    apply_language("ru")
    box = show_error(None, exc)
    assert box.text() != "The record was not saved: some fields need attention."  # Russian
    box.close()
    try:
        raise KeyError("surprise")
    except KeyError as err:
        box = show_error(None, err)
    assert "Traceback" in box.detailedText() and "KeyError" in box.detailedText()
    box.close()
    assert show_error(None, Cancelled("x")) is None  # cancelling is not an error
