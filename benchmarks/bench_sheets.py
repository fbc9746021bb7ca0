"""Sheet import benchmark: import-sheet of N rows (XLSX and CSV) against import-json of
the same records, in the same run, each in a fresh profile and its own process, with
peak RSS and the RSS along the way (flat memory: no whole sheet held).

    nice python benchmarks/bench_sheets.py [--rows N] [--formats xlsx,csv]

N rows (default 100,000), one threat act per row, victims drawn from N/10 persons typed
in varying word order and letters (so persons are matched), regions abbreviated, dates
in several forms. The JSON document holds the same persons, threats and sources.
Target (issue 14): sheet rate >= 0.7 x import-json rate.

Measured 2026-12-03 (2 shared cores, nice, load ~5): import-json 69.7 s (peak 983 MiB),
XLSX 86.7 s = 0.80 x (peak 555 MiB), CSV 66.8 s = 1.04 x (peak 484 MiB). RSS climbs
while SQLite's import page cache (256 MiB, as import-json sets it) fills, then by
~0.8 KiB a row: the report's lists (90,000 person matches, warnings).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.fastkdf import patch as _fast_keys  # noqa: E402

_fast_keys()  # cheap test keys: key derivation is not what we measure (the switch this replaced is gone)

PASSPHRASE = "benchmark passphrase"
HEADER = ["Дата", "ФИО", "Пол", "Категория", "Вид угрозы", "Регион", "Кто угрожал", "Источник", "Описание"]
MAPPING = {"format": "kkdesk-sheet-mapping", "version": 1, "sheet": None, "header_row": 2,
           "columns": {"Дата": "incident.start_date", "ФИО": "victim.name_ru", "Пол": "victim.gender",
                       "Категория": "act.target_group_at_time", "Вид угрозы": "act.threat_type",
                       "Регион": "incident.region", "Кто угрожал": "perpetrator.perpetrator_type",
                       "Источник": "source.url", "Описание": "incident.description"},
           "values": {}, "defaults": {"incident.record_status": "verified"}, "incident_key": None,
           "id_namespace": "bench"}
REGIONS = [("ЗКО", "west_kazakhstan"), ("г. Алматы", "almaty_city"), ("Актюбинская обл.", "aktobe"),
           ("ВКО", "east_kazakhstan"), ("Астана", "astana"), ("Мангыстау облысы", "mangystau"), ("СКО", "north_kazakhstan")]
GROUPS = [("Правозащитник", "hrd"), ("журналист", "journalist"), ("активист", "civic_activist"), ("адвокат", "lawyer")]
TYPES = [("Угрозы убийством", "death_threat"), ("слежка", "surveillance"), ("штраф", "fine"), ("обыск", "search_seizure"),
         ("Шантаж", "blackmail")]
PERPS = [("Полиция", "police"), ("КНБ", "knb"), ("Аким", "akimat"), ("Неизвестные", "unidentified_persons")]
FIRST = ["Айгерім", "Ерлан", "Дана", "Болат", "Гүлнар", "Нұрлан", "Әсел", "Қайрат", "Мария", "Сергей"]
LAST = ["Сейітқали", "Тоқтаров", "Әбілқасымова", "Жұмабаев", "Есенова", "Оспанов", "Иванова", "Ким"]
WORDS = ["полиция", "сот", "угроза", "задержание", "штраф", "митинг", "блогер", "суд", "прокуратура", "допрос", "обыск"]


def make_rows(n: int, seed: int = 14):
    rnd = random.Random(seed)
    n_people = max(10, n // 10)
    people = [(f"{rnd.choice(LAST)} {rnd.choice(FIRST)} {i}", rnd.choice(["male", "female"])) for i in range(n_people)]
    for i in range(n):
        name, gender = people[rnd.randrange(n_people)]
        shown = name if rnd.random() < 0.7 else " ".join(reversed(name.split(" ", 1)))  # word order varies
        day = dt.date(2010, 1, 1) + dt.timedelta(days=rnd.randrange(5000))
        form = i % 3
        date_cell = day if form == 0 else (day.strftime("%d.%m.%Y") if form == 1 else day.isoformat())
        region, group, ttype, perp = rnd.choice(REGIONS), rnd.choice(GROUPS), rnd.choice(TYPES), rnd.choice(PERPS)
        url = f"https://news.example/{i}" if i % 4 == 0 else None
        text = " ".join(rnd.choice(WORDS) for _ in range(12)) + f" №{i}"
        yield (date_cell, shown, "муж" if gender == "male" else "жен", group[0], ttype[0], region[0], perp[0], url, text), \
            (day.isoformat(), name, gender, group[1], ttype[1], region[1], perp[1], url, text)


def write_files(n: int, folder: Path) -> dict[str, Path]:
    import csv

    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Угрозы")
    ws.append(["Реестр угроз (бенчмарк)"])
    ws.append(HEADER)
    csv_path = folder / "rows.csv"
    persons: dict[str, dict] = {}
    threats = []
    sources = []
    with csv_path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(["Реестр угроз (бенчмарк)"])
        w.writerow(HEADER)
        for i, (cells, codes) in enumerate(make_rows(n)):
            ws.append(list(cells))
            w.writerow([c.strftime("%d.%m.%Y") if isinstance(c, dt.date) else (c or "") for c in cells])
            day, name, gender, group, ttype, region, perp, url, text = codes
            pid = "p-" + " ".join(sorted(name.split()))
            persons.setdefault(pid, {"id": pid, "name_ru": name, "gender": gender, "primary_target_group": group})
            threats.append({"id": f"t{i}", "title": text[:80], "description": text, "start_date": day, "region": region,
                            "record_status": "verified",
                            "acts": [{"victim_person": pid, "threat_type": ttype, "target_group_at_time": group,
                                      "perpetrators": [{"perpetrator_type": perp}]}]})
            if url:
                sources.append({"id": f"s{i}", "source_type": "other", "title": url, "url": url,
                                "links": [{"target": f"t{i}"}]})
    wb.save(folder / "rows.xlsx")
    _as_excel_writes(folder / "rows.xlsx", f"A1:I{n + 2}")
    doc = {"format": "kkdesk-interchange", "version": 1, "id_namespace": "bench", "persons": list(persons.values()),
           "threats": threats, "sources": sources}
    (folder / "rows.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    (folder / "mapping.json").write_text(json.dumps(MAPPING, ensure_ascii=False), encoding="utf-8")
    return {"xlsx": folder / "rows.xlsx", "csv": csv_path, "json": folder / "rows.json"}


def _as_excel_writes(path: Path, ref: str) -> None:
    """Make openpyxl's write-only file look like one Excel saves: the sheet's size stated
    before its rows (without it openpyxl's reader parses the whole sheet once to look
    for it) and texts in the shared-strings table rather than inline (openpyxl parses
    inline strings several times slower)."""
    import re
    import zipfile

    cell = re.compile(rb'<c r="([A-Z]+[0-9]+)" t="inlineStr"><is><t(?: xml:space="preserve")?>(.*?)</t></is></c>', re.S)
    strings: dict[bytes, int] = {}

    def shared(m):
        idx = strings.setdefault(m.group(2), len(strings))
        return b'<c r="' + m.group(1) + b'" t="s"><v>' + str(idx).encode() + b"</v></c>"

    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = data.replace(b"<sheetViews>", f'<dimension ref="{ref}" /><sheetViews>'.encode(), 1)
                data = cell.sub(shared, data)
            elif item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
            elif item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.'
                                    b'org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                                    b"</Relationships>")
            dst.writestr(item, data)
        sst = b"".join(b'<si><t xml:space="preserve">' + text + b"</t></si>" for text in strings)
        dst.writestr("xl/sharedStrings.xml", b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns='
                     b'"http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="'
                     + str(len(strings)).encode() + b'">' + sst + b"</sst>")
    os.replace(tmp, path)


def _peak_rss_mib() -> float:
    """This process's own peak: VmHWM on Linux (ru_maxrss would carry the parent's peak
    across fork and exec, and the parent built the 100,000-row files), peak working set
    on Windows."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    import psutil

    info = psutil.Process().memory_info()
    return getattr(info, "peak_wset", info.rss) / 2**20


