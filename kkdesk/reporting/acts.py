"""Counting threat acts for R1–R9 along the report indexes (kkdesk.db.report_indexes).

A query groups by columns in the order of an index, so SQLite streams the groups; a
period becomes an index range on the year (and a filter on the day); undated acts are
a range of their own (year NULL); with every status, each status key is one range and
the counts are added up here. Distinct victims per group come from an ordered
(year, victim) index range, which SQLite counts without a temporary b-tree."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import text
from sqlalchemy.orm import Session

from kkdesk.reporting.model import Options


def _ranges(o: Options, alias: str) -> list[tuple[str, dict]]:
    """(WHERE, params) pieces whose union is the counted acts of the period."""
    a = f"{alias}." if alias else ""
    keys = (3, 1) if o.all_statuses else (3,)
    p = o.period
    out = []  # type: ignore[var-annotated]
    for k in keys:
        if p.start is None and p.end is None:
            out.append((f"{a}s_key = {k}", {}))
            continue
        lo, hi = p.lo or 0, p.hi or 99991231
        out.append((f"{a}s_key = {k} AND {a}s_year BETWEEN :y1 AND :y2 AND {a}s_day BETWEEN :lo AND :hi",
                    {"y1": lo // 10000, "y2": hi // 10000, "lo": lo, "hi": hi}))
        out.append((f"{a}s_key = {k} AND {a}s_year IS NULL", {}))  # undated acts: never dropped
    return out


def grouped(session: Session, o: Options, group: list[str], table: str = "threat_act", extra: str = "",
            distinct: str | None = None) -> dict[tuple, int]:
    """{group values: acts} (or distinct values of `distinct` per group)."""
    cols = ", ".join(group)
    out: dict[tuple, int] = defaultdict(int)
    for where, params in _ranges(o, ""):
        cond = where + (f" AND {extra}" if extra else "")
        if distinct:  # the index holds (…, group columns, victim): no temporary b-tree for the DISTINCT
            sql = (f"SELECT {cols}, count(DISTINCT {distinct}) FROM {table} WHERE {cond} "
                   f"AND {distinct} IS NOT NULL GROUP BY {cols}")
        else:
            sql = f"SELECT {cols}, count(*) FROM {table} WHERE {cond} GROUP BY {cols}"
        for row in session.execute(text(sql), params):
            out[tuple(row[:-1])] += row[-1]
    if distinct and o.all_statuses:  # a victim of acts of both status ranges counts once
        return _distinct_across(session, o, group, table, extra, distinct)
    return dict(out)


def _distinct_across(session, o, group, table, extra, distinct) -> dict[tuple, int]:
    cols = ", ".join(group)
    out: dict[tuple, int] = defaultdict(int)
    p = o.period
    where = "s_key IN (1, 3)"
    params: dict = {}
    if p.start or p.end:
        where += " AND ((s_day BETWEEN :lo AND :hi) OR s_day IS NULL)"
        params = {"lo": p.lo or 0, "hi": p.hi or 99991231}
    if extra:
        where += f" AND {extra}"
    for row in session.execute(text(f"SELECT {cols}, count(DISTINCT {distinct}) FROM {table} WHERE {where} "
                                    f"GROUP BY {cols}"), params):
        out[tuple(row[:-1])] += row[-1]
    return dict(out)


def codes(session: Session) -> dict[int, str]:
    return {num: code for num, code in session.execute(text("SELECT num, code FROM stat_code"))}


def where_sql(o: Options, alias: str) -> list[tuple[str, dict]]:
    return _ranges(o, alias)
