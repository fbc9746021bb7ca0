"""What goes into a bundle: revision and seal labels a contact lacks, the records a
filter lets through, and the attachment bytes those revisions need.

Filters work on whole records (every revision of a record travels, or none), so a
receiver's history of a record never has holes: `--max-confidentiality` judges a
record by the most sensitive of its current heads (a deleted record by its last live
version; an attachment is at least as sensitive as the record it belongs to), and
`--case` takes the case, what links to it, and one more hop from its hearings,
threats and examinations to the people, organisations and courts they name."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from kkdesk import links
from kkdesk import records as R
from kkdesk.canonical import loads_content
from kkdesk.db.models import ENTITY_TABLES, Blob, Head, Meta, Record, Revision, Seal
from kkdesk.db.sync_models import RevisionAlias, SealOrigin
from kkdesk.errors import InputError
from kkdesk.i18n import N_
from kkdesk.sync.vector import RangeSet, Vector

LEVELS = {"public": 0, "internal": 1, "restricted": 2}
UNKNOWN_LEVEL = 2  # a record whose confidentiality cannot be told is treated as restricted
SEAL_SEQ_KEY = "sync_seal_seq"


@dataclass
class Selection:
    revisions: list[tuple[str, int, str]] = field(default_factory=list)    # (author, seq, rev_id), in order
    seals: list[tuple[str, int, str, str]] = field(default_factory=list)   # (origin, seq, rev_id, signer_key)
    blobs: list[tuple[str, int]] = field(default_factory=list)             # (sha256, size)
    sent: Vector = field(default_factory=Vector)                           # the labels included

    @property
    def revision_count(self) -> int:
        return len(self.revisions)


def number_local_seals(session: Session, profile_id: str) -> int:
    """Give every seal without a label one in this profile's seal stream (seals made
    here by `records.seal`, which knows nothing of sync). Returns how many."""
    so = SealOrigin.__table__
    stmt = (select(Seal.rev_id, Seal.signer_key).select_from(Seal.__table__.outerjoin(
        so, and_(so.c.rev_id == Seal.rev_id, so.c.signer_key == Seal.signer_key)))
        .where(so.c.origin.is_(None)).order_by(Seal.sealed_at, Seal.rev_id, Seal.signer_key))
    unlabelled = session.execute(stmt).all()
    if not unlabelled:
        return 0
    row = session.get(Meta, SEAL_SEQ_KEY)
    seq = int(row.value) if row else 0
    rows = []
    for rev_id, signer_key in unlabelled:
        seq += 1
        rows.append({"origin": profile_id, "origin_seq": seq, "rev_id": rev_id, "signer_key": signer_key})
    session.connection().execute(so.insert(), rows)
    session.merge(Meta(key=SEAL_SEQ_KEY, value=str(seq)))
    session.flush()
    return len(rows)


# --- filters ------------------------------------------------------------------------

def _level(content: dict | None) -> int:
    if not content:
        return UNKNOWN_LEVEL
    return LEVELS.get(content.get("confidentiality"), UNKNOWN_LEVEL)  # type: ignore[arg-type]


def record_levels(session: Session) -> dict[str, int]:
    """Confidentiality level of every record, judged as the module docstring says."""
    levels: dict[str, int] = {}
    odd: list[str] = []
    for rid, conf, conflict, deleted in session.execute(select(Record.id, Record.confidentiality, Record.conflict,
                                                               Record.deleted)):
        if conflict or deleted or conf not in LEVELS:
            odd.append(rid)
        else:
            levels[rid] = LEVELS[conf]
    for rid in odd:
        heads = list(session.execute(select(Head.rev_id).where(Head.record_id == rid)).scalars())
        levels[rid] = max((_head_level(session, h) for h in heads), default=UNKNOWN_LEVEL)
    att = ENTITY_TABLES["attachment"]
    for aid, target in session.execute(select(att.c.id, att.c.target_id)):
        if target in levels:
            levels[aid] = max(levels.get(aid, UNKNOWN_LEVEL), levels[target])
    return levels


def _head_level(session: Session, rev_id: str) -> int:
    """A head's level; a tombstone is judged by its nearest live ancestor."""
    seen: set[str] = set()
    todo = [rev_id]
    level = -1
    while todo:
        rid = todo.pop()
        if rid in seen:
            continue
        seen.add(rid)
        row = session.execute(select(Revision.deleted, Revision.content, Revision.parents).where(
            Revision.rev_id == rid)).first()
        if row is None:
            continue
        if row.deleted:
            todo.extend(json.loads(row.parents))
        else:
            level = max(level, _level(loads_content(row.content) if row.content else None))
    return level if level >= 0 else UNKNOWN_LEVEL


