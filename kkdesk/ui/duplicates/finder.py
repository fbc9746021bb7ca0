"""Tools › Find duplicates: candidate pairs of persons and threat incidents (SPEC §7.11),
the selected pair side by side, and the way into merging two persons."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView,
                               QLabel, QPushButton, QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from kkdesk import labels, schema as S
from kkdesk.i18n import N_, _, get_language
from kkdesk.ui.common.screenfit import fit_size

DIFFERENT = QColor("#fff4ce")
KIND_CHOICES = ((None, N_("Persons and threat incidents")), ("person", N_("Persons")),
                ("threat", N_("Threat incidents")))


def _cell(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled)
    item.setToolTip(text)
    return item


def compare_rows(session, kind: str, a: dict, b: dict) -> list[tuple[str, str, str]]:
    """(label, value of a, value of b) of every field either record fills, in the
    editor's order; references by their titles; a threat's acts one line each."""
    from kkdesk.db.models import Record
    from sqlalchemy import select

    lang = get_language()
    entity = S.TOP_LEVEL[kind]
    refs = {v for c in (a, b) for f in entity.fields if f.type == S.REF and isinstance(v := c.get(f.name), str)}
    acts = [x for c in (a, b) for x in c.get("acts") or ()]
    refs |= {x.get(k) for x in acts for k in ("victim_person", "victim_organisation") if x.get(k)}
    titles = dict(session.execute(select(Record.id, Record.title).where(Record.id.in_(sorted(refs)))).all()) if refs else {}

    def show(field: S.Field, content: dict) -> str:
        value = content.get(field.name)
        if field.type == S.REF:
            return titles.get(value, value or "")
        return labels.value_label(kind, field.name, value, lang)

    rows = []
    for _title, names in labels.sections(kind):
        for name in names:
            f = entity.field(name)
            if f is None or f.type in (S.CHILDREN, S.CHECKLIST) or name == "id":
                continue
            va, vb = show(f, a), show(f, b)
            if va or vb:
                rows.append((_(labels.field_label(kind, name)), va, vb))
    if kind == "threat":
        def act_line(act: dict) -> str:
            who = titles.get(act.get("victim_person") or act.get("victim_organisation") or "", "")
            what = labels.value_label("threat_act", "threat_type", act.get("threat_type"), lang)
            when = labels.value_label("threat_act", "act_date", act.get("act_date"), lang)
            return " · ".join(x for x in (who, what, when) if x)

        for i in range(max(len(a.get("acts") or ()), len(b.get("acts") or ()))):
            la = act_line(a["acts"][i]) if i < len(a.get("acts") or ()) else ""
            lb = act_line(b["acts"][i]) if i < len(b.get("acts") or ()) else ""
            rows.append((f"{_(labels.field_label('threat', 'acts'))} {i + 1}", la, lb))
    return rows


class DuplicatesDialog(QDialog):
    """Candidate pairs above, the selected pair side by side below."""

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("duplicates_dialog")
        self.pairs: list = []
        self.kind_box = QComboBox()
        self.kind_box.setObjectName("duplicates_kind")
        self.kind_label = QLabel()
        self.kind_label.setBuddy(self.kind_box)
        self.count_label = QLabel()
        top = QHBoxLayout()
        top.addWidget(self.kind_label)
        top.addWidget(self.kind_box)
        top.addStretch(1)
        top.addWidget(self.count_label)

        self.pairs_table = QTableWidget(0, 3)
        self.pairs_table.setObjectName("duplicate_pairs")
        self.pairs_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.pairs_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.pairs_table.verticalHeader().setVisible(False)
        self.pairs_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.compare = QTableWidget(0, 3)
        self.compare.setObjectName("duplicate_compare")
        self.compare.verticalHeader().setVisible(False)
        self.compare.setWordWrap(True)
        header = self.compare.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.pairs_table)
        split.addWidget(self.compare)
        split.setSizes([220, 380])

        self.merge_button = QPushButton()
        self.merge_button.setObjectName("merge_persons")
        self.open_a = QPushButton()
        self.open_b = QPushButton()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        for b in (self.open_a, self.open_b, self.merge_button):
            self.buttons.addButton(b, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addWidget(self.buttons)

        for _choice in KIND_CHOICES:
            self.kind_box.addItem("")
        self.kind_box.currentIndexChanged.connect(lambda _i: self.reload())
        self.pairs_table.itemSelectionChanged.connect(self._show_pair)
        self.merge_button.clicked.connect(self.merge_selected)
        self.open_a.clicked.connect(lambda: self._open(0))
        self.open_b.clicked.connect(lambda: self._open(1))
        ctx.changed.connect(self._changed)
        ctx.language_changed.connect(lambda _l: self.retranslate())
        fit_size(self, 1100, 660)
        self.retranslate()
        self.reload()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Find duplicates"))
        self.kind_label.setText(_("&Show:"))
        for i, (_value, msgid) in enumerate(KIND_CHOICES):
            self.kind_box.setItemText(i, _(msgid))
        self.pairs_table.setHorizontalHeaderLabels([_("Record"), _("Possible duplicate"), _("Why")])
        self.pairs_table.setAccessibleName(_("Possible duplicates"))
        self.compare.setAccessibleName(_("The two records side by side"))
        self.merge_button.setText(_("&Merge persons…"))
        self.open_a.setText(_("Open the &first"))
        self.open_b.setText(_("Open the &second"))
        self._fill()

    # loading ---------------------------------------------------------------------
    def kinds(self) -> list[str]:
        value = KIND_CHOICES[max(self.kind_box.currentIndex(), 0)][0]
        return [value] if value else ["person", "threat"]

    def reload(self) -> None:
        """Find the pairs on a worker thread (a pass over the store)."""
        if self.ctx.store is None:
            return
        kinds = self.kinds()
        store = self.ctx.store

        def work(_progress):
            from sqlalchemy import select

            from kkdesk.db.models import Record
            from kkdesk.duplicates import find_pairs

            with store.session() as s:
                pairs = find_pairs(s, kinds)
                ids = sorted({i for p in pairs for i in (p.a, p.b)})
                info = {}
                for i in range(0, len(ids), 500):
                    for rid, no, title in s.execute(select(Record.id, Record.record_no, Record.title).where(
                            Record.id.in_(ids[i:i + 500]))):
                        info[rid] = f"{no} — {title}" if title else (no or rid)
            return [(p, info.get(p.a, p.a), info.get(p.b, p.b)) for p in pairs]

        self.ctx.run_task(work, self._loaded, parent=self, quiet=True)

    def _loaded(self, pairs) -> None:
        self.pairs = pairs
        self._fill()
        if pairs:
            self.pairs_table.selectRow(0)

    def _fill(self) -> None:
        from kkdesk.duplicates import reason_texts

        self.pairs_table.setRowCount(len(self.pairs))
        for r, (pair, a, b) in enumerate(self.pairs):
            self.pairs_table.setItem(r, 0, _cell(a))
            self.pairs_table.setItem(r, 1, _cell(b))
            self.pairs_table.setItem(r, 2, _cell("; ".join(reason_texts(pair.reasons))))
        self.count_label.setText(_("%(n)d possible duplicates") % {"n": len(self.pairs)} if self.pairs
                                 else _("No possible duplicates found."))
        self._show_pair()

    def selected(self):
        rows = self.pairs_table.selectionModel().selectedRows() if self.pairs_table.selectionModel() else []
        return self.pairs[rows[0].row()][0] if rows and rows[0].row() < len(self.pairs) else None

    def _show_pair(self) -> None:
        from kkdesk.records import get

        pair = self.selected()
        self.merge_button.setEnabled(pair is not None and pair.kind == "person")
        self.open_a.setEnabled(pair is not None)
        self.open_b.setEnabled(pair is not None)
        self.compare.setRowCount(0)
        if pair is None or self.ctx.store is None:
            return
        with self.ctx.store.session() as s:
            a, b = get(s, pair.a), get(s, pair.b)
            rows = compare_rows(s, pair.kind, a.content, b.content)
        self.compare.setHorizontalHeaderLabels([_("Field"), a.record_no or a.id, b.record_no or b.id])
        self.compare.setRowCount(len(rows))
        for r, (label, va, vb) in enumerate(rows):
            cells = (_cell(label), _cell(va), _cell(vb))
            for c, item in enumerate(cells):
                if va != vb and va and vb:
                    item.setBackground(QBrush(DIFFERENT))
                self.compare.setItem(r, c, item)
        self.compare.resizeRowsToContents()

    # actions ---------------------------------------------------------------------
    def _open(self, which: int) -> None:
        pair = self.selected()
        if pair is not None:
            self.ctx.open_editor(self, pair.kind, (pair.a, pair.b)[which])

    def merge_selected(self):
        from kkdesk.ui.duplicates.mergedialog import MergePersonsDialog

        pair = self.selected()
        if pair is None or pair.kind != "person":
            return None
        dlg = MergePersonsDialog(self.ctx, pair.a, pair.b, self)
        dlg.open()
        return dlg

    def _changed(self, kinds) -> None:
        if {"person", "threat"} & set(kinds) and self.isVisible():
            self.reload()
