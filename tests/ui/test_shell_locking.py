"""Auto-lock, Lock now and the unlock → main window → lock cycle."""

from __future__ import annotations

import gc
import time
import weakref

from PySide6.QtCore import Qt

from tests.conftest import PASSPHRASE
from tests.ui.conftest import wait_tasks


def test_auto_lock_drops_the_store_and_every_reference(qtbot, home):
    from kkdesk.store import open_profile
    from kkdesk.ui.shell.context import AppContext
    from kkdesk.ui.shell.locking import IdleLock
    from kkdesk.ui.shell.mainwindow import MainWindow

    store = open_profile(home, PASSPHRASE)
    engine_ref = weakref.ref(store.engine)
    store_ref = weakref.ref(store)
    ctx = AppContext(store, home=home)
    del store
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.current_panel().select_row(0)
    locked = []
    ctx.locked.connect(lambda: locked.append(True))
    idle = IdleLock(ctx)
    idle.set_timeout(0.3)
    qtbot.waitUntil(lambda: bool(locked), timeout=5000)
    assert ctx.store is None
    gc.collect()
    assert store_ref() is None, gc.get_referrers(store_ref())  # no window, panel or task kept it
    assert engine_ref() is None
    idle.stop()


def test_activity_postpones_the_auto_lock(qtbot, ctx):
    from kkdesk.ui.lists.panel import ListPanel
    from kkdesk.ui.shell.locking import IdleLock

    panel = ListPanel(ctx, "person")  # a top-level window: the lock closes it
    panel.show()
    idle = IdleLock(ctx)
    idle.set_timeout(0.5)
    deadline = time.monotonic() + 1.2
    while time.monotonic() < deadline:
        qtbot.keyClick(panel.search, Qt.Key.Key_A)
        qtbot.wait(100)
    assert ctx.store is not None  # typing kept it open for longer than the timeout
    qtbot.waitUntil(lambda: ctx.store is None, timeout=5000)
    idle.stop()


def test_auto_lock_minutes_come_from_the_settings(qtbot, ctx):
    from kkdesk.ui.shell.locking import IdleLock
    from kkdesk.ui.shell.settings import DEFAULT_AUTO_LOCK_MINUTES

    idle = IdleLock(ctx)
    assert DEFAULT_AUTO_LOCK_MINUTES == 10 and idle.timeout_s == 600
    ctx.set_auto_lock_minutes(3)
    assert idle.timeout_s == 180 and ctx.settings.auto_lock_minutes == 3
    idle.stop()


def test_about_to_lock_comes_while_the_store_is_still_open(qtbot, ctx):
    from kkdesk.drafts import list_drafts, save_draft

    def save_my_draft():
        with ctx.store.session() as s:
            save_draft(s, "hearing:new-1", "hearing", {"notes": ["10:02 the judge entered"]}, None)

    ctx.about_to_lock.connect(save_my_draft)
    store = ctx.store
    assert ctx.lock() is True
    assert ctx.store is None and store.locked
    assert ctx.lock() is False  # already locked: nothing to do
    from kkdesk.store import open_profile

    again = open_profile(ctx.home, PASSPHRASE)
    try:
        with again.session() as s:
            assert [d.key for d in list_drafts(s)] == ["hearing:new-1"]
    finally:
        again.close()


def test_lock_now_and_unlock_again_with_drafts_offered(qtbot, home):
    from kkdesk.drafts import save_draft
    from kkdesk.ui.shell.app import Shell
    from kkdesk.ui.shell.locking import DraftsDialog
    from kkdesk.ui.shell.mainwindow import MainWindow
    from kkdesk.ui.shell.unlock import UnlockDialog

    shell = Shell(home, preload=False)
    shell.start()
    assert isinstance(shell.dialog, UnlockDialog)
    shell.dialog.passphrase.setText(PASSPHRASE)
    shell.dialog.try_unlock()
    qtbot.waitUntil(lambda: shell.window is not None, timeout=10000)
    window = shell.window
    assert isinstance(window, MainWindow) and window.isVisible()
    ctx = shell.ctx
    with ctx.store.session() as s:
        save_draft(s, "threat:new-abc", "threat", {"title": "half-typed incident"}, None)
    window.activateWindow()
    window.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    if ctx.store is not None:  # no active window on this platform: use the action behind the shortcut
        window.actions_by_name["lock"].trigger()
    assert ctx.store is None
    assert isinstance(shell.dialog, UnlockDialog) and shell.dialog.isVisible()
    assert shell.window is None
    qtbot.waitUntil(lambda: not _alive(window), timeout=3000)
    # a wrong passphrase after locking: still locked, still asking
    shell.dialog.passphrase.setText("wrong passphrase!")
    shell.dialog.try_unlock()
    qtbot.waitUntil(lambda: shell.dialog.error.isVisible(), timeout=10000)
    assert ctx.store is None
    shell.dialog.passphrase.setText(PASSPHRASE)
    shell.dialog.try_unlock()
    qtbot.waitUntil(lambda: shell.window is not None, timeout=10000)
    assert ctx.store is not None and shell.window is not window
    assert isinstance(shell.drafts_dialog, DraftsDialog)
    assert shell.drafts_dialog.table.rowCount() == 1
    assert "New record" in shell.drafts_dialog.table.item(0, 1).text()
    shell.drafts_dialog.reject()
    shell.quitting = True
    ctx.lock()
    wait_tasks(qtbot, ctx)


def _alive(widget) -> bool:
    try:
        widget.isVisible()
        return True
    except RuntimeError:
        return False


def test_auto_lock_waits_for_work_the_user_is_watching(qtbot, ctx):
    from kkdesk.ui.shell.locking import IdleLock

    idle = IdleLock(ctx)
    idle.set_timeout(0.2)
    task = ctx.run_task(lambda _p: time.sleep(0.8), label="Importing")
    qtbot.wait(500)
    assert ctx.store is not None and not task.done  # an import in progress is not idleness
    qtbot.waitUntil(lambda: ctx.store is None, timeout=5000)
    assert task.done
    idle.stop()
