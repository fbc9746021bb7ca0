"""Attachment bytes, content-addressed (SHA-256) in ~1 MiB chunks inside the encrypted
store — never a plaintext file. Opening one writes a copy only where the user says."""

from __future__ import annotations

import hashlib
import mimetypes
import os
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Callable, Iterator

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from kkdesk.atomicfile import replacing
from kkdesk.clock import now_iso
from kkdesk.db.models import Blob, BlobChunk
from kkdesk.errors import Cancelled, InputError, NotFoundError
from kkdesk.i18n import N_

if TYPE_CHECKING:
    from kkdesk.records import SaveResult

CHUNK = 1024 * 1024


def put_stream(session: Session, stream: BinaryIO, progress: Callable[[int], bool | None] | None = None) -> tuple[str, int]:
    """Store the bytes of `stream` (read chunk by chunk) and return (sha256, size).
    Bytes already in the store are kept once."""
    conn = session.connection()
    tmp = "tmp-" + uuid.uuid4().hex
    conn.execute(Blob.__table__.insert(), {"sha256": tmp, "size": 0, "chunks": 0, "created_at": now_iso()})
    h = hashlib.sha256()
    size = idx = 0
    while True:
        data = stream.read(CHUNK)
        if not data:
            break
        h.update(data)
        conn.execute(BlobChunk.__table__.insert(), {"sha256": tmp, "idx": idx, "data": data})
        size += len(data)
        idx += 1
        if progress is not None and progress(size) is False:
            raise Cancelled(N_("Cancelled; the file was not added."))
    digest = h.hexdigest()
    if session.get(Blob, digest) is None:
        conn.execute(Blob.__table__.insert(), {"sha256": digest, "size": size, "chunks": idx, "created_at": now_iso()})
        conn.execute(update(BlobChunk.__table__).where(BlobChunk.__table__.c.sha256 == tmp).values(sha256=digest))
    conn.execute(delete(Blob.__table__).where(Blob.__table__.c.sha256 == tmp))  # cascades to leftover chunks
    return digest, size


def has_blob(session: Session, sha256: str) -> bool:
    return session.get(Blob, sha256) is not None


def iter_chunks(session: Session, sha256: str) -> Iterator[bytes]:
    """The bytes of a blob, one chunk at a time (bounded memory)."""
    blob = session.get(Blob, sha256)
    if blob is None:
        raise NotFoundError(N_("No attachment with SHA-256 %(sha)s in this store."), sha=sha256)
    for idx in range(blob.chunks):
        data = session.execute(select(BlobChunk.data).where(BlobChunk.sha256 == sha256, BlobChunk.idx == idx)).scalar()
        if data is None:
            raise NotFoundError(N_("The attachment %(sha)s is incomplete in this store."), sha=sha256)
        yield data


def save_copy(session: Session, sha256: str, out: str | os.PathLike[str]) -> Path:
    """Write the attachment to `out` (temp file beside it, checked, then renamed)."""
    out = Path(out)
    if out.is_dir():
        raise InputError(N_("%(path)s is a folder; give a file name."), path=str(out))
    h = hashlib.sha256()
    with replacing(out) as fh:  # checked before it takes the name
        for data in iter_chunks(session, sha256):
            h.update(data)
            fh.write(data)
        if h.hexdigest() != sha256:
            raise NotFoundError(N_("The attachment %(sha)s is damaged in this store."), sha=sha256)
    return out


def add_file(session: Session, author, path: str | os.PathLike[str], target_id: str, kind: str = "document",
             default_language: str = "en", progress=None, **fields) -> SaveResult:
    """Store a file's bytes and an Attachment record linked to `target_id`."""
    from kkdesk.interchange import save
    from kkdesk.records import find

    p = Path(path)
    if p.is_dir():
        raise InputError(N_("%(path)s is a folder, not a file."), path=str(p))
    if not p.is_file():
        raise InputError(N_("File not found: %(path)s"), path=str(p))
    target = find(session, target_id)
    try:
        fh = p.open("rb")
    except OSError as exc:
        raise InputError(N_("The file %(path)s cannot be read: %(reason)s"), path=str(p), reason=exc.strerror or "") from None
    with fh:
        digest, size = put_stream(session, fh, progress)
    meta = {"sha256": digest, "size_bytes": size, "original_filename": p.name,
            "mime": mimetypes.guess_type(p.name)[0] or "application/octet-stream", "kind": kind,
            "target_entity": target.kind, "target_id": target.id, **fields}
    return save(session, author, "attachment", meta, default_language=default_language)
