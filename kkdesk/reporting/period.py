"""The period of a report: `--from` / `--to` as a year, a month or a day (SPEC §6.1:
partial periods such as "the first five months of 2024" are first-class)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from kkdesk.errors import InputError
from kkdesk.i18n import N_

_BOUND = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
NOT_A_DATE = N_("Not a date: %(value)s (use YYYY, YYYY-MM or YYYY-MM-DD)")


@dataclass(frozen=True)
class Period:
    start: str | None  # ISO day, inclusive; None: open
    end: str | None

    @property
    def lo(self) -> int | None:
        return int(self.start.replace("-", "")) if self.start else None

    @property
    def hi(self) -> int | None:
        return int(self.end.replace("-", "")) if self.end else None

    def as_dict(self) -> dict:
        return {"from": self.start, "to": self.end}

    def contains_day(self, day: str | None) -> bool:
        """`day` an ISO date (or its first ten characters)."""
        if day is None:
            return False
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)


def bound(value: str | None, end: bool) -> str | None:
    """'2023' -> '2023-01-01' (from) or '2023-12-31' (to); '2024-05' -> '2024-05-31' (to)."""
    if value is None:
        return None
    m = _BOUND.match(value.strip())
    if not m:
        raise InputError(NOT_A_DATE, value=value)
    y, mo, d = int(m[1]), int(m[2]) if m[2] else None, int(m[3]) if m[3] else None
    try:
        dt.date(y, mo or 1, d or 1)
    except ValueError:
        raise InputError(NOT_A_DATE, value=value) from None
    if end:
        mo2 = mo or 12
        return f"{y:04d}-{mo2:02d}-{d or calendar.monthrange(y, mo2)[1]:02d}"
    return f"{y:04d}-{mo or 1:02d}-{d or 1:02d}"


def parse(date_from: str | None, date_to: str | None) -> Period:
    """A period from the command line or the GUI; an empty or inverted one is refused."""
    for value in (date_from, date_to):
        if value is not None and not value.strip():
            raise InputError(N_("The period is empty: give a year, a month or a day (YYYY, YYYY-MM or YYYY-MM-DD)."))
    p = Period(bound(date_from, False), bound(date_to, True))
    if p.start and p.end and p.start > p.end:
        raise InputError(N_("The period ends before it begins: %(start)s – %(end)s."), start=p.start, end=p.end)
    return p


def year(y: int | str) -> Period:
    return parse(str(y), str(y))
