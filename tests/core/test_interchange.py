"""The interchange format: the example imports unchanged; import is atomic, idempotent,
an upsert; errors name their JSON path; export -> import -> export is stable."""

import copy
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kkdesk import listing, records
from kkdesk.canonical import loads_document
from kkdesk.db.models import Record, Revision
from kkdesk.errors import ValidationError
from kkdesk.interchange import author_of, export_json, import_document, import_file
from kkdesk.normalize import map_id
from kkdesk.store import create_profile
from tests.conftest import EXAMPLE, PASSPHRASE

REALISTIC = Path(__file__).resolve().parent.parent / "data" / "realistic-kk-ru.json"


def example():
    return loads_document(EXAMPLE.read_text(encoding="utf-8"))


def counts(store):
    with store.session() as s:
        return (s.execute(select(func.count()).select_from(Record)).scalar(),
                s.execute(select(func.count()).select_from(Revision)).scalar())


def imp(store, doc):
    with store.session() as s:
        return import_document(s, author_of(store), doc, store.ui_lang)


def test_example_imports_unchanged(store):
    report = imp(store, example())
    assert (report.new, report.updated, report.unchanged) == (14, 0, 0)  # 13 records + 1 inline source
    with store.session() as s:
        assert listing.count(s, "person") == 3 and listing.count(s, "threat") == 3
        aigerim = records.get(s, map_id("kkdesk-example", "persons", "ex-person-aigerim"))
        assert aigerim.content["name_kk"] == "Айгерім Сейітқали"
        assert aigerim.content["phone"] == "+7 700 000 00 00"  # contacts are kept in the store
        threat = records.get(s, map_id("kkdesk-example", "threats", "ex-threat-2024-01"))
        acts = threat.content["acts"]
        # derived defaults: victim type, act date, snapshot of the victim
        assert acts[0]["victim_type"] == "person" and acts[0]["act_date"] == "2024-04-15"
        assert acts[0]["target_group_at_time"] == "journalist" and acts[0]["gender_at_time"] == "female"
        assert acts[2]["act_date"] == "2024-04-17"


def test_import_twice_changes_nothing(store):
    imp(store, example())
    before = counts(store)
    report = imp(store, example())
    assert (report.new, report.updated, report.unchanged) == (0, 0, 14)
    assert counts(store) == before


def test_upsert_changes_make_new_revisions(store):
    imp(store, example())
    doc = example()
    doc["persons"][1]["occupation"] = "Эколог"
    report = imp(store, doc)
    assert (report.new, report.updated) == (0, 1)
    with store.session() as s:
        rid = map_id("kkdesk-example", "persons", "ex-person-yerlan")
        assert len(records.history(s, rid)) == 2


def test_omitted_fields_take_defaults_on_upsert(store):
    imp(store, example())
    doc = example()
    del doc["persons"][0]["remarks"]
    imp(store, doc)
    with store.session() as s:
        view = records.get(s, map_id("kkdesk-example", "persons", "ex-person-aigerim"))
        assert "remarks" not in view.content


def test_export_import_export_is_stable(store, tmp_path):
    imp(store, example())
    imp(store, loads_document(REALISTIC.read_text(encoding="utf-8")))
    with store.session() as s:
        first = export_json(s, include_contacts=True)
    other = create_profile(tmp_path / "other", PASSPHRASE, ui_lang="ru")
    try:
        imp(other, loads_document(first))
        with other.session() as s:
            second = export_json(s, include_contacts=True)
    finally:
        other.close()
    assert first == second


def test_export_keeps_exact_numbers_offsets_partial_dates(example_store):
    with example_store.session() as s:
        text = export_json(s)
    assert '"diagram_x": 0.22' in text and '"length_mm": 60' in text
    assert '"scheduled_start": "2024-06-10T10:00+05:00"' in text
    assert '"opened_date": "2024-03"' in text and '"birth_date": "1991"' in text
    assert '"time": "10:40"' in text
    doc = loads_document(text)
    assert doc["medical"][0]["findings"][0]["diagram_x"] == Decimal("0.22")


def test_export_leaves_out_contacts_unless_asked(example_store):
    with example_store.session() as s:
        plain = export_json(s)
        full = export_json(s, include_contacts=True)
    assert "aigerim@example.org" not in plain and "+7 700" not in plain
    assert "aigerim@example.org" in full


