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
