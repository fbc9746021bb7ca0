"""`kkdesk-cli` commands on single records: show, history, delete, seal, attachments."""

from __future__ import annotations

from kkdesk.errors import InputError
from kkdesk.i18n import N_, _


def _show(ctx) -> int:
    from kkdesk import records
    from kkdesk.cli import out, out_json
    from kkdesk.interchange import record_to_interchange

    store = ctx.store()
    with store.session() as s:
        view = records.get(s, ctx.args.id)
        data = {"kind": view.kind, "record_no": view.record_no, "revision": view.head, "sealed": view.sealed,
                "deleted": view.deleted, "conflict": view.conflict, "incomplete": view.incomplete,
                "warnings": [w["path"] for w in view.warnings],
                "record": record_to_interchange(view.kind, view.id, view.content, ctx.args.include_contacts)}
    if ctx.args.json:
        out_json(data)
    else:
        out(f"{view.record_no}  {view.kind}  {_('revision')} {view.head[:12]}"
            + (f"  [{_('sealed')}]" if view.sealed else "") + (f"  [{_('deleted')}]" if view.deleted else ""))
        from kkdesk.canonical import dumps_document

        out(dumps_document(data["record"]))
    return 0


def _history(ctx) -> int:
    from kkdesk import records
    from kkdesk.cli import out, out_json

    store = ctx.store()
    with store.session() as s:
        hist = records.history(s, ctx.args.id)
    if ctx.args.json:
        out_json([{"revision": h.rev_id, "parents": h.parents, "deleted": h.deleted, "author": h.author,
                   "author_seq": h.author_seq, "created_at": h.created_at, "sealed_by": h.sealed_by} for h in hist])
    else:
        for h in hist:
            marks = (f" [{_('deleted')}]" if h.deleted else "") + (f" [{_('sealed')}: {', '.join(h.sealed_by)}]" if h.sealed_by else "")
            out(f"{h.created_at}  {h.rev_id[:12]}  {_('author')} {h.author[:8]}{marks}")
    return 0


def _delete(ctx) -> int:
    from kkdesk import records
    from kkdesk.cli import out
    from kkdesk.interchange import author_of

    store = ctx.store()
    with store.session() as s:
        result = records.delete_record(s, author_of(store), ctx.args.id)
    out(_("Deleted %(no)s (the history is kept).") % {"no": result.record_no or result.id})
    return 0


def _seal(ctx) -> int:
    from kkdesk import records
    from kkdesk.cli import out

    store = ctx.store()
    with store.session() as s:
        rev = records.seal(s, store.identity, ctx.args.id)
    out(_("Sealed revision %(rev)s.") % {"rev": rev[:12]})
    return 0


def _attach_add(ctx) -> int:
    from kkdesk.attachments import add_file
    from kkdesk.cli import out
    from kkdesk.interchange import author_of

    store = ctx.store()
    fields = {}
    if ctx.args.description:
        fields["description"] = ctx.args.description
    if ctx.args.sensitive:
        fields["sensitive_intimate"] = True
    with store.session() as s:
        result = add_file(s, author_of(store), ctx.args.file, ctx.args.id, kind=ctx.args.kind,
                          default_language=store.ui_lang, **fields)
        from kkdesk.records import get

        sha = get(s, result.id).content["sha256"]
    out(_("Attached as %(no)s, SHA-256 %(sha)s") % {"no": result.record_no, "sha": sha})
    return 0


def _attach_get(ctx) -> int:
    from kkdesk import records
    from kkdesk.attachments import save_copy
    from kkdesk.cli import out

    store = ctx.store()
    with store.session() as s:
        view = records.get(s, ctx.args.id)
        if view.kind != "attachment":
            raise InputError(N_("%(id)s is not an attachment."), id=ctx.args.id)
        save_copy(s, view.content["sha256"], ctx.args.out)
    out(_("Saved a copy to %(path)s") % {"path": ctx.args.out})
    return 0


def register(sub, common) -> None:
    from kkdesk.schema import ATTACHMENT_KINDS

    p = sub.add_parser("show", parents=[common], help=_("show one record (by number or id)"))
    p.add_argument("id")
    p.add_argument("--json", action="store_true")
    p.add_argument("--include-contacts", action="store_true", help=_("include phone, e-mail and messenger"))
    p.set_defaults(func=_show)

    p = sub.add_parser("history", parents=[common], help=_("list the revisions of a record"))
    p.add_argument("id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_history)

    p = sub.add_parser("delete", parents=[common], help=_("delete a record (a tombstone revision; history is kept)"))
    p.add_argument("id")
    p.set_defaults(func=_delete)

    p = sub.add_parser("seal", parents=[common], help=_("sign the current revision of a record"))
    p.add_argument("id")
    p.set_defaults(func=_seal)

    p = sub.add_parser("attach", parents=[common], help=_("attachments: add a file to a record, or save a copy"))
    asub = p.add_subparsers(dest="attach_command", metavar="{add,get}")
    asub.required = True
    a = asub.add_parser("add", parents=[common], help=_("store a file, encrypted, linked to a record"))
    a.add_argument("id", help=_("the record the file belongs to"))
    a.add_argument("file")
    a.add_argument("--kind", default="document", choices=ATTACHMENT_KINDS)
    a.add_argument("--description")
    a.add_argument("--sensitive", action="store_true", help=_("intimate image: never printed"))
    a.set_defaults(func=_attach_add)
    g = asub.add_parser("get", parents=[common], help=_("save a copy of an attachment where you choose"))
    g.add_argument("id", help=_("the attachment's number or id"))
    g.add_argument("--out", required=True)
    g.set_defaults(func=_attach_get)
