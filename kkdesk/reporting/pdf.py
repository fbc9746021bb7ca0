"""A report, or the yearly pack, as PDF: the organisation header and footer of the
other sheets (`kkdesk.reports.layout`), fonts embedded, a vector chart above each
table (a heat table for R7)."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import PageBreak, Paragraph, Spacer

from kkdesk.reporting.chartdata import chart_data
from kkdesk.reporting.model import BOOL, MEASURES, PERCENT, Report
from kkdesk.reporting.pdfcharts import drawing
from kkdesk.reporting.tabular import RULES
from kkdesk.reporting.texts import Texts
from kkdesk.reporting.trendview import HEADINGS, NUMERIC, trend_lines
from kkdesk.reports import layout
from kkdesk.reports.common import EMPTY, MARKING, Sheet
from kkdesk.reports.styles import CONCERN_BG, HEAD_BG

MAX_PDF_ROWS = 400  # a long table is cut, with a line saying so (the XLSX has every row)
DARK = 3  # heat levels from here on print white digits
HEAT = [HEAD_BG] + [colors.HexColor(c) for c in ("#c9d6e6", "#9fb6d3", "#6f90bb", "#3f6aa0")]


def _cell(sh: Sheet, t: Texts, col, row: dict) -> str:
    v = row.get(col.key)
    if col.type in MEASURES:
        if v is None:
            return EMPTY
        return t.number(v) + (" %" if col.type == PERCENT else "")
    if col.type == BOOL:
        return t.value(col, row) if v is not None else EMPTY
    return t.value(col, row) or EMPTY


def _table(sh: Sheet, t: Texts, r: Report) -> list:
    cols = r.columns
    rows = r.rows[:MAX_PDF_ROWS]
    body = [[_cell(sh, t, c, row) for c in cols] for row in rows]
    right = [i for i, c in enumerate(cols) if c.type in MEASURES]
    # room for the longest word of each heading (Russian and Kazakh headings have long words)
    shares = [max(max(len(w) for w in t._(c.title).split() or [""]), 6) + (0 if c.type in MEASURES else 8)
              for c in cols]
    extra = []
    if "conflicting" in (c.key for c in cols):
        for i, row in enumerate(rows, 1):
            if row.get("conflicting"):
                extra.append(("BACKGROUND", (0, i), (-1, i), CONCERN_BG))
    out = [sh.grid([t._(c.title) for c in cols], body, shares, extra, right=right)]
    if len(r.rows) > MAX_PDF_ROWS:
        out.append(sh.note(t._("Only the first %(n)s of %(total)s rows are printed; the workbook holds them all.")
                           % {"n": MAX_PDF_ROWS, "total": len(r.rows)}))
    return out


def _trend_table(sh: Sheet, t: Texts, r: Report) -> list:
    """R16 in the six columns of `trendview` that fit the page."""
    lines = trend_lines(r, t)[:MAX_PDF_ROWS]
    body, extra = [], []
    for i, line in enumerate(lines, 1):
        body.append([*line.cells[:-1], sh.p(line.cells[-1], sh.st.cell_small)])
        if line.conflicting:
            extra.append(("BACKGROUND", (0, i), (-1, i), CONCERN_BG))
    head = [t._(h) for h in HEADINGS]
    shares = [21, 12, 16, 11, 15, 25]  # fixed: a period "2022-01-01 – 2022-05-31" needs its own two lines
    table = sh.grid(head, body, shares, extra, right=list(NUMERIC))
    table._argW = table._colWidths = [sh.width * x / sum(shares) for x in shares]
    out = [table]
    if len(r.rows) > MAX_PDF_ROWS:
        out.append(sh.note(t._("Only the first %(n)s of %(total)s rows are printed; the workbook holds them all.")
                           % {"n": MAX_PDF_ROWS, "total": len(r.rows)}))
    return out


def _heat(sh: Sheet, t: Texts, r: Report) -> list:
    groups, cats, cells = [], [], {}
    for row in r.rows:
        g, c = row["target_group"], row["category"]
        if g not in groups:
            groups.append(g)
        if c not in cats:
            cats.append(c)
        cells[(g, c)] = row["cases"]
    if not cells:
        return []
    top = max(cells.values()) or 1
    gcol, ccol = r.column("target_group"), r.column("category")
    light = ParagraphStyle("heat_light", parent=sh.st.cell_right, textColor=colors.white)
    body, extra = [], []
    for i, g in enumerate(groups, 1):
        line = [t.value(gcol, {"target_group": g})]
        for j, c in enumerate(cats, 1):
            n = cells.get((g, c), 0)
            level = min(4, int(4 * n / top + 0.999)) if n else 0
            # white digits on the two dark blues (dark digits there have too little contrast)
            line.append(sh.p(t.number(n), light) if level >= DARK else t.number(n) if n else EMPTY)
            if n:
                extra.append(("BACKGROUND", (j, i), (j, i), HEAT[level]))
        body.append(line)
    head = [""] + [t.value(ccol, {"category": c}) for c in cats]
    return [sh.grid(head, body, [24] + [76 / len(cats)] * len(cats), extra, right=range(1, len(cats) + 1)),
            Spacer(1, 10)]


def story_of(sh: Sheet, t: Texts, r: Report) -> list:
    out: list = [Paragraph(escape(t.title(r)), sh.st.h2)]
    data = chart_data(r, t)
    if r.chart is not None and r.chart.kind == "heat":
        out += _heat(sh, t, r)
    else:
        d = drawing(data, sh.width) if data is not None else None
        if d is not None:
            out += [d, Spacer(1, 4)]
    if r.rows:
        out += _trend_table(sh, t, r) if r.id == "R16" else _table(sh, t, r)
    else:
        out.append(sh.note(t._("No data in this period.")))
    out += [sh.note(n.text(t._)) for n in r.notes]
    return out


def pdf_bytes(reports: list[Report], t: Texts, org_name: str = "", pack: bool = False) -> bytes:
    sh = Sheet(None, t.base)   # type: ignore[arg-type] # no records are read: aggregates only
    sh._ = t._
    first = reports[0]
    p = first.options.period
    period = t._("Period: %(start)s – %(end)s") % {"start": p.start or "…", "end": p.end or "…"}
    statuses = t._("Records counted: all record statuses") if first.options.all_statuses else \
        t._("Records counted: verified only")
    title = t._("Yearly report") if pack else t.title(first)
    story = sh.title(title, f"{period} · {statuses}")
    story.append(sh.notice(t._(RULES)))
    for i, r in enumerate(reports):
        if pack and i:
            story.append(PageBreak())
        story += story_of(sh, t, r)
    marking = MARKING["internal"]  # a variable: Babel 2.14 would extract the key as a message
    info = layout.PageInfo(org_name=org_name, title=title, marking=t._(marking), reference="",
                           printed=t.script(sh.printed()), page_of=t._("Page %(page)d of %(pages)d"), pdf_title=title,
                           lang=t.base)
    return layout.build(story, info)
