"""GUI benchmark: the Threats list over a large encrypted store, and cold start.

    # build (once) a store with 1,000,000 threat incidents of one act each, then measure
    QT_QPA_PLATFORM=offscreen python benchmarks/bench_gui.py --home /tmp/kkdesk-bench-1m --records 1000000
    # reuse it (or a store from `bench_store.py --keep DIR`, same passphrase)
    QT_QPA_PLATFORM=offscreen python benchmarks/bench_gui.py --home /tmp/kkdesk-bench-1m
    # cold start on a real X server (apt: xvfb libxcb-cursor0 libxcb-icccm4 libxkbcommon-x11-0 …)
    QT_QPA_PLATFORM=xcb xvfb-run -a python benchmarks/bench_gui.py --home /tmp/kkdesk-bench-1m --skip-list
    # the frozen build (python tools/build_app.py) next to the installed package, same run
    # (-noreset: an X server that resets whenever its last client leaves races the next start)
    QT_QPA_PLATFORM=xcb xvfb-run -a -s "-noreset -screen 0 1366x768x24" python benchmarks/bench_gui.py \
        --home /tmp/kkdesk-bench-small --records 100 --skip-list --skip-starts --frozen dist/kkdesk

Measures, in this order:

1. open the Threats list: from `MainWindow.show_screen("threat")` (coming from another
   screen) to the end of the first paint of the table with rows (target ≤ 150 ms);
2. scrolling to the end the way the view does it (scroll to the bottom, the view calls
   `fetchMore`) until every row is reachable — rows held in memory stay bounded;
   then jumping back to the top (an evicted window is fetched again);
3. RSS after scrolling (target ≤ 400 MB) and the peak;
4. cold start in fresh processes: `python -m kkdesk --home DIR` until the unlock window
   is exposed, against a minimal PySide6 dialog (a label, a line edit, two buttons) in
   the same harness; median of `--starts` alternating runs after one warm-up each
   (target: kkdesk within 1.5x of the minimal dialog).
5. with `--frozen DIR` (needs a real X server and xdotool): the frozen `DIR/kkdesk` against the
   installed package (the wheel unpacked into a temporary site folder, `python -m kkdesk`),
   alternating, each from process start until its unlock window is visible on the X server
   (`xdotool search --onlyvisible`, polled every 10 ms: the same probe for both).

The store is built through the core's import path (`interchange.import_document`,
documents of 5,000 incidents); building takes long (about half an hour for a million
incidents on 2 cores) and is done once. The profile uses the test-only fast key
derivation, which does not affect any figure measured here.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from tests.fastkdf import patch as _fast_keys  # noqa: E402

_fast_keys()  # cheap test keys: key derivation is not what we measure

PASSPHRASE = "benchmark passphrase"  # the same as bench_store.py --keep
WAIT = None
REGIONS = ["almaty_city", "astana", "aktobe", "karaganda", "mangystau", "west_kazakhstan", "pavlodar", "shymkent",
           "atyrau", "kostanay", "abai", "jetisu", "turkistan", "east_kazakhstan", "akmola"]
TYPES = ["threat", "death_threat", "summons", "surveillance", "online_harassment", "detention_short",
         "administrative_arrest", "fine", "criminal_prosecution", "tax_inspection", "media_obstruction", "stigmatisation"]
GROUPS = ["hrd", "lawyer", "journalist", "civic_activist", "public_figure", "trade_union_activist"]
WORDS = ["полиция", "сот", "журналист", "белсенді", "қорқыту", "угроза", "задержание", "штраф", "митинг", "блогер",
         "профсоюз", "суд", "прокуратура", "кәсіподақ", "наразылық", "эколог", "допрос", "обыск", "тексеру", "видео"]


def rss_mb() -> tuple[float, float]:
    """(current, peak) resident set size in MB, from /proc."""
    values = {}
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0]) / 1024
    return values.get("VmRSS", 0.0), values.get("VmHWM", 0.0)


# --- building the store -------------------------------------------------------------------

def documents(n: int, per_doc: int = 5000):
    import random

    rnd = random.Random(11)
    for start in range(0, n, per_doc):
        threats = []
        for i in range(start, min(n, start + per_doc)):
            year = 2010 + i % 15
            region = REGIONS[i % len(REGIONS)]
            words = " ".join(rnd.choice(WORDS) for _ in range(4))
            threats.append({
                "id": f"g{i}", "title": f"{words} {i}", "description": f"{words}. synthetic incident {i}",
                "start_date": f"{year}-{1 + i % 12:02d}-{1 + i % 28:02d}", "region": region,
                "record_status": "verified" if i % 3 else "draft", "entry_language": "ru",
                "acts": [{"victim_type": "group", "group_description": "журналисты", "threat_type": TYPES[i % len(TYPES)],
                          "target_group_at_time": GROUPS[i % len(GROUPS)], "gender_at_time": "unknown",
                          "region_at_time": region, "linked_to_hr_activity": "yes"}]})
        yield start, {"format": "kkdesk-interchange", "version": 1, "id_namespace": "bench-gui", "threats": threats}


def build(home: Path, n: int) -> None:
    from kkdesk.interchange import author_of, import_document
    from kkdesk.store import create_profile

    store = create_profile(home, PASSPHRASE, name="GUI benchmark", ui_lang="en")
    author = author_of(store)
    t0 = time.perf_counter()
    try:
        for start, doc in documents(n):
            with store.session() as s:
                import_document(s, author, doc, "en")
            done = start + len(doc["threats"])
            rate = done / (time.perf_counter() - t0)
            print(f"  built {done:,} / {n:,} incidents ({rate:,.0f}/s)", flush=True)
    finally:
        store.close()


# --- measuring the list ------------------------------------------------------------------

class PaintWatch:
    def __init__(self, widget) -> None:
        from PySide6.QtCore import QEvent, QObject

        class _Filter(QObject):
            def eventFilter(inner, obj, event):  # noqa: N805 (self is the benchmark's)
                if event.type() == QEvent.Type.Paint:
                    self.painted += 1
                return False

        self.painted = 0
        self.filter = _Filter()
        widget.installEventFilter(self.filter)


def measure_list(home: Path) -> dict:
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    from kkdesk.store import open_profile
    from kkdesk.ui.shell.context import AppContext
    from kkdesk.ui.shell.mainwindow import MainWindow

    app = QApplication.instance() or QApplication(["bench"])
    global WAIT
    WAIT = QEventLoop.ProcessEventsFlag.WaitForMoreEvents  # sleep until the worker's result arrives, as the app does
    out: dict = {}
    t = time.perf_counter()
    store = open_profile(home, PASSPHRASE)
    out["unlock_s"] = time.perf_counter() - t
    ctx = AppContext(store, home=home)
    ctx.settings.last_screen = "person"
    window = MainWindow(ctx)
    window.resize(1366, 768)
    window.show()
    for _ in range(20):
        app.processEvents()
    ctx.tasks.wait()
    app.processEvents()

    panel = window.panel("threat")  # built but not loaded: what a first click on "Threats" finds
    watch = PaintWatch(panel.table.viewport())
    t0 = time.perf_counter()
    window.show_screen("threat")
    while not panel.model.rowCount():  # the first window comes from a worker thread
        app.processEvents(WAIT)
    watch.painted = 0
    while not watch.painted:
        app.processEvents()
    out["open_list_ms"] = (time.perf_counter() - t0) * 1000
    out["first_window_rows"] = panel.model.rowCount()
    t1 = time.perf_counter()
    while panel.total is None:  # counted on another worker, after the rows are shown
        app.processEvents(WAIT)
    out["count"] = panel.total
    out["count_s"] = time.perf_counter() - t1 + out["open_list_ms"] / 1000

    # open it again (the second visit: pages in the cache)
    window.show_screen("person")
    panel.stale = True
    t0 = time.perf_counter()
    window.show_screen("threat")
    while panel.model.loading or not panel.model.rowCount():
        app.processEvents(WAIT)
    watch.painted = 0
    while not watch.painted:
        app.processEvents()
    out["reopen_list_ms"] = (time.perf_counter() - t0) * 1000

    # scroll to the end the way the view does it
    model, view = panel.model, panel.table
    pages_before = model.pages_loaded
    t0 = time.perf_counter()
    slowest = 0.0
    while not model.exhausted:  # the view asks for the next window; it arrives from a worker
        step = time.perf_counter()
        view.scrollToBottom()
        app.processEvents(WAIT)
        slowest = max(slowest, time.perf_counter() - step)
    view.scrollToBottom()
    app.processEvents()
    elapsed = time.perf_counter() - t0
    out["scroll_to_end_s"] = elapsed
    out["rows_reachable"] = model.rowCount()
    out["pages_fetched"] = model.pages_loaded - pages_before
    out["ms_per_window"] = elapsed * 1000 / max(1, out["pages_fetched"])
    out["slowest_step_ms"] = slowest * 1000
    out["rows_in_memory"] = model.cached_rows()
    out["rss_mb"], out["peak_rss_mb"] = rss_mb()

    watch.painted = 0
    t0 = time.perf_counter()
    view.scrollToTop()
    while not watch.painted:
        app.processEvents()
    out["jump_to_top_ms"] = (time.perf_counter() - t0) * 1000

    # search as you type over the whole store
    t0 = time.perf_counter()
    panel.search.setText("журналист полиц")
    panel._search_now()
    while not panel.searching:
        app.processEvents(WAIT)
    out["search_ms"] = (time.perf_counter() - t0) * 1000
    out["search_hits"] = panel.search_model.rowCount()

    ctx.lock()
    window.close()
    return out


# --- cold start ----------------------------------------------------------------------------

HARNESS = r"""
import os, sys
from PySide6 import QtWidgets
from PySide6.QtCore import QEvent, QObject


