"""Helpers for the forms tests: drive field widgets the way a user does (typing,
choosing from dropdowns, picking a record in the search popup, adding child rows).
This module holds no tests of its own."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from kkdesk.ui.fields.fieldbase import CODE_ROLE


def keys(qtbot, widget, text: str) -> None:
    """Key presses for `text`; QTest types ASCII only, so other letters (Kazakh,
    Russian) are sent as key events carrying their text, as a keyboard layout does."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    for ch in text:
        if ch == "\n":
            qtbot.keyClick(widget, Qt.Key.Key_Return)
        elif ch.isascii():
            qtbot.keyClicks(widget, ch)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def type_text(qtbot, form, name: str, text: str) -> None:
    """Type into a text, long text, list, number or date field."""
    fw = form.fields[name]
    edit = getattr(fw, "edit", None) or fw.date_edit
    if hasattr(edit, "selectAll"):
        edit.selectAll()
        qtbot.keyClick(edit, Qt.Key.Key_Delete)
    keys(qtbot, edit, text)
    if hasattr(edit, "editingFinished"):
        edit.editingFinished.emit()


def choose(form, name: str, value) -> None:
    """Pick an entry of a dropdown (vocabulary, yes/no, enum) by its value."""
    combo = form.fields[name].combo
    for row in range(combo.count()):
        if combo.itemData(row, CODE_ROLE) == value and type(combo.itemData(row, CODE_ROLE)) is type(value):
            combo.setCurrentIndex(row)
            return
    raise AssertionError(f"{name}: no entry {value!r}")


def check(form, name: str, *codes: str) -> None:
    for code in codes:
        form.fields[name].set_checked(code)


def pick_record(qtbot, form, name: str, words: str, expect_id: str | None = None) -> str:
    """Open the search popup of a reference field, type `words`, press Enter."""
    picker = form.fields[name].picker
    picker.open_search()
    dialog = picker.dialog
    qtbot.keyClicks(dialog.search_edit, words)
    dialog.run_search()
    assert dialog.model.choices, f"nothing found for {words!r}"
    qtbot.keyClick(dialog.search_edit, Qt.Key.Key_Return)
    value = picker.value()
    assert value is not None
    if expect_id is not None:
        assert value == expect_id
    return value


class InlineRow:
    """A row of a list edited in place (acts, perpetrators): its form is in the window."""

    def __init__(self, field) -> None:
        self.field = field
        self.form = field.row_form
        self.panel = field.panel

    def reject(self) -> None:
        pass


def add_row(form, name: str):
    """Press Add… on a child list; returns the row dialog (or the inline row)."""
    from kkdesk.ui.editors.inlinerows import InlineChildListField

    field = form.fields[name]
    field.add_button.click()
    if isinstance(field, InlineChildListField):
        assert field.current_row() == field.model.rowCount() - 1
        return InlineRow(field)
    assert field.dialog is not None
    return field.dialog


def ok(dialog) -> None:
    if isinstance(dialog, InlineRow):
        return  # every keystroke is already in the row
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def record(ctx, record_id: str):
    from kkdesk.records import get

    with ctx.store.session() as s:
        return get(s, record_id)


def make(ctx, kind: str, fields: dict) -> str:
    """A record saved through the core (the things a form points at)."""
    from kkdesk.interchange import save

    with ctx.store.session() as s:
        return save(s, ctx.author(), kind, fields, default_language="en").id


def person(ctx, name: str = "Aigerim Seitkali", **extra) -> str:
    return make(ctx, "person", {"name_latin": name, "gender": "female", "primary_target_group": "journalist",
                                "residence_region": "almaty_city", **extra})


@pytest.fixture(autouse=True)
def quiet_editors():
    """Editors left open by a test close without asking about unsaved changes (the
    shared clean-up closes every window; a question box would wait forever)."""
    yield
    from kkdesk.ui.editors import recordeditor as editors

    for editor in list(editors._open_editors):
        if editors._alive(editor):
            editor._closing = True


# --- accessibility walker ------------------------------------------------------------------
# (tests.ui.conftest.unnamed_inputs treats everything inside a QScrollArea as a Qt-internal
# part — the viewport is named "qt_scrollarea_viewport" — so it would skip a whole form.)

def _inside_composite(widget) -> bool:
    from PySide6.QtWidgets import QAbstractItemView, QAbstractSpinBox, QComboBox, QHeaderView, QScrollBar

    if isinstance(widget, (QHeaderView, QScrollBar)):
        return True
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, (QComboBox, QAbstractSpinBox, QAbstractItemView)):
            return True
        parent = parent.parentWidget()
    return False


def form_inputs(root) -> list:
    """Every input widget under `root` a user can reach (parts of a combo box, spin box
    or item view excluded: they are named through their owner)."""
    from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QAbstractSpinBox, QComboBox, QLineEdit,
                                   QPlainTextEdit, QTextEdit, QWidget)

    types = (QLineEdit, QTextEdit, QPlainTextEdit, QComboBox, QAbstractSpinBox, QAbstractButton, QAbstractItemView)
    return [w for w in [root, *root.findChildren(QWidget)] if isinstance(w, types) and not _inside_composite(w)
            and not w.objectName().startswith("qt_")]


def nameless_inputs(root) -> list[str]:
    """Inputs without an accessible name, and text/choice inputs without a buddy label."""
    from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QLabel, QLineEdit, QPlainTextEdit, QTextEdit

    from tests.ui.conftest import accessible_name

    labels = root.window().findChildren(QLabel) + root.findChildren(QLabel)
    buddies = {id(label.buddy()) for label in labels if label.buddy() is not None}
    out = []
    for w in form_inputs(root):
        where = f"{type(w).__name__} {w.objectName()!r}"
        if not accessible_name(w):
            out.append("no accessible name: " + where)
        elif isinstance(w, (QLineEdit, QTextEdit, QPlainTextEdit, QComboBox, QAbstractSpinBox)) and id(w) not in buddies:
            out.append("no buddy label: " + where)
    return out


def assert_named(root) -> int:
    problems = nameless_inputs(root)
    assert not problems, "\n".join(problems)
    return len(form_inputs(root))