def phase(kind: str, path: Path, mapping_path: Path, home: Path) -> dict:
    """One import in this process; prints {"seconds", "peak_rss_mib", "rss_along"}."""
    import psutil

    from kkdesk.store import create_profile

    store = create_profile(home, PASSPHRASE, name="bench", ui_lang="ru")
    proc = psutil.Process()
    along: list[tuple[int, float]] = []
    base = proc.memory_info().rss / 2**20
    t0 = time.perf_counter()
    if kind == "json":
        from kkdesk.interchange import import_file

        report = import_file(store, path)
        counts = {"new": report.new}
    else:
        from kkdesk.sheets.importer import import_sheet
        from kkdesk.sheets.mapping import load

        def progress(done, total):
            along.append((done, round(proc.memory_info().rss / 2**20, 1)))

        report = import_sheet(store, path, load(mapping_path), progress=progress)
        counts = {"new": report.new, "imported": report.imported, "skipped": report.skipped,
                  "persons_matched": len(report.persons_matched)}
    seconds = time.perf_counter() - t0
    store.close()
    step = max(1, len(along) // 5)
    return {"seconds": round(seconds, 2), "peak_rss_mib": round(_peak_rss_mib(), 1), "rss_at_start_mib": round(base, 1),
            "rss_along": along[::step] + along[-1:], **counts}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--formats", default="xlsx,csv")
    ap.add_argument("--phase", help=argparse.SUPPRESS)
    ap.add_argument("--file", help=argparse.SUPPRESS)
    ap.add_argument("--home", help=argparse.SUPPRESS)
    ap.add_argument("--mapping", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.phase:
        print(json.dumps(phase(args.phase, Path(args.file), Path(args.mapping or "."), Path(args.home))))
        return
    with tempfile.TemporaryDirectory(prefix="kkdesk-bench-sheets-") as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        files = write_files(args.rows, folder)
        print(f"made {args.rows} rows in {time.perf_counter() - t0:.1f} s "
              f"(xlsx {files['xlsx'].stat().st_size / 2**20:.1f} MiB)", flush=True)
        results = {}
        for kind in ["json", *args.formats.split(",")]:
            out = subprocess.run([sys.executable, __file__, "--phase", kind, "--file", str(files[kind]),
                                  "--mapping", str(folder / "mapping.json"), "--home", str(folder / f"home-{kind}")],
                                 capture_output=True, text=True, check=True)
            results[kind] = json.loads(out.stdout.strip().splitlines()[-1])
            r = results[kind]
            print(f"{kind:5s} {r['seconds']:8.1f} s  {args.rows / r['seconds']:8.0f} rows/s  peak RSS {r['peak_rss_mib']:.0f} MiB  "
                  f"{ {k: v for k, v in r.items() if k not in ('seconds', 'peak_rss_mib', 'rss_along')} }", flush=True)
            if r.get("rss_along"):
                print("      RSS along (rows, MiB): " + ", ".join(f"{d}:{m}" for d, m in r["rss_along"]), flush=True)
        for kind in args.formats.split(","):
            ratio = results["json"]["seconds"] / results[kind]["seconds"]
            print(f"{kind}: {ratio:.2f} x the import-json rate (target >= 0.70): {'OK' if ratio >= 0.7 else 'BELOW'}")


if __name__ == "__main__":
    main()
