"""kkdesk-cli import-sheet: suggest, import, report JSON, and every bad input as one
translated line with exit 1 and nothing imported."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from kkdesk.cli import main
from kkdesk.db.models import Record
from kkdesk.store import open_profile
from tests.conftest import PASSPHRASE
from tests.core import sheetdata as D


@pytest.fixture(autouse=True)
def _english_after():
    """--ui-lang sets the process's language: later tests expect English."""
    yield
    from kkdesk.i18n import set_language

    set_language("en")


@pytest.fixture
def pfile(tmp_path):
    p = tmp_path / "pass.txt"
    p.write_text(PASSPHRASE + "\n", encoding="utf-8")
    return p


def run(capsys, home, pfile, *args):
    code = main(["--home", str(home), "--passphrase-file", str(pfile), *[str(a) for a in args]])
    out, err = capsys.readouterr()
    return code, out, err


def count(home) -> int:
    store = open_profile(home, PASSPHRASE)
    try:
        with store.session() as s:
            return s.execute(select(func.count()).select_from(Record)).scalar()
    finally:
        store.close()


def test_suggest_then_import_then_again(home, pfile, tmp_path, capsys):
    sheet = D.write_xlsx(tmp_path / "угрозы.xlsx")
    m = tmp_path / "m.json"
    code, out, err = run(capsys, home, pfile, "import-sheet", sheet, "--suggest-mapping", "--sheet", "2021", "--out", m)
    assert code == 0, err
    suggested = json.loads(m.read_text(encoding="utf-8"))
    assert suggested["columns"] == D.MAPPING["columns"] and suggested["header_row"] == 2
    code, out, err = run(capsys, home, pfile, "import-sheet", sheet, "--mapping", m, "--dry-run", "--json")
    assert code == 0 and json.loads(out)["imported"] == 5 and count(home) == 0
    code, out, err = run(capsys, home, pfile, "import-sheet", sheet, "--mapping", m, "--json")
    report = json.loads(out)
    assert code == 0 and {"rows", "imported", "skipped", "new", "updated", "unchanged", "persons_matched", "errors",
                          "warnings"} <= set(report)
    assert report["errors"][0]["row"] == 6 and report["errors"][0]["column"] == "Дата"
    code, out, err = run(capsys, home, pfile, "import-sheet", sheet, "--mapping", m, "--json")
    assert (json.loads(out)["new"], json.loads(out)["updated"]) == (0, 0)


def test_all_or_nothing_exits_1_and_imports_nothing(home, pfile, tmp_path, capsys):
    sheet = D.write_xlsx(tmp_path / "a.xlsx")
    code, out, err = run(capsys, home, pfile, "--ui-lang", "ru", "import-sheet", sheet,
                         "--mapping", D.write_mapping(tmp_path / "m.json"), "--all-or-nothing")
    assert code == 1 and err.count("\n") == 1 and "ничего не импортировано" in err
    assert count(home) == 0


def _encrypted(tmp_path):
    import msoffcrypto.format.ooxml as ooxml

    plain = D.write_xlsx(tmp_path / "plain.xlsx")
    target = tmp_path / "закрыт.xlsx"
    with plain.open("rb") as src, target.open("wb") as dst:
        ooxml.OOXMLFile(src).encrypt("secret", dst)
    return target


def _formula_error(tmp_path):
    import openpyxl

    path = D.write_xlsx(tmp_path / "f.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["2021"]
    ws.cell(row=8, column=9).value = "#DIV/0!"
    ws.cell(row=8, column=9).data_type = "e"
    wb.save(path)
    return path


def _koi8(tmp_path):
    path = tmp_path / "koi8.csv"
    text = "\n".join(";".join(str(v or "") for v in r) for r in [D.HEADER, *[r for r in D.ROWS if r]] * 5)
    path.write_bytes(text.translate(str.maketrans("әғқңөұүһіӘҒҚҢӨҰҮҺІ", "агкноуухиАГКНОУУХИ")).encode("koi8_r"))
    return path


@pytest.mark.parametrize("case, expected", [
    ("not_a_sheet", "не является электронной таблицей"),
    ("encrypted", "защищена паролем"),
    ("unknown_sheet", "нет листа"),
    ("unknown_field", "неизвестное поле"),
    ("unknown_column", "нет в листе"),
    ("formula_error", "ошибку формулы"),
    ("unknown_encoding", "известной кодировке"),
])
def test_bad_input_is_one_translated_line(home, pfile, tmp_path, capsys, case, expected):
    sheet = D.write_xlsx(tmp_path / "a.xlsx")
    mapping = D.write_mapping(tmp_path / "m.json")
    if case == "not_a_sheet":
        sheet = tmp_path / "photo.xlsx"
        sheet.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10)
    elif case == "encrypted":
        sheet = _encrypted(tmp_path)
    elif case == "unknown_sheet":
        mapping = D.write_mapping(tmp_path / "m.json", sheet="2019")
    elif case == "unknown_field":
        mapping = D.write_mapping(tmp_path / "m.json", columns={**D.MAPPING["columns"], "Пол": "victim.sex"})
    elif case == "unknown_column":
        mapping = D.write_mapping(tmp_path / "m.json", columns={**D.MAPPING["columns"], "Возраст": "victim.occupation"})
    elif case == "formula_error":
        sheet = _formula_error(tmp_path)
    elif case == "unknown_encoding":
        sheet = _koi8(tmp_path)
        mapping = D.write_mapping(tmp_path / "m.json", sheet=None, header_row=1)
    code, out, err = run(capsys, home, pfile, "--ui-lang", "ru", "import-sheet", sheet, "--mapping", mapping)
    assert code == 1, (out, err)
    assert err.count("\n") == 1 and "Traceback" not in err
    assert expected in err, err
    assert count(home) == 0


def test_bad_input_in_kazakh_too(home, pfile, tmp_path, capsys):
    code, out, err = run(capsys, home, pfile, "--ui-lang", "kk", "import-sheet", _encrypted(tmp_path),
                         "--mapping", D.write_mapping(tmp_path / "m.json"))
    assert code == 1 and err.count("\n") == 1 and "құпиясөз" in err
