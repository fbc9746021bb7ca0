"""Contacts and the profile's identity keys: add/verify/remove with their checks, the
fingerprint, the age key export, and moving keys with a passphrase-protected backup."""

from __future__ import annotations

import pytest

from kkdesk import keys as K
from kkdesk.sync import contacts, identity
from kkdesk.sync.errors import ContactError, IdentityError
from tests.core.test_sync_support import export, import_, person, trio, trio_template  # noqa: F401


def test_add_list_verify_remove(store):
    other = K.generate_identity()
    with store.session() as s:
        info = contacts.add(s, store.identity, "  Office   Almaty ", other.age_recipient, other.signing_key_text)
    assert info.name == "Office Almaty" and not info.verified
    assert info.fingerprint == other.fingerprint == K.fingerprint(other.age_recipient, other.signing_public)
    with store.session() as s:
        assert [c.as_dict() for c in contacts.list_all(s)] == [{
            "name": "Office Almaty", "age_recipient": other.age_recipient, "signing_key": other.signing_key_text,
            "fingerprint": other.fingerprint, "verified": False}]
        assert contacts.verify(s, "Office Almaty").verified
    with store.session() as s:
        assert contacts.list_all(s)[0].verified
        contacts.remove(s, "Office Almaty")
    with store.session() as s:
        assert contacts.list_all(s) == []


def test_signing_key_may_be_given_without_prefix(store):
    other = K.generate_identity()
    bare = other.signing_key_text.split(":", 1)[1].upper()
    with store.session() as s:
        assert contacts.add(s, store.identity, "Lawyer", other.age_recipient, bare).signing_key == other.signing_key_text


@pytest.mark.parametrize("recipient, signing, fragment", [
    ("age1qqqq", None, "age1qqqq"),
    (None, "kkdesk-ed25519:abc", "kkdesk-ed25519:abc"),
    ("", None, "age recipient"),
])
def test_bad_keys_are_refused(store, recipient, signing, fragment):
    other = K.generate_identity()
    with store.session() as s, pytest.raises(ContactError) as err:
        contacts.add(s, store.identity, "X", other.age_recipient if recipient is None else recipient,
                     other.signing_key_text if signing is None else signing)
    assert fragment in err.value.user_message()


def test_duplicates_and_own_keys_are_refused(store):
    other, third = K.generate_identity(), K.generate_identity()
    with store.session() as s:
        contacts.add(s, store.identity, "Monitor", other.age_recipient, other.signing_key_text)
    cases = [("Monitor", third.age_recipient, third.signing_key_text, "already exists"),
             ("Twin", other.age_recipient, third.signing_key_text, "Monitor"),
             ("Me", store.identity.age_recipient, store.identity.signing_key_text, "own keys"),
             ("", third.age_recipient, third.signing_key_text, "name")]
    for name, rec, sig, fragment in cases:
        with store.session() as s, pytest.raises(ContactError) as err:
            contacts.add(s, store.identity, name, rec, sig)
        assert fragment in err.value.user_message()
    with store.session() as s, pytest.raises(ContactError):
        contacts.verify(s, "Nobody")


def test_identity_info_and_age_key_file(store, tmp_path):
    import pyrage

    data = identity.info(store)
    assert data == {"name": "Test monitor", "age_recipient": store.identity.age_recipient,
                    "signing_key": store.identity.signing_key_text, "fingerprint": store.identity.fingerprint}
    path = identity.export_age_key(store, tmp_path / "key.txt")
    text = path.read_text()
    assert f"# public key: {store.identity.age_recipient}" in text
    secret = [line for line in text.splitlines() if line.startswith("AGE-SECRET-KEY-1")]
    assert secret == [store.identity.age_secret]
    assert str(pyrage.x25519.Identity.from_str(secret[0]).to_public()) == store.identity.age_recipient


def test_restored_keys_replace_the_old_ones_which_still_open_old_bundles(trio, tmp_path):
    a, b, c = trio["a"], trio["b"], trio["c"]
    person(a, "Sent before the move")
    old_bundle = export(a, "b", tmp_path / "before.kkb")
    backup = identity.backup(c, tmp_path / "dana-keys.age", "backup passphrase 1")
    assert b"AGE-SECRET" not in backup.read_bytes()
    with pytest.raises(IdentityError):
        identity.restore(b, backup, "wrong passphrase!")
    old_fp = b.identity.fingerprint
    assert identity.restore(b, backup, "backup passphrase 1") == (old_fp, c.identity.fingerprint)
    assert b.identity.fingerprint == c.identity.fingerprint
    assert b.identity.age_secret == c.identity.age_secret
    report = import_(b, old_bundle)  # encrypted to the replaced key: still opens
    assert report.new == 1
    with pytest.raises(IdentityError):
        identity.read_backup(old_bundle, "backup passphrase 1")
    with pytest.raises(Exception) as weak:
        identity.backup(c, tmp_path / "weak.age", "short")
    assert "10" in str(weak.value)
