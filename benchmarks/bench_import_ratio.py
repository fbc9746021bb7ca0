"""Import speed as a ratio: kkdesk's import of interchange JSON against a plain
`executemany` of the very rows it wrote, plus an FTS5 build of the same index rows, into
an empty store of the same format and key (SQLCipher, migrated schema). The ratio is
what kkdesk's validation, revision hashing, projection and bookkeeping cost on top of
storing the data at all; the aim is at most 1.5x.

    nice python benchmarks/bench_import_ratio.py [--records N] [--repeat R]

N synthetic threat acts (default 30,000; the documents of bench_store.py), R runs
(default 3): the best time of each side is compared.
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

from bench_store import PASSPHRASE, make_documents  # noqa: E402

from kkdesk.interchange import author_of, import_document  # noqa: E402
from kkdesk.store import create_profile  # noqa: E402

FTS = "search_index"
SKIP = {"alembic_version"}


def kkdesk_import(home: Path, n: int) -> tuple[float, object]:
    store = create_profile(home, PASSPHRASE, name="bench", ui_lang="ru")
    author = author_of(store)
    docs = list(make_documents(n))  # built before the clock starts, as the baseline's rows are
    t0 = time.perf_counter()
    for doc in docs:
        with store.session() as s:
            import_document(s, author, doc, "ru")
    return time.perf_counter() - t0, store


def dump_rows(store) -> tuple[list[tuple[str, list[str], list[tuple]]], list[tuple]]:
    """Every row of every table kkdesk writes (FTS5 shadow tables aside), in foreign-key
    order, and the index's (rowid, title, body)."""
    from kkdesk.db.base import Base
    import kkdesk.db.models  # noqa: F401 - registers the tables
    import kkdesk.db.sync_models  # noqa: F401

    order = [t.name for t in Base.metadata.sorted_tables]
    with store.engine.connect() as conn:
        names = [r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")]
        names = [n for n in names if n not in SKIP and not n.startswith(FTS)]
        names.sort(key=lambda n: order.index(n) if n in order else len(order))
        tables = []
        for name in names:
            cur = conn.exec_driver_sql(f'SELECT * FROM "{name}"')
            cols = [d[0] for d in cur.cursor.description]
            tables.append((name, cols, [tuple(r) for r in cur]))
        fts = [tuple(r) for r in conn.exec_driver_sql(f"SELECT rowid, title, body FROM {FTS}")]
    return tables, fts


def baseline(home: Path, tables, fts, fmt) -> float:
    """The same rows by executemany into a fresh, migrated store with the same key format."""
    from kkdesk.db.engine import make_engine
    from kkdesk.db.migrations import upgrade
    from kkdesk.keys import new_data_key

    home.mkdir(parents=True)
    engine = make_engine(home / "kkdesk.db", new_data_key(), fmt=fmt)
    try:
        with engine.begin() as conn:
            upgrade(conn)
        raw = engine.raw_connection()
        try:
            cur = raw.cursor()
            present = {name for name, _c, _r in tables
                       if cur.execute(f'SELECT 1 FROM "{name}" LIMIT 1').fetchone() is not None}
            t0 = time.perf_counter()
            cur.execute("BEGIN")
            for name, cols, rows in tables:
                if name in present or not rows:  # written by the migration itself (e.g. code tables)
                    continue
                marks = ", ".join("?" * len(cols))
                names = ", ".join(f'"{c}"' for c in cols)
                cur.executemany(f'INSERT INTO "{name}" ({names}) VALUES ({marks})', rows)
            cur.executemany(f"INSERT INTO {FTS} (rowid, title, body) VALUES (?, ?, ?)", fts)
            cur.execute("COMMIT")
            return time.perf_counter() - t0
        finally:
            raw.close()
    finally:
        engine.dispose()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", type=int, default=30_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    from kkdesk.store import new_store_format

    tmp = Path(tempfile.mkdtemp(prefix="kkdesk-ratio-"))
    ours, base = [], []
    try:
        for i in range(args.repeat):
            seconds, store = kkdesk_import(tmp / f"k{i}", args.records)
            try:
                tables, fts = dump_rows(store)
            finally:
                store.close()
            ours.append(seconds)
            base.append(baseline(tmp / f"b{i}", tables, fts, new_store_format()))
            rows = sum(len(r) for _n, _c, r in tables) + len(fts)
            print(f"run {i + 1}: kkdesk {seconds:.2f} s, executemany + FTS5 {base[-1]:.2f} s "
                  f"({rows:,} rows), ratio {seconds / base[-1]:.2f}x", flush=True)
            shutil.rmtree(tmp / f"k{i}", ignore_errors=True)
            shutil.rmtree(tmp / f"b{i}", ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{args.records:,} acts: kkdesk best {min(ours):.2f} s, baseline best {min(base):.2f} s, "
          f"ratio {min(ours) / min(base):.2f}x (aim <= 1.5x)")


if __name__ == "__main__":
    main()
