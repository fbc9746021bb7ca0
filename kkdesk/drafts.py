"""Autosaved drafts: unsaved form text kept in the encrypted store, never synced.
The GUI commits a hearing's note line here the moment it is stamped."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kkdesk.clock import now_iso
from kkdesk.db.models import Draft


@dataclass(frozen=True)
class DraftView:
    key: str
    kind: str
    record_id: str | None
    payload: dict
    updated_at: str


def save_draft(session: Session, key: str, kind: str, payload: dict, record_id: str | None = None) -> None:
    session.merge(Draft(key=key, kind=kind, record_id=record_id,
                        payload=json.dumps(payload, ensure_ascii=False), updated_at=now_iso()))


def load_draft(session: Session, key: str) -> DraftView | None:
    d = session.get(Draft, key)
    return DraftView(d.key, d.kind, d.record_id, json.loads(d.payload), d.updated_at) if d else None


def list_drafts(session: Session, kind: str | None = None) -> list[DraftView]:
    stmt = select(Draft).order_by(Draft.updated_at.desc())
    if kind:
        stmt = stmt.where(Draft.kind == kind)
    return [DraftView(d.key, d.kind, d.record_id, json.loads(d.payload), d.updated_at) for d in session.execute(stmt).scalars()]


def delete_draft(session: Session, key: str) -> None:
    session.execute(delete(Draft).where(Draft.key == key))
