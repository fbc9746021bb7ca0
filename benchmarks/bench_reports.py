"""Reports benchmark: R1–R16, the yearly pack as XLSX and PDF, at a million acts; and
the raw SQL of R1 in the same run, for the ratio of report time to query time.

    nice python benchmarks/bench_reports.py [--acts N] [--year Y] [--keep DIR]

The data are generated fast by writing the projection tables directly (record,
threat_incident, threat_act, act_perpetrator with their statistics columns) in an
encrypted store, three acts per incident spread over 2010–2024, a perpetrator per
act, localities that exercise the region mapping; reports read only the projection,
so this measures what they do, not an import (bench_store.py measures imports).
Some cases with charges and sentences, hearings with checklists and examinations
are added through the normal import so that R10–R15 have rows. Each figure is the
median of three runs. `--keep DIR` leaves the profile (passphrase "benchmark
passphrase"); run again with the same DIR to measure on it without generating."""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kkdesk.project import uuid60  # noqa: E402
from kkdesk.reporting import catalogue, tabular  # noqa: E402
from kkdesk.reporting.model import Options  # noqa: E402
from kkdesk.reporting.period import parse  # noqa: E402
from kkdesk.reporting.regions import current_region  # noqa: E402
from kkdesk.reporting.texts import Texts  # noqa: E402
from kkdesk.store import create_profile  # noqa: E402

PASSPHRASE = "benchmark passphrase"
GROUPS = ["hrd", "lawyer", "journalist", "civic_activist", "public_figure", "trade_union_activist",
          "religious_activist", "political_activist", "other"]
REGIONS = ["almaty_city", "astana", "aktobe", "karaganda", "mangystau", "west_kazakhstan", "pavlodar", "shymkent",
           "atyrau", "kostanay", "south_kazakhstan", "east_kazakhstan", "almaty_region", "akmola", "turkistan"]
LOCALITIES = {"south_kazakhstan": ["Шымкент", "Кентау", "Түркістан"], "karaganda": ["Жезқазған", "Қарағанды"],
              "east_kazakhstan": ["Семей", "Өскемен"], "almaty_region": ["Талдықорған", "Қонаев"]}
TYPES = ["threat", "death_threat", "summons", "surveillance", "online_harassment", "detention_short",
         "administrative_arrest", "fine", "criminal_prosecution", "tax_inspection", "media_obstruction", "stigmatisation",
         "physical_attack", "death", "registration_refused", "cyberattack"]
PERPS = ["police", "knb", "prosecutor", "court", "akimat", "online_actor", "unidentified_persons", "private_individual"]
GENDERS = ["female", "male", "male", "unknown"]
ANSWERS = ["yes", "no", "unknown"]
RID_SHIFT = 20


