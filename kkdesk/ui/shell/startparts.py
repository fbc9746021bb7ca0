"""Widgets the two start-up dialogs share (unlock.py, welcome.py). Qt widgets only:
the unlock window must show before anything heavy is imported."""

from __future__ import annotations

from typing import Callable

from PySide6.QtWidgets import QDialogButtonBox, QLabel, QLineEdit, QProgressBar, QPushButton


def title_label() -> QLabel:
    label = QLabel()
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.4)
    font.setBold(True)
    label.setFont(font)
    return label


def passphrase_edit(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


def error_label(name: str) -> QLabel:
    """A hidden, red, bold message line."""
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet("color: #b00020; font-weight: bold;")
    label.hide()
    return label


def busy_bar() -> QProgressBar:
    """A thin, hidden 'working' bar (no percentage)."""
    bar = QProgressBar()
    bar.setRange(0, 0)
    bar.setTextVisible(False)
    bar.setMaximumHeight(8)
    bar.hide()
    return bar


def action_buttons(action_name: str, on_action: Callable[[], None],
                   on_quit: Callable[[], None]) -> tuple[QDialogButtonBox, QPushButton, QPushButton]:
    """(box, default action button, quit button); the dialog sets their texts."""
    action, quit_button = QPushButton(), QPushButton()
    action.setObjectName(action_name)
    action.setDefault(True)
    box = QDialogButtonBox()
    box.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
    box.addButton(quit_button, QDialogButtonBox.ButtonRole.RejectRole)
    action.clicked.connect(on_action)
    quit_button.clicked.connect(on_quit)
    return box, action, quit_button
