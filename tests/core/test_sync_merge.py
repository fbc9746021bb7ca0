"""Lossless merge: concurrent edits become a conflict with every version kept, the
shown version is the same everywhere, resolving syncs and clears it everywhere;
deletes against edits are conflicts; identical revisions made twice stay one;
seals travel, also when made after their revision was sent."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from kkdesk.db.models import Head
from kkdesk.db.sync_models import RevisionAlias
from kkdesk.interchange import author_of, save
from kkdesk.records import content_of, delete_record, find, seal, verify
from kkdesk.sync import conflicts as C
from kkdesk.sync.export import ExportRequest, export_bundle
from tests.core.test_bundle_exchange import synced_state
from tests.core.test_sync_support import (NAMES, edit_person, export, import_, person, trio,  # noqa: F401 (fixture)
                                          trio_template)  # noqa: F401


def sync(src, dst, tmp_path, name):
    key = next(k for k, v in NAMES.items() if v == dst.name)
    return import_(dst, export(src, key, tmp_path / f"{name}.kkb"))


def both_ways(x, y, tmp_path, tag):
    sync(x, y, tmp_path, f"{tag}-xy")
    sync(y, x, tmp_path, f"{tag}-yx")


def test_concurrent_edits_keep_both_versions(trio, tmp_path):
    a, b = trio["a"], trio["b"]
    rid = person(a, "Original")
    sync(a, b, tmp_path, "seed")
    rev_a = edit_person(a, rid, "Changed by Aigerim")
    rev_b = edit_person(b, rid, "Changed by Bolat")
    report = sync(a, b, tmp_path, "ab")
    assert (report.updated, report.conflicts) == (1, 1)
    sync(b, a, tmp_path, "ba")
    for st in (a, b):
        with st.session() as s:
            rec = find(s, rid)
            assert rec.conflict
            assert set(s.execute(select(Head.rev_id).where(Head.record_id == rid)).scalars()) == {rev_a, rev_b}
            listed = C.list_conflicts(s)
            assert [c.id for c in listed] == [rid]
            names = {v.content["name_latin"] for v in listed[0].versions}
            assert names == {"Changed by Aigerim", "Changed by Bolat"}
            data = listed[0].as_dict()
            assert data["kind"] == "person" and data["record_no"] == rec.record_no
            assert {v["record"]["name_latin"] for v in data["versions"]} == names
            assert all(v["author"] and v["created_at"] for v in data["versions"])
            assert verify(s) == []
    assert synced_state(a) == synced_state(b)  # the same version shown on both machines


def test_resolving_syncs_and_clears_the_conflict_everywhere(trio, tmp_path):
    a, b, c = trio["a"], trio["b"], trio["c"]
    rid = person(a, "Original")
    sync(a, b, tmp_path, "seed")
    edit_person(a, rid, "A")
    rev_b = edit_person(b, rid, "B")
    both_ways(a, b, tmp_path, "1")
    sync(a, c, tmp_path, "ac")
    with a.session() as s:
        result = C.resolve_keep(s, author_of(a), rid, rev_b[:10])
    with a.session() as s:
        rec = find(s, rid)
        assert not rec.conflict and rec.head == result.rev_id
        assert content_of(s, rec.head)["name_latin"] == "B"
        assert C.list_conflicts(s) == []
    for dst in (b, c):
        sync(a, dst, tmp_path, f"fix-{dst.name}")
        with dst.session() as s:
            rec = find(s, rid)
            assert not rec.conflict and rec.head == result.rev_id


def test_a_merged_edit_clears_the_conflict(trio, tmp_path):
    a, b = trio["a"], trio["b"]
    rid = person(a, "Original", occupation="lawyer")
    sync(a, b, tmp_path, "seed")
    edit_person(a, rid, "Name from A")
    with b.session() as s:
        rec = find(s, rid)
        content = content_of(s, rec.head)
        content["occupation"] = "journalist"
        save(s, author_of(b), "person", {k: v for k, v in content.items() if k != "record_no"}, record_id=rid)
    both_ways(a, b, tmp_path, "1")
    with b.session() as s:
        conflict = C.get(s, rid)
        names = C.field_names(conflict)
        assert names == ["name_latin", "occupation"]
        take = {v.content["name_latin"]: i for i, v in enumerate(conflict.versions)}
        merged = C.merge_fields(conflict, {"name_latin": take["Name from A"],
                                           "occupation": take["Original"]}, base=take["Original"])
        merged["occupation"] = "journalist"
        C.resolve_merged(s, author_of(b), rid, {k: v for k, v in merged.items() if k != "record_no"})
    both_ways(b, a, tmp_path, "2")
    for st in (a, b):
        with st.session() as s:
            rec = find(s, rid)
            assert not rec.conflict
            assert {k: content_of(s, rec.head)[k] for k in ("name_latin", "occupation")} == {
                "name_latin": "Name from A", "occupation": "journalist"}


def test_delete_against_a_concurrent_edit_is_a_conflict(trio, tmp_path):
    a, b = trio["a"], trio["b"]
    rid = person(a, "Contested")
    sync(a, b, tmp_path, "seed")
    with a.session() as s:
        delete_record(s, author_of(a), rid)
    edit_person(b, rid, "Still needed")
    both_ways(a, b, tmp_path, "1")
    for st in (a, b):
        with st.session() as s:
            rec = find(s, rid)
            assert rec.conflict and not rec.deleted  # the edit is shown, never hidden by the delete
            assert content_of(s, rec.head)["name_latin"] == "Still needed"
            versions = C.get(s, rid).versions
            assert sorted(v.deleted for v in versions) == [False, True]
            assert [v.as_dict("person", rid)["record"] for v in versions if v.deleted] == [None]
    with a.session() as s:
        tomb = next(v for v in C.get(s, rid).versions if v.deleted)
        C.resolve_keep(s, author_of(a), rid, tomb.revision)
    sync(a, b, tmp_path, "2")
    with b.session() as s:
        rec = find(s, rid)
        assert rec.deleted and not rec.conflict


def test_the_same_delete_made_twice_is_one_revision(trio, tmp_path):
    a, b = trio["a"], trio["b"]
    rid = person(a, "Deleted on both laptops")
    sync(a, b, tmp_path, "seed")
    for st in (a, b):
        with st.session() as s:
            delete_record(s, author_of(st), rid)
    both_ways(a, b, tmp_path, "1")
    for st in (a, b):
        with st.session() as s:
            rec = find(s, rid)
            assert rec.deleted and not rec.conflict
            assert s.execute(select(RevisionAlias)).scalars().all() != []  # the second label is kept
    assert synced_state(a) == synced_state(b)
    sync(a, b, tmp_path, "ack")  # tells B that A now holds B's label too
    assert export_bundle(a, ExportRequest(out=tmp_path / "empty.kkb", to=["Bolat"])).revisions == 0
    assert export_bundle(b, ExportRequest(out=tmp_path / "empty2.kkb", to=["Aigerim"])).revisions == 0


def test_concurrent_deletes_from_different_heads_are_not_a_conflict(trio, tmp_path):
    a, b = trio["a"], trio["b"]
    rid = person(a, "Going")
    sync(a, b, tmp_path, "seed")
    edit_person(a, rid, "Edited before delete")
    for st in (a, b):
        with st.session() as s:
            delete_record(s, author_of(st), rid)
    both_ways(a, b, tmp_path, "1")
    with a.session() as s:
        rec = find(s, rid)
        assert rec.deleted and not rec.conflict
        assert len(s.execute(select(Head.rev_id).where(Head.record_id == rid)).all()) == 2


def test_seals_travel_with_their_revisions_and_later(trio, tmp_path):
    a, b, c = trio["a"], trio["b"], trio["c"]
    early = person(a, "Sealed at once")
    late = person(a, "Sealed later")
    with a.session() as s:
        seal(s, a.identity, early)
    sync(a, b, tmp_path, "1")
    with b.session() as s:
        assert find(s, early).sealed and not find(s, late).sealed
    sync(b, a, tmp_path, "ack")
    with a.session() as s:
        seal(s, a.identity, late)
    report = sync(a, b, tmp_path, "2")
    assert report.seals_new == 1 and report.revisions_new == 0
    with b.session() as s:
        assert find(s, late).sealed
        assert verify(s) == []
    sync(b, c, tmp_path, "relay")  # B passes A's seals on to C
    with c.session() as s:
        assert find(s, early).sealed and find(s, late).sealed
        count = s.execute(text("SELECT count(*) FROM seal")).scalar()
    assert count == 2


@pytest.mark.parametrize("larger_first", [True, False])
def test_both_labels_of_a_revision_in_one_batch(store, larger_first):
    """A bundle may carry one revision under two labels (made on two machines). When the
    larger label comes first in a batch, its row is not yet written as the smaller one
    arrives: the row must still end with the smallest label, the other as an alias."""
    from kkdesk.canonical import revision_id, sha256_hex
    from kkdesk.db.models import Revision
    from kkdesk.sync.importer import ImportReport, _Import

    rid = "5b7b1c1e-3f5d-4b8e-9a57-0c1f4f1c9a11"
    sha = sha256_hex(b"{}")
    rev = revision_id("person", rid, [], True, sha)
    base = {"rev_id": rev, "record_id": rid, "kind": "person", "parents": "[]", "deleted": True,
            "content_sha256": sha, "content": b"{}", "schema_version": 1}
    small = {**base, "author": "1" * 36, "author_seq": 3, "created_at": "2026-01-01T10:00:00.000Z"}
    large = {**base, "author": "0" * 36, "author_seq": 1, "created_at": "2026-01-01T10:00:05.000Z"}
    with store.session() as s:
        imp = _Import.__new__(_Import)  # only what flush_revisions uses
        imp.session, imp.report, imp.touched, imp.bundle_records = s, ImportReport(), set(), set()
        imp.pending = [dict(large), dict(small)] if larger_first else [dict(small), dict(large)]
        imp.flush_revisions()
        row = s.execute(select(Revision.author, Revision.author_seq).where(Revision.rev_id == rev)).one()
        aliases = s.execute(select(RevisionAlias.author, RevisionAlias.author_seq)).all()
    assert tuple(row) == ("1" * 36, 3)
    assert [tuple(a) for a in aliases] == [("0" * 36, 1)]
