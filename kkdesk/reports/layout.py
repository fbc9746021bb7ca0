"""The page frame of every report: A4, a header with the organisation and the
document title, a footer with the confidentiality marking, record number, revision,
print date and "page X of Y". Rendered into memory, never into a file."""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, CondPageBreak, Frame, PageTemplate, Paragraph, Table

from kkdesk.reports import fonts
from kkdesk.reports.styles import ACCENT, CONCERN_INK, MUTED, RULE

PAGE = A4
MARGIN_X = 17 * mm
MARGIN_TOP = 21 * mm
MARGIN_BOTTOM = 19 * mm
FRAME_WIDTH = PAGE[0] - 2 * MARGIN_X
HEADING_ROOM = 70  # points a table needs below its heading: header row and two or three rows


@dataclass
class PageInfo:
    """What the header and footer print; every string already in the document's language."""

    org_name: str
    title: str
    marking: str
    reference: str  # "Record PE-… · revision 3f2a9c1b0d4e (sealed)" or ""
    printed: str  # "Printed 22 February 2024, 10:40"
    page_of: str  # translated "Page %(page)d of %(pages)d"
    pdf_title: str
    lang: str


def _fit(canvas: Canvas, text: str, face: str, size: float, width: float) -> str:
    """Shorten `text` with an ellipsis so that it fits `width` (header lines never overflow)."""
    if canvas.stringWidth(text, face, size) <= width:
        return text
    while text and canvas.stringWidth(text + "…", face, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _make_canvas(info: PageInfo):
    class NumberedCanvas(Canvas):
        """Keeps every page until the end so the footer can say "page X of Y"."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):  # noqa: N802 - reportlab API
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                _decorate(self, info, number, total)
                super().showPage()
            super().save()

    return NumberedCanvas


def _decorate(c: Canvas, info: PageInfo, number: int, total: int) -> None:
    width, height = PAGE
    left, right = MARGIN_X, width - MARGIN_X
    c.saveState()
    # header: organisation on the left, document title on the right, a rule below
    top = height - 12 * mm
    full = right - left
    org_w = min(c.stringWidth(info.org_name, fonts.BOLD, 8.4), full * 0.55)
    c.setFillColor(ACCENT)
    c.setFont(fonts.BOLD, 8.4)
    c.drawString(left, top, _fit(c, info.org_name, fonts.BOLD, 8.4, org_w))
    c.setFillColor(MUTED)
    c.setFont(fonts.REGULAR, 8.0)
    c.drawRightString(right, top, _fit(c, info.title, fonts.REGULAR, 8.0, full - org_w - 14))
    c.setStrokeColor(RULE)
    c.setLineWidth(0.6)
    c.line(left, top - 3.2 * mm, right, top - 3.2 * mm)
    # footer: marking and page on the first line, reference and print date below
    base = 12.5 * mm
    c.line(left, base + 4.2 * mm, right, base + 4.2 * mm)
    page_text = info.page_of % {"page": number, "pages": total}
    c.setFont(fonts.REGULAR, 7.6)
    page_w = c.stringWidth(page_text, fonts.REGULAR, 7.6)
    c.setFillColor(CONCERN_INK)
    c.setFont(fonts.BOLD, 7.6)
    c.drawString(left, base, _fit(c, info.marking, fonts.BOLD, 7.6, right - left - page_w - 12))
    c.setFillColor(MUTED)
    c.setFont(fonts.REGULAR, 7.6)
    c.drawRightString(right, base, page_text)
    line2 = " · ".join(x for x in (info.reference, info.printed) if x)
    c.setFont(fonts.REGULAR, 7.0)
    c.drawString(left, base - 3.6 * mm, _fit(c, line2, fonts.REGULAR, 7.0, right - left))
    c.restoreState()


def flow(story: list) -> list:
    """Keep headings with what follows without leaving half-empty pages: a run of
    headings before a table is preceded by a conditional page break (room for the
    headings and a few rows) instead of being glued to the whole table, which would
    move a medium-sized table to the next page."""
    out: list = []
    i = 0
    while i < len(story):
        j = i
        while j < len(story) and isinstance(story[j], Paragraph) and story[j].getKeepWithNext():
            j += 1
        if j > i and j < len(story) and isinstance(story[j], Table):
            out.append(CondPageBreak(HEADING_ROOM + 16 * (j - i)))
            for heading in story[i:j]:
                heading.keepWithNext = 0
            out.extend(story[i:j + 1])
            i = j + 1
            continue
        out.append(story[i])
        i += 1
    return out


def build(story: list, info: PageInfo) -> bytes:
    """Lay out `story` on A4 pages and return the PDF bytes."""
    fonts.register()
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=PAGE, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM, title=info.pdf_title, author=info.org_name, subject=info.title,
        creator="kkdesk", producer="kkdesk", lang=info.lang, invariant=1, pageCompression=1,
        initialFontName=fonts.REGULAR, initialFontSize=8.8, initialLeading=11.6,
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.build(flow(story), canvasmaker=_make_canvas(info))
    return buffer.getvalue()
