"""A report as data: JSON (long form), XLSX (XlsxWriter) and CSV (UTF-8 with BOM).

The first worksheet and the CSV hold exactly the JSON rows: one header row of column
titles in the output language, then one row per JSON row in the same order; numbers
are numbers, percentages carry a percent format (the value 34.6 is written as 0.346).
Titles, notes, the counting rules and sources go to the "About" worksheet. Files are
written in memory and then atomically (nothing is left behind on an error)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from kkdesk.atomicfile import replacing
from kkdesk.i18n import N_
from kkdesk.reporting.model import DIM, MEASURES, PERCENT, Report
from kkdesk.reporting.texts import Texts

RULES = N_(
    "Counting rule: one threat case is one threat act — one victim, one type of threat, one date. Only acts "
    "marked as counted in statistics are included, and only from records whose status is verified (unless all "
    "statuses are included). An act belongs to the period of its date; a partial date counts from its first day, "
    "and acts without a known date are shown in a row of their own. Target group, gender and region are those at "
    "the time of the act. Persons and organisations are distinct victims. Published figures are never added to "
    "live counts.")


def as_json(report: Report, t: Texts) -> dict:
    return {"report": report.id, "title": t._(report.title), "period": report.options.period.as_dict(),
            "columns": [{"key": c.key, "title": t._(c.title), "type": c.type} for c in report.columns],
            "rows": report.rows, "notes": [n.text(t._) for n in report.notes],
            "options": {"all_statuses": report.options.all_statuses, "regions": report.options.regions}}


def cell(col, row: dict):
    """The first-sheet / CSV value of a cell: as in JSON (codes, numbers, booleans)."""
    return row.get(col.key)


def _period_text(report: Report, t: Texts) -> str:
    p = report.options.period
    return f"{p.start or '…'} – {p.end or '…'}"


def about_lines(reports: list[Report], t: Texts) -> list[tuple[str, str]]:
    first = reports[0]
    lines = [(t._("Period"), _period_text(first, t)),
             (t._("Records counted"), t._("all record statuses") if first.options.all_statuses else t._("verified only")),
             (t._("Regions"), t._("current regions") if first.options.regions == "current" else t._("as at the time")),
             (t._("Printed"), dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %z")),
             (t._("Counting rules"), t._(RULES))]
    for r in reports:
        lines.append((t.title(r), ""))
        lines += [("", n.text(t._)) for n in r.notes]
        for src in r.sources:
            lines.append((t._("Source of published figures"), src))
    return lines


def xlsx_bytes(reports: list[Report], t: Texts) -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
                                   "strings_to_urls": False})
    bold = wb.add_format({"bold": True})
    pct = wb.add_format({"num_format": "0.0%"})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    for r in reports:
        ws = wb.add_worksheet(r.id)
        for j, c in enumerate(r.columns):
            ws.write_string(0, j, t._(c.title), bold)
            ws.set_column(j, j, 14 if c.type in MEASURES else 22)
        for i, row in enumerate(r.rows, 1):
            for j, c in enumerate(r.columns):
                v = row.get(c.key)
                if v is None:
                    continue  # an empty cell, as JSON's null
                if c.type == PERCENT:
                    ws.write_number(i, j, v / 100.0, pct)
                elif isinstance(v, bool):
                    ws.write_boolean(i, j, v)
                elif isinstance(v, (int, float)):
                    ws.write_number(i, j, v)
                else:
                    ws.write_string(i, j, str(v))
        ws.freeze_panes(1, 0)
    about = wb.add_worksheet(t._("About")[:31])
    about.set_column(0, 0, 32)
    about.set_column(1, 1, 100)
    for i, (k, v) in enumerate(about_lines(reports, t)):
        about.write_string(i, 0, k, bold)
        about.write_string(i, 1, v, wrap)
    codes = wb.add_worksheet(t._("Codes")[:31])
    codes.set_column(0, 1, 30)
    codes.set_column(2, 2, 60)
    n = 0
    for r in reports:
        for c in r.columns:
            if c.type != DIM or c.key == "year":
                continue
            seen = set()
            for row in r.rows:
                v = row.get(c.key)
                if v is None or (c.key, v) in seen:
                    continue
                seen.add((c.key, v))
                codes.write_string(n, 0, c.key)
                codes.write_string(n, 1, str(v))
                codes.write_string(n, 2, t.value(c, row))
                n += 1
    wb.close()
    return buf.getvalue()


def csv_bytes(report: Report, t: Texts) -> bytes:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([t._(c.title) for c in report.columns])
    for row in report.rows:
        out = []
        for c in report.columns:
            v = row.get(c.key)
            out.append("" if v is None else ("true" if v is True else "false" if v is False else v))
        w.writerow(out)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def write(data: bytes, path: str | Path) -> Path:
    from kkdesk.reports import check_target

    target = check_target(path)
    with replacing(target) as fh:
        fh.write(data)
    return target


