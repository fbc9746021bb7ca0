"""File → Import spreadsheet…: choose the file and sheet, see the first rows, map the
columns (the guesses filled in) and the cell texts that do not map by themselves (the
vocabulary's terms offered, suggestions first), try a dry run, then import with a
progress bar and Cancel (cancel = nothing imported). The mapping can be saved and
loaded as the same JSON file `kkdesk-cli import-sheet --mapping` reads."""

from __future__ import annotations

import itertools
from pathlib import Path

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QLineEdit,
                               QPlainTextEdit, QPushButton, QSpinBox, QTableWidget, QTableWidgetItem, QTabWidget,
                               QVBoxLayout, QWidget)

from kkdesk.i18n import _, get_language
from kkdesk.ui.common.messages import ask_open_file, ask_save_file, show_error

PREVIEW_ROWS = 15


def _target_label(target: str) -> str:
    from kkdesk.labels import field_label
    from kkdesk.sheets.suggest import _PREFIX_KIND

    prefix, _sep, name = target.partition(".")
    groups = {"incident": _("Incident"), "act": _("Act"), "victim": _("Victim (person)"),
              "victim_org": _("Victim (organisation)"), "perpetrator": _("Perpetrator"), "source": _("Source")}
    return f"{groups[prefix]}: {_(field_label(_PREFIX_KIND[prefix], name))}"


