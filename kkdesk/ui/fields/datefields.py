"""Dates (partial: a year, a month or a day), date-times with their UTC offset (with
Kazakhstan's zones before 2024 as defaults), and the time of a hearing note."""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QSizePolicy, QVBoxLayout, QWidget

from kkdesk import labels
from kkdesk.i18n import N_, _, format_partial_date, get_language
from kkdesk.ui.fields.choicefields import FieldCombo
from kkdesk.ui.fields.fieldbase import HINT_COLOUR, FieldWidget

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_DOTTED_RE = re.compile(r"^(?:(\d{1,2})\.)?(\d{1,2})\.(\d{4})$")
_TIME_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$")

# Kazakhstan's zones before the single UTC+5 of 1 March 2024 (SPEC §1.10): the
# western regions kept UTC+5, Kyzylorda moved to it on 21 December 2018, the rest
# (Astana, Almaty, most regions) were on UTC+6.
SINGLE_ZONE_FROM = "2024-03-01"
WEST_UTC5 = {"aktobe", "atyrau", "west_kazakhstan", "mangystau"}
KYZYLORDA_UTC5_FROM = "2018-12-21"
OFFSETS = ["+05:00", "+06:00"] + [f"{'+' if h >= 0 else '-'}{abs(h):02d}:{m:02d}" for h, m in (
    (-12, 0), (-11, 0), (-10, 0), (-9, 0), (-8, 0), (-7, 0), (-6, 0), (-5, 0), (-4, 0), (-3, 0), (-2, 0), (-1, 0),
    (0, 0), (1, 0), (2, 0), (3, 0), (3, 30), (4, 0), (4, 30), (5, 30), (5, 45), (7, 0), (8, 0), (9, 0), (10, 0),
    (11, 0), (12, 0), (13, 0), (14, 0))]


def default_utc_offset(day: str | None, region: str | None = None) -> str:
    """The usual UTC offset in Kazakhstan on `day` ('YYYY-MM-DD') in `region`."""
    if not day or day >= SINGLE_ZONE_FROM:
        return "+05:00"
    if region in WEST_UTC5 or (region == "kyzylorda" and day >= KYZYLORDA_UTC5_FROM):
        return "+05:00"
    return "+06:00"


def parse_partial_date(text: str) -> str | None:
    """'2024', '2024-3', '5.3.2024', '03.2024' -> ISO ('2024', '2024-03', '2024-03-05');
    None when the text is not a (partial) date.

    >>> parse_partial_date("5.3.2024"), parse_partial_date("2024-3"), parse_partial_date("2024-02-30")
    ('2024-03-05', '2024-03', None)
    """
    text = text.strip()
    m = _DATE_RE.match(text)
    if m:
        y, mo, d = m.group(1), m.group(2), m.group(3)
    else:
        m = _DOTTED_RE.match(text)
        if not m:
            return None
        d, mo, y = m.group(1), m.group(2), m.group(3)
    try:
        _dt.date(int(y), int(mo or 1), int(d or 1))
    except ValueError:
        return None
    if mo is None:
        return y
    if d is None:
        return f"{y}-{int(mo):02d}"
    return f"{y}-{int(mo):02d}-{int(d):02d}"


def derived_precision(date: str | None) -> str | None:
    """The precision the core derives from a stored date ('2024-03' -> 'month')."""
    if not date or not _DATE_RE.match(date):
        return None
    return {1: "year", 2: "month", 3: "day"}[len(date.split("-"))]


