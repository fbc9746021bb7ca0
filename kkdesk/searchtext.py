"""What the full-text index holds, so that a name is found however it was typed.

- Composed Unicode (NFC): text pasted from a Mac or a PDF can be decomposed.
- `ё` as `е`: Russian texts and people write either; "Петр" must find "Пётр" (the
  tokenizer's remove_diacritics folds Latin letters only). The index and every query
  hold `е`, so a snippet may show "Петр" where the record says "Пётр" — as much
  printed Russian does.
- Kazakh letters typed on a Russian keyboard: "Жумабаев" must find "Жұмабаев". The
  title column (names, case titles) also holds each word that has a Kazakh letter
  spelled with its nearest Russian one (ә→а, ғ→г, қ→к, ң→н, ө→о, ұ ү→у, һ→х, і→и).
  Queries are not folded this way, so a word typed with Kazakh letters still matches
  only that spelling."""

from __future__ import annotations

import re
import unicodedata

_KAZAKH = str.maketrans("әғқңөұүһіӘҒҚҢӨҰҮҺІ", "агкноуухиАГКНОУУХИ")
_KAZAKH_LETTERS = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
# words first, then a set test per word: r"\w*[әғ…]\w*" backtracked through every start
# of a long word without a Kazakh letter, quadratic in its length
_WORD = re.compile(r"\w+")


def nfc(text: str) -> str:
    """Text in Unicode's composed form (й, not и + U+0306)."""
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """What the index and the queries hold for `text`: composed, `ё` as `е`."""
    text = nfc(text)
    if "ё" in text or "Ё" in text:  # str.replace is C; translate() maps char by char in Python
        text = text.replace("ё", "е").replace("Ё", "Е")
    return text


def index_title(title: str) -> str:
    """The title column: the folded title, then its Kazakh words in Russian letters."""
    folded = fold(title)
    variants = dict.fromkeys(w.translate(_KAZAKH) for w in _WORD.findall(folded) if not _KAZAKH_LETTERS.isdisjoint(w))
    return folded + ("\n" + " ".join(variants) if variants else "")


def plain_letters(text: str) -> str:
    """`text` folded for comparing names: composed, lower case, `ё` as `е`, Kazakh
    letters as their nearest Russian ones (Тоқтаров and Токтаров compare equal)."""
    return fold(text).translate(_KAZAKH).casefold()
