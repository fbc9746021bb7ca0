"""One input widget per schema field type, labelled from `kkdesk.labels`.

`make_field_widget(ctx, entity_kind, field)` returns a `FieldWidget`: `.label` (a
QLabel whose buddy is the input), `.widget` (the input plus an inline hint and
problem line), `.value()` in interchange form (None when empty), `.set_value(v)`,
`.set_problem(text, severity)`, the `changed` signal (user edits only, not
`set_value`) and `.retranslate()`. Every input gets an accessible name (the label
text) and an accessible description (required mark, help line, current problem).

Child lists and the hearing checklist are not scalar fields: `kkdesk.ui.childtable`
builds those."""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any, Callable

from PySide6.QtCore import QObject, QRegularExpression, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QRegularExpressionValidator, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (QComboBox, QCompleter, QHBoxLayout, QLabel, QLineEdit, QListView, QPlainTextEdit,
                               QSizePolicy, QStyle, QStyledItemDelegate, QVBoxLayout, QWidget)

from kkdesk import labels, schema as S
from kkdesk.i18n import N_, _, format_partial_date, get_language
from kkdesk.vocab import Term, vocabularies

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

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_DOTTED_RE = re.compile(r"^(?:(\d{1,2})\.)?(\d{1,2})\.(\d{4})$")
_TIME_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$")

# Kazakhstan's zones before the single UTC+5 of 1 March 2024 (SPEC §1.10): the
# western regions kept UTC+5, Kyzylorda moved to it on 21 December 2018, the rest
# (Astana, Almaty, most regions) were on UTC+6.
SINGLE_ZONE_FROM = "2024-03-01"
WEST_UTC5 = {"aktobe", "atyrau", "west_kazakhstan", "mangystau"}
KYZYLORDA_UTC5_FROM = "2018-12-21"
OFFSETS = ["+05:00", "+06:00"] + [f"{'+' if h >= 0 else '-'}{abs(h):02d}:{m:02d}" for h, m in (
    (-12, 0), (-11, 0), (-10, 0), (-9, 0), (-8, 0), (-7, 0), (-6, 0), (-5, 0), (-4, 0), (-3, 0), (-2, 0), (-1, 0),
    (0, 0), (1, 0), (2, 0), (3, 0), (3, 30), (4, 0), (4, 30), (5, 30), (5, 45), (7, 0), (8, 0), (9, 0), (10, 0),
    (11, 0), (12, 0), (13, 0), (14, 0))]


def default_utc_offset(day: str | None, region: str | None = None) -> str:
    """The usual UTC offset in Kazakhstan on `day` ('YYYY-MM-DD') in `region`."""
    if not day or day >= SINGLE_ZONE_FROM:
        return "+05:00"
    if region in WEST_UTC5 or (region == "kyzylorda" and day >= KYZYLORDA_UTC5_FROM):
        return "+05:00"
    return "+06:00"


def parse_partial_date(text: str) -> str | None:
    """'2024', '2024-3', '5.3.2024', '03.2024' -> ISO ('2024', '2024-03', '2024-03-05');
    None when the text is not a (partial) date.

    >>> parse_partial_date("5.3.2024"), parse_partial_date("2024-3"), parse_partial_date("2024-02-30")
    ('2024-03-05', '2024-03', None)
    """
    text = text.strip()
    m = _DATE_RE.match(text)
    if m:
        y, mo, d = m.group(1), m.group(2), m.group(3)
    else:
        m = _DOTTED_RE.match(text)
        if not m:
            return None
        d, mo, y = m.group(1), m.group(2), m.group(3)
    try:
        _dt.date(int(y), int(mo or 1), int(d or 1))
    except ValueError:
        return None
    if mo is None:
        return y
    if d is None:
        return f"{y}-{int(mo):02d}"
    return f"{y}-{int(mo):02d}-{int(d):02d}"


