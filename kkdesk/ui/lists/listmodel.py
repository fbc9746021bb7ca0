"""The lazy table model of a record list and the model of search results.

`RecordListModel` never asks for all ids. It fetches windows of `WINDOW` rows with
`listing.page(after=(sort value, num))` as the view scrolls (`canFetchMore` /
`fetchMore`). Only the keyset position of each window is kept for good; the rows
themselves stay in a small LRU cache and are fetched again (one indexed query) if the
user scrolls back, so a million-row list costs a few megabytes."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont

from kkdesk.i18n import N_, _
from kkdesk.ui.common.rowsmodel import RowsModel

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
