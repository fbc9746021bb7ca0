"""Possible duplicates (SPEC §7.11): threat incidents with an act of the same victim,
the same threat type and dates within ±2 days; persons whose names match once
case, `ё`/`е`, Kazakh letters typed with Russian ones, the order of surname and
first name and one mistyped letter are set aside, and whose birth years do not
differ.

Nothing here compares all pairs: acts are grouped by (victim, type) and walked in
date order; names go into a blocking index of their sorted words and of every
variant with one letter left out (a "symmetric delete" index), so two names one
edit apart meet under one key. A single record (on save, on import) is checked
against the store through indexed lookups: the act table's victim index, and the
full-text index for names (with at most one word mistyped, another word of a
name of two or more words matches exactly)."""

from __future__ import annotations

import calendar
import itertools
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Iterable

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from kkdesk.db.fts import FTS_TABLE
from kkdesk.db.models import ENTITY_TABLES as T, Record, rows_of_record
from kkdesk.errors import Problem
from kkdesk.i18n import N_
from kkdesk.searchtext import fold, nfc, plain_letters

_KAZAKH_AS_RUSSIAN = str.maketrans("әғқңөұүһі", "агкноуухи")

WINDOW_DAYS = 2
MIN_TYPO_WORD = 4  # a mistyped letter counts only in words this long ("Ли"/"Ми" are two people)
NAME_FIELDS = ("name_kk", "name_ru", "name_latin")
_WORD = re.compile(r"\w+")
_PATRONYMIC = re.compile(r"(ович|евич|овна|евна|ична|инична|улы|уулу|кызы)$")
FTS_CANDIDATES = 5000

REASONS = {
    "same_name": N_("the same name"),
    "spelling": N_("names differing only in case, ё/е or Kazakh letters"),
    "name_order": N_("surname and first name in another order"),
    "one_letter": N_("names one letter apart"),
    "same_birth_year": N_("the same birth year"),
    "same_victim": N_("the same victim"),
    "same_threat_type": N_("the same threat type"),
    "dates_within_2_days": N_("dates within two days"),
}
POSSIBLE_DUPLICATE = N_("possible duplicate of %(no)s")


@dataclass(frozen=True)
class Pair:
    kind: str  # "person" | "threat"
    a: str     # record ids, a the older record
    b: str
    reasons: tuple[str, ...]

    def as_dict(self) -> dict:
        return {"kind": self.kind, "a": self.a, "b": self.b, "reasons": list(self.reasons)}


# --- names --------------------------------------------------------------------------

def name_words(name: str) -> tuple[str, ...]:
    """The words of a name as compared: folded, patronymics left out (when two words remain)."""
    words = _WORD.findall(plain_letters(name))
    kept = [w for w in words if not _PATRONYMIC.search(w)]
    return tuple(kept if len(kept) >= 2 else words)


def _deletes(words: tuple[str, ...]) -> set[str]:
    out: set[str] = set()
    for i, w in enumerate(words):
        if len(w) < MIN_TYPO_WORD:
            continue
        for j in range(len(w)):
            changed = words[:i] + (w[:j] + w[j + 1:],) + words[i + 1:]
            out.add(" ".join(sorted(changed)))
    return out


