"""Human labels for record kinds and fields, grouped into form/report sections.

Every function returns an *untranslated* English msgid (marked with ``N_`` so Babel
extracts it); the caller translates with ``_()`` for the UI or ``gettext_for(lang)``
for a PDF in another language. Only `value_label` returns display text in a given
language, because stored values (codes, dates, booleans) need the vocabularies and
Babel as well as the catalogue.

Labels are looked up by ``(kind, field)`` first and then by the field name alone, so
a name shared by several entities (``name_kk``, ``region``…) is written once and only
meanings that differ (``notes`` of a hearing vs. of a finding) are overridden.

`sections` covers every field of an entity exactly once, including child lists, the
checklist, precision companions (right after their date) and the internal ``id`` of
child rows (in the final "Record" section; forms normally hide ``id``).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from kkdesk import labels_detentions as _custody
from kkdesk import schema
from kkdesk.i18n import N_, format_date, format_number, format_partial_date, gettext_for

# --- record kinds --------------------------------------------------------------

_KIND: dict[str, tuple[str, str]] = {
    "person": (N_("Person"), N_("Persons")),
    "organisation": (N_("Organisation"), N_("Organisations")),
    "court": (N_("Court"), N_("Courts")),
    "case": (N_("Case"), N_("Cases")),
    "threat": (N_("Threat incident"), N_("Threat incidents")),
    "hearing": (N_("Hearing observation"), N_("Hearing observations")),
    "medical": (N_("Medical examination"), N_("Medical examinations")),
    "source": (N_("Source"), N_("Sources")),
    "attachment": (N_("Attachment"), N_("Attachments")),
    "threat_act": (N_("Threat act"), N_("Threat acts")),
    "act_perpetrator": (N_("Perpetrator"), N_("Perpetrators")),
    "case_party": (N_("Party to the case"), N_("Parties to the case")),
    "charge": (N_("Charge"), N_("Charges")),
    "sentence": (N_("Sentence"), N_("Sentences")),
    "hearing_participant": (N_("Participant"), N_("Participants")),
    "hearing_note": (N_("Note"), N_("Notes")),
    "fair_trial_answer": (N_("Checklist answer"), N_("Checklist answers")),
    "clinician": (N_("Clinician"), N_("Clinicians")),
    "alleged_method": (N_("Alleged method"), N_("Alleged methods")),
    "physical_finding": (N_("Physical finding"), N_("Physical findings")),
    "psychological_finding": (N_("Psychological finding"), N_("Psychological findings")),
    "affiliation": (N_("Affiliation"), N_("Affiliations")),
    "source_link": (N_("Source link"), N_("Source links")),
    "published_stat": (N_("Published figure"), N_("Published figures")),
}

# --- field labels by name (shared meaning) -----------------------------------------

_BY_NAME: dict[str, str] = {
    # common record metadata
    "id": N_("Identifier"),
    "record_no": N_("Record number"),
    "confidentiality": N_("Confidentiality"),
    "record_status": N_("Record status"),
    "entry_language": N_("Language of entry"),
    "remarks": N_("Remarks"),
    # names and places
    "name": N_("Name"),
    "name_kk": N_("Name in Kazakh"),
    "name_ru": N_("Name in Russian"),
    "name_en": N_("Name in English"),
    "name_latin": N_("Name in Latin script"),
    "name_variants": N_("Name variants"),
    "title": N_("Title"),
    "description": N_("Description"),
    "region": N_("Region"),
    "locality": N_("Locality"),
    "address": N_("Address"),
    "notes": N_("Notes"),
    "note": N_("Note"),
    "start_date": N_("Start date"),
    "end_date": N_("End date"),
    "start_precision": N_("Start date precision"),
    "end_precision": N_("End date precision"),
    "case": N_("Case"),
    "court": N_("Court"),
    "person": N_("Person"),
    "organisation": N_("Organisation"),
    "role": N_("Role"),
    "instance": N_("Instance"),
    "linked_incidents": N_("Linked threat incidents"),
    "linked_cases": N_("Linked cases"),
    "context_tags": N_("Context"),
    "perpetrator_type": N_("Perpetrator type"),
    "consistency": N_("Consistency with the allegation"),
    "attachment": N_("Attachment"),
    "primary_target_group": N_("Main target group"),
    # person
    "public_alias": N_("Public alias"),
    "gender": N_("Gender"),
    "birth_date": N_("Date of birth"),
    "birth_date_precision": N_("Date of birth precision"),
    "citizenship": N_("Citizenship"),
    "residence_region": N_("Region of residence"),
    "residence_locality": N_("Locality of residence"),
    "other_target_groups": N_("Other target groups"),
    "subgroups": N_("Subgroups"),
    "occupation": N_("Occupation"),
    "disability_notes": N_("Disability notes"),
    "political_prisoner_recognised": N_("Recognised as a political prisoner"),
    "deceased": N_("Deceased"),
    "date_of_death": N_("Date of death"),
    "date_of_death_precision": N_("Date of death precision"),
    "phone": N_("Phone"),
    "email": N_("Email"),
    "messenger": N_("Messenger"),
    "consent_to_publish": N_("Consent to publish the name"),
    "consent_date": N_("Date of consent"),
    "photo": N_("Photo"),
    # affiliation
    "is_public": N_("Publicly known"),
    # organisation
    "acronym": N_("Acronym"),
    "organisation_type": N_("Type of organisation"),
    "legal_status": N_("Legal status"),
    "bin": N_("Business identification number (BIN)"),
    "founded_date": N_("Date founded"),
    "liquidated_date": N_("Date liquidated"),
    "in_foreign_funding_register": N_("In the register of foreign funding recipients"),
    "register_entry_no": N_("Register entry number"),
    "register_date": N_("Date entered in the register"),
    "in_financial_monitoring_list": N_("On the financial monitoring list"),
    "list_date": N_("Date added to the list"),
    "website": N_("Website"),
    "affiliations": N_("Affiliated persons"),
    # court
    "court_type": N_("Type of court"),
    "schedule_url": N_("Court schedule (web address)"),
    "valid_from": N_("Valid from"),
    "valid_to": N_("Valid until"),
    # case
    "procedure_type": N_("Type of proceedings"),
    "official_numbers": N_("Official case numbers"),
    "status": N_("Status"),
    "opened_date": N_("Date opened"),
    "opened_date_precision": N_("Opening date precision"),
    "investigating_body": N_("Investigating body"),
    "summary": N_("Summary"),
    "politically_motivated": N_("Politically motivated"),
    "politically_motivated_rationale": N_("Rationale for political motivation"),
    "fairness_grade": N_("Fairness grade"),
    "fairness_grade_rationale": N_("Rationale for the fairness grade"),
    "graded_by": N_("Graded by"),
    "closed_date": N_("Date closed"),
    "parties": N_("Parties to the case"),
    # case party, charge, sentence
    "in_custody": N_("In custody"),
    "custody_since": N_("In custody since"),
    "preventive_measure": N_("Preventive measure"),
    "counsel_type": N_("Type of counsel"),
    "counsel_person": N_("Counsel"),
    "charges": N_("Charges"),
    "sentences": N_("Sentences"),
    "legal_article": N_("Legal article"),
    "article_part": N_("Part of the article"),
    "charge_status": N_("Charge status"),
    "status_date": N_("Status date"),
    "requalified_from": N_("Requalified from"),
    "decided_at_hearing": N_("Decided at hearing"),
    "decision_date": N_("Date of decision"),
    "sentence_type": N_("Type of sentence"),
    "term_years": N_("Term: years"),
    "term_months": N_("Term: months"),
    "term_days": N_("Term: days"),
    "amount_kzt": N_("Amount (tenge)"),
    "amount_mci": N_("Amount (MCI)"),
    "probation_months": N_("Probation (months)"),
    "ban_scope": N_("Scope of the ban on activity"),
    "ban_months": N_("Duration of the ban (months)"),
    "in_force": N_("In force"),
    # threat incident, act, perpetrator
    "place_description": N_("Description of the place"),
    "online": N_("Online"),
    "state_response": N_("State response"),
    "state_response_notes": N_("Notes on the state response"),
    "reported_to_ngo_on": N_("Reported to the organisation on"),
    "reported_by": N_("Reported by"),
    "acts": N_("Acts"),
    "victim_type": N_("Victim type"),
    "victim_person": N_("Victim (person)"),
    "victim_organisation": N_("Victim (organisation)"),
    "group_description": N_("Description of the group"),
    "group_size": N_("Size of the group"),
    "threat_type": N_("Threat type"),
    "act_date": N_("Date of the act"),
    "act_date_precision": N_("Act date precision"),
    "target_group_at_time": N_("Target group at the time"),
    "gender_at_time": N_("Gender at the time"),
    "region_at_time": N_("Region at the time"),
    "linked_to_hr_activity": N_("Linked to human rights activity"),
    "threat_carried_out": N_("Threat carried out"),
    "legal_articles": N_("Legal articles"),
    "physical_consequences": N_("Physical consequences"),
    "psychological_consequences": N_("Psychological consequences"),
    "counted_in_statistics": N_("Counted in statistics"),
    "perpetrators": N_("Perpetrators"),
    "perpetrator_person": N_("Perpetrator (person)"),
    "perpetrator_organisation": N_("Perpetrator (organisation)"),
    "involvement_degree": N_("Degree of involvement"),
    # hearing
    "courtroom": N_("Courtroom"),
    "stage": N_("Stage"),
    "hearing_format": N_("Hearing format"),
    "scheduled_start": N_("Scheduled start"),
    "actual_start": N_("Actual start"),
    "actual_end": N_("Actual end"),
    "monitors": N_("Monitors"),
    "observer_access": N_("Observer access"),
    "access_notes": N_("Notes on access"),
    "hearing_info_source": N_("Source of information about the hearing"),
    "join_request_sent_at": N_("Request to join sent at"),
    "link_received": N_("Link received"),
    "language_of_proceedings": N_("Language of proceedings"),
    "interpreter_present": N_("Interpreter present"),
    "defendant_placement": N_("Placement of the defendant"),
    "public_count": N_("Members of the public present"),
    "journalists_count": N_("Journalists present"),
    "diplomats_present": N_("Diplomats present"),
    "security_notes": N_("Notes on security"),
    "proceedings_summary": N_("Summary of the proceedings"),
    "motions": N_("Motions"),
    "evidence_examined": N_("Evidence examined"),
    "witnesses_heard": N_("Witnesses heard"),
    "outcome": N_("Outcome"),
    "next_hearing_at": N_("Next hearing"),
    "checklist": N_("Fair-trial checklist"),
    "monitor_assessment": N_("Monitor's assessment"),
    "reviewed_by": N_("Reviewed by"),
    "reviewed_at": N_("Reviewed at"),
    "participants": N_("Participants"),
    "presence": N_("Presence"),
    "time": N_("Time"),
    "text": N_("Text"),
    "item": N_("Checklist item"),
    "answer": N_("Answer"),
    # medical examination
    "subject": N_("Examined person"),
    "examination_type": N_("Type of examination"),
    "examiner_affiliation": N_("Examiner's affiliation"),
    "exam_datetime": N_("Date and time of the examination"),
    "place": N_("Place of the examination"),
    "requested_by": N_("Requested by"),
    "request_reference": N_("Request reference"),
    "clinicians": N_("Clinicians"),
    "qualification": N_("Qualifications"),
    "interpreter_used": N_("Interpreter used"),
    "interpreter_language": N_("Interpreter's language"),
    "informed_consent": N_("Informed consent given"),
    "consent_refusal_reason": N_("Reason for refusing consent"),
    "photo_consent": N_("Consent to photographs"),
    "persons_present": N_("Persons present during the examination"),
    "security_present": N_("Security staff present"),
    "subject_restrained": N_("Person restrained during the examination"),
    "restraint_details": N_("Details of the restraint"),
    "evaluation_unrestricted": N_("Evaluation carried out without restrictions"),
    "restriction_details": N_("Details of the restrictions"),
    "duration_minutes": N_("Duration (minutes)"),
    "background_history": N_("Background and medical history"),
    "allegation_summary": N_("Summary of the allegations"),
    "alleged_methods": N_("Alleged methods"),
    "method": N_("Method"),
    "place_type": N_("Type of place"),
    "acute_symptoms": N_("Acute symptoms"),
    "chronic_symptoms": N_("Chronic symptoms"),
    "disabilities": N_("Disabilities"),
    "general_appearance": N_("General appearance"),
    "findings": N_("Physical findings"),
    "body_diagrams": N_("Body diagrams"),
    "mental_status_notes": N_("Mental status examination"),
    "psychological_findings": N_("Psychological findings"),
    "diagnostic_tests": N_("Diagnostic tests"),
    "consultations": N_("Consultations"),
    "physical_consistency_overall": N_("Consistency of the physical findings as a whole"),
    "psychological_consistency_overall": N_("Consistency of the psychological findings as a whole"),
    "overall_evaluation": N_("Overall evaluation"),
    "overall_evaluation_text": N_("Reasoning for the overall evaluation"),
    "self_infliction_considered": N_("Self-infliction considered"),
    "injuries_recorded_by_state_medics": N_("Injuries recorded by state medical staff"),
    "harm_severity_classification": N_("Severity of harm (national classification)"),
    "recommendations": N_("Recommendations"),
    "truthfulness_statement": N_("Statement of truthfulness"),
    "restrictions_statement": N_("Statement of restrictions"),
    "signed_by": N_("Signed by"),
    "signed_at": N_("Date signed"),
    "signed_place": N_("Place of signing"),
    "transferred_to": N_("Report transferred to"),
    "transferred_at": N_("Report transferred at"),
    # physical / psychological finding
    "finding_no": N_("Finding number"),
    "body_region": N_("Body region"),
    "laterality": N_("Side"),
    "aspect": N_("Aspect"),
    "location_detail": N_("Exact location"),
    "lesion_type": N_("Type of lesion"),
    "count": N_("Number of lesions"),
    "length_mm": N_("Length (mm)"),
    "width_mm": N_("Width (mm)"),
    "depth_mm": N_("Depth (mm)"),
    "shape": N_("Shape"),
    "colour": N_("Colour"),
    "surface": N_("Surface"),
    "demarcation": N_("Demarcation"),
    "elevation": N_("Level relative to the skin"),
    "symmetry": N_("Symmetrical"),
    "tenderness": N_("Tender"),
    "diagram_view": N_("Body diagram view"),
    "diagram_x": N_("Position on the diagram (across)"),
    "diagram_y": N_("Position on the diagram (down)"),
    "linked_methods": N_("Linked alleged methods"),
    "alternative_causes": N_("Other possible causes"),
    "photos": N_("Photos"),
    "finding": N_("Finding"),
    "severity": N_("Severity"),
    "instrument": N_("Assessment instrument"),
    # source
    "source_type": N_("Type of source"),
    "author_or_publisher": N_("Author or publisher"),
    "url": N_("Web address"),
    "publication_date": N_("Publication date"),
    "publication_date_precision": N_("Publication date precision"),
    "language": N_("Language"),
    "source_connection": N_("Connection to the events"),
    "reliability": N_("Reliability"),
    "received_date": N_("Date received"),
    "archived_copy": N_("Archived copy"),
    "links": N_("Linked records"),
    "target": N_("Linked record"),
    "target_entity": N_("Type of linked record"),
    "locator": N_("Location in the source"),
    "quote": N_("Quotation"),
    # attachment
    "sha256": N_("SHA-256 checksum"),
    "original_filename": N_("Original file name"),
    "mime": N_("File format (MIME type)"),
    "size_bytes": N_("Size (bytes)"),
    "kind": N_("Kind of file"),
    "captured_at": N_("Captured at"),
    "captured_by": N_("Captured by"),
    "sensitive_intimate": N_("Sensitive (intimate) image"),
    "consent_recorded": N_("Consent recorded"),
    "scale_included": N_("Ruler (scale) in the picture"),
    "colour_chart_included": N_("Colour chart in the picture"),
    "target_id": N_("Linked record"),
    "physical_finding": N_("Physical finding"),
    # list columns and statistics dimensions (listing.Row, stats.StatsResult)
    "sort_date": N_("Date"),
    "updated_at": N_("Last changed"),
    "sealed": N_("Sealed"),
    "conflict": N_("Conflicting versions"),
    "incomplete": N_("Incomplete"),
    "deleted": N_("Deleted"),
    "year": N_("Year"),
    "target_group": N_("Target group"),
    "persons": N_("Persons"),
    "organisations": N_("Organisations"),
}

# --- meanings that differ by kind ---------------------------------------------------

_BY_KIND: dict[tuple[str, str], str] = {
    # published figures (SPEC 3.13)
    ("published_stat", "indicator"): N_("Indicator"),
    ("published_stat", "period_start"): N_("Period from"),
    ("published_stat", "period_end"): N_("Period until"),
    ("published_stat", "dimension"): N_("Breakdown by"),
    ("published_stat", "dimension_value"): N_("Breakdown value"),
    ("published_stat", "value"): N_("Published value"),
    ("published_stat", "value_text"): N_("Value as published (text)"),
    ("published_stat", "unit"): N_("Unit"),
    ("published_stat", "publisher"): N_("Publisher"),
    ("published_stat", "source_ref"): N_("Source reference"),
    ("published_stat", "comparable_with_live"): N_("Comparable with live counts"),
    ("published_stat", "note"): N_("Note"),
    ("affiliation", "role"): N_("Role in the organisation"),
    ("case_party", "role"): N_("Role in the case"),
    ("hearing_participant", "role"): N_("Role in the case"),
    ("case", "status"): N_("Case status"),
    ("hearing", "notes"): N_("Notes taken in court"),
    ("hearing", "stage"): N_("Stage of proceedings"),
    ("physical_finding", "stage"): N_("Stage of healing"),
    ("hearing_note", "text"): N_("Note"),
    ("threat_act", "case"): N_("Related case"),
    ("medical", "region"): N_("Region of the examination"),
    ("threat", "start_date"): N_("Date (start)"),
    ("threat", "end_date"): N_("Date (end)"),
    ("alleged_method", "start_date"): N_("From"),
    ("alleged_method", "end_date"): N_("Until"),
    ("alleged_method", "perpetrator_type"): N_("Alleged perpetrator"),
    ("alleged_method", "place_type"): N_("Place of detention"),
    ("affiliation", "person"): N_("Person"),
    ("hearing_participant", "name"): N_("Name (if not a recorded person)"),
    ("clinician", "name"): N_("Name of the clinician"),
    ("attachment", "description"): N_("Description"),
}

# --- help lines (tooltips, accessible descriptions) -----------------------------------

_PARTIAL_DATE = N_("Year, year and month, or full date (e.g. 2024, 2024-03 or 2024-03-05).")
_PRECISION = N_("How exactly the date is known.")
_LEAF = N_("Choose the most specific term, not a category.")
_CONTACT = N_("Contact details are never printed and are exported only on request.")

_HELP_BY_NAME: dict[str, str] = {
    "record_no": N_("Assigned automatically; the reference printed on sheets."),
    "confidentiality": N_("Public records may be published; restricted records are for named users only."),
    "record_status": N_("Draft, then to be verified, then verified. Only verified records count in published statistics."),
    "entry_language": N_("The language in which the narrative fields of this record are written."),
    "name_variants": N_("Other spellings of the name, used to find duplicates."),
    "public_alias": N_("Printed instead of the name when there is no consent to publish."),
    "citizenship": N_("Two-letter country codes (ISO 3166-1), e.g. KZ."),
    "consent_to_publish": N_("Only \u201cYes\u201d allows the real name in public outputs; otherwise the public alias is printed."),
    "consent_date": N_("Required when consent was given or refused."),
    "political_prisoner_recognised": N_("Recognised as a political prisoner by Kazakhstani human rights defenders."),
    "phone": _CONTACT,
    "email": _CONTACT,
    "messenger": _CONTACT,
    "bin": N_("The 12-digit business identification number of a registered legal entity."),
    "in_foreign_funding_register": N_("The state register of persons receiving money from foreign sources."),
    "in_financial_monitoring_list": N_("The list of organisations and persons linked to the financing of terrorism or extremism."),
    "official_numbers": N_("Pre-trial investigation register number, court case number, UN communication number."),
    "investigating_body": N_("Police, national security, anti-corruption service, prosecutor's office\u2026"),
    "politically_motivated": N_("The organisation's own assessment."),
    "politically_motivated_rationale": N_("Required when the case is assessed as politically motivated."),
    "fairness_grade": N_("An expert's overall grade of the fairness of the proceedings."),
    "amount_mci": N_("Fines are set in monthly calculation indices (MCI)."),
    "probation_months": N_("For a suspended sentence."),
    "online": N_("The incident took place online (cyberattack, online threats)."),
    "state_response": N_("What the authorities did after the incident became known."),
    "victim_type": N_("An individual, an organisation, or a group of unidentified persons."),
    "threat_type": _LEAF,
    "perpetrator_type": _LEAF,
    "target_group_at_time": N_("The victim's target group when the act happened; it may differ from today's."),
    "gender_at_time": N_("\u201cNot applicable\u201d for organisations and groups."),
    "linked_to_hr_activity": N_("Whether the act was connected with the victim's human rights work."),
    "threat_carried_out": N_("For threats and blackmail: whether the threat was later carried out."),
    "counted_in_statistics": N_("Clear for duplicates or acts outside the monitoring mandate; they are then left out of all counts."),
    "involvement_degree": N_("Including failure to protect, for state inaction."),
    "actual_start": N_("Required when the hearing took place."),
    "monitors": N_("The monitors who observed the hearing."),
    "access_notes": N_("How access was refused or limited."),
    "join_request_sent_at": N_("A request to join an online hearing must be filed at least one hour before it."),
    "link_received": N_("For online and mixed hearings."),
    "next_hearing_at": N_("Required when the hearing was adjourned or continued."),
    "checklist": N_("Answers you do not set keep their default; answers that raise a concern need a note."),
    "note": N_("Required when the answer raises a concern or is unknown."),
    "time": N_("Time on the day of the hearing, hours and minutes (e.g. 10:40)."),
    "informed_consent": N_("The examination is carried out only with the person's informed consent."),
    "photo_consent": N_("Required when photographs are taken."),
    "security_present": N_("The examination must be private, without security staff."),
    "evaluation_unrestricted": N_("Whether the clinician could examine the person without hindrance."),
    "consistency": N_("Istanbul Protocol levels: not consistent, consistent, highly consistent, typical, diagnostic."),
    "overall_evaluation": N_("The clinician's judgement of all the evidence together; it is never computed from single findings."),
    "alternative_causes": N_("Other possible causes the clinician considered; required for consistent, highly consistent and typical findings."),  # noqa: E501 (one msgid, one line)
    "harm_severity_classification": N_("The grading used by national forensic medicine."),
    "count": N_("Number of identical lesions described together."),
    "length_mm": N_("Required for a visible lesion."),
    "width_mm": N_("Required for a visible lesion."),
    "diagram_x": N_("Fraction of the diagram width, from 0 to 1."),
    "diagram_y": N_("Fraction of the diagram height, from 0 to 1."),
    "instrument": N_("The questionnaire or scale used."),
    "source_connection": N_("How the source is connected to the events."),
    "reliability": N_("How reliable the source usually is."),
    "locator": N_("Page, paragraph or time code."),
    "sensitive_intimate": N_("Intimate images need extra care when shown, printed or shared."),
    "consent_recorded": N_("For photos or videos of a person."),
    "scale_included": N_("Forensic photos should show a ruler and a colour chart."),
    "colour_chart_included": N_("Forensic photos should show a ruler and a colour chart."),
    "sha256": N_("Fingerprint of the file's content; proves that it has not been changed."),
}

_HELP_BY_KIND: dict[tuple[str, str], str] = {
    ("attachment", "kind"): N_("Photo, document, scan, audio, video, body diagram or web archive."),
}

# --- section titles ------------------------------------------------------------------

RECORD = N_("Record")

_SECTIONS: dict[str, list[tuple[str, list[str]]]] = {
    "person": [
        (N_("Name"), ["name_kk", "name_ru", "name_latin", "name_variants", "public_alias"]),
        (N_("Personal details"), ["gender", "birth_date", "birth_date_precision", "citizenship", "occupation",
                                  "disability_notes", "deceased", "date_of_death", "date_of_death_precision", "photo"]),
        (N_("Residence"), ["residence_region", "residence_locality"]),
        (N_("Target group"), ["primary_target_group", "other_target_groups", "subgroups", "political_prisoner_recognised"]),
        (N_("Contact details"), ["phone", "email", "messenger"]),
        (N_("Consent"), ["consent_to_publish", "consent_date"]),
    ],
    "organisation": [
        (N_("Name of the organisation"), ["name_kk", "name_ru", "name_en", "name_variants", "acronym"]),
        (N_("Type and status"), ["organisation_type", "legal_status", "primary_target_group", "bin",
                                 "founded_date", "liquidated_date", "website"]),
        (N_("Location"), ["region", "locality", "address"]),
        (N_("State registers and lists"), ["in_foreign_funding_register", "register_entry_no", "register_date",
                                           "in_financial_monitoring_list", "list_date"]),
        (N_("Affiliated persons"), ["affiliations"]),
    ],
    "court": [
        (N_("Name of the court"), ["name_kk", "name_ru", "name_en"]),
        (N_("Court"), ["court_type", "schedule_url", "valid_from", "valid_to"]),
        (N_("Location"), ["region", "locality", "address"]),
    ],
    "case": [
        (N_("Case"), ["title", "procedure_type", "official_numbers", "status", "opened_date", "opened_date_precision",
                      "closed_date", "region", "investigating_body"]),
        (N_("Summary"), ["summary", "context_tags", "linked_incidents"]),
        (N_("Parties"), ["parties"]),
        (N_("Assessment"), ["politically_motivated", "politically_motivated_rationale", "fairness_grade",
                            "fairness_grade_rationale", "graded_by"]),
    ],
    "threat": [
        (N_("Incident"), ["title", "description", "start_date", "start_precision", "end_date", "end_precision",
                          "context_tags", "reported_to_ngo_on", "reported_by", "linked_cases"]),
        (N_("Place"), ["region", "locality", "place_description", "online"]),
        (N_("State response"), ["state_response", "state_response_notes"]),
        (N_("Acts"), ["acts"]),
    ],
    "hearing": [
        (N_("Hearing"), ["case", "court", "courtroom", "instance", "stage", "hearing_format",
                         "scheduled_start", "actual_start", "actual_end"]),
        (N_("Monitoring and access"), ["monitors", "observer_access", "access_notes", "hearing_info_source",
                                       "join_request_sent_at", "link_received"]),
        (N_("In the courtroom"), ["language_of_proceedings", "interpreter_present", "defendant_placement",
                                  "public_count", "journalists_count", "diplomats_present", "security_notes"]),
        (N_("Participants"), ["participants"]),
        (N_("Proceedings"), ["notes", "proceedings_summary", "motions", "evidence_examined", "witnesses_heard",
                             "outcome", "next_hearing_at"]),
        (N_("Fair-trial checklist"), ["checklist"]),
        (N_("Assessment and review"), ["monitor_assessment", "reviewed_by", "reviewed_at"]),
    ],
    # Istanbul Protocol annex IV order (SPEC 3.9 blocks, 5.3)
    "medical": [
        (N_("Case information"), ["subject", "case", "linked_incidents", "detention_episode", "examination_type",
                                  "examiner_affiliation",
                                  "exam_datetime", "place", "region", "requested_by", "request_reference",
                                  "clinicians", "duration_minutes"]),
        (N_("Consent and conditions of the examination"), [
            "interpreter_used", "interpreter_language", "informed_consent", "consent_refusal_reason", "photo_consent",
            "persons_present", "security_present", "subject_restrained", "restraint_details",
            "evaluation_unrestricted", "restriction_details"]),
        (N_("Background"), ["background_history"]),
        (N_("Allegations of torture and ill-treatment"), ["allegation_summary", "alleged_methods"]),
        (N_("Physical symptoms and disabilities"), ["acute_symptoms", "chronic_symptoms", "disabilities"]),
        (N_("Physical examination"), ["general_appearance", "findings", "body_diagrams"]),
        (N_("Psychological history and examination"), ["mental_status_notes", "psychological_findings"]),
        (N_("Diagnostic tests"), ["diagnostic_tests"]),
        (N_("Consultations"), ["consultations"]),
        (N_("Interpretation of findings"), ["physical_consistency_overall", "psychological_consistency_overall",
                                            "self_infliction_considered", "injuries_recorded_by_state_medics",
                                            "harm_severity_classification"]),
        (N_("Conclusions and recommendations"), ["overall_evaluation", "overall_evaluation_text", "recommendations"]),
        (N_("Statement of truthfulness and restrictions"), ["truthfulness_statement", "restrictions_statement"]),
        (N_("Signature"), ["signed_by", "signed_at", "signed_place", "transferred_to", "transferred_at"]),
    ],
    "source": [
        (N_("Source"), ["source_type", "title", "author_or_publisher", "url", "publication_date",
                        "publication_date_precision", "language", "archived_copy"]),
        (N_("Assessment"), ["source_connection", "reliability", "received_date"]),
        (N_("Linked records"), ["links"]),
    ],
    "published_stat": [
        (N_("Published figure"), ["indicator", "period_start", "period_end", "dimension", "dimension_value", "value",
                                  "value_text", "unit", "comparable_with_live", "note"]),
        (N_("Source"), ["publisher", "source_ref"]),
    ],
    "attachment": [
        (N_("File"), ["original_filename", "kind", "mime", "size_bytes", "sha256", "description"]),
        (N_("Capture and consent"), ["captured_at", "captured_by", "sensitive_intimate", "consent_recorded",
                                     "scale_included", "colour_chart_included"]),
        (N_("Linked to"), ["target_entity", "target_id", "physical_finding"]),
    ],
    # child entities
    "affiliation": [(N_("Affiliation"), ["person", "role", "start_date", "end_date", "is_public"])],
    "case_party": [
        (N_("Party"), ["person", "organisation", "role"]),
        (N_("Custody"), ["in_custody", "custody_since", "preventive_measure"]),
        (N_("Defence"), ["counsel_type", "counsel_person"]),
        (N_("Charges"), ["charges"]),
        (N_("Sentences"), ["sentences"]),
    ],
    "charge": [(N_("Charge"), ["legal_article", "article_part", "charge_status", "status_date", "requalified_from"])],
    "sentence": [
        (N_("Decision"), ["decided_at_hearing", "instance", "decision_date", "sentence_type", "in_force"]),
        (N_("Term and amount"), ["term_years", "term_months", "term_days", "probation_months",
                                 "amount_kzt", "amount_mci"]),
        (N_("Ban on activity"), ["ban_scope", "ban_months"]),
    ],
    "threat_act": [
        (N_("Victim"), ["victim_type", "victim_person", "victim_organisation", "group_description", "group_size",
                        "target_group_at_time", "gender_at_time", "region_at_time"]),
        (N_("Act"), ["threat_type", "act_date", "act_date_precision", "linked_to_hr_activity", "threat_carried_out",
                     "description"]),
        (N_("Consequences"), ["physical_consequences", "psychological_consequences"]),
        (N_("Legal proceedings"), ["case", "legal_articles", "detention_episode"]),
        (N_("Perpetrators"), ["perpetrators"]),
        (N_("Statistics"), ["counted_in_statistics"]),
    ],
    "act_perpetrator": [(N_("Perpetrator"), ["perpetrator_type", "perpetrator_person", "perpetrator_organisation",
                                             "involvement_degree", "description"])],
    "hearing_participant": [(N_("Participant"), ["person", "name", "role", "presence", "notes"])],
    "hearing_note": [(N_("Note"), ["time", "text"])],
    "fair_trial_answer": [(N_("Checklist answer"), ["item", "answer", "note", "attachment"])],
    "clinician": [(N_("Clinician"), ["name", "qualification"])],
    "alleged_method": [(N_("Alleged method"), ["method", "start_date", "start_precision", "end_date", "end_precision",
                                               "place_type", "perpetrator_type", "description"])],
    "physical_finding": [
        (N_("Location on the body"), ["finding_no", "body_region", "laterality", "aspect", "location_detail"]),
        (N_("Description of the lesion"), ["lesion_type", "count", "length_mm", "width_mm", "depth_mm", "shape",
                                           "colour", "surface", "demarcation", "elevation", "stage", "symmetry",
                                           "tenderness"]),
        (N_("Position on the body diagram"), ["diagram_view", "diagram_x", "diagram_y"]),
        (N_("Interpretation"), ["linked_methods", "consistency", "alternative_causes"]),
        (N_("Photos and notes"), ["photos", "notes"]),
    ],
    "psychological_finding": [(N_("Psychological finding"), ["finding", "severity", "instrument", "consistency",
                                                              "notes"])],
    "source_link": [(N_("Source link"), ["target", "target_entity", "locator", "quote"])],
}

# --- ENUM values (SPEC "text enum") ------------------------------------------------

_ENUM: dict[str, dict[str, str]] = {
    "demarcation": {"sharp": N_("Sharp"), "indistinct": N_("Indistinct")},
    "elevation": {"raised": N_("Raised"), "flat": N_("Flat"), "depressed": N_("Depressed")},
    "diagram_view": {"front": N_("Front"), "back": N_("Back"), "left": N_("Left side"), "right": N_("Right side"),
                     "head": N_("Head"), "hands": N_("Hands"), "feet": N_("Feet")},
    "kind": {"photo": N_("Photo"), "document": N_("Document"), "scan": N_("Scan"), "audio": N_("Audio recording"),
             "video": N_("Video"), "body_diagram": N_("Body diagram"), "web_archive": N_("Web archive")},
}

# detention episodes and interventions keep their labels in their own module
_KIND.update(_custody.KIND)
_BY_NAME.update(_custody.BY_NAME)
_BY_KIND.update(_custody.BY_KIND)
_HELP_BY_NAME.update(_custody.HELP_BY_NAME)
_HELP_BY_KIND.update(_custody.HELP_BY_KIND)
_SECTIONS.update(_custody.SECTIONS)

YES = N_("Yes")
NO = N_("No")

# --- lookups -----------------------------------------------------------------------------


_ENTITIES: dict[str, schema.Entity] | None = None


def _entities() -> dict[str, schema.Entity]:
    global _ENTITIES
    if _ENTITIES is None:
        _ENTITIES = {e.kind: e for e in schema.all_entities()}
    return _ENTITIES


def _humanise(name: str) -> str:
    return name.replace("_", " ").strip().capitalize()


def field_label(kind: str, field: str) -> str:
    """English msgid of a field's label; an unknown field gets its name, humanised."""
    return _BY_KIND.get((kind, field)) or _BY_NAME.get(field) or _humanise(field)


