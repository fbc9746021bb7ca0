"""Records and their history: create/update (a new revision), delete (a tombstone
revision), seal (a signature on a revision), read, history, verification.

Every function takes an open Session; the caller owns the transaction
(`with store.session() as s: ...`)."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any, Iterable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kkdesk import schema as S
from kkdesk.canonical import canonical_bytes, revision_id, sha256_hex
from kkdesk.clock import now, now_iso
from kkdesk.db.models import Head, Meta, Record, Revision, Seal
from kkdesk.errors import NotFoundError, Problem, StaleVersionError, ValidationError
from kkdesk.i18n import N_
from kkdesk.limits import RECORD_MAX_BYTES, record_problem
from kkdesk.normalize import is_uuid
from kkdesk.contents import content_of, warnings_json
from kkdesk.project import Projector, insert_many
from kkdesk.sync.merge import reproject

SCHEMA_VERSION = 1
SEAL_CONTEXT = b"kkdesk-seal-v1:"


@dataclass
class Author:
    """Who writes revisions: the open profile."""

    profile_id: str
    profile_code: str


@dataclass
class SaveResult:
    kind: str
    id: str
    record_no: str | None
    rev_id: str | None
    status: str  # "new" | "updated" | "unchanged" | "deleted" | "conflict"
    warnings: list[Problem] = field(default_factory=list)


@dataclass
class RecordView:
    kind: str
    id: str
    record_no: str | None
    content: dict
    head: str
    deleted: bool
    sealed: bool
    conflict: bool
    incomplete: bool
    warnings: list[dict]
    created_at: str
    created_by: str
    updated_at: str
    updated_by: str
    heads: list[str] = field(default_factory=list)  # what an edit of this view builds on (save's base_heads)


@dataclass
class RevisionInfo:
    rev_id: str
    parents: list[str]
    deleted: bool
    author: str
    author_seq: int
    created_at: str
    sealed_by: list[str]


@dataclass
class Existing:
    """What the writer needs to know of a record already in the store."""

    num: int
    kind: str
    record_no: str | None
    deleted: bool
    head: str
    heads: list[str]
    head_content: bytes | None


class Writer:
    """Writes revisions for many records in one transaction (import uses one Writer
    for the whole document; single saves use it for one record). Reads and writes go
    in batches: an import of a million acts must not pay one query per record."""

    def __init__(self, session: Session, author: Author) -> None:
        self.session = session
        self.conn = session.connection()
        self.author = author
        self.projector = Projector(self.conn)
        self.revisions: list[dict] = []
        self.heads_delete: list[str] = []
        self.heads_insert: list[dict] = []
        self._seq: int | None = None
        self._counters: dict[str, int] = {}
        self._known: dict[str, Existing | None] = {}
        self._written: set[str] = set()
        self._forks: set[str] = set()

    def _meta_int(self, key: str) -> int:
        value = self.conn.execute(select(Meta.value).where(Meta.key == key)).scalar()
        return int(value) if value else 0

    def _seq_next(self) -> int:
        if self._seq is None:
            self._seq = self._meta_int("author_seq")
        self._seq += 1
        return self._seq

    def new_record_no(self, kind: str) -> str:
        """`TI-2024-K7F-0001`: kind, year, profile code, counter — unique without coordination."""
        prefix = S.TOP_LEVEL[kind].prefix
        key = f"recno:{prefix}-{now().year}"
        if key not in self._counters:
            self._counters[key] = self._meta_int(key)
        self._counters[key] += 1
        return f"{prefix}-{now().year}-{self.author.profile_code}-{self._counters[key]:04d}"

    def prefetch(self, ids: Iterable[str]) -> None:
        """Load what put() needs for many records at once."""
        todo = [i for i in ids if i not in self._known]
        for i in range(0, len(todo), 500):
            chunk = todo[i:i + 500]
            rows = self.conn.execute(
                select(Record.id, Record.num, Record.kind, Record.record_no, Record.deleted, Record.head, Revision.content)
                .join(Revision, Revision.rev_id == Record.head).where(Record.id.in_(chunk))).all()
            heads: dict[str, list[str]] = {}
            for rid, rev in self.conn.execute(select(Head.record_id, Head.rev_id).where(Head.record_id.in_(chunk))):
                heads.setdefault(rid, []).append(rev)
            found = {r.id: Existing(r.num, r.kind, r.record_no, r.deleted, r.head, sorted(heads.get(r.id, [])), r.content)
                     for r in rows}
            for rid in chunk:
                self._known[rid] = found.get(rid)

    def put(self, kind: str, record_id: str, content: dict, warnings: list[Problem], *, deleted: bool = False,
            base_heads: list[str] | None = None) -> SaveResult:
        """A new revision of `record_id` with `content`, unless it equals the head.

        `base_heads` are the heads the edit was made on (an editor loaded them). When the
        record has moved on since — a bundle brought another monitor's change, another
        window saved — the edit is not laid over a version its author never saw: it becomes
        a sibling of that change, and the record is in conflict with both versions kept."""
        if record_id in self._written:
            self.flush()  # the second write of a record in one batch builds on the first
        if record_id not in self._known:
            self.prefetch([record_id])
        existing = self._known[record_id]
        content = dict(content)
        heads: list[str] = []
        if existing is not None:
            if existing.kind != kind:
                raise NotFoundError(N_("Record %(id)s is a %(kind)s, not a %(wanted)s."), id=record_id, kind=existing.kind, wanted=kind)
            heads = existing.heads
            if existing.record_no:
                content["record_no"] = existing.record_no  # record numbers never change
            if not deleted and not existing.deleted and len(heads) == 1:
                if existing.head_content is not None and existing.head_content == canonical_bytes(content):
                    return SaveResult(kind, record_id, existing.record_no, heads[0], "unchanged", warnings)
            if deleted and existing.deleted:
                return SaveResult(kind, record_id, existing.record_no, existing.head, "unchanged", warnings)
            if base_heads is not None and not deleted and sorted(set(base_heads)) != heads:
                base = sorted(set(base_heads))
                if self._unchanged_from(base, content):  # the form was saved unchanged: still on its version
                    return SaveResult(kind, record_id, existing.record_no, base[0], "unchanged", warnings)
                return self._fork(kind, record_id, content, base, warnings)
        elif deleted:
            raise NotFoundError(N_("No such record: %(id)s"), id=record_id)
        if not deleted and not content.get("record_no"):
            content["record_no"] = self.new_record_no(kind)
        body = b"{}" if deleted else canonical_bytes(content)
        _check_size(body, kind, content.get("record_no") or record_id)
        content_sha = sha256_hex(body)
        rev = revision_id(kind, record_id, heads, deleted, content_sha)
        stamp = now_iso()
        self.revisions.append({
            "rev_id": rev, "record_id": record_id, "kind": kind, "parents": json.dumps(sorted(heads)),
            "deleted": int(deleted), "content_sha256": content_sha, "content": body, "author": self.author.profile_id,
            "author_seq": self._seq_next(), "created_at": stamp, "schema_version": SCHEMA_VERSION,
        })
        if heads:
            self.heads_delete.append(record_id)
        self.heads_insert.append({"record_id": record_id, "rev_id": rev})
        meta = {"head": rev, "updated_at": stamp, "updated_by": self.author.profile_id, "conflict": False,
                "deleted": deleted, "sealed": False, "incomplete": bool(warnings) and not deleted,
                "warnings": None if deleted else warnings_json(warnings)}
        if existing is None:
            meta.update({"created_at": stamp, "created_by": self.author.profile_id})
        self.projector.put(kind, record_id, content, meta,
                           existing_num=existing.num if existing is not None else None, deleted=deleted)
        self._written.add(record_id)
        self._known.pop(record_id, None)
        status = "deleted" if deleted else ("new" if existing is None else "updated")
        return SaveResult(kind, record_id, content.get("record_no"), rev, status, warnings)

    def put_revision(self, kind: str, record_id: str, parents: list[str], body: bytes, *, deleted: bool = False) -> str:
        """A revision on exactly `parents` with this canonical `body` (merging persons writes
        revisions every profile derives alike). Heads and projection follow at flush."""
        parents = sorted(set(parents))
        content_sha = sha256_hex(body)
        rev = revision_id(kind, record_id, parents, deleted, content_sha)
        if self.conn.execute(select(Revision.rev_id).where(Revision.rev_id == rev)).first() is None \
                and all(r["rev_id"] != rev for r in self.revisions):
            self.revisions.append({
                "rev_id": rev, "record_id": record_id, "kind": kind, "parents": json.dumps(parents),
                "deleted": int(deleted), "content_sha256": content_sha, "content": body,
                "author": self.author.profile_id, "author_seq": self._seq_next(), "created_at": now_iso(),
                "schema_version": SCHEMA_VERSION})
        self._forks.add(record_id)
        self._written.add(record_id)
        self._known.pop(record_id, None)
        return rev

    def _unchanged_from(self, base: list[str], content: dict) -> bool:
        """The form still holds the version it was opened on: nothing to save."""
        if len(base) != 1:
            return False
        body = self.conn.execute(select(Revision.content).where(Revision.rev_id == base[0])).scalar()
        return body is not None and body == canonical_bytes(content)

    def _fork(self, kind: str, record_id: str, content: dict, base: list[str], warnings: list[Problem]) -> SaveResult:
        known = set(self.conn.execute(select(Revision.rev_id).where(Revision.rev_id.in_(base),
                                                                    Revision.record_id == record_id)).scalars())
        if known != set(base):
            raise NotFoundError(N_("The version this edit was made on is not in the store: %(rev)s"),
                                rev=", ".join(sorted(set(base) - known)))
        body = canonical_bytes(content)
        _check_size(body, kind, content.get("record_no") or record_id)
        content_sha = sha256_hex(body)
        rev = revision_id(kind, record_id, base, False, content_sha)
        self.revisions.append({
            "rev_id": rev, "record_id": record_id, "kind": kind, "parents": json.dumps(base), "deleted": 0,
            "content_sha256": content_sha, "content": body, "author": self.author.profile_id,
            "author_seq": self._seq_next(), "created_at": now_iso(), "schema_version": SCHEMA_VERSION,
        })
        self._forks.add(record_id)  # heads and projection: recomputed from the history at flush
        self._written.add(record_id)
        self._known.pop(record_id, None)
        return SaveResult(kind, record_id, content.get("record_no"), rev, "conflict", warnings)

    def flush(self) -> None:
        insert_many(self.conn, Revision.__table__, self.revisions)
        if self.heads_delete:
            for i in range(0, len(self.heads_delete), 500):
                self.conn.execute(delete(Head.__table__).where(Head.__table__.c.record_id.in_(self.heads_delete[i:i + 500])))
        insert_many(self.conn, Head.__table__, self.heads_insert)
        self.projector.flush()
        updates = dict(self._counters)
        if self._seq is not None:
            updates["author_seq"] = self._seq
        for key, value in updates.items():
            self.session.merge(Meta(key=key, value=str(value)))
        self.session.flush()
        if self._forks:
            reproject(self.session, self._forks)
        self.revisions, self.heads_delete, self.heads_insert = [], [], []
        self._written.clear()
        self._forks.clear()


# --- single-record services --------------------------------------------------------

def find(session: Session, ref: str, kind: str | None = None) -> Record:
    """A record by UUID or record number."""
    stmt = select(Record).where(Record.id == ref.lower()) if is_uuid(ref) else select(Record).where(Record.record_no == ref)
    if kind:
        stmt = stmt.where(Record.kind == kind)
    rec = session.execute(stmt.limit(1)).scalar_one_or_none()
    if rec is None:
        raise NotFoundError(N_("No such record: %(id)s"), id=ref)
    return rec


def current_heads(session: Session, record_id: str) -> list[str]:
    """The record's head revisions, sorted (several: the record is in conflict)."""
    return sorted(session.execute(select(Head.rev_id).where(Head.record_id == record_id)).scalars())


