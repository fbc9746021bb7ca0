"""Turn a record in interchange form into its canonical content, or say why not.

Structural problems (unknown keys, wrong types, unknown codes, category codes in
leaf-only fields, missing required fields, dangling references) are errors; SPEC's
conditional requirements and §7 rules are warnings (see rules.py). Content is what
a revision hashes: defaults filled in, empty values dropped, references as UUIDs,
decimals as exact strings, child rows with stable ids.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from kkdesk import schema as S
from kkdesk.errors import Problem
from kkdesk.i18n import N_
from kkdesk.limits import text_problem
from kkdesk.searchtext import nfc
from kkdesk.vocab import vocabularies

ID_NAMESPACE = uuid.UUID("dab3c1d0-812a-490a-81c7-6a2f36b5b254")
_NS_BYTES = ID_NAMESPACE.bytes
_UUID_RE = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z")
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_DT_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$")
_TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_COUNTRY_RE = re.compile(r"^[A-Z]{2}$")


class Context(Protocol):
    """What normalisation needs to know outside the record itself."""

    default_language: str

    def resolve(self, kind: str, value: str) -> str | None:
        """The UUID a reference names (document id or UUID in the profile), or None."""

    def content(self, kind: str, record_id: str) -> dict | None:
        """The current content of a referenced record, for derived defaults."""


def is_uuid(value: Any) -> bool:
    """A UUID in its 36-character hyphenated form (either case)."""
    return isinstance(value, str) and len(value) == 36 and _UUID_RE.match(value) is not None


def uuid5(name: str) -> str:
    """`str(uuid.uuid5(ID_NAMESPACE, name))`, without building UUID objects: an import of
    a million acts derives millions of these (tests/test_normalize.py checks equality)."""
    h = bytearray(hashlib.sha1(_NS_BYTES + name.encode("utf-8")).digest()[:16])
    h[6] = (h[6] & 0x0F) | 0x50  # version 5
    h[8] = (h[8] & 0x3F) | 0x80  # RFC 4122 variant
    x = h.hex()
    return f"{x[:8]}-{x[8:12]}-{x[12:16]}-{x[16:20]}-{x[20:]}"


def map_id(namespace: str, list_name: str, value: str) -> str:
    """A document id as a UUID: UUIDs stay, anything else is uuid5(NS, "ns/list/id")."""
    if is_uuid(value):
        return value.lower()
    return uuid5(f"{namespace}/{list_name}/{value}")


def child_id(record_id: str, path: str, given: Any) -> str:
    if isinstance(given, str) and is_uuid(given):
        return given.lower()
    key = given if given is not None else "#"
    return uuid5(f"{record_id}/{path}/{key}")


@functools.lru_cache(maxsize=65536)  # an import meets the same few thousand dates over and over
def date_parts(text: str) -> tuple[int, int | None, int | None]:
    m = _DATE_RE.match(text)
    assert m
    return int(m.group(1)), (int(m.group(2)) if m.group(2) else None), (int(m.group(3)) if m.group(3) else None)


@functools.lru_cache(maxsize=65536)
def date_first_day(text: str | None) -> str | None:
    """'2024-03' -> '2024-03-01'; None for None."""
    if not text:
        return None
    y, m, d = date_parts(text)
    return f"{y:04d}-{m or 1:02d}-{d or 1:02d}"


def datetime_utc(text: str | None) -> str | None:
    if not text:
        return None
    if _TIME_RE.match(text):
        return None
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value.astimezone(dt.timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


# RFC 8785 (I-JSON) numbers are IEEE doubles: larger integers do not round-trip exactly,
# and the canonical form of a revision would not be RFC 8785's
MAX_SAFE_INTEGER = 2**53 - 1


def _short_number(raw: Any) -> str:
    text = str(raw) if not isinstance(raw, int) or raw.bit_length() < 4000 else "~2^%d" % raw.bit_length()
    return text if len(text) <= 40 else text[:20] + "…" + text[-8:]


class Normaliser:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.vocab = vocabularies()
        self.errors: list[Problem] = []

    def error(self, path: str, message: str, **params: Any) -> None:
        self.errors.append(Problem(path, message, **params))

    # -- values ----------------------------------------------------------------
    def value(self, f: S.Field, raw: Any, path: str, record_id: str) -> Any:
        t = f.type
        if t in (S.TEXT, S.LONGTEXT):
            if not isinstance(raw, str):
                return self.error(path, N_("expected text"))
            too_long = text_problem(t, raw)
            if too_long:
                return self.error(path, too_long[0], **too_long[1])
            return nfc(raw) if raw != "" else None
        if t == S.TEXTS:
            if isinstance(raw, str):
                raw = [raw]
            if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
                return self.error(path, N_("expected a list of texts"))
            if f.name == "citizenship":
                for i, x in enumerate(raw):
                    if not _COUNTRY_RE.match(x):
                        self.error(f"{path}[{i}]", N_("expected a two-letter country code (ISO 3166-1), got '%(value)s'"), value=x)
            for i, x in enumerate(raw):
                too_long = text_problem(t, x)
                if too_long:
                    self.error(f"{path}[{i}]", too_long[0], **too_long[1])
            out = [nfc(x) for x in raw if x != ""]
            return out or None
        if t == S.CODE:
            return self.code(f, raw, path)
        if t == S.CODES:
            if isinstance(raw, str):
                raw = [raw]
            if not isinstance(raw, list):
                return self.error(path, N_("expected a list of codes"))
            out = []
            for i, x in enumerate(raw):
                c = self.code(f, x, f"{path}[{i}]")
                if c is not None and c not in out:
                    out.append(c)
            return out or None
        if t == S.DATE:
            if not isinstance(raw, str) or not _DATE_RE.match(raw):
                return self.error(path, N_("expected a date (YYYY, YYYY-MM or YYYY-MM-DD), got '%(value)s'"), value=str(raw))
            y, m, d = date_parts(raw)
            try:
                dt.date(y, m or 1, d or 1)
            except ValueError:
                return self.error(path, N_("not a valid date: '%(value)s'"), value=raw)
            return raw
        if t == S.DATETIME:
            return self.datetime(raw, path)
        if t == S.NOTETIME:
            if isinstance(raw, str) and _TIME_RE.match(raw):
                return raw
            return self.datetime(raw, path)
        if t == S.INT:
            if isinstance(raw, bool) or not isinstance(raw, (int, Decimal)):
                return self.error(path, N_("expected a whole number"))
            if isinstance(raw, Decimal) and not raw.is_finite():
                return self.error(path, N_("expected a whole number"))
            if not -MAX_SAFE_INTEGER <= raw <= MAX_SAFE_INTEGER:  # before int(): 1E+999999999 is a Decimal
                return self.error(path, N_("the number %(value)s is too large: whole numbers must lie within "
                                           "±9007199254740991 (2^53 − 1)"), value=_short_number(raw))
            if isinstance(raw, Decimal):
                if raw != raw.to_integral_value():
                    return self.error(path, N_("expected a whole number"))
                raw = int(raw)
            if raw < 0:
                return self.error(path, N_("expected a number of zero or more"))
            return raw
        if t == S.DEC:
            if isinstance(raw, bool) or not isinstance(raw, (int, Decimal, float, str)):
                return self.error(path, N_("expected a number"))
            try:
                value = Decimal(str(raw))
            except InvalidOperation:
                return self.error(path, N_("expected a number"))
            if not value.is_finite():
                return self.error(path, N_("expected a number"))
            if f.name in ("diagram_x", "diagram_y") and not (0 <= value <= 1):
                return self.error(path, N_("expected a fraction between 0 and 1"))
            return str(value)
        if t == S.BOOL:
            if not isinstance(raw, bool):
                return self.error(path, N_("expected true or false"))
            return raw
        if t == S.ENUM:
            if raw not in f.values:
                return self.error(path, N_("'%(value)s' is not one of: %(allowed)s"), value=str(raw), allowed=", ".join(f.values))
            return raw
        if t == S.REF:
            return self.ref(f.ref or "any", raw, path)
        if t == S.REFS:
            if not isinstance(raw, list):
                return self.error(path, N_("expected a list of references"))
            out = [self.ref(f.ref or "any", x, f"{path}[{i}]") for i, x in enumerate(raw)]  # type: ignore[misc]
            out = [x for x in out if x]
            return out or None
        raise AssertionError(t)

    def code(self, f: S.Field, raw: Any, path: str) -> str | None:
        if not isinstance(raw, str):
            self.error(path, N_("expected a code of vocabulary %(vocabulary)s"), vocabulary=f.vocab)
            return None
        term = self.vocab.get(f.vocab, raw)  # type: ignore[arg-type]
        if term is None:
            self.error(path, N_("unknown code '%(code)s' in vocabulary %(vocabulary)s"), code=raw, vocabulary=f.vocab)
            return None
        if f.leaf_only and term.is_category:
            self.error(path, N_("'%(code)s' is a category of vocabulary %(vocabulary)s; choose one of its terms"), code=raw, vocabulary=f.vocab)  # noqa: E501
            return None
        return raw

    def datetime(self, raw: Any, path: str) -> str | None:
        if not isinstance(raw, str) or not _DT_RE.match(raw):
            self.error(path, N_("expected a date and time with UTC offset (e.g. 2024-02-22T10:00+05:00), got '%(value)s'"), value=str(raw))
            return None
        try:
            dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            self.error(path, N_("not a valid date and time: '%(value)s'"), value=raw)
            return None
        return raw

    def ref(self, kind: str, raw: Any, path: str) -> str | None:
        if isinstance(raw, dict) and kind == "court":
            return self.ctx.resolve("court", raw)  # type: ignore[arg-type]  # inline court, see interchange
        if not isinstance(raw, str) or raw == "":
            self.error(path, N_("expected a reference (an id)"))
            return None
        target = self.ctx.resolve(kind, raw)
        if target is None:
            self.error(path, N_("reference to '%(id)s' that is neither in the document nor in the profile"), id=raw)
        return target

    # -- objects ----------------------------------------------------------------
    def record(self, entity: S.Entity, raw: Any, path: str, record_id: str, extra_keys: tuple[str, ...] = ()) -> dict | None:
        if not isinstance(raw, dict):
            self.error(path, N_("expected an object"))
            return None
        out: dict[str, Any] = {}
        for key, raw_value in raw.items():
            f = entity.field(key)
            if f is None or key == "id":
                if f is None and key not in extra_keys:
                    self.error(f"{path}.{key}", N_("unknown field"))
                continue
            if raw_value is None:
                continue
            p = f"{path}.{key}"
            if f.type == S.CHILDREN:
                if not isinstance(raw_value, list):
                    self.error(p, N_("expected a list"))
                    continue
                rows = []
                for i, item in enumerate(raw_value):
                    row = self.child(f.child, item, f"{p}[{i}]", record_id, key, i)  # type: ignore[arg-type]
                    if row is not None:
                        rows.append(row)
                if rows:
                    out[key] = rows
            elif f.type == S.CHECKLIST:
                checklist = self.checklist(f, raw_value, p)
                if checklist:
                    out[key] = checklist
            else:
                value = self.value(f, raw_value, p, record_id)
                if value is not None:
                    out[key] = value
        # precision companions follow the date's own precision unless given
        for f in entity.dated_fields:
            if f.name in out and f.precision not in out:
                y, m, d = date_parts(out[f.name])
                out[f.precision] = "day" if d else ("month" if m else "year")  # type: ignore[index]
        return out

    def child(self, entity: S.Entity, raw: Any, path: str, parent_id: str, list_name: str, index: int) -> dict | None:
        if not isinstance(raw, dict):
            self.error(path, N_("expected an object"))
            return None
        given = raw.get("id")
        if given is not None and not isinstance(given, str):
            self.error(f"{path}.id", N_("expected text"))
            given = None
        row_id = child_id(parent_id, list_name, given if given is not None else f"#{index}")
        out = self.record(entity, raw, path, row_id, extra_keys=_CHILD_EXTRA.get(entity.kind, ()))
        if out is None:
            return None
        return {"id": row_id, **out}

    def checklist(self, f: S.Field, raw: Any, path: str) -> dict | None:
        """{item code: {answer, note[, attachment]}}: the child entity `f.child` names
        the item's vocabulary (fair_trial_item for hearings, detention_safeguard for
        detentions) and the keys an entry may have."""
        if not isinstance(raw, dict):
            self.error(path, N_("expected an object of checklist items"))
            return None
        child: S.Entity = f.child  # type: ignore[assignment]
        item_vocab = child.field("item").vocab  # type: ignore[union-attr]
        allowed = {c.name for c in child.fields if c.name != "item"}
        out: dict[str, Any] = {}
        for code, entry in raw.items():
            p = f"{path}.{code}"
            if self.vocab.get(item_vocab, code) is None:  # type: ignore[arg-type]
                self.error(p, N_("unknown code '%(code)s' in vocabulary %(vocabulary)s"), code=code, vocabulary=item_vocab)
                continue
            if isinstance(entry, str):
                entry = {"answer": entry}
            if not isinstance(entry, dict):
                self.error(p, N_("expected an object with answer and note"))
                continue
            for key in entry:
                if key not in allowed:
                    self.error(f"{p}.{key}", N_("unknown field"))
            row: dict[str, Any] = {}
            answer = entry.get("answer")
            if answer is None:
                self.error(f"{p}.answer", N_("required field is missing"))
                continue
            ans = self.code(child.field("answer"), answer, f"{p}.answer")  # type: ignore[arg-type]
            if ans is None:
                continue
            row["answer"] = ans
            note = entry.get("note")
            if note is not None:
                too_long = text_problem(S.LONGTEXT, note) if isinstance(note, str) else None
                if not isinstance(note, str):
                    self.error(f"{p}.note", N_("expected text"))
                elif too_long:
                    self.error(f"{p}.note", too_long[0], **too_long[1])
                elif note:
                    row["note"] = nfc(note)
            if "attachment" in allowed and entry.get("attachment") is not None:
                att = self.ref("attachment", entry["attachment"], f"{p}.attachment")
                if att:
                    row["attachment"] = att
            out[code] = row
        return out or None


_CHILD_EXTRA: dict[str, tuple[str, ...]] = {}


_REQUIRE_PLANS: dict[str, tuple[list[S.Field], list[tuple[str, Any]], list[str]]] = {}


def _require_plan(entity: S.Entity) -> tuple[list[S.Field], list[tuple[str, Any]], list[str]]:
    """(child lists, (field, default) pairs, required fields) of an entity."""
    plan = _REQUIRE_PLANS.get(entity.kind)
    if plan is None:
        fields = [f for f in entity.fields if f.name != "id" and f.type != S.CHECKLIST]
        plan = _REQUIRE_PLANS[entity.kind] = (
            [f for f in fields if f.type == S.CHILDREN],
            [(f.name, f.default) for f in fields if f.type != S.CHILDREN and f.default is not None],
            [f.name for f in fields if f.type != S.CHILDREN and f.req == "R"])
    return plan


# required fields a child row may lack and still be saved: the rules warn instead
# (kkdesk.rules.UNFINISHED_FINDING_FIELDS — an unfinished finding placed by a click)
UNFINISHED = {"physical_finding": ("body_region", "laterality", "lesion_type", "stage", "consistency")}


def require(entity: S.Entity, content: dict, path: str, errors: list[Problem], refused: set[str] | None = None) -> None:
    """Fill defaults of required fields; a required field with no value and no default is an error
    (unless its value was already refused — `refused` holds those paths: one problem per field)."""
    refused = refused if refused is not None else {e.path for e in errors}
    children, defaults, required = _require_plan(entity)
    for f in children:
        for i, row in enumerate(content.get(f.name, ())):
            require(f.child, row, f"{path}.{f.name}[{i}]", errors, refused)  # type: ignore[arg-type]
        if f.req == "R" and not content.get(f.name):
            errors.append(Problem(f"{path}.{f.name}", N_("at least one entry is required")))
    for name, default in defaults:
        if name not in content:
            content[name] = default
    lenient = UNFINISHED.get(entity.kind, ())
    for name in required:
        if name not in content and name not in lenient and f"{path}.{name}".lstrip(".") not in refused:
            errors.append(Problem(f"{path}.{name}", N_("required field is missing")))
