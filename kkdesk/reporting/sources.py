"""Words for the published figures of SPEC §6.3 in a report: a translated label per
indicator code, and the source reference made readable — the internal seed labels
S0–S4 of SPEC §1 become the short title of the document, "via" and "fn" are
translated, the publisher is named once."""

from __future__ import annotations

import re

from kkdesk.i18n import N_

INDICATORS = {
    "threat_cases_total": N_("Threat cases (total)"),
    "persons_threatened": N_("Persons threatened"),
    "organisations_threatened": N_("Organisations threatened"),
    "share_women": N_("Share of women among victims"),
    "most_threatened_groups": N_("Most threatened groups"),
    "regions_most_cases": N_("Regions with most cases"),
    "poll_threatened_due_to_work": N_("Poll: threatened because of their work"),
    "poll_threats_carried_out": N_("Poll: threats carried out"),
    "state_inhibits_activity": N_("Poll: the state hinders their work"),
    "assaults_on_activists": N_("Assaults on activists"),
    "hrds_tried_criminally": N_("Defenders tried in criminal cases"),
    "cc_article_offences": N_("Offences registered under a Criminal Code article"),
    "extremism_terrorism_persons": N_("Persons convicted of extremism or terrorism"),
    "extremism_terrorism_cases": N_("Criminal cases of extremism or terrorism"),
    "defamation_cases_initiated": N_("Defamation cases opened"),
    "torture_reports": N_("Torture reports (criminal cases)"),
    "january_2022_deaths": N_("Deaths in the January 2022 events"),
    "officials_convicted_january_2022": N_("Officials convicted after January 2022"),
    "foreign_funding_register_entries": N_("Entries in the foreign funding register"),
    "ngos_prosecuted_cao_460_1": N_("NGOs prosecuted under CAO art. 460-1"),
    "foreign_activists_persecuted": N_("Foreign activists persecuted"),
    "detention_survey_share": N_("Detention survey: share of answers"),
}

# SPEC §1: the documents the published figures come from
DOCUMENTS = {
    "S0": N_("Comments under the UPR, 2024"),
    "S1": N_("Submission to the Human Rights Committee, 2022"),
    "S2": N_("Briefing paper for the EU–Kazakhstan dialogue, 2024"),
    "S3": N_("UPR fact sheets, 2019"),
    "S4": N_("Joint UPR submission, 2019"),
}
_SEED = re.compile(r"\bS([0-4])\b")


def indicator_label(code: str | None, gettext) -> str:
    return gettext(INDICATORS[code]) if code in INDICATORS else (code or "")


def readable_source(source: str | None, gettext) -> str:
    """'Kadir-Kassiyet via S4 · S4 §3' -> 'Kadir-Kassiyet — Joint UPR submission, 2019, §3' (translated)."""
    if not source:
        return ""
    publisher, _, ref = source.partition(" · ")
    publisher = re.sub(r",?\s*\(?\s*via\s+S[0-4](?:\s*,\s*S[0-4])*\)?", "", publisher)
    publisher = re.sub(r"\s*\(S[0-4]\)", "", publisher)
    publisher = re.sub(r",?\s*via\s*$", "", publisher).strip(" ,;")
    if not ref:
        ref = " ".join(m.group(0) for m in _SEED.finditer(source))
    parts = []
    for piece in ref.split(";"):
        piece = piece.strip()
        if not piece:
            continue
        piece = re.sub(r"\(Committee on Legal Statistics\)", "", piece).strip()
        piece = re.sub(r"\bfn\s+(\d+)", lambda m: gettext(N_("note %(n)s")) % {"n": m.group(1)}, piece)
        piece = _SEED.sub(lambda m: gettext(DOCUMENTS[f"S{m.group(1)}"]) + ",", piece).strip(" ,")
        if piece not in parts:
            parts.append(piece)
    text = "; ".join(parts)
    return f"{publisher} — {text}" if publisher and text else publisher or text
