"""The Statistics screen: the counts of kkdesk.stats for the chosen dimensions and
period, labelled in the interface language, the counting rule stated, bad dates
answered with a message, and the same counts as a PDF."""

from __future__ import annotations

from tests.ui.conftest import assert_accessible, wait_tasks


def _table(panel) -> list[list[str]]:
    m = panel.model
    return [[m.data(m.index(r, c)) for c in range(m.columnCount())] for r in range(m.rowCount())]


def _headers(panel) -> list[str]:
    from PySide6.QtCore import Qt

    m = panel.model
    return [m.headerData(c, Qt.Orientation.Horizontal) for c in range(m.columnCount())]


def _open(main_window, qtbot):
    main_window.show_screen("statistics")
    panel = main_window.panel("statistics")
    wait_tasks(qtbot, main_window.ctx)
    return panel


def test_counts_by_year_with_a_total_row(main_window, qtbot, qtmodeltester):
    from kkdesk import stats

    panel = _open(main_window, qtbot)
    with main_window.ctx.store.session() as s:
        rows = stats.compute(s, ["year"]).rows
        totals = stats.totals(s)
    assert rows and totals["acts"] > 0
    table = _table(panel)
    expected = [[str(r["year"]) if r["year"] is not None else "Date unknown", str(r["acts"]), str(r["persons"]),
                 str(r["organisations"])] for r in rows]
    assert table[:-1] == expected
    assert table[-1] == ["Total", str(totals["acts"]), str(totals["persons"]), str(totals["organisations"])]
    assert "Counting rule" in panel.rule.text()
    assert panel.pdf_button.isEnabled()
    assert_accessible(panel)
    qtmodeltester.check(panel.model)


def test_dimensions_are_labelled_in_the_interface_language(main_window, qtbot):
    from kkdesk import stats
    from kkdesk.vocab import vocabularies

    panel = _open(main_window, qtbot)
    panel.dims["year"].setChecked(False)
    panel.dims["perpetrator_type"].setChecked(True)
    wait_tasks(qtbot, main_window.ctx)
    with main_window.ctx.store.session() as s:
        rows = stats.compute(s, ["perpetrator_type"]).rows
    labels = [vocabularies().label("perpetrator_type", r["perpetrator_type"], "en") for r in rows]
    assert [row[0] for row in _table(panel)] == labels  # no total row: an act may count under several types
    assert "once for each distinct perpetrator type" in panel.rule.text()
    assert _headers(panel) == ["Perpetrator type", "Threat cases", "Persons", "Organisations"]
    try:
        main_window.ctx.set_language("kk")
        wait_tasks(qtbot, main_window.ctx)
        kk = [vocabularies().label("perpetrator_type", r["perpetrator_type"], "kk") for r in rows]
        assert [row[0] for row in _table(panel)] == kk and kk != labels
        assert _headers(panel)[0] == "Бұзушылық жасаушының түрі" and panel.dims_box.title() == "Бөліп санау"
    finally:
        main_window.ctx.set_language("en")


def test_a_bad_date_gets_a_message_and_no_counts(main_window, qtbot):
    panel = _open(main_window, qtbot)
    panel.date_from.setText("2024-13")
    panel.date_from.editingFinished.emit()
    wait_tasks(qtbot, main_window.ctx)
    assert "2024-13" in panel.status.text() and panel.model.rowCount() == 0
    assert not panel.pdf_button.isEnabled()
    panel.date_from.setText("2024")
    panel.date_from.editingFinished.emit()
    wait_tasks(qtbot, main_window.ctx)
    assert panel.status.text() == "" and panel.model.rowCount() > 0


def test_no_dimension_chosen_says_so(main_window, qtbot):
    panel = _open(main_window, qtbot)
    panel.dims["year"].setChecked(False)
    assert panel.model.rowCount() == 0 and "at least one" in panel.status.text()
    assert not panel.pdf_button.isEnabled()


def test_the_counts_as_a_pdf(main_window, qtbot):
    from kkdesk.ui.reports.statistics import StatsPdfDialog

    panel = _open(main_window, qtbot)
    panel.dims["region"].setChecked(True)
    wait_tasks(qtbot, main_window.ctx)
    dialog = StatsPdfDialog(panel, main_window.ctx, panel.chosen(), None, None, False)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.pdf is not None, timeout=15000)
    assert dialog.pdf.startswith(b"%PDF") and dialog.suggested_name() == "statistics-year-region-en.pdf"
    assert not dialog.public.isVisible()
    dialog.done(0)
