"""Every window and dialog fits a 1366 x 768 screen: opened where the screen offers
1366 x 728 (less a task bar), it is no larger, and every button lies inside it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import QAbstractButton

from kkdesk.normalize import map_id
from kkdesk.ui.common import screenfit
from tests.ui.conftest import wait_tasks

ROOM = QSize(1366, 728)


@pytest.fixture
def small_screen(monkeypatch):
    from kkdesk.ui.editors import childtable

    monkeypatch.setattr(screenfit, "available_size", lambda _w: ROOM)
    monkeypatch.setattr(childtable, "available_size", lambda _w: ROOM)


def ex(list_name: str, key: str) -> str:
    return map_id("kkdesk-example", list_name, key)


def assert_fits(qtbot, widget, name: str) -> None:
    widget.show()
    qtbot.wait(20)
    assert widget.width() <= ROOM.width(), name
    assert widget.height() + screenfit.TITLE_BAR <= ROOM.height(), (name, widget.height())
    inside = QRect(QPoint(0, 0), widget.size())
    buttons = [b for b in widget.findChildren(QAbstractButton) if b.isVisibleTo(widget) and b.window() is widget]
    for b in buttons:
        if b.objectName().startswith("qt_"):
            continue
        top_left = b.mapTo(widget, QPoint(0, 0))
        rect = QRect(top_left, b.size())
        if b.parentWidget() is not None and _in_scroll_area(b, widget):
            continue  # a button inside a scrolled form is reached by scrolling
        assert inside.contains(rect), (name, b.objectName() or b.text(), rect, inside)


def _in_scroll_area(button, root) -> bool:
    from PySide6.QtWidgets import QAbstractScrollArea

    w = button.parentWidget()
    while w is not None and w is not root:
        if isinstance(w, QAbstractScrollArea):
            return True
        w = w.parentWidget()
    return False


def test_windows_and_dialogs_fit(qtbot, small_screen, example_ctx, tmp_path):
    from kkdesk.ui.duplicates.finder import DuplicatesDialog
    from kkdesk.ui.duplicates.mergedialog import MergePersonsDialog
    from kkdesk.ui.editors.hearing import CourtDialog, HearingEditor
    from kkdesk.ui.editors.medical import MedicalEditor
    from kkdesk.ui.editors.recordeditor import RecordEditor
    from kkdesk.ui.fields.refpicker import RefSearchDialog
    from kkdesk.ui.imports.sheetdialog import ImportSheetDialog
    from kkdesk.ui.reports.pdfdialog import ExportOptionsDialog, PdfDialog
    from kkdesk.ui.shell.locking import DraftsDialog
    from kkdesk.ui.shell.mainwindow import MainWindow
    from kkdesk.ui.shell.protection import WipeDialog
    from kkdesk.ui.shell.settings import SettingsDialog
    from kkdesk.ui.shell.unlock import UnlockDialog
    from kkdesk.ui.shell.welcome import WelcomeDialog
    from kkdesk.ui.sync.dialogs import AddContactDialog, ExportDialog

    ctx = example_ctx
    for lang in ("kk", "ru"):
        ctx.set_language(lang)
        window = MainWindow(ctx)
        qtbot.addWidget(window)
        assert_fits(qtbot, window, "main window")
        wait_tasks(qtbot, ctx)
        widgets = {
            "pdf": PdfDialog(None, ctx, "case", ex("cases", "ex-case-toktarov")),
            "settings": SettingsDialog(ctx),
            "drafts": DraftsDialog(ctx, None, lambda *a: None),
            "welcome": WelcomeDialog(tmp_path / f"new-{lang}"),
            "unlock": UnlockDialog(tmp_path / "none"),
            "duplicates": DuplicatesDialog(ctx),
            "merge": MergePersonsDialog(ctx, ex("persons", "ex-person-yerlan"), ex("persons", "ex-person-dana")),
            "court": CourtDialog(ctx),
            "refsearch": RefSearchDialog(ctx, "person"),
            "pdf options": ExportOptionsDialog(None, lang),
            "sync export": ExportDialog(None, ["Office"]),
            "add contact": AddContactDialog(None, ctx.store.identity),
            "hearing": HearingEditor(ctx, ex("hearings", "ex-hearing-1")),
            "medical": MedicalEditor(ctx),
            "import sheet": ImportSheetDialog(ctx),
            "wipe": WipeDialog("Test monitor"),
        }
        for kind in ("person", "organisation", "court", "case", "threat", "source", "detention", "intervention",
                     "published_stat"):
            widgets[f"editor {kind}"] = RecordEditor(ctx, kind)
        for name, widget in widgets.items():
            qtbot.addWidget(widget)
            assert_fits(qtbot, widget, f"{name} ({lang})")
            wait_tasks(qtbot, ctx)
        for screen in window.screens:  # every screen of the main window, the new ones included
            window.show_screen(screen)
            assert_fits(qtbot, window, f"main window, screen {screen} ({lang})")
            wait_tasks(qtbot, ctx)
        threat = widgets["editor threat"]
        row = threat.form.fields["acts"].add_row()
        if row is not None:
            assert_fits(qtbot, row, f"act row ({lang})")
            row.reject()
        for widget in widgets.values():
            widget.hide()
        window.hide()
    ctx.set_language("en")

