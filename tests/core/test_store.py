"""Profiles: creation, unlock, wrong passphrase, passphrase change, backup/restore."""

import json
import os
import stat
import tarfile

import pytest

from kkdesk import listing
from kkdesk.errors import DamagedStoreError, InputError, ProfileError, StoreLockedError
from kkdesk.interchange import author_of, save
from kkdesk.store import backup, change_passphrase, create_profile, open_profile, read_profile_json, restore
from tests.conftest import PASSPHRASE


def test_profile_layout(home):
    files = sorted(p.name for p in home.iterdir())
    assert {"profile.json", "keys.json", "kkdesk.db"} <= set(files)
    profile = read_profile_json(home)
    assert set(profile) >= {"profile_id", "profile_code", "ui_lang", "format", "version"}
    # nothing secret in the plaintext files
    keys = json.loads((home / "keys.json").read_text())
    assert keys["kdf"]["name"] == "argon2id" and "wrapped_key" in keys
    assert "AGE-SECRET-KEY" not in (home / "keys.json").read_text()
    assert os.name != "posix" or stat.S_IMODE(os.stat(home / "keys.json").st_mode) == 0o600  # Windows: no modes


def test_store_file_is_encrypted(home):
    head = (home / "kkdesk.db").read_bytes()[:16]
    assert head != b"SQLite format 3\x00"


def test_wrong_passphrase_is_refused(home):
    with pytest.raises(StoreLockedError) as exc:
        open_profile(home, "not the passphrase")
    assert "Wrong passphrase" in exc.value.user_message()


def test_short_passphrase_refused(tmp_path):
    with pytest.raises(InputError):
        create_profile(tmp_path / "p", "short", ui_lang="en")
    assert not (tmp_path / "p" / "profile.json").exists()


def test_second_profile_in_same_folder_refused(home):
    with pytest.raises(ProfileError):
        create_profile(home, PASSPHRASE)


def test_missing_profile(tmp_path):
    with pytest.raises(ProfileError):
        open_profile(tmp_path / "nothing", PASSPHRASE)


def test_missing_keys_file_is_clear(home):
    (home / "keys.json").unlink()
    with pytest.raises(ProfileError) as exc:
        open_profile(home, PASSPHRASE)
    assert "keys.json" in exc.value.user_message()


def test_damaged_store_names_both_causes(home):
    data = bytearray((home / "kkdesk.db").read_bytes())
    data[0:4096] = os.urandom(4096)
    (home / "kkdesk.db").write_bytes(bytes(data))
    with pytest.raises(DamagedStoreError) as exc:  # keys.json proved the passphrase: not "wrong passphrase"
        open_profile(home, PASSPHRASE)
    assert "damaged" in str(exc.value) and "does not belong" in str(exc.value) and "restore" in str(exc.value)


def test_passphrase_change_only_rewraps(home):
    db_before = (home / "kkdesk.db").read_bytes()
    change_passphrase(home, PASSPHRASE, "a brand new passphrase")
    assert (home / "kkdesk.db").read_bytes() == db_before
    with pytest.raises(StoreLockedError):
        open_profile(home, PASSPHRASE)
    open_profile(home, "a brand new passphrase").close()


def test_identity_keys_exist_from_init(store):
    ident = store.identity
    assert ident.age_recipient.startswith("age1")
    assert len(ident.signing_public) == 32
    assert len(ident.fingerprint) == 24 and ident.fingerprint.count("-") == 4
    sig = ident.sign(b"x")
    from kkdesk.keys import verify_signature

    assert verify_signature(ident.signing_public, b"x", sig)
    assert not verify_signature(ident.signing_public, b"y", sig)


