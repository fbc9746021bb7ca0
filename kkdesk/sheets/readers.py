"""Rows of a spreadsheet, streamed: `(row number as the spreadsheet shows it, [cell values])`.

- XLSX: openpyxl in read-only mode (rows are parsed as they are read, never the whole
  sheet). A password-protected workbook is an OLE container holding `EncryptionInfo`.
- CSV: the encoding is UTF-8 (with or without BOM), UTF-16 (BOM, or by its zero bytes)
  or Windows-1251 (judged by charset-normalizer on the first 64 KiB); anything else is
  refused rather than imported as mojibake. Delimiter `,` `;` or tab, sniffed.
- ODS: odfpy (the reader pandas uses). It builds the document in memory, so an ODS
  file is not streamed; legacy ODS files are small.

Cell values are str, int, float, datetime/date or None; a formula whose value is an
error (`#DIV/0!`, `Err:502`) is a `CellError`, which the importer refuses."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import zipfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from kkdesk.errors import InputError
from kkdesk.i18n import N_

SAMPLE = 65536
_ERROR_CODES = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
                          "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"))
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class CellError(str):
    """The error value of a formula cell ("#DIV/0!")."""


def column_letter(index: int) -> str:
    """0 -> 'A', 27 -> 'AB'."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


class Workbook:
    """An opened spreadsheet: its sheet names and the rows of one sheet."""

    kind = ""

    def sheet_names(self) -> list[str]:
        raise NotImplementedError

    def rows(self, sheet: str | None = None) -> Iterator[tuple[int, list]]:
        raise NotImplementedError

    def close(self) -> None:
        pass

    def row_estimate(self, sheet: str | None = None) -> int:
        """About how many rows the sheet has (for a progress bar); 0 when unknown."""
        return 0

    def check_sheet(self, sheet: str | None) -> str:
        names = self.sheet_names()
        if sheet is None:
            return names[0]
        if sheet not in names:
            raise InputError(N_("The workbook has no sheet named '%(sheet)s' (its sheets: %(names)s)."),
                             sheet=sheet, names=", ".join(names))
        return sheet


def _not_a_sheet(path: Path) -> InputError:
    return InputError(N_("%(path)s is not a spreadsheet (XLSX, CSV or ODS)."), path=str(path))


# --- XLSX -------------------------------------------------------------------------

class XlsxWorkbook(Workbook):
    kind = "xlsx"

    def __init__(self, path: Path) -> None:
        import openpyxl
        from openpyxl.utils.exceptions import InvalidFileException

        try:
            self.wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, TypeError):
            raise _not_a_sheet(path) from None

    def sheet_names(self) -> list[str]:
        return list(self.wb.sheetnames)

    def row_estimate(self, sheet: str | None = None) -> int:
        return int(self.wb[self.check_sheet(sheet)].max_row or 0)

    def rows(self, sheet: str | None = None) -> Iterator[tuple[int, list]]:
        ws = self.wb[self.check_sheet(sheet)]
        ws.reset_dimensions()  # files written by other programs often state a wrong size
        # values only (no cell objects): a third faster. The reader yields every row from
        # the first, blank ones included, so the count is the row number. An error value
        # is told by its text, as openpyxl gives it: a text cell typed "#DIV/0!" reads so too.
        errors = _ERROR_CODES
        for number, row in enumerate(ws.iter_rows(values_only=True), 1):
            if errors.isdisjoint(row):
                yield number, list(row)
            else:
                yield number, [CellError(v) if isinstance(v, str) and v in errors else v for v in row]

    def close(self) -> None:
        self.wb.close()


# --- CSV --------------------------------------------------------------------------

