"""Revisions: content-addressed ids, history, tombstones, seals, verification."""

import json

import pytest
from sqlalchemy import select

from kkdesk import records
from kkdesk.canonical import canonical_bytes, revision_id, sha256_hex
from kkdesk.db.models import Head, Record, Revision
from kkdesk.errors import NotFoundError, ValidationError
from kkdesk.interchange import author_of, save

PERSON = {"name_kk": "Бақытжан Төреғожина", "name_ru": "Бахытжан Тореғожина", "primary_target_group": "hrd",
          "gender": "female", "residence_region": "almaty_city"}


def _save(store, fields, rid=None, kind="person"):
    with store.session() as s:
        return save(s, author_of(store), kind, fields, rid, default_language="kk")


def test_create_assigns_record_no_and_revision(store):
    r = _save(store, PERSON)
    assert r.status == "new"
    prefix, year, code, n = r.record_no.split("-")
    assert prefix == "PE" and len(year) == 4 and code == store.profile_code and n == "0001"
    with store.session() as s:
        rev = s.get(Revision, r.rev_id)
        assert json.loads(rev.parents) == []
        content = json.loads(rev.content)
        assert content["name_kk"] == PERSON["name_kk"]
        assert content["entry_language"] == "kk" and content["consent_to_publish"] == "unknown"
        # the revision id is exactly ARCHITECTURE's formula
        assert rev.content == canonical_bytes(content)
        assert rev.content_sha256 == sha256_hex(rev.content)
        assert rev.rev_id == revision_id("person", r.id, [], False, rev.content_sha256)


def test_same_content_makes_no_revision(store):
    r1 = _save(store, PERSON)
    r2 = _save(store, PERSON, r1.id)
    assert r2.status == "unchanged" and r2.rev_id == r1.rev_id


def test_edit_makes_child_revision_and_keeps_history(store):
    r1 = _save(store, PERSON)
    r2 = _save(store, {**PERSON, "occupation": "Құқық қорғаушы"}, r1.id)
    assert r2.status == "updated" and r2.record_no == r1.record_no
    with store.session() as s:
        hist = records.history(s, r1.id)
        assert [h.rev_id for h in hist] == [r1.rev_id, r2.rev_id]
        assert hist[1].parents == [r1.rev_id]
        assert records.get(s, r1.record_no).content["occupation"] == "Құқық қорғаушы"


def test_delete_is_a_tombstone_and_restore_is_a_new_revision(store):
    r1 = _save(store, PERSON)
    with store.session() as s:
        d = records.delete_record(s, author_of(store), r1.id)
        assert d.status == "deleted"
        rec = records.get(s, r1.id)
        assert rec.deleted and rec.content == {}
        assert len(records.history(s, r1.id)) == 2
    r3 = _save(store, PERSON, r1.id)
    assert r3.status == "updated"
    with store.session() as s:
        hist = records.history(s, r1.id)
        assert [h.deleted for h in hist] == [False, True, False]
        assert not records.get(s, r1.id).deleted


def test_seal_signs_and_later_edit_is_visible(store):
    r1 = _save(store, PERSON)
    with store.session() as s:
        sealed_rev = records.seal(s, store.identity, r1.id)
        assert records.get(s, r1.id).sealed
    r2 = _save(store, {**PERSON, "occupation": "Журналист"}, r1.id)
    with store.session() as s:
        view = records.get(s, r1.id)
        assert not view.sealed and view.head == r2.rev_id
        hist = records.history(s, r1.id)
        assert hist[0].rev_id == sealed_rev and hist[0].sealed_by == [store.identity.fingerprint]
        assert records.verify(s) == []


def test_verify_detects_tampered_content(store):
    r1 = _save(store, PERSON)
    with store.session() as s:
        rev = s.get(Revision, r1.rev_id)
        rev.content = rev.content.replace("Бақытжан".encode(), "Бахытжан".encode())
    with store.session() as s:
        problems = records.verify(s)
    assert any("content does not match" in p for p in problems)


def test_verify_detects_forged_seal(store):
    from kkdesk.db.models import Seal

    r1 = _save(store, PERSON)
    with store.session() as s:
        records.seal(s, store.identity, r1.id)
    with store.session() as s:
        seal = s.execute(select(Seal)).scalar_one()
        seal.signature = seal.signature[:-4] + ("AAAA" if not seal.signature.endswith("AAAA") else "BBBB")
    with store.session() as s:
        assert any("signature does not verify" in p for p in records.verify(s))


def test_invalid_record_is_refused_and_changes_nothing(store):
    with pytest.raises(ValidationError) as exc:
        _save(store, {"name_kk": "Х", "primary_target_group": "not_a_group"})
    paths = [p.path for p in exc.value.problems]
    assert paths == ["primary_target_group"]
    with store.session() as s:
        assert s.execute(select(Record)).first() is None


