"""Size limits of what a record may hold, per field kind (README, "Limits").

A bundle or a document from someone we only half know must not be able to hang the
importer or fill the store: a name or title (schema TEXT, and each item of TEXT[]) holds
at most NAME_MAX_CHARS characters, a long text (LONGTEXT, hearing-checklist notes) at
most LONGTEXT_MAX_BYTES of UTF-8, and a record's canonical content at most
RECORD_MAX_BYTES. The same limits hold in import-json, in bundles and in the forms."""

from __future__ import annotations

from typing import Any

from kkdesk import schema as S
from kkdesk.errors import Problem
from kkdesk.i18n import N_

NAME_MAX_CHARS = 1000
LONGTEXT_MAX_BYTES = 1 << 20   # 1 MiB: about 500,000 Cyrillic or 1,000,000 Latin characters
RECORD_MAX_BYTES = 8 << 20     # 8 MiB of canonical JSON

NAME_TOO_LONG = N_("too long: %(n)s characters; a name or title holds at most %(max)s")
LONGTEXT_TOO_LONG = N_("too long: %(size)s; a long text holds at most 1 MiB (about 500,000 Cyrillic characters)")
RECORD_TOO_LARGE = N_("the record is too large: %(size)s; a record holds at most 8 MiB")


def mib(nbytes: int) -> str:
    return f"{nbytes / (1 << 20):.1f} MiB"


def text_problem(field_type: str, value: str) -> tuple[str, dict[str, Any]] | None:
    """(msgid, params) when `value` is too long for a field of `field_type`, else None."""
    if field_type in (S.TEXT, S.TEXTS):
        if len(value) > NAME_MAX_CHARS:
            return NAME_TOO_LONG, {"n": len(value), "max": NAME_MAX_CHARS}
    elif len(value) > LONGTEXT_MAX_BYTES // 4:
        size = len(value.encode("utf-8", "surrogatepass"))
        if size > LONGTEXT_MAX_BYTES:
            return LONGTEXT_TOO_LONG, {"size": mib(size)}
    return None


def content_problems(entity: S.Entity, content: Any, path: str = "") -> list[Problem]:
    """Every over-long text of a record's content (as stored: children as lists, the
    checklist as {item: {answer, note}}), with the field's path."""
    out: list[Problem] = []
    if not isinstance(content, dict):
        return out
    for key, value in content.items():
        f = entity.field(key)
        if f is None:
            continue
        p = f"{path}.{key}" if path else key
        if f.type in (S.TEXT, S.LONGTEXT) and isinstance(value, str):
            problem = text_problem(f.type, value)
            if problem:
                out.append(Problem(p, problem[0], **problem[1]))
        elif f.type == S.TEXTS and isinstance(value, list):
            for i, item in enumerate(value):
                problem = text_problem(S.TEXTS, item) if isinstance(item, str) else None
                if problem:
                    out.append(Problem(f"{p}[{i}]", problem[0], **problem[1]))
        elif f.type == S.CHILDREN and isinstance(value, list) and f.child is not None:
            for i, row in enumerate(value):
                out.extend(content_problems(f.child, row, f"{p}[{i}]"))
        elif f.type == S.CHECKLIST and isinstance(value, dict):
            for code, row in value.items():
                note = row.get("note") if isinstance(row, dict) else None
                problem = text_problem(S.LONGTEXT, note) if isinstance(note, str) else None
                if problem:
                    out.append(Problem(f"{p}.{code}.note", problem[0], **problem[1]))
    return out


def record_problem(size: int, where: str) -> Problem | None:
    """A Problem when a record's canonical content of `size` bytes is over the limit."""
    if size > RECORD_MAX_BYTES:
        return Problem(where, RECORD_TOO_LARGE, size=mib(size))
    return None