class DateField(FieldWidget):
    """A partial date typed as YYYY, YYYY-MM or YYYY-MM-DD (or DD.MM.YYYY), with the
    date written out beside it so a mistyped month shows at once."""

    def _build(self, box: QVBoxLayout) -> QWidget:
        row = QHBoxLayout()
        self.edit = self.add_input(QLineEdit())
        self.edit.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9.\-]{0,10}"), self.edit))
        self.edit.setMaximumWidth(self.edit.fontMetrics().horizontalAdvance("0000-00-00") + 40)
        self.edit.textEdited.connect(self._edited)
        self.edit.editingFinished.connect(self._finished)
        self.preview = QLabel()
        self.preview.setWordWrap(True)  # in narrow rows the written-out date wraps instead of being cut
        self.preview.setStyleSheet(f"color: {HINT_COLOUR};")
        row.addWidget(self.edit)
        row.addWidget(self.preview, 1)
        box.addLayout(row)
        return self.edit

    def _edited(self, _text: str) -> None:
        self._update_preview()
        self._emit()

    def _finished(self) -> None:
        iso = parse_partial_date(self.edit.text())
        if iso and iso != self.edit.text():
            self.edit.setText(iso)
            self._update_preview()
            self._emit()

    def _update_preview(self) -> None:
        text = self.edit.text().strip()
        if not text:
            self.preview.setText("")
            return
        iso = parse_partial_date(text)
        if iso is None:
            self.preview.setText(_("not a date yet: use YYYY, YYYY-MM or YYYY-MM-DD"))
            return
        try:
            text = format_partial_date(iso, get_language())
        except (ValueError, LookupError):
            text = iso
        self.preview.setText("" if text == iso else text)

    def value(self) -> str | None:
        text = self.edit.text().strip()
        if not text:
            return None
        return parse_partial_date(text) or text  # the core names what is wrong with the raw text

    def _set(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))
        self._update_preview()

    def _retranslate_values(self) -> None:
        self.edit.setPlaceholderText(_("YYYY-MM-DD"))
        self._update_preview()


