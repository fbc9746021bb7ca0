"""kill -9 campaign: start an operation, kill it at a random moment (SIGKILL; on Windows
TerminateProcess, both by Popen.kill), then check that nothing was lost or half done.

    nice python tools/kill9.py --trials 40 [--ops import-json,bundle-export,bundle-import,restore,gui-edit]
                              [--persons 1500] [--seed N] [--work DIR] [--keep] [--json]

`--trials N`: N kills per operation (a run that ends before its kill is checked as well
and counted in `trials`; the kill window then shrinks to what it took). After every kill: `kkdesk-cli check` passes, and the store
holds all or nothing of the interrupted operation (its record set equals the one
before or the one an uninterrupted run gives; a bundle beside it is absent or whole);
then the operation is run again (the next export, import, restore), which must succeed,
leave the expected set, and leave no kkdesk temp file behind. Prints
`trials, integrity_failures, partial, lost` (and more) or, with --json, a JSON object.
Uses real Argon2id keys. Importable: `run(trials=…, ops=…, work=…)` returns the figures."""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tools import campaign as C  # noqa: E402

CORE_KEYS = ("revision", "head", "seal", "blob")
ALL_OPS = ("import-json", "bundle-export", "bundle-import", "restore", "gui-edit")


@dataclass
class Figures:
    trials: int = 0
    killed: int = 0
    finished_before_kill: int = 0
    integrity_failures: int = 0
    partial: int = 0
    lost: int = 0
    stale_temp_files: int = 0
    next_op_failures: int = 0
    tracebacks: int = 0
    gui_saves_reported: int = 0
    per_op: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)

    def failures(self) -> int:
        return (self.integrity_failures + self.partial + self.lost + self.stale_temp_files + self.next_op_failures
                + self.tracebacks)

    def as_dict(self) -> dict:
        return dict(self.__dict__)


class Base:
    """The profiles and files every trial starts from (made once per run)."""

    def __init__(self, work: Path, persons: int, only_a: bool = False) -> None:
        """`only_a`: just profile A with its records (what the GUI trial needs)."""
        self.work = work
        self.a, self.b = work / "base-a", work / "base-b"
        a_info = C.init_profile(self.a, "Monitor A")
        C.cli_ok(self.a, "import-json", C.ROOT / "tests" / "data" / "interchange-example.json")
        C.cli_ok(self.a, "import-json", C.write_json(work / "a-people.json", C.interchange_doc(persons, "kill9-a")))
        if only_a:
            return
        b_info = C.init_profile(self.b, "Office B")
        C.befriend(self.a, a_info, self.b, b_info)
        self.b_empty = C.copy_profile(self.b, work / "base-b-empty")  # B knowing A, no records yet
        self.doc = C.write_json(work / "import.json", C.interchange_doc(persons, "kill9-doc"))
        self.bundle = work / "a-to-b.kkb"
        C.cli_ok(self.a, "bundle", "export", "--to", "Office B", "--all", "--out", self.bundle)
        self.backup = work / "a-backup.tar"
        C.cli_ok(self.a, "backup", "--out", self.backup)
        self.snap_a = C.snapshot(self.a)
        self.snap_b_empty = C.snapshot(self.b_empty)
        t0 = time.perf_counter()
        C.cli_ok(self.b_empty, "identity", "show")
        self.t_unlock = time.perf_counter() - t0  # start-up and key derivation: before any work


def _same(x: dict, y: dict, keys=None) -> bool:
    return all(x[k] == y[k] for k in (keys or x))


