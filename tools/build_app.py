"""Build the frozen desktop app with PyInstaller: `python tools/build_app.py`.

Writes `dist/kkdesk/` in the repository (the folder to hand out, or to wrap with the Inno Setup
script on Windows) holding `kkdesk` (windowed) and `kkdesk-cli` (console). Needs the project's
dependencies and PyInstaller in the running Python (`pip install . pyinstaller`).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build(dist: Path = ROOT / "dist", work: Path = ROOT / "build" / "pyinstaller", quiet: bool = False) -> Path:
    """Build into `dist`/kkdesk and return that folder."""
    if (ROOT / "translations").is_dir() and not any((ROOT / "translations").glob("*/LC_MESSAGES/*.mo")):
        raise SystemExit("no compiled catalogues: run `python tools/i18n.py` first")
    target = dist / "kkdesk"
    if target.exists():
        shutil.rmtree(target)
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean",
           "--distpath", str(dist), "--workpath", str(work),
           "--log-level", "WARN" if quiet else "INFO", str(ROOT / "packaging" / "kkdesk.spec")]
    subprocess.run(cmd, check=True, cwd=ROOT)
    shutil.copyfile(ROOT / "LICENSE", target / "LICENSE.txt")  # GPL-3.0-or-later: the terms travel with it
    return target


def main() -> int:
    target = build()
    exe = ".exe" if sys.platform == "win32" else ""
    print(f"built {target}: {target / ('kkdesk' + exe)} and {target / ('kkdesk-cli' + exe)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
