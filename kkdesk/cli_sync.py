"""`kkdesk-cli identity|contacts|bundle|conflicts …`: offline sync by encrypted,
signed bundles (docs/bundle-format.md).

    identity show [--json] | export-age-key --out F | backup --out F | restore F
    contacts add NAME --recipient age1… --signing-key KEY | list [--json] | remove NAME | verify NAME
             | replace-key NAME --recipient age1… --signing-key KEY
    bundle export (--to NAME … | --bundle-passphrase-file F) [--all | --since-last] [--case ID]
                  [--max-confidentiality LEVEL] --out FILE [--json]
    bundle import FILE [--trust] [--bundle-passphrase-file F] [--json]
    bundle inspect FILE [--bundle-passphrase-file F] [--json]
    conflicts list [--json] | resolve ID --keep REVISION

Progress goes to standard error, and only when it is a terminal."""

from __future__ import annotations

import argparse
import os
import sys

from kkdesk.i18n import _

BUNDLE_PASSPHRASE_ENV = "KKDESK_BUNDLE_PASSPHRASE"
BACKUP_PASSPHRASE_ENV = "KKDESK_BACKUP_PASSPHRASE"


def _progress(label: str):
    if not sys.stderr.isatty():
        return None
    state = {"pct": -1}

    def report(done: int, total: int) -> None:
        pct = 100 if total <= 0 else min(100, done * 100 // total)
        if pct != state["pct"]:
            state["pct"] = pct
            sys.stderr.write(f"\r{label} {pct}%")
            if pct == 100:
                sys.stderr.write("\n")
            sys.stderr.flush()

    return report


def _size(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


# --- identity ---------------------------------------------------------------------

def cmd_identity_show(ctx) -> int:
    from kkdesk.cli import out, out_json
    from kkdesk.sync import identity

    data = identity.info(ctx.store())
    if ctx.args.json:
        out_json(data)
    else:
        out(_("Name: %(name)s") % data)
        out(_("Fingerprint: %(fp)s") % {"fp": data["fingerprint"]})
        out(_("age recipient: %(key)s") % {"key": data["age_recipient"]})
        out(_("Signing key: %(key)s") % {"key": data["signing_key"]})
    return 0


def cmd_identity_export_age_key(ctx) -> int:
    from kkdesk.cli import out
    from kkdesk.sync import identity

    path = identity.export_age_key(ctx.store(), ctx.args.out)
    sys.stderr.write(_("Warning: %(path)s holds this profile's secret key unencrypted. Anyone with the file can open "
                       "every bundle sent to you. Keep it offline, e.g. on a stick in the office safe.")
                     % {"path": str(path)} + "\n")
    out(_("Secret age key written to %(path)s (open bundles with: age -d -i FILE BUNDLE | tar -t)") % {"path": str(path)})
    return 0


def _backup_passphrase(ctx, new: bool) -> str:
    from kkdesk.errors import InputError
    from kkdesk.i18n import N_

    passphrase = ctx.passphrase(_("Passphrase of the key backup"), file_opt="backup_passphrase_file",
                                env=BACKUP_PASSPHRASE_ENV)
    if new and not ctx.args.backup_passphrase_file and not os.environ.get(BACKUP_PASSPHRASE_ENV):
        import getpass

        if getpass.getpass(_("Repeat the passphrase") + ": ") != passphrase:
            raise InputError(N_("The two passphrases differ."))
    return passphrase


def cmd_identity_backup(ctx) -> int:
    from kkdesk.cli import out
    from kkdesk.sync import identity

    store = ctx.store()
    path = identity.backup(store, ctx.args.out, _backup_passphrase(ctx, new=True))
    out(_("Keys backed up to %(path)s, protected by the backup passphrase.") % {"path": str(path)})
    return 0


def cmd_identity_restore(ctx) -> int:
    from kkdesk.cli import out
    from kkdesk.sync import identity

    store = ctx.store()
    old, new = identity.restore(store, ctx.args.file, _backup_passphrase(ctx, new=False))
    if old == new:
        out(_("These keys are already this profile's keys (%(fp)s).") % {"fp": new})
    else:
        out(_("Keys restored: this profile's fingerprint is now %(new)s (was %(old)s).") % {"new": new, "old": old})
    return 0


# --- contacts ---------------------------------------------------------------------

def cmd_contacts_add(ctx) -> int:
    from kkdesk.cli import out
    from kkdesk.sync import contacts

    store = ctx.store()
    with store.session() as s:
        info = contacts.add(s, store.identity, ctx.args.name, ctx.args.recipient, ctx.args.signing_key,
                            verified=ctx.args.verified)
    out(_("Contact %(name)s added, fingerprint %(fp)s. Compare it with theirs, then run: %(command)s")
        % {"name": info.name, "fp": info.fingerprint, "command": _verify_command(info.name)})
    return 0


def cmd_contacts_list(ctx) -> int:
    from kkdesk.cli import out, out_json
    from kkdesk.sync import contacts

    with ctx.store().session() as s:
        items = contacts.list_all(s)
    if ctx.args.json:
        out_json([c.as_dict() for c in items])
    else:
        for c in items:
            mark = _("verified") if c.verified else _("not verified")
            out(f"{c.name:<24} {c.fingerprint}  {mark}")
    return 0


def cmd_contacts_remove(ctx) -> int:
    from kkdesk.cli import out
    from kkdesk.sync import contacts

    with ctx.store().session() as s:
        info = contacts.remove(s, ctx.args.name)
    out(_("Contact %(name)s removed.") % {"name": info.name})
    return 0


def cmd_contacts_replace_key(ctx) -> int:
    from kkdesk.cli import out
    from kkdesk.sync import contacts

    store = ctx.store()
    with store.session() as s:
        before, after = contacts.replace_key(s, store.identity, ctx.args.name, ctx.args.recipient, ctx.args.signing_key)
    out(_("The keys of contact %(name)s were replaced: bundles signed with the old keys (fingerprint %(old)s) are "
          "refused from now on, and bundles signed with the new keys (fingerprint %(new)s) are taken as coming from "
          "%(name)s. The contact is not verified now: compare the new fingerprint with them, then run: %(command)s")
        % {"name": after.name, "old": before.fingerprint, "new": after.fingerprint,
           "command": _verify_command(after.name)})
    return 0


def cmd_contacts_verify(ctx) -> int:
    from kkdesk.cli import out
    from kkdesk.sync import contacts

    with ctx.store().session() as s:
        info = contacts.verify(s, ctx.args.name)
    out(_("Contact %(name)s marked verified (fingerprint %(fp)s).") % {"name": info.name, "fp": info.fingerprint})
    return 0


# --- bundles ----------------------------------------------------------------------

def _bundle_passphrase(ctx) -> str | None:
    if ctx.args.bundle_passphrase_file or os.environ.get(BUNDLE_PASSPHRASE_ENV):
        return ctx.passphrase(file_opt="bundle_passphrase_file", env=BUNDLE_PASSPHRASE_ENV)
    return None


def _ask_bundle_passphrase(ctx) -> str | None:
    if sys.stdin is not None and sys.stdin.isatty():
        import getpass

        return getpass.getpass(_("Passphrase of the bundle") + ": ")
    return None


def cmd_bundle_export(ctx) -> int:
    from kkdesk.cli import out, out_json
    from kkdesk.sync.export import ExportRequest, export_bundle

    args = ctx.args
    mode = "all" if args.all else "since-last" if args.since_last else "incremental"
    store = ctx.store()
    passphrase = _bundle_passphrase(ctx) if args.bundle_passphrase_file else None
    req = ExportRequest(out=args.out, to=args.to or [], passphrase=passphrase, mode=mode, case=args.case,
                        max_confidentiality=args.max_confidentiality)
    result = export_bundle(store, req, _progress(_("Writing the bundle…")))
    if args.json:
        out_json(result.as_dict())
    else:
        out(_("Bundle written to %(path)s: %(revisions)d revisions, %(seals)d seals, %(attachments)d attachments "
              "(%(size)s).") % {"path": str(result.path), "revisions": result.revisions, "seals": result.seals,
                                "attachments": result.attachments, "size": _size(result.size)})
    return 0


def cmd_bundle_import(ctx) -> int:
    from kkdesk.cli import out, out_json
    from kkdesk.sync.errors import BundleNeedsPassphraseError
    from kkdesk.sync.importer import import_bundle

    args = ctx.args
    store = ctx.store()
    passphrase = _bundle_passphrase(ctx)
    try:
        report = import_bundle(store, args.file, trust=args.trust, passphrase=passphrase,
                               progress=_progress(_("Reading the bundle…")))
    except BundleNeedsPassphraseError:
        passphrase = _ask_bundle_passphrase(ctx)
        if passphrase is None:
            raise
        report = import_bundle(store, args.file, trust=args.trust, passphrase=passphrase)
    if args.json:
        out_json(report.as_dict())
        return 0
    values = {**report.as_dict(), "sender": report.sender_name or report.sender_fingerprint}
    if report.status == "already-imported":
        out(_("This bundle was made by this profile; nothing changed.") if report.own else
            _("This bundle from %(sender)s was imported before; nothing changed.") % values)
        return 0
    if report.contact_added:
        out(_("%(sender)s was added to your contacts, not verified: compare the fingerprint %(fingerprint)s with "
              "them, then run: %(command)s") % {**values, "command": _verify_command(report.sender_name or "")})
    out(_("Imported from %(sender)s: %(new)d new, %(updated)d updated, %(unchanged)d unchanged, "
          "%(conflicts)d in conflict.") % values)
    if report.older:
        out(_("This bundle is older than the last one received from %(sender)s; only what was missing was added.")
            % values)
    if report.conflicts:
        out(_("Both sides changed some records: both versions are kept. See: conflicts list"))
    return 0


def cmd_bundle_inspect(ctx) -> int:
    from kkdesk.cli import out, out_json
    from kkdesk.sync.errors import BundleNeedsPassphraseError
    from kkdesk.sync.importer import inspect_bundle

    store = ctx.store()
    try:
        info = inspect_bundle(store, ctx.args.file, _bundle_passphrase(ctx))
    except BundleNeedsPassphraseError:
        passphrase = _ask_bundle_passphrase(ctx)
        if passphrase is None:
            raise
        info = inspect_bundle(store, ctx.args.file, passphrase)
    if ctx.args.json:
        out_json(info.as_dict())
        return 0
    who = info.contact or _("unknown sender (%(name)s)") % {"name": info.sender_name}
    out(_("Bundle format %(version)d, made %(created)s by %(who)s, fingerprint %(fp)s.")
        % {"version": info.format_version, "created": info.created_at, "who": who, "fp": info.sender})
    out(_("It holds %(records)d revisions, %(seals)d seals and %(attachments)d attachments.")
        % {"records": info.records, "seals": info.seals, "attachments": info.attachments})
    if info.already_imported:
        out(_("It was imported before."))
    return 0


# --- conflicts --------------------------------------------------------------------

def cmd_conflicts_list(ctx) -> int:
    from kkdesk.cli import out, out_json
    from kkdesk.sync.conflicts import list_conflicts

    with ctx.store().session() as s:
        items = list_conflicts(s)
        data = [c.as_dict() for c in items]
    if ctx.args.json:
        out_json(data)
        return 0
    if not items:
        out(_("No record is in conflict."))
    for c in items:
        out(f"{c.record_no or c.id}  {c.kind}  {c.title}")
        for v in c.versions:
            mark = _("deleted") if v.deleted else ""
            out(f"    {v.revision[:12]}  {v.created_at}  {v.author[:8]}  {mark}".rstrip())
    return 0


def cmd_conflicts_resolve(ctx) -> int:
    from kkdesk.cli import out
    from kkdesk.interchange import author_of
    from kkdesk.sync.conflicts import resolve_keep

    store = ctx.store()
    with store.session() as s:
        result = resolve_keep(s, author_of(store), ctx.args.id, ctx.args.keep)
    out(_("Conflict resolved: %(ref)s is now revision %(rev)s, which merges every version.")
        % {"ref": result.record_no or result.id, "rev": (result.rev_id or "")[:12]})
    return 0


# --- parser -----------------------------------------------------------------------

def register(subparsers, common: argparse.ArgumentParser) -> None:
    def group(name: str, help_text: str, dest: str):
        p = subparsers.add_parser(name, parents=[common], help=help_text)
        sub = p.add_subparsers(dest=dest, metavar="COMMAND", parser_class=type(p))
        sub.required = True
        return sub

    def cmd(sub, name: str, help_text: str, func, json_flag: bool = False):
        p = sub.add_parser(name, parents=[common], help=help_text)
        p.set_defaults(func=func)
        if json_flag:
            p.add_argument("--json", action="store_true", help=_("print the result as JSON"))
        return p

    ident = group("identity", _("this profile's keys: show, export, back up, restore"), "identity_command")
    cmd(ident, "show", _("show the keys and the fingerprint to give to contacts"), cmd_identity_show, True)
    p = cmd(ident, "export-age-key", _("write the secret age key, to open bundles with the age tool"),
            cmd_identity_export_age_key)
    p.add_argument("--out", required=True, metavar="FILE")
    p = cmd(ident, "backup", _("write both keys to a passphrase-protected file"), cmd_identity_backup)
    p.add_argument("--out", required=True, metavar="FILE")
    p.add_argument("--backup-passphrase-file", metavar="FILE", help=_("read the backup passphrase from this file"))
    p = cmd(ident, "restore", _("replace this profile's keys with those of a key backup"), cmd_identity_restore)
    p.add_argument("file", metavar="FILE")
    p.add_argument("--backup-passphrase-file", metavar="FILE", help=_("read the backup passphrase from this file"))

    con = group("contacts", _("people you exchange bundles with"), "contacts_command")
    p = cmd(con, "add", _("add a contact from their age recipient and signing key"), cmd_contacts_add)
    p.add_argument("name", metavar="NAME")
    p.add_argument("--recipient", required=True, metavar="AGE1…", help=_("their age recipient (age1…)"))
    p.add_argument("--signing-key", required=True, metavar="KEY", help=_("their signing key (kkdesk-ed25519:…)"))
    p.add_argument("--verified", action="store_true", help=_("the fingerprint was already compared with them"))
    cmd(con, "list", _("list contacts with their fingerprints"), cmd_contacts_list, True)
    p = cmd(con, "remove", _("remove a contact"), cmd_contacts_remove)
    p.add_argument("name", metavar="NAME")
    p = cmd(con, "replace-key", _("give a contact new keys: bundles with the old keys are refused from then on"),
            cmd_contacts_replace_key)
    p.add_argument("name", metavar="NAME")
    p.add_argument("--recipient", required=True, metavar="AGE1…", help=_("their new age recipient (age1…)"))
    p.add_argument("--signing-key", required=True, metavar="KEY", help=_("their new signing key (kkdesk-ed25519:…)"))
    p = cmd(con, "verify", _("mark a contact verified after comparing fingerprints"), cmd_contacts_verify)
    p.add_argument("name", metavar="NAME")

    bun = group("bundle", _("encrypted, signed bundles for offline sync"), "bundle_command")
    p = cmd(bun, "export", _("write a bundle for contacts or protected by a passphrase"), cmd_bundle_export, True)
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--to", action="append", metavar="NAME", help=_("a contact to encrypt to (repeatable)"))
    target.add_argument("--bundle-passphrase-file", metavar="FILE", help=_("encrypt to the passphrase in this file"))
    scope = p.add_mutually_exclusive_group()
    scope.add_argument("--all", action="store_true", help=_("everything, not only what the contacts lack"))
    scope.add_argument("--since-last", action="store_true", help=_("only what was never sent to these contacts"))
    p.add_argument("--case", metavar="ID", help=_("only this case and what links to it"))
    p.add_argument("--max-confidentiality", choices=("public", "internal", "restricted"),
                   help=_("leave out records more sensitive than this"))
    p.add_argument("--out", required=True, metavar="FILE")
    p = cmd(bun, "import", _("verify a bundle and merge it"), cmd_bundle_import, True)
    p.add_argument("file", metavar="FILE")
    p.add_argument("--trust", action="store_true", help=_("accept an unknown signer and add them as a contact"))
    p.add_argument("--bundle-passphrase-file", metavar="FILE", help=_("the passphrase of a passphrase bundle"))
    p = cmd(bun, "inspect", _("show who made a bundle and what it holds, without importing"), cmd_bundle_inspect, True)
    p.add_argument("file", metavar="FILE")
    p.add_argument("--bundle-passphrase-file", metavar="FILE", help=_("the passphrase of a passphrase bundle"))

    con = group("conflicts", _("records both sides changed"), "conflicts_command")
    cmd(con, "list", _("list records in conflict with their versions"), cmd_conflicts_list, True)
    p = cmd(con, "resolve", _("keep one version; the new revision merges them all"), cmd_conflicts_resolve)
    p.add_argument("id", metavar="ID", help=_("the record's number or identifier"))
    p.add_argument("--keep", required=True, metavar="REVISION", help=_("the revision to keep (or its first characters)"))


def _verify_command(name: str) -> str:
    """The command to type next, with the contact's name quoted for the shell."""
    import shlex

    return f"kkdesk-cli contacts verify {shlex.quote(name)}"