class Op:
    """One kind of trial. `start` prepares a trial folder and returns the command;
    `judge` checks the state after the kill, runs the next operation and checks again."""

    name = ""

    def __init__(self, base: Base) -> None:
        self.base = base
        self.expected: dict | None = None
        self.t_total = 0.0

    def calibrate(self, folder: Path) -> None:
        argv, env = self.start(folder)
        t0 = time.perf_counter()
        proc = subprocess.run(argv, cwd=C.ROOT, env=env, capture_output=True)
        self.t_total = time.perf_counter() - t0
        if proc.returncode != 0:
            raise RuntimeError(f"{self.name}: the uninterrupted run failed: {proc.stderr.decode()[-500:]}")
        self.expected = self.expected_after(folder)

    def start(self, folder: Path) -> tuple[list[str], dict]:
        raise NotImplementedError

    def expected_after(self, folder: Path) -> dict:
        raise NotImplementedError

    def judge(self, folder: Path, fig: Figures, note) -> None:
        raise NotImplementedError

    # shared checks
    def check_store(self, home: Path, fig: Figures, note) -> bool:
        run = C.cli(home, "check")
        if C.is_traceback(run.err):
            fig.tracebacks += 1
            note("traceback in check", run.err[-300:])
        if run.code != 0:
            fig.integrity_failures += 1
            note("check failed", (run.out + run.err).strip()[-300:])
            return False
        return True

    def compare(self, snap: dict, before: dict, fig: Figures, note, keys=CORE_KEYS) -> None:
        lost = len(before["revision"] - snap["revision"]) + len(before["blob"] - snap["blob"])
        if lost:
            fig.lost += lost
            note("lost", f"{lost} revisions/attachments held before are gone")
        if not (_same(snap, before, keys) or _same(snap, self.expected, keys)):
            fig.partial += 1
            note("partial", {k: (len(before[k]), len(snap[k]), len(self.expected[k])) for k in keys})

    def next_op(self, argv: list[str], env: dict, fig: Figures, note) -> bool:
        proc = subprocess.run(argv, cwd=C.ROOT, env=env, capture_output=True)
        err = proc.stderr.decode("utf-8", "replace")
        if C.is_traceback(err):
            fig.tracebacks += 1
            note("traceback in the next operation", err[-300:])
        if proc.returncode != 0:
            fig.next_op_failures += 1
            note("the next operation failed", err.strip()[-300:])
            return False
        return True

    def stale(self, folders: list[Path], fig: Figures, note) -> None:
        for folder in folders:
            left = C.temp_leftovers(folder)
            if left:
                fig.stale_temp_files += len(left)
                note("stale temp files", f"{folder.name}: {left}")


class ImportJson(Op):
    name = "import-json"

    def start(self, folder: Path):
        home = folder / "home"
        if not home.exists():
            C.copy_profile(self.base.b_empty, home)
        return C.cli_argv(home, "import-json", self.base.doc), C.cli_env()

    def expected_after(self, folder: Path) -> dict:
        return C.snapshot(folder / "home")

    def judge(self, folder: Path, fig: Figures, note) -> None:
        home = folder / "home"
        if not self.check_store(home, fig, note):
            return
        self.compare(C.snapshot(home), self.base.snap_b_empty, fig, note)
        argv, env = self.start(folder)
        if self.next_op(argv, env, fig, note):
            if not _same(C.snapshot(home), self.expected, CORE_KEYS):
                fig.partial += 1
                note("partial", "the repeated import-json did not give the full set")
        self.stale([home], fig, note)


class BundleExport(Op):
    name = "bundle-export"

    def start(self, folder: Path):
        home, stick = folder / "home", folder / "stick"
        if not home.exists():
            C.copy_profile(self.base.a, home)
            stick.mkdir()
        return C.cli_argv(home, "bundle", "export", "--to", "Office B", "--all", "--out", stick / "kk.kkb"), C.cli_env()

    def _receive(self, folder: Path, fig: Figures, note) -> dict | None:
        """Import the bundle beside the output into a copy of B: a bundle that exists is whole."""
        receiver = C.copy_profile(self.base.b_empty, folder / "receiver")
        run = C.cli(receiver, "bundle", "import", folder / "stick" / "kk.kkb")
        if run.code != 0:
            fig.partial += 1
            note("partial", f"the written bundle does not import: {run.err.strip()[-200:]}")
            return None
        return C.snapshot(receiver)

    def expected_after(self, folder: Path) -> dict:
        snap = self._receive(folder, Figures(), lambda *a: None)
        if snap is None:
            raise RuntimeError("bundle-export: the uninterrupted export does not import")
        return snap

    def judge(self, folder: Path, fig: Figures, note) -> None:
        home, stick = folder / "home", folder / "stick"
        if not self.check_store(home, fig, note):
            return
        snap = C.snapshot(home)
        if not _same(snap, self.base.snap_a, CORE_KEYS):
            fig.partial += 1
            note("partial", "the sender's records changed")
        if (stick / "kk.kkb").exists():
            got = self._receive(folder, fig, note)
            if got is not None and not _same(got, self.expected, CORE_KEYS):
                fig.partial += 1
                note("partial", "the written bundle holds less than the whole export")
        argv, env = self.start(folder)
        if self.next_op(argv, env, fig, note):
            got = self._receive(folder, fig, note)
            if got is not None and not _same(got, self.expected, CORE_KEYS):
                fig.partial += 1
                note("partial", "the repeated export holds less than the whole export")
        self.stale([stick, home], fig, note)


