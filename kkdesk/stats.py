"""Statistics of threat acts (SPEC §6.1).

Counted: acts with `counted_in_statistics` of incidents whose record_status is
`verified` (or every status with `all_statuses`). An act counts in the period of its
`act_date`, a partial date by its first day; undated acts form their own row
(`year: None`). Group, gender and region use the *_at_time snapshot. Perpetrator
type is multi-valued: an act counts once per distinct perpetrator type."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from kkdesk.errors import InputError
from kkdesk.i18n import N_

# dimension -> (integer column of the statistics index, vocabulary of its codes)
DIMENSIONS = {
    "year": ("s_year", None),
    "target_group": ("s_tg", "target_group"),
    "threat_type": ("s_type", "threat_type"),
    "gender": ("s_gender", "gender"),
    "region": ("s_region", "region"),
    "perpetrator_type": ("s_ptype", "perpetrator_type"),
}


@dataclass
class StatsResult:
    by: list[str]
    rows: list[dict]
    date_from: str | None
    date_to: str | None
    all_statuses: bool

    def as_dict(self) -> dict:
        return {"by": self.by, "rows": self.rows}


def parse_dimensions(value: str | list[str]) -> list[str]:
    dims = [d.strip() for d in (value.split(",") if isinstance(value, str) else value) if d.strip()]
    if not dims:
        raise InputError(N_("Name at least one dimension: %(allowed)s"), allowed=", ".join(DIMENSIONS))
    for d in dims:
        if d not in DIMENSIONS:
            raise InputError(N_("Unknown dimension '%(dim)s'. Use: %(allowed)s"), dim=d, allowed=", ".join(DIMENSIONS))
    if len(set(dims)) != len(dims):
        raise InputError(N_("A dimension is named twice."))
    return dims


def _bound(value: str | None, end: bool) -> str | None:
    """'2023' -> '2023-01-01' (from) or '2023-12-31' (to); full dates pass through."""
    if not value:
        return None
    from kkdesk.normalize import _DATE_RE, date_parts
    import calendar

    if not _DATE_RE.match(value):
        raise InputError(N_("Not a date: %(value)s (use YYYY, YYYY-MM or YYYY-MM-DD)"), value=value)
    y, m, d = date_parts(value)
    import datetime as dt

    try:
        dt.date(y, m or 1, d or 1)
    except ValueError:
        raise InputError(N_("Not a date: %(value)s (use YYYY, YYYY-MM or YYYY-MM-DD)"), value=value) from None
    if end:
        m2 = m or 12
        return f"{y:04d}-{m2:02d}-{d or calendar.monthrange(y, m2)[1]:02d}"
    return f"{y:04d}-{m or 1:02d}-{d or 1:02d}"


def _selection(date_from: str | None, date_to: str | None, all_statuses: bool) -> tuple[list[str], dict]:
    """WHERE terms and parameters of the counting rule over the statistics columns."""
    lo, hi = _bound(date_from, False), _bound(date_to, True)
    where = ["s_key IN (1, 3)" if all_statuses else "s_key = 3"]
    params: dict = {}
    if lo or hi:
        rng = []
        if lo:
            rng.append("s_day >= :lo")
            params["lo"] = int(lo.replace("-", ""))
        if hi:
            rng.append("s_day <= :hi")
            params["hi"] = int(hi.replace("-", ""))
        where.append(f"(({' AND '.join(rng)}) OR s_day IS NULL)")  # undated acts are never dropped
    return where, params


def totals(session: Session, date_from: str | None = None, date_to: str | None = None,
           all_statuses: bool = False) -> dict:
    """Acts and distinct victims over the whole period (distinct counts per group cannot be summed)."""
    where, params = _selection(date_from, date_to, all_statuses)
    r = session.execute(text("SELECT count(*), count(DISTINCT s_person), count(DISTINCT s_org) FROM threat_act "
                             f"WHERE {' AND '.join(where)}"), params).one()
    return {"acts": r[0], "persons": r[1], "organisations": r[2]}


def compute(session: Session, by: list[str], date_from: str | None = None, date_to: str | None = None,
            all_statuses: bool = False) -> StatsResult:
    """Counts over the integer statistics columns the projection keeps on every act
    (and, copied, on every perpetrator row): one covering-index scan per query."""
    dims = parse_dimensions(by)
    table = "act_perpetrator" if "perpetrator_type" in dims else "threat_act"
    cols = [DIMENSIONS[d][0] for d in dims]
    where, params = _selection(date_from, date_to, all_statuses)
    # an act counts once per distinct perpetrator type
    acts = "count(DISTINCT s_act)" if table == "act_perpetrator" else "count(*)"
    group = ", ".join(cols)
    sql = (f"SELECT {group}, {acts}, count(DISTINCT s_person), count(DISTINCT s_org) FROM {table} "
           f"WHERE {' AND '.join(where)} GROUP BY {group}")
    codes = {num: code for num, code in session.execute(text("SELECT num, code FROM stat_code"))}
    rows = []
    for r in session.execute(text(sql), params):
        row: dict = {}
        for i, d in enumerate(dims):
            value = r[i]
            row[d] = value if DIMENSIONS[d][1] is None else codes.get(value)
        row["acts"], row["persons"], row["organisations"] = r[len(dims)], r[len(dims) + 1], r[len(dims) + 2]
        rows.append(row)
    rows.sort(key=lambda row: tuple((row[d] is None, row[d] if row[d] is not None else 0) if d == "year"
                                    else (row[d] is None, row[d] or "") for d in dims))
    return StatsResult(dims, rows, date_from, date_to, all_statuses)
