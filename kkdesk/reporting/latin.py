"""Kazakh in the Latin alphabet of 2021 (`kk-Latn` output).

Letter table: the revised Kazakh Latin alphabet presented by the Government of
Kazakhstan on 28 January 2021 (31 letters: A Ä B D E F G Ğ H I İ J K L M N Ñ O Ö P
Q R S Ş T U Ū Ü V Y Z), as tabulated with its Cyrillic correspondences in the
Wikipedia article "Kazakh alphabets", section "Latin script" (2021 column), whose
example sentence the tests use. Letters used only in Russian loanwords follow the
same table: ц → ts, ч → ch, щ → şş, ю → iu, я → ia, ё → io, э → e; ъ and ь are dropped.
Text in Latin letters already (codes, numbers) passes unchanged.

Russian stays Russian: text between `KEEP_OPEN` and `KEEP_CLOSE` (put there by
`keep_verbatim`, for free text and quotations a record marks as Russian) is printed
verbatim in Cyrillic; only labels, messages and Kazakh text are transliterated."""

from __future__ import annotations

_PAIRS = {
    "а": "a", "ә": "ä", "б": "b", "в": "v", "г": "g", "ғ": "ğ", "д": "d", "е": "e", "ё": "io", "ж": "j", "з": "z",
    "и": "i", "й": "i", "к": "k", "қ": "q", "л": "l", "м": "m", "н": "n", "ң": "ñ", "о": "o", "ө": "ö", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "ū", "ү": "ü", "ф": "f", "х": "h", "һ": "h", "ц": "ts", "ч": "ch",
    "ш": "ş", "щ": "şş", "ъ": "", "ы": "y", "і": "ı", "ь": "", "э": "e", "ю": "iu", "я": "ia",
}
# capitals: И/Й take the dotted İ, І the plain I (the small letters are i and ı)
_CAPS = {"И": "İ", "Й": "İ", "І": "I"}


def _table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cyr, lat in _PAIRS.items():
        table[ord(cyr)] = lat
        up = cyr.upper()
        if up in _CAPS:
            table[ord(up)] = _CAPS[up]
        elif up != cyr:
            table[ord(up)] = lat[:1].upper() + lat[1:] if lat else ""
    return table


_TABLE = _table()

KEEP_OPEN, KEEP_CLOSE = "\ue000", "\ue001"  # private-use marks around verbatim (Russian) text
KAZAKH_ONLY = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")


def is_russian(text: str, language: str | None) -> bool:
    """The rule for verbatim text: the record (or the text) says it is Russian and the
    text has none of the letters only Kazakh uses (a Kazakh text mislabelled as Russian
    is still transliterated)."""
    return language == "ru" and bool(text) and not (set(text) & KAZAKH_ONLY)


def keep_verbatim(text: str) -> str:
    """`text` marked to pass `to_latin` unchanged (the marks are removed there)."""
    if not text or KEEP_OPEN in text:
        return text
    return f"{KEEP_OPEN}{text}{KEEP_CLOSE}"


def to_latin(text: str) -> str:
    """Kazakh Cyrillic -> Kazakh Latin (2021); marked verbatim parts pass unchanged."""
    return to_latin_run([text])[0] if text else text


def to_latin_run(texts: list[str]) -> list[str]:
    """`to_latin` over consecutive pieces of one text (a paragraph's fragments): a
    verbatim part may open in one piece and close in a later one."""
    out: list[str] = []
    inside = False
    for text in texts:
        if not isinstance(text, str) or not text:
            out.append(text)
            continue
        pieces, buf = [], ""
        for ch in text:
            if ch in (KEEP_OPEN, KEEP_CLOSE):
                pieces.append(buf if inside else _plain(buf))
                buf, inside = "", ch == KEEP_OPEN
            else:
                buf += ch
        pieces.append(buf if inside else _plain(buf))
        out.append("".join(pieces))
    return out


def _plain(text: str) -> str:
    if not text:
        return text
    out = text.translate(_TABLE)
    if any(c.isupper() for c in text):
        # a digraph from a capital inside an all-capitals word: "ЧАЙ" -> "CHAI", not "ChAI"
        words = text.split(" ")
        lat = out.split(" ")
        if len(words) == len(lat):
            out = " ".join(_caps(lw) if len(w) > 1 and w.isupper() else lw for w, lw in zip(words, lat))
    return out


def _caps(word: str) -> str:
    return word.replace("i", "İ").replace("ı", "I").upper()
