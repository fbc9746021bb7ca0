"""Store benchmark: import rate, full-text search latency, statistics time, store size,
and SQLCipher's overhead against plain SQLite on the same workload.

    python benchmarks/bench_store.py [--records N] [--keep DIR] [--skip-plain]

N synthetic threat acts (default 100,000) spread over 15 years, three acts per incident,
imported through the same path users run (`interchange.import_document`, in documents
of 5,000 incidents). `--keep DIR` leaves the encrypted profile there (passphrase
"benchmark passphrase") for bench_gui.py.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.fastkdf import patch as _fast_keys  # noqa: E402

_fast_keys()  # key derivation is not what we measure

from kkdesk.interchange import author_of, import_document  # noqa: E402
from kkdesk.normalize import map_id  # noqa: E402
from kkdesk.search import search  # noqa: E402
from kkdesk.stats import compute  # noqa: E402
from kkdesk.store import PROFILE_FORMAT, Store, create_profile, new_store_format  # noqa: E402

PASSPHRASE = "benchmark passphrase"
GROUPS = ["hrd", "lawyer", "journalist", "civic_activist", "public_figure", "trade_union_activist",
          "religious_activist", "political_activist"]
REGIONS = ["almaty_city", "astana", "aktobe", "karaganda", "mangystau", "west_kazakhstan", "pavlodar", "shymkent",
           "atyrau", "kostanay", "abai", "jetisu", "turkistan", "east_kazakhstan", "akmola"]
TYPES = ["threat", "death_threat", "summons", "surveillance", "online_harassment", "detention_short",
         "administrative_arrest", "fine", "criminal_prosecution", "tax_inspection", "media_obstruction", "stigmatisation"]
PERPS = ["police", "knb", "prosecutor", "court", "akimat", "online_actor", "unidentified_persons", "private_individual"]
FIRST = ["Айгерім", "Ерлан", "Дана", "Болат", "Гүлнар", "Нұрлан", "Әсел", "Қайрат", "Мария", "Сергей", "Жанар", "Ұлан"]
LAST = ["Сейітқали", "Тоқтаров", "Әбілқасымова", "Жұмабаев", "Есенова", "Оспанов", "Иванова", "Ким", "Қасымов"]
WORDS = ["полиция", "сот", "журналист", "белсенді", "қорқыту", "угроза", "задержание", "штраф", "митинг", "блогер",
         "профсоюз", "суд", "прокуратура", "кәсіподақ", "наразылық", "эколог", "допрос", "обыск", "тексеру", "видео"]


def make_documents(n_acts: int, per_doc: int = 5000, seed: int = 7):
    rnd = random.Random(seed)
    n_people = max(10, n_acts // 10)
    people = [{"id": f"p{i}", "name_kk": f"{rnd.choice(FIRST)} {rnd.choice(LAST)} {i}",
               "gender": rnd.choice(["female", "male", "male"]), "primary_target_group": rnd.choice(GROUPS),
               "residence_region": rnd.choice(REGIONS), "record_status": "verified"} for i in range(n_people)]
    yield {"format": "kkdesk-interchange", "version": 1, "id_namespace": "bench", "persons": people}
    person_ids = [map_id("bench", "persons", f"p{i}") for i in range(n_people)]  # later documents refer by UUID
    n_incidents = (n_acts + 2) // 3
    made = 0
    for start in range(0, n_incidents, per_doc):
        threats = []
        for i in range(start, min(n_incidents, start + per_doc)):
            year = 2010 + i % 15
            acts = []
            for _ in range(min(3, n_acts - made)):
                acts.append({"victim_person": person_ids[rnd.randrange(n_people)], "threat_type": rnd.choice(TYPES),
                             "perpetrators": [{"perpetrator_type": rnd.choice(PERPS)}]})
                made += 1
            threats.append({
                "id": f"t{i}", "title": " ".join(rnd.choice(WORDS) for _ in range(4)),
                "description": " ".join(rnd.choice(WORDS) for _ in range(25)),
                "start_date": f"{year}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}",
                "region": rnd.choice(REGIONS), "record_status": rnd.choice(["verified", "verified", "draft"]),
                "acts": acts})
        yield {"format": "kkdesk-interchange", "version": 1, "id_namespace": "bench", "threats": threats}


def plain_store(home: Path) -> Store:
    """The same schema and code on an unencrypted SQLite file (for the overhead ratio)."""
    import json
    import uuid

    from kkdesk.db.engine import make_engine
    from kkdesk.db.migrations import upgrade
    from kkdesk.keys import profile_code

    home.mkdir(parents=True)
    pid = str(uuid.uuid4())
    profile = {"format": "kkdesk-profile", "version": PROFILE_FORMAT, "profile_id": pid,
               "profile_code": profile_code(pid), "ui_lang": "ru", "store_page_size": new_store_format().page_size}
    (home / "profile.json").write_text(json.dumps(profile))
    engine = make_engine(home / "kkdesk.db", None, plain=True, fmt=new_store_format())
    with engine.begin() as conn:
        upgrade(conn)
    return Store(home, profile, engine, None)


def run(store: Store, n: int) -> dict:
    author = author_of(store)
    t0 = time.perf_counter()
    acts = 0
    for doc in make_documents(n):
        with store.session() as s:
            import_document(s, author, doc, "ru")
        acts += sum(len(t["acts"]) for t in doc.get("threats", ()))
    import_s = time.perf_counter() - t0
    with store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    queries = {"single word": ["полиция", "қорқыту", "обыск", "кәсіподақ"],
               "two-word AND": ["сот журналист", "угроза митинг", "наразылық видео"],
               "prefix": ["прокур*", "кәсіп*", "задерж*"],
               "name": ["Айгерім", "Тоқтаров", "Әбілқасымова"]}
    fts: dict[str, list[float]] = {}
    with store.session() as s:
        for label, qs in queries.items():
            times = []
            for _ in range(10):
                for q in qs:
                    t = time.perf_counter()
                    hits = search(s, q, limit=50)
                    times.append(time.perf_counter() - t)
                    assert hits, q
            fts[label] = times
        stats_times = []
        for _ in range(5):
            t = time.perf_counter()
            compute(s, ["year", "target_group"])
            stats_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        compute(s, ["year", "perpetrator_type"], date_from="2015", date_to="2020")
        perp_s = time.perf_counter() - t
    size = sum(p.stat().st_size for p in store.home.iterdir() if p.name.startswith("kkdesk.db"))
    all_times = [x for v in fts.values() for x in v]
    return {
        "acts": acts, "import_s": import_s, "acts_per_s": acts / import_s,
        "fts_p50_ms": statistics.median(all_times) * 1000,
        "fts_p95_ms": statistics.quantiles(all_times, n=20)[-1] * 1000,
        "fts_by_kind_p95_ms": {k: statistics.quantiles(v, n=20)[-1] * 1000 for k, v in fts.items()},
        "stats_ms": min(stats_times) * 1000, "stats_median_ms": statistics.median(stats_times) * 1000,
        "stats_perpetrator_ms": perp_s * 1000, "size_mb": size / 1e6,
    }


def show(label: str, r: dict) -> None:
    print(f"[{label}] {r['acts']:,} acts imported in {r['import_s']:.1f} s = {r['acts_per_s']:,.0f} acts/s")
    print(f"[{label}] FTS p50 {r['fts_p50_ms']:.1f} ms, p95 {r['fts_p95_ms']:.1f} ms; by kind p95: "
          + ", ".join(f"{k} {v:.1f} ms" for k, v in r["fts_by_kind_p95_ms"].items()))
    print(f"[{label}] stats --by year,target_group {r['stats_ms']:.0f} ms (median {r['stats_median_ms']:.0f} ms); "
          f"year,perpetrator_type 2015-2020 {r['stats_perpetrator_ms']:.0f} ms")
    print(f"[{label}] store size {r['size_mb']:.0f} MB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--keep", help="leave the encrypted profile in this folder")
    ap.add_argument("--skip-plain", action="store_true", help="do not run the plain-SQLite comparison")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="kkdesk-bench-"))
    try:
        home = Path(args.keep) if args.keep else tmp / "enc"
        if home.exists():
            shutil.rmtree(home)
        store = create_profile(home, PASSPHRASE, name="bench", ui_lang="ru")
        try:
            enc = run(store, args.records)
        finally:
            store.close()
        show("sqlcipher", enc)
        if not args.skip_plain:
            plain = plain_store(tmp / "plain")
            try:
                pl = run(plain, args.records)
            finally:
                plain.close()
            show("plain sqlite", pl)
            print(f"SQLCipher overhead: import {pl['acts_per_s'] / enc['acts_per_s']:.2f}x, "
                  f"FTS p95 {enc['fts_p95_ms'] / pl['fts_p95_ms']:.2f}x, stats {enc['stats_ms'] / pl['stats_ms']:.2f}x")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
