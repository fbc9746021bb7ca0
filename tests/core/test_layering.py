"""The core never imports Qt: every module outside kkdesk.ui imports in a fresh
interpreter without loading PySide6."""

import pkgutil
import subprocess
import sys

import kkdesk


def core_modules():
    for info in pkgutil.walk_packages(kkdesk.__path__, "kkdesk."):
        name = info.name
        if name.startswith("kkdesk.ui") or ".migrations.versions" in name or name.endswith("migrations.env"):
            continue
        yield name


def test_core_does_not_import_qt():
    mods = sorted(core_modules())
    assert "kkdesk.records" in mods and "kkdesk.cli" in mods
    code = "import importlib, sys\n" + "".join(f"importlib.import_module({m!r})\n" for m in mods) + \
        "print('PySide6' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False", out.stderr
