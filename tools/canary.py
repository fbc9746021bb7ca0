"""Canary scan: is any plaintext case data left on disk where the user did not ask for it?

    nice python tools/canary.py [--work DIR] [--keep] [--no-gui] [--json]

Puts a unique Latin and a unique Cyrillic canary into every text field of every kind of
record (persons, organisations, courts, cases, threats, hearings, medical examinations,
sources, attachments: the example document of the tests with the canaries added, and an
attached file), drives the CLI flows (import-json, list, show, search, stats, export-json,
PDF sheets, attach add/get, bundle export and import, backup, restore, passphrase change,
check) and the GUI flows (tools/canary_gui.py in a child process under
QT_QPA_PLATFORM=offscreen: the main window and its lists and search, a record edited with
autosave, hearing notes, the PDF preview, an attachment added and saved, a bundle export,
lock), with HOME, the XDG folders and TMP pointed into a scratch folder. Then it scans
the profile, the scratch home (Qt's settings and cache folders, ~/.cache), the temp folders
and the system temp folder (files changed since the start) for the canaries, as UTF-8 and
UTF-16 LE/BE, in the case given, lower case and kkdesk's search folding. Files the user
asked for (the JSON export, the PDFs, the saved attachment copy, the file attached) are
not scanned: holding the data is what they are for. Prints `files_scanned, hits` and the
hits. Real Argon2id keys. Importable: `run(gui=…, work=…)` returns the figures."""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tools import campaign as C  # noqa: E402

EXAMPLE = C.ROOT / "tests" / "data" / "interchange-example.json"
DOC_KINDS = {"persons": "person", "organisations": "organisation", "courts": "court", "cases": "case",
             "threats": "threat", "hearings": "hearing", "medical": "medical", "sources": "source"}
MAX_SCAN = 512 * 1024 * 1024  # bytes read per file


def make_canaries() -> tuple[str, str]:
    token = secrets.token_hex(6)
    cyr = "".join("АБВГДЕЖЗИКЛМНПРСТ"[int(c, 16)] for c in token)
    return f"CanaryLat{token}Qz", f"Канарейка{cyr}Жщ"


def _text_fields(entity) -> dict:
    from kkdesk import schema as S

    return {f.name: f for f in entity.fields if f.type in (S.TEXT, S.LONGTEXT, S.TEXTS, S.CHILDREN)}


# fields that take a format (or a code) the import checks; a canary there would only be refused
_SKIP = {"record_no", "email", "phone", "citizenship", "sha256", "original_filename", "mime_type", "url",
         "legal_article", "article_part"}


def inject(doc: dict, latin: str, cyrillic: str) -> dict:
    """The document with a canary appended to every free-text field (alternating)."""
    from kkdesk import schema as S

    n = [0]

    def canary() -> str:
        n[0] += 1
        return latin if n[0] % 2 else cyrillic

    def walk(entity, row: dict) -> None:
        for name, f in _text_fields(entity).items():
            if name in _SKIP or name not in row and f.type != S.LONGTEXT:
                continue
            value = row.get(name)
            if f.type == S.CHILDREN:
                for child in value or ():
                    if isinstance(child, dict):
                        walk(f.child, child)
            elif f.type == S.TEXTS:
                row[name] = list(value or ()) + [canary()]
            else:
                row[name] = f"{value} {canary()}" if value else canary()

    doc = json.loads(json.dumps(doc))
    for list_name, kind in DOC_KINDS.items():
        for row in doc.get(list_name, ()):
            walk(S.TOP_LEVEL[kind], row)
    return doc


def variants(latin: str, cyrillic: str) -> dict[str, bytes]:
    """What a leak looks like on disk: each canary as typed, lower case and search-folded,
    in UTF-8, UTF-16 LE and UTF-16 BE."""
    from kkdesk.searchtext import fold

    out: dict[str, bytes] = {}
    for name, text in (("latin", latin), ("cyrillic", cyrillic)):
        forms = {"": text, "lower": text.lower(), "folded": fold(text).strip()}
        for form, value in forms.items():
            if not value:
                continue
            for enc in ("utf-8", "utf-16-le", "utf-16-be"):
                key = f"{name}{'-' + form if form else ''}/{enc}"
                out[key] = value.encode(enc)
    # drop duplicates (lower == as typed, and so on), keeping the first name
    seen: dict[bytes, str] = {}
    for key, data in out.items():
        seen.setdefault(data, key)
    return {key: data for data, key in seen.items()}