def field_help(kind: str, field: str) -> str | None:
    """English msgid of a one-line hint for a field, or None where no hint is useful."""
    hint = _HELP_BY_KIND.get((kind, field)) or _HELP_BY_NAME.get(field)
    if hint:
        return hint
    f = _entities()[kind].field(field) if kind in _entities() else None
    if f is not None and f.vocab == "date_precision":
        return _PRECISION
    if f is not None and f.precision:
        return _PARTIAL_DATE
    return None


def kind_label(kind: str) -> str:
    """English msgid of a record kind (singular): "Threat incident"."""
    pair = _KIND.get(kind)
    return pair[0] if pair else _humanise(kind)


def kind_plural(kind: str) -> str:
    """English msgid of a record kind (plural, for navigation and list titles)."""
    pair = _KIND.get(kind)
    return pair[1] if pair else _humanise(kind)


def sections(kind: str) -> list[tuple[str, list[str]]]:
    """Ordered (section title msgid, field names); every field of the entity exactly once.

    Top-level kinds end with the "Record" section (record_no and the common
    metadata); child kinds end with a "Record" section holding their internal id."""
    entity = _entities().get(kind)
    if entity is None:
        raise KeyError(kind)
    out = [(title, list(names)) for title, names in _SECTIONS.get(kind, [])]
    if entity.top_level:
        out.append((RECORD, ["record_no"] + [f.name for f in schema.COMMON]))
    else:
        out.append((RECORD, ["id"]))
    # a field added to the schema later still appears, in a trailing section, until it is placed
    placed = {n for _, names in out for n in names}
    rest = [f.name for f in entity.fields if f.name not in placed]
    if rest:
        out.insert(len(out) - 1, (N_("Other"), rest))
    return out


