"""Possible duplicates (SPEC §7.11): which persons and incidents pair up, which do not,
the `duplicates` command's JSON, and the warnings an import reports."""

from __future__ import annotations

import json

import pytest

from kkdesk import duplicates as D
from kkdesk.cli import main
from kkdesk.interchange import author_of, import_document, save
from tests.conftest import PASSPHRASE



@pytest.fixture(autouse=True)
def _english_after():
    """The CLI calls here switch the message language; later tests expect English."""
    yield
    from kkdesk.i18n import set_language

    set_language("en")

def doc(**lists) -> dict:
    return {"format": "kkdesk-interchange", "version": 1, **lists}


def person(pid: str, name_ru: str | None = None, **kw) -> dict:
    out = {"id": pid, "gender": "male", "primary_target_group": "civic_activist", "entry_language": "ru",
           "confidentiality": "internal", **kw}
    if name_ru:
        out["name_ru"] = name_ru
    return out


def threat(tid: str, victim: str, when: str, threat_type: str = "detention_short", **kw) -> dict:
    return {"id": tid, "title": f"Incident {tid}", "description": "d", "start_date": when, "region": "almaty_city",
            "online": False, "state_response": "unknown", "entry_language": "ru", "confidentiality": "internal",
            "acts": [{"victim_person": victim, "threat_type": threat_type, "act_date": when,
                      "target_group_at_time": "journalist", "gender_at_time": "male", "region_at_time": "almaty_city",
                      "perpetrators": [{"perpetrator_type": "police", "involvement_degree": "direct"}]}], **kw}


def load(store, document):
    from kkdesk.errors import ValidationError

    with store.session() as s:
        try:
            return import_document(s, author_of(store), document, "en")
        except ValidationError as exc:  # the message names the problems
            raise AssertionError([p.text() for p in exc.problems]) from None


def ids_by_name(store) -> dict:
    from sqlalchemy import select

    from kkdesk.db.models import Record

    with store.session() as s:
        return {no: rid for rid, no in s.execute(select(Record.id, Record.record_no))}


@pytest.mark.parametrize("a, b, reason", [
    ("Токтаров Ерлан", "Тоқтаров Ерлан", "spelling"),          # Kazakh letter typed with a Russian one
    ("ТОКТАРОВ ЕРЛАН", "токтаров ерлан", "spelling"),          # case
    ("Пётр Семёнов", "Петр Семенов", "spelling"),              # ё/е
    ("Ерлан Токтаров", "Токтаров Ерлан", "name_order"),        # surname first
    ("Ерлан Токтаров", "Ерлан Токторов", "one_letter"),        # one mistyped letter
    ("Ерлан Токтаров", "Ерлан Токтаро", "one_letter"),         # one letter missing
    ("Токтаров Ерлан Серикович", "Ерлан Токтаров", "name_order"),  # patronymic set aside
])
def test_names_that_match(a, b, reason):
    p = D._person("a", 1, None, {"name_ru": a})
    q = D._person("b", 2, None, {"name_kk": b})
    assert D._person_reasons(p, q) == (reason,)


@pytest.mark.parametrize("a, b", [
    ("Ерлан Токтаров", "Ерлан Сейткали"),
    ("Ерлан Токтаров", "Ерлан Тахтаров"),   # two letters apart
    ("Ерлан", "Ерлан"),                     # one word is not enough to call two people one
    ("Ким Ли", "Ким Ми"),                   # short words: a letter makes another name
])
def test_names_that_do_not_match(a, b):
    assert D._person_reasons(D._person("a", 1, None, {"name_ru": a}), D._person("b", 2, None, {"name_ru": b})) is None


def test_birth_years_must_not_differ():
    p = D._person("a", 1, None, {"name_ru": "Ерлан Токтаров", "birth_date": "1985-03-02"})
    same = D._person("b", 2, None, {"name_ru": "Токтаров Ерлан", "birth_date": "1985"})
    other = D._person("c", 3, None, {"name_ru": "Токтаров Ерлан", "birth_date": "1986-03-02"})
    unknown = D._person("d", 4, None, {"name_ru": "Токтаров Ерлан"})
    assert D._person_reasons(p, same) == ("name_order", "same_birth_year")
    assert D._person_reasons(p, other) is None
    assert D._person_reasons(p, unknown) == ("name_order",)


