"""What links to a record: a person's cases, threats, hearings, detentions,
examinations and interventions as one timeline; a case's hearings, threats,
detentions and examinations; sources citing a record; interventions about it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from kkdesk.db.models import ENTITY_TABLES as T, Record, rid_num, rows_of_record


@dataclass(frozen=True)
class Link:
    kind: str
    id: str
    record_no: str | None
    title: str
    sort_date: str | None
    relation: str  # e.g. "case_party", "victim", "subject", "hearing", "source"


def _records(session: Session, ids_by_relation: dict[str, set[str]]) -> list[Link]:
    out: list[Link] = []
    seen: set[tuple[str, str]] = set()
    for relation, id_set in ids_by_relation.items():
        ids = list(id_set)
        for i in range(0, len(ids), 500):
            stmt = select(Record.kind, Record.id, Record.record_no, Record.title, Record.sort_date).where(
                Record.id.in_(ids[i:i + 500]), Record.deleted.is_(False))
            for kind, rid, no, title, sd in session.execute(stmt):
                if (rid, relation) not in seen:
                    seen.add((rid, relation))
                    out.append(Link(kind, rid, no, title, sd, relation))
    out.sort(key=lambda link: (link.sort_date is None, link.sort_date or "", link.kind, link.title))
    return out


def _ids(session: Session, stmt) -> set[str]:
    return {r for (r,) in session.execute(stmt) if r}


def linked(session: Session, record_id: str) -> list[Link]:
    row = session.execute(select(Record.kind, Record.num).where(Record.id == record_id)).first()
    rec, num = (row.kind, row.num) if row is not None else (None, 0)
    rel: dict[str, set[str]] = {}
    if rec == "person":
        party_cases = _ids(session, select(T["case_party"].c.parent_id).where(
            (T["case_party"].c.person == record_id) | (T["case_party"].c.counsel_person == record_id)))
        rel["case"] = party_cases
        rel["threat"] = _ids(session, select(T["threat_act"].c.parent_id).where(
            T["threat_act"].c.victim_person == record_id))
        rel["perpetrator"] = _ids(session, select(Record.id).join(
            T["act_perpetrator"], Record.num == rid_num(T["act_perpetrator"].c.rid)).where(
            T["act_perpetrator"].c.perpetrator_person == record_id))
        hearings = _ids(session, select(T["hearing_participant"].c.parent_id).where(
            T["hearing_participant"].c.person == record_id))
        if party_cases:
            hearings |= _ids(session, select(T["hearing"].c.id).where(T["hearing"].c.case.in_(party_cases)))
        rel["hearing"] = hearings
        rel["medical"] = _ids(session, select(T["medical"].c.id).where(T["medical"].c.subject == record_id))
        rel["detention"] = _ids(session, select(T["detention"].c.id).where(T["detention"].c.person == record_id))
        rel["organisation"] = _ids(session, select(T["affiliation"].c.parent_id).where(T["affiliation"].c.person == record_id))
    elif rec == "organisation":
        rel["case"] = _ids(session, select(T["case_party"].c.parent_id).where(T["case_party"].c.organisation == record_id))
        rel["threat"] = _ids(session, select(T["threat_act"].c.parent_id).where(T["threat_act"].c.victim_organisation == record_id))
        rel["person"] = _ids(session, select(T["affiliation"].c.person).where(rows_of_record(T["affiliation"], num)))
    elif rec == "case":
        rel["person"] = _ids(session, select(T["case_party"].c.person).where(rows_of_record(T["case_party"], num)))
        rel["organisation"] = _ids(session, select(T["case_party"].c.organisation).where(rows_of_record(T["case_party"], num)))
        rel["hearing"] = _ids(session, select(T["hearing"].c.id).where(T["hearing"].c.case == record_id))
        rel["threat"] = _ids(session, select(T["threat_act"].c.parent_id).where(T["threat_act"].c.case == record_id))
        rel["medical"] = _ids(session, select(T["medical"].c.id).where(T["medical"].c.case == record_id))
        rel["detention"] = _ids(session, select(T["detention"].c.id).where(T["detention"].c.case == record_id))
    elif rec == "threat":
        rel["person"] = _ids(session, select(T["threat_act"].c.victim_person).where(rows_of_record(T["threat_act"], num)))
        rel["organisation"] = _ids(session, select(T["threat_act"].c.victim_organisation).where(rows_of_record(T["threat_act"], num)))
        rel["case"] = _ids(session, select(T["threat_act"].c.case).where(rows_of_record(T["threat_act"], num)))
        rel["detention"] = _ids(session, select(T["threat_act"].c.detention_episode).where(
            rows_of_record(T["threat_act"], num))) | _ids(session, select(T["detention"].c.id).where(
            T["detention"].c.incident == record_id))
    elif rec == "hearing":
        rel["case"] = _ids(session, select(T["hearing"].c.case).where(T["hearing"].c.id == record_id))
        rel["court"] = _ids(session, select(T["hearing"].c.court).where(T["hearing"].c.id == record_id))
        rel["person"] = _ids(session, select(T["hearing_participant"].c.person).where(rows_of_record(T["hearing_participant"], num)))
    elif rec == "medical":
        rel["person"] = _ids(session, select(T["medical"].c.subject).where(T["medical"].c.id == record_id))
        rel["case"] = _ids(session, select(T["medical"].c.case).where(T["medical"].c.id == record_id))
        rel["detention"] = _ids(session, select(T["medical"].c.detention_episode).where(T["medical"].c.id == record_id))
    elif rec == "detention":
        d = T["detention"]
        rel["person"] = _ids(session, select(d.c.person).where(d.c.id == record_id))
        rel["case"] = _ids(session, select(d.c.case).where(d.c.id == record_id))
        rel["threat"] = _ids(session, select(d.c.incident).where(d.c.id == record_id)) | _ids(session, select(
            T["threat_act"].c.parent_id).where(T["threat_act"].c.detention_episode == record_id))
        rel["medical"] = _ids(session, select(T["medical"].c.id).where(T["medical"].c.detention_episode == record_id))
    elif rec == "intervention":
        rel["linked"] = _ids(session, select(T["intervention_link"].c.target).where(
            rows_of_record(T["intervention_link"], num)))
        rel["person"] = _ids(session, select(T["intervention"].c.by_person).where(T["intervention"].c.id == record_id))
        rel["organisation"] = _ids(session, select(T["intervention"].c.by_organisation).where(
            T["intervention"].c.id == record_id))
    elif rec == "court":
        rel["hearing"] = _ids(session, select(T["hearing"].c.id).where(T["hearing"].c.court == record_id))
    elif rec == "source":
        rel["cites"] = _ids(session, select(T["source_link"].c.target).where(rows_of_record(T["source_link"], num)))
    rel["source"] = _ids(session, select(T["source_link"].c.parent_id).where(T["source_link"].c.target == record_id))
    rel["intervention"] = _ids(session, select(T["intervention_link"].c.parent_id).where(
        T["intervention_link"].c.target == record_id))
    rel["attachment"] = _ids(session, select(T["attachment"].c.id).where(T["attachment"].c.target_id == record_id))
    rel = {k: v - {record_id} for k, v in rel.items()}
    return _records(session, rel)


