"""Files written whole or not at all: every file kkdesk writes (keys, profile, exports,
bundles, backups, PDF sheets, restored stores) goes through `replacing`."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from kkdesk.errors import write_error


@contextlib.contextmanager
def replacing(path: Path, mode: int = 0o600, suffix: str = "") -> Iterator[BinaryIO]:
    """A temp file in `path`'s folder, readable by the owner only. When the block ends
    it is fsynced and renamed over `path`; when the block raises it is removed, so a
    full USB stick or a cancel leaves neither a partial file nor a stray temp file.
    OSErrors become the user's message naming `path` (errors.write_error)."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=str(path.parent))
    except OSError as exc:
        raise write_error(exc, path) from None
    try:
        if hasattr(os, "fchmod"):  # not on Windows, where the folder's ACL applies
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())  # on the disk before it takes the name (a stick may be pulled next)
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise write_error(exc, path) from None
        raise


def write_atomic(path: Path, data: bytes, mode: int = 0o600) -> None:
    with replacing(path, mode) as fh:
        fh.write(data)
