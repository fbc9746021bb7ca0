"""What a revision holds, read from the store: its content, a content lookup for rules
and defaults, and the projection's form of a record's warnings. Below both `records`
(which writes revisions) and `sync.merge` (which re-projects after a fork or an
import), so neither has to import the other to read."""

from __future__ import annotations

import json
from typing import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from kkdesk.canonical import loads_content
from kkdesk.db.models import Record, Revision
from kkdesk.errors import Problem


def warnings_json(warnings: Iterable[Problem]) -> str | None:
    items = [{"path": w.path, "message": w.message, "params": w.params} for w in warnings]
    return json.dumps(items, ensure_ascii=False) if items else None


def content_of(session: Session, rev_id: str) -> dict:
    body = session.execute(select(Revision.content).where(Revision.rev_id == rev_id)).scalar()
    return loads_content(body) if body else {}


def lookup_content(session: Session):
    """A `lookup(kind, id)` for rules and defaults, reading current contents."""
    cache: dict[str, dict | None] = {}

    def lookup(kind: str, record_id: str) -> dict | None:
        if record_id not in cache:
            rec = session.execute(select(Record.head, Record.kind, Record.deleted).where(Record.id == record_id)).first()
            cache[record_id] = content_of(session, rec.head) if rec is not None and not rec.deleted else None
        return cache[record_id]

    return lookup
