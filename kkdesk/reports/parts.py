"""Pieces several documents print the same way: legal articles, sentences,
perpetrators, threat timelines, hearing summaries with their concerns, medical
summaries."""

from __future__ import annotations


from xml.sax.saxutils import escape

from kkdesk import checklist
from kkdesk.articles import article_text
from kkdesk.reports.common import EMPTY, Para, Sheet
from kkdesk.reports.styles import CONCERN_BG

OFFICIAL_ROLES = {"judge", "prosecutor", "court_clerk", "expert", "interpreter", "defence_lawyer",
                  "victim_representative", "observer"}


def article(sh: Sheet, code: str, part: str | None = None, with_title: bool = True) -> str:
    """'Art. 274 part 2 CC RK — Dissemination of knowingly false information' in the sheet language."""
    return article_text(sh._, sh.lang, code, part, with_title)


def term(sh: Sheet, years: int | None, months: int | None, days: int | None) -> str:
    parts = []
    if years:
        parts.append(sh.ngettext("%(n)d year", "%(n)d years", years) % {"n": years})
    if months:
        parts.append(sh.ngettext("%(n)d month", "%(n)d months", months) % {"n": months})
    if days:
        parts.append(sh.ngettext("%(n)d day", "%(n)d days", days) % {"n": days})
    return " ".join(parts)


def sentence_text(sh: Sheet, s: dict) -> str:
    """One sentence as a line: type, term, amounts, probation, ban on activity."""
    out = [sh.label("sentence_type", s.get("sentence_type"))]
    length = term(sh, s.get("term_years"), s.get("term_months"), s.get("term_days"))
    if length:
        out.append(length)
    if s.get("amount_kzt"):
        out.append(sh._("%(amount)s tenge") % {"amount": sh.number(s["amount_kzt"])})
    if s.get("amount_mci"):
        out.append(sh._("%(amount)s MCI") % {"amount": sh.number(s["amount_mci"])})
    if s.get("probation_months"):
        out.append(sh._("probation: %(term)s") % {"term": term(sh, None, s["probation_months"], None)})
    text = "; ".join(x for x in out if x)
    if s.get("ban_scope") or s.get("ban_months"):
        ban = sh._("Ban on activity: %(scope)s") % {"scope": s.get("ban_scope") or EMPTY}
        if s.get("ban_months"):
            ban += " — " + sh._("for %(term)s") % {"term": term(sh, None, s["ban_months"], None)}
        text += ". " + ban
    return text


def sentence_decision(sh: Sheet, s: dict) -> str:
    bits = [sh.date(s.get("decision_date")), sh.label("court_instance", s.get("instance"))]
    if s.get("in_force") is True:
        bits.append(sh._("in force"))
    elif s.get("in_force") is False:
        bits.append(sh._("not in force"))
    return ", ".join(b for b in bits if b)


def perpetrators(sh: Sheet, act: dict) -> str:
    out = []
    for p in act.get("perpetrators") or []:
        text = sh.label("perpetrator_type", p.get("perpetrator_type"))
        who = []
        if p.get("perpetrator_person"):
            who.append(sh.person_name(p["perpetrator_person"]))
        if p.get("perpetrator_organisation"):
            who.append(sh.org(p["perpetrator_organisation"]))
        if who:
            text += ": " + ", ".join(who)
        if p.get("involvement_degree") and p["involvement_degree"] != "unknown":
            text += f" ({sh.label('involvement_degree', p['involvement_degree'])})"
        out.append(text)
    return "\n".join(out) or EMPTY


def victim(sh: Sheet, act: dict) -> str:
    if act.get("victim_person"):
        return sh.person_name(act["victim_person"])
    if act.get("victim_organisation"):
        return sh.org(act["victim_organisation"])
    return act.get("group_description") or sh.label("victim_type", act.get("victim_type"))


def threat_rows(sh: Sheet, incidents: list, keep) -> list[tuple[str, list]]:
    """(sort key, row) for each act of `incidents` that `keep(incident, act)` accepts:
    date | victim | type (+ incident) | perpetrators | state response."""
    rows = []
    for view in incidents:
        inc = view.content
        response = sh.label("state_response", inc.get("state_response"))
        for act in inc.get("acts") or []:
            if not keep(view, act):
                continue
            sh.include(inc)
            date = act.get("act_date") or inc.get("start_date") or ""
            kind = Para(
                f"{escape(sh.label('threat_type', act.get('threat_type')))}<br/>"
                f"<font size='7' color='#5b6470'>{escape(inc.get('title') or '')} ({escape(view.record_no or '')})</font>",
                sh.st.cell)
            notes = sh.free_markup(inc.get("state_response_notes"), inc.get("entry_language"))
            state = Para(escape(response) + (f"<br/>{notes}" if notes else ""), sh.st.cell)
            rows.append((date, [sh.date(date) or EMPTY, victim(sh, act), kind, perpetrators(sh, act), state]))
    rows.sort(key=lambda r: r[0])
    return rows


