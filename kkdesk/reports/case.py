"""Case sheet: the case, its parties in their roles, charges, sentences (bans on
public activity with their scope and duration), the chronology of hearings and
outcomes, linked threats, fair-trial concerns, detentions, medical examinations and
interventions. Sections and their order follow vocab:case_sheet_section."""

from __future__ import annotations

from kkdesk import links
from kkdesk.i18n import N_
from kkdesk.reports import annex, custody, parts
from kkdesk.reports.common import EMPTY, Sheet

TITLE = N_("Case sheet")


def _party_name(sh: Sheet, party: dict) -> str:
    if party.get("person"):
        return sh.person_name(party["person"])
    return sh.org(party.get("organisation"))


def _summary(sh: Sheet, c: dict) -> list:
    lang = c.get("entry_language")
    rows = [
        (sh.field("case", "procedure_type"), sh.label("procedure_type", c.get("procedure_type"))),
        (sh.field("case", "official_numbers"), ", ".join(c.get("official_numbers") or [])),
        (sh.field("case", "status"), sh.label("case_status", c.get("status"))),
        (sh.field("case", "opened_date"), sh.date(c.get("opened_date"))),
        (sh.field("case", "closed_date"), sh.date(c.get("closed_date"))),
        (sh.field("case", "region"), sh.label("region", c.get("region"))),
        (sh.field("case", "investigating_body"), sh.label("perpetrator_type", c.get("investigating_body"))),
        (sh.field("case", "context_tags"), sh.labels("context_tag", c.get("context_tags"))),
        (sh.field("case", "politically_motivated"), sh.label("answer", c.get("politically_motivated"))),
        (sh.field("case", "politically_motivated_rationale"),
         sh.free(c["politically_motivated_rationale"], lang) if c.get("politically_motivated_rationale") else None),
        (sh.field("case", "fairness_grade"), sh.label("fairness_grade", c.get("fairness_grade"))),
        (sh.field("case", "fairness_grade_rationale"),
         sh.free(c["fairness_grade_rationale"], lang) if c.get("fairness_grade_rationale") else None),
        (sh.field("case", "graded_by"), c.get("graded_by")),
    ]
    return [sh.section("summary"), sh.fields(rows), sh.free(c.get("summary"), lang, sh.st.body)]


def _parties(sh: Sheet, c: dict) -> list:
    rows = []
    for p in c.get("parties") or []:
        custody = []
        if p.get("in_custody") and p["in_custody"] != "unknown":
            custody.append(sh.field("case_party", "in_custody") + ": " + sh.label("answer", p["in_custody"]))
        if p.get("custody_since"):
            custody.append(sh.field("case_party", "custody_since") + ": " + sh.date(p["custody_since"]))
        if p.get("preventive_measure"):
            custody.append(sh.label("preventive_measure", p["preventive_measure"]))
        counsel = sh.label("counsel_type", p.get("counsel_type"))
        if p.get("counsel_person"):
            counsel = ", ".join(x for x in (counsel, sh.person_name(p["counsel_person"])) if x)
        rows.append([_party_name(sh, p), sh.label("role_in_case", p.get("role")), "\n".join(custody) or EMPTY,
                     counsel or EMPTY])
    if not rows:
        return [sh.section("persons"), sh.empty(N_("No parties are recorded."))]
    return [sh.section("persons"), sh.grid(
        [sh._("Party"), sh.field("case_party", "role"), sh._("Custody and preventive measure"),
         sh.field("case_party", "counsel_type")], rows, [28, 24, 26, 22])]


def _charges(sh: Sheet, c: dict) -> list:
    out = [sh.section("charges")]
    charges, sentences = [], []
    for p in c.get("parties") or []:
        name = _party_name(sh, p)
        for ch in p.get("charges") or []:
            charges.append([name, parts.article(sh, ch.get("legal_article"), ch.get("article_part")),
                            sh.label("charge_status", ch.get("charge_status")), sh.date(ch.get("status_date"))])
        for s in p.get("sentences") or []:
            sentences.append([name, parts.sentence_decision(sh, s), parts.sentence_text(sh, s)])
    if charges:
        out.append(sh.grid([sh._("Party"), sh.field("charge", "legal_article"), sh.field("charge", "charge_status"),
                            sh.field("charge", "status_date")], charges, [20, 48, 18, 14]))
    else:
        out.append(sh.empty(N_("No charges are recorded.")))
    if sentences:
        out += [sh.subheading(sh.field("case_party", "sentences")),
                sh.grid([sh._("Party"), sh._("Decision"), sh.field("case_party", "sentences")], sentences, [20, 25, 55])]
    return out


