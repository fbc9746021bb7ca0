"""Refusals: every damaged, altered, misdirected or too-new bundle is refused with its
own translated message and the store stays exactly as it was."""

from __future__ import annotations

import json
import os

import pytest

from kkdesk import attachments
from kkdesk.errors import KkdeskError
from kkdesk.interchange import author_of
from kkdesk.sync import manifest as M
from kkdesk.sync.errors import (BundleDamagedError, BundleError, BundleForeignError, BundleRecipientError,
                                BundleSenderError, BundleSignatureError, BundleVersionError, NotABundleError)
from kkdesk.sync.importer import import_bundle
from tests.core.test_sync_support import (build, decrypt, export, import_, person, resign, state_digest, trio,  # noqa: F401
                                          trio_template)  # noqa: F401


@pytest.fixture
def setup(trio, tmp_path):
    """A bundle from Aigerim to Bolat with records and a 200 KiB attachment (several
    age chunks), and Bolat's state before anything is tried."""
    a, b = trio["a"], trio["b"]
    rid = person(a, "Tamper target")
    (tmp_path / "scan.pdf").write_bytes(os.urandom(200 * 1024))
    with a.session() as s:
        attachments.add_file(s, author_of(a), tmp_path / "scan.pdf", rid)
    bundle = export(a, "b", tmp_path / "good.kkb")
    return trio, bundle, state_digest(b)


def refused(store, path, before: str, kind: type[BundleError], **kw) -> str:
    with pytest.raises(kind) as err:
        import_bundle(store, path, **kw)
    assert isinstance(err.value, KkdeskError)
    message = err.value.user_message()
    assert message and "Traceback" not in message and "\n" not in message
    assert state_digest(store) == before
    return message


def header_end(data: bytes) -> int:
    mac = data.index(b"\n---") + 1
    return data.index(b"\n", mac) + 1


def test_bit_flips_anywhere_are_refused(setup, tmp_path):
    trio, bundle, before = setup
    data = bundle.read_bytes()
    end = header_end(data)
    stanza = data.index(b"-> X25519") + 12
    regions = {
        "magic": (2, NotABundleError),
        "stanza": (stanza, (BundleForeignError, BundleDamagedError)),
        "stanza body": (data.index(b"\n", stanza) + 5, (BundleForeignError, BundleDamagedError)),
        "header MAC": (end - 10, BundleDamagedError),
        "payload nonce": (end + 3, BundleDamagedError),
        "first chunk": (end + 16 + 100, BundleDamagedError),
        "middle chunk": (end + 16 + 65536 + 17 + 300, BundleDamagedError),
        "last chunk": (len(data) - 40, BundleDamagedError),
        "final tag": (len(data) - 1, BundleDamagedError),
    }
    messages = {}
    for name, (offset, kind) in regions.items():
        flipped = bytearray(data)
        flipped[offset] ^= 0x04
        target = tmp_path / f"flip-{name.replace(' ', '-')}.kkb"
        target.write_bytes(bytes(flipped))
        messages[name] = refused(trio["b"], target, before, kind)
    assert messages["first chunk"] == messages["final tag"]
    assert messages["magic"] != messages["first chunk"]
    assert import_bundle(trio["b"], bundle).new == 2  # the untouched bundle still imports


