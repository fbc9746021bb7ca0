"""What every report shares: the document's language (catalogue, vocabularies,
Babel), record access with the public-mode filter, names by the SPEC §8 fallback,
and small builders for headings, label/value blocks and data tables.

Free text is printed as entered; when a record's `entry_language` differs from the
document language a marker in the document language precedes it (SPEC §8).
Contact fields (phone, e-mail, messenger) are never read here."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Sequence
from xml.sax.saxutils import escape

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, Spacer, Table
from sqlalchemy import select
from sqlalchemy.orm import Session

from kkdesk import labels, records
from kkdesk.canonical import loads_content
from kkdesk.db.models import Record, Revision
from kkdesk.clock import now
from kkdesk.errors import NotFoundError
from kkdesk.i18n import N_, format_date, format_number, format_partial_date, gettext_for, ngettext_for
from kkdesk.reports.layout import FRAME_WIDTH
from kkdesk.reports.styles import fields_style, grid_style, styles
from kkdesk.vocab import vocabularies

CONF_RANK = {"public": 0, "internal": 1, "restricted": 2}
MARKING = {
    "public": N_("PUBLIC VERSION"),
    "internal": N_("CONFIDENTIAL — for internal use of the organisation only"),
    "restricted": N_("STRICTLY CONFIDENTIAL — restricted access"),
}
NAME_ORDER = {"kk": ("name_kk", "name_ru", "name_latin"), "ru": ("name_ru", "name_kk", "name_latin"),
              "en": ("name_latin", "name_ru", "name_kk")}
ORG_ORDER = {"kk": ("name_kk", "name_ru", "name_en"), "ru": ("name_ru", "name_kk", "name_en"),
             "en": ("name_en", "name_ru", "name_kk")}
EMPTY = "—"
_WORD = re.compile(r"[^\s\-‐–—]+")


class Para(Paragraph):
    """A Paragraph that keeps its line breaking for the last width it was wrapped to:
    a Table wraps every cell once to size its rows and again to draw it."""

    _wrapped: tuple | None = None

    def wrap(self, availWidth, availHeight):  # noqa: N803 - reportlab API
        last = self._wrapped
        if last is not None and last[0] == availWidth:
            _, self.blPara, self.height, self._wrapWidths = last
            self.width = availWidth
            return availWidth, self.height
        result = super().wrap(availWidth, availHeight)
        self._wrapped = (availWidth, self.blPara, self.height, self._wrapWidths)
        return result


@dataclass
class Rec:
    """A record as the reports read it (the head revision's content)."""

    kind: str
    id: str
    record_no: str | None
    content: dict
    head: str
    deleted: bool


class Sheet:
    """One document being built: language, mode, record cache and builders.

    `public=True` applies SPEC §7 rule 10 / §8: only records whose confidentiality is
    `public` are read (others behave as absent), persons without
    `consent_to_publish = yes` on a public record appear by alias or initials."""

    def __init__(self, session: Session, lang: str, public: bool = False) -> None:
        self.session = session
        self.lang = lang
        self.public = public
        self._ = gettext_for(lang)
        self.ngettext = ngettext_for(lang)
        self.st = styles()
        self.voc = vocabularies()
        self.width = FRAME_WIDTH
        self.highest = "public" if public else "internal"
        self._records: dict[str, Rec | None] = {}

    # --- records -------------------------------------------------------------------
    def prefetch(self, ids: Iterable[str]) -> None:
        """Read many records at once (one query per 500) into the cache."""
        todo = [i for i in dict.fromkeys(ids) if i and i not in self._records]
        for n in range(0, len(todo), 500):
            stmt = (select(Record.kind, Record.id, Record.record_no, Record.head, Record.deleted, Revision.content)
                    .join(Revision, Revision.rev_id == Record.head).where(Record.id.in_(todo[n:n + 500])))
            for kind, rid, number, head, deleted, body in self.session.execute(stmt):
                self._records[rid] = Rec(kind, rid, number, loads_content(body) if body else {}, head, bool(deleted))

    def _read(self, ref: str) -> Rec | None:
        if ref not in self._records:
            try:
                view = records.get(self.session, ref)
            except NotFoundError:
                self._records[ref] = None
                return None
            rec = Rec(view.kind, view.id, view.record_no, view.content, view.head, view.deleted)
            self._records[ref] = self._records[view.id] = rec
        return self._records[ref]

    def get(self, ref: str | None, kind: str | None = None) -> Rec | None:
        """The record, or None when it is unknown, deleted, of another kind or
        (public mode) not public."""
        rec = self._read(ref) if ref else None
        if rec is None or rec.deleted or (kind and rec.kind != kind) or not self.visible(rec.content):
            return None
        return rec

    def visible(self, content: dict) -> bool:
        return not self.public or content.get("confidentiality") == "public"

    def include(self, content: dict) -> None:
        """Note that `content` is printed: the footer marks the most confidential record."""
        conf = content.get("confidentiality") or "internal"
        if CONF_RANK.get(conf, 1) > CONF_RANK[self.highest]:
            self.highest = conf

    @property
    def marking(self) -> str:
        level = "public" if self.public else self.highest
        return self._(MARKING[level])

    # --- names ---------------------------------------------------------------------
    def _first(self, content: dict, order: Sequence[str]) -> str:
        for key in order:
            if content.get(key):
                return str(content[key])
        return ""

    def person_name(self, person: str | dict | None) -> str:
        """A person's name in the document language, or alias/initials in public mode
        unless the person consented to publication (on a public record)."""
        if isinstance(person, dict):
            content = person
        else:
            # read even when not public: the alias or initials are what public mode may show
            content = self._person_content(person)  # type: ignore[assignment]
        if content is None:
            return self._("Unknown person")
        name = self._first(content, NAME_ORDER[self.lang])
        if not self.public:
            return name or content.get("public_alias") or EMPTY
        if content.get("consent_to_publish") == "yes" and content.get("confidentiality") == "public" and name:
            return name
        if content.get("public_alias"):
            return str(content["public_alias"])
        return initials(name) or self._("Name withheld")

    def _person_content(self, ref: str | None) -> dict | None:
        """A person's content even when it is not public (its alias or initials are
        what public mode may show)."""
        rec = self._read(ref) if ref else None
        return rec.content if rec is not None and not rec.deleted and rec.kind == "person" else None

    def org_name(self, content: dict | None) -> str:
        if content is None:
            return self._("Organisation not shown")
        return self._first(content, ORG_ORDER[self.lang]) or content.get("acronym") or EMPTY

    def org(self, ref: str | None) -> str:
        view = self.get(ref, "organisation")
        return self.org_name(view.content if view else None)

    def court_name(self, ref: str | None) -> str:
        if not ref:
            return EMPTY
        rec = self._read(ref)  # courts are public institutions: shown in every mode
        if rec is None or rec.kind != "court":
            return EMPTY
        return self._first(rec.content, ORG_ORDER[self.lang]) or EMPTY

    # --- values --------------------------------------------------------------------
    def label(self, vocab: str, code: str | None) -> str:
        return self.voc.label(vocab, code, self.lang) if code else ""

    def labels(self, vocab: str, codes: Iterable[str] | None) -> str:
        return ", ".join(self.label(vocab, c) for c in codes or [] if c)

    def field(self, kind: str, name: str) -> str:
        return self._(labels.field_label(kind, name))

    def value(self, kind: str, name: str, value: Any) -> str:
        return labels.value_label(kind, name, value, self.lang)

    def date(self, text: str | None) -> str:
        try:
            return format_partial_date(text, self.lang) if text else ""
        except ValueError:
            return str(text)

    def datetime(self, text: str | None) -> str:
        if not text:
            return ""
        try:
            return labels.format_stored_datetime(text, self.lang)
        except ValueError:
            return str(text)

    def number(self, value: Any) -> str:
        if value is None or value == "":
            return ""
        try:
            return format_number(value if isinstance(value, int) else float(value), self.lang)
        except (TypeError, ValueError):
            return str(value)

    def printed(self) -> str:
        stamp = now().astimezone()
        return self._("Printed %(when)s") % {"when": f"{format_date(stamp.date(), self.lang)}, {stamp:%H:%M}"}

    # --- flowables -----------------------------------------------------------------
    def p(self, text: Any, style=None) -> Paragraph:
        return Para(markup(text), style or self.st.cell)

    def free_markup(self, text: str | None, entry_language: str | None) -> str:
        body = markup(text)
        if text and entry_language and entry_language != self.lang:
            tag = escape(self.label("language", entry_language))
            body = f'<font color="#5b6470" size="6.8"><i>[{tag}]</i></font> {body}'
        return body

    def free(self, text: str | None, entry_language: str | None, style=None) -> Paragraph:
        """Free text as entered, with a language marker when it is not in the document language."""
        return Para(self.free_markup(text, entry_language), style or self.st.cell)

    def title(self, title: str, subtitle: str | None = None) -> list:
        out: list = [Paragraph(escape(title), self.st.title)]
        if subtitle:
            out.append(Paragraph(escape(subtitle), self.st.subtitle))
        return out

    def section(self, code: str) -> Paragraph:
        """A section heading titled from vocab:case_sheet_section."""
        return Paragraph(escape(self.label("case_sheet_section", code)), self.st.h2)

    def heading(self, msgid: str) -> Paragraph:
        return Paragraph(escape(self._(msgid)), self.st.h2)

    def subheading(self, text: str) -> Paragraph:
        return Paragraph(escape(text), self.st.h3)

    def note(self, text: str) -> Paragraph:
        return Paragraph(escape(text), self.st.note)

    def notice(self, text: str) -> Paragraph:
        return Paragraph(escape(text), self.st.notice)

    def fields(self, rows: Iterable[tuple[str, Any]], label_share: float = 0.33, width: float | None = None) -> Table | Spacer:
        """A label/value block (the frame's width unless `width`); rows whose value is empty are left out."""
        data = []
        for label, value in rows:
            if value is None or value == "" or value == []:
                continue
            cell = value if isinstance(value, Paragraph) else self.p(value)
            data.append([Para(escape(label), self.st.label), cell])
        if not data:
            return Spacer(1, 0)
        width = width or self.width
        widths = [width * label_share, width * (1 - label_share)]
        return Table(data, colWidths=widths, style=fields_style(), hAlign="LEFT", splitInRow=1)

    def grid(self, header: Sequence[str], rows: Sequence[Sequence[Any]], shares: Sequence[float],
             extra: list | None = None, right: Iterable[int] = ()) -> Table:
        """A data table whose header repeats on every page; long text wraps in its cell."""
        right = set(right)
        head = [Para(escape(h), self.st.cell_head_right if i in right else self.st.cell_head)
                for i, h in enumerate(header)]
        body = []
        for row in rows:
            body.append([c if isinstance(c, (Paragraph, Table)) or hasattr(c, "wrapOn")
                         else self.p(c, self.st.cell_right if i in right else self.st.cell)
                         for i, c in enumerate(row)])
        widths = fit_widths(shares, [head] + body, self.width)
        return Table([head] + body, colWidths=widths, repeatRows=1, style=grid_style(1, extra), hAlign="LEFT",
                     splitInRow=1)

    def empty(self, msgid: str) -> Paragraph:
        return self.note(self._(msgid))


def _longest_word(cell) -> float:
    if not isinstance(cell, Paragraph):
        return 0.0
    style = cell.style
    words = cell.getPlainText().split()
    if not words:
        return 0.0
    word = max(words, key=len)
    # bold headers and cells use wider glyphs; measure in the paragraph's own face
    return stringWidth(word, style.fontName, style.fontSize)


def fit_widths(shares: Sequence[float], rows: Sequence[Sequence[Any]], total: float, padding: float = 9.0,
               cap: float = 0.42) -> list[float]:
    """Column widths in proportion to `shares`, widened where a column's longest word
    would otherwise be broken (Russian and Kazakh words are long), taking the room
    from columns with slack. A word wider than `cap` of the table is left to wrap."""
    n = len(shares)
    widths = [total * s / sum(shares) for s in shares]
    need = [0.0] * n
    for row in rows:
        for i, cell in enumerate(row[:n]):
            need[i] = max(need[i], min(_longest_word(cell) + padding, total * cap))
    for _ in range(3):
        short = {i: need[i] - widths[i] for i in range(n) if need[i] > widths[i] + 0.5}
        if not short:
            break
        slack = {i: widths[i] - need[i] for i in range(n) if i not in short and widths[i] > need[i]}
        room = sum(slack.values())
        if room <= 0:
            break
        take = min(sum(short.values()), room)
        for i, deficit in short.items():
            widths[i] += take * deficit / sum(short.values())
        for i, spare in slack.items():
            widths[i] -= take * spare / room
    return widths


def markup(value: Any) -> str:
    """Plain text -> paragraph markup: escaped, line breaks kept."""
    if value is None:
        return ""
    text = escape(str(value))
    return text.replace("\r\n", "\n").replace("\n", "<br/>")


def initials(name: str) -> str:
    """'Ерлан Токтаров' -> 'Е. Т.'"""
    return " ".join(w[0].upper() + "." for w in _WORD.findall(name or "") if w[0].isalpha())


def short_rev(rev: str | None) -> str:
    return (rev or "")[:12]