def test_backup_and_restore(example_store, tmp_path):
    out = backup(example_store, tmp_path / "b.tar")
    with tarfile.open(out) as tar:
        assert set(tar.getnames()) == {"kkdesk.db", "keys.json", "profile.json"}
        db = tar.extractfile("kkdesk.db").read()
    assert not db.startswith(b"SQLite format 3")
    assert "Айгерім".encode() not in db
    target = restore(out, tmp_path / "restored")
    s = open_profile(target, PASSPHRASE)
    try:
        from kkdesk import listing

        with s.session() as session:
            assert listing.count(session, "person") == 3
    finally:
        s.close()


def test_restore_refuses_non_backup(tmp_path):
    bad = tmp_path / "x.tar"
    bad.write_bytes(b"not a tar")
    with pytest.raises(InputError):
        restore(bad, tmp_path / "r")
    odd = tmp_path / "odd.tar"  # the right names, but kkdesk.db is a folder in it
    (tmp_path / "src" / "kkdesk.db").mkdir(parents=True)
    for name in ("keys.json", "profile.json"):
        (tmp_path / "src" / name).write_text("{}", encoding="utf-8")
    with tarfile.open(odd, "w") as tar:
        for name in ("kkdesk.db", "keys.json", "profile.json"):
            tar.add(tmp_path / "src" / name, arcname=name)
    with pytest.raises(InputError):
        restore(odd, tmp_path / "r2")
    assert not (tmp_path / "r2").exists()


def test_restore_never_overwrites_what_a_store_left_in_the_folder(example_store, tmp_path):
    """A folder whose profile.json was lost still holds a store; an old -wal file would be
    replayed into the restored one. Restore refuses both and changes nothing."""
    out = backup(example_store, tmp_path / "b.tar")
    for leftover in ("kkdesk.db", "kkdesk.db-wal"):
        home = tmp_path / leftover
        home.mkdir()
        (home / leftover).write_bytes(b"an earlier store")
        with pytest.raises(ProfileError) as caught:
            restore(out, home)
        assert str(caught.value) == (f"{home} already holds files of a kkdesk store ({leftover}); restore into "
                                     "an empty folder. Nothing was changed.")
        assert [p.name for p in home.iterdir()] == [leftover]
        assert (home / leftover).read_bytes() == b"an earlier store"


def _cipher(store) -> tuple[int, str]:
    with store.engine.connect() as conn:
        return (int(conn.exec_driver_sql("PRAGMA page_size").scalar()),
                conn.exec_driver_sql("PRAGMA cipher_hmac_algorithm").scalar())


def test_new_stores_use_16k_pages_and_hmac_sha256_and_older_stores_still_open(tmp_path, monkeypatch):
    import kkdesk.store as store_mod
    from kkdesk.db.engine import LEGACY_FORMAT

    new = create_profile(tmp_path / "new", PASSPHRASE, ui_lang="en")
    profile = json.loads((tmp_path / "new" / "profile.json").read_text())
    assert _cipher(new) == (16384, "HMAC_SHA256") == (profile["store_page_size"], profile["store_hmac_algorithm"])
    new.close()
    monkeypatch.setattr(store_mod, "new_store_format", lambda: LEGACY_FORMAT)
    old_home = tmp_path / "old"
    old = create_profile(old_home, PASSPHRASE, ui_lang="en")
    with old.session() as s:
        save(s, author_of(old), "person", {"name_kk": "Әсел", "primary_target_group": "hrd"})
    old.close()
    profile = json.loads((old_home / "profile.json").read_text())
    del profile["store_page_size"], profile["store_hmac_algorithm"]  # as written before the fields existed
    (old_home / "profile.json").write_text(json.dumps(profile))
    monkeypatch.undo()
    reopened = open_profile(old_home, PASSPHRASE)
    try:
        assert _cipher(reopened) == (4096, "HMAC_SHA512")
        with reopened.session() as s:
            assert [r.title for r in listing.page(s, "person")] == ["Әсел"]
    finally:
        reopened.close()