class BundleImport(Op):
    name = "bundle-import"

    def start(self, folder: Path):
        home, stick = folder / "home", folder / "stick"
        if not home.exists():
            C.copy_profile(self.base.b_empty, home)
            stick.mkdir()
            shutil.copy2(self.base.bundle, stick / "kk.kkb")
        return C.cli_argv(home, "bundle", "import", stick / "kk.kkb"), C.cli_env()

    def expected_after(self, folder: Path) -> dict:
        return C.snapshot(folder / "home")

    def judge(self, folder: Path, fig: Figures, note) -> None:
        home, stick = folder / "home", folder / "stick"
        if not self.check_store(home, fig, note):
            return
        keys = CORE_KEYS + ("bundle_log", "contact")
        self.compare(C.snapshot(home), self.base.snap_b_empty, fig, note, keys)
        argv, env = self.start(folder)
        if self.next_op(argv, env, fig, note) and not _same(C.snapshot(home), self.expected, keys):
            fig.partial += 1
            note("partial", "the repeated import did not give the full set")
        self.stale([stick, home], fig, note)


class Restore(Op):
    name = "restore"

    def start(self, folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        return C.cli_argv(folder / "home", "restore", self.base.backup), C.cli_env()

    def expected_after(self, folder: Path) -> dict:
        return C.snapshot(folder / "home")

    def judge(self, folder: Path, fig: Figures, note) -> None:
        home = folder / "home"
        if C.has_profile(home):  # all of it, or else nothing: no profile
            if not self.check_store(home, fig, note):
                return
            if not _same(C.snapshot(home), self.expected, CORE_KEYS):
                fig.partial += 1
                note("partial", "the restored profile holds less than the backup")
            self.stale([home], fig, note)
            return
        argv, env = self.start(folder)  # the next restore into the same folder
        if self.next_op(argv, env, fig, note):
            if self.check_store(home, fig, note) and not _same(C.snapshot(home), self.expected, CORE_KEYS):
                fig.partial += 1
                note("partial", "the repeated restore holds less than the backup")
        self.stale([home], fig, note)


OPS = {"import-json": ImportJson, "bundle-export": BundleExport, "bundle-import": BundleImport, "restore": Restore}


def _register_gui() -> None:
    if "gui-edit" not in OPS:
        from tools.kill9_gui import GuiEdit

        OPS["gui-edit"] = GuiEdit


def kill_at_random(argv: list[str], env: dict, lo: float, hi: float, rng: random.Random) -> tuple[bool, float, int]:
    """Start `argv`, kill it after a random delay in [lo, hi]. Returns (killed, delay, code);
    for a run that ended first, the delay is how long it took."""
    delay = rng.uniform(lo, hi)
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=C.ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        proc.wait(timeout=delay)
        return False, time.perf_counter() - t0, proc.returncode
    except subprocess.TimeoutExpired:
        proc.kill()  # SIGKILL on POSIX, TerminateProcess on Windows
        proc.wait()
        return True, delay, proc.returncode


def run(trials: int = 40, ops: tuple[str, ...] = ALL_OPS, persons: int = 1500, seed: int | None = None,
        work: Path | None = None, keep: bool = False, progress=None, base: Base | None = None) -> Figures:
    """The campaign; `base` (from an earlier run or a test fixture) saves making the profiles."""
    rng = random.Random(seed)
    own = work is None
    work = Path(tempfile.mkdtemp(prefix="kkdesk-kill9-")) if own else Path(work)
    work.mkdir(parents=True, exist_ok=True)
    fig = Figures()
    try:
        base = base or Base(work / "base", persons)
        if "gui-edit" in ops:
            _register_gui()
        for name in ops:
            op = OPS[name](base)
            op.calibrate(work / f"calibrate-{name}")
            per = fig.per_op.setdefault(name, {"trials": 0, "killed": 0, "failures": 0, "t_total": round(op.t_total, 2)})
            i = -1
            # `trials` kills per operation: a run that ends before its kill still counts as a
            # trial (and is checked), and the kill window shrinks to what such runs took
            while per["killed"] < trials and per["trials"] < 3 * trials:
                i += 1
                folder = work / f"{name}-{i}"
                lines = None
                if hasattr(op, "run_trial"):  # the GUI: killed while it types, after it is up
                    delay, code = rng.uniform(0.0, 3.0), 0
                    killed, lines = op.run_trial(folder, delay)
                else:
                    argv, env = op.start(folder)
                    # a quarter of the kills anywhere, the rest after start-up and key derivation
                    lo = 0.0 if rng.random() < 0.25 else min(base.t_unlock * 0.9, op.t_total * 0.5)
                    killed, delay, code = kill_at_random(argv, env, lo, op.t_total * 1.05, rng)
                fig.trials += 1
                per["trials"] += 1
                before = fig.failures()
                if killed:
                    fig.killed += 1
                    per["killed"] += 1
                else:
                    fig.finished_before_kill += 1
                    op.t_total = min(op.t_total, delay * 0.95)

                def note(what, detail, _name=name, _i=i, _d=delay):
                    fig.problems.append({"op": _name, "trial": _i, "delay": round(_d, 3), "problem": what,
                                         "detail": detail})

                if not killed and code != 0:
                    fig.next_op_failures += 1
                    note("the uninterrupted operation failed", code)
                if lines is None:
                    op.judge(folder, fig, note)
                else:
                    op.judge(folder, fig, note, lines)
                per["failures"] += fig.failures() - before
                if not keep:
                    shutil.rmtree(folder, ignore_errors=True)
                if progress is not None:
                    progress(name, i, killed, delay)
    finally:
        if own and not keep:
            shutil.rmtree(work, ignore_errors=True)
    return fig


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="kill -9 campaign (see the module docstring)")
    p.add_argument("--trials", type=int, default=40, help="kills per operation")
    p.add_argument("--ops", default=",".join(ALL_OPS))
    p.add_argument("--persons", type=int, default=1500, help="size of the imported and exported data")
    p.add_argument("--seed", type=int)
    p.add_argument("--work", type=Path)
    p.add_argument("--keep", action="store_true", help="keep the trial folders")
    p.add_argument("--json", action="store_true")
    p.add_argument("--verbose", action="store_true")
    args = p.parse_args(argv)
    ops = tuple(o for o in args.ops.split(",") if o)
    unknown = set(ops) - set(ALL_OPS)
    if unknown:
        p.error(f"unknown operations: {sorted(unknown)}")

    def progress(name, i, killed, delay):
        if args.verbose:
            print(f"{name} #{i}: {'killed' if killed else 'finished'} at {delay:.2f} s", file=sys.stderr, flush=True)

    fig = run(args.trials, ops, args.persons, C.run_seed(args.seed), args.work, args.keep, progress)
    if args.json:
        print(json.dumps(fig.as_dict(), ensure_ascii=False, indent=1))
    else:
        print(f"trials={fig.trials} integrity_failures={fig.integrity_failures} partial={fig.partial} lost={fig.lost}")
        print(f"killed={fig.killed} finished_before_kill={fig.finished_before_kill} "
              f"stale_temp_files={fig.stale_temp_files} next_op_failures={fig.next_op_failures} "
              f"tracebacks={fig.tracebacks}")
        for name, per in fig.per_op.items():
            print(f"  {name}: {per}")
        for prob in fig.problems:
            print(f"  ! {prob}")
    return 1 if fig.failures() else 0


if __name__ == "__main__":
    sys.exit(main())
