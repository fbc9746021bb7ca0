"""Import a bundle: verified before it counts, idempotent, order-independent.

Everything happens in one store transaction, which is the staging area: the
manifest's format, signature, sender and recipients are checked first; revisions
and attachment bytes are then written as they are decrypted, each revision's id
recomputed from its header and content (ids in the bundle are never trusted), each
entry hashed against the signed manifest; only when the whole file has decrypted
and every check has passed are heads and projections updated and the transaction
committed. Any failure rolls everything back. A bundle whose signed manifest was
imported before is recognised from that manifest alone and changes nothing."""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select, tuple_, update
from sqlalchemy.orm import Session

from kkdesk import keys as K
from kkdesk.attachments import CHUNK
from kkdesk.atomicfile import remove_stale
from kkdesk.canonical import revision_id, sha256_hex
from kkdesk.clock import now_iso
from kkdesk.db.models import Blob, Record, Revision, Seal
from kkdesk.db.sync_models import BundleLog, Contact, RevisionAlias, SealOrigin
from kkdesk.i18n import N_
from kkdesk.limits import NAME_MAX_CHARS, RECORD_MAX_BYTES, content_problems, record_problem
from kkdesk.project import insert_many
from kkdesk.merge_persons import follow_merges, valid_tombstone
from kkdesk.records import SEAL_CONTEXT, Author
from kkdesk.schema import TOP_LEVEL
from kkdesk.sync import contacts, identity as identity_mod, manifest as M, merge
from kkdesk.sync.errors import (BundleConsistencyError, BundleDamagedError, BundleError, BundleLimitError,
                                BundleRecipientError, BundleSenderError, BundleSignatureError, UnknownSignerError)
from kkdesk.sync.blobio import BlobWriter
from kkdesk.sync.reader import ProgressFn, Stop, read_bundle
from kkdesk.sync.vector import Vector

BATCH = 1000
# a record's content is at most limits.RECORD_MAX_BYTES; as a JSON string (escapes) it may grow up to six-fold
MAX_LINE = 6 * RECORD_MAX_BYTES + (64 << 10)
OVER_LIMIT = N_("The bundle was refused: %(problem)s. Nothing was imported.")
DAMAGED_HASH = N_("The bundle was altered: the entry %(entry)s does not match its signed hash. Nothing was imported.")
DAMAGED_REVISION = N_("The bundle was altered: the revision %(rev)s does not match its content. Nothing was imported.")
DAMAGED_SEAL = N_("The bundle holds a seal that does not verify (revision %(rev)s). Nothing was imported.")
IMPERSONATION = N_("The bundle claims to come from your contact %(claimed)s (fingerprint %(known)s) but is signed by "
                   "other keys (fingerprint %(fingerprint)s): it was refused, also with --trust, and nothing was "
                   "imported. Only if %(claimed)s told you in person of new keys: %(command)s")
REUSED_SEQ = N_("The bundle holds revision number %(seq)s of profile %(author)s, but this store holds a different "
                "revision under that number. Was a profile copied to a second computer? Nothing was imported.")


@dataclass
class ImportReport:
    status: str = "imported"  # "imported" | "already-imported"
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    revisions_new: int = 0
    revisions_known: int = 0
    seals_new: int = 0
    attachments_new: int = 0
    sender_name: str = ""
    sender_fingerprint: str = ""
    contact_added: bool = False
    own: bool = False  # made by this profile (e.g. its own stick read back)
    older: bool = False  # older than the newest bundle already received from this sender
    created_at: str = ""

    @property
    def changed(self) -> bool:
        return bool(self.revisions_new or self.seals_new or self.attachments_new)

    def as_dict(self) -> dict:
        return {"new": self.new, "updated": self.updated, "unchanged": self.unchanged, "conflicts": self.conflicts,
                "status": self.status, "sender": self.sender_name, "fingerprint": self.sender_fingerprint,
                "revisions_new": self.revisions_new, "revisions_known": self.revisions_known,
                "seals_new": self.seals_new, "attachments_new": self.attachments_new,
                "contact_added": self.contact_added, "own": self.own, "older": self.older,
                "created_at": self.created_at}


