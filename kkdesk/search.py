"""Full-text search over every live record (SQLite FTS5 inside the encrypted store)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from kkdesk.db.fts import FTS_TABLE
from kkdesk.searchtext import fold

_TOKEN_RE = re.compile(r"[\w\-]+\*?", re.UNICODE)


@dataclass(frozen=True)
class Hit:
    kind: str
    id: str
    record_no: str | None
    title: str
    snippet: str

    def as_dict(self) -> dict:
        return {"kind": self.kind, "id": self.id, "record_no": self.record_no, "title": self.title, "snippet": self.snippet}


def fts_query(query: str, prefix_last: bool = False) -> str | None:
    """User words -> an FTS5 query: every word must match (AND); `word*` is a prefix.
    With `prefix_last` (search as you type) the last word is a prefix too. Quotes
    keep FTS5 operators in user text from being interpreted."""
    tokens = _TOKEN_RE.findall(fold(query))
    parts = []
    for i, tok in enumerate(tokens):
        star = tok.endswith("*") or (prefix_last and i == len(tokens) - 1)
        word = tok.rstrip("*").replace('"', "")
        for piece in (p for p in re.split(r"[-_]+", word) if p):
            parts.append(f'"{piece}"' + ("*" if star else ""))
    return " AND ".join(parts) if parts else None


LINKED_NAMES = 200  # persons and organisations a linked search follows


def search(session: Session, query: str, *, limit: int = 50, kinds: list[str] | None = None,
           prefix_last: bool = False, linked: bool = False) -> list[Hit]:
    """Hits, newest records first. Ranking every match by relevance would make common
    words slow at a million records; recency is what monitors look for.

    `linked` (a list of one kind): also the records that name a person or organisation
    the query finds — the threats of a victim found by name — after the direct hits.
    Resolved at query time, so a renamed person is found by the new name at once."""
    hits = _search(session, query, limit=limit, kinds=kinds, prefix_last=prefix_last)
    if not linked or not kinds or len(hits) >= limit:
        return hits
    names = _search(session, query, limit=LINKED_NAMES, kinds=["person", "organisation"], prefix_last=prefix_last)
    if not names:
        return hits
    from kkdesk.references import referencing

    by_id = {h.id: h for h in names}
    seen = {h.id for h in hits}
    found = referencing(session, by_id, targets=("person", "organisation"), kinds=kinds) - seen
    if not found:
        return hits
    from kkdesk.db.models import Record
    from sqlalchemy import select

    rows = session.execute(select(Record.kind, Record.id, Record.record_no, Record.title, Record.num).where(
        Record.id.in_(sorted(found)), Record.deleted.is_(False)).order_by(Record.num.desc()).limit(limit - len(hits)))
    return hits + [Hit(kind, rid, no, title, "") for kind, rid, no, title, _num in rows]


def _search(session: Session, query: str, *, limit: int, kinds: list[str] | None, prefix_last: bool) -> list[Hit]:
    q = fts_query(query, prefix_last)
    if q is None:
        return []
    kind_filter = ""
    params: dict = {"q": q, "limit": limit}
    if kinds:
        kind_filter = " AND r.kind IN (" + ",".join(f":k{i}" for i in range(len(kinds))) + ")"
        params.update({f"k{i}": k for i, k in enumerate(kinds)})
    sql = (
        f"SELECT r.kind, r.id, r.record_no, r.title, snippet({FTS_TABLE}, -1, '[', ']', '…', 12) "
        f"FROM {FTS_TABLE} JOIN record r ON r.num = {FTS_TABLE}.rowid "
        f"WHERE {FTS_TABLE} MATCH :q{kind_filter} ORDER BY {FTS_TABLE}.rowid DESC LIMIT :limit"
    )
    return [Hit(*row) for row in session.execute(text(sql), params)]