@pytest.mark.parametrize("mutate, path, words", [
    (lambda d: d["threats"][0]["acts"][0].__setitem__("threat_type", "detension"),
     "threats[0].acts[0].threat_type", "unknown code 'detension' in vocabulary threat_type"),
    (lambda d: d["threats"][0]["acts"][0].__setitem__("threat_type", "cat_liberty"),
     "threats[0].acts[0].threat_type", "is a category"),
    (lambda d: d["persons"][0].__setitem__("nmae_kk", "x"), "persons[0].nmae_kk", "unknown field"),
    (lambda d: d["persons"][0].__setitem__("birth_date", 1991), "persons[0].birth_date", "expected a date"),
    (lambda d: d["cases"][0].__setitem__("region", None) or d["cases"][0].pop("region"),
     "cases[0].region", "required field is missing"),
    (lambda d: d["hearings"][0].__setitem__("case", "ex-case-nowhere"), "hearings[0].case", "neither in the document"),
    (lambda d: d["hearings"][0].__setitem__("actual_start", "2024-06-10T10:40"), "hearings[0].actual_start", "UTC offset"),
    (lambda d: d["medical"][0]["findings"][0].__setitem__("diagram_x", 1.5), "medical[0].findings[0].diagram_x", "between 0 and 1"),
    (lambda d: d["threats"][2].__setitem__("acts", []), "threats[2].acts", "at least one"),
    (lambda d: d.__setitem__("version", 9), "version", "unsupported version"),
])
def test_errors_name_the_path_and_change_nothing(store, mutate, path, words):
    doc = example()
    mutate(doc)
    before = counts(store)
    with pytest.raises(ValidationError) as exc:
        imp(store, doc)
    texts = [p.text() for p in exc.value.problems]
    assert any(t.startswith(path + ":") and words in t for t in texts), texts
    assert counts(store) == before


def test_all_errors_are_listed_at_once(store):
    doc = example()
    doc["persons"][0]["gender"] = "woman"
    doc["courts"][0]["court_type"] = "tribunal"
    with pytest.raises(ValidationError) as exc:
        imp(store, doc)
    assert {p.path for p in exc.value.problems} == {"persons[0].gender", "courts[0].court_type"}


def test_import_is_atomic(store):
    imp(store, example())
    doc = example()
    doc["persons"][0]["occupation"] = "Changed"  # valid change …
    doc["threats"][1]["acts"][0]["threat_type"] = "nope"  # … in a document that is refused
    with pytest.raises(ValidationError):
        imp(store, doc)
    with store.session() as s:
        view = records.get(s, map_id("kkdesk-example", "persons", "ex-person-aigerim"))
        assert view.content["occupation"] == "Тәуелсіз журналист"


def test_malformed_json_is_a_clear_error(store, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "kkdesk-interchange", "persons": [', encoding="utf-8")
    with pytest.raises(ValidationError) as exc:
        import_file(store, bad)
    assert "line 1" in exc.value.problems[0].text()


def test_warnings_split_from_errors(store):
    report = imp(store, example())
    paths = {w.path for w in report.warnings}
    assert "persons[0].consent_date" in paths
    assert "cases[0].politically_motivated_rationale" in paths
    # answers a person set with a note need nothing; defaults never ask for notes
    assert not any(p.startswith("hearings[0].checklist.A01") for p in paths)
    assert not any(p.endswith(".note") for p in paths)


def test_id_namespace_keeps_sources_apart(store):
    a = {"format": "kkdesk-interchange", "version": 1, "id_namespace": "ngo-a",
         "persons": [{"id": "1", "name_ru": "Анна", "primary_target_group": "hrd"}]}
    b = copy.deepcopy(a)
    b["id_namespace"] = "ngo-b"
    imp(store, a)
    imp(store, b)
    with store.session() as s:
        assert listing.count(s, "person") == 2


def test_realistic_kazakh_and_russian_records(store):
    report = imp(store, loads_document(REALISTIC.read_text(encoding="utf-8")))
    assert report.new == 8
    with store.session() as s:
        case = records.get(s, map_id("tests-realistic", "cases", "k-bolat"))
        ban = case.content["parties"][0]["sentences"][1]
        assert ban["sentence_type"] == "ban_public_activity" and ban["ban_months"] == 60
        threat = records.get(s, map_id("tests-realistic", "threats", "t-zhanaozen"))
        org_act, group_act, person_act = threat.content["acts"]
        assert org_act["victim_type"] == "organisation" and org_act["gender_at_time"] == "not_applicable"
        assert org_act["target_group_at_time"] == "trade_union_activist"
        assert group_act["victim_type"] == "group" and group_act["region_at_time"] == "mangystau"
        assert person_act["gender_at_time"] == "female"
        med = records.get(s, map_id("tests-realistic", "medical", "m-bolat"))
        assert med.content["confidentiality"] == "restricted"
        assert med.content["findings"][0]["length_mm"] == "35.5" and med.content["findings"][0]["finding_no"] == 1
    hearing_warnings = [w.path for w in report.warnings if w.path.startswith("hearings")]
    assert hearing_warnings == ["hearings[0].checklist.A11_supporters_intimidated.note"]


def test_references_to_profile_records_by_uuid(example_store):
    with example_store.session() as s:
        yerlan = map_id("kkdesk-example", "persons", "ex-person-yerlan")
        doc = {"format": "kkdesk-interchange", "version": 1,
               "threats": [{"id": "new", "title": "Звонок", "description": "Угрозы по телефону", "start_date": "2025",
                            "region": "aktobe", "acts": [{"victim_person": yerlan, "threat_type": "threat"}]}]}
        report = import_document(s, author_of(example_store), doc, "ru")
    assert report.new == 1
    assert any(w.path == "threats[0].acts[0].threat_carried_out" for w in report.warnings)


def test_json_nested_thousands_deep_is_not_valid_json(store, tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        import_file(store, path)
    assert caught.value.message == "The file is not valid JSON."
    assert [p.text() for p in caught.value.problems] == ["values are nested too deeply"]