def _chronology(sh: Sheet, c: dict, hearings: list, held: list = ()) -> list:  # type: ignore[assignment]
    events: list[tuple[str, str, str]] = []
    for d in held:
        events += custody.chronology_events(sh, d)
    if c.get("opened_date"):
        events.append((c["opened_date"], sh.date(c["opened_date"]), sh._("Case opened")))
    for p in c.get("parties") or []:
        name = _party_name(sh, p)
        for ch in p.get("charges") or []:
            if ch.get("status_date"):
                text = f"{name}: {parts.article(sh, ch.get('legal_article'), ch.get('article_part'), False)} — " \
                       f"{sh.label('charge_status', ch.get('charge_status'))}"
                events.append((ch["status_date"], sh.date(ch["status_date"]), text))
        for s in p.get("sentences") or []:
            if s.get("decision_date"):
                events.append((s["decision_date"], sh.date(s["decision_date"]),
                               f"{name}: {parts.sentence_text(sh, s)}"))
    for h in hearings:
        hc = h.content
        start = hc.get("actual_start") or hc.get("scheduled_start") or ""
        text = (f"{sh.court_name(hc.get('court'))}, {sh.label('hearing_stage', hc.get('stage'))} "
                f"({sh.label('court_instance', hc.get('instance'))}) — {sh.label('hearing_outcome', hc.get('outcome'))}")
        if hc.get("next_hearing_at"):
            text += "\n" + sh._("Next hearing: %(when)s") % {"when": sh.datetime(hc["next_hearing_at"])}
        events.append((start, sh.datetime(start) if start else EMPTY, text + f" [{h.record_no}]"))
    if c.get("closed_date"):
        events.append((c["closed_date"], sh.date(c["closed_date"]), sh._("Case closed")))
    if not events:
        return []
    events.sort(key=lambda e: e[0])
    return [sh.section("chronology"), sh.grid([sh._("Date"), sh._("Event")], [[d, t] for _, d, t in events], [24, 76])]


def build(sh: Sheet, view) -> tuple[str, list]:
    c = view.content
    sh.include(c)
    story = sh.title(sh._(TITLE), f"{c.get('title') or EMPTY} · {view.record_no}")
    by: dict[str, list] = {}
    linked = links.linked(sh.session, view.id)
    sh.prefetch([link.id for link in linked] + list(c.get("linked_incidents") or []))
    for link in linked:
        by.setdefault(link.relation, []).append(link)
    hearings = [v for v in (sh.get(link.id, "hearing") for link in by.get("hearing", [])) if v is not None]
    hearings.sort(key=lambda v: parts.hearing_date(v.content))
    ids = {link.id for link in by.get("threat", [])} | set(c.get("linked_incidents") or [])
    incidents = [v for v in (sh.get(i, "threat") for i in sorted(ids)) if v is not None]
    printed = {view.id: view.record_no or ""}
    printed.update({v.id: v.record_no or "" for v in hearings + incidents})

    held = [v for v in (sh.get(link.id, "detention") for link in by.get("detention", [])) if v is not None]
    story += _summary(sh, c) + _parties(sh, c) + _charges(sh, c) + _chronology(sh, c, hearings, held)
    linked_incidents = set(c.get("linked_incidents") or [])
    table = parts.threat_table(sh, incidents, lambda inc, act: inc.id in linked_incidents or act.get("case") == view.id)
    if table is not None:
        story += [sh.section("threats"), table]
    if hearings:
        story.append(sh.section("fair_trial"))
        for h in hearings:
            story += parts.hearing_block(sh, h, c.get("procedure_type"))
    story += custody.detentions_section(sh, held)
    printed.update({v.id: v.record_no or "" for v in held})
    exams = [v for v in (sh.get(link.id, "medical") for link in by.get("medical", [])) if v is not None]
    exams = [v for v in exams if parts.medical_allowed(sh, v.content)]
    if exams:
        story += [sh.section("medical"), parts.medical_table(sh, exams)]
        printed.update({v.id: v.record_no or "" for v in exams})
    section, acts = custody.interventions_section(sh, set(printed))
    story += section
    printed.update({v.id: v.record_no or "" for v in acts})
    story += annex.closing(sh, printed)
    return sh._(TITLE), story
