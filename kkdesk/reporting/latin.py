"""Kazakh in the Latin alphabet of 2021 (`kk-Latn` output).

Letter table: the revised Kazakh Latin alphabet presented by the Government of
Kazakhstan on 28 January 2021 (31 letters: A Ä B D E F G Ğ H I İ J K L M N Ñ O Ö P
Q R S Ş T U Ū Ü V Y Z), as tabulated with its Cyrillic correspondences in the
Wikipedia article "Kazakh alphabets", section "Latin script" (2021 column), whose
example sentence the tests use. Letters used only in Russian loanwords follow the
same table: ц → ts, ч → ch, щ → şş, ю → iu, я → ia, ё → io, э → e; ъ and ь are dropped.
Text in Latin letters already (codes, numbers) passes unchanged."""

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


def to_latin(text: str) -> str:
    """Kazakh Cyrillic -> Kazakh Latin (2021). A word in capitals keeps its capitals."""
    if not text:
        return text
    out = text.translate(_TABLE)
    if any(c.isupper() for c in text):
        # a digraph from a capital inside an all-capitals word: "ЧАЙ" -> "CHAI", not "ChAI"
        words = text.split(" ")
        lat = out.split(" ")
        if len(words) == len(lat):
            out = " ".join(_caps(l) if len(w) > 1 and w.isupper() else l for w, l in zip(words, lat))
    return out


def _caps(word: str) -> str:
    return word.replace("i", "İ").replace("ı", "I").upper()
