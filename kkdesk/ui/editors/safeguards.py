"""The 20 detention safeguards of SPEC §4.2 in the detention form, shown like the
hearing checklist: yes / no / unknown / n.a. and a note per item, a concern tinted
with a red bar, a note asked for where the answer is the concern or `unknown`.
Only answers a person set are stored ({item: {answer, note}})."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kkdesk import detentions
from kkdesk.i18n import _
from kkdesk.ui.editors.checklist import ChecklistItem
from kkdesk.ui.fields.fieldbase import FieldWidget


class SafeguardItem(ChecklistItem):
    """A checklist row; nothing is pre-set for a detention, so its words differ a little."""

    def refresh(self) -> None:
        super().refresh()
        if self.missing_note() and not self.is_concern():
            self.warning.setText("⚠ " + _("Please add a note: why is this not known, and who was asked?"))

    def retranslate(self) -> None:
        super().retranslate()
        self.note.setPlaceholderText(_("What happened? (source, time, who)"))


class SafeguardsField(FieldWidget):
    """The form field of `detention.safeguards`."""

    def _build(self, box: QVBoxLayout) -> QWidget:
        self.container = QWidget()
        self.container.setObjectName("safeguards")
        layout = QVBoxLayout(self.container)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        self.summary = QLabel()
        self.summary.setObjectName("safeguards_summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.rows: dict[str, SafeguardItem] = {}
        for item in detentions.items():
            row = SafeguardItem(item, self.container)
            row.changed.connect(self._row_changed)
            self.rows[item.code] = row
            layout.addWidget(row)
        box.addWidget(self.container)
        self.container.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        return self.container

    def _row_changed(self, _code: str) -> None:
        self._update_summary()
        self._emit()

    def value(self) -> Any:
        out = {}
        for code, row in self.rows.items():
            entry = row.entry()
            if entry is not None:
                out[code] = entry
        return out or None

    def _set(self, value: Any) -> None:
        value = value if isinstance(value, dict) else {}
        for code, row in self.rows.items():
            entry = value.get(code)
            row.set_entry(entry if isinstance(entry, dict) else ({"answer": entry} if entry else None))
        self._update_summary()

    def _set_inputs_read_only(self, read_only: bool) -> None:
        for row in self.rows.values():
            row.setEnabled(not read_only)

    def concerns(self) -> list[str]:
        return [code for code, row in self.rows.items() if row.is_concern()]

    def missing_notes(self) -> list[str]:
        return [code for code, row in self.rows.items() if row.missing_note()]

    def focus(self) -> None:
        first = next(iter(self.rows.values()))
        target = next((r for r in self.rows.values() if r.missing_note()), first)
        (target.note if target.missing_note() else target.radios["yes"]).setFocus(Qt.FocusReason.OtherFocusReason)

    def _update_summary(self) -> None:
        answered = sum(1 for r in self.rows.values() if r.user_answer is not None)
        self.summary.setText(_("Answered: %(answered)d of %(total)d · concerns: %(concerns)d · notes missing: %(missing)d")
                             % {"answered": answered, "total": len(self.rows), "concerns": len(self.concerns()),
                                "missing": len(self.missing_notes())})

    def _retranslate_values(self) -> None:
        for row in self.rows.values():
            row.retranslate()
        self._update_summary()
