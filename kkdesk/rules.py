"""SPEC's conditional requirements and §7 completeness rules, as warnings.

A warning never blocks saving; it marks the record incomplete and says what is
missing, with the path of the field."""

from __future__ import annotations

from typing import Any, Callable

from kkdesk import checklist, detentions
from kkdesk.errors import Problem
from kkdesk.i18n import N_
from kkdesk.normalize import UNFINISHED, date_first_day
from kkdesk.vocab import vocabularies

MISSING = N_("should be filled in: %(reason)s")
THREAT_NEEDS_CARRIED_OUT = {"threat", "death_threat", "threat_relatives", "blackmail"}
STATE_EXAM_TYPES = {"post_detention_check", "admission_check", "state_forensic"}
MIDDLE_CONSISTENCY = {"consistent", "highly_consistent", "typical"}
FINE_TYPES = {"criminal_fine", "admin_fine"}
# required in SPEC, but a physical finding without them is kept (marked incomplete), not refused:
# a click on the body diagram places a finding before the examiner has described it
UNFINISHED_FINDING_FIELDS = UNFINISHED["physical_finding"]


class Checker:
    def __init__(self, lookup: Callable[[str, str], dict | None] | None = None) -> None:
        self.lookup = lookup or (lambda kind, rid: None)
        self.warnings: list[Problem] = []
        self.vocab = vocabularies()

    def warn(self, path: str, message: str, **params: Any) -> None:
        self.warnings.append(Problem(path, message, **params))

    def need(self, c: dict, field: str, path: str, reason: str) -> None:
        if c.get(field) in (None, "", []):
            self.warn(f"{path}.{field}", MISSING, reason=reason)

    def valid_at(self, vocab: str, code: str | None, date: str | None, path: str) -> None:
        """Date-validity (§7 rule 3): a code used outside its valid_from/valid_to."""
        if not code or not date:
            return
        term = self.vocab.get(vocab, code)
        if term is None:
            return
        day = date_first_day(date[:10]) if len(date) >= 4 else None
        vf, vt = term.extra.get("valid_from"), term.extra.get("valid_to")
        if day and vf and day < vf:
            self.warn(path, N_("'%(code)s' is valid only from %(date)s"), code=code, date=vf)
        if day and vt and day >= vt:
            self.warn(path, N_("'%(code)s' is valid only until %(date)s"), code=code, date=vt)

    # per kind -------------------------------------------------------------------
    def person(self, c: dict, p: str) -> None:
        if not any(c.get(k) for k in ("name_kk", "name_ru", "name_latin")):
            self.warn(f"{p}.name_kk", N_("at least one of name_kk, name_ru, name_latin should be given"))
        if c.get("consent_to_publish") in ("yes", "no"):
            self.need(c, "consent_date", p, N_("consent was given or refused"))
        if c.get("deceased") and not c.get("date_of_death"):
            self.need(c, "date_of_death", p, N_("the person is deceased"))

    def organisation(self, c: dict, p: str) -> None:
        if not any(c.get(k) for k in ("name_kk", "name_ru", "name_en")):
            self.warn(f"{p}.name_kk", N_("at least one of name_kk, name_ru, name_en should be given"))

    def court(self, c: dict, p: str) -> None:
        self.valid_at("court_type", c.get("court_type"), c.get("valid_from"), f"{p}.court_type")

    def case(self, c: dict, p: str) -> None:
        if c.get("politically_motivated") == "yes":
            self.need(c, "politically_motivated_rationale", p, N_("the case is assessed as politically motivated"))
        if c.get("fairness_grade"):
            self.need(c, "fairness_grade_rationale", p, N_("a fairness grade is given"))
            self.need(c, "graded_by", p, N_("a fairness grade is given"))
        self.valid_at("region", c.get("region"), c.get("opened_date"), f"{p}.region")
        for i, party in enumerate(c.get("parties", ())):
            pp = f"{p}.parties[{i}]"
            for j, ch in enumerate(party.get("charges", ())):
                self.valid_at("legal_article", ch.get("legal_article"), ch.get("status_date") or c.get("opened_date"),
                              f"{pp}.charges[{j}].legal_article")
            for j, s in enumerate(party.get("sentences", ())):
                sp = f"{pp}.sentences[{j}]"
                st = s.get("sentence_type")
                if st == "ban_public_activity":
                    self.need(s, "ban_scope", sp, N_("the sentence bans public activity"))
                    self.need(s, "ban_months", sp, N_("the sentence bans public activity"))
                if st in FINE_TYPES and not (s.get("amount_kzt") or s.get("amount_mci")):
                    self.warn(f"{sp}.amount_kzt", MISSING, reason=N_("a fine needs an amount in tenge or in MCI"))
                if st == "suspended":
                    self.need(s, "probation_months", sp, N_("the sentence is suspended"))

    def threat(self, c: dict, p: str) -> None:
        self.valid_at("region", c.get("region"), c.get("start_date"), f"{p}.region")
        for i, act in enumerate(c.get("acts", ())):
            ap = f"{p}.acts[{i}]"
            vt = act.get("victim_type")
            if vt == "person":
                self.need(act, "victim_person", ap, N_("the victim is a person"))
            elif vt == "organisation":
                self.need(act, "victim_organisation", ap, N_("the victim is an organisation"))
            elif vt == "group":
                self.need(act, "group_description", ap, N_("the victim is a group"))
            if (act.get("gender_at_time") == "not_applicable") != (vt != "person"):
                self.warn(f"{ap}.gender_at_time", N_("gender 'not applicable' is for organisations and groups only"))
            tt = act.get("threat_type")
            if tt in THREAT_NEEDS_CARRIED_OUT:
                self.need(act, "threat_carried_out", ap, N_("for threats, record whether they were carried out"))
            if tt and self.vocab.category_of("threat_type", tt) == "cat_prosecution":
                self.need(act, "case", ap, N_("a prosecution should be linked to its case"))
            self.valid_at("region", act.get("region_at_time"), act.get("act_date"), f"{ap}.region_at_time")
            for j, art in enumerate(act.get("legal_articles", ())):
                self.valid_at("legal_article", art, act.get("act_date"), f"{ap}.legal_articles[{j}]")

    def hearing(self, c: dict, p: str) -> None:
        access = c.get("observer_access")
        if access and not access.startswith("admitted_"):
            self.need(c, "access_notes", p, N_("the monitor was not fully admitted"))
        if c.get("hearing_format") in checklist.ONLINE_FORMATS:
            self.need(c, "link_received", p, N_("the hearing was online"))
        if c.get("outcome") in ("adjourned", "continued"):
            self.need(c, "next_hearing_at", p, N_("the hearing was adjourned or continued"))
        if access not in ("hearing_not_held", "not_attempted") and not checklist.denied(access):
            self.need(c, "actual_start", p, N_("the hearing was held"))
        case = self.lookup("case", c["case"]) if c.get("case") else None
        procedure = case.get("procedure_type") if case else None
        for row in checklist.evaluate(c, procedure):
            ip = f"{p}.checklist.{row.item.code}"
            if row.answer is None:
                self.warn(ip, N_("checklist item not yet answered"))
            elif row.missing_note:
                self.warn(f"{ip}.note", N_("a note is needed for this answer"))

    def medical(self, c: dict, p: str) -> None:
        et = c.get("examination_type") or ""
        if c.get("interpreter_used") == "yes":
            self.need(c, "interpreter_language", p, N_("an interpreter was used"))
        if c.get("informed_consent") == "no":
            self.need(c, "consent_refusal_reason", p, N_("consent was refused"))
        if c.get("subject_restrained") == "yes":
            self.need(c, "restraint_details", p, N_("the person was restrained"))
        if c.get("evaluation_unrestricted") == "no":
            self.need(c, "restriction_details", p, N_("the evaluation was restricted"))
        if et.startswith("ip_"):
            self.need(c, "allegation_summary", p, N_("Istanbul Protocol evaluation"))
            self.need(c, "overall_evaluation_text", p, N_("Istanbul Protocol evaluation"))
        if et == "ip_full":
            self.need(c, "overall_evaluation", p, N_("full Istanbul Protocol evaluation"))
        if et in STATE_EXAM_TYPES:
            self.need(c, "injuries_recorded_by_state_medics", p, N_("examination by state medical staff"))
        if c.get("findings"):
            self.need(c, "physical_consistency_overall", p, N_("there are physical findings"))
        if c.get("psychological_findings"):
            self.need(c, "psychological_consistency_overall", p, N_("there are psychological findings"))
        for i, f in enumerate(c.get("findings", ())):
            fp = f"{p}.findings[{i}]"
            for name in UNFINISHED_FINDING_FIELDS:  # a finding placed on the diagram, not yet described
                self.need(f, name, fp, N_("the finding is not finished"))
            if f.get("consistency") in MIDDLE_CONSISTENCY:
                self.need(f, "alternative_causes", fp, N_("consider other possible causes (Istanbul Protocol)"))
            if f.get("lesion_type") not in (None, "no_visible_finding"):
                self.need(f, "length_mm", fp, N_("the size of a visible lesion"))

    def source(self, c: dict, p: str) -> None:
        pass

    def published_stat(self, c: dict, p: str) -> None:
        if c.get("value") is None and not c.get("value_text"):
            self.need(c, "value", p, N_("a published figure needs its value, or its text when it is not one number"))
        if c.get("period_start") and c.get("period_end") and c["period_end"] < c["period_start"]:
            self.warn(f"{p}.period_end", N_("the period ends before it begins"))
    def detention(self, c: dict, p: str) -> None:
        self.warnings.extend(detentions.warnings(c, p))

    def intervention(self, c: dict, p: str) -> None:
        if c.get("status") == "response_received":
            self.need(c, "response_date", p, N_("a response was received"))

    def attachment(self, c: dict, p: str) -> None:
        if c.get("kind") in ("photo", "video"):
            self.need(c, "consent_recorded", p, N_("photos and videos of a person need recorded consent"))


def check(kind: str, content: dict, path: str = "", lookup: Callable[[str, str], dict | None] | None = None) -> list[Problem]:
    checker = Checker(lookup)
    getattr(checker, kind)(content, path)
    return checker.warnings
