"""Rule §7.5: a torture allegation — E01 answered "yes" in a hearing, or allegations
recorded in a medical examination — calls for a ThreatIncident
(`torture_ill_treatment`) and an Intervention. This module says when to offer them
and builds both, pre-filled, in interchange form (references as UUIDs); the caller
shows them in editors, or saves them with `create`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from sqlalchemy.orm import Session

from kkdesk import interventions, records
from kkdesk.i18n import N_
from kkdesk.interchange import save
from kkdesk.records import Author

E01 = "E01_torture_alleged"
THREAT_TYPE = "torture_ill_treatment"
DEFENDANT_ROLES = ("defendant", "suspect", "admin_offender", "convicted")
TITLE = N_("Torture or ill-treatment alleged: %(who)s")
TITLE_GROUP = N_("the defendant")
ADDRESSEE = N_("Prosecutor's office")
DESCRIPTION = {"hearing": N_("Torture or ill-treatment was alleged in the hearing of %(date)s (%(record)s)."),
               "medical": N_("Torture or ill-treatment was alleged in the medical examination of %(date)s (%(record)s).")}


def alleged(kind: str, content: dict) -> bool:
    """Whether the record holds a torture allegation the rule is about."""
    if kind == "hearing":
        return ((content.get("checklist") or {}).get(E01) or {}).get("answer") == "yes"
    if kind == "medical":
        return bool(content.get("alleged_methods") or content.get("allegation_summary"))
    return False


def already_followed_up(session: Session, record_id: str | None) -> bool:
    """An intervention about the record exists: the offer is not repeated."""
    return bool(record_id) and bool(interventions.interventions_for(session, {record_id}))  # type: ignore[arg-type]


@dataclass
class Followup:
    threat: dict        # ThreatIncident fields
    intervention: dict  # Intervention fields (its links name the source record, the case and the victims)


def _victims(session: Session, kind: str, content: dict) -> list[str]:
    if kind == "medical":
        return [content["subject"]] if content.get("subject") else []
    case = _content(session, content.get("case"))
    return [p["person"] for p in (case or {}).get("parties") or []
            if p.get("person") and p.get("role") in DEFENDANT_ROLES]


def _content(session: Session, record_id: str | None) -> dict | None:
    if not record_id:
        return None
    try:
        view = records.get(session, record_id)
    except Exception:  # noqa: BLE001 - a dangling reference: nothing to pre-fill from
        return None
    return None if view.deleted else view.content


def build(session: Session, kind: str, record_id: str | None, content: dict, gettext: Callable[[str], str],
          today: str) -> Followup:
    """The pre-filled threat and intervention for a hearing or medical record."""
    case_id = content.get("case")
    case = _content(session, case_id) or {}
    victims = _victims(session, kind, content)
    if kind == "hearing":
        date = (content.get("actual_start") or content.get("scheduled_start") or today)[:10]
        court = _content(session, content.get("court")) or {}
        region = court.get("region") or case.get("region")
        note = ((content.get("checklist") or {}).get(E01) or {}).get("note")
    else:
        starts = [m["start_date"] for m in content.get("alleged_methods") or [] if m.get("start_date")]
        date = min(starts) if starts else (content.get("exam_datetime") or today)[:10]
        region = content.get("region") or case.get("region")
        note = content.get("allegation_summary")
    names = []
    for person in victims:
        p = _content(session, person) or {}
        names.append(p.get("name_kk") or p.get("name_ru") or p.get("name_latin") or "")
        region = region or p.get("residence_region")
    if not note:
        note = gettext(DESCRIPTION[kind]) % {"date": date, "record": content.get("record_no") or ""}
    who = ", ".join(n for n in names if n) or gettext(TITLE_GROUP)
    act_base = {"threat_type": THREAT_TYPE, "act_date": date}
    if case_id:
        act_base["case"] = case_id
    if kind == "medical" and content.get("detention_episode"):
        act_base["detention_episode"] = content["detention_episode"]
    if victims:
        acts = [{**act_base, "victim_type": "person", "victim_person": v} for v in victims]
    else:
        acts = [{**act_base, "victim_type": "group", "group_description": gettext(TITLE_GROUP),
                 "target_group_at_time": case.get("primary_target_group") or "other",
                 "gender_at_time": "not_applicable", **({"region_at_time": region} if region else {})}]
    threat = {"title": gettext(TITLE) % {"who": who}, "description": note or "", "start_date": date,
              "acts": acts, "entry_language": content.get("entry_language"),
              "confidentiality": content.get("confidentiality") or "internal"}
    if region:
        threat["region"] = region
    if case_id:
        threat["linked_cases"] = [case_id]
    targets = [t for t in (record_id, case_id, *victims) if t]
    intervention = {"intervention_type": "complaint_authorities", "date": today, "status": "planned",
                    "addressee": gettext(ADDRESSEE), "links": [{"target": t} for t in dict.fromkeys(targets)],
                    "entry_language": content.get("entry_language"),
                    "confidentiality": content.get("confidentiality") or "internal"}
    return Followup({k: v for k, v in threat.items() if v not in (None, "")},
                    {k: v for k, v in intervention.items() if v is not None})


def create(session: Session, author: Author, record_id: str, gettext: Callable[[str], str],
           today: str, default_language: str = "en") -> tuple[str, str]:
    """Save the pre-filled threat and intervention as drafts, the intervention linked
    to the new threat too; returns their ids (the user completes them in the editors)."""
    view = records.get(session, record_id)
    f = build(session, view.kind, view.id, view.content, gettext, today)
    threat = save(session, author, "threat", f.threat, default_language=default_language)
    f.intervention["links"].insert(0, {"target": threat.id})
    iv = save(session, author, "intervention", f.intervention, default_language=default_language)
    return threat.id, iv.id
