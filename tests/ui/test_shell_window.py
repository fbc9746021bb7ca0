"""The main window: detail pane, actions, language switch, settings, accessibility."""

from __future__ import annotations

import json

from PySide6.QtCore import QByteArray, Qt

from tests.ui.conftest import (
    answer_dialog,
    assert_accessible,
    modal_boxes,
    wait_loaded,
    wait_tasks,
)
from tests.ui.test_shell_lists import synthetic_threats


def _show(qtbot, window, screen: str):
    """Switch screens and wait for the list's rows (they come from a worker thread)."""
    window.show_screen(screen)
    panel = window.current_panel()
    wait_loaded(qtbot, panel)
    return panel


def _row_of(panel, text: str) -> int:
    model = panel.table.model()
    for r in range(model.rowCount()):
        if text in (model.index(r, 1).data() or ""):
            return r
    raise AssertionError(f"{text!r} not in the list")


def _select(panel, text: str) -> str:
    panel.select_row(_row_of(panel, text))
    return panel.current_id()


def test_detail_pane_shows_linked_timeline_history_and_warnings(qtbot, main_window):
    from kkdesk.interchange import save
    from kkdesk.records import seal

    ctx = main_window.ctx
    panel = _show(qtbot, main_window, "person")
    person_id = _select(panel, "Айгерім")
    detail = panel.detail
    assert detail.record_id == person_id
    kinds = [link.kind for link in detail.links_model.links]
    assert {"threat", "case"} <= set(kinds)
    dates = [link.sort_date for link in detail.links_model.links if link.sort_date]
    assert dates == sorted(dates)  # a timeline, oldest first
    assert "Aigerim" in detail.fields.toPlainText() or "Айгерім" in detail.fields.toPlainText()
    assert detail.history_model.rowCount() == 1
    assert detail.history_model.index(0, 2).data() == "Created"
    assert detail.history_model.index(0, 3).data() == "No"
    assert detail.history_model.index(0, 1).data().startswith("This profile")
    # double-clicking a linked record asks to open it
    opened = []
    detail.open_requested.connect(lambda kind, rid: opened.append((kind, rid)))
    detail._open_link(detail.links_model.index(0, 0))
    assert opened == [(detail.links_model.links[0].kind, detail.links_model.links[0].id)]
    # sealed: the history says so
    with ctx.store.session() as s:
        seal(s, ctx.store.identity, person_id)
    ctx.notify_changed({"person"})
    wait_loaded(qtbot, panel)
    assert panel.detail.history_model.index(0, 3).data().startswith("Yes")
    assert "Sealed" in panel.detail.badges.text()
    # an incomplete record lists its warnings
    with ctx.store.session() as s:
        result = save(s, ctx.author(), "person", {"name_latin": "Incomplete Person", "primary_target_group": "lawyer",
                                                   "consent_to_publish": "yes", "confidentiality": "internal",
                                                   "entry_language": "en"})
    assert result.warnings
    ctx.notify_changed({"person"})
    wait_loaded(qtbot, panel)
    _select(panel, "Incomplete Person")
    assert "This record is incomplete" in panel.detail.fields.toPlainText()
    assert "Incomplete" in panel.detail.badges.text()


def test_link_and_history_models_pass_the_model_tester(qtbot, qtmodeltester, main_window):
    panel = _show(qtbot, main_window, "case")
    panel.select_row(0)
    assert panel.detail.links_model.rowCount() > 0
    qtmodeltester.check(panel.detail.links_model)
    qtmodeltester.check(panel.detail.history_model)
    panel = _show(qtbot, main_window, "person")
    panel.search.setText("Aigerim")
    panel._search_now()
    wait_tasks(qtbot, main_window.ctx)
    assert panel.search_model.rowCount() > 0
    qtmodeltester.check(panel.search_model)


def test_language_switch_relabels_the_whole_window(qtbot, main_window):
    from kkdesk.i18n import gettext_for
    from kkdesk.store import read_profile_json
    from kkdesk.ui.shell.settings import SettingsDialog
    from kkdesk.vocab import vocabularies

    ctx = main_window.ctx
    panel = _show(qtbot, main_window, "threat")
    nav_item = main_window.nav.item(main_window.screens.index("threat"))
    assert nav_item.text() == "Threat incidents"
    main_window.lang_actions["kk"].trigger()
    kk = gettext_for("kk")
    assert nav_item.text() == kk("Threat incidents") != "Threat incidents"
    assert main_window.menu_file.title() == "&Файл"
    assert panel.search_label.text() == "&Іздеу:"
    header = panel.table.model().headerData(1, Qt.Orientation.Horizontal)
    assert header == kk("Title") != "Title"
    region = panel.filter_bar.combos["region"]
    assert vocabularies().label("region", "aktobe", "kk") in [region.itemText(i) for i in range(region.count())]
    row = _row_of(panel, "Online threats")
    assert panel.model.index(row, panel.model.columns.index(
        next(c for c in panel.model.columns if c.key == "region"))).data() == vocabularies().label("region", "aktobe", "kk")
    dlg = SettingsDialog(ctx, main_window)
    qtbot.addWidget(dlg)
    from PySide6.QtWidgets import QDialogButtonBox

    assert dlg.buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "Бас тарту"  # Qt's own, translated
    assert read_profile_json(ctx.home)["ui_lang"] == "kk" and ctx.settings.language == "kk"
    main_window.lang_actions["ru"].trigger()
    # Qt re-labels its standard buttons on the LanguageChange event it posts
    qtbot.waitUntil(lambda: dlg.buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "Отмена")
    main_window.lang_actions["en"].trigger()
    assert nav_item.text() == "Threat incidents" and main_window.lang_actions["en"].isChecked()


