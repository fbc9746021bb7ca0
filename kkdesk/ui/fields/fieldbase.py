"""The base of every field widget (`FieldWidget`: label, input, hint and problem line,
accessible names) and what all field modules share: item roles, colours, messages."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (QLabel, QLineEdit, QPlainTextEdit,
                               QVBoxLayout, QWidget)

from kkdesk import labels, schema as S
from kkdesk.i18n import N_, _

CODE_ROLE = Qt.ItemDataRole.UserRole + 1
LEVEL_ROLE = Qt.ItemDataRole.UserRole + 2
HEADER_ROLE = Qt.ItemDataRole.UserRole + 3

ERROR_COLOUR = "#b3261e"
WARNING_COLOUR = "#7a4a00"
HINT_COLOUR = "#555555"
HEADER_COLOUR = "#1f3a5f"
EMPTY = "\u2014"  # "—": the unset entry of a dropdown
SEARCHABLE_AT = 13  # dropdowns with more terms than this get type-to-search
FILTER_AT = 16      # multi-selects with more terms than this get a filter box

REQUIRED = N_("Required field")
ERROR_PREFIX = N_("Error: %(message)s")
WARNING_PREFIX = N_("Warning: %(message)s")


def problem_message(problem) -> str:
    """A core `Problem`'s message in the UI language, without its path."""
    text = _(problem.message)
    # a "reason" is itself a message of the rules (marked with N_), translated here too
    params = {k: (_(v) if k == "reason" and isinstance(v, str) else v) for k, v in (problem.params or {}).items()}
    try:
        return text % params if params else text
    except (KeyError, TypeError, ValueError):
        return text


def name_clear_button(edit: QLineEdit) -> None:
    """The little clear button Qt puts into a line edit gets a name screen readers say."""
    from PySide6.QtWidgets import QToolButton

    for button in edit.findChildren(QToolButton):
        button.setAccessibleName(_("Clear"))
        button.setToolTip(_("Clear"))


class FieldWidget(QObject):
    """Base class: label, container with the input(s), hint line and problem line."""

    changed = Signal()

    def __init__(self, ctx, entity_kind: str, field: S.Field, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.kind = entity_kind
        self.field = field
        self.name = field.name
        self.required = field.req == "R"
        self.read_only = False
        self._loading = False
        self._problem: tuple[str, str] | None = None
        self._hint: str | None = None  # msgid
        self.inputs: list[tuple[QWidget, str | None]] = []  # (input, msgid of the part's name)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setObjectName(f"label_{field.name}")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.widget = QWidget()
        self.widget.setObjectName(f"field_{field.name}")
        box = QVBoxLayout(self.widget)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        self.primary = self._build(box)
        self.hint_label = QLabel()
        self.hint_label.setWordWrap(True)
        self.hint_label.setStyleSheet(f"color: {HINT_COLOUR};")
        self.hint_label.hide()
        self.problem_label = QLabel()
        self.problem_label.setObjectName(f"problem_{field.name}")
        self.problem_label.setWordWrap(True)
        self.problem_label.setTextFormat(Qt.TextFormat.PlainText)
        self.problem_label.hide()
        box.addWidget(self.hint_label)
        box.addWidget(self.problem_label)
        self.label.setBuddy(self.primary)
        self.retranslate()

    # to implement ------------------------------------------------------------------
    def _build(self, box: QVBoxLayout) -> QWidget:
        raise NotImplementedError

    def value(self) -> Any:
        raise NotImplementedError

    def _set(self, value: Any) -> None:
        raise NotImplementedError

    def _retranslate_values(self) -> None:
        """Re-label vocabulary entries and other value texts (language switch)."""

    def _set_inputs_read_only(self, read_only: bool) -> None:
        for w, _part in self.inputs:
            if isinstance(w, (QLineEdit, QPlainTextEdit)):
                w.setReadOnly(read_only)
            else:
                w.setEnabled(not read_only)

    # shared ------------------------------------------------------------------------
    def set_value(self, value: Any) -> None:
        """Show a stored value; does not emit `changed`."""
        self._loading = True
        try:
            self._set(value)
        finally:
            self._loading = False

    def _emit(self, *_args) -> None:
        if not self._loading:
            self.changed.emit()

    def add_input(self, widget: QWidget, part: str | None = None) -> QWidget:
        self.inputs.append((widget, part))
        widget.setObjectName(f"input_{self.name}" + (f"_{len(self.inputs) - 1}" if part else ""))
        return widget

    def set_read_only(self, read_only: bool = True) -> None:
        self.read_only = read_only
        self._set_inputs_read_only(read_only)

    def label_text(self) -> str:
        return _(labels.field_label(self.kind, self.name))

    def help_text(self) -> str:
        msgid = labels.field_help(self.kind, self.name)
        return _(msgid) if msgid else ""

    def set_hint(self, msgid: str | None) -> None:
        """A quiet line under the input (e.g. what the program fills in when empty)."""
        self._hint = msgid
        self.hint_label.setText(_(msgid) if msgid else "")
        self.hint_label.setVisible(bool(msgid))
        self._describe()

    def set_problem(self, text: str | None, severity: str = "error") -> None:
        """Show `text` under the input (red for errors, brown for warnings); None clears."""
        self._problem = (text, severity) if text else None
        if text:
            colour = ERROR_COLOUR if severity == "error" else WARNING_COLOUR
            self.problem_label.setStyleSheet(f"color: {colour};")
            self.problem_label.setText(("\u26a0 " if severity != "error" else "\u2716 ") + text)
        self.problem_label.setVisible(bool(text))
        self._describe()

    def problem(self) -> tuple[str, str] | None:
        return self._problem

    def focus(self) -> None:
        self.primary.setFocus(Qt.FocusReason.OtherFocusReason)

    def _describe(self) -> None:
        parts: list[str] = []
        if self.required:
            parts.append(_(REQUIRED))
        help_text = self.help_text()
        if help_text:
            parts.append(help_text)
        if self._hint:
            parts.append(_(self._hint))
        if self._problem:
            text, severity = self._problem
            parts.append((_(ERROR_PREFIX) if severity == "error" else _(WARNING_PREFIX)) % {"message": text})
        description = " ".join(p if p.endswith((".", "!", "?", ")")) else p + "." for p in parts)
        for w, _part in self.inputs:
            w.setAccessibleDescription(description)

    def retranslate(self) -> None:
        name = self.label_text()
        self.label.setText(name + (" *" if self.required else ""))
        font = self.label.font()
        font.setBold(self.required)
        self.label.setFont(font)
        help_text = self.help_text()
        self.label.setToolTip(help_text)
        for w, part in self.inputs:
            w.setAccessibleName(f"{name}: {_(part)}" if part else name)
            w.setToolTip(help_text)
        if self._hint:
            self.hint_label.setText(_(self._hint))
        self._loading = True
        try:
            self._retranslate_values()
        finally:
            self._loading = False
        self._describe()
