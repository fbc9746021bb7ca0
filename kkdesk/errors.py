"""The error tree of the core. Each error carries a user message that is translated
when it is shown (CLI line, GUI presenter), never when it is raised."""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Any

from kkdesk.i18n import N_


class KkdeskError(Exception):
    """Base of every error a user may see. `message` is an untranslated msgid
    (marked with N_); `params` fill its %(name)s placeholders after translation."""

    exit_code = 1

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message)
        self.message = message
        self.params = params
        self.details: list[str] = []

    def user_message(self, gettext=None) -> str:
        from kkdesk.i18n import _ as default_gettext

        text = (gettext or default_gettext)(self.message)
        try:
            return text % self.params if self.params else text
        except (KeyError, TypeError, ValueError):
            return text

    def __str__(self) -> str:  # untranslated, for logs and tracebacks in tests
        try:
            return self.message % self.params if self.params else self.message
        except (KeyError, TypeError, ValueError):
            return self.message


class StoreLockedError(KkdeskError):
    """Wrong passphrase, or the store file is damaged (SQLCipher cannot tell them apart)."""


class ProfileError(KkdeskError):
    """Missing, existing or malformed profile folder."""


class ValidationError(KkdeskError):
    """A document or record was refused; `problems` lists `path: message` lines."""

    def __init__(self, message: str, problems: list["Problem"] | None = None, **params: Any) -> None:
        super().__init__(message, **params)
        self.problems = problems or []


class NotFoundError(KkdeskError):
    pass


class InputError(KkdeskError):
    """Bad user input that is not a document: a missing file, an unknown option value."""


class Cancelled(KkdeskError):
    """The user cancelled a long operation; nothing was changed."""


class StaleVersionError(KkdeskError):
    """An action meant for the version on screen, but the record has moved on."""


class StorageError(KkdeskError):
    """The disk refused: full, read-only, gone (a removed USB stick), or the store is
    busy in another program. Raised in place of SQLite's and the OS's English texts."""


class StoreBusyError(StorageError):
    """Another connection held the store past the busy timeout: worth trying again."""


class DamagedStoreError(StorageError):
    """The store file fails SQLCipher's page check or SQLite's structure check: what it
    holds cannot be read or trusted; a backup has to be restored."""


DAMAGED_STORE = N_("The store file kkdesk.db is damaged and cannot be read. Restore a backup into an empty folder "
                   "with: kkdesk-cli restore BACKUP --home FOLDER")
# SQLite's texts for a file whose pages or structure are broken
_DAMAGE_TEXTS = ("database disk image is malformed", "file is not a database", "HMAC verification failed")


# SQLite's messages for its result codes (sqlite3_errstr), stable across versions
_SQLITE_MESSAGES = (
    ("database or disk is full", N_("There is not enough free disk space; nothing was changed. Free some space "
                                    "and try again.")),
    ("attempt to write a readonly database", N_("The store cannot be written: its folder or disk is "
                                                "read-only. Nothing was changed.")),
    ("disk I/O error", N_("The disk could not be read or written; nothing was changed. If the profile or the "
                          "file is on a removable drive, check that it is connected.")),
    ("database is locked", N_("The store is busy in another kkdesk window or program; nothing was changed. "
                              "Try again in a moment.")),
)


def storage_error(exc: BaseException, path: object = None) -> KkdeskError | None:
    """The user's message for a failed read or write (a SQLite OperationalError, plain
    or wrapped by SQLAlchemy, or an OSError of a full, read-only or failing disk), or
    None for anything else.
    `path` names the file for an OSError that does not carry one."""
    orig = getattr(exc, "orig", None) or exc
    if isinstance(exc, DamagedStoreError):
        return exc
    if type(orig).__name__ in ("DatabaseError", "OperationalError") and any(t in str(orig) for t in _DAMAGE_TEXTS):
        return DamagedStoreError(DAMAGED_STORE)
    if type(orig).__name__ == "OperationalError":
        text = str(orig)
        for key, message in _SQLITE_MESSAGES:
            if key in text:
                return (StoreBusyError if key == "database is locked" else StorageError)(message)
        return None
    if not isinstance(exc, OSError):
        return None
    where = str(path if path is not None else exc.filename or "")
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return StorageError(N_("The disk is full: %(path)s could not be written. Nothing was written; free "
                               "some space and try again."), path=where)
    if exc.errno == errno.EROFS:
        return StorageError(N_("%(path)s cannot be written: the disk is read-only."), path=where)
    if exc.errno in (errno.EACCES, errno.EPERM):
        return StorageError(N_("%(path)s cannot be written: permission denied."), path=where)
    if exc.errno == errno.EIO:
        return StorageError(N_("%(path)s could not be read or written: the disk reported an error. If it is a "
                               "removable drive, check that it is connected."), path=where)
    return None


def write_error(exc: OSError, path: object) -> KkdeskError:
    """The user's message for a file that could not be written to `path`."""
    folder = Path(str(path)).parent
    if isinstance(exc, (FileNotFoundError, NotADirectoryError)) and not folder.is_dir():  # not the OS's English
        return InputError(N_("The folder %(path)s does not exist."), path=str(folder))
    return storage_error(exc, path) or InputError(N_("%(path)s cannot be written: %(reason)s"), path=str(path),
                                                  reason=exc.strerror or str(exc))


def file_error(exc: OSError) -> KkdeskError:
    """The user's message for any other failed file operation."""
    where = f" ({exc.filename})" if exc.filename else ""
    return storage_error(exc) or InputError(N_("A file could not be read or written: %(reason)s"),
                                            reason=f"{exc.strerror or exc}{where}")


def translated_params(params: dict, gettext) -> dict:
    """A problem's params with its "reason", itself a message of the rules (marked N_), translated."""
    return {k: (gettext(v) if k == "reason" and isinstance(v, str) else v) for k, v in params.items()}


class Problem:
    """One problem of a document at a JSON path. `message` is a msgid with params."""

    __slots__ = ("path", "message", "params")

    def __init__(self, path: str, message: str, **params: Any) -> None:
        self.path = path.lstrip(".")
        self.message = message
        self.params = params

    def text(self, gettext=None) -> str:
        from kkdesk.i18n import _ as default_gettext

        gettext = gettext or default_gettext
        msg = gettext(self.message)
        try:
            msg = msg % translated_params(self.params, gettext) if self.params else msg
        except (KeyError, TypeError, ValueError):
            pass
        return f"{self.path}: {msg}" if self.path else msg

    def as_dict(self, gettext=None) -> dict[str, str]:
        return {"path": self.path, "message": self.text(gettext).split(": ", 1)[-1] if self.path else self.text(gettext)}

    def __repr__(self) -> str:
        return f"Problem({self.path!r}, {self.message!r}, {self.params!r})"