def derived_precision(date: str | None) -> str | None:
    """The precision the core derives from a stored date ('2024-03' -> 'month')."""
    if not date or not _DATE_RE.match(date):
        return None
    return {1: "year", 2: "month", 3: "day"}[len(date.split("-"))]


def problem_message(problem) -> str:
    """A core `Problem`'s message in the UI language, without its path."""
    text = _(problem.message)
    # a "reason" is itself a message of the rules (marked with N_), translated here too
    params = {k: (_(v) if k == "reason" and isinstance(v, str) else v) for k, v in (problem.params or {}).items()}
    try:
        return text % params if params else text
    except (KeyError, TypeError, ValueError):
        return text


def ordered_terms(vocab: str) -> list[tuple[Term, int]]:
    """Terms of a vocabulary as a tree walk: each category followed by its terms."""
    terms = vocabularies().terms(vocab)
    codes = {t.code for t in terms}
    children: dict[str | None, list[Term]] = {}
    for t in terms:
        children.setdefault(t.parent if t.parent in codes else None, []).append(t)
    out: list[tuple[Term, int]] = []

    def walk(parent: str | None, level: int) -> None:
        for t in sorted(children.get(parent, ()), key=lambda t: t.sort):
            out.append((t, level))
            if level < 8:
                walk(t.code, level + 1)

    walk(None, 0)
    return out


class IndentDelegate(QStyledItemDelegate):
    """Indents terms under their category header in dropdowns and lists."""

    def initStyleOption(self, option, index) -> None:  # noqa: N802 - Qt override
        super().initStyleOption(option, index)
        level = index.data(LEVEL_ROLE) or 0
        if level:
            option.rect.adjust(16 * int(level), 0, 0, 0)


class SelectableOnly(QSortFilterProxyModel):
    """The choosable items of a vocabulary model (no headers, no empty entry), for
    the completer of a searchable dropdown."""

    def filterAcceptsRow(self, row: int, parent) -> bool:  # noqa: N802 - Qt override
        index = self.sourceModel().index(row, 0, parent)
        if index.data(HEADER_ROLE) or index.data(CODE_ROLE) is None:
            return False
        return super().filterAcceptsRow(row, parent)


def name_clear_button(edit: QLineEdit) -> None:
    """The little clear button Qt puts into a line edit gets a name screen readers say."""
    from PySide6.QtWidgets import QToolButton

    for button in edit.findChildren(QToolButton):
        button.setAccessibleName(_("Clear"))
        button.setToolTip(_("Clear"))


def _header_font(base: QFont) -> QFont:
    font = QFont(base)
    font.setBold(True)
    return font


# --- the field widgets ------------------------------------------------------------------


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


class TextField(FieldWidget):
    def _build(self, box: QVBoxLayout) -> QWidget:
        self.edit = self.add_input(QLineEdit())
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


class _Combo(QComboBox):
    """A dropdown that keeps long vocabulary labels from widening the form."""

    def __init__(self) -> None:
        super().__init__()
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(18)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMaxVisibleItems(16)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # no focus (and no change) by the wheel

    def showPopup(self) -> None:  # noqa: N802 - Qt override
        view = self.view()
        view.setTextElideMode(Qt.TextElideMode.ElideNone)
        screen = self.screen().availableGeometry().width() if self.screen() else 1200
        wanted = view.sizeHintForColumn(0) + 40
        view.setMinimumWidth(min(max(self.width(), wanted), int(screen * 0.9)))
        super().showPopup()

    def wheelEvent(self, event) -> None:  # noqa: N802 - Qt override
        # scrolling a long form must not change the value under the pointer
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()


