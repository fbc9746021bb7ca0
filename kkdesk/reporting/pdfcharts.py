"""Charts of the reports as reportlab graphics (vector, drawn in the embedded DejaVu
font so that Kazakh and Russian labels render)."""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from kkdesk.reports import fonts
from kkdesk.reporting.chartdata import ChartData

PALETTE = [colors.HexColor(c) for c in ("#1f3a5f", "#d1495b", "#edae49", "#00798c", "#66a182", "#8d6a9f",
                                         "#2e4057", "#c17c74", "#9aa5b1")]


def _short(text: str, n: int = 22) -> str:
    return text if len(text) <= n else text[:n - 1] + "…"


def drawing(data: ChartData, width: float, height: float = 190) -> Drawing | None:
    if data is None or data.empty or data.kind == "heat":
        return None
    fonts.register()
    legend_rows = len(data.series) if len(data.series) > 1 else 0
    # long names (R8: question and answer) take one column, so that none is cut
    columns = 1 if any(len(name) > 40 for name, _ in data.series) else 2
    legend_h = 11 * ((legend_rows + columns - 1) // columns) + (6 if legend_rows else 0)
    d = Drawing(width, height + legend_h)
    chart = VerticalBarChart()
    chart.x, chart.y = 34, 30 + legend_h
    chart.width, chart.height = width - 44, height - 44
    chart.data = [tuple(v for v in values) for _, values in data.series]
    chart.categoryAxis.categoryNames = [_short(c, 14) for c in data.categories]
    if data.kind == "stacked":
        chart.categoryAxis.style = "stacked"
    chart.categoryAxis.labels.fontName = fonts.REGULAR
    chart.categoryAxis.labels.fontSize = 6.5
    if len(data.categories) > 8:
        chart.categoryAxis.labels.angle = 35
        chart.categoryAxis.labels.boxAnchor = "ne"
    chart.valueAxis.labels.fontName = fonts.REGULAR
    chart.valueAxis.labels.fontSize = 6.5
    chart.valueAxis.valueMin = 0
    chart.barSpacing = 1
    chart.groupSpacing = 6
    for i in range(len(data.series)):
        chart.bars[i].fillColor = PALETTE[i % len(PALETTE)]
        chart.bars[i].strokeColor = None
    d.add(chart)
    if legend_rows:
        legend = Legend()
        legend.fontName = fonts.REGULAR
        legend.fontSize = 6.5
        legend.alignment = "right"
        legend.columnMaximum = (legend_rows + columns - 1) // columns
        legend.x, legend.y = 34, legend_h + 2
        legend.dx = legend.dy = 6
        legend.deltay = 11
        legend.deltax = (width - 44) / 2
        legend.colorNamePairs = [(PALETTE[i % len(PALETTE)], _short(name, 40 * (3 - columns))) for i, (name, _) in enumerate(data.series)]
        d.add(legend)
    d.add(String(0, height + legend_h - 8, "", fontName=fonts.REGULAR, fontSize=1))
    return d
