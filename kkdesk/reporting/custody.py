"""R14 detention safeguards and R15 medical documentation (SPEC §6.2).

R14 reads DetentionEpisode records (schema kind `detention`, safeguard answers in
its CHECKLIST field `safeguards`). It is written against the schema: while a
build has no such kind, the report has its columns and no rows."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import text
from sqlalchemy.orm import Session

from kkdesk import schema
from kkdesk.i18n import N_
from kkdesk.reporting.model import DIM, Chart, Column, Note, Options, Report
from kkdesk.reporting.proceedings import CONCERN_NOTE, RID_SHIFT, checklist_columns, checklist_rows
from kkdesk.reporting.sqlparts import day_expr, period_clause, status_clause
from kkdesk.reporting.threats import _sorted

DETENTION_DATE_FIELDS = ("actual_detention_at", "detention_date", "date")


def _detention_tables() -> tuple[str, str, str] | None:
    """(episode table, answer table, date column) of the detention kind, if the schema has it."""
    entity = schema.TOP_LEVEL.get("detention")
    if entity is None:
        return None
    field = entity.field("safeguards")
    if field is None or field.child is None:
        return None
    date = next((n for n in DETENTION_DATE_FIELDS if entity.field(n) is not None), None)
    return entity.table, field.child.table, date or ""


def r14(session: Session, o: Options) -> Report:
    cols = checklist_columns("detention_safeguard", N_("Safeguard"))
    notes = [Note(CONCERN_NOTE)]
    tables = _detention_tables()
    rows: list[dict] = []
    if tables is not None:
        episodes, answers, date = tables
        if date:
            where, params = period_clause(o, day_expr(f"d.{date}"))
        else:
            where, params = "1 = 1", {}
        found = session.execute(text(
            f"SELECT a.item, a.answer, count(*) FROM {answers} a JOIN record r ON r.num = (a.rid >> {RID_SHIFT}) "
            f"JOIN {episodes} d ON d.id = r.id WHERE {status_clause(o, 'd')} AND {where} GROUP BY 1, 2"), params).all()
        rows = checklist_rows(found, "detention_safeguard")
    else:
        notes.append(Note(N_("This version of kkdesk records no detention episodes yet.")))
    return Report("R14", N_("Detention safeguards"), o, cols, rows, notes, Chart("bar", "item", "share_concern"))


def r15(session: Session, o: Options) -> Report:
    day = day_expr("m.exam_datetime")
    where, params = period_clause(o, day)
    agg: dict = defaultdict(lambda: {"examinations": 0, "injuries_recorded": 0, "injuries_not_recorded": 0})
    for etype, overall, recorded in session.execute(text(
            f"SELECT m.examination_type, m.overall_evaluation, m.injuries_recorded_by_state_medics "
            f"FROM medical_examination m WHERE {status_clause(o, 'm')} AND {where}"), params):
        cell = agg[(etype, overall)]
        cell["examinations"] += 1
        cell["injuries_recorded"] += recorded == "yes"
        cell["injuries_not_recorded"] += recorded == "no"
    rows = _sorted([{"examination_type": e, "overall_evaluation": c, **v} for (e, c), v in agg.items()],
                   [("examination_type", "examination_type"), ("overall_evaluation", "istanbul_consistency")])
    cols = [Column("examination_type", N_("Examination type"), DIM, "examination_type"),
            Column("overall_evaluation", N_("Overall evaluation"), DIM, "istanbul_consistency"),
            Column("examinations", N_("Examinations")),
            Column("injuries_recorded", N_("Injuries recorded by state medics")),
            Column("injuries_not_recorded", N_("Injuries not recorded by state medics"))]
    notes = [Note(N_("Medical examinations are restricted records; only their counts appear here."))]
    return Report("R15", N_("Medical documentation"), o, cols, rows, notes,
                  Chart("stacked", "examination_type", "examinations", "overall_evaluation"))
