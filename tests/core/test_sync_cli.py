"""`kkdesk-cli identity|contacts|bundle|conflicts` end to end: exit codes 0/1/2, one
translated line per refusal, JSON shapes."""

from __future__ import annotations

import json
import shutil

import pytest

from kkdesk.cli import main
from kkdesk.store import open_profile
from tests.conftest import PASSPHRASE
from tests.core.test_sync_support import NAMES, edit_person, person, trio_template  # noqa: F401


@pytest.fixture
def homes(trio_template, tmp_path, monkeypatch):
    monkeypatch.setenv("KKDESK_PASSPHRASE", PASSPHRASE)
    out = {}
    for k in NAMES:
        out[k] = tmp_path / k
        shutil.copytree(trio_template[k], out[k])
    return out


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def add_people(home, n: int = 2) -> list[str]:
    st = open_profile(home, PASSPHRASE)
    try:
        return [person(st, f"CLI person {i}") for i in range(n)]
    finally:
        st.close()


def test_identity_show(homes, capsys):
    code, out, _ = run(capsys, "--home", homes["a"], "identity", "show", "--json")
    data = json.loads(out)
    assert code == 0 and set(data) == {"name", "age_recipient", "signing_key", "fingerprint"}
    assert data["name"] == "Aigerim" and data["age_recipient"].startswith("age1")
    assert len(data["fingerprint"].split("-")) == 5
    code, out, _ = run(capsys, "--home", homes["a"], "identity", "show")
    assert code == 0 and data["fingerprint"] in out


def test_contacts_commands(homes, capsys):
    code, out, _ = run(capsys, "--home", homes["c"], "identity", "show", "--json")
    dana = json.loads(out)
    code, out, err = run(capsys, "--home", homes["a"], "contacts", "remove", "Dana")
    assert code == 0
    code, out, err = run(capsys, "--home", homes["a"], "contacts", "add", "Dana T.", "--recipient",
                         dana["age_recipient"], "--signing-key", dana["signing_key"])
    assert code == 0 and dana["fingerprint"] in out
    assert out.rstrip().endswith("then run: kkdesk-cli contacts verify 'Dana T.'")  # the command to type, as is
    code, out, _ = run(capsys, "--home", homes["a"], "contacts", "list", "--json")
    listed = {c["name"]: c for c in json.loads(out)}
    assert listed["Dana T."] == {"name": "Dana T.", "age_recipient": dana["age_recipient"],
                                 "signing_key": dana["signing_key"], "fingerprint": dana["fingerprint"],
                                 "verified": False}
    assert run(capsys, "--home", homes["a"], "contacts", "verify", "Dana T.")[0] == 0
    code, out, _ = run(capsys, "--home", homes["a"], "contacts", "list", "--json")
    assert {c["name"]: c["verified"] for c in json.loads(out)}["Dana T."] is True
    code, _, err = run(capsys, "--home", homes["a"], "contacts", "add", "Other", "--recipient", "age1nonsense",
                       "--signing-key", dana["signing_key"])
    assert code == 1 and len(err.strip().splitlines()) == 1 and "age1nonsense" in err
    code, _, err = run(capsys, "--home", homes["a"], "contacts", "add", "Again", "--recipient",
                       dana["age_recipient"], "--signing-key", dana["signing_key"])
    assert code == 1 and "Dana T." in err
    code, _, err = run(capsys, "--home", homes["a"], "contacts", "remove", "Nobody")
    assert code == 1 and "Nobody" in err
    code, _, err = run(capsys, "--home", homes["a"], "contacts", "add", "X")
    assert code == 2


