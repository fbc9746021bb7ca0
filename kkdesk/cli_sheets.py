"""`kkdesk-cli import-sheet`: legacy spreadsheets (XLSX, CSV, ODS) through a mapping.

    kkdesk-cli import-sheet FILE --suggest-mapping [--sheet S] --out MAPPING.json
    kkdesk-cli import-sheet FILE --mapping MAPPING.json [--dry-run] [--json] [--all-or-nothing]

The report lists rows with errors (skipped) by the row number the spreadsheet shows
and the column's header text; `--all-or-nothing` imports nothing when any row fails."""

from __future__ import annotations

import argparse

from kkdesk.errors import InputError, write_error
from kkdesk.i18n import N_, _


def _suggest(ctx) -> int:
    from kkdesk.cli import out
    from kkdesk.sheets.readers import open_workbook
    from kkdesk.sheets.suggest import suggest

    args = ctx.args
    if not args.out:
        raise InputError(N_("--suggest-mapping needs --out FILE."))
    with open_workbook(args.file) as wb:
        mapping = suggest(wb, args.sheet)
    from pathlib import Path

    from kkdesk.atomicfile import write_atomic

    try:
        write_atomic(Path(args.out), mapping.dumps().encode("utf-8"), 0o644)
    except OSError as exc:
        raise write_error(exc, args.out) from None
    unmapped = sum(1 for v in mapping.values.values() for code in v.values() if code is None)
    out(_("Mapping written to %(path)s: %(columns)d columns mapped, %(values)d cell texts to map by hand.") %
        {"path": args.out, "columns": len(mapping.columns), "values": unmapped})
    return 0


def _import(ctx) -> int:
    from kkdesk.cli import out, out_json
    from kkdesk.sheets import mapping as M
    from kkdesk.sheets.importer import import_sheet
    from kkdesk.sheets.readers import open_workbook

    args = ctx.args
    mapping = M.load(args.mapping)
    if args.sheet:
        mapping.sheet = args.sheet
    with open_workbook(args.file):  # a bad file fails before the passphrase is asked
        pass
    report = import_sheet(ctx.store(), args.file, mapping, dry_run=args.dry_run, all_or_nothing=args.all_or_nothing)
    if args.json:
        out_json(report.as_dict())
    else:
        line = _("Dry run: %(imported)d of %(rows)d rows would be imported (%(new)d new, %(updated)d updated, "
                 "%(unchanged)d unchanged records); %(skipped)d rows have errors.") if report.dry_run else \
            _("%(imported)d of %(rows)d rows imported (%(new)d new, %(updated)d updated, %(unchanged)d unchanged "
              "records); %(skipped)d rows skipped.")
        out(line % {"imported": report.imported, "rows": report.rows, "new": report.new, "updated": report.updated,
                    "unchanged": report.unchanged, "skipped": report.skipped})
        for e in report.errors:
            d = e.as_dict()
            out("  " + _("row %(row)s, %(column)s: %(message)s") % {"row": d["row"], "column": d["column"] or "—",
                                                                    "message": d["message"]})
        if report.persons_matched:
            out(_("Matched to persons already known:"))
            for m in report.persons_matched:
                where = m["record_no"] or (_("row %(row)s") % {"row": m["matched_row"]})
                out("  " + _("row %(row)s: %(name)s → %(match)s") % {"row": m["row"], "name": m["name"], "match": where})
        if report.warnings:
            out(_("Warnings (records marked incomplete):"))
            for w in report.warnings:
                d = w.as_dict()
                out("  " + _("row %(row)s, %(column)s: %(message)s") % {"row": d["row"], "column": d["column"] or "—",
                                                                        "message": d["message"]})
    if report.rolled_back:
        raise InputError(N_("%(count)d rows have errors; with --all-or-nothing nothing was imported."),
                         count=report.skipped)
    return 0


def _run(ctx) -> int:
    if ctx.args.suggest_mapping:
        return _suggest(ctx)
    if not ctx.args.mapping:
        raise InputError(N_("Give --mapping FILE, or --suggest-mapping --out FILE to write one."))
    return _import(ctx)


def register(subparsers, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser("import-sheet", parents=[common], help=_("import a legacy spreadsheet (XLSX, CSV, ODS)"))
    p.add_argument("file", metavar="FILE")
    p.add_argument("--suggest-mapping", action="store_true", help=_("write a mapping guessed from the header"))
    p.add_argument("--out", metavar="MAPPING.json", help=_("where --suggest-mapping writes the mapping"))
    p.add_argument("--sheet", metavar="S", help=_("the sheet to read (default: the mapping's, else the first)"))
    p.add_argument("--mapping", metavar="MAPPING.json", help=_("the mapping to import with"))
    p.add_argument("--dry-run", action="store_true", help=_("change nothing; print what would be imported"))
    p.add_argument("--json", action="store_true", help=_("print the report as JSON"))
    p.add_argument("--all-or-nothing", action="store_true", help=_("import nothing when any row has an error"))
    p.set_defaults(func=_run)
