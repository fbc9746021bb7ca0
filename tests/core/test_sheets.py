"""import-sheet: value folding, dates, readers and the import itself (report, persons,
idempotence, dry run, all-or-nothing, incident keys)."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import func, select

from kkdesk.canonical import loads_content
from kkdesk.db.models import Record, Revision
from kkdesk.errors import InputError
from kkdesk.interchange import import_document
from kkdesk.records import Author
from kkdesk.sheets import mapping as M
from kkdesk.sheets.dates import DateError, parse_date
from kkdesk.sheets.importer import import_sheet
from kkdesk.sheets.readers import open_workbook
from kkdesk.sheets.suggest import suggest
from kkdesk.sheets.terms import TermMatcher, matcher
from tests.core import sheetdata as D


def kinds(store) -> dict[str, int]:
    with store.session() as s:
        return dict(s.execute(select(Record.kind, func.count()).group_by(Record.kind)).all())


def revisions(store) -> int:
    with store.session() as s:
        return s.execute(select(func.count()).select_from(Revision)).scalar()


def contents(store, kind: str) -> list[dict]:
    with store.session() as s:
        rows = s.execute(select(Revision.content).join(Record, Record.head == Revision.rev_id)
                         .where(Record.kind == kind).order_by(Record.num)).scalars()
        return [loads_content(b) for b in rows]


def mapping(**changes) -> M.Mapping:
    data = {**D.MAPPING, **changes}
    return M.from_json(data)


# --- values -------------------------------------------------------------------

@pytest.mark.parametrize("text, code", [
    ("ЗКО", "west_kazakhstan"), ("вко", "east_kazakhstan"), ("СКО", "north_kazakhstan"), ("ЮКО", "south_kazakhstan"),
    ("г. Алматы", "almaty_city"), ("Алматы", "almaty_city"), ("Алматы қаласы", "almaty_city"),
    ("Алматинская обл.", "almaty_region"), ("Алматы облысы", "almaty_region"),
    ("Актобе облысы", "aktobe"),          # Ақтөбе typed with Russian letters
    ("  актюбинская область ", "aktobe"), ("город Уральск", "west_kazakhstan"), ("Нур-Султан", "astana"),
    ("West Kazakhstan Region", "west_kazakhstan"), ("Шымкент", "shymkent"),
])
def test_region_cells_fold_to_terms(text, code):
    assert matcher("region").match(text) == code


def test_other_vocabularies_fold_and_refuse():
    assert matcher("gender").match("Ж") == "female" and matcher("gender").match("Мужской") == "male"
    assert matcher("target_group").match("ПРАВОЗАЩИТНИЦА") == "hrd"
    assert matcher("threat_type", True).match("Угрозы убийством") == "death_threat"
    assert matcher("perpetrator_type", True).match("КНБ") == "knb"  # the bracketed acronym of the label
    assert matcher("threat_type", True).match("Ёлка") is None
    # a category and a leaf share "Неизвестно": only leaf-only fields can tell them apart
    assert matcher("perpetrator_type").match("Неизвестно") == TermMatcher.AMBIGUOUS
    assert matcher("perpetrator_type", True).match("Неизвестно") == "unknown"


@pytest.mark.parametrize("value, expected", [
    ("12.03.2021", ("2021-03-12", "day")), ("12/03/2021", ("2021-03-12", "day")), ("2021-03-12", ("2021-03-12", "day")),
    (44267, ("2021-03-12", "day")), ("март 2021", ("2021-03", "month")), ("наурыз 2021", ("2021-03", "month")),
    ("March 2021", ("2021-03", "month")), ("2021", ("2021", "year")), ("2021 г.", ("2021", "year")), (2021, ("2021", "year")),
    ("12 марта 2021 г.", ("2021-03-12", "day")), ("Қыркүйек 2019", ("2019-09", "month")),
])
def test_date_forms(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["31.02.2021", "29.02.2021", "12.13.2021", "вчера", "Марс 2021"])
def test_impossible_or_unreadable_dates_are_errors(value):
    with pytest.raises(DateError):
        parse_date(value)


# --- readers ------------------------------------------------------------------

@pytest.mark.parametrize("encoding, delimiter", [("utf-8", ","), ("utf-8-sig", ";"), ("cp1251", ";"),
                                                 ("utf-16", "\t"), ("utf-16-le", ",")])
def test_csv_encodings_and_delimiters(tmp_path, encoding, delimiter):
    path = D.write_csv(tmp_path / "угрозы.csv", encoding, delimiter)
    with open_workbook(path) as wb:
        got = list(wb.rows())
    assert got[1] == (2, D.HEADER) and got[3] == (4, [])
    assert got[2][1][:2] == ["12.03.2021", "Жумабаев Ерлан" if encoding == "cp1251" else "Жұмабаев Ерлан"]


def test_csv_imports_like_the_workbook(store, tmp_path):
    report = import_sheet(store, D.write_csv(tmp_path / "a.csv", "cp1251", ";"), mapping(sheet="a"))
    assert (report.rows, report.imported, report.skipped) == (6, 5, 1)
    assert [(m["row"], m["matched_row"]) for m in report.persons_matched] == [(5, 3)]
    assert contents(store, "threat")[3]["region"] == "mangystau"   # "Мангыстау облысы", typed in Russian letters


def test_ods_imports_like_the_workbook(store, tmp_path):
    report = import_sheet(store, D.write_ods(tmp_path / "a.ods"), mapping())
    assert (report.rows, report.imported, report.skipped) == (6, 5, 1)
    assert contents(store, "threat")[0]["start_date"] == "2021-03-12"


def test_xlsx_and_ods_rows_keep_sheet_numbers(tmp_path):
    for path in (D.write_xlsx(tmp_path / "a.xlsx"), D.write_ods(tmp_path / "a.ods")):
        with open_workbook(path) as wb:
            rows = {n: cells for n, cells in wb.rows("2021")}
        assert rows[2][:2] == ["Дата", "ФИО"]
        assert rows[5][1] == "Ерлан Жумабаев"   # row 4 is blank: the numbers still count it
        assert str(rows[3][0])[:10] == "2021-03-12"


def test_suggested_mapping_finds_header_columns_and_unmapped_values(tmp_path):
    rows = [*D.ROWS, ["2022", "Оспанов Бақыт", "м", "Правозащитник", "угроза", "Приозёрск-7", "Полиция", None, "Угроза"]]
    with open_workbook(D.write_xlsx(tmp_path / "a.xlsx", rows)) as wb:
        m = suggest(wb, "2021")
    assert m.header_row == 2 and m.columns == D.MAPPING["columns"]
    assert m.values == {"incident.region": {"Приозёрск-7": None}}


# --- the import -------------------------------------------------------------------

def test_import_xlsx_report_and_records(store, tmp_path):
    report = import_sheet(store, D.write_xlsx(tmp_path / "угрозы-2021.xlsx"), mapping())
    d = report.as_dict()
    assert (d["rows"], d["imported"], d["skipped"]) == (6, 5, 1)
    assert d["errors"] == [{"row": 6, "column": "Дата", "value": "31.02.2021",
                            "message": "'31.02.2021' is not a date that exists"}]
    # "Ерлан Жумабаев" (row 5) is the person of row 3, "Жұмабаев Ерлан"
    assert [(m["row"], m["matched_row"]) for m in d["persons_matched"]] == [(5, 3)]
    assert kinds(store) == {"person": 4, "threat": 5, "source": 2}
    threats = contents(store, "threat")
    first = threats[0]
    assert first["region"] == "west_kazakhstan" and first["record_status"] == "verified"
    assert first["title"] == "Звонок с угрозами после публикации о выборах в маслихат"
    act = first["acts"][0]
    assert (act["threat_type"], act["target_group_at_time"], act["gender_at_time"], act["region_at_time"]) == \
        ("death_threat", "hrd", "male", "west_kazakhstan")
    assert act["perpetrators"][0]["perpetrator_type"] == "police"
    assert [(t["start_date"], t["start_precision"]) for t in threats] == [
        ("2021-03-12", "day"), ("2021-03", "month"), ("2021-04-14", "day"), ("2021", "year"), ("2021-05-12", "day")]
    assert [t["region"] for t in threats] == ["west_kazakhstan", "west_kazakhstan", "almaty_region", "mangystau", "shymkent"]
    persons = {p["name_ru"]: p for p in contents(store, "person")}
    assert persons["Жұмабаев Ерлан"]["primary_target_group"] == "hrd"
    assert persons["Ахметова Гүлнар"]["primary_target_group"] == "journalist"
    assert threats[1]["acts"][0]["victim_person"] == threats[0]["acts"][0]["victim_person"]
    sources = contents(store, "source")
    assert sources[0]["title"] == sources[0]["url"] == "https://azattyq.example/2021/03/12"
    assert sources[0]["source_type"] == "other" and sources[0]["links"][0]["target"]


def test_same_sheet_twice_changes_nothing_and_ids_ignore_the_file_name(store, tmp_path):
    path = D.write_xlsx(tmp_path / "a.xlsx")
    import_sheet(store, path, mapping())
    before = revisions(store)
    moved = tmp_path / "elsewhere" / "другое имя.xlsx"
    moved.parent.mkdir()
    shutil.copy(path, moved)
    report = import_sheet(store, moved, mapping())
    assert (report.new, report.updated, report.unchanged) == (0, 0, 11)
    assert revisions(store) == before


def test_corrected_sheet_updates_the_same_records(store, tmp_path):
    import_sheet(store, D.write_xlsx(tmp_path / "a.xlsx"), mapping())
    ids = {r for r in kinds(store)}
    rows = [list(r) if r else r for r in D.ROWS]
    rows[0][5] = "Атырауская обл."       # the region was wrong
    rows[0][8] = rows[0][8] + " (уточнено)"
    rows[3][0] = "31.01.2021"            # the impossible date corrected
    report = import_sheet(store, D.write_xlsx(tmp_path / "b.xlsx", rows), mapping())
    assert (report.imported, report.skipped) == (6, 0)
    assert report.updated == 1 and report.new == 2  # row 6's person and incident are new now
    assert set(kinds(store)) == ids and kinds(store)["threat"] == 6
    assert contents(store, "threat")[0]["region"] == "atyrau"


def test_victim_matched_to_a_profile_person_by_name_and_birth_year(store, tmp_path):
    doc = {"format": "kkdesk-interchange", "version": 1, "persons": [
        {"id": "p1", "name_kk": "Жұмабаев Ерлан Сәбитұлы", "name_ru": "Жумабаев Ерлан", "birth_date": "1980",
         "primary_target_group": "hrd"}]}
    with store.session() as s:
        import_document(s, Author(store.profile_id, store.profile_code), doc, "ru")
        existing = s.execute(select(Record.id, Record.record_no).where(Record.kind == "person")).one()
    m = mapping(columns={**D.MAPPING["columns"], "Год рождения": "victim.birth_date"})
    header = [*D.HEADER, "Год рождения"]
    rows = [[*D.ROWS[0], 1980], [*D.ROWS[2], 1975]]
    path = tmp_path / "p.xlsx"
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2021"
    ws.append([D.TITLE])
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(path)
    report = import_sheet(store, path, m)
    matched = report.persons_matched
    assert [(x["row"], x["record"], x["record_no"]) for x in matched] == [(3, existing.id, existing.record_no)]
    assert kinds(store)["person"] == 2  # the 1975-born namesake is someone else
    threats = contents(store, "threat")
    assert threats[0]["acts"][0]["victim_person"] == existing.id
    assert threats[1]["acts"][0]["victim_person"] != existing.id


def test_dry_run_changes_nothing_and_counts_what_it_would_do(store, tmp_path):
    report = import_sheet(store, D.write_xlsx(tmp_path / "a.xlsx"), mapping(), dry_run=True)
    assert report.dry_run and (report.imported, report.new) == (5, 11)
    assert kinds(store) == {} and revisions(store) == 0


def test_all_or_nothing_imports_nothing_on_a_row_error(store, tmp_path):
    report = import_sheet(store, D.write_xlsx(tmp_path / "a.xlsx"), mapping(), all_or_nothing=True)
    assert report.rolled_back and report.skipped == 1 and report.imported == 0
    assert kinds(store) == {}


def test_rows_sharing_an_incident_key_form_one_incident(store, tmp_path):
    rows = [[*r, "И-1"] if r else r for r in D.ROWS[:3]] + [[*D.ROWS[4], "И-2"], [*D.ROWS[0][:1], "Ким Ольга", *D.ROWS[0][2:], "И-1"]]
    import openpyxl

    path = tmp_path / "k.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2021"
    ws.append([D.TITLE])
    ws.append([*D.HEADER, "№ случая"])
    for r in rows:
        ws.append(r or [])
    wb.save(path)
    m = mapping(incident_key="№ случая")
    report = import_sheet(store, path, m)
    assert report.imported == 4
    threats = contents(store, "threat")
    assert sorted(len(t["acts"]) for t in threats) == [1, 3]  # И-1: rows 3, 5 and 7 (row 4 blank)
    again = import_sheet(store, path, m)
    assert again.new == again.updated == 0


def test_value_mapping_and_unmapped_cells(store, tmp_path):
    rows = [list(D.ROWS[0]), list(D.ROWS[2])]
    rows[0][5] = "Приозёрск"
    rows[1][5] = "Байконур"
    m = mapping(values={"incident.region": {"приозерск": "karaganda"}})
    report = import_sheet(store, D.write_xlsx(tmp_path / "v.xlsx", rows), m)
    assert report.imported == 1 and contents(store, "threat")[0]["region"] == "karaganda"
    err = report.as_dict()["errors"][0]
    assert (err["row"], err["column"], err["value"]) == (4, "Регион", "Байконур")


def test_mapping_refuses_unknown_fields():
    with pytest.raises(InputError):
        mapping(columns={"Дата": "incident.start_dat"})
    with pytest.raises(InputError):
        mapping(values={"incident.region": {"ЗКО": "west"}})


def test_csv_mapping_serves_a_renamed_file_and_typed_dates_match_date_cells(store, tmp_path):
    m = mapping(sheet=None, id_namespace="kk-2021")
    first = import_sheet(store, D.write_xlsx(tmp_path / "a.xlsx", extra_sheet=False), m)
    assert first.new == 11
    # the same register exported to CSV under another name: dates now typed, not date cells
    again = import_sheet(store, D.write_csv(tmp_path / "реестр-копия.csv", "utf-8", ";"), m)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 11)


def test_progress_cancel_rolls_everything_back(store, tmp_path, monkeypatch):
    import kkdesk.sheets.importer as importer
    from kkdesk.errors import Cancelled

    monkeypatch.setattr(importer, "BATCH_ROWS", 2)
    seen = []
    with pytest.raises(Cancelled):
        import_sheet(store, D.write_xlsx(tmp_path / "a.xlsx"), mapping(),
                     progress=lambda done, total: seen.append((done, total)) or len(seen) < 2)
    assert len(seen) == 2 and seen[0][1] >= 6  # the total comes from the sheet's stated size
    assert kinds(store) == {}


def test_other_files_are_refused_with_their_reason(tmp_path):
    import zipfile

    cases = {}
    p = cases["zip"] = tmp_path / "архив.xlsx"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("readme.txt", "не таблица")
    p = cases["text"] = tmp_path / "notes.ods"
    p.write_text("просто текст", encoding="utf-8")
    p = cases["ods_password"] = tmp_path / "закрыт.ods"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("META-INF/manifest.xml", '<manifest:manifest><manifest:file-entry manifest:full-path="content.xml">'
                    '<manifest:encryption-data manifest:checksum-type="SHA1/1K"/></manifest:file-entry></manifest:manifest>')
        zf.writestr("content.xml", bytes(range(256)))
    messages = {}
    for name, path in cases.items():
        with pytest.raises(InputError) as info:
            with open_workbook(path) as wb:
                list(wb.rows())
        messages[name] = info.value.message
    assert messages["zip"] == messages["text"] == "%(path)s is not a spreadsheet (XLSX, CSV or ODS)."
    assert "password" in messages["ods_password"]
