"""The chart of a report on screen (pyqtgraph: chosen over QtCharts because
PySide6-Addons, which alone carries QtCharts, adds ~440 MB installed against ~83 MB
for pyqtgraph with numpy). Imported only with the Reports screen, after unlock.

Bars per category, stacked or side by side, from `kkdesk.reporting.chartdata`; the
widget's accessible description lists every value; export as PNG or SVG."""

from __future__ import annotations

from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kkdesk.reporting.chartdata import ChartData

PALETTE = ("#1f3a5f", "#d1495b", "#edae49", "#00798c", "#66a182", "#8d6a9f", "#2e4057", "#c17c74", "#9aa5b1")


class ChartView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("report_chart")
        pg.setConfigOptions(antialias=True, background="w", foreground="#1b1b1b")
        self.plot = pg.PlotWidget()
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # reachable by Tab: its description is read out
        self.legend = None
        self.data: ChartData | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)

    def show_data(self, data: ChartData | None, description: str) -> None:
        self.data = data
        item = self.plot.getPlotItem()
        item.clear()
        if self.legend is not None:
            self.legend.scene().removeItem(self.legend) if self.legend.scene() else None
            self.legend = None
        self.plot.setAccessibleDescription(description)
        self.setAccessibleDescription(description)
        if data is None or data.empty:
            item.setTitle("")
            item.getAxis("bottom").setTicks([[]])
            return
        item.setTitle(data.title, size="9pt")
        n = len(data.categories)
        stacked = data.kind in ("stacked", "heat")
        width = 0.8 if stacked or len(data.series) == 1 else 0.8 / len(data.series)
        base = [0.0] * n
        if len(data.series) > 1:
            self.legend = item.addLegend(offset=(10, 10))
        for i, (name, values) in enumerate(data.series):
            colour = PALETTE[i % len(PALETTE)]
            if stacked:
                xs = list(range(n))
                bar = pg.BarGraphItem(x=xs, height=values, y0=base, width=width, brush=colour, pen=None)
                base = [b + v for b, v in zip(base, values)]
            else:
                xs = [k - 0.4 + width * (i + 0.5) for k in range(n)] if len(data.series) > 1 else list(range(n))
                bar = pg.BarGraphItem(x=xs, height=values, width=width, brush=colour, pen=None)
            item.addItem(bar)
            if self.legend is not None:
                self.legend.addItem(bar, name)
        axis = item.getAxis("bottom")
        axis.setTicks([[(k, c if len(c) <= 14 else c[:13] + "…") for k, c in enumerate(data.categories)]])
        item.setXRange(-0.7, n - 0.3, padding=0)  # room for the first and last label
        item.enableAutoRange(axis="y")

    def export(self, path: str | Path) -> Path:
        """PNG or SVG by the file's suffix (the caller writes where the user chose). SVG is
        drawn through QtSvg's generator: pyqtgraph's own SVG exporter cannot read the
        paths Qt 6.11 writes."""
        path = Path(path)
        if path.suffix.lower() == ".svg":
            from PySide6.QtCore import QRect, QSize
            from PySide6.QtGui import QPainter
            from PySide6.QtSvg import QSvgGenerator

            size = self.plot.size() if self.plot.width() > 50 else QSize(800, 500)
            gen = QSvgGenerator()
            gen.setFileName(str(path))
            gen.setSize(size)
            gen.setViewBox(QRect(0, 0, size.width(), size.height()))
            gen.setTitle(self.data.title if self.data else "")
            gen.setDescription(self.plot.accessibleDescription())
            painter = QPainter(gen)
            try:
                self.plot.render(painter)
            finally:
                painter.end()
            if not path.exists():
                raise OSError(f"could not write {path}")
            return path
        from pyqtgraph.exporters import ImageExporter

        exporter = ImageExporter(self.plot.getPlotItem())
        exporter.parameters()["width"] = max(800, int(self.plot.width()))
        exporter.export(str(path))
        if not path.exists():
            raise OSError(f"could not write {path}")
        return path
