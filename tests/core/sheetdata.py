"""Legacy spreadsheets made by code for the import-sheet tests: a Russian-language
threats register as the NGO kept it (title row, merged title, blank rows, dates typed
every way, regions abbreviated), written as XLSX, CSV (several encodings) and ODS."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

HEADER = ["Дата", "ФИО", "Пол", "Категория", "Вид угрозы", "Регион", "Кто угрожал", "Источник", "Описание"]
TITLE = "Мониторинг угроз правозащитникам, 2021 год (Кадыр-Касиет)"
# sheet rows 3.. (row 1 the title, row 2 the header); None = a blank row
ROWS = [
    [dt.date(2021, 3, 12), "Жұмабаев Ерлан", "муж", "Правозащитник", "Угрозы убийством", "ЗКО", "Полиция",
     "https://azattyq.example/2021/03/12", "Звонок с угрозами после публикации о выборах в маслихат"],
    None,
    ["март 2021", "Ерлан Жумабаев", "м", "правозащитник", "слежка", "г. Уральск", "КНБ", None,
     "Слежка у дома и у офиса"],
    ["31.02.2021", "Сидорова Анна Викторовна", "жен", "журналист", "Шантаж", "г. Алматы", "Неизвестные", None,
     "Шантаж фотографиями"],
    [44300, "Ахметова Гүлнар", "ж", "Блогер", "обыск", "Алматинская обл.", "Суд", None, "Обыск дома, изъяли ноутбук"],
    ["2021 г.", "Серіков Дәурен", "Ер", "активист", "штраф", "Маңғыстау облысы", "Аким", None,
     "Штраф за одиночный пикет"],
    ["12/05/2021", "Нурланова Айгерим", "Женский", "Журналисты (включая блогеров)", "Нападение, избиение",
     "Шымкент қаласы", "Частные лица", "https://vlast.example/attack", "Нападение у редакции"],
]
MAPPING = {"format": "kkdesk-sheet-mapping", "version": 1, "sheet": "2021", "header_row": 2,
           "columns": {"Дата": "incident.start_date", "ФИО": "victim.name_ru", "Пол": "victim.gender",
                       "Категория": "act.target_group_at_time", "Вид угрозы": "act.threat_type",
                       "Регион": "incident.region", "Кто угрожал": "perpetrator.perpetrator_type",
                       "Источник": "source.url", "Описание": "incident.description"},
           "values": {}, "defaults": {"incident.record_status": "verified"}, "incident_key": None}


def rows_with_header(rows=None) -> list[list | None]:
    return [[TITLE], HEADER, *(ROWS if rows is None else rows)]


def write_xlsx(path: Path, rows=None, sheet: str = "2021", extra_sheet: bool = True) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    if extra_sheet:
        wb.active.title = "Справка"
        wb.active.append(["Лист с пояснениями"])
        ws = wb.create_sheet(sheet)
    else:
        ws = wb.active
        ws.title = sheet
    for row in rows_with_header(rows):
        ws.append(row if row is not None else [])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    wb.save(path)
    return path


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    return str(value)


def write_csv(path: Path, encoding: str, delimiter: str, rows=None) -> Path:
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    for row in rows_with_header(rows):
        w.writerow([_text(v) for v in row] if row is not None else [])
    text = buf.getvalue()
    if encoding == "cp1251":  # no Kazakh letters in Windows-1251: people typed the nearest Russian ones
        text = text.translate(str.maketrans("әғқңөұүһіӘҒҚҢӨҰҮҺІ", "агкноуухиАГКНОУУХИ"))
    path.write_bytes(text.encode(encoding))
    return path


def write_ods(path: Path, rows=None, sheet: str = "2021") -> Path:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name=sheet)
    for row in rows_with_header(rows):
        tr = TableRow()
        for value in row or []:
            if value is None:
                cell = TableCell()
            elif isinstance(value, dt.date):
                cell = TableCell(valuetype="date", datevalue=value.isoformat())
                cell.addElement(P(text=value.strftime("%d.%m.%Y")))
            elif isinstance(value, (int, float)):
                cell = TableCell(valuetype="float", value=str(value))
                cell.addElement(P(text=str(value)))
            else:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=str(value)))
            tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path


def write_mapping(path: Path, **changes) -> Path:
    data = json.loads(json.dumps(MAPPING))
    data.update(changes)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path
