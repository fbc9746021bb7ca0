"""`kkdesk-cli interventions due`: the follow-ups of open interventions, overdue first."""

from __future__ import annotations

from kkdesk.errors import InputError
from kkdesk.i18n import N_, _


def _due(ctx) -> int:
    from kkdesk.cli import out, out_json
    from kkdesk.i18n import format_partial_date, get_language
    from kkdesk.interventions import due
    from kkdesk.vocab import vocabularies

    if ctx.args.within is not None and ctx.args.within < 0:
        raise InputError(N_("--within takes a number of days of zero or more."))
    store = ctx.store()
    with store.session() as s:
        items = due(s, within_days=ctx.args.within)
    if ctx.args.json:
        out_json([d.as_dict() for d in items])
        return 0
    if not items:
        out(_("No follow-ups are due."))
        return 0
    voc, lang = vocabularies(), get_language()
    for d in items:
        mark = _("OVERDUE") if d.overdue else ""
        out(f"{format_partial_date(d.follow_up_date, lang):<18} {mark:<10} {d.record_no or '':<18} "
            f"{voc.label('intervention_status', d.status, lang)} — {d.addressee}")
        for link in d.links:
            out(f"{'':<18} {'':<10} → {link.record_no or ''} {link.title}")
    return 0


def register(sub, common) -> None:
    p = sub.add_parser("interventions", parents=[common], help=_("interventions: the follow-ups that are due"))
    isub = p.add_subparsers(dest="interventions_command", metavar="due")
    isub.required = True
    d = isub.add_parser("due", parents=[common], help=_("open interventions with a follow-up date, overdue first"))
    d.add_argument("--within", type=int, metavar="DAYS", help=_("only those due within this many days"))
    d.add_argument("--json", action="store_true")
    d.set_defaults(func=_due)
