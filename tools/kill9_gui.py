"""The kill9 trial of a GUI edit with autosave (tools/kill9.py --ops gui-edit): a real
editor window in a child process (tools/gui_driver.py edit, offscreen) types into a
person's remarks, autosaves drafts and saves now and then; it is killed at a random
moment. Afterwards `check` passes, nothing held before is gone, every save the child
reported is in the history, the record shows the last reported save or a later one
(never a mix), and a draft left behind is whole."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

from tools import campaign as C
from tools.kill9 import Figures, Op

DRIVER = Path(__file__).resolve().parent / "gui_driver.py"


def _gui_env(folder: Path) -> dict:
    scratch = folder / "scratch"
    for sub in ("home", "tmp", "config", "cache", "data", "runtime"):
        (scratch / sub).mkdir(parents=True, exist_ok=True)
    (scratch / "runtime").chmod(0o700)
    return C.cli_env({"QT_QPA_PLATFORM": "offscreen", "HOME": str(scratch / "home"), "TMPDIR": str(scratch / "tmp"),
                      "TEMP": str(scratch / "tmp"), "TMP": str(scratch / "tmp"),
                      "XDG_CONFIG_HOME": str(scratch / "config"), "XDG_CACHE_HOME": str(scratch / "cache"),
                      "XDG_DATA_HOME": str(scratch / "data"), "XDG_RUNTIME_DIR": str(scratch / "runtime")})


def person_state(home: Path, record_id: str) -> tuple[str, list[str], dict | None]:
    """(remarks shown, remarks of every revision of the record, the draft's payload)."""
    import json

    from sqlalchemy import select

    from kkdesk.db.models import Revision
    from kkdesk.drafts import load_draft
    from kkdesk.records import content_of, find
    from kkdesk.store import open_profile

    store = open_profile(home, C.PASSPHRASE)
    try:
        with store.session() as s:
            rec = find(s, record_id)
            shown = content_of(s, rec.head).get("remarks") or ""
            history = [json.loads(r.content).get("remarks") or "" for r in s.execute(
                select(Revision).where(Revision.record_id == record_id)).scalars()]
            draft = load_draft(s, f"person:{record_id}")
            return shown, history, (draft.payload if draft is not None else None)
    finally:
        store.close()


def first_person(home: Path) -> str:
    from sqlalchemy import select

    from kkdesk.db.models import Record
    from kkdesk.store import open_profile

    store = open_profile(home, C.PASSPHRASE)
    try:
        with store.session() as s:
            return s.execute(select(Record.id).where(Record.kind == "person", Record.deleted == False)  # noqa: E712
                             .order_by(Record.id)).scalars().first()
    finally:
        store.close()


class GuiEdit(Op):
    name = "gui-edit"

    def __init__(self, base) -> None:
        super().__init__(base)
        self.record_id = first_person(base.a)
        self.original = person_state(base.a, self.record_id)[0]

    def start(self, folder: Path):
        home = folder / "home"
        if not home.exists():
            C.copy_profile(self.base.a, home)
        return [sys.executable, str(DRIVER), "edit", str(home), self.record_id], _gui_env(folder)

    def calibrate(self, folder: Path) -> None:
        """Nothing to time: the kill comes 0–3 s after the editor is up and typing."""
        self.t_total = 3.0
        self.before = C.snapshot(self.base.a)

    def run_trial(self, folder: Path, delay: float) -> tuple[bool, list[str]]:
        """Start the editor, kill it `delay` seconds after it is ready; the lines it printed."""
        argv, env = self.start(folder)
        proc = subprocess.Popen(argv, cwd=C.ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                text=True)
        lines: list[str] = []
        ready = threading.Event()

        def reader():
            for line in proc.stdout:
                lines.append(line.rstrip("\n"))
                if line.startswith("READY"):
                    ready.set()

        t = threading.Thread(target=reader, daemon=True)
        t.start()
        ready.wait(120)
        time.sleep(delay)
        killed = proc.poll() is None
        proc.kill()
        proc.wait()
        t.join(5)
        proc.stdout.close()
        return killed, lines

    def judge(self, folder: Path, fig: Figures, note, lines: list[str] | None = None) -> None:
        home = folder / "home"
        if "READY" not in (lines or []):
            fig.next_op_failures += 1
            note("the editor did not start", lines)
        if not self.check_store(home, fig, note):
            return
        snap = C.snapshot(home)
        lost = len(self.before["revision"] - snap["revision"])
        if lost:
            fig.lost += lost
            note("lost", f"{lost} revisions held before are gone")
        saved = [ln.split(" ", 2)[2] if ln.count(" ") >= 2 else "" for ln in (lines or []) if ln.startswith("SAVED")]
        fig.gui_saves_reported += len(saved)
        shown, history, draft = person_state(home, self.record_id)
        missing = [t for t in saved if t not in history]
        if missing:
            fig.lost += len(missing)
            note("lost", f"{len(missing)} reported saves are not in the history")
        original = self.original
        if saved and not shown.startswith(saved[-1]):
            fig.partial += 1
            note("partial", "the record shows neither the last reported save nor a later one")
        if not shown.startswith(original):
            fig.partial += 1
            note("partial", "the record's text is not one the editor saved")
        if draft is not None and not str((draft.get("values") or {}).get("remarks", "")).startswith(original):
            fig.partial += 1
            note("partial", "the draft is not a text the editor held")
        if not self.next_op(C.cli_argv(home, "list", "persons"), C.cli_env(), fig, note):
            return
        self.stale([home], fig, note)
