"""The unlock window's back-off countdown, duress and wipe-after-N; Settings' protection
group; Tools → Wipe this profile…; the damaged-store dialog; max lengths in the forms."""

from __future__ import annotations

import json
import time

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication

from tests.conftest import PASSPHRASE
from tests.ui.conftest import assert_accessible, modal_boxes, wait_tasks

DURESS = "the other passphrase, for them"


def set_profile(home, **changes):
    data = json.loads((home / "profile.json").read_text())
    data.update(changes)
    (home / "profile.json").write_text(json.dumps(data))


def _unlock(qtbot, dlg, passphrase: str) -> None:
    dlg.passphrase.setText(passphrase)
    qtbot.mouseClick(dlg.unlock_button, Qt.MouseButton.LeftButton)


@pytest.fixture
def shell_factory(qtbot, monkeypatch):
    from kkdesk.ui.shell.app import Shell

    quits: list[str] = []
    monkeypatch.setattr(QCoreApplication, "quit", staticmethod(lambda: quits.append("quit")))
    made = []

    def make(home):
        s = Shell(home, preload=False)
        s.quits = quits
        made.append(s)
        s.start()
        return s

    yield make
    for s in made:
        s.quitting = True
        if s.idle is not None:
            s.idle.stop()
        if s.ctx is not None and s.ctx.store is not None:
            s.ctx.lock()
        for w in (s.dialog, s.window):
            if w is not None:
                w.close()


def test_the_unlock_window_counts_down_after_three_failures(qtbot, home):
    from kkdesk.ui.shell.unlock import UnlockDialog

    dlg = UnlockDialog(home)
    qtbot.addWidget(dlg)
    dlg.show()
    for n in (1, 2, 3):
        _unlock(qtbot, dlg, "not the passphrase")
        qtbot.waitUntil(lambda: not dlg.busy, timeout=10000)
        assert json.loads((home / "profile.json").read_text())["failed_unlocks"] == n
    assert dlg.waiting and dlg.wait_label.isVisible() and not dlg.unlock_button.isEnabled()
    assert "next try in 2 s" in dlg.wait_label.text()
    _unlock(qtbot, dlg, PASSPHRASE)  # too early: nothing is tried
    assert not dlg.busy
    qtbot.waitUntil(lambda: dlg.unlock_button.isEnabled(), timeout=5000)
    assert not dlg.wait_label.isVisible()
    opened = []
    dlg.unlocked.connect(opened.append)
    _unlock(qtbot, dlg, PASSPHRASE)
    qtbot.waitUntil(lambda: bool(opened), timeout=10000)
    opened[0].close()
    assert "failed_unlocks" not in json.loads((home / "profile.json").read_text())


def test_the_countdown_is_shown_when_the_window_opens(qtbot, home):
    from kkdesk.ui.shell.unlock import UnlockDialog

    set_profile(home, failed_unlocks=6, failed_at=time.time())
    dlg = UnlockDialog(home)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.waiting and "16 s" in dlg.wait_label.text() and not dlg.unlock_button.isEnabled()


def test_duress_at_the_unlock_window_opens_an_empty_profile_of_the_same_name(qtbot, example_home, shell_factory):
    from kkdesk import security
    from kkdesk.store import open_profile
    from kkdesk.ui.shell.mainwindow import MainWindow

    store = open_profile(example_home, PASSPHRASE)
    name, old_id = store.name, store.profile_id
    security.set_duress_passphrase(store, DURESS)
    store.close()
    shell = shell_factory(example_home)
    _unlock(qtbot, shell.dialog, DURESS)
    qtbot.waitUntil(lambda: isinstance(shell.window, MainWindow), timeout=15000)
    wait_tasks(qtbot, shell.ctx)
    assert shell.ctx.store.name == name and shell.ctx.store.profile_id != old_id
    shell.window.show_screen("person")
    qtbot.wait(300)
    assert shell.window.current_panel().table.model().rowCount() == 0
    assert shell.quits == []


