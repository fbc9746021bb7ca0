"""Choosing a referenced record: a line with the chosen record's title and number, and
a search popup over the core's full-text search limited to the referenced kind
("any" allows every kind). The popup can also create the record on the spot."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractListModel, QEvent, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QLineEdit, QListView, QListWidget,
                               QListWidgetItem, QPushButton, QSizePolicy, QVBoxLayout, QWidget)

from kkdesk import labels, schema as S
from kkdesk.i18n import _
from kkdesk.ui.fields.fieldbase import name_clear_button

SEARCH_DELAY_MS = 200
RESULT_LIMIT = 60
ID_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class Choice:
    kind: str
    id: str
    record_no: str | None
    title: str
    deleted: bool = False


def _session(ctx):
    store = getattr(ctx, "store", None)
    if store is None:
        return None
    return store.session()


def lookup(ctx, record_id: str) -> Choice | None:
    """The kind, number and title of a record, or None (unknown id, locked store)."""
    from kkdesk.errors import NotFoundError
    from kkdesk.records import find

    session = _session(ctx)
    if session is None:
        return None
    try:
        with session as s:
            rec = find(s, record_id)
            return Choice(rec.kind, rec.id, rec.record_no, rec.title or "", bool(rec.deleted))
    except NotFoundError:
        return None


def describe(choice: Choice | None, record_id: str | None = None) -> str:
    """'Aigerim Seitkali · PE-2024-K7F-0001' (kind-less; the field says the kind)."""
    if choice is None:
        return _("Unknown record %(id)s") % {"id": record_id} if record_id else ""
    parts = [p for p in (choice.title, choice.record_no) if p]
    text = " \u00b7 ".join(parts) or choice.id
    if choice.deleted:
        text = _("%(record)s (deleted)") % {"record": text}
    return text


def search_choices(ctx, kind: str, query: str, limit: int = RESULT_LIMIT) -> list[Choice]:
    """Records of `kind` ("any": all kinds) matching `query`; the newest first when
    the query is empty. A record number typed in full finds that record."""
    from kkdesk import listing
    from kkdesk.errors import NotFoundError
    from kkdesk.records import find
    from kkdesk.search import search

    session = _session(ctx)
    if session is None:
        return []
    kinds = list(S.TOP_LEVEL) if kind == "any" else [kind]
    query = query.strip()
    out: list[Choice] = []
    with session as s:
        if not query:
            per_kind = limit if len(kinds) == 1 else max(5, limit // len(kinds))
            for k in kinds:
                for row in listing.page(s, k, sort="updated", descending=True, limit=per_kind):
                    out.append(Choice(row.kind, row.id, row.record_no, row.title or ""))
            out.sort(key=lambda c: c.record_no or "", reverse=True)
            return out[:limit]
        try:
            rec = find(s, query)
            if not rec.deleted and (kind == "any" or rec.kind == kind):
                out.append(Choice(rec.kind, rec.id, rec.record_no, rec.title or ""))
        except NotFoundError:
            pass
        for hit in search(s, query, limit=limit, kinds=kinds, prefix_last=True):
            if not any(c.id == hit.id for c in out):
                out.append(Choice(hit.kind, hit.id, hit.record_no, hit.title or ""))
    return out


class ChoicesModel(QAbstractListModel):
    """Search results: title, kind and record number of each record."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.choices: list[Choice] = []
        self.show_kind = False

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.choices)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.choices):
            return None
        c = self.choices[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            text = describe(c)
            if self.show_kind:
                text = f"{_(labels.kind_label(c.kind))}: {text}"
            return text
        if role == ID_ROLE:
            return c.id
        return None

    def set_choices(self, choices: list[Choice]) -> None:
        self.beginResetModel()
        self.choices = list(choices)
        self.endResetModel()

    def retranslate(self) -> None:
        if self.choices:
            self.dataChanged.emit(self.index(0), self.index(len(self.choices) - 1))


class RefSearchDialog(QDialog):
    """Find a record by words of its title/name or by its number; Enter chooses."""

    def __init__(self, ctx, kind: str, parent: QWidget | None = None, text: str = "") -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.kind = kind
        self.chosen: Choice | None = None
        self.setObjectName("ref_search_dialog")
        self.search_label = QLabel()
        self.search_edit = QLineEdit(text)
        self.search_edit.setClearButtonEnabled(True)
        self.search_label.setBuddy(self.search_edit)
        self.results_label = QLabel()
        self.results = QListView()
        self.model = ChoicesModel(self.results)
        self.model.show_kind = kind == "any"
        self.results.setModel(self.model)
        self.results_label.setBuddy(self.results)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.new_button: QPushButton | None = None
        if kind not in ("any", "attachment"):
            self.new_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
            self.new_button.clicked.connect(self._create_new)
        self.buttons.accepted.connect(self._accept_current)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(self.search_label)
        row.addWidget(self.search_edit, 1)
        layout.addLayout(row)
        layout.addWidget(self.results_label)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run_search)
        self.search_edit.textChanged.connect(lambda _t: self._timer.start())
        self.search_edit.returnPressed.connect(self._enter_in_search)
        self.results.activated.connect(lambda _i: self._accept_current())
        self.model.modelReset.connect(self._select_first)
        self.resize(620, 440)
        self.retranslate()
        self.run_search()

    def retranslate(self) -> None:
        kind_name = _(labels.kind_label(self.kind)) if self.kind != "any" else _("Record")
        self.setWindowTitle(_("Choose: %(kind)s") % {"kind": kind_name})
        self.search_label.setText(_("Search:"))
        self.search_edit.setAccessibleName(_("Search"))
        self.search_edit.setPlaceholderText(_("Words of the name or title, or the record number"))
        name_clear_button(self.search_edit)
        self.results_label.setText(_("Records found:"))
        self.results.setAccessibleName(_("Records found"))
        if self.new_button is not None:
            self.new_button.setText(_("New: %(kind)s…") % {"kind": kind_name})
        self.model.retranslate()
        self._update_status()

    def run_search(self) -> None:
        self.model.set_choices(search_choices(self.ctx, self.kind, self.search_edit.text()))
        self._update_status()

    def _update_status(self) -> None:
        n = len(self.model.choices)
        if n == 0:
            text = _("Nothing found.") if self.search_edit.text().strip() else _("There are no records of this kind yet.")
        elif self.search_edit.text().strip():
            text = _("%(count)s found; press Enter or double-click to choose.") % {"count": n}
        else:
            text = _("Recently changed records; type to search.")
        self.status.setText(text)

    def _select_first(self) -> None:
        if self.model.choices:
            self.results.setCurrentIndex(self.model.index(0))

    def _enter_in_search(self) -> None:
        if self._timer.isActive():
            self._timer.stop()
            self.run_search()
        if self.model.choices:
            self._accept_current()

    def _accept_current(self) -> None:
        index = self.results.currentIndex()
        if not index.isValid():
            return
        self.chosen = self.model.choices[index.row()]
        self.accept()

    def choose(self, record_id: str) -> None:
        """Choose a record by id (after creating it here, and in tests)."""
        choice = lookup(self.ctx, record_id)
        if choice is not None:
            self.chosen = choice
            self.accept()

    def _create_new(self) -> None:
        editor = self.ctx.open_editor(self, self.kind, modal=True)
        if hasattr(editor, "saved"):
            # RecordEditor.saved(kind, id); the hearing and medical editors' saved(id)
            editor.saved.connect(lambda *args: self.choose(args[-1]))


