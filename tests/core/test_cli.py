"""kkdesk-cli end to end: exit codes, JSON shapes, translated one-line errors."""

import json
import os
import subprocess
from pathlib import Path

import pytest

from kkdesk.cli import main
from tests.conftest import EXAMPLE, PASSPHRASE, fastkdf_command

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def pfile(tmp_path):
    p = tmp_path / "pass.txt"
    p.write_text(PASSPHRASE + "\n", encoding="utf-8")  # one trailing newline is stripped
    return p


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_init_import_list_search_stats(tmp_path, pfile, capsys):
    home = tmp_path / "h"
    code, out, err = run(capsys, "--home", home, "--passphrase-file", pfile, "init", "--name", "Монитор", "--ui-lang", "en")
    assert code == 0 and "Profile created" in out and (home / "profile.json").exists()
    code, out, _ = run(capsys, "--home", home, "--passphrase-file", pfile, "import-json", EXAMPLE, "--json")
    assert code == 0 and json.loads(out)["new"] == 14
    code, out, _ = run(capsys, "--home", home, "--passphrase-file", pfile, "import-json", EXAMPLE, "--json")
    report = json.loads(out)
    assert (report["new"], report["updated"], report["unchanged"]) == (0, 0, 14)
    code, out, _ = run(capsys, "list", "persons", "--json", "--home", home, "--passphrase-file", pfile)
    people = json.loads(out)
    assert code == 0 and len(people) == 3 and all(len(p["id"]) == 36 for p in people)
    assert {p["name_latin"] for p in people} == {"Aigerim Seitkali", "Yerlan Toktarov", "Dana Abilkassymova"}
    code, out, _ = run(capsys, "search", "Токтаров", "--json", "--home", home, "--passphrase-file", pfile)
    hits = json.loads(out)
    assert code == 0 and {"kind", "id", "record_no", "title", "snippet"} == set(hits[0])
    code, out, _ = run(capsys, "stats", "--by", "year,target_group", "--json", "--home", home, "--passphrase-file", pfile)
    data = json.loads(out)
    assert data["by"] == ["year", "target_group"]
    assert {"year": 2024, "target_group": "journalist", "acts": 3, "persons": 1, "organisations": 0} in data["rows"]
    code, out, _ = run(capsys, "check", "--home", home, "--passphrase-file", pfile)
    assert code == 0
    out_file = tmp_path / "export.json"
    code, _, _ = run(capsys, "export-json", "--out", out_file, "--home", home, "--passphrase-file", pfile)
    assert code == 0 and json.loads(out_file.read_text(encoding="utf-8"))["format"] == "kkdesk-interchange"


def test_errors_are_one_translated_line(example_home, tmp_path, capsys):
    bad = tmp_path / "wrong.txt"
    bad.write_text("this is not it", encoding="utf-8")
    code, out, err = run(capsys, "--home", example_home, "--passphrase-file", bad, "list", "persons")
    assert code == 1 and err.count("\n") == 1 and "Traceback" not in err
    assert "Wrong passphrase" in err
    code, _, err = run(capsys, "--home", example_home, "--passphrase-file", bad, "--ui-lang", "ru", "list", "persons")
    assert code == 1 and "Неверная парольная фраза" in err
    code, _, err = run(capsys, "--home", example_home, "--passphrase-file", bad, "--ui-lang", "kk", "list", "persons")
    assert code == 1 and "құпия" in err.lower()


def test_invalid_document_lists_paths_and_changes_nothing(example_home, pfile, tmp_path, capsys):
    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    doc["threats"][0]["acts"][0]["threat_type"] = "detension"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    code, _, err = run(capsys, "--home", example_home, "--passphrase-file", pfile, "import-json", bad)
    assert code == 1
    assert "threats[0].acts[0].threat_type: unknown code 'detension' in vocabulary threat_type" in err
    code, out, _ = run(capsys, "--home", example_home, "--passphrase-file", pfile, "export-json")
    assert "detension" not in out


def test_usage_errors_exit_2(capsys):
    code, _, err = run(capsys, "frobnicate")
    assert code == 2
    code, _, err = run(capsys, "stats")
    assert code == 2


def test_missing_file_and_unknown_dimension(example_home, pfile, capsys):
    code, _, err = run(capsys, "--home", example_home, "--passphrase-file", pfile, "import-json", "/nonexistent.json")
    assert code == 1 and "/nonexistent.json" in err
    code, _, err = run(capsys, "--home", example_home, "--passphrase-file", pfile, "stats", "--by", "colour")
    assert code == 1 and "colour" in err


