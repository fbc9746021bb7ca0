"""The fair-trial checklist (SPEC §4, §7 rule 4): which items apply to a hearing,
what the program pre-sets, which answers signal a concern and need a note.

Only answers a person set are stored; defaults are computed here, so a default
never demands a note."""

from __future__ import annotations

from dataclasses import dataclass

from kkdesk.vocab import Term, vocabularies

ONLINE_FORMATS = {"online", "mixed"}
CLOSED_FORMATS = {"closed", "semi_closed_video_room"}
DECISION_OUTCOMES = {
    "verdict_guilty", "verdict_acquittal", "admin_penalty_imposed", "case_terminated", "plea_agreement_approved",
    "claim_granted", "claim_partly_granted", "claim_dismissed", "upheld_on_appeal", "modified_on_appeal", "quashed",
    "sent_for_retrial", "detention_sanctioned", "detention_refused", "early_release_refused",
}
VERDICT_OUTCOMES = {"verdict_guilty", "verdict_acquittal", "plea_agreement_approved", "modified_on_appeal", "upheld_on_appeal"}
OUT_OF_COURT_ITEMS = {"A01_schedule_published", "A11_supporters_intimidated"}


def items() -> list[Term]:
    return sorted(vocabularies().terms("fair_trial_item"), key=lambda t: t.sort)


def groups() -> list[Term]:
    return vocabularies().terms("fair_trial_group")


def denied(observer_access: str | None) -> bool:
    return observer_access is not None and (observer_access.startswith("denied_") or observer_access == "hearing_not_held")


def applies(item: Term, hearing: dict, procedure_type: str | None) -> bool:
    code = item.code
    applies_to = item.extra.get("applies_to")
    if procedure_type and applies_to and procedure_type not in applies_to:
        return False
    fmt = hearing.get("hearing_format")
    outcome = hearing.get("outcome")
    if code in ("A05_online_consent", "A06_online_av_quality", "A08_official_connection"):
        return fmt in ONLINE_FORMATS
    if code == "A09_video_room_adequate":
        return fmt == "semi_closed_video_room"
    if code == "A04_closure_justified":
        return fmt in CLOSED_FORMATS
    if code.startswith("F0") and code != "F05_ban_public_activity_imposed":
        return outcome in DECISION_OUTCOMES
    if code == "F05_ban_public_activity_imposed":
        return outcome in VERDICT_OUTCOMES
    if code in ("E02_allegation_investigated", "E03_tainted_evidence_excluded"):
        e01 = (hearing.get("checklist") or {}).get("E01_torture_alleged", {}).get("answer")
        return e01 in (None, "yes", "unknown")
    return True


def default_answer(item: Term, hearing: dict, procedure_type: str | None) -> str | None:
    """What the program pre-sets: n.a. where the item does not apply; `unknown` for
    in-court items when the monitor was kept out; otherwise nothing (to be answered)."""
    if not applies(item, hearing, procedure_type):
        return "not_applicable"
    if denied(hearing.get("observer_access")) and item.code not in OUT_OF_COURT_ITEMS:
        return "unknown"
    return None


def is_concern(item: Term, answer: str | None) -> bool:
    return answer is not None and answer == item.extra.get("concern_if")


def needs_note(item: Term, answer: str | None) -> bool:
    """A note is required when the answer a person set signals a concern or is unknown."""
    return answer is not None and (answer == "unknown" or is_concern(item, answer))


@dataclass(frozen=True)
class Row:
    item: Term
    answer: str | None      # effective answer (set or default)
    note: str | None
    set_by_user: bool
    concern: bool
    missing_note: bool


def evaluate(hearing: dict, procedure_type: str | None) -> list[Row]:
    stored = hearing.get("checklist") or {}
    rows = []
    for item in items():
        entry = stored.get(item.code)
        if entry:
            answer, note, user = entry.get("answer"), entry.get("note"), True
        else:
            answer, note, user = default_answer(item, hearing, procedure_type), None, False
        rows.append(Row(item, answer, note, user, is_concern(item, answer),
                        user and needs_note(item, answer) and not note))
    return rows