@dataclass
class Figures:
    files_scanned: int = 0
    bytes_scanned: int = 0
    hits: list = field(default_factory=list)
    flows: dict = field(default_factory=dict)
    kinds_with_canary: list = field(default_factory=list)
    excluded: list = field(default_factory=list)
    control_files_with_canary: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return dict(self.__dict__, hits_count=len(self.hits))


def scan(roots: list[Path], needles: dict[str, bytes], fig: Figures, exclude: set[Path], since: float | None = None,
         system_tmp: bool = False, skip_dirs: tuple[Path, ...] = (), max_size: int | None = None) -> None:
    longest = max(len(v) for v in needles.values())
    skip = {d.resolve() for d in skip_dirs}
    for root in roots:
        try:
            device = root.stat().st_dev
        except OSError:
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            # not into other file systems (another program's chroot with /proc mounted) nor skipped folders
            dirnames[:] = [d for d in dirnames if (Path(dirpath) / d).resolve() not in skip
                           and _same_device(Path(dirpath) / d, device)]
            for name in filenames:
                path = Path(dirpath) / name
                if path.resolve() in exclude:
                    continue
                try:
                    st = path.lstat()
                    if not path.is_file() or path.is_symlink():
                        continue
                    if since is not None and st.st_mtime < since:
                        continue
                    if st.st_size == 0 or (max_size is not None and st.st_size > max_size):
                        continue  # empty (or a kernel file that would block) / too big for the temp sweep
                    with open(path, "rb") as fh:
                        fig.files_scanned += 1
                        tail = b""
                        read = 0
                        while read < MAX_SCAN:
                            block = fh.read(1 << 20)
                            if not block:
                                break
                            read += len(block)
                            data = tail + block
                            for key, needle in needles.items():
                                if needle in data:
                                    fig.hits.append({"file": str(path), "canary": key,
                                                     "where": "system temp" if system_tmp else str(root)})
                            tail = data[-longest:]
                        fig.bytes_scanned += read
                except OSError:
                    continue
    # one line per (file, canary)
    uniq = {(h["file"], h["canary"]): h for h in fig.hits}
    fig.hits = sorted(uniq.values(), key=lambda h: (h["file"], h["canary"]))


def _same_device(path: Path, device: int) -> bool:
    try:
        st = path.lstat()
    except OSError:
        return False
    return st.st_dev == device and not path.is_symlink()