class ChoiceField(FieldWidget):
    """Base of single-choice dropdowns: items carry their value in CODE_ROLE."""

    def is_searchable(self) -> bool:
        return False

    def _build(self, box: QVBoxLayout) -> QWidget:
        self.combo = self.add_input(_Combo())
        self.model = QStandardItemModel(self.combo)
        self.combo.setModel(self.model)
        self.combo.setItemDelegate(IndentDelegate(self.combo))
        self.combo.currentIndexChanged.connect(self._emit)
        self.combo.currentIndexChanged.connect(self._update_tip)
        box.addWidget(self.combo)
        self.searchable = self.is_searchable()
        if self.searchable:
            self._make_searchable()
        return self.combo

    @property
    def has_empty(self) -> bool:
        return not (self.required and self.field.default is not None)

    def empty_text(self) -> str:
        return EMPTY

    def entries(self) -> list[tuple[Any, str, int, bool]]:
        """(value, display text, indent level, is a header) in order."""
        raise NotImplementedError

    def _fill(self) -> None:
        current = self.value() if self.model.rowCount() else None
        self.combo.blockSignals(True)
        self.model.clear()
        if self.has_empty:
            item = QStandardItem(self.empty_text())
            item.setData(None, CODE_ROLE)
            self.model.appendRow(item)
        header_font = _header_font(self.combo.font())
        for value, text, level, header in self.entries():
            item = QStandardItem(text)
            item.setData(value, CODE_ROLE)
            item.setData(level, LEVEL_ROLE)
            item.setToolTip(text)
            if header:
                item.setData(True, HEADER_ROLE)
                item.setFont(header_font)
                item.setForeground(QBrush(QColor(HEADER_COLOUR)))  # readable, not greyed out like disabled text
                item.setFlags(item.flags() & ~(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable))
            self.model.appendRow(item)
        self._select(current)
        self.combo.blockSignals(False)
        self._update_tip()

    def _make_searchable(self) -> None:
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.proxy = SelectableOnly(self.combo)
        self.proxy.setSourceModel(self.model)
        completer = QCompleter(self.proxy, self.combo)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setMaxVisibleItems(12)
        self.combo.setCompleter(completer)
        edit = self.combo.lineEdit()
        edit.editingFinished.connect(self._commit_text)
        self.inputs.append((edit, None))

    def _commit_text(self) -> None:
        """Typed text that names an item selects it; anything else is undone."""
        text = self.combo.currentText().strip()
        if not text and self.has_empty:
            self.combo.setCurrentIndex(0)
            return
        folded = text.casefold()
        matches = [r for r in range(self.model.rowCount()) if self._choosable(r)
                   and self.model.item(r).text().casefold() == folded]
        if not matches:
            matches = [r for r in range(self.model.rowCount()) if self._choosable(r)
                       and folded and folded in self.model.item(r).text().casefold()]
        if len(matches) == 1:
            self.combo.setCurrentIndex(matches[0])
        self.combo.setEditText(self.combo.itemText(self.combo.currentIndex()))

    def _choosable(self, row: int) -> bool:
        item = self.model.item(row)
        return bool(item.flags() & Qt.ItemFlag.ItemIsEnabled) and item.data(CODE_ROLE) is not None

    def _update_tip(self, *_args) -> None:
        help_text = self.help_text()
        text = self.combo.currentText()
        tip = f"{text}\n\n{help_text}" if help_text and text and text != EMPTY else (help_text or text)
        self.combo.setToolTip(tip)

    def _find(self, value: Any) -> int:
        for r in range(self.model.rowCount()):
            data = self.model.item(r).data(CODE_ROLE)
            if data == value and type(data) is type(value):  # True is not 1
                return r
        return -1

    def _select(self, value: Any) -> None:
        if value is None:
            if self.has_empty:
                self.combo.setCurrentIndex(0)
            else:
                row = self._find(self.field.default)
                self.combo.setCurrentIndex(row if row >= 0 else -1)
            return
        row = self._find(value)
        if row < 0:
            # a value this program does not offer (newer vocabulary, old data): kept and shown as is
            item = QStandardItem(str(value))
            item.setData(value, CODE_ROLE)
            item.setData(0, LEVEL_ROLE)
            self.model.appendRow(item)
            row = self.model.rowCount() - 1
        self.combo.setCurrentIndex(row)

    def value(self) -> Any:
        row = self.combo.currentIndex()
        if row < 0:
            return None
        item = self.model.item(row)
        if item is None or item.data(HEADER_ROLE):
            return None
        return item.data(CODE_ROLE)

    def _set(self, value: Any) -> None:
        self._select(value)
        self._update_tip()

    def _retranslate_values(self) -> None:
        self._fill()