def test_truncated_copies_are_refused(setup, tmp_path):
    trio, bundle, before = setup
    data = bundle.read_bytes()
    end = header_end(data)
    for cut in (0, 5, 25, end - 3, end, end + 10, end + 16 + 65536, len(data) // 2, len(data) - 17, len(data) - 1):
        target = tmp_path / f"cut-{cut}.kkb"
        target.write_bytes(data[:cut])
        kind = NotABundleError if cut < len(M.FORMAT) + 10 else BundleDamagedError
        refused(trio["b"], target, before, kind)


def test_swapped_signature_is_refused(setup, tmp_path):
    trio, bundle, before = setup
    a, b = trio["a"], trio["b"]
    other = export(a, "b", tmp_path / "other.kkb", mode="all")
    entries = decrypt(bundle, b)
    entries[M.SIGNATURE_NAME] = decrypt(other, b)[M.SIGNATURE_NAME]
    forged = build(entries, [b.identity.age_recipient], tmp_path / "swapped.kkb")
    message = refused(b, forged, before, BundleSignatureError)
    assert "signature" in message


def test_signed_by_one_contact_but_claiming_another(setup, tmp_path):
    trio, bundle, _ = setup
    b, c = trio["b"], trio["c"]
    import_(b, bundle)  # Bolat now knows which profile Aigerim is
    before = state_digest(b)
    entries = decrypt(bundle, b)
    manifest = json.loads(entries[M.MANIFEST_NAME])
    # Dana signs a manifest that names Aigerim as its sender
    forged = build(resign(entries, manifest, c), [b.identity.age_recipient], tmp_path / "claims-a.kkb")
    message = refused(b, forged, before, BundleSenderError)
    assert "Dana" in message and "Aigerim" in message
    # Dana's own keys, but Aigerim's profile id: the same lie, told with a valid signature
    manifest["sender"].update({"age_recipient": c.identity.age_recipient, "signing_key": c.identity.signing_key_text,
                               "fingerprint": c.identity.fingerprint, "name": "Aigerim"})
    forged = build(resign(entries, manifest, c), [b.identity.age_recipient], tmp_path / "claims-a-2.kkb")
    message = refused(b, forged, before, BundleSenderError)
    assert "Dana" in message and "Aigerim" in message


def test_re_encrypted_to_a_recipient_the_manifest_does_not_name(setup, tmp_path):
    trio, bundle, _ = setup
    b, c = trio["b"], trio["c"]
    before = state_digest(c)
    passed_on = build(decrypt(bundle, b), [c.identity.age_recipient], tmp_path / "passed-on.kkb")
    message = refused(c, passed_on, before, BundleRecipientError)
    assert "re-encrypted" in message
    # and encrypted to Bolat and one more: the stanza count no longer matches the manifest
    extra = build(decrypt(bundle, b), [b.identity.age_recipient, c.identity.age_recipient], tmp_path / "extra.kkb")
    refused(b, extra, state_digest(b), BundleRecipientError)


def test_a_bundle_for_someone_else_is_refused(setup, tmp_path):
    trio, _, _ = setup
    a = trio["a"]
    for_dana = export(a, "c", tmp_path / "for-dana.kkb")
    message = refused(trio["b"], for_dana, state_digest(trio["b"]), BundleForeignError)
    assert "someone else" in message


def test_a_newer_format_is_refused(setup, tmp_path):
    trio, bundle, before = setup
    a, b = trio["a"], trio["b"]
    entries = decrypt(bundle, b)
    manifest = json.loads(entries[M.MANIFEST_NAME])
    manifest["format_version"] = M.FORMAT_VERSION + 1
    future = build(resign(entries, manifest, a), [b.identity.age_recipient], tmp_path / "future.kkb")
    message = refused(b, future, before, BundleVersionError)
    assert "newer version" in message and str(M.FORMAT_VERSION + 1) in message


def test_altered_entries_are_refused(setup, tmp_path):
    trio, bundle, before = setup
    a, b = trio["a"], trio["b"]
    entries = decrypt(bundle, b)
    # an entry changed after signing: its hash no longer matches the signed manifest
    changed = dict(entries)
    changed[M.RECORDS_NAME] = entries[M.RECORDS_NAME].replace(b"Tamper target", b"Tamper TARGET")
    message = refused(b, build(changed, [b.identity.age_recipient], tmp_path / "records.kkb"), before,
                      BundleDamagedError)
    assert M.RECORDS_NAME in message
    att = next(name for name in entries if name.startswith(M.ATTACHMENT_PREFIX))
    changed = dict(entries)
    changed[att] = bytes([entries[att][0] ^ 1]) + entries[att][1:]
    refused(b, build(changed, [b.identity.age_recipient], tmp_path / "att.kkb"), before, BundleDamagedError)
    # a sender that signs a revision whose id does not match its content
    lines = entries[M.RECORDS_NAME].splitlines(keepends=True)
    rev = json.loads(lines[0])
    rev["content"] = rev["content"].replace("Tamper target", "Someone else")
    lines[0] = json.dumps(rev, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
    records = b"".join(lines)
    manifest = json.loads(entries[M.MANIFEST_NAME])
    for entry in manifest["entries"]:
        if entry["name"] == M.RECORDS_NAME:
            entry.update(size=len(records), sha256=M.sha256_hex(records))
    forged = resign({**entries, M.RECORDS_NAME: records}, manifest, a)
    message = refused(b, build(forged, [b.identity.age_recipient], tmp_path / "rev.kkb"), before, BundleDamagedError)
    assert "revision" in message
    # an entry the manifest lists is missing
    missing = {k: v for k, v in entries.items() if k != att}
    message = refused(b, build(missing, [b.identity.age_recipient], tmp_path / "missing.kkb"), before,
                      BundleDamagedError)
    assert "missing" in message


def test_files_that_are_not_bundles(setup, tmp_path):
    import pyrage

    trio, _, before = setup
    b = trio["b"]
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + os.urandom(1000))
    refused(b, tmp_path / "photo.jpg", before, NotABundleError)
    (tmp_path / "note.age").write_bytes(pyrage.encrypt(b"just a note", [pyrage.x25519.Recipient.from_str(
        b.identity.age_recipient)]))
    refused(b, tmp_path / "note.age", before, BundleDamagedError)
    other_tar = build({"readme.txt": b"hello"}, [b.identity.age_recipient], tmp_path / "tar.age")
    refused(b, other_tar, before, NotABundleError)


def test_a_re_encrypted_bundle_from_a_stranger_is_refused_without_asking_trust(setup, tmp_path):
    trio, bundle, _ = setup
    b, c = trio["b"], trio["c"]
    from kkdesk.sync import contacts

    with c.session() as s:
        contacts.remove(s, "Aigerim")
    passed_on = build(decrypt(bundle, b), [c.identity.age_recipient], tmp_path / "passed-on.kkb")
    refused(c, passed_on, state_digest(c), BundleRecipientError)


def test_json_nested_thousands_deep_is_refused_as_damaged(setup, tmp_path):
    """Anyone who knows a profile's age recipient (it is public) can send it a bundle.
    JSON nested deeper than Python's parser recurses must not end in a traceback,
    whether in the manifest (read before the signature) or in a record line."""
    trio, bundle, _ = setup
    b = trio["b"]
    before = state_digest(b)
    entries = decrypt(bundle, b)
    deep = b"[" * 100_000 + b"]" * 100_000
    for name in (M.MANIFEST_NAME, M.RECORDS_NAME):
        forged = build({**entries, name: deep}, [b.identity.age_recipient], tmp_path / f"deep-{name}.kkb")
        refused(b, forged, before, BundleDamagedError)
