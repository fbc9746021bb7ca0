"""Person case sheet: identity (with the photo), groups and organisations, every linked case with its
charges and sentences, threats as a dated timeline, hearings observed with their
concerns, detentions with their safeguard concerns, medical examinations summarised,
interventions, sources and attachments."""

from __future__ import annotations

import io

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Image, Spacer, Table

from kkdesk import links
from kkdesk.attachments import iter_chunks
from kkdesk.i18n import N_
from kkdesk.reports import annex, custody, parts
from kkdesk.reports.common import EMPTY, Sheet

TITLE = N_("Case sheet: person")


def _identity(sh: Sheet, view) -> list:
    c = view.content
    named = not sh.public or (c.get("consent_to_publish") == "yes")
    rows = [(sh._("Name"), sh.person_name(c))]
    if named:
        if not sh.public:
            rows += [(sh.field("person", k), c.get(k)) for k in ("name_kk", "name_ru", "name_latin")]
            rows.append((sh.field("person", "public_alias"), c.get("public_alias")))
        rows += [
            (sh.field("person", "name_variants"), ", ".join(c.get("name_variants") or [])),
            (sh.field("person", "birth_date"), sh.date(c.get("birth_date"))),
            (sh.field("person", "citizenship"), sh.value("person", "citizenship", c.get("citizenship"))),
            (sh.field("person", "residence_locality"), c.get("residence_locality")),
            (sh.field("person", "occupation"), sh.free(c["occupation"], c.get("entry_language")) if c.get("occupation") else None),  # type: ignore[list-item]
        ]
    rows += [
        (sh.field("person", "gender"), sh.label("gender", c.get("gender"))),
        (sh.field("person", "residence_region"), sh.label("region", c.get("residence_region"))),
        (sh.field("person", "primary_target_group"), sh.label("target_group", c.get("primary_target_group"))),
        (sh.field("person", "other_target_groups"), sh.labels("target_group", c.get("other_target_groups"))),
        (sh.field("person", "subgroups"), sh.labels("target_subgroup", c.get("subgroups"))),
        (sh.field("person", "political_prisoner_recognised"),
         sh.value("person", "political_prisoner_recognised", c.get("political_prisoner_recognised"))),
        (sh.field("person", "deceased"), sh.value("person", "deceased", c.get("deceased")) if c.get("deceased") else None),  # type: ignore[list-item]
        (sh.field("person", "date_of_death"), sh.date(c.get("date_of_death"))),
    ]
    if named and c.get("disability_notes"):
        rows.append((sh.field("person", "disability_notes"), sh.free(c["disability_notes"], c.get("entry_language"))))
    if not sh.public:
        rows.append((sh.field("person", "consent_to_publish"), sh.label("answer", c.get("consent_to_publish"))))
        rows.append((sh.field("person", "record_status"), sh.label("record_status", c.get("record_status"))))
    photo = _photo(sh, c) if named else None
    if photo is None:
        return [sh.heading(N_("Identity")), sh.fields(rows)]
    # the photo beside the identity block when that block is short enough to stay on
    # one page (a table cell cannot break across pages); above it otherwise
    beside = sh.width - PHOTO_BOX[0] - PHOTO_GAP
    block = sh.fields(rows, width=beside)
    if block.wrap(beside, sh.width * 10)[1] > PHOTO_SIDE_MAX_HEIGHT:
        photo.hAlign = "RIGHT"
        return [sh.heading(N_("Identity")), photo, Spacer(1, PHOTO_GAP), sh.fields(rows)]
    side = Table([[block, photo]], colWidths=[beside + PHOTO_GAP, PHOTO_BOX[0]], hAlign="LEFT",
                 style=[("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                        ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 0), ("ALIGN", (1, 0), (1, 0), "RIGHT")])
    return [sh.heading(N_("Identity")), side]


PHOTO_MAX_BYTES = 20 * 1024 * 1024
PHOTO_BOX = (35 * mm, 45 * mm)  # width, height: an identity photo
PHOTO_GAP = 4 * mm
PHOTO_SIDE_MAX_HEIGHT = 150 * mm


def _photo(sh: Sheet, c: dict):
    """The person's photo, read from the store into memory (never a file), as an image
    flowable; None when there is none, it is not an image, it is marked intimate, or
    (public mode) its attachment record is not public."""
    att = sh.get(c.get("photo"), "attachment")
    if att is None or att.content.get("sensitive_intimate") or att.content.get("kind") != "photo":
        return None
    sha, size = att.content.get("sha256"), att.content.get("size_bytes") or 0
    if not sha or size > PHOTO_MAX_BYTES:
        return None
    try:
        data = b"".join(iter_chunks(sh.session, sha))
        width, height = ImageReader(io.BytesIO(data)).getSize()
    except Exception:  # noqa: BLE001 - not a picture reportlab can read: the sheet goes without it
        return None
    sh.include(att.content)  # a restricted photo makes the sheet restricted
    scale = min(PHOTO_BOX[0] / width, PHOTO_BOX[1] / height)
    return Image(io.BytesIO(data), width=width * scale, height=height * scale)


def _organisations(sh: Sheet, view, org_links: list) -> list:
    rows = []
    for link in org_links:
        org = sh.get(link.id, "organisation")
        if org is None:
            continue
        for aff in org.content.get("affiliations") or []:
            if aff.get("person") != view.id or (sh.public and not aff.get("is_public")):
                continue
            sh.include(org.content)
            span = " – ".join(x for x in (sh.date(aff.get("start_date")), sh.date(aff.get("end_date"))) if x)
            rows.append([sh.org_name(org.content), sh.free(aff.get("role"), org.content.get("entry_language")),
                         span or EMPTY, org.record_no or ""])
    if not rows:
        return []
    return [sh.subheading(sh._("Organisations")),
            sh.grid([sh.field("affiliation", "organisation"), sh.field("affiliation", "role"), sh._("Period"),
                     sh._("Record")], rows, [40, 30, 15, 15])]


def _case(sh: Sheet, person_id: str, view) -> list:
    c = view.content
    sh.include(c)
    mine = [p for p in c.get("parties") or [] if person_id in (p.get("person"), p.get("counsel_person"))]
    roles = []
    for p in mine:
        roles.append(sh.label("role_in_case", p.get("role")) if p.get("person") == person_id
                     else sh.label("role_in_case", "defence_lawyer"))
    out = [sh.subheading(f"{c.get('title') or EMPTY} ({view.record_no})"), sh.fields([
        (sh.field("case_party", "role"), ", ".join(dict.fromkeys(roles))),
        (sh.field("case", "procedure_type"), sh.label("procedure_type", c.get("procedure_type"))),
        (sh.field("case", "official_numbers"), ", ".join(c.get("official_numbers") or [])),
        (sh.field("case", "status"), sh.label("case_status", c.get("status"))),
        (sh.field("case", "opened_date"), sh.date(c.get("opened_date"))),
        (sh.field("case", "region"), sh.label("region", c.get("region"))),
        (sh.field("case", "preventive_measure"),
         ", ".join(sh.label("preventive_measure", p.get("preventive_measure")) for p in mine if p.get("preventive_measure"))),
    ])]
    charges = [[parts.article(sh, ch.get("legal_article"), ch.get("article_part")),
                sh.label("charge_status", ch.get("charge_status")), sh.date(ch.get("status_date"))]
               for p in mine if p.get("person") == person_id for ch in p.get("charges") or []]
    if charges:
        out.append(sh.grid([sh.field("charge", "legal_article"), sh.field("charge", "charge_status"),
                            sh.field("charge", "status_date")], charges, [60, 25, 15]))
    sentences = [[sh.p(parts.sentence_decision(sh, s)), sh.p(parts.sentence_text(sh, s))]
                 for p in mine if p.get("person") == person_id for s in p.get("sentences") or []]
    if sentences:
        out.append(sh.grid([sh._("Decision"), sh.field("case_party", "sentences")], sentences, [30, 70]))
    return out


def build(sh: Sheet, view) -> tuple[str, list]:
    c = view.content
    sh.include(c)
    name = sh.person_name(c)
    story = sh.title(sh._(TITLE), f"{name} · {view.record_no}")
    linked = links.linked(sh.session, view.id)
    sh.prefetch(link.id for link in linked)
    by: dict = {}
    for link in linked:
        by.setdefault(link.relation, []).append(link)
    story += _identity(sh, view) + _organisations(sh, view, by.get("organisation", []))
    printed = {view.id: view.record_no or ""}

    cases = [v for v in (sh.get(link.id, "case") for link in by.get("case", [])) if v is not None]
    story.append(sh.section("charges"))
    if cases:
        for case in cases:
            printed[case.id] = case.record_no or ""
            story += _case(sh, view.id, case)
    else:
        story.append(sh.empty(N_("No cases are linked to this person.")))

    story.append(sh.section("threats"))
    incidents = [v for v in (sh.get(link.id, "threat") for link in by.get("threat", [])) if v is not None]
    table = parts.threat_table(sh, incidents, lambda inc, act: act.get("victim_person") == view.id, with_victim=False)
    story.append(table if table is not None else sh.empty(N_("No threats against this person are recorded.")))
    printed.update({v.id: v.record_no or "" for v in incidents})

    story.append(sh.section("hearings"))
    hearings = [v for v in (sh.get(link.id, "hearing") for link in by.get("hearing", [])) if v is not None]
    hearings.sort(key=lambda v: parts.hearing_date(v.content))
    procedure = {}
    for h in hearings:
        case = sh.get(h.content.get("case"), "case")  # type: ignore[assignment]
        procedure[h.id] = case.content.get("procedure_type") if case else None
        story += parts.hearing_block(sh, h, procedure[h.id])
        printed[h.id] = h.record_no or ""
    if not hearings:
        story.append(sh.empty(N_("No observed hearings are linked to this person.")))

    held = [v for v in (sh.get(link.id, "detention") for link in by.get("detention", [])) if v is not None]
    story += custody.detentions_section(sh, held, with_person=False)
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