def case_closure(session: Session, case_ref: str) -> set[str]:
    case = R.find(session, case_ref, kind="case")
    ids = {case.id}
    first = links.linked(session, case.id)
    ids.update(link.id for link in first)
    for link in first:
        if link.kind in ("hearing", "threat", "medical", "detention", "intervention"):
            ids.update(l2.id for l2 in links.linked(session, link.id) if l2.kind in ("person", "organisation", "court"))
    att, src = ENTITY_TABLES["attachment"], ENTITY_TABLES["source_link"]
    id_list = sorted(ids)
    for i in range(0, len(id_list), 500):
        part = id_list[i:i + 500]
        ids.update(session.execute(select(att.c.id).where(att.c.target_id.in_(part))).scalars())
        ids.update(session.execute(select(src.c.parent_id).where(src.c.target.in_(part))).scalars())
    return ids


def allowed_records(session: Session, case: str | None, max_confidentiality: str | None) -> set[str] | None:
    """The record ids a filtered bundle may carry; None when there is no filter."""
    if not case and not max_confidentiality:
        return None
    if max_confidentiality is not None and max_confidentiality not in LEVELS:
        raise InputError(N_("Unknown confidentiality level: %(level)s (public, internal or restricted)."),
                         level=max_confidentiality)
    ids = case_closure(session, case) if case else set(session.execute(select(Record.id)).scalars())
    if max_confidentiality is None:
        return ids
    limit = LEVELS[max_confidentiality]
    levels = record_levels(session)
    return {rid for rid in ids if levels.get(rid, UNKNOWN_LEVEL) <= limit}


# --- selection ----------------------------------------------------------------------

def select_labels(session: Session, want: Vector, allowed: set[str] | None) -> Selection:
    """The revisions and seals of `want` that pass the filter, with the blobs they need."""
    sel = Selection()
    sent_revs: dict[str, list[int]] = {}
    attachment_revs: list[str] = []
    rev_records: dict[str, str] = {}
    for author, ranges in sorted(want.streams["revisions"].items()):
        for lo, hi in ranges.ranges:
            rows: Any = session.execute(select(Revision.author_seq, Revision.rev_id, Revision.record_id, Revision.kind,
                                          Revision.deleted).where(Revision.author == author,
                                                                  Revision.author_seq.between(lo, hi))).all()
            rows += session.execute(select(RevisionAlias.author_seq, Revision.rev_id, Revision.record_id, Revision.kind,
                                           Revision.deleted).join(Revision, Revision.rev_id == RevisionAlias.rev_id)
                                    .where(RevisionAlias.author == author,
                                           RevisionAlias.author_seq.between(lo, hi))).all()
            for seq, rev_id, record_id, kind, deleted in sorted(rows):
                if allowed is not None and record_id not in allowed:
                    continue
                sel.revisions.append((author, seq, rev_id))
                sent_revs.setdefault(author, []).append(seq)
                rev_records[rev_id] = record_id
                if kind == "attachment" and not deleted:
                    attachment_revs.append(rev_id)
    sent_seals: dict[str, list[int]] = {}
    for origin, ranges in sorted(want.streams["seals"].items()):
        for lo, hi in ranges.ranges:
            rows = session.execute(select(SealOrigin.origin_seq, SealOrigin.rev_id, SealOrigin.signer_key,
                                          Revision.record_id).outerjoin(Revision, Revision.rev_id == SealOrigin.rev_id)
                                   .where(SealOrigin.origin == origin, SealOrigin.origin_seq.between(lo, hi))
                                   .order_by(SealOrigin.origin_seq)).all()
            for seq, rev_id, signer_key, record_id in rows:
                if allowed is not None and record_id not in allowed:
                    continue
                sel.seals.append((origin, seq, rev_id, signer_key))
                sent_seals.setdefault(origin, []).append(seq)
    sel.blobs = _blobs(session, attachment_revs)
    sel.sent = Vector({"revisions": {a: RangeSet.from_sorted(sorted(s)) for a, s in sent_revs.items()},
                       "seals": {o: RangeSet.from_sorted(sorted(s)) for o, s in sent_seals.items()}})
    return sel


def _blobs(session: Session, attachment_revs: list[str]) -> list[tuple[str, int]]:
    shas: set[str] = set()
    for i in range(0, len(attachment_revs), 500):
        part = attachment_revs[i:i + 500]
        for (body,) in session.execute(select(Revision.content).where(Revision.rev_id.in_(part))):
            sha = loads_content(body).get("sha256") if body else None
            if isinstance(sha, str):
                shas.add(sha)
    out: list[Any] = []
    sha_list = sorted(shas)
    for i in range(0, len(sha_list), 500):
        out.extend(session.execute(select(Blob.sha256, Blob.size).where(Blob.sha256.in_(sha_list[i:i + 500]))))
    return sorted(out)
