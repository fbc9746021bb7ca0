"""Dropdowns and multi-selects of vocabulary codes, enumerations, yes/no and record
kinds: category headers, indented terms, type-to-search for long lists."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (QComboBox, QCompleter, QHBoxLayout, QLabel, QLineEdit, QListView, QSizePolicy, QStyle,
                               QStyledItemDelegate, QVBoxLayout, QWidget)

from kkdesk import labels, schema as S
from kkdesk.i18n import N_, _, get_language
from kkdesk.vocab import Term, vocabularies
from kkdesk.ui.fields.fieldbase import (CODE_ROLE, EMPTY, FILTER_AT, HEADER_COLOUR, HEADER_ROLE, LEVEL_ROLE, SEARCHABLE_AT,
                                  FieldWidget, name_clear_button)


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


def _header_font(base: QFont) -> QFont:
    font = QFont(base)
    font.setBold(True)
    return font


class FieldCombo(QComboBox):
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


class _OnFocusOut(QObject):
    def __init__(self, widget: QWidget, slot) -> None:
        super().__init__(widget)
        self.slot = slot
        widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.FocusOut:
            self.slot()
        return False


class ChoiceField(FieldWidget):
    """Base of single-choice dropdowns: items carry their value in CODE_ROLE."""

    def is_searchable(self) -> bool:
        return False

    def _build(self, box: QVBoxLayout) -> QWidget:
        self.combo = self.add_input(FieldCombo())
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
            # a searchable (editable) combo shows "—" as a placeholder, not as text one types after
            item = QStandardItem("" if self.combo.isEditable() else self.empty_text())
            item.setData(None, CODE_ROLE)
            item.setToolTip(self.empty_text())
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
        edit.setPlaceholderText(self.empty_text())
        edit.editingFinished.connect(self._commit_text)
        # the combo itself may hold the focus (given to it, not to its line edit): commit on leaving it too,
        # and a choice typed out in full is taken at once
        self._focus_out = _OnFocusOut(self.combo, self._commit_text)
        edit.textEdited.connect(self._commit_exact)
        completer.activated.connect(lambda _text: self._commit_text())
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

    def _commit_exact(self, text: str) -> None:
        folded = text.strip().casefold()
        matches = [r for r in range(self.model.rowCount()) if self._choosable(r)
                   and self.model.item(r).text().casefold() == folded]
        if len(matches) == 1 and matches[0] != self.combo.currentIndex():
            self.combo.setCurrentIndex(matches[0])

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
