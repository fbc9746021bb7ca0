"""Hearing observation report: the full hearing header, participants, proceedings,
the timestamped notes, the whole fair-trial checklist grouped A–G with answers and
notes (concerns highlighted), outcome, next date and the monitor's assessment."""

from __future__ import annotations

from reportlab.platypus import Paragraph

from kkdesk import checklist
from kkdesk.i18n import N_
from kkdesk.reports import annex, parts
from kkdesk.reports.common import EMPTY, Para, Sheet, initials
from kkdesk.reports.styles import CONCERN_BG

TITLE = N_("Hearing observation report")
K = "hearing"


def _header(sh: Sheet, h: dict, case) -> list:
    lang = h.get("entry_language")
    case_text = f"{case.content.get('title') or EMPTY} ({case.record_no})" if case else None

    def free(name):
        return sh.free(h[name], lang) if h.get(name) else None

    rows = [
        (sh.field(K, "case"), case_text),
        (sh.field(K, "court"), sh.court_name(h.get("court"))),
        (sh.field(K, "courtroom"), h.get("courtroom")),
        (sh.field(K, "instance"), sh.label("court_instance", h.get("instance"))),
        (sh.field(K, "stage"), sh.label("hearing_stage", h.get("stage"))),
        (sh.field(K, "hearing_format"), sh.label("hearing_format", h.get("hearing_format"))),
        (sh.field(K, "scheduled_start"), sh.datetime(h.get("scheduled_start"))),
        (sh.field(K, "actual_start"), sh.datetime(h.get("actual_start"))),
        (sh.field(K, "actual_end"), sh.datetime(h.get("actual_end"))),
        (sh.field(K, "monitors"), None if sh.public else ", ".join(h.get("monitors") or [])),
        (sh.field(K, "observer_access"), sh.label("observer_access", h.get("observer_access"))),
        (sh.field(K, "access_notes"), free("access_notes")),
        (sh.field(K, "hearing_info_source"), sh.label("hearing_info_source", h.get("hearing_info_source"))),
        (sh.field(K, "join_request_sent_at"), sh.datetime(h.get("join_request_sent_at"))),
        (sh.field(K, "link_received"), sh.label("answer", h.get("link_received"))),
        (sh.field(K, "language_of_proceedings"), sh.label("language", h.get("language_of_proceedings"))),
        (sh.field(K, "interpreter_present"), sh.label("answer", h.get("interpreter_present"))),
        (sh.field(K, "defendant_placement"), sh.label("defendant_placement", h.get("defendant_placement"))),
        (sh.field(K, "public_count"), sh.number(h.get("public_count"))),
        (sh.field(K, "journalists_count"), sh.number(h.get("journalists_count"))),
        (sh.field(K, "diplomats_present"), sh.label("answer", h.get("diplomats_present"))),
        (sh.field(K, "security_notes"), free("security_notes")),
    ]
    return [sh.heading(N_("Hearing")), sh.fields(rows)]


def _participant_name(sh: Sheet, p: dict) -> str:
    if p.get("person"):
        return sh.person_name(p["person"])
    name = p.get("name") or EMPTY
    if sh.public and p.get("role") not in parts.OFFICIAL_ROLES:
        return initials(name) or sh._("Name withheld")
    return name


def _participants(sh: Sheet, h: dict) -> list:
    rows = [[_participant_name(sh, p), sh.label("role_in_case", p.get("role")), sh.label("presence_mode", p.get("presence")),
             sh.free(p.get("notes"), h.get("entry_language"))] for p in h.get("participants") or []]
    if not rows:
        return []
    return [sh.heading(N_("Participants")), sh.grid(
        [sh._("Name"), sh.field("hearing_participant", "role"), sh.field("hearing_participant", "presence"),
         sh.field("hearing_participant", "notes")], rows, [26, 24, 18, 32])]


