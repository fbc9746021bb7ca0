"""The error tree of the core. Each error carries a user message that is translated
when it is shown (CLI line, GUI presenter), never when it is raised."""

from __future__ import annotations

from typing import Any


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


class Problem:
    """One problem of a document at a JSON path. `message` is a msgid with params."""

    __slots__ = ("path", "message", "params")

    def __init__(self, path: str, message: str, **params: Any) -> None:
        self.path = path.lstrip(".")
        self.message = message
        self.params = params

    def text(self, gettext=None) -> str:
        from kkdesk.i18n import _ as default_gettext

        msg = (gettext or default_gettext)(self.message)
        try:
            msg = msg % self.params if self.params else msg
        except (KeyError, TypeError, ValueError):
            pass
        return f"{self.path}: {msg}" if self.path else msg

    def as_dict(self, gettext=None) -> dict[str, str]:
        return {"path": self.path, "message": self.text(gettext).split(": ", 1)[-1] if self.path else self.text(gettext)}

    def __repr__(self) -> str:
        return f"Problem({self.path!r}, {self.message!r}, {self.params!r})"
