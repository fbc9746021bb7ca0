"""One input widget per schema field type, labelled from `kkdesk.labels`.

`make_field_widget(ctx, entity_kind, field)` returns a `FieldWidget`: `.label` (a
QLabel whose buddy is the input), `.widget` (the input plus an inline hint and
problem line), `.value()` in interchange form (None when empty), `.set_value(v)`,
`.set_problem(text, severity)`, the `changed` signal (user edits only, not
`set_value`) and `.retranslate()`. Every input gets an accessible name (the label
text) and an accessible description (required mark, help line, current problem).

The widgets live by family: `fieldbase` (the base class, roles, colours), `choicefields`
(dropdowns and multi-selects), `datefields` (partial dates, date-times with offsets);
this module has text, number and reference fields and the factory. Child lists and
the hearing checklist are not scalar fields: `kkdesk.ui.editors.childtable` builds those."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QSizePolicy, QVBoxLayout, QWidget

from kkdesk import schema as S
from kkdesk.i18n import N_, _
from kkdesk.limits import NAME_MAX_CHARS
from kkdesk.ui.fields.choicefields import BoolField, CodeField, CodesField, EnumField, KindField
from kkdesk.ui.fields.datefields import DateField, DateTimeField, NoteTimeField
from kkdesk.ui.fields.fieldbase import FieldWidget


class TextField(FieldWidget):
    def _build(self, box: QVBoxLayout) -> QWidget:
        self.edit = self.add_input(QLineEdit())
        self.edit.setMaxLength(NAME_MAX_CHARS)  # kkdesk/limits.py: what import and bundles accept too
        self.edit.textEdited.connect(self._emit)
        box.addWidget(self.edit)
        return self.edit

    def value(self) -> str | None:
        text = self.edit.text().strip()
        return text or None

    def _set(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))
        self.edit.setCursorPosition(0)


class LongTextField(FieldWidget):
    LINES = 4

    def _build(self, box: QVBoxLayout) -> QWidget:
        self.edit = self.add_input(QPlainTextEdit())
        self.edit.setTabChangesFocus(True)
        self.edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        line = self.edit.fontMetrics().lineSpacing()
        self.edit.setFixedHeight(line * self.LINES + 14)
        self.edit.textChanged.connect(self._emit)
        box.addWidget(self.edit)
        return self.edit

    def value(self) -> str | None:
        text = self.edit.toPlainText()
        return text if text.strip() else None

    def _set(self, value: Any) -> None:
        self.edit.setPlainText("" if value is None else str(value))


class TextsField(FieldWidget):
    """A list of short texts, one per line (monitors, name variants, case numbers)."""

    def _build(self, box: QVBoxLayout) -> QWidget:
        self.edit = self.add_input(QPlainTextEdit())
        self.edit.setTabChangesFocus(True)
        self.edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.edit.setFixedHeight(self.edit.fontMetrics().lineSpacing() * 3 + 14)
        self.edit.textChanged.connect(self._emit)
        box.addWidget(self.edit)
        return self.edit

    def value(self) -> list[str] | None:
        items = [line.strip() for line in self.edit.toPlainText().splitlines()]
        if self.name == "citizenship":
            items = [i.upper() for i in items]
        items = [i for i in items if i]
        return items or None

    def _set(self, value: Any) -> None:
        if isinstance(value, str):
            value = [value]
        self.edit.setPlainText("\n".join(value or ()))

    def _retranslate_values(self) -> None:
        self.edit.setPlaceholderText(_("One entry per line"))


class IntField(FieldWidget):
    def _build(self, box: QVBoxLayout) -> QWidget:
        self.edit = self.add_input(QLineEdit())
        self.edit.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9]{0,9}"), self.edit))
        self.edit.setMaximumWidth(self.edit.fontMetrics().horizontalAdvance("0" * 12) + 20)
        self.edit.textEdited.connect(self._emit)
        box.addWidget(self.edit)
        return self.edit

    def value(self) -> int | None:
        text = self.edit.text().strip()
        return int(text) if text.isdigit() else None

    def _set(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))


class DecimalField(FieldWidget):
    """An exact decimal kept as text ('60.5'); a decimal comma is accepted."""

    def _build(self, box: QVBoxLayout) -> QWidget:
        self.edit = self.add_input(QLineEdit())
        self.edit.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9]{0,15}([.,][0-9]{0,8})?"), self.edit))
        self.edit.setMaximumWidth(self.edit.fontMetrics().horizontalAdvance("0" * 16) + 20)
        self.edit.textEdited.connect(self._emit)
        box.addWidget(self.edit)
        return self.edit

    def value(self) -> str | None:
        text = self.edit.text().strip().replace(",", ".")
        if not text or text == ".":
            return None
        if text.endswith("."):
            text = text[:-1]
        if text.startswith("."):
            text = "0" + text
        return text

    def _set(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))


class RefField(FieldWidget):
    """A reference to another record, chosen by search (see `refpicker`)."""

    def _build(self, box: QVBoxLayout) -> QWidget:
        from kkdesk.ui.fields.refpicker import RefPicker

        self.picker = RefPicker(self.ctx, self.field.ref or "any")
        self.add_input(self.picker.display)
        self.add_input(self.picker.choose_button, N_("choose"))
        self.add_input(self.picker.clear_button, N_("clear"))
        self.picker.changed.connect(self._emit)
        box.addWidget(self.picker)
        return self.picker.display

    def value(self) -> str | None:
        return self.picker.value()

    def _set(self, value: Any) -> None:
        self.picker.set_value(value)

    def _set_inputs_read_only(self, read_only: bool) -> None:
        self.picker.set_read_only(read_only)

    def _retranslate_values(self) -> None:
        self.picker.retranslate()


class RefsField(FieldWidget):
    """Several references: a list with Add… and Remove."""

    def _build(self, box: QVBoxLayout) -> QWidget:
        from kkdesk.ui.fields.refpicker import RefList

        self.refs = RefList(self.ctx, self.field.ref or "any")
        self.add_input(self.refs.list)
        self.add_input(self.refs.add_button, N_("add"))
        self.add_input(self.refs.remove_button, N_("remove"))
        self.refs.changed.connect(self._emit)
        box.addWidget(self.refs)
        return self.refs.list

    def value(self) -> list[str] | None:
        return self.refs.value()

    def _set(self, value: Any) -> None:
        self.refs.set_value(value)

    def _set_inputs_read_only(self, read_only: bool) -> None:
        self.refs.set_read_only(read_only)

    def _retranslate_values(self) -> None:
        self.refs.retranslate()


_BY_TYPE: dict[str, type[FieldWidget]] = {
    S.TEXT: TextField, S.LONGTEXT: LongTextField, S.TEXTS: TextsField, S.CODE: CodeField, S.CODES: CodesField,
    S.DATE: DateField, S.DATETIME: DateTimeField, S.INT: IntField, S.DEC: DecimalField, S.BOOL: BoolField,
    S.ENUM: EnumField, S.REF: RefField, S.REFS: RefsField, S.NOTETIME: NoteTimeField,
}


def make_field_widget(ctx, entity_kind: str, field: S.Field, parent: QObject | None = None) -> FieldWidget:
    """The widget for one scalar field of `entity_kind` (children: see childtable)."""
    if field.name == "target_entity" and field.type == S.TEXT:
        return KindField(ctx, entity_kind, field, parent)
    try:
        cls = _BY_TYPE[field.type]
    except KeyError:
        raise ValueError(f"no field widget for {entity_kind}.{field.name} of type {field.type}") from None
    return cls(ctx, entity_kind, field, parent)
