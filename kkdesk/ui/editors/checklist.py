"""The fair-trial checklist of hearing mode (SPEC §4, §7 rule 4), grouped A–G.

Each item has yes / no / unknown / n.a. radio buttons and a note. What the program
pre-sets (`kkdesk.checklist.default_answer`) is shown as pre-set, is not stored and
never asks for a note; an answer the monitor chose that signals a concern (or
`unknown`) asks for a note — a visible warning, never a block on saving."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from kkdesk import checklist as core
from kkdesk.i18n import _, get_language
from kkdesk.vocab import Term, vocabularies

ANSWERS = ("yes", "no", "unknown", "not_applicable")

# plain palettes and a painted bar, not style sheets: 48 rows of style sheets cost ~0.4 s to polish
CONCERN_BACKGROUND = QColor("#fdecea")
CONCERN_BAR = QColor("#c62828")
MISSING_NOTE_BASE = QColor("#fff3c4")
WARNING_TEXT = QColor("#7a4a00")


def short_answer(code: str) -> str:
    """Compact answer words for the radio buttons (the vocabulary's long labels don't fit a row)."""
    words = {"yes": _("Yes"), "no": _("No"), "unknown": _("Unknown"), "not_applicable": _("N/a")}
    return words[code]


class ChecklistItem(QFrame):
    """One question: radios, a pre-set marker, a clear button, the note and its warning."""

    changed = Signal(str)  # item code

    def __init__(self, item: Term, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self.code = item.code
        self.user_answer: str | None = None
        self.default: str | None = None
        self._updating = False
        self._styled: tuple[bool, bool] | None = None
        self.setObjectName("checklistItem")
        self.setFrameShape(QFrame.Shape.NoFrame)

        self.question = QLabel(self)
        self.question.setWordWrap(True)
        self.question.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.group = QButtonGroup(self)
        self.radios: dict[str, QRadioButton] = {}
        radios = QHBoxLayout()
        radios.setSpacing(10)
        for i, code in enumerate(ANSWERS):
            rb = QRadioButton(self)
            self.group.addButton(rb, i)
            self.radios[code] = rb
            radios.addWidget(rb)
        self.group.buttonClicked.connect(self._clicked)
        self.preset = QLabel(self)
        font = self.preset.font()
        font.setItalic(True)
        self.preset.setFont(font)
        self.preset.setForegroundRole(self.preset.foregroundRole().PlaceholderText)
        policy = self.preset.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # the note fields of all rows line up
        self.preset.setSizePolicy(policy)
        self.clear_button = QToolButton(self)
        self.clear_button.setText("↺")
        self.clear_button.clicked.connect(self.clear)
        self.note_label = QLabel(self)
        self.note = QLineEdit(self)
        self.note_label.setBuddy(self.note)
        self.note.textEdited.connect(self._note_edited)
        self.warning = QLabel(self)
        font = self.warning.font()
        font.setBold(True)
        self.warning.setFont(font)
        pal = self.warning.palette()
        pal.setColor(QPalette.ColorRole.WindowText, WARNING_TEXT)
        self.warning.setPalette(pal)
        self.warning.setWordWrap(True)
        self.warning.hide()

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addLayout(radios)
        row.addWidget(self.preset)
        row.addWidget(self.clear_button)
        row.addSpacing(8)
        row.addWidget(self.note_label)
        row.addWidget(self.note, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.setSpacing(2)
        layout.addWidget(self.question)
        layout.addLayout(row)
        layout.addWidget(self.warning)
        self.retranslate()
        self.refresh()

    # --- state ------------------------------------------------------------------------------------
    def effective(self) -> str | None:
        return self.user_answer or self.default

    def is_concern(self) -> bool:
        return core.is_concern(self.item, self.effective())

    def missing_note(self) -> bool:
        return self.user_answer is not None and core.needs_note(self.item, self.user_answer) and not self.note.text().strip()

    def entry(self) -> dict | None:
        """What is stored: only an answer the monitor set."""
        if self.user_answer is None:
            return None
        out = {"answer": self.user_answer}
        if self.note.text().strip():
            out["note"] = self.note.text().strip()
        return out

    def set_entry(self, entry: dict | None) -> None:
        entry = entry or {}
        self.user_answer = entry.get("answer") if entry.get("answer") in ANSWERS else None
        self.note.setText(entry.get("note") or "")
        self.note.setCursorPosition(0)  # a long note shows its beginning
        self.refresh()

    def set_default(self, default: str | None) -> None:
        if default != self.default:
            self.default = default
            self.refresh()

    def choose(self, answer: str | None) -> None:
        """Set the monitor's answer (None clears it)."""
        self.user_answer = answer
        self.refresh()
        self.changed.emit(self.code)

    def clear(self) -> None:
        self.note.clear()
        self.choose(None)

    def _clicked(self, button) -> None:
        if self._updating:
            return
        answer = ANSWERS[self.group.id(button)]
        self.choose(answer)

    def _note_edited(self, _text: str) -> None:
        if self.user_answer is None and self.default is not None and self.note.text().strip():
            # writing a note about a pre-set answer confirms it (and keeps the note)
            self.user_answer = self.default
        self.refresh()
        self.changed.emit(self.code)

    def refresh(self) -> None:
        self._updating = True
        answer = self.effective()
        self.group.setExclusive(False)
        for code, rb in self.radios.items():
            rb.setChecked(code == answer)
        self.group.setExclusive(True)
        self._updating = False
        preset = self.user_answer is None and self.default is not None
        self.preset.setVisible(preset)
        self.clear_button.setEnabled(self.user_answer is not None or bool(self.note.text()))
        self.note.setEnabled(answer is not None or bool(self.note.text()))
        concern, missing = self.is_concern(), self.missing_note()
        if (concern, missing) != self._styled:
            self._styled = (concern, missing)
            pal = self.note.palette()
            pal.setColor(QPalette.ColorRole.Base, MISSING_NOTE_BASE if missing else self.palette().color(
                QPalette.ColorRole.Base))
            self.note.setPalette(pal)
            self.update()
        self.warning.setVisible(missing)
        self.warning.setText("⚠ " + (_("Please add a note: this answer signals a concern.") if self.is_concern()
                                     else _("Please add a note: what could not be observed, and why.")))

    def paintEvent(self, event) -> None:
        if self._styled and self._styled[0]:  # a concern: tinted row with a red bar on the left
            p = QPainter(self)
            p.fillRect(self.rect(), CONCERN_BACKGROUND)
            p.fillRect(0, 0, 4, self.height(), CONCERN_BAR)
            p.end()
        super().paintEvent(event)

    def warning_shown(self) -> bool:
        return not self.warning.isHidden()

    def retranslate(self) -> None:
        lang = get_language()
        number = self.code.split("_", 1)[0]
        self.question.setText(f"<b>{number}</b>&nbsp; {self.item.label(lang)}")
        for code, rb in self.radios.items():
            rb.setText(short_answer(code))
            rb.setAccessibleName(f"{number}: {short_answer(code)}")
            rb.setAccessibleDescription(self.item.label(lang))
            rb.setToolTip(vocabularies().label("answer", code, lang))
        self.preset.setText(_("(pre-set)"))
        self.preset.setToolTip(_("Filled in by the program because of the hearing's format, outcome or access; "
                                 "not stored until you choose an answer."))
        self.clear_button.setToolTip(_("Clear the answer and the note"))
        self.clear_button.setAccessibleName(_("Clear the answer of %(item)s") % {"item": number})
        self.note_label.setText(_("Note:"))
        self.note.setAccessibleName(_("Note on %(item)s") % {"item": number})
        self.note.setPlaceholderText(_("What did you observe?"))
        self.refresh()


