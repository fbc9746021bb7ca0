"""A sheet through the interchange import, in batches of rows, in one transaction.

Each batch of rows becomes interchange records, normalised, validated and written by
`kkdesk.interchange.Importer` and its `Writer` — the path `import-json` takes — so the
checks, revisions and projection are the same. A record that the interchange import
refuses skips the rows it came from (listed with row, column and value); the other rows
are imported. Memory holds one batch, the names of the persons seen, and one hash per
row identity (for telling identical rows apart)."""

from __future__ import annotations

import gc
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from sqlalchemy.orm import Session

from kkdesk import schema as S
from kkdesk.errors import Cancelled, InputError, Problem
from kkdesk.i18n import N_
from kkdesk.interchange import IMPORT_CACHE_KIB, NORMAL_CACHE_KIB, Importer, _no_cyclic_gc, author_of
from kkdesk.records import Author
from kkdesk.sheets.cells import CellProblem, Converter, cell_text, header_names
from kkdesk.sheets.mapping import Mapping
from kkdesk.sheets.persons import PersonIndex, name_key
from kkdesk.sheets.readers import Workbook, open_workbook
from kkdesk.sheets.records import IDENTITY_TARGETS, Batch, Builder, Row

BATCH_ROWS = 5000
MATCH_KEYS = ("row", "column", "name", "kind", "record", "record_no", "matched_name", "matched_row")
ProgressFn = Callable[[int, int], bool | None]
_LISTS = (("persons", S.PERSON), ("organisations", S.ORGANISATION), ("threats", S.THREAT), ("sources", S.SOURCE))
_PATH = re.compile(r"^(\w+)\[(\d+)\](.*)$")
_ACT = re.compile(r"\.acts\[(\d+)\]")
_LIST_PREFIX = {"persons": "victim", "organisations": "victim_org", "threats": "incident", "sources": "source"}


@dataclass(slots=True)
class RowProblem:
    row: int
    column: str | None
    value: str
    message: str
    params: dict = field(default_factory=dict)

    def as_dict(self, gettext=None) -> dict:
        from kkdesk.i18n import _ as default

        from kkdesk.errors import translated_params

        gettext = gettext or default
        msg = gettext(self.message)
        try:
            msg = msg % translated_params(self.params, gettext) if self.params else msg
        except (KeyError, TypeError, ValueError):
            pass
        return {"row": self.row, "column": self.column, "value": self.value, "message": msg}


@dataclass
class SheetReport:
    rows: int = 0
    imported: int = 0
    skipped: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    matches: list[tuple] = field(default_factory=list)  # compact: a 100,000-row sheet matches 90,000 victims
    errors: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)
    dry_run: bool = False
    rolled_back: bool = False

    @property
    def persons_matched(self) -> list[dict]:
        """Every match made: the row, its name, the record it was matched to (one of the
        profile's, with its number) or the earlier row whose person it is."""
        return [dict(zip(MATCH_KEYS, m)) for m in self.matches]

    def as_dict(self, gettext=None) -> dict:
        return {"rows": self.rows, "imported": self.imported, "skipped": self.skipped, "new": self.new,
                "updated": self.updated, "unchanged": self.unchanged, "persons_matched": self.persons_matched,
                "errors": [e.as_dict(gettext) for e in self.errors],
                "warnings": [w.as_dict(gettext) for w in self.warnings], "dry_run": self.dry_run}


def read_header(rows, header_row: int) -> list[str]:
    for number, cells in rows:
        if number == header_row:
            return header_names(cells)
        if number > header_row:
            break
    raise InputError(N_("The sheet has no row %(row)s to read the header from."), row=header_row)


def identity(values: dict, targets: list[str], raw: list[str]) -> str:
    """What tells a row's act from another's: its date, victim (by name key) and threat
    type as converted — a date cell and the same date typed give the same id — or,
    when the mapping has none of these, all the row's cells."""
    if not targets:
        return "\x1f".join(raw)
    parts = []
    for target in targets:
        prefix, _, name = target.partition(".")
        value = values.get(prefix, {}).get(name)
        if value is not None and name.startswith("name"):
            value = name_key(value)
        parts.append(f"{target}={value if value is not None else ''}")
    return "\x1f".join(parts)