def _proceedings(sh: Sheet, h: dict) -> list:
    lang = h.get("entry_language")
    out = [sh.heading(N_("Proceedings"))]
    for name in ("proceedings_summary", "motions", "evidence_examined", "witnesses_heard"):
        if h.get(name):
            out += [sh.subheading(sh.field(K, name)), sh.free(h[name], lang, sh.st.body)]
    out.append(sh.fields([
        (sh.field(K, "outcome"), sh.label("hearing_outcome", h.get("outcome"))),
        (sh.field(K, "next_hearing_at"), sh.datetime(h.get("next_hearing_at"))),
    ]))
    notes = h.get("notes") or []
    if notes:
        rows = [[sh.value("hearing_note", "time", n.get("time")) or EMPTY, sh.free(n.get("text"), lang)] for n in notes]
        out += [sh.subheading(sh.field(K, "notes")), sh.grid([sh.field("hearing_note", "time"),
                                                               sh.field("hearing_note", "text")], rows, [16, 84])]
    return out


def _checklist(sh: Sheet, h: dict, procedure_type: str | None) -> list:
    rows = checklist.evaluate(h, procedure_type)
    lang = h.get("entry_language")
    out = [sh.section("fair_trial"), sh.note(sh._(
        "Highlighted rows signal a fair-trial concern. Answers in italics were preset by the program "
        "(item not applicable, or the monitor had no access); they were not given by the monitor."))]
    concerns = sum(1 for r in rows if r.concern)
    out.append(Paragraph(sh.ngettext("%(n)d answer signals a concern.", "%(n)d answers signal a concern.", concerns)
                         % {"n": concerns}, sh.st.body))
    for group in checklist.groups():
        members = [r for r in rows if r.item.extra.get("group") == group.code]
        if not members:
            continue
        body, extra = [], []
        for i, r in enumerate(members, start=1):
            if r.answer is None:
                answer = sh.p(sh._("Not answered"), sh.st.cell_small)
            elif r.concern:
                answer = sh.p(sh.label("answer", r.answer), sh.st.cell_concern)
            elif not r.set_by_user:
                answer = Para(f"<i>{sh.label('answer', r.answer)}</i>", sh.st.cell_small)
            else:
                answer = sh.label("answer", r.answer)
            note = sh.free(r.note, lang) if r.note else (sh.p(sh._("Note missing"), sh.st.cell_concern)
                                                           if r.missing_note else "")
            body.append([r.item.code.split("_", 1)[0], r.item.label(sh.lang), answer, note])
            if r.concern:
                extra.append(("BACKGROUND", (0, i), (-1, i), CONCERN_BG))
        out += [sh.subheading(group.label(sh.lang)),
                sh.grid([sh._("No."), sh._("Checklist item"), sh.field("fair_trial_answer", "answer"),
                         sh.field("fair_trial_answer", "note")], body, [6, 46, 14, 34], extra)]
    return out


def _assessment(sh: Sheet, h: dict) -> list:
    rows = [(sh.field(K, "monitor_assessment"),
             sh.free(h["monitor_assessment"], h.get("entry_language")) if h.get("monitor_assessment") else None),
            (sh.field(K, "reviewed_by"), None if sh.public else h.get("reviewed_by")),
            (sh.field(K, "reviewed_at"), sh.datetime(h.get("reviewed_at")))]
    if not any(v for _, v in rows):
        return []
    return [sh.heading(N_("Assessment and review")), sh.fields(rows)]


def build(sh: Sheet, view) -> tuple[str, list]:
    h = view.content
    sh.include(h)
    case = sh.get(h.get("case"), "case")
    when = sh.datetime(h.get("actual_start") or h.get("scheduled_start"))
    story = sh.title(sh._(TITLE), " · ".join(x for x in (sh.court_name(h.get("court")), when, view.record_no) if x))
    procedure = case.content.get("procedure_type") if case else None
    story += _header(sh, h, case) + _participants(sh, h) + _proceedings(sh, h)
    story += _checklist(sh, h, procedure) + _assessment(sh, h)
    story += annex.closing(sh, {view.id: view.record_no or ""})
    return sh._(TITLE), story