def test_message_language_from_profile_before_unlock(tmp_path, pfile, capsys):
    home = tmp_path / "kk"
    assert run(capsys, "--home", home, "--passphrase-file", pfile, "init", "--ui-lang", "kk")[0] == 0
    wrong = tmp_path / "w"
    wrong.write_text("nope nope nope", encoding="utf-8")
    code, _, err = run(capsys, "--home", home, "--passphrase-file", wrong, "list", "persons")
    assert code == 1 and "құпия" in err.lower()


def test_passphrase_change_and_backup(example_home, pfile, tmp_path, capsys):
    new = tmp_path / "new.txt"
    new.write_text("another good passphrase", encoding="utf-8")
    code, _, _ = run(capsys, "--home", example_home, "--passphrase-file", pfile, "passphrase", "change",
                     "--new-passphrase-file", new)
    assert code == 0
    assert run(capsys, "--home", example_home, "--passphrase-file", pfile, "list", "persons")[0] == 1
    code, _, _ = run(capsys, "--home", example_home, "--passphrase-file", new, "backup", "--out", tmp_path / "b.tar")
    assert code == 0 and (tmp_path / "b.tar").exists()
    code, _, _ = run(capsys, "--home", tmp_path / "restored", "restore", tmp_path / "b.tar")
    assert code == 0
    code, out, _ = run(capsys, "--home", tmp_path / "restored", "--passphrase-file", new, "list", "persons", "--json")
    assert code == 0 and len(json.loads(out)) == 3


def test_console_script_runs_in_a_subprocess(example_home, pfile):
    env = dict(os.environ, KKDESK_HOME=str(example_home))
    proc = subprocess.run(fastkdf_command("kkdesk.cli", "--passphrase-file", str(pfile), "list", "cases"),
                          capture_output=True, text=True, env=env, timeout=60, cwd=str(ROOT))
    assert proc.returncode == 0 and "Токтаров" in proc.stdout


def test_a_full_disk_is_said_in_the_users_language_and_leaves_no_file(example_home, pfile, tmp_path, capsys,
                                                                        monkeypatch):
    """Every file the CLI writes goes to a temp file that is fsynced, then renamed: on a
    full disk (USB stick) the fsync fails with ENOSPC, as a real full disk makes it."""
    import errno

    def no_space(_fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    code, listed, _ = run(capsys, "--home", example_home, "--passphrase-file", pfile, "list", "persons", "--json")
    person = json.loads(listed)[0]["record_no"]
    out = tmp_path / "out"
    out.mkdir()
    bundle_pass = tmp_path / "bundle-pass"
    bundle_pass.write_text("a bundle passphrase\n", encoding="utf-8")
    commands = [
        (["export-json", "--out", out / "all.json"], out / "all.json"),
        (["backup", "--out", out / "backup.tar"], out / "backup.tar"),
        (["pdf", "person", person, "--lang", "kk", "--out", out / "sheet.pdf"], out / "sheet.pdf"),
        (["bundle", "export", "--all", "--bundle-passphrase-file", bundle_pass, "--out", out / "b.kkb"], out / "b.kkb"),
    ]
    monkeypatch.setattr(os, "fsync", no_space)
    for args, target in commands:
        code, _, err = run(capsys, "--home", example_home, "--passphrase-file", pfile, "--ui-lang", "kk", *args)
        assert code == 1, args
        assert err == f"Диск толы: {target} жазылмады. Ештеңе жазылған жоқ; орын босатып, қайталап көріңіз.\n", args
        assert "Traceback" not in err
    assert list(out.iterdir()) == []  # no partial file, no temp file


def test_a_folder_to_attach_and_a_file_as_home_are_named_for_what_they_are(example_home, pfile, tmp_path, capsys):
    code, listed, _ = run(capsys, "--home", example_home, "--passphrase-file", pfile, "list", "persons", "--json")
    person = json.loads(listed)[0]["record_no"]
    code, _, err = run(capsys, "--home", example_home, "--passphrase-file", pfile, "--ui-lang", "ru",
                       "attach", "add", person, tmp_path)
    assert (code, err) == (1, f"{tmp_path} — это папка, а не файл.\n")
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("x", encoding="utf-8")
    code, _, err = run(capsys, "--home", not_a_folder, "--passphrase-file", pfile, "--ui-lang", "kk", "list", "persons")
    assert (code, err) == (1, f"{not_a_folder} — профиль қалтасы емес, файл.\n")
