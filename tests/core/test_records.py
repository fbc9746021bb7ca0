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
