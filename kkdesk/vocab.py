"""Controlled vocabularies (codes with kk/ru/en labels) from resources/vocabularies.json."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable

from kkdesk.resources import read_json


@dataclass(frozen=True)
class Term:
    vocabulary: str
    code: str
    labels: dict[str, str]
    parent: str | None = None
    is_category: bool = False
    sort: int = 0
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def label(self, lang: str) -> str:
        return self.labels.get(lang) or self.labels.get("en") or self.code


class Vocabularies:
    def __init__(self, data: dict[str, Any]) -> None:
        self._terms: dict[str, dict[str, Term]] = {}
        for name, terms in data.items():
            if name.startswith("_"):
                continue
            table: dict[str, Term] = {}
            for i, raw in enumerate(terms):
                extra = {k: v for k, v in raw.items() if k not in {"code", "en", "ru", "kk", "parent", "is_category", "sort"}}
                table[raw["code"]] = Term(
                    vocabulary=name,
                    code=raw["code"],
                    labels={k: raw[k] for k in ("kk", "ru", "en") if k in raw},
                    parent=raw.get("parent") or None,
                    is_category=bool(raw.get("is_category")),
                    sort=int(raw.get("sort", i)),
                    extra=extra,
                )
            self._terms[name] = table
        self.review = data.get("_review", {})

    def names(self) -> list[str]:
        return list(self._terms)

    def has(self, vocabulary: str) -> bool:
        return vocabulary in self._terms

    def terms(self, vocabulary: str) -> list[Term]:
        return list(self._terms[vocabulary].values())

    def get(self, vocabulary: str, code: str) -> Term | None:
        return self._terms.get(vocabulary, {}).get(code)

    def label(self, vocabulary: str, code: str | None, lang: str) -> str:
        if code is None:
            return ""
        term = self.get(vocabulary, code)
        return term.label(lang) if term else code

    def leaves(self, vocabulary: str) -> list[Term]:
        return [t for t in self.terms(vocabulary) if not t.is_category]

    def children(self, vocabulary: str, parent: str) -> list[Term]:
        return [t for t in self.terms(vocabulary) if t.parent == parent]

    def category_of(self, vocabulary: str, code: str) -> str | None:
        term = self.get(vocabulary, code)
        while term is not None and term.parent:
            parent = self.get(vocabulary, term.parent)
            if parent is None or parent.is_category:
                return term.parent
            term = parent
        return None

    def codes(self, vocabulary: str) -> Iterable[str]:
        return self._terms[vocabulary].keys()


@lru_cache(maxsize=1)
def vocabularies() -> Vocabularies:
    return Vocabularies(read_json("vocabularies.json"))


def label(vocabulary: str, code: str | None, lang: str) -> str:
    return vocabularies().label(vocabulary, code, lang)
