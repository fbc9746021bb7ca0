"""The record lists: lazy keyset model, sorting, filters, search as you type."""

from __future__ import annotations

import shutil
import threading

import pytest
from PySide6.QtCore import Qt

from kkdesk.ui.fields.fieldbase import LEVEL_ROLE
from tests.conftest import PASSPHRASE
from tests.ui.conftest import wait_loaded, wait_tasks

N_BULK = 1000
REGIONS = ("almaty_city", "aktobe", "astana")
TYPES = ("death_threat", "tax_inspection")


def synthetic_threats(n: int, start: int = 0) -> dict:
    threats = []
    for i in range(start, start + n):
        year = 2015 + i % 10
        threats.append({
            "id": f"bulk-{i}", "title": f"Incident {i:04d}" + (" Zhanaozen" if i % 10 == 0 else ""),
            "description": "synthetic incident", "start_date": f"{year}-{1 + i % 12:02d}-{1 + i % 28:02d}",
            "region": REGIONS[i % 3], "record_status": "verified" if i % 2 else "draft", "entry_language": "en",
            "acts": [{"victim_type": "group", "group_description": "journalists", "threat_type": TYPES[i % 2],
                      "target_group_at_time": "journalist", "gender_at_time": "unknown",
                      "region_at_time": REGIONS[i % 3]}]})
    return {"format": "kkdesk-interchange", "version": 1, "id_namespace": "shell-bulk", "threats": threats}


@pytest.fixture(scope="module")
def bulk_template(tmp_path_factory, template_home):
    from kkdesk.interchange import author_of, import_document
    from kkdesk.store import open_profile

    home = tmp_path_factory.mktemp("bulk") / "profile"
    shutil.copytree(template_home, home)
    store = open_profile(home, PASSPHRASE)
    with store.session() as s:
        import_document(s, author_of(store), synthetic_threats(N_BULK), "en")
    store.close()
    return home


@pytest.fixture
def bulk_ctx(bulk_template, tmp_path, qtbot):
    from kkdesk.store import open_profile
    from kkdesk.ui.shell.context import AppContext

    home = shutil.copytree(bulk_template, tmp_path / "profile")
    store = open_profile(home, PASSPHRASE)
    ctx = AppContext(store, home=home, ui_lang="en")
    yield ctx
    for runner in (ctx.tasks, ctx.quick_tasks):
        runner.cancel_all()
        runner.wait()
    qtbot.wait(1)
    store.close()


def _all_ids(ctx, kind="threat", **kw):
    from kkdesk.listing import page

    with ctx.store.session() as s:
        return [r.id for r in page(s, kind, limit=10 ** 6, **kw)]


def test_list_model_passes_the_model_tester(qtmodeltester, bulk_ctx):
    from kkdesk.ui.lists.listmodel import RecordListModel

    model = RecordListModel(bulk_ctx, "threat", window=50, max_windows=2)
    model.reload()
    qtmodeltester.check(model, force_py=True)  # it calls fetchMore() itself
    assert model.rowCount() % 50 == 0 and model.canFetchMore()
    model.fetchMore()
    model.sort(1, Qt.SortOrder.AscendingOrder)
    qtmodeltester.check(model)


def test_keyset_windows_reach_the_end_without_keeping_all_rows(bulk_ctx):
    from kkdesk.ui.lists.listmodel import ID_ROLE, RecordListModel

    model = RecordListModel(bulk_ctx, "threat", window=200, max_windows=2)
    model.reload()
    assert model.rowCount() == 200 and model.pages_loaded == 1
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == N_BULK
    assert model.pages_loaded <= N_BULK // 200 + 1
    assert model.cached_rows() <= 400  # only the last two windows stay in memory
    # every row is still reachable, in the order of the core's listing (newest first)
    expected = _all_ids(bulk_ctx, sort="date", descending=True)
    seen = [model.data(model.index(r, 0), ID_ROLE) for r in range(model.rowCount())]
    assert seen == expected
    assert model.cached_rows() <= 400


