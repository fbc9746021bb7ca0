"""The dates people type in spreadsheets, as interchange partial dates.

`12.03.2021`, `12/03/2021`, `12-03-2021` (day first, as in Kazakhstan), `2021-03-12`,
date cells and Excel serial numbers, `март 2021` / `наурыз 2021` / `March 2021`
(month), `2021` and `2021 г.` / `2021 ж.` (year). A date that cannot exist
(`31.02.2021`) is an error, never a guess."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from kkdesk.errors import InputError
from kkdesk.i18n import N_
from kkdesk.sheets.terms import fold_text

_MONTHS = {
    # ru (nominative and genitive stems), kk, en; folded as cells are
    1: ("январ", "янв", "кантар", "january", "jan"),
    2: ("феврал", "фев", "акпан", "february", "feb"),
    3: ("март", "мар", "наурыз", "march"),
    4: ("апрел", "апр", "сәуір", "сауир", "april", "apr"),
    5: ("мая", "май", "мамыр", "may"),
    6: ("июн", "маусым", "june", "jun"),
    7: ("июл", "шилде", "july", "jul"),
    8: ("август", "авг", "тамыз", "august", "aug"),
    9: ("сентябр", "сен", "қыркүйек", "кыркуйек", "september", "sep", "sept"),
    10: ("октябр", "окт", "қазан", "казан", "october", "oct"),
    11: ("ноябр", "ноя", "қараша", "караша", "november", "nov"),
    12: ("декабр", "дек", "желтоқсан", "желтоксан", "december", "dec"),
}
_MONTH_WORDS = sorted(((fold_text(w), m) for m, ws in _MONTHS.items() for w in ws), key=lambda x: -len(x[0]))
_DMY = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})(?:\s*(?:г|ж|жыл|года?)\.?)?$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2})?)?$")
_YM = re.compile(r"^(\d{4})-(\d{1,2})$")
_MY_NUM = re.compile(r"^(\d{1,2})[./](\d{4})$")
_YEAR = re.compile(r"^(\d{4})(?:\s*(?:г|ж|жыл|года?|year)\.?)?$")
_WORD_DATE = re.compile(r"^(?:(\d{1,2})\s+)?([^\d\s]+)\.?\s+(\d{4})(?:\s*(?:г|ж|жыл|года?)\.?)?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


class DateError(InputError):
    pass


def _check(y: int, m: int, d: int, text: str) -> str:
    try:
        dt.date(y, m, d)
    except ValueError:
        raise DateError(N_("'%(value)s' is not a date that exists"), value=text) from None
    return f"{y:04d}-{m:02d}-{d:02d}"


def _month_of(word: str) -> int | None:
    w = fold_text(word)
    for stem, month in _MONTH_WORDS:
        if w == stem or (len(stem) > 3 and w.startswith(stem)):
            return month
    return None


@lru_cache(maxsize=65536, typed=True)  # a sheet repeats its dates
def parse_date(value) -> tuple[str, str]:
    """(ISO date, precision) of a cell value; DateError when it is no date."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat(), "day"
    if isinstance(value, dt.date):
        return value.isoformat(), "day"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1000 <= value <= 9999 and value == int(value):
            return f"{int(value):04d}", "year"
        if 1 <= value < 2958466:  # an Excel serial (days since 1899-12-30)
            return (_EXCEL_EPOCH + dt.timedelta(days=int(value))).isoformat(), "day"
        raise DateError(N_("'%(value)s' is not a date"), value=str(value))
    text = str(value).strip().rstrip(".").strip()
    if not text:
        raise DateError(N_("'%(value)s' is not a date"), value=text)
    raw = str(value).strip()
    if text.isdigit() and 5 <= len(text) <= 7:  # a serial that a CSV export wrote as digits
        return parse_date(int(text))
    m = _DMY.match(text)
    if m:
        return _check(int(m.group(3)), int(m.group(2)), int(m.group(1)), raw), "day"
    m = _ISO.match(text)
    if m:
        return _check(int(m.group(1)), int(m.group(2)), int(m.group(3)), raw), "day"
    m, my = _YM.match(text), _MY_NUM.match(text)
    if m or my:
        y, mo = (int(m.group(1)), int(m.group(2))) if m else (int(my.group(2)), int(my.group(1)))  # type: ignore[union-attr]
        if not 1 <= mo <= 12:
            raise DateError(N_("'%(value)s' is not a date that exists"), value=raw)
        return f"{y:04d}-{mo:02d}", "month"
    m = _YEAR.match(text)
    if m:
        return m.group(1), "year"
    m = _WORD_DATE.match(text)
    if m:
        month = _month_of(m.group(2))
        if month is not None:
            y = int(m.group(3))
            if m.group(1):
                return _check(y, month, int(m.group(1)), raw), "day"
            return f"{y:04d}-{month:02d}", "month"
    raise DateError(N_("'%(value)s' is not a date"), value=raw)