@dataclass
class BundleInfo:
    """What `inspect` shows without importing."""

    format_version: int
    sender: str  # fingerprint
    sender_name: str
    created_at: str
    records: int  # revisions
    seals: int
    attachments: int
    encryption: str
    recipients: list[str] = field(default_factory=list)
    contact: str | None = None  # the known contact who signed it, if any
    verified: bool = False
    scope: dict = field(default_factory=dict)
    already_imported: bool = False

    def as_dict(self) -> dict:
        return {"format_version": self.format_version, "sender": self.sender, "sender_name": self.sender_name,
                "created_at": self.created_at, "records": self.records, "seals": self.seals,
                "attachments": self.attachments, "encryption": self.encryption, "recipients": self.recipients,
                "contact": self.contact, "verified": self.verified, "scope": self.scope,
                "already_imported": self.already_imported}


def replace_key_command(name: str) -> str:
    import shlex

    return f"kkdesk-cli contacts replace-key {shlex.quote(name)} --recipient AGE1… --signing-key KEY"


def _identities(store, session: Session) -> tuple[list[str], set[str]]:
    """Secret keys to open bundles with, and the recipients they stand for."""
    import pyrage

    secrets = [store.identity.age_secret] + identity_mod.previous_identities(session)
    recipients = {str(pyrage.x25519.Identity.from_str(s).to_public()) for s in secrets}
    return secrets, recipients


class _Checks:
    """Manifest-level checks shared by inspect and import."""

    def __init__(self, store, session: Session, own_recipients: set[str], trust: bool) -> None:
        self.store, self.session, self.own_recipients, self.trust = store, session, own_recipients, trust
        self.manifest: dict = {}
        self.manifest_bytes = b""
        self.passphrase_mode = False
        self.x25519_stanzas = 0
        self.contact: Contact | None = None
        self.is_self = False
        self.contact_added = False

    def on_manifest(self, manifest: dict, data: bytes, passphrase_mode: bool, x25519_stanzas: int) -> None:
        self.manifest, self.manifest_bytes = manifest, data
        self.passphrase_mode, self.x25519_stanzas = passphrase_mode, x25519_stanzas

    def verify_signature(self, data: bytes) -> None:
        try:
            M.verify(self.manifest, self.manifest_bytes, data)
        except BundleSignatureError:
            signer = self._actual_signer(data)
            if signer is not None:
                raise BundleSenderError(N_("The bundle is signed by %(signer)s but claims to come from %(claimed)s. "
                                           "Nothing was imported."), signer=signer.name,
                                        claimed=self.manifest["sender"].get("name") or self.manifest["sender"]["fingerprint"]) from None
            raise

    def _actual_signer(self, data: bytes) -> Contact | None:
        try:
            signature = base64.b64decode(data.strip(), validate=True)
        except ValueError:
            return None
        for c in self.session.execute(select(Contact)).scalars():
            if K.verify_signature(K.decode_signing_key(c.signing_key), M.SIGNATURE_CONTEXT + self.manifest_bytes, signature):
                return c
        return None

    def identify_sender(self) -> None:
        sender = self.manifest["sender"]
        own = self.store.identity
        if sender["signing_key"] == own.signing_key_text:
            self.is_self = True
            return
        contact = contacts.by_signing_key(self.session, sender["signing_key"])
        claimed = contacts.by_profile_id(self.session, sender["profile_id"])
        if contact is not None:
            if claimed is None:  # a contact's keys, claiming the name of another contact
                named = contacts.by_name_like(self.session, sender.get("name") or "")
                claimed = named if named is not None and named.id != contact.id else None
            if contact.age_recipient != sender["age_recipient"] or (claimed is not None and claimed.id != contact.id):
                raise BundleSenderError(N_("The bundle is signed by %(signer)s but claims to come from %(claimed)s. "
                                           "Nothing was imported."), signer=contact.name,
                                        claimed=claimed.name if claimed is not None else sender.get("name") or "?")
            self.contact = contact
            return
        # a profile id or a name of a contact (also one added by its keys alone, before any
        # bundle from it) with other keys is an impersonation: refused, --trust or not
        same_recipient = self.session.execute(select(Contact).where(
            Contact.age_recipient == sender["age_recipient"])).scalar_one_or_none()
        known = claimed or same_recipient or contacts.by_name_like(self.session, sender.get("name") or "")
        if known is not None:
            raise BundleSenderError(IMPERSONATION, claimed=known.name, known=known.fingerprint,
                                    fingerprint=sender["fingerprint"], command=replace_key_command(known.name))
        if not self.trust:
            raise UnknownSignerError(
                N_("The bundle is signed by a key that is not among your contacts: %(name)s, fingerprint "
                   "%(fingerprint)s. Compare the fingerprint with the sender, then import again with --trust to add them as a contact."),
                sender=dict(sender), name=sender.get("name") or "?", fingerprint=sender["fingerprint"])

    def check_recipients(self) -> None:
        enc = self.manifest["encryption"]
        if self.passphrase_mode:
            ok = enc["mode"] == "passphrase"
        else:
            named = {r["age_recipient"] for r in enc.get("recipients", [])}
            ok = enc["mode"] == "recipients" and bool(named & self.own_recipients) and \
                len(named) == self.x25519_stanzas
        if not ok:
            raise BundleRecipientError(N_("The bundle's encryption does not match the recipients its signed manifest "
                                          "names: it was re-encrypted by someone else. Nothing was imported."))

    def seen_before(self) -> BundleLog | None:
        return self.session.get(BundleLog, M.sha256_hex(self.manifest_bytes))

    def add_trusted_contact(self) -> None:
        sender = self.manifest["sender"]
        name = " ".join((sender.get("name") or "").split()) or sender["fingerprint"]
        if self.session.execute(select(Contact).where(Contact.name == name)).first() is not None:
            name = f"{name} ({sender['fingerprint'][:4]})"
        contacts.add(self.session, self.store.identity, name, sender["age_recipient"], sender["signing_key"])
        self.contact = contacts.by_signing_key(self.session, sender["signing_key"])
        self.contact_added = True