class Scratch:
    """A fake user: home, XDG folders and temp folders inside one scratch folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.home = root / "home"
        self.tmp = root / "tmp"
        self.profile = root / "profile"
        self.out = root / "out"        # what the user asked to be written (PDFs, exports): partly excluded
        self.input = root / "input"    # the user's own files (attached): not scanned
        self.dirs = {"XDG_CONFIG_HOME": self.home / ".config", "XDG_CACHE_HOME": self.home / ".cache",
                     "XDG_DATA_HOME": self.home / ".local" / "share", "XDG_STATE_HOME": self.home / ".local" / "state",
                     "XDG_RUNTIME_DIR": root / "runtime"}
        for d in (self.home, self.tmp, self.out, self.input, *self.dirs.values()):
            d.mkdir(parents=True, exist_ok=True)
        self.dirs["XDG_RUNTIME_DIR"].chmod(0o700)

    def env(self) -> dict[str, str]:
        extra = {"HOME": str(self.home), "USERPROFILE": str(self.home), "TMPDIR": str(self.tmp), "TEMP": str(self.tmp),
                 "TMP": str(self.tmp), "KKDESK_HOME": str(self.profile), "QT_QPA_PLATFORM": "offscreen",
                 "APPDATA": str(self.home / "AppData" / "Roaming"), "LOCALAPPDATA": str(self.home / "AppData" / "Local")}
        extra.update({k: str(v) for k, v in self.dirs.items()})
        return C.cli_env(extra)


def cli_flows(sc: Scratch, latin: str, cyrillic: str, fig: Figures) -> list[Path]:
    """The command-line flows; returns the files written at the user's request."""
    env = sc.env()
    asked: list[Path] = []

    def run(*args, home=sc.profile, ok=True, flow=None):
        r = C.cli(home, *args, env=env)
        name = flow or str(args[0])
        fig.flows.setdefault(name, "ok")
        if (ok and r.code != 0) or C.is_traceback(r.err):
            fig.flows[name] = f"exit {r.code}: {r.err.strip()[-200:]}"
        return r

    run("init", "--name", f"Monitor {latin}", "--ui-lang", "kk")
    doc = inject(json.loads(EXAMPLE.read_text(encoding="utf-8")), latin, cyrillic)
    for _attempt in range(5):  # drop the canary from fields the import refuses it in
        path = C.write_json(sc.input / "canary.json", doc)
        r = run("import-json", path, "--json", ok=False)
        if r.code == 0:
            fig.flows["import-json"] = "ok"
            break
        refused = [ln.strip().split(":", 1)[0] for ln in r.err.splitlines()[1:] if ":" in ln]
        if not refused:
            fig.flows["import-json"] = f"exit {r.code}: {r.err.strip()[-300:]}"
            break
        doc = _strip_paths(doc, refused, latin, cyrillic)
    fig.kinds_with_canary = sorted(k for k in DOC_KINDS.values() if _kind_has(doc, k, latin, cyrillic))
    listing = json.loads(run("list", "persons", "--json").out or "[]")
    person_id = _first_id(listing)
    cases = json.loads(run("list", "cases", "--json").out or "[]")
    hearings = json.loads(run("list", "hearings", "--json").out or "[]")
    medical = json.loads(run("list", "medical", "--json").out or "[]")
    run("search", latin)
    run("search", cyrillic)
    run("stats", "--by", "year", "--all-statuses")
    if person_id:
        run("show", person_id)
        run("history", person_id)
        attached = sc.input / f"scan-{latin}.txt"
        attached.write_text(f"{latin} {cyrillic} attached file\n", encoding="utf-8")
        run("attach", "add", person_id, attached, "--description", f"{cyrillic} {latin}")
        atts = json.loads(run("list", "attachments", "--json", ok=False).out or "[]")
        if _first_id(atts):
            asked.append(sc.out / "copy.txt")
            run("attach", "get", _first_id(atts), "--out", asked[-1])
        for kind, rid in (("person", person_id), ("case", _first_id(cases)), ("hearing", _first_id(hearings)),
                          ("medical", _first_id(medical))):
            if rid:
                asked.append(sc.out / f"{kind}.pdf")
                run("pdf", kind, rid, "--lang", "ru", "--out", asked[-1], flow=f"pdf {kind}")
    asked.append(sc.out / "export.json")
    run("export-json", "--out", asked[-1])
    # sync: a second profile in the scratch folder receives a bundle
    office = sc.root / "office"
    run("init", "--name", "Office", "--ui-lang", "ru", home=office, flow="init office")
    me = json.loads(run("identity", "show", "--json").out)
    them = json.loads(run("identity", "show", "--json", home=office).out)
    run("contacts", "add", "Office", "--recipient", them["age_recipient"], "--signing-key", them["signing_key"],
        "--verified", flow="contacts add")
    run("contacts", "add", "Monitor", "--recipient", me["age_recipient"], "--signing-key", me["signing_key"],
        "--verified", home=office, flow="contacts add")
    stick = sc.root / "stick"
    stick.mkdir(exist_ok=True)
    run("bundle", "export", "--to", "Office", "--all", "--out", stick / "kk.kkb", flow="bundle export")
    run("bundle", "import", stick / "kk.kkb", home=office, flow="bundle import")
    run("backup", "--out", stick / "backup.tar")
    run("restore", stick / "backup.tar", home=sc.root / "restored")
    newpass = sc.input / "new-pass.txt"
    newpass.write_text(C.PASSPHRASE + " new\n", encoding="utf-8")
    run("passphrase", "change", "--new-passphrase-file", newpass, home=sc.root / "restored", flow="passphrase change")
    run("check")
    return asked


def _strip_paths(doc: dict, paths: list[str], latin: str, cyrillic: str) -> dict:
    import re

    for path in paths:
        obj: object = doc
        parts = re.findall(r"([^.\[\]]+)|\[(\d+)\]", path)
        try:
            for i, (key, idx) in enumerate(parts):
                last = i == len(parts) - 1
                if last and isinstance(obj, dict) and key in obj:
                    value = obj[key]
                    if isinstance(value, list):
                        obj[key] = [v for v in value if v not in (latin, cyrillic)]
                    elif isinstance(value, str):
                        obj[key] = value.replace(f" {latin}", "").replace(f" {cyrillic}", "").replace(
                            latin, "").replace(cyrillic, "") or None
                        if obj[key] is None:
                            del obj[key]
                    break
                obj = obj[int(idx)] if idx else obj[key]  # type: ignore[index]
        except (KeyError, IndexError, TypeError, ValueError):
            continue
    return doc


