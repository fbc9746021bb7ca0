"""Labels of detention episodes and interventions (SPEC §3.8, §3.10), merged into
`kkdesk.labels` (which see for the conventions): English msgids marked with ``N_``."""

from __future__ import annotations

from kkdesk.i18n import N_

KIND: dict[str, tuple[str, str]] = {
    "detention": (N_("Detention"), N_("Detentions")),
    "detention_transfer": (N_("Transfer"), N_("Transfers")),
    "safeguard_answer": (N_("Safeguard answer"), N_("Safeguard answers")),
    "intervention": (N_("Intervention"), N_("Interventions")),
    "intervention_link": (N_("Record concerned"), N_("Records concerned")),
}

BY_NAME: dict[str, str] = {
    "detention_episode": N_("Detention episode"),
    "incident": N_("Related threat incident"),
    "legal_basis": N_("Legal basis of the detention"),
    "actual_detention_at": N_("Actual detention (date and time)"),
    "actual_detention_precision": N_("Precision of the detention time"),
    "protocol_detention_time": N_("Time of detention in the protocol"),
    "detaining_body": N_("Detaining body"),
    "place_name": N_("Name of the place"),
    "transfers": N_("Transfers"),
    "released_at": N_("Released (date and time)"),
    "release_reason": N_("Reason for release"),
    "safeguards": N_("Detention safeguards"),
    "intervention_type": N_("Type of intervention"),
    "date": N_("Date"),
    "by_organisation": N_("By organisation"),
    "by_person": N_("By person"),
    "addressee": N_("Addressee"),
    "reference_number": N_("Reference number"),
    "response_date": N_("Date of the response"),
    "response_summary": N_("Summary of the response"),
    "follow_up_date": N_("Follow-up date"),
}

BY_KIND: dict[tuple[str, str], str] = {
    ("detention", "place_type"): N_("Type of place of detention"),
    ("detention_transfer", "place_type"): N_("Type of place of detention"),
    ("detention_transfer", "date"): N_("Date of the transfer"),
    ("safeguard_answer", "item"): N_("Safeguard"),
    ("intervention", "links"): N_("Records concerned"),
    ("intervention", "status"): N_("Status of the intervention"),
    ("intervention", "date"): N_("Date of the intervention"),
}

HELP_BY_NAME: dict[str, str] = {
    "actual_detention_at": N_("When the person was actually deprived of liberty; all time limits run from this moment."),
    "protocol_detention_time": N_("The detention time written in the protocol; it must be drawn up within 3 hours "
                                  "of the actual detention."),
    "safeguards": N_("Answers that raise a concern or are unknown need a note."),
    "addressee": N_("For example: UN Human Rights Committee, Prosecutor of Almaty."),
    "follow_up_date": N_("When to check on the intervention; open interventions appear in the due follow-ups."),
}

HELP_BY_KIND: dict[tuple[str, str], str] = {
    ("intervention", "links"): N_("At least one case, threat incident, person, hearing, medical examination or "
                                  "detention."),
}

SECTIONS: dict[str, list[tuple[str, list[str]]]] = {
    "detention": [
        (N_("Person and case"), ["person", "case", "incident"]),
        (N_("Detention"), ["legal_basis", "actual_detention_at", "actual_detention_precision",
                           "protocol_detention_time", "detaining_body"]),
        (N_("Place of detention"), ["place_type", "place_name", "region", "transfers"]),
        (N_("Release"), ["released_at", "release_reason"]),
        (N_("Detention safeguards"), ["safeguards"]),
    ],
    "detention_transfer": [(N_("Transfer"), ["date", "place_type", "place_name"])],
    "safeguard_answer": [(N_("Safeguard answer"), ["item", "answer", "note"])],
    "intervention": [
        (N_("Intervention"), ["intervention_type", "date", "by_organisation", "by_person", "addressee",
                              "reference_number"]),
        (N_("Records concerned"), ["links"]),
        (N_("Status and response"), ["status", "response_date", "response_summary", "follow_up_date"]),
    ],
    "intervention_link": [(N_("Record concerned"), ["target", "target_entity"])],
}
