"""Data from a newer version passes through an older one: unknown content fields are
kept verbatim (and projected around), revisions of an unknown kind are kept in the
history and passed on; a revision whose parent never arrived is still shown."""

from __future__ import annotations

import json

from sqlalchemy import select

from kkdesk.canonical import canonical_bytes, revision_id, sha256_hex
from kkdesk.db.models import Record, Revision
from kkdesk.records import content_of, find
from kkdesk.sync import manifest as M
from kkdesk.sync.export import ExportRequest, export_bundle
from tests.core.test_sync_support import (build, decrypt, edit_person, export, import_, person, resign, trio,  # noqa: F401
                                          trio_template)  # noqa: F401


def _forge_line(kind: str, record_id: str, content: dict, author: str, seq: int) -> bytes:
    body = canonical_bytes(content)
    sha = sha256_hex(body)
    rev = revision_id(kind, record_id, [], False, sha)
    return json.dumps({"t": "rev", "rev": rev, "kind": kind, "id": record_id, "parents": [], "deleted": False,
                       "content_sha256": sha, "content": body.decode(), "author": author, "seq": seq,
                       "created_at": "2030-01-01T00:00:00.000Z", "schema_version": 2},
                      ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def test_unknown_fields_and_kinds_are_kept_and_passed_on(trio, tmp_path):
    a, b, c = trio["a"], trio["b"], trio["c"]
    rid = person(a, "Known person")
    bundle = export(a, "b", tmp_path / "base.kkb")
    entries = decrypt(bundle, b)
    with a.session() as s:
        content = content_of(s, find(s, rid).head)
        seq = s.execute(select(Revision.author_seq).order_by(Revision.author_seq.desc())).scalars().first()
    newer_person = {**content, "name_latin": "Newer", "pronouns_v2": "she/her"}
    other = "5a1c2f1e-0000-4000-8000-00000000abcd"
    lines = [_forge_line("person", "11111111-2222-4333-8444-555555555555", newer_person, a.profile_id, seq + 1),
             _forge_line("witness_v2", other, {"note": "a kind this version does not know"}, a.profile_id, seq + 2)]
    records = entries[M.RECORDS_NAME] + b"".join(lines)
    manifest = json.loads(entries[M.MANIFEST_NAME])
    manifest["counts"]["revisions"] += 2
    manifest["vector"]["revisions"][a.profile_id] = [[1, seq + 2]]
    for entry in manifest["entries"]:
        if entry["name"] == M.RECORDS_NAME:
            entry.update(size=len(records), sha256=M.sha256_hex(records))
    forged = resign({**entries, M.RECORDS_NAME: records}, manifest, a)  # as a newer kkdesk on A would sign it
    report = import_(b, build(forged, [b.identity.age_recipient], tmp_path / "newer.kkb"))
    assert report.revisions_new == 3 and report.new == 3
    with b.session() as s:
        rec = find(s, "11111111-2222-4333-8444-555555555555")
        assert rec.title == "Newer"
        assert content_of(s, rec.head)["pronouns_v2"] == "she/her"
        assert s.execute(select(Record).where(Record.id == other)).first() is None  # not shown …
        assert s.execute(select(Revision.kind).where(Revision.record_id == other)).scalar() == "witness_v2"
    export_bundle(b, ExportRequest(out=tmp_path / "relay.kkb", to=["Dana"], mode="all"))
    import_(c, tmp_path / "relay.kkb")
    with c.session() as s:  # … but passed on, byte for byte
        assert s.execute(select(Revision.kind).where(Revision.record_id == other)).scalar() == "witness_v2"
        assert content_of(s, find(s, "11111111-2222-4333-8444-555555555555").head)["pronouns_v2"] == "she/her"


def test_a_revision_whose_parent_never_arrived_is_shown(trio, tmp_path):
    a, b = trio["a"], trio["b"]
    rid = person(a, "First version")
    export_bundle(a, ExportRequest(out=tmp_path / "lost.kkb", to=["Bolat"], mode="since-last"))
    edit_person(a, rid, "Second version")
    export_bundle(a, ExportRequest(out=tmp_path / "next.kkb", to=["Bolat"], mode="since-last"))
    report = import_(b, tmp_path / "next.kkb")
    assert report.new == 1
    with b.session() as s:
        rec = find(s, rid)
        assert not rec.conflict and content_of(s, rec.head)["name_latin"] == "Second version"
    import_(b, tmp_path / "lost.kkb")  # found again later: history complete, nothing else changes
    with b.session() as s, a.session() as sa:
        rec = find(s, rid)
        assert not rec.conflict and rec.head == find(sa, rid).head
        assert len(s.execute(select(Revision.rev_id).where(Revision.record_id == rid)).all()) == 2
