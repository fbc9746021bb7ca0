"""What the person and case sheets print of detention episodes (legal basis, dates,
place, transfers, the time limits of rule §7.8 exceeded and the safeguard concerns)
and of interventions (one table: date, type, addressee, reference, status, response)."""

from __future__ import annotations

from kkdesk import detentions, interventions
from kkdesk.reports.common import EMPTY, Sheet
from kkdesk.reports.styles import CONCERN_BG

K = "detention"


def detention_date(content: dict) -> str:
    return content.get("actual_detention_at") or ""


def _limits(sh: Sheet, c: dict) -> list:
    out = []
    for lim in detentions.exceeded_limits(c):
        text = sh._(lim.message)
        if lim.hours is not None:
            text = text % {"hours": sh.number(round(lim.hours, 1))}
        out.append(sh.notice(sh._("Time limit exceeded: %(what)s") % {"what": text}))
    return out


def _transfers(sh: Sheet, c: dict) -> list:
    rows = [[sh.date(t.get("date")) or EMPTY, sh.label("detention_place_type", t.get("place_type")),
             t.get("place_name") or EMPTY] for t in c.get("transfers") or []]
    if not rows:
        return []
    return [sh.grid([sh.field("detention_transfer", "date"), sh.field("detention_transfer", "place_type"),
                     sh.field("detention_transfer", "place_name")], rows, [20, 40, 40])]


def _concerns(sh: Sheet, c: dict) -> list:
    rows = detentions.concerns(c)
    if not rows:
        return [sh.note(sh._("No safeguard concerns were recorded for this detention."))]
    lang = c.get("entry_language")
    body = [[r.item.code.split("_", 1)[0], r.item.label(sh.lang), sh.label("answer", r.answer),
             sh.free(r.note, lang) if r.note else sh.p(sh._("Note missing"), sh.st.cell_concern)] for r in rows]
    extra = [("BACKGROUND", (0, 1), (-1, -1), CONCERN_BG)]
    return [sh.grid([sh._("No."), sh.field("safeguard_answer", "item"), sh.field("safeguard_answer", "answer"),
                     sh.field("safeguard_answer", "note")], body, [7, 47, 12, 34], extra)]


def detention_block(sh: Sheet, view, with_person: bool = True) -> list:
    """One detention episode: heading, facts, transfers, exceeded limits, concerns."""
    c = view.content
    sh.include(c)
    when = sh.datetime(c.get("actual_detention_at")) or EMPTY
    place = c.get("place_name") or sh.label("detention_place_type", c.get("place_type"))
    head = sh.subheading(f"{when} — {place} ({view.record_no})")
    precision = c.get("actual_detention_precision")
    rows = [
        (sh.field(K, "person"), sh.person_name(c.get("person")) if with_person else None),
        (sh.field(K, "legal_basis"), sh.label("detention_legal_basis", c.get("legal_basis"))),
        (sh.field(K, "actual_detention_at"),
         when + (f" ({sh.label('date_precision', precision)})" if precision and precision != "day" else "")),
        (sh.field(K, "protocol_detention_time"), sh.datetime(c.get("protocol_detention_time"))),
        (sh.field(K, "detaining_body"), sh.label("perpetrator_type", c.get("detaining_body"))),
        (sh.field(K, "place_type"), sh.label("detention_place_type", c.get("place_type"))),
        (sh.field(K, "place_name"), c.get("place_name")),
        (sh.field(K, "region"), sh.label("region", c.get("region"))),
        (sh.field(K, "released_at"), sh.datetime(c.get("released_at"))),
        (sh.field(K, "release_reason"), sh.free(c["release_reason"], c.get("entry_language"))
         if c.get("release_reason") else None),
    ]
    return [head, sh.fields(rows), *_transfers(sh, c), *_limits(sh, c), *_concerns(sh, c)]


def chronology_events(sh: Sheet, view) -> list[tuple[str, str, str]]:
    """(sort key, date text, event) of a detention for the case chronology."""
    c = view.content
    place = c.get("place_name") or sh.label("detention_place_type", c.get("place_type"))
    who = sh.person_name(c.get("person"))
    out = []
    if c.get("actual_detention_at"):
        out.append((c["actual_detention_at"], sh.datetime(c["actual_detention_at"]),
                    sh._("%(person)s detained: %(basis)s, %(place)s") % {
                        "person": who, "basis": sh.label("detention_legal_basis", c.get("legal_basis")),
                        "place": place} + f" [{view.record_no}]"))
    for t in c.get("transfers") or []:
        if t.get("date"):
            out.append((t["date"], sh.date(t["date"]), sh._("%(person)s transferred to %(place)s") % {
                "person": who, "place": t.get("place_name") or sh.label("detention_place_type", t.get("place_type"))}))
    if c.get("released_at"):
        out.append((c["released_at"], sh.datetime(c["released_at"]), sh._("%(person)s released") % {"person": who}))
    return out


def detentions_section(sh: Sheet, views: list, with_person: bool = True) -> list:
    if not views:
        return []
    out = [sh.section("detention")]
    for view in sorted(views, key=lambda v: detention_date(v.content)):
        out += detention_block(sh, view, with_person)
    return out


def interventions_table(sh: Sheet, views: list):
    rows = []
    for view in views:
        c = view.content
        sh.include(c)
        lang = c.get("entry_language")
        response = " ".join(x for x in (sh.date(c.get("response_date")), c.get("response_summary") or "") if x)
        follow = sh._("Follow-up: %(date)s") % {"date": sh.date(c["follow_up_date"])} if c.get("follow_up_date") else ""
        status = "\n".join(x for x in (sh.label("intervention_status", c.get("status")), follow) if x)
        rows.append((c.get("date") or "", [
            sh.date(c.get("date")) or EMPTY, sh.label("intervention_type", c.get("intervention_type")),
            sh.free(c.get("addressee"), lang), c.get("reference_number") or EMPTY, status,
            sh.free(response, lang) if response else EMPTY]))
    rows.sort(key=lambda r: r[0])
    return sh.grid([sh._("Date"), sh.field("intervention", "intervention_type"), sh.field("intervention", "addressee"),
                    sh.field("intervention", "reference_number"), sh.field("intervention", "status"),
                    sh._("Response")], [r for _, r in rows], [12, 20, 20, 14, 14, 20])


def interventions_section(sh: Sheet, record_ids: set[str]) -> tuple[list, list]:
    """(flowables, views) of the interventions linked to any of `record_ids`."""
    ids = interventions.interventions_for(sh.session, record_ids)
    sh.prefetch(ids)
    views = [v for v in (sh.get(i, "intervention") for i in ids) if v is not None]
    if not views:
        return [], []
    return [sh.section("interventions"), interventions_table(sh, views)], views


