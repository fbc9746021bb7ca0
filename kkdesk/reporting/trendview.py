"""R16 as people read it, in the PDF and on the Reports screen: six columns instead of
the twelve of its JSON rows — the indicator with its breakdown, the period ("2022" for
a whole year), the published value (or its text as published), the live count, the
remarks (conflicting, not comparable) and the readable source."""

from __future__ import annotations

from dataclasses import dataclass

from kkdesk.i18n import N_
from kkdesk.reporting.model import Report
from kkdesk.reporting.texts import Texts

EMPTY = "—"
HEADINGS = (N_("Indicator"), N_("Period"), N_("Published value"), N_("Live count"), N_("Remarks"), N_("Source"))
NUMERIC = (2, 3)  # right-aligned


@dataclass(frozen=True)
class TrendLine:
    cells: tuple[str, ...]
    conflicting: bool


def period_text(start: str | None, end: str | None) -> str:
    """A whole year as "2022", else "2022-01-01 – 2022-05-31" (it wraps at the spaces only)."""
    if start and end and start[:4] == end[:4] and start[4:] == "-01-01" and end[4:] == "-12-31":
        return start[:4]
    return f"{start or '…'} – {end or '…'}"


def trend_lines(r: Report, t: Texts) -> list[TrendLine]:
    col = {c.key: c for c in r.columns}
    out = []  # an article by its number: its title is in the workbook's Codes sheet
    for row in r.rows:
        what = t.value(col["indicator"], row)
        if row.get("dimension_value"):
            what += f" ({t.breakdown(row.get('dimension'), row['dimension_value'], full=False)})"
        if row.get("published_value") is not None:
            published = t.number(row["published_value"])
        else:
            published = row.get("published_text") or EMPTY
        live = EMPTY if row.get("live_value") is None else t.number(row["live_value"])
        flags = [t._("conflicting")] if row.get("conflicting") else []
        if not row.get("comparable_with_live"):
            flags.append(t._("not comparable"))
        out.append(TrendLine((what, period_text(row.get("period_start"), row.get("period_end")), published, live,
                              ", ".join(flags) or EMPTY, t.value(col["source"], row)), bool(row.get("conflicting"))))
    return out
