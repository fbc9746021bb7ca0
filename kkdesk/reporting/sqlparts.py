"""Shared SQL pieces of the reports on cases, hearings, detentions and examinations:
the record-status switch and the period on a stored date or datetime column."""

from __future__ import annotations

from kkdesk.reporting.model import Options


def status_clause(o: Options, alias: str) -> str:
    return "1 = 1" if o.all_statuses else f"{alias}.record_status = 'verified'"


def day_expr(column: str) -> str:
    """The ISO day of a stored date ('2024', '2024-03', '2024-03-05' -> first day) or local datetime."""
    return (f"CASE WHEN length({column}) = 4 THEN {column} || '-01-01' "
            f"WHEN length({column}) = 7 THEN {column} || '-01' ELSE substr({column}, 1, 10) END")


def period_clause(o: Options, day: str) -> tuple[str, dict]:
    """Rows whose day is in the period; rows without a day are kept (their own row)."""
    terms, params = [], {}
    if o.period.start:
        terms.append(f"{day} >= :p_lo")
        params["p_lo"] = o.period.start
    if o.period.end:
        terms.append(f"{day} <= :p_hi")
        params["p_hi"] = o.period.end
    if not terms:
        return "1 = 1", params
    return f"(({' AND '.join(terms)}) OR {day} IS NULL)", params


def year_of(day_value: str | None) -> int | None:
    return int(day_value[:4]) if day_value else None
