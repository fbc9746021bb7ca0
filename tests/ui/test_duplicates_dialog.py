"""Tools › Find duplicates: the pairs, the two records side by side, merging two persons
with a choice per conflicting field; and the editor's word on a possible duplicate."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox

from kkdesk.interchange import author_of, save
from kkdesk.records import content_of, find
from tests.ui.conftest import assert_accessible, wait_tasks

PERSON = {"gender": "male", "primary_target_group": "civic_activist", "entry_language": "ru",
          "confidentiality": "internal"}


def _yerlan(store) -> str:
    from kkdesk.normalize import map_id

    return map_id("kkdesk-example", "persons", "ex-person-yerlan")


def test_find_duplicates_side_by_side_and_merge(qtbot, main_window):
    ctx = main_window.ctx
    store = ctx.store
    yerlan = _yerlan(store)
    with store.session() as s:
        twin = save(s, author_of(store), "person", {**PERSON, "name_kk": "Тоқтаров Ерлан", "occupation": "эколог",
                                                    "email": "twin@example.org"}).id
        save(s, author_of(store), "person", {**PERSON, "name_ru": "Айгерим Сейткалиева"})
        edit = content_of(s, find(s, yerlan).head)
        edit["occupation"] = "активист"
        save(s, author_of(store), "person", {k: v for k, v in edit.items() if k != "record_no"}, record_id=yerlan)
        threat = save(s, author_of(store), "threat", {
            "title": "Вызов на допрос", "description": "d", "start_date": "2024-04-15", "region": "aktobe",
            "entry_language": "ru", "confidentiality": "internal",
            "acts": [{"victim_person": twin, "threat_type": "summons", "act_date": "2024-04-15",
                      "target_group_at_time": "civic_activist", "gender_at_time": "male", "region_at_time": "aktobe"}]}).id
    main_window.actions_by_name["duplicates"].trigger()
    dlg = main_window.dialogs[-1]
    wait_tasks(qtbot, ctx)
    qtbot.waitUntil(lambda: dlg.pairs_table.rowCount() > 0)
    pairs = [(p.a, p.b) for p, _a, _b in dlg.pairs]
    assert (yerlan, twin) in pairs
    row = pairs.index((yerlan, twin))
    dlg.pairs_table.selectRow(row)
    texts = {dlg.compare.item(r, 0).text(): (dlg.compare.item(r, 1).text(), dlg.compare.item(r, 2).text())
             for r in range(dlg.compare.rowCount())}
    assert texts["Occupation"] == ("активист", "эколог")
    assert texts["Name in Kazakh"] == ("", "Тоқтаров Ерлан")
    assert "surname and first name in another order" in dlg.pairs_table.item(row, 2).text()
    assert dlg.merge_button.isEnabled()
    assert_accessible(dlg)
    merge = dlg.merge_selected()
    assert merge.fields == ["occupation"]
    merge.groups["occupation"].button(1).setChecked(True)  # the twin's occupation
    merge.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert merge.result_info is not None
    with store.session() as s:
        kept = content_of(s, find(s, yerlan).head)
        assert kept["occupation"] == "эколог" and kept["email"] == "twin@example.org"
        assert kept["name_kk"] == "Тоқтаров Ерлан" and kept["name_ru"] == "Ерлан Токтаров"
        assert find(s, twin).deleted
        assert content_of(s, find(s, threat).head)["acts"][0]["victim_person"] == yerlan
    wait_tasks(qtbot, ctx)
    qtbot.waitUntil(lambda: all(twin not in (p.a, p.b) for p, _a, _b in dlg.pairs))


def test_merge_dialog_swaps_which_person_is_kept(qtbot, ctx):
    from kkdesk.ui.duplicates.mergedialog import MergePersonsDialog

    store = ctx.store
    with store.session() as s:
        a = save(s, author_of(store), "person", {**PERSON, "name_ru": "Ерлан Токтаров"}).id
        b = save(s, author_of(store), "person", {**PERSON, "name_ru": "Ерлан Токтаров", "occupation": "юрист"}).id
    dlg = MergePersonsDialog(ctx, a, b)
    qtbot.addWidget(dlg)
    assert dlg.fields == []  # nothing contradicts: nothing to choose
    dlg.swap()
    assert (dlg.keep_id, dlg.other_id) == (b, a)
    dlg.do_merge()
    with store.session() as s:
        assert find(s, a).deleted and not find(s, b).deleted


def test_saving_a_possible_duplicate_says_so(qtbot, ctx):
    from kkdesk.ui.editors.recordeditor import RecordEditor

    store = ctx.store
    with store.session() as s:
        first = save(s, author_of(store), "person", {**PERSON, "name_ru": "Нурлан Жумабаев"})
    editor = RecordEditor(ctx, "person")
    qtbot.addWidget(editor)
    editor.form.set_values({**PERSON, "name_kk": "Жұмабаев Нұрлан"})
    assert editor.save()
    assert first.record_no in editor.status_label.text() and "Possible duplicate" in editor.status_label.text()


def test_import_report_counts_possible_duplicates_apart(qtbot, main_window, tmp_path):
    import json

    doc = {"format": "kkdesk-interchange", "version": 1, "persons": [
        {"id": "twin", "name_kk": "Тоқтаров Ерлан", "gender": "male", "primary_target_group": "civic_activist",
         "entry_language": "kk", "confidentiality": "internal"}]}
    path = tmp_path / "twin.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    task = main_window.import_json_file(path)
    qtbot.waitUntil(lambda: task.done, timeout=20000)
    qtbot.waitUntil(lambda: getattr(main_window, "report_box", None) is not None, timeout=5000)
    text = main_window.report_box.text()
    assert "1 possible duplicates" in text and "incomplete" not in text
    assert "possible duplicate of PE-" in main_window.report_box.detailedText()
    main_window.report_box.close()


def test_merge_button_says_its_whole_words_in_kazakh_and_russian(qtbot, ctx):
    """'Merge persons…' at 1366 x 768: the button is as wide as its text, and the Russian
    text is a whole phrase ('лица', not 'лиц', which reads as a word cut off)."""
    from PySide6.QtWidgets import QStyle

    from kkdesk.ui.common.screenfit import SMALLEST
    from kkdesk.ui.duplicates.finder import DuplicatesDialog

    expected = {"kk": "Адамдарды біріктіру…", "ru": "Объединить лица…"}
    for lang, text in expected.items():
        ctx.set_language(lang)
        dlg = DuplicatesDialog(ctx)
        qtbot.addWidget(dlg)
        dlg.show()
        wait_tasks(qtbot, ctx)
        qtbot.wait(20)
        assert dlg.width() <= SMALLEST.width()
        button = dlg.merge_button
        shown = button.text().replace("&", "")
        assert shown == text, lang
        margin = button.style().pixelMetric(QStyle.PixelMetric.PM_ButtonMargin, None, button)
        assert button.fontMetrics().horizontalAdvance(shown) + margin <= button.contentsRect().width(), lang
        assert button.sizeHint().width() <= button.width(), lang
        dlg.hide()
    ctx.set_language("en")
