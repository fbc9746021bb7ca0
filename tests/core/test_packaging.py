"""The built wheel carries resources and translations inside the package, and the
installed package finds them without the checkout."""

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def test_wheel_contains_resources_and_translations(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                           "-w", str(tmp_path), str(ROOT)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    wheel = next(tmp_path.glob("kkdesk-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("kkdesk/resources/vocabularies.json", "kkdesk/resources/fonts/DejaVuSans.ttf",
                   "kkdesk/resources/fonts/DejaVuSans-Bold.ttf", "kkdesk/resources/bodymap/outlines.json",
                   "kkdesk/resources/icons/kkdesk.svg", "kkdesk/resources/icons/kkdesk-256.png",
                   "kkdesk/translations/kk/LC_MESSAGES/kkdesk.mo", "kkdesk/translations/ru/LC_MESSAGES/kkdesk.mo",
                   "kkdesk/translations/en/LC_MESSAGES/kkdesk.mo",
                   "kkdesk/db/migrations/env.py", "kkdesk/db/migrations/script.py.mako"):
        assert needed in names, needed
    assert any(n.startswith("kkdesk/db/migrations/versions/0001") for n in names)
    # the licence travels with the wheel (PEP 639), and its metadata says which one
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    license_text = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith(".dist-info/licenses/LICENSE")))
    assert b"GNU GENERAL PUBLIC LICENSE" in license_text and b"Version 3" in license_text
    metadata = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert "License-Expression: GPL-3.0-or-later" in metadata
    assert "Classifier: Operating System :: Microsoft :: Windows" in metadata
    # translator-only files stay out: no .po, no messages.pot, no pending translations
    translator_only = [n for n in names if n.endswith((".po", ".pot")) or "/pending/" in n]
    assert translator_only == []
    assert (ROOT / "translations" / "messages.pot").is_file()  # ...they exist, and were left out
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry).decode()
    assert "kkdesk-cli = kkdesk.cli:main" in text and "kkdesk = kkdesk.__main__:main" in text
    # the installed package finds its data without the checkout
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    code = ("import kkdesk.resources as r, kkdesk.i18n as i;"
            "print(r.resource_path('vocabularies.json'));"
            "print(i.gettext_for('ru')('Wrong passphrase: the store could not be unlocked.'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=str(target),
                         env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"}, timeout=60)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].startswith(str(target)) and lines[1].startswith("Неверная")
