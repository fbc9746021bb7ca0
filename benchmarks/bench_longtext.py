"""Long texts cost linear time: one person whose name_kk (a title field, which gets the
Kazakh-variant pass) or remarks (a long text) holds N characters, imported through
`import-json`'s path with the size limits lifted (they refuse names over 1,000
characters and long texts over 1 MiB before any of this work), and the within-limit
extremes with the limits in force.

    nice python benchmarks/bench_longtext.py [--sizes 10000,30000,100000,1000000]

Before the fix (the pattern r"\\w*[әғ…]\\w*"), name_kk took 2.95 s at 10,000 and 17.7 s
at 30,000 characters on the 2-core reference machine.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.fastkdf import patch as _fast_keys  # noqa: E402

_fast_keys()  # cheap test keys: key derivation is not what we measure

from kkdesk import normalize  # noqa: E402
from kkdesk.interchange import author_of, import_document  # noqa: E402
from kkdesk.store import create_profile  # noqa: E402


def one(field: str, n: int, tmp: Path, lift: bool) -> float:
    home = tmp / f"{field}-{n}-{lift}"
    store = create_profile(home, "benchmark passphrase", name="bench", ui_lang="en")
    doc = {"format": "kkdesk-interchange", "version": 1, "id_namespace": "long", "persons": [
        {"id": "p1", "name_latin": "Long Name", "primary_target_group": "journalist",
         field: ("Абай" * (n // 4 + 1))[:n]}]}
    real = normalize.text_problem
    if lift:
        normalize.text_problem = lambda *_: None
    try:
        t = time.perf_counter()
        with store.session() as s:
            import_document(s, author_of(store), doc, "en")
        return time.perf_counter() - t
    finally:
        normalize.text_problem = real
        store.close()
        shutil.rmtree(home, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,30000,100000,1000000")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="kkdesk-longtext-"))
    try:
        for field in ("name_kk", "remarks"):
            for n in (int(x) for x in args.sizes.split(",")):
                print(f"{field:8} {n:>9,} characters (limits lifted): {one(field, n, tmp, True):6.2f} s", flush=True)
        print(f"name_kk      1,000 characters (the limit):     {one('name_kk', 1000, tmp, False):6.2f} s")
        print(f"remarks    524,288 characters (1 MiB of Cyrillic, the limit): {one('remarks', 524_288, tmp, False):6.2f} s")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
