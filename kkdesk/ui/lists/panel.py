"""The list panel of a record kind: search box, filters, the lazy list and the detail
pane. The model is in listmodel.py, the filters in filterbar.py."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from kkdesk.i18n import _, format_number
from kkdesk.ui.common.rowsmodel import rows_view
from kkdesk.ui.lists.filterbar import FilterBar
from kkdesk.ui.lists.listmodel import ID_ROLE, RecordListModel, SearchResultsModel

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


def _widest_value(key: str, fm) -> int:
    """Width of the longest region name or partial date the list may show, in the language."""
    from kkdesk.i18n import format_partial_date, get_language
    from kkdesk.ui.lists.listmodel import short_label
    from kkdesk.vocab import vocabularies

    lang = get_language()
    if key == "region":
        texts = [short_label(t.label(lang)) for t in vocabularies().terms("region")]
    else:
        texts = [format_partial_date(f"2024-{m:02d}", lang) for m in range(1, 13)] + ["2024-12-31"]
    return max((fm.horizontalAdvance(t) for t in texts), default=0)


class ListPanel(QWidget):
    """One screen of the main window: search, filters, the list and the detail pane."""

    open_requested = Signal(str, object)   # kind, record id (None: nothing selected)
    delete_requested = Signal()
    selection_changed = Signal()
    status_changed = Signal(str)

    def __init__(self, ctx, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from kkdesk.search import search
        from kkdesk.ui.lists.detail import DetailPane

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
                    width = min(max(widths.get(col.key, 100), fm.horizontalAdvance(text) + 26), 160)
                    if col.key in ("region", "date"):  # the longest value in this language is not cut
                        width = max(width, min(_widest_value(col.key, self.table.fontMetrics()) + 16, 250))
                    hh.resizeSection(i, width)
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
                return fn(s, query, limit=SEARCH_LIMIT, kinds=[kind], prefix_last=True, linked=True)

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