def detect_encoding(head: bytes) -> str:
    """The codec of a CSV file from its first bytes; InputError when it is none we read."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in head:  # UTF-16 without BOM: text of Latin, Cyrillic and punctuation either way round
        for codec in ("utf-16-le", "utf-16-be"):
            try:
                text = head[:len(head) // 2 * 2].decode(codec)
            except UnicodeDecodeError:
                continue
            plain = sum(1 for ch in text if ord(ch) < 0x2000 and (ch.isprintable() or ch in "\r\n\t"))
            if text and plain >= 0.95 * len(text):
                return codec
    if b"\x00" in head:
        raise InputError(N_("The file is not text in a known encoding (UTF-8, UTF-16 or Windows-1251)."))
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=len(head) < SAMPLE)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(head).best()
    if best is not None and best.encoding in ("cp1251", "windows_1251"):
        return "cp1251"
    raise InputError(N_("The file is not text in a known encoding (UTF-8, UTF-16 or Windows-1251)."))


def detect_delimiter(sample: str) -> str:
    lines = [ln for ln in sample.splitlines()[:50] if ln.strip()]
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=",;\t").delimiter
    except csv.Error:
        counts = {d: sum(ln.count(d) for ln in lines) for d in (";", "\t", ",")}
        return max(counts, key=counts.get) if any(counts.values()) else ","  # type: ignore[arg-type]


class CsvWorkbook(Workbook):
    kind = "csv"

    def __init__(self, path: Path) -> None:
        self.path = path
        with path.open("rb") as fh:
            head = fh.read(SAMPLE)
        self.encoding = detect_encoding(head)
        text = head.decode(self.encoding, errors="ignore")
        self.sample, self.sample_bytes = text, len(head)
        self.delimiter = detect_delimiter(text)

    def sheet_names(self) -> list[str]:
        return [self.path.stem]

    def check_sheet(self, sheet: str | None) -> str:
        """A CSV file is one sheet, whatever the mapping calls it: a mapping made for
        one year's file serves the next year's, under another name."""
        return self.path.stem

    def row_estimate(self, sheet: str | None = None) -> int:
        lines = self.sample.count("\n")
        size = self.path.stat().st_size
        return int(size / max(1, self.sample_bytes) * lines) if lines else 0

    def rows(self, sheet: str | None = None) -> Iterator[tuple[int, list]]:
        with self.path.open("rb") as raw:
            stream = io.TextIOWrapper(raw, encoding=self.encoding, newline="", errors="strict")
            try:
                for number, row in enumerate(csv.reader(stream, delimiter=self.delimiter), 1):
                    yield number, [v if v.strip() else None for v in row]
            except UnicodeDecodeError:
                raise InputError(N_("The file is not text in a known encoding (UTF-8, UTF-16 or Windows-1251).")) from None
            except csv.Error as exc:
                raise InputError(N_("The CSV file cannot be read: %(reason)s"), reason=str(exc)) from None


# --- ODS --------------------------------------------------------------------------

class OdsWorkbook(Workbook):
    kind = "ods"

    def __init__(self, path: Path) -> None:
        try:
            with zipfile.ZipFile(path) as zf:
                manifest = zf.read("META-INF/manifest.xml") if "META-INF/manifest.xml" in zf.namelist() else b""
        except zipfile.BadZipFile:
            raise _not_a_sheet(path) from None
        if b"encryption-data" in manifest:
            raise InputError(N_("The workbook %(path)s is protected by a password; save it without one and try again."),
                             path=str(path))
        from odf.opendocument import load
        from odf.table import Table

        try:
            self.doc = load(str(path))
        except Exception:  # noqa: BLE001 - odfpy raises whatever its XML parser met
            raise _not_a_sheet(path) from None
        self.tables = {t.getAttribute("name"): t for t in self.doc.spreadsheet.getElementsByType(Table)}
        if not self.tables:
            raise _not_a_sheet(path)

    def sheet_names(self) -> list[str]:
        return list(self.tables)

    def rows(self, sheet: str | None = None) -> Iterator[tuple[int, list]]:
        from odf.table import TableRow

        table = self.tables[self.check_sheet(sheet)]
        number = 0
        for row in table.getElementsByType(TableRow):
            repeat = int(row.getAttribute("numberrowsrepeated") or 1)
            values = self._cells(row)
            if not any(v is not None for v in values):
                number += repeat  # runs of blank rows (often a million at the end) are not yielded
                continue
            for _ in range(min(repeat, 10000)):
                number += 1
                yield number, list(values)

    @staticmethod
    def _cells(row) -> list:
        out: list = []
        for cell in row.childNodes:
            if cell.qname[1] not in ("table-cell", "covered-table-cell"):
                continue
            repeat = int(cell.getAttribute("numbercolumnsrepeated") or 1)
            value = _ods_value(cell)
            if value is None and repeat > 100:
                repeat = 1  # trailing blank columns
            out.extend([value] * repeat)
        while out and out[-1] is None:
            out.pop()
        return out


def _ods_text(cell) -> str:
    from odf.text import P

    return "\n".join("".join(_node_text(n) for n in p.childNodes) for p in cell.getElementsByType(P))


def _node_text(node) -> str:
    if node.nodeType == node.TEXT_NODE:
        return str(node.data)
    if node.qname[1] == "s":
        return " " * int(node.getAttribute("c") or 1)
    return "".join(_node_text(n) for n in node.childNodes)


def _ods_value(cell):
    kind = cell.getAttribute("valuetype")
    if kind in ("float", "percentage", "currency"):
        text = cell.getAttribute("value")
        number = float(text)
        return int(number) if number.is_integer() else number
    if kind == "date":
        text = cell.getAttribute("datevalue")
        return dt.datetime.fromisoformat(text) if "T" in text else dt.date.fromisoformat(text)
    if kind == "boolean":
        return cell.getAttribute("booleanvalue") == "true"
    text = _ods_text(cell)
    if cell.getAttribute("formula") and (text.startswith("#") or text.startswith("Err:")):
        return CellError(text)
    return text if text.strip() else None


# --- opening --------------------------------------------------------------------

@contextmanager
def open_workbook(path: str | Path) -> Iterator[Workbook]:
    p = Path(path)
    try:
        with p.open("rb") as fh:
            head = fh.read(8)
    except FileNotFoundError:
        raise InputError(N_("File not found: %(path)s"), path=str(p)) from None
    except IsADirectoryError:
        raise InputError(N_("%(path)s is a folder, not a file."), path=str(p)) from None
    suffix = p.suffix.lower()
    if head.startswith(_OLE_MAGIC):
        if _ole_encrypted(p):
            raise InputError(N_("The workbook %(path)s is protected by a password; save it without one and try again."),
                             path=str(p))
        raise InputError(N_("%(path)s is an old Excel workbook (.xls); save it as .xlsx and try again."), path=str(p))
    if head.startswith(b"PK"):
        wb: Workbook = OdsWorkbook(p) if suffix == ".ods" or _is_ods(p) else XlsxWorkbook(p)
    elif suffix in (".csv", ".txt", ".tsv", ""):
        wb = CsvWorkbook(p)
    else:
        raise _not_a_sheet(p)
    try:
        yield wb
    finally:
        wb.close()


def _is_ods(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as zf:
            return "mimetype" in zf.namelist() and zf.read("mimetype").startswith(b"application/vnd.oasis.opendocument.spreadsheet")
    except zipfile.BadZipFile:
        return False


def _ole_encrypted(path: Path) -> bool:
    """An OLE file holding an `EncryptionInfo` stream: an encrypted OOXML workbook."""
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            return ole.exists("EncryptionInfo")
    except OSError:
        return False