def test_pairs_in_the_store_and_the_cli(home, tmp_path, capsys):
    from kkdesk.store import open_profile

    store = open_profile(home, PASSPHRASE)
    try:
        report = load(store, doc(
            persons=[person("p1", "Ерлан Токтаров", birth_date="1985"), person("p2", None, name_kk="Тоқтаров Ерлан"),
                     person("p3", "Ерлан Токтаров", birth_date="1990"), person("p4", "Айгерим Сейткали")],
            threats=[threat("t1", "p4", "2024-04-15"), threat("t2", "p4", "2024-04-17"),
                     threat("t3", "p4", "2024-04-19"), threat("t4", "p4", "2024-04-15", "physical_attack"),
                     threat("t5", "p1", "2024-04-15")]))
        with store.session() as s:
            from kkdesk.normalize import map_id

            uid = {k: map_id("", lst, k) for lst, keys in (("persons", "p1 p2 p3 p4"), ("threats", "t1 t2 t3 t4 t5"))
                   for k in keys.split()}
            pairs = D.find_pairs(s)
        got = {(p.kind, frozenset((p.a, p.b))) for p in pairs}
        assert got == {("person", frozenset((uid["p1"], uid["p2"]))), ("person", frozenset((uid["p2"], uid["p3"]))),
                       ("threat", frozenset((uid["t1"], uid["t2"]))), ("threat", frozenset((uid["t2"], uid["t3"])))}
        # t1/t3 four days apart, t4 another type, t5 another victim: not paired
        dup_paths = {w.path for w in report.warnings if w.message == D.POSSIBLE_DUPLICATE}
        assert dup_paths == {"persons[0]", "persons[1]", "persons[2]", "threats[0]", "threats[1]", "threats[2]"}
        texts = [w.text(lambda m: m) for w in report.warnings if w.path == "threats[0]"]
        assert texts == [f"threats[0]: possible duplicate of {ids_by_name_no(store, uid['t2'])}"]
    finally:
        store.close()
    pfile = tmp_path / "p.txt"
    pfile.write_text(PASSPHRASE, encoding="utf-8")
    assert main(["--home", str(home), "--passphrase-file", str(pfile), "duplicates", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {(d["kind"], frozenset((d["a"], d["b"]))) for d in data} == got
    assert all(set(d) == {"kind", "a", "b", "reasons"} for d in data)
    threat_pair = next(d for d in data if d["kind"] == "threat")
    assert threat_pair["reasons"] == ["same_victim", "same_threat_type", "dates_within_2_days"]
    assert main(["--home", str(home), "--passphrase-file", str(pfile), "duplicates", "--kind", "persons", "--json"]) == 0
    assert {d["kind"] for d in json.loads(capsys.readouterr().out)} == {"person"}
    assert main(["--home", str(home), "--passphrase-file", str(pfile), "--ui-lang", "ru", "duplicates",
                 "--kind", "threats"]) == 0
    text = capsys.readouterr().out
    assert text.count("⇄") == 2 and "даты в пределах двух дней" in text


def ids_by_name_no(store, rid: str) -> str:
    with store.session() as s:
        from kkdesk.records import find

        return find(s, rid).record_no


def test_saving_one_record_finds_its_duplicates_by_index(store):
    with store.session() as s:
        a = save(s, author_of(store), "person", person("x", "Жұмабаев Нұрлан"), default_language="ru")
        b = save(s, author_of(store), "person", person("y", "Нурлан Жумабаев"), default_language="ru")
        c = save(s, author_of(store), "person", person("z", "Нурлан Жумабаеv"), default_language="ru")
        warned = D.warnings_for(s, "person", b.id)
        assert [w.params["no"] for w in warned] == sorted([a.record_no, c.record_no])
        assert D.warnings_for(s, "person", "00000000-0000-0000-0000-000000000000") == []
        t1 = save(s, author_of(store), "threat", dict(threat("u", a.id, "2024-05"), id=None), default_language="ru")
        t2 = save(s, author_of(store), "threat", dict(threat("v", a.id, "2024-06-01"), id=None), default_language="ru")
        # a month-precision date may be any day of May: June 1st is within two days of it
        assert [w.params["no"] for w in D.warnings_for(s, "threat", t2.id)] == [t1.record_no]
        t3 = save(s, author_of(store), "threat", dict(threat("w", a.id, "2024-06-04"), id=None), default_language="ru")
        assert [w.params["no"] for w in D.warnings_for(s, "threat", t3.id)] == []


def test_lists_find_records_by_the_names_they_link_to(example_store):
    """A threat is found by its victim's name, a case by its parties', in any spelling."""
    from kkdesk import schema as S
    from kkdesk.cli import SEARCH_KINDS
    from kkdesk.normalize import map_id
    from kkdesk.search import search

    assert set(SEARCH_KINDS) == set(S.LIST_KINDS)
    with example_store.session() as s:
        direct = search(s, "Токтаров", kinds=["threat"])
        linked = search(s, "Токтаров", kinds=["threat"], linked=True)
        assert all(h.kind == "threat" for h in direct)
        yerlan = map_id("kkdesk-example", "persons", "ex-person-yerlan")
        from kkdesk.references import referencing

        expected = referencing(s, [yerlan], targets=("person",), kinds=["threat"])
        assert expected and expected <= {h.id for h in linked}
        assert expected - {h.id for h in direct}  # found only through the victim
        assert all(h.kind == "threat" for h in linked)
        cases = search(s, "yerlan", kinds=["case"], linked=True)  # the Latin name, lower case
        assert map_id("kkdesk-example", "cases", "ex-case-toktarov") in {h.id for h in cases}
