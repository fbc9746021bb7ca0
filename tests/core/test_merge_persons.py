"""Merging two persons: the kept one gets both names and contacts, every reference
moves to it, the other becomes a tombstone naming it; bad input changes nothing.
And the merge in bundles: the receiving profile ends with the same single person and
the same references, in both orders of arrival, an edit of the merged person kept
as a conflict on the kept one."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from kkdesk.cli import main
from kkdesk.db.models import Head, Record
from kkdesk.interchange import author_of, save
from kkdesk.merge_persons import merge, merged_content, successor_of
from kkdesk.records import content_of, find, verify
from tests.conftest import PASSPHRASE
from tests.core.test_bundle_exchange import synced_state
from tests.core.test_sync_support import (NAMES, export, import_, state_digest,  # noqa: F401
                                          trio, trio_template)  # noqa: F401

PERSON = {"gender": "male", "primary_target_group": "civic_activist", "entry_language": "ru", "confidentiality": "internal"}



@pytest.fixture(autouse=True)
def _english_after():
    """The CLI calls here switch the message language; later tests expect English."""
    yield
    from kkdesk.i18n import set_language

    set_language("en")

def add_person(store, **fields) -> str:
    with store.session() as s:
        return save(s, author_of(store), "person", {**PERSON, **fields}).id


def add_threat(store, victim: str, perpetrator: str | None = None) -> str:
    perp = {"perpetrator_type": "police", "involvement_degree": "direct"}
    if perpetrator:
        perp["perpetrator_person"] = perpetrator
    with store.session() as s:
        return save(s, author_of(store), "threat", {
            "title": "Задержание", "description": "d", "start_date": "2024-04-15", "region": "almaty_city",
            "entry_language": "ru", "confidentiality": "internal",
            "acts": [{"victim_person": victim, "threat_type": "detention_short", "act_date": "2024-04-15",
                      "target_group_at_time": "journalist", "gender_at_time": "male", "region_at_time": "almaty_city",
                      "perpetrators": [perp]}]}).id


def add_case(store, *persons: str) -> str:
    with store.session() as s:
        return save(s, author_of(store), "case", {
            "title": "Дело", "procedure_type": "criminal", "status": "at_trial", "opened_date": "2024",
            "region": "almaty_city", "summary": "s", "entry_language": "ru", "confidentiality": "internal",
            "parties": [{"person": p, "role": "defendant"} for p in persons]}).id


def edit(store, rid: str, **changes) -> None:
    with store.session() as s:
        content = content_of(s, find(s, rid).head)
        content.update(changes)
        save(s, author_of(store), find(s, rid).kind, {k: v for k, v in content.items() if k != "record_no"},
             record_id=rid)


def refs(store, rid: str) -> set[str]:
    from kkdesk.merge_persons import _refs_in
    from kkdesk import schema as S

    with store.session() as s:
        rec = find(s, rid)
        out: set[str] = set()
        _refs_in(S.TOP_LEVEL[rec.kind], content_of(s, rec.head), out)
        return out


def live_persons(store) -> set[str]:
    with store.session() as s:
        return set(s.execute(select(Record.id).where(Record.kind == "person", Record.deleted.is_(False))).scalars())


def heads(store, rid: str) -> set[str]:
    with store.session() as s:
        return set(s.execute(select(Head.rev_id).where(Head.record_id == rid)).scalars())


def test_merged_content_unions_names_and_contacts():
    keep = {**PERSON, "record_no": "PE-1", "name_ru": "Ерлан Токтаров", "phone": "+7 701 111", "birth_date": "1985",
            "birth_date_precision": "year", "other_target_groups": ["journalist"], "occupation": "инженер"}
    other = {**PERSON, "record_no": "PE-2", "name_ru": "Ерлан Тоқтаров", "name_kk": "Ерлан Тоқтаров",
             "phone": "+7 702 222", "email": "e@example.org", "birth_date": "1985-03-02", "birth_date_precision": "day",
             "other_target_groups": ["lawyer"], "occupation": "юрист", "confidentiality": "restricted",
             "name_variants": ["Yerlan T."]}
    out = merged_content(keep, other)
    assert out["record_no"] == "PE-1" and out["name_ru"] == "Ерлан Токтаров" and out["name_kk"] == "Ерлан Тоқтаров"
    assert out["name_variants"] == ["Yerlan T."]  # the other's name_ru equals name_kk: kept once
    assert out["phone"] == "+7 701 111; +7 702 222" and out["email"] == "e@example.org"
    assert out["other_target_groups"] == ["journalist", "lawyer"]
    assert out["occupation"] == "инженер" and out["birth_date"] == "1985" and out["birth_date_precision"] == "year"
    assert out["confidentiality"] == "restricted"  # never less protected than either record
    chosen = merged_content(keep, other, {"occupation": "other", "birth_date": "other", "name_ru": "other"})
    assert chosen["occupation"] == "юрист" and chosen["birth_date"] == "1985-03-02"
    assert chosen["birth_date_precision"] == "day"
    assert chosen["name_ru"] == "Ерлан Тоқтаров" and "Ерлан Токтаров" in chosen["name_variants"]


def test_cli_merge_moves_every_reference(home, tmp_path, capsys):
    from kkdesk.store import open_profile

    store = open_profile(home, PASSPHRASE)
    try:
        keep = add_person(store, name_ru="Ерлан Токтаров", phone="+7 701")
        other = add_person(store, name_kk="Ерлан Тоқтаров", email="y@example.org")
        bystander = add_person(store, name_ru="Айгерим Сейткали")
        threat = add_threat(store, other, perpetrator=other)
        case = add_case(store, other, bystander)
        with store.session() as s:
            keep_no = find(s, keep).record_no
            other_no = find(s, other).record_no
    finally:
        store.close()
    pfile = tmp_path / "p.txt"
    pfile.write_text(PASSPHRASE, encoding="utf-8")
    base = ["--home", str(home), "--passphrase-file", str(pfile)]
    assert main(base + ["merge", "persons", keep_no, other_no]) == 0
    assert "Merged" in capsys.readouterr().out
    store = open_profile(home, PASSPHRASE)
    try:
        assert live_persons(store) == {keep, bystander}
        assert refs(store, threat) == {keep} and refs(store, case) == {keep, bystander}
        with store.session() as s:
            kept = content_of(s, find(s, keep).head)
            assert kept["name_ru"] == "Ерлан Токтаров" and kept["name_kk"] == "Ерлан Тоқтаров"
            assert kept["phone"] == "+7 701" and kept["email"] == "y@example.org"
            gone = find(s, other)
            assert gone.deleted and not gone.conflict
            (tomb,) = heads(store, other)
            from kkdesk.db.models import Revision

            body = s.execute(select(Revision.content).where(Revision.rev_id == tomb)).scalar()
            assert successor_of(body)["successor"] == keep
            assert verify(s) == []
            from kkdesk import links

            assert {link.id for link in links.linked(s, keep)} >= {threat, case}
    finally:
        store.close()


@pytest.mark.parametrize("lang, expected", [("en", "merged with itself"), ("ru", "с самой собой"),
                                            ("kk", "өзімен")])
def test_bad_merges_are_one_line_and_change_nothing(home, tmp_path, capsys, lang, expected):
    from kkdesk.store import open_profile

    store = open_profile(home, PASSPHRASE)
    try:
        a = add_person(store, name_ru="Ерлан Токтаров")
        b = add_person(store, name_ru="Токтаров Ерлан")
        gone = add_person(store, name_ru="Ерлан Токтаров")
        with store.session() as s:
            from kkdesk.records import delete_record

            delete_record(s, author_of(store), gone)
    finally:
        store.close()
    pfile = tmp_path / "p.txt"
    pfile.write_text(PASSPHRASE, encoding="utf-8")
    base = ["--home", str(home), "--passphrase-file", str(pfile), "--ui-lang", lang]
    store = open_profile(home, PASSPHRASE)
    before = state_digest(store)
    store.close()
    assert main(base + ["merge", "persons", a, a]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and expected in err
    for pair in ((a, gone), (gone, b)):
        assert main(base + ["merge", "persons", *pair]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "Traceback" not in err
    store = open_profile(home, PASSPHRASE)
    try:
        assert state_digest(store) == before
    finally:
        store.close()


# --- in bundles -------------------------------------------------------------------

def sync(src, dst, tmp_path, name):
    key = next(k for k, v in NAMES.items() if v == dst.name)
    return import_(dst, export(src, key, tmp_path / f"{name}.kkb"))


def setup_pair(a, b, tmp_path):
    keep = add_person(a, name_ru="Ерлан Токтаров", phone="+7 701")
    other = add_person(a, name_kk="Ерлан Тоқтаров")
    threat = add_threat(a, other)
    sync(a, b, tmp_path, "seed")
    return keep, other, threat


def assert_converged(a, b, keep, other):
    assert synced_state(a)["head"] == synced_state(b)["head"]
    for st in (a, b):
        with st.session() as s:
            assert find(s, other).deleted and not find(s, other).conflict
            assert verify(s) == []
    assert live_persons(a) == live_persons(b) and other not in live_persons(a) and keep in live_persons(a)


@pytest.mark.parametrize("order", ["merge-first", "edit-first"])
def test_a_merge_travels_and_an_edit_of_the_merged_person_is_kept(trio, tmp_path, order):
    a, b = trio["a"], trio["b"]
    keep, other, threat = setup_pair(a, b, tmp_path)
    with a.session() as s:
        merge(s, author_of(a), keep, other)
    edit(b, other, occupation="журналист", email="new@example.org")  # b has not seen the merge
    new_threat = add_threat(b, other)                                 # nor has it seen it here
    if order == "merge-first":
        sync(a, b, tmp_path, "ab")
        sync(b, a, tmp_path, "ba")
    else:
        sync(b, a, tmp_path, "ba")
        sync(a, b, tmp_path, "ab")
    sync(a, b, tmp_path, "ab2")
    sync(b, a, tmp_path, "ba2")
    assert_converged(a, b, keep, other)
    for st in (a, b):
        assert refs(st, threat) == {keep} and refs(st, new_threat) == {keep}
        with st.session() as s:
            rec = find(s, keep)
            assert rec.conflict  # the edit made before the merge arrived, kept beside the merge
            from kkdesk.sync import conflicts as C

            versions = next(c for c in C.list_conflicts(s) if c.id == keep).versions
            carried = [v.content for v in versions if v.content.get("occupation") == "журналист"]
            assert len(carried) == 1 and carried[0]["email"] == "new@example.org"
            assert carried[0]["name_kk"] == "Ерлан Тоқтаров" and carried[0]["phone"] == "+7 701"
            assert any("occupation" not in v.content for v in versions)


@pytest.mark.parametrize("order", ["merge-first", "other-first"])
def test_a_merge_without_edits_fast_forwards_everywhere(trio, tmp_path, order):
    a, b, c = trio["a"], trio["b"], trio["c"]
    keep, other, threat = setup_pair(a, b, tmp_path)
    sync(a, c, tmp_path, "seed-c")
    late = add_threat(c, other)  # c names the person before it hears of the merge
    with a.session() as s:
        merge(s, author_of(a), keep, other)
    if order == "merge-first":
        sync(a, b, tmp_path, "ab")
        sync(c, b, tmp_path, "cb")
    else:
        sync(c, b, tmp_path, "cb")
        sync(a, b, tmp_path, "ab")
    with b.session() as s:
        assert not find(s, keep).conflict
    assert refs(b, threat) == {keep} and refs(b, late) == {keep}
    assert live_persons(b) == {keep}
    sync(b, a, tmp_path, "ba")
    sync(b, c, tmp_path, "bc")
    for st in (a, c):
        assert refs(st, late) == {keep} and live_persons(st) == {keep}
    assert synced_state(a)["head"] == synced_state(b)["head"] == synced_state(c)["head"]


@pytest.mark.parametrize("body", [{"note": "x"}, {"merged_rev": "a", "successor": "b"},
                                  {"merged_rev": "a", "successor": "b", "successor_rev": 3}])
def test_a_tombstone_holds_nothing_but_a_successor(trio, tmp_path, body):
    """A signed bundle whose tombstone carries other content is refused, the store unchanged."""
    from kkdesk.canonical import canonical_bytes, revision_id, sha256_hex
    from kkdesk.sync import manifest as M
    from kkdesk.sync.errors import BundleDamagedError
    from kkdesk.sync.importer import import_bundle
    from tests.core.test_sync_support import build, decrypt, resign

    a, b = trio["a"], trio["b"]
    add_person(a, name_ru="Ерлан Токтаров")
    bundle = export(a, "b", tmp_path / "good.kkb")
    entries = decrypt(bundle, b)
    lines = entries[M.RECORDS_NAME].splitlines(keepends=True)
    rev = json.loads(lines[0])
    content = canonical_bytes(body).decode()
    sha = sha256_hex(content.encode())
    rev.update(deleted=True, content=content, content_sha256=sha,
               rev=revision_id(rev["kind"], rev["id"], rev["parents"], True, sha))
    lines[0] = json.dumps(rev, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
    records = b"".join(lines)
    manifest = json.loads(entries[M.MANIFEST_NAME])
    for entry in manifest["entries"]:
        if entry["name"] == M.RECORDS_NAME:
            entry.update(size=len(records), sha256=M.sha256_hex(records))
    forged = build(resign({**entries, M.RECORDS_NAME: records}, manifest, a), [b.identity.age_recipient],
                   tmp_path / "tomb.kkb")
    before = state_digest(b)
    with pytest.raises(BundleDamagedError):
        import_bundle(b, forged)
    assert state_digest(b) == before
    assert import_bundle(b, bundle).new == 1


def test_a_form_opened_before_the_merge_follows_it_on_save(store):
    """An editor still showing OTHER saves after the merge: the edit becomes a version of KEEP."""
    keep = add_person(store, name_ru="Ерлан Токтаров")
    other = add_person(store, name_kk="Ерлан Тоқтаров")
    with store.session() as s:
        stale = content_of(s, find(s, other).head)
        stale_heads = [find(s, other).head]
        merge(s, author_of(store), keep, other)
    with store.session() as s:
        stale["occupation"] = "журналист"
        save(s, author_of(store), "person", {k: v for k, v in stale.items() if k != "record_no"},
             record_id=other, base_heads=stale_heads)
        assert find(s, other).deleted and not find(s, other).conflict
        rec = find(s, keep)
        assert rec.conflict
        from kkdesk.sync import conflicts as C

        versions = next(c for c in C.list_conflicts(s) if c.id == keep).versions
        assert any(v.content.get("occupation") == "журналист" for v in versions)
        assert verify(s) == []