def test_a_damaged_store_format_is_a_damaged_profile(home):
    for key, value in (("store_page_size", 1000), ("store_hmac_algorithm", "MD5")):
        profile = json.loads((home / "profile.json").read_text())
        saved = profile.get(key)
        profile[key] = value
        (home / "profile.json").write_text(json.dumps(profile))
        with pytest.raises(ProfileError, match="profile.json is damaged"):
            open_profile(home, PASSPHRASE)
        profile[key] = saved
        (home / "profile.json").write_text(json.dumps(profile))


# --- a full disk ------------------------------------------------------------------------

def full_disk(store):
    """SQLite refuses to grow the file past `max_page_count` with the very error of a
    full disk ("database or disk is full"): a full disk without filling one. Returns
    a function that frees the disk again."""
    from sqlalchemy import event

    raw = store.engine.raw_connection()
    try:
        raw.driver_connection.execute("VACUUM")  # no free pages left inside the file either
        pages = raw.driver_connection.execute("PRAGMA page_count").fetchone()[0]
    finally:
        raw.close()

    @event.listens_for(store.engine, "connect")
    def _limit(dbapi_conn, _record):
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")

    store.engine.dispose()

    def free_space() -> None:
        event.remove(store.engine, "connect", _limit)
        store.engine.dispose()

    return free_space


def _state(store) -> tuple[str, int]:
    from sqlalchemy import text

    from kkdesk.interchange import export_json

    with store.session() as s:
        return export_json(s), s.execute(text("SELECT count(*) FROM revision")).scalar()


def test_a_full_disk_gets_its_message_and_changes_nothing(store):
    from kkdesk.errors import StorageError
    from kkdesk.i18n import set_language
    from kkdesk.interchange import import_file

    before = _state(store)
    full_disk(store)
    doc = {"format": "kkdesk-interchange", "version": 1, "id_namespace": "full-disk",
           "persons": [{"id": f"p{i}", "name_kk": f"Айгерім Сейітқали {i}", "gender": "female", "primary_target_group": "hrd",
                        "remarks": "Қорқыту туралы жазба. " * 100} for i in range(200)]}
    path = store.home.parent / "persons.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(StorageError) as caught:
        import_file(store, path)
    assert caught.value.message.startswith("There is not enough free disk space; nothing was changed.")
    set_language("kk")
    try:
        assert caught.value.user_message().startswith("Дискіде бос орын жеткіліксіз")
    finally:
        set_language("en")
    assert _state(store) == before  # rolled back: the same records and revisions


def test_a_missing_store_file_is_refused_not_replaced_by_an_empty_one(home):
    """SQLite creates a database that is not there: the records would seem lost and new
    ones would go into a store without the profile's keys."""
    (home / "kkdesk.db").rename(home.parent / "kkdesk.db.moved")
    with pytest.raises(ProfileError) as caught:
        open_profile(home, PASSPHRASE)
    assert str(caught.value) == (f"The store file kkdesk.db is missing from {home}. If it was moved or copied "
                                 "elsewhere, put it back; nothing was created in its place.")
    assert not (home / "kkdesk.db").exists()
    (home.parent / "kkdesk.db.moved").rename(home / "kkdesk.db")
    open_profile(home, PASSPHRASE).close()  # back in place: it opens


def test_a_folder_name_with_url_characters_keeps_the_store_inside_it(tmp_path):
    """The path once went through an SQLAlchemy URL: in "what?x=1" the store was
    created as the file "what" beside the folder, and "pct%20x" failed to open."""
    parent = tmp_path / "Мониторинг #1"
    for name in ("what?x=1", "pct%20x"):
        home = parent / name / "профиль"
        store = create_profile(home, PASSPHRASE, name="T")
        with store.session() as s:
            save(s, author_of(store), "person", {"name_kk": "Әсел", "primary_target_group": "hrd"})
        store.close()
        store = open_profile(home, PASSPHRASE)
        assert [r.title for r in listing.page(store.read_session(), "person")] == ["Әсел"]
        store.close()
        assert (home / "kkdesk.db").stat().st_size > 0
    assert sorted(p.name for p in parent.iterdir()) == ["pct%20x", "what?x=1"]  # nothing created beside them
