"""Lists of records for screens and the CLI, paged by keyset (`(sort key, num) > (…)`),
so the millionth row costs what the first does."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, exists, func, select, tuple_
from sqlalchemy.orm import Session

from kkdesk.db.models import ENTITY_TABLES, RID_SPAN, Record

SORT_KEYS = {"date": Record.sort_date, "title": Record.title, "record_no": Record.record_no, "updated": Record.updated_at}


@dataclass
class Filters:
    year: int | None = None
    region: str | None = None
    record_status: str | None = None
    confidentiality: str | None = None
    target_group: str | None = None   # threats: any act; persons/organisations: primary group
    threat_type: str | None = None    # threats: any act
    include_deleted: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Row:
    num: int
    id: str
    kind: str
    record_no: str | None
    title: str
    sort_date: str | None
    region: str | None
    record_status: str | None
    confidentiality: str | None
    updated_at: str
    incomplete: bool
    sealed: bool
    conflict: bool
    deleted: bool


_COLUMNS = (Record.num, Record.id, Record.kind, Record.record_no, Record.title, Record.sort_date, Record.region,
            Record.record_status, Record.confidentiality, Record.updated_at, Record.incomplete, Record.sealed,
            Record.conflict, Record.deleted)


def _where(kind: str, f: Filters) -> list:
    cond = [Record.kind == kind]
    if not f.include_deleted:
        cond.append(Record.deleted.is_(False))
    if f.year is not None:
        cond.append(Record.year == f.year)
    if f.region:
        cond.append(Record.region == f.region)
    if f.record_status:
        cond.append(Record.record_status == f.record_status)
    if f.confidentiality:
        cond.append(Record.confidentiality == f.confidentiality)
    if kind == "threat" and (f.target_group or f.threat_type):
        act = ENTITY_TABLES["threat_act"]
        sub = [act.c.rid.between(Record.num * RID_SPAN, Record.num * RID_SPAN + (RID_SPAN - 1))]
        if f.target_group:
            sub.append(act.c.target_group_at_time == f.target_group)
        if f.threat_type:
            sub.append(act.c.threat_type == f.threat_type)
        cond.append(exists().where(and_(*sub)))
    elif f.target_group and kind in ("person", "organisation"):
        table = ENTITY_TABLES[kind]
        cond.append(exists().where(and_(table.c.id == Record.id, table.c.primary_target_group == f.target_group)))
    return cond


def page(session: Session, kind: str, *, sort: str = "date", descending: bool = False, after: tuple | None = None,
         limit: int = 200, filters: Filters | None = None) -> list[Row]:
    """Up to `limit` rows after the keyset position `after` = (sort value, num) of the
    last row of the previous page. NULL sort values come last.

    Two index walks instead of one ORDER BY on `key IS NULL`: that expression is in no
    index, so SQLite sorted every row of the kind on each page (10 s at a million rows).
    First the rows with a sort value, in (key, num) order; then those without, by num."""
    f = filters or Filters()
    key = SORT_KEYS[sort]
    base = _where(kind, f)
    rows: list[Row] = []
    after_num = None
    if after is None or after[0] is not None:
        cond = [*base, key.is_not(None)]
        if after is not None:
            value, num = after
            cond.append(tuple_(key, Record.num) < tuple_(value, num) if descending
                        else tuple_(key, Record.num) > tuple_(value, num))
        order = [key.desc(), Record.num.desc()] if descending else [key, Record.num]
        rows = [Row(*r) for r in session.execute(select(*_COLUMNS).where(*cond).order_by(*order).limit(limit))]
        if len(rows) == limit:
            return rows
    else:
        after_num = after[1]
    cond = [*base, key.is_(None)]
    if after_num is not None:
        cond.append(Record.num < after_num if descending else Record.num > after_num)
    order = [Record.num.desc()] if descending else [Record.num]
    stmt = select(*_COLUMNS).where(*cond).order_by(*order).limit(limit - len(rows))
    return rows + [Row(*r) for r in session.execute(stmt)]


def sort_value(row: Row, sort: str) -> Any:
    return {"date": row.sort_date, "title": row.title, "record_no": row.record_no, "updated": row.updated_at}[sort]


def count(session: Session, kind: str, filters: Filters | None = None) -> int:
    return session.execute(select(func.count()).select_from(Record).where(*_where(kind, filters or Filters()))).scalar_one()


def distinct_years(session: Session, kind: str) -> list[int]:
    """The years that occur, newest first: one index seek per year (the date index is
    ordered by sort_date), instead of reading every record of the kind."""
    years: list[int] = []
    bound = "9999"
    while True:
        stmt = (select(Record.sort_date).where(Record.kind == kind, Record.deleted.is_(False),
                                               Record.sort_date.is_not(None), Record.sort_date < bound)
                .order_by(Record.sort_date.desc()).limit(1))
        value = session.execute(stmt).scalar()
        if value is None:
            return years
        years.append(int(value[:4]))
        bound = value[:4]  # the next seek starts below this year