def _kind_has(doc: dict, kind: str, latin: str, cyrillic: str) -> bool:
    list_name = next(k for k, v in DOC_KINDS.items() if v == kind)
    text = json.dumps(doc.get(list_name, []), ensure_ascii=False)
    return latin in text or cyrillic in text


def _first_id(listing) -> str | None:
    rows = listing.get("records", listing.get("rows", [])) if isinstance(listing, dict) else listing
    for row in rows or ():
        if isinstance(row, dict):
            for key in ("id", "record_id", "record_no"):
                if row.get(key):
                    return str(row[key])
    return None


def gui_flows(sc: Scratch, latin: str, cyrillic: str, fig: Figures, timeout: float = 600) -> list[Path]:
    import subprocess

    driver = Path(__file__).resolve().parent / "gui_driver.py"
    proc = subprocess.run([sys.executable, str(driver), "canary", str(sc.profile), str(sc.root), latin, cyrillic],
                          cwd=C.ROOT, env=sc.env(), capture_output=True, timeout=timeout)
    out = proc.stdout.decode("utf-8", "replace")
    asked = []
    for line in out.splitlines():
        if line.startswith("FLOW "):
            _, name, status = line.split(" ", 2)
            fig.flows[f"gui {name}"] = status
        elif line.startswith("ASKED "):
            asked.append(Path(line.split(" ", 1)[1]))
    if proc.returncode != 0:
        fig.flows["gui process"] = f"exit {proc.returncode}: {proc.stderr.decode('utf-8', 'replace')[-600:]}"
    return asked


def run(gui: bool = True, work: Path | None = None, keep: bool = False, system_temp: bool = True) -> Figures:
    """One pass. `system_temp=False` leaves out the sweep of the system temp folder (slow
    on a shared machine; the pass's own TMP is always scanned)."""
    fig = Figures()
    t0 = time.time()
    own = work is None
    work = Path(tempfile.mkdtemp(prefix="kkdesk-canary-")) if own else Path(work)
    work.mkdir(parents=True, exist_ok=True)
    latin, cyrillic = make_canaries()
    try:
        sc = Scratch(work / "scratch")
        asked = cli_flows(sc, latin, cyrillic, fig)
        if gui:
            asked += gui_flows(sc, latin, cyrillic, fig)
        exclude = {p.resolve() for p in asked} | {p.resolve() for p in sc.input.iterdir()}
        fig.excluded = sorted(str(p) for p in exclude)
        needles = variants(latin, cyrillic)
        scan([sc.root], needles, fig, exclude)
        # the system temp folder too (a library that ignores TMPDIR): what changed since the
        # start, this run's own folder aside; on a shared machine other programs write there
        if system_temp:
            scan([Path(tempfile.gettempdir())], needles, fig, exclude, since=t0 - 1, system_tmp=True,
                 skip_dirs=(work,), max_size=64 << 20)
        control = Figures()  # the scanner sees the canaries where they belong (the user's exports)
        scan([sc.out], needles, control, set())
        fig.control_files_with_canary = len({h["file"] for h in control.hits})
    finally:
        fig.seconds = round(time.time() - t0, 1)
        if own and not keep and not fig.hits:
            shutil.rmtree(work, ignore_errors=True)
    return fig


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="canary scan (see the module docstring)")
    p.add_argument("--work", type=Path)
    p.add_argument("--keep", action="store_true")
    p.add_argument("--no-gui", action="store_true")
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    fig = run(gui=not args.no_gui, work=args.work, keep=args.keep)
    failed = {k: v for k, v in fig.flows.items() if v != "ok"}
    if args.json:
        print(json.dumps(fig.as_dict(), ensure_ascii=False, indent=1))
    else:
        print(f"files_scanned={fig.files_scanned} hits={len(fig.hits)}")
        print(f"kinds with canaries: {', '.join(fig.kinds_with_canary)}; flows: {len(fig.flows)} "
              f"({len(failed)} failed); {fig.bytes_scanned} bytes; {fig.seconds} s")
        for hit in fig.hits:
            print(f"  ! {hit['file']}: {hit['canary']}")
        for name, status in failed.items():
            print(f"  flow {name}: {status}")
    return 1 if fig.hits or failed else 0


if __name__ == "__main__":
    sys.exit(main())
