"""The filter bar above a record list: one dropdown per filter that applies to the kind
(year, region, target group, threat type, status, confidentiality)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QWidget

from kkdesk.i18n import N_, _
from kkdesk.ui.fields.choicefields import IndentDelegate, ordered_terms
from kkdesk.ui.fields.fieldbase import LEVEL_ROLE
from kkdesk.ui.lists.listmodel import DATED, WITH_REGION, WITH_TARGET_GROUP, short_label

FILTERS = {
    "year": N_("&Year:"),
    "region": N_("&Region:"),
    "target_group": N_("&Target group:"),
    "threat_type": N_("Threat &type:"),
    "record_status": N_("&Status:"),
    "confidentiality": N_("&Confidentiality:"),
}
FILTER_NAMES = {
    "year": N_("Filter by year"),
    "region": N_("Filter by region"),
    "target_group": N_("Filter by target group"),
    "threat_type": N_("Filter by threat type"),
    "record_status": N_("Filter by record status"),
    "confidentiality": N_("Filter by confidentiality"),
}
FILTER_VOCAB = {"region": "region", "target_group": "target_group", "threat_type": "threat_type",
                "record_status": "record_status", "confidentiality": "confidentiality"}


def filters_for(kind: str) -> list[str]:
    names = []
    if kind in DATED:
        names.append("year")
    if kind in WITH_REGION:
        names.append("region")
    if kind in WITH_TARGET_GROUP:
        names.append("target_group")
    if kind == "threat":
        names.append("threat_type")
    return names + ["record_status", "confidentiality"]


class _PopupCombo(QComboBox):
    about_to_popup = Signal()

    def showPopup(self) -> None:
        self.about_to_popup.emit()
        super().showPopup()


class FilterBar(QWidget):
    """Combo boxes for the filters that apply to a kind; emits `changed` with Filters."""

    changed = Signal(object)

    def __init__(self, ctx, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.kind = kind
        self.names = filters_for(kind)
        self.combos: dict[str, QComboBox] = {}
        self.labels: dict[str, QLabel] = {}
        self.years: list[int] = []
        self._years_loading = self._years_loaded = self._years_stale = False
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(4)
        per_row = 3
        for i, name in enumerate(self.names):
            combo = _PopupCombo() if name == "year" else QComboBox()
            if name == "year":
                combo.about_to_popup.connect(self._year_popup)
            combo.setObjectName(f"filter_{name}")
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(10)
            combo.setItemDelegate(IndentDelegate(combo))
            label = QLabel()
            label.setBuddy(combo)
            r, c = divmod(i, per_row)
            grid.addWidget(label, r, c * 2)
            grid.addWidget(combo, r, c * 2 + 1)
            grid.setColumnStretch(c * 2 + 1, 1)
            combo.currentIndexChanged.connect(self._emit)
            self.combos[name] = combo
            self.labels[name] = label
        self._quiet = False
        self.retranslate()

    def _fill(self, name: str, combo: QComboBox) -> None:
        current = combo.currentData()
        combo.clear()
        combo.addItem(_("Any"), None)
        lang = self.ctx.ui_lang
        if name == "year":
            for year in self.years:
                combo.addItem(str(year), year)
        else:
            # a tree walk, each category a bold disabled header; terms are indented by the
            # delegate, not by spaces that would show in the closed box
            model = combo.model()
            for term, level in ordered_terms(FILTER_VOCAB[name]):
                text = term.label(lang)
                if name == "confidentiality":
                    text = short_label(text)
                combo.addItem(text, None if term.is_category else term.code)
                item = model.item(combo.count() - 1) if isinstance(model, QStandardItemModel) else None
                if item is None:
                    continue
                item.setData(level, LEVEL_ROLE)
                if term.is_category:
                    item.setEnabled(False)
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
        idx = combo.findData(current) if current is not None else 0
        combo.setCurrentIndex(max(idx, 0))

    def refresh_years(self, force: bool = False) -> None:
        """The years that occur, found off the GUI thread. It is a scan of every record of
        the kind (seconds at a million), so after the first time it runs again only when
        the list changed and the Year list is opened."""
        from kkdesk.listing import distinct_years

        store, kind = self.ctx.store, self.kind
        if "year" not in self.combos or store is None or self._years_loading:
            return
        if self._years_loaded and not force:
            self._years_stale = True
            return
        self._years_loading = True

        def work(_p):
            with store.session() as s:
                return distinct_years(s, kind)

        self.ctx.run_task(work, self._years_found, self._years_failed, quiet=True, parent=self)

    def _years_failed(self, _exc: BaseException) -> None:
        self._years_loading = False

    def _year_popup(self) -> None:
        if self._years_stale:
            self._years_stale = False
            self.refresh_years(force=True)

    def _years_found(self, years: list[int]) -> None:
        self._years_loading = False
        self._years_loaded = True
        if years == self.years:
            return
        self.years = list(years)
        self._quiet = True
        try:
            self._fill("year", self.combos["year"])
        finally:
            self._quiet = False

    def retranslate(self) -> None:
        self._quiet = True
        try:
            for name in self.names:
                self.labels[name].setText(_(FILTERS[name]))
                self.combos[name].setAccessibleName(_(FILTER_NAMES[name]))
                self._fill(name, self.combos[name])
        finally:
            self._quiet = False

    def filters(self):
        from kkdesk.listing import Filters

        values = {name: self.combos[name].currentData() for name in self.names}
        return Filters(**{k: v for k, v in values.items() if v is not None})

    def set_value(self, name: str, value) -> None:
        combo = self.combos[name]
        combo.setCurrentIndex(max(combo.findData(value), 0) if value is not None else 0)

    def reset(self) -> None:
        self._quiet = True
        try:
            for combo in self.combos.values():
                combo.setCurrentIndex(0)
        finally:
            self._quiet = False
        self._emit()

    def _emit(self, *_args) -> None:
        if not self._quiet:
            self.changed.emit(self.filters())
