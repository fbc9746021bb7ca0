"""Counting threat acts for R1–R9 along the report indexes (kkdesk.db.report_indexes),
each query naming its index.

A query groups by columns in the order of an index, so SQLite streams the groups; a
period becomes an index range on the year (and a filter on the day); undated acts are
a range of their own (year NULL); with every status, each status key is one range and
the counts are added up here. Distinct victims per group come from an ordered
(year, victim) index range, which SQLite counts without a temporary b-tree."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import text
from sqlalchemy.orm import Session

from kkdesk.db.report_indexes import REPORT_INDEXES
from kkdesk.reporting.model import Options


def _pieces(o: Options, years: bool) -> list[tuple[str, dict]]:
    """(WHERE, params) pieces whose union is the acts of the period, for one status key:
    a range of years and a filter on the day, or (`years` false, for an index without
    the year) the days alone, and the undated acts (an act has a year exactly when it
    has a day), which are never dropped."""
    p = o.period
    if p.start is None and p.end is None:
        return [("1 = 1", {})]
    lo, hi = p.lo or 0, p.hi or 99991231
    if years:
        return [("s_year BETWEEN :y1 AND :y2 AND s_day BETWEEN :lo AND :hi",
                 {"y1": lo // 10000, "y2": hi // 10000, "lo": lo, "hi": hi}), ("s_year IS NULL", {})]
    return [("s_day BETWEEN :lo AND :hi", {"lo": lo, "hi": hi}), ("s_day IS NULL", {})]


def grouped(session: Session, o: Options, group: list[str], index: str, table: str = "threat_act", extra: str = "",
            distinct: str | None = None) -> dict[tuple, int]:
    """{group values: acts} (or distinct values of `distinct` per group), read along
    `index`: named, because without statistics (kkdesk runs no ANALYZE) or with stale
    ones SQLite may take another index of the same prefix and sort a million rows.

    Each status key is one index range (`s_key = k`, never `IN`), so the rows come in
    index order: counts per key are added up here, and distinct values across the keys
    come from a UNION of the ordered ranges, which SQLite merges without sorting."""
    cols = ", ".join(group)
    source = f"{table} INDEXED BY {index}"
    years = "s_year" in REPORT_INDEXES.get(index, (None, ("s_year",)))[1]
    keys = (3, 1) if o.all_statuses else (3,)
    out: dict[tuple, int] = defaultdict(int)
    for piece, params in _pieces(o, years):
        cond = piece + (f" AND {extra}" if extra else "")
        if distinct:  # the index holds (…, group columns, victim) in this order
            cond += f" AND {distinct} IS NOT NULL"  # as the partial indexes of the victims have it
            if len(keys) == 1:
                queries = [f"SELECT {cols}, count(DISTINCT {distinct}) FROM {source} WHERE s_key = {keys[0]} "
                           f"AND {cond} GROUP BY {cols}"]
            else:
                ranges = " UNION ".join(f"SELECT {cols}, {distinct} FROM {source} WHERE s_key = {k} AND {cond}"
                                        for k in keys)
                order = ", ".join(str(i + 1) for i in range(len(group) + 1))
                queries = [f"SELECT {cols}, count(*) FROM ({ranges} ORDER BY {order}) GROUP BY {cols}"]
        else:
            queries = [f"SELECT {cols}, count(*) FROM {source} WHERE s_key = {k} AND {cond} GROUP BY {cols}"
                       for k in keys]
        for sql in queries:
            for row in session.execute(text(sql), params):
                out[tuple(row[:-1])] += row[-1]
    return dict(out)


def codes(session: Session) -> dict[int, str]:
    return {num: code for num, code in session.execute(text("SELECT num, code FROM stat_code"))}
