"""Render the protection screens of issue 11 in Kazakh and Russian to PNG files.

    QT_QPA_PLATFORM=offscreen python tools/screenshots_protection.py [--out docs/screenshots] [--langs kk,ru]

Screens (each a dialog as it appears on a 1366 x 768 screen, which it must fit): the
unlock window counting down after failed unlocks (`unlock-wait`), Settings with the
protection group (`settings-protection`), Tools → Wipe this profile… (`wipe-profile`)
and the dialog for a damaged store (`damaged-store`). A throw-away profile with the
fast test keys is made in a temporary folder and deleted at the end."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import screenshots as base  # noqa: E402  (sets up the path, the platform and the fast KDF)

ROOT = base.ROOT

SCREEN = (1366, 768)
PASSPHRASE = "demo passphrase, thrown away"


def save(widget, app, path: Path) -> None:
    widget.show()
    base.settle(app)
    assert widget.width() <= SCREEN[0] and widget.height() <= SCREEN[1] - 40, (path.name, widget.size())
    widget.grab().save(str(path), "PNG")
    print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}  {widget.width()}x{widget.height()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--langs", default="kk,ru")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    from PySide6.QtWidgets import QMessageBox

    app = base.screenshot_app()

    from kkdesk.errors import DamagedStoreError
    from kkdesk.i18n import N_
    from kkdesk.store import create_profile
    from kkdesk.ui.common.messages import show_error
    from kkdesk.ui.shell.context import AppContext
    from kkdesk.ui.shell.language import apply_language
    from kkdesk.ui.shell.protection import WipeDialog
    from kkdesk.ui.shell.settings import SettingsDialog
    from kkdesk.ui.shell.unlock import UnlockDialog

    with tempfile.TemporaryDirectory(prefix="kkdesk-shots-") as tmp:
        home = Path(tmp) / "profile"
        store = create_profile(home, PASSPHRASE, name="Айгерім Сейітқали", ui_lang="kk")
        for lang in args.langs.split(","):
            apply_language(lang)
            ctx = AppContext(store, home=home, ui_lang=lang)
            dlg = SettingsDialog(ctx)
            save(dlg, app, out / f"settings-protection-{lang}.png")
            dlg.close()
            wipe = WipeDialog(store.name)
            wipe.confirm.setText(store.name[:8])
            save(wipe, app, out / f"wipe-profile-{lang}.png")
            wipe.close()
            base.settle(app)
        store.close()
        profile = json.loads((home / "profile.json").read_text())
        profile.update(failed_unlocks=5, failed_at=time.time())
        (home / "profile.json").write_text(json.dumps(profile))
        for lang in args.langs.split(","):
            apply_language(lang)
            dlg = UnlockDialog(home)
            dlg.folder.setText(dlg.folder.text().replace(str(home), "C:\\Users\\monitor\\AppData\\Local\\kkdesk"))
            dlg.show_message(__import__("kkdesk.i18n", fromlist=["_"])._("Wrong passphrase: the store could not be "
                                                                        "unlocked.") + " " +
                             __import__("kkdesk.i18n", fromlist=["_"])._("Try again."))
            dlg.adjustSize()
            save(dlg, app, out / f"unlock-wait-{lang}.png")
            box = show_error(dlg, DamagedStoreError(N_(
                "The store file kkdesk.db is damaged: the integrity check fails on %(n)d encrypted page(s) "
                "(%(pages)s). Restore a backup into an empty folder with: kkdesk-cli restore BACKUP --home FOLDER"),
                n=1, pages="3"))
            assert isinstance(box, QMessageBox)
            save(box, app, out / f"damaged-store-{lang}.png")
            box.close()
            dlg.close()
            base.settle(app)
    return 0


if __name__ == "__main__":
    sys.exit(main())
