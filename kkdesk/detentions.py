"""Detention episodes (SPEC §3.8): the safeguard checklist of §4.2, the time limits
of rule §7.8 and what the sheets print of an episode.

All time limits run from the actual detention (S1 §30): the protocol must be drawn up
within 3 hours (CPC art. 131.2, S1 §31) and the person brought before a judge within
48 hours (CPC art. 14.2, S1 §32). Only answers a person set are stored; an item not
answered is simply unknown to the program, never a concern."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kkdesk.checklist import is_concern, needs_note  # the same rule as the fair-trial checklist's
from kkdesk.errors import Problem
from kkdesk.i18n import N_
from kkdesk.vocab import Term, vocabularies

PROTOCOL_LIMIT_HOURS = 3
JUDGE_LIMIT_HOURS = 48
JUDGE_ITEM = "DS19_judge_within_48h"
# legal bases under which the person is already held on a judge's decision (or not held
# by the police at all): the 48-hour limit does not apply
JUDICIAL_BASES = {"pretrial_custody", "administrative_arrest", "serving_sentence"}
# precision of actual_detention_at under which its time of day is known well enough
TIMED_PRECISIONS = (None, "day")


def items() -> list[Term]:
    voc = vocabularies()
    return sorted(voc.terms("detention_safeguard"), key=lambda t: (t.sort, t.code))


def parse(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def hours_between(start: str | None, end: str | None) -> float | None:
    a, b = parse(start), parse(end)
    if a is None or b is None or a.tzinfo is None or b.tzinfo is None:
        return None
    return (b - a).total_seconds() / 3600


@dataclass(frozen=True)
class Row:
    item: Term
    answer: str | None
    note: str | None
    concern: bool
    missing_note: bool


def evaluate(content: dict) -> list[Row]:
    """Every safeguard item with its answer (None when not answered)."""
    stored = content.get("safeguards") or {}
    rows = []
    for item in items():
        entry = stored.get(item.code) or {}
        answer, note = entry.get("answer"), entry.get("note")
        rows.append(Row(item, answer, note, is_concern(item, answer), needs_note(item, answer) and not note))
    return rows


def concerns(content: dict) -> list[Row]:
    return [r for r in evaluate(content) if r.concern]


@dataclass(frozen=True)
class Limit:
    """A time limit of rule §7.8 that the episode exceeded."""

    path: str       # field the warning is attached to
    message: str    # msgid with %(hours)s
    hours: float | None


PROTOCOL_LATE = N_("the protocol records the detention %(hours)s h after the actual detention "
                   "(the protocol must be drawn up within 3 h)")
NO_JUDGE = N_("held %(hours)s h without being brought before a judge (limit: 48 h)")
NO_JUDGE_ANSWERED = N_("not brought before a judge within 48 h")


def exceeded_limits(content: dict) -> list[Limit]:
    """Rule §7.8: protocol time more than 3 h after the actual detention; more than
    48 h in detention without a judge."""
    out: list[Limit] = []
    timed = content.get("actual_detention_precision") in TIMED_PRECISIONS
    start = content.get("actual_detention_at")
    gap = hours_between(start, content.get("protocol_detention_time")) if timed else None
    if gap is not None and gap > PROTOCOL_LIMIT_HOURS:
        out.append(Limit("protocol_detention_time", PROTOCOL_LATE, gap))
    if content.get("legal_basis") in JUDICIAL_BASES:
        return out
    judge = ((content.get("safeguards") or {}).get(JUDGE_ITEM) or {}).get("answer")
    held = hours_between(start, content.get("released_at")) if timed else None
    if held is not None and held > JUDGE_LIMIT_HOURS and judge != "yes":
        out.append(Limit("released_at", NO_JUDGE, held))
    elif judge == "no":
        out.append(Limit(f"safeguards.{JUDGE_ITEM}", NO_JUDGE_ANSWERED, None))
    return out


def format_hours(hours: float) -> str:
    """'3.5' for 3 h 30 min, '26' for whole hours: the warnings' figure."""
    rounded = round(hours, 1)
    return str(int(rounded)) if rounded == int(rounded) else str(rounded)


def warnings(content: dict, path: str) -> list[Problem]:
    """The §7.8 limits and the safeguard notes a concern or `unknown` needs (rules.py)."""
    prefix = f"{path}." if path else ""
    out = [Problem(f"{prefix}{lim.path}", lim.message,
                   **({"hours": format_hours(lim.hours)} if lim.hours is not None else {}))
           for lim in exceeded_limits(content)]
    for row in evaluate(content):
        if row.missing_note:
            out.append(Problem(f"{prefix}safeguards.{row.item.code}.note", N_("a note is needed for this answer")))
    return out


RELEASE_BEFORE_DETENTION = N_("the release (%(released)s) is before the detention (%(detained)s)")


def errors(content: dict, path: str) -> list[Problem]:
    """Bad input refused on save and import: a release before the detention."""
    prefix = f"{path}." if path else ""
    held = hours_between(content.get("actual_detention_at"), content.get("released_at"))
    if held is not None and held < 0:
        return [Problem(f"{prefix}released_at", RELEASE_BEFORE_DETENTION,
                        released=content["released_at"], detained=content["actual_detention_at"])]
    return []