class _Inspect(_Checks):
    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.unknown = False

    def on_signature(self, data: bytes) -> None:
        self.verify_signature(data)
        try:
            self.identify_sender()
        except UnknownSignerError:
            self.unknown = True
        raise Stop

    def open_entry(self, entry: dict):  # never reached: inspect stops at the signature
        raise Stop


class _RecordsSink:
    """records.jsonl, staged line by line while it is hashed. A line that fails its
    checks stops the staging, but the entry's hash is checked first at its end, so an
    entry altered after signing is reported as such."""

    def __init__(self, importer: "_Import", entry: dict) -> None:
        self.importer, self.entry = importer, entry
        self.hash = hashlib.sha256()
        self.buf = bytearray()
        self.error: BundleError | None = None

    def write(self, data) -> None:
        self.hash.update(data)
        if self.error is not None:
            return
        start = len(self.buf)
        self.buf += data
        cut = self.buf.rfind(b"\n", start)  # only the new bytes: a long line is scanned once, not per write
        if cut >= 0:
            block = bytes(self.buf[:cut])
            del self.buf[:cut + 1]
            try:
                for line in block.split(b"\n"):
                    self.importer.stage_line(line)
            except BundleError as exc:
                self.error = exc
                self.buf.clear()
        elif len(self.buf) > MAX_LINE:
            self.error = BundleDamagedError(M.DAMAGED_STRUCTURE, detail=M.RECORDS_NAME)
            self.buf.clear()

    def close(self) -> None:
        if self.hash.hexdigest() != self.entry["sha256"]:
            raise BundleDamagedError(DAMAGED_HASH, entry=M.RECORDS_NAME)
        if self.error is not None:
            raise self.error
        if self.buf:
            raise BundleDamagedError(M.DAMAGED_STRUCTURE, detail=M.RECORDS_NAME)
        self.importer.records_done()


