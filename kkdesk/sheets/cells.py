"""One row's cells as field values, by the mapping: text, codes (through the mapping's
`values`, then the vocabulary labels and synonyms), dates, numbers, yes/no."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from kkdesk import schema as S
from kkdesk.errors import InputError
from kkdesk.i18n import N_
from kkdesk.sheets.dates import parse_date
from kkdesk.sheets.mapping import Mapping, target_field
from kkdesk.sheets.readers import CellError, column_letter
from kkdesk.sheets.terms import TermMatcher, fold_text, matcher

_YES = {"да", "yes", "y", "true", "1", "+", "иә", "ия", "иа", "д", "истина"}
_NO = {"нет", "no", "n", "false", "0", "-", "жоқ", "жок", "н", "ложь"}
_LIST_SPLIT = re.compile(r"\s*[;,\n]\s*")


@dataclass
class CellProblem:
    column: str | None
    value: str
    message: str
    params: dict

    def text(self, gettext=None) -> str:
        from kkdesk.i18n import _ as default

        msg = (gettext or default)(self.message)
        try:
            return msg % self.params if self.params else msg
        except (KeyError, TypeError, ValueError):
            return msg


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def header_names(cells: list) -> list[str]:
    """The header row's texts; an empty header cell (part of a merged one) is named by its letter."""
    out: list[str] = []
    for i, value in enumerate(cells):
        text = " ".join(cell_text(value).split())
        out.append(text or column_letter(i))
    return out


class Converter:
    """Cells -> {prefix: {field: value}} for one mapping and header."""

    def __init__(self, mapping: Mapping, header: list[str]) -> None:
        self.columns: list[tuple[int, str, str, S.Field]] = []
        for index, name in enumerate(header):
            target = mapping.columns.get(name)
            if target:
                self.columns.append((index, name, target, target_field(target)))  # type: ignore[arg-type]
        self.tables = {t: {fold_text(k): v for k, v in table.items()} for t, table in mapping.values.items()}
        self.exact = {t: dict(table) for t, table in mapping.values.items()}
        self.matchers: dict[str, TermMatcher] = {}
        self._codes: dict[tuple[str, str], tuple[str | None, tuple | None]] = {}
        self.defaults = mapping.defaults
        self.key_index = header.index(mapping.incident_key) if mapping.incident_key else None

    def matcher(self, f: S.Field) -> TermMatcher:
        key = f"{f.vocab}:{f.leaf_only}"
        if key not in self.matchers:
            self.matchers[key] = matcher(f.vocab, f.leaf_only)
        return self.matchers[key]

    def row(self, cells: list) -> tuple[dict[str, dict[str, Any]], list[CellProblem], list[str]]:
        """(values by prefix, problems, identity texts of the row)."""
        out: dict[str, dict[str, Any]] = {}
        problems: list[CellProblem] = []
        raw: list[str] = []
        n = len(cells)
        for index, name, target, f in self.columns:
            value = cells[index] if index < n else None
            text = cell_text(value)
            raw.append(text)
            if value is None or text == "":
                continue
            if isinstance(value, CellError):
                raise InputError(N_("The cell of column '%(column)s' holds a formula error (%(value)s); correct the "
                                    "sheet and try again. Nothing was imported."), column=name, value=text)
            self._put(out, problems, target, f, value, text, name)
        for target, value in self.defaults.items():
            prefix, _, fname = target.partition(".")
            if fname not in out.get(prefix, {}):
                self._put(out, problems, target, target_field(target), value, cell_text(value), None)  # type: ignore[arg-type]
        return out, problems, raw

    def _put(self, out: dict, problems: list, target: str, f: S.Field, value: Any, text: str, column: str | None) -> None:
        prefix, _, fname = target.partition(".")
        record = out.setdefault(prefix, {})
        try:
            converted = self.convert(target, f, value, text)
        except InputError as exc:
            problems.append(CellProblem(column, text, exc.message, exc.params))
            return
        if f.type == S.DATE:
            converted, precision = converted
            if f.precision:
                record[f.precision] = precision
        if fname in record and f.type in (S.TEXT, S.LONGTEXT):
            record[fname] = record[fname] + "\n" + converted
        elif fname in record and f.type in S.LIST_TYPES:
            record[fname] = record[fname] + [c for c in converted if c not in record[fname]]
        else:
            record[fname] = converted

    def code(self, target: str, f: S.Field, text: str) -> str:
        """The code of a cell text; a sheet repeats a few hundred texts, so each is judged once."""
        key = (target, text)
        hit = self._codes.get(key)
        if hit is None:
            try:
                hit = (self._code(target, f, text), None)
            except InputError as exc:
                hit = (None, (exc.message, exc.params))
            if len(self._codes) < 100_000:
                self._codes[key] = hit
        if hit[1] is not None:
            raise InputError(hit[1][0], **hit[1][1])
        return hit[0]  # type: ignore[return-value]

    def _code(self, target: str, f: S.Field, text: str) -> str:
        exact = self.exact.get(target)
        if exact is not None and text in exact or (self.tables.get(target) and fold_text(text) in self.tables[target]):
            code = exact[text] if exact is not None and text in exact else self.tables[target][fold_text(text)]
            if code is None:
                raise InputError(N_("'%(value)s' is not mapped to a term of %(vocabulary)s; choose one in the mapping's values"),
                                 value=text, vocabulary=f.vocab)
            return code
        code = self.matcher(f).match(text)
        if code == TermMatcher.AMBIGUOUS:
            raise InputError(N_("'%(value)s' fits several terms of %(vocabulary)s; choose one in the mapping's values"),
                             value=text, vocabulary=f.vocab)
        if code is None:
            raise InputError(N_("'%(value)s' is not a term of %(vocabulary)s; map it in the mapping's values"),
                             value=text, vocabulary=f.vocab)
        return code

    def convert(self, target: str, f: S.Field, value: Any, text: str) -> Any:
        t = f.type
        if t in (S.TEXT, S.LONGTEXT, S.ENUM):
            return text
        if t == S.TEXTS:
            items = [x for x in _LIST_SPLIT.split(text) if x]
            return [x.upper() for x in items] if f.name == "citizenship" else items
        if t == S.CODE:
            return self.code(target, f, text)
        if t == S.CODES:
            out: list[str] = []
            for part in [text] if self._whole_code(target, f, text) else [x for x in _LIST_SPLIT.split(text) if x]:
                code = self.code(target, f, part)
                if code not in out:
                    out.append(code)
            return out
        if t == S.DATE:
            return parse_date(value)
        if t == S.BOOL:
            if isinstance(value, bool):
                return value
            word = fold_text(text) or text
            if word in _YES:
                return True
            if word in _NO:
                return False
            raise InputError(N_("'%(value)s' is neither yes nor no"), value=text)
        if t == S.INT:
            try:
                number = float(text.replace(",", ".").replace(" ", ""))
            except ValueError:
                raise InputError(N_("'%(value)s' is not a whole number"), value=text) from None
            if not number.is_integer() or number < 0:
                raise InputError(N_("'%(value)s' is not a whole number"), value=text)
            return int(number)
        if t == S.DEC:
            return text.replace(" ", "").replace(",", ".")
        return text

    def _whole_code(self, target: str, f: S.Field, text: str) -> bool:
        """A label that itself holds a comma ("Суд, судья") is one code, not two."""
        try:
            self.code(target, f, text)
            return True
        except InputError:
            return False
