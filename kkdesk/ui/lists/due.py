"""The "Due follow-ups" screen: open interventions with a follow-up date, overdue
first (`kkdesk.interventions.due`), each with the records it concerns; Enter or a
double click opens the intervention."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kkdesk.i18n import N_, _, format_partial_date, get_language
from kkdesk.ui.common.rowsmodel import RowsModel, rows_view

OVERDUE_BACKGROUND = QColor("#fdecea")
OVERDUE_TEXT = QColor("#8e1b12")
MAX_COLUMN = 230


class DueModel(RowsModel):
    HEADERS = (N_("Follow-up date"), N_("Overdue"), N_("Record number"), N_("Type of intervention"),
               N_("Addressee"), N_("Status"), N_("Records concerned"))

    def row_data(self, due, col: int, role: int):
        from kkdesk.vocab import vocabularies

        if role == Qt.ItemDataRole.UserRole:
            return due.id
        if role == Qt.ItemDataRole.BackgroundRole and due.overdue:
            return QBrush(OVERDUE_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole and due.overdue:
            return QBrush(OVERDUE_TEXT)
        if role == Qt.ItemDataRole.FontRole and due.overdue and col in (0, 1):
            font = QFont()
            font.setBold(True)
            return font
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        lang = get_language()
        if col == 0:
            try:
                return format_partial_date(due.follow_up_date, lang)
            except ValueError:
                return due.follow_up_date
        if col == 1:
            return _("Overdue") if due.overdue else ""
        if col == 2:
            return due.record_no or ""
        if col == 3:
            return vocabularies().label("intervention_type", due.intervention_type, lang)
        if col == 4:
            return due.addressee
        if col == 5:
            return vocabularies().label("intervention_status", due.status, lang)
        sep = "\n" if role == Qt.ItemDataRole.ToolTipRole else "; "
        return sep.join(" ".join(x for x in (link.record_no, link.title) if x) for link in due.links)


class DueFollowUpsPanel(QWidget):
    """A screen of the main window (not a ListPanel: its rows are interventions with a
    follow-up date, in their own order)."""

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("due_followups")
        self.title = QLabel()
        font = QFont(self.title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title.setFont(font)
        self.summary = QLabel()
        self.summary.setObjectName("due_summary")
        self.model = DueModel(self)
        self.table = rows_view()
        self.table.setObjectName("due_table")
        self.table.setModel(self.model)
        self.table.setWordWrap(False)
        self.table.activated.connect(self._open_index)
        self.title.setBuddy(self.table)
        self.open_button = QPushButton()
        self.open_button.setObjectName("button_open_due")
        self.open_button.clicked.connect(self.open_current)
        self.refresh_button = QPushButton()
        self.refresh_button.setObjectName("button_refresh_due")
        self.refresh_button.clicked.connect(self.refresh)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.refresh_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.loading = False
        ctx.changed.connect(self._changed)
        self.retranslate()

    # data ------------------------------------------------------------------------------
    def activate(self) -> None:
        self.refresh()

    def _changed(self, kinds) -> None:
        if (not kinds or "intervention" in set(kinds)) and self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        if self.ctx.store is None or self.loading:
            return
        from kkdesk.interventions import due

        def work(_progress):
            with self.ctx.store.session() as s:
                return due(s)

        self.loading = True
        self.ctx.run_task(work, self._loaded, self._failed, parent=self, quiet=True)

    def _loaded(self, items) -> None:
        self.loading = False
        self.model.beginResetModel()
        self.model.rows = list(items)
        self.model.endResetModel()
        self.table.resizeColumnsToContents()
        for col in (3, 4, 5):  # long vocabulary labels: the linked records keep their room
            self.table.setColumnWidth(col, min(self.table.columnWidth(col), MAX_COLUMN))
        self._update_summary()

    def _failed(self, exc) -> None:
        self.loading = False
        self.ctx.show_error(self, exc)

    def _update_summary(self) -> None:
        overdue = sum(1 for d in self.model.rows if d.overdue)
        self.summary.setText(_("%(total)d open follow-ups, %(overdue)d overdue")
                             % {"total": len(self.model.rows), "overdue": overdue})

    # opening -----------------------------------------------------------------------------
    def current_id(self) -> str | None:
        index = self.table.currentIndex()
        return self.model.rows[index.row()].id if index.isValid() and index.row() < len(self.model.rows) else None

    def _open_index(self, index) -> None:
        if index.isValid():
            self.ctx.open_editor(self.window(), "intervention", self.model.rows[index.row()].id)

    def open_current(self) -> None:
        record_id = self.current_id()
        if record_id:
            self.ctx.open_editor(self.window(), "intervention", record_id)

    def retranslate(self) -> None:
        self.title.setText(_("Due follow-ups"))
        self.table.setAccessibleName(_("Due follow-ups"))
        self.open_button.setText(_("&Open"))
        self.refresh_button.setText(_("Refresh"))
        self.model.retranslate()
        self._update_summary()
