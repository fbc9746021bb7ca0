"""`kkdesk-cli pdf …`: print case sheets, hearing and medical reports and the
statistics report as PDF files, in Kazakh, Russian or English.

    kkdesk-cli pdf {person,case,hearing,medical} ID --lang kk|ru|en --out FILE [--public]
    kkdesk-cli pdf stats [--by DIM[,DIM]] [--from D] [--to D] [--all-statuses] --lang … --out FILE

The target is checked before anything is rendered, the PDF is rendered in memory and
written atomically (temp file beside the target, then rename)."""

from __future__ import annotations

import argparse

from kkdesk.i18n import LANGS, _


def _pdf(ctx) -> int:
    from kkdesk.cli import out
    from kkdesk.reports import check_target, render, write_pdf

    args = ctx.args
    check_target(args.out)  # a bad target fails before the store is even opened
    store = ctx.store()
    opts = {}
    if args.doc == "stats":
        opts = {"by": args.by, "date_from": args.date_from, "date_to": args.date_to, "all_statuses": args.all_statuses}
    with store.session() as session:
        data = render(session, args.doc, getattr(args, "id", None), args.lang, public=args.public, **opts)
    path = write_pdf(data, args.out)
    out(_("PDF written to %(path)s") % {"path": str(path)})
    return 0


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("pdf", parents=[common], help=_("print a case sheet or report as PDF"))
    docs = parser.add_subparsers(dest="doc", metavar="DOCUMENT", parser_class=type(parser))
    docs.required = True

    def output_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--lang", required=True, choices=LANGS + ("kk-Latn",), help=_("language of the document"))
        p.add_argument("--out", required=True, metavar="FILE", help=_("the PDF file to write"))
        p.add_argument("--public", action="store_true",
                       help=_("public version: only public records, aliases for persons without consent"))
        p.set_defaults(func=_pdf)

    helps = {"person": _("case sheet of a person"), "case": _("case sheet of a case"),
             "hearing": _("hearing observation report"), "medical": _("medical examination report (Istanbul Protocol)")}
    for doc, text in helps.items():
        p = docs.add_parser(doc, parents=[common], help=text)
        p.add_argument("id", metavar="ID", help=_("the record's number or identifier"))
        output_options(p)
    p = docs.add_parser("stats", parents=[common], help=_("statistics of threats (reports R1–R6)"))
    p.add_argument("--by", help=_("one custom table by these dimensions: %(dims)s") % {
        "dims": "year,target_group,threat_type,gender,region,perpetrator_type"})
    p.add_argument("--from", dest="date_from", metavar="DATE", help=_("first day of the period (YYYY, YYYY-MM or YYYY-MM-DD)"))
    p.add_argument("--to", dest="date_to", metavar="DATE", help=_("last day of the period (YYYY, YYYY-MM or YYYY-MM-DD)"))
    p.add_argument("--all-statuses", action="store_true", help=_("count acts of every record status, not only verified"))
    output_options(p)
