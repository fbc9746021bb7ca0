"""The attachments of a record: list (file name, kind, size, SHA-256, sensitive mark),
add files (stored encrypted by the core, in a background task with progress), save a
copy where the user chooses (never a silent temporary copy), edit the description,
kind and flags, delete."""

from __future__ import annotations

import mimetypes
import os
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QHeaderView,
                               QLabel, QPushButton, QTableView, QVBoxLayout, QWidget)

from kkdesk import labels
from kkdesk.errors import Cancelled, KkdeskError, ValidationError
from kkdesk.i18n import N_, _, format_number, get_language

# fields of an attachment record that describe the stored file; the edit dialog shows
# them as text and never changes them
FILE_FIELDS = ("sha256", "size_bytes", "mime", "target_entity", "target_id", "physical_finding", "original_filename")

COLUMNS = (N_("File"), N_("Kind"), N_("Size"), N_("SHA-256"), N_("Sensitive"))


def format_size(size: int, lang: str | None = None) -> str:
    """1536 -> '1.5 KB' (units and decimal sign of the UI language)."""
    lang = lang or get_language()
    units = (N_("%(size)s bytes"), N_("%(size)s KB"), N_("%(size)s MB"), N_("%(size)s GB"))
    value = float(size)
    unit = 0
    while value >= 1024 and unit < len(units) - 1:
        value /= 1024
        unit += 1
    number = format_number(int(value) if unit == 0 else round(value, 1), lang)
    return _(units[unit]) % {"size": number}


def guess_kind(path: str) -> str:
    mime = mimetypes.guess_type(path)[0] or ""
    if mime.startswith("image/"):
        return "photo"
    if mime.startswith("audio/"):
        return "audio"
    if mime.startswith("video/"):
        return "video"
    if mime in ("text/html", "application/x-mimearchive", "message/rfc822") or path.lower().endswith((".warc", ".mht", ".mhtml")):
        return "web_archive"
    return "document"


@dataclass(frozen=True)
class AttachmentRow:
    id: str
    record_no: str | None
    content: dict

    @property
    def filename(self) -> str:
        return self.content.get("original_filename") or self.record_no or self.id

    @property
    def sha256(self) -> str:
        return self.content.get("sha256", "")


def load_attachments(session, target_id: str) -> list[AttachmentRow]:
    from kkdesk.links import linked
    from kkdesk.records import get

    rows = []
    for link in linked(session, target_id):
        if link.kind == "attachment" and link.relation == "attachment":
            view = get(session, link.id)
            if not view.deleted:
                rows.append(AttachmentRow(view.id, view.record_no, view.content))
    rows.sort(key=lambda r: (r.record_no or "", r.id))
    return rows


class AttachmentsModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[AttachmentRow] = []

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return _(COLUMNS[section]) if 0 <= section < len(COLUMNS) else None
        return str(section + 1) if 0 <= section < len(self.rows) else None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self.rows)) or not (0 <= index.column() < len(COLUMNS)):
            return None
        row, col = self.rows[index.row()], index.column()
        c = row.content
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if col == 0:
                return row.filename
            if col == 1:
                return labels.value_label("attachment", "kind", c.get("kind"), get_language())
            if col == 2:
                return format_size(int(c.get("size_bytes") or 0))
            if col == 3:
                return row.sha256[:16] + "\u2026" if role == Qt.ItemDataRole.DisplayRole else row.sha256
            if col == 4:
                return _(labels.YES) if c.get("sensitive_intimate") else ""
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == 3:
                return row.sha256
            if col == 0:
                return "\n".join(x for x in (row.filename, c.get("description") or "", c.get("mime") or "") if x)
        if role == Qt.ItemDataRole.FontRole and col == 3:
            font = QFont("DejaVu Sans Mono")
            font.setStyleHint(QFont.StyleHint.Monospace)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def set_rows(self, rows: list[AttachmentRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(COLUMNS) - 1))


def ask_and_save_copy(parent: QWidget, ctx, content: dict, on_done=None):
    """Ask where to write the file, then write it there in the background."""
    name = content.get("original_filename") or "attachment"
    out, _filter = QFileDialog.getSaveFileName(parent, _("Save a copy of the file"), name)
    if not out:
        return None
    return save_copy_to(parent, ctx, content["sha256"], out, on_done)


