"""Make the sample PDFs in docs/samples/ from the example interchange document.

    python tools/make_samples.py                 one PDF per document type (kk, ru and en mixed)
    python tools/make_samples.py --all-languages every document type in kk, ru and en
    python tools/make_samples.py --out DIR       write somewhere else

Reproducible: a throw-away profile in a temp folder, fixed record numbers, a fixed
clock (1 March 2025, 10:00, UTC+05:00) and a fixed time zone, and reportlab's
invariant mode — running it twice gives the same bytes."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.fastkdf import patch as _fast_keys  # noqa: E402

_fast_keys()  # a throw-away profile holding example data only
os.environ["TZ"] = "KZT-5"  # POSIX: UTC+5, the print date does not depend on the machine
time.tzset()

EXAMPLE = ROOT / "tests" / "data" / "interchange-example.json"
ORG_NAME = "«Әділет көзі» қоғамдық бірлестігі"
CLOCK = dt.datetime(2025, 3, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=5)))
PREFIX = {"persons": "PE", "organisations": "OR", "courts": "CT", "cases": "CS", "threats": "TI", "hearings": "HO",
          "medical": "ME", "sources": "SR"}
# (document, example list, example id, language of the default sample)
SAMPLES = [("person", "persons", "ex-person-aigerim", "kk"), ("case", "cases", "ex-case-toktarov", "ru"),
           ("hearing", "hearings", "ex-hearing-1", "kk"), ("medical", "medical", "ex-medical-1", "en"),
           ("stats", None, None, "ru")]


def numbered(doc: dict) -> dict:
    """The example with fixed record numbers (a new profile would number them by its own code)."""
    doc = json.loads(json.dumps(doc))
    for list_name, prefix in PREFIX.items():
        for n, record in enumerate(doc.get(list_name, []), start=1):
            record["record_no"] = f"{prefix}-2024-EXM-{n:04d}"
    return doc


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "samples"))
    parser.add_argument("--all-languages", action="store_true")
    args = parser.parse_args()

    from kkdesk.clock import set_clock
    from kkdesk.interchange import author_of, import_document
    from kkdesk.normalize import map_id
    from kkdesk.reports import render, write_pdf
    from kkdesk.store import create_profile

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    set_clock(lambda: CLOCK)
    doc = numbered(json.loads(EXAMPLE.read_text(encoding="utf-8")))
    with tempfile.TemporaryDirectory(prefix="kkdesk-samples-") as tmp:
        store = create_profile(Path(tmp) / "profile", "sample profile passphrase", ui_lang="en")
        try:
            store.set_meta("org_name", ORG_NAME)
            with store.session() as session:
                import_document(session, author_of(store), doc, "en")
            for kind, list_name, ident, lang in SAMPLES:
                ref = map_id(doc["id_namespace"], list_name, ident) if ident else None
                for language in ("kk", "ru", "en") if args.all_languages else (lang,):
                    opts = {"all_statuses": True} if kind == "stats" else {}
                    with store.session() as session:
                        data = render(session, kind, ref, language, **opts)
                    path = write_pdf(data, out / f"{kind}-{language}.pdf")
                    os.chmod(path, 0o644)
                    print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {len(data) // 1024} KiB")
        finally:
            store.close()
            set_clock(None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
