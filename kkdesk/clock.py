"""Time, replaceable in tests."""

from __future__ import annotations

import datetime as _dt
from typing import Callable

_now: Callable[[], _dt.datetime] = lambda: _dt.datetime.now(_dt.timezone.utc)  # noqa: E731


def now() -> _dt.datetime:
    return _now()


def now_iso() -> str:
    """UTC instant, ISO 8601 with milliseconds: sortable as text."""
    return _now().astimezone(_dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def set_clock(func: Callable[[], _dt.datetime] | None) -> None:
    global _now
    _now = func or (lambda: _dt.datetime.now(_dt.timezone.utc))
