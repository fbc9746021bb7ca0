"""What a report is, independent of its output: columns, long-form rows, notes, a chart.

Rows are in long form (one dict per combination, keyed by column keys); dimension
values are codes (None: undated / not given), measures are numbers. Titles and notes
are msgids, translated when an output is written."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kkdesk.reporting.period import Period

DIM, COUNT, PERCENT, NUMBER, TEXT, BOOL, DATE = "dimension", "count", "percent", "number", "text", "bool", "date"
MEASURES = (COUNT, PERCENT, NUMBER)


@dataclass(frozen=True)
class Column:
    key: str
    title: str            # msgid
    type: str = COUNT
    vocab: str | None = None  # codes of this vocabulary (a dimension)


@dataclass(frozen=True)
class Note:
    msgid: str
    params: dict = field(default_factory=dict)

    def text(self, gettext) -> str:
        t = gettext(self.msgid)
        return t % self.params if self.params else t


@dataclass(frozen=True)
class Chart:
    """kind: "line" | "bar" | "stacked" | "heat"; `x` the category axis column,
    `series` the column whose values make the series (None: one series), `value` the measure."""
    kind: str
    x: str
    value: str
    series: str | None = None
    title: str | None = None  # msgid


@dataclass(frozen=True)
class Options:
    period: Period = Period(None, None)
    all_statuses: bool = False
    regions: str = "at-time"  # or "current"


@dataclass
class Report:
    id: str
    title: str
    options: Options
    columns: list[Column]
    rows: list[dict[str, Any]]
    notes: list[Note] = field(default_factory=list)
    chart: Chart | None = None
    sources: list[str] = field(default_factory=list)  # of published figures shown

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


def share(part: int, whole: int) -> float | None:
    """Percent to one decimal; None when there is nothing to divide by."""
    return round(100.0 * part / whole, 1) if whole else None
