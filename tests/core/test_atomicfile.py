"""The atomic writer: what a killed kkdesk leaves is removed by the next export or
import in that folder (and only kkdesk's own stale temp files); a target held open
by another program (Windows) is tried again, then refused in one line."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kkdesk import atomicfile
from kkdesk.atomicfile import is_temp_name, remove_stale, replacing, write_atomic
from kkdesk.errors import StorageError
from kkdesk.store import backup
from tests.core.test_sync_support import export, import_, person, trio, trio_template  # noqa: F401 (fixtures)

ROOT = Path(__file__).resolve().parents[2]


def killed_while_writing(target: Path) -> list[str]:
    """A process that dies inside `replacing` (os._exit skips every finally, as
    kill -9 does); returns the names it left in the folder."""
    code = ("import os, sys\nfrom pathlib import Path\nfrom kkdesk.atomicfile import replacing\n"
            "with replacing(Path(sys.argv[1])) as fh:\n    fh.write(b'half a bundle')\n    fh.flush()\n"
            "    os._exit(9)\n")
    before = set(os.listdir(target.parent))
    proc = subprocess.run([sys.executable, "-c", code, str(target)], cwd=ROOT, capture_output=True)
    assert proc.returncode == 9, proc.stderr
    left = sorted(set(os.listdir(target.parent)) - before)
    assert len(left) == 1 and is_temp_name(left[0]), left
    return left


def test_next_export_removes_a_killed_exports_temp_file(trio, tmp_path):
    stick = tmp_path / "stick"
    stick.mkdir()
    person(trio["a"], "Person 1")
    killed_while_writing(stick / "kk.kkb")
    export(trio["a"], "b", stick / "kk.kkb")
    assert os.listdir(stick) == ["kk.kkb"]


def test_next_import_removes_a_killed_exports_temp_file(trio, tmp_path):
    stick = tmp_path / "stick"
    stick.mkdir()
    person(trio["a"], "Person 1")
    export(trio["a"], "b", stick / "kk.kkb")
    killed_while_writing(stick / "other.kkb")
    import_(trio["b"], stick / "kk.kkb")
    assert os.listdir(stick) == ["kk.kkb"]


def test_next_backup_removes_a_killed_backups_snapshot_folder(store, tmp_path):
    out = tmp_path / "backups"
    out.mkdir()
    code = ("import os, sys\nfrom pathlib import Path\nfrom kkdesk.atomicfile import scratch_dir\n"
            "with scratch_dir(Path(sys.argv[1])) as d:\n    (d / 'kkdesk.db').write_bytes(b'x' * 100)\n"
            "    os._exit(9)\n")
    assert subprocess.run([sys.executable, "-c", code, str(out)], cwd=ROOT).returncode == 9
    assert len(os.listdir(out)) == 1 and is_temp_name(os.listdir(out)[0])
    backup(store, out / "b.tar")
    assert os.listdir(out) == ["b.tar"]


def test_only_kkdesks_own_stale_names_are_removed(tmp_path):
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        keep = [".report.pdf.part", ".kk.kkb.abc.part", "kk.kkb", f".kk.kkb.{live.pid}.abcd1234.kkdesk-tmp",
                f".kk.kkb.{os.getpid()}.abcd1234.kkdesk-tmp", ".kk.kkb.12.abcd1234.kkdesk-tmp.bak",
                "kk.kkb.999999.abcd1234.kkdesk-tmp"]
        gone = [".kk.kkb.999999999.abcd1234.kkdesk-tmp", ".x.y.4194305.zz_99_aa.kkdesk-tmp"]
        for name in keep + gone:
            (tmp_path / name).write_bytes(b"x")
        old = tmp_path / f".old.pdf.{live.pid}.abcdefgh.kkdesk-tmp"  # a live pid, untouched for two days
        old.write_bytes(b"x")
        os.utime(old, (time.time() - 2 * 86400,) * 2)
        removed = remove_stale(tmp_path)
        assert sorted(p.name for p in removed) == sorted(gone + [old.name])
        assert sorted(os.listdir(tmp_path)) == sorted(keep)
    finally:
        live.kill()
        live.wait()


def test_a_write_sweeps_its_folder(tmp_path):
    (tmp_path / ".keys.json.999999999.abcd1234.kkdesk-tmp").write_bytes(b"x")
    write_atomic(tmp_path / "keys.json", b"{}")
    assert os.listdir(tmp_path) == ["keys.json"]


def _denied(*args, **kwargs):
    raise PermissionError(13, "The process cannot access the file because it is being used by another process")


def test_replace_held_open_elsewhere_is_tried_again(tmp_path, monkeypatch):
    target = tmp_path / "sheet.pdf"
    target.write_bytes(b"old")
    real, calls = os.replace, []

    def flaky(src, dst):
        calls.append(dst)
        if len(calls) < 3:
            _denied()
        real(src, dst)

    monkeypatch.setattr(atomicfile.os, "replace", flaky)
    monkeypatch.setattr(atomicfile.time, "sleep", lambda s: None)
    write_atomic(target, b"new")
    assert len(calls) == 3 and target.read_bytes() == b"new" and os.listdir(tmp_path) == ["sheet.pdf"]


def test_replace_held_open_for_good_is_one_clear_line(tmp_path, monkeypatch):
    target = tmp_path / "sheet.pdf"
    target.write_bytes(b"old")
    waits: list[float] = []
    monkeypatch.setattr(atomicfile.os, "replace", _denied)
    monkeypatch.setattr(atomicfile.time, "sleep", waits.append)
    with pytest.raises(StorageError) as info:
        with replacing(target) as fh:
            fh.write(b"new")
    message = info.value.user_message()
    assert str(target) in message and "open in another program" in message and "\n" not in message
    assert waits == list(atomicfile.REPLACE_BACKOFF) and 0.5 < sum(waits) < 5
    assert target.read_bytes() == b"old" and os.listdir(tmp_path) == ["sheet.pdf"]  # no partial, no temp


def test_the_message_is_translated(tmp_path, monkeypatch):
    from kkdesk.i18n import set_language

    monkeypatch.setattr(atomicfile.os, "replace", _denied)
    monkeypatch.setattr(atomicfile.time, "sleep", lambda s: None)
    with pytest.raises(StorageError) as info:
        write_atomic(tmp_path / "a.pdf", b"x")
    try:
        for lang in ("kk", "ru"):
            set_language(lang)
            text = info.value.user_message()
            assert str(tmp_path / "a.pdf") in text and "another program" not in text
    finally:
        set_language("en")
