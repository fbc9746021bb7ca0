"""Statistics report: SPEC §6.2 R1–R6 (threat cases per year, by target group,
gender, type, perpetrator type and region) for a period, with the counting rule
(SPEC §6.1, `kkdesk.stats`) stated; or one custom table `by` given dimensions."""

from __future__ import annotations

from collections import defaultdict
from xml.sax.saxutils import escape

from reportlab.platypus import Paragraph

from kkdesk import stats
from kkdesk.i18n import N_
from kkdesk.reports.common import EMPTY, Sheet
from kkdesk.reports.styles import HEAD_BG, LABEL_BG

TITLE = N_("Statistics of threats")
RULE = N_(
    "Counting rule: one threat case is one threat act — one victim, one type of threat, one date. Only acts "
    "marked as counted in statistics are included, and only from incidents whose record status is verified "
    "(unless all statuses are included). An act belongs to the period of its date; a partial date counts from "
    "its first day, and acts without a known date are shown in a separate column. Target group, gender and "
    "region are those at the time of the act. Persons and organisations are distinct victims.")
PERPETRATOR_NOTE = N_("An act counts once for each distinct perpetrator type, so the totals of this table can exceed "
                      "the number of threat cases.")
OTHER_GROUP_NOTE = N_("Acts against the group “other / not classified” are not part of the eight-group table: %(n)s.")
DIM_LABELS = {
    "year": N_("Year"), "target_group": N_("Target group at the time"), "threat_type": N_("Threat type"),
    "gender": N_("Gender at the time"), "region": N_("Region at the time"), "perpetrator_type": N_("Perpetrator type"),
}
DIM_VOCAB = {"target_group": "target_group", "threat_type": "threat_type", "gender": "gender", "region": "region",
             "perpetrator_type": "perpetrator_type"}
PIVOTS = (
    ("R2", N_("Threat cases by target group"), "target_group"),
    ("R3", N_("Threat cases by gender"), "gender"),
    ("R4", N_("Threat cases by type"), "threat_type"),
    ("R5", N_("Threat cases by perpetrator type"), "perpetrator_type"),
    ("R6", N_("Threat cases by region"), "region"),
)
FULL_LISTS = {"target_group", "region"}
MAX_YEARS = 7  # year columns per table; more years continue in a further table


def _year_label(sh: Sheet, year) -> str:
    return str(year) if year is not None else sh._("Date unknown")


def _chunks(years: list) -> list[list]:
    return [years[i:i + MAX_YEARS] for i in range(0, len(years), MAX_YEARS)] or [[]]


def _share(part: int, whole: int, sh: Sheet) -> str:
    return sh.number(round(100.0 * part / whole, 1)) + " %" if whole else EMPTY


def _r1(sh: Sheet, q, totals: dict) -> list:
    per_year = q(["year"])
    gender: defaultdict = defaultdict(lambda: defaultdict(int))
    for r in q(["year", "gender"]):
        gender[r["year"]][r["gender"]] += r["acts"]
    rows = []
    for r in per_year:
        g = gender[r["year"]]
        known = g["female"] + g["male"] + g["other"]
        rows.append([_year_label(sh, r["year"]), sh.number(r["acts"]), sh.number(r["persons"]),
                     sh.number(r["organisations"]), _share(g["female"], known, sh), sh.number(g["unknown"])])
    all_g: defaultdict = defaultdict(int)
    for g in gender.values():
        for k, v in g.items():
            all_g[k] += v
    known = all_g["female"] + all_g["male"] + all_g["other"]
    total = [sh.number(totals["acts"]), sh.number(totals["persons"]), sh.number(totals["organisations"]),
             _share(all_g["female"], known, sh), sh.number(all_g["unknown"])]
    rows.append([sh.p(sh._("Total"), sh.st.cell_bold)] + [sh.p(v, sh.st.cell_bold_right) for v in total])
    extra = [("BACKGROUND", (0, len(rows)), (-1, len(rows)), LABEL_BG)]
    head = [sh._("Year"), sh._("Threat cases"), sh._("Persons"), sh._("Organisations"), sh._("Share of women"),
            sh._("Gender unknown")]
    table = sh.grid(head, rows, [18, 16, 16, 18, 16, 16], extra, right=range(1, 6))
    note = sh.note(sh._("Share of women: acts against women among acts against persons of known gender."))
    return [Paragraph("R1. " + escape(sh._("Threat cases per year")), sh.st.h2), table, note]


