"""Heads of a record and its projection after foreign revisions arrived.

The history is a set of content-addressed revisions; a record's **heads** are its
held revisions that no other held revision names as a parent. One head: the record
is that revision. Several heads: both sides changed the record since their common
revision — a conflict, every version kept. The heads are a function of the set of
revisions held, never of the order they arrived in, so importing bundles in any
order gives the same heads. While a record is in conflict the projection shows one
head chosen the same way on every machine: a live version before a tombstone (a
concurrent delete never hides an edit), then the newest `created_at`, then the
highest revision id."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kkdesk import rules
from kkdesk import schema as S
from kkdesk.canonical import loads_content
from kkdesk.db.models import Head, Record, Revision, Seal
from kkdesk.i18n import N_
from kkdesk.project import Projector
from kkdesk.contents import lookup_content, warnings_json
from kkdesk.sync.errors import BundleConsistencyError

BATCH = 500


@dataclass(frozen=True)
class RevMeta:
    rev_id: str
    record_id: str
    kind: str
    parents: tuple[str, ...]
    deleted: bool
    author: str
    created_at: str


def heads_of(revs: Iterable[RevMeta]) -> list[RevMeta]:
    revs = list(revs)
    named = {p for r in revs for p in r.parents}
    return sorted((r for r in revs if r.rev_id not in named), key=lambda r: r.rev_id)


def shown(heads: list[RevMeta]) -> RevMeta:
    """The head the projection shows: deterministic on every machine."""
    return max(heads, key=lambda r: (not r.deleted, r.created_at, r.rev_id))


def root(revs: list[RevMeta]) -> RevMeta:
    """Where the record began (for created_at/created_by): the oldest parentless revision."""
    roots = [r for r in revs if not r.parents] or revs
    return min(roots, key=lambda r: (r.created_at, r.rev_id))


def _record_no(conn, revs: list[RevMeta]) -> str | None:
    live = [r.rev_id for r in revs if not r.deleted]
    if not live:
        return None
    body = conn.execute(select(Revision.content).where(Revision.rev_id == live[0])).scalar()
    value = loads_content(body).get("record_no") if body else None
    return value if isinstance(value, str) else None


def _chunks(items: list, n: int = BATCH):
    for i in range(0, len(items), n):
        yield items[i:i + n]


@dataclass
class Outcome:
    status: str  # "new" | "updated" | "unchanged"
    conflict: bool


def reproject(session: Session, record_ids: Iterable[str]) -> dict[str, Outcome]:
    """Recompute heads of these records and re-project the ones whose heads changed.
    Records are handled kind by kind in schema order, so titles and rules that look
    up referenced records (a hearing's case) see them already projected."""
    ids = sorted(set(record_ids))
    conn = session.connection()
    outcomes: dict[str, Outcome] = {}
    revs_by_record: dict[str, list[RevMeta]] = defaultdict(list)
    for part in _chunks(ids):
        stmt = select(Revision.rev_id, Revision.record_id, Revision.kind, Revision.parents, Revision.deleted,
                      Revision.author, Revision.created_at).where(Revision.record_id.in_(part))
        for rid, rec_id, kind, parents, deleted, author, created in conn.execute(stmt):
            revs_by_record[rec_id].append(RevMeta(rid, rec_id, kind, tuple(json.loads(parents)), bool(deleted),
                                                  author, created))
    by_kind: dict[str, list[str]] = defaultdict(list)
    for rec_id in ids:
        revs = revs_by_record.get(rec_id)
        if not revs:
            continue
        kinds = {r.kind for r in revs}
        if len(kinds) != 1:
            raise BundleConsistencyError(N_("The record %(id)s has revisions of different kinds; nothing was imported."),
                                         id=rec_id)
        by_kind[kinds.pop()].append(rec_id)
    order = list(S.TOP_LEVEL) + sorted(k for k in by_kind if k not in S.TOP_LEVEL)
    for kind in order:
        for part in _chunks(by_kind.get(kind, [])):
            outcomes.update(_reproject_part(session, kind, part, revs_by_record))
    return outcomes


def _reproject_part(session: Session, kind: str, part: list[str], revs_by_record: dict[str, list[RevMeta]]) -> dict[str, Outcome]:
    conn = session.connection()
    old_heads: dict[str, set[str]] = defaultdict(set)
    for rec_id, rev_id in conn.execute(select(Head.record_id, Head.rev_id).where(Head.record_id.in_(part))):
        old_heads[rec_id].add(rev_id)
    existing = {r.id: r for r in conn.execute(select(
        Record.id, Record.num, Record.head, Record.kind, Record.updated_at, Record.updated_by, Record.created_at,
        Record.created_by, Record.record_no, Record.sealed).where(Record.id.in_(part)))}
    chosen = {rec_id: shown(heads_of(revs_by_record[rec_id])).rev_id for rec_id in part}
    sealed = set(conn.execute(select(Seal.rev_id).where(Seal.rev_id.in_(set(chosen.values())))).scalars())
    projectable = kind in S.TOP_LEVEL
    plan: list[tuple[str, list[RevMeta], RevMeta, RevMeta]] = []
    outcomes: dict[str, Outcome] = {}
    for rec_id in part:
        revs = revs_by_record[rec_id]
        heads = heads_of(revs)
        head = shown(heads)
        conflict = len(heads) > 1 and not all(h.deleted for h in heads)
        old = existing.get(rec_id)
        if old is not None and old.kind != kind:
            raise BundleConsistencyError(N_("The record %(id)s has revisions of different kinds; nothing was imported."),
                                         id=rec_id)
        start = root(revs)
        same = {h.rev_id for h in heads} == old_heads.get(rec_id, set())
        shown_meta = (head.rev_id, head.created_at, head.author, start.created_at, start.author, head.rev_id in sealed)
        if same and (not projectable or old is not None and (old.head, old.updated_at, old.updated_by, old.created_at,
                                                             old.created_by, bool(old.sealed)) == shown_meta):
            outcomes[rec_id] = Outcome("unchanged", conflict)
            continue
        status = "new" if old is None else "updated" if not same or old.head != head.rev_id else "unchanged"
        outcomes[rec_id] = Outcome(status, conflict)  # "unchanged": only who/when it shows is refreshed
        plan.append((rec_id, heads, head, start))
    if not plan:
        return outcomes
    changed = [p[0] for p in plan]
    conn.execute(delete(Head.__table__).where(Head.__table__.c.record_id.in_(changed)))
    conn.execute(Head.__table__.insert(), [{"record_id": rec_id, "rev_id": h.rev_id}
                                           for rec_id, heads, _, _ in plan for h in heads])
    if not projectable:
        return outcomes  # a kind from a newer version: history kept and passed on, not shown
    shown_ids = [head.rev_id for _, _, head, _ in plan]
    contents = {rid: body for rid, body in conn.execute(select(Revision.rev_id, Revision.content).where(
        Revision.rev_id.in_(shown_ids)))}
    projector = Projector(conn)
    lookup = lookup_content(session)
    for rec_id, _heads, head, start in plan:
        old = existing.get(rec_id)
        try:
            content = {} if head.deleted else loads_content(contents[head.rev_id])
            if not isinstance(content, dict):
                raise ValueError("content is not an object")
            if head.deleted:  # a tombstone keeps the record's number, as the core's delete does
                content = {"record_no": old.record_no if old is not None and old.record_no else
                           _record_no(conn, revs_by_record[rec_id])}
            warnings = [] if head.deleted else rules.check(kind, content, "", lookup)
            meta = {"head": head.rev_id, "updated_at": head.created_at, "updated_by": head.author,
                    "conflict": outcomes[rec_id].conflict, "deleted": head.deleted, "sealed": head.rev_id in sealed,
                    "incomplete": bool(warnings), "warnings": warnings_json(warnings),
                    "created_at": start.created_at, "created_by": start.author}
            projector.put(kind, rec_id, content, meta, existing_num=old.num if old is not None else None,
                          deleted=head.deleted)
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
            raise BundleConsistencyError(N_("The record %(id)s cannot be read by this version of kkdesk; "
                                            "nothing was imported."), id=rec_id) from exc
    projector.flush()
    return outcomes
