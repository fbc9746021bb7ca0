"""Issue 11, defect 8: an uncaught exception in the GUI shows a translated dialog with a
"Copy details" button, the application goes on, and nothing is written anywhere."""

from __future__ import annotations

import builtins
import os
import sys
import threading

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QPushButton

from kkdesk.i18n import gettext_for

SECRET = "Айгерим Сейткали, case 2024-17"
TITLE = "kkdesk: unexpected error"
MESSAGE = "An unexpected error occurred. Please report it with the details below."


class Boom(RuntimeError):
    pass


def _raise_in_slot(qtbot):
    button = QPushButton("go")
    qtbot.addWidget(button)

    def fail():
        raise Boom(SECRET)

    button.clicked.connect(fail)
    return button


@pytest.fixture
def handler(monkeypatch):
    from kkdesk.ui.common.unexpected import install

    quits = []
    monkeypatch.setattr(QCoreApplication, "quit", staticmethod(lambda: quits.append(True)))
    h = install()
    h.quits = quits
    yield h
    h.uninstall()
    if h.dialog is not None:
        h.dialog.close()


@pytest.fixture
def no_writes(monkeypatch):
    """Every file opened for writing, by Python code anywhere in the process."""
    opened = []
    real_open, real_os_open = builtins.open, os.open

    def spy_open(file, mode="r", *args, **kwargs):
        if any(c in mode for c in "wax+"):
            opened.append(str(file))
        return real_open(file, mode, *args, **kwargs)

    def spy_os_open(path, flags, *args, **kwargs):
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND):
            opened.append(str(path))
        return real_os_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy_open)
    monkeypatch.setattr(os, "open", spy_os_open)
    return opened


@pytest.mark.qt_no_exception_capture
@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_an_error_in_a_slot_shows_a_translated_dialog_and_the_app_goes_on(qtbot, capfd, handler, no_writes, lang):
    from kkdesk.ui.shell.language import apply_language

    apply_language(lang)
    tr = gettext_for(lang)
    button = _raise_in_slot(qtbot)
    no_writes.clear()  # capfd opens its own temporary files as the test starts
    button.click()  # PySide reports the exception through sys.excepthook and returns
    dialog = handler.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowTitle() == tr(TITLE) and dialog.message.text() == tr(MESSAGE)
    if lang != "en":
        assert dialog.windowTitle() != TITLE and dialog.copy_button.text() != "&Copy details"
    assert "Boom" in dialog.details_view.toPlainText() and SECRET in dialog.details_view.toPlainText()
    dialog.copy_button.click()
    copied = QApplication.clipboard().text()
    assert "Traceback" in copied and SECRET in copied and tr(MESSAGE) in copied
    # still running: the same window works, a second fault joins the same dialog
    button.click()
    assert handler.dialog is dialog and dialog.count == 2 and dialog.repeats.isVisible()
    assert handler.quits == []
    assert no_writes == []
    out, err = capfd.readouterr()
    assert SECRET not in out + err and "Traceback" not in err  # stderr can end up in a session log
    dialog.buttons.rejected.emit()
    qtbot.waitUntil(lambda: handler.dialog is None, timeout=2000)


@pytest.mark.qt_no_exception_capture
def test_an_error_in_a_worker_thread_reaches_the_dialog(qtbot, handler, no_writes):
    def work():
        raise Boom(SECRET)

    t = threading.Thread(target=work)
    t.start()
    t.join()
    qtbot.waitUntil(lambda: handler.dialog is not None and handler.dialog.isVisible(), timeout=3000)
    assert SECRET in handler.dialog.details_view.toPlainText()
    assert no_writes == []


def test_install_and_uninstall_restore_the_hooks():
    from kkdesk.ui.common.unexpected import install

    before = (sys.excepthook, threading.excepthook)
    h = install()
    assert sys.excepthook == h.excepthook and threading.excepthook == h.thread_excepthook
    h.uninstall()
    assert (sys.excepthook, threading.excepthook) == before


def test_the_dialog_fits_a_small_screen_and_names_its_parts(qtbot):
    from kkdesk.ui.common.unexpected import UnexpectedErrorDialog
    from tests.ui.conftest import assert_accessible

    dlg = UnexpectedErrorDialog()
    qtbot.addWidget(dlg)
    dlg.add(MESSAGE, "Traceback (most recent call last):\n" + "  File x\n" * 40)
    dlg.show()
    assert dlg.width() <= 1366 and dlg.height() <= 728
    assert dlg.minimumSizeHint().height() <= 728
    assert_accessible(dlg)


DRIVER = r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from kkdesk.ui.common.unexpected import UnexpectedErrorDialog
from kkdesk.ui.shell.app import main

app = QApplication([sys.argv[0]])

def fail():
    raise RuntimeError(sys.argv[2])

def check():
    shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, UnexpectedErrorDialog) and w.isVisible()]
    print("DIALOG" if shown and sys.argv[2] in shown[0].details_view.toPlainText() else "NO DIALOG", flush=True)
    QApplication.exit(3)

QTimer.singleShot(300, fail)
QTimer.singleShot(900, check)
sys.exit(main(["--home", sys.argv[1]]))
"""


def test_the_application_installs_the_dialog(tmp_path):
    """`kkdesk` itself (a fresh profile: the first-run window) shows the dialog, runs on,
    and leaves no trace of the error on stderr or in the profile folder."""
    import subprocess
    from pathlib import Path

    home = tmp_path / "profile"
    root = Path(__file__).resolve().parent.parent.parent
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(root)}
    proc = subprocess.run([sys.executable, "-c", DRIVER, str(home), SECRET], capture_output=True, text=True,
                          timeout=60, env=env, cwd=tmp_path)
    assert proc.stdout.strip() == "DIALOG" and proc.returncode == 3, (proc.stdout, proc.stderr[-2000:])
    assert SECRET not in proc.stderr and "Traceback" not in proc.stderr
    assert not any(home.rglob("*")) if home.exists() else True
    assert sorted(p.name for p in tmp_path.iterdir()) in ([], ["profile"])
