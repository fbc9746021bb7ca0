"""Medical examination report in the Istanbul Protocol annex IV order (SPEC §5.3):
case information → background → allegations → symptoms → physical examination
(body diagram, findings table) → psychological evaluation → tests → consultations →
interpretation (each level with its IP definition) → overall evaluation →
statements → signature. Absent physical findings are never printed as "no torture"
(SPEC §5.2); `sensitive_intimate` attachments are never printed."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.platypus import Paragraph

from kkdesk.i18n import N_
from kkdesk.istanbul import CONSISTENCY_DEFINITIONS
from kkdesk.reports import annex, bodydiagram
from kkdesk.reports.common import EMPTY, Para, Sheet
from kkdesk.reports.styles import HEAD_BG

TITLE = N_("Medical examination report (Istanbul Protocol)")
K = "medical"
F = "physical_finding"
DEFINITIONS = CONSISTENCY_DEFINITIONS
LEVELS = tuple(DEFINITIONS)
NO_FINDINGS = N_("No physical findings were recorded. The absence of physical findings does not mean that torture "
                 "or ill-treatment did not occur (Istanbul Protocol).")
OVERALL_NOTE = N_("The overall evaluation is the clinician's judgement of all the evidence, not the consistency of "
                  "any single finding (Istanbul Protocol, para. 383).")


def _h(sh: Sheet, number: int, msgid: str) -> Paragraph:
    return Paragraph(f"{number}. {escape(sh._(msgid))}", sh.st.h2)


def _free(sh: Sheet, m: dict, name: str, cell: bool = False):
    """A free-text field: a body paragraph, or (cell) a value in a label/value block."""
    if not m.get(name):
        return None
    return sh.free(m[name], m.get("entry_language"), None if cell else sh.st.body)


def _texts(sh: Sheet, m: dict, names: list[str], titled: bool = True) -> list:
    out = []
    for name in names:
        if m.get(name):
            out += ([sh.subheading(sh.field(K, name))] if titled else []) + [_free(sh, m, name)]
    return out or [sh.empty(N_("Not recorded."))]


def _answer(sh: Sheet, m: dict, name: str) -> str:
    return sh.label("answer", m.get(name))


def _case_info(sh: Sheet, view, m: dict) -> list:
    case = sh.get(m.get("case"), "case")
    clinicians = "\n".join(" — ".join(x for x in (c.get("name"), c.get("qualification")) if x)
                           for c in m.get("clinicians") or [])
    rows = [
        (sh.field(K, "subject"), sh.person_name(m.get("subject"))),
        (sh.field(K, "case"), f"{case.content.get('title')} ({case.record_no})" if case else None),
        (sh.field(K, "examination_type"), sh.label("examination_type", m.get("examination_type"))),
        (sh.field(K, "examiner_affiliation"), sh.label("examiner_affiliation", m.get("examiner_affiliation"))),
        (sh.field(K, "exam_datetime"), sh.datetime(m.get("exam_datetime"))),
        (sh.field(K, "place"), sh.free(m["place"], m.get("entry_language")) if m.get("place") else None),
        (sh.field(K, "region"), sh.label("region", m.get("region"))),
        (sh.field(K, "requested_by"), m.get("requested_by")),
        (sh.field(K, "request_reference"), m.get("request_reference")),
        (sh.field(K, "clinicians"), clinicians),
        (sh.field(K, "duration_minutes"), sh.number(m.get("duration_minutes"))),
        (sh.field(K, "interpreter_used"), _answer(sh, m, "interpreter_used")),
        (sh.field(K, "interpreter_language"), sh.label("language", m.get("interpreter_language"))),
        (sh.field(K, "informed_consent"), _answer(sh, m, "informed_consent")),
        (sh.field(K, "consent_refusal_reason"), m.get("consent_refusal_reason")),
        (sh.field(K, "photo_consent"), _answer(sh, m, "photo_consent")),
        (sh.field(K, "persons_present"), m.get("persons_present")),
        (sh.field(K, "security_present"), _answer(sh, m, "security_present")),
        (sh.field(K, "subject_restrained"), _answer(sh, m, "subject_restrained")),
        (sh.field(K, "restraint_details"), m.get("restraint_details")),
        (sh.field(K, "evaluation_unrestricted"), _answer(sh, m, "evaluation_unrestricted")),
        (sh.field(K, "restriction_details"), _free(sh, m, "restriction_details", cell=True)),
    ]
    return [_h(sh, 1, N_("Case information")), sh.fields(rows, 0.38)]


def _allegations(sh: Sheet, m: dict) -> list:
    out = [_h(sh, 3, N_("Allegations of torture and ill-treatment"))]
    out += _texts(sh, m, ["allegation_summary"]) if m.get("allegation_summary") else []
    rows = []
    for a in m.get("alleged_methods") or []:
        span = " – ".join(x for x in (sh.date(a.get("start_date")), sh.date(a.get("end_date"))) if x)
        rows.append([sh.label("torture_method", a.get("method")), span or EMPTY,
                     sh.label("detention_place_type", a.get("place_type")) or EMPTY,
                     sh.label("perpetrator_type", a.get("perpetrator_type")) or EMPTY,
                     sh.free(a.get("description"), m.get("entry_language"))])
    if rows:
        head = [sh.field("alleged_method", "method"), sh._("Dates"), sh.field("alleged_method", "place_type"),
                sh.field("alleged_method", "perpetrator_type"), sh.field("alleged_method", "description")]
        shares = [24, 15, 17, 17, 27]
        if not any(a.get("description") for a in m.get("alleged_methods") or []):
            head, shares, rows = head[:-1], [30, 20, 25, 25], [r[:-1] for r in rows]
        out.append(sh.grid(head, rows, shares))
    if len(out) == 1:
        out.append(sh.empty(N_("Not recorded.")))
    return out


def _size(sh: Sheet, f: dict) -> str:
    dims = [sh.number(f.get(k)) for k in ("length_mm", "width_mm", "depth_mm") if f.get(k) not in (None, "")]
    return (" × ".join(dims) + " " + sh._("mm")) if dims else ""


def _findings(sh: Sheet, m: dict) -> list:
    findings = sorted(m.get("findings") or [], key=lambda f: f.get("finding_no") or 0)
    out = [_h(sh, 5, N_("Physical examination"))]
    if m.get("general_appearance"):
        out += [sh.subheading(sh.field(K, "general_appearance")), _free(sh, m, "general_appearance")]
    visible = [f for f in findings if f.get("lesion_type") != "no_visible_finding"]
    if not visible:
        out.append(sh.notice(sh._(NO_FINDINGS)))
    if not findings:
        return out
    markers = [mk for mk in (bodydiagram.place(f) for f in visible) if mk is not None]
    if markers:
        captions = {v: sh.value(F, "diagram_view", v) for v in bodydiagram.VIEWS}
        sides = (sh.label("laterality", "right"), sh.label("laterality", "left"))
        out += [sh.subheading(sh._("Body diagram")), bodydiagram.FittingDiagram(markers, captions, sides, sh.width)]
        unplaced = len(visible) - len(markers)
        if unplaced:
            out.append(sh.note(sh.ngettext("%(n)d finding has no position on the diagram.",
                                           "%(n)d findings have no position on the diagram.", unplaced) % {"n": unplaced}))
    rows = []
    lang = m.get("entry_language")
    for f in findings:
        where = ", ".join(x for x in (sh.label("body_region", f.get("body_region")), sh.label("laterality", f.get("laterality")),
                                      sh.label("body_aspect", f.get("aspect"))) if x)
        if f.get("location_detail"):
            where += "\n" + f["location_detail"]
        lesion = sh.label("lesion_type", f.get("lesion_type"))
        if (f.get("count") or 1) > 1:
            lesion += f" × {f['count']}"
        look = ", ".join(x for x in (sh.label("lesion_shape", f.get("shape")), sh.label("lesion_colour", f.get("colour")),
                                     f.get("surface"), sh.value(F, "demarcation", f.get("demarcation")),
                                     sh.value(F, "elevation", f.get("elevation"))) if x)
        details = "\n".join(x for x in (look, _size(sh, f)) if x)
        rows.append([str(f.get("finding_no") or ""), where, lesion, details or EMPTY,
                     sh.label("lesion_stage", f.get("stage")), sh.label("istanbul_consistency", f.get("consistency"))])
        extra = [(sh.field(F, "alternative_causes"), f.get("alternative_causes")), (sh.field(F, "notes"), f.get("notes"))]
        for label, text in extra:
            if text:
                rows.append(["", Para(f"<b>{escape(label)}:</b> {sh.free_markup(text, lang)}", sh.st.cell),
                             "", "", "", ""])
    span = [("SPAN", (1, i), (-1, i)) for i, r in enumerate(rows, start=1) if r[0] == "" and r[2] == ""]
    out += [sh.subheading(sh.field(K, "findings")),
            sh.grid([sh._("No."), sh.field(F, "body_region"), sh.field(F, "lesion_type"), sh._("Description and size"),
                     sh.field(F, "stage"), sh.field(F, "consistency")], rows, [6, 22, 17, 23, 13, 19], span)]
    return out


def _psychological(sh: Sheet, m: dict) -> list:
    out = [_h(sh, 6, N_("Psychological history and examination"))]
    if m.get("mental_status_notes"):
        out += [sh.subheading(sh.field(K, "mental_status_notes")), _free(sh, m, "mental_status_notes")]
    rows = [[sh.label("psychological_finding", p.get("finding")), p.get("severity") or "", p.get("instrument") or "",
             sh.label("istanbul_consistency", p.get("consistency")), sh.free(p.get("notes"), m.get("entry_language"))]
            for p in m.get("psychological_findings") or []]
    if rows:
        out.append(sh.grid([sh.field("psychological_finding", "finding"), sh.field("psychological_finding", "severity"),
                            sh.field("psychological_finding", "instrument"), sh.field("psychological_finding", "consistency"),
                            sh.field("psychological_finding", "notes")], rows, [27, 13, 14, 19, 27]))
    if len(out) == 1:
        out.append(sh.empty(N_("Not recorded.")))
    return out


def _interpretation(sh: Sheet, m: dict) -> list:
    out = [_h(sh, 9, N_("Interpretation of findings"))]
    out.append(sh.fields([
        (sh.field(K, "physical_consistency_overall"), sh.label("istanbul_consistency", m.get("physical_consistency_overall"))),
        (sh.field(K, "psychological_consistency_overall"),
         sh.label("istanbul_consistency", m.get("psychological_consistency_overall"))),
        (sh.field(K, "self_infliction_considered"), _answer(sh, m, "self_infliction_considered")),
        (sh.field(K, "injuries_recorded_by_state_medics"), _answer(sh, m, "injuries_recorded_by_state_medics")),
        (sh.field(K, "harm_severity_classification"), m.get("harm_severity_classification")),
    ], 0.45))
    used = {m.get(k) for k in ("physical_consistency_overall", "psychological_consistency_overall", "overall_evaluation")}
    used |= {f.get("consistency") for f in m.get("findings") or []}
    used |= {p.get("consistency") for p in m.get("psychological_findings") or []}
    rows, extra = [], []
    for i, code in enumerate(LEVELS, start=1):
        rows.append([sh.p(sh.label("istanbul_consistency", code), sh.st.cell_bold), sh._(DEFINITIONS[code])])
        if code in used:
            extra.append(("BACKGROUND", (0, i), (-1, i), HEAD_BG))
    out += [sh.subheading(sh._("Levels of consistency (Istanbul Protocol)")),
            sh.grid([sh._("Level"), sh._("Definition")], rows, [28, 72], extra),
            sh.note(sh._("Levels used in this report are shaded."))]
    return out


def _overall(sh: Sheet, m: dict) -> list:
    out = [_h(sh, 10, N_("Conclusions and recommendations"))]
    level = m.get("overall_evaluation")
    body = [sh.label("istanbul_consistency", level) if level else sh._("Not assessed")]
    rows = [(sh.field(K, "overall_evaluation"), sh.p("\n".join(body), sh.st.cell_bold))]
    if level in DEFINITIONS:
        rows.append((sh._("Definition"), sh._(DEFINITIONS[level])))
    rows += [(sh.field(K, "overall_evaluation_text"), _free(sh, m, "overall_evaluation_text", cell=True)),
             (sh.field(K, "recommendations"), _free(sh, m, "recommendations", cell=True))]
    return out + [sh.fields(rows, 0.3), sh.note(sh._(OVERALL_NOTE))]


def _closing(sh: Sheet, m: dict) -> list:
    statement = sh.value(K, "truthfulness_statement", m.get("truthfulness_statement"))
    out = [_h(sh, 11, N_("Statement of truthfulness and restrictions")),
           sh.fields([(sh.field(K, "truthfulness_statement"), statement),
                      (sh.field(K, "restrictions_statement"), _free(sh, m, "restrictions_statement", cell=True))])]
    if not (statement or m.get("restrictions_statement")):
        out.append(sh.empty(N_("Not recorded.")))
    out += [_h(sh, 12, N_("Signature")), sh.fields([
        (sh.field(K, "signed_by"), m.get("signed_by")), (sh.field(K, "signed_at"), sh.date(m.get("signed_at"))),
        (sh.field(K, "signed_place"), m.get("signed_place")), (sh.field(K, "transferred_to"), m.get("transferred_to")),
        (sh.field(K, "transferred_at"), sh.datetime(m.get("transferred_at")))])]
    if not m.get("signed_by"):
        out.append(sh.empty(N_("The report has not been signed.")))
    return out


def build(sh: Sheet, view) -> tuple[str, list]:
    from kkdesk.reports.parts import medical_allowed

    m = view.content
    sh.include(m)
    story = sh.title(sh._(TITLE), f"{sh.person_name(m.get('subject'))} · {view.record_no}")
    if not medical_allowed(sh, m):
        story += [sh.fields([(sh.field(K, "subject"), sh.person_name(m.get("subject")))]),
                  sh.notice(sh._("Medical details are withheld: the examined person has not consented to publication."))]
        return sh._(TITLE), story + annex.disclaimer(sh)
    story += _case_info(sh, view, m)
    story += [_h(sh, 2, N_("Background"))] + _texts(sh, m, ["background_history"], titled=False)
    story += _allegations(sh, m)
    story += [_h(sh, 4, N_("Physical symptoms and disabilities"))] + _texts(
        sh, m, ["acute_symptoms", "chronic_symptoms", "disabilities"])
    story += _findings(sh, m) + _psychological(sh, m)
    story += [_h(sh, 7, N_("Diagnostic tests"))] + _texts(sh, m, ["diagnostic_tests"], titled=False)
    story += [_h(sh, 8, N_("Consultations"))] + _texts(sh, m, ["consultations"], titled=False)
    story += _interpretation(sh, m) + _overall(sh, m) + _closing(sh, m)
    story += annex.closing(sh, {view.id: view.record_no or ""})
    return sh._(TITLE), story