class RefPicker(QWidget):
    """One reference: [title · number] [Choose…] [Clear]."""

    changed = Signal()

    def __init__(self, ctx, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.kind = kind
        self._value: str | None = None
        self._choice: Choice | None = None
        self.display = QLineEdit()
        self.display.setReadOnly(True)
        self.display.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.display.installEventFilter(self)
        self.choose_button = QPushButton()
        self.clear_button = QPushButton()
        self.choose_button.clicked.connect(lambda: self.open_search())
        self.clear_button.clicked.connect(self.clear)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.display, 1)
        row.addWidget(self.choose_button)
        row.addWidget(self.clear_button)
        self.retranslate()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
        if obj is self.display and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space, Qt.Key.Key_F4):
                self.open_search()
                return True
            text = event.text()
            if text and text.isprintable() and not text.isspace() and self.choose_button.isEnabled():
                self.open_search(text)  # typing on the field starts a search with that letter
                return True
        return super().eventFilter(obj, event)

    def retranslate(self) -> None:
        self.choose_button.setText(_("Choose…"))
        self.clear_button.setText(_("Clear"))
        self.display.setPlaceholderText(_("Not chosen: press Enter or type to search"))
        self._show()

    def _show(self) -> None:
        self.display.setText(describe(self._choice, self._value) if self._value else "")
        self.display.setCursorPosition(0)
        self.clear_button.setEnabled(bool(self._value) and self.choose_button.isEnabled())

    def value(self) -> str | None:
        return self._value

    def choice(self) -> Choice | None:
        return self._choice

    def set_value(self, record_id: str | None) -> None:
        self._value = record_id or None
        self._choice = lookup(self.ctx, record_id) if record_id else None
        self._show()

    def choose(self, record_id: str | None) -> None:
        """Set the value as the user does (emits `changed`)."""
        if (record_id or None) == self._value:
            return
        self.set_value(record_id)
        self.changed.emit()

    def clear(self) -> None:
        self.choose(None)

    def set_read_only(self, read_only: bool) -> None:
        self.choose_button.setEnabled(not read_only)
        self.clear_button.setEnabled(not read_only and bool(self._value))

    def open_search(self, text: str = "") -> None:
        if not self.choose_button.isEnabled():
            return
        dialog = RefSearchDialog(self.ctx, self.kind, self.window(), text)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.accepted.connect(lambda: self.choose(dialog.chosen.id) if dialog.chosen else None)
        dialog.open()
        self.dialog = dialog  # tests and callers reach the open dialog here


