"""The application icon: every size of resources/icons/ on every window, named for kkdesk.desktop."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from kkdesk.resources import resource_path
from kkdesk.ui.shell.app import ICON_SIZES, application_icon, setup_application

ROOT = Path(__file__).resolve().parent.parent.parent


def test_every_window_carries_the_icon_in_every_size(qtbot):
    app = QApplication.instance()
    before = app.windowIcon()
    try:
        setup_application(app)
        sizes = {(s.width(), s.height()) for s in app.windowIcon().availableSizes()}
        assert sizes == {(n, n) for n in ICON_SIZES}
        window = QWidget()
        qtbot.addWidget(window)
        assert not window.windowIcon().isNull()  # inherited from the application
        small = window.windowIcon().pixmap(QSize(16, 16)).toImage()
        assert small.width() == 16 and small.pixelColor(8, 2).alpha() > 0  # drawn, not blank
        assert app.desktopFileName() == "kkdesk" and app.applicationName() == "kkdesk"
    finally:
        app.setWindowIcon(before)


def test_the_pngs_are_the_svg_rendered_and_the_desktop_entry_names_the_icon():
    for n in ICON_SIZES:
        png = resource_path("icons", f"kkdesk-{n}.png")
        assert png.is_file() and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not application_icon().isNull()
    assert resource_path("icons", "kkdesk.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    entry = (ROOT / "packaging" / "linux" / "kkdesk.desktop").read_text(encoding="utf-8").splitlines()
    assert "Icon=kkdesk" in entry and "Exec=kkdesk" in entry and "Type=Application" in entry
    assert (ROOT / "packaging" / "kkdesk.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"  # an ICO header


def test_without_any_system_font_the_windows_use_the_shipped_dejavu(qtbot, monkeypatch):
    from PySide6.QtGui import QFontDatabase

    from kkdesk.ui.shell.app import ensure_a_font

    app = QApplication.instance()
    before = app.font()
    assert ensure_a_font(app) is False and app.font() == before  # this machine has fonts: nothing changes
    # what Qt lists on a minimal Linux without fonts (seen in a debootstrap'd Debian 12)
    monkeypatch.setattr(QFontDatabase, "families", staticmethod(lambda *a: ["Monospace", "Sans Serif", "Serif"]))
    try:
        assert ensure_a_font(app) is True
        assert app.font().family() == "DejaVu Sans"
        monkeypatch.undo()
        assert "DejaVu Sans" in QFontDatabase.families()
        label = QLabel("Айгерім Сейітқали")
        qtbot.addWidget(label)
        assert label.fontInfo().family() == "DejaVu Sans"
    finally:
        app.setFont(before)