def test_header_clicks_sort_by_title_record_no_and_ignore_unsortable_columns(qtbot, bulk_ctx):
    from kkdesk.ui.lists.listmodel import ID_ROLE
    from kkdesk.ui.lists.panel import ListPanel

    panel = ListPanel(bulk_ctx, "threat")
    qtbot.addWidget(panel)
    panel.show()
    panel.activate()
    wait_loaded(qtbot, panel)
    header = panel.table.horizontalHeader()
    cols = [c.key for c in panel.model.columns]
    model = panel.model

    def first_ids(n=5):
        wait_loaded(qtbot, panel)
        return [model.data(model.index(r, 0), ID_ROLE) for r in range(n)]

    assert (model.sort_key, model.descending) == ("date", True)
    header.setSortIndicator(cols.index("title"), Qt.SortOrder.AscendingOrder)
    assert (model.sort_key, model.descending) == ("title", False)
    assert first_ids() == _all_ids(bulk_ctx, sort="title")[:5]
    header.setSortIndicator(cols.index("title"), Qt.SortOrder.DescendingOrder)
    assert first_ids() == _all_ids(bulk_ctx, sort="title", descending=True)[:5]
    header.setSortIndicator(cols.index("record_no"), Qt.SortOrder.AscendingOrder)
    assert model.sort_key == "record_no"
    assert first_ids() == _all_ids(bulk_ctx, sort="record_no")[:5]
    header.setSortIndicator(cols.index("updated"), Qt.SortOrder.DescendingOrder)
    assert model.sort_key == "updated"
    header.setSortIndicator(cols.index("region"), Qt.SortOrder.AscendingOrder)  # no sort key: unchanged
    assert model.sort_key == "updated" and header.sortIndicatorSection() == cols.index("updated")


def test_filters_narrow_the_list(qtbot, bulk_ctx):
    from kkdesk.listing import Filters
    from kkdesk.ui.lists.panel import ListPanel

    panel = ListPanel(bulk_ctx, "threat")
    qtbot.addWidget(panel)
    panel.activate()
    wait_loaded(qtbot, panel)
    assert set(panel.filter_bar.combos) == {"year", "region", "target_group", "threat_type", "record_status",
                                            "confidentiality"}
    bar = panel.filter_bar
    bar.set_value("region", "aktobe")
    wait_loaded(qtbot, panel)
    rows = [panel.model.row_at(r) for r in range(panel.model.rowCount())]
    assert rows and {r.region for r in rows} == {"aktobe"}
    wait_tasks(qtbot, bulk_ctx)  # the years are found in the background
    assert bar.combos["year"].findData(2016) > 0 and bar.years == sorted(bar.years, reverse=True)
    bar.set_value("year", 2016)
    bar.set_value("threat_type", "death_threat")
    wait_loaded(qtbot, panel)
    while not panel.model.exhausted:  # the view would ask as it scrolls; rows come from a worker
        panel.model.fetchMore()
        wait_loaded(qtbot, panel)
    expected = _all_ids(bulk_ctx, filters=Filters(region="aktobe", year=2016, threat_type="death_threat"))
    assert [panel.model.row_at(r).id for r in range(panel.model.rowCount())] == expected
    wait_tasks(qtbot, bulk_ctx)
    assert panel.total == len(expected)
    # threat type categories are headers, not choices
    combo = bar.combos["threat_type"]
    disabled = [i for i in range(combo.count()) if not combo.model().item(i).isEnabled()]
    assert disabled and all(combo.itemData(i) is None for i in disabled)
    # terms sit under their category by the delegate's indent, never by spaces in the text
    # (they would show in the closed box)
    assert not [combo.itemText(i) for i in range(combo.count()) if combo.itemText(i) != combo.itemText(i).strip()]
    levels = [combo.model().item(i).data(LEVEL_ROLE) for i in range(1, combo.count())]
    assert all(levels[i - 1] == 0 for i in disabled) and 1 in levels
    bar.reset()
    wait_loaded(qtbot, panel)
    assert panel.model.filters == Filters()
    # the years (a scan of every record) are looked up again only when the list opens after a change
    panel.refresh()
    wait_loaded(qtbot, panel)
    assert bar._years_stale and not bar._years_loading
    bar.combos["year"].showPopup()
    assert bar._years_loading
    wait_tasks(qtbot, bulk_ctx)
    bar.combos["year"].hidePopup()
    assert not bar._years_stale and bar.combos["year"].findData(2016) > 0
    # persons have no year or threat type filter
    persons = ListPanel(bulk_ctx, "person")
    qtbot.addWidget(persons)
    assert "year" not in persons.filter_bar.combos and "threat_type" not in persons.filter_bar.combos


