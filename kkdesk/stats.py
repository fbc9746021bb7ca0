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

DIMENSIONS = {
    "year": "a.act_year",
    "target_group": "a.target_group_at_time",
    "threat_type": "a.threat_type",
    "gender": "a.gender_at_time",
    "region": "a.region_at_time",
    "perpetrator_type": "p.perpetrator_type",
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
    if end:
        m2 = m or 12
        return f"{y:04d}-{m2:02d}-{d or calendar.monthrange(y, m2)[1]:02d}"
    return f"{y:04d}-{m or 1:02d}-{d or 1:02d}"


def compute(session: Session, by: list[str], date_from: str | None = None, date_to: str | None = None,
            all_statuses: bool = False) -> StatsResult:
    dims = parse_dimensions(by)
    lo, hi = _bound(date_from, False), _bound(date_to, True)
    cols = [f"{DIMENSIONS[d]} AS {d}" for d in dims]
    where = ["a.counted_in_statistics = 1"]
    params: dict = {}
    if not all_statuses:
        where.append("a.incident_status = 'verified'")
    if lo or hi:
        rng = []
        if lo:
            rng.append("a.act_date_from >= :lo")
            params["lo"] = lo
        if hi:
            rng.append("a.act_date_from <= :hi")
            params["hi"] = hi
        where.append(f"(({' AND '.join(rng)}) OR a.act_date_from IS NULL)")  # undated acts are never dropped
    join = ""
    count_acts = "count(*)"
    if "perpetrator_type" in dims:
        join = ("JOIN (SELECT DISTINCT parent_id, perpetrator_type FROM act_perpetrator) p ON p.parent_id = a.id")
        count_acts = "count(DISTINCT a.id)"
    group = ", ".join(str(i + 1) for i in range(len(dims)))
    sql = (f"SELECT {', '.join(cols)}, {count_acts} AS acts, count(DISTINCT a.victim_person) AS persons, "
           f"count(DISTINCT a.victim_organisation) AS organisations FROM threat_act a {join} "
           f"WHERE {' AND '.join(where)} GROUP BY {group} ORDER BY {group}")
    rows = [dict(r._mapping) for r in session.execute(text(sql), params)]
    return StatsResult(dims, rows, date_from, date_to, all_statuses)