class _BlobSink:
    """Attachment bytes straight into blob chunks under their final hash (if the hash
    turns out wrong the whole transaction is rolled back anyway); the inserts run on
    a helper thread while age decrypts the next bytes (see blobio)."""

    def __init__(self, importer: "_Import", entry: dict) -> None:
        self.importer, self.entry = importer, entry
        self.sha = entry["sha256"]
        self.hash = hashlib.sha256()
        self.known = importer.session.get(Blob, self.sha) is not None
        self.buf = bytearray(CHUNK)
        self.fill = 0
        self.idx = 0
        if not self.known:
            chunks = (entry["size"] + CHUNK - 1) // CHUNK
            importer.session.connection().execute(Blob.__table__.insert(), {
                "sha256": self.sha, "size": entry["size"], "chunks": chunks, "created_at": now_iso()})
            self.writer = importer.blob_writer()

    def write(self, data) -> None:
        self.hash.update(data)
        if self.known:
            return
        view = memoryview(data)
        n, i = len(view), 0
        while i < n:
            take = min(CHUNK - self.fill, n - i)
            self.buf[self.fill:self.fill + take] = view[i:i + take]
            self.fill += take
            i += take
            if self.fill == CHUNK:
                self._put(bytes(self.buf))
                self.fill = 0

    def _put(self, data: bytes) -> None:
        self.writer.put(self.sha, self.idx, data)
        self.idx += 1

    def close(self) -> None:
        if not self.known:
            if self.fill:
                self._put(bytes(self.buf[:self.fill]))
            self.writer.drain()
        if self.hash.hexdigest() != self.sha:
            raise BundleDamagedError(DAMAGED_HASH, entry=self.entry["name"][:80])
        if not self.known:
            self.importer.report.attachments_new += 1


def _label_key(created_at: str, author: str, seq: int) -> tuple[str, str, int]:
    return (created_at, author, seq)