def test_settings_file_holds_no_case_data(qtbot, main_window):
    from kkdesk.ui.shell.settings import KEYS, SettingsDialog

    ctx = main_window.ctx
    for screen in ("person", "case", "threat"):
        _show(qtbot, main_window, screen).select_row(0)
    panel = main_window.current_panel()
    panel.search.setText("Zhanaozen Aigerim")
    panel._search_now()
    wait_tasks(qtbot, ctx)
    dlg = SettingsDialog(ctx, main_window)
    qtbot.addWidget(dlg)
    dlg.minutes.setValue(7)
    dlg.org_name.setText("Secret Org Name")
    dlg.accept()
    main_window.lang_actions["ru"].trigger()
    main_window.resize(1200, 700)
    ctx.lock()
    main_window.close()
    path = ctx.settings.path
    text = path.read_text(encoding="utf-8")
    for needle in ("Aigerim", "Айгер", "Zhanaozen", "Secret Org", "Токтаров", "TI-", "PE-", str(ctx.home)):
        assert needle not in text
    from PySide6.QtCore import QSettings

    q = QSettings(str(path), QSettings.Format.IniFormat)
    assert set(q.allKeys()) <= set(KEYS)
    assert q.value("lock/auto_lock_minutes") in (7, "7") and q.value("ui/language") == "ru"


def test_main_window_and_its_dialogs_name_every_input(qtbot, main_window):
    from kkdesk.drafts import save_draft
    from kkdesk.ui.shell.locking import DraftsDialog
    from kkdesk.ui.shell.mainwindow import ExportDialog
    from kkdesk.ui.shell.settings import SettingsDialog

    ctx = main_window.ctx
    for screen in main_window.screens:
        main_window.show_screen(screen)
    assert assert_accessible(main_window) > 20
    with ctx.store.session() as s:
        save_draft(s, "threat:new-test", "threat", {"title": "x"}, None)
    for dlg in (SettingsDialog(ctx, main_window), ExportDialog(main_window),
                DraftsDialog(ctx, main_window, main_window.open_draft)):
        qtbot.addWidget(dlg)
        assert_accessible(dlg)
    main_window.lang_actions["kk"].trigger()
    assert_accessible(main_window)


def test_import_json_runs_in_the_background_with_progress(qtbot, ctx, tmp_path):
    from kkdesk.ui.shell.mainwindow import MainWindow

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    assert _show(qtbot, window, "threat").model.rowCount() == 0
    doc = tmp_path / "big.json"
    doc.write_text(json.dumps(synthetic_threats(2100)), encoding="utf-8")
    task = window.import_json_file(doc)
    assert task.cancellable and "big.json" in task.label
    qtbot.waitUntil(lambda: task.dialog is not None or task.done, timeout=20000)
    if not task.done:  # the import takes longer than the dialog delay here
        assert "big.json" in task.dialog.labelText()
    qtbot.waitUntil(lambda: task.done, timeout=60000)
    report = window.last_import_report
    assert report.new == 2100
    assert (2000, 2100) in task.reports and task.reports[-1] == (2100, 2100)  # the core reported its progress
    panel = window.current_panel()
    wait_loaded(qtbot, panel)
    assert panel.model.rowCount() == 200 and panel.model.canFetchMore()
    wait_tasks(qtbot, ctx)
    assert panel.total == 2100
    box = window.report_box
    assert "2100 new" in box.text()
    box.close()


def test_import_of_a_broken_file_is_a_message_and_changes_nothing(qtbot, ctx, tmp_path):
    from kkdesk.ui.shell.mainwindow import MainWindow

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    bad = tmp_path / "bad.json"
    bad.write_text("{ not json", encoding="utf-8")
    task = window.import_json_file(bad)
    qtbot.waitUntil(lambda: task.done, timeout=10000)
    boxes = modal_boxes()
    assert boxes and "not valid JSON" in boxes[0].text() and "line 1" in boxes[0].detailedText()
    assert _show(qtbot, window, "threat").model.rowCount() == 0


