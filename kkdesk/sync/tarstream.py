"""The bundle's tar stream, written and read piece by piece (bounded memory).

Writing: POSIX ustar headers from the standard library (`tarfile.TarInfo.tobuf`),
then the entry's bytes, padding to 512 bytes, and the end-of-archive blocks, so
`tar -t` lists a decrypted bundle. Reading: age decryption *pushes* plaintext into
a writer (`pyrage.decrypt_io`), while `tarfile` *pulls*; `TarReader` is a small
push-fed parser of the same format that hands each entry's bytes to a callback as
they arrive, without a thread or a buffer of the whole entry.
"""

from __future__ import annotations

import tarfile
from typing import Callable, Iterator, Protocol

BLOCK = 512
RECORD = 20 * BLOCK  # tar's default record size; the archive is padded to it
USTAR_MAX_SIZE = 8 ** 11 - 1  # 8 GiB - 1: the largest size a ustar header holds


def header(name: str, size: int, mtime: int) -> bytes:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = mtime
    info.mode = 0o600
    info.type = tarfile.REGTYPE
    return info.tobuf(format=tarfile.USTAR_FORMAT, encoding="utf-8", errors="strict")


def padding(size: int) -> bytes:
    return b"\0" * (-size % BLOCK)


def end_of_archive(offset: int) -> bytes:
    """Two zero blocks, then zeros up to a multiple of RECORD (as tar writes it)."""
    total = offset + 2 * BLOCK
    return b"\0" * (2 * BLOCK + (-total % RECORD))


class ChunkReader:
    """A file-like `read(n)` over an iterator of byte chunks (what pyrage.encrypt_io
    pulls from). `on_read(total)` is called as bytes are handed out."""

    def __init__(self, chunks: Iterator[bytes], on_read: Callable[[int], None] | None = None) -> None:
        self._chunks = chunks
        self._buf = b""
        self._pos = 0
        self.total = 0
        self._on_read = on_read

    def read(self, n: int = -1) -> bytes:
        if n is None or n < 0:
            n = 1 << 20
        while self._pos >= len(self._buf):
            try:
                self._buf = next(self._chunks)
            except StopIteration:
                return b""
            self._pos = 0
        out = self._buf[self._pos:self._pos + n]
        self._pos += len(out)
        self.total += len(out)
        if self._on_read is not None:
            self._on_read(self.total)
        return out

    def readable(self) -> bool:
        return True


class EntrySink(Protocol):
    def write(self, data: memoryview) -> None: ...
    def close(self) -> None: ...


class TarFormatError(Exception):
    """The stream is not a well-formed ustar archive of regular files."""


_HEADER, _DATA, _PAD, _END = range(4)


class TarReader:
    """Push-fed tar parser: `write(data)` any number of times, then `finish()`.
    `open_entry(name, size)` returns the sink for each regular-file entry."""

    def __init__(self, open_entry: Callable[[str, int], EntrySink]) -> None:
        self._open = open_entry
        self._hdr = bytearray()
        self._state = _HEADER
        self._remaining = 0
        self._pad = 0
        self._entry: EntrySink | None = None
        self._zero_blocks = 0
        self.consumed = 0

    def write(self, data) -> int:
        mv = memoryview(data).cast("B")
        n = len(mv)
        i = 0
        while i < n:
            if self._state == _DATA:
                take = min(self._remaining, n - i)
                self._entry.write(mv[i:i + take])  # type: ignore[union-attr]
                i += take
                self._remaining -= take
                if self._remaining == 0:
                    self._close_entry()
            elif self._state == _HEADER:
                take = min(BLOCK - len(self._hdr), n - i)
                self._hdr += mv[i:i + take]
                i += take
                if len(self._hdr) == BLOCK:
                    block = bytes(self._hdr)
                    self._hdr.clear()
                    self._header(block)
            elif self._state == _PAD:
                take = min(self._pad, n - i)
                i += take
                self._pad -= take
                if self._pad == 0:
                    self._state = _HEADER
            else:  # after the end-of-archive blocks only zeros may follow
                if any(mv[i:]):
                    raise TarFormatError("data after the end of the archive")
                i = n
        self.consumed += n
        return n

    def flush(self) -> None:
        pass

    def _close_entry(self) -> None:
        entry, self._entry = self._entry, None
        entry.close()  # type: ignore[union-attr]
        self._state = _PAD if self._pad else _HEADER

    def _header(self, block: bytes) -> None:
        if block == b"\0" * BLOCK:
            self._zero_blocks += 1
            if self._zero_blocks == 2:
                self._state = _END
            return
        if self._zero_blocks:
            raise TarFormatError("a zero block inside the archive")
        try:
            info = tarfile.TarInfo.frombuf(block, "utf-8", "strict")
        except (tarfile.HeaderError, UnicodeDecodeError, ValueError) as exc:
            raise TarFormatError(f"bad header: {exc}") from None
        if info.type not in (tarfile.REGTYPE, tarfile.AREGTYPE):
            raise TarFormatError("an entry that is not a regular file")
        self._entry = self._open(info.name, info.size)
        self._remaining = info.size
        self._pad = -info.size % BLOCK
        self._state = _DATA
        if info.size == 0:
            self._close_entry()

    def finish(self) -> None:
        if self._state != _END:
            raise TarFormatError("the archive ends early")


_DONE = object()  # the helper thread has sent every chunk


class _Failed:
    def __init__(self, exc: BaseException) -> None:
        self.exc = exc


def prefetched(chunks: Iterator[bytes], depth: int = 3) -> Iterator[bytes]:
    """`chunks`, produced by a helper thread up to `depth` ahead. Reading attachment
    chunks from the store spends most of its time in SQLite (page decryption and
    HMAC checks) and hashlib, which release the GIL, so it overlaps with age
    encryption in the consuming thread. Errors are re-raised here; when the consumer
    stops early the helper stops too (no thread left holding the store)."""
    import queue
    import threading

    q: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item) -> bool:
        while not stop.is_set():
            try:
                q.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def work() -> None:
        try:
            for chunk in chunks:
                if not put(chunk):
                    return
            put(_DONE)
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer
            put(_Failed(exc))

    thread = threading.Thread(target=work, name="kkdesk-bundle-read", daemon=True)
    thread.start()
    try:
        while True:
            item = q.get()
            if item is _DONE:
                return
            if isinstance(item, _Failed):
                raise item.exc
            yield item
    finally:
        stop.set()
        thread.join()
