"""The record lists: a lazy table model over the core's keyset paging, the search
results model, and the list panel (search box, filters, table, detail pane).

`RecordListModel` never asks for all ids. It fetches windows of `WINDOW` rows with
`listing.page(after=(sort value, num))` as the view scrolls (`canFetchMore` /
`fetchMore`). Only the keyset position of each window is kept for good; the rows
themselves stay in a small LRU cache and are fetched again (one indexed query) if the
user scrolls back, so a million-row list costs a few megabytes."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont, QKeySequence, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from kkdesk.i18n import N_, _, format_number
from kkdesk.ui.choicefields import IndentDelegate, ordered_terms
from kkdesk.ui.fieldbase import LEVEL_ROLE
from kkdesk.ui.rowsmodel import RowsModel, rows_view

NO_PARENT = QModelIndex()  # the default parent of a flat model's rows
WINDOW = 200
MAX_WINDOWS = 50  # rows kept in memory: 10,000

DATED = {"case", "threat", "hearing", "medical", "source"}
WITH_REGION = {"person", "organisation", "court", "case", "threat", "medical"}
WITH_TARGET_GROUP = {"threat", "person", "organisation"}
NAMED = {"person", "organisation", "court"}  # no date: sorted by name


@dataclass(frozen=True)
class Column:
    key: str
    header: str          # msgid
    sort: str | None     # listing sort key, or None when the column cannot be sorted


COLUMNS = {
    "record_no": Column("record_no", N_("Record number"), "record_no"),
    "title": Column("title", N_("Title"), "title"),
    "name": Column("title", N_("Name"), "title"),
    "date": Column("date", N_("Date"), "date"),
    "region": Column("region", N_("Region"), None),
    "status": Column("status", N_("Status"), None),
    "confidentiality": Column("confidentiality", N_("Confidentiality"), None),
    "updated": Column("updated", N_("Last change"), "updated"),
    "marks": Column("marks", N_("Marks"), None),
}

MARK_SEALED, MARK_INCOMPLETE, MARK_CONFLICT = "✔", "⚠", "⇄"


def columns_for(kind: str) -> list[Column]:
    keys = ["record_no", "name" if kind in NAMED else "title"]
    if kind in DATED:
        keys.append("date")
    if kind in WITH_REGION:
        keys.append("region")
    keys += ["status", "updated", "marks"]  # confidentiality: a filter and a tooltip, no room for a column
    return [COLUMNS[k] for k in keys]


def default_sort(kind: str) -> tuple[str, bool]:
    return ("title", False) if kind in NAMED else ("date", True)


def short_label(text: str) -> str:
    """'Restricted (named users only; …)' -> 'Restricted' for a narrow column."""
    return text.split(" (", 1)[0]


def marks_of(row) -> tuple[str, str]:
    """(symbols, words) for the marks column and its tooltip."""
    symbols, words = [], []
    if row.sealed:
        symbols.append(MARK_SEALED)
        words.append(_("Sealed"))
    if row.incomplete:
        symbols.append(MARK_INCOMPLETE)
        words.append(_("Incomplete"))
    if row.conflict:
        symbols.append(MARK_CONFLICT)
        words.append(_("Conflicting versions"))
    return " ".join(symbols), ", ".join(words)


def cell_text(kind: str, col: Column, row, lang: str) -> str:
    from kkdesk.vocab import vocabularies

    key = col.key
    if key == "record_no":
        return row.record_no or ""
    if key == "title":
        return row.title or ""
    if key == "date":
        return row.sort_date or ""
    if key == "region":
        return short_label(vocabularies().label("region", row.region, lang)) if row.region else ""
    if key == "status":
        return vocabularies().label("record_status", row.record_status, lang) if row.record_status else ""
    if key == "confidentiality":
        if not row.confidentiality:
            return ""
        return short_label(vocabularies().label("confidentiality", row.confidentiality, lang))
    if key == "updated":
        return (row.updated_at or "")[:10]
    if key == "marks":
        return marks_of(row)[0]
    return ""


ID_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_ROLE = Qt.ItemDataRole.UserRole + 2


class RecordListModel(QAbstractTableModel):
    """Rows of one record kind, in windows of `WINDOW` rows fetched on demand.

    With `background=True` (the list panels) the first window after a reload and every
    further window are fetched on a worker thread and inserted when they arrive, so a
    slow query (a rare filter over a million records) never freezes the window; a
    result that belongs to an earlier sort or filter is dropped. Without it (tests,
    tools) fetching is synchronous. Either way `loaded` is emitted once the first
    window of a reload is in."""

    loaded = Signal()

    def __init__(self, ctx, kind: str, parent: QObject | None = None, window: int = WINDOW,
                 max_windows: int = MAX_WINDOWS, background: bool = False) -> None:
        super().__init__(parent)
        from kkdesk.listing import Filters

        self.ctx = ctx
        self.kind = kind
        self.window = window
        self.max_windows = max_windows
        self.background = background
        self.columns = columns_for(kind)
        self.sort_key, self.descending = default_sort(kind)
        self.filters = Filters()
        self._bounds: dict[int, tuple | None] = {0: None}   # window -> keyset position before it
        self._cache: OrderedDict[int, list] = OrderedDict()  # window -> rows (LRU)
        self._rows = 0
        self._exhausted = True
        self._fetching = False
        self._seq = 0           # bumped by every reload: older background results are dropped
        self.loading = False    # a reload's first window is on its way
        self.pages_loaded = 0   # queries run (for tests and the benchmark)

    @property
    def exhausted(self) -> bool:
        """Every row has been reached (the last window was short)."""
        return self._exhausted and not self.loading

    # paging --------------------------------------------------------------------------
    def _query(self, store, after):
        from kkdesk.listing import page

        with store.session() as s:
            return page(s, self.kind, sort=self.sort_key, descending=self.descending, after=after,
                        limit=self.window, filters=self.filters)

    def _page(self, after):
        store = self.ctx.store
        if store is None:
            return []
        rows = self._query(store, after)
        self.pages_loaded += 1
        return rows

    def _key(self, row) -> tuple:
        from kkdesk.listing import sort_value

        return (sort_value(row, self.sort_key), row.num)

    def _remember(self, w: int, rows: list) -> None:
        self._cache[w] = rows
        self._cache.move_to_end(w)
        while len(self._cache) > self.max_windows:
            self._cache.popitem(last=False)

    def reload(self) -> None:
        """Start again from the first window (after a sort, filter or data change)."""
        self._seq += 1
        self._fetching = True
        try:
            self.beginResetModel()
            self._bounds = {0: None}
            self._cache.clear()
            self._rows = 0
            self._exhausted = False
            if not self.background:
                self._accept_window(0, self._page(None))
            self.endResetModel()
        finally:
            self._fetching = False
        if self.background:
            self.loading = True
            self._fetch_in_background(0)
        else:
            self.loaded.emit()

    def clear(self) -> None:
        """Forget every row (on lock)."""
        self._seq += 1
        self.loading = False
        self.beginResetModel()
        self._bounds = {0: None}
        self._cache.clear()
        self._rows = 0
        self._exhausted = True
        self.endResetModel()

    def _accept_window(self, w: int, rows: list) -> None:
        self._remember(w, rows)
        self._rows += len(rows)
        if len(rows) == self.window:
            self._bounds[w + 1] = self._key(rows[-1])
        else:
            self._exhausted = True

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = NO_PARENT) -> bool:
        return not parent.isValid() and not self._exhausted and not self._fetching and self.ctx.store is not None

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = NO_PARENT) -> None:
        if not self.canFetchMore(parent):
            return
        w = self._rows // self.window
        if self.background:
            self._fetch_in_background(w)
            return
        self._fetching = True  # not again from a slot of our own rowsInserted signals
        try:
            self._insert_window(w, self._page(self._bounds[w]))
        finally:
            self._fetching = False

    def _insert_window(self, w: int, rows: list) -> None:
        if not rows:
            self._exhausted = True
            return
        self.beginInsertRows(QModelIndex(), self._rows, self._rows + len(rows) - 1)
        self._accept_window(w, rows)
        self.endInsertRows()

    def _fetch_in_background(self, w: int) -> None:
        store = self.ctx.store
        if store is None:
            self.loading, self._exhausted = False, True
            return
        self._fetching = True
        seq, after = self._seq, self._bounds[w]
        self.ctx.quick_tasks.run(lambda _p: self._query(store, after), lambda rows: self._fetched(seq, w, rows),
                                 lambda exc: self._fetch_failed(seq, exc), quiet=True, owner=self)

    def _fetched(self, seq: int, w: int, rows: list) -> None:
        if seq != self._seq or w * self.window != self._rows:
            return  # for an earlier sort, filter or reload
        self.pages_loaded += 1
        first = self.loading
        try:
            self._insert_window(w, rows)
        finally:
            self._fetching = False
            self.loading = False
        if first:
            self.loaded.emit()

    def _fetch_failed(self, seq: int, exc: BaseException) -> None:
        if seq != self._seq:
            return
        self._fetching, self._exhausted = False, True
        first, self.loading = self.loading, False
        if self.ctx.store is not None:
            self.ctx.show_error(None, exc)
        if first:
            self.loaded.emit()

    def row_at(self, r: int):
        """The listing.Row at position `r` (re-fetched if its window was evicted)."""
        if r < 0 or r >= self._rows:
            return None
        w, i = divmod(r, self.window)
        rows = self._cache.get(w)
        if rows is None:
            rows = self._page(self._bounds.get(w))
            self._remember(w, rows)
        else:
            self._cache.move_to_end(w)
        return rows[i] if i < len(rows) else None  # a row removed meanwhile: shown empty until reload

    def cached_rows(self) -> int:
        return sum(len(rows) for rows in self._cache.values())

    def row_of_id(self, record_id: str) -> int:
        """Position of a cached row with this id, or -1 (never fetches)."""
        for w, rows in self._cache.items():
            for i, row in enumerate(rows):
                if row.id == record_id:
                    return w * self.window + i
        return -1

    # Qt model API ------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = NO_PARENT) -> int:
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= self._rows or index.column() >= len(self.columns):
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, ID_ROLE, KIND_ROLE,
                        Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.FontRole):
            return None
        row = self.row_at(index.row())
        if row is None:
            return "…" if role == Qt.ItemDataRole.DisplayRole else None
        col = self.columns[index.column()]
        if role == ID_ROLE:
            return row.id
        if role == KIND_ROLE:
            return row.kind
        if role == Qt.ItemDataRole.FontRole:
            if col.key == "title" and row.incomplete:
                font = QFont()
                font.setItalic(True)
                return font
            return None
        if col.key == "marks" and role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return marks_of(row)[1]
        if role == Qt.ItemDataRole.ToolTipRole and col.key == "updated":
            return (row.updated_at or "")[:19].replace("T", " ")
        if role == Qt.ItemDataRole.ToolTipRole and col.key in ("title", "region", "confidentiality"):
            from kkdesk.vocab import vocabularies

            lang = self.ctx.ui_lang
            if col.key == "region":
                return vocabularies().label("region", row.region, lang) if row.region else None
            confidentiality = vocabularies().label("confidentiality", row.confidentiality, lang)
            if col.key == "confidentiality":
                return confidentiality
            return "\n".join(x for x in (row.title, _("Confidentiality: %(level)s") % {"level": confidentiality}) if x)
        return cell_text(self.kind, col, row, self.ctx.ui_lang)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            col = self.columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return MARK_SEALED + MARK_INCOMPLETE if col.key == "marks" else _(col.header)
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return _(col.header)
            if role == Qt.ItemDataRole.ToolTipRole:
                if col.key == "marks":
                    return _("Marks: ✔ sealed, ⚠ incomplete, ⇄ conflicting versions")
                return _("Click to sort by this column") if col.sort else None
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns) or self.columns[column].sort is None:
            return
        key = self.columns[column].sort
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) == (self.sort_key, self.descending) and self._rows:
            return
        self.sort_key, self.descending = key, descending
        self.reload()

    def sort_column(self) -> int:
        for i, col in enumerate(self.columns):
            if col.sort == self.sort_key:
                return i
        return -1

    def set_filters(self, filters) -> None:
        self.filters = filters
        self.reload()

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.columns) - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(self._rows - 1, len(self.columns) - 1))


class SearchResultsModel(RowsModel):
    """Hits of the full-text search (newest first) for one kind."""

    HEADERS = (N_("Record number"), N_("Title"), N_("Found text"))

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.query = ""

    @property
    def hits(self) -> list:
        return self.rows

    def set_hits(self, query: str, hits: list) -> None:
        self.beginResetModel()
        self.query = query
        self.rows = list(hits)
        self.endResetModel()

    def clear(self) -> None:
        self.set_hits("", [])

    def row_data(self, hit, column: int, role: int):
        if role == ID_ROLE:
            return hit.id
        if role == KIND_ROLE:
            return hit.kind
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (hit.record_no or "", hit.title or "", hit.snippet or "")[column]
        return None


# --- filters ------------------------------------------------------------------------------

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


# --- the panel -------------------------------------------------------------------------------

class _TableKeys(QObject):
    """Enter opens the current record; Delete asks to delete it."""

    def __init__(self, panel: ListPanel) -> None:
        super().__init__(panel)
        self.panel = panel

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress:
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
                self.panel.open_requested.emit(self.panel.current_kind(), self.panel.current_id())
                return True
            if event.matches(QKeySequence.StandardKey.Delete):
                self.panel.delete_requested.emit()
                return True
        return False


SEARCH_DELAY_MS = 180
SEARCH_LIMIT = 200


class ListPanel(QWidget):
    """One screen of the main window: search, filters, the list and the detail pane."""

    open_requested = Signal(str, object)   # kind, record id (None: nothing selected)
    delete_requested = Signal()
    selection_changed = Signal()
    status_changed = Signal(str)

    def __init__(self, ctx, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from kkdesk.search import search
        from kkdesk.ui.detail import DetailPane

        self.ctx = ctx
        self.kind = kind
        self.setObjectName(f"list_{kind}")
        self.search_fn: Callable = search  # replaceable, e.g. to delay a query in a test
        self._search_seq = 0
        self._count_seq = 0
        self.total: int | None = None
        self.stale = False

        self.search_label = QLabel()
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search_label.setBuddy(self.search)
        self.count_label = QLabel()
        self.count_label.setObjectName("count_label")
        self.filter_bar = FilterBar(ctx, kind)
        self.filter_bar.changed.connect(self._filters_changed)
        self.filter_note = QLabel()
        self.filter_note.setWordWrap(True)
        self.filter_note.hide()

        self.model = RecordListModel(ctx, kind, self, background=True)
        self.model.loaded.connect(self._model_loaded)
        self._keep: str | None = None
        self.search_model = SearchResultsModel(self)
        self.table = rows_view()
        self.table.setObjectName("records_table")
        self.table.setModel(self.model)
        vh = self.table.verticalHeader()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        hh = self.table.horizontalHeader()
        hh.setSectionsClickable(True)
        hh.setSortIndicatorShown(True)
        hh.setHighlightSections(False)
        hh.setStretchLastSection(False)
        self._size_columns()
        hh.setSortIndicator(self.model.sort_column(),
                            Qt.SortOrder.DescendingOrder if self.model.descending else Qt.SortOrder.AscendingOrder)
        hh.sortIndicatorChanged.connect(self._sort_clicked)
        self.table.doubleClicked.connect(lambda _i: self.open_requested.emit(self.current_kind(), self.current_id()))
        self.table.installEventFilter(_TableKeys(self))
        self._connect_selection()

        self.detail = DetailPane(ctx)
        self.detail.open_requested.connect(self.open_requested)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self._search_now)

        top = QHBoxLayout()
        top.addWidget(self.search_label)
        top.addWidget(self.search, 1)
        top.addWidget(self.count_label)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addLayout(top)
        lv.addWidget(self.filter_bar)
        lv.addWidget(self.filter_note)
        lv.addWidget(self.table, 1)
        # the detail pane sits below the list: on a 1366 x 768 screen the list keeps its
        # width for the title column and the detail its width for long text
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("list_detail_splitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([330, 300])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.splitter)
        self.retranslate()

    # models and selection ----------------------------------------------------------
    def _size_columns(self) -> None:
        hh = self.table.horizontalHeader()
        model = self.table.model()
        widths = {"record_no": 134, "date": 82, "region": 140, "status": 100, "confidentiality": 88,
                  "updated": 88, "marks": 44}
        fm = hh.fontMetrics()
        if model is self.model:
            for i, col in enumerate(self.model.columns):
                if col.key == "title":
                    hh.setSectionResizeMode(i, QHeaderView.ResizeMode.Stretch)
                else:
                    hh.setSectionResizeMode(i, QHeaderView.ResizeMode.Interactive)
                    # wide enough for the header in every language (plus the sort arrow)
                    text = str(model.headerData(i, Qt.Orientation.Horizontal) or "")
                    hh.resizeSection(i, min(max(widths.get(col.key, 100), fm.horizontalAdvance(text) + 26), 160))
        else:
            hh.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
            hh.resizeSection(0, 150)
            hh.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
            hh.resizeSection(1, 220)
            hh.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

    def _connect_selection(self) -> None:
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)

    def _use_model(self, model) -> None:
        if self.table.model() is model:
            return
        self.table.setModel(model)
        self._connect_selection()
        self.table.horizontalHeader().setSortIndicatorShown(model is self.model)
        if model is self.model:
            self.table.horizontalHeader().setSortIndicator(
                self.model.sort_column(),
                Qt.SortOrder.DescendingOrder if self.model.descending else Qt.SortOrder.AscendingOrder)
        self._size_columns()

    @property
    def searching(self) -> bool:
        return self.table.model() is self.search_model

    def current_id(self) -> str | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.table.model().data(index.siblingAtColumn(0), ID_ROLE)

    def current_kind(self) -> str:
        return self.kind

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        record_id = self.table.model().data(current.siblingAtColumn(0), ID_ROLE) if current.isValid() else None
        if record_id:
            self.detail.show_record(record_id)
        else:
            self.detail.clear()
        self.selection_changed.emit()

    def select_id(self, record_id: str) -> bool:
        model = self.table.model()
        row = -1
        if model is self.model:
            row = self.model.row_of_id(record_id)
        else:
            row = next((i for i, h in enumerate(self.search_model.hits) if h.id == record_id), -1)
        if row < 0:
            return False
        self.table.setCurrentIndex(model.index(row, 0))
        self.table.scrollTo(model.index(row, 0))
        return True

    def select_row(self, row: int) -> None:
        model = self.table.model()
        if 0 <= row < model.rowCount():
            self.table.setCurrentIndex(model.index(row, 0))

    # loading --------------------------------------------------------------------------
    def activate(self) -> None:
        """Called when the panel is shown: load on first use or after a change."""
        if self.stale or (self.model.rowCount() == 0 and not self.model.canFetchMore() and not self.model.loading):
            self.refresh()

    def refresh(self) -> None:
        """Load the list again, keeping the selected record selected when it is still there."""
        self._keep = self.current_id() or self._keep
        self.stale = False
        self.filter_bar.refresh_years()
        self.model.reload()  # rows arrive from a worker: see _model_loaded
        self.update_count()
        if self.searching:
            self.run_search()

    def _model_loaded(self) -> None:
        keep, self._keep = self._keep, None
        if self.searching:
            return
        if not (keep and self.select_id(keep)):
            self.detail.clear()

    def clear(self) -> None:
        self._search_seq += 1
        self._count_seq += 1
        self.model.clear()
        self.search_model.clear()
        self.detail.clear()

    def update_count(self) -> None:
        """Count the matching rows off the GUI thread (a million rows take a moment)."""
        from kkdesk.listing import count

        self._count_seq += 1
        seq, kind, filters, store = self._count_seq, self.kind, self.model.filters, self.ctx.store
        if store is None:
            return

        def work(_p):
            with store.session() as s:
                return count(s, kind, filters)

        def done(n: int) -> None:
            if seq == self._count_seq:
                self.total = n
                self._show_count()

        self.ctx.run_task(work, done, lambda _e: None, quiet=True, parent=self)

    def _show_count(self) -> None:
        if self.searching:
            n = len(self.search_model.hits)
            text = _("%(n)s found") % {"n": format_number(n, self.ctx.ui_lang)}
            if n >= SEARCH_LIMIT:
                text = _("the newest %(n)s found") % {"n": format_number(n, self.ctx.ui_lang)}
        elif self.total is None:
            text = ""
        else:
            text = _("%(n)s records") % {"n": format_number(self.total, self.ctx.ui_lang)}
        self.count_label.setText(text)
        self.status_changed.emit(text)

    def _filters_changed(self, filters) -> None:
        self.model.set_filters(filters)
        self.update_count()
        self.detail.clear()

    def _sort_clicked(self, section: int, order: Qt.SortOrder) -> None:
        if self.searching:
            return
        if self.model.columns[section].sort is None:
            # restore the indicator: this column has no sort key
            hh = self.table.horizontalHeader()
            hh.blockSignals(True)
            hh.setSortIndicator(self.model.sort_column(),
                                Qt.SortOrder.DescendingOrder if self.model.descending else Qt.SortOrder.AscendingOrder)
            hh.blockSignals(False)
            return
        self.model.sort(section, order)
        self.detail.clear()

    # search as you type ---------------------------------------------------------------------
    def _search_now(self) -> None:
        self._search_timer.stop()
        self.run_search()

    def run_search(self) -> None:
        """Search off the GUI thread; a result that arrives after a newer request is dropped."""
        query = self.search.text().strip()
        self._search_seq += 1
        seq = self._search_seq
        if not query:
            self.search_model.clear()
            self._use_model(self.model)
            self.filter_bar.setEnabled(True)
            self.filter_note.hide()
            self._show_count()
            self.detail.clear()
            return
        store, kind, fn = self.ctx.store, self.kind, self.search_fn
        if store is None:
            return

        def work(_p):
            with store.session() as s:
                return fn(s, query, limit=SEARCH_LIMIT, kinds=[kind], prefix_last=True)

        self.ctx.quick_tasks.run(work, lambda hits: self._search_done(seq, query, hits),
                                 lambda exc: self._search_failed(seq, exc), quiet=True, owner=self)

    def _search_done(self, seq: int, query: str, hits: list) -> None:
        if seq != self._search_seq:
            return  # stale: the user has typed more since
        self.search_model.set_hits(query, hits)
        self._use_model(self.search_model)
        self.filter_bar.setEnabled(False)
        self.filter_note.setText(_("Filters do not apply to search results."))
        self.filter_note.show()
        self._show_count()
        if hits:
            self.select_row(0)
        else:
            self.detail.clear()

    def _search_failed(self, seq: int, exc: BaseException) -> None:
        if seq == self._search_seq:
            self.ctx.show_error(self, exc)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # language --------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.search_label.setText(_("&Search:"))
        self.search.setPlaceholderText(_("Type to search (names, titles, notes)…"))
        self.search.setAccessibleName(_("Search"))
        self.table.setAccessibleName(_("Records"))
        self.filter_bar.retranslate()
        self.filter_note.setText(_("Filters do not apply to search results."))
        self.model.retranslate()
        self.search_model.retranslate()
        self._size_columns()
        self.detail.retranslate()
        self._show_count()