def test_export_json_writes_the_document(qtbot, main_window, tmp_path):
    target = tmp_path / "out.json"
    main_window.export_json_file(target)
    wait_tasks(qtbot, main_window.ctx)
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert doc["format"] == "kkdesk-interchange" and len(doc["threats"]) == 3
    assert "phone" not in json.dumps(doc["persons"])


def test_delete_and_seal_ask_first(qtbot, main_window):
    from kkdesk.ui.lists.listmodel import MARK_SEALED

    panel = _show(qtbot, main_window, "threat")
    rid = _select(panel, "Налоговая")
    answer_dialog(qtbot, accept=False)
    assert main_window.delete_record() is False
    assert panel.model.rowCount() == 3
    answer_dialog(qtbot, accept=True)
    assert main_window.delete_record() is True
    wait_loaded(qtbot, panel)
    assert panel.model.rowCount() == 2 and rid not in [panel.model.row_at(r).id for r in range(2)]
    _select(panel, "Online threats")
    answer_dialog(qtbot, accept=True)
    assert main_window.seal_record() is True
    wait_loaded(qtbot, panel)
    row = _row_of(panel, "Online threats")
    marks = panel.model.columns.index(next(c for c in panel.model.columns if c.key == "marks"))
    assert MARK_SEALED in panel.model.index(row, marks).data()


def test_new_and_enter_open_the_editor_or_explain(qtbot, main_window, monkeypatch):
    import kkdesk.ui.shell.mainwindow as mw

    panel = _show(qtbot, main_window, "source")
    panel.select_row(0)
    if mw.module_available("kkdesk.ui.editors.recordeditor"):
        editor = main_window.new_record()
        assert editor is not None and editor.isVisible()
        editor.close()
        panel.table.setFocus()
        qtbot.keyClick(panel.table, Qt.Key.Key_Return)
        opened = [e for e in main_window.editors if mw._alive(e) and getattr(e, "record_id", None) == panel.current_id()]
        assert opened
    monkeypatch.setattr(mw, "module_available", lambda name: False)
    assert main_window.new_record() is None
    boxes = modal_boxes()
    assert boxes and "not part of this build" in boxes[-1].text()


def test_keyboard_reaches_every_action(qtbot, main_window):
    from PySide6.QtGui import QKeySequence

    main_window.activateWindow()
    for name, act in main_window.actions_by_name.items():
        assert "&" in act.text() or not act.shortcut().isEmpty() or name.startswith("lang_"), name
    assert main_window.actions_by_name["new"].shortcut() == QKeySequence(QKeySequence.StandardKey.New)
    assert main_window.actions_by_name["lock"].shortcut() == QKeySequence("Ctrl+L")
    assert main_window.actions_by_name["find"].shortcut() == QKeySequence(QKeySequence.StandardKey.Find)
    main_window.actions_by_name["screen_case"].trigger()
    assert main_window.current_screen() == "case"
    main_window.actions_by_name["find"].trigger()
    assert main_window.current_panel().search.hasFocus() or main_window.focusWidget() is main_window.current_panel().search


def test_window_fits_a_small_laptop_and_remembers_its_geometry(qtbot, example_ctx):
    from kkdesk.ui.shell.mainwindow import MainWindow

    window = MainWindow(example_ctx)
    qtbot.addWidget(window)
    hint = window.minimumSizeHint()
    assert hint.width() <= 1366 and hint.height() <= 728
    window.resize(700, 500)  # the offscreen test screen is 800 x 600
    window.save_state()
    window.close()
    again = MainWindow(example_ctx)
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (700, 500)
    assert isinstance(example_ctx.settings.geometry, QByteArray)


def test_cancelled_import_changes_nothing(qtbot, ctx, tmp_path):
    from kkdesk.ui.shell.mainwindow import MainWindow

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    doc = tmp_path / "big.json"
    doc.write_text(json.dumps(synthetic_threats(2100, start=5000)), encoding="utf-8")
    task = window.import_json_file(doc)
    task.cancel()  # what the dialog's Cancel button does
    qtbot.waitUntil(lambda: task.done, timeout=60000)
    assert "cancelled" in window.status.currentMessage()
    assert _show(qtbot, window, "threat").model.rowCount() == 0


def test_print_opens_the_pdf_dialog_for_printable_kinds(qtbot, main_window):
    import kkdesk.ui.shell.mainwindow as mw

    _show(qtbot, main_window, "threat").select_row(0)
    assert not main_window.actions_by_name["print"].isEnabled()  # no sheet for a threat incident
    _show(qtbot, main_window, "person").select_row(0)
    if not mw.module_available("kkdesk.ui.reports.pdfdialog"):
        assert not main_window.actions_by_name["print"].isEnabled()
        return
    assert main_window.actions_by_name["print"].isEnabled()
    dialog = main_window.print_record()
    assert dialog is not None and dialog.isVisible()
    dialog.close()
    wait_tasks(qtbot, main_window.ctx)
