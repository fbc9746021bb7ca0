"""The GUI flows of tools/canary.py, run in a child process (tools/gui_driver.py canary
HOME WORK LATIN CYRILLIC) with HOME, XDG and TMP pointed into the scratch folder.

Each flow prints `FLOW name ok` or `FLOW name error: …`; each file written because the
user asked for it prints `ASKED path` (the scan leaves those alone)."""

from __future__ import annotations

import os
import time
import traceback
from pathlib import Path

from tools.gui_driver import pump, type_keys


def _wait(app, cond, timeout: float = 60.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        app.processEvents()
        if cond():
            return True
        time.sleep(0.01)
    return False


def _first(ctx, kind: str) -> str | None:
    from sqlalchemy import select

    from kkdesk.db.models import Record

    with ctx.store.session() as s:
        return s.execute(select(Record.id).where(Record.kind == kind, Record.deleted == False)  # noqa: E712
                         .order_by(Record.id)).scalars().first()


def run_gui_flows(home: str, work: str, latin: str, cyrillic: str) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from kkdesk.store import open_profile
    from kkdesk.ui.shell.context import AppContext
    from kkdesk.ui.shell.mainwindow import MainWindow

    store = open_profile(Path(home), os.environ["KKDESK_PASSPHRASE"])
    ctx = AppContext(store, home=home, ui_lang=store.ui_lang)
    out = Path(work) / "out"
    out.mkdir(exist_ok=True)
    window = MainWindow(ctx)
    ctx.main_window = window
    window.show()
    pump(app, 0.5)

    def flow(name, fn):
        try:
            fn()
            print(f"FLOW {name} ok", flush=True)
        except Exception as exc:  # noqa: BLE001 - report and go on with the next flow
            detail = "".join(traceback.format_exception_only(type(exc), exc)).strip().replace("\n", " | ")
            print(f"FLOW {name} error: {detail[-300:]}", flush=True)

    def lists_and_search():
        from kkdesk.ui.shell.mainwindow import SCREENS

        for screen in SCREENS:
            window.show_screen(screen)
            pump(app, 0.2)
        window.show_screen("person")
        window.focus_search()
        pump(app, 0.1)
        focus = QApplication.focusWidget()
        if focus is None:
            raise RuntimeError("no search field has the focus")
        type_keys(focus, latin)
        QTest.keyClick(focus, Qt.Key.Key_Return)
        pump(app, 0.5)
        for _ in range(len(latin)):
            QTest.keyClick(focus, Qt.Key.Key_Backspace)
        type_keys(focus, cyrillic)
        pump(app, 0.5)

    def edit_with_autosave():
        from kkdesk.ui.editors import recordeditor

        rid = _first(ctx, "person")
        editor = recordeditor.open_editor(window, ctx, "person", rid)
        editor._autosave.setInterval(100)
        editor.show()
        pump(app, 0.3)
        field = editor.form.fields["occupation"].edit
        field.setFocus()
        type_keys(field, f" {latin} {cyrillic}")
        if not _wait(app, lambda: editor._draft_exists, 10):
            raise RuntimeError("no draft was autosaved")
        if not editor.save():
            raise RuntimeError("the record was not saved")
        editor._closing = True
        editor.close()
        pump(app, 0.2)

    def hearing_notes():
        from kkdesk.ui.editors.hearing import HearingEditor

        editor = HearingEditor(ctx, record_id=_first(ctx, "hearing"))
        editor.autosave_timer.setInterval(100)
        editor.show()
        pump(app, 0.3)
        entry = editor.notes.entry
        entry.setFocus()
        type_keys(entry, f"{cyrillic} the witness {latin}")
        QTest.keyClick(entry, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        type_keys(entry, f"unstamped {latin}")
        pump(app, 1.0)
        editor._closing_ok = True
        editor.close()
        pump(app, 0.2)

    def pdf_preview():
        from kkdesk.ui.reports.pdfdialog import PdfDialog

        for kind in ("person", "case", "hearing", "medical"):
            rid = _first(ctx, kind)
            if rid is None:
                continue
            dialog = PdfDialog(window, ctx, kind, rid)
            dialog.show()
            if not _wait(app, lambda d=dialog: d.pdf is not None, 120):
                raise RuntimeError(f"the {kind} preview did not render")
            pump(app, 0.3)
            if kind == "person":
                target = out / "gui-person.pdf"
                dialog.save_to(target)
                print(f"ASKED {target}", flush=True)
            dialog.done(0)
            pump(app, 0.1)

    def attachment():
        from kkdesk.ui.editors.attachments import AttachmentsPanel

        rid = _first(ctx, "person")
        src = Path(work) / "input" / f"gui-{latin}.txt"
        src.write_text(f"{cyrillic} {latin} GUI attachment\n", encoding="utf-8")
        panel = AttachmentsPanel(ctx, rid)
        panel.show()
        before = len(panel.model.rows)
        panel.add_files([str(src)])
        if not _wait(app, lambda: (panel.refresh() or True) and len(panel.model.rows) > before, 60):
            raise RuntimeError("the file was not attached")
        target = out / "gui-copy.txt"
        panel.save_copy(len(panel.model.rows) - 1, str(target))
        if not _wait(app, lambda: target.exists(), 60):
            raise RuntimeError("the copy was not written")
        print(f"ASKED {target}", flush=True)
        panel.close()

    def bundle_export():
        from kkdesk.sync import contacts
        from kkdesk.sync.export import ExportRequest

        panel = window.panel("sync")
        with ctx.store.session() as s:
            names = [c.name for c in contacts.list_all(s)]
        if not names:
            raise RuntimeError("no contact to export to")
        target = Path(work) / "stick" / "gui.kkb"
        target.parent.mkdir(exist_ok=True)
        panel.start_export(ExportRequest(out=str(target), to=names[:1]))
        if not _wait(app, lambda: target.exists(), 120):
            raise RuntimeError("no bundle was written")
        pump(app, 0.5)

    def lock():
        from kkdesk.ui.editors import recordeditor

        editor = recordeditor.open_editor(window, ctx, "person", _first(ctx, "person"))
        editor.show()
        pump(app, 0.2)
        field = editor.form.fields["remarks"].edit
        field.setFocus()
        type_keys(field, f" {latin} typed before the lock {cyrillic}")
        field.selectAll()
        field.copy()
        pump(app, 0.1)
        if not ctx.lock():
            raise RuntimeError("the store did not lock")
        pump(app, 0.5)
        if ctx.store is not None:
            raise RuntimeError("the store is still open")

    for name, fn in (("lists-search", lists_and_search), ("edit-autosave", edit_with_autosave),
                     ("hearing-notes", hearing_notes), ("pdf-preview", pdf_preview), ("attachment", attachment),
                     ("bundle-export", bundle_export), ("lock", lock)):
        flow(name, fn)
    for widget in QApplication.topLevelWidgets():  # the user quits: settings are written as on any quit
        widget.close()
    pump(app, 0.5)