def test_export_import_inspect(homes, capsys, tmp_path):
    add_people(homes["a"])
    bundle = tmp_path / "a-to-b.kkb"
    code, out, err = run(capsys, "--home", homes["a"], "bundle", "export", "--to", "Bolat", "--out", bundle)
    assert code == 0 and str(bundle) in out and bundle.exists()
    code, out, _ = run(capsys, "--home", homes["b"], "bundle", "inspect", bundle, "--json")
    info = json.loads(out)
    assert code == 0
    assert {"format_version", "sender", "created_at", "records", "attachments"} <= set(info)
    assert info["records"] == 2 and info["attachments"] == 0 and info["format_version"] == 1
    code, out, _ = run(capsys, "--home", homes["b"], "bundle", "import", bundle, "--json")
    report = json.loads(out)
    assert code == 0 and {k: report[k] for k in ("new", "updated", "unchanged", "conflicts")} == {
        "new": 2, "updated": 0, "unchanged": 0, "conflicts": 0}
    code, out, _ = run(capsys, "--home", homes["b"], "bundle", "import", bundle)
    assert code == 0 and "before" in out and "nothing changed" in out
    code, _, err = run(capsys, "--home", homes["c"], "bundle", "import", bundle)
    assert code == 1 and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_usage_errors_exit_2(homes, capsys, tmp_path):
    assert run(capsys, "--home", homes["a"], "bundle", "export", "--to", "Bolat")[0] == 2
    assert run(capsys, "--home", homes["a"], "bundle", "export", "--out", tmp_path / "x")[0] == 2
    (tmp_path / "pw").write_text("a long passphrase here\n")
    assert run(capsys, "--home", homes["a"], "bundle", "export", "--to", "Bolat", "--bundle-passphrase-file",
               tmp_path / "pw", "--out", tmp_path / "x")[0] == 2
    assert run(capsys, "--home", homes["a"], "bundle", "export", "--to", "Bolat", "--all", "--since-last",
               "--out", tmp_path / "x")[0] == 2
    assert run(capsys, "--home", homes["a"], "bundle", "export", "--to", "Bolat", "--max-confidentiality", "secret",
               "--out", tmp_path / "x")[0] == 2
    assert not (tmp_path / "x").exists()


def test_unknown_signer_then_trust(homes, capsys, tmp_path):
    add_people(homes["a"], 1)
    bundle = tmp_path / "b.kkb"
    assert run(capsys, "--home", homes["a"], "bundle", "export", "--to", "Bolat", "--out", bundle)[0] == 0
    assert run(capsys, "--home", homes["b"], "contacts", "remove", "Aigerim")[0] == 0
    _, out, _ = run(capsys, "--home", homes["a"], "identity", "show", "--json")
    fingerprint = json.loads(out)["fingerprint"]
    code, out, err = run(capsys, "--home", homes["b"], "bundle", "import", bundle)
    assert code == 1 and fingerprint in err and len(err.strip().splitlines()) == 1
    code, out, err = run(capsys, "--home", homes["b"], "bundle", "import", bundle, "--trust")
    assert code == 0 and fingerprint in out and "1 new" in out
    assert "then run: kkdesk-cli contacts verify Aigerim" in out
    code, out, _ = run(capsys, "--home", homes["b"], "contacts", "list", "--json")
    assert [(c["name"], c["fingerprint"], c["verified"]) for c in json.loads(out)] == [
        ("Aigerim", fingerprint, False), ("Dana", json.loads(run(capsys, "--home", homes["c"], "identity", "show",
                                                                    "--json")[1])["fingerprint"], True)]


