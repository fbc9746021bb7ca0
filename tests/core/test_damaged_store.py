"""A damaged store file: one translated line that names the damage and `restore`,
exit 1, no traceback, the file left as it was (defect 2 of issue 11)."""

from __future__ import annotations

import hashlib
import os
import random

import pytest

from kkdesk.cli import main
from kkdesk.errors import DamagedStoreError
from tests.conftest import PASSPHRASE


@pytest.fixture
def pfile(tmp_path):
    p = tmp_path / "pass.txt"
    p.write_text(PASSPHRASE, encoding="utf-8")
    return p


def damage(home, offset: int, seed: int = 11) -> str:
    """64 random bytes at `offset` of kkdesk.db (the reported repro); returns the file's hash."""
    rnd = random.Random(seed)
    with open(home / "kkdesk.db", "r+b") as fh:
        fh.seek(offset)
        fh.write(bytes(rnd.getrandbits(8) for _ in range(64)))
    return hashlib.sha256((home / "kkdesk.db").read_bytes()).hexdigest()


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("lang, word", [("en", "damaged"), ("ru", "повреждён"), ("kk", "зақымдалған")])
def test_check_reports_damaged_pages_in_one_translated_line(example_home, pfile, capsys, lang, word):
    digest = damage(example_home, 40000)
    code, out, err = run(capsys, "--home", example_home, "--passphrase-file", pfile, "--ui-lang", lang, "check")
    assert code == 1 and "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert word in lines[0] and "kkdesk.db" in lines[0] and "kkdesk-cli restore" in lines[0] and "3" in lines[0]
    assert hashlib.sha256((example_home / "kkdesk.db").read_bytes()).hexdigest() == digest


def test_every_reading_command_on_a_damaged_store_says_so(example_home, pfile, capsys):
    damage(example_home, 40000)
    for command in (["export-json"], ["search", "Токтаров"], ["list", "persons"]):
        code, _, err = run(capsys, "--home", example_home, "--passphrase-file", pfile, "--ui-lang", "en", *command)
        assert "Traceback" not in err
        if code:  # the command touched the damaged page
            assert code == 1 and len(err.strip().splitlines()) == 1 and "kkdesk-cli restore" in err, (command, err)


def test_a_damaged_first_page_is_said_at_opening(example_home, pfile, capsys):
    from kkdesk.store import open_profile

    damage(example_home, 100)
    with pytest.raises(DamagedStoreError) as exc:
        open_profile(example_home, PASSPHRASE)
    assert "kkdesk.db" in str(exc.value) and "restore" in str(exc.value)
    code, _, err = run(capsys, "--home", example_home, "--passphrase-file", pfile, "--ui-lang", "en", "check")
    assert code == 1 and len(err.strip().splitlines()) == 1 and "damaged" in err


def test_an_intact_store_checks_clean(example_home, pfile, capsys):
    code, out, _ = run(capsys, "--home", example_home, "--passphrase-file", pfile, "--ui-lang", "en", "check")
    assert code == 0 and "intact" in out
    assert os.path.getsize(example_home / "kkdesk.db") > 40064  # the repro's offset lies inside the store
