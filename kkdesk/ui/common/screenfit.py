"""Windows open no larger than the screen: a 1366 x 768 laptop (less its task bar) is
the smallest the application is made for, and a dialog taller than the screen hides
its buttons below it."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

TITLE_BAR = 32  # the window frame's title bar, outside the widget's own height
SMALLEST = QSize(1366, 728)  # 1366 x 768 less a task bar


def available_size(widget: QWidget) -> QSize:
    """The room the widget's screen offers (for a window: frame included)."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry().size() if screen is not None else SMALLEST


def fit_size(widget: QWidget, width: int, height: int, minimum: tuple[int, int] = (320, 200)) -> None:
    """Resize to `width` x `height`, or smaller where the screen is (its title bar counted)."""
    room = available_size(widget)
    widget.resize(max(min(width, room.width()), minimum[0]), max(min(height, room.height() - TITLE_BAR), minimum[1]))