class DateTimeField(FieldWidget):
    """Date, time and UTC offset. Until the offset is chosen by hand it follows the
    date (and the region, when the form knows one): +05:00 from 1 March 2024, before
    that +06:00 for most regions and +05:00 for the west (SPEC §1.10)."""

    region_hint: Callable[[], str | None] | None = None  # set by the form when it knows the region

    def _build(self, box: QVBoxLayout) -> QWidget:
        self._offset_touched = False
        row = QHBoxLayout()
        self.date_edit = self.add_input(QLineEdit())
        self.date_edit.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9.\-]{0,10}"), self.date_edit))
        self.date_edit.setMaximumWidth(self.date_edit.fontMetrics().horizontalAdvance("0000-00-00") + 40)
        self.date_edit.setMinimumWidth(self.date_edit.fontMetrics().horizontalAdvance("0000-00-00") + 16)
        self.time_label = QLabel()
        self.time_edit = self.add_input(QLineEdit(), N_("time"))
        self.time_edit.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9:]{0,8}"), self.time_edit))
        self.time_edit.setMaximumWidth(self.time_edit.fontMetrics().horizontalAdvance("00:00:00") + 30)
        self.time_edit.setMinimumWidth(self.time_edit.fontMetrics().horizontalAdvance("00:00") + 16)
        self.offset_label = QLabel()
        self.offset = FieldCombo()
        self.offset.setMinimumContentsLength(9)
        self.offset.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.add_input(self.offset, N_("UTC offset"))
        for off in OFFSETS:
            self.offset.addItem(f"UTC{off}", off)
        self.time_label.setBuddy(self.time_edit)
        self.offset_label.setBuddy(self.offset)
        self.preview = QLabel()
        self.preview.setWordWrap(True)  # in narrow rows the written-out date wraps instead of being cut
        self.preview.setStyleSheet(f"color: {HINT_COLOUR};")
        for w in (self.date_edit, self.time_label, self.time_edit, self.offset_label, self.offset):
            row.addWidget(w)
        row.addWidget(self.preview, 1)
        box.addLayout(row)
        self.date_edit.textEdited.connect(self._date_edited)
        self.date_edit.editingFinished.connect(self._date_finished)
        self.time_edit.textEdited.connect(self._edited)
        self.time_edit.editingFinished.connect(self._time_finished)
        self.offset.activated.connect(self._offset_chosen)
        return self.date_edit

    def _edited(self, *_a) -> None:
        self._update_preview()
        self._emit()

    def _date_edited(self, _text: str) -> None:
        self.refresh_default_offset()
        self._edited()

    def _date_finished(self) -> None:
        iso = parse_partial_date(self.date_edit.text())
        if iso and len(iso) == 10 and iso != self.date_edit.text():
            self.date_edit.setText(iso)
            self.refresh_default_offset()
            self._edited()

    def _time_finished(self) -> None:
        m = _TIME_RE.match(self.time_edit.text().strip())
        if m:
            text = f"{int(m.group(1)):02d}:{m.group(2)}" + (f":{m.group(3)}" if m.group(3) else "")
            if text != self.time_edit.text():
                self.time_edit.setText(text)
                self._edited()

    def _offset_chosen(self, _index: int) -> None:
        self._offset_touched = True
        self._edited()

    def refresh_default_offset(self) -> None:
        """Follow the date and region unless the user chose the offset."""
        if self._offset_touched:
            return
        iso = parse_partial_date(self.date_edit.text())
        region = self.region_hint() if self.region_hint else None
        wanted = default_utc_offset(iso if iso and len(iso) == 10 else None, region)
        idx = self.offset.findData(wanted)
        if idx >= 0 and idx != self.offset.currentIndex():
            self.offset.setCurrentIndex(idx)
            self._update_preview()

    def current_offset(self) -> str:
        return self.offset.currentData() or "+05:00"

    def _update_preview(self) -> None:
        date_text, time_text = self.date_edit.text().strip(), self.time_edit.text().strip()
        if not date_text and not time_text:
            self.preview.setText("")
            return
        iso = parse_partial_date(date_text)
        if not iso or len(iso) != 10:
            self.preview.setText(_("enter the full date: YYYY-MM-DD"))
        elif not _TIME_RE.match(time_text):
            self.preview.setText(_("enter the time: HH:MM"))
        else:
            self.preview.setText(labels.format_stored_datetime(self.value() or "", get_language()))

    def value(self) -> str | None:
        date_text, time_text = self.date_edit.text().strip(), self.time_edit.text().strip()
        if not date_text and not time_text:
            return None
        iso = parse_partial_date(date_text) or date_text
        m = _TIME_RE.match(time_text)
        if not m:
            return f"{iso}T{time_text}" if time_text else iso  # the core names what is missing
        clock = f"{int(m.group(1)):02d}:{m.group(2)}" + (f":{m.group(3)}" if m.group(3) else "")
        return f"{iso}T{clock}{self.current_offset()}"

    def _set(self, value: Any) -> None:
        self._offset_touched = False
        if not value:
            self.date_edit.setText("")
            self.time_edit.setText("")
            self.refresh_default_offset()
            self._update_preview()
            return
        text = str(value)
        m = re.match(r"^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?(Z|[+-]\d{2}:\d{2})?$", text)
        if not m:
            self.date_edit.setText(text)
            self.time_edit.setText("")
            self._update_preview()
            return
        self.date_edit.setText(m.group(1))
        self.time_edit.setText(m.group(2))
        off = m.group(3)
        if off:
            off = "+00:00" if off == "Z" else off
            idx = self.offset.findData(off)
            if idx < 0:
                self.offset.addItem(f"UTC{off}", off)
                idx = self.offset.count() - 1
            self.offset.setCurrentIndex(idx)
            self._offset_touched = True
        self._update_preview()

    def set_offset(self, offset: str) -> None:
        """Choose the offset as the user would."""
        idx = self.offset.findData(offset)
        if idx < 0:
            raise KeyError(offset)
        self.offset.setCurrentIndex(idx)
        self._offset_chosen(idx)

    def _retranslate_values(self) -> None:
        self.date_edit.setPlaceholderText(_("YYYY-MM-DD"))
        self.time_edit.setPlaceholderText(_("HH:MM"))
        self.time_label.setText(_("time"))
        self.offset_label.setText(_("UTC offset"))
        self._update_preview()


class NoteTimeField(FieldWidget):
    """A note's time: HH:MM on the hearing's day (or a full date and time)."""

    def _build(self, box: QVBoxLayout) -> QWidget:
        self.edit = self.add_input(QLineEdit())
        self.edit.setMaximumWidth(self.edit.fontMetrics().horizontalAdvance("0000-00-00T00:00+00:00") + 30)
        self.edit.textEdited.connect(self._emit)
        box.addWidget(self.edit)
        return self.edit

    def value(self) -> str | None:
        text = self.edit.text().strip()
        m = _TIME_RE.match(text)
        if m and not m.group(3):
            return f"{int(m.group(1)):02d}:{m.group(2)}"
        return text or None

    def _set(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))

    def _retranslate_values(self) -> None:
        self.edit.setPlaceholderText(_("HH:MM"))
