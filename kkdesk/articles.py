"""A legal article as people cite it — "Art. 174, CC RK — Incitement of … discord" —
in one language: for the sheets, the reports and the Reports screen (no reportlab, no Qt)."""

from __future__ import annotations

from typing import Callable

from kkdesk.i18n import N_
from kkdesk.vocab import vocabularies

CODE_BOOKS = {"CC": N_("CC RK"), "CAO": N_("CAO RK")}


def article_text(gettext: Callable[[str], str], lang: str, code: str, part: str | None = None,
                 with_title: bool = True) -> str:
    """The citation of `code` (vocabulary legal_article); an unknown code as it is."""
    term = vocabularies().get("legal_article", code)
    if term is None:
        return code
    book = gettext(CODE_BOOKS.get(term.extra.get("code_book", ""), term.extra.get("code_book", "")))
    number = term.extra.get("article") or code.split("-", 1)[-1]
    if part:
        ref = gettext("Art. %(article)s, part %(part)s, %(code)s") % {"article": number, "part": part, "code": book}
    else:
        ref = gettext("Art. %(article)s, %(code)s") % {"article": number, "code": book}
    return f"{ref} — {term.label(lang)}" if with_title else ref
