"""What differs on Windows, simulated here (most monitors run Windows; CI runs Linux).

- File modes: Windows has no os.fchmod and its os.chmod only toggles the read-only flag, so
  secrecy never rests on a mode: what is secret on disk is encrypted whatever the mode.
- Permissions are ACLs that os.access does not see: kkdesk tries the operation instead.
- Per-user folders: the profile goes to the LOCAL application data (never the roaming profile a
  domain copies to its servers), under user names with non-ASCII letters and spaces.
- The interface language comes from the Windows user locale when no LANG variable is set.
"""

from __future__ import annotations

import ctypes
import json
import ntpath
import os
import sys
import types

import pytest

from kkdesk.cli import main
from tests.conftest import EXAMPLE, PASSPHRASE


@pytest.fixture
def windows_file_modes(monkeypatch):
    """No os.fchmod; os.chmod changes nothing (as for a file without the read-only flag)."""
    calls = []
    monkeypatch.delattr(os, "fchmod", raising=False)
    monkeypatch.setattr(os, "chmod", lambda path, mode, *a, **k: calls.append((str(path), mode)))
    return calls


def test_without_file_modes_the_secrets_on_disk_are_still_encrypted(windows_file_modes, tmp_path, monkeypatch, capsys):
    home = tmp_path / "profile"
    monkeypatch.setenv("KKDESK_PASSPHRASE", PASSPHRASE)
    assert main(["--home", str(home), "init", "--name", "Aigerim", "--ui-lang", "en"]) == 0
    assert main(["--home", str(home), "import-json", str(EXAMPLE)]) == 0
    assert main(["--home", str(home), "backup", "--out", str(tmp_path / "backup.tar")]) == 0
    capsys.readouterr()
    for path in (home / "kkdesk.db", home / "keys.json", home / "profile.json", tmp_path / "backup.tar"):
        data = path.read_bytes()
        for plain in (b"Seitkali", "Сейітқали".encode(), b"AGE-SECRET-KEY", b"SQLite format 3"):
            assert plain not in data, (path.name, plain)
    assert json.loads((home / "keys.json").read_text(encoding="utf-8"))["kdf"]["name"] == "argon2id"


def test_an_acl_that_os_access_does_not_see_is_found_by_trying(tmp_path, monkeypatch, capsys):
    from kkdesk.reports import check_target
    from kkdesk.errors import InputError

    denied = tmp_path / "Documents of another user"
    denied.mkdir()
    real_open = os.open

    def acl_open(path, flags, *args, **kwargs):  # what Windows does for a folder whose ACL denies writing
        if os.fspath(path).startswith(str(denied)):
            raise PermissionError(13, "Access is denied", os.fspath(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "access", lambda *a, **k: True)  # Windows: only the read-only flag counts
    monkeypatch.setattr(os, "open", acl_open)
    with pytest.raises(InputError) as err:
        check_target(denied / "sheet.pdf")
    assert "permission denied" in str(err.value)
    monkeypatch.setattr(os, "open", real_open)
    assert list(denied.iterdir()) == []
    allowed = tmp_path / "out"
    allowed.mkdir()
    assert check_target(allowed / "sheet.pdf") == allowed / "sheet.pdf"
    assert list(allowed.iterdir()) == []  # the probe leaves nothing behind


def test_the_cli_says_permission_denied_in_one_line_for_an_acl_denied_folder(tmp_path, monkeypatch, capsys):
    denied = tmp_path / "locked"
    denied.mkdir()
    real_open = os.open
    monkeypatch.setattr(os, "access", lambda *a, **k: True)
    monkeypatch.setattr(os, "open", lambda p, f, *a, **k: (_ for _ in ()).throw(PermissionError(13, "Access is denied"))
                        if os.fspath(p).startswith(str(denied)) else real_open(p, f, *a, **k))
    monkeypatch.setenv("KKDESK_PASSPHRASE", PASSPHRASE)
    code = main(["--home", str(tmp_path / "no-profile"), "--ui-lang", "ru", "pdf", "person", "PE-2026-XXX-0001",
                 "--lang", "kk", "--out", str(denied / "sheet.pdf")])
    err = capsys.readouterr().err
    assert code == 1 and len(err.strip().splitlines()) == 1 and "sheet.pdf" in err
    assert list(denied.iterdir()) == []


def test_the_profile_goes_to_local_appdata_under_a_non_ascii_user_name(monkeypatch):
    import appdirs

    from kkdesk.paths import profile_home

    local = r"C:\Users\Айгерім Сейітқали\AppData\Local"
    roaming = r"C:\Users\Айгерім Сейітқали\AppData\Roaming"
    folders = {"CSIDL_LOCAL_APPDATA": local, "CSIDL_APPDATA": roaming}
    monkeypatch.delenv("KKDESK_HOME", raising=False)
    monkeypatch.setattr(appdirs, "system", "win32")
    monkeypatch.setattr(appdirs, "_get_win_folder", lambda csidl: folders[csidl], raising=False)
    monkeypatch.setattr(appdirs, "os", types.SimpleNamespace(path=ntpath, getenv=os.getenv, sep="\\"))
    assert str(profile_home()) == local + "\\kkdesk"  # not Roaming, not kkdesk\kkdesk
    # --home and KKDESK_HOME are taken as given, drive letter and all
    assert str(profile_home(r"E:\kkdesk")) == r"E:\kkdesk"
    monkeypatch.setenv("KKDESK_HOME", r"D:\Мониторинг\kkdesk")
    assert str(profile_home()) == r"D:\Мониторинг\kkdesk"


def test_a_profile_under_a_non_ascii_user_folder_works_end_to_end(tmp_path, monkeypatch, capsys):
    user = tmp_path / "Users" / "Айгерім Сейітқали" / "AppData" / "Local"
    monkeypatch.setenv("KKDESK_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("KKDESK_HOME", str(user / "kkdesk"))
    assert main(["init", "--name", "Айгерім", "--ui-lang", "kk"]) == 0
    assert main(["import-json", str(EXAMPLE)]) == 0
    out = user.parent / "Құжаттар"
    out.mkdir()
    assert main(["backup", "--out", str(out / "сақтық көшірме.tar")]) == 0
    capsys.readouterr()
    restored = tmp_path / "Пайдаланушы" / "kkdesk"
    assert main(["--home", str(restored), "restore", str(out / "сақтық көшірме.tar")]) == 0
    capsys.readouterr()
    assert main(["--home", str(restored), "list", "persons", "--json"]) == 0
    names = {p.get("name_latin") for p in json.loads(capsys.readouterr().out)}
    assert "Aigerim Seitkali" in names


@pytest.mark.parametrize("windows_locale, expected", [("kk-KZ", "kk"), ("ru-RU", "ru"), ("ru-KZ", "ru"),
                                                      ("de-DE", "en"), ("", "en")])
def test_the_first_language_comes_from_the_windows_user_locale(monkeypatch, windows_locale, expected):
    from kkdesk import i18n

    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):  # Windows sets none of them
        monkeypatch.delenv(var, raising=False)

    def user_default_locale_name(buf, size):
        buf.value = windows_locale
        return len(windows_locale) + 1 if windows_locale else 0

    fake = types.SimpleNamespace(kernel32=types.SimpleNamespace(GetUserDefaultLocaleName=user_default_locale_name))
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(ctypes, "windll", fake, raising=False)
    assert i18n.system_language() == expected


def test_a_lang_variable_still_wins_over_the_platform_locale(monkeypatch):
    from kkdesk import i18n

    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    monkeypatch.setattr(i18n, "_platform_locale", lambda: "kk-KZ")
    assert i18n.system_language() == "ru"
