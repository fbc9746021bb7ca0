"""Interventions (SPEC §3.10): what the organisation did about a case — complaints,
appeals to UN bodies, letters — with the records they concern, their responses and
follow-up dates; and rule §7.5, the follow-up a torture allegation calls for."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from kkdesk import schema as S
from kkdesk.clock import now
from kkdesk.db.models import ENTITY_TABLES, Record
from kkdesk.errors import Problem
from kkdesk.i18n import N_

# an intervention with one of these statuses needs no follow-up any more
FINISHED = {"successful", "rejected", "closed"}
LINK_KIND_NOT_ALLOWED = N_("an intervention cannot be linked to a record of this kind (%(kind)s); link a case, "
                           "threat incident, person, hearing, medical examination or detention")


def link_errors(content: dict, path: str, kind_of: Callable[[str], str | None]) -> list[Problem]:
    """Links to kinds SPEC does not allow (a court, a source …) are refused."""
    prefix = f"{path}." if path else ""
    out = []
    for i, link in enumerate(content.get("links") or ()):
        kind = kind_of(link.get("target", ""))
        if kind is not None and kind not in S.INTERVENTION_TARGETS:
            out.append(Problem(f"{prefix}links[{i}].target", LINK_KIND_NOT_ALLOWED, kind=kind))
    return out


def local_today() -> dt.date:
    return now().astimezone().date()


@dataclass(frozen=True)
class LinkedRecord:
    id: str
    kind: str
    record_no: str | None
    title: str

    def as_dict(self) -> dict:
        return {"id": self.id, "kind": self.kind, "record_no": self.record_no, "title": self.title}


@dataclass(frozen=True)
class Due:
    id: str
    record_no: str | None
    follow_up_date: str
    addressee: str
    status: str
    intervention_type: str
    overdue: bool
    links: list[LinkedRecord] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"id": self.id, "record_no": self.record_no, "follow_up_date": self.follow_up_date,
                "addressee": self.addressee, "status": self.status, "intervention_type": self.intervention_type,
                "overdue": self.overdue, "links": [link.as_dict() for link in self.links]}


def due(session: Session, today: dt.date | None = None, within_days: int | None = None) -> list[Due]:
    """Open interventions with a follow-up date, earliest first (so the overdue ones,
    before `today`, come first); `within_days` keeps those due by today + that many days."""
    today = today or local_today()
    iv = ENTITY_TABLES["intervention"]
    stmt = (select(iv.c.id, Record.record_no, iv.c.follow_up_date, iv.c.follow_up_date_from, iv.c.addressee,
                   iv.c.status, iv.c.intervention_type)
            .join(Record, Record.id == iv.c.id)
            .where(Record.deleted.is_(False), iv.c.follow_up_date_from.is_not(None), iv.c.status.not_in(FINISHED))
            .order_by(iv.c.follow_up_date_from, Record.num))
    if within_days is not None:
        stmt = stmt.where(iv.c.follow_up_date_from <= (today + dt.timedelta(days=within_days)).isoformat())
    rows = session.execute(stmt).all()
    links = linked_records(session, [r.id for r in rows])
    return [Due(r.id, r.record_no, r.follow_up_date, r.addressee or "", r.status, r.intervention_type,
                r.follow_up_date_from < today.isoformat(), links.get(r.id, [])) for r in rows]


def linked_records(session: Session, intervention_ids: list[str]) -> dict[str, list[LinkedRecord]]:
    """intervention id -> the live records it is linked to, in link order."""
    link = ENTITY_TABLES["intervention_link"]
    out: dict[str, list[LinkedRecord]] = {}
    for i in range(0, len(intervention_ids), 500):
        stmt = (select(link.c.parent_id, Record.id, Record.kind, Record.record_no, Record.title)
                .join(Record, Record.id == link.c.target)
                .where(link.c.parent_id.in_(intervention_ids[i:i + 500]), Record.deleted.is_(False))
                .order_by(link.c.rid))
        for iv_id, rid, kind, no, title in session.execute(stmt):
            out.setdefault(iv_id, []).append(LinkedRecord(rid, kind, no, title))
    return out


def interventions_for(session: Session, record_ids: set[str]) -> list[str]:
    """Ids of the live interventions linked to any of `record_ids`."""
    link = ENTITY_TABLES["intervention_link"]
    ids = sorted(record_ids)
    found: set[str] = set()
    for i in range(0, len(ids), 500):
        found.update(r for (r,) in session.execute(select(link.c.parent_id).where(link.c.target.in_(ids[i:i + 500]))))
    if not found:
        return []
    live = session.execute(select(Record.id).where(Record.id.in_(sorted(found)), Record.deleted.is_(False))
                           .order_by(Record.sort_date, Record.num)).scalars()
    return list(live)
