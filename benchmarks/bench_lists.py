"""List benchmark: the threat list's first page and its count under filters, from
dense (a status) to rare (a region, a year and two act filters that match a few rows).

    python benchmarks/bench_store.py --records 1000000 --skip-plain --keep /path/profile
    python benchmarks/bench_lists.py /path/profile

Each page is read twice: "cold" right after the previous query (other pages in the
cache), "warm" when repeated. Passphrase "benchmark passphrase" (bench_store.py's).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.fastkdf import patch as _fast_keys  # noqa: E402

_fast_keys()  # cheap test keys: key derivation is not what we measure

from kkdesk import listing as L  # noqa: E402
from kkdesk.store import open_profile  # noqa: E402

CASES = [
    ("no filter", L.Filters()),
    ("year", L.Filters(year=2015)),
    ("region", L.Filters(region="astana")),
    ("status draft", L.Filters(record_status="draft")),
    ("year + region", L.Filters(year=2015, region="astana")),
    ("threat type", L.Filters(threat_type="fine")),
    ("target group", L.Filters(target_group="lawyer")),
    ("group + type + region", L.Filters(target_group="lawyer", threat_type="fine", region="astana")),
    ("year + group + type + region", L.Filters(year=2012, target_group="lawyer", threat_type="fine", region="astana")),
    ("nothing matches", L.Filters(region="astana", year=1990)),
    ("confidentiality restricted", L.Filters(confidentiality="restricted")),
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("profile", help="a profile kept by bench_store.py --keep")
    args = ap.parse_args()
    store = open_profile(args.profile, "benchmark passphrase")
    worst = 0.0
    try:
        with store.session() as s:
            for sort in ("date", "title"):
                for label, f in CASES:
                    times = []
                    for _ in range(2):
                        t = time.perf_counter()
                        rows = L.page(s, "threat", sort=sort, descending=True, filters=f)
                        times.append(time.perf_counter() - t)
                    t = time.perf_counter()
                    n = L.count(s, "threat", f)
                    dc = time.perf_counter() - t
                    worst = max(worst, times[1], dc)
                    print(f"{sort:5s} {label:30s} page cold {times[0] * 1000:7.1f} ms, warm {times[1] * 1000:6.1f} ms "
                          f"({len(rows)} rows); count {dc * 1000:6.1f} ms ({n:,})")
    finally:
        store.close()
    print(f"slowest warm page or count: {worst * 1000:.1f} ms")


if __name__ == "__main__":
    main()