def save_copy_to(parent: QWidget, ctx, sha256: str, out: str, on_done=None):
    from kkdesk.attachments import save_copy

    def work(progress):
        with ctx.store.session() as s:
            return save_copy(s, sha256, out)

    return ctx.run_task(work, on_done=on_done, label=_("Saving a copy of the file…"), parent=parent)


class AttachmentDialog(QDialog):
    """Edit what is said about a file (description, kind, capture, consent, flags)."""

    def __init__(self, ctx, row: AttachmentRow, parent: QWidget | None = None) -> None:
        from kkdesk.ui.editors.forms import RecordForm

        super().__init__(parent)
        self.ctx = ctx
        self.row = row
        self.setObjectName("attachment_dialog")
        self.file_label = QLabel()
        self.file_label.setWordWrap(True)
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.form = RecordForm(ctx, "attachment", exclude=FILE_FIELDS, record_id=row.id, parent=self)
        self.form.validation_values = self.values  # checks see the file fields this form does not show
        self.form.set_values(row.content)
        self.form.show_all_problems()
        self.form.run_validation()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.file_label)
        layout.addWidget(self.form, 1)
        layout.addWidget(self.buttons)
        self.resize(760, 600)
        self.retranslate()

    def retranslate(self) -> None:
        c = self.row.content
        self.setWindowTitle(_("Attachment %(record)s") % {"record": self.row.record_no or ""})
        self.file_label.setText("\n".join([
            _("File: %(name)s (%(size)s, %(mime)s)") % {"name": self.row.filename,
                                                        "size": format_size(int(c.get("size_bytes") or 0)),
                                                        "mime": c.get("mime") or "?"},
            _("SHA-256: %(sha)s") % {"sha": self.row.sha256}]))
        self.form.retranslate()

    def values(self) -> dict:
        kept = {k: v for k, v in self.row.content.items() if k in FILE_FIELDS}
        return {**kept, **self.form.values()}

    def save(self) -> bool:
        from kkdesk.interchange import save

        try:
            with self.ctx.store.session() as s:
                save(s, self.ctx.author(), "attachment", self.values(), self.row.id, default_language=self.ctx.ui_lang)
        except ValidationError as exc:
            self.form.show_problems(exc.problems, [])
            return False
        except KkdeskError as exc:
            self.ctx.show_error(self, exc)
            return False
        self.ctx.notify_changed({"attachment"})
        self.accept()
        return True


