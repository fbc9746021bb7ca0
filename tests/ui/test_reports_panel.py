"""The Reports screen: a report's table and chart side by side, the chart's accessible
description listing its values, export as PNG and SVG, saving as XLSX, keyboard order."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.conftest import assert_accessible, wait_tasks


def _open(main_window, qtbot, rid="R1"):
    main_window.show_screen("reports")
    panel = main_window.panel("reports")
    wait_tasks(qtbot, main_window.ctx)
    panel.all_statuses.setChecked(True)
    wait_tasks(qtbot, main_window.ctx)
    panel.choice.setCurrentIndex(panel.choice.findData(rid))
    wait_tasks(qtbot, main_window.ctx)
    return panel


def test_r1_table_and_chart_agree_with_the_core(main_window, qtbot, qtmodeltester):
    from kkdesk.reporting import catalogue
    from kkdesk.reporting.model import Options

    panel = _open(main_window, qtbot)
    with main_window.ctx.store.session() as s:
        rows = catalogue.run(s, "R1", Options(all_statuses=True)).rows
    m = panel.model
    assert m.rowCount() == len(rows) > 0
    assert [m.data(m.index(r, 1)) for r in range(m.rowCount())] == [str(r["cases"]) for r in rows]
    qtmodeltester.check(m)
    description = panel.chart.plot.accessibleDescription()
    for r in rows:
        assert f"{r['year']}: {r['cases']}" in description
    assert_accessible(panel)


def test_chart_exports_png_and_svg_and_report_saves_xlsx(main_window, qtbot, tmp_path):
    panel = _open(main_window, qtbot, "R2")
    assert panel.png_button.isEnabled()
    panel._write_chart(str(tmp_path / "c.png"))
    panel._write_chart(str(tmp_path / "c.svg"))
    assert (tmp_path / "c.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in (tmp_path / "c.svg").read_bytes()[:400]
    panel.write_report(str(tmp_path / "r.xlsx"))
    assert (tmp_path / "r.xlsx").read_bytes()[:2] == b"PK"


def test_a_bad_period_is_said_and_keeps_the_last_report(main_window, qtbot):
    panel = _open(main_window, qtbot)
    before = panel.model.rowCount()
    panel.date_from.setText("2025")
    panel.date_to.setText("2024")
    panel.refresh()
    wait_tasks(qtbot, main_window.ctx)
    assert "ends before it begins" in panel.status.text() and panel.model.rowCount() == before


def test_keyboard_order_reaches_table_and_chart(main_window, qtbot):
    panel = _open(main_window, qtbot)
    order, w = [], panel.choice
    for _ in range(12):
        order.append(w.objectName())
        w = w.nextInFocusChain()
        while not (w.focusPolicy() & w.focusPolicy().TabFocus) or not w.isEnabled():
            w = w.nextInFocusChain()
    assert order.index("report_choice") < order.index("report_from") < order.index("report_table")


def test_the_chart_library_loads_only_with_the_reports_screen():
    """pyqtgraph (and numpy) come with the Reports screen, never with the unlock window or the main window."""
    import subprocess
    import sys
    from pathlib import Path

    code = ("import sys\nfrom PySide6.QtWidgets import QApplication\napp = QApplication(['k'])\n"
            "import kkdesk.ui.shell.app, kkdesk.ui.shell.mainwindow, kkdesk.ui.shell.unlock\n"
            "print(sorted(m for m in ('pyqtgraph', 'numpy') if m in sys.modules))\n"
            "import kkdesk.ui.reports.chart\nprint('pyqtgraph' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[2], capture_output=True,
                         text=True, timeout=120, env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["[]", "True"]


def test_published_figures_have_a_list_and_an_editor(main_window, qtbot):
    from kkdesk.ui.shell.mainwindow import open_editor_guarded

    main_window.show_screen("published_stat")
    wait_tasks(qtbot, main_window.ctx)
    editor = open_editor_guarded(main_window, main_window.ctx, "published_stat")
    assert editor is not None
    editor.close()


import os  # noqa: E402

import pytest  # noqa: E402


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_table_has_room_for_its_columns_at_1366x768(main_window, qtbot, lang):
    """The table spans the screen, its columns are not cut; the chart sits below it."""
    main_window.ctx.set_language(lang)
    try:
        main_window.resize(1366, 768)
        panel = _open(main_window, qtbot, "R1")
        qtbot.wait(50)
        table = panel.table
        header = table.horizontalHeader()
        used = sum(header.sectionSize(i) for i in range(header.count()))
        assert used <= table.viewport().width()  # every column shown whole
        assert panel.chart.geometry().top() >= table.geometry().bottom()  # chart below, not beside
        assert panel.chart.height() >= 170
        if os.environ.get("KKDESK_LOOK"):
            main_window.grab().save(os.path.join(os.environ["KKDESK_LOOK"], f"reports-R1-{lang}.png"))
            from kkdesk.reporting import published

            published.PRELOAD, before = True, published.PRELOAD
            try:
                with main_window.ctx.store.session() as s:
                    published.load_shipped(s)
            finally:
                published.PRELOAD = before
            panel.date_from.setText("2011")
            panel.choice.setCurrentIndex(panel.choice.findData("R16"))
            wait_tasks(qtbot, main_window.ctx)
            main_window.grab().save(os.path.join(os.environ["KKDESK_LOOK"], f"reports-R16-{lang}.png"))
    finally:
        main_window.ctx.set_language("en")


def test_r16_table_shows_indicators_and_sources_in_words(main_window, qtbot, monkeypatch, qtmodeltester):
    from kkdesk.reporting import published

    monkeypatch.setattr(published, "PRELOAD", True)
    with main_window.ctx.store.session() as s:
        published.load_shipped(s)
    main_window.show_screen("reports")
    panel = main_window.panel("reports")
    panel.date_from.setText("2011")
    panel = _open(main_window, qtbot, "R16")
    m = panel.model
    assert m.columnCount() == 6  # not the twelve JSON columns: the screen does not scroll sideways
    assert m.rowCount() == len(panel.report.rows) > 0
    cells = [[m.data(m.index(r, c)) for c in range(6)] for r in range(m.rowCount())]
    indicators = [row[0] for row in cells]
    assert any(i.startswith("Threat cases (total)") for i in indicators) and not any("_" in i for i in indicators)
    assert not any(" via " in row[5] or "S4 §" in row[5] for row in cells)
    # a breakdown is named in words: the article cited, the safeguard asked
    assert any("(Art. 174, CC RK)" in i for i in indicators)
    assert any("police badge / service ID shown" in i for i in indicators)
    assert not any("CC-174" in i or "DS01" in i for i in indicators)
    assert "2018" in [row[1] for row in cells]  # a whole year as the year
    conflicting = [r for r, line in enumerate(m.lines) if line.conflicting]
    assert conflicting and m.data(m.index(conflicting[0], 0), Qt.ItemDataRole.BackgroundRole) is not None
    assert m.data(m.index(conflicting[0], 4)).startswith("conflicting")
    qtmodeltester.check(m)