class CodeField(ChoiceField):
    """One code of a vocabulary; categories of hierarchical vocabularies are bold,
    disabled headers when the field takes only leaf terms."""

    def is_searchable(self) -> bool:
        return len(vocabularies().terms(self.field.vocab)) > SEARCHABLE_AT  # type: ignore[arg-type]

    def entries(self):
        lang = get_language()
        out = []
        for term, level in ordered_terms(self.field.vocab):  # type: ignore[arg-type]
            header = term.is_category and self.field.leaf_only
            out.append((term.code, term.label(lang), level, header))
        return out


class EnumField(ChoiceField):
    def entries(self):
        return [(v, _(msgid), 0, False) for v, msgid in labels.enum_values(self.kind, self.name)]


class BoolField(ChoiceField):
    """Yes / No / unset: an unanswered question is not a "no"."""

    def entries(self):
        return [(True, _(labels.YES), 0, False), (False, _(labels.NO), 0, False)]


class KindField(ChoiceField):
    """The kind of a linked record ('case', 'person'…), shown by its name."""

    def entries(self):
        return [(kind, _(labels.kind_label(kind)), 0, False) for kind in S.TOP_LEVEL]


class CodesField(FieldWidget):
    """Several codes: a checkable list, with a filter box for long vocabularies and a
    line that says what is chosen (items may be scrolled out of view)."""

    ROWS = 6

    def _build(self, box: QVBoxLayout) -> QWidget:
        terms = ordered_terms(self.field.vocab)  # type: ignore[arg-type]
        self._filling = False
        self.filter_edit: QLineEdit | None = None
        self.filter_label: QLabel | None = None
        self.list = QListView()
        self.model = QStandardItemModel(self.list)
        self.proxy = QSortFilterProxyModel(self.list)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.list.setModel(self.proxy)
        self.list.setItemDelegate(IndentDelegate(self.list))
        self.list.setUniformItemSizes(True)
        if len(terms) > FILTER_AT:
            row = QHBoxLayout()
            self.filter_label = QLabel()
            self.filter_edit = QLineEdit()
            self.filter_edit.setClearButtonEnabled(True)
            self.filter_label.setBuddy(self.filter_edit)
            self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)
            row.addWidget(self.filter_label)
            row.addWidget(self.filter_edit, 1)
            box.addLayout(row)
        self.add_input(self.list)
        if self.filter_edit is not None:
            self.add_input(self.filter_edit, N_("filter"))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        box.addWidget(self.list)
        box.addWidget(self.summary)
        self._fill(summarise=False)
        rows = min(self.ROWS, max(self.model.rowCount(), 1))
        indicator = self.list.style().pixelMetric(QStyle.PixelMetric.PM_IndicatorHeight)
        row_height = max(self.list.fontMetrics().height(), indicator) + 6
        self.list.setFixedHeight(row_height * rows + 2 * self.list.frameWidth() + 4)
        self.model.itemChanged.connect(self._item_changed)
        return self.list

    def _fill(self, summarise: bool = True) -> None:
        chosen = set(self.value() or ()) if self.model.rowCount() else set()
        self._filling = True
        self.model.clear()
        lang = get_language()
        header_font = _header_font(self.list.font())
        for term, level in ordered_terms(self.field.vocab):  # type: ignore[arg-type]
            item = QStandardItem(term.label(lang))
            item.setData(term.code, CODE_ROLE)
            item.setData(level, LEVEL_ROLE)
            item.setToolTip(term.label(lang))
            if term.is_category and self.field.leaf_only:
                item.setData(True, HEADER_ROLE)
                item.setFont(header_font)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            else:
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if term.code in chosen else Qt.CheckState.Unchecked)
            self.model.appendRow(item)
        self._extra_codes = [c for c in chosen if c not in set(vocabularies().codes(self.field.vocab))]  # type: ignore[arg-type]
        for code in self._extra_codes:
            item = QStandardItem(code)
            item.setData(code, CODE_ROLE)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.model.appendRow(item)
        self._filling = False
        if summarise:
            self._summarise()

    def _item_changed(self, _item) -> None:
        if self._filling:
            return
        self._summarise()
        self._emit()

    def _checked_items(self) -> list[QStandardItem]:
        out = []
        for r in range(self.model.rowCount()):
            item = self.model.item(r)
            if item.isCheckable() and item.checkState() == Qt.CheckState.Checked:
                out.append(item)
        return out

    def _summarise(self) -> None:
        texts = [i.text() for i in self._checked_items()]
        self.summary.setText(_("Chosen: %(items)s") % {"items": "; ".join(texts)} if texts else _("Nothing chosen"))
        self._describe()

    def value(self) -> list[str] | None:
        codes = [i.data(CODE_ROLE) for i in self._checked_items()]
        return codes or None

    def _set(self, value: Any) -> None:
        if isinstance(value, str):
            value = [value]
        wanted = list(value or ())
        known = {self.model.item(r).data(CODE_ROLE) for r in range(self.model.rowCount())}
        self._filling = True
        for code in wanted:
            if code not in known:
                item = QStandardItem(str(code))
                item.setData(code, CODE_ROLE)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable)
                self.model.appendRow(item)
        for r in range(self.model.rowCount()):
            item = self.model.item(r)
            if item.isCheckable():
                item.setCheckState(Qt.CheckState.Checked if item.data(CODE_ROLE) in wanted else Qt.CheckState.Unchecked)
        self._filling = False
        self._summarise()

    def set_checked(self, code: str, checked: bool = True) -> None:
        """Check or clear one code as the user would (emits `changed`)."""
        for r in range(self.model.rowCount()):
            item = self.model.item(r)
            if item.data(CODE_ROLE) == code and item.isCheckable():
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
                return
        raise KeyError(code)

    def _retranslate_values(self) -> None:
        if self.filter_label is not None:
            self.filter_label.setText(_("Find:"))
            self.filter_edit.setPlaceholderText(_("Type to filter the list"))
            name_clear_button(self.filter_edit)
        self._fill()

    def _describe(self) -> None:
        super()._describe()
        if self.summary.text():
            self.list.setAccessibleDescription(f"{self.list.accessibleDescription()} {self.summary.text()}".strip())


