"""Render the main screens of kkdesk in Kazakh, Russian and English to PNG files.

    QT_QPA_PLATFORM=offscreen python tools/screenshots.py [--out docs/screenshots] [--langs kk,ru,en]

A throw-away demo profile (the example document in tests/data plus a few fictional
incidents) is made in a temporary folder; it uses the test-only fast key derivation,
because it is deleted at the end. Every window is laid out at 1366 x 768, the smallest
laptop screen the application is made for, and captured with `QWidget.grab()`.

Screens: the Threats list with a record's details (`list`), the threat form
(`threat-form`), hearing mode (`hearing`), the medical examination form with the body
diagram (`medical`), the Reports screen with the trend sheet R16 (`reports`), the list of
published figures (`published`), and the unlock window (`unlock`, Kazakh only).
`--only reports,published` renders just those."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from tests.fastkdf import patch as _fast_keys  # noqa: E402

_fast_keys()  # the demo profile is deleted afterwards
from kkdesk.reporting import published  # noqa: E402

published.PRELOAD = True  # the fast test keys leave the shipped figures out; the screenshots show them

EXAMPLE = ROOT / "tests" / "data" / "interchange-example.json"
PASSPHRASE = "demo passphrase, thrown away"
SIZE = (1366, 768)

DEMO_THREATS = [
    ("Сот залына кіргізбеу", "2024-06-03", "atyrau", "media_obstruction", "kk"),
    ("Обыск в редакции газеты", "2024-05-21", "almaty_city", "search_seizure", "ru"),
    ("Summons for questioning after a protest", "2024-03-12", "mangystau", "summons", "en"),
    ("Адвокатқа қорқыту хабарламалары", "2024-02-08", "shymkent", "death_threat", "kk"),
    ("Штраф за пикет у акимата", "2023-12-15", "pavlodar", "fine", "ru"),
    ("Travel ban on a trade union leader", "2023-10-30", "karaganda", "travel_restriction", "en"),
    ("Белсендінің үйіне түнгі тінту", "2023-09-19", "turkistan", "search_seizure", "kk"),
    ("Блокировка телеграм-канала", "2023-07-04", "east_kazakhstan", "website_blocking", "ru"),
    ("Surveillance outside a lawyer's office", "2023-05-22", "west_kazakhstan", "surveillance", "en"),
]


def demo_document() -> dict:
    from kkdesk.vocab import vocabularies

    vocab = vocabularies()
    codes = {t.code for t in vocab.leaves("threat_type")}
    regions = {t.code for t in vocab.leaves("region")}
    threats = []
    for i, (title, date, region, ttype, lang) in enumerate(DEMO_THREATS):
        threats.append({
            "id": f"demo-threat-{i}", "title": title, "description": title, "start_date": date,
            "region": region if region in regions else "almaty_city", "entry_language": lang,
            "record_status": ("verified", "to_verify", "draft")[i % 3],
            "acts": [{"victim_type": "group", "group_description": "—",
                      "threat_type": ttype if ttype in codes else "death_threat",
                      "target_group_at_time": ("journalist", "lawyer", "civic_activist")[i % 3],
                      "gender_at_time": "unknown", "region_at_time": region if region in regions else "almaty_city"}],
        })
    return {"format": "kkdesk-interchange", "version": 1, "id_namespace": "kkdesk-screenshots", "threats": threats}


def make_profile(home: Path):
    from kkdesk.interchange import author_of, import_document, import_file
    from kkdesk.store import create_profile

    store = create_profile(home, PASSPHRASE, name="Demo", ui_lang="en")
    import_file(store, EXAMPLE)
    with store.session() as s:
        import_document(s, author_of(store), demo_document(), "en")
    store.set_meta("org_name", "Demo monitoring group")
    return store


def screenshot_app():
    """The QApplication of the screenshot tools, in DejaVu Sans 9 pt (the font shipped for
    the PDFs), so that the images do not depend on the fonts of the machine."""
    from PySide6.QtGui import QFont, QFontDatabase
    from PySide6.QtWidgets import QApplication

    from kkdesk.resources import resource_path
    from kkdesk.ui.shell.app import SHIPPED_FONTS

    app = QApplication.instance() or QApplication(["kkdesk-screenshots"])
    for name in SHIPPED_FONTS:
        QFontDatabase.addApplicationFont(str(resource_path("fonts", name)))
    app.setFont(QFont("DejaVu Sans", 9))
    return app


def settle(app, rounds: int = 30) -> None:
    for _ in range(rounds):
        app.processEvents()


def grab(widget, app, path: Path) -> Path:
    widget.resize(*SIZE)
    widget.show()
    settle(app)
    widget.resize(*SIZE)
    settle(app)
    pixmap = widget.grab()
    pixmap.save(str(path), "PNG")
    print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}  {pixmap.width()}x{pixmap.height()}")
    return path


def wait_all(ctx, app) -> None:
    """Let the list windows, counts and searches of the background threads arrive."""
    for _ in range(3):
        ctx.quick_tasks.wait()
        ctx.tasks.wait()
        settle(app)


def first_id(store, kind: str, title_part: str | None = None) -> str:
    from kkdesk.listing import page

    with store.session() as s:
        rows = page(s, kind, limit=100)
    for row in rows:
        if title_part is None or title_part in row.title:
            return row.id
    raise SystemExit(f"no {kind} record in the demo profile")


def report_shots(window, ctx, app, out: Path, lang: str, only: set[str]) -> None:
    """The Reports screen (R16: published figures beside live counts) and the published figures list."""
    window.resize(*SIZE)
    if "reports" in only:
        window.show_screen("reports")
        panel = window.panel("reports")
        wait_all(ctx, app)
        panel.all_statuses.setChecked(True)
        panel.choice.setCurrentIndex(panel.choice.findData("R16"))
        wait_all(ctx, app)
        grab(window, app, out / f"reports-{lang}.png")
    if "published" in only:
        window.show_screen("published_stat")
        wait_all(ctx, app)
        panel = window.current_panel()
        panel.select_row(4)
        wait_all(ctx, app)
        grab(window, app, out / f"published-{lang}.png")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--langs", default="kk,ru,en")
    parser.add_argument("--only", default="", help="comma-separated screens (default: all)")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    app = screenshot_app()

    from kkdesk.ui.shell.context import AppContext
    from kkdesk.ui.shell.mainwindow import MainWindow, module_available, open_editor_guarded

    with tempfile.TemporaryDirectory(prefix="kkdesk-shots-") as tmp:
        home = Path(tmp) / "profile"
        store = make_profile(home)
        ctx = AppContext(store, home=home)
        threat_id = first_id(store, "threat", "Ұстау")
        hearing_id = first_id(store, "hearing")
        medical_id = first_id(store, "medical")
        only = {x for x in args.only.split(",") if x}
        for lang in args.langs.split(","):
            ctx.set_language(lang)
            window = MainWindow(ctx)
            if only:
                report_shots(window, ctx, app, out, lang, only)
                window.close()
                window.deleteLater()
                settle(app)
                continue
            window.show_screen("threat")
            panel = window.current_panel()
            window.resize(*SIZE)
            settle(app)
            panel.select_id(threat_id) or panel.select_row(0)
            wait_all(ctx, app)
            grab(window, app, out / f"list-{lang}.png")
            if module_available("kkdesk.ui.editors.recordeditor"):
                for name, kind, record_id in (("threat-form", "threat", threat_id), ("hearing", "hearing", hearing_id),
                                              ("medical", "medical", medical_id)):
                    editor = open_editor_guarded(window, ctx, kind, record_id)
                    if editor is None:
                        continue
                    if kind == "medical" and hasattr(editor, "show_section"):
                        editor.show_section("Physical examination")  # the page with the body diagram
                    wait_all(ctx, app)
                    grab(editor, app, out / f"{name}-{lang}.png")
                    editor.close()
                    editor.deleteLater()
                    settle(app)
            report_shots(window, ctx, app, out, lang, {"reports", "published"})
            window.close()
            window.deleteLater()
            settle(app)
        store.close()
        ctx.store = None
        if only:
            return 0

        from kkdesk.ui.shell.language import apply_language
        from kkdesk.ui.shell.unlock import UnlockDialog

        apply_language("kk")
        dlg = UnlockDialog(Path("/home/monitor/.local/share/kkdesk"))  # how a user sees it
        dlg.adjustSize()
        dlg.show()
        settle(app)
        dlg.grab().save(str(out / "unlock-kk.png"), "PNG")
        print(out / "unlock-kk.png")
        dlg.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