def test_tampered_bundle_exits_1_with_one_line(homes, capsys, tmp_path):
    add_people(homes["a"], 1)
    bundle = tmp_path / "b.kkb"
    run(capsys, "--home", homes["a"], "bundle", "export", "--to", "Bolat", "--out", bundle)
    data = bytearray(bundle.read_bytes())
    data[len(data) // 2] ^= 1
    bundle.write_bytes(bytes(data))
    code, out, err = run(capsys, "--home", homes["b"], "--ui-lang", "ru", "bundle", "import", bundle)
    assert code == 1 and out == "" and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    code, out, err = run(capsys, "--home", homes["b"], "bundle", "import", tmp_path / "missing.kkb")
    assert code == 1 and "missing.kkb" in err


def test_passphrase_bundle_and_key_backup(homes, capsys, tmp_path):
    add_people(homes["a"], 1)
    (tmp_path / "pw").write_text("the shared bundle passphrase\n")
    bundle = tmp_path / "p.kkb"
    code, out, _ = run(capsys, "--home", homes["a"], "bundle", "export", "--bundle-passphrase-file", tmp_path / "pw",
                       "--out", bundle, "--json")
    assert code == 0 and json.loads(out)["revisions"] == 1
    code, _, err = run(capsys, "--home", homes["b"], "bundle", "import", bundle)
    assert code == 1 and "--bundle-passphrase-file" in err
    code, out, _ = run(capsys, "--home", homes["b"], "bundle", "import", bundle, "--bundle-passphrase-file",
                       tmp_path / "pw", "--json")
    assert code == 0 and json.loads(out)["new"] == 1
    # keys move to another machine: back up from C, restore into a copy of A
    (tmp_path / "kpw").write_text("key backup passphrase\n")
    code, out, _ = run(capsys, "--home", homes["c"], "identity", "backup", "--out", tmp_path / "keys.age",
                       "--backup-passphrase-file", tmp_path / "kpw")
    assert code == 0 and (tmp_path / "keys.age").exists()
    _, out, _ = run(capsys, "--home", homes["c"], "identity", "show", "--json")
    dana = json.loads(out)
    code, out, _ = run(capsys, "--home", homes["a"], "identity", "restore", tmp_path / "keys.age",
                       "--backup-passphrase-file", tmp_path / "kpw")
    assert code == 0 and dana["fingerprint"] in out
    _, out, _ = run(capsys, "--home", homes["a"], "identity", "show", "--json")
    assert json.loads(out)["fingerprint"] == dana["fingerprint"]


def test_export_age_key_and_conflicts(homes, capsys, tmp_path):
    code, out, err = run(capsys, "--home", homes["b"], "identity", "export-age-key", "--out", tmp_path / "b.key")
    text = (tmp_path / "b.key").read_text()
    assert code == 0 and "AGE-SECRET-KEY-1" in text and "Warning" in err
    [rid] = add_people(homes["a"], 1)
    run(capsys, "--home", homes["a"], "bundle", "export", "--to", "Bolat", "--out", tmp_path / "1.kkb")
    run(capsys, "--home", homes["b"], "bundle", "import", tmp_path / "1.kkb")
    for key, name in (("a", "From A"), ("b", "From B")):
        st = open_profile(homes[key], PASSPHRASE)
        edit_person(st, rid, name)
        st.close()
    run(capsys, "--home", homes["a"], "bundle", "export", "--to", "Bolat", "--out", tmp_path / "2.kkb")
    code, out, _ = run(capsys, "--home", homes["b"], "bundle", "import", tmp_path / "2.kkb", "--json")
    assert json.loads(out)["conflicts"] == 1
    code, out, _ = run(capsys, "--home", homes["b"], "conflicts", "list", "--json")
    [conflict] = json.loads(out)
    assert conflict["kind"] == "person" and conflict["id"] == rid and conflict["record_no"]
    assert {v["record"]["name_latin"] for v in conflict["versions"]} == {"From A", "From B"}
    assert all(set(v) >= {"revision", "author", "created_at", "record"} for v in conflict["versions"])
    keep = next(v["revision"] for v in conflict["versions"] if v["record"]["name_latin"] == "From A")
    code, _, err = run(capsys, "--home", homes["b"], "conflicts", "resolve", rid, "--keep", "0000000000")
    assert code == 1 and "0000000000" in err
    code, out, _ = run(capsys, "--home", homes["b"], "conflicts", "resolve", conflict["record_no"], "--keep", keep[:12])
    assert code == 0
    code, out, _ = run(capsys, "--home", homes["b"], "conflicts", "list", "--json")
    assert json.loads(out) == []


def test_a_profile_reading_back_its_own_bundle_is_told_so(homes, tmp_path, capsys):
    add_people(homes["a"], 1)
    pw = tmp_path / "bundle-pass"
    pw.write_text("a bundle passphrase\n", encoding="utf-8")
    out = tmp_path / "own.kkb"
    code, _, _ = run(capsys, "--home", homes["a"], "bundle", "export", "--all", "--bundle-passphrase-file", pw,
                     "--out", out)
    assert code == 0
    code, text, _ = run(capsys, "--home", homes["a"], "bundle", "import", out, "--bundle-passphrase-file", pw)
    assert (code, text) == (0, "This bundle was made by this profile; nothing changed.\n")
    code, text, _ = run(capsys, "--home", homes["a"], "bundle", "import", out, "--bundle-passphrase-file", pw, "--json")
    assert json.loads(text)["own"] is True and json.loads(text)["status"] == "already-imported"
