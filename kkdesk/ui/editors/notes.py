"""The court notes area of hearing mode: the monitor types a line and presses
Ctrl+Enter; the line gets the current time (HH:MM, the hearing's local offset)
and joins the list of stamped notes, which stay editable.

The widget only reports a stamp (`stamped`); the hearing editor commits the draft
at once. Everything else the user types is reported through `edited`."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kkdesk.i18n import N_, _, ngettext

TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
COLUMNS = (N_("Time"), N_("Note"))

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()  # the invisible root (a shared default argument)


class NotesModel(QAbstractTableModel):
    """Stamped note lines as {"time": "HH:MM", "text": ...} (the interchange form)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[dict[str, str]] = []

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return _(COLUMNS[section])
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            return str(section + 1)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        key = "time" if index.column() == 0 else "text"
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return row.get(key, "")
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 1:
            return row.get("text", "")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignTop | (Qt.AlignmentFlag.AlignHCenter if index.column() == 0
                                                    else Qt.AlignmentFlag.AlignLeft))
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.row() >= len(self._rows):
            return False
        text = str(value or "")
        if index.column() == 0:
            text = text.strip()
            if not TIME_RE.match(text):  # a malformed time is refused, the old one stays
                return False
            key = "time"
        else:
            key = "text"
        if self._rows[index.row()].get(key) == text:
            return False
        self._rows[index.row()][key] = text
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole])
        return True

    # --- plain API ---------------------------------------------------------------------------
    def notes(self) -> list[dict[str, str]]:
        """Notes in the stored form; each keeps its row id (stable across edits and merges)."""
        return [dict(r) for r in self._rows]

    def set_notes(self, notes: list[dict]) -> None:
        self.beginResetModel()
        self._rows = [{"id": str(n.get("id") or uuid.uuid4()), "time": str(n.get("time", "")),
                       "text": str(n.get("text", ""))} for n in notes or ()]
        self.endResetModel()

    def append(self, time: str, text: str) -> int:
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append({"id": str(uuid.uuid4()), "time": time, "text": text})
        self.endInsertRows()
        return row

    def remove(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()


class NoteEntry(QPlainTextEdit):
    """The line being typed. Ctrl+Enter (either Enter key) submits it."""

    submitted = Signal()

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.submitted.emit()
            return
        super().keyPressEvent(event)


class NotesArea(QWidget):
    """Stamped notes (a table, editable) above the entry line."""

    stamped = Signal(dict)   # {"time", "text"} of the new note
    edited = Signal()        # the entry text or a stamped note changed

    def __init__(self, clock: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self.model = NotesModel(self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setWordWrap(True)
        self.view.setAlternatingRowColors(True)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.AnyKeyPressed)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        # row heights follow the wrapped text: recomputed when rows or the note column change
        header.sectionResized.connect(lambda i, _o, _n: i == 1 and self.view.resizeRowsToContents())
        for sig in (self.model.rowsInserted, self.model.dataChanged, self.model.modelReset):
            sig.connect(lambda *a: self.view.resizeRowsToContents())
        self.model.dataChanged.connect(lambda *a: self.edited.emit())
        self.model.rowsRemoved.connect(lambda *a: self.edited.emit())

        self.entry = NoteEntry(self)
        font = QFont(self.entry.font())
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.entry.setFont(font)
        self.entry.setTabChangesFocus(True)
        self.entry.setMinimumHeight(64)
        self.entry.setMaximumHeight(120)
        self.entry.submitted.connect(self.stamp)
        self.entry.textChanged.connect(self.edited.emit)

        self.title = QLabel(self)
        self.title.setBuddy(self.entry)
        self.list_label = QLabel(self)
        self.list_label.setBuddy(self.view)
        self.stamp_button = QPushButton(self)
        self.stamp_button.clicked.connect(self.stamp)
        self.delete_button = QPushButton(self)
        self.delete_button.clicked.connect(self.delete_selected)
        # Delete key in the list removes the selected note
        self._del_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.view)
        self._del_shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        self._del_shortcut.activated.connect(self.delete_selected)

        top = QHBoxLayout()
        top.addWidget(self.list_label, 1)
        top.addWidget(self.delete_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.title, 1)
        bottom.addWidget(self.stamp_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addLayout(bottom)
        layout.addWidget(self.entry)
        self.retranslate()

    def retranslate(self) -> None:
        self.list_label.setText(_("Notes taken in court"))
        self.title.setText(_("&New note"))
        self.stamp_button.setText(_("Stamp time (Ctrl+Enter)"))
        self.delete_button.setText(_("Delete note"))
        self.view.setAccessibleName(_("Notes taken in court"))
        self.view.setAccessibleDescription(_("Stamped notes with their time; editable."))
        self.entry.setAccessibleName(_("New note"))
        self.entry.setAccessibleDescription(_("Press Ctrl+Enter to stamp the current time and save the note."))
        self.entry.setPlaceholderText(_("What is happening in the courtroom…") + "\n" + _(
            "Type what happens and press Ctrl+Enter: the time is stamped and the note is saved "
            "at once as an encrypted draft. Double-click a note to correct it."))
        self.stamp_button.setAccessibleName(_("Stamp time"))
        self.delete_button.setAccessibleName(_("Delete note"))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)

    # --- API -------------------------------------------------------------------------------------
    def notes(self) -> list[dict[str, str]]:
        return self.model.notes()

    def set_notes(self, notes: list[dict]) -> None:
        self.model.set_notes(notes)
        self.view.scrollToBottom()

    def pending_text(self) -> str:
        return self.entry.toPlainText()

    def set_pending_text(self, text: str) -> None:
        self.entry.blockSignals(True)
        self.entry.setPlainText(text or "")
        self.entry.blockSignals(False)

    def stamp(self) -> dict | None:
        """Stamp the typed text with the current time; returns the new note (None for blank text)."""
        text = self.entry.toPlainText().strip()
        if not text:
            return None
        row = self.model.append(self._clock(), text)
        note = self.model.notes()[row]
        self.entry.blockSignals(True)
        self.entry.clear()
        self.entry.blockSignals(False)
        self.view.scrollTo(self.model.index(row, 1))
        self.entry.setFocus()
        self.stamped.emit(note)
        return note

    def delete_selected(self) -> None:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()}, reverse=True)
        if rows and self.confirm_delete(len(rows)):
            for row in rows:
                self.model.remove(row)

    def confirm_delete(self, count: int) -> bool:
        from kkdesk.ui.common.messages import confirm

        return confirm(self, _("Delete note"), ngettext("Delete the selected note?", "Delete the %(n)d selected notes?",
                                                        count) % {"n": count}, _("Delete"))
