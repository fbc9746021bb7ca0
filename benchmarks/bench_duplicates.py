"""Possible duplicates at scale: all pairs of the store, and one record's check on save.

    nice python benchmarks/bench_duplicates.py [--persons 50000] [--threats 50000]

Makes a throw-away profile (test-only fast key derivation) with that many persons
(random two-word names from a pool, so some collide, plus one mistyped twin in every
hundred) and threat incidents of one act each, then times `find_pairs` (the blocking
index over every person, the date walk over every act) and `warnings_for` for one
person and one incident (the indexed lookups an editor runs on save)."""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.fastkdf import patch as _fast_keys  # noqa: E402

_fast_keys()  # cheap test keys: key derivation is not what we measure (the switch this replaced is gone)

FIRST = ["Ерлан", "Айгерім", "Нұрлан", "Дана", "Асель", "Бауыржан", "Жанар", "Марат", "Гүлнар", "Серік"]
LAST = ["Тоқтаров", "Сейтқали", "Жұмабаев", "Әбілқасымова", "Нұрпейісов", "Ахметов", "Омарова", "Қасымов"]


def document(n_persons: int, n_threats: int, rnd: random.Random) -> dict:
    persons = []
    for i in range(n_persons):
        name = f"{rnd.choice(FIRST)} {rnd.choice(LAST)}{i // 40}"
        if i % 100 == 99:
            prev = persons[-1]["name_kk"]
            name = prev[:-2] + prev[-1] if len(prev) > 6 else prev  # one letter left out
        persons.append({"id": f"p{i}", "name_kk": name, "gender": "unknown", "primary_target_group": "journalist",
                        "birth_date": str(1950 + rnd.randrange(50)) if rnd.random() < 0.5 else None,
                        "entry_language": "kk", "confidentiality": "internal"})
    for p in persons:
        if p["birth_date"] is None:
            del p["birth_date"]
    threats = []
    for i in range(n_threats):
        day = f"2023-{rnd.randrange(1, 13):02d}-{rnd.randrange(1, 28):02d}"
        threats.append({"id": f"t{i}", "title": f"Incident {i}", "description": "d", "start_date": day,
                        "region": "almaty_city", "entry_language": "en", "confidentiality": "internal",
                        "acts": [{"victim_person": f"p{rnd.randrange(n_persons)}", "threat_type": "summons",
                                  "act_date": day, "target_group_at_time": "journalist", "gender_at_time": "unknown",
                                  "region_at_time": "almaty_city"}]})
    return {"format": "kkdesk-interchange", "version": 1, "persons": persons, "threats": threats}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=50000)
    parser.add_argument("--threats", type=int, default=50000)
    args = parser.parse_args()
    from kkdesk import duplicates as D
    from kkdesk.interchange import Importer, author_of
    from kkdesk.listing import page
    from kkdesk.store import create_profile

    rnd = random.Random(15)
    with tempfile.TemporaryDirectory(prefix="kkdesk-bench-") as tmp:
        store = create_profile(Path(tmp) / "p", "benchmark passphrase", name="bench", ui_lang="en")
        t0 = time.perf_counter()
        with store.session() as s:
            imp = Importer(s, author_of(store), "en")
            imp.prepare(document(args.persons, args.threats, rnd))
            assert not imp.errors, imp.errors[:3]
            imp.write()  # without the import's own duplicate pass: timed below
        print(f"import {args.persons} persons, {args.threats} threats: {time.perf_counter() - t0:.1f} s")
        with store.session() as s:
            t0 = time.perf_counter()
            persons = D.find_pairs(s, ["person"])
            t1 = time.perf_counter()
            threats = D.find_pairs(s, ["threat"])
            t2 = time.perf_counter()
            print(f"find_pairs persons: {len(persons)} pairs in {t1 - t0:.2f} s")
            print(f"find_pairs threats: {len(threats)} pairs in {t2 - t1:.2f} s")
            pid = page(s, "person", sort="record_no", limit=1)[0].id
            tid = page(s, "threat", sort="record_no", limit=1)[0].id
            for kind, rid in (("person", pid), ("threat", tid)):
                t0 = time.perf_counter()
                for _ in range(10):
                    found = D.warnings_for(s, kind, rid)
                print(f"warnings_for one {kind}: {len(found)} found, {(time.perf_counter() - t0) / 10 * 1000:.0f} ms")
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
