"""Keep the gettext catalogues in step with the code (Babel).

    python tools/i18n.py            extract -> update kk/ru/en .po -> merge pending -> compile .mo
    python tools/i18n.py --check    exit 1 when a message lacks a translation (what the test checks)

Translations are written in `translations/pending/*.json` as
{"msgid": {"kk": "…", "ru": "…"}} (English is the msgid itself) and merged into the
.po files by this tool; translators may also edit the .po files directly."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANS = ROOT / "translations"
LANGS = ("kk", "ru", "en")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "gettext": None}
METHOD_MAP = [("kkdesk/**.py", "python")]


def extract() -> Catalog:
    pot = Catalog(project="kkdesk", domain="kkdesk", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
            str(ROOT), METHOD_MAP, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",), strip_comment_tags=True):
        if filename.startswith("kkdesk/db/migrations"):
            continue
        pot.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return pot


def po_path(lang: str) -> Path:
    return TRANS / lang / "LC_MESSAGES" / "kkdesk.po"


def load(lang: str) -> Catalog:
    p = po_path(lang)
    if p.exists():
        with p.open("rb") as fh:
            return read_po(fh, locale=lang, domain="kkdesk")
    return Catalog(locale=lang, domain="kkdesk", project="kkdesk", charset="utf-8")


def pending() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for f in sorted((TRANS / "pending").glob("*.json")):
        for msgid, tr in json.loads(f.read_text(encoding="utf-8")).items():
            merged.setdefault(msgid, {}).update(tr)
    return merged


def update() -> None:
    pot = extract()
    with (TRANS / "messages.pot").open("wb") as fh:
        write_po(fh, pot, width=100, omit_header=False, sort_output=True)
    extra = pending()
    for lang in LANGS:
        cat = load(lang)
        cat.update(pot, no_fuzzy_matching=True)
        cat.obsolete.clear()
        for msg in cat:
            if not msg.id:
                continue
            key = msg.id if isinstance(msg.id, str) else msg.id[0]
            if lang == "en":
                msg.string = msg.id if isinstance(msg.id, str) else (msg.id[0], msg.id[1])
            elif key in extra and extra[key].get(lang):
                value = extra[key][lang]
                msg.string = value if isinstance(msg.id, str) else tuple(value) if isinstance(value, list) else (value,) * cat.num_plurals
            msg.flags.discard("fuzzy")
        po = po_path(lang)
        po.parent.mkdir(parents=True, exist_ok=True)
        with po.open("wb") as fh:
            write_po(fh, cat, width=100, sort_output=True, include_previous=False)
        with po.with_suffix(".mo").open("wb") as fh:
            write_mo(fh, cat, use_fuzzy=False)


def missing() -> dict[str, list[str]]:
    pot = extract()
    out: dict[str, list[str]] = {}
    for lang in LANGS:
        cat = load(lang)
        for msg in pot:
            if not msg.id:
                continue
            have = cat.get(msg.id)
            strings = [] if have is None else ([have.string] if isinstance(have.string, str) else list(have.string))
            if not strings or not all(strings):
                out.setdefault(lang, []).append(msg.id if isinstance(msg.id, str) else msg.id[0])
    return out


if __name__ == "__main__":
    if "--check" in sys.argv:
        gaps = missing()
        for lang, ids in gaps.items():
            print(f"{lang}: {len(ids)} untranslated")
            for i in ids[:50]:
                print("   ", i)
        sys.exit(1 if gaps else 0)
    update()
    gaps = missing()
    print({lang: len(ids) for lang, ids in gaps.items()} or "all messages translated")
