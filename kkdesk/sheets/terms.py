"""Cell texts matched to vocabulary terms.

A cell maps to a term when, folded, it equals one of the term's labels (kk, ru, en),
`aliases` or `synonyms` (vocabularies.json): case, `ё`/`е`, Kazakh letters typed with
Russian ones (the folding of search, `kkdesk.searchtext`), spaces and punctuation
around the words do not count. Failing that, a second pass drops the place words
`г.`, `город`, `обл.`, `область`, `облысы`, `қаласы` (and their English kin) on both
sides, and a third pass tries the parts of a label: before a bracket, inside a bracket
("КНБ"), and each side of " / " or ", ". A pass that finds two different terms is
ambiguous: the cell must be listed in the mapping's `values`.

For regions the place word says which term is meant: "г. Алматы" and "Алматы" (no
word) are the city, "Алматинская обл." the region."""

from __future__ import annotations

import re
from functools import lru_cache

from kkdesk.searchtext import _KAZAKH, fold
from kkdesk.vocab import Vocabularies, vocabularies

_CITY_WORDS = ("г", "гор", "город", "қаласы", "қ", "city", "city of")
_REGION_WORDS = ("обл", "область", "облысы", "region", "oblast")
_PLACE = {w: "city" for w in _CITY_WORDS} | {w: "region" for w in _REGION_WORDS}
_WORD = re.compile(r"[\w]+(?:[-'’][\w]+)*")
_BRACKET = re.compile(r"\(([^)]*)\)")
_SPLIT = re.compile(r"\s*(?:/|,|;)\s*")


def fold_text(text: str) -> str:
    """Case, ё/е, Kazakh letters as Russian ones, and only the words (no punctuation)."""
    text = fold(str(text)).casefold().translate(_KAZAKH)
    return " ".join(_WORD.findall(text))


def strip_place(folded: str) -> tuple[str, str | None]:
    """('алматы', 'city') for 'г алматы'; the place word at either end, once."""
    words = folded.split(" ")
    kind = None
    if len(words) > 1 and words[0] in _PLACE:
        kind = _PLACE[words.pop(0)]
    elif len(words) > 1 and words[-1] in _PLACE:
        kind = _PLACE[words.pop()]
    elif len(words) > 2 and " ".join(words[-2:]) in _PLACE:
        kind = _PLACE[" ".join(words[-2:])]
        del words[-2:]
    return " ".join(words), kind


def _parts(label: str) -> list[str]:
    parts = [m.group(1) for m in _BRACKET.finditer(label)]
    bare = _BRACKET.sub(" ", label)
    parts.append(bare)
    parts.extend(_SPLIT.split(bare))
    return [p for p in (fold_text(x) for x in parts) if p]


class TermMatcher:
    """Cell text -> code for one vocabulary; None when unknown, AMBIGUOUS when it is not clear."""

    AMBIGUOUS = "\x00ambiguous"

    def __init__(self, vocab: Vocabularies, name: str, leaf_only: bool = False) -> None:
        self.name = name
        self.exact: dict[str, set[str]] = {}
        self.placed: dict[tuple[str, str | None], set[str]] = {}
        self.parts: dict[str, set[str]] = {}
        for term in vocab.terms(name):
            if leaf_only and term.is_category:
                continue
            texts = [*term.labels.values(), *term.extra.get("aliases", ()), *term.extra.get("synonyms", ()), term.code]
            for text in texts:
                key = fold_text(text)
                if not key:
                    continue
                self.exact.setdefault(key, set()).add(term.code)
                stem, kind = strip_place(key)
                kind = kind or term.extra.get("kind") if name == "region" else kind
                self.placed.setdefault((stem, kind), set()).add(term.code)
                self.placed.setdefault((stem, None), set()).add(term.code)
                for part in _parts(text):
                    self.parts.setdefault(part, set()).add(term.code)
            centre = term.extra.get("admin_center")
            if name == "region" and isinstance(centre, dict) and not term.extra.get("historical"):
                for text in centre.values():  # a city names its region ("г. Уральск" -> West Kazakhstan)
                    key = fold_text(text)
                    if key:
                        self.placed.setdefault((key, "city"), set()).add(term.code)

    def match(self, text: str) -> str | None:
        key = fold_text(text)
        if not key:
            return None
        for found in self._passes(key):
            if found:
                return next(iter(found)) if len(found) == 1 else self.AMBIGUOUS
        return None

    def _passes(self, key: str):
        yield self.exact.get(key)
        stem, kind = strip_place(key)
        if kind is not None:
            yield self.placed.get((stem, kind))
            yield self.placed.get((stem, None))
        else:
            yield self.placed.get((stem, "city")) if self.name == "region" else None
            yield self.placed.get((stem, None))
        yield self.parts.get(key)


@lru_cache(maxsize=None)
def matcher(name: str, leaf_only: bool = False) -> TermMatcher:
    return TermMatcher(vocabularies(), name, leaf_only)


def suggestions(name: str, text: str, lang: str, leaf_only: bool = False, limit: int = 5) -> list[str]:
    """Codes whose labels share the most words (or word beginnings) with `text`, best first."""
    words = set(fold_text(text).split()) - set(_PLACE)
    if not words:
        return []
    scored = []
    for term in vocabularies().terms(name):
        if leaf_only and term.is_category:
            continue
        label_words = set()
        for t in (*term.labels.values(), *term.extra.get("aliases", ()), *term.extra.get("synonyms", ())):
            label_words.update(fold_text(t).split())
        score = 0.0
        for w in words:
            if w in label_words:
                score += 1
            elif len(w) >= 4 and any(lw.startswith(w[:4]) for lw in label_words):
                score += 0.5
        if score:
            scored.append((-score, term.sort, term.code))
    return [code for _, _, code in sorted(scored)[:limit]]