class DateField(FieldWidget):
    """A partial date typed as YYYY, YYYY-MM or YYYY-MM-DD (or DD.MM.YYYY), with the
    date written out beside it so a mistyped month shows at once."""

    def _build(self, box: QVBoxLayout) -> QWidget:
        row = QHBoxLayout()
        self.edit = self.add_input(QLineEdit())
        self.edit.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9.\-]{0,10}"), self.edit))
        self.edit.setMaximumWidth(self.edit.fontMetrics().horizontalAdvance("0000-00-00") + 40)
        self.edit.textEdited.connect(self._edited)
        self.edit.editingFinished.connect(self._finished)
        self.preview = QLabel()
        self.preview.setWordWrap(True)  # in narrow rows the written-out date wraps instead of being cut
        self.preview.setStyleSheet(f"color: {HINT_COLOUR};")
        row.addWidget(self.edit)
        row.addWidget(self.preview, 1)
        box.addLayout(row)
        return self.edit

    def _edited(self, _text: str) -> None:
        self._update_preview()
        self._emit()

    def _finished(self) -> None:
        iso = parse_partial_date(self.edit.text())
        if iso and iso != self.edit.text():
            self.edit.setText(iso)
            self._update_preview()
            self._emit()

    def _update_preview(self) -> None:
        text = self.edit.text().strip()
        if not text:
            self.preview.setText("")
            return
        iso = parse_partial_date(text)
        if iso is None:
            self.preview.setText(_("not a date yet: use YYYY, YYYY-MM or YYYY-MM-DD"))
            return
        try:
            text = format_partial_date(iso, get_language())
        except (ValueError, LookupError):
            text = iso
        self.preview.setText("" if text == iso else text)

    def value(self) -> str | None:
        text = self.edit.text().strip()
        if not text:
            return None
        return parse_partial_date(text) or text  # the core names what is wrong with the raw text

    def _set(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))
        self._update_preview()

    def _retranslate_values(self) -> None:
        self.edit.setPlaceholderText(_("YYYY-MM-DD"))
        self._update_preview()


