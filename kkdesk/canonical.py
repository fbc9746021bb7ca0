"""Canonical JSON (RFC 8785) and the revision hash of ARCHITECTURE.md.

revision id = SHA-256( JCS({"v": 1, "kind", "id", "parents": sorted, "deleted",
                            "content_sha256": SHA-256(JCS(content))}) )
Content holds no floats: decimals and datetimes are strings, so hashing is exact.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any

import rfc8785

REVISION_FORMAT = 1


_BEYOND_BMP_START = None
# a JSON number of 16 or more digits may lie outside ±(2^53 − 1), which RFC 8785 refuses;
# the pattern also matches such digits inside a string (then the reference decides: slower, same bytes)
_LONG_NUMBER = None


def canonical_bytes(obj: Any) -> bytes:
    """RFC 8785 bytes of `obj`. Content holds only str/int/bool/None/list/dict (no floats:
    decimals are strings), for which JCS equals sorted-key, separator-free JSON without
    ASCII escaping — except that JCS orders keys by UTF-16 code units, which differs
    from Python's order only for characters from U+E000 up, and that JCS refuses
    integers outside ±(2^53 − 1). The C json encoder is used unless such a character or
    a number of 16 or more digits occurs; then the reference implementation decides
    (and raises rfc8785.IntegerDomainError for an integer out of range; the normaliser
    refuses those before they reach a record).
    (Floats never reach content: the normaliser turns numbers into int or exact text.)"""
    global _BEYOND_BMP_START, _LONG_NUMBER
    text = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    if _BEYOND_BMP_START is None:
        import re

        _BEYOND_BMP_START = re.compile("[\ue000-\U0010ffff]")
        _LONG_NUMBER = re.compile(r"[:,\[]-?[0-9]{16}")
    if _BEYOND_BMP_START.search(text) or _LONG_NUMBER.search(text):
        return rfc8785.dumps(obj)
    return text.encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def revision_header(kind: str, record_id: str, parents: list[str], deleted: bool, content_sha256: str) -> dict:
    return {"v": REVISION_FORMAT, "kind": kind, "id": record_id, "parents": sorted(set(parents)),
            "deleted": bool(deleted), "content_sha256": content_sha256}


def revision_id(kind: str, record_id: str, parents: list[str], deleted: bool, content_sha256: str) -> str:
    return sha256_hex(canonical_bytes(revision_header(kind, record_id, parents, deleted, content_sha256)))


def loads_content(data: bytes) -> dict:
    return json.loads(data)


_DEC_MARK = "\u0000dec:"
_DEC_RE = None


def _mark_decimals(obj: Any) -> Any:
    if isinstance(obj, Decimal):
        return f"{_DEC_MARK}{obj}\u0000"
    if isinstance(obj, dict):
        return {k: _mark_decimals(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_mark_decimals(v) for v in obj]
    return obj


def dumps_document(obj: Any, indent: int | None = 2) -> str:
    """JSON for people and other tools: Decimal values written as exact JSON numbers
    (the json module would round-trip them through float), non-ASCII kept."""
    import re

    global _DEC_RE
    if _DEC_RE is None:
        _DEC_RE = re.compile(r'"\\u0000dec:([-+0-9.eE]+)\\u0000"')
    text = json.dumps(_mark_decimals(obj), ensure_ascii=False, indent=indent)
    return _DEC_RE.sub(lambda m: m.group(1), text)


def loads_document(text: str | bytes) -> Any:
    """Parse a JSON document keeping every number exact (floats become Decimal)."""
    return json.loads(text, parse_float=Decimal)
