"""Shared helpers for the sync tests: three distinct profiles (Aigerim, Bolat, Dana)
that know each other as contacts, made once per session and copied per test;
bundle surgery (decrypt, change an entry, re-sign, re-encrypt) for the tampering
tests; and a digest of a store's whole synced state, to prove "nothing changed"."""

from __future__ import annotations

import hashlib
import io
import shutil
import tarfile
from pathlib import Path

import pytest
from sqlalchemy import text

from kkdesk.interchange import author_of, save
from kkdesk.store import open_profile
from kkdesk.sync import contacts
from kkdesk.sync import manifest as M
from kkdesk.sync import tarstream as T
from tests.conftest import PASSPHRASE

NAMES = {"a": "Aigerim", "b": "Bolat", "c": "Dana"}
STATE_TABLES = ("revision", "head", "record", "seal", "blob", "sync_contact", "sync_revision_alias",
                "sync_seal_origin", "sync_bundle_log", "person", "search_index")


@pytest.fixture(scope="session")
def trio_template(tmp_path_factory) -> dict[str, Path]:
    """Three profiles with distinct ids and keys; each has the other two as contacts."""
    from kkdesk.store import create_profile

    base = tmp_path_factory.mktemp("trio")
    stores = {k: create_profile(base / k, PASSPHRASE, name=name, ui_lang="en") for k, name in NAMES.items()}
    try:
        for k, st in stores.items():
            with st.session() as s:
                for other, ost in stores.items():
                    if other != k:
                        contacts.add(s, st.identity, NAMES[other], ost.identity.age_recipient,
                                     ost.identity.signing_key_text, verified=True)
    finally:
        for st in stores.values():
            st.close()
    return {k: base / k for k in NAMES}


def open_copies(template: dict[str, Path], dest: Path, which: str = "abc") -> dict:
    out = {}
    for k in which:
        target = dest / k
        shutil.copytree(template[k], target)
        out[k] = open_profile(target, PASSPHRASE)
    return out


@pytest.fixture
def trio(trio_template, tmp_path):
    stores = open_copies(trio_template, tmp_path / "profiles")
    yield stores
    for st in stores.values():
        st.close()


def person(store, name: str, **extra) -> str:
    with store.session() as s:
        result = save(s, author_of(store), "person", {
            "name_latin": name, "gender": "female", "primary_target_group": "journalist", "entry_language": "en",
            "confidentiality": extra.pop("confidentiality", "internal"), **extra})
    return result.id


def edit_person(store, record_id: str, name: str) -> str | None:
    from kkdesk.records import content_of, find

    with store.session() as s:
        rec = find(s, record_id)
        content = content_of(s, rec.head)
        content.update({"name_latin": name})
        fields = {k: v for k, v in content.items() if k != "record_no"}
        return save(s, author_of(store), "person", fields, record_id=record_id).rev_id


def state_digest(store) -> str:
    """SHA-256 over the rows of every synced table (order-independent per table)."""
    h = hashlib.sha256()
    with store.engine.connect() as conn:
        for table in STATE_TABLES:
            rows = sorted(repr(tuple(r)) for r in conn.execute(text(f"SELECT * FROM {table}")))
            h.update(table.encode() + b"\0" + "\n".join(rows).encode())
    return h.hexdigest()


def export(store, to, out: Path, **kw) -> Path:
    from kkdesk.sync.export import ExportRequest, export_bundle

    export_bundle(store, ExportRequest(out=out, to=[NAMES[t] for t in to], **kw))
    return out


def import_(store, path: Path, **kw):
    from kkdesk.sync.importer import import_bundle

    return import_bundle(store, path, **kw)


# --- bundle surgery ---------------------------------------------------------------

def decrypt(path: Path, store) -> dict[str, bytes]:
    """The tar entries of a bundle, in order, opened with `store`'s key."""
    import pyrage

    plain = pyrage.decrypt(Path(path).read_bytes(), [pyrage.x25519.Identity.from_str(store.identity.age_secret)])
    with tarfile.open(fileobj=io.BytesIO(plain)) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers()}


def build(entries: dict[str, bytes], recipients: list[str], out: Path) -> Path:
    """Tar the entries in the given order and encrypt them with the age format."""
    import pyrage

    parts, offset = [], 0
    for name, data in entries.items():
        parts += [T.header(name, len(data), 0), data, T.padding(len(data))]
        offset += T.BLOCK + len(data) + len(T.padding(len(data)))
    parts.append(T.end_of_archive(offset))
    out.write_bytes(pyrage.encrypt(b"".join(parts), [pyrage.x25519.Recipient.from_str(r) for r in recipients]))
    return out


def resign(entries: dict[str, bytes], manifest: dict, signer) -> dict[str, bytes]:
    data = M.dumps(manifest)
    out = dict(entries)
    out[M.MANIFEST_NAME] = data
    out[M.SIGNATURE_NAME] = M.sign(signer.identity, data)
    return out


def test_trio_profiles_are_distinct_and_know_each_other(trio):
    ids = {st.profile_id for st in trio.values()}
    fps = {st.identity.fingerprint for st in trio.values()}
    assert len(ids) == 3 and len(fps) == 3
    with trio["a"].session() as s:
        listed = contacts.list_all(s)
    assert [c.name for c in listed] == ["Bolat", "Dana"]
    assert {c.fingerprint for c in listed} == {trio["b"].identity.fingerprint, trio["c"].identity.fingerprint}


def test_state_digest_sees_a_change(trio):
    before = state_digest(trio["a"])
    person(trio["a"], "Someone")
    assert state_digest(trio["a"]) != before