class _Import(_Checks):
    def __init__(self, store, session: Session, own_recipients: set[str], trust: bool) -> None:
        super().__init__(store, session, own_recipients, trust)
        self.report = ImportReport()
        self.pending: list[dict] = []
        self.seals: list[dict] = []
        self.touched: set[str] = set()
        self.bundle_records: set[str] = set()
        self.counts = {"revisions": 0, "seals": 0}
        self.records_closed = False
        self._writer: BlobWriter | None = None

    def blob_writer(self) -> BlobWriter:
        if self._writer is None:
            self._writer = BlobWriter(self.session.connection().connection.driver_connection)
        return self._writer

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None

    # manifest-level ------------------------------------------------------------
    def on_signature(self, data: bytes) -> None:
        self.verify_signature(data)
        self.check_recipients()  # before the sender: never ask to trust someone for a misdirected bundle
        self.identify_sender()
        sender = self.manifest["sender"]
        self.report.sender_name = self.contact.name if self.contact is not None else sender.get("name", "")
        self.report.sender_fingerprint = sender["fingerprint"]
        self.report.created_at = self.manifest["created_at"]
        self.report.own = self.is_self
        if self.seen_before() is not None:
            self.report.status = "already-imported"
            raise Stop
        if self.contact is None and not self.is_self:
            self.add_trusted_contact()
            self.report.sender_name = self.contact.name  # type: ignore[attr-defined]
        self.report.contact_added = self.contact_added
        try:
            self.vector = Vector.from_json(self.manifest["vector"])
        except ValueError:
            raise BundleDamagedError(M.DAMAGED_STRUCTURE, detail="vector") from None

    def open_entry(self, entry: dict):
        if entry["name"] == M.RECORDS_NAME:
            return _RecordsSink(self, entry)
        return _BlobSink(self, entry)

    # records -------------------------------------------------------------------
    def stage_line(self, line: bytes) -> None:
        try:
            obj = json.loads(line)
        except (ValueError, RecursionError):
            raise BundleDamagedError(M.DAMAGED_STRUCTURE, detail=M.RECORDS_NAME) from None
        kind = obj.get("t") if isinstance(obj, dict) else None
        if kind == "rev":
            self.pending.append(_checked_revision(obj))
            self.counts["revisions"] += 1
            if len(self.pending) >= BATCH:
                self.flush_revisions()
        elif kind == "seal":
            self.seals.append(_checked_seal(obj))
            self.counts["seals"] += 1
        else:
            raise BundleDamagedError(M.DAMAGED_STRUCTURE, detail=M.RECORDS_NAME)

    def records_done(self) -> None:
        self.flush_revisions()
        self.flush_seals()
        counts = self.manifest["counts"]
        if self.counts["revisions"] != counts["revisions"] or self.counts["seals"] != counts["seals"]:
            raise BundleDamagedError(M.DAMAGED_STRUCTURE, detail="counts")
        self.records_closed = True

    def flush_revisions(self) -> None:
        batch, self.pending = self.pending, []
        if not batch:
            return
        conn = self.session.connection()
        rev = Revision.__table__
        alias = RevisionAlias.__table__
        ids = {r["rev_id"] for r in batch}
        stored = {r.rev_id: r for r in conn.execute(select(rev.c.rev_id, rev.c.author, rev.c.author_seq,
                                                           rev.c.created_at).where(rev.c.rev_id.in_(ids)))}
        labels = {(r["author"], r["author_seq"]) for r in batch}
        owner: dict[tuple[str, int], str] = {}
        label_list = sorted(labels)
        for i in range(0, len(label_list), 400):
            part = label_list[i:i + 400]
            for a, s, rid in conn.execute(select(rev.c.author, rev.c.author_seq, rev.c.rev_id).where(
                    tuple_(rev.c.author, rev.c.author_seq).in_(part))):
                owner[(a, s)] = rid
            for a, s, rid in conn.execute(select(alias.c.author, alias.c.author_seq, alias.c.rev_id).where(
                    tuple_(alias.c.author, alias.c.author_seq).in_(part))):
                owner[(a, s)] = rid
        inserts: list[dict] = []
        pending: dict[str, dict] = {}  # rev_id -> its row in `inserts`, not yet written
        for r in batch:
            label = (r["author"], r["author_seq"])
            self.bundle_records.add(r["record_id"])
            held = owner.get(label)
            if held is not None and held != r["rev_id"]:
                raise BundleConsistencyError(REUSED_SEQ, seq=r["author_seq"], author=r["author"])
            if held == r["rev_id"]:
                self.report.revisions_known += 1
                continue
            owner[label] = r["rev_id"]
            if r["rev_id"] in stored:  # the same revision made by two profiles: keep both labels
                self.report.revisions_known += 1
                self._alias(stored, r, pending.get(r["rev_id"]))
                continue
            inserts.append(r)
            pending[r["rev_id"]] = r
            stored[r["rev_id"]] = _Stored(r["rev_id"], r["author"], r["author_seq"], r["created_at"])  # type: ignore[assignment]
            self.touched.add(r["record_id"])
        if inserts:
            insert_many(conn, rev, inserts)
            self.report.revisions_new += len(inserts)

    def _alias(self, stored: dict, r: dict, unwritten: dict | None = None) -> None:
        """The revision is held under another label: the smallest label stays in
        `revision` (the same on every machine), the other goes to the alias table.
        `unwritten` is the revision's row when this batch brought it and it awaits
        insertion (a bundle may carry both labels): that row takes the label instead."""
        conn = self.session.connection()
        cur = stored[r["rev_id"]]
        new_key = _label_key(r["created_at"], r["author"], r["author_seq"])
        if new_key < _label_key(cur.created_at, cur.author, cur.author_seq):
            conn.execute(RevisionAlias.__table__.insert(), {"author": cur.author, "author_seq": cur.author_seq,
                                                            "rev_id": cur.rev_id, "created_at": cur.created_at})
            if unwritten is not None:
                unwritten.update(author=r["author"], author_seq=r["author_seq"], created_at=r["created_at"])
            else:
                conn.execute(update(Revision.__table__).where(Revision.__table__.c.rev_id == cur.rev_id).values(
                    author=r["author"], author_seq=r["author_seq"], created_at=r["created_at"]))
            stored[r["rev_id"]] = _Stored(cur.rev_id, r["author"], r["author_seq"], r["created_at"])
            self.touched.add(r["record_id"])  # updated_by/created_by may follow the label
        else:
            conn.execute(RevisionAlias.__table__.insert(), {"author": r["author"], "author_seq": r["author_seq"],
                                                            "rev_id": r["rev_id"], "created_at": r["created_at"]})

    def flush_seals(self) -> None:
        conn = self.session.connection()
        so = SealOrigin.__table__
        for s in self.seals:
            label = conn.execute(select(so.c.rev_id, so.c.signer_key).where(
                so.c.origin == s["origin"], so.c.origin_seq == s["seq"])).first()
            if label is not None:
                if tuple(label) != (s["rev"], s["signer_key"]):
                    raise BundleConsistencyError(REUSED_SEQ, seq=s["seq"], author=s["origin"])
                continue
            conn.execute(so.insert(), {"origin": s["origin"], "origin_seq": s["seq"], "rev_id": s["rev"],
                                       "signer_key": s["signer_key"]})
            if self.session.get(Seal, (s["rev"], s["signer_key"])) is None:
                conn.execute(Seal.__table__.insert(), {"rev_id": s["rev"], "signer_key": s["signer_key"],
                                                       "signer_fingerprint": s["signer_fingerprint"],
                                                       "signature": s["signature"], "sealed_at": s["sealed_at"]})
                self.report.seals_new += 1
                record_id = conn.execute(select(Revision.record_id).where(Revision.rev_id == s["rev"])).scalar()
                if record_id is not None:
                    self.touched.add(record_id)
        self.seals = []

    # the end -------------------------------------------------------------------
    def finish(self) -> None:
        if not self.records_closed:
            raise BundleDamagedError(M.DAMAGED_STRUCTURE, detail=M.RECORDS_NAME)
        outcomes = merge.reproject(self.session, self.touched)
        followed = follow_merges(self.session, Author(self.store.profile_id, self.store.profile_code), self.touched)
        if followed:  # merges of persons carried over: those records' outcomes as they are now
            outcomes.update(_outcomes_now(self.session, followed, outcomes))
        rep = self.report
        for rec_id in self.bundle_records:
            outcome = outcomes.get(rec_id)
            status = outcome.status if outcome is not None else "unchanged"
            setattr(rep, status, getattr(rep, status) + 1)
        conflicted = [rid for rid, o in outcomes.items() if o.conflict]
        rep.conflicts = len(conflicted)
        sender = self.manifest["sender"]
        if self.contact is not None:
            contacts.bind_profile(self.contact, sender["profile_id"])
            if self.manifest["bundle_seq"] > (self.contact.ack_bundle_seq or 0):
                self.contact.ack_vector = self.vector.dumps()
                self.contact.ack_bundle_seq = self.manifest["bundle_seq"]
                self.contact.ack_received_at = now_iso()
            else:
                rep.older = True
        self.session.add(BundleLog(
            manifest_sha256=M.sha256_hex(self.manifest_bytes), direction="in", bundle_id=self.manifest["bundle_id"][:36],
            sender_fingerprint=sender["fingerprint"], bundle_seq=self.manifest["bundle_seq"],
            created_at=self.manifest["created_at"], processed_at=now_iso(), summary=json.dumps(rep.as_dict())))
        self.session.flush()


