"""Drives the real GUI in a child process (QT_QPA_PLATFORM=offscreen) for the hardening
tools; not a command of its own. The passphrase comes from KKDESK_PASSPHRASE.

    python tools/gui_driver.py edit HOME RECORD_ID    (kill9: types into a person's remarks,
                                                       drafts autosaved, Save now and then;
                                                       prints READY, DRAFT n, SAVED n TEXT)
    python tools/gui_driver.py canary HOME WORK LATIN CYRILLIC   (canary: the GUI flows)
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def type_keys(widget, text: str) -> None:
    """Key presses for `text`, Cyrillic and Kazakh letters as key events carrying their
    text (QTest types ASCII only), as a keyboard layout does."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    for ch in text:
        if ch.isascii():
            QTest.keyClicks(widget, ch)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def pump(app, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.005)


def _open(home: str):
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from kkdesk.store import open_profile
    from kkdesk.ui.shell.context import AppContext

    store = open_profile(Path(home), os.environ["KKDESK_PASSPHRASE"])
    return app, AppContext(store, home=home, ui_lang=store.ui_lang)


EDIT_WORDS = ("Куәгер ", "witness ", "сотта ", "said ", "судья ", "again. ")


def edit(home: str, record_id: str) -> None:
    """Type into the remarks of a person until killed: a draft every ~0.2 s (the
    autosave timer, made faster), Save every ~25 keys. Each line printed is true when
    printed: SAVED n TEXT means revision n with that text is committed."""
    from kkdesk.ui.editors import recordeditor

    app, ctx = _open(home)
    editor = recordeditor.open_editor(None, ctx, "person", record_id)
    editor._autosave.setInterval(200)
    editor.show()
    pump(app, 0.2)
    field = editor.form.fields["remarks"].edit
    field.setFocus()
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    QTest.keyClick(field, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)  # type after the text
    print("READY", flush=True)
    n = 0
    drafts = 0
    while True:
        for word in EDIT_WORDS:
            QTest.keyClick(field, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)  # a save reloads the form
            type_keys(field, word)
            app.processEvents()
            if editor._last_draft is not None and editor._draft_exists:
                drafts += 1
        n += 1
        if editor.save():
            print(f"SAVED {n} {editor.form.values().get('remarks', '')}", flush=True)
        print(f"DRAFT {drafts}", flush=True)
        pump(app, 0.05)


def main(argv: list[str]) -> int:
    if argv[:1] == ["edit"]:
        edit(argv[1], argv[2])
    elif argv[:1] == ["canary"]:
        from tools.canary_gui import run_gui_flows

        run_gui_flows(*argv[1:5])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
