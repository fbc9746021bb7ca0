"""Key-derivation parameters: production keys are never weakened by a switch in the
package, and unlock refuses a keys.json below the minimum (defect 5 of issue 11)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kkdesk import keys
from kkdesk.errors import ProfileError
from tests.conftest import PASSPHRASE, fastkdf_command

ROOT = Path(__file__).resolve().parents[2]


def test_the_package_has_no_switch_that_weakens_keys():
    for path in (ROOT / "kkdesk").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "INSECURE" not in text and "TEST_KDF" not in text, path


def test_new_keys_use_64_mib_three_passes_four_lanes(fast_kdf, monkeypatch):
    monkeypatch.setattr(keys, "DEFAULT_KDF", fast_kdf["DEFAULT_KDF"])
    monkeypatch.setattr(keys, "MIN_KDF", fast_kdf["MIN_KDF"])
    wrapped = keys.wrap_data_key(b"k" * 32, PASSPHRASE, "pid")
    assert wrapped["kdf"] == {"name": "argon2id", "memory_kib": 65536, "iterations": 3, "lanes": 4}
    assert keys.unwrap_data_key(wrapped, PASSPHRASE) == b"k" * 32
    assert fast_kdf["MIN_KDF"] == {"memory_kib": 19456, "iterations": 2}


@pytest.mark.parametrize("weak", [{"memory_kib": 19455}, {"iterations": 1}, {"memory_kib": 64, "iterations": 1}])
def test_unlock_refuses_keys_below_the_minimum(home, fast_kdf, monkeypatch, weak):
    from kkdesk.store import open_profile

    monkeypatch.setattr(keys, "MIN_KDF", fast_kdf["MIN_KDF"])
    data = json.loads((home / "keys.json").read_text())
    data["kdf"] = {"name": "argon2id", "memory_kib": 65536, "iterations": 3, "lanes": 4, **weak}
    (home / "keys.json").write_text(json.dumps(data))
    before = (home / "keys.json").read_bytes()
    with pytest.raises(ProfileError) as err:
        open_profile(home, PASSPHRASE)
    assert "below the minimum" in str(err.value) and "19 MiB" in str(err.value)
    assert (home / "keys.json").read_bytes() == before


def test_the_cli_without_the_patch_refuses_a_test_profile_in_one_translated_line(home, tmp_path):
    """A child run without tests.fastkdf has the production minimum: the fast test keys
    are refused, in Russian here, with exit 1 and no traceback."""
    pfile = tmp_path / "p.txt"
    pfile.write_text(PASSPHRASE)
    base = ["--home", str(home), "--passphrase-file", str(pfile), "--ui-lang", "ru", "list", "persons"]
    plain = subprocess.run([sys.executable, "-m", "kkdesk.cli", *base], capture_output=True, text=True,
                           cwd=str(ROOT), timeout=60)
    assert plain.returncode == 1 and "Traceback" not in plain.stderr
    assert len(plain.stderr.strip().splitlines()) == 1 and "keys.json" in plain.stderr
    assert "Argon2id" in plain.stderr and "below the minimum" not in plain.stderr  # translated
    patched = subprocess.run(fastkdf_command("kkdesk.cli", *base), capture_output=True, text=True, cwd=str(ROOT),
                             timeout=60)
    assert patched.returncode == 0, patched.stderr
