"""Paragraph and table styles of every report. Each style names a bundled font
explicitly: a style left at reportlab's default would draw in Helvetica."""

from __future__ import annotations

from functools import lru_cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import TableStyle

from kkdesk.reports import fonts

INK = colors.HexColor("#1b1b1b")
MUTED = colors.HexColor("#5b6470")
ACCENT = colors.HexColor("#1f3a5f")
RULE = colors.HexColor("#9aa5b1")
HEAD_BG = colors.HexColor("#e6ebf1")
LABEL_BG = colors.HexColor("#f3f5f8")
CONCERN_BG = colors.HexColor("#fbe4e4")
CONCERN_INK = colors.HexColor("#a11212")
MARKER = colors.HexColor("#c00000")

BASE_SIZE = 8.8
LEADING = 11.6


class Styles:
    """Named ParagraphStyles; `fonts.register()` has run when this exists."""

    def __init__(self) -> None:
        fonts.register()

        def style(name: str, **kw) -> ParagraphStyle:
            kw.setdefault("fontName", fonts.REGULAR)
            kw.setdefault("fontSize", BASE_SIZE)
            kw.setdefault("leading", LEADING)
            kw.setdefault("textColor", INK)
            kw.setdefault("bulletFontName", fonts.REGULAR)
            kw.setdefault("wordWrap", None)
            return ParagraphStyle(name, **kw)

        self.body = style("body", spaceAfter=3)
        self.cell = style("cell", fontSize=8.2, leading=10.4)
        self.cell_bold = style("cell_bold", fontName=fonts.BOLD, fontSize=8.2, leading=10.4)
        self.cell_indent = style("cell_indent", fontSize=8.2, leading=10.4, leftIndent=9)
        self.cell_small = style("cell_small", fontSize=7.4, leading=9.2, textColor=MUTED)
        self.cell_right = style("cell_right", fontSize=8.2, leading=10.4, alignment=TA_RIGHT)
        self.cell_bold_right = style("cell_bold_right", fontName=fonts.BOLD, fontSize=8.2, leading=10.4,
                                     alignment=TA_RIGHT)
        self.cell_head = style("cell_head", fontName=fonts.BOLD, fontSize=7.8, leading=9.8, textColor=ACCENT)
        self.cell_head_right = style("cell_head_right", fontName=fonts.BOLD, fontSize=7.8, leading=9.8,
                                     textColor=ACCENT, alignment=TA_RIGHT)
        self.cell_concern = style("cell_concern", fontName=fonts.BOLD, fontSize=8.2, leading=10.4, textColor=CONCERN_INK)
        self.label = style("label", fontName=fonts.BOLD, fontSize=8.0, leading=10.4, textColor=MUTED)
        self.title = style("title", fontName=fonts.BOLD, fontSize=15, leading=19, textColor=ACCENT, spaceAfter=2)
        self.subtitle = style("subtitle", fontSize=9.5, leading=12.5, textColor=MUTED, spaceAfter=8)
        self.h2 = style("h2", fontName=fonts.BOLD, fontSize=11.2, leading=14, textColor=ACCENT, spaceBefore=10,
                        spaceAfter=4, keepWithNext=1)
        self.h3 = style("h3", fontName=fonts.BOLD, fontSize=9.4, leading=12, textColor=INK, spaceBefore=7,
                        spaceAfter=3, keepWithNext=1)
        self.note = style("note", fontName=fonts.ITALIC, fontSize=7.8, leading=10, textColor=MUTED, spaceAfter=3)
        # the border is drawn borderPadding outside the text: indent so it stays inside the frame
        self.notice = style("notice", fontSize=8.2, leading=10.6, textColor=INK, borderColor=RULE, borderWidth=0.6,
                            borderPadding=5, backColor=LABEL_BG, spaceBefore=8, spaceAfter=10, leftIndent=5,
                            rightIndent=5)
        self.centre = style("centre", fontSize=8.0, leading=10, alignment=TA_CENTER, textColor=MUTED)
        self.left = style("left", alignment=TA_LEFT)


@lru_cache(maxsize=1)
def styles() -> Styles:
    return Styles()


def grid_style(header_rows: int = 1, extra: list | None = None) -> TableStyle:
    """A data table: bundled font everywhere, a tinted header, thin rules."""
    cmds = [
        ("FONT", (0, 0), (-1, -1), fonts.REGULAR, 8.2, 10.4),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LINEBELOW", (0, 0), (-1, -1), 0.35, RULE),
        ("BOX", (0, 0), (-1, -1), 0.6, RULE),
    ]
    if header_rows:
        cmds += [
            ("FONT", (0, 0), (-1, header_rows - 1), fonts.BOLD, 7.8, 9.8),
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEAD_BG),
            ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.8, ACCENT),
        ]
    return TableStyle(cmds + (extra or []))


def fields_style(extra: list | None = None) -> TableStyle:
    """A two-column label/value block."""
    return TableStyle([
        ("FONT", (0, 0), (-1, -1), fonts.REGULAR, 8.2, 10.4),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (0, -1), LABEL_BG),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LINEBELOW", (0, 0), (-1, -1), 0.35, RULE),
        ("BOX", (0, 0), (-1, -1), 0.6, RULE),
    ] + (extra or []))
