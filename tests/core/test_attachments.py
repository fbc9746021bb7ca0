"""Attachments: content-addressed chunks inside the encrypted store, streamed both ways."""

import hashlib
import os
import tracemalloc

import pytest

from kkdesk import attachments, records
from kkdesk.errors import InputError, NotFoundError
from kkdesk.interchange import author_of, save


class PatternStream:
    """50 MB of pseudo-random bytes generated on the fly (never all in memory)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.pos = 0
        self.hash = hashlib.sha256()

    def read(self, n: int) -> bytes:
        n = min(n, self.size - self.pos)
        if n <= 0:
            return b""
        block = hashlib.sha512(str(self.pos).encode()).digest() * (n // 64 + 1)
        data = block[:n]
        self.pos += n
        self.hash.update(data)
        return data


def test_50mb_round_trip_with_bounded_memory(store, tmp_path):
    size = 50 * 1024 * 1024
    stream = PatternStream(size)
    tracemalloc.start()
    with store.session() as s:
        digest, n = attachments.put_stream(s, stream)
    _, peak_in = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert n == size and digest == stream.hash.hexdigest()
    out = tmp_path / "copy.bin"
    tracemalloc.start()
    with store.session() as s:
        attachments.save_copy(s, digest, out)
    _, peak_out = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert out.stat().st_size == size
    h = hashlib.sha256()
    with out.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    assert h.hexdigest() == digest
    # a few chunks at a time, never the whole 50 MB
    assert peak_in < 12 * 1024 * 1024, peak_in
    assert peak_out < 12 * 1024 * 1024, peak_out


def test_same_bytes_stored_once(store):
    with store.session() as s:
        a = attachments.put_stream(s, PatternStream(3 * 1024 * 1024 + 5))
        b = attachments.put_stream(s, PatternStream(3 * 1024 * 1024 + 5))
        from sqlalchemy import func, select

        from kkdesk.db.models import Blob, BlobChunk

        assert a == b
        assert s.execute(select(func.count()).select_from(Blob)).scalar() == 1
        assert s.execute(select(func.count()).select_from(BlobChunk)).scalar() == 4


def test_add_file_creates_attachment_record(store, tmp_path):
    with store.session() as s:
        person = save(s, author_of(store), "person", {"name_kk": "Әсел", "primary_target_group": "hrd"})
    f = tmp_path / "скан.pdf"
    f.write_bytes(b"%PDF-1.4 test")
    with store.session() as s:
        r = attachments.add_file(s, author_of(store), f, person.id, kind="scan")
        view = records.get(s, r.id)
    assert view.content["sha256"] == hashlib.sha256(b"%PDF-1.4 test").hexdigest()
    assert view.content["original_filename"] == "скан.pdf" and view.content["target_id"] == person.id
    assert view.record_no.startswith("AT-")


def test_missing_file_and_unknown_blob(store, tmp_path):
    with store.session() as s:
        person = save(s, author_of(store), "person", {"name_kk": "Әсел", "primary_target_group": "hrd"})
    with pytest.raises(InputError):
        with store.session() as s:
            attachments.add_file(s, author_of(store), tmp_path / "nope.jpg", person.id)
    with pytest.raises(NotFoundError):
        with store.session() as s:
            attachments.save_copy(s, "0" * 64, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    assert not [p for p in os.listdir(tmp_path) if p.endswith((".part", ".kkdesk-tmp"))]
