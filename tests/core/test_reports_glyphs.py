"""Every catalogue message and every vocabulary label, in each language, must be
drawable with the bundled fonts: reportlab draws a missing glyph as an empty box."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po

from kkdesk.reports import fonts
from kkdesk.resources import data_path
from kkdesk.vocab import vocabularies

KAZAKH = "ӘәҒғҚқҢңӨөҰұҮүҺһІі"


def _catalogue(lang: str) -> list[str]:
    with data_path("translations", lang, "LC_MESSAGES", "kkdesk.po").open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    texts = []
    for message in catalog:
        if not message.id:
            continue
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        texts += [s for s in strings + ids if s]
    return texts


def _vocabulary(lang: str) -> list[str]:
    voc = vocabularies()
    texts = []
    for name in voc.names():
        for term in voc.terms(name):
            texts.append(term.label(lang))
            if lang == "en" and term.extra.get("definition_en"):
                texts.append(term.extra["definition_en"])
    return texts


@pytest.mark.parametrize("face", fonts.FACES)
@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_every_message_and_label_has_glyphs(lang, face):
    texts = _catalogue(lang) + _vocabulary(lang)
    assert len(texts) > 1000
    missing = {}
    for text in texts:
        gaps = fonts.missing_glyphs(text, face)
        if gaps:
            missing[text] = "".join(sorted(gaps))
    assert not missing, list(missing.items())[:10]


def test_the_check_finds_a_missing_glyph():
    assert fonts.missing_glyphs("Қазақ тілі " + KAZAKH) == set()
    assert fonts.missing_glyphs("中文 𝄞") == {"中", "文", "𝄞"}


def test_kazakh_texts_use_kazakh_letters():
    kk = " ".join(_catalogue("kk") + _vocabulary("kk"))
    assert all(letter in kk for letter in "ӘҒҚҢӨҰҮІәғқңөұүі")
