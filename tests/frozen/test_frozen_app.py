"""The frozen desktop build (PyInstaller, packaging/kkdesk.spec) holds everything kkdesk needs.

Builds `dist/kkdesk/` into a temporary folder (a few minutes), then runs the frozen programs
away from the checkout, with no Python on their path: `kkdesk-cli` creates a profile, imports
interchange JSON, prints a Kazakh case sheet and carries records to a second profile in a
bundle (vocabularies, migrations, fonts, catalogues, SQLCipher and age all inside), and the
frozen `kkdesk` opens its first-run window under a real X server (Xvfb).

Not part of the default run (`-m "not frozen"` in pyproject.toml); `.ci/run` runs it with
`pytest -m frozen tests/frozen`. Set KKDESK_FROZEN_DIST=dist/kkdesk to test a folder already built.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.frozen

ROOT = Path(__file__).resolve().parent.parent.parent
EXAMPLE = ROOT / "tests" / "data" / "interchange-example.json"
PASSPHRASE = "correct horse battery staple"
EXE = ".exe" if sys.platform == "win32" else ""


@pytest.fixture(scope="module")
def frozen(tmp_path_factory) -> Path:
    given = os.environ.get("KKDESK_FROZEN_DIST")
    if given:
        return Path(given).resolve()
    pytest.importorskip("PyInstaller", reason="PyInstaller is not installed (pip install pyinstaller)")
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        from build_app import build
    finally:
        sys.path.pop(0)
    work = tmp_path_factory.mktemp("pyinstaller")
    return build(dist=work / "dist", work=work / "build", quiet=True)


def _env(tmp: Path, **extra: str) -> dict[str, str]:
    """A plain environment: no PYTHONPATH, no virtualenv, the cheap test KDF, a fresh HOME."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "KKDESK_HOME", "QT_QPA_PLATFORM")}
    env.update(HOME=str(tmp / "user"), XDG_DATA_HOME=str(tmp / "user" / "data"),
               XDG_CONFIG_HOME=str(tmp / "user" / "config"), **extra)
    (tmp / "user").mkdir(exist_ok=True)
    return env


def _cli(frozen: Path, tmp: Path, home: Path, *args: str) -> str:
    pf = tmp / "passphrase.txt"
    pf.write_text(PASSPHRASE + "\n", encoding="utf-8")
    proc = subprocess.run([str(frozen / f"kkdesk-cli{EXE}"), "--home", str(home), "--passphrase-file", str(pf),
                           *args], capture_output=True, text=True, encoding="utf-8", cwd=str(tmp),
                          env=_env(tmp), timeout=300)
    assert proc.returncode == 0, (args, proc.stdout[-2000:], proc.stderr[-3000:])
    return proc.stdout


def test_frozen_folder_holds_both_programs_and_no_translator_files(frozen):
    assert (frozen / f"kkdesk{EXE}").is_file() and (frozen / f"kkdesk-cli{EXE}").is_file()
    assert "GNU GENERAL PUBLIC LICENSE" in (frozen / "LICENSE.txt").read_text(encoding="utf-8")
    shipped = [p.relative_to(frozen).as_posix() for p in frozen.rglob("*") if p.is_file()]
    for needed in ("kkdesk/resources/vocabularies.json", "kkdesk/resources/fonts/DejaVuSans.ttf",
                   "kkdesk/resources/bodymap/outlines.json", "kkdesk/resources/icons/kkdesk.svg",
                   "kkdesk/translations/kk/LC_MESSAGES/kkdesk.mo", "kkdesk/db/migrations/env.py"):
        assert any(s.endswith(needed) for s in shipped), needed
    assert not [s for s in shipped if s.endswith((".po", ".pot")) or "/translations/pending/" in s]
    locale_data = {Path(s).name for s in shipped if "/babel/locale-data/" in s}
    assert {"kk.dat", "ru.dat", "en.dat", "root.dat"} <= locale_data and "de.dat" not in locale_data  # trimmed


