"""Case sheets and reports in Kazakh Latin (`kk-Latn`): the document is built in Kazakh,
personal names taken from `name_latin` where the record has one (organisation and
court names from `name_en`), and then every text of the laid-out story — paragraphs,
table cells, chart labels, header and footer — is transliterated by the 2021 letter
table (`kkdesk.reporting.latin`). Text already in Latin letters is left as it is."""

from __future__ import annotations

from reportlab.graphics.shapes import Drawing, Group, String
from reportlab.platypus import Paragraph, Table

from kkdesk.reporting.latin import to_latin
from kkdesk.reports.common import NAME_ORDER, ORG_ORDER, Sheet

KK_LATN = "kk-Latn"
LATIN_NAMES = ("name_latin", "name_kk", "name_ru")
LATIN_ORGS = ("name_en", "name_kk", "name_ru")


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


def latinise(flowables) -> None:
    """Transliterate every text of `flowables` in place."""
    for f in flowables:
        _one(f)


def _one(f) -> None:
    if isinstance(f, str):
        return
    if isinstance(f, Paragraph):
        f.text = to_latin(f.text)
        for frag in getattr(f, "frags", ()):
            if isinstance(getattr(frag, "text", None), str):
                frag.text = to_latin(frag.text)
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
