"""`kkdesk-cli security show|set …` and `kkdesk-cli panic --yes` (kkdesk/security.py).

    security show [--json]                      failed unlocks, wipe-after setting, duress set or not
    security set --wipe-after-failed N          wipe after N >= 5 failed unlocks (0: off)
    security set --duress-passphrase-file F     set the duress passphrase (--no-duress removes it)
    panic --yes                                 wipe this profile now; no passphrase needed
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kkdesk.errors import InputError
from kkdesk.i18n import N_, _


def cmd_security_show(ctx) -> int:
    from kkdesk.cli import out, out_json
    from kkdesk.security import state

    store = ctx.store()  # only the owner sees the settings (and a correct unlock resets the count)
    info = state(store)
    if ctx.args.json:
        out_json(info.as_dict())
        return 0
    out(_("Failed unlocks since the last correct one: %(n)d") % {"n": info.failed_unlocks})
    out(_("Wipe after failed unlocks: %(n)s") % {"n": info.wipe_after_failed or _("off")})
    out(_("Duress passphrase: %(state)s") % {"state": _("set") if info.duress_set else _("not set")})
    return 0


def cmd_security_set(ctx) -> int:
    from kkdesk.cli import out
    from kkdesk.security import set_duress_passphrase, set_wipe_after_failed

    args = ctx.args
    if args.wipe_after_failed is None and not args.duress_passphrase_file and not args.no_duress:
        raise InputError(N_("Nothing to set: give --wipe-after-failed N, --duress-passphrase-file FILE or --no-duress."))
    duress = None
    if args.duress_passphrase_file:
        try:
            text = Path(args.duress_passphrase_file).read_text(encoding="utf-8")
        except OSError:
            raise InputError(N_("The passphrase file cannot be read: %(path)s"),
                             path=str(args.duress_passphrase_file)) from None
        duress = text[:-1] if text.endswith("\n") else text
    store = ctx.store()
    if args.wipe_after_failed is not None:
        set_wipe_after_failed(store, args.wipe_after_failed)
        out(_("This profile will be wiped after %(n)d failed unlocks in a row; it cannot be undone.")
            % {"n": args.wipe_after_failed} if args.wipe_after_failed else _("Wiping after failed unlocks is off."))
    if duress is not None:
        set_duress_passphrase(store, duress)
        out(_("Duress passphrase set. Entered at unlock, it wipes this profile for good and opens a new, empty "
              "profile of the same name and language."))
    elif args.no_duress:
        set_duress_passphrase(store, None)
        out(_("Duress passphrase removed."))
    return 0


def cmd_panic(ctx) -> int:
    from kkdesk.cli import out
    from kkdesk.paths import read_profile_json
    from kkdesk.security import wipe

    if not ctx.args.yes:
        raise InputError(N_("panic wipes this profile for good; to do it, run: kkdesk-cli panic --yes"))
    home = ctx.home
    if read_profile_json(home) is None and not (home / "keys.json").exists():
        raise InputError(N_("No profile in %(path)s. Create one with: kkdesk-cli init"), path=str(home))
    wipe(home)
    out(_("The profile in %(path)s was wiped: its key was destroyed, and the store can no longer be read with any "
          "passphrase. Backups elsewhere are not touched.") % {"path": str(home)})
    return 0


def register(subparsers, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser("security", parents=[common], help=_("failed-unlock limit and duress passphrase"))
    sub = p.add_subparsers(dest="security_command", metavar="COMMAND", parser_class=type(p))
    sub.required = True
    show = sub.add_parser("show", parents=[common], help=_("show the failed unlocks and the protection settings"))
    show.add_argument("--json", action="store_true", help=_("print the result as JSON"))
    show.set_defaults(func=cmd_security_show)
    st = sub.add_parser("set", parents=[common], help=_("change the protection settings"))
    st.add_argument("--wipe-after-failed", type=int, metavar="N",
                    help=_("wipe the profile after N (5 or more) failed unlocks in a row; 0 turns it off"))
    st.add_argument("--duress-passphrase-file", metavar="FILE",
                    help=_("a passphrase that, entered at unlock, wipes the profile and opens an empty one"))
    st.add_argument("--no-duress", action="store_true", help=_("remove the duress passphrase"))
    st.set_defaults(func=cmd_security_set)
    pan = subparsers.add_parser("panic", parents=[common], help=_("wipe this profile now, for good"))
    pan.add_argument("--yes", action="store_true", help=_("yes, wipe it"))
    pan.set_defaults(func=cmd_panic)