def get(session: Session, ref: str, kind: str | None = None) -> RecordView:
    rec = find(session, ref, kind)
    return RecordView(
        kind=rec.kind, id=rec.id, record_no=rec.record_no, content=content_of(session, rec.head), head=rec.head,
        deleted=rec.deleted, sealed=rec.sealed, conflict=rec.conflict, incomplete=rec.incomplete,
        warnings=json.loads(rec.warnings) if rec.warnings else [], created_at=rec.created_at,
        created_by=rec.created_by, updated_at=rec.updated_at, updated_by=rec.updated_by,
        heads=current_heads(session, rec.id))


def delete_record(session: Session, author: Author, ref: str, kind: str | None = None,
                  expected_heads: list[str] | None = None) -> SaveResult:
    """A tombstone revision. `expected_heads`: the versions the user is looking at; if the
    record moved on since, nothing is deleted (the change would vanish unseen)."""
    rec = find(session, ref, kind)
    if expected_heads is not None and not rec.deleted:
        if current_heads(session, rec.id) != sorted(set(expected_heads)):
            raise StaleVersionError(N_("The record was changed since you opened it; open it again to see the change "
                                       "before deleting it. Nothing was deleted."))
    writer = Writer(session, author)
    result = writer.put(rec.kind, rec.id, {}, [], deleted=True)
    writer.flush()
    return result