class RefList(QWidget):
    """Several references: a list, Add… and Remove."""

    changed = Signal()

    def __init__(self, ctx, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.kind = kind
        self.list = QListWidget()
        self.list.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.list.setFixedHeight(self.list.fontMetrics().lineSpacing() * 3 + 12)
        self.add_button = QPushButton()
        self.remove_button = QPushButton()
        self.add_button.clicked.connect(lambda: self.open_search())
        self.remove_button.clicked.connect(self.remove_current)
        self.list.currentRowChanged.connect(lambda _r: self._buttons())
        buttons = QVBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.list, 1)
        row.addLayout(buttons)
        self._read_only = False
        self.retranslate()

    def retranslate(self) -> None:
        self.add_button.setText(_("Add…"))
        self.remove_button.setText(_("Remove"))
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setText(describe(lookup(self.ctx, item.data(ID_ROLE)), item.data(ID_ROLE)))
        self._buttons()

    def _buttons(self) -> None:
        self.add_button.setEnabled(not self._read_only)
        self.remove_button.setEnabled(not self._read_only and self.list.currentRow() >= 0)

    def value(self) -> list[str] | None:
        ids = [self.list.item(i).data(ID_ROLE) for i in range(self.list.count())]
        return ids or None

    def set_value(self, ids: list[str] | None) -> None:
        self.list.clear()
        for rid in ids or ():
            self._append(rid)
        self._buttons()

    def _append(self, record_id: str) -> None:
        item = QListWidgetItem(describe(lookup(self.ctx, record_id), record_id))
        item.setData(ID_ROLE, record_id)
        self.list.addItem(item)

    def add(self, record_id: str) -> None:
        """Add a reference as the user does (emits `changed`); duplicates are ignored."""
        if record_id in (self.value() or ()):
            return
        self._append(record_id)
        self.list.setCurrentRow(self.list.count() - 1)
        self.changed.emit()

    def remove_current(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.list.takeItem(row)
            self._buttons()
            self.changed.emit()

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self._buttons()

    def open_search(self, text: str = "") -> None:
        dialog = RefSearchDialog(self.ctx, self.kind, self.window(), text)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.accepted.connect(lambda: self.add(dialog.chosen.id) if dialog.chosen else None)
        dialog.open()
        self.dialog = dialog
