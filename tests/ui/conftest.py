"""Shared fixtures and helpers of the GUI tests (offscreen, pytest-qt).

Fixtures: `ctx` (an AppContext over a fresh, unlocked copy of the empty template
profile), `example_ctx` (the same with the example document imported),
`main_window` (a MainWindow over `example_ctx`). Helpers, importable from any GUI
test (`from tests.ui.conftest import ...`):

- `unnamed_inputs(root)` / `assert_accessible(root)`: walk every input widget under
  `root` (a window, dialog or form) and report the ones without an accessible name
  (and, for text fields, combo boxes and spin boxes, without a buddy label);
- `wait_tasks(qtbot, ctx)`: wait until every background task of `ctx` has reported;
- `wait_loaded(qtbot, panel)`: wait until a list panel's rows have arrived;
- `answer_dialog(qtbot, accept=True)`: answer the next modal message box or dialog;
- `modal_boxes()`: the message boxes currently shown.
"""

from __future__ import annotations

from collections.abc import Iterable

import pytest
import pytestqt  # noqa: F401 - the GUI tests need pytest-qt (qtbot, qtmodeltester); never skipped

from tests.conftest import PASSPHRASE  # noqa: F401 - re-exported for GUI tests

# --- accessibility ------------------------------------------------------------------------

def _input_types():
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QAbstractSlider,
        QAbstractSpinBox,
        QComboBox,
        QLineEdit,
        QPlainTextEdit,
        QTextEdit,
    )

    return (QLineEdit, QTextEdit, QPlainTextEdit, QComboBox, QAbstractSpinBox, QAbstractButton, QAbstractItemView,
            QAbstractSlider)


def _is_internal(widget) -> bool:
    """Parts of a composite Qt widget (the line edit in a spin box, a header, a scroll
    bar, a combo box's popup list) are named through their owner."""
    from PySide6.QtWidgets import (
        QAbstractItemView,
        QAbstractSpinBox,
        QComboBox,
        QHeaderView,
        QLineEdit,
        QScrollBar,
        QTabBar,
        QToolBar,
    )

    if isinstance(widget, (QHeaderView, QScrollBar, QTabBar)):
        return True
    if widget.objectName().startswith("qt_"):
        return True
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, (QComboBox, QAbstractSpinBox, QAbstractItemView, QLineEdit)):
            return True
        # Qt's own containers are named qt_…; a scroll area's viewport is too, but what
        # sits in it (a whole form) is ours and must be checked
        if parent.objectName().startswith("qt_") and not parent.objectName().startswith("qt_scrollarea"):
            return True
        if isinstance(parent, QToolBar) and widget.objectName() == "qt_toolbar_ext_button":
            return True
        parent = parent.parentWidget()
    return False


def accessible_name(widget) -> str:
    """The name a screen reader announces (Qt derives it from a buddy label or the
    button text when no accessibleName is set)."""
    from PySide6.QtGui import QAccessible

    iface = QAccessible.queryAccessibleInterface(widget)
    name = iface.text(QAccessible.Text.Name) if iface is not None else ""
    return (name or widget.accessibleName() or "").replace("&", "").strip()


def _needs_buddy(widget) -> bool:
    from PySide6.QtWidgets import (
        QAbstractSpinBox,
        QComboBox,
        QLineEdit,
        QPlainTextEdit,
        QTextEdit,
    )

    if isinstance(widget, (QTextEdit, QPlainTextEdit)) and widget.isReadOnly():
        return False
    return isinstance(widget, (QLineEdit, QTextEdit, QPlainTextEdit, QComboBox, QAbstractSpinBox))


def _buddies(root) -> set[int]:
    from PySide6.QtWidgets import QLabel

    window = root.window() if hasattr(root, "window") else root
    labels = window.findChildren(QLabel) + (root.findChildren(QLabel) if window is not root else [])
    return {id(label.buddy()) for label in labels if label.buddy() is not None}


def _describe(widget) -> str:
    parts = [type(widget).__name__]
    if widget.objectName():
        parts.append(f"objectName={widget.objectName()!r}")
    parent = widget.parentWidget()
    chain = []
    while parent is not None and len(chain) < 4:
        chain.append(parent.objectName() or type(parent).__name__)
        parent = parent.parentWidget()
    parts.append("in " + " < ".join(chain))
    return " ".join(parts)


def unnamed_inputs(root, require_buddy: bool = True, extra: Iterable = ()) -> list[str]:
    """Descriptions of the input widgets under `root` (and `root` itself) that a screen
    reader cannot name, or (require_buddy) that have no buddy label."""
    from PySide6.QtWidgets import QWidget

    types = _input_types()
    buddies = _buddies(root)
    problems = []
    for widget in [root, *root.findChildren(QWidget), *extra]:
        if not isinstance(widget, types) or _is_internal(widget):
            continue
        if not accessible_name(widget):
            problems.append("no accessible name: " + _describe(widget))
        elif require_buddy and _needs_buddy(widget) and id(widget) not in buddies:
            problems.append("no buddy label: " + _describe(widget))
    return problems