class _Exposed(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Expose and obj.isExposed():
            sys.stdout.write("EXPOSED\n")
            sys.stdout.flush()
            os._exit(0)
        return False


class _App(QtWidgets.QApplication):
    def __init__(self, *args):
        super().__init__(*args)
        self._exposed = _Exposed()
        self.installEventFilter(self._exposed)


QtWidgets.QApplication = _App
if sys.argv[1] == "kkdesk":
    from kkdesk.ui.shell.app import main
    main(["--home", sys.argv[2]])
else:
    app = _App(["minimal"])
    dlg = QtWidgets.QDialog()
    layout = QtWidgets.QVBoxLayout(dlg)
    layout.addWidget(QtWidgets.QLabel("Passphrase:"))
    layout.addWidget(QtWidgets.QLineEdit())
    buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Ok
                                         | QtWidgets.QDialogButtonBox.StandardButton.Cancel)
    layout.addWidget(buttons)
    dlg.show()
    app.exec()
"""


def one_start(what: str, home: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", HARNESS, what, str(home)], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, env=env, cwd=str(ROOT))
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - t0
    proc.kill()
    proc.wait()
    if b"EXPOSED" not in line:
        raise RuntimeError(f"{what}: the window was never exposed")
    return elapsed


def measure_starts(home: Path, n: int) -> dict:
    one_start("minimal", home)
    one_start("kkdesk", home)  # warm the file cache for both
    minimal, kkdesk = [], []
    for _ in range(n):
        minimal.append(one_start("minimal", home))
        kkdesk.append(one_start("kkdesk", home))
    m, k = statistics.median(minimal), statistics.median(kkdesk)
    return {"minimal_dialog_s": m, "kkdesk_unlock_s": k, "ratio": k / m,
            "minimal_all": minimal, "kkdesk_all": kkdesk}


def _installed_site(work: Path) -> Path:
    """The wheel of this checkout, unpacked as pip would install it (no checkout on the path)."""
    import zipfile

    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                           "-w", str(work), str(ROOT)], capture_output=True, text=True)
    if proc.returncode:
        raise RuntimeError(proc.stderr[-2000:])
    site = work / "site"
    zipfile.ZipFile(next(work.glob("kkdesk-*.whl"))).extractall(site)
    return site


def one_visible_start(cmd: list[str], env: dict, title: str, timeout: float = 60.0) -> float:
    """Seconds from process start until a visible X window named `title` exists."""
    probe_env = dict(os.environ)  # DISPLAY and XAUTHORITY (xvfb-run sets both)
    t0 = time.perf_counter()
    log = Path(env["HOME"]) / "start.log"
    with log.open("wb") as fh:
        proc = subprocess.Popen(cmd, env=env, stdout=fh, stderr=fh, cwd=str(env["HOME"]))
    try:
        while time.perf_counter() - t0 < timeout:
            found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", title], env=probe_env,
                                   capture_output=True, text=True).stdout.strip()
            if found:
                return time.perf_counter() - t0
            if proc.poll() is not None:
                raise RuntimeError(f"{cmd[0]} exited with {proc.returncode} before showing a window:\n"
                                   + log.read_text(errors="replace")[-2000:])
            time.sleep(0.01)
        raise RuntimeError(f"{cmd[0]}: no window {title!r} within {timeout:.0f} s:\n" + log.read_text(errors="replace")[-2000:])
    finally:
        proc.kill()
        proc.wait()


def measure_frozen(home: Path, frozen: Path, n: int) -> dict:
    import tempfile

    if os.environ.get("QT_QPA_PLATFORM") != "xcb" or not os.environ.get("DISPLAY"):
        raise SystemExit("--frozen needs a real X server: QT_QPA_PLATFORM=xcb xvfb-run -a python …")
    with tempfile.TemporaryDirectory(prefix="kkdesk-bench-") as tmp:
        work = Path(tmp)
        site = _installed_site(work)
        (work / "user").mkdir()
        base = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "KKDESK_HOME")}
        base.update(HOME=str(work / "user"), LANG="C.UTF-8")
        installed = ([sys.executable, "-m", "kkdesk", "--home", str(home)], {**base, "PYTHONPATH": str(site)})
        exe = frozen / ("kkdesk.exe" if sys.platform == "win32" else "kkdesk")
        bundled = ([str(exe), "--home", str(home)], base)
        title = "Unlock kkdesk"
        one_visible_start(*installed, title)  # warm-up: bytecode compiled, files cached
        one_visible_start(*bundled, title)
        inst, froz = [], []
        for _ in range(n):
            inst.append(one_visible_start(*installed, title))
            froz.append(one_visible_start(*bundled, title))
    size = sum(f.stat().st_size for f in frozen.rglob("*") if f.is_file() and not f.is_symlink()) / 1e6
    return {"installed_s": statistics.median(inst), "frozen_s": statistics.median(froz), "installed_all": inst,
            "frozen_all": froz, "frozen_mb": size}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--home", required=True, help="profile folder: reused when it holds a profile, else built")
    ap.add_argument("--records", type=int, default=1_000_000, help="threat incidents to build (one act each)")
    ap.add_argument("--starts", type=int, default=7, help="cold starts of each kind")
    ap.add_argument("--skip-list", action="store_true")
    ap.add_argument("--skip-starts", action="store_true")
    ap.add_argument("--frozen", metavar="DIR", help="also time the frozen build in DIR (python tools/build_app.py)")
    args = ap.parse_args(argv)
    home = Path(args.home)
    print(f"platform: {os.environ.get('QT_QPA_PLATFORM')}; python {sys.version.split()[0]}", flush=True)
    if not (home / "profile.json").exists():
        print(f"building {args.records:,} threat incidents in {home} …", flush=True)
        t = time.perf_counter()
        build(home, args.records)
        print(f"built in {time.perf_counter() - t:,.0f} s")
    size = sum(f.stat().st_size for f in home.iterdir() if f.is_file()) / 1e6
    print(f"store: {home} ({size:,.0f} MB on disk)")
    if not args.skip_list:
        r = measure_list(home)
        sys.stdout.flush()
        print(f"unlock (open_profile):           {r['unlock_s'] * 1000:8.0f} ms")
        print(f"threats in the list:             {r['count']:>8,}   (counted in the background in {r['count_s']:.1f} s)")
        print(f"open Threats list -> painted:    {r['open_list_ms']:8.1f} ms   (target <= 150 ms)")
        print(f"open it again -> painted:        {r['reopen_list_ms']:8.1f} ms")
        print(f"scroll to the end (fetchMore):   {r['scroll_to_end_s']:8.1f} s    "
              f"{r['pages_fetched']:,} windows, {r['ms_per_window']:.1f} ms each, slowest step {r['slowest_step_ms']:.0f} ms")
        print(f"rows reachable / held in memory: {r['rows_reachable']:>8,} / {r['rows_in_memory']:,}")
        print(f"RSS after scrolling:             {r['rss_mb']:8.0f} MB   (peak {r['peak_rss_mb']:.0f} MB; target <= 400 MB)")
        print(f"jump back to the top -> painted: {r['jump_to_top_ms']:8.1f} ms")
        print(f"search as you type (2 words):    {r['search_ms']:8.1f} ms   ({r['search_hits']} newest hits)")
    if not args.skip_starts:
        s = measure_starts(home, args.starts)
        print(f"cold start, minimal dialog:      {s['minimal_dialog_s'] * 1000:8.0f} ms (median of {args.starts})")
        print(f"cold start, kkdesk unlock:       {s['kkdesk_unlock_s'] * 1000:8.0f} ms (median of {args.starts})")
        print(f"ratio kkdesk / minimal:          {s['ratio']:8.2f}      (target <= 1.5)")
    if args.frozen:
        f = measure_frozen(home, Path(args.frozen).resolve(), args.starts)
        print(f"to the unlock window, installed: {f['installed_s'] * 1000:8.0f} ms (median of {args.starts}; "
              f"all: {', '.join(f'{x * 1000:.0f}' for x in f['installed_all'])})")
        print(f"to the unlock window, frozen:    {f['frozen_s'] * 1000:8.0f} ms (median of {args.starts}; "
              f"all: {', '.join(f'{x * 1000:.0f}' for x in f['frozen_all'])})")
        print(f"frozen folder:                   {f['frozen_mb']:8.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