def generate(store, n_acts: int, seed: int = 11) -> None:
    rnd = random.Random(seed)
    conn = store.engine.raw_connection()
    cur = conn.cursor()
    cur.execute("BEGIN")  # the engine's connections run in autocommit mode; SQLAlchemy begins its own
    codes: dict[tuple[str, str], int] = {}

    def code(vocab, c):
        key = (vocab, c)
        if key not in codes:
            cur.execute("INSERT OR IGNORE INTO stat_code (vocab, code) VALUES (?, ?)", key)
            codes[key] = cur.execute("SELECT num FROM stat_code WHERE vocab = ? AND code = ?", key).fetchone()[0]
        return codes[key]

    base = cur.execute("SELECT coalesce(max(num), 0) FROM record").fetchone()[0] + 1
    people = [str(uuid.UUID(int=rnd.getrandbits(128), version=4)) for _ in range(max(10, n_acts // 10))]
    orgs = [str(uuid.UUID(int=rnd.getrandbits(128), version=4)) for _ in range(max(5, n_acts // 200))]
    n_inc = (n_acts + 2) // 3
    made = 0
    batch = 20000
    author = store.profile["profile_id"]
    for start in range(0, n_inc, batch):
        recs, incs, acts, perps = [], [], [], []
        for i in range(start, min(n_inc, start + batch)):
            num = base + i
            iid = str(uuid.UUID(int=rnd.getrandbits(128), version=4))
            year = 2010 + i % 15
            day = f"{year}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
            region = rnd.choice(REGIONS)
            status = "verified" if rnd.random() < 0.8 else "draft"
            loc = rnd.choice(LOCALITIES[region]) if region in LOCALITIES else None
            recs.append((num, iid, "threat", author, day, day, author, "0" * 64, 0, 0, 0, 0, f"T{i}", day, year, region,
                         status, "internal"))
            response = rnd.choice(["unknown", "complaint_filed", "investigation_opened"])
            incs.append((iid, f"T{i}", day, day, region, loc, response, status))
            now_region, resp = code("region", current_region(region, loc)), code("state_response", response)
            for n in range(min(3, n_acts - made)):
                made += 1
                aid = str(uuid.UUID(int=rnd.getrandbits(128), version=4))
                org = rnd.random() < 0.05
                victim = rnd.choice(orgs) if org else rnd.choice(people)
                gender = "not_applicable" if org else rnd.choice(GENDERS)
                group, ttype = rnd.choice(GROUPS), rnd.choice(TYPES)
                undated = rnd.random() < 0.002
                s_day = None if undated else int(day.replace("-", ""))
                s_key = 2 * (status == "verified") + 1
                rid = (num << RID_SHIFT) | n
                acts.append((rid, aid, iid, n, "organisation" if org else "person", None if org else victim,
                             victim if org else None, ttype, day, None if undated else day, group, gender, region,
                             rnd.choice(ANSWERS), rnd.choice(ANSWERS) if ttype in ("threat", "death_threat") else None,
                             1, status, None if undated else year, s_key, s_day, None if undated else year,
                             code("target_group", group), code("gender", gender), code("region", region),
                             code("threat_type", ttype), None if org else uuid60(victim), uuid60(victim) if org else None,
                             uuid60(aid), now_region, resp))
                ptype = rnd.choice(PERPS)
                perps.append((rid, str(uuid.uuid4()), aid, 0, ptype, "unknown", s_key, s_day,
                              None if undated else year, code("target_group", group), code("gender", gender),
                              code("region", region), code("threat_type", ttype), None if org else uuid60(victim),
                              uuid60(victim) if org else None, uuid60(aid), code("perpetrator_type", ptype)))
        cur.executemany("INSERT INTO record (num, id, kind, created_by, created_at, updated_at, updated_by, head, "
                        "conflict, deleted, sealed, incomplete, title, sort_date, year, region, record_status, "
                        "confidentiality) VALUES (" + ", ".join("?" * 18) + ")", recs)
        cur.executemany("INSERT INTO threat_incident (id, title, start_date, start_date_from, region, locality, "
                        "state_response, record_status) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", incs)
        cur.executemany("INSERT INTO threat_act (rid, id, parent_id, position, victim_type, victim_person, "
                        "victim_organisation, threat_type, act_date, act_date_from, target_group_at_time, "
                        "gender_at_time, region_at_time, linked_to_hr_activity, threat_carried_out, "
                        "counted_in_statistics, incident_status, act_year, s_key, s_day, s_year, s_tg, s_gender, "
                        "s_region, s_type, s_person, s_org, s_act, s_cregion, s_resp) VALUES (" + ", ".join("?" * 30) + ")", acts)
        cur.executemany("INSERT INTO act_perpetrator (rid, id, parent_id, position, perpetrator_type, "
                        "involvement_degree, s_key, s_day, s_year, s_tg, s_gender, s_region, s_type, s_person, s_org, "
                        "s_act, s_ptype) VALUES (" + ", ".join("?" * 17) + ")", perps)
    cur.execute("COMMIT")
    cur.execute("ANALYZE")
    conn.close()


def add_small_records(store) -> None:
    """Cases, hearings and examinations of the example document (R10–R15 have rows)."""
    from kkdesk.interchange import import_file

    import_file(store, Path(__file__).resolve().parent.parent / "tests" / "data" / "interchange-example.json")


CPU: list[float] = []  # the CPU time of the last timed() call (the machine may be shared)


def timed(fn, repeat: int = 3) -> tuple[float, object]:
    times, cpu, result = [], [], None
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    CPU[:] = [statistics.median(cpu)]
    return statistics.median(times), result


def gui_timing(store, home: Path) -> None:
    """The Reports screen: from choosing a report to its table and chart on screen."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(["bench"])
    from kkdesk.ui.shell.context import AppContext
    from kkdesk.ui.reports.reportview import ReportsPanel

    ctx = AppContext(store, home=home)
    t0 = time.perf_counter()
    panel = ReportsPanel(ctx)
    panel.resize(1100, 650)
    panel.show()
    app.processEvents()
    print(f"Reports screen built (pyqtgraph imported): {(time.perf_counter() - t0) * 1000:.0f} ms", flush=True)
    panel.activate()  # R1, as the screen opens
    while panel.report is None:
        ctx.tasks.wait()
        app.processEvents()
    for rid in ("R2", "R6", "R7", "R16", "R1"):
        t0, c0 = time.perf_counter(), time.process_time()
        panel.choice.setCurrentIndex(panel.choice.findData(rid))
        while panel.report is None or panel.report.id != rid or panel.status.text():
            ctx.tasks.wait()
            app.processEvents()
        app.processEvents()
        t = time.perf_counter() - t0
        print(f"Reports screen, choose {rid}: table and chart in {t * 1000:.0f} ms "
              f"(CPU {(time.process_time() - c0) * 1000:.0f} ms)  {'ok' if t <= 0.5 else 'OVER'}", flush=True)
    panel.close()
    ctx.store = None


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--acts", type=int, default=1_000_000)
    ap.add_argument("--year", type=int, default=2020)
    ap.add_argument("--keep")
    ap.add_argument("--no-gui", action="store_true", help="skip the Reports screen timing")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="kkbench-"))
    home = Path(args.keep) if args.keep else tmp / "profile"
    if args.keep and (home / "profile.json").exists():  # measure again on the data of an earlier run
        from kkdesk.store import open_profile

        t0 = time.perf_counter()
        store = open_profile(home, PASSPHRASE)
        print(f"opened the kept profile (with any pending migration) in {time.perf_counter() - t0:.1f} s", flush=True)
    else:
        store = create_profile(home, PASSPHRASE, name="Benchmark", ui_lang="kk")
        t0 = time.perf_counter()
        generate(store, args.acts)
        add_small_records(store)
        print(f"generated {args.acts:,} acts in {time.perf_counter() - t0:.1f} s", flush=True)
    from sqlalchemy import text

    print(f"load average before measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    opts = Options()
    with store.session() as s:
        raw_sql = ("SELECT s_year, count(*), count(DISTINCT s_person), count(DISTINCT s_org) FROM threat_act "
                   "INDEXED BY ix_threat_act_stat WHERE s_key = 3 GROUP BY s_year")
        t_raw, _ = timed(lambda: s.execute(text(raw_sql)).all())
        cpu_raw = CPU[0]
        # the very SQL R1 runs (kkdesk.reporting.acts), without the report around it
        own = ["SELECT s_year, s_gender, count(*) FROM threat_act INDEXED BY ix_threat_act_rep_gender "
               "WHERE s_key = 3 GROUP BY s_year, s_gender",
               "SELECT s_year, count(DISTINCT s_person) FROM threat_act INDEXED BY ix_threat_act_rep_person "
               "WHERE s_key = 3 AND s_person IS NOT NULL GROUP BY s_year",
               "SELECT s_year, count(DISTINCT s_org) FROM threat_act INDEXED BY ix_threat_act_rep_org "
               "WHERE s_key = 3 AND s_org IS NOT NULL GROUP BY s_year"]
        t_own, _ = timed(lambda: [s.execute(text(q)).all() for q in own])
        cpu_own = CPU[0]
        # every period, a year, every status: each takes other index ranges
        variants = (("all years", opts), (str(args.year), Options(parse(str(args.year), str(args.year)))),
                    ("all statuses", Options(all_statuses=True)))
        for rid in catalogue.IDS:
            limit = 0.3 if int(rid[1:]) <= 7 else 1.0
            cells, worst = [], 0.0
            for name, options in variants:
                t, rep = timed(lambda rid=rid, options=options: catalogue.run(s, rid, options))
                cells.append(f"{name} {t * 1000:6.1f} ms ({len(rep.rows)} rows)")
                worst = max(worst, t)
                if rid == "R1" and options is opts:
                    t_r1, cpu_r1 = t, CPU[0]
            print(f"{rid:>4}: {' | '.join(cells)}  {'ok' if worst <= limit else 'OVER'} (limit {limit * 1000:.0f} ms)",
                  flush=True)
        t6, _ = timed(lambda: catalogue.run(s, "R6", Options(regions="current")))
        print(f"R6 --regions current: {t6 * 1000:.1f} ms (CPU {CPU[0] * 1000:.1f} ms)")
        print(f"raw SQL of R1, its own three queries: {t_own * 1000:.1f} ms (CPU {cpu_own * 1000:.1f} ms); "
              f"R1 / raw = {t_r1 / t_own:.2f} (CPU {cpu_r1 / cpu_own:.2f})", flush=True)
        print(f"naive single query (year, count, count DISTINCT person/org on the statistics index): "
              f"{t_raw * 1000:.1f} ms (CPU {cpu_raw * 1000:.1f} ms); R1 / naive = {t_r1 / t_raw:.2f}", flush=True)
        pack = Options(parse(str(args.year), str(args.year)))
        t = Texts("kk")
        tx, data = timed(lambda: tabular.xlsx_bytes(catalogue.run_all(s, pack), t), repeat=1)
        print(f"yearly pack {args.year} as XLSX: {tx:.2f} s (CPU {CPU[0]:.2f} s, {len(data) / 1024:.0f} KiB)  "
              f"{'ok' if tx <= 10 else 'OVER'}", flush=True)
        from kkdesk.reporting.pdf import pdf_bytes

        tp, data = timed(lambda: pdf_bytes(catalogue.run_all(s, pack), t, "Benchmark", pack=True), repeat=1)
        print(f"yearly pack {args.year} as PDF:  {tp:.2f} s (CPU {CPU[0]:.2f} s, {len(data) / 1024:.0f} KiB)  "
              f"{'ok' if tp <= 20 else 'OVER'}", flush=True)
    if not args.no_gui:
        gui_timing(store, home)
    store.close()
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
