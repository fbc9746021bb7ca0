"""R16 trend sheet: every published figure (SPEC §6.3) beside the live count for the
same indicator and period where kkdesk can compute one. Published figures are never
added to live counts (SPEC §6.1)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from kkdesk.errors import InputError
from kkdesk.i18n import N_
from kkdesk.reporting import published
from kkdesk.reporting.model import BOOL, DATE, DIM, NUMBER, TEXT, Chart, Column, Note, Options, Report, share

BAD_VALUE = N_("Published figure %(record)s: the field %(field)s holds “%(value)s”, which is not a number.")
LIVE = ("threat_cases_total", "persons_threatened", "organisations_threatened", "share_women")


def live_value(session: Session, indicator: str, start: str, end: str, all_statuses: bool) -> float | int | None:
    if indicator not in LIVE:
        return None
    # s_year first: the report indexes are (s_key, s_year, …), so a year range is an index range
    where = ("s_key IN (1, 3)" if all_statuses else "s_key = 3") + \
        " AND s_year BETWEEN :y1 AND :y2 AND s_day BETWEEN :lo AND :hi"
    params = {"lo": int(start.replace("-", "")), "hi": int(end.replace("-", "")), "y1": int(start[:4]),
              "y2": int(end[:4])}
    if indicator == "share_women":
        codes = {c: n for n, c in session.execute(text("SELECT num, code FROM stat_code WHERE vocab = 'gender'"))}
        counts = {g: session.execute(text(f"SELECT count(*) FROM threat_act INDEXED BY ix_threat_act_rep_gender "
                                          f"WHERE {where} AND s_gender = :g"),
                                     {**params, "g": codes[g]}).scalar() if g in codes else 0
                  for g in ("female", "male", "other")}
        return share(counts["female"], sum(counts.values()))  # type: ignore[arg-type]
    if indicator == "threat_cases_total":
        sql = f"SELECT count(*) FROM threat_act INDEXED BY ix_threat_act_rep_gender WHERE {where}"
    else:  # distinct victims, along the partial index of the persons or the organisations
        col = "s_person" if indicator == "persons_threatened" else "s_org"
        sql = (f"SELECT count(DISTINCT {col}) FROM threat_act INDEXED BY ix_threat_act_rep_{col[2:]} "
               f"WHERE {where} AND {col} IS NOT NULL")
    return session.execute(text(sql), params).scalar()


def _number(f: dict):
    raw = f.get("value")
    if raw is None:
        return None
    value = published.parse_value(f)
    if value is None:
        raise InputError(BAD_VALUE, record=f.get("record_no") or f["id"], field="value", value=str(raw))
    return int(value) if value == value.to_integral_value() else float(value)


def r16(session: Session, o: Options) -> Report:
    rows, sources = [], []
    for f in published.figures(session):
        start, end = f.get("period_start"), f.get("period_end")
        if not start or not end:
            continue
        p = o.period
        if (p.start and end < p.start) or (p.end and start > p.end):
            continue
        start, end = published_bound(start, False), published_bound(end, True)
        rows.append({"indicator": f.get("indicator"), "dimension": f.get("dimension"),
                     "dimension_value": f.get("dimension_value"),
                     "period_start": start, "period_end": end, "published_value": _number(f),
                     "published_text": f.get("value_text"),
                     "live_value": live_value(session, f.get("indicator"), start, end, o.all_statuses),  # type: ignore[arg-type]
                     "comparable_with_live": bool(f.get("comparable_with_live")), "conflicting": f["conflicting"],
                     "source": " · ".join(x for x in (f.get("publisher"), f.get("source_ref")) if x)})
        src = rows[-1]["source"]
        if src not in sources:
            sources.append(src)
    rank = {name: i for i, name in enumerate(LIVE)}
    rows.sort(key=lambda r: (rank.get(r["indicator"], len(LIVE)), r["indicator"] or "", r["dimension_value"] or "",
                             r["period_start"], r["period_end"]))
    cols = [Column("indicator", N_("Indicator"), DIM), Column("dimension", N_("Breakdown by"), DIM),
            Column("dimension_value", N_("Breakdown"), DIM, "@dimension"),
            Column("period_start", N_("From"), DATE), Column("period_end", N_("Until"), DATE),
            Column("published_value", N_("Published value"), NUMBER), Column("published_text", N_("As published"), TEXT),
            Column("live_value", N_("Live count"), NUMBER),
            Column("comparable_with_live", N_("Comparable with live counts"), BOOL),
            Column("conflicting", N_("Conflicting"), BOOL), Column("source", N_("Source"), TEXT)]
    notes = [Note(N_("Published figures are printed beside the live counts of this profile and never added to them.")),
             Note(N_("Figures marked as conflicting disagree with another published figure for the same indicator and "
                     "period; both are kept."))]
    if any(r["conflicting"] for r in rows):
        notes.append(Note(N_("Conflicting figures in this period: %(n)s."),
                          {"n": sum(1 for r in rows if r["conflicting"])}))
    return Report("R16", N_("Trend sheet: live counts and published figures"), o, cols, rows, notes,
                  Chart("trend", "year", "cases"), sources)


def published_bound(day: str, end: bool) -> str:
    from kkdesk.reporting.period import bound

    return bound(day, end) or day