def seal(session: Session, identity, ref: str, kind: str | None = None, expected_head: str | None = None) -> str:
    """Sign the record's head revision with the profile's Ed25519 key. `expected_head`:
    the version the user is looking at; if the record moved on since, nothing is sealed."""
    rec = find(session, ref, kind)
    if expected_head is not None and rec.head != expected_head:
        raise StaleVersionError(N_("The record was changed since you opened it; open it again to seal the version "
                                   "you can see. Nothing was sealed."))
    existing = session.get(Seal, (rec.head, identity.signing_key_text))
    if existing is None:
        signature = identity.sign(SEAL_CONTEXT + rec.head.encode("ascii"))
        session.add(Seal(rev_id=rec.head, signer_key=identity.signing_key_text, signer_fingerprint=identity.fingerprint,
                         signature=base64.b64encode(signature).decode("ascii"), sealed_at=now_iso()))
    rec.sealed = True
    session.flush()
    return rec.head


def history(session: Session, ref: str) -> list[RevisionInfo]:
    rec = find(session, ref)
    revs = session.execute(select(Revision).where(Revision.record_id == rec.id).order_by(Revision.created_at)).scalars()
    seals: dict[str, list[str]] = {}
    for s in session.execute(select(Seal).join(Revision, Revision.rev_id == Seal.rev_id).where(Revision.record_id == rec.id)).scalars():
        seals.setdefault(s.rev_id, []).append(s.signer_fingerprint)
    return [RevisionInfo(r.rev_id, json.loads(r.parents), r.deleted, r.author, r.author_seq, r.created_at, seals.get(r.rev_id, []))
            for r in revs]


