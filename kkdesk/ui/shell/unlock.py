"""The unlock window: shown before any heavy module is imported, in the profile's
language (from profile.json). The key derivation (Argon2id, ~0.2 s) runs off the GUI
thread with a busy indicator; a wrong passphrase is said in the window and the user
tries again. Nothing about the profile's content is shown before unlocking."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from kkdesk.i18n import _
from kkdesk.ui.common.tasks import TaskRunner
from kkdesk.ui.shell.startparts import action_buttons, busy_bar, error_label, passphrase_edit, title_label


def _open(home: Path, passphrase: str):
    from kkdesk.store import open_profile

    return open_profile(home, passphrase)


class UnlockDialog(QDialog):
    """Emits `unlocked(store)` with the open Store; `rejected` when the user quits."""

    unlocked = Signal(object)

    def __init__(self, home: Path | str, parent: QWidget | None = None, opener=_open) -> None:
        super().__init__(parent)
        self.home = Path(home)
        self._opener = opener
        self.setObjectName("unlock_dialog")
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        self.runner = TaskRunner(self, max_threads=1)
        self.attempts = 0
        self.busy = False

        self.title = title_label()
        self.title.setObjectName("unlock_title")
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.pass_label = QLabel()
        self.passphrase = passphrase_edit("passphrase")
        self.passphrase.setMinimumWidth(320)
        self.pass_label.setBuddy(self.passphrase)
        self.show_pass = QCheckBox()
        self.show_pass.toggled.connect(self._toggle_echo)
        self.error = error_label("unlock_error")
        self.busy_bar = busy_bar()
        self.folder = QLabel()
        self.folder.setWordWrap(True)
        self.folder.setStyleSheet("color: palette(mid);")
        self.folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.buttons, self.unlock_button, self.quit_button = action_buttons(
            "unlock_button", self.try_unlock, self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        layout.addSpacing(6)
        layout.addWidget(self.pass_label)
        layout.addWidget(self.passphrase)
        layout.addWidget(self.show_pass)
        layout.addWidget(self.error)
        layout.addWidget(self.busy_bar)
        layout.addWidget(self.folder)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.retranslate()
        self.passphrase.setFocus()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Unlock kkdesk"))
        self.title.setText(_("kkdesk is locked"))
        self.intro.setText(_("Enter your passphrase to open your encrypted records."))
        self.pass_label.setText(_("&Passphrase:"))
        self.passphrase.setAccessibleName(_("Passphrase"))
        self.show_pass.setText(_("&Show passphrase"))
        self.unlock_button.setText(_("&Unlock"))
        self.quit_button.setText(_("&Quit"))
        self.busy_bar.setAccessibleName(_("Unlocking…"))
        self.folder.setText(_("Profile folder: %(path)s") % {"path": str(self.home)})

    def _toggle_echo(self, shown: bool) -> None:
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.busy_bar.setVisible(busy)
        self.passphrase.setEnabled(not busy)
        self.unlock_button.setEnabled(not busy)
        if busy:
            self.error.hide()
            self.busy_bar.setFormat(_("Unlocking…"))

    def show_message(self, text: str) -> None:
        self.error.setText(text)
        self.error.setAccessibleName(text)
        self.error.show()

    def try_unlock(self) -> None:
        if self.busy:
            return
        passphrase = self.passphrase.text()
        if not passphrase:
            self.show_message(_("Enter the passphrase."))
            self.passphrase.setFocus()
            return
        self._set_busy(True)
        home, opener = self.home, self._opener
        self.runner.run(lambda _p: opener(home, passphrase), self._on_opened, self._on_failed, quiet=True)

    def _on_opened(self, store) -> None:
        self._set_busy(False)
        self.passphrase.clear()
        self.unlocked.emit(store)
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        from kkdesk.errors import KkdeskError, StoreLockedError

        self._set_busy(False)
        self.attempts += 1
        self.passphrase.clear()
        self.passphrase.setFocus()
        if isinstance(exc, StoreLockedError):
            self.show_message(exc.user_message() + " " + _("Try again."))
        elif isinstance(exc, KkdeskError):
            self.show_message(exc.user_message())
        else:
            from kkdesk.ui.common.messages import show_error

            show_error(self, exc)

    def reject(self) -> None:
        if self.busy:
            return  # the key derivation finishes in a moment; quitting mid-way gains nothing
        super().reject()