def test_search_as_you_type_drops_stale_results(qtbot, bulk_ctx):
    from kkdesk.search import search
    from kkdesk.ui.lists.panel import ListPanel

    panel = ListPanel(bulk_ctx, "threat")
    qtbot.addWidget(panel)
    panel.show()
    panel.activate()
    finished = []
    release = threading.Event()

    def slow_first(session, query, **kw):
        if query == "Incident":
            release.wait(5)  # the first, broader query answers last
        hits = search(session, query, **kw)
        finished.append(query)
        return hits

    panel.search_fn = slow_first
    qtbot.keyClicks(panel.search, "Incident")
    panel._search_now()
    qtbot.keyClicks(panel.search, " Zhanao")  # prefix of the last word: search as you type
    panel._search_now()
    qtbot.waitUntil(lambda: finished == ["Incident Zhanao"], timeout=5000)
    qtbot.waitUntil(lambda: panel.searching, timeout=5000)
    release.set()
    qtbot.waitUntil(lambda: len(finished) == 2, timeout=5000)
    wait_tasks(qtbot, bulk_ctx)
    assert panel.search_model.query == "Incident Zhanao"
    assert panel.search_model.rowCount() == N_BULK // 10
    assert all("Zhanaozen" in h.title for h in panel.search_model.hits)
    assert not panel.filter_bar.isEnabled()
    # the detail pane follows the first hit
    assert panel.detail.record_id == panel.search_model.hits[0].id
    panel.search.clear()
    panel._search_now()
    assert not panel.searching and panel.filter_bar.isEnabled()


def test_search_timer_fires_while_typing(qtbot, example_ctx):
    from kkdesk.ui.lists.panel import ListPanel

    panel = ListPanel(example_ctx, "person")
    qtbot.addWidget(panel)
    panel.show()
    panel.activate()
    qtbot.keyClicks(panel.search, "Aiger")
    qtbot.waitUntil(lambda: panel.searching and panel.search_model.rowCount() == 1, timeout=5000)
    assert "Aigerim" in panel.search_model.hits[0].title or "Айгер" in panel.search_model.hits[0].title


def test_list_follows_changes(qtbot, example_ctx):
    from kkdesk.interchange import save
    from kkdesk.ui.lists.panel import ListPanel

    panel = ListPanel(example_ctx, "source")
    qtbot.addWidget(panel)
    panel.activate()
    wait_loaded(qtbot, panel)
    before = panel.model.rowCount()
    with example_ctx.store.session() as s:
        save(s, example_ctx.author(), "source", {"source_type": "ngo_report", "title": "New report",
                                                  "reliability": "highly_reliable", "confidentiality": "internal",
                                                  "entry_language": "en"})
    panel.refresh()
    assert panel.model.loading  # the rows come from a worker thread
    wait_loaded(qtbot, panel)
    assert panel.model.rowCount() == before + 1


def test_a_slow_list_query_neither_freezes_the_window_nor_wins_late(qtbot, bulk_ctx):
    from kkdesk.ui.lists.listmodel import ID_ROLE
    from kkdesk.ui.lists.panel import ListPanel

    panel = ListPanel(bulk_ctx, "threat")
    qtbot.addWidget(panel)
    panel.show()
    model = panel.model
    query = model._query
    release = threading.Event()

    def slow_first_sort(store, after):
        if model.sort_key == "date" and after is None and not release.is_set():
            release.wait(5)  # a rare filter over a million rows
        return query(store, after)

    model._query = slow_first_sort
    panel.activate()  # sorted by date: slow
    qtbot.wait(150)  # the event loop runs meanwhile
    assert model.loading and model.rowCount() == 0
    cols = [c.key for c in model.columns]
    panel.table.horizontalHeader().setSortIndicator(cols.index("title"), Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: not model.loading, timeout=3000)  # the title-sorted rows, while the slow one waits
    assert not release.is_set() and model.rowCount() == 200
    release.set()
    wait_tasks(qtbot, bulk_ctx)
    titles_first = [model.data(model.index(r, 0), ID_ROLE) for r in range(5)]
    assert titles_first == _all_ids(bulk_ctx, sort="title")[:5]  # the late date-sorted rows were dropped