def _one_edit(x: str, y: str) -> bool:
    """Levenshtein distance 1, or two neighbouring letters swapped."""
    if x == y or abs(len(x) - len(y)) > 1 or min(len(x), len(y)) < MIN_TYPO_WORD - 1:
        return False
    if len(x) == len(y):
        diff = [i for i in range(len(x)) if x[i] != y[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and x[diff[0]] == y[diff[1]]
                                  and x[diff[1]] == y[diff[0]])
    if len(x) > len(y):
        x, y = y, x
    return any(y[:i] + y[i + 1:] == x for i in range(len(y)))


def compare_names(a: tuple[str, ...], b: tuple[str, ...]) -> str | None:
    """How two folded names match: "same_name", "name_order", "one_letter" or None."""
    if len(a) != len(b) or len(a) < 2:
        return None
    if a == b:
        return "same_name"
    if sorted(a) == sorted(b):
        return "name_order"
    perms = itertools.permutations(b) if len(b) <= 4 else [tuple(sorted(b))]
    base = a if len(a) <= 4 else tuple(sorted(a))
    for p in perms:
        diff = [(x, y) for x, y in zip(base, p) if x != y]
        if len(diff) == 1 and _one_edit(*diff[0]):
            return "one_letter"
    return None


@dataclass
class _Person:
    id: str
    num: int
    record_no: str | None
    raw: list[str]
    names: list[tuple[str, ...]] = field(default_factory=list)
    birth_year: str | None = None


def _person(rid: str, num: int, no: str | None, row: dict) -> _Person:
    raw = [row[k] for k in NAME_FIELDS if row.get(k)]
    variants = row.get("name_variants")
    if isinstance(variants, str):
        try:
            variants = json.loads(variants)
        except ValueError:
            variants = []
    raw += [v for v in variants or () if isinstance(v, str) and v]
    names = list(dict.fromkeys(w for w in (name_words(n) for n in raw) if len(w) >= 2))
    birth = row.get("birth_date")
    return _Person(rid, num, no, raw, names, birth[:4] if birth else None)


def _person_reasons(p: _Person, q: _Person) -> tuple[str, ...] | None:
    if p.birth_year and q.birth_year and p.birth_year != q.birth_year:
        return None
    best = None
    rank = {"same_name": 0, "name_order": 1, "one_letter": 2}
    for x in p.names:
        for y in q.names:
            how = compare_names(x, y)
            if how is not None and (best is None or rank[how] < rank[best]):
                best = how
    if best is None:
        return None
    reasons = [best]
    if best == "same_name" and not {nfc(n).strip() for n in p.raw} & {nfc(n).strip() for n in q.raw}:
        reasons = ["spelling"]
    if p.birth_year and p.birth_year == q.birth_year:
        reasons.append("same_birth_year")
    return tuple(reasons)


_PERSON_COLS = ("name_kk", "name_ru", "name_latin", "name_variants", "birth_date")


def _person_rows(session: Session, ids: Iterable[str] | None = None):
    t = T["person"]
    stmt = select(Record.id, Record.num, Record.record_no, *[t.c[c] for c in _PERSON_COLS]).join(
        t, t.c.id == Record.id).where(Record.deleted.is_(False))
    if ids is None:
        yield from session.execute(stmt)
        return
    ids = list(ids)
    for i in range(0, len(ids), 500):
        yield from session.execute(stmt.where(Record.id.in_(ids[i:i + 500])))


def _load_persons(session: Session, ids: Iterable[str] | None = None) -> list[_Person]:
    return [_person(r[0], r[1], r[2], dict(zip(_PERSON_COLS, r[3:]))) for r in _person_rows(session, ids)]


def _ordered(kind: str, p, q, reasons: tuple[str, ...]) -> Pair:
    first, second = (p, q) if p.num < q.num else (q, p)
    return Pair(kind, first.id, second.id, reasons)


def person_pairs(session: Session) -> list[Pair]:
    """Every candidate pair of live persons, via the blocking index."""
    persons = _load_persons(session)
    index: dict[str, set[int]] = defaultdict(set)
    for n, p in enumerate(persons):
        for words in p.names:
            index[" ".join(sorted(words))].add(n)
            for key in _deletes(words):
                index[key].add(n)
    seen: set[tuple[int, int]] = set()
    pairs: list[Pair] = []
    for members in index.values():
        if len(members) < 2:
            continue
        for i, j in itertools.combinations(sorted(members), 2):
            if (i, j) in seen:
                continue
            seen.add((i, j))
            reasons = _person_reasons(persons[i], persons[j])
            if reasons:
                pairs.append(_ordered("person", persons[i], persons[j], reasons))
    return pairs


def _fts_person_candidates(session: Session, person: _Person) -> set[str]:
    """Persons the full-text index offers: for each name, every word but one exactly and
    the remaining one by its first two letters (a mistyped letter is then matched, unless
    it is one of the first two), in any order."""
    spelled: dict[str, set[str]] = {}
    for n in person.raw:
        for w in _WORD.findall(fold(n).casefold()):
            spelled.setdefault(w.translate(_KAZAKH_AS_RUSSIAN), set()).add(w)
    alternatives = []
    for name in person.names:
        words = [" OR ".join(f'"{x}"' for x in sorted({w} | spelled.get(w, set()))) for w in name]
        for i, w in enumerate(name):
            exact = [f"({words[j]})" for j in range(len(name)) if j != i]
            alternatives.append(" AND ".join(exact + [f'"{w[:2]}"*']))
    if not alternatives:
        return set()
    q = " OR ".join(f"({a})" for a in alternatives)
    sql = (f"SELECT r.id FROM {FTS_TABLE} JOIN record r ON r.num = {FTS_TABLE}.rowid "
           f"WHERE {FTS_TABLE} MATCH :q AND r.kind = 'person' AND r.deleted = 0 LIMIT :limit")
    return {rid for (rid,) in session.execute(text(sql), {"q": q, "limit": FTS_CANDIDATES})}


def persons_like(session: Session, record_id: str) -> list[Pair]:
    """Candidate duplicates of one person (indexed: the full-text index, then a check)."""
    found = _load_persons(session, [record_id])
    if not found:
        return []
    me = found[0]
    others = _load_persons(session, _fts_person_candidates(session, me) - {record_id})
    out = []
    for other in others:
        reasons = _person_reasons(me, other)
        if reasons:
            out.append(_ordered("person", me, other, reasons))
    return sorted(out, key=lambda p: (p.a, p.b))


# --- threats ------------------------------------------------------------------------

def date_span(value: str | None) -> tuple[date, date] | None:
    """The days a (partial) date may mean: '2024-05' is 1–31 May."""
    if not value:
        return None
    try:
        parts = [int(x) for x in value[:10].split("-")]
        if len(parts) == 3:
            d = date(*parts)
            return d, d
        if len(parts) == 2:
            return date(parts[0], parts[1], 1), date(parts[0], parts[1], calendar.monthrange(*parts)[1])
        return date(parts[0], 1, 1), date(parts[0], 12, 31)
    except (ValueError, TypeError):
        return None


@dataclass(frozen=True)
class _Act:
    id: str  # the incident's
    num: int
    victim: str
    threat_type: str
    span: tuple[date, date]


def _act_rows(session: Session, where) -> list[_Act]:
    a = T["threat_act"]
    stmt = select(a.c.parent_id, Record.num, a.c.victim_person, a.c.victim_organisation, a.c.threat_type,
                  a.c.act_date, a.c.act_date_precision).join(Record, Record.id == a.c.parent_id).where(
        Record.deleted.is_(False), a.c.threat_type.is_not(None), where)
    out = []
    for tid, num, vp, vo, ttype, when, precision in session.execute(stmt):
        victim = vp or vo
        span = None if precision == "unknown" else date_span(when)
        if victim and span:
            out.append(_Act(tid, num, victim, ttype, span))
    return out


def _near(x: _Act, y: _Act) -> bool:
    gap = timedelta(days=WINDOW_DAYS)
    return x.span[0] - gap <= y.span[1] and y.span[0] - gap <= x.span[1]


THREAT_REASONS = ("same_victim", "same_threat_type", "dates_within_2_days")


def threat_pairs(session: Session) -> list[Pair]:
    """Every candidate pair of live incidents: acts grouped by (victim, type), walked by date."""
    groups: dict[tuple[str, str], list[_Act]] = defaultdict(list)
    for act in _act_rows(session, (T["threat_act"].c.victim_person.is_not(None))
                         | (T["threat_act"].c.victim_organisation.is_not(None))):
        groups[(act.victim, act.threat_type)].append(act)
    found: dict[tuple[str, str], Pair] = {}
    gap = timedelta(days=WINDOW_DAYS)
    for acts in groups.values():
        acts.sort(key=lambda x: x.span[0])
        for i, x in enumerate(acts):
            reach = x.span[1] + gap
            for y in acts[i + 1:]:
                if y.span[0] > reach:
                    break
                if y.id != x.id:
                    pair = _ordered("threat", x, y, THREAT_REASONS)
                    found.setdefault((pair.a, pair.b), pair)
    return list(found.values())


def threats_like(session: Session, record_id: str) -> list[Pair]:
    """Candidate duplicates of one incident (indexed by victim)."""
    a = T["threat_act"]
    num = session.execute(select(Record.num).where(Record.id == record_id)).scalar()
    mine = _act_rows(session, rows_of_record(a, num)) if num is not None else []
    if not mine:
        return []
    victims = sorted({x.victim for x in mine})
    others = _act_rows(session, (a.c.victim_person.in_(victims) | a.c.victim_organisation.in_(victims))
                       & (a.c.parent_id != record_id))
    found: dict[tuple[str, str], Pair] = {}
    for x in mine:
        for y in others:
            if y.victim == x.victim and y.threat_type == x.threat_type and _near(x, y):
                pair = _ordered("threat", x, y, THREAT_REASONS)
                found.setdefault((pair.a, pair.b), pair)
    return sorted(found.values(), key=lambda p: (p.a, p.b))


# --- services -----------------------------------------------------------------------

def find_pairs(session: Session, kinds: Iterable[str] = ("person", "threat")) -> list[Pair]:
    """Candidate pairs of the given kinds, ordered by kind and by the records' order in the store."""
    nums = {}
    out: list[Pair] = []
    for kind in kinds:
        pairs = person_pairs(session) if kind == "person" else threat_pairs(session)
        out.extend(pairs)
    ids = {i for p in out for i in (p.a, p.b)}
    for chunk in _chunks(sorted(ids)):
        nums.update(dict(session.execute(select(Record.id, Record.num).where(Record.id.in_(chunk))).all()))
    order = {"person": 0, "threat": 1}
    return sorted(out, key=lambda p: (order[p.kind], nums.get(p.a, 0), nums.get(p.b, 0)))


def _chunks(items: list, n: int = 500):
    for i in range(0, len(items), n):
        yield items[i:i + n]


def warnings_for(session: Session, kind: str, record_id: str, path: str = "") -> list[Problem]:
    """"possible duplicate of TI-…" warnings for one saved record (shown, not stored)."""
    if kind == "person":
        pairs = persons_like(session, record_id)
    elif kind == "threat":
        pairs = threats_like(session, record_id)
    else:
        return []
    others = [p.b if p.a == record_id else p.a for p in pairs]
    numbers = dict(session.execute(select(Record.id, Record.record_no).where(Record.id.in_(others))).all()) if others else {}
    labels = sorted(numbers.get(o) or o for o in others)
    return [Problem(path, POSSIBLE_DUPLICATE, no=no) for no in labels]


def reason_texts(reasons: Iterable[str], gettext=None) -> list[str]:
    from kkdesk.i18n import _ as default_gettext

    g = gettext or default_gettext
    return [g(REASONS.get(r, r)) for r in reasons]


FEW = 200  # more imported records of a kind than this: one pass over the store beats lookups


def import_warnings(session: Session, written: Iterable[tuple[str, str, str]]) -> list[Problem]:
    """Warnings for the records an import wrote: (kind, id, path) of each."""
    by_kind: dict[str, dict[str, str]] = defaultdict(dict)
    for kind, rid, path in written:
        if kind in ("person", "threat"):
            by_kind[kind][rid] = path
    out: list[Problem] = []
    for kind, paths in by_kind.items():
        if len(paths) <= FEW:
            for rid, path in paths.items():
                out.extend(warnings_for(session, kind, rid, path))
            continue
        pairs = person_pairs(session) if kind == "person" else threat_pairs(session)
        others = {i for p in pairs for i in (p.a, p.b)}
        numbers: dict[str, str | None] = {}
        for chunk in _chunks(sorted(others)):
            numbers.update(dict(session.execute(select(Record.id, Record.record_no).where(Record.id.in_(chunk))).all()))
        for p in pairs:
            for me, other in ((p.a, p.b), (p.b, p.a)):
                if me in paths:
                    out.append(Problem(paths[me], POSSIBLE_DUPLICATE, no=numbers.get(other) or other))
    return out
