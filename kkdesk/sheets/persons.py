"""Victims matched without duplicates.

Two names are the same person when their words, folded (case, `ё`/`е`, Kazakh letters
typed with Russian ones) and sorted, are equal — "Жұмабаев Ерлан" and "ерлан жумабаев"
— and, when both sides know it, the birth year agrees. A row's victim is matched first
to a person already in the profile, then to an earlier row of the same import; every
match is listed in the report so that the user can check it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kkdesk.canonical import loads_content
from kkdesk.db.models import Record, Revision
from kkdesk.sheets.terms import fold_text

NAME_FIELDS = {"person": ("name_kk", "name_ru", "name_latin"), "organisation": ("name_kk", "name_ru", "name_en")}


def name_key(name: str) -> str:
    return " ".join(sorted(fold_text(name).replace("-", " ").split()))


def names_of(kind: str, content: dict) -> list[str]:
    out = [content[f] for f in NAME_FIELDS[kind] if content.get(f)]
    if kind == "person":
        out.extend(content.get("name_variants") or ())
    return out


def birth_year(content: dict) -> int | None:
    text = content.get("birth_date")
    return int(text[:4]) if text else None


class Match:
    __slots__ = ("record_id", "record_no", "name", "row")

    def __init__(self, record_id: str, record_no: str | None, name: str, row: int | None) -> None:
        self.record_id, self.record_no, self.name, self.row = record_id, record_no, name, row


class PersonIndex:
    """The profile's persons (or organisations) by name key, loaded once; and the ones
    this import has made so far (key -> id and first row), so later rows find them."""

    def __init__(self, session: Session, kind: str) -> None:
        self.kind = kind
        self.profile: dict[str, list[tuple[str, str | None, int | None, str]]] = {}
        rows = session.execute(select(Record.id, Record.record_no, Revision.content)
                               .join(Revision, Revision.rev_id == Record.head)
                               .where(Record.kind == kind, Record.deleted.is_(False)).order_by(Record.num))
        for rid, record_no, body in rows:
            content = loads_content(body)  # type: ignore[arg-type]
            year = birth_year(content) if kind == "person" else None
            names = names_of(kind, content)
            for key in dict.fromkeys(name_key(n) for n in names):
                if key:
                    self.profile.setdefault(key, []).append((rid, record_no, year, names[0]))
        self.made: dict[tuple[str, int | None], tuple[str, int]] = {}

    def in_profile(self, keys: list[str], year: int | None) -> tuple[Match | None, bool]:
        """(the profile's person with one of these name keys, whether several fit)."""
        found: dict[str, tuple[str, str | None, int | None, str]] = {}
        for key in keys:
            for entry in self.profile.get(key, ()):
                if year is None or entry[2] is None or entry[2] == year:
                    found.setdefault(entry[0], entry)
        if not found:
            return None, False
        exact = [e for e in found.values() if year is not None and e[2] == year] or list(found.values())
        rid, record_no, _, name = exact[0]
        return Match(rid, record_no, name, None), len(exact) > 1

    def earlier(self, keys: list[str], year: int | None) -> tuple[str, int] | None:
        for key in keys:
            hit = self.made.get((key, year)) or (self.made.get((key, None)) if year is not None else None)
            if hit:
                return hit
        return None

    def remember(self, keys: list[str], year: int | None, record_id: str, row: int) -> None:
        for key in keys:
            self.made.setdefault((key, year), (record_id, row))
