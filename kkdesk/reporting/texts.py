"""The words of a report in one output language: kk, ru, en, or kk-Latn (the Kazakh
texts transliterated by `kkdesk.reporting.latin`)."""

from __future__ import annotations

from kkdesk import labels
from kkdesk.articles import article_text
from kkdesk.i18n import LANGS, N_, format_number, gettext_for
from kkdesk.reporting.latin import to_latin
from kkdesk.reporting.model import Column, Report
from kkdesk.reporting.sources import indicator_label, readable_source
from kkdesk.vocab import vocabularies

KK_LATN = "kk-Latn"
OUTPUT_LANGS = LANGS + (KK_LATN,)

# values of dimensions that are not vocabulary codes
VALUE_WORDS = {
    "level": {"type": N_("Type"), "category": N_("Category")},
    "section": {"case_status": N_("Case status"), "sentence_type": N_("Sentence type")},
    "question": {"threat_carried_out": N_("Threat carried out"),
                 "linked_to_hr_activity": N_("Linked to human rights work")},
    "dimension": {"legal_article": N_("Legal article"), "detention_safeguard": N_("Safeguard"),
                  "region": N_("Region"), "target_group": N_("Target group")},
}
UNDATED = N_("Date unknown")
NOT_GIVEN = N_("Not given")


class Texts:
    def __init__(self, lang: str) -> None:
        if lang not in OUTPUT_LANGS:
            lang = "en"
        self.lang = lang
        self.base = "kk" if lang == KK_LATN else lang
        self._gettext = gettext_for(self.base)
        self.latin = lang == KK_LATN

    def _(self, msgid: str) -> str:
        text = self._gettext(msgid)
        return to_latin(text) if self.latin else text

    def script(self, text: str) -> str:
        """Text of the Kazakh catalogue or vocabulary in the output script."""
        return to_latin(text) if self.latin else text

    def label(self, vocab: str, code: str | None) -> str:
        if code is None:
            return self._(NOT_GIVEN)
        return self.script(vocabularies().label(vocab, code, self.base))

    def breakdown(self, dimension: str | None, value: str | None, full: bool = True) -> str:
        """A published figure's breakdown in words; an article with its title unless not `full`."""
        if not value:
            return ""
        if dimension == "legal_article":
            return self.script(article_text(self._gettext, self.base, value, with_title=full))
        if dimension and vocabularies().get(dimension, value) is not None:
            return self.label(dimension, value)
        return value

    def number(self, value) -> str:
        return format_number(value, self.base)

    def value(self, col: Column, row: dict) -> str:
        """A dimension or text cell as words."""
        v = row.get(col.key)
        if col.key == "year":
            return str(v) if v is not None else self._(UNDATED)
        if col.key == "indicator":
            return indicator_label(v, self._)
        if col.key == "source":
            return readable_source(v, self._)
        if col.vocab == "@dimension":  # a published breakdown: its value in the vocabulary it names
            return self.breakdown(row.get("dimension"), v)
        if col.vocab == "@section":
            return self.label(row.get("section"), v) if v else self._(NOT_GIVEN)  # type: ignore[arg-type]
        if col.vocab:
            return self.label(col.vocab, v)
        if col.key in VALUE_WORDS and v in VALUE_WORDS[col.key]:
            return self._(VALUE_WORDS[col.key][v])
        if v is None:
            return ""
        if isinstance(v, bool):
            return self._(labels.YES if v else labels.NO)
        return str(v)

    def person_name(self, content: dict) -> str:
        """kk-Latn prints name_latin where the record has one, else the transliteration."""
        if self.latin:
            if content.get("name_latin"):
                return content["name_latin"]
            return to_latin(content.get("name_kk") or content.get("name_ru") or "")
        order = {"kk": ("name_kk", "name_ru", "name_latin"), "ru": ("name_ru", "name_kk", "name_latin"),
                 "en": ("name_latin", "name_ru", "name_kk")}[self.base]
        return next((content[k] for k in order if content.get(k)), "")

    def title(self, report: Report) -> str:
        return f"{report.id}. {self._(report.title)}"