class ChecklistWidget(QWidget):
    """All items, grouped A–G, in a scroll area, with a one-line summary."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._hearing: dict = {}
        self._procedure: str | None = None
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.rows: dict[str, ChecklistItem] = {}
        self.boxes: dict[str, QGroupBox] = {}
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.setContentsMargins(4, 4, 4, 4)
        by_group: dict[str, list[Term]] = {}
        for item in core.items():
            by_group.setdefault(item.extra.get("group", ""), []).append(item)
        for group in core.groups():
            box = QGroupBox(inner)
            box_layout = QVBoxLayout(box)
            box_layout.setSpacing(2)
            box_layout.setContentsMargins(4, 6, 4, 4)
            for item in by_group.get(group.code, []):
                row = ChecklistItem(item, box)
                row.changed.connect(self._row_changed)
                self.rows[item.code] = row
                box_layout.addWidget(row)
            self.boxes[group.code] = box
            inner_layout.addWidget(box)
        inner_layout.addStretch(1)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(inner)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.scroll, 1)
        self._retranslate_groups()

    def _retranslate_groups(self) -> None:
        lang = get_language()
        for group in core.groups():
            box = self.boxes.get(group.code)
            if box is not None:
                box.setTitle(group.label(lang))
        self._update_summary()

    # --- API ---------------------------------------------------------------------------------------
    def answers(self) -> dict[str, dict]:
        """The answers the monitor set, in the stored form {item: {answer, note?}}."""
        out = {}
        for code, row in self.rows.items():
            entry = row.entry()
            if entry is not None:
                out[code] = entry
        return out

    def pending_notes(self) -> dict[str, str]:
        """Notes typed on items without any answer (kept in the draft only)."""
        return {code: row.note.text() for code, row in self.rows.items()
                if row.user_answer is None and row.note.text().strip()}

    def set_answers(self, answers: dict | None, pending_notes: dict | None = None) -> None:
        answers = answers or {}
        for code, row in self.rows.items():
            row.set_entry(answers.get(code))
            if code not in answers and pending_notes and pending_notes.get(code):
                row.note.setText(pending_notes[code])
                row.refresh()
        self.recompute()

    def set_context(self, hearing: dict, procedure_type: str | None) -> None:
        """Format, outcome, access (and the case's procedure type) decide the pre-set answers."""
        self._hearing = dict(hearing)
        self._procedure = procedure_type
        self.recompute()

    def recompute(self) -> None:
        hearing = dict(self._hearing)
        hearing["checklist"] = self.answers()
        for row in self.rows.values():
            row.set_default(core.default_answer(row.item, hearing, self._procedure))
        self._update_summary()

    def missing_notes(self) -> list[str]:
        return [code for code, row in self.rows.items() if row.missing_note()]

    def concerns(self) -> list[str]:
        return [code for code, row in self.rows.items() if row.is_concern()]

    def focus_item(self, code: str) -> None:
        row = self.rows.get(code)
        if row is not None:
            self.scroll.ensureWidgetVisible(row)
            row.note.setFocus() if row.missing_note() else row.radios["yes"].setFocus()

    def _row_changed(self, code: str) -> None:
        if code.startswith("E01"):
            self.recompute()  # E02/E03 apply only when torture was alleged
        else:
            self._update_summary()
        self.changed.emit()

    def _update_summary(self) -> None:
        open_items = sum(1 for r in self.rows.values() if r.effective() is None)
        applicable = sum(1 for r in self.rows.values() if r.effective() != "not_applicable")
        self.summary.setText(_("Applicable items: %(applicable)d · not yet answered: %(open)d · concerns: %(concerns)d"
                               " · notes missing: %(missing)d")
                             % {"applicable": applicable, "open": open_items, "concerns": len(self.concerns()),
                                "missing": len(self.missing_notes())})

    def retranslate(self) -> None:
        for row in self.rows.values():
            row.retranslate()
        self._retranslate_groups()
