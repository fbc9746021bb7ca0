"""Entry as fast as a monitor types (issue 15): lists find records by the names they
link to and print partial dates as recorded, the detail pane speaks the editor's
labels, combo boxes keep "—" out of the text, the window title names kkdesk once."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kkdesk.interchange import author_of, save
from tests.ui.conftest import wait_loaded, wait_tasks


def _show(qtbot, window, screen: str):
    window.show_screen(screen)
    panel = window.current_panel()
    wait_loaded(qtbot, panel)
    return panel


def test_threats_list_finds_the_victim_by_name(qtbot, main_window):
    panel = _show(qtbot, main_window, "threat")
    panel.search.setText("Seitkali")  # the victim's name: in no field of the incident itself
    panel._search_now()
    wait_tasks(qtbot, main_window.ctx)
    qtbot.waitUntil(lambda: panel.searching and panel.search_model.rowCount() > 0, timeout=5000)
    titles = [h.title for h in panel.search_model.hits]
    assert any("камераны" in t for t in titles)
    assert all(h.kind == "threat" for h in panel.search_model.hits)


def test_lists_print_partial_dates_as_recorded(qtbot, main_window):
    panel = _show(qtbot, main_window, "case")
    model = panel.table.model()
    date_col = next(c for c in range(model.columnCount())
                    if model.headerData(c, Qt.Orientation.Horizontal) == "Date")
    cells = {model.index(r, date_col).data() for r in range(model.rowCount())}
    assert "March 2024" in cells  # the case opened in "2024-03"
    assert "2024-03-01" not in cells


def test_detail_pane_names_problems_with_editor_labels(qtbot, main_window):
    ctx = main_window.ctx
    with ctx.store.session() as s:
        result = save(s, author_of(ctx.store), "threat", {
            "title": "Угрозы по телефону", "description": "d", "start_date": "2024-05", "region": "aktobe",
            "entry_language": "ru", "confidentiality": "internal",
            "acts": [{"victim_type": "group", "group_description": "журналисты", "threat_type": "death_threat",
                      "act_date": "2024-05", "target_group_at_time": "journalist", "gender_at_time": "unknown",
                      "region_at_time": "aktobe"}]})
    assert result.warnings
    ctx.notify_changed({"threat"})
    panel = _show(qtbot, main_window, "threat")
    qtbot.waitUntil(lambda: panel.select_id(result.id), timeout=5000)
    text = panel.detail.fields.toPlainText()
    assert "Acts 1 › " in text
    assert "acts[0]" not in text
    model = panel.table.model()
    row = next(r for r in range(model.rowCount()) if "Угрозы" in (model.index(r, 1).data() or ""))
    assert "May 2024" in [model.index(row, c).data() for c in range(model.columnCount())]


def test_editable_combo_keeps_the_dash_out_of_the_text(qtbot, ctx):
    from kkdesk.ui.editors.recordeditor import RecordEditor

    editor = RecordEditor(ctx, "threat")
    qtbot.addWidget(editor)
    editor.show()
    field = editor.form.fields["region"]
    assert field.combo.isEditable()
    assert field.combo.currentText() == "" and field.combo.lineEdit().placeholderText() == "—"
    field.combo.lineEdit().setFocus()
    qtbot.keyClicks(field.combo.lineEdit(), "Akt")
    assert field.combo.currentText() == "Akt"


def test_window_title_names_kkdesk_once(main_window):
    title = main_window.windowTitle()
    assert "kkdesk" not in title.lower()  # Qt adds the application's display name
    QApplication.instance().setApplicationDisplayName("kkdesk")
    shown = f"{title} — {QApplication.applicationDisplayName()}"
    assert shown.lower().count("kkdesk") == 1


def test_first_run_error_follows_a_language_switch(qtbot, tmp_path):
    from kkdesk.ui.shell.welcome import WelcomeDialog

    dlg = WelcomeDialog(tmp_path / "new")
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.language.setCurrentIndex(dlg.language.findData("en"))
    dlg.passphrase.setText("short")
    dlg.try_create()
    assert "at least" in dlg.error.text()
    dlg.language.setCurrentIndex(dlg.language.findData("ru"))
    assert "at least" not in dlg.error.text() and "символ" in dlg.error.text()
    dlg.language.setCurrentIndex(dlg.language.findData("kk"))
    assert "таңба" in dlg.error.text()
    assert dlg.error.text() and dlg.error.accessibleName() == dlg.error.text()


def test_navigation_and_columns_fit_in_kazakh_and_russian(qtbot, main_window):
    ctx = main_window.ctx
    main_window.resize(1366, 768)
    for lang in ("kk", "ru"):
        ctx.set_language(lang)
        qtbot.wait(10)
        nav = main_window.nav
        fm = nav.fontMetrics()
        widest = max(fm.horizontalAdvance(nav.item(i).text()) for i in range(nav.count()))
        assert nav.horizontalScrollBar().maximum() == 0 or not nav.horizontalScrollBar().isVisible()
        assert nav.viewport().width() >= widest + 8, lang
        panel = _show(qtbot, main_window, "case")
        model = panel.table.model()
        region_col = next(i for i, c in enumerate(panel.model.columns) if c.key == "region")
        tfm = panel.table.fontMetrics()
        for r in range(model.rowCount()):
            text = model.index(r, region_col).data() or ""
            assert panel.table.columnWidth(region_col) >= tfm.horizontalAdvance(text) + 8, (lang, text)
    ctx.set_language("en")


def test_drafts_dialog_shows_the_whole_last_change(qtbot, ctx):
    from kkdesk.drafts import save_draft
    from kkdesk.ui.shell.locking import DraftsDialog

    with ctx.store.session() as s:
        save_draft(s, "threat:new-1", "threat", {"title": "Черновик"})
    for lang in ("kk", "ru"):
        ctx.set_language(lang)
        dlg = DraftsDialog(ctx, None, lambda *a: None)
        qtbot.addWidget(dlg)
        dlg.show()
        qtbot.wait(10)
        text = dlg.table.item(0, 2).text()
        assert dlg.table.columnWidth(2) >= dlg.table.fontMetrics().horizontalAdvance(text) + 4, lang
        header = dlg.table.horizontalHeader()
        assert header.sectionPosition(2) + header.sectionSize(2) <= dlg.table.viewport().width() + 1
    ctx.set_language("en")


def test_an_unfinished_finding_does_not_block_saving_the_examination(example_ctx, qtbot):
    from kkdesk import bodymap
    from kkdesk.records import get
    from tests.ui.test_medical_editor import example_ids, open_medical

    with example_ctx.store.session() as s:
        mid = example_ids(s)["medical"]
    editor = open_medical(example_ctx, qtbot, mid)
    editor.show_section("Physical examination")
    key = editor.findings.add_finding("front", *bodymap.region_centre("front", "knee", "left"))
    assert editor.save()  # lesion type, stage and consistency not given yet
    with example_ctx.store.session() as s:
        view = get(s, mid)
    finding = next(f for f in view.content["findings"] if f["id"] == key)
    assert finding["body_region"] == "knee" and "lesion_type" not in finding
    assert view.incomplete
    index = next(i for i, f in enumerate(view.content["findings"]) if f["id"] == key)
    assert f"findings[{index}].lesion_type" in {w["path"] for w in view.warnings}
    assert "lesion_type" in editor.findings.model.problems(key)
    assert editor.findings.model.problems(key)["lesion_type"][1] == "warning"


def test_an_unfinished_finding_round_trips_through_interchange(example_store):
    from kkdesk.interchange import author_of, export_json, import_document, parse_document
    from kkdesk.records import content_of, find
    from tests.ui.test_medical_editor import example_ids

    with example_store.session() as s:
        mid = example_ids(s)["medical"]
        content = content_of(s, find(s, mid).head)
        content["findings"].append({"id": "f-new", "finding_no": 9, "count": 1, "body_region": "knee"})
        save(s, author_of(example_store), "medical", {k: v for k, v in content.items() if k != "record_no"},
             record_id=mid)
        doc = parse_document(export_json(s))
        report = import_document(s, author_of(example_store), doc, "en")
    assert report.unchanged >= 1 and any("findings[" in w.path and "lesion_type" in w.path for w in report.warnings)


def _focused():
    return QApplication.focusWidget()


def _tab_to(qtbot, widget, limit: int = 80) -> int:
    """Press Tab until `widget` (or a part of it) has the focus; the number of presses."""
    for n in range(limit):
        now = _focused()
        if now is widget or (now is not None and widget.isAncestorOf(now)):
            return n
        qtbot.keyClick(now, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {widget.objectName()}")


def test_a_threat_with_an_act_and_a_perpetrator_by_keyboard_alone(qtbot, ctx):
    """No dialog opens: Enter adds the act and the perpetrator in the window; Tab moves
    forward through the fields in the order they are shown."""
    from kkdesk.records import get
    from kkdesk.ui.editors.recordeditor import RecordEditor
    from kkdesk.vocab import vocabularies

    editor = RecordEditor(ctx, "threat")
    qtbot.addWidget(editor)
    editor.resize(1366, 720)
    editor.show()
    qtbot.waitExposed(editor)
    with qtbot.waitActive(editor):
        editor.activateWindow()
    form = editor.form
    label = lambda vocab, code: vocabularies().label(vocab, code, "en")  # noqa: E731

    def first_input(fw):
        return fw.inputs[0][0]

    def fill(fields, name, text):
        target = first_input(fields[name])
        _tab_to(qtbot, target)
        qtbot.keyClicks(_focused(), text)

    first_input(form.fields["title"]).setFocus()
    assert _focused() is first_input(form.fields["title"])
    qtbot.keyClicks(_focused(), "Threats against a journalist")
    fill(form.fields, "description", "Phone calls at night.")
    fill(form.fields, "start_date", "2024-04-15")
    fill(form.fields, "region", label("region", "aktobe"))
    acts = form.fields["acts"]
    _tab_to(qtbot, acts.view)
    qtbot.keyClick(acts.view, Qt.Key.Key_Return)  # Enter adds an act, the cursor goes into it
    assert acts.model.rowCount() == 1 and QApplication.activeModalWidget() is None
    act_form = acts.row_form
    assert act_form.isAncestorOf(_focused())
    qtbot.keyClicks(_focused(), "Group")  # victim type: a keyboard search of the list
    fill(act_form.fields, "group_description", "Editorial staff")
    fill(act_form.fields, "threat_type", label("threat_type", "death_threat"))
    fill(act_form.fields, "target_group_at_time", "Journ")
    perps = act_form.fields["perpetrators"]
    _tab_to(qtbot, perps.view)
    qtbot.keyClick(perps.view, Qt.Key.Key_Return)
    assert perps.model.rowCount() == 1 and perps.row_form.isAncestorOf(_focused())
    qtbot.keyClicks(_focused(), label("perpetrator_type", "police"))
    _tab_to(qtbot, first_input(perps.row_form.fields["involvement_degree"]))  # the next field
    qtbot.keyClick(_focused(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert editor.record_id is not None, [(p.path, p.message) for p, s in form.problems() if s == "error"]
    with ctx.store.session() as s:
        content = get(s, editor.record_id).content
    (act,) = content["acts"]
    assert act["victim_type"] == "group" and act["threat_type"] == "death_threat"
    assert act["target_group_at_time"] == "journalist" and act["region_at_time"] == "aktobe"
    assert [p["perpetrator_type"] for p in act["perpetrators"]] == ["police"]


def test_inline_acts_headers_are_whole_in_kazakh_and_russian(qtbot, ctx):
    """The inline acts table (and an act's perpetrators) at 1366 x 768: every column is
    at least as wide as its translated title ("Бұзушылық жасаушылар"), with the
    attachments beside the form too; a table too narrow for its titles scrolls."""
    from PySide6.QtGui import QFontMetrics
    from PySide6.QtWidgets import QStyle

    from kkdesk.ui.common.screenfit import SMALLEST
    from kkdesk.ui.editors.recordeditor import RecordEditor
    from tests.ui.conftest import track_editor

    with ctx.store.session() as s:
        threat = save(s, author_of(ctx.store), "threat", {
            "title": "Қорқыту", "description": "d", "start_date": "2024-05", "region": "aktobe",
            "entry_language": "kk",
            "acts": [{"victim_type": "group", "group_description": "журналистер", "threat_type": "death_threat",
                      "act_date": "2024-05", "target_group_at_time": "journalist", "gender_at_time": "unknown",
                      "region_at_time": "aktobe", "perpetrators": [{"perpetrator_type": "police"}]}]}).id

    def assert_titles_whole(view, where) -> None:
        header = view.horizontalHeader()
        font = header.font()
        font.setBold(True)  # the titles of a selected row's columns are bold
        fm = QFontMetrics(font)
        margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
        for i in range(header.count()):
            lines = view.model().headerData(i, Qt.Orientation.Horizontal).split("\n")  # a narrow table: two
            widest = max(fm.horizontalAdvance(line) for line in lines)
            assert header.sectionSize(i) >= widest + 2 * margin, (where, lines, header.sectionSize(i))
            assert header.height() >= len(lines) * fm.lineSpacing(), (where, lines, header.height())

    for lang in ("kk", "ru"):
        ctx.set_language(lang)
        editor = track_editor(RecordEditor(ctx, "threat", threat))
        qtbot.addWidget(editor)
        editor.resize(SMALLEST)
        editor.show()
        acts = editor.form.fields["acts"]
        acts.select_row(0)
        perps = acts.row_form.fields["perpetrators"]
        perps.select_row(0)
        if lang == "kk":  # the title the review found cut off
            assert acts.model.headerData(3, Qt.Orientation.Horizontal) == "Бұзушылық жасаушылар"
        for with_attachments in (False, True):
            editor.show_attachments(with_attachments)
            qtbot.wait(20)
            assert editor.width() <= SMALLEST.width()
            assert_titles_whole(acts.view, f"acts ({lang}, attachments {with_attachments})")
            assert_titles_whole(perps.view, f"perpetrators ({lang}, attachments {with_attachments})")
        editor._closing_ok = True
        editor.hide()
    ctx.set_language("en")