def test_warning_marks_incomplete_but_saves(store):
    r = _save(store, {**PERSON, "consent_to_publish": "yes"})
    assert [w.path for w in r.warnings] == ["consent_date"]
    with store.session() as s:
        view = records.get(s, r.id)
        assert view.incomplete and view.warnings[0]["path"] == "consent_date"


def test_unknown_reference_refused(store):
    with pytest.raises(NotFoundError):
        with store.session() as s:
            records.get(s, "PE-2000-XXX-0001")


def test_heads_table_tracks_single_head(store):
    r1 = _save(store, PERSON)
    r2 = _save(store, {**PERSON, "occupation": "x"}, r1.id)
    with store.session() as s:
        heads = list(s.execute(select(Head.rev_id).where(Head.record_id == r1.id)).scalars())
    assert heads == [r2.rev_id]


# --- an edit made on a version that has moved on ------------------------------------------

OTHER = records.Author("0b8c8a54-63f0-4f49-9d54-2f6b2f0b9a11", "OTH")


def test_an_edit_of_a_version_that_moved_on_is_kept_beside_the_change_not_over_it(store):
    """The form was opened on r1; meanwhile another monitor's change (r2) arrived. The
    form's save must not lay r1+edit over r2 (last save wins, r2's change lost): it
    becomes a sibling of r2, the record is in conflict and both versions are there."""
    from kkdesk.sync.conflicts import get as conflict

    r1 = _save(store, PERSON)
    with store.session() as s:
        opened = records.get(s, r1.id)
        assert opened.heads == [r1.rev_id]
        r2 = save(s, OTHER, "person", {**PERSON, "occupation": "Журналист"}, r1.id)
    assert r2.status == "updated"
    mine = _save_on(store, {**PERSON, "remarks": "Менің жазбам"}, r1.id, opened.heads)
    assert mine.status == "conflict" and mine.record_no == r1.record_no
    with store.session() as s:
        now = records.get(s, r1.id)
        assert now.conflict and now.heads == sorted([r2.rev_id, mine.rev_id])
        assert [h.parents for h in records.history(s, r1.id) if h.rev_id == mine.rev_id] == [[r1.rev_id]]
        versions = {v.revision: v.content for v in conflict(s, r1.id).versions}
    assert versions[r2.rev_id]["occupation"] == "Журналист" and "remarks" not in versions[r2.rev_id]
    assert versions[mine.rev_id]["remarks"] == "Менің жазбам" and "occupation" not in versions[mine.rev_id]
    # saved on the heads it sees, an edit is an ordinary child (here: it settles the conflict)
    merged = _save_on(store, {**PERSON, "occupation": "Журналист", "remarks": "Менің жазбам"}, r1.id, now.heads)
    with store.session() as s:
        assert merged.status == "updated" and not records.get(s, r1.id).conflict


def test_an_unchanged_form_on_a_version_that_moved_on_saves_nothing(store):
    r1 = _save(store, PERSON)
    with store.session() as s:
        r2 = save(s, OTHER, "person", {**PERSON, "occupation": "Журналист"}, r1.id)
        revisions = s.execute(select(Revision.rev_id)).scalars().all()
    again = _save_on(store, dict(PERSON), r1.id, [r1.rev_id])
    assert again.status == "unchanged" and again.rev_id == r1.rev_id
    with store.session() as s:
        assert s.execute(select(Revision.rev_id)).scalars().all() == revisions
        assert records.get(s, r1.id).heads == [r2.rev_id]


def test_a_seal_is_only_for_the_version_on_screen(store):
    from kkdesk.errors import StaleVersionError

    r1 = _save(store, PERSON)
    r2 = _save(store, {**PERSON, "occupation": "Журналист"}, r1.id)
    with store.session() as s, pytest.raises(StaleVersionError):
        records.seal(s, store.identity, r1.id, expected_head=r1.rev_id)
    with store.session() as s:
        assert not records.get(s, r1.id).sealed
        records.seal(s, store.identity, r1.id, expected_head=r2.rev_id)
    with store.session() as s:
        assert records.get(s, r1.id).sealed


def _save_on(store, fields, rid, base_heads):
    with store.session() as s:
        return save(s, author_of(store), "person", fields, rid, default_language="kk", base_heads=base_heads)


def test_a_delete_is_only_for_the_version_on_screen(store):
    from kkdesk.errors import StaleVersionError

    r1 = _save(store, PERSON)
    r2 = _save(store, {**PERSON, "occupation": "Журналист"}, r1.id)
    with store.session() as s, pytest.raises(StaleVersionError):
        records.delete_record(s, author_of(store), r1.id, expected_heads=[r1.rev_id])
    with store.session() as s:
        assert not records.get(s, r1.id).deleted
        assert records.delete_record(s, author_of(store), r1.id, expected_heads=[r2.rev_id]).status == "deleted"
