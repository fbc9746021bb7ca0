"""Write a bundle: choose what the recipients lack, sign a manifest of it, and stream
the tar through age encryption into a temp file beside the target, renamed into
place when complete. Nothing but ciphertext ever reaches the disk.

Scope (`mode`): "incremental" (default) sends what each contact has not acknowledged
in the newest bundle received from it — so a lost bundle is repaired by the next;
"since-last" sends only what was never sent to it (one-way channels); "all" sends
everything. A bundle with nothing new still carries the sender's version vector,
which is the acknowledgement the other side needs."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from kkdesk import __version__
from kkdesk import keys as K
from kkdesk.atomicfile import replacing
from kkdesk.attachments import CHUNK
from kkdesk.clock import now, now_iso
from kkdesk.db.models import Meta, Revision, Seal
from kkdesk.db.sync_models import BundleLog, Contact, RevisionAlias
from kkdesk.errors import Cancelled, InputError
from kkdesk.i18n import N_
from kkdesk.sync import age_io, contacts, manifest as M, tarstream as T
from kkdesk.sync.blobio import read_blob
from kkdesk.sync.errors import BundleError, BundleTooLargeError
from kkdesk.sync.selection import Selection, allowed_records, number_local_seals, select_labels
from kkdesk.sync.vector import Vector, store_vector

ProgressFn = Callable[[int, int], bool | None]  # (done bytes, total bytes) -> False to cancel
BUNDLE_SEQ_KEY = "sync_bundle_seq"
PASSPHRASE_SENT_KEY = "sync_passphrase_sent"
KEEP_LINES_IN_MEMORY = 64 * 1024 * 1024  # records.jsonl is generated twice when larger
LINES_PER_CHUNK = 1 << 20


@dataclass
class ExportRequest:
    out: Path | str
    to: list[str] = field(default_factory=list)
    passphrase: str | None = None
    mode: str = "incremental"
    case: str | None = None
    max_confidentiality: str | None = None


@dataclass
class ExportResult:
    path: Path
    revisions: int
    seals: int
    attachments: int
    size: int
    recipients: list[str]
    mode: str
    bundle_id: str

    def as_dict(self) -> dict:
        return {"path": str(self.path), "revisions": self.revisions, "seals": self.seals,
                "attachments": self.attachments, "size": self.size, "recipients": self.recipients,
                "mode": self.mode, "bundle_id": self.bundle_id}


def _check_request(req: ExportRequest) -> Path:
    if bool(req.to) == bool(req.passphrase):
        raise InputError(N_("A bundle is encrypted either to contacts (--to) or to a passphrase, never both; "
                            "choose one."))
    if req.mode not in M.MODES:
        raise InputError(N_("Unknown export scope: %(mode)s."), mode=req.mode)
    if req.passphrase:
        K.check_passphrase_strength(req.passphrase)
    out = Path(req.out)
    if out.is_dir():
        raise InputError(N_("%(path)s is a folder; give a file name."), path=str(out))
    if not out.parent.exists():
        raise InputError(N_("The folder %(path)s does not exist."), path=str(out.parent))
    return out


def _want(session: Session, req: ExportRequest, held: Vector, targets: list[Contact]) -> Vector:
    if req.mode == "all":
        return held
    if not targets:  # passphrase bundle: no acknowledgements to go by
        if req.mode == "since-last":
            row = session.get(Meta, PASSPHRASE_SENT_KEY)
            return held.minus(Vector.loads(row.value if row else None))
        return held
    want = Vector()
    for c in targets:
        known = Vector.loads(c.ack_vector)
        if req.mode == "since-last":
            known = known.union(Vector.loads(c.sent_vector))
        want = want.union(held.minus(known))
    return want


def _revision_lines(session: Session, sel: Selection) -> Iterator[bytes]:
    """records.jsonl, one JSON object per line: revisions in (author, seq) order, then seals."""
    conn = session.connection()
    rev, alias, seal = Revision.__table__, RevisionAlias.__table__, Seal.__table__
    for i in range(0, len(sel.revisions), 500):
        part = sel.revisions[i:i + 500]
        rows = {r.rev_id: r for r in conn.execute(select(rev).where(rev.c.rev_id.in_({p[2] for p in part})))}
        for author, seq, rev_id in part:
            r = rows[rev_id]
            created = r.created_at
            if (author, seq) != (r.author, r.author_seq):  # an alias label keeps its own time
                created = conn.execute(select(alias.c.created_at).where(
                    alias.c.author == author, alias.c.author_seq == seq)).scalar_one()
            yield _line({"t": "rev", "rev": r.rev_id, "kind": r.kind, "id": r.record_id,
                         "parents": json.loads(r.parents), "deleted": bool(r.deleted),
                         "content_sha256": r.content_sha256, "content": (r.content or b"").decode("utf-8"),
                         "author": author, "seq": seq, "created_at": created, "schema_version": r.schema_version})
    for origin, seq, rev_id, signer_key in sel.seals:
        s = conn.execute(select(seal).where(seal.c.rev_id == rev_id, seal.c.signer_key == signer_key)).one()
        yield _line({"t": "seal", "rev": rev_id, "signer_key": signer_key, "signer_fingerprint": s.signer_fingerprint,
                     "signature": s.signature, "sealed_at": s.sealed_at, "origin": origin, "seq": seq})


def _line(obj: dict) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def _grouped(lines: Iterator[bytes]) -> Iterator[bytes]:
    buf: list[bytes] = []
    size = 0
    for line in lines:
        buf.append(line)
        size += len(line)
        if size >= LINES_PER_CHUNK:
            yield b"".join(buf)
            buf, size = [], 0
    if buf:
        yield b"".join(buf)


class _Records:
    """records.jsonl: hashed in a first pass; kept for the second when small enough."""

    def __init__(self, session: Session, sel: Selection) -> None:
        self.session, self.sel = session, sel
        h = hashlib.sha256()
        self.size = 0
        kept: list[bytes] | None = []
        for chunk in _grouped(_revision_lines(session, sel)):
            h.update(chunk)
            self.size += len(chunk)
            if kept is not None:
                kept.append(chunk)
                if self.size > KEEP_LINES_IN_MEMORY:
                    kept = None
        self.sha256 = h.hexdigest()
        self.kept = kept

    def chunks(self) -> Iterator[bytes]:
        if self.kept is not None:
            yield from self.kept
            return
        h = hashlib.sha256()
        for chunk in _grouped(_revision_lines(self.session, self.sel)):
            h.update(chunk)
            yield chunk
        if h.hexdigest() != self.sha256:  # the read transaction makes this impossible; kept as a guard
            raise BundleError(N_("The records changed while the bundle was written; try again."))


def _tar_size(entries: list[tuple[str, int]]) -> int:
    body = sum(T.BLOCK + size + (-size % T.BLOCK) for _, size in entries)
    return body + len(T.end_of_archive(body))


def _tar_chunks(session: Session, manifest_bytes: bytes, signature: bytes, records: _Records,
                blobs: list[tuple[str, int]], mtime: int) -> Iterator[bytes]:
    offset = 0

    def entry(name: str, size: int) -> bytes:
        nonlocal offset
        offset += T.BLOCK + size + (-size % T.BLOCK)
        return T.header(name, size, mtime)

    for name, data in ((M.MANIFEST_NAME, manifest_bytes), (M.SIGNATURE_NAME, signature)):
        yield entry(name, len(data)) + data + T.padding(len(data))
    yield entry(M.RECORDS_NAME, records.size)
    yield from records.chunks()
    yield T.padding(records.size)
    raw = session.connection().connection.driver_connection
    for sha, size in blobs:
        yield entry(M.ATTACHMENT_PREFIX + sha, size)
        digest = None
        for data, digest in read_blob(raw, sha, (size + CHUNK - 1) // CHUNK):  # noqa: B007 - the last pair: the digest
            if data:
                yield data
        if digest != sha:
            raise BundleError(N_("The attachment %(sha)s is damaged in this store; the bundle was not written."),
                              sha=sha)
        yield T.padding(size)
    yield T.end_of_archive(offset)


def _next_seq(session: Session, key: str) -> int:
    row = session.get(Meta, key)
    value = (int(row.value) if row else 0) + 1
    session.merge(Meta(key=key, value=str(value)))
    return value


def _manifest(store, ident, req: ExportRequest, bundle_seq: int, targets: list[Contact], held: Vector,
              sel: Selection, records: "_Records", stamp: str) -> dict:
    entries = [{"name": M.RECORDS_NAME, "size": records.size, "sha256": records.sha256}]
    entries += [{"name": M.ATTACHMENT_PREFIX + sha, "size": size, "sha256": sha} for sha, size in sel.blobs]
    encryption = ({"mode": "recipients", "recipients": [
        {"name": c.name, "age_recipient": c.age_recipient, "fingerprint": c.fingerprint} for c in targets]}
        if targets else {"mode": "passphrase"})
    return {
        "format": M.FORMAT, "format_version": M.FORMAT_VERSION, "software": f"kkdesk {__version__}",
        "bundle_id": str(uuid.uuid4()), "bundle_seq": bundle_seq, "created_at": stamp,
        "sender": {"profile_id": store.profile_id, "name": store.name, "age_recipient": ident.age_recipient,
                   "signing_key": ident.signing_key_text, "fingerprint": ident.fingerprint},
        "encryption": encryption,
        "scope": {"mode": req.mode, "case": req.case, "max_confidentiality": req.max_confidentiality},
        "vector": held.as_json(),
        "counts": {"revisions": len(sel.revisions), "seals": len(sel.seals), "attachments": len(sel.blobs)},
        "entries": entries,
    }


def _record_sent(store, targets: list[Contact], sel: Selection, manifest: dict, manifest_bytes: bytes) -> None:
    with store.session() as s:
        for c in targets:
            row = contacts.find(s, c.name)
            row.sent_vector = Vector.loads(row.sent_vector).union(sel.sent).dumps()
            row.last_sent_at = manifest["created_at"]
        if not targets:
            meta = s.get(Meta, PASSPHRASE_SENT_KEY)
            sent = Vector.loads(meta.value if meta else None).union(sel.sent)
            s.merge(Meta(key=PASSPHRASE_SENT_KEY, value=sent.dumps()))
        s.add(BundleLog(manifest_sha256=M.sha256_hex(manifest_bytes), direction="out", bundle_id=manifest["bundle_id"],
                        sender_fingerprint=manifest["sender"]["fingerprint"], bundle_seq=manifest["bundle_seq"],
                        created_at=manifest["created_at"], processed_at=now_iso(),
                        summary=json.dumps(manifest["counts"])))


def export_bundle(store, req: ExportRequest, progress: ProgressFn | None = None) -> ExportResult:
    """Write one bundle (see the module docstring). Raises Cancelled if `progress`
    returns False; then nothing is written and nothing is recorded."""
    out = _check_request(req)
    ident = store.identity
    with store.session() as s:  # short write: check the names, label new seals, number the bundle
        for name in req.to:
            contacts.find(s, name)
        number_local_seals(s, store.profile_id)
        bundle_seq = _next_seq(s, BUNDLE_SEQ_KEY)
    with store.session() as s:  # one read transaction: a consistent snapshot to write from
        targets = [contacts.find(s, name) for name in dict.fromkeys(req.to)]
        held = store_vector(s)
        sel = select_labels(s, _want(s, req, held, targets), allowed_records(s, req.case, req.max_confidentiality))
        if any(size > T.USTAR_MAX_SIZE for _, size in sel.blobs):
            raise BundleError(N_("An attachment is larger than a bundle can carry (8 GiB)."))
        records = _Records(s, sel)
        manifest = _manifest(store, ident, req, bundle_seq, targets, held, sel, records, now_iso())
        manifest_bytes = M.dumps(manifest)
        signature = M.sign(ident, manifest_bytes)
        total = _tar_size([(M.MANIFEST_NAME, len(manifest_bytes)), (M.SIGNATURE_NAME, len(signature))] +
                          [(e["name"], e["size"]) for e in manifest["entries"]])
        chunks = _tar_chunks(s, manifest_bytes, signature, records, sel.blobs, int(now().timestamp()))
        if targets:
            size = _write_streamed(out, chunks, [c.age_recipient for c in targets], total, progress)
        else:
            if total > age_io.PASSPHRASE_CAP:
                raise BundleTooLargeError(
                    N_("A passphrase bundle can hold at most %(cap)d MiB; this one would hold %(size)d MiB. "
                       "Encrypt it to contacts instead (no size limit), or narrow it with --case or --since-last."),
                    cap=age_io.PASSPHRASE_CAP >> 20, size=(total + (1 << 20) - 1) >> 20)
            size = _write_passphrase(out, chunks, req.passphrase or "", total, progress)
    _record_sent(store, targets, sel, manifest, manifest_bytes)
    return ExportResult(out, len(sel.revisions), len(sel.seals), len(sel.blobs), size,
                        [c.name for c in targets], req.mode, manifest["bundle_id"])


class _Progress:
    def __init__(self, progress: ProgressFn | None, total: int) -> None:
        self.progress, self.total, self.cancelled = progress, total, False
        self._last = 0

    def __call__(self, done: int) -> None:
        if self.progress is None or (done - self._last < (1 << 20) and done < self.total):
            return
        self._last = done
        if self.progress(done, self.total) is False:
            self.cancelled = True
            raise Cancelled(N_("The export was cancelled; no bundle was written."))


def _write_streamed(out: Path, chunks: Iterator[bytes], recipients: list[str], total: int,
                    progress: ProgressFn | None) -> int:
    tracker = _Progress(progress, total)
    with replacing(out) as fh:
        reader = T.ChunkReader(T.prefetched(chunks), on_read=tracker)
        try:
            age_io.encrypt_stream(reader, fh, recipients)
        except Cancelled:
            raise
        except BaseException:
            if tracker.cancelled:
                raise Cancelled(N_("The export was cancelled; no bundle was written.")) from None
            raise
        size = fh.tell()
    if progress is not None:
        progress(total, total)
    return size


def _write_passphrase(out: Path, chunks: Iterator[bytes], passphrase: str, total: int,
                      progress: ProgressFn | None) -> int:
    tracker = _Progress(progress, total)
    buf = bytearray()
    for chunk in chunks:
        buf += chunk
        tracker(len(buf))
    data = age_io.encrypt_passphrase(bytes(buf), passphrase)
    del buf
    with replacing(out) as fh:
        fh.write(data)
    if progress is not None:
        progress(total, total)
    return len(data)
