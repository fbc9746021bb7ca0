"""Issue 11, defect 1: locking (the menu's Lock now, Ctrl+L, the idle timer) keeps the
application running: the store is dropped, record windows close after keeping their
unsaved text as a draft, kkdesk's clipboard text is cleared, the unlock window is on
screen with no record data anywhere, and unlocking again offers the drafts."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTextEdit,
)

from tests.conftest import PASSPHRASE
from tests.ui.conftest import wait_tasks
from tests.ui.test_forms_support import keys

CANARY = "Lockcanary Жасырын 4711"


def visible_texts() -> list[str]:
    """Every text a visible widget shows: titles, labels, inputs, buttons, list cells."""
    out = []
    for w in QApplication.allWidgets():
        try:
            if not w.isVisible():
                continue
        except RuntimeError:
            continue
        if w.isWindow():
            out.append(w.windowTitle())
        if isinstance(w, (QLabel, QAbstractButton, QLineEdit)):
            out.append(w.text())
        elif isinstance(w, (QTextEdit, QPlainTextEdit)):
            out.append(w.toPlainText())
        elif isinstance(w, QComboBox):
            out += [w.itemText(i) for i in range(w.count())]
        elif isinstance(w, QAbstractItemView) and w.model() is not None:
            m = w.model()
            for r in range(min(m.rowCount(QModelIndex()), 200)):
                for c in range(12):  # columnCount is private on list models
                    index = m.index(r, c)
                    if not index.isValid():
                        break
                    value = index.data(Qt.ItemDataRole.DisplayRole)
                    if value is not None:
                        out.append(str(value))
    return out


def record_texts(window) -> set[str]:
    """What the main window's list shows of the records (names, titles, numbers)."""
    from kkdesk.ui.lists.panel import ListPanel

    texts = set()
    for panel in window.panels.values():
        if isinstance(panel, ListPanel):
            model = panel.table.model()
            for r in range(min(model.rowCount(), 50)):
                for c in range(model.columnCount()):
                    value = model.index(r, c).data(Qt.ItemDataRole.DisplayRole)
                    if isinstance(value, str) and len(value) >= 5:
                        texts.add(value)
    return texts


@pytest.fixture
def shell(qtbot, example_home, monkeypatch):
    """A Shell unlocked on the example profile; `shell.quits` records every request to
    end the application (QCoreApplication.quit/exit)."""
    from kkdesk.ui.shell.app import Shell
    from kkdesk.ui.shell.mainwindow import MainWindow

    quits: list[str] = []
    monkeypatch.setattr(QCoreApplication, "quit", staticmethod(lambda: quits.append("quit")))
    monkeypatch.setattr(QCoreApplication, "exit", staticmethod(lambda code=0: quits.append(f"exit {code}")))
    s = Shell(example_home, preload=False)
    s.quits = quits
    s.start()
    s.dialog.passphrase.setText(PASSPHRASE)
    s.dialog.try_unlock()
    qtbot.waitUntil(lambda: isinstance(s.window, MainWindow), timeout=30000)
    wait_tasks(qtbot, s.ctx)
    s.window.show_screen("person")
    qtbot.waitUntil(lambda: s.window.current_panel().table.model().rowCount() > 0, timeout=10000)
    yield s
    s.quitting = True
    if s.idle is not None:
        s.idle.stop()
    if s.ctx is not None:
        s.ctx.lock()
        wait_tasks(qtbot, s.ctx)


def _assert_locked_and_running(qtbot, shell, before: set[str]):
    from kkdesk.ui.shell.unlock import UnlockDialog

    QApplication.processEvents()
    qtbot.wait(50)
    assert shell.quits == [] and not shell.quitting  # the application goes on
    assert shell.ctx.store is None
    assert isinstance(shell.dialog, UnlockDialog) and shell.dialog.isVisible()
    assert shell.window is None
    shown = "\n".join(visible_texts())
    leaked = sorted(t for t in before if t in shown)
    assert not leaked, leaked
    assert CANARY not in shown
    visible = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    assert visible == [shell.dialog], [w.objectName() or type(w).__name__ for w in visible]


def _type_in_editor(qtbot, shell):
    """A new threat with a typed title (unsaved), and the title copied to the clipboard."""
    shell.window.show_screen("threat")
    editor = shell.window.new_record()
    assert editor is not None and editor.isVisible()
    title = editor.form.fields["title"].edit
    title.setFocus()
    keys(qtbot, title, CANARY)
    title.selectAll()
    title.copy()
    assert QApplication.clipboard().text() == CANARY
    assert CANARY in "\n".join(visible_texts())
    return editor


def _unlock_again_offers_the_draft(qtbot, shell):
    from kkdesk.ui.shell.locking import DraftsDialog
    from kkdesk.ui.shell.mainwindow import MainWindow

    shell.dialog.passphrase.setText(PASSPHRASE)
    shell.dialog.try_unlock()
    qtbot.waitUntil(lambda: isinstance(shell.window, MainWindow), timeout=30000)
    assert shell.ctx.store is not None and shell.quits == []
    assert isinstance(shell.drafts_dialog, DraftsDialog) and shell.drafts_dialog.isVisible()
    assert shell.drafts_dialog.table.rowCount() == 1
    shell.drafts_dialog.reject()


def test_lock_now_from_the_menu_keeps_the_application_running(qtbot, shell):
    before = record_texts(shell.window)
    assert before and any(t in "\n".join(visible_texts()) for t in before)  # the check can see record data
    _type_in_editor(qtbot, shell)
    menu_action = shell.window.actions_by_name["lock"]
    assert any(menu_action in m.actions() for m in shell.window.menuBar().findChildren(QMenu))
    menu_action.trigger()
    _assert_locked_and_running(qtbot, shell, before)
    assert QApplication.clipboard().text() == ""  # kkdesk's copied text went with the lock
    _unlock_again_offers_the_draft(qtbot, shell)


def test_ctrl_l_locks_and_keeps_the_application_running(qtbot, shell):
    before = record_texts(shell.window)
    window = shell.window
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    qtbot.keyClick(window.current_panel().table, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: shell.ctx.store is None, timeout=5000)
    _assert_locked_and_running(qtbot, shell, before)


def test_the_idle_timer_locks_and_keeps_the_application_running(qtbot, shell):
    before = record_texts(shell.window)
    _type_in_editor(qtbot, shell)
    shell.idle.set_timeout(0.3)
    qtbot.waitUntil(lambda: shell.ctx.store is None, timeout=5000)
    _assert_locked_and_running(qtbot, shell, before)
    assert QApplication.clipboard().text() == ""
    shell.idle.set_timeout(600)  # or the next 0.3 s without input locks again
    _unlock_again_offers_the_draft(qtbot, shell)


def test_text_copied_elsewhere_stays_on_the_clipboard(qtbot, shell, monkeypatch):
    """Only kkdesk's own clipboard text is cleared: another program's copy is not ours to wipe."""
    clipboard = QApplication.clipboard()
    monkeypatch.setattr(type(clipboard), "ownsClipboard", lambda self: False)
    with monkeypatch.context() as other_program_active:  # none of our windows has the focus
        other_program_active.setattr(QApplication, "activeWindow", staticmethod(lambda: None))
        clipboard.setText("from another program")
    shell.window.actions_by_name["lock"].trigger()
    assert shell.ctx.store is None
    assert clipboard.text() == "from another program"
