"""The data model of SPEC.md as one declarative table of entities and fields.

This table drives everything that must agree on field names: validation and
normalisation of interchange documents, the relational projection tables
(`kkdesk/db/models.py`), full-text indexing and the forms of the GUI. A field's
`req` follows SPEC: "R" required (an error when missing and no default), "C"
conditional (warnings, see `kkdesk/rules.py`), "O" optional.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

# field types
TEXT = "text"
LONGTEXT = "longtext"
TEXTS = "text[]"
CODE = "code"
CODES = "code[]"
DATE = "date"          # ISO date, may be partial ("2024", "2024-03")
DATETIME = "datetime"  # ISO 8601 with UTC offset
INT = "int"
DEC = "decimal"        # exact decimal, kept as text
BOOL = "bool"
REF = "ref"            # a record id (UUID) of `ref` kind
REFS = "ref[]"
ENUM = "enum"          # a closed set of plain strings (SPEC "text enum")
CHILDREN = "children"
CHECKLIST = "checklist"  # hearing checklist: {item code: {answer, note}}
NOTETIME = "notetime"  # "HH:MM" on the hearing's date or a full ISO datetime

LIST_TYPES = (TEXTS, CODES, REFS)


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    req: str = "O"
    vocab: str | None = None
    default: Any = None
    leaf_only: bool = False
    precision: str | None = None   # companion precision field of a date
    ref: str | None = None         # kind a REF/REFS points at ("any" for links)
    values: tuple[str, ...] = ()   # ENUM values
    child: "Entity | None" = None  # CHILDREN
    fts: bool = False              # indexed for full-text search
    contact: bool = False          # contact data: never printed, exported only on request


@dataclass(frozen=True)
class Entity:
    kind: str                  # "person", "threat", … ; child entities: "threat_act", …
    table: str
    fields: tuple[Field, ...]
    list_name: str | None = None   # key in the interchange document (top level)
    prefix: str | None = None      # record_no prefix (top level)
    default_confidentiality: str = "internal"
    _by_name: dict[str, Field] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_name.update({f.name: f for f in self.fields})

    @cached_property
    def dated_fields(self) -> list[Field]:
        """Date fields with a precision companion."""
        return [f for f in self.fields if f.type == DATE and f.precision]

    def field(self, name: str) -> Field | None:
        return self._by_name.get(name)

    @property
    def top_level(self) -> bool:
        return self.prefix is not None

    def children(self) -> list[Field]:
        return [f for f in self.fields if f.type == CHILDREN]

    def scalar_fields(self) -> list[Field]:
        return [f for f in self.fields if f.type not in (CHILDREN, CHECKLIST)]


def F(name: str, type_: str, req: str = "O", vocab: str | None = None, **kw: Any) -> Field:
    return Field(name, type_, req, vocab, **kw)


def ANSWER(name: str, req: str = "O", default: str | None = None) -> Field:
    return Field(name, CODE, req, "answer", default=default)


def PREC(name: str) -> Field:
    return Field(name, CODE, "O", "date_precision")


COMMON = (
    F("confidentiality", CODE, "R", "confidentiality"),
    F("record_status", CODE, "R", "record_status", default="draft"),
    F("entry_language", CODE, "R", "language"),
    F("remarks", LONGTEXT, fts=True),
)


def top(kind: str, table: str, list_name: str, prefix: str, fields: tuple[Field, ...], confidentiality: str = "internal") -> Entity:
    return Entity(kind, table, fields + COMMON, list_name=list_name, prefix=prefix, default_confidentiality=confidentiality)


# --- Person (SPEC 3.1) -------------------------------------------------------
PERSON = top("person", "person", "persons", "PE", (
    F("record_no", TEXT),
    F("name_kk", TEXT, "C", fts=True),
    F("name_ru", TEXT, "C", fts=True),
    F("name_latin", TEXT, "C", fts=True),
    F("name_variants", TEXTS, fts=True),
    F("public_alias", TEXT, fts=True),
    F("gender", CODE, "R", "gender", default="unknown"),
    F("birth_date", DATE, precision="birth_date_precision"),
    PREC("birth_date_precision"),
    F("citizenship", TEXTS),
    F("residence_region", CODE, vocab="region"),
    F("residence_locality", TEXT, fts=True),
    F("primary_target_group", CODE, "R", "target_group"),
    F("other_target_groups", CODES, vocab="target_group"),
    F("subgroups", CODES, vocab="target_subgroup"),
    F("occupation", TEXT, fts=True),
    F("disability_notes", LONGTEXT),  # notes: may run long (limits.py)
    F("political_prisoner_recognised", BOOL),
    F("deceased", BOOL),
    F("date_of_death", DATE, precision="date_of_death_precision"),
    PREC("date_of_death_precision"),
    F("phone", TEXT, contact=True),
    F("email", TEXT, contact=True),
    F("messenger", TEXT, contact=True),
    ANSWER("consent_to_publish", "R", "unknown"),
    F("consent_date", DATE),
    F("photo", REF, ref="attachment"),
))

# --- Organisation (SPEC 3.2) + Affiliation ------------------------------------
AFFILIATION = Entity("affiliation", "affiliation", (
    F("id", TEXT),
    F("person", REF, "R", ref="person"),
    F("role", TEXT, "R"),
    F("start_date", DATE),
    F("end_date", DATE),
    F("is_public", BOOL),
))

ORGANISATION = top("organisation", "organisation", "organisations", "OR", (
    F("record_no", TEXT),
    F("name_kk", TEXT, "C", fts=True),
    F("name_ru", TEXT, "C", fts=True),
    F("name_en", TEXT, "C", fts=True),
    F("name_variants", TEXTS, fts=True),
    F("acronym", TEXT, fts=True),
    F("organisation_type", CODE, "R", "organisation_type"),
    F("legal_status", CODE, "R", "org_legal_status", default="unknown"),
    F("primary_target_group", CODE, "C", "target_group"),
    F("region", CODE, vocab="region"),
    F("locality", TEXT, fts=True),
    F("address", TEXT),
    F("bin", TEXT),
    F("founded_date", DATE),
    F("liquidated_date", DATE),
    F("in_foreign_funding_register", BOOL),
    F("register_entry_no", TEXT),
    F("register_date", DATE),
    F("in_financial_monitoring_list", BOOL),
    F("list_date", DATE),
    F("website", TEXT),
    F("affiliations", CHILDREN, child=AFFILIATION),
))

# --- Court (SPEC 3.3) --------------------------------------------------------
COURT = top("court", "court", "courts", "CT", (
    F("record_no", TEXT),
    F("name_kk", TEXT, "R", fts=True),
    F("name_ru", TEXT, "R", fts=True),
    F("name_en", TEXT, fts=True),
    F("court_type", CODE, "R", "court_type"),
    F("region", CODE, "R", "region"),
    F("locality", TEXT, fts=True),
    F("address", TEXT),
    F("schedule_url", TEXT),
    F("valid_from", DATE),
    F("valid_to", DATE),
))

# --- Case (SPEC 3.4) + CaseParty, Charge, Sentence ----------------------------
CHARGE = Entity("charge", "charge", (
    F("id", TEXT),
    F("legal_article", CODE, "R", "legal_article"),
    F("article_part", TEXT),
    F("charge_status", CODE, "R", "charge_status"),
    F("status_date", DATE),
    F("requalified_from", TEXT),
))

SENTENCE = Entity("sentence", "sentence", (
    F("id", TEXT),
    F("decided_at_hearing", REF, ref="hearing"),
    F("instance", CODE, "R", "court_instance"),
    F("decision_date", DATE, "R"),
    F("sentence_type", CODE, "R", "sentence_type"),
    F("term_years", INT),
    F("term_months", INT),
    F("term_days", INT),
    F("amount_kzt", DEC),
    F("amount_mci", DEC),
    F("probation_months", INT),
    F("ban_scope", LONGTEXT),
    F("ban_months", INT),
    F("in_force", BOOL),
))

CASE_PARTY = Entity("case_party", "case_party", (
    F("id", TEXT),
    F("person", REF, ref="person"),
    F("organisation", REF, ref="organisation"),
    F("role", CODE, "R", "role_in_case"),
    ANSWER("in_custody"),
    F("custody_since", DATE),
    F("preventive_measure", CODE, vocab="preventive_measure"),
    F("counsel_type", CODE, vocab="counsel_type"),
    F("counsel_person", REF, ref="person"),
    F("charges", CHILDREN, child=CHARGE),
    F("sentences", CHILDREN, child=SENTENCE),
))

CASE = top("case", "case_record", "cases", "CS", (
    F("record_no", TEXT),
    F("title", TEXT, "R", fts=True),
    F("procedure_type", CODE, "R", "procedure_type"),
    F("official_numbers", TEXTS, fts=True),
    F("status", CODE, "R", "case_status"),
    F("opened_date", DATE, "R", precision="opened_date_precision"),
    PREC("opened_date_precision"),
    F("region", CODE, "R", "region"),
    F("investigating_body", CODE, vocab="perpetrator_type"),
    F("summary", LONGTEXT, "R", fts=True),
    F("context_tags", CODES, vocab="context_tag"),
    ANSWER("politically_motivated"),
    F("politically_motivated_rationale", LONGTEXT, "C", fts=True),
    F("fairness_grade", CODE, vocab="fairness_grade"),
    F("fairness_grade_rationale", LONGTEXT, "C", fts=True),
    F("graded_by", TEXT, "C"),
    F("closed_date", DATE),
    F("linked_incidents", REFS, ref="threat"),
    F("parties", CHILDREN, child=CASE_PARTY),
))

# --- ThreatIncident (SPEC 3.5) + ThreatAct, ActPerpetrator --------------------
ACT_PERPETRATOR = Entity("act_perpetrator", "act_perpetrator", (
    F("id", TEXT),
    F("perpetrator_type", CODE, "R", "perpetrator_type", leaf_only=True),
    F("perpetrator_person", REF, ref="person"),
    F("perpetrator_organisation", REF, ref="organisation"),
    F("involvement_degree", CODE, "R", "involvement_degree", default="unknown"),
    F("description", LONGTEXT, fts=True),
))

THREAT_ACT = Entity("threat_act", "threat_act", (
    F("id", TEXT),
    F("victim_type", CODE, "R", "victim_type"),
    F("victim_person", REF, ref="person"),
    F("victim_organisation", REF, ref="organisation"),
    F("group_description", TEXT, "C", fts=True),
    F("group_size", INT),
    F("threat_type", CODE, "R", "threat_type", leaf_only=True),
    F("act_date", DATE, "R", precision="act_date_precision"),
    PREC("act_date_precision"),
    F("target_group_at_time", CODE, "R", "target_group"),
    F("gender_at_time", CODE, "R", "gender"),
    F("region_at_time", CODE, "R", "region"),
    ANSWER("linked_to_hr_activity", "R", "unknown"),
    ANSWER("threat_carried_out", "C"),
    F("case", REF, "C", ref="case"),
    F("legal_articles", CODES, vocab="legal_article"),
    F("detention_episode", REF, ref="detention"),
    F("physical_consequences", LONGTEXT, fts=True),
    F("psychological_consequences", LONGTEXT, fts=True),
    F("counted_in_statistics", BOOL, "R", default=True),
    F("description", LONGTEXT, fts=True),
    F("perpetrators", CHILDREN, child=ACT_PERPETRATOR),
))

THREAT = top("threat", "threat_incident", "threats", "TI", (
    F("record_no", TEXT),
    F("title", TEXT, "R", fts=True),
    F("description", LONGTEXT, "R", fts=True),
    F("start_date", DATE, "R", precision="start_precision"),
    PREC("start_precision"),
    F("end_date", DATE, precision="end_precision"),
    PREC("end_precision"),
    F("region", CODE, "R", "region"),
    F("locality", TEXT, fts=True),
    F("place_description", TEXT, fts=True),
    F("online", BOOL, "R", default=False),
    F("context_tags", CODES, vocab="context_tag"),
    F("state_response", CODE, "R", "state_response", default="unknown"),
    F("state_response_notes", LONGTEXT, fts=True),
    F("reported_to_ngo_on", DATE),
    F("reported_by", TEXT),
    F("linked_cases", REFS, ref="case"),
    F("acts", CHILDREN, "R", child=THREAT_ACT),
))

# --- HearingObservation (SPEC 3.7) + FairTrialAnswer, participants, notes ----
HEARING_PARTICIPANT = Entity("hearing_participant", "hearing_participant", (
    F("id", TEXT),
    F("person", REF, ref="person"),
    F("name", TEXT, fts=True),
    F("role", CODE, "R", "role_in_case"),
    F("presence", CODE, "R", "presence_mode"),
    F("notes", LONGTEXT, fts=True),
))

HEARING_NOTE = Entity("hearing_note", "hearing_note", (
    F("id", TEXT),
    F("time", NOTETIME, "R"),
    F("text", LONGTEXT, "R", fts=True),
))

FAIR_TRIAL_ANSWER = Entity("fair_trial_answer", "fair_trial_answer", (
    F("id", TEXT),
    F("item", CODE, "R", "fair_trial_item"),
    ANSWER("answer", "R"),
    F("note", LONGTEXT, "C", fts=True),
    F("attachment", REF, ref="attachment"),
))

HEARING = top("hearing", "hearing_observation", "hearings", "HO", (
    F("record_no", TEXT),
    F("case", REF, "R", ref="case"),
    F("court", REF, "R", ref="court"),
    F("courtroom", TEXT),
    F("instance", CODE, "R", "court_instance"),
    F("stage", CODE, "R", "hearing_stage"),
    F("hearing_format", CODE, "R", "hearing_format"),
    F("scheduled_start", DATETIME),
    F("actual_start", DATETIME, "C"),
    F("actual_end", DATETIME),
    F("monitors", TEXTS, "R", fts=True),
    F("observer_access", CODE, "R", "observer_access"),
    F("access_notes", LONGTEXT, "C", fts=True),
    F("hearing_info_source", CODE, vocab="hearing_info_source"),
    F("join_request_sent_at", DATETIME),
    ANSWER("link_received", "C"),
    F("language_of_proceedings", CODE, vocab="language"),
    ANSWER("interpreter_present"),
    F("defendant_placement", CODE, vocab="defendant_placement"),
    F("public_count", INT),
    F("journalists_count", INT),
    ANSWER("diplomats_present"),
    F("security_notes", LONGTEXT, fts=True),
    F("proceedings_summary", LONGTEXT, "R", fts=True),
    F("motions", LONGTEXT, fts=True),
    F("evidence_examined", LONGTEXT, fts=True),
    F("witnesses_heard", LONGTEXT, fts=True),
    F("outcome", CODE, "R", "hearing_outcome"),
    F("next_hearing_at", DATETIME, "C"),
    F("checklist", CHECKLIST, child=FAIR_TRIAL_ANSWER),
    F("monitor_assessment", LONGTEXT, fts=True),
    F("reviewed_by", TEXT),
    F("reviewed_at", DATETIME),
    F("notes", CHILDREN, child=HEARING_NOTE),
    F("participants", CHILDREN, child=HEARING_PARTICIPANT),
))

# --- MedicalExamination (SPEC 3.9, 5.1) --------------------------------------
CLINICIAN = Entity("clinician", "clinician", (
    F("id", TEXT),
    F("name", TEXT, "R", fts=True),
    F("qualification", TEXT),
))

ALLEGED_METHOD = Entity("alleged_method", "alleged_method", (
    F("id", TEXT),
    F("method", CODE, "R", "torture_method"),
    F("start_date", DATE, precision="start_precision"),
    PREC("start_precision"),
    F("end_date", DATE, precision="end_precision"),
    PREC("end_precision"),
    F("place_type", CODE, vocab="detention_place_type"),
    F("perpetrator_type", CODE, vocab="perpetrator_type", leaf_only=True),
    F("description", LONGTEXT, fts=True),
))

PHYSICAL_FINDING = Entity("physical_finding", "physical_finding", (
    F("id", TEXT),
    F("finding_no", INT),
    F("body_region", CODE, "R", "body_region"),
    F("laterality", CODE, "R", "laterality"),
    F("aspect", CODE, vocab="body_aspect"),
    F("location_detail", TEXT, fts=True),
    F("lesion_type", CODE, "R", "lesion_type"),
    F("count", INT, "R", default=1),
    F("length_mm", DEC, "C"),
    F("width_mm", DEC, "C"),
    F("depth_mm", DEC),
    F("shape", CODE, vocab="lesion_shape"),
    F("colour", CODE, vocab="lesion_colour"),
    F("surface", TEXT),
    F("demarcation", ENUM, values=("sharp", "indistinct")),
    F("elevation", ENUM, values=("raised", "flat", "depressed")),
    F("stage", CODE, "R", "lesion_stage"),
    F("symmetry", BOOL),
    F("tenderness", BOOL),
    F("diagram_view", ENUM, values=("front", "back", "left", "right", "head", "hands", "feet")),
    F("diagram_x", DEC),
    F("diagram_y", DEC),
    F("linked_methods", TEXTS),
    F("consistency", CODE, "R", "istanbul_consistency"),
    F("alternative_causes", LONGTEXT, "C", fts=True),
    F("photos", REFS, ref="attachment"),
    F("notes", LONGTEXT, fts=True),
))

PSYCHOLOGICAL_FINDING = Entity("psychological_finding", "psychological_finding", (
    F("id", TEXT),
    F("finding", CODE, "R", "psychological_finding"),
    F("severity", TEXT),
    F("instrument", TEXT),
    F("consistency", CODE, vocab="istanbul_consistency"),
    F("notes", LONGTEXT, fts=True),
))

MEDICAL = top("medical", "medical_examination", "medical", "ME", (
    F("record_no", TEXT),
    F("subject", REF, "R", ref="person"),
    F("case", REF, ref="case"),
    F("linked_incidents", REFS, ref="threat"),
    F("detention_episode", REF, ref="detention"),
    F("examination_type", CODE, "R", "examination_type"),
    F("examiner_affiliation", CODE, "R", "examiner_affiliation"),
    F("exam_datetime", DATETIME, "R"),
    F("place", TEXT, "R", fts=True),
    F("region", CODE, vocab="region"),
    F("requested_by", TEXT),
    F("request_reference", TEXT),
    F("clinicians", CHILDREN, "R", child=CLINICIAN),
    ANSWER("interpreter_used", "R"),
    F("interpreter_language", CODE, "C", "language"),
    ANSWER("informed_consent", "R"),
    F("consent_refusal_reason", TEXT, "C"),
    ANSWER("photo_consent", "C"),
    F("persons_present", TEXT),
    ANSWER("security_present", "R"),
    ANSWER("subject_restrained", "R"),
    F("restraint_details", TEXT, "C"),
    ANSWER("evaluation_unrestricted", "R"),
    F("restriction_details", LONGTEXT, "C"),
    F("duration_minutes", INT),
    F("background_history", LONGTEXT, fts=True),
    F("allegation_summary", LONGTEXT, "C", fts=True),
    F("alleged_methods", CHILDREN, child=ALLEGED_METHOD),
    F("acute_symptoms", LONGTEXT, fts=True),
    F("chronic_symptoms", LONGTEXT, fts=True),
    F("disabilities", LONGTEXT, fts=True),
    F("general_appearance", LONGTEXT, fts=True),
    F("findings", CHILDREN, child=PHYSICAL_FINDING),
    F("body_diagrams", REFS, ref="attachment"),
    F("mental_status_notes", LONGTEXT, fts=True),
    F("psychological_findings", CHILDREN, child=PSYCHOLOGICAL_FINDING),
    F("diagnostic_tests", LONGTEXT, fts=True),
    F("consultations", LONGTEXT, fts=True),
    F("physical_consistency_overall", CODE, "C", "istanbul_consistency"),
    F("psychological_consistency_overall", CODE, "C", "istanbul_consistency"),
    F("overall_evaluation", CODE, "C", "istanbul_consistency"),
    F("overall_evaluation_text", LONGTEXT, "C", fts=True),
    ANSWER("self_infliction_considered"),
    ANSWER("injuries_recorded_by_state_medics", "C"),
    F("harm_severity_classification", TEXT),
    F("recommendations", LONGTEXT, fts=True),
    F("truthfulness_statement", BOOL),
    F("restrictions_statement", LONGTEXT),
    F("signed_by", TEXT, "C"),
    F("signed_at", DATE, "C"),
    F("signed_place", TEXT, "C"),
    F("transferred_to", TEXT),
    F("transferred_at", DATETIME),
), confidentiality="restricted")

# --- DetentionEpisode (SPEC 3.8, 4.2) and Intervention (SPEC 3.10) ---------------
DETENTION_TRANSFER = Entity("detention_transfer", "detention_transfer", (
    F("id", TEXT),
    F("date", DATE),
    F("place_type", CODE, "R", "detention_place_type"),
    F("place_name", TEXT, fts=True),
))

SAFEGUARD_ANSWER = Entity("safeguard_answer", "safeguard_answer", (  # shaped like FAIR_TRIAL_ANSWER
    F("id", TEXT),
    F("item", CODE, "R", "detention_safeguard"),
    ANSWER("answer", "R"),
    F("note", LONGTEXT, "C", fts=True),
))

DETENTION = top("detention", "detention_episode", "detentions", "DE", (
    F("record_no", TEXT),
    F("person", REF, "R", ref="person"),
    F("case", REF, ref="case"),
    F("incident", REF, ref="threat"),
    F("legal_basis", CODE, "R", "detention_legal_basis"),
    F("actual_detention_at", DATETIME, "R"),
    F("actual_detention_precision", CODE, vocab="date_precision"),
    F("protocol_detention_time", DATETIME),
    F("detaining_body", CODE, vocab="perpetrator_type"),
    F("place_type", CODE, "R", "detention_place_type"),
    F("place_name", TEXT, fts=True),
    F("region", CODE, vocab="region"),
    F("transfers", CHILDREN, child=DETENTION_TRANSFER),
    F("released_at", DATETIME),
    F("release_reason", TEXT, fts=True),
    F("safeguards", CHECKLIST, child=SAFEGUARD_ANSWER),
))

INTERVENTION_LINK = Entity("intervention_link", "intervention_link", (  # shaped like SOURCE_LINK
    F("id", TEXT),
    F("target", REF, "R", ref="any"),
    F("target_entity", TEXT),
))

# the kinds an intervention may be linked to (SPEC 3.10)
INTERVENTION_TARGETS = ("case", "threat", "person", "hearing", "medical", "detention")

INTERVENTION = top("intervention", "intervention", "interventions", "IV", (
    F("record_no", TEXT),
    F("intervention_type", CODE, "R", "intervention_type"),
    F("date", DATE, "R"),
    F("by_organisation", REF, ref="organisation"),
    F("by_person", REF, ref="person"),
    F("addressee", TEXT, "R", fts=True),
    F("links", CHILDREN, "R", child=INTERVENTION_LINK),
    F("reference_number", TEXT, fts=True),
    F("status", CODE, "R", "intervention_status"),
    F("response_date", DATE),
    F("response_summary", LONGTEXT, fts=True),
    F("follow_up_date", DATE),
))

# --- Source (SPEC 3.11) + SourceLink -------------------------------------------
SOURCE_LINK = Entity("source_link", "source_link", (
    F("id", TEXT),
    F("target", REF, "R", ref="any"),
    F("target_entity", TEXT),
    F("locator", TEXT),
    F("quote", LONGTEXT, fts=True),
))

SOURCE = top("source", "source", "sources", "SR", (
    F("record_no", TEXT),
    F("source_type", CODE, "R", "source_type"),
    F("title", TEXT, "R", fts=True),
    F("author_or_publisher", TEXT, fts=True),
    F("url", TEXT),
    F("publication_date", DATE, precision="publication_date_precision"),
    PREC("publication_date_precision"),
    F("language", CODE, vocab="language"),
    F("source_connection", CODE, vocab="source_connection"),
    F("reliability", CODE, "R", "reliability", default="unsure"),
    F("received_date", DATE),
    F("archived_copy", REF, ref="attachment"),
    F("links", CHILDREN, child=SOURCE_LINK),
))

# --- Attachment (SPEC 3.12): metadata is a record; bytes live in blob chunks ---
ATTACHMENT_KINDS = ("photo", "document", "scan", "audio", "video", "body_diagram", "web_archive")
ATTACHMENT = top("attachment", "attachment", None, "AT", (  # type: ignore[arg-type]
    F("record_no", TEXT),
    F("sha256", TEXT, "R"),
    F("original_filename", TEXT, fts=True),
    F("mime", TEXT),
    F("size_bytes", INT, "R"),
    F("kind", ENUM, "R", values=ATTACHMENT_KINDS),
    F("captured_at", DATETIME),
    F("captured_by", TEXT),
    F("description", TEXT, fts=True),
    F("sensitive_intimate", BOOL, "R", default=False),
    ANSWER("consent_recorded", "C"),
    F("scale_included", BOOL),
    F("colour_chart_included", BOOL),
    F("target_entity", TEXT, "R"),
    F("target_id", REF, "R", ref="any"),
    F("physical_finding", TEXT),
))

# --- PublishedStatistic (SPEC 3.13): aggregates quoted in publications ----------
# kind "published_stat": bundle readers of format 1 take kinds of at most 16 characters
# Figures the NGO or others published; printed beside live counts, never added to them.
PUBLISHED_STATISTIC = top("published_stat", "published_statistic", "published_statistics", "PS", (
    F("record_no", TEXT),
    F("indicator", TEXT, "R", fts=True),
    F("period_start", DATE, "R"),
    F("period_end", DATE, "R"),
    F("dimension", TEXT),
    F("dimension_value", TEXT),
    F("value", DEC, "C"),
    F("value_text", TEXT, "C", fts=True),
    F("unit", CODE, "R", "stat_unit"),
    F("publisher", TEXT, "R", fts=True),
    F("source_ref", TEXT, "R", fts=True),
    F("comparable_with_live", BOOL, "R", default=False),
    F("note", TEXT, fts=True),
), confidentiality="public")

TOP_LEVEL: dict[str, Entity] = {e.kind: e for e in (PERSON, ORGANISATION, COURT, CASE, THREAT, HEARING, MEDICAL, SOURCE, ATTACHMENT,
                                                    DETENTION, INTERVENTION, PUBLISHED_STATISTIC)}
# the interchange document's lists, in the order they are imported (references point backwards where possible)
DOCUMENT_LISTS: dict[str, Entity] = {e.list_name: e for e in (PERSON, ORGANISATION, COURT, CASE, THREAT, DETENTION, HEARING,  # type: ignore[misc]
                                                             MEDICAL, INTERVENTION, SOURCE, PUBLISHED_STATISTIC)}
# the names a user types on the command line (`list persons`)
LIST_KINDS = {"persons": "person", "organisations": "organisation", "courts": "court", "cases": "case",
              "threats": "threat", "hearings": "hearing", "medical": "medical", "sources": "source",
              "attachments": "attachment", "detentions": "detention", "interventions": "intervention",
              "published": "published_stat"}


def all_entities() -> list[Entity]:
    """Every entity, top-level first, then children depth-first."""
    out: list[Entity] = []

    def walk(e: Entity) -> None:
        out.append(e)
        for f in e.fields:
            if f.child is not None:
                walk(f.child)

    for e in TOP_LEVEL.values():
        walk(e)
    return out


def kind_of_prefix(prefix: str) -> str | None:
    for e in TOP_LEVEL.values():
        if e.prefix == prefix:
            return e.kind
    return None
