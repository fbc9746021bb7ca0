"""Open a bundle: decrypt it as a stream and hand its tar entries, in the order the
format requires, to a handler. Shared by `inspect` (stops after the signature) and
`import` (stages everything, then commits).

Order enforced: `manifest.json`, `signature`, then only the entries the manifest
lists, each once and with the size it states."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Protocol

from kkdesk.errors import Cancelled, InputError
from kkdesk.i18n import N_
from kkdesk.sync import age_io, manifest as M
from kkdesk.sync.errors import BundleDamagedError, BundleNeedsPassphraseError, BundleTooLargeError, NotABundleError
from kkdesk.sync.tarstream import EntrySink, TarFormatError, TarReader

MAX_SIGNATURE = 1024
ProgressFn = Callable[[int, int], bool | None]


class Stop(Exception):
    """Raised by a handler to end reading early (inspect, a bundle seen before)."""


class Handler(Protocol):
    def on_manifest(self, manifest: dict, data: bytes, passphrase_mode: bool, x25519_stanzas: int) -> None: ...
    def on_signature(self, data: bytes) -> None: ...
    def open_entry(self, entry: dict) -> EntrySink: ...


class _Collect:
    def __init__(self, limit: int, done: Callable[[bytes], None]) -> None:
        self.buf = bytearray()
        self.limit, self.done = limit, done

    def write(self, data) -> None:
        self.buf += data
        if len(self.buf) > self.limit:
            raise BundleDamagedError(M.DAMAGED_STRUCTURE, detail="size")

    def close(self) -> None:
        self.done(bytes(self.buf))


class _Dispatch:
    """Routes tar entries to the handler and checks their order, names and sizes."""

    def __init__(self, handler: Handler, passphrase_mode: bool, x25519_stanzas: int) -> None:
        self.handler = handler
        self.passphrase_mode, self.x25519_stanzas = passphrase_mode, x25519_stanzas
        self.index = 0
        self.expected: dict[str, dict] = {}
        self.seen: set[str] = set()

    def open_entry(self, name: str, size: int) -> EntrySink:
        index, self.index = self.index, self.index + 1
        if index == 0:
            if name != M.MANIFEST_NAME:
                raise NotABundleError(N_("This age file holds something other than a kkdesk bundle. "
                                         "Nothing was imported."))
            return _Collect(M.MAX_MANIFEST, self._manifest)
        if index == 1:
            if name != M.SIGNATURE_NAME or size > MAX_SIGNATURE:
                raise BundleDamagedError(M.DAMAGED_STRUCTURE, detail=M.SIGNATURE_NAME)
            return _Collect(MAX_SIGNATURE, self.handler.on_signature)
        entry = self.expected.get(name)
        if entry is None or name in self.seen or entry["size"] != size:
            raise BundleDamagedError(M.DAMAGED_STRUCTURE, detail=name[:80])
        self.seen.add(name)
        return self.handler.open_entry(entry)

    def _manifest(self, data: bytes) -> None:
        manifest = M.parse(data)
        self.expected = {e["name"]: e for e in manifest["entries"]}
        self.handler.on_manifest(manifest, data, self.passphrase_mode, self.x25519_stanzas)

    def check_complete(self) -> None:
        if self.index < 2:
            raise BundleDamagedError(M.DAMAGED_STRUCTURE, detail=M.SIGNATURE_NAME)
        missing = sorted(set(self.expected) - self.seen)
        if missing:
            raise BundleDamagedError(N_("The bundle is incomplete: the entry %(entry)s named in its manifest is "
                                        "missing. Nothing was imported."), entry=missing[0][:80])


class _CountingFile:
    """The bundle file as pyrage reads it: counts bytes for progress and cancels."""

    def __init__(self, fh, total: int, progress: ProgressFn | None) -> None:
        self.fh, self.total, self.progress = fh, total, progress
        self.done = 0
        self._last = 0
        self.error: BaseException | None = None

    def read(self, n: int = -1) -> bytes:
        data = self.fh.read(n)
        self.done += len(data)
        if self.progress is not None and (self.done - self._last >= (1 << 20) or not data):
            self._last = self.done
            if self.progress(self.done, self.total) is False:
                self.error = Cancelled(N_("The import was cancelled; nothing was changed."))
                raise self.error
        return data

    def readable(self) -> bool:
        return True


def read_bundle(path: Path | str, handler: Handler, identities: list[str], passphrase: str | None,
                progress: ProgressFn | None = None) -> bool:
    """Decrypt and parse the bundle into `handler`. Returns False if the handler
    stopped early, True if the whole bundle was read and checked."""
    path = Path(path)
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed below
    except FileNotFoundError:
        raise InputError(N_("File not found: %(path)s"), path=str(path)) from None
    except IsADirectoryError:
        raise InputError(N_("%(path)s is a folder, not a file."), path=str(path)) from None
    except OSError as exc:
        raise InputError(N_("The file %(path)s cannot be read: %(reason)s"), path=str(path), reason=exc.strerror or "") from None
    with fh:
        header = age_io.read_header(fh, str(path))
        total = os.fstat(fh.fileno()).st_size
        dispatch = _Dispatch(handler, header.passphrase, header.x25519_count)
        tar = TarReader(dispatch.open_entry)
        try:
            if header.passphrase:
                if passphrase is None:
                    raise BundleNeedsPassphraseError(N_("This bundle is protected by a passphrase; give it "
                                                        "(--bundle-passphrase-file) to open the bundle."))
                if total > age_io.PASSPHRASE_CAP + age_io.PASSPHRASE_CAP // 1000 + 65536:
                    raise BundleTooLargeError(N_("This passphrase bundle is larger than kkdesk opens "
                                                 "(%(cap)d MiB). Nothing was imported."),
                                              cap=age_io.PASSPHRASE_CAP >> 20)
                plain = age_io.decrypt_passphrase(fh.read(), passphrase)
                if progress is not None:
                    progress(total, total)
                view = memoryview(plain)
                for i in range(0, len(view), 1 << 20):
                    tar.write(view[i:i + (1 << 20)])
            else:
                age_io.decrypt_stream(_CountingFile(fh, total, progress), tar, identities)  # type: ignore[arg-type]
            tar.finish()
        except Stop:
            return False
        except TarFormatError as exc:
            raise BundleDamagedError(M.DAMAGED_STRUCTURE, detail=str(exc)) from None
    dispatch.check_complete()
    return True