def enum_values(kind: str, field: str) -> list[tuple[str, str]]:
    """(value, msgid) pairs of an ENUM field, in schema order (for combo boxes)."""
    f = _entities()[kind].field(field)
    if f is None or f.type != schema.ENUM:
        raise KeyError((kind, field))
    words = _ENUM.get(field, {})
    return [(v, words.get(v, _humanise(v))) for v in f.values]


# --- values -----------------------------------------------------------------------------


def _utc_offset(value: _dt.datetime) -> str:
    off = value.utcoffset()
    if off is None:
        return ""
    minutes = int(off.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    h, m = divmod(abs(minutes), 60)
    return f" (UTC{sign}{h:02d}:{m:02d})"


def format_stored_datetime(text: str, lang: str) -> str:
    """'2024-03-05T10:40:00+05:00' -> '5 March 2024, 10:40 (UTC+05:00)' in the language.

    The offset stored with the value is kept, never converted to the local zone:
    Kazakhstan used two zones before March 2024 and the record shows local court time."""
    value = _dt.datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    clock = value.strftime("%H:%M:%S" if value.second else "%H:%M")
    return f"{format_date(value.date(), lang)}, {clock}{_utc_offset(value)}"


def _country(code: str, lang: str) -> str:
    try:
        from babel import Locale

        from kkdesk.i18n import babel_locale

        return Locale.parse(babel_locale(lang)).territories.get(code.upper(), code)
    except Exception:  # noqa: BLE001 (unknown locale data: show the code as stored)
        return code


def _scalar(f: schema.Field, kind: str, value: Any, lang: str) -> str:
    from kkdesk.vocab import vocabularies

    if value is None or value == "":
        return ""
    gettext = gettext_for(lang)
    if f.type in (schema.CODE, schema.CODES) and f.vocab:
        return vocabularies().label(f.vocab, str(value), lang)
    if f.type == schema.BOOL:
        if isinstance(value, bool):
            return gettext(YES if value else NO)
        return str(value)
    if f.type == schema.ENUM:
        word = _ENUM.get(f.name, {}).get(str(value))
        return gettext(word) if word else str(value)
    try:
        if f.type == schema.DATE:
            return format_partial_date(str(value), lang)
        if f.type == schema.DATETIME:
            return format_stored_datetime(str(value), lang)
        if f.type == schema.NOTETIME:
            text = str(value)
            return text if len(text) <= 5 else format_stored_datetime(text, lang)
        if f.type == schema.INT and isinstance(value, int) and not isinstance(value, bool):
            return format_number(value, lang)
    except (ValueError, TypeError):  # a malformed stored value is shown as it is
        return str(value)
    if f.name == "target_entity":
        return gettext(kind_label(str(value))) if str(value) in _KIND else str(value)
    if f.name == "citizenship":
        return _country(str(value), lang)
    return str(value)  # text, decimal (as given), references (ids; the caller resolves titles)


def value_label(kind: str, field: str, value: Any, lang: str) -> str:
    """Display text of a stored value in `lang` ("kk", "ru" or "en").

    Codes -> vocabulary labels, booleans -> Yes/No, ENUM words translated, partial
    dates and datetimes (with their UTC offset) formatted by Babel, decimals as
    stored, lists joined with ", ", None -> "". References are returned as stored
    (ids); child lists and the checklist are not scalar values and give ""."""
    entity = _entities().get(kind)
    f = entity.field(field) if entity else None
    if value is None:
        return ""
    if f is None:
        if isinstance(value, (list, tuple)):
            return ", ".join(str(v) for v in value if v is not None)
        return str(value)
    if f.type in (schema.CHILDREN, schema.CHECKLIST):
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(s for s in (_scalar(f, kind, v, lang) for v in value) if s)
    return _scalar(f, kind, value, lang)


def all_msgids() -> set[str]:
    """Every msgid this module can return (for tests and translation checks)."""
    ids: set[str] = set(_BY_NAME.values()) | set(_BY_KIND.values())
    ids |= set(_HELP_BY_NAME.values()) | set(_HELP_BY_KIND.values()) | {_PARTIAL_DATE, _PRECISION}
    ids |= {m for pair in _KIND.values() for m in pair}
    ids |= {t for secs in _SECTIONS.values() for t, _ in secs} | {RECORD, N_("Other")}
    ids |= {m for words in _ENUM.values() for m in words.values()} | {YES, NO}
    return ids
