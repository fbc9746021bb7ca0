"""`kkdesk-cli`: the core's services for scripting and tests.

Exit codes: 0 success; 1 a user-facing error (one translated line on stderr, no
traceback); 2 usage. Commands of other areas (PDF, bundles) live in their own
modules and register themselves through `register(subparsers, common)`."""

from __future__ import annotations

import argparse
import getpass
import importlib
import os
import sys
from pathlib import Path
from typing import Any, Callable, NoReturn

from kkdesk import __version__
from kkdesk.errors import InputError, KkdeskError, ProfileError, ValidationError, file_error, storage_error
from kkdesk.i18n import N_, _, normalise_lang, set_language, system_language

# modules that add sub-commands: each has register(subparsers, common) -> None
EXTENSIONS = (
    "kkdesk.cli_pdf",
    "kkdesk.cli_sync",
    "kkdesk.cli_records",
    "kkdesk.cli_report",
    "kkdesk.cli_interventions",
    "kkdesk.cli_duplicates",
    "kkdesk.cli_sheets",
    "kkdesk.cli_security",
)


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # noqa: D401 - argparse API
        self.print_usage(sys.stderr)
        raise UsageError(message)


class Context:
    """What a command needs: options, the passphrase source, an opened store."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self._store: Any = None

    @property
    def home(self) -> Path:
        from kkdesk.paths import profile_home

        return profile_home(self.args.home)

    def passphrase(self, prompt: str | None = None, *, file_opt: str = "passphrase_file", env: str = "KKDESK_PASSPHRASE") -> str:
        path = getattr(self.args, file_opt, None)
        if path:
            try:
                text = Path(path).read_text(encoding="utf-8")
            except OSError:
                raise InputError(N_("The passphrase file cannot be read: %(path)s"), path=str(path)) from None
            return text[:-1] if text.endswith("\n") else text
        if os.environ.get(env):
            return os.environ[env]
        if sys.stdin is not None and sys.stdin.isatty():
            return getpass.getpass((prompt or _("Passphrase")) + ": ")
        raise InputError(N_("No passphrase: use --passphrase-file, the KKDESK_PASSPHRASE variable, or run in a terminal."))

    def store(self):
        if self._store is None:
            from kkdesk.security import unlock

            self._store = unlock(self.home, self.passphrase(), wait=countdown).store
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def countdown(seconds: float) -> None:
    """Wait out the back-off after failed unlocks: one line on stderr, rewritten with \\r."""
    import math
    import time

    end = time.monotonic() + seconds
    width = 0
    while (left := end - time.monotonic()) > 0:
        line = _("Too many failed unlocks: the next try in %(s)d s…") % {"s": math.ceil(left)}
        width = max(width, len(line))
        sys.stderr.write("\r" + line.ljust(width))
        sys.stderr.flush()
        time.sleep(min(1.0, left))
    if width:
        sys.stderr.write("\r" + " " * width + "\r")
        sys.stderr.flush()


def out(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def out_json(data: Any) -> None:
    from kkdesk.canonical import dumps_document

    out(dumps_document(data))


# --- commands ---------------------------------------------------------------------

def cmd_init(ctx: Context) -> int:
    from kkdesk.store import create_profile, profile_exists

    if profile_exists(ctx.home):
        raise ProfileError(N_("A profile already exists in %(path)s."), path=str(ctx.home))
    passphrase = ctx.passphrase(_("New passphrase (at least 10 characters)"))
    if not ctx.args.passphrase_file and not os.environ.get("KKDESK_PASSPHRASE"):
        again = getpass.getpass(_("Repeat the passphrase") + ": ")
        if again != passphrase:
            raise InputError(N_("The two passphrases differ."))
    lang = ctx.args.init_lang or ctx.args.ui_lang or system_language()
    store = create_profile(ctx.home, passphrase, name=ctx.args.name or "", ui_lang=lang)
    try:
        set_language(store.ui_lang)
        out(_("Profile created in %(path)s") % {"path": str(store.home)})
        out(_("Fingerprint: %(fp)s") % {"fp": store.identity.fingerprint})
    finally:
        store.close()
    return 0


def cmd_import_json(ctx: Context) -> int:
    from kkdesk.interchange import import_file

    store = ctx.store()
    report = import_file(store, ctx.args.file)
    if ctx.args.json:
        out_json(report.as_dict())
    else:
        out(_("Imported: %(new)d new, %(updated)d updated, %(unchanged)d unchanged.") %
            {"new": report.new, "updated": report.updated, "unchanged": report.unchanged})
        from kkdesk.duplicates import POSSIBLE_DUPLICATE

        rules_warnings = [w for w in report.warnings if w.message != POSSIBLE_DUPLICATE]
        if rules_warnings:
            out(_("Warnings (records marked incomplete):"))
            for w in rules_warnings:
                out("  " + w.text())
        duplicates = [w for w in report.warnings if w.message == POSSIBLE_DUPLICATE]
        if duplicates:
            out(_("Possible duplicates (see kkdesk-cli duplicates):"))
            for w in duplicates:
                out("  " + w.text())
    return 0


def cmd_export_json(ctx: Context) -> int:
    from kkdesk.interchange import export_json
    from kkdesk.store import atomic_write

    store = ctx.store()
    with store.session() as s:
        text = export_json(s, include_contacts=ctx.args.include_contacts)
    if ctx.args.out:
        target = Path(ctx.args.out)
        if target.is_dir():
            raise InputError(N_("%(path)s is a folder; give a file name."), path=str(target))
        atomic_write(target, text.encode("utf-8"))
    else:
        sys.stdout.write(text)
    return 0


def cmd_list(ctx: Context) -> int:
    from kkdesk import listing, records
    from kkdesk.interchange import record_to_interchange
    from kkdesk.schema import LIST_KINDS

    kind = LIST_KINDS[ctx.args.kind]
    store = ctx.store()
    with store.session() as s:
        rows, after = [], None
        while True:
            page = listing.page(s, kind, sort="record_no", after=after, limit=1000)
            rows.extend(page)
            if len(page) < 1000:
                break
            after = (page[-1].record_no, page[-1].num)
        if ctx.args.json:
            data = [record_to_interchange(kind, r.id, records.content_of(s, records.find(s, r.id).head)) for r in rows]
            out_json(data)
        else:
            for r in rows:
                flags = ("!" if r.incomplete else " ") + ("S" if r.sealed else " ") + ("C" if r.conflict else " ")
                out(f"{r.record_no or '':<20} {flags} {r.title}")
    return 0


SEARCH_KINDS = ("attachments", "cases", "courts", "detentions", "hearings", "interventions", "medical", "organisations",
                "persons", "published", "sources", "threats")  # = schema.LIST_KINDS (the parser is built without importing the schema)


def cmd_search(ctx: Context) -> int:
    from kkdesk.search import search

    store = ctx.store()
    with store.session() as s:
        from kkdesk.schema import LIST_KINDS

        kinds = [LIST_KINDS[ctx.args.kind]] if ctx.args.kind else None
        hits = search(s, ctx.args.query, limit=ctx.args.limit, kinds=kinds, linked=bool(kinds))
    if ctx.args.json:
        out_json([h.as_dict() for h in hits])
    else:
        for h in hits:
            out(f"{h.record_no or '':<20} {h.kind:<12} {h.title}")
            out(f"{'':<20} {h.snippet.replace(chr(10), ' ')}")
    return 0


def cmd_stats(ctx: Context) -> int:
    from kkdesk.stats import compute, parse_dimensions

    dims = parse_dimensions(ctx.args.by)
    store = ctx.store()
    with store.session() as s:
        result = compute(s, dims, ctx.args.date_from, ctx.args.date_to, ctx.args.all_statuses)
    if ctx.args.json:
        out_json(result.as_dict())
    else:
        header = dims + [_("acts"), _("persons"), _("organisations")]
        out("\t".join(header))
        for row in result.rows:
            out("\t".join("" if row[d] is None else str(row[d]) for d in dims) +
                f"\t{row['acts']}\t{row['persons']}\t{row['organisations']}")
    return 0


def cmd_check(ctx: Context) -> int:
    from kkdesk.integrity import check_store

    bad = check_store(ctx.store())  # a damaged file: DamagedStoreError, one line
    if bad:
        for line in bad:
            out(line)
        raise KkdeskError(N_("The check found %(n)d problem(s)."), n=len(bad))
    out(_("The store is intact: every revision and seal verifies."))
    return 0


def cmd_passphrase(ctx: Context) -> int:
    from kkdesk.store import change_passphrase

    old = ctx.passphrase()
    new = ctx.passphrase(_("New passphrase (at least 10 characters)"), file_opt="new_passphrase_file",
                         env="KKDESK_NEW_PASSPHRASE")
    change_passphrase(ctx.home, old, new)
    out(_("The passphrase was changed."))
    return 0


def cmd_backup(ctx: Context) -> int:
    from kkdesk.store import backup

    path = backup(ctx.store(), ctx.args.out)
    out(_("Backup written to %(path)s (encrypted; restore with: kkdesk-cli restore FILE --home DIR)") % {"path": str(path)})
    return 0


def cmd_restore(ctx: Context) -> int:
    from kkdesk.store import restore

    home = restore(ctx.args.file, ctx.home)
    out(_("Backup restored into %(path)s; unlock it with the passphrase it had.") % {"path": str(home)})
    return 0


# --- parser -----------------------------------------------------------------------

def build_parser() -> tuple[Parser, Callable]:
    from kkdesk.schema import LIST_KINDS

    def global_options(default: Any) -> Parser:
        # the options may stand before or after the command; in the sub-parsers they
        # default to SUPPRESS so they do not overwrite a value given before the command
        p = Parser(add_help=False)
        p.add_argument("--home", default=default, help=_("profile folder (default: KKDESK_HOME or the per-user data folder)"))
        p.add_argument("--passphrase-file", default=default,
                       help=_("read the passphrase from this file (one trailing newline is stripped)"))
        p.add_argument("--ui-lang", default=default, choices=("kk", "ru", "en"), help=_("language of messages"))
        return p

    common = global_options(argparse.SUPPRESS)
    parser = Parser(prog="kkdesk-cli", description=_("kkdesk: encrypted case documentation, from the command line."),
                    parents=[global_options(None)])
    parser.add_argument("--version", action="version", version=f"kkdesk {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    sub.required = True

    p = sub.add_parser("init", parents=[common], help=_("create a profile"))
    p.add_argument("--name", help=_("the profile's name (e.g. the monitor's name)"))
    p.add_argument("--lang", dest="init_lang", choices=("kk", "ru", "en"), help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("import-json", parents=[common], help=_("import an interchange JSON document"))
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help=_("print the report as JSON"))
    p.set_defaults(func=cmd_import_json)

    p = sub.add_parser("export-json", parents=[common], help=_("export every record as interchange JSON"))
    p.add_argument("--out", help=_("write to this file instead of standard output"))
    p.add_argument("--include-contacts", action="store_true", help=_("include phone, e-mail and messenger"))
    p.set_defaults(func=cmd_export_json)

    p = sub.add_parser("list", parents=[common], help=_("list records of one kind"))
    p.add_argument("kind", choices=tuple(LIST_KINDS))
    p.add_argument("--json", action="store_true", help=_("print records in interchange form"))
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("search", parents=[common], help=_("full-text search"))
    p.add_argument("query")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--kind", choices=sorted(SEARCH_KINDS),
                   help=_("only records of this kind, also those naming a person or organisation found"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("stats", parents=[common], help=_("count threat acts"))
    p.add_argument("--by", required=True, help="year,target_group,threat_type,gender,region,perpetrator_type")
    p.add_argument("--from", dest="date_from")
    p.add_argument("--to", dest="date_to")
    p.add_argument("--all-statuses", action="store_true", help=_("count acts of every record status, not only verified"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("check", parents=[common], help=_("verify the store and every revision"))
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("passphrase", parents=[common], help=_("change the passphrase"))
    psub = p.add_subparsers(dest="passphrase_command", metavar="change", parser_class=Parser)
    psub.required = True
    pc = psub.add_parser("change", parents=[common], help=_("change the passphrase"))
    pc.add_argument("--new-passphrase-file")
    pc.set_defaults(func=cmd_passphrase)

    p = sub.add_parser("backup", parents=[common], help=_("write an encrypted backup"))
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", parents=[common], help=_("restore a backup into an empty profile folder"))
    p.add_argument("file")
    p.set_defaults(func=cmd_restore)

    for name in EXTENSIONS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        module.register(sub, common)
    return parser, out


def _early_lang(argv: list[str]) -> str:
    """Message language before anything is parsed: --ui-lang, the profile, LANG."""
    for i, arg in enumerate(argv):
        if arg == "--ui-lang" and i + 1 < len(argv) and normalise_lang(argv[i + 1]):
            return normalise_lang(argv[i + 1])  # type: ignore[return-value]
        if arg.startswith("--ui-lang=") and normalise_lang(arg.split("=", 1)[1]):
            return normalise_lang(arg.split("=", 1)[1])  # type: ignore[return-value]
    home = None
    for i, arg in enumerate(argv):
        if arg == "--home" and i + 1 < len(argv):
            home = argv[i + 1]
        elif arg.startswith("--home="):
            home = arg.split("=", 1)[1]
    try:
        from kkdesk.paths import profile_home
        from kkdesk.store import read_profile_json

        profile = read_profile_json(profile_home(home))
        if profile and normalise_lang(profile.get("ui_lang")):
            return profile["ui_lang"]
    except (KkdeskError, OSError):
        pass
    return system_language()


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    set_language(_early_lang(argv))
    parser, _out = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        sys.stderr.write(f"kkdesk-cli: {exc}\n")
        return 2
    except SystemExit as exc:  # --help, --version
        return int(exc.code or 0)
    ctx = Context(args)
    try:
        return int(args.func(ctx) or 0)
    except ValidationError as exc:
        sys.stderr.write(exc.user_message() + "\n")
        for problem in exc.problems:
            sys.stderr.write("  " + problem.text() + "\n")
        return 1
    except KkdeskError as exc:
        sys.stderr.write(exc.user_message() + "\n")
        return exc.exit_code
    except BrokenPipeError:
        return 1
    except OSError as exc:  # a file the command read or wrote, in the user's language
        sys.stderr.write(file_error(exc).user_message() + "\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write(_("Interrupted.") + "\n")
        return 1
    except Exception as exc:  # SQLite's own errors (a damaged store, a full disk) as the user's line
        err = storage_error(exc)
        if err is None:
            raise
        sys.stderr.write(err.user_message() + "\n")
        return 1
    finally:
        ctx.close()


if __name__ == "__main__":
    sys.exit(main())
