"""Case sheets and reports in Kazakh Latin (`kk-Latn`): the document is built in Kazakh,
personal names taken from `name_latin` where the record has one (organisation and
court names from `name_en`), and then every text of the laid-out story — paragraphs,
table cells, chart labels, header and footer — is transliterated by the 2021 letter
table (`kkdesk.reporting.latin`). Text already in Latin letters is left as it is.

Russian free text and quotations are not transliterated: every record the sheet reads
has the Cyrillic strings of its content marked verbatim when the record (or the
sub-object, or the text's own `language`) says `ru` and the string has no Kazakh-only
letter (`latin.is_russian`); free text printed with its entry language follows the same
rule. Names are the exception: they print `name_latin` or their transliteration."""

from __future__ import annotations

from reportlab.graphics.shapes import Drawing, Group, String
from reportlab.platypus import Paragraph, Table

from kkdesk.reporting.latin import is_russian, keep_verbatim, to_latin, to_latin_run
from kkdesk.reports.common import NAME_ORDER, ORG_ORDER, Sheet

KK_LATN = "kk-Latn"
LATIN_NAMES = ("name_latin", "name_kk", "name_ru")
LATIN_ORGS = ("name_en", "name_kk", "name_ru")
# names and aliases are transliterated (or taken from name_latin), never kept verbatim
NAME_KEYS = frozenset({"name_kk", "name_ru", "name_latin", "name_en", "name_variants", "public_alias", "acronym"})


def mark_russian(value, language: str | None):
    """`value` (a record's content) with its Russian strings marked verbatim."""
    if isinstance(value, dict):
        lang = value.get("entry_language") or value.get("language") or language
        return {k: v if k in NAME_KEYS else mark_russian(v, lang) for k, v in value.items()}
    if isinstance(value, list):
        return [mark_russian(v, language) for v in value]
    if isinstance(value, str) and is_russian(value, language) and any("\u0400" <= ch <= "\u04ff" for ch in value):
        return keep_verbatim(value)
    return value


class LatinSheet(Sheet):
    """A Kazakh sheet whose names prefer their Latin form (the transliteration follows)."""

    def __init__(self, session, public: bool = False) -> None:
        super().__init__(session, "kk", public)

    def _first(self, content: dict, order) -> str:
        if tuple(order) == NAME_ORDER["kk"]:
            order = LATIN_NAMES
        elif tuple(order) == ORG_ORDER["kk"]:
            order = LATIN_ORGS
        return super()._first(content, order)

    def prefetch(self, ids) -> None:
        super().prefetch(ids)
        self._mark_all()

    def _read(self, ref: str):
        rec = super()._read(ref)
        self._mark_all()
        return rec

    def _mark_all(self) -> None:
        marked = self.__dict__.setdefault("_marked", set())
        for rec in self._records.values():
            if rec is not None and id(rec) not in marked:
                rec.content = mark_russian(rec.content, None)
                marked.add(id(rec))

    def include(self, content: dict) -> None:
        """The builders call this with each printed record's content (the main record
        included, which is not read through the cache): mark its Russian text in place."""
        super().include(content)
        content.update(mark_russian(content, None))

    def free_markup(self, text, entry_language) -> str:
        if text and is_russian(text, entry_language):
            text = keep_verbatim(text)
        return super().free_markup(text, entry_language)


def latinise(flowables) -> None:
    """Transliterate every text of `flowables` in place."""
    for f in flowables:
        _one(f)


def _one(f) -> None:
    if isinstance(f, str):
        return
    if isinstance(f, Paragraph):
        f.text = to_latin(f.text)
        frags = [frag for frag in getattr(f, "frags", ()) if isinstance(getattr(frag, "text", None), str)]
        for frag, text in zip(frags, to_latin_run([frag.text for frag in frags])):
            frag.text = text
        return
    if isinstance(f, Table):
        for row in f._cellvalues:
            for i, cell in enumerate(row):
                if isinstance(cell, str):
                    row[i] = to_latin(cell)
                elif isinstance(cell, (list, tuple)):
                    latinise(cell)
                else:
                    _one(cell)
        return
    if isinstance(f, (Drawing, Group)):
        for node in f.contents:
            _one(node)
        return
    if isinstance(f, String):
        f.text = to_latin(f.text)
        return
    for attr in ("_content", "_flowables", "content"):
        inner = getattr(f, attr, None)
        if isinstance(inner, (list, tuple)):
            latinise(inner)
