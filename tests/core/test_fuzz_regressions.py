"""What tools/fuzz_bundles.py found, kept as examples: bundles signed by a known
contact whose records hold values kkdesk cannot store are refused in one line and
change nothing (before the fix: an uncaught sqlalchemy InterfaceError)."""

from __future__ import annotations

import json

import pytest

from kkdesk.sync.errors import BundleConsistencyError
from kkdesk.sync.importer import import_bundle
from tests.core.test_sync_support import export, person, state_digest, trio, trio_template  # noqa: F401
from tools.fuzz_bundles import Forge, decrypt, rehash_revision


@pytest.mark.parametrize("content", ['{"record_no":["x"]}', '{"name_latin":"X","residence_region":{"a":1}}',
                                     '{"name_latin":"X","confidentiality":[1]}'])
def test_a_value_sqlite_cannot_bind_is_a_refusal(trio, tmp_path, content):
    a, b = trio["a"], trio["b"]
    person(a, "Fuzz target")
    plain = decrypt(export(a, "b", tmp_path / "good.kkb").read_bytes(), b.identity.age_secret)
    forge = Forge(plain, a.identity, [b.identity.age_recipient])
    lines = forge.lines()
    obj = json.loads(lines[0])
    obj["content"] = content
    lines[0] = json.dumps(rehash_revision(obj)).encode()
    (tmp_path / "bad.kkb").write_bytes(forge.build(None, b"\n".join(lines) + b"\n"))
    before = state_digest(b)
    with pytest.raises(BundleConsistencyError) as err:
        import_bundle(b, tmp_path / "bad.kkb")
    assert "\n" not in err.value.user_message() and "cannot" in err.value.user_message()
    assert state_digest(b) == before
    assert import_bundle(b, tmp_path / "good.kkb").new == 1  # the store still works


def test_a_long_records_line_is_read_in_linear_work():
    """A line of many chunks: each chunk is searched for a line end once (before the fix
    the whole held line was searched again for every 64 KiB chunk: a 257 MiB line took
    more than half an hour)."""
    from kkdesk.sync import importer

    scanned = []

    class CountingBuffer(bytearray):
        def rfind(self, sub, start=0, *rest):
            scanned.append(len(self) - start)
            return super().rfind(sub, start, *rest)

    class Stub:
        lines: list = []

        def stage_line(self, line):
            self.lines.append(line)

    sink = importer._RecordsSink(Stub(), {"sha256": "0" * 64})
    sink.buf = CountingBuffer()
    line = b'{"t":"seal","x":"' + b"a" * (4 << 20) + b'"}'
    for i in range(0, len(line), 65536):
        sink.write(line[i:i + 65536])
    sink.write(b"\n")
    assert Stub.lines == [line]
    assert sum(scanned) <= 2 * (len(line) + 1)


def _forged(trio, tmp_path):
    a, b = trio["a"], trio["b"]
    person(a, "Fuzz target")
    good = export(a, "b", tmp_path / "good.kkb")
    return a, b, good, Forge(decrypt(good.read_bytes(), b.identity.age_secret), a.identity, [b.identity.age_recipient])


@pytest.mark.parametrize("key,value", [("seq", 2 ** 64), ("schema_version", -(2 ** 63) - 1), ("seq", 2 ** 63)])
def test_an_integer_sqlite_cannot_hold_is_a_refusal(trio, tmp_path, key, value):
    """Before: OverflowError (Python int too large to convert to SQLite INTEGER)."""
    from kkdesk.sync.errors import BundleDamagedError

    a, b, good, forge = _forged(trio, tmp_path)
    lines = forge.lines()
    obj = json.loads(lines[0])
    obj[key] = value
    lines[0] = json.dumps(obj).encode()
    (tmp_path / "bad.kkb").write_bytes(forge.build(None, b"\n".join(lines) + b"\n"))
    before = state_digest(b)
    with pytest.raises(BundleDamagedError) as err:
        import_bundle(b, tmp_path / "bad.kkb")
    assert "\n" not in err.value.user_message() and state_digest(b) == before


@pytest.mark.parametrize("key", ["age_recipient", "signing_key", "fingerprint", "profile_id"])
def test_a_sender_key_that_is_not_ascii_is_a_refusal(trio, tmp_path, key):
    """Before: UnicodeEncodeError from the fingerprint of a non-ASCII age recipient."""
    from kkdesk.sync.errors import BundleDamagedError

    a, b, good, forge = _forged(trio, tmp_path)
    manifest = json.loads(json.dumps(forge.manifest))
    manifest["sender"][key] = "Қазақ\u0000тілі"
    (tmp_path / "bad.kkb").write_bytes(forge.build(manifest))
    before = state_digest(b)
    with pytest.raises(BundleDamagedError) as err:
        import_bundle(b, tmp_path / "bad.kkb")
    assert "\n" not in err.value.user_message() and state_digest(b) == before


def test_a_tombstone_of_deeply_nested_json_is_not_a_merge_and_no_recursion_error():
    """Found by tools/fuzz_bundles.py (records-content-rehashed) on the merged tree."""
    from kkdesk.merge_persons import successor_of, valid_tombstone

    for body in (b"[" * 100_000 + b"]" * 100_000, b'{"a":' * 400 + b"1" + b"}" * 400):
        assert successor_of(body) is None
        assert valid_tombstone(body) is False