class DateTimeField(FieldWidget):
    """Date, time and UTC offset. Until the offset is chosen by hand it follows the
    date (and the region, when the form knows one): +05:00 from 1 March 2024, before
    that +06:00 for most regions and +05:00 for the west (SPEC §1.10)."""

    region_hint: Callable[[], str | None] | None = None  # set by the form when it knows the region

    def _build(self, box: QVBoxLayout) -> QWidget:
        self._offset_touched = False
        row = QHBoxLayout()
        self.date_edit = self.add_input(QLineEdit())
        self.date_edit.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9.\-]{0,10}"), self.date_edit))
        self.date_edit.setMaximumWidth(self.date_edit.fontMetrics().horizontalAdvance("0000-00-00") + 40)
        self.date_edit.setMinimumWidth(self.date_edit.fontMetrics().horizontalAdvance("0000-00-00") + 16)
        self.time_label = QLabel()
        self.time_edit = self.add_input(QLineEdit(), N_("time"))
        self.time_edit.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9:]{0,8}"), self.time_edit))
        self.time_edit.setMaximumWidth(self.time_edit.fontMetrics().horizontalAdvance("00:00:00") + 30)
        self.time_edit.setMinimumWidth(self.time_edit.fontMetrics().horizontalAdvance("00:00") + 16)
        self.offset_label = QLabel()
        self.offset = _Combo()
        self.offset.setMinimumContentsLength(9)
        self.offset.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.add_input(self.offset, N_("UTC offset"))
        for off in OFFSETS:
            self.offset.addItem(f"UTC{off}", off)
        self.time_label.setBuddy(self.time_edit)
        self.offset_label.setBuddy(self.offset)
        self.preview = QLabel()
        self.preview.setWordWrap(True)  # in narrow rows the written-out date wraps instead of being cut
        self.preview.setStyleSheet(f"color: {HINT_COLOUR};")
        for w in (self.date_edit, self.time_label, self.time_edit, self.offset_label, self.offset):
            row.addWidget(w)
        row.addWidget(self.preview, 1)
        box.addLayout(row)
        self.date_edit.textEdited.connect(self._date_edited)
        self.date_edit.editingFinished.connect(self._date_finished)
        self.time_edit.textEdited.connect(self._edited)
        self.time_edit.editingFinished.connect(self._time_finished)
        self.offset.activated.connect(self._offset_chosen)
        return self.date_edit

    def _edited(self, *_a) -> None:
        self._update_preview()
        self._emit()

    def _date_edited(self, _text: str) -> None:
        self.refresh_default_offset()
        self._edited()

    def _date_finished(self) -> None:
        iso = parse_partial_date(self.date_edit.text())
        if iso and len(iso) == 10 and iso != self.date_edit.text():
            self.date_edit.setText(iso)
            self.refresh_default_offset()
            self._edited()

    def _time_finished(self) -> None:
        m = _TIME_RE.match(self.time_edit.text().strip())
        if m:
            text = f"{int(m.group(1)):02d}:{m.group(2)}" + (f":{m.group(3)}" if m.group(3) else "")
            if text != self.time_edit.text():
                self.time_edit.setText(text)
                self._edited()

    def _offset_chosen(self, _index: int) -> None:
        self._offset_touched = True
        self._edited()

    def refresh_default_offset(self) -> None:
        """Follow the date and region unless the user chose the offset."""
        if self._offset_touched:
            return
        iso = parse_partial_date(self.date_edit.text())
        region = self.region_hint() if self.region_hint else None
        wanted = default_utc_offset(iso if iso and len(iso) == 10 else None, region)
        idx = self.offset.findData(wanted)
        if idx >= 0 and idx != self.offset.currentIndex():
            self.offset.setCurrentIndex(idx)
            self._update_preview()

    def current_offset(self) -> str:
        return self.offset.currentData() or "+05:00"

    def _update_preview(self) -> None:
        date_text, time_text = self.date_edit.text().strip(), self.time_edit.text().strip()
        if not date_text and not time_text:
            self.preview.setText("")
            return
        iso = parse_partial_date(date_text)
        if not iso or len(iso) != 10:
            self.preview.setText(_("enter the full date: YYYY-MM-DD"))
        elif not _TIME_RE.match(time_text):
            self.preview.setText(_("enter the time: HH:MM"))
        else:
            self.preview.setText(labels.format_stored_datetime(self.value() or "", get_language()))

    def value(self) -> str | None:
        date_text, time_text = self.date_edit.text().strip(), self.time_edit.text().strip()
        if not date_text and not time_text:
            return None
        iso = parse_partial_date(date_text) or date_text
        m = _TIME_RE.match(time_text)
        if not m:
            return f"{iso}T{time_text}" if time_text else iso  # the core names what is missing
        clock = f"{int(m.group(1)):02d}:{m.group(2)}" + (f":{m.group(3)}" if m.group(3) else "")
        return f"{iso}T{clock}{self.current_offset()}"

    def _set(self, value: Any) -> None:
        self._offset_touched = False
        if not value:
            self.date_edit.setText("")
            self.time_edit.setText("")
            self.refresh_default_offset()
            self._update_preview()
            return
        text = str(value)
        m = re.match(r"^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?(Z|[+-]\d{2}:\d{2})?$", text)
        if not m:
            self.date_edit.setText(text)
            self.time_edit.setText("")
            self._update_preview()
            return
        self.date_edit.setText(m.group(1))
        self.time_edit.setText(m.group(2))
        off = m.group(3)
        if off:
            off = "+00:00" if off == "Z" else off
            idx = self.offset.findData(off)
            if idx < 0:
                self.offset.addItem(f"UTC{off}", off)
                idx = self.offset.count() - 1
            self.offset.setCurrentIndex(idx)
            self._offset_touched = True
        self._update_preview()

    def set_offset(self, offset: str) -> None:
        """Choose the offset as the user would."""
        idx = self.offset.findData(offset)
        if idx < 0:
            raise KeyError(offset)
        self.offset.setCurrentIndex(idx)
        self._offset_chosen(idx)

    def _retranslate_values(self) -> None:
        self.date_edit.setPlaceholderText(_("YYYY-MM-DD"))
        self.time_edit.setPlaceholderText(_("HH:MM"))
        self.time_label.setText(_("time"))
        self.offset_label.setText(_("UTC offset"))
        self._update_preview()


class NoteTimeField(FieldWidget):
    """A note's time: HH:MM on the hearing's day (or a full date and time)."""

    def _build(self, box: QVBoxLayout) -> QWidget:
        self.edit = self.add_input(QLineEdit())
        self.edit.setMaximumWidth(self.edit.fontMetrics().horizontalAdvance("0000-00-00T00:00+00:00") + 30)
        self.edit.textEdited.connect(self._emit)
        box.addWidget(self.edit)
        return self.edit

    def value(self) -> str | None:
        text = self.edit.text().strip()
        m = _TIME_RE.match(text)
        if m and not m.group(3):
            return f"{int(m.group(1)):02d}:{m.group(2)}"
        return text or None

    def _set(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))

    def _retranslate_values(self) -> None:
        self.edit.setPlaceholderText(_("HH:MM"))


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
        from kkdesk.ui.refpicker import RefPicker

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
        from kkdesk.ui.refpicker import RefList

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