def assert_accessible(root, require_buddy: bool = True) -> int:
    """Fail on any unnamed input under `root`; returns the number of inputs checked."""
    from PySide6.QtWidgets import QWidget

    problems = unnamed_inputs(root, require_buddy)
    assert not problems, "inputs without a name:\n" + "\n".join(problems)
    types = _input_types()
    return sum(1 for w in [root, *root.findChildren(QWidget)] if isinstance(w, types) and not _is_internal(w))


# --- waiting and answering ------------------------------------------------------------------

def wait_tasks(qtbot, ctx, timeout: int = 10000) -> None:
    qtbot.waitUntil(lambda: not ctx.busy(), timeout=timeout)


def wait_loaded(qtbot, panel, timeout: int = 10000) -> None:
    """Wait until a list panel's rows (fetched on a worker thread) and its count are in."""
    qtbot.waitUntil(lambda: not panel.model.loading and not panel.ctx.busy(), timeout=timeout)


def modal_boxes():
    from PySide6.QtWidgets import QApplication, QMessageBox

    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]


def answer_dialog(qtbot, accept: bool = True, timeout_ms: int = 5000, seen: list | None = None) -> None:
    """Answer the next modal dialog (message box or QDialog) when it appears. `seen`
    collects the dialog's text. Call *before* the code that opens the dialog."""
    import time

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QMessageBox

    deadline = time.monotonic() + timeout_ms / 1000

    def poll() -> None:
        modal = QApplication.activeModalWidget()
        if modal is None:
            if time.monotonic() < deadline:
                QTimer.singleShot(20, poll)
            return
        if seen is not None:
            seen.append(modal.text() if isinstance(modal, QMessageBox) else modal.windowTitle())
        if isinstance(modal, QMessageBox):
            target = None
            for button in modal.buttons():
                role = modal.buttonRole(button)
                if accept and role in (QMessageBox.ButtonRole.AcceptRole, QMessageBox.ButtonRole.YesRole):
                    target = button
                if not accept and role in (QMessageBox.ButtonRole.RejectRole, QMessageBox.ButtonRole.NoRole):
                    target = button
            if target is not None:
                target.click()
                return
            (modal.accept if accept else modal.reject)()
        elif isinstance(modal, QDialog):
            box = modal.findChild(QDialogButtonBox)
            if accept and box is not None and box.button(QDialogButtonBox.StandardButton.Ok) is not None:
                box.button(QDialogButtonBox.StandardButton.Ok).click()
            else:
                (modal.accept if accept else modal.reject)()

    QTimer.singleShot(20, poll)


# --- fixtures -------------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def _gui_cleanup(qapp):
    """Every GUI test starts in English and leaves no window behind."""
    from PySide6.QtWidgets import QApplication

    from kkdesk.ui.shell.language import apply_language

    apply_language("en")
    yield
    for widget in QApplication.topLevelWidgets():
        try:  # hide, not close: a closeEvent could ask a question nobody answers
            widget.hide()
            widget.deleteLater()
        except RuntimeError:
            pass
    QApplication.processEvents()
    apply_language("en")


def _make_ctx(store, qtbot):
    from kkdesk.ui.shell.context import AppContext

    ctx = AppContext(store, home=store.home, ui_lang=store.ui_lang)
    yield ctx
    for runner in (ctx.tasks, ctx.quick_tasks):
        runner.cancel_all()
        runner.wait(10000)
    qtbot.wait(1)  # deliver the last callbacks before the store closes


@pytest.fixture
def ctx(store, qtbot):
    """AppContext over a fresh unlocked empty profile."""
    yield from _make_ctx(store, qtbot)


@pytest.fixture
def example_ctx(example_store, qtbot):
    """AppContext over a profile holding the example document (tests/data)."""
    yield from _make_ctx(example_store, qtbot)


@pytest.fixture
def main_window(example_ctx, qtbot):
    from kkdesk.ui.shell.mainwindow import MainWindow

    window = MainWindow(example_ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    wait_tasks(qtbot, example_ctx)
    yield window
    wait_tasks(qtbot, example_ctx)


_OPEN_EDITORS: list = []


def track_editor(editor):
    """Register an editor window so that it is closed after the test, even a failed one."""
    _OPEN_EDITORS.append(editor)
    return editor


@pytest.fixture(autouse=True)
def _finish_editors(qapp):
    """A failed test must not leave an editor window that asks a question at teardown."""
    yield
    while _OPEN_EDITORS:
        editor = _OPEN_EDITORS.pop()
        try:
            editor._closing_ok = True
            editor.close()
            editor.deleteLater()
        except RuntimeError:  # already deleted by Qt
            pass
