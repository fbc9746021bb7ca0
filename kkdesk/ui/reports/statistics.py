"""The Statistics screen: threat cases counted by the dimensions a documenter picks,
over a period, by the counting rule of SPEC §6.1 (`kkdesk.stats`), with the rule
stated under the table and the same counts as a PDF report (preview, save, print).

Counting runs on a worker thread; a changed choice while it runs drops the stale
result. The table is a RowsModel over the counted rows, labelled when shown (so a
language switch relabels it without counting again)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QCheckBox, QGridLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QPushButton, QVBoxLayout, QWidget)

from kkdesk.i18n import N_, _, format_number
from kkdesk.reports.statistics import DIM_LABELS, DIM_VOCAB, PERPETRATOR_NOTE, RULE
from kkdesk.ui.common.rowsmodel import RowsModel, rows_view
from kkdesk.ui.reports.pdfdialog import PdfDialog

DIMENSIONS = ("year", "target_group", "threat_type", "gender", "region", "perpetrator_type")
DEFAULT = ("year",)


COUNTS = ("acts", "persons", "organisations")
TOTAL = object()  # the row of totals (stats.totals), shown where totals can be summed


class StatsModel(RowsModel):
    """Rows of stats.compute for the dimensions `by`, then the totals row."""

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.by: list[str] = []
        self.totals: dict = {}

    def set_result(self, by: list[str], rows: list[dict], totals: dict) -> None:
        self.beginResetModel()
        self.by, self.totals = by, totals
        self.HEADERS = tuple(DIM_LABELS[d] for d in by) + (N_("Threat cases"), N_("Persons"), N_("Organisations"))
        # with perpetrators an act may count in several rows: no total row
        self.rows = rows + ([] if "perpetrator_type" in by else [TOTAL])
        self.endResetModel()

    def clear(self) -> None:
        self.beginResetModel()
        self.by, self.totals, self.rows, self.HEADERS = [], {}, [], ()
        self.endResetModel()

    def row_data(self, row, column: int, role: int):
        counts = column >= len(self.by)
        if role == Qt.ItemDataRole.TextAlignmentRole and counts:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and row is TOTAL:
            font = QFont()
            font.setBold(True)
            return font
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        lang = self.ctx.ui_lang
        if counts:
            source = self.totals if row is TOTAL else row
            return format_number(source[COUNTS[column - len(self.by)]], lang)
        if row is TOTAL:
            return _("Total") if column == 0 else ""
        dim, value = self.by[column], row[self.by[column]]
        if dim == "year":
            return str(value) if value is not None else _("Date unknown")
        from kkdesk.vocab import vocabularies

        return vocabularies().label(DIM_VOCAB[dim], value, lang) if value else "—"


class StatsPdfDialog(PdfDialog):
    """The statistics report for the panel's current choice (aggregates only: no public switch)."""

    def __init__(self, parent: QWidget | None, app_ctx, by: list[str], date_from: str | None, date_to: str | None,
                 all_statuses: bool) -> None:
        self.by, self.date_from, self.date_to, self.all_statuses = by, date_from, date_to, all_statuses
        super().__init__(parent, app_ctx, "statistics", "")
        self.public.hide()

    def render_document(self, session, lang: str, public: bool) -> tuple[str, bytes]:
        from kkdesk.reports import render_stats

        data = render_stats(session, lang, by=self.by, date_from=self.date_from, date_to=self.date_to,
                            all_statuses=self.all_statuses)
        return "statistics-" + "-".join(self.by), data


