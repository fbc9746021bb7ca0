"""The one error presenter and the few standard questions of the application.

`show_error(parent, exc)`: a translated message (`exc.user_message()` for the core's
errors), and a Details area with the problem list or, for a programming error, the
traceback. Nothing is logged or written to disk. `Cancelled` is not an error to
present: the user asked for it."""

from __future__ import annotations

import traceback

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from kkdesk.i18n import _

_open_boxes: set[QMessageBox] = set()


def error_text(exc: BaseException) -> tuple[str, str]:
    """(message, details) for an exception, translated into the current language."""
    from kkdesk.errors import KkdeskError, ValidationError, file_error, storage_error

    if isinstance(exc, KkdeskError):
        message = exc.user_message()
        lines: list[str] = []
        if isinstance(exc, ValidationError):
            lines.extend(p.text() for p in exc.problems)
        lines.extend(str(d) for d in getattr(exc, "details", []) or [])
        return message, "\n".join(lines)
    if isinstance(exc, MemoryError):
        return _("The computer ran out of memory. Close other programs and try again."), ""
    if isinstance(exc, OSError):
        return file_error(exc).user_message(), ""
    known = storage_error(exc)  # SQLite: disk full, read-only, I/O error, busy
    if known is not None:
        return known.user_message(), ""
    details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return _("An unexpected error occurred. Please report it with the details below."), details


def _keep(box: QMessageBox) -> QMessageBox:
    _open_boxes.add(box)
    box.finished.connect(lambda _r, b=box: _open_boxes.discard(b))
    return box


def show_error(parent: QWidget | None, exc: BaseException) -> QMessageBox | None:
    """Show `exc` without blocking (no nested event loop); returns the message box."""
    from kkdesk.errors import Cancelled

    if isinstance(exc, Cancelled):
        return None
    message, details = error_text(exc)
    box = QMessageBox(QMessageBox.Icon.Warning, _("kkdesk"), message, QMessageBox.StandardButton.Close, parent)
    box.setObjectName("error_message")
    box.setAccessibleName(_("Error"))
    box.setAccessibleDescription(message)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if details:
        box.setDetailedText(details)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    _keep(box).open()
    return box


def show_info(parent: QWidget | None, title: str, text: str, details: str = "") -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("info_message")
    box.setAccessibleName(title)
    if details:
        box.setDetailedText(details)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    _keep(box).open()
    return box


def confirm(parent: QWidget | None, title: str, text: str, action: str, informative: str = "") -> bool:
    """Ask before a destructive or irreversible step; the safe answer is the default."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("confirm_message")
    box.setAccessibleName(title)
    if informative:
        box.setInformativeText(informative)
    yes = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    no = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(no)
    box.setEscapeButton(no)
    box.exec()
    return box.clickedButton() is yes


# --- file choosers ---------------------------------------------------------------------
# Qt's file dialog remembers visited folders in a plaintext QtProject.conf; folder and
# file names can name a case, so every chooser starts in the home folder and the
# remembered history is wiped afterwards.

def _forget_file_dialog_history() -> None:
    from PySide6.QtCore import QSettings

    settings = QSettings(QSettings.Scope.UserScope, "QtProject")
    settings.beginGroup("FileDialog")
    for key in ("history", "lastVisited"):
        settings.remove(key)
    settings.endGroup()
    settings.sync()


def ask_open_file(parent: QWidget | None, title: str, name_filter: str) -> str | None:
    from PySide6.QtCore import QDir
    from PySide6.QtWidgets import QFileDialog

    try:
        path, _selected = QFileDialog.getOpenFileName(parent, title, QDir.homePath(), name_filter)
    finally:
        _forget_file_dialog_history()
    return path or None


def ask_save_file(parent: QWidget | None, title: str, suggested_name: str, name_filter: str) -> str | None:
    from PySide6.QtCore import QDir
    from PySide6.QtWidgets import QFileDialog

    try:
        path, _selected = QFileDialog.getSaveFileName(parent, title, QDir(QDir.homePath()).filePath(suggested_name),
                                                      name_filter)
    finally:
        _forget_file_dialog_history()
    return path or None
