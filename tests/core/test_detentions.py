"""Detention episodes (SPEC §3.8, §4.2, rule §7.8) and interventions (SPEC §3.10):
interchange form, validation, warnings by path, links, round trip, CLI, sheets."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from kkdesk import interventions, links, records
from kkdesk.errors import ValidationError
from kkdesk.interchange import author_of, export_records, import_document, save
from kkdesk.normalize import map_id
from tests.conftest import PASSPHRASE
from tests.core.test_sync_support import export, import_, trio, trio_template  # noqa: F401 (fixtures)

NS = "kkdesk-test-detention"


def ref(list_name: str, ident: str) -> str:
    return map_id(NS, list_name, ident)


def document() -> dict:
    """A person detained in January 2022 (S1 §30-43), the case, a threat act and an
    examination naming the detention, and two interventions."""
    return {
        "format": "kkdesk-interchange", "version": 1, "id_namespace": NS,
        "persons": [
            {"id": "yerlan", "name_kk": "Ерлан Тоқтаров", "name_ru": "Ерлан Токтаров", "name_latin": "Yerlan Toktarov",
             "gender": "male", "primary_target_group": "civic_activist", "residence_region": "almaty_city",
             "consent_to_publish": "yes", "consent_date": "2022-02-01", "entry_language": "ru"},
        ],
        "cases": [
            {"id": "case", "title": "Токтаров — ст. 272 УК", "procedure_type": "criminal", "status": "pre_trial",
             "opened_date": "2022-01-06", "region": "almaty_city", "summary": "Задержан после митинга.",
             "parties": [{"person": "yerlan", "role": "suspect"}]},
        ],
        "threats": [
            {"id": "threat", "title": "Задержание 6 января", "description": "Задержан на площади.",
             "start_date": "2022-01-06", "region": "almaty_city",
             "acts": [{"victim_person": "yerlan", "threat_type": "detention_short", "detention_episode": "det-1",
                       "case": "case"}]},
        ],
        "detentions": [
            {"id": "det-1", "person": "yerlan", "case": "case", "incident": "threat",
             "legal_basis": "criminal_detention",
             "actual_detention_at": "2022-01-06T14:00+06:00", "actual_detention_precision": "day",
             "protocol_detention_time": "2022-01-07T10:30+06:00",
             "detaining_body": "police", "place_type": "police_station", "place_name": "ОП Алмалинского района",
             "region": "almaty_city",
             "transfers": [{"date": "2022-01-07", "place_type": "ivs", "place_name": "ИВС ДП г. Алматы"},
                           {"date": "2022-01-10", "place_type": "sizo", "place_name": "СИЗО-18"}],
             "released_at": "2022-01-12T18:00+06:00", "release_reason": "Мера пресечения изменена",
             "safeguards": {
                 "DS01_badge_shown": {"answer": "no", "note": "Сотрудники были в масках"},
                 "DS04_force_used": {"answer": "yes"},
                 "DS11_relatives_informed": {"answer": "unknown"},
                 "DS15_medical_check_after_detention": "yes",
                 "DS19_judge_within_48h": {"answer": "no", "note": "Доставлен в суд 9 января"},
             },
             "entry_language": "ru", "record_status": "to_verify"},
        ],
        "medical": [
            {"id": "exam", "subject": "yerlan", "detention_episode": "det-1", "examination_type": "post_detention_check",
             "examiner_affiliation": "detention_medical", "exam_datetime": "2022-01-08T09:00+06:00",
             "place": "ИВС ДП г. Алматы", "clinicians": [{"name": "Дежурный фельдшер"}],
             "interpreter_used": "no", "informed_consent": "yes", "security_present": "yes",
             "subject_restrained": "no", "evaluation_unrestricted": "no", "restriction_details": "Конвой присутствовал",
             "injuries_recorded_by_state_medics": "no"},
        ],
        "interventions": [
            {"id": "iv-1", "intervention_type": "complaint_authorities", "date": "2022-01-08",
             "addressee": "Прокуратура г. Алматы", "reference_number": "ЖТ-2022-0117", "status": "submitted",
             "follow_up_date": "2022-02-08", "links": [{"target": "det-1"}, {"target": "yerlan"}]},
            {"id": "iv-2", "intervention_type": "un_treaty_body", "date": "2023-05",
             "addressee": "UN Human Rights Committee", "reference_number": "CCPR/C/…/D/4100/2023",
             "status": "response_received", "response_date": "2024-03-01",
             "response_summary": "Communication registered", "links": [{"target": "case"}]},
        ],
    }


@pytest.fixture(autouse=True)
def english_after():
    """The CLI sets the message language for the process: later tests expect English."""
    yield
    from kkdesk.i18n import set_language

    set_language("en")


def imp(store, doc):
    with store.session() as s:
        return import_document(s, author_of(store), doc, store.ui_lang)


@pytest.fixture
def loaded(store):
    report = imp(store, document())
    return store, report


def test_detention_is_stored_with_transfers_and_safeguards(loaded):
    store, report = loaded
    assert report.new == 7
    with store.session() as s:
        det = records.get(s, ref("detentions", "det-1"))
        c = det.content
        assert det.kind == "detention" and det.record_no.startswith("DE-")
        assert c["person"] == ref("persons", "yerlan") and c["incident"] == ref("threats", "threat")
        assert [t["place_type"] for t in c["transfers"]] == ["ivs", "sizo"]
        assert c["safeguards"]["DS15_medical_check_after_detention"] == {"answer": "yes"}
        assert c["safeguards"]["DS01_badge_shown"]["note"] == "Сотрудники были в масках"
        assert c["protocol_detention_time"] == "2022-01-07T10:30+06:00"  # offset kept
        iv = records.get(s, ref("interventions", "iv-1"))
        assert iv.record_no.startswith("IV-")
        assert [(link["target"], link["target_entity"]) for link in iv.content["links"]] == [
            (ref("detentions", "det-1"), "detention"), (ref("persons", "yerlan"), "person")]


def test_rule_7_8_and_missing_notes_are_warnings_named_by_path(loaded):
    _, report = loaded
    paths = {w.path for w in report.warnings}
    assert "detentions[0].protocol_detention_time" in paths       # 20.5 h after the actual detention
    assert "detentions[0].released_at" in paths                   # 148 h, judge not within 48 h
    assert "detentions[0].safeguards.DS04_force_used.note" in paths         # concern without a note
    assert "detentions[0].safeguards.DS11_relatives_informed.note" in paths  # unknown without a note
    assert "detentions[0].safeguards.DS01_badge_shown.note" not in paths     # the note is there
    assert "detentions[0].safeguards.DS15_medical_check_after_detention.note" not in paths
    protocol = next(w for w in report.warnings if w.path == "detentions[0].protocol_detention_time")
    assert "20.5" in protocol.text() and "3 h" in protocol.text()
    assert "interventions[1].response_date" not in paths


@pytest.mark.parametrize("change, warned", [
    ({"protocol_detention_time": "2022-01-06T16:59+06:00"}, False),   # within 3 h
    ({"protocol_detention_time": "2022-01-06T17:01+06:00"}, True),
    ({"protocol_detention_time": "2022-01-06T12:30+05:00"}, False),   # another offset: 1.5 h
    ({"actual_detention_precision": "estimate"}, False),            # the time is not known well enough
])
def test_protocol_limit_is_three_hours_from_actual_detention(store, change, warned):
    doc = document()
    doc["detentions"][0].update(change)
    report = imp(store, doc)
    assert ("detentions[0].protocol_detention_time" in {w.path for w in report.warnings}) is warned


def test_48_hours_without_a_judge(store):
    doc = document()
    det = doc["detentions"][0]
    det["released_at"] = "2022-01-08T13:00+06:00"  # 47 h
    det["safeguards"].pop("DS19_judge_within_48h")
    assert "detentions[0].released_at" not in {w.path for w in imp(store, doc).warnings}
    det["released_at"] = "2022-01-08T15:00+06:00"  # 49 h
    assert "detentions[0].released_at" in {w.path for w in imp(store, doc).warnings}
    det["safeguards"]["DS19_judge_within_48h"] = "yes"
    assert "detentions[0].released_at" not in {w.path for w in imp(store, doc).warnings}
    det["legal_basis"] = "pretrial_custody"  # held on a judge's order: no 48-hour limit
    det["safeguards"]["DS19_judge_within_48h"] = {"answer": "no", "note": "—"}
    assert not {w.path for w in imp(store, doc).warnings} & {"detentions[0].released_at",
                                                             "detentions[0].safeguards.DS19_judge_within_48h"}


def _refused(store, doc) -> list[str]:
    before = None
    with store.session() as s:
        before = len(export_records(s)["persons"])
    with pytest.raises(ValidationError) as err:
        imp(store, doc)
    with store.session() as s:
        assert len(export_records(s)["persons"]) == before  # nothing written
    return [p.text() for p in err.value.problems]


def test_release_before_detention_is_refused(store):
    doc = document()
    doc["detentions"][0]["released_at"] = "2022-01-06T08:00+06:00"
    problems = _refused(store, doc)
    assert problems == ["detentions[0].released_at: the release (2022-01-06T08:00+06:00) is before the detention "
                        "(2022-01-06T14:00+06:00)"]


@pytest.mark.parametrize("mutate, path", [
    (lambda d: d["interventions"][0].pop("links"), "interventions[0].links"),
    (lambda d: d["interventions"][0].update(links=[]), "interventions[0].links"),
    (lambda d: d["detentions"][0]["safeguards"].update(DS99_made_up="yes"), "detentions[0].safeguards.DS99_made_up"),
    (lambda d: d["detentions"][0]["safeguards"].update(DS02_reasons_given={"answer": "no", "attachment": "x"}),
     "detentions[0].safeguards.DS02_reasons_given.attachment"),
    (lambda d: d["detentions"][0].update(place_type="prison"), "detentions[0].place_type"),
    (lambda d: d["detentions"][0]["transfers"][0].pop("place_type"), "detentions[0].transfers[0].place_type"),
    (lambda d: d["detentions"][0].pop("actual_detention_at"), "detentions[0].actual_detention_at"),
    (lambda d: d["threats"][0]["acts"][0].update(detention_episode="nowhere"), "threats[0].acts[0].detention_episode"),
])
def test_bad_detentions_and_interventions_are_refused_with_their_path(store, mutate, path):
    doc = document()
    mutate(doc)
    problems = _refused(store, doc)
    assert any(p.startswith(path + ":") for p in problems), problems


def test_intervention_links_only_to_the_kinds_spec_allows(store):
    doc = document()
    doc["courts"] = [{"id": "court", "name_kk": "Алматы соты", "name_ru": "Суд Алматы", "court_type": "district_city",
                      "region": "almaty_city"}]
    doc["interventions"][1]["links"] = [{"target": "court"}]
    assert _refused(store, doc) == [
        "interventions[1].links[0].target: an intervention cannot be linked to a record of this kind (court); link a "
        "case, threat incident, person, hearing, medical examination or detention"]


def test_form_save_refuses_the_same_bad_input(loaded):
    store, _ = loaded
    fields = {"intervention_type": "public_statement", "date": "2024-01-01", "addressee": "Media", "status": "planned"}
    with store.session() as s:
        with pytest.raises(ValidationError):
            save(s, author_of(store), "intervention", fields)
        ok = save(s, author_of(store), "intervention", {**fields, "links": [{"target": ref("cases", "case")}]})
        assert ok.status == "new"


def test_links_put_the_detention_in_the_timeline(loaded):
    store, _ = loaded
    det = ref("detentions", "det-1")
    with store.session() as s:
        of_person = {(link.kind, link.relation) for link in links.linked(s, ref("persons", "yerlan"))}
        assert ("detention", "detention") in of_person and ("intervention", "intervention") in of_person
        of_case = {(link.kind, link.id) for link in links.linked(s, ref("cases", "case"))}
        assert ("detention", det) in of_case and ("intervention", ref("interventions", "iv-2")) in of_case
        of_det = {(link.kind, link.id) for link in links.linked(s, det)}
        assert {("person", ref("persons", "yerlan")), ("threat", ref("threats", "threat")),
                ("medical", ref("medical", "exam")), ("case", ref("cases", "case")),
                ("intervention", ref("interventions", "iv-1"))} <= of_det
        of_exam = {(link.kind, link.id) for link in links.linked(s, ref("medical", "exam"))}
        assert ("detention", det) in of_exam
        of_threat = {(link.kind, link.id) for link in links.linked(s, ref("threats", "threat"))}
        assert ("detention", det) in of_threat


def test_export_import_round_trip_is_lossless(loaded, tmp_path, template_home):
    import shutil

    from kkdesk.store import open_profile

    store, _ = loaded
    with store.session() as s:
        exported = export_records(s)
    assert [d["id"] for d in exported["detentions"]] == [ref("detentions", "det-1")]
    det = exported["detentions"][0]
    assert det["safeguards"]["DS19_judge_within_48h"] == {"answer": "no", "note": "Доставлен в суд 9 января"}
    assert det["transfers"][1] == {"id": det["transfers"][1]["id"], "date": "2022-01-10", "place_type": "sizo",
                                   "place_name": "СИЗО-18"}
    assert exported["interventions"][1]["date"] == "2023-05"
    shutil.copytree(template_home, tmp_path / "other")
    other = open_profile(tmp_path / "other", PASSPHRASE)
    try:
        report = imp(other, copy.deepcopy(exported))
        assert report.new == 7
        with store.session() as s, other.session() as o:
            for list_name in ("detentions", "interventions", "threats", "medical"):
                for item in exported[list_name]:
                    assert records.get(o, item["id"]).content == records.get(s, item["id"]).content
            assert export_records(o) == exported
        assert imp(other, copy.deepcopy(exported)).unchanged == 7
    finally:
        other.close()


def test_due_follow_ups_overdue_first(loaded):
    store, _ = loaded
    base = {"intervention_type": "complaint_authorities", "addressee": "Прокуратура", "date": "2024-01-01",
            "links": [{"target": ref("persons", "yerlan")}]}
    with store.session() as s:
        a = save(s, author_of(store), "intervention", {**base, "status": "submitted", "follow_up_date": "2024-06-20"})
        b = save(s, author_of(store), "intervention", {**base, "status": "planned", "follow_up_date": "2024-05-01"})
        save(s, author_of(store), "intervention", {**base, "status": "closed", "follow_up_date": "2024-04-01"})
        c = save(s, author_of(store), "intervention", {**base, "status": "submitted", "follow_up_date": "2024-07"})
        items = interventions.due(s, today=dt.date(2024, 6, 10))
        soon = interventions.due(s, today=dt.date(2024, 6, 10), within_days=15)
    assert [d.id for d in items] == [ref("interventions", "iv-1"), b.id, a.id, c.id]
    assert [d.overdue for d in items] == [True, True, False, False]
    assert [d.id for d in soon] == [ref("interventions", "iv-1"), b.id, a.id]
    first = items[0].as_dict()
    assert first["follow_up_date"] == "2022-02-08" and first["status"] == "submitted"
    assert [link["kind"] for link in first["links"]] == ["detention", "person"]


def test_cli_lists_and_due(loaded, tmp_path, capsys):
    from kkdesk.cli import main

    store, _ = loaded
    home = store.home
    store.close()
    pfile = tmp_path / "p.txt"
    pfile.write_text(PASSPHRASE, encoding="utf-8")
    assert main(["--home", str(home), "--passphrase-file", str(pfile), "list", "detentions", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [d["id"] for d in listed] == [ref("detentions", "det-1")] and listed[0]["legal_basis"] == "criminal_detention"
    assert main(["--home", str(home), "--passphrase-file", str(pfile), "list", "interventions", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 2
    assert main(["--home", str(home), "--passphrase-file", str(pfile), "interventions", "due", "--json"]) == 0
    due = json.loads(capsys.readouterr().out)
    assert [(d["id"], d["follow_up_date"], d["addressee"], d["status"], d["overdue"]) for d in due] == [
        (ref("interventions", "iv-1"), "2022-02-08", "Прокуратура г. Алматы", "submitted", True)]
    assert [link["id"] for link in due[0]["links"]] == [ref("detentions", "det-1"), ref("persons", "yerlan")]
    assert main(["--home", str(home), "--passphrase-file", str(pfile), "--ui-lang", "ru", "interventions", "due"]) == 0
    assert "ПРОСРОЧЕНО" in capsys.readouterr().out


def test_cli_refuses_a_release_before_the_detention(store, tmp_path, capsys):
    from kkdesk.cli import main

    doc = document()
    doc["detentions"][0]["released_at"] = "2022-01-05T08:00+06:00"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    home = store.home
    store.close()
    pfile = tmp_path / "p.txt"
    pfile.write_text(PASSPHRASE, encoding="utf-8")
    code = main(["--home", str(home), "--passphrase-file", str(pfile), "--ui-lang", "kk", "import-json", str(path)])
    err = capsys.readouterr().err
    assert code == 1
    assert "detentions[0].released_at" in err and "босату" in err.lower()


@pytest.mark.parametrize("lang, words", [
    ("ru", ("Задержание подозреваемого (УПК)", "Отдел полиции", "СИЗО-18", "Превышен срок",
            "20,5 ч", "Было ли предъявлено служебное удостоверение", "Прокуратура г. Алматы", "ЖТ-2022-0117")),
    ("kk", ("Күдіктіні ұстау (ҚПК)", "Полиция бөлімі", "Тергеу изоляторы (ТИ)", "Мерзім бұзылды",
            "Ұстау сәтінде қызметтік куәлік", "CCPR/C/…/D/4100/2023")),
    ("en", ("Detention of a criminal suspect (CPC)", "Time limit exceeded", "held 148 h without being brought",
            "Communication registered", "UN Human Rights Committee")),
])
def test_person_and_case_sheets_print_detentions_and_interventions(loaded, lang, words):
    from tests.core.test_reports import pdf_text
    from kkdesk.reports import render

    store, _ = loaded
    with store.session() as s:
        person = pdf_text(render(s, "person", ref("persons", "yerlan"), lang))
        case = pdf_text(render(s, "case", ref("cases", "case"), lang))
    for word in words:
        assert word in person, (lang, word)
    # the case sheet: its detention and the interventions about it or its records
    for word in words[:3]:
        assert word in case, (lang, word)
    assert "CCPR/C/…/D/4100/2023" in case and "ЖТ-2022-0117" in case
    if lang == "en":  # the case chronology: detained, transferred, released
        for event in ("Yerlan Toktarov detained: Detention of a criminal suspect (CPC), ОП Алмалинского района",
                      "Yerlan Toktarov transferred to СИЗО-18", "Yerlan Toktarov released"):
            assert event in case, event
    # a safeguard answered without concern is not listed among the concerns
    assert "медицинский осмотр после задержания" not in person.lower()


def test_bundles_carry_detentions_and_interventions(trio, tmp_path):
    a, b = trio["a"], trio["b"]
    imp(a, document())
    export(a, "b", tmp_path / "ab.kkb")
    report = import_(b, tmp_path / "ab.kkb")
    assert report.new == 7
    with a.session() as sa, b.session() as sb:
        for list_name, ident in (("detentions", "det-1"), ("interventions", "iv-1"), ("interventions", "iv-2")):
            rid = ref(list_name, ident)
            assert records.get(sb, rid).content == records.get(sa, rid).content
            assert records.get(sb, rid).head == records.get(sa, rid).head
        assert [d.id for d in interventions.due(sb)] == [ref("interventions", "iv-1")]
        held = {(link.kind, link.id) for link in links.linked(sb, ref("persons", "yerlan"))}
        assert ("detention", ref("detentions", "det-1")) in held
        # the projection on the receiving side has the warnings the sender has
        assert records.get(sb, ref("detentions", "det-1")).incomplete


def test_case_bundle_takes_its_detentions_and_interventions(trio, tmp_path):
    from sqlalchemy import select

    from kkdesk.db.models import Record
    a, b = trio["a"], trio["b"]
    imp(a, document())
    export(a, "b", tmp_path / "case.kkb", case=ref("cases", "case"))
    import_(b, tmp_path / "case.kkb")
    with b.session() as s:
        held = set(s.execute(select(Record.id)).scalars())
    assert {ref("detentions", "det-1"), ref("interventions", "iv-2"), ref("persons", "yerlan")} <= held


def test_the_documented_example_imports_as_documented(store):
    import re
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "interchange.md").read_text(encoding="utf-8")
    doc = json.loads(re.search(r"```json\n(.*?)```", text, re.S).group(1))
    report = imp(store, doc)
    assert report.new == 3
    assert [w.path for w in report.warnings] == ["detentions[0].protocol_detention_time"]


def test_torture_alleged_in_a_hearing_offers_a_threat_and_an_intervention(loaded):
    from kkdesk import torture_followup
    from kkdesk.i18n import gettext_for

    store, _ = loaded
    hearing = {"case": ref("cases", "case"), "actual_start": "2022-03-02T10:00+06:00",
               "checklist": {"E01_torture_alleged": {"answer": "yes", "note": "Подсудимый заявил об избиении в ИВС"}}}
    assert torture_followup.alleged("hearing", hearing)
    assert not torture_followup.alleged("hearing", {"checklist": {"E01_torture_alleged": {"answer": "no"}}})
    assert torture_followup.alleged("medical", {"alleged_methods": [{"method": "beating"}]})
    with store.session() as s:
        f = torture_followup.build(s, "hearing", None, hearing, gettext_for("ru"), "2022-03-03")
        assert f.threat["acts"] == [{"threat_type": "torture_ill_treatment", "act_date": "2022-03-02",
                                     "case": ref("cases", "case"), "victim_type": "person",
                                     "victim_person": ref("persons", "yerlan")}]
        assert f.threat["description"] == "Подсудимый заявил об избиении в ИВС"
        assert f.threat["region"] == "almaty_city" and "Ерлан Тоқтаров" in f.threat["title"]
        assert f.intervention["intervention_type"] == "complaint_authorities"
        assert f.intervention["links"] == [{"target": ref("cases", "case")}, {"target": ref("persons", "yerlan")}]
        # from a saved medical record: both are created, the intervention linked to the new threat too
        threat_id, iv_id = torture_followup.create(s, author_of(store), ref("medical", "exam"), gettext_for("kk"),
                                                   "2022-01-09")
        threat = records.get(s, threat_id).content
        assert threat["acts"][0]["victim_person"] == ref("persons", "yerlan")
        assert threat["acts"][0]["detention_episode"] == ref("detentions", "det-1")
        targets = [link["target"] for link in records.get(s, iv_id).content["links"]]
        assert targets == [threat_id, ref("medical", "exam"), ref("persons", "yerlan")]
        assert torture_followup.already_followed_up(s, ref("medical", "exam"))
        assert not torture_followup.already_followed_up(s, ref("threats", "threat"))