def test_frozen_cli_init_import_pdf_and_bundle_round_trip(frozen, tmp_path):
    from pypdf import PdfReader

    a, b = tmp_path / "aigerim", tmp_path / "bolat"
    said = _cli(frozen, tmp_path, a, "init", "--name", "Aigerim", "--ui-lang", "kk")  # migrations, kk catalogue
    assert "Профиль құрылды" in said and (a / "kkdesk.db").is_file()
    _cli(frozen, tmp_path, b, "init", "--name", "Bolat", "--ui-lang", "ru")
    _cli(frozen, tmp_path, a, "import-json", str(EXAMPLE), "--json")  # vocabularies, rules
    persons = json.loads(_cli(frozen, tmp_path, a, "list", "persons", "--json"))
    assert len(persons) == len(json.loads(EXAMPLE.read_text(encoding="utf-8"))["persons"])
    aigerim = next(p for p in persons if p.get("name_latin") == "Aigerim Seitkali")

    sheet = tmp_path / "sheet.pdf"
    _cli(frozen, tmp_path, a, "pdf", "person", aigerim["record_no"], "--lang", "kk", "--out", str(sheet))
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(sheet.read_bytes())).pages)
    assert "Тұлға карточкасы" in text and "Айгерім Сейітқали" in text  # kk catalogue, DejaVu glyphs
    assert b"DejaVuSans" in sheet.read_bytes()

    ids = {h: json.loads(_cli(frozen, tmp_path, h, "identity", "show", "--json")) for h in (a, b)}
    _cli(frozen, tmp_path, a, "contacts", "add", "Bolat", "--recipient", ids[b]["age_recipient"],
         "--signing-key", ids[b]["signing_key"])
    _cli(frozen, tmp_path, b, "contacts", "add", "Aigerim", "--recipient", ids[a]["age_recipient"],
         "--signing-key", ids[a]["signing_key"])
    bundle = tmp_path / "a-to-b.kkb"
    _cli(frozen, tmp_path, a, "bundle", "export", "--to", "Bolat", "--out", str(bundle))  # age (pyrage)
    assert b"Seitkali" not in bundle.read_bytes()  # encrypted
    _cli(frozen, tmp_path, b, "bundle", "import", str(bundle), "--json")
    received = json.loads(_cli(frozen, tmp_path, b, "list", "persons", "--json"))
    assert {p["id"] for p in received} == {p["id"] for p in persons}
    assert aigerim["record_no"] in _cli(frozen, tmp_path, b, "search", "Seitkali")  # the SQLCipher FTS index

    # the yearly reports (XlsxWriter, reportlab charts, kk-Latn) and a legacy sheet (openpyxl)
    book, pack = tmp_path / "r1.xlsx", tmp_path / "r1.pdf"
    _cli(frozen, tmp_path, a, "report", "R1", "--all-statuses", "--lang", "kk-Latn", "--xlsx", str(book))
    _cli(frozen, tmp_path, a, "report", "R2", "--all-statuses", "--lang", "kk", "--pdf", str(pack))
    assert book.read_bytes()[:2] == b"PK" and pack.read_bytes()[:5] == b"%PDF-"
    import openpyxl

    legacy = tmp_path / "legacy.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Дата", "ФИО", "Вид угрозы"])
    wb.active.append(["12.03.2021", "Иванов Иван", "Угроза"])
    wb.save(legacy)
    _cli(frozen, tmp_path, a, "import-sheet", str(legacy), "--suggest-mapping", "--out", str(tmp_path / "map.json"))
    assert json.loads((tmp_path / "map.json").read_text(encoding="utf-8"))["format"] == "kkdesk-sheet-mapping"


def test_frozen_folder_carries_the_chart_library(frozen):
    """pyqtgraph (pure Python, in the archive) draws with numpy, whose compiled parts are files."""
    shipped = [p.relative_to(frozen).as_posix() for p in frozen.rglob("*") if p.is_file()]
    assert any("numpy" in s and s.endswith((".so", ".pyd")) for s in shipped)


@pytest.mark.skipif(not (shutil.which("Xvfb") and shutil.which("xdotool")), reason="needs Xvfb and xdotool")
def test_frozen_gui_opens_the_first_run_window_under_x(frozen, tmp_path):
    display = f":{90 + os.getpid() % 500}"
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1366x768x24", "-nolisten", "tcp", "-noreset"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    app = None
    try:
        time.sleep(1.0)
        env = _env(tmp_path, DISPLAY=display, KKDESK_HOME=str(tmp_path / "fresh-profile"), LANG="en_US.UTF-8")
        app = subprocess.Popen([str(frozen / f"kkdesk{EXE}")], env=env, cwd=str(tmp_path),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        found, deadline = "", time.monotonic() + 60
        while time.monotonic() < deadline and app.poll() is None:
            probe = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "Welcome to kkdesk"],
                                   env={"DISPLAY": display, "PATH": os.environ.get("PATH", "")},
                                   capture_output=True, text=True)
            found = probe.stdout.strip()
            if found:
                break
            time.sleep(0.3)
        if not found:
            app.kill()
            pytest.fail("no first-run window; the app said:\n" + app.communicate()[0].decode(errors="replace")[-3000:])
        assert not (tmp_path / "fresh-profile" / "profile.json").exists()  # nothing made before the user asks
    finally:
        if app is not None and app.poll() is None:
            app.terminate()
            try:
                app.wait(10)
            except subprocess.TimeoutExpired:
                app.kill()
        xvfb.terminate()
        xvfb.wait(10)
