"""The data of a report's chart, shared by the PDF (reportlab graphics) and the GUI:
category labels, named series of values, and a text listing the values (the chart's
accessible description)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from kkdesk.i18n import N_
from kkdesk.reporting.model import Report
from kkdesk.reporting.texts import Texts

MAX_SERIES = 8
OTHER = N_("Other")


@dataclass
class ChartData:
    kind: str                     # "bar" | "stacked" | "line" | "heat"
    title: str
    categories: list[str]
    series: list[tuple[str, list[float]]]

    def description(self, t: Texts) -> str:
        parts = [self.title + "."]
        for name, values in self.series:
            cells = [f"{c}: {t.number(v)}" for c, v in zip(self.categories, values) if v]
            if cells:
                parts.append((name + ": " if name else "") + "; ".join(cells) + ".")
        return " ".join(parts)

    @property
    def empty(self) -> bool:
        return not self.categories or not any(any(v for v in vals) for _, vals in self.series)


def _label(report: Report, t: Texts, key: str, row: dict) -> str:
    return t.value(report.column(key), row)


def chart_data(report: Report, t: Texts) -> ChartData | None:
    c = report.chart
    if c is None:
        return None
    title = t.title(report)
    if c.kind == "trend":
        return _trend(report, t, title)
    rows = [r for r in report.rows if r.get(c.value) is not None]
    if report.id == "R4":
        rows = [r for r in rows if r.get("level") == "category"]
    cats: list = []
    cat_label: dict = {}
    for r in rows:
        k = r.get(c.x)
        if k not in cat_label:
            cats.append(k)
            cat_label[k] = _label(report, t, c.x, r)
    if c.x == "year":
        cats.sort(key=lambda y: (y is None, y or 0))
    if c.series is None:
        values = defaultdict(float)  # type: ignore[var-annotated]
        for r in rows:
            values[r.get(c.x)] += r[c.value]
        return ChartData(c.kind, title, [cat_label[k] for k in cats], [("", [values[k] for k in cats])])
    cells: dict = defaultdict(float)
    totals: dict = defaultdict(float)
    names: dict = {}
    # R8 answers two questions about the same acts: their answers must not stack into one
    # bar (it would count an act twice); one series per question and answer, side by side
    asked = len({r.get("question") for r in rows}) > 1 if any(col.key == "question" for col in report.columns) else False
    for r in rows:
        s = (r.get("question"), r.get(c.series)) if asked else r.get(c.series)
        names.setdefault(s, f"{_label(report, t, 'question', r)}: {_label(report, t, c.series, r)}" if asked
                         else _label(report, t, c.series, r))
        cells[(s, r.get(c.x))] += r[c.value]
        totals[s] += r[c.value]
    keep = sorted(totals, key=lambda s: -totals[s])[:MAX_SERIES]
    if asked:  # question by question, answers in their order
        keep = [s for s in totals if s in keep]
    rest = [s for s in totals if s not in keep]
    series = [(names[s], [cells[(s, k)] for k in cats]) for s in keep]
    if rest:
        series.append((t._(OTHER), [sum(cells[(s, k)] for s in rest) for k in cats]))
    return ChartData("bar" if asked else c.kind, title, [cat_label[k] for k in cats], series)


def _trend(report: Report, t: Texts, title: str) -> ChartData:
    """R16: threat cases per year, each published figure for a whole year beside the live count."""
    years: dict[int, dict] = {}
    for r in report.rows:
        if r["indicator"] != "threat_cases_total":
            continue
        start, end = r["period_start"], r["period_end"]
        if start[5:] != "01-01" or end[5:] != "12-31" or start[:4] != end[:4]:
            continue
        y = int(start[:4])
        slot = years.setdefault(y, {"published": [], "live": r["live_value"]})
        if r["published_value"] is not None:
            slot["published"].append(r["published_value"])
    ys = sorted(years)
    first = [years[y]["published"][0] if years[y]["published"] else 0 for y in ys]
    second = [years[y]["published"][1] if len(years[y]["published"]) > 1 else 0 for y in ys]
    live = [years[y]["live"] or 0 for y in ys]
    series = [(t._(N_("Published")), first)]
    if any(second):
        series.append((t._(N_("Published (conflicting figure)")), second))
    series.append((t._(N_("Live count")), live))
    return ChartData("bar", title, [str(y) for y in ys], series)
