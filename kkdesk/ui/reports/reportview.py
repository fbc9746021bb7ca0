"""The Reports screen: pick one of R1–R16 (SPEC §6.2), the period and the options; the
report's table and its chart side by side; the chart exported as PNG or SVG; the
report written as XLSX, CSV or PDF in the interface language.

The report is computed on a worker thread (a newer choice drops a stale result); the
table shows the long-form rows labelled in the interface language."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QPushButton, QSplitter, QVBoxLayout, QWidget)

from kkdesk.i18n import _
from kkdesk.reporting import catalogue
from kkdesk.reporting.model import MEASURES, PERCENT, Options
from kkdesk.reporting.texts import Texts
from kkdesk.ui.common.rowsmodel import RowsModel, rows_view

CONCERN_COLOUR = "#fbe4e4"  # the shade of a conflicting published figure, as in the PDF (CONCERN_BG)


class ReportModel(RowsModel):
    """The long-form rows labelled in the interface language; R16 in the six columns
    people read (`kkdesk.reporting.trendview`), its conflicting figures shaded."""

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.report = None
        self.lines: list | None = None

    def set_report(self, report) -> None:
        self.beginResetModel()
        self.report = report
        self.lines = None
        if report is not None and report.id == "R16":
            from kkdesk.reporting.trendview import HEADINGS, trend_lines

            self.HEADERS = HEADINGS
            self.lines = trend_lines(report, Texts(self.ctx.ui_lang))
            self.rows = list(self.lines)
        else:
            self.HEADERS = tuple(c.title for c in report.columns) if report else ()
            self.rows = list(report.rows) if report else []
        self.endResetModel()

    def row_data(self, row, column: int, role: int):
        if self.lines is not None:
            return self._line_data(row, column, role)
        col = self.report.columns[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and col.type in MEASURES:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        t = Texts(self.ctx.ui_lang)
        v = row.get(col.key)
        if col.type in MEASURES:
            return "" if v is None else t.number(v) + (" %" if col.type == PERCENT else "")
        return t.value(col, row)

    def _line_data(self, line, column: int, role: int):
        from kkdesk.reporting.trendview import NUMERIC

        if role == Qt.ItemDataRole.DisplayRole:
            return line.cells[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if line.conflicting and role == Qt.ItemDataRole.BackgroundRole:
            return QColor(CONCERN_COLOUR)
        if line.conflicting and role == Qt.ItemDataRole.ForegroundRole:
            return QColor("black")  # readable on the light shade in a dark theme too
        return None


class ReportsPanel(QWidget):
    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("reports_panel")
        self._generation = 0
        self.report = None

        self.choice = QComboBox()
        self.choice.setObjectName("report_choice")
        self.choice_label = QLabel()
        self.choice_label.setBuddy(self.choice)
        self.date_from, self.date_to = QLineEdit(), QLineEdit()
        self.date_from.setObjectName("report_from")
        self.date_to.setObjectName("report_to")
        self.from_label, self.to_label = QLabel(), QLabel()
        self.from_label.setBuddy(self.date_from)
        self.to_label.setBuddy(self.date_to)
        for edit in (self.date_from, self.date_to):
            edit.setMaxLength(10)
            edit.editingFinished.connect(self.refresh)
        self.all_statuses = QCheckBox()
        self.all_statuses.setObjectName("report_all_statuses")
        self.regions = QComboBox()
        self.regions.setObjectName("report_regions")
        self.regions_label = QLabel()
        self.regions_label.setBuddy(self.regions)
        self.choice.currentIndexChanged.connect(self.refresh)
        self.all_statuses.toggled.connect(self.refresh)
        self.regions.currentIndexChanged.connect(self.refresh)
        self.png_button, self.svg_button, self.save_button = QPushButton(), QPushButton(), QPushButton()
        self.png_button.setObjectName("report_export_png")
        self.svg_button.setObjectName("report_export_svg")
        self.save_button.setObjectName("report_save")
        self.png_button.clicked.connect(lambda: self.export_chart("png"))
        self.svg_button.clicked.connect(lambda: self.export_chart("svg"))
        self.save_button.clicked.connect(self.save_report)

        top = QHBoxLayout()
        for w in (self.choice_label, self.choice, self.from_label, self.date_from, self.to_label, self.date_to):
            top.addWidget(w)
        top.addStretch(1)
        options = QHBoxLayout()
        for w in (self.all_statuses, self.regions_label, self.regions):
            options.addWidget(w)
        options.addStretch(1)
        for w in (self.png_button, self.svg_button, self.save_button):
            options.addWidget(w)

        self.model = ReportModel(ctx, self)
        self.table = rows_view()
        self.table.setObjectName("report_table")
        self.table.setModel(self.model)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.setWordWrap(True)
        # rows keep the height of their wrapped text when a column changes width (by the
        # user, or when the view spreads the columns over its width after a resize)
        self._row_heights = QTimer(self)
        self._row_heights.setSingleShot(True)
        self._row_heights.setInterval(0)
        self._row_heights.timeout.connect(self.table.resizeRowsToContents)
        self.table.horizontalHeader().sectionResized.connect(lambda *_args: self._row_heights.start())
        from kkdesk.ui.reports.chart import ChartView

        self.chart = ChartView()
        # the table first and across the whole width (its columns are never cut), the
        # chart below it with the height that is left
        self.split = QSplitter(Qt.Orientation.Vertical)
        self.split.setObjectName("report_split")
        self.split.addWidget(self.table)
        self.split.addWidget(self.chart)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 2)
        self.split.setSizes([330, 250])
        self.chart.setMinimumHeight(180)
        self.table.setMinimumHeight(120)
        self.split.setChildrenCollapsible(False)
        self.status = QLabel()
        self.status.setObjectName("report_status")
        self.status.setWordWrap(True)
        self.notes = QLabel()
        self.notes.setObjectName("report_notes")
        self.notes.setWordWrap(True)
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard |
                                           Qt.TextInteractionFlag.TextSelectableByMouse)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(options)
        layout.addWidget(self.status)
        layout.addWidget(self.split, 1)
        layout.addWidget(self.notes)
        self.setTabOrder(self.choice, self.date_from)
        self.setTabOrder(self.date_from, self.date_to)
        self.setTabOrder(self.date_to, self.all_statuses)
        self.setTabOrder(self.all_statuses, self.regions)
        self.setTabOrder(self.regions, self.png_button)
        self.setTabOrder(self.png_button, self.svg_button)
        self.setTabOrder(self.svg_button, self.save_button)
        self.setTabOrder(self.save_button, self.table)
        self.setTabOrder(self.table, self.chart.plot)
        ctx.changed.connect(lambda *_args: self.refresh())
        self.retranslate()

    def retranslate(self) -> None:
        t = Texts(self.ctx.ui_lang)
        current = self.choice.currentIndex()
        self.choice.blockSignals(True)
        self.choice.clear()
        from kkdesk.reporting.catalogue import TITLES

        for rid in catalogue.IDS:
            self.choice.addItem(f"{rid}. {t._(TITLES[rid])}", rid)
        self.choice.setCurrentIndex(max(0, current))
        self.choice.blockSignals(False)
        self.regions.blockSignals(True)
        r = self.regions.currentIndex()
        self.regions.clear()
        self.regions.addItem(_("as at the time"), "at-time")
        self.regions.addItem(_("current regions"), "current")
        self.regions.setCurrentIndex(max(0, r))
        self.regions.blockSignals(False)
        self.choice_label.setText(_("&Report"))
        self.from_label.setText(_("&From"))
        self.to_label.setText(_("&Until"))
        self.regions_label.setText(_("Re&gions"))
        for edit, hint in ((self.date_from, _("first day of the period (YYYY, YYYY-MM or YYYY-MM-DD)")),
                           (self.date_to, _("last day of the period (YYYY, YYYY-MM or YYYY-MM-DD)"))):
            edit.setPlaceholderText(_("YYYY-MM-DD"))
            edit.setToolTip(hint)
            edit.setAccessibleName(hint)
            edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance(edit.placeholderText()) + 24)
        self.all_statuses.setText(_("Every record status, not only verified"))
        self.png_button.setText(_("Chart as P&NG…"))
        self.svg_button.setText(_("Chart as S&VG…"))
        self.save_button.setText(_("&Save report…"))
        self.table.setAccessibleName(_("Report table"))
        self.chart.plot.setAccessibleName(_("Report chart"))
        self.model.retranslate()
        if self.report is not None:
            self._show(self.report)

    def activate(self) -> None:
        if self.report is None:
            self.refresh()

    def options(self) -> Options:
        from kkdesk.reporting.period import parse

        lo, hi = self.date_from.text().strip() or None, self.date_to.text().strip() or None
        return Options(parse(lo, hi), self.all_statuses.isChecked(), self.regions.currentData() or "at-time")

    @Slot()
    def refresh(self) -> None:
        store = self.ctx.store
        if store is None:
            return
        self._generation += 1
        generation = self._generation
        rid = self.choice.currentData() or "R1"
        try:
            options = self.options()
        except Exception as exc:  # noqa: BLE001 - a bad date: say so, keep the last report
            self._failed(generation, exc)
            return
        self.status.setText(_("Counting…"))

        def work(_progress):
            with store.session() as session:
                return catalogue.run(session, rid, options)

        self.ctx.run_task(work, on_done=lambda rep: self._done(generation, rep),
                          on_error=lambda exc: self._failed(generation, exc), quiet=True, parent=self)

    def _done(self, generation: int, report) -> None:
        if generation != self._generation:
            return
        self.report = report
        self._show(report)
        self.status.setText("")

    def _show(self, report) -> None:
        from kkdesk.reporting.chartdata import chart_data

        t = Texts(self.ctx.ui_lang)
        self.model.set_report(report)
        self._fit_columns()
        data = chart_data(report, t)
        description = data.description(t) if data is not None and not data.empty else _("No data in this period.")
        self.chart.show_data(data, description)
        self.notes.setText("\n".join(n.text(t._) for n in report.notes))
        has_chart = data is not None and not data.empty
        self.png_button.setEnabled(has_chart)
        self.svg_button.setEnabled(has_chart)

    def _fit_columns(self) -> None:
        """Columns sized to their contents; a long text column is capped and wraps at its
        spaces (R16's indicator and source), so that the whole table fits the width."""
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        cap = max(160, self.fontMetrics().averageCharWidth() * 34)
        for i in range(header.count()):
            if header.sectionSize(i) > cap:
                header.resizeSection(i, cap)
        self.table.resizeRowsToContents()

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        from kkdesk.ui.common.messages import error_text

        self.status.setText(error_text(exc)[0])

    @Slot()
    def export_chart(self, fmt: str) -> None:
        if self.report is None:
            return
        name = f"{self.report.id}.{fmt}"
        path, _filter = QFileDialog.getSaveFileName(self, _("Save the chart"), name,
                                                    "PNG (*.png)" if fmt == "png" else "SVG (*.svg)")
        if path:
            self._write_chart(path)

    def _write_chart(self, path: str) -> None:
        from kkdesk.ui.common.messages import show_error

        try:
            self.chart.export(path)
        except OSError as exc:
            show_error(self, exc)

    @Slot()
    def save_report(self) -> None:
        if self.report is None:
            return
        path, _filter = QFileDialog.getSaveFileName(self, _("Save the report"), f"{self.report.id}.xlsx",
                                                    "Excel (*.xlsx);;CSV (*.csv);;PDF (*.pdf)")
        if path:
            self.write_report(path)

    def write_report(self, path: str) -> None:
        from kkdesk.reporting import tabular
        from kkdesk.ui.common.messages import show_error

        t = Texts(self.ctx.ui_lang)
        try:
            suffix = path.rsplit(".", 1)[-1].lower()
            if suffix == "csv":
                data = tabular.csv_bytes(self.report, t)
            elif suffix == "pdf":
                from kkdesk.reporting.pdf import pdf_bytes

                from kkdesk.reports.api import _org_name

                with self.ctx.store.session() as session:
                    org = _org_name(session, None) or self.ctx.store.name
                data = pdf_bytes([self.report], t, org_name=org)
            else:
                data = tabular.xlsx_bytes([self.report], t)
            tabular.write(data, path)
        except Exception as exc:  # noqa: BLE001 - told in a dialog, nothing written
            show_error(self, exc)