def verify(session: Session) -> list[str]:
    """Recompute every revision's content hash and id and check every seal.
    Returns the problems found (empty when the history is intact)."""
    from kkdesk import keys as K

    problems: list[str] = []
    for r in session.execute(select(Revision)).scalars():
        body = r.content if r.content is not None else b""
        if sha256_hex(body) != r.content_sha256:
            problems.append(f"revision {r.rev_id}: content does not match its hash")
        if revision_id(r.kind, r.record_id, json.loads(r.parents), r.deleted, r.content_sha256) != r.rev_id:
            problems.append(f"revision {r.rev_id}: id does not match its header")
    for s in session.execute(select(Seal)).scalars():
        try:
            public = K.decode_signing_key(s.signer_key)
            ok = K.verify_signature(public, SEAL_CONTEXT + s.rev_id.encode("ascii"), base64.b64decode(s.signature))
        except Exception:  # noqa: BLE001 - any malformed seal is a problem to report
            ok = False
        if not ok:
            problems.append(f"seal on {s.rev_id}: signature does not verify")
    for rec in session.execute(select(Record)).scalars():
        heads = list(session.execute(select(Head.rev_id).where(Head.record_id == rec.id)).scalars())
        if rec.head not in heads:
            problems.append(f"record {rec.record_no or rec.id}: projected revision is not a head")
    return problems


def kinds_with_ids(session: Session, ids: Iterable[str]) -> dict[str, str]:
    ids = list(ids)
    out: dict[str, Any] = {}
    for i in range(0, len(ids), 500):
        for rid, kind in session.execute(select(Record.id, Record.kind).where(Record.id.in_(ids[i:i + 500]))):
            out[rid] = kind
    return out


def _check_size(body: bytes, kind: str, where: str) -> None:
    """Refuse a record whose canonical content is over limits.RECORD_MAX_BYTES."""
    if len(body) > RECORD_MAX_BYTES:
        raise ValidationError(N_("A record is too large; nothing was saved."), [record_problem(len(body), f"{kind} {where}")])  # type: ignore[list-item]
