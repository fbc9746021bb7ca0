"""Lists of records for screens and the CLI, paged by keyset (`(sort key, num) > (…)`),
so the millionth row costs what the first does."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import and_, exists, func, intersect, select, tuple_
from sqlalchemy.orm import Session

from kkdesk.db.models import ENTITY_TABLES, Record, rid_num, rows_of_record

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
    date_text: str | None = None  # the date as recorded when it is partial ("2024-05"), else None


_COLUMNS = (Record.num, Record.id, Record.kind, Record.record_no, Record.title, Record.sort_date, Record.region,
            Record.record_status, Record.confidentiality, Record.updated_at, Record.incomplete, Record.sealed,
            Record.conflict, Record.deleted)


# A filtered page is read one of two ways. Walking the sort key's index and testing
# each row is fast while matches are dense, but reads the whole kind when they are
# rare (seconds at a million records). Otherwise the matching records are collected
# from the filters' own indexes (each an append-only range: kind+region, act type …),
# intersected, and only those rows are read and sorted. The choice is made from the
# sizes of those ranges, counted in the same indexes (a few ms), assuming filters
# independent: walking reads ~limit/density rows; collecting reads every index entry
# of each filter (cheap) and then each match.
INDEX_ENTRY_COST = 0.2   # reading one index entry, relative to reading one record row
ACT_TEST_COST = 2.0      # a walk testing act filters (a range probe per row) costs this per row


def _year_range(year: int) -> tuple[str, str]:
    return f"{year:04d}", f"{year + 1:04d}"


def _plain(column):
    """`column` in a form no index serves (SQLite's documented `+x` idiom, as `x || ''`),
    so the planner walks the index chosen for the plan instead."""
    return column.op("||")("") if column.type.python_type is str else column.op("+")(0)


def _kind_rows(kind: str, f: Filters, *, indexable: bool = True) -> list:
    kind_col = Record.kind if indexable else _plain(Record.kind)
    cond = [kind_col == kind]
    if not f.include_deleted:
        cond.append((Record.deleted if indexable else _plain(Record.deleted)) == 0)
    return cond


@dataclass
class _Candidate:
    sub: Any              # SELECT of record numbers
    year: bool = False    # the year's range (a range of the date index itself when sorting by date)
    act: bool = False     # an act filter (a walk tests it with a probe per row)


def _candidates(kind: str, f: Filters) -> list[_Candidate]:
    """One subquery of record numbers per filter, each served by one index range."""
    subs = []
    for column, value in ((Record.region, f.region), (Record.record_status, f.record_status),
                          (Record.confidentiality, f.confidentiality)):
        if value:
            subs.append(_Candidate(select(Record.num).where(*_kind_rows(kind, f), column == value)))
    if f.year is not None:
        lo, hi = _year_range(f.year)
        subs.append(_Candidate(select(Record.num).where(*_kind_rows(kind, f), Record.sort_date >= lo,
                                                         Record.sort_date < hi), year=True))
    if kind == "threat" and (f.threat_type or f.target_group):
        act = ENTITY_TABLES["threat_act"]  # one act must match both (as in _where)
        cond = [column == value for column, value in ((act.c.threat_type, f.threat_type),
                                                      (act.c.target_group_at_time, f.target_group)) if value]
        subs.append(_Candidate(select(rid_num(act.c.rid)).where(*cond).distinct(), act=True))
    elif f.target_group and kind in ("person", "organisation"):
        table = ENTITY_TABLES[kind]
        subs.append(_Candidate(select(Record.num).join(table, table.c.id == Record.id).where(
            table.c.primary_target_group == f.target_group), act=True))
    return subs


def _sparse(session: Session, subs: list[_Candidate], sort: str, limit: int) -> bool:
    """Whether collecting the candidates costs less than walking the sort index."""
    if not subs:
        return False
    total = max(session.execute(select(func.max(Record.num))).scalar() or 0, 1)  # records of all kinds: an upper bound
    counts = [session.execute(select(func.count()).select_from(c.sub.subquery())).scalar_one() for c in subs]
    joint = float(total)
    for n in counts:
        joint *= n / total
    walked = total
    for c, n in zip(subs, counts):
        if c.year and sort == "date":
            walked = n  # the walk runs inside the year's range
    walk_rows = walked if joint < 1 else min(walked, limit * walked / joint)
    walk_cost = walk_rows * (ACT_TEST_COST if any(c.act for c in subs) else 1.0)
    collect_cost = INDEX_ENTRY_COST * sum(counts) + joint
    return collect_cost < walk_cost


def _where(kind: str, f: Filters, sort: str | None = None) -> list:
    """Conditions for walking the sort index (`sort`) and testing each row."""
    cond = _kind_rows(kind, f)
    if f.year is not None:
        if sort == "date":  # a range of the date index itself
            lo, hi = _year_range(f.year)
            cond += [Record.sort_date >= lo, Record.sort_date < hi]
        else:
            cond.append(_plain(Record.year) == f.year)
    for column, value in ((Record.region, f.region), (Record.record_status, f.record_status),
                          (Record.confidentiality, f.confidentiality)):
        if value:
            cond.append(_plain(column) == value)
    if kind == "threat" and (f.target_group or f.threat_type):
        act = ENTITY_TABLES["threat_act"]
        sub = [rows_of_record(act, Record.num)]
        # tested on the record's own range of acts (a filter index would be scanned whole per row)
        if f.target_group:
            sub.append(_plain(act.c.target_group_at_time) == f.target_group)
        if f.threat_type:
            sub.append(_plain(act.c.threat_type) == f.threat_type)
        cond.append(exists().where(and_(*sub)))
    elif f.target_group and kind in ("person", "organisation"):
        table = ENTITY_TABLES[kind]
        cond.append(exists().where(and_(table.c.id == Record.id, table.c.primary_target_group == f.target_group)))
    return cond


def _where_sparse(kind: str, f: Filters, subs: list[_Candidate]) -> list:
    """Conditions for reading only the intersection of the candidates (by rowid)."""
    joint: Any = subs[0].sub if len(subs) == 1 else intersect(*(c.sub for c in subs))  # Any: inferring it crashes mypy 2.4
    return [Record.num.in_(joint), *_kind_rows(kind, f, indexable=False)]


def page(session: Session, kind: str, *, sort: str = "date", descending: bool = False, after: tuple | None = None,
         limit: int = 200, filters: Filters | None = None) -> list[Row]:
    """Up to `limit` rows after the keyset position `after` = (sort value, num) of the
    last row of the previous page. NULL sort values come last.

    Two index walks instead of one ORDER BY on `key IS NULL`: that expression is in no
    index, so SQLite sorted every row of the kind on each page (10 s at a million rows).
    First the rows with a sort value, in (key, num) order; then those without, by num."""
    f = filters or Filters()
    key = SORT_KEYS[sort]
    subs = _candidates(kind, f)
    base = _where_sparse(kind, f, subs) if _sparse(session, subs, sort, limit) else _where(kind, f, sort)
    rows: list[Row] = []
    after_num = None
    if after is None or after[0] is not None:
        cond = [*base, key.is_not(None)]
        if after is not None:
            value, num = after
            cond.append(tuple_(key, Record.num) < tuple_(value, num) if descending
                        else tuple_(key, Record.num) > tuple_(value, num))
        order: list[Any] = [key.desc(), Record.num.desc()] if descending else [key, Record.num]
        rows = [Row(*r) for r in session.execute(select(*_COLUMNS).where(*cond).order_by(*order).limit(limit))]  # type: ignore[call-arg]
        if len(rows) == limit:
            return with_date_text(session, kind, rows)
    else:
        after_num = after[1]
    cond = [*base, key.is_(None)]
    if after_num is not None:
        cond.append(Record.num < after_num if descending else Record.num > after_num)
    order = [Record.num.desc()] if descending else [Record.num]
    stmt = select(*_COLUMNS).where(*cond).order_by(*order).limit(limit - len(rows))
    return with_date_text(session, kind, rows + [Row(*r) for r in session.execute(stmt)])  # type: ignore[call-arg]


# the date a list shows, where it may be partial (hearings and examinations have full datetimes)
PARTIAL_DATES = {"case": "opened_date", "threat": "start_date", "source": "publication_date"}


def with_date_text(session: Session, kind: str, rows: list[Row]) -> list[Row]:
    """Rows with `date_text` set where the record's date is partial, so that a list
    prints "May 2024" as the record does, not the first day it sorts by."""
    name = PARTIAL_DATES.get(kind)
    dated = [r.id for r in rows if r.sort_date]
    if name is None or not dated:
        return rows
    table = ENTITY_TABLES[kind]
    stored = dict(session.execute(select(table.c.id, table.c[name]).where(table.c.id.in_(dated))).all())
    return [replace(r, date_text=stored[r.id]) if r.id in stored and stored[r.id] and len(stored[r.id]) < 10 else r
            for r in rows]


def sort_value(row: Row, sort: str) -> Any:
    return {"date": row.sort_date, "title": row.title, "record_no": row.record_no, "updated": row.updated_at}[sort]


def count(session: Session, kind: str, filters: Filters | None = None) -> int:
    f = filters or Filters()
    subs = _candidates(kind, f)
    if not subs:
        return session.execute(select(func.count()).select_from(Record).where(*_kind_rows(kind, f))).scalar_one()
    # every candidate holds only records of this kind, live unless deleted ones are asked
    # for (act and group filters match live records only, as their rows go with a deletion)
    joint: Any = subs[0].sub if len(subs) == 1 else intersect(*(c.sub for c in subs))  # Any: inferring it crashes mypy 2.4
    return session.execute(select(func.count()).select_from(joint.subquery())).scalar_one()


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
