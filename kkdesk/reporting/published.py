"""Published figures (SPEC §3.13, §6.3): the shipped rows, their content-derived ids, and
the conflicts between figures published for the same indicator and period.

The shipped rows are written by a pseudo-author (`SHIPPED_AUTHOR`, sequence numbers
1…n in resource order) with fixed record numbers, so every profile holds the very same
revisions: two profiles that both pre-loaded them hold one record each after a sync,
not two. Their ids are UUIDv5 of (indicator, period, dimension, dimension value,
value, source) in `PUBLISHED_NS`."""

from __future__ import annotations

import uuid
from collections import defaultdict
from decimal import Decimal, InvalidOperation

from sqlalchemy import text
from sqlalchemy.orm import Session

from kkdesk.resources import read_json

RESOURCE = "published_statistics.json"
PUBLISHED_NS = uuid.UUID("5b1f0c7e-3a8d-5d2c-9e41-6c0a7f2b9d13")
SHIPPED_AUTHOR = str(uuid.uuid5(PUBLISHED_NS, "kkdesk shipped published figures"))
SHIPPED_CODE = "S63"  # SPEC §6.3
KIND = "published_stat"
# Whether new and upgraded profiles get the shipped figures. Only code in the same process
# can change it (the test suite's shared profiles start empty, tests/fastkdf.py); there is
# no environment switch a user's setup could flip by accident.
PRELOAD = True


def published_id(row: dict) -> str:
    parts = (row.get("indicator"), row.get("period_start"), row.get("period_end"), row.get("dimension"),
             row.get("dimension_value"), row.get("value") if row.get("value") is not None else row.get("value_text"),
             row.get("source_ref"))
    return str(uuid.uuid5(PUBLISHED_NS, "\x1f".join("" if p is None else str(p) for p in parts)))


def shipped_records() -> list[tuple[str, dict]]:
    """(id, content) of every shipped figure, in resource order, as stored."""
    out = []
    for n, row in enumerate(read_json(RESOURCE)["published_statistics"], 1):
        content = {k: v for k, v in row.items() if v is not None}
        content.update(record_no=f"PS-{SHIPPED_CODE}-{n:04d}", confidentiality="public", record_status="verified",
                       entry_language="en")
        out.append((published_id(row), content))
    return out


def load_shipped(session: Session) -> int:
    """Write the shipped figures that are not in the store yet (by id); returns how many.

    Used by migration 0007, which runs when a profile is created (`init`) and when an
    existing profile is opened by this version."""
    if not PRELOAD:
        return 0
    from kkdesk.records import Author, Writer

    class ShippedWriter(Writer):
        def _seq_next(self) -> int:  # the pseudo-author's own numbers, not the profile's counter
            self._shipped_seq = getattr(self, "_shipped_seq", 0) + 1
            return self._shipped_seq

    records = shipped_records()
    known = {r[0] for r in session.execute(text("SELECT id FROM record WHERE kind = :k"), {"k": KIND})}
    writer = ShippedWriter(session, Author(SHIPPED_AUTHOR, SHIPPED_CODE))
    written = 0
    for seq, (rid, content) in enumerate(records, 1):
        writer._shipped_seq = seq - 1
        if rid in known:
            continue
        writer.put(KIND, rid, content, [])
        written += 1
    writer.flush()
    return written


def parse_value(content: dict) -> Decimal | None:
    value = content.get("value")
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def figures(session: Session) -> list[dict]:
    """Every live (not deleted) published figure: its content plus id, record number and
    `conflicting` (another figure for the same indicator, period and dimension value has a
    different value). Ordered by indicator, period, dimension value, record number."""
    from kkdesk.canonical import loads_content

    rows = session.execute(text(
        "SELECT r.id, r.record_no, v.content FROM record r JOIN revision v ON v.rev_id = r.head "
        "WHERE r.kind = :k AND r.deleted = 0"), {"k": KIND}).all()
    out = []
    for rid, record_no, body in rows:
        content = loads_content(body)
        out.append({**content, "id": rid, "record_no": record_no})
    groups: dict[tuple, set] = defaultdict(set)
    for f in out:
        groups[_conflict_key(f)].add(_value_key(f))
    for f in out:
        f["conflicting"] = len(groups[_conflict_key(f)]) > 1
    out.sort(key=lambda f: (f.get("indicator") or "", f.get("period_start") or "", f.get("period_end") or "",
                            f.get("dimension_value") or "", f.get("record_no") or ""))
    return out


def _conflict_key(f: dict) -> tuple:
    return (f.get("indicator"), f.get("period_start"), f.get("period_end"), f.get("dimension"), f.get("dimension_value"))


def _value_key(f: dict):
    v = parse_value(f)
    return v if v is not None else f.get("value_text")