def _pivot(sh: Sheet, code: str, title: str, dim: str, rows: list[dict], years: list) -> list:
    vocab = DIM_VOCAB[dim]
    counts: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    other = 0
    for r in rows:
        if dim == "target_group" and r[dim] == "other":
            other += r["acts"]
            continue
        counts[r[dim]][r["year"]] += r["acts"]
    order = {t.code: i for i, t in enumerate(sh.voc.terms(vocab))}
    if dim in FULL_LISTS:  # the published tables list every group / region, also those without cases
        for t in sh.voc.terms(vocab):
            if not t.is_category and not t.extra.get("valid_to") and t.code != "other":
                counts.setdefault(t.code, defaultdict(int))
    categories = defaultdict(list)
    for key in counts:
        categories[sh.voc.category_of(vocab, key) if key else None].append(key)
    lines: list[tuple[str, dict, bool | None]] = []  # label, per-year counts, True: category / False: leaf in one
    for cat in sorted(categories, key=lambda c: (c is None, order.get(c, 9999))):  # type: ignore[arg-type]
        keys = sorted(categories[cat], key=lambda k: order.get(k, 9999))
        if cat is not None:
            sub: defaultdict = defaultdict(int)
            for k in keys:
                for y, n in counts[k].items():
                    sub[y] += n
            lines.append((sh.label(vocab, cat), sub, None))
        for k in keys:
            lines.append((sh.label(vocab, k) if k else EMPTY, counts[k], cat is not None))
    out = [Paragraph(f"{code}. {escape(sh._(title))}", sh.st.h2)]
    if not lines:
        return out + [sh.empty(N_("No threat cases in this period."))]
    for chunk in _chunks(years):
        body, extra = [], []
        for i, (label, per, in_category) in enumerate(lines, start=1):
            is_cat = in_category is None
            total = sum(per.values())
            style = sh.st.cell_bold if is_cat else sh.st.cell_indent if in_category else sh.st.cell
            body.append([sh.p(label, style)] +
                        [sh.number(per.get(y, 0)) if per.get(y) else EMPTY for y in chunk] +
                        [sh.number(total) if total else EMPTY])
            if is_cat:
                extra.append(("BACKGROUND", (0, i), (-1, i), HEAD_BG))
        head = [sh._(DIM_LABELS[dim])] + [_year_label(sh, y) for y in chunk] + [sh._("Total")]
        shares = [34] + [66 / (len(chunk) + 1)] * (len(chunk) + 1)
        out.append(sh.grid(head, body, shares, extra, right=range(1, len(chunk) + 2)))
    if dim == "perpetrator_type":
        out.append(sh.note(sh._(PERPETRATOR_NOTE)))
    if dim == "target_group" and other:
        out.append(sh.note(sh._(OTHER_GROUP_NOTE) % {"n": sh.number(other)}))
    if dim == "gender":
        men = sum(counts.get("male", {}).values())
        women = sum(counts.get("female", {}).values())
        if men and women:
            out.append(sh.note(sh._("Ratio of men to women: %(ratio)s : 1") % {"ratio": sh.number(round(men / women, 2))}))
    return out


def _custom(sh: Sheet, dims: list[str], rows: list[dict], totals: dict) -> list:
    def cell(dim, value):
        if dim == "year":
            return _year_label(sh, value)
        return sh.label(DIM_VOCAB[dim], value) if value else EMPTY

    body = [[cell(d, r[d]) for d in dims] + [sh.number(r["acts"]), sh.number(r["persons"]), sh.number(r["organisations"])]
            for r in rows]
    head = [sh._(DIM_LABELS[d]) for d in dims] + [sh._("Threat cases"), sh._("Persons"), sh._("Organisations")]
    title = Paragraph(escape(sh._("Threat cases by %(dimensions)s") % {
        "dimensions": ", ".join(sh._(DIM_LABELS[d]) for d in dims)}), sh.st.h2)
    out = [title]
    if not body:
        return out + [sh.empty(N_("No threat cases in this period."))]
    n = len(dims)
    out.append(sh.grid(head, body, [60 / n] * n + [14, 13, 13], right=range(n, n + 3)))
    out.append(sh.p(sh._("Total threat cases: %(n)s") % {"n": sh.number(totals["acts"])}, sh.st.body))
    if "perpetrator_type" in dims:
        out.append(sh.note(sh._(PERPETRATOR_NOTE)))
    return out


def _period(sh: Sheet, date_from, date_to) -> str:
    lo = sh.date(date_from) if date_from else None
    hi = sh.date(date_to) if date_to else None
    if lo and hi:
        return sh._("Period: %(start)s – %(end)s") % {"start": lo, "end": hi}
    if lo:
        return sh._("Period: from %(start)s") % {"start": lo}
    if hi:
        return sh._("Period: until %(end)s") % {"end": hi}
    return sh._("Period: all dates")


def build(sh: Sheet, by=None, date_from=None, date_to=None, all_statuses=False) -> tuple[str, list]:
    dims = stats.parse_dimensions(by) if by else None
    stats._bound(date_from, False), stats._bound(date_to, True)  # refuse a malformed date before any work

    def q(d):
        return stats.compute(sh.session, d, date_from, date_to, all_statuses).rows

    totals = stats.totals(sh.session, date_from, date_to, all_statuses)
    statuses = sh._("Records counted: all record statuses") if all_statuses else sh._("Records counted: verified only")
    story = sh.title(sh._(TITLE), f"{_period(sh, date_from, date_to)} · {statuses}")
    story.append(sh.notice(sh._(RULE)))
    if dims:
        return sh._(TITLE), story + _custom(sh, dims, q(dims), totals)
    story += _r1(sh, q, totals)
    for code, title, dim in PIVOTS:
        rows = q([dim, "year"])
        years = sorted({r["year"] for r in rows}, key=lambda y: (y is None, y or 0))
        story += _pivot(sh, code, title, dim, rows, years)
    return sh._(TITLE), story