def _outcomes_now(session: Session, ids: set[str], before: dict) -> dict:
    out = {}
    for rid, conflict in session.execute(select(Record.id, Record.conflict).where(Record.id.in_(sorted(ids)))):
        prior = before.get(rid)
        out[rid] = merge.Outcome(prior.status if prior is not None and prior.status != "unchanged" else "updated",
                                 bool(conflict))
    return out


@dataclass
class _Stored:
    rev_id: str
    author: str
    author_seq: int
    created_at: str


def _field(obj: dict, key: str, typ: type, limit: int | None = None) -> Any:
    value = obj.get(key)
    ok = isinstance(value, bool) if typ is bool else isinstance(value, typ) and not isinstance(value, bool)
    if ok and typ is int and not -(1 << 63) <= value < (1 << 63):   # type: ignore[operator] # what SQLite can store
        ok = False
    if not ok or (limit is not None and len(value) > limit):  # type: ignore[arg-type]
        raise BundleDamagedError(M.DAMAGED_STRUCTURE, detail=f"{M.RECORDS_NAME}: {key}")
    return value


def _checked_revision(obj: dict) -> dict:
    """A revision line made into a `revision` row, its id recomputed (never trusted)."""
    kind = _field(obj, "kind", str, 16)
    record_id = _field(obj, "id", str, 36)
    parents = _field(obj, "parents", list)
    if not all(isinstance(p, str) and len(p) == 64 for p in parents):
        raise BundleDamagedError(M.DAMAGED_STRUCTURE, detail=f"{M.RECORDS_NAME}: parents")
    deleted = _field(obj, "deleted", bool)
    content = _field(obj, "content", str).encode("utf-8")
    content_sha = sha256_hex(content)
    claimed = _field(obj, "rev", str, 64)
    if content_sha != obj.get("content_sha256") or revision_id(kind, record_id, parents, deleted, content_sha) != claimed \
            or (deleted and not valid_tombstone(content)):
        raise BundleDamagedError(DAMAGED_REVISION, rev=claimed[:16])
    if not deleted and len(content) > NAME_MAX_CHARS:
        _check_limits(kind, record_id, content)
    seq = _field(obj, "seq", int)
    if seq < 1:
        raise BundleDamagedError(M.DAMAGED_STRUCTURE, detail=f"{M.RECORDS_NAME}: seq")
    return {"rev_id": claimed, "record_id": record_id, "kind": kind, "parents": json.dumps(sorted(set(parents))),
            "deleted": deleted, "content_sha256": content_sha, "content": content,
            "author": _field(obj, "author", str, 36), "author_seq": seq,
            "created_at": _field(obj, "created_at", str, 32),
            "schema_version": _field(obj, "schema_version", int)}