def threat_table(sh: Sheet, incidents: list, keep, with_victim: bool = True):
    rows = threat_rows(sh, incidents, keep)
    if not rows:
        return None
    head = [sh._("Date"), sh._("Victim"), sh.field("threat_act", "threat_type"), sh.field("threat_act", "perpetrators"),
            sh.field("threat", "state_response")]
    shares = [13, 16, 27, 24, 20]
    body = [r for _, r in rows]
    if not with_victim:
        head.pop(1)
        shares.pop(1)
        body = [r[:1] + r[2:] for r in body]
    return sh.grid(head, body, shares)


def hearing_date(h: dict) -> str:
    return (h.get("actual_start") or h.get("scheduled_start") or "")[:10]


def concern_rows(sh: Sheet, hearing: dict, procedure_type: str | None) -> list:
    return [r for r in checklist.evaluate(hearing, procedure_type) if r.concern]


def concerns_table(sh: Sheet, hearing: dict, procedure_type: str | None, entry_language: str | None):
    rows = concern_rows(sh, hearing, procedure_type)
    if not rows:
        return sh.note(sh._("No fair-trial concerns were recorded for this hearing."))
    body = [[r.item.code.split("_", 1)[0], r.item.label(sh.lang), sh.label("answer", r.answer),
             sh.free(r.note, entry_language)] for r in rows]
    extra = [("BACKGROUND", (0, 1), (-1, -1), CONCERN_BG)]
    return sh.grid([sh._("No."), sh._("Checklist item"), sh.field("fair_trial_answer", "answer"),
                    sh.field("fair_trial_answer", "note")], body, [6, 44, 12, 38], extra)


def hearing_block(sh: Sheet, view, procedure_type: str | None) -> list:
    """A hearing summarised: heading, format, access, outcome, next date, concerns."""
    h = view.content
    sh.include(h)
    when = sh.datetime(h.get("actual_start") or h.get("scheduled_start")) or EMPTY
    head = sh.subheading(f"{when} — {sh.court_name(h.get('court'))} ({view.record_no})")
    fields = sh.fields([
        (sh.field("hearing", "instance"), sh.label("court_instance", h.get("instance"))),
        (sh.field("hearing", "stage"), sh.label("hearing_stage", h.get("stage"))),
        (sh.field("hearing", "hearing_format"), sh.label("hearing_format", h.get("hearing_format"))),
        (sh.field("hearing", "observer_access"), sh.label("observer_access", h.get("observer_access"))),
        (sh.field("hearing", "outcome"), sh.label("hearing_outcome", h.get("outcome"))),
        (sh.field("hearing", "next_hearing_at"), sh.datetime(h.get("next_hearing_at"))),
    ])
    return [head, fields, concerns_table(sh, h, procedure_type, h.get("entry_language"))]


def medical_table(sh: Sheet, exams: list):
    """Examinations summarised: date, type, examiner, overall evaluation."""
    rows = []
    for view in exams:
        m = view.content
        sh.include(m)
        overall = m.get("overall_evaluation") or m.get("physical_consistency_overall")
        rows.append((m.get("exam_datetime") or "", [
            sh.datetime(m.get("exam_datetime")) or EMPTY, sh.label("examination_type", m.get("examination_type")),
            sh.label("examiner_affiliation", m.get("examiner_affiliation")),
            sh.label("istanbul_consistency", overall) or sh._("Not assessed"), view.record_no or ""]))
    rows.sort(key=lambda r: r[0])
    return sh.grid([sh._("Date"), sh.field("medical", "examination_type"), sh.field("medical", "examiner_affiliation"),
                    sh.field("medical", "overall_evaluation"), sh._("Record")], [r for _, r in rows],
                   [18, 30, 17, 20, 15])


def medical_allowed(sh: Sheet, exam: dict) -> bool:
    """Public mode prints medical details only when the examined person consented (SPEC §7 rule 10)."""
    if not sh.public:
        return True
    subject = sh._person_content(exam.get("subject"))
    return subject is not None and subject.get("consent_to_publish") == "yes"

