"""What the user sees of a programming error nobody caught: a translated dialog with a
"Copy details" button, while the application keeps running.

`install()` replaces `sys.excepthook` (PySide reports exceptions raised in slots and
event handlers through it, then carries on) and `threading.excepthook` (handed to the
GUI thread). Nothing is written anywhere: no log file, and not even stderr, which a
desktop session may keep in a file (~/.xsession-errors) — a traceback can hold case
data in an exception message. The details exist only in the dialog and, when the user
asks, on the clipboard (which locking clears)."""

from __future__ import annotations

import sys
import threading
import traceback
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kkdesk.i18n import _, ngettext

MAX_KEPT = 10  # tracebacks kept in one dialog when the same fault repeats (a paint handler, a timer)


def describe(exc: BaseException) -> tuple[str, str]:
    """(translated message, details) for an uncaught exception."""
    from kkdesk.ui.common.messages import error_text

    message, details = error_text(exc)
    if not details:
        details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return message, details


class UnexpectedErrorDialog(QDialog):
    """One dialog for every uncaught error until it is closed; later ones are added to it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unexpected_error")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.count = 0
        self.details: list[str] = []
        self.message = QLabel()
        self.message.setObjectName("unexpected_error_message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.advice = QLabel()
        self.advice.setWordWrap(True)
        self.repeats = QLabel()
        self.repeats.hide()
        self.details_label = QLabel()
        self.details_view = QPlainTextEdit()
        self.details_view.setObjectName("unexpected_error_details")
        self.details_view.setReadOnly(True)
        self.details_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details_view.setMinimumHeight(160)
        self.details_label.setBuddy(self.details_view)
        self.copy_button = QPushButton()
        self.copy_button.setObjectName("copy_details")
        self.copy_button.clicked.connect(self.copy_details)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for w in (self.message, self.advice, self.repeats, self.details_label, self.details_view, self.buttons):
            layout.addWidget(w)
        self.resize(640, 420)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("kkdesk: unexpected error"))
        self.advice.setText(_("kkdesk goes on running. If something looks wrong, save what you are editing and "
                              "restart kkdesk. Nothing about this error was written to disk; to report it, copy "
                              "the details and check that they hold no case data before you send them."))
        self.details_label.setText(_("&Details:"))
        self.copy_button.setText(_("&Copy details"))
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        self.details_view.setAccessibleName(_("Details"))
        self.setAccessibleName(self.windowTitle())
        if self.count > 1:
            self.repeats.setText(ngettext("This happened %(count)d time.", "This happened %(count)d times.",
                                          self.count) % {"count": self.count})

    def add(self, message: str, details: str) -> None:
        self.count += 1
        if self.count == 1:
            self.message.setText(message)
            self.setAccessibleDescription(message)
        self.details = (self.details + [details])[-MAX_KEPT:]
        self.details_view.setPlainText("\n".join(self.details))
        self.repeats.setVisible(self.count > 1)
        self.retranslate()

    def copy_details(self) -> None:
        QApplication.clipboard().setText(self.message.text() + "\n\n" + "\n".join(self.details))


class _Relay(QObject):
    """Carries an exception from any thread to the GUI thread."""

    raised = Signal(object)


class ExceptionHandler:
    """The installed hooks; `uninstall()` puts the previous ones back (tests do)."""

    def __init__(self, parent_for: Callable[[], QWidget | None] | None = None) -> None:
        self.parent_for = parent_for or (lambda: None)
        self.dialog: UnexpectedErrorDialog | None = None
        self._relay = _Relay()
        self._relay.raised.connect(self.show, Qt.ConnectionType.QueuedConnection)
        self._previous = (sys.excepthook, threading.excepthook)

    def install(self) -> ExceptionHandler:
        sys.excepthook = self.excepthook
        threading.excepthook = self.thread_excepthook
        return self

    def uninstall(self) -> None:
        sys.excepthook, threading.excepthook = self._previous

    def excepthook(self, exc_type, exc: BaseException | None, tb) -> None:
        if exc is None:
            exc = exc_type()
        if exc.__traceback__ is None and tb is not None:
            exc = exc.with_traceback(tb)
        if isinstance(exc, KeyboardInterrupt):  # Ctrl+C in a terminal: end as asked
            app = QApplication.instance()
            if app is not None:
                app.quit()
            return
        if threading.current_thread() is threading.main_thread():
            self.show(exc)
        else:
            self._relay.raised.emit(exc)

    def thread_excepthook(self, args) -> None:
        if args.exc_type is SystemExit:
            return
        self.excepthook(args.exc_type, args.exc_value, args.exc_traceback)

    def show(self, exc: BaseException) -> None:
        try:
            message, details = describe(exc)
            if self.dialog is None:
                self.dialog = UnexpectedErrorDialog(self.parent_for())
                self.dialog.destroyed.connect(self._forget)
                self.dialog.finished.connect(self._forget)
                self.dialog.add(message, details)
                self.dialog.show()
                self.dialog.raise_()
            else:
                self.dialog.add(message, details)
        except Exception:  # noqa: BLE001 - the hook must never raise; there is nowhere safe to write
            pass

    def _forget(self, *_args) -> None:
        self.dialog = None


def install(parent_for: Callable[[], QWidget | None] | None = None) -> ExceptionHandler:
    """Show uncaught exceptions in a dialog from now on; `parent_for()` gives its parent."""
    return ExceptionHandler(parent_for).install()