def _check_limits(kind: str, record_id: str, content: bytes) -> None:
    """The same size limits as import-json and the forms (kkdesk/limits.py)."""
    problem = record_problem(len(content), f"{kind} {record_id}")
    entity = TOP_LEVEL.get(kind)
    if problem is None and entity is not None:
        try:
            data = json.loads(content)
        except (ValueError, RecursionError):
            raise BundleDamagedError(M.DAMAGED_STRUCTURE, detail=f"{M.RECORDS_NAME}: content") from None
        where = f"{kind} {data.get('record_no') or record_id}" if isinstance(data, dict) else kind
        problems = content_problems(entity, data, where)
        problem = problems[0] if problems else None
    if problem is not None:
        raise BundleLimitError(OVER_LIMIT, problem)


def _checked_seal(obj: dict) -> dict:
    rev = _field(obj, "rev", str, 64)
    signer_key = _field(obj, "signer_key", str, 128)
    signature = _field(obj, "signature", str, 128)
    try:
        ok = K.verify_signature(K.decode_signing_key(signer_key), SEAL_CONTEXT + rev.encode("ascii"),
                                base64.b64decode(signature, validate=True))
    except Exception:  # noqa: BLE001 - any malformed key or signature is a seal that does not verify
        ok = False
    if not ok:
        raise BundleDamagedError(DAMAGED_SEAL, rev=rev[:16])
    seq = _field(obj, "seq", int)
    if seq < 1:
        raise BundleDamagedError(M.DAMAGED_STRUCTURE, detail=f"{M.RECORDS_NAME}: seq")
    return {"rev": rev, "signer_key": signer_key, "signature": signature, "seq": seq,
            "signer_fingerprint": _field(obj, "signer_fingerprint", str, 32),
            "sealed_at": _field(obj, "sealed_at", str, 32), "origin": _field(obj, "origin", str, 36)}


def inspect_bundle(store, path: Path | str, passphrase: str | None = None) -> BundleInfo:
    """Decrypt just enough to read and verify the signed manifest."""
    with store.session() as session:
        secrets, recipients = _identities(store, session)
        handler = _Inspect(store, session, recipients, False)
        read_bundle(path, handler, secrets, passphrase)
        m = handler.manifest
        enc = m["encryption"]
        return BundleInfo(
            format_version=m["format_version"], sender=m["sender"]["fingerprint"], sender_name=m["sender"].get("name", ""),
            created_at=m["created_at"], records=m["counts"]["revisions"], seals=m["counts"]["seals"],
            attachments=m["counts"]["attachments"], encryption=enc["mode"],
            recipients=[r.get("name") or r["age_recipient"] for r in enc.get("recipients", [])],
            contact=handler.contact.name if handler.contact is not None else None,
            verified=bool(handler.contact.verified) if handler.contact is not None else False,
            scope=m.get("scope") if isinstance(m.get("scope"), dict) else {},  # type: ignore[arg-type]
            already_imported=handler.seen_before() is not None)


def import_bundle(store, path: Path | str, *, trust: bool = False, passphrase: str | None = None,
                  progress: ProgressFn | None = None) -> ImportReport:
    """Verify and merge one bundle in one transaction (see the module docstring).
    Raises a BundleError subclass — with the store unchanged — when it is refused.
    What a killed export or import left in the bundle's folder goes first."""
    remove_stale(Path(path).parent)
    with store.session() as session:
        secrets, recipients = _identities(store, session)
        handler = _Import(store, session, recipients, trust)
        try:
            if read_bundle(path, handler, secrets, passphrase, progress):
                handler.finish()
        finally:
            handler.close()  # the helper thread is idle here: every blob entry drained it
        return handler.report