class SheetImport:
    def __init__(self, session: Session, author: Author, default_language: str, mapping: Mapping,
                 workbook: Workbook) -> None:
        self.session = session
        self.author = author
        self.lang = default_language
        self.mapping = mapping
        self.wb = workbook
        self.sheet = workbook.check_sheet(mapping.sheet)
        self.report = SheetReport()
        self.column_of: dict[str, str] = {}
        for col, target in mapping.columns.items():
            self.column_of.setdefault(target, col)

    def _rows(self):
        rows = self.wb.rows(self.sheet)
        header = read_header(rows, self.mapping.header_row)
        return header, rows

    def run(self, progress: ProgressFn | None = None) -> SheetReport:
        conn = self.session.connection()
        # as import_document does: a big import touches index pages all over the store
        conn.exec_driver_sql(f"PRAGMA cache_size = {IMPORT_CACHE_KIB}")
        try:
            with _no_cyclic_gc():
                return self._run(progress)
        finally:
            conn.exec_driver_sql(f"PRAGMA cache_size = {NORMAL_CACHE_KIB}")

    def _run(self, progress: ProgressFn | None) -> SheetReport:
        total = max(0, self.wb.row_estimate(self.sheet) - self.mapping.header_row)  # before reading resets it
        header, rows = self._rows()
        self.mapping.check_columns(header)
        conv = Converter(self.mapping, header)
        identity_targets = sorted({t for _, _, t, _ in conv.columns if t in IDENTITY_TARGETS})
        last_of: dict[str, int] = {}
        if conv.key_index is not None:  # first pass: where each incident's last row is
            _, first_pass = self._rows()
            for number, cells in first_pass:
                key = cell_text(cells[conv.key_index]) if conv.key_index < len(cells) else ""
                if key:
                    last_of[key] = number
        names = {p: self.column_of.get(f"{p}.name_ru") or self.column_of.get(f"{p}.name_kk") or
                 self.column_of.get(f"{p}.name_latin") or self.column_of.get(f"{p}.name_en") for p in ("victim", "victim_org")}
        builder = Builder(self.mapping.namespace(), PersonIndex(self.session, "person"),
                          PersonIndex(self.session, "organisation"), names)  # type: ignore[arg-type]
        open_groups: dict[str, list[Row]] = {}
        batch = Batch()
        for number, cells in rows:
            if not any(c is not None and cell_text(c) != "" for c in cells):
                continue  # blank rows are normal
            self.report.rows += 1
            values, problems, raw = conv.row(cells)
            key = raw_key = None  # type: ignore[assignment]
            if conv.key_index is not None:
                raw_key = cell_text(cells[conv.key_index]) if conv.key_index < len(cells) else ""
                key = raw_key or None  # type: ignore[assignment]
                if key is None:
                    problems.append(CellProblem(self.mapping.incident_key, "", N_("the incident key is empty"), {}))
            if problems:
                self._skip(number, problems)
            else:
                row = Row(number, values, identity(values, identity_targets, raw), key)
                if key is None:
                    builder.add_group(batch, [row], None)
                else:
                    open_groups.setdefault(key, []).append(row)
            if key is not None and last_of.get(key) == number and key in open_groups:
                builder.add_group(batch, open_groups.pop(key), key)
            if batch.count >= BATCH_ROWS:
                self._write(batch)
                batch = Batch()
                gc.collect()  # the batch's cycles (the import runs with the collector off)
                if progress is not None and progress(self.report.rows, max(total, self.report.rows)) is False:
                    raise Cancelled(N_("The import was cancelled; nothing was changed."))
        for key, group in open_groups.items():
            builder.add_group(batch, group, key)
        self._write(batch)
        if progress is not None:
            progress(self.report.rows, self.report.rows)
        return self.report

    def _skip(self, number: int, problems: list[CellProblem]) -> None:
        self.report.skipped += 1
        for p in problems:
            self.report.errors.append(RowProblem(number, p.column, p.value, p.message, p.params))

    # --- one batch through the interchange import --------------------------------
    def _write(self, batch: Batch) -> None:
        for row, column, value, message, params in batch.warnings:
            self.report.warnings.append(RowProblem(row, column, value, message, params))
        if not batch.count:
            return
        imp = Importer(self.session, self.author, self.lang)
        lists = {"persons": batch.persons, "organisations": batch.organisations, "threats": batch.threats,
                 "sources": batch.sources}
        doc = {name: [{"id": uid, **raw} for uid, raw in records.items()] for name, records in lists.items()}
        imp.register_ids(doc)
        imp.ctx.prefetch(doc)
        bad: dict[int, list[RowProblem]] = {}
        prepared: list[tuple[str, str, dict, str, list[int]]] = []
        for list_name, entity in _LISTS:
            for i, (uid, raw) in enumerate(lists[list_name].items()):
                rows = batch.rows_of.get(uid, [])
                if list_name == "threats":
                    raw, rows = self._good_acts(raw, rows, bad)
                    if not rows:
                        continue
                elif list_name == "sources":
                    if not [r for r in batch.rows_of.get(raw["links"][0]["target"], []) if r not in bad]:
                        continue
                elif list_name in ("persons", "organisations") and rows and all(r in bad for r in rows):
                    continue
                path = f"{list_name}[{i}]"
                content = None
                for _attempt in range(3):  # a threat drops the acts of bad rows and is tried again
                    raw, rows = self._good_acts(raw, rows, bad) if list_name == "threats" else (raw, rows)
                    if not rows and list_name == "threats":
                        break
                    before = len(imp.errors)
                    content = imp.prepare_record(entity, dict(raw), path, uid)
                    errors = imp.errors[before:]
                    del imp.errors[before:]
                    if not errors:
                        break
                    content = None
                    for e in errors:
                        self._bad_row(bad, e, list_name, rows)
                    if list_name != "threats" or any(not _ACT.search(e.path) for e in errors):
                        break
                if content is not None:
                    prepared.append((entity.kind, uid, content, path, rows))
        # persons whose rows all failed are not written; later rows must not find them
        kept = []
        for kind, uid, content, path, rows in prepared:
            if kind in ("person", "organisation") and rows and all(r in bad for r in rows):
                continue
            kept.append((kind, uid, content, path, rows))
        written = {uid for _, uid, _, _, _ in kept}
        for index, keys, year in batch.made:
            for k in keys:
                hit = index.made.get((k, year))
                if hit and hit[0] not in written:
                    del index.made[(k, year)]
        imp.prepared = [(kind, uid, content, path) for kind, uid, content, path, _ in kept]
        imp.check_rules()
        part = imp.write()
        self.report.new += part.new
        self.report.updated += part.updated
        self.report.unchanged += part.unchanged
        rows_by_path = {path: rows for _, _, _, path, rows in kept}
        for w in part.warnings:
            self._warn(w, rows_by_path)
        for rows in bad.values():  # type: ignore[assignment]
            self.report.errors.extend(rows)  # type: ignore[arg-type]
        self.report.skipped += len(bad)
        self.report.imported += batch.count - len(bad)
        self.report.matches.extend(m for m in batch.matches if m[0] not in bad)

    def _good_acts(self, raw: dict, rows: list[int], bad: dict) -> tuple[dict, list[int]]:
        keep = [i for i, r in enumerate(rows) if r not in bad]
        if len(keep) == len(rows):
            return raw, rows
        out = dict(raw)
        out["acts"] = [raw["acts"][i] for i in keep]
        return out, [rows[i] for i in keep]

    @staticmethod
    def _row_of(path: str, rows: list[int]) -> int:
        m = _ACT.search(path)
        if m and int(m.group(1)) < len(rows):
            return rows[int(m.group(1))]
        return rows[0] if rows else 0

    def _target_of(self, list_name: str, path: str) -> str:
        field_name = re.sub(r"\[\d+\]", "", path.rsplit(".", 1)[-1])
        if ".perpetrators[" in path:
            prefix = "perpetrator"
        elif ".acts[" in path:
            prefix = "act"
        else:
            prefix = _LIST_PREFIX[list_name]
        return f"{prefix}.{field_name}"

    def _problem(self, e: Problem, list_name: str, row: int) -> RowProblem:
        target = self._target_of(list_name, e.path)
        column = self.column_of.get(target)
        message = e.message
        params = dict(e.params)
        if column is None:  # a field no column fills: name it in the message
            message, params = N_("%(field)s: %(problem)s"), {"field": target, "problem": e.text().split(": ", 1)[-1]}
        return RowProblem(row, column, "", message, params)

    def _bad_row(self, bad: dict, e: Problem, list_name: str, rows: list[int]) -> None:
        targets = [self._row_of(e.path, rows)] if list_name == "threats" and _ACT.search(e.path) else list(rows)
        for row in targets:
            if row and not any(p.message == e.message and p.params == e.params for p in bad.get(row, [])):
                bad.setdefault(row, []).append(self._problem(e, list_name, row))

    def _warn(self, w: Problem, rows_by_path: dict[str, list[int]]) -> None:
        m = _PATH.match(w.path)
        if not m:
            return
        path = f"{m.group(1)}[{m.group(2)}]"
        rows = rows_by_path.get(path, [])
        row = self._row_of(w.path, rows)
        self.report.warnings.append(self._problem(w, m.group(1), row))


class _Rollback(Exception):
    pass


def import_sheet(store, path: str | Path, mapping: Mapping, *, dry_run: bool = False, all_or_nothing: bool = False,
                 progress: ProgressFn | None = None) -> SheetReport:
    """Import a sheet in one transaction. A dry run, and an all-or-nothing import that met
    an error, roll it back: the report says what the import would do."""
    holder: list[SheetReport] = []
    with open_workbook(path) as wb:
        try:
            with store.session() as session:
                report = SheetImport(session, author_of(store), store.ui_lang, mapping, wb).run(progress)
                holder.append(report)
                if dry_run or (all_or_nothing and report.errors):
                    raise _Rollback()
        except _Rollback:
            report = holder[0]
            report.dry_run = dry_run
            if all_or_nothing and report.errors and not dry_run:
                report.rolled_back = True
                report.imported = report.new = report.updated = report.unchanged = 0
    return report
