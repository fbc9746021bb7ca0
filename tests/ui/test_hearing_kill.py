"""The kill test: a real application process in hearing mode is killed (SIGKILL)
while the monitor types; every note stamped with Ctrl+Enter before the kill is found
in the encrypted draft afterwards and a new hearing window offers to resume it.

The child process is this file run as a script (`python test_hearing_kill.py HOME`):
it opens the profile, opens `HearingEditor`, types notes and presses Ctrl+Enter
through QTest, printing `STAMPED <n> <text>` after each stamp — the stamp has been
committed by then — and keeps typing until it is killed."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WANTED = 6  # notes stamped before the kill


def child(home: str) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    from kkdesk.store import open_profile
    from kkdesk.ui.editors.hearing import HearingEditor
    from kkdesk.ui.shell.context import AppContext

    store = open_profile(Path(home), os.environ["KKDESK_TEST_PASSPHRASE"])
    ctx = AppContext(store, home=home, ui_lang=store.ui_lang)
    editor = HearingEditor(ctx)
    editor.show()
    print(f"DRAFT {editor.draft_key}", flush=True)
    n = 0
    while True:  # until killed, mid-sentence at some point
        text = f"note {n}: witness {n} answers the defence"
        QTest.keyClicks(editor.notes.entry, text)
        QTest.keyClick(editor.notes.entry, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        print(f"STAMPED {n} {text}", flush=True)
        QTest.keyClicks(editor.notes.entry, "the judge interrupts and")  # typed, not yet stamped
        app.processEvents()
        editor.notes.entry.clear()
        n += 1
        time.sleep(0.02)


def test_kill_during_hearing_keeps_every_stamped_note(tmp_path, template_home, qtbot):
    from kkdesk.drafts import load_draft
    from kkdesk.store import open_profile
    from kkdesk.ui.editors.hearing import HearingEditor
    from kkdesk.ui.shell.context import AppContext
    from tests.conftest import PASSPHRASE

    home = tmp_path / "profile"
    shutil.copytree(template_home, home)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KKDESK_TEST_INSECURE_FAST_KDF="1",
               KKDESK_TEST_PASSPHRASE=PASSPHRASE, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, __file__, str(home)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env, cwd=str(ROOT))
    stamped: list[str] = []
    draft_key = None
    try:
        deadline = time.monotonic() + 60
        while len(stamped) < WANTED:
            assert time.monotonic() < deadline, "the hearing process did not stamp notes in time"
            line = proc.stdout.readline()
            if not line:
                raise AssertionError("the hearing process ended: " + proc.stderr.read()[-2000:])
            if line.startswith("DRAFT "):
                draft_key = line.split(" ", 1)[1].strip()
            elif line.startswith("STAMPED "):
                stamped.append(line.split(" ", 2)[2].rstrip("\n"))
        os.kill(proc.pid, signal.SIGKILL)  # mid-hearing: the child is typing the next note
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    assert draft_key and draft_key.startswith("hearing:new:")

    store = open_profile(home, PASSPHRASE)
    try:
        with store.session() as s:
            draft = load_draft(s, draft_key)
        assert draft is not None
        saved = [n["text"] for n in draft.payload["content"]["notes"]]
        assert saved[:len(stamped)] == stamped  # every stamped note, in order (perhaps one more)
        assert all(len(n["time"]) == 5 for n in draft.payload["content"]["notes"])

        ctx = AppContext(store, home=home, ui_lang=store.ui_lang)
        editor = HearingEditor(ctx)
        editor.autosave_timer.stop()
        try:
            assert not editor.banner.isHidden()
            assert editor.banner.keys() == [draft_key]
            assert editor.resume_draft(draft_key)
            assert [n["text"] for n in editor.notes.notes()] == saved
        finally:
            editor._closing_ok = True
            editor.close()
            editor.deleteLater()
            qtbot.wait(1)
    finally:
        store.close()


if __name__ == "__main__":
    child(sys.argv[1])
