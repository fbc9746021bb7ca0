"""A stranger (a third profile) cannot take over a contact's profile id or name with
--trust; replacing a contact's keys is its own command (defect 4 of issue 11).

In the trio every contact was added by its keys alone (`contacts add`), so no bundle
has told Bolat the profile ids of Aigerim or Dana yet: the case of the report."""

from __future__ import annotations

import json

import pytest

from kkdesk.cli import main
from kkdesk.store import create_profile, open_profile
from kkdesk.sync import contacts
from kkdesk.sync.errors import BundleSenderError
from tests.conftest import PASSPHRASE
from tests.core.test_sync_support import export, import_, person, state_digest, trio, trio_template  # noqa: F401


def stranger(tmp_path, b, name: str, profile_id: str | None = None):
    """A third profile that knows Bolat's keys; with `profile_id`, it claims that id."""
    home = tmp_path / f"stranger-{name.strip()}"
    create_profile(home, PASSPHRASE, name=name, ui_lang="en").close()
    if profile_id:
        data = json.loads((home / "profile.json").read_text())
        data["profile_id"] = profile_id
        (home / "profile.json").write_text(json.dumps(data))
    s = open_profile(home, PASSPHRASE)
    with s.session() as sess:
        contacts.add(sess, s.identity, "Bolat", b.identity.age_recipient, b.identity.signing_key_text, verified=True)
    return s


def bundle_from(store, tmp_path, name="s.kkb"):
    from kkdesk.sync.export import ExportRequest, export_bundle

    person(store, "Planted person")
    out = tmp_path / name
    export_bundle(store, ExportRequest(out=out, to=["Bolat"]))
    return out


@pytest.mark.parametrize("how", ["profile id and name", "name only", "name in other case and spacing"])
def test_a_stranger_claiming_a_contact_is_refused_even_with_trust(trio, tmp_path, how):
    a, b = trio["a"], trio["b"]
    claim = {"profile id and name": ("Aigerim", a.profile_id), "name only": ("Aigerim", None),
             "name in other case and spacing": ("  aigerim ", None)}[how]
    s = stranger(tmp_path, b, *claim)
    try:
        forged = bundle_from(s, tmp_path)
        before = state_digest(b)
        with pytest.raises(BundleSenderError) as exc:
            import_(b, forged, trust=True)
        text = str(exc.value)
        assert a.identity.fingerprint in text and s.identity.fingerprint in text and "Aigerim" in text
        assert "replace-key" in text
        assert state_digest(b) == before
    finally:
        s.close()
    genuine = export(a, "b", tmp_path / "a.kkb")
    report = import_(b, genuine)
    assert report.status == "imported" and report.sender_name == "Aigerim"


def test_a_contact_claiming_another_contacts_name_is_refused(trio, tmp_path):
    """Dana's own keys, but the manifest says "Aigerim": not bound to Aigerim's name."""
    b, c = trio["b"], trio["c"]
    with c.session() as s:
        s.execute(__import__("sqlalchemy").text("UPDATE meta SET value = 'Aigerim' WHERE key = 'profile_name'"))
    bundle = export(c, "b", tmp_path / "c.kkb")
    before = state_digest(b)
    with pytest.raises(BundleSenderError):
        import_(b, bundle, trust=True)
    assert state_digest(b) == before


def test_the_cli_refuses_in_one_line_and_replace_key_says_what_it_does(trio, tmp_path, capsys):
    a, b = trio["a"], trio["b"]
    s = stranger(tmp_path, b, "Aigerim", a.profile_id)
    try:
        forged = bundle_from(s, tmp_path)
        keys = (s.identity.age_recipient, s.identity.signing_key_text, s.identity.fingerprint)
    finally:
        s.close()
    pfile = tmp_path / "p"
    pfile.write_text(PASSPHRASE)
    base = ["--home", str(b.home), "--passphrase-file", str(pfile)]
    code = main(base + ["--ui-lang", "ru", "bundle", "import", str(forged), "--trust"])
    err = capsys.readouterr().err
    assert code == 1 and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert a.identity.fingerprint in err and keys[2] in err and "Aigerim" in err and "refused" not in err  # ru

    code = main(base + ["--ui-lang", "en", "contacts", "replace-key", "Aigerim", "--recipient", keys[0],
                        "--signing-key", keys[1]])
    out = capsys.readouterr().out
    assert code == 0 and a.identity.fingerprint in out and keys[2] in out
    assert "old keys" in out and "refused" in out and "not verified" in out
    with b.session() as sess:
        info = [c for c in contacts.list_all(sess) if c.name == "Aigerim"][0]
    assert info.fingerprint == keys[2] and not info.verified
    # now the new keys are Aigerim's, and the old ones are refused
    assert main(base + ["bundle", "import", str(forged)]) == 0
    capsys.readouterr()
    old = export(a, "b", tmp_path / "a.kkb")
    assert main(base + ["bundle", "import", str(old), "--trust"]) == 1


def test_replace_key_refuses_keys_of_another_contact(trio):
    b, c = trio["b"], trio["c"]
    with b.session() as s, pytest.raises(Exception) as exc:
        contacts.replace_key(s, b.identity, "Aigerim", c.identity.age_recipient, c.identity.signing_key_text)
    assert "Dana" in str(exc.value)