class StatisticsPanel(QWidget):
    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("statistics_panel")
        self._generation = 0

        self.dims: dict[str, QCheckBox] = {}
        self.dims_box = QGroupBox()
        grid = QGridLayout(self.dims_box)
        for i, dim in enumerate(DIMENSIONS):
            box = QCheckBox()
            box.setObjectName(f"stats_dim_{dim}")
            box.setChecked(dim in DEFAULT)
            box.toggled.connect(self.refresh)
            self.dims[dim] = box
            grid.addWidget(box, i // 3, i % 3)

        self.date_from = QLineEdit()
        self.date_from.setObjectName("stats_from")
        self.date_to = QLineEdit()
        self.date_to.setObjectName("stats_to")
        for edit in (self.date_from, self.date_to):
            edit.setMaxLength(10)
            edit.editingFinished.connect(self.refresh)
        self.from_label, self.to_label = QLabel(), QLabel()
        self.from_label.setBuddy(self.date_from)
        self.to_label.setBuddy(self.date_to)
        self.all_statuses = QCheckBox()
        self.all_statuses.setObjectName("stats_all_statuses")
        self.all_statuses.toggled.connect(self.refresh)
        self.pdf_button = QPushButton()
        self.pdf_button.setObjectName("stats_pdf")
        self.pdf_button.clicked.connect(self.open_pdf)

        period = QHBoxLayout()
        for w in (self.from_label, self.date_from, self.to_label, self.date_to):
            period.addWidget(w)
        period.addSpacing(16)
        period.addWidget(self.all_statuses)
        period.addStretch(1)
        period.addWidget(self.pdf_button)

        self.model = StatsModel(ctx, self)
        self.table = rows_view()
        self.table.setObjectName("stats_table")
        self.table.setModel(self.model)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.status = QLabel()
        self.status.setObjectName("stats_status")
        self.status.setWordWrap(True)
        self.rule = QLabel()
        self.rule.setObjectName("stats_rule")
        self.rule.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addWidget(self.dims_box)
        layout.addLayout(period)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.rule)
        ctx.changed.connect(lambda *_args: self.refresh())
        self.retranslate()

    # text ---------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.dims_box.setTitle(_("Count by"))
        for dim, box in self.dims.items():
            box.setText(_(DIM_LABELS[dim]))
        self.from_label.setText(_("From"))
        self.to_label.setText(_("Until"))
        self.date_from.setAccessibleName(_("From"))
        self.date_to.setAccessibleName(_("Until"))
        for edit, hint in ((self.date_from, _("first day of the period (YYYY, YYYY-MM or YYYY-MM-DD)")),
                           (self.date_to, _("last day of the period (YYYY, YYYY-MM or YYYY-MM-DD)"))):
            edit.setPlaceholderText(_("YYYY-MM-DD"))
            edit.setToolTip(hint)
            edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance(edit.placeholderText()) + 24)
        self.all_statuses.setText(_("Every record status, not only verified"))
        self.pdf_button.setText(_("Print / Save as PDF"))
        self.table.setAccessibleName(_("Statistics of threats"))
        self._show_rule()
        self.model.retranslate()

    def _show_rule(self) -> None:
        text = _(RULE)
        if self.dims["perpetrator_type"].isChecked():
            text += " " + _(PERPETRATOR_NOTE)
        self.rule.setText(text)

    def chosen(self) -> list[str]:
        return [d for d in DIMENSIONS if self.dims[d].isChecked()]

    def period(self) -> tuple[str | None, str | None]:
        return self.date_from.text().strip() or None, self.date_to.text().strip() or None

    # counting -----------------------------------------------------------------------
    def activate(self) -> None:
        if not self.model.by:
            self.refresh()

    @Slot()
    def refresh(self) -> None:
        self._show_rule()
        by = self.chosen()
        self._generation += 1
        generation = self._generation
        if not by:
            self.model.clear()
            self.status.setText(_("Choose at least one dimension to count by."))
            self.pdf_button.setEnabled(False)
            return
        store = self.ctx.store
        if store is None:
            return
        date_from, date_to = self.period()
        all_statuses = self.all_statuses.isChecked()
        self.status.setText(_("Counting…"))

        def work(_progress):
            from kkdesk import stats

            with store.session() as session:
                result = stats.compute(session, by, date_from=date_from, date_to=date_to, all_statuses=all_statuses)
                totals = stats.totals(session, date_from=date_from, date_to=date_to, all_statuses=all_statuses)
            return by, result.rows, totals

        self.ctx.run_task(work, on_done=lambda result: self._counted(generation, result),
                          on_error=lambda exc: self._failed(generation, exc), quiet=True, parent=self)

    def _counted(self, generation: int, result) -> None:
        if generation != self._generation:
            return
        self.model.set_result(*result)
        self.status.setText("")
        self.pdf_button.setEnabled(True)

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        from kkdesk.ui.common.messages import error_text

        self.model.clear()
        self.status.setText(error_text(exc)[0])
        self.pdf_button.setEnabled(False)

    # PDF ----------------------------------------------------------------------------
    @Slot()
    def open_pdf(self) -> None:
        by = self.chosen()
        if not by or self.ctx.store is None:
            return
        date_from, date_to = self.period()
        dialog = StatsPdfDialog(self, self.ctx, by, date_from, date_to, self.all_statuses.isChecked())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