class ImportSheetDialog(QDialog):
    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.path: str | None = None
        self.header: list[str] = []
        self.last_report = None
        self.setObjectName("import_sheet_dialog")
        self.setWindowTitle(_("Import spreadsheet"))
        self.resize(1100, 640)
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        self.file_edit = QLineEdit()
        self.file_edit.setReadOnly(True)
        self.file_edit.setAccessibleName(_("Spreadsheet file"))
        self.choose_button = QPushButton(_("Choose file…"))
        self.choose_button.clicked.connect(self.choose_file)
        self.sheet_combo = QComboBox()
        self.sheet_combo.setAccessibleName(_("Sheet"))
        self.sheet_combo.currentTextChanged.connect(self._sheet_chosen)
        self.header_spin = QSpinBox()
        self.header_spin.setRange(1, 100)
        self.header_spin.setAccessibleName(_("Header row"))
        self.header_spin.valueChanged.connect(lambda _v: self._refresh_header())
        file_label, sheet_label, header_label = QLabel(_("File:")), QLabel(_("Sheet:")), QLabel(_("Header row:"))
        file_label.setBuddy(self.file_edit)
        sheet_label.setBuddy(self.sheet_combo)
        header_label.setBuddy(self.header_spin)
        for w in (file_label, self.file_edit, self.choose_button, sheet_label, self.sheet_combo, header_label, self.header_spin):
            top.addWidget(w)
        top.setStretch(1, 1)
        lay.addLayout(top)
        self.tabs = QTabWidget()
        self.preview = QTableWidget()
        self.preview.setAccessibleName(_("First rows"))
        self.columns = QTableWidget(0, 2)
        self.columns.setAccessibleName(_("Columns and fields"))
        self.values = QTableWidget(0, 3)
        self.values.setAccessibleName(_("Cell texts and terms"))
        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        self.report.setAccessibleName(_("Report"))
        self.tabs.addTab(self.preview, _("Preview"))
        self.tabs.addTab(self.columns, _("Columns"))
        self.tabs.addTab(self.values, _("Values"))
        self.tabs.addTab(self.report, _("Report"))
        lay.addWidget(self.tabs, 1)
        buttons = QDialogButtonBox()
        self.load_button = buttons.addButton(_("Load mapping…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button = buttons.addButton(_("Save mapping…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.dry_button = buttons.addButton(_("Dry run"), QDialogButtonBox.ButtonRole.ActionRole)
        self.import_button = buttons.addButton(_("Import"), QDialogButtonBox.ButtonRole.AcceptRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setText(_("Close"))
        close.clicked.connect(self.reject)
        self.load_button.clicked.connect(self.load_mapping)
        self.save_button.clicked.connect(self.save_mapping)
        self.dry_button.clicked.connect(lambda: self.run_import(dry_run=True))
        self.import_button.clicked.connect(lambda: self.run_import(dry_run=False))
        lay.addWidget(buttons)
        self._enable(False)

    def _enable(self, on: bool) -> None:
        for b in (self.save_button, self.dry_button, self.import_button, self.sheet_combo, self.header_spin):
            b.setEnabled(on)

    # the file -----------------------------------------------------------------------
    def choose_file(self) -> None:
        path = ask_open_file(self, _("Import spreadsheet"), _("Spreadsheets (*.xlsx *.csv *.ods);;All files (*)"))
        if path:
            self.open_file(path)

    def open_file(self, path: str) -> bool:
        from kkdesk.sheets.readers import open_workbook

        try:
            with open_workbook(path) as wb:
                names = wb.sheet_names()
        except Exception as exc:  # noqa: BLE001 - a dialog, nothing changed
            show_error(self, exc)
            return False
        self.path = str(path)
        self.file_edit.setText(str(path))
        self.sheet_combo.blockSignals(True)
        self.sheet_combo.clear()
        self.sheet_combo.addItems(names)
        self.sheet_combo.blockSignals(False)
        self._sheet_chosen(names[0])
        self._enable(True)
        return True

    def _sheet_chosen(self, sheet: str) -> None:
        if not self.path or not sheet:
            return
        from kkdesk.sheets.readers import open_workbook
        from kkdesk.sheets.suggest import suggest

        try:
            with open_workbook(self.path) as wb:
                self._rows = list(itertools.islice(wb.rows(sheet), PREVIEW_ROWS))
                mapping = suggest(wb, sheet)
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return
        self._fill_preview()
        self.apply_mapping(mapping)

    def _fill_preview(self) -> None:
        from kkdesk.sheets.cells import cell_text

        width = max((len(c) for _n, c in self._rows), default=0)
        self.preview.clear()
        self.preview.setRowCount(len(self._rows))
        self.preview.setColumnCount(width)
        self.preview.setVerticalHeaderLabels([str(n) for n, _c in self._rows])
        for r, (_n, cells) in enumerate(self._rows):
            for c, value in enumerate(cells):
                self.preview.setItem(r, c, QTableWidgetItem(cell_text(value)))

    def _refresh_header(self) -> None:
        from kkdesk.sheets.cells import header_names

        row = self.header_spin.value()
        cells = next((c for n, c in getattr(self, "_rows", []) if n == row), [])
        current = self.current_columns()
        self.header = header_names(cells)
        self._fill_columns(current)

    # the mapping -------------------------------------------------------------------
    def apply_mapping(self, mapping) -> None:
        self.sheet = mapping.sheet
        self.header_spin.blockSignals(True)
        self.header_spin.setValue(mapping.header_row)
        self.header_spin.blockSignals(False)
        from kkdesk.sheets.cells import header_names

        cells = next((c for n, c in getattr(self, "_rows", []) if n == mapping.header_row), [])
        self.header = header_names(cells) or list(mapping.columns)
        self._fill_columns(mapping.columns)
        self._fill_values(mapping.values)
        self.defaults = dict(mapping.defaults)
        self.incident_key = mapping.incident_key

    def _fill_columns(self, columns: dict[str, str]) -> None:
        from kkdesk.sheets.mapping import all_targets

        targets = all_targets()
        self.columns.clearContents()
        self.columns.setRowCount(0)
        self.columns.setRowCount(len(self.header))
        self.columns.setHorizontalHeaderLabels([_("Column"), _("Field")])
        for r, name in enumerate(self.header):
            self.columns.setItem(r, 0, QTableWidgetItem(name))
            combo = QComboBox()
            combo.setAccessibleName(_("Field of column %(column)s") % {"column": name})
            combo.addItem(_("(not imported)"), "")
            for t in targets:
                combo.addItem(_target_label(t), t)
            combo.setCurrentIndex(max(0, combo.findData(columns.get(name, ""))))
            combo.currentIndexChanged.connect(lambda _i: self.rescan_values())
            self.columns.setCellWidget(r, 1, combo)
        self.columns.resizeColumnsToContents()
        self.columns.horizontalHeader().setStretchLastSection(True)

    def _fill_values(self, values: dict[str, dict[str, str | None]]) -> None:
        from kkdesk.sheets.mapping import target_field
        from kkdesk.sheets.terms import suggestions
        from kkdesk.vocab import vocabularies

        lang = get_language()
        entries = [(t, text, code) for t, table in values.items() for text, code in table.items()]
        self.values.clearContents()
        self.values.setRowCount(0)
        self.values.setRowCount(len(entries))
        self.values.setHorizontalHeaderLabels([_("Field"), _("Cell text"), _("Term")])
        for r, (target, text, code) in enumerate(entries):
            f = target_field(target)
            field_item = QTableWidgetItem(_target_label(target))
            field_item.setData(256, target)
            self.values.setItem(r, 0, field_item)
            self.values.setItem(r, 1, QTableWidgetItem(text))
            combo = QComboBox()
            combo.setAccessibleName(_("Term for %(text)s") % {"text": text})
            combo.addItem(_("(choose a term)"), None)
            voc = vocabularies()
            hints = suggestions(f.vocab, text, lang, f.leaf_only)
            terms = [voc.get(f.vocab, c) for c in hints] + [t for t in voc.terms(f.vocab) if t.code not in hints]
            for term in terms:
                if f.leaf_only and term.is_category:
                    continue
                combo.addItem(term.label(lang), term.code)
            if code:
                combo.setCurrentIndex(max(0, combo.findData(code)))
            self.values.setCellWidget(r, 2, combo)
        self.values.resizeColumnsToContents()
        self.values.horizontalHeader().setStretchLastSection(True)

    def rescan_values(self) -> None:
        """A column got another field: list the cell texts that field cannot map by itself."""
        from kkdesk.sheets.readers import open_workbook
        from kkdesk.sheets.suggest import unmapped_values

        if not self.path:
            return
        known = self.current_mapping().values
        try:
            with open_workbook(self.path) as wb:
                values = unmapped_values(wb, wb.check_sheet(self.sheet_combo.currentText() or None),
                                         self.header_spin.value(), self.header, self.current_columns(), known)
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return
        self._fill_values(values)

    def current_columns(self) -> dict[str, str]:
        out = {}
        for r in range(self.columns.rowCount()):
            combo = self.columns.cellWidget(r, 1)
            if combo is not None and combo.currentData():
                out[self.columns.item(r, 0).text()] = combo.currentData()
        return out

    def current_mapping(self):
        from kkdesk.sheets.mapping import Mapping

        values: dict[str, dict[str, str | None]] = {}
        for r in range(self.values.rowCount()):
            target = self.values.item(r, 0).data(256)
            values.setdefault(target, {})[self.values.item(r, 1).text()] = self.values.cellWidget(r, 2).currentData()
        return Mapping(columns=self.current_columns(), sheet=self.sheet_combo.currentText() or None,
                       header_row=self.header_spin.value(), values=values, defaults=getattr(self, "defaults", {}),
                       incident_key=getattr(self, "incident_key", None))

    def save_mapping(self) -> None:
        path = ask_save_file(self, _("Save mapping"), "mapping.json", _("Sheet mapping (*.json)"))
        if path:
            self.save_mapping_to(path)

    def save_mapping_to(self, path: str) -> None:
        from kkdesk.atomicfile import write_atomic

        try:
            write_atomic(Path(path), self.current_mapping().dumps().encode("utf-8"), 0o644)
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)

    def load_mapping(self) -> None:
        path = ask_open_file(self, _("Load mapping"), _("Sheet mapping (*.json);;All files (*)"))
        if path:
            self.load_mapping_from(path)

    def load_mapping_from(self, path: str) -> bool:
        from kkdesk.sheets import mapping as M

        try:
            mapping = M.load(path)
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return False
        if mapping.sheet and self.sheet_combo.findText(mapping.sheet) >= 0:
            self.sheet_combo.blockSignals(True)
            self.sheet_combo.setCurrentText(mapping.sheet)
            self.sheet_combo.blockSignals(False)
        self.apply_mapping(mapping)
        return True

    # dry run and import --------------------------------------------------------------
    def run_import(self, dry_run: bool):
        from kkdesk.sheets.importer import import_sheet

        store = self.ctx.store
        if store is None or not self.path:
            return None
        try:
            mapping = self.current_mapping()
            mapping.check_columns(self.header)
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return None
        path = self.path

        def work(progress):
            return import_sheet(store, path, mapping, dry_run=dry_run, progress=progress)

        label = _("Dry run of %(file)s…") if dry_run else _("Importing %(file)s…")
        return self.ctx.run_task(work, self._done, self._failed, label=label % {"file": Path(path).name},
                                 cancellable=True, parent=self)

    def _done(self, report) -> None:
        from kkdesk import schema

        self.last_report = report
        if not report.dry_run:
            self.ctx.notify_changed(set(schema.TOP_LEVEL))
        head = (_("Dry run: %(imported)d of %(rows)d rows would be imported (%(new)d new, %(updated)d updated, "
                  "%(unchanged)d unchanged records); %(skipped)d rows have errors.") if report.dry_run else
                _("%(imported)d of %(rows)d rows imported (%(new)d new, %(updated)d updated, %(unchanged)d unchanged "
                  "records); %(skipped)d rows skipped."))
        lines = [head % {"imported": report.imported, "rows": report.rows, "new": report.new, "updated": report.updated,
                         "unchanged": report.unchanged, "skipped": report.skipped}]
        for e in report.errors:
            d = e.as_dict()
            lines.append(_("row %(row)s, %(column)s: %(message)s") % {"row": d["row"], "column": d["column"] or "—",
                                                                    "message": d["message"]})
        if report.persons_matched:
            lines.append(_("Matched to persons already known:"))
            for m in report.persons_matched:
                where = m["record_no"] or (_("row %(row)s") % {"row": m["matched_row"]})
                lines.append("  " + _("row %(row)s: %(name)s → %(match)s") % {"row": m["row"], "name": m["name"],
                                                                              "match": where})
        self.report.setPlainText("\n".join(lines))
        self.tabs.setCurrentWidget(self.report)

    def _failed(self, exc: BaseException) -> None:
        from kkdesk.errors import Cancelled

        if isinstance(exc, Cancelled):
            self.report.setPlainText(_("The import was cancelled; nothing was changed."))
            self.tabs.setCurrentWidget(self.report)
            return
        show_error(self, exc)
