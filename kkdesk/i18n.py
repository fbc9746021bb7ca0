"""Localisation: one gettext domain `kkdesk` (catalogues managed with Babel), plus
Babel-formatted dates and numbers. Kept light: Babel itself is imported only when a
date or number is formatted, so the unlock window does not wait for it."""

from __future__ import annotations

import gettext as _gettext
import os
import sys
from functools import lru_cache
from typing import Callable

from kkdesk.resources import data_path

DOMAIN = "kkdesk"
LANGS = ("kk", "ru", "en")
DEFAULT_LANG = "en"
BABEL_LOCALES = {"kk": "kk_KZ", "ru": "ru_RU", "en": "en"}
LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}

_current = DEFAULT_LANG


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated later, where it is shown."""
    return message


def locale_dir() -> str:
    return str(data_path("translations"))


@lru_cache(maxsize=None)
def translation(lang: str) -> _gettext.NullTranslations:
    if lang not in LANGS:
        lang = DEFAULT_LANG
    try:
        return _gettext.translation(DOMAIN, localedir=locale_dir(), languages=[lang])
    except OSError:
        return _gettext.NullTranslations()


def set_language(lang: str) -> str:
    global _current
    _current = normalise_lang(lang) or DEFAULT_LANG
    return _current


def get_language() -> str:
    return _current


def normalise_lang(value: str | None) -> str | None:
    """'ru_RU.UTF-8' -> 'ru'; None when not one of ours."""
    if not value:
        return None
    code = value.replace("-", "_").split(".")[0].split("_")[0].lower()
    return code if code in LANGS else None


def system_language() -> str:
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        for part in (os.environ.get(var) or "").split(":"):
            lang = normalise_lang(part)
            if lang:
                return lang
    return normalise_lang(_platform_locale()) or DEFAULT_LANG


def _platform_locale() -> str | None:
    """Windows names the user's locale ('kk-KZ') in no environment variable: ask it."""
    if sys.platform != "win32":
        return None  # POSIX: the variables above are the locale
    import ctypes

    buf = ctypes.create_unicode_buffer(85)  # LOCALE_NAME_MAX_LENGTH
    try:
        if ctypes.windll.kernel32.GetUserDefaultLocaleName(buf, len(buf)):
            return buf.value
    except (AttributeError, OSError):
        pass
    return None


def _(message: str) -> str:
    return translation(_current).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translation(_current).ngettext(singular, plural, n)


def gettext_for(lang: str) -> Callable[[str], str]:
    """A gettext bound to one language (reports choose their language per document)."""
    return translation(lang).gettext


def ngettext_for(lang: str) -> Callable[[str, str, int], str]:
    return translation(lang).ngettext


def babel_locale(lang: str) -> str:
    return BABEL_LOCALES.get(lang, BABEL_LOCALES[DEFAULT_LANG])


def format_date(value, lang: str, fmt: str = "long") -> str:
    """`2024 ж. 22 ақпан`, `22 февраля 2024 г.`, `February 22, 2024` for fmt='long'."""
    from babel.dates import format_date as _fd

    return _fd(value, format=fmt, locale=babel_locale(lang))


def format_datetime(value, lang: str, fmt: str = "medium") -> str:
    from babel.dates import format_datetime as _fdt

    return _fdt(value, format=fmt, locale=babel_locale(lang), tzinfo=value.tzinfo)


def format_number(value, lang: str) -> str:
    from babel.numbers import format_decimal

    return format_decimal(value, locale=babel_locale(lang))


def format_partial_date(text: str | None, lang: str) -> str:
    """A stored date that may be partial ('2024', '2024-03', '2024-03-05') in the locale."""
    if not text:
        return ""
    from babel.dates import format_skeleton
    import datetime as _dt

    parts = text.split("-")
    loc = babel_locale(lang)
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2:
        return format_skeleton("yMMMM", _dt.date(int(parts[0]), int(parts[1]), 1), locale=loc)
    return format_date(_dt.date.fromisoformat(text), lang)
