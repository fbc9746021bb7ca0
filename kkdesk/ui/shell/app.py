"""`kkdesk`: start-up, and the unlock → main window → lock → unlock cycle.

Cold start matters (a monitor opens the laptop in a courtroom corridor): before the
unlock or welcome window is on screen only QtCore/QtGui/QtWidgets, `kkdesk.i18n`,
`kkdesk.paths` and the small dialog modules are imported. The store, SQLAlchemy,
SQLCipher and the main window are imported on a background thread while the
passphrase is typed, and used once it is accepted."""

from __future__ import annotations

import argparse
import sys
import threading
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from kkdesk.i18n import _, normalise_lang, system_language
from kkdesk.paths import profile_home, read_profile_json
from kkdesk.ui.shell.language import apply_language

PRELOAD = ("kkdesk.store", "kkdesk.db.engine", "kkdesk.db.migrations", "kkdesk.records", "kkdesk.listing",
           "kkdesk.search", "kkdesk.links", "kkdesk.labels", "kkdesk.vocab", "kkdesk.interchange",
           "kkdesk.ui.shell.context", "kkdesk.ui.shell.locking", "kkdesk.ui.shell.mainwindow")


def read_profile(home: Path) -> dict | None:
    """profile.json without importing the store module (which pulls in SQLAlchemy)."""
    return read_profile_json(home)


def initial_language(profile: dict | None) -> str:
    """The profile's language; before a profile exists, the system locale's (kk/ru/en)."""
    return normalise_lang((profile or {}).get("ui_lang")) or system_language()


def _preload() -> None:
    import importlib

    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - the real import later reports any problem
            return


def start_preload() -> threading.Thread:
    thread = threading.Thread(target=_preload, name="kkdesk-preload", daemon=True)
    thread.start()
    return thread


class Shell(QObject):
    """Owns the windows of one profile: welcome or unlock, then the main window; on lock
    the main window is destroyed and the unlock window shown again."""

    def __init__(self, home: Path, app: QApplication | None = None, preload: bool = True) -> None:
        super().__init__()
        self.home = Path(home)
        self.app = app or QApplication.instance()
        self.preload = preload
        self.ctx = None
        self.window = None
        self.dialog = None
        self.idle = None
        self.quitting = False
        self.drafts_dialog = None
        self._retired = None

    def start(self) -> None:
        if read_profile(self.home) is None:
            self.show_welcome()
        else:
            self.show_unlock()

    def _after_shown(self) -> None:
        if self.preload:
            QTimer.singleShot(0, start_preload)

    def show_welcome(self) -> None:
        from kkdesk.ui.shell.welcome import WelcomeDialog

        dlg = WelcomeDialog(self.home)
        dlg.created.connect(self.on_unlocked)
        dlg.rejected.connect(self._dialog_rejected)
        self.dialog = dlg
        dlg.show()
        self._after_shown()

    def show_unlock(self) -> None:
        from kkdesk.ui.shell.unlock import UnlockDialog

        dlg = UnlockDialog(self.home)
        dlg.unlocked.connect(self.on_unlocked)
        dlg.rejected.connect(self._dialog_rejected)
        self.dialog = dlg
        dlg.show()
        dlg.raise_()
        dlg.activateWindow()
        self._after_shown()

    def _retire_dialog(self) -> None:
        # called from the dialog's own signal: keep it alive until the next one replaces it
        self._retired, self.dialog = self.dialog, None

    def _dialog_rejected(self) -> None:
        self._retire_dialog()
        if self.window is None:
            self.quitting = True
            self.app.quit()

    def on_unlocked(self, store) -> None:
        from kkdesk.ui.shell.context import AppContext
        from kkdesk.ui.shell.locking import IdleLock, offer_drafts
        from kkdesk.ui.shell.mainwindow import MainWindow

        if self.ctx is None:
            self.ctx = AppContext(home=store.home, ui_lang=store.ui_lang)
            self.ctx.locked.connect(self.on_locked)
            self.idle = IdleLock(self.ctx, self.app)
        self.ctx.ui_lang = apply_language(store.ui_lang)
        self.ctx.settings.language = self.ctx.ui_lang
        self.ctx.unlock(store)
        self.idle.touch()
        self.window = MainWindow(self.ctx)
        self.window.closing.connect(self.quit)
        self.window.show()
        self._retire_dialog()
        self.drafts_dialog = offer_drafts(self.ctx, self.window, self.window.open_draft)

    def on_locked(self) -> None:
        if self.quitting:
            return
        self.show_unlock()  # first, so closing the main window does not end the application
        window, self.window = self.window, None
        if self.ctx is not None:
            self.ctx.main_window = None
        if window is not None:
            window.closing.disconnect(self.quit)  # closed by the lock, not by the user: no quit
            window.clear()
            window.close()
            window.deleteLater()
        self.drafts_dialog = None

    def lock(self) -> None:
        if self.ctx is not None:
            self.ctx.lock()

    def quit(self) -> None:
        """The main window was closed: editors save drafts, the store is closed, bye."""
        self.quitting = True
        if self.ctx is not None and self.ctx.store is not None:
            self.ctx.lock()
        self.app.quit()


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="kkdesk", description=_("kkdesk: human rights documentation"))
    parser.add_argument("--home", metavar="DIR", help=_("profile folder (default: KKDESK_HOME, else the user data folder)"))
    parser.add_argument("--version", action="store_true", help=_("print the version and exit"))
    args, _qt_args = parser.parse_known_args(argv)
    return args


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    if args.version:
        from kkdesk import __version__

        print(f"kkdesk {__version__}")
        return 0
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "kkdesk", *argv])
    app.setApplicationName("kkdesk")
    app.setApplicationDisplayName("kkdesk")
    home = profile_home(args.home)
    try:
        profile = read_profile(home)
    except Exception as exc:  # noqa: BLE001 - a damaged profile.json: say so, do not crash
        apply_language(system_language())
        from kkdesk.ui.common.messages import error_text

        QMessageBox.critical(None, "kkdesk", error_text(exc)[0])
        return 1
    apply_language(initial_language(profile))
    from kkdesk.ui.common.unexpected import install as show_uncaught_errors

    handler = show_uncaught_errors(QApplication.activeWindow)
    shell = Shell(home, app)
    shell.start()
    code = app.exec()
    handler.uninstall()
    if shell.ctx is not None and shell.ctx.store is not None:
        shell.quitting = True
        shell.ctx.lock()
    return code
