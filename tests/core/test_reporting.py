"""Reports R1–R16 (SPEC §6.2) by the counting rules of §6.1, published figures (§3.13,
§6.3), the outputs (JSON, XLSX, CSV, PDF), kk-Latn and bad input."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path
import json
import uuid

import pytest

from kkdesk import schema
from kkdesk.cli import main
from kkdesk.interchange import author_of, import_document
from kkdesk.reporting import catalogue, published, regions
from kkdesk.reporting.latin import to_latin
from kkdesk.reporting.model import Options
from kkdesk.reporting.period import parse
from tests.conftest import PASSPHRASE


def _doc(threats, persons=(), organisations=(), published_statistics=None) -> dict:
    doc = {"format": "kkdesk-interchange", "version": 1, "id_namespace": "t", "persons": list(persons),
           "organisations": list(organisations), "threats": list(threats)}
    if published_statistics is not None:
        doc["published_statistics"] = published_statistics
    return doc


PERSONS = [{"id": "w", "name_kk": "Әйгерім", "gender": "female", "primary_target_group": "journalist"},
           {"id": "m", "name_kk": "Бекзат", "gender": "male", "primary_target_group": "civic_activist"},
           {"id": "u", "name_kk": "Белгісіз", "gender": "unknown", "primary_target_group": "hrd"}]
ORGS = [{"id": "o", "name_kk": "Ұйым", "organisation_type": "public_association", "primary_target_group": "hrd"}]


def _threat(i, start, acts, status="verified", region="almaty_city", locality=None, response="unknown"):
    t = {"id": f"t{i}", "title": f"T{i}", "description": "d", "start_date": start, "region": region,
         "record_status": status, "state_response": response, "acts": acts}
    if locality:
        t["locality"] = locality
    return t


@pytest.fixture
def data_store(store):
    threats = [
        _threat(1, "2024-02-10", [{"victim_person": "w", "threat_type": "threat"},
                                  {"victim_person": "w", "threat_type": "physical_attack"},
                                  {"victim_person": "m", "threat_type": "threat",
                                   "perpetrators": [{"perpetrator_type": "police"}, {"perpetrator_type": "police"}]}]),
        _threat(2, "2024-07-01", [{"victim_organisation": "o", "threat_type": "registration_refused"}]),
        _threat(3, "2023-05-05", [{"victim_person": "u", "threat_type": "summons"}]),
        _threat(4, "2024-03-01", [{"victim_person": "m", "threat_type": "threat"}], status="draft"),
        _threat(5, "2024", [{"victim_person": "w", "threat_type": "threat", "act_date": "2024",
                             "act_date_precision": "unknown"}]),
        _threat(6, "2017-03-01", [{"victim_person": "m", "threat_type": "summons"}], region="south_kazakhstan",
                locality="г. Шымкент"),
        _threat(7, "2017-04-01", [{"victim_person": "m", "threat_type": "summons"}], region="south_kazakhstan",
                locality="Кентау"),
        _threat(8, "2021-04-01", [{"victim_person": "m", "threat_type": "summons"}], region="karaganda",
                locality="Жезқазған"),
    ]
    with store.session() as s:
        import_document(s, author_of(store), _doc(threats, PERSONS, ORGS), "en")
    return store


def _run(store, rid, **kw):
    with store.session() as s:
        return catalogue.run(s, rid, Options(**kw))


def test_r1_counts_acts_distinct_victims_share_of_women_and_undated(data_store):
    rows = {r["year"]: r for r in _run(data_store, "R1").rows}
    # 2024: three acts of incident 1 and one against the organisation; the draft is left out
    assert rows[2024]["cases"] == 4 and rows[2024]["persons"] == 2 and rows[2024]["organisations"] == 1
    assert rows[2024]["women"] == 2 and rows[2024]["men"] == 1 and rows[2024]["share_women"] == pytest.approx(66.7)
    assert rows[2023]["gender_unknown"] == 1 and rows[2023]["share_women"] is None
    assert rows[None]["cases"] == 1  # the undated act: its own row, never dropped
    everything = {r["year"]: r for r in _run(data_store, "R1", all_statuses=True).rows}
    assert everything[2024]["cases"] == 5
    assert everything[2024]["persons"] == 2  # Бекзат of the draft is Бекзат of the verified incident: once
    assert everything[2024]["organisations"] == 1


def test_partial_period_first_five_months(data_store):
    rows = {r["year"]: r for r in _run(data_store, "R1", period=parse("2024-01", "2024-05")).rows}
    assert rows[2024]["cases"] == 3 and 2023 not in rows and None in rows


def test_r4_rolls_types_up_to_categories_and_r5_counts_a_type_once(data_store):
    r4 = _run(data_store, "R4", period=parse("2024", "2024")).rows
    cat = {(r["threat_type"], r["year"]): r["cases"] for r in r4 if r["level"] == "category"}
    assert cat[("cat_psychological", 2024)] == 2 and cat[("cat_violence", 2024)] == 1
    r5 = _run(data_store, "R5").rows
    assert [(r["perpetrator_type"], r["year"], r["cases"]) for r in r5] == [("police", 2024, 1)]
    assert "once for each distinct perpetrator type" in _run(data_store, "R5").notes[0].msgid


def test_region_mapping_at_time_and_current(data_store):
    at_time = {(r["region"], r["year"]): r["cases"] for r in _run(data_store, "R6").rows}
    assert at_time[("south_kazakhstan", 2017)] == 2 and at_time[("karaganda", 2021)] == 1
    current = {(r["region"], r["year"]): r["cases"] for r in _run(data_store, "R6", regions="current").rows}
    assert current[("shymkent", 2017)] == 1 and current[("turkistan", 2017)] == 1
    assert current[("ulytau", 2021)] == 1 and ("south_kazakhstan", 2017) not in current
    assert regions.current_region("almaty_region", "Талдықорған") == "jetisu"
    assert regions.current_region("east_kazakhstan", "Semey") == "abai"
    assert regions.current_region("almaty_region", "Қонаев") == "almaty_region"


def test_r14_has_columns_and_no_rows_while_the_detention_kind_is_absent(data_store, monkeypatch):
    monkeypatch.setattr(schema, "TOP_LEVEL", {k: v for k, v in schema.TOP_LEVEL.items() if k != "detention"})
    r = _run(data_store, "R14")
    assert r.rows == []
    assert [c.key for c in r.columns] == ["item", "yes", "no", "unknown", "not_applicable", "concerns", "share_concern"]


def test_every_report_runs_on_the_example(example_store):
    with example_store.session() as s:
        reports = catalogue.run_all(s, Options(all_statuses=True))
    assert [r.id for r in reports] == [f"R{i}" for i in range(1, 17)]
    r13 = next(r for r in reports if r.id == "R13")
    assert r13.rows and all(r["yes"] + r["no"] + r["unknown"] + r["not_applicable"] > 0 for r in r13.rows)
    r12 = next(r for r in reports if r.id == "R12")
    assert sum(r["hearings"] for r in r12.rows) >= 1


# --- published figures ------------------------------------------------------------------

@pytest.fixture
def shipped_home(tmp_path, monkeypatch):
    from kkdesk.store import create_profile

    monkeypatch.setattr(published, "PRELOAD", True)
    home = tmp_path / "shipped"
    create_profile(home, PASSPHRASE, name="S", ui_lang="kk").close()
    return home


def test_init_loads_every_published_figure_with_content_ids(shipped_home):
    from kkdesk.store import open_profile

    store = open_profile(shipped_home, PASSPHRASE)
    try:
        with store.session() as s:
            figures = published.figures(s)
        rows = published.read_json(published.RESOURCE)["published_statistics"]
        assert len(figures) == len(rows) >= 70
        ids = {f["id"] for f in figures}
        assert ids == {published.published_id(r) for r in rows}
        assert all(uuid.UUID(i).version == 5 for i in ids)
        y2018 = [f for f in figures if f["indicator"] == "threat_cases_total" and f["period_start"] == "2018-01-01"]
        assert sorted(f["value"] for f in y2018) == ["489", "555"] and all(f["conflicting"] for f in y2018)
        assert not any(f["conflicting"] for f in figures if f["period_start"] == "2019-01-01")
    finally:
        store.close()


def test_two_profiles_hold_the_same_shipped_revisions(shipped_home, tmp_path, monkeypatch):
    """Same ids, same revision ids, same author labels: a bundle between them brings nothing new."""
    from kkdesk.store import create_profile, open_profile
    from sqlalchemy import text

    monkeypatch.setattr(published, "PRELOAD", True)
    other = tmp_path / "other"
    create_profile(other, PASSPHRASE, name="O", ui_lang="ru").close()
    got = []
    for home in (shipped_home, other):
        store = open_profile(home, PASSPHRASE)
        with store.session() as s:
            got.append(set(s.execute(text("SELECT record_id, rev_id, author, author_seq FROM revision "
                                          "WHERE kind = 'published_stat'")).all()))
            seq = s.execute(text("SELECT value FROM meta WHERE key = 'author_seq'")).scalar()
        store.close()
        assert seq == "0"  # the profile's own sequence is untouched
    assert got[0] == got[1] and len(got[0]) >= 70


def test_migration_0007_loads_figures_into_an_existing_store(tmp_path, monkeypatch):
    from alembic import command
    from sqlalchemy import create_engine, text

    from kkdesk.db import migrations

    monkeypatch.setattr(published, "PRELOAD", True)
    engine = create_engine(f"sqlite:///{tmp_path / 'm.db'}")
    with engine.begin() as conn:
        command.upgrade(migrations.alembic_config(conn), "0006")
        assert conn.execute(text("SELECT count(*) FROM record")).scalar() == 0
    with engine.begin() as conn:
        migrations.upgrade(conn)
    with engine.connect() as conn:
        n = conn.execute(text("SELECT count(*) FROM published_statistic")).scalar()
        assert n == len(published.shipped_records())
        assert conn.execute(text("SELECT count(*) FROM record WHERE kind = 'published_stat'")).scalar() == n


def test_r16_shows_published_beside_live_and_marks_conflicts(data_store, monkeypatch):
    monkeypatch.setattr(published, "PRELOAD", True)
    with data_store.session() as s:
        published.load_shipped(s)
    rows = _run(data_store, "R16").rows
    y2018 = [r for r in rows if r["indicator"] == "threat_cases_total" and r["period_start"] == "2018-01-01"]
    assert {r["published_value"] for r in y2018} == {489, 555} and all(r["conflicting"] for r in y2018)
    assert all(r["live_value"] == 0 for r in y2018)
    cc = [r for r in rows if r["indicator"] == "cc_article_offences"]
    assert cc and all(r["live_value"] is None for r in cc)
    # published figures are never added to live counts
    assert {r["year"]: r["cases"] for r in _run(data_store, "R1").rows}[2024] == 4
    keys = {"indicator", "period_start", "period_end", "published_value", "live_value", "comparable_with_live",
            "conflicting", "source"}
    assert keys <= set(rows[0])


def test_a_published_value_that_does_not_parse_names_the_field(store):
    from kkdesk.errors import ValidationError

    bad = [{"id": "x", "indicator": "threat_cases_total", "period_start": "2020-01-01", "period_end": "2020-12-31",
            "value": "about 700", "unit": "threat_cases", "publisher": "P", "source_ref": "S",
            "comparable_with_live": False}]
    with store.session() as s, pytest.raises(ValidationError) as exc:
        import_document(s, author_of(store), _doc([], published_statistics=bad), "en")
    assert [p.path for p in exc.value.problems] == ["published_statistics[0].value"]


# --- command line and outputs ------------------------------------------------------------

@pytest.fixture
def cli(example_home, monkeypatch, capsys):
    monkeypatch.setenv("KKDESK_PASSPHRASE", PASSPHRASE)

    def run(*argv):
        code = main(["--home", str(example_home), "--ui-lang", "en", *argv])
        c = capsys.readouterr()
        return code, c.out, c.err

    return run


def test_cli_json_long_form(cli):
    code, out, err = cli("report", "R2", "--all-statuses", "--json", "--from", "2024-01", "--to", "2024-05-31")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["report"] == "R2" and doc["period"] == {"from": "2024-01-01", "to": "2024-05-31"}
    assert [c["key"] for c in doc["columns"]] == ["target_group", "year", "cases"]
    assert doc["rows"] and all(set(r) == {"target_group", "year", "cases"} for r in doc["rows"])


@pytest.mark.parametrize("argv, message", [
    (("report", "R17", "--json"), "Unknown report 'R17'"),
    (("report", "R1", "--from", "2024", "--to", "2023"), "ends before it begins"),
    (("report", "R1", "--from", ""), "The period is empty"),
    (("report", "R1", "--from", "2024-13"), "Not a date"),
])
def test_cli_bad_input_is_one_line_and_exit_1(cli, argv, message):
    code, out, err = cli(*argv)
    assert code == 1 and out == "" and message in err and err.count("\n") == 1


def test_cli_unwritable_output_writes_nothing(cli, tmp_path):
    target = tmp_path / "missing" / "r.xlsx"
    code, out, err = cli("report", "all", "--year", "2024", "--xlsx", str(target), "--pdf", str(tmp_path / "p.pdf"))
    assert code == 1 and err.count("\n") == 1 and not target.exists() and not (tmp_path / "p.pdf").exists()


def test_cli_bad_input_in_kazakh(cli, example_home, monkeypatch, capsys):
    code = main(["--home", str(example_home), "--ui-lang", "kk", "report", "R99"])
    err = capsys.readouterr().err
    assert code == 1 and "R99" in err and "Unknown report" not in err


def test_xlsx_first_sheet_is_the_json_rows_and_csv_has_a_bom(cli, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    code, out, _ = cli("report", "R1", "--all-statuses", "--json")
    doc = json.loads(out)
    x, c = tmp_path / "r1.xlsx", tmp_path / "r1.csv"
    assert cli("report", "R1", "--all-statuses", "--xlsx", str(x), "--lang", "ru")[0] == 0
    assert cli("report", "R1", "--all-statuses", "--csv", str(c), "--lang", "kk")[0] == 0
    wb = openpyxl.load_workbook(x)
    ws = wb.worksheets[0]
    values = list(ws.iter_rows(values_only=True))
    assert values[0][0] == "Год" and len(values) == len(doc["rows"]) + 1
    share_col = [col["key"] for col in doc["columns"]].index("share_women")
    for row, got in zip(doc["rows"], values[1:]):
        assert got[1] == row["cases"] and isinstance(got[1], int)
        if row["share_women"] is not None:
            assert got[share_col] == pytest.approx(row["share_women"] / 100)
            assert "%" in ws.cell(row=values.index(got) + 1, column=share_col + 1).number_format
    assert wb.sheetnames[1] == "Справка" or len(wb.sheetnames) >= 2
    raw = c.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.decode("utf-8-sig").splitlines()[0].startswith("Жыл")


def test_pdf_pack_in_kazakh_latin(cli, tmp_path):
    from pypdf import PdfReader

    target = tmp_path / "pack.pdf"
    code, _, err = cli("report", "all", "--year", "2024", "--all-statuses", "--pdf", str(target), "--lang", "kk-Latn")
    assert code == 0, err
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(target.read_bytes())).pages)
    assert "R16" in text and not any("\u0400" <= ch <= "\u04ff" for ch in text)


def test_kazakh_latin_2021_examples():
    # the example sentence of the table followed (Wikipedia, "Kazakh alphabets", Latin script)
    assert to_latin("Бұрыңғы өткен заманда, бір данышпан кісі, Бағдат шаһарының бір үлкен қазысының үйіне келіп "
                    "қоныпты.") == ("Būryñğy ötken zamanda, bır danyşpan kısı, Bağdat şaharynyñ bır ülken qazysynyñ "
                                   "üiıne kelıp qonypty.")
    assert to_latin("Қазақстан Республикасы") == "Qazaqstan Respublikasy"
    assert to_latin("ҚАЗАҚСТАН") == "QAZAQSTAN" and to_latin("Ілияс") == "Iliias" and to_latin("Иван") == "İvan"


def test_kk_latn_prints_name_latin_where_present():
    from kkdesk.reporting.texts import Texts

    t = Texts("kk-Latn")
    assert t.person_name({"name_kk": "Әйгерім", "name_latin": "Aigerim"}) == "Aigerim"
    assert t.person_name({"name_kk": "Әйгерім"}) == "Äigerım"


def test_case_sheet_in_kazakh_latin_keeps_russian_text_verbatim(cli, tmp_path, example_store):
    """Labels and Kazakh text are transliterated; a Russian case title stays Cyrillic."""
    from pypdf import PdfReader

    from kkdesk import links, records
    from kkdesk.listing import page

    with example_store.session() as s:
        found = None
        for r in page(s, "person", limit=200):
            content = records.get(s, r.id).content
            for link in links.linked(s, r.id):
                case = records.get(s, link.id)
                if (link.relation == "case" and content.get("name_latin") and case.content.get("entry_language") == "ru"
                        and any("\u0400" <= ch <= "\u04ff" for ch in case.content.get("title", ""))):
                    found = (r.record_no, content, case.content["title"])
    example_store.close()
    assert found, "the example needs a person with name_latin in a Russian case"
    number, content, title = found
    target = tmp_path / "sheet.pdf"
    code, _, err = cli("pdf", "person", number, "--lang", "kk-Latn", "--out", str(target))
    assert code == 0, err
    if os.environ.get("KKDESK_LOOK"):
        shutil.copy(target, Path(os.environ["KKDESK_LOOK"]) / "person-kk-Latn.pdf")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(target.read_bytes())).pages)
    flat = " ".join(text.split())
    assert content["name_latin"] in text
    assert " ".join(title.split()[:3]) in flat and to_latin(title) not in flat  # Russian title verbatim
    assert not any(ch in text for ch in "әғқңөұүһіӘҒҚҢӨҰҮҺІ")  # no Kazakh Cyrillic survives


def test_yearly_pack_workbook_has_one_sheet_per_report_and_about(cli, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    target = tmp_path / "pack.xlsx"
    code, _, err = cli("report", "all", "--year", "2024", "--all-statuses", "--xlsx", str(target), "--lang", "kk")
    assert code == 0, err
    names = openpyxl.load_workbook(target, read_only=True).sheetnames
    assert names[:16] == [f"R{i}" for i in range(1, 17)] and names[16] == "Анықтама"


def test_published_figures_round_trip_through_interchange(shipped_home, tmp_path, monkeypatch):
    from kkdesk.interchange import export_json, parse_document
    from kkdesk.store import create_profile, open_profile

    store = open_profile(shipped_home, PASSPHRASE)
    with store.session() as s:
        doc = parse_document(export_json(s))
    store.close()
    assert len(doc["published_statistics"]) == len(published.shipped_records())
    other = tmp_path / "again"
    create_profile(other, PASSPHRASE, name="A", ui_lang="en").close()  # also pre-loaded
    store = open_profile(other, PASSPHRASE)
    try:
        with store.session() as s:
            report = import_document(s, author_of(store), {"format": doc["format"], "version": doc["version"],
                                                           "published_statistics": doc["published_statistics"]}, "en")
        assert report.new == 0 and report.updated == 0 and report.unchanged == len(doc["published_statistics"])
    finally:
        store.close()



def test_latin_rule_keeps_marked_russian_and_transliterates_kazakh():
    from kkdesk.reporting.latin import is_russian, keep_verbatim, to_latin_run
    from kkdesk.reporting.latinstory import mark_russian

    assert is_russian("Распространение ложной информации", "ru")
    assert not is_russian("Қазақстан", "ru") and not is_russian("Распространение", "kk")
    content = {"entry_language": "ru", "title": "Токтаров — ст. 274 УК", "name_ru": "Токтаров",
               "notes": [{"text": "Суд отказал"}, {"text": "Сот бас тартты, өтініш қайтарылды"}], "region": "almaty"}
    marked = mark_russian(content, None)
    assert to_latin("Іс: " + marked["title"]) == "Is: Токтаров — ст. 274 УК"
    assert to_latin(marked["name_ru"]) == "Toktarov"  # names are transliterated
    assert to_latin(marked["notes"][0]["text"]) == "Суд отказал"
    assert to_latin(marked["notes"][1]["text"]).startswith("Sot bas")
    assert marked["region"] == "almaty"
    # a verbatim part split over paragraph fragments
    assert to_latin_run(["Күні " + keep_verbatim("Суд")[:2], "отказал\ue001 және"]) == ["Künı С", "отказал jäne"]


@pytest.mark.parametrize("lang", ["ru", "kk", "kk-Latn"])
def test_r16_pdf_is_readable(cli, tmp_path, lang, example_store, monkeypatch):
    """Indicators and sources in words, dates and headings not broken inside a word."""
    from pypdf import PdfReader

    monkeypatch.setattr(published, "PRELOAD", True)
    with example_store.session() as s:
        published.load_shipped(s)
    example_store.close()

    from kkdesk.reporting.sources import INDICATORS
    from kkdesk.reporting.texts import Texts

    target = tmp_path / "r16.pdf"
    code, _, err = cli("report", "R16", "--from", "2011", "--to", "2024", "--pdf", str(target), "--lang", lang)
    assert code == 0, err
    if os.environ.get("KKDESK_LOOK"):
        shutil.copy(target, Path(os.environ["KKDESK_LOOK"]) / f"r16-{lang}.pdf")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(target.read_bytes())).pages)
    words = set(text.split())
    t = Texts(lang)
    assert not any(code in text for code in INDICATORS)
    assert " via " not in text and "S4 §" not in text
    assert t._("Threat cases (total)").split()[0] in words
    assert {"2018", "2022"} <= words  # a whole year is one word, never "2022-01-0"
    for word in t._("Live count").split() + [t._("Published"), t._("not comparable").split()[0]]:
        assert word in words  # a heading breaks at its spaces only


def test_r8_chart_has_one_series_per_question_and_answer(data_store):
    from kkdesk.reporting.chartdata import chart_data
    from kkdesk.reporting.texts import Texts

    report = _run(data_store, "R8", all_statuses=True)
    data = chart_data(report, Texts("en"))
    assert data.kind == "bar"  # grouped: the two questions about the same acts never stack
    names = [name for name, _ in data.series]
    assert all(name.startswith(("Threat carried out: ", "Linked to human rights work: ")) for name in names)
    year = data.categories.index("2024")
    for question in ("threat_carried_out", "linked_to_hr_activity"):
        label = Texts("en").value(report.column("question"), {"question": question})
        total = sum(values[year] for name, values in data.series if name.startswith(label + ":"))
        assert total == sum(r["cases"] for r in report.rows if r["question"] == question and r["year"] == 2024)


def test_r7_heat_table_prints_white_digits_on_dark_cells_and_a_gap_follows(data_store):
    from reportlab.lib import colors
    from reportlab.platypus import Spacer

    from kkdesk.reporting import pdf
    from kkdesk.reporting.texts import Texts
    from kkdesk.reports.common import Sheet

    report = _run(data_store, "R7", all_statuses=True)
    out = pdf._heat(Sheet(None, "ru"), Texts("ru"), report)
    table, gap = out
    assert isinstance(gap, Spacer) and gap.height >= 8
    top = max(r["cases"] for r in report.rows)
    cells = [c for row in table._cellvalues[1:] for c in row[1:]]
    dark = [c for c in cells if hasattr(c, "style") and c.getPlainText() == str(top)]
    assert dark and all(c.style.textColor == colors.white for c in dark)


def test_current_region_follows_an_edit_of_the_incident_locality(data_store):
    def current():
        return {(r["region"], r["year"]): r["cases"] for r in _run(data_store, "R6", regions="current").rows}

    assert current()[("turkistan", 2017)] == 1
    moved = _threat(7, "2017-04-01", [{"victim_person": "m", "threat_type": "summons"}], region="south_kazakhstan",
                    locality="Шымкент")  # the record of Кентау corrected: the act was in Shymkent
    with data_store.session() as s:
        import_document(s, author_of(data_store), _doc([moved], PERSONS, ORGS), "en")
    assert current()[("shymkent", 2017)] == 2 and ("turkistan", 2017) not in current()


def test_r9_counts_the_state_response_of_the_incident(store):
    threats = [_threat(1, "2022-05-01", [{"victim_person": "w", "threat_type": "physical_attack"},
                                         {"victim_person": "w", "threat_type": "death"}], response="complaint_filed"),
               _threat(2, "2022-06-01", [{"victim_person": "m", "threat_type": "physical_attack"},
                                         {"victim_person": "m", "threat_type": "threat"}])]
    with store.session() as s:
        import_document(s, author_of(store), _doc(threats, PERSONS, ORGS), "en")
    rows = {(r["threat_type"], r["state_response"], r["year"]): r["cases"] for r in _run(store, "R9").rows}
    assert rows == {("physical_attack", "complaint_filed", 2022): 1, ("death", "complaint_filed", 2022): 1,
                    ("physical_attack", "unknown", 2022): 1}


def test_migration_0009_fills_current_regions_and_responses_of_existing_acts(data_store):
    from alembic import command
    from sqlalchemy import text

    from kkdesk.db import migrations

    before = {rid: _run(data_store, rid, regions="current").rows for rid in ("R6", "R9")}
    with data_store.engine.begin() as conn:
        command.downgrade(migrations.alembic_config(conn), "0008")
        columns = {r[1] for r in conn.exec_driver_sql("PRAGMA table_info(threat_act)")}
        assert "s_cregion" not in columns and "s_resp" not in columns
    with data_store.engine.begin() as conn:
        migrations.upgrade(conn)
        assert conn.execute(text("SELECT count(*) FROM threat_act WHERE s_region IS NOT NULL "
                                 "AND s_cregion IS NULL")).scalar() == 0
    after = {rid: _run(data_store, rid, regions="current").rows for rid in ("R6", "R9")}
    assert after == before and any(r["region"] == "ulytau" for r in after["R6"])
