"""Render the screens of issue 15's duplicates and fast-entry work in Kazakh and Russian.

    QT_QPA_PLATFORM=offscreen python tools/screenshots_entry.py [--out docs/screenshots] [--langs kk,ru]

Uses the demo profile of tools/screenshots.py (thrown away afterwards) with a person
entered twice. Screens: Tools › Find duplicates (`duplicates`), the merge dialog
(`merge-persons`), a threat's acts and perpetrators edited in the incident window
(`threat-acts-inline`), the drafts dialog (`drafts`) and the first-run dialog with an
error (`welcome-error`). Windows are laid out for a 1366 x 768 screen."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import screenshots as base  # noqa: E402  (sets up the path, the platform and the fast KDF)


def add_twins(store) -> None:
    from kkdesk.drafts import save_draft
    from kkdesk.interchange import author_of, save

    with store.session() as s:
        save(s, author_of(store), "person", {"name_kk": "Тоқтаров Ерлан", "gender": "male",
                                             "primary_target_group": "civic_activist", "occupation": "эколог",
                                             "residence_region": "aktobe", "entry_language": "kk"})
        save_draft(s, "threat:draft-demo", "threat", {"title": "Сот ғимаратының алдында қорқыту"})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(base.ROOT / "docs" / "screenshots"))
    parser.add_argument("--langs", default="kk,ru")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    app = base.screenshot_app()

    from kkdesk.ui.common import screenfit
    from kkdesk.ui.duplicates.finder import DuplicatesDialog
    from kkdesk.ui.editors.recordeditor import RecordEditor
    from kkdesk.ui.shell.context import AppContext
    from kkdesk.ui.shell.locking import DraftsDialog
    from kkdesk.ui.shell.welcome import WelcomeDialog

    screenfit.available_size = lambda _w: screenfit.SMALLEST  # lay out for 1366 x 768

    def shot(widget, name: str) -> None:
        widget.show()
        base.settle(app)
        base.wait_all(ctx, app)
        base.settle(app)
        widget.grab().save(str(out / name), "PNG")
        print(out / name, widget.width(), widget.height())

    with tempfile.TemporaryDirectory(prefix="kkdesk-shots-") as tmp:
        home = Path(tmp) / "profile"
        store = base.make_profile(home)
        add_twins(store)
        ctx = AppContext(store, home=home)
        threat_id = base.first_id(store, "threat", "Ұстау")
        for lang in args.langs.split(","):
            ctx.set_language(lang)
            dlg = DuplicatesDialog(ctx)
            base.wait_all(ctx, app)
            base.settle(app)
            person_rows = [i for i, (p, _a, _b) in enumerate(dlg.pairs) if p.kind == "person"]
            if person_rows:
                dlg.pairs_table.selectRow(person_rows[0])
            shot(dlg, f"duplicates-{lang}.png")
            merge = dlg.merge_selected()
            if merge is not None:
                shot(merge, f"merge-persons-{lang}.png")
                merge.reject()
            dlg.close()

            editor = RecordEditor(ctx, "threat", threat_id)
            editor.resize(1366, 768 - screenfit.TITLE_BAR - 40)
            editor.show()
            base.settle(app)
            acts = editor.form.fields["acts"]
            acts.select_row(0)
            perps = acts.row_form.fields["perpetrators"]
            perps.select_row(0)
            base.settle(app)
            top = acts.label.mapTo(editor.form.scroll.widget(), acts.label.rect().topLeft()).y()
            editor.form.scroll.verticalScrollBar().setValue(max(top - 8, 0))
            shot(editor, f"threat-acts-inline-{lang}.png")
            editor._closing_ok = True
            editor.hide()

            drafts = DraftsDialog(ctx, None, lambda *a: None)
            shot(drafts, f"drafts-{lang}.png")
            drafts.close()

            welcome = WelcomeDialog(Path(tmp) / f"new-{lang}")
            welcome.language.setCurrentIndex(welcome.language.findData("en"))
            welcome.passphrase.setText("short")
            welcome.try_create()
            welcome.language.setCurrentIndex(welcome.language.findData(lang))
            shot(welcome, f"welcome-error-{lang}.png")
            welcome.close()
        store.close()
        ctx.store = None
    return 0


if __name__ == "__main__":
    sys.exit(main())