def test_the_failed_unlock_limit_wipes_and_starts_as_new(qtbot, home, shell_factory):
    from kkdesk.ui.shell.welcome import WelcomeDialog

    set_profile(home, wipe_after_failed=5, failed_unlocks=4, failed_at=0)
    shell = shell_factory(home)
    _unlock(qtbot, shell.dialog, "not the passphrase")
    qtbot.waitUntil(lambda: isinstance(shell.dialog, WelcomeDialog), timeout=10000)
    assert shell.dialog.isVisible() and shell.quits == []
    assert not (home / "keys.json").exists() and not (home / "profile.json").exists()
    assert any("wiped" in b.text() for b in modal_boxes())
    for box in modal_boxes():
        box.close()


def test_tools_wipe_asks_for_the_name_then_wipes_and_shows_the_first_run_window(qtbot, example_home, shell_factory):
    from kkdesk.ui.shell.mainwindow import MainWindow
    from kkdesk.ui.shell.protection import WipeDialog
    from kkdesk.ui.shell.welcome import WelcomeDialog

    shell = shell_factory(example_home)
    _unlock(qtbot, shell.dialog, PASSPHRASE)
    qtbot.waitUntil(lambda: isinstance(shell.window, MainWindow), timeout=15000)
    wait_tasks(qtbot, shell.ctx)
    name = shell.ctx.store.name or shell.ctx.store.profile_code
    shell.window.actions_by_name["wipe"].trigger()
    dlg = next(w for w in QApplication.topLevelWidgets() if isinstance(w, WipeDialog) and w.isVisible())
    assert_accessible(dlg)
    assert dlg.width() <= 1366 and dlg.height() <= 728
    dlg.confirm.setText(name[:-1] or "x")
    assert not dlg.wipe_button.isEnabled()
    dlg.confirm.setText(name)
    assert dlg.wipe_button.isEnabled()
    qtbot.mouseClick(dlg.wipe_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(shell.dialog, WelcomeDialog), timeout=15000)
    QApplication.processEvents()
    assert shell.quits == [] and shell.window is None and shell.ctx is None
    assert sorted(p.name for p in example_home.iterdir()) == []


def test_settings_set_the_wipe_limit_and_the_duress_passphrase(qtbot, ctx):
    from kkdesk import security
    from kkdesk.ui.shell.settings import SettingsDialog

    dlg = SettingsDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.show()
    box = dlg.protection
    assert box is not None and "cannot be undone" in box.wipe_hint.text() and "wiped" in box.duress_hint.text()
    assert dlg.height() <= 728 and dlg.width() <= 1366
    assert_accessible(dlg)
    box.wipe_after.setCurrentIndex(box.wipe_after.findData(6))
    box.duress.setText(DURESS)
    box.duress_repeat.setText(DURESS + "x")
    dlg.accept()
    assert security.state(ctx.store).as_dict() == {"failed_unlocks": 0, "wipe_after_failed": 0,
                                                         "duress_set": False}  # the repeat differs: nothing
    assert any("differ" in b.text() for b in modal_boxes())
    for b in modal_boxes():
        b.close()
    box.duress_repeat.setText(DURESS)
    dlg.accept()
    assert security.state(ctx.store).as_dict() == {"failed_unlocks": 0, "wipe_after_failed": 6,
                                                         "duress_set": True}


def test_a_damaged_store_is_said_in_a_dialog(qtbot, example_home):
    from kkdesk.ui.shell.unlock import UnlockDialog

    with open(example_home / "kkdesk.db", "r+b") as fh:
        fh.seek(100)
        fh.write(b"\x5a" * 64)
    dlg = UnlockDialog(example_home)
    qtbot.addWidget(dlg)
    dlg.show()
    _unlock(qtbot, dlg, PASSPHRASE)
    qtbot.waitUntil(lambda: bool(modal_boxes()), timeout=10000)
    texts = [b.text() for b in modal_boxes()]
    assert any("kkdesk.db" in t and "restore" in t for t in texts), texts
    for b in modal_boxes():
        b.close()


def test_form_text_fields_hold_at_most_the_limit(qtbot, ctx):
    from kkdesk.limits import NAME_MAX_CHARS
    from kkdesk.schema import PERSON
    from kkdesk.ui.fields.factory import make_field_widget

    field = make_field_widget(ctx, "person", PERSON.field("name_kk"))
    assert field.edit.maxLength() == NAME_MAX_CHARS
    field.edit.setText("Қ" * (NAME_MAX_CHARS + 50))
    assert len(field.edit.text()) == NAME_MAX_CHARS
