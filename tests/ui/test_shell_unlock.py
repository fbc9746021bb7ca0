"""First run, unlock and the light start-up path."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt

from tests.conftest import PASSPHRASE
from tests.ui.conftest import assert_accessible


def _unlock(qtbot, dlg, passphrase: str) -> None:
    dlg.passphrase.setText(passphrase)
    qtbot.mouseClick(dlg.unlock_button, Qt.MouseButton.LeftButton)


def test_wrong_passphrase_says_so_and_right_one_unlocks(qtbot, home):
    from kkdesk.ui.shell.unlock import UnlockDialog

    dlg = UnlockDialog(home)
    qtbot.addWidget(dlg)
    dlg.show()
    opened = []
    dlg.unlocked.connect(opened.append)
    _unlock(qtbot, dlg, "not the passphrase")
    qtbot.waitUntil(lambda: not dlg.busy and dlg.error.isVisible(), timeout=10000)
    assert "Wrong passphrase" in dlg.error.text()
    assert dlg.isVisible() and not opened
    assert dlg.passphrase.text() == "" and dlg.passphrase.isEnabled()
    # empty passphrase: a message, no attempt
    _unlock(qtbot, dlg, "")
    assert "Enter the passphrase" in dlg.error.text() and not dlg.busy
    _unlock(qtbot, dlg, PASSPHRASE)
    qtbot.waitUntil(lambda: bool(opened), timeout=10000)
    store = opened[0]
    try:
        assert not store.locked and store.profile_id
        assert dlg.result() == dlg.DialogCode.Accepted
    finally:
        store.close()


def test_unlock_damaged_keys_file_is_a_message_not_a_crash(qtbot, home):
    from kkdesk.ui.shell.unlock import UnlockDialog

    (home / "keys.json").write_text("{not json", encoding="utf-8")
    dlg = UnlockDialog(home)
    qtbot.addWidget(dlg)
    dlg.show()
    _unlock(qtbot, dlg, PASSPHRASE)
    qtbot.waitUntil(lambda: not dlg.busy and dlg.error.isVisible(), timeout=10000)
    assert "keys.json" in dlg.error.text()


def test_unlock_dialog_speaks_the_profile_language(qtbot, home):
    from kkdesk.ui.shell.app import read_profile
    from kkdesk.ui.shell.language import apply_language
    from kkdesk.ui.shell.unlock import UnlockDialog

    profile = json.loads((home / "profile.json").read_text())
    profile["ui_lang"] = "kk"
    (home / "profile.json").write_text(json.dumps(profile))
    apply_language(read_profile(home)["ui_lang"])
    dlg = UnlockDialog(home)
    qtbot.addWidget(dlg)
    assert dlg.unlock_button.text().replace("&", "") == "Ашу"
    assert_accessible(dlg)


def test_welcome_creates_a_profile(qtbot, tmp_path):
    from kkdesk.store import open_profile, read_profile_json
    from kkdesk.ui.shell.welcome import WelcomeDialog

    home = tmp_path / "new-profile"
    dlg = WelcomeDialog(home)
    qtbot.addWidget(dlg)
    dlg.show()
    assert_accessible(dlg)
    created = []
    dlg.created.connect(created.append)
    dlg.name.setText("Aktobe monitors")
    dlg.language.setCurrentIndex(dlg.language.findData("ru"))
    assert dlg.create_button.text().replace("&", "") == "Создать профиль"  # re-labelled live
    dlg.passphrase.setText("short")
    assert dlg.meter.value() == 0
    qtbot.mouseClick(dlg.create_button, Qt.MouseButton.LeftButton)
    assert dlg.error.isVisible() and not dlg.busy and not created
    dlg.passphrase.setText("Ақтөбе 2024 — сот залы")
    dlg.repeat.setText("something else entirely")
    qtbot.mouseClick(dlg.create_button, Qt.MouseButton.LeftButton)
    assert dlg.error.isVisible() and not created
    dlg.repeat.setText("Ақтөбе 2024 — сот залы")
    assert dlg.meter.value() >= 3
    qtbot.mouseClick(dlg.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(created), timeout=15000)
    created[0].close()
    assert read_profile_json(home)["ui_lang"] == "ru"
    store = open_profile(home, "Ақтөбе 2024 — сот залы")
    try:
        assert store.name == "Aktobe monitors"
    finally:
        store.close()


def test_welcome_preselects_the_system_language(qtbot, tmp_path, monkeypatch):
    from kkdesk.ui.shell.app import initial_language
    from kkdesk.ui.shell.language import apply_language
    from kkdesk.ui.shell.welcome import WelcomeDialog

    for env, expected in (("kk_KZ.UTF-8", "kk"), ("ru_RU.UTF-8", "ru"), ("de_DE.UTF-8", "en")):
        monkeypatch.setenv("LC_ALL", env)
        apply_language(initial_language(None))  # what main() does before the first window
        dlg = WelcomeDialog(tmp_path / "p")
        qtbot.addWidget(dlg)
        assert dlg.lang == expected
    assert initial_language({"profile_id": "x", "ui_lang": "ru"}) == "ru"


def test_unlock_window_shows_before_heavy_modules_are_imported(home):
    """The start-up path imports no SQLAlchemy, SQLCipher or main window before the
    unlock window is on screen."""
    root = Path(__file__).resolve().parents[2]
    code = f"""
import sys
from PySide6.QtWidgets import QApplication
app = QApplication(['kkdesk'])
from kkdesk.ui.shell.app import Shell, read_profile
from kkdesk.ui.shell.language import apply_language
apply_language(read_profile(__import__('pathlib').Path({str(home)!r}))['ui_lang'])
shell = Shell(__import__('pathlib').Path({str(home)!r}), app, preload=False)
shell.start()
app.processEvents()
heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'sqlcipher3', 'babel', 'cryptography')
               or m in ('kkdesk.store', 'kkdesk.ui.shell.mainwindow', 'kkdesk.ui.lists.panel', 'kkdesk.ui.lists.listmodel'))
print(type(shell.dialog).__name__, shell.dialog.isVisible(), heavy)
"""
    out = subprocess.run([sys.executable, "-c", code], check=False, cwd=root, capture_output=True, text=True, timeout=60,
                         env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "UnlockDialog True []"


def test_first_run_goes_from_welcome_to_the_main_window(qtbot, tmp_path):
    from kkdesk.ui.shell.app import Shell
    from kkdesk.ui.shell.mainwindow import MainWindow
    from kkdesk.ui.shell.welcome import WelcomeDialog

    shell = Shell(tmp_path / "fresh", preload=False)
    shell.start()
    dlg = shell.dialog
    assert isinstance(dlg, WelcomeDialog) and dlg.isVisible()
    dlg.language.setCurrentIndex(dlg.language.findData("kk"))
    dlg.passphrase.setText("a long enough passphrase")
    dlg.repeat.setText("a long enough passphrase")
    qtbot.mouseClick(dlg.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: shell.window is not None, timeout=15000)
    assert isinstance(shell.window, MainWindow) and shell.window.isVisible()
    assert shell.ctx.ui_lang == "kk" and shell.window.menu_file.title() == "&Файл"
    shell.quitting = True
    shell.ctx.lock()
