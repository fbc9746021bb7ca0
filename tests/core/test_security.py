"""Failed-unlock limit, panic wipe, duress passphrase (issue 11, "New protection")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kkdesk import security
from kkdesk.cli import main
from kkdesk.errors import InputError, StoreLockedError
from kkdesk.interchange import import_file
from kkdesk.store import open_profile
from tests.conftest import EXAMPLE, PASSPHRASE

DURESS = "the other passphrase, for them"
WRONG = "not the passphrase at all"


def pf(tmp_path: Path, text: str, name: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def cli(capsys, home, passphrase_file, *args):
    code = main(["--home", str(home), "--passphrase-file", str(passphrase_file), "--ui-lang", "en", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def _shape(profile: dict) -> dict:
    """What profile.json shows of the duress verifier to one without any passphrase."""
    d = profile["duress"]
    return {"keys": sorted(d), "kdf": d["kdf"], "sizes": [len(d[k]) for k in ("salt", "nonce", "sealed")]}


def profile(home) -> dict:
    return json.loads((home / "profile.json").read_text())


def no_wait(monkeypatch):
    """Let the back-off pass at once (its length is checked on its own)."""
    monkeypatch.setattr(security, "wait_remaining", lambda _p, now=None: 0.0)


def test_backoff_after_three_failures_doubles_and_is_capped():
    assert [security.backoff_seconds(n) for n in range(10)] == [0, 0, 0, 2, 4, 8, 16, 32, 60, 60]
    p = {"failed_unlocks": 4, "failed_at": 1000.0}
    assert security.wait_remaining(p, now=1001.0) == 3.0 and security.wait_remaining(p, now=1010.0) == 0.0
    assert security.wait_remaining(p, now=10.0) == 4.0  # a clock set back never waits longer


def test_failures_are_counted_waited_for_and_reset_by_a_correct_unlock(home):
    for n in (1, 2, 3):
        with pytest.raises(StoreLockedError):
            security.unlock(home, WRONG)
        assert profile(home)["failed_unlocks"] == n
    with pytest.raises(security.UnlockWaitError) as exc:  # the 4th try comes before 2 s have passed
        security.unlock(home, PASSPHRASE)
    assert "wait 2 seconds" in str(exc.value)
    waited: list[float] = []
    result = security.unlock(home, PASSPHRASE, wait=waited.append)
    try:
        assert 0 < waited[0] <= 2 and not result.duress
        assert "failed_unlocks" not in profile(home) and "failed_unlocks" not in result.store.profile
    finally:
        result.store.close()


def test_the_cli_counts_down_on_one_line_of_stderr(capsys):
    from kkdesk.cli import countdown
    from kkdesk.i18n import set_language

    set_language("en")
    countdown(1.2)
    err = capsys.readouterr().err
    assert "\n" not in err and err.count("\r") >= 2 and "next try in 2 s" in err and err.endswith("\r")


def test_wipe_after_n_failures(home, tmp_path, capsys, monkeypatch):
    no_wait(monkeypatch)
    good, bad = pf(tmp_path, PASSPHRASE, "good"), pf(tmp_path, WRONG, "bad")
    assert cli(capsys, home, good, "security", "set", "--wipe-after-failed", "4")[0] == 1  # at least 5
    code, out, _ = cli(capsys, home, good, "security", "set", "--wipe-after-failed", "5")
    assert code == 0 and "cannot be undone" in out
    for _i in range(4):
        assert cli(capsys, home, bad, "list", "persons")[0] == 1
    assert (home / "keys.json").exists()
    code, _, err = cli(capsys, home, bad, "list", "persons")
    assert code == 1 and "wiped" in err and len(err.strip().splitlines()) == 1
    assert sorted(p.name for p in home.iterdir()) == []


def test_security_show_json(home, tmp_path, capsys, monkeypatch):
    no_wait(monkeypatch)
    good = pf(tmp_path, PASSPHRASE, "good")
    code, out, _ = cli(capsys, home, good, "security", "show", "--json")
    assert code == 0 and json.loads(out) == {"failed_unlocks": 0, "wipe_after_failed": 0, "duress_set": False}
    cli(capsys, home, good, "security", "set", "--wipe-after-failed", "7",
        "--duress-passphrase-file", pf(tmp_path, DURESS, "duress"))
    code, out, _ = cli(capsys, home, good, "security", "show", "--json")
    assert json.loads(out) == {"failed_unlocks": 0, "wipe_after_failed": 7, "duress_set": True}
    assert DURESS not in (home / "profile.json").read_text()


def test_panic_overwrites_the_key_file_before_removing_everything(example_home, tmp_path, capsys, monkeypatch):
    (example_home / "ui-settings.ini").write_text("[ui]\nlanguage=en\n")
    (example_home / "notes-of-the-user.txt").write_text("not kkdesk's")
    original = (example_home / "keys.json").read_bytes()
    seen: dict[str, bytes] = {}
    real_unlink = Path.unlink

    def spy(self, *a, **kw):
        if self.name == "keys.json":
            seen["at_unlink"] = self.read_bytes()
        return real_unlink(self, *a, **kw)

    monkeypatch.setattr(Path, "unlink", spy)
    good = pf(tmp_path, PASSPHRASE, "good")
    code, _, err = cli(capsys, example_home, good, "panic")
    assert code == 1 and "--yes" in err and (example_home / "keys.json").exists()
    code, out, _ = main(["--home", str(example_home), "panic", "--yes"]), *capsys.readouterr()
    assert code == 0 and "wiped" in out
    assert len(seen["at_unlink"]) == len(original) and seen["at_unlink"] != original
    assert sorted(p.name for p in example_home.iterdir()) == ["notes-of-the-user.txt"]


def test_duress_passphrase_wipes_and_opens_an_empty_profile_of_the_same_name(example_home, tmp_path, capsys):
    store = open_profile(example_home, PASSPHRASE)
    try:
        name, lang, old_id = store.name, store.ui_lang, store.profile_id
        with pytest.raises(InputError):
            security.set_duress_passphrase(store, PASSPHRASE)  # must differ from the real one
        security.set_wipe_after_failed(store, 9)
        security.set_duress_passphrase(store, DURESS)
        keys_kdf = json.loads((example_home / "keys.json").read_text())["kdf"]
        assert profile(example_home)["duress"]["kdf"] == keys_kdf  # the main key's parameters
    finally:
        store.close()
    before = profile(example_home)
    old_keys = (example_home / "keys.json").read_bytes()
    code, out, err = cli(capsys, example_home, pf(tmp_path, DURESS, "d"), "list", "persons")
    assert code == 0 and out == "" and err == ""  # nothing tells
    fresh = profile(example_home)
    assert fresh["profile_id"] != old_id and fresh["ui_lang"] == lang
    # the new profile.json has the old one's shape: a verifier of the same size (a decoy now),
    # the same creation time and wipe setting
    assert _shape(fresh) == _shape(before) and fresh["duress"] != before["duress"]
    assert fresh["created_at"] == before["created_at"] and fresh["wipe_after_failed"] == 9
    assert security.K.unwrap_secret(fresh["duress"], DURESS, security._duress_aad(fresh["profile_id"])) is None
    assert (example_home / "keys.json").read_bytes() != old_keys
    store = open_profile(example_home, DURESS)
    try:
        assert store.name == name
    finally:
        store.close()
    with pytest.raises(StoreLockedError):
        open_profile(example_home, PASSPHRASE)
    code, out, _ = cli(capsys, example_home, pf(tmp_path, DURESS, "d"), "security", "show", "--json")
    assert json.loads(out) == {"failed_unlocks": 0, "wipe_after_failed": 9, "duress_set": False}


def test_a_language_change_keeps_the_security_settings(store):
    security.set_wipe_after_failed(store, 6)
    store.set_ui_lang("kk")
    assert profile(store.home)["wipe_after_failed"] == 6 and profile(store.home)["ui_lang"] == "kk"


def test_an_import_after_unlock_sees_the_reset_profile(home):
    with pytest.raises(StoreLockedError):
        security.unlock(home, WRONG)
    result = security.unlock(home, PASSPHRASE)
    try:
        import_file(result.store, EXAMPLE)
    finally:
        result.store.close()


def test_profile_json_does_not_tell_whether_a_duress_passphrase_is_set(home, tmp_path, capsys):
    plain = profile(home)
    assert isinstance(plain["duress"], dict)  # a decoy from the start
    store = open_profile(home, PASSPHRASE)
    try:
        assert security.state(store).duress_set is False
        security.set_duress_passphrase(store, DURESS)
        with_duress = profile(home)
        assert security.state(store).duress_set is True
        security.set_duress_passphrase(store, None)
        removed = profile(home)
        assert security.state(store).duress_set is False
    finally:
        store.close()
    assert _shape(plain) == _shape(with_duress) == _shape(removed)
    assert set(plain) == set(with_duress) == set(removed)
    assert removed["duress"] != with_duress["duress"]
    # removed means removed: the old duress passphrase is now just a wrong one
    with pytest.raises(StoreLockedError):
        security.unlock(home, DURESS)
    assert profile(home)["failed_unlocks"] == 1


def test_a_profile_of_before_the_decoys_gets_one_at_unlock(home):
    from kkdesk.paths import update_profile_json

    update_profile_json(home, duress=None)
    assert "duress" not in profile(home)
    security.unlock(home, PASSPHRASE).store.close()  # type: ignore[attr-defined]
    assert _shape(profile(home))["sizes"][2] == len(security.K._b64(b"x" * (security.K.DURESS_SECRET_LEN + 16)))
