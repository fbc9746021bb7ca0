"""`kkdesk-cli duplicates` (candidate pairs, SPEC §7.11) and `kkdesk-cli merge persons`."""

from __future__ import annotations

from kkdesk.i18n import _

KINDS = {"persons": "person", "threats": "threat"}


def _duplicates(ctx) -> int:
    from sqlalchemy import select

    from kkdesk.cli import out, out_json
    from kkdesk.db.models import Record
    from kkdesk.duplicates import find_pairs, reason_texts

    store = ctx.store()
    kinds = [KINDS[ctx.args.kind]] if ctx.args.kind else list(KINDS.values())
    with store.session() as s:
        pairs = find_pairs(s, kinds)
        ids = sorted({i for p in pairs for i in (p.a, p.b)})
        labels: dict[str, tuple[str | None, str]] = {}
        for i in range(0, len(ids), 500):
            for rid, no, title in s.execute(select(Record.id, Record.record_no, Record.title).where(
                    Record.id.in_(ids[i:i + 500]))):
                labels[rid] = (no, title)
    if ctx.args.json:
        out_json([p.as_dict() for p in pairs])
        return 0
    if not pairs:
        out(_("No possible duplicates found."))
        return 0
    for p in pairs:
        (no_a, title_a), (no_b, title_b) = labels.get(p.a, (p.a, "")), labels.get(p.b, (p.b, ""))
        out(f"{no_a or p.a}  {title_a}  ⇄  {no_b or p.b}  {title_b}")
        out("    " + "; ".join(reason_texts(p.reasons)))
    return 0


def _merge_persons(ctx) -> int:
    from kkdesk.cli import out, out_json
    from kkdesk.interchange import author_of
    from kkdesk.merge_persons import merge
    from kkdesk.records import find

    store = ctx.store()
    with store.session() as s:
        result = merge(s, author_of(store), ctx.args.keep, ctx.args.other)
        keep_no, other_no = find(s, result.keep).record_no, find(s, result.other).record_no
    if ctx.args.json:
        out_json({"keep": result.keep, "other": result.other, "revision": result.keep_rev,
                  "tombstone": result.tombstone_rev, "repointed": result.repointed})
    else:
        out(_("Merged %(other)s into %(keep)s; %(n)d records now point at %(keep)s.")
            % {"other": other_no, "keep": keep_no, "n": len(result.repointed)})
    return 0


def register(sub, common) -> None:
    p = sub.add_parser("duplicates", parents=[common],
                       help=_("list possible duplicates: persons and threat incidents (SPEC 7.11)"))
    p.add_argument("--kind", choices=sorted(KINDS), help=_("only persons or only threats"))
    p.add_argument("--json", action="store_true",
                   help=_('[{"kind", "a", "b", "reasons"}]: kind person or threat, a and b record ids'))
    p.set_defaults(func=_duplicates)

    p = sub.add_parser("merge", parents=[common], help=_("merge two records of the same person"))
    msub = p.add_subparsers(dest="merge_command", metavar="{persons}")
    msub.required = True
    m = msub.add_parser("persons", parents=[common],
                        help=_("merge OTHER into KEEP: names and contacts joined, references moved, OTHER deleted"))
    m.add_argument("keep", metavar="KEEP", help=_("the person kept (number or id)"))
    m.add_argument("other", metavar="OTHER", help=_("the person merged into KEEP and then deleted"))
    m.add_argument("--json", action="store_true")
    m.set_defaults(func=_merge_persons)
