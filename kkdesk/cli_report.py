"""`kkdesk-cli report …`: the reports R1–R16 of SPEC §6.2 and the yearly pack.

    kkdesk-cli report R1…R16 [--from P] [--to P] [--all-statuses] [--regions at-time|current]
                             [--lang kk|ru|en|kk-Latn] [--json | --xlsx F | --csv F | --pdf F]
    kkdesk-cli report all --year Y [--xlsx F] [--pdf F] [...]

The report id, the period and every output target are checked before the store is
opened; files are written atomically, so a refused command writes nothing."""

from __future__ import annotations

import argparse

from kkdesk.i18n import N_, _


def _outputs(args) -> dict[str, str]:
    return {k: getattr(args, k) for k in ("xlsx", "csv", "pdf") if getattr(args, k, None)}


def cmd_report(ctx) -> int:
    from kkdesk.cli import out, out_json
    from kkdesk.errors import InputError
    from kkdesk.i18n import get_language
    from kkdesk.reporting import catalogue, period
    from kkdesk.reporting.model import Options
    from kkdesk.reporting.texts import Texts

    args = ctx.args
    is_all = args.report.strip().lower() == "all"
    ids = list(catalogue.IDS) if is_all else [catalogue.normalise_id(args.report)]
    if is_all:
        if args.year is None:
            raise InputError(N_("Give the year of the pack with --year YYYY."))
        if args.date_from or args.date_to:
            raise InputError(N_("The yearly pack takes --year, not --from or --to."))
        p = period.year(args.year)
    else:
        year = str(args.year) if args.year is not None else None
        p = period.parse(args.date_from if args.date_from is not None else year,
                         args.date_to if args.date_to is not None else year)
    outputs = _outputs(args)
    if is_all and args.csv:
        raise InputError(N_("CSV holds one report; give --xlsx or --pdf for the yearly pack."))
    if args.json and outputs:
        raise InputError(N_("Give either --json or output files, not both."))
    from kkdesk.reports import check_target

    for target in outputs.values():
        check_target(target)
    options = Options(p, args.all_statuses, args.regions)
    t = Texts(args.lang or get_language())
    store = ctx.store()
    with store.session() as session:
        reports = [catalogue.run(session, rid, options) for rid in ids]
        from kkdesk.reporting import tabular

        files: list[tuple[str, bytes]] = []
        if "xlsx" in outputs:
            files.append((outputs["xlsx"], tabular.xlsx_bytes(reports, t)))
        if "csv" in outputs:
            files.append((outputs["csv"], tabular.csv_bytes(reports[0], t)))
        if "pdf" in outputs:
            from kkdesk.reporting.pdf import pdf_bytes

            from kkdesk.reports.api import _org_name

            files.append((outputs["pdf"], pdf_bytes(reports, t, org_name=_org_name(session, None) or store.name,
                                                    pack=is_all)))
    for target, data in files:
        path = tabular.write(data, target)
        out(_("Written to %(path)s") % {"path": str(path)})
    if args.json:
        docs = [tabular.as_json(r, t) for r in reports]
        out_json(docs if is_all else docs[0])
    elif not files:
        for r in reports:
            _print_text(r, t, out)
    return 0


def _print_text(report, t, out) -> None:
    from kkdesk.reporting.model import MEASURES, PERCENT

    out(t.title(report))
    cols = report.columns
    out("\t".join(t._(c.title) for c in cols))
    for row in report.rows:
        cells = []
        for c in cols:
            v = row.get(c.key)
            if c.type in MEASURES:
                cells.append("" if v is None else t.number(v) + (" %" if c.type == PERCENT else ""))
            else:
                cells.append(t.value(c, row))
        out("\t".join(cells))
    for n in report.notes:
        out("* " + n.text(t._))


def register(subparsers, common: argparse.ArgumentParser) -> None:
    from kkdesk.reporting.texts import OUTPUT_LANGS

    p = subparsers.add_parser("report", parents=[common], help=_("reports R1–R16 and the yearly pack"))
    p.add_argument("report", metavar="REPORT", help=_("R1 … R16, or all for the yearly pack"))
    p.add_argument("--from", dest="date_from", metavar="P", help=_("first day of the period (YYYY, YYYY-MM or YYYY-MM-DD)"))
    p.add_argument("--to", dest="date_to", metavar="P", help=_("last day of the period (YYYY, YYYY-MM or YYYY-MM-DD)"))
    p.add_argument("--year", type=int, metavar="Y", help=_("the year of the report or of the yearly pack"))
    p.add_argument("--all-statuses", action="store_true", help=_("count records of every status, not only verified"))
    p.add_argument("--regions", choices=("at-time", "current"), default="at-time",
                   help=_("regions as at the time of the act (default) or mapped to today's regions"))
    p.add_argument("--lang", choices=OUTPUT_LANGS, help=_("language of the report (default: the interface language)"))
    p.add_argument("--json", action="store_true", help=_("print the report as JSON"))
    p.add_argument("--xlsx", metavar="F", help=_("write an Excel workbook"))
    p.add_argument("--csv", metavar="F", help=_("write a CSV file (UTF-8)"))
    p.add_argument("--pdf", metavar="F", help=_("write a PDF"))
    p.set_defaults(func=cmd_report)
