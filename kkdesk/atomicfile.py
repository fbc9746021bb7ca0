"""Files written whole or not at all: every file kkdesk writes (keys, profile, exports,
bundles, backups, PDF sheets, restored stores) goes through `replacing`.

Temporary files and folders carry one name pattern that is kkdesk's alone,

    .<target name>.<pid>.<8 random characters>.kkdesk-tmp

so that what a killed process left (a pulled plug, kill -9, a crash) is recognised and
removed by the next write, export or import in that folder (`remove_stale`): on a USB
stick a stray temp file would show that an export was tried. A name is stale when the
process that made it is gone, or when it has not changed for a day; files of other
programs, and kkdesk's own in-progress files, are never touched."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from kkdesk.errors import StorageError, write_error
from kkdesk.i18n import N_

TEMP_SUFFIX = ".kkdesk-tmp"
# mkstemp's random part: 8 characters of tempfile._RandomNameSequence (a-z, 0-9, _)
_TEMP_NAME = re.compile(r"\A\..+\.(?P<pid>[0-9]{1,10})\.[a-z0-9_]{8}" + re.escape(TEMP_SUFFIX) + r"\Z")
STALE_AFTER = 24 * 3600.0  # seconds without a change after which even a live pid's temp file is stale
# os.replace over a file another program holds open fails on Windows (a PDF viewer,
# an antivirus scan): waits between tries, about 2 s in all
REPLACE_BACKOFF = (0.05, 0.1, 0.2, 0.4, 0.6, 0.8)


def temp_prefix(name: str) -> str:
    return f".{name}.{os.getpid()}."


def is_temp_name(name: str) -> bool:
    """True for a name made by `replacing` or `scratch_dir` (of any kkdesk process)."""
    return _TEMP_NAME.match(name) is not None


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True  # another thread of this process may be writing it
    import psutil  # deferred: needed only when a temp name is found

    try:
        return psutil.pid_exists(pid)
    except (OSError, ValueError):  # pid out of range for this system
        return False


def remove_stale(folder: Path | str) -> list[Path]:
    """Remove the temp files and folders kkdesk processes that are gone left in
    `folder` (not recursively). Returns what was removed; never raises for it."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        match = _TEMP_NAME.match(entry.name)
        if match is None:
            continue
        try:
            old = now - entry.stat(follow_symlinks=False).st_mtime > STALE_AFTER
            if not old and _pid_alive(int(match["pid"])):
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
        except OSError:  # in use (Windows), gone meanwhile, or read-only: leave it
            continue
        removed.append(Path(entry.path))
    return removed


@contextlib.contextmanager
def scratch_dir(folder: Path) -> Iterator[Path]:
    """A temporary folder inside `folder` under kkdesk's temp name pattern (e.g. for a
    backup's snapshot beside the backup), removed when the block ends."""
    remove_stale(folder)
    path = Path(tempfile.mkdtemp(prefix=temp_prefix("kkdesk-scratch"), suffix=TEMP_SUFFIX, dir=str(folder)))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _replace(tmp: str, path: Path) -> None:
    """os.replace, tried again while another program holds `path` open (Windows)."""
    for delay in (*REPLACE_BACKOFF, None):
        try:
            os.replace(tmp, path)
            return
        except PermissionError:
            if delay is None:
                raise StorageError(N_("%(path)s is open in another program (for example a PDF viewer), so it "
                                      "cannot be replaced. Close it there and try again; nothing was written."),
                                   path=str(path)) from None
            time.sleep(delay)


def move_into_place(src: Path, path: Path) -> None:
    """Rename a finished file (in the same folder tree) over `path`, like `replacing` does."""
    try:
        _replace(str(src), path)
    except OSError as exc:
        raise write_error(exc, path) from None


@contextlib.contextmanager
def replacing(path: Path, mode: int = 0o600) -> Iterator[BinaryIO]:
    """A temp file in `path`'s folder, readable by the owner only. When the block ends
    it is fsynced and renamed over `path`; when the block raises it is removed, so a
    full USB stick or a cancel leaves neither a partial file nor a stray temp file.
    OSErrors become the user's message naming `path` (errors.write_error)."""
    path = Path(path)
    remove_stale(path.parent)
    try:
        fd, tmp = tempfile.mkstemp(prefix=temp_prefix(path.name), suffix=TEMP_SUFFIX, dir=str(path.parent))
    except OSError as exc:
        raise write_error(exc, path) from None
    try:
        if hasattr(os, "fchmod"):  # not on Windows, where the folder's ACL applies
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())  # on the disk before it takes the name (a stick may be pulled next)
        _replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise write_error(exc, path) from None
        raise


def write_atomic(path: Path, data: bytes, mode: int = 0o600) -> None:
    with replacing(path, mode) as fh:
        fh.write(data)