class AttachmentsPanel(QWidget):
    """The files attached to one record."""

    def __init__(self, ctx, target_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.target_id = target_id
        self.tasks: list = []
        self.setObjectName("attachments_panel")
        self.title = QLabel()
        font = QFont(self.title.font())
        font.setBold(True)
        self.title.setFont(font)
        self.table = QTableView()
        self.table.setObjectName("attachments_table")
        self.model = AttachmentsModel(self.table)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.activated.connect(lambda _i: self.edit_current())
        self.title.setBuddy(self.table)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.add_button = QPushButton()
        self.copy_button = QPushButton()
        self.edit_button = QPushButton()
        self.delete_button = QPushButton()
        self.add_button.clicked.connect(self.choose_and_add)
        self.copy_button.clicked.connect(self.choose_and_save_copy)
        self.edit_button.clicked.connect(self.edit_current)
        self.delete_button.clicked.connect(self.delete_current)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._selection_changed())
        self.model.modelReset.connect(self._selection_changed)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.copy_button, self.edit_button, self.delete_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self.retranslate()
        self.refresh()

    def retranslate(self) -> None:
        self.title.setText(_("Attachments"))
        self.table.setAccessibleName(_("Attachments"))
        self.add_button.setText(_("Add file…"))
        self.copy_button.setText(_("Save a copy…"))
        self.copy_button.setToolTip(_("Write the file to a place you choose; kkdesk never leaves unencrypted copies."))
        self.edit_button.setText(_("Edit…"))
        self.delete_button.setText(_("Delete…"))
        self.model.retranslate()
        self._selection_changed()

    # --- data ----------------------------------------------------------------------
    def refresh(self) -> None:
        if self.ctx.store is None:
            self.model.set_rows([])
            return
        with self.ctx.store.session() as s:
            rows = load_attachments(s, self.target_id)
        current = self.current()
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        if current is not None:
            for i, r in enumerate(rows):
                if r.id == current.id:
                    self.table.selectRow(i)
        elif rows:
            self.table.selectRow(0)

    def current(self) -> AttachmentRow | None:
        index = self.table.currentIndex()
        return self.model.rows[index.row()] if index.isValid() and index.row() < len(self.model.rows) else None

    def select(self, row: int) -> None:
        self.table.setCurrentIndex(self.model.index(row, 0))
        self.table.selectRow(row)

    def _selection_changed(self) -> None:
        row = self.current()
        for b in (self.copy_button, self.edit_button, self.delete_button):
            b.setEnabled(row is not None)
        if row is None:
            self.details.setText(_("No files attached yet.") if not self.model.rows else "")
            return
        c = row.content
        lines = [row.filename, _("SHA-256: %(sha)s") % {"sha": row.sha256}]
        if c.get("description"):
            lines.append(c["description"])
        if c.get("sensitive_intimate"):
            lines.append(_("Sensitive (intimate) image: show, print and share with care."))
        self.details.setText("\n".join(lines))

    def busy(self) -> bool:
        self.tasks = [t for t in self.tasks if not t.done]
        return bool(self.tasks)

    def cancel_tasks(self) -> None:
        for t in self.tasks:
            t.cancel()

    # --- actions -------------------------------------------------------------------
    def choose_and_add(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(self, _("Attach files"))
        if paths:
            self.add_files(paths)

    def add_files(self, paths: list[str], kind: str | None = None):
        """Store the files (encrypted, in one background task, one after the other: each
        holds the store's write lock while it is copied in) as attachments of the record.
        Returns the task, or None when there is nothing to add."""
        from kkdesk.attachments import add_file

        paths = [str(p) for p in paths]
        if not paths:
            return None
        author = self.ctx.author()
        lang = self.ctx.ui_lang
        target = self.target_id
        store = self.ctx.store

        def work(progress):
            total = sum(os.path.getsize(p) for p in paths if os.path.isfile(p)) or 1
            done = 0
            results = []
            for path in paths:
                def step(n, base=done):
                    return False if progress.cancelled() else progress.report(base + n, total)

                with store.session() as s:
                    results.append(add_file(s, author, path, target, kind=kind or guess_kind(path),
                                            default_language=lang, progress=step))
                done += os.path.getsize(path)
            return results

        names = ", ".join(os.path.basename(p) for p in paths)
        task = self.ctx.run_task(work, on_done=lambda results: self._added(results, names), on_error=self._failed,
                                 label=_("Storing %(name)s…") % {"name": names}, cancellable=True,
                                 parent=self.window())
        self.tasks.append(task)
        self.status.setText(_("Storing files…"))
        return task

    def _added(self, results, names: str) -> None:
        self.status.setText(_("%(name)s was attached.") % {"name": names})
        self.refresh()
        last = results[-1].id if results else None
        for i, r in enumerate(self.model.rows):
            if r.id == last:
                self.select(i)
        self.ctx.notify_changed({"attachment"})

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, Cancelled):
            self.status.setText(_("Cancelled; the file was not added."))
            return
        self.status.setText("")
        self.ctx.show_error(self, exc)

    def choose_and_save_copy(self) -> None:
        row = self.current()
        if row is None:
            return
        task = ask_and_save_copy(self, self.ctx, row.content, on_done=self._copied)
        if task is not None:
            self.tasks.append(task)

    def save_copy(self, row: int, out: str):
        task = save_copy_to(self, self.ctx, self.model.rows[row].sha256, out, on_done=self._copied)
        self.tasks.append(task)
        return task

    def _copied(self, path) -> None:
        self.status.setText(_("Copy written to %(path)s.") % {"path": str(path)})

    def edit_current(self) -> AttachmentDialog | None:
        row = self.current()
        if row is None:
            return None
        dialog = AttachmentDialog(self.ctx, row, self.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.accepted.connect(self.refresh)
        dialog.open()
        self.dialog = dialog
        return dialog

    def delete_current(self, confirm: bool = True) -> bool:
        from kkdesk.records import delete_record
        from kkdesk.ui.common.messages import confirm as ask

        row = self.current()
        if row is None:
            return False
        if confirm and not ask(self.window(), _("Delete attachment"),
                               _("Delete the attachment %(name)s?") % {"name": row.filename}, _("Delete"),
                               _("It disappears from this record; earlier versions stay in the history.")):
            return False
        try:
            with self.ctx.store.session() as s:
                delete_record(s, self.ctx.author(), row.id)
        except KkdeskError as exc:
            self.ctx.show_error(self, exc)
            return False
        self.status.setText(_("%(name)s was deleted.") % {"name": row.filename})
        self.refresh()
        self.ctx.notify_changed({"attachment"})
        return True
