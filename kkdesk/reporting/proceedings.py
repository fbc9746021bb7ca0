"""R10–R13 (SPEC §6.2): prosecutions by article, case outcomes, hearings observed and
fair-trial concerns, from the projection tables of cases and hearings."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import text
from sqlalchemy.orm import Session

from kkdesk.i18n import N_
from kkdesk.reporting.model import DIM, PERCENT, Chart, Column, Note, Options, Report, share
from kkdesk.reporting.sqlparts import day_expr, period_clause, status_clause, year_of
from kkdesk.reporting.threats import YEAR, _order, _sorted, _year_key
from kkdesk.vocab import vocabularies

RID_SHIFT = 20  # kkdesk.db.models.RID_SHIFT: a child row's record number is rid >> 20


def r10(session: Session, o: Options) -> Report:
    day = day_expr("coalesce(ch.status_date, c.opened_date)")
    where, params = period_clause(o, day)
    sql = (f"SELECT ch.legal_article, {day}, ch.charge_status FROM charge ch "
           f"JOIN record r ON r.num = (ch.rid >> {RID_SHIFT}) JOIN case_record c ON c.id = r.id "
           f"WHERE {status_clause(o, 'c')} AND {where}")
    agg: dict = defaultdict(lambda: {"charges": 0, "convictions": 0, "acquittals": 0})
    for article, d, status in session.execute(text(sql), params):
        cell = agg[(article, year_of(d))]
        cell["charges"] += 1
        cell["convictions"] += status == "convicted"
        cell["acquittals"] += status == "acquitted"
    rows = _sorted([{"legal_article": a, "year": y, **v} for (a, y), v in agg.items()],
                   [("legal_article", "legal_article"), ("year", None)])
    cols = [Column("legal_article", N_("Legal article"), DIM, "legal_article"), YEAR, Column("charges", N_("Charges")),
            Column("convictions", N_("Convictions")), Column("acquittals", N_("Acquittals"))]
    notes = [Note(N_("A charge counts in the year of its status date, or of the case's opening when it has none."))]
    return Report("R10", N_("Prosecutions by legal article"), o, cols, rows, notes,
                  Chart("stacked", "year", "charges", "legal_article"))


def r11(session: Session, o: Options) -> Report:
    rows = []
    day = day_expr("coalesce(c.closed_date, c.opened_date)")
    where, params = period_clause(o, day)
    counts: dict = defaultdict(int)
    for status, d in session.execute(text(f"SELECT c.status, {day} FROM case_record c "
                                          f"WHERE {status_clause(o, 'c')} AND {where}"), params):
        counts[("case_status", status, year_of(d))] += 1
    day = day_expr("s.decision_date")
    where, params = period_clause(o, day)
    for stype, d in session.execute(text(
            f"SELECT s.sentence_type, {day} FROM sentence s JOIN record r ON r.num = (s.rid >> {RID_SHIFT}) "
            f"JOIN case_record c ON c.id = r.id WHERE {status_clause(o, 'c')} AND {where}"), params):
        counts[("sentence_type", stype, year_of(d))] += 1
    orders = {"case_status": _order("case_status"), "sentence_type": _order("sentence_type")}
    rows = [{"section": s, "outcome": v, "year": y, "count": n} for (s, v, y), n in counts.items()]
    rows.sort(key=lambda r: (r["section"] != "case_status", orders[r["section"]].get(r["outcome"], 999),
                             _year_key(r["year"])))
    cols = [Column("section", N_("Counted"), DIM), Column("outcome", N_("Outcome"), DIM, "@section"), YEAR,
            Column("count", N_("Number"))]
    notes = [Note(N_("Cases count by their status in the year they were closed (or opened, while open); sentences "
                     "by type in the year of the decision, bans on public activity included."))]
    return Report("R11", N_("Case outcomes and sentences"), o, cols, rows, notes,
                  Chart("stacked", "year", "count", "outcome"))


def r12(session: Session, o: Options) -> Report:
    day = day_expr("coalesce(h.actual_start, h.scheduled_start)")
    where, params = period_clause(o, day)
    counts: dict = defaultdict(int)
    for fmt, access in session.execute(text(f"SELECT h.hearing_format, h.observer_access FROM hearing_observation h "
                                            f"WHERE {status_clause(o, 'h')} AND {where}"), params):
        counts[(fmt, access)] += 1
    per_format: dict = defaultdict(int)
    denied: dict = defaultdict(int)
    for (fmt, access), n in counts.items():
        per_format[fmt] += n
        if (access or "").startswith("denied_"):
            denied[fmt] += n
    rows = _sorted([{"hearing_format": f, "observer_access": a, "hearings": n, "share": share(n, per_format[f])}
                    for (f, a), n in counts.items()], [("hearing_format", "hearing_format"),
                                                        ("observer_access", "observer_access")])
    cols = [Column("hearing_format", N_("Hearing format"), DIM, "hearing_format"),
            Column("observer_access", N_("Observer access"), DIM, "observer_access"),
            Column("hearings", N_("Hearings")), Column("share", N_("Share of the format's hearings"), PERCENT)]
    total = sum(per_format.values())
    notes = [Note(N_("Access denied in %(share)s %% of %(n)s hearings observed or attempted."),
                  {"share": share(sum(denied.values()), total) or 0, "n": total})]
    return Report("R12", N_("Hearings observed"), o, cols, rows, notes,
                  Chart("stacked", "hearing_format", "hearings", "observer_access"))


def checklist_rows(answers, vocab: str) -> list[dict]:
    """One row per checklist item: answers counted, concerns (the item's `concern_if`,
    SPEC §4) and their share among the applicable answers (yes, no, unknown)."""
    voc = vocabularies()
    agg: dict = defaultdict(lambda: {"yes": 0, "no": 0, "unknown": 0, "not_applicable": 0})
    for item, answer, n in answers:
        if answer in ("yes", "no", "unknown", "not_applicable"):
            agg[item][answer] += n
    rows = []
    order = _order(vocab)
    for item in sorted(agg, key=lambda i: order.get(i, 9999)):
        a = agg[item]
        term = voc.get(vocab, item)
        concern_if = term.extra.get("concern_if") if term else None
        concerns = a.get(concern_if, 0) if concern_if in ("yes", "no") else 0
        rows.append({"item": item, **a, "concerns": concerns,
                     "share_concern": share(concerns, a["yes"] + a["no"] + a["unknown"])})
    return rows


def checklist_columns(vocab: str, title: str) -> list[Column]:
    return [Column("item", title, DIM, vocab), Column("yes", N_("Yes")), Column("no", N_("No")),
            Column("unknown", N_("Unknown")), Column("not_applicable", N_("Not applicable")),
            Column("concerns", N_("Concerns")), Column("share_concern", N_("Share of concerns"), PERCENT)]


CONCERN_NOTE = N_("A concern is the answer the checklist marks as one for the item; its share is taken over the "
                  "answers yes, no and unknown (not applicable left out).")


def r13(session: Session, o: Options) -> Report:
    day = day_expr("coalesce(h.actual_start, h.scheduled_start)")
    where, params = period_clause(o, day)
    answers = session.execute(text(
        f"SELECT f.item, f.answer, count(*) FROM fair_trial_answer f JOIN record r ON r.num = (f.rid >> {RID_SHIFT}) "
        f"JOIN hearing_observation h ON h.id = r.id WHERE {status_clause(o, 'h')} AND {where} GROUP BY 1, 2"), params).all()
    rows = checklist_rows(answers, "fair_trial_item")
    return Report("R13", N_("Fair-trial concerns"), o, checklist_columns("fair_trial_item", N_("Checklist item")), rows,
                  [Note(CONCERN_NOTE)], Chart("bar", "item", "share_concern"))
