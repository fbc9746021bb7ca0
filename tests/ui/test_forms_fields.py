"""Field widgets: partial dates, datetimes with their UTC offset, category headers,
multi-selects, yes/no/unset, exact decimals, record pickers; the item models."""

from __future__ import annotations

from PySide6.QtCore import Qt

from kkdesk import schema as S
from kkdesk.ui.editors.forms import FormBody, RecordForm
from kkdesk.ui.fields.datefields import default_utc_offset, parse_partial_date
from kkdesk.ui.fields.factory import make_field_widget
from kkdesk.ui.fields.fieldbase import CODE_ROLE, HEADER_ROLE
from tests.ui.test_forms_support import quiet_editors  # noqa: F401 - autouse fixture
from tests.ui.test_forms_support import choose, person, type_text


def test_partial_date_widget_produces_year_month_or_day(ctx, qtbot):
    form = RecordForm(ctx, "person")
    qtbot.addWidget(form)
    date = form.fields["birth_date"]
    for typed, stored in (("1991", "1991"), ("1991-3", "1991-03"), ("5.3.1991", "1991-03-05"), ("1991-03-05", "1991-03-05")):
        type_text(qtbot, form, "birth_date", typed)
        assert date.value() == stored
        assert date.edit.text() == stored  # the typed form is rewritten when the field is left
    type_text(qtbot, form, "birth_date", "1991-03")
    assert "1991" in date.preview.text() and date.preview.text() != "1991-03"  # "March 1991" written out
    # the precision follows the date unless chosen: it is left to the core
    assert "birth_date_precision" not in form.values()
    choose(form, "birth_date_precision", "estimate")
    assert form.values()["birth_date_precision"] == "estimate"
    type_text(qtbot, form, "birth_date", "1990")
    assert form.values()["birth_date_precision"] == "estimate"  # a chosen "estimate" stays
    assert parse_partial_date("2023-02-29") is None and parse_partial_date("31.12.2023") == "2023-12-31"


def test_invalid_date_is_reported_inline_as_you_type(ctx, qtbot):
    form = RecordForm(ctx, "person")
    qtbot.addWidget(form)
    type_text(qtbot, form, "birth_date", "1991-13")
    assert form.fields["birth_date"].value() == "1991-13"  # passed on so the core names the problem
    form.flush_validation()
    problem = form.fields["birth_date"].problem_label
    assert problem.isVisibleTo(form) and "1991-13" in problem.text()
    assert "Error" in form.fields["birth_date"].edit.accessibleDescription()
    # untouched required fields are not nagged about while typing
    assert not form.fields["primary_target_group"].problem_label.isVisibleTo(form)
    type_text(qtbot, form, "birth_date", "1991-12")
    form.flush_validation()
    assert not problem.isVisibleTo(form)


def test_datetime_offset_follows_the_date_and_region_until_chosen(ctx, qtbot):
    assert default_utc_offset("2024-03-01") == "+05:00"
    assert default_utc_offset("2024-02-29", "almaty_city") == "+06:00"
    assert default_utc_offset("2020-05-01", "aktobe") == "+05:00"
    assert default_utc_offset("2017-05-01", "kyzylorda") == "+06:00"
    form = RecordForm(ctx, "medical")
    qtbot.addWidget(form)
    when = form.fields["exam_datetime"]
    choose(form, "region", "almaty_city")
    type_text(qtbot, form, "exam_datetime", "2023-11-20")
    qtbot.keyClicks(when.time_edit, "9:05")
    when.time_edit.editingFinished.emit()
    assert when.value() == "2023-11-20T09:05+06:00"
    choose(form, "region", "atyrau")  # western region: UTC+5 before 2024 as well
    assert when.value() == "2023-11-20T09:05+05:00"
    type_text(qtbot, form, "exam_datetime", "2024-04-02")
    assert when.value() == "2024-04-02T09:05+05:00"
    when.set_offset("+06:00")  # chosen by hand: kept whatever the date
    type_text(qtbot, form, "exam_datetime", "2024-05-02")
    assert when.value() == "2024-05-02T09:05+06:00"
    when.set_value("2022-01-05T10:00:30Z")
    assert when.value() == "2022-01-05T10:00:30+00:00"


def test_threat_type_category_headers_cannot_be_chosen(ctx, qtbot):
    form = FormBody(ctx, "threat_act")
    qtbot.addWidget(form)
    form.show()
    fw = form.fields["threat_type"]
    combo, model = fw.combo, fw.model
    headers = [r for r in range(model.rowCount()) if model.item(r).data(HEADER_ROLE)]
    assert len(headers) == 10
    for r in headers:
        flags = model.item(r).flags()
        assert not flags & Qt.ItemFlag.ItemIsEnabled and not flags & Qt.ItemFlag.ItemIsSelectable
        assert model.item(r).font().bold()
    # the first term of the first category sits right under its header
    first_leaf = combo.findData("threat", CODE_ROLE)
    assert model.item(first_leaf - 1).data(HEADER_ROLE)
    combo.setCurrentIndex(first_leaf)
    qtbot.keyClick(combo, Qt.Key.Key_Up)  # skips the header
    assert fw.value() is None and combo.currentIndex() == 0
    fw.set_value("cat_violence")  # a category stored by an old version is never returned as a value
    assert fw.value() is None
    # type-to-search offers terms only
    assert combo.isEditable()
    completions = [fw.proxy.index(r, 0).data(CODE_ROLE) for r in range(fw.proxy.rowCount())]
    assert "death_threat" in completions and not any(c.startswith("cat_") for c in completions)
    combo.lineEdit().setText("death thr")
    combo.lineEdit().editingFinished.emit()
    assert fw.value() == "death_threat"
    combo.lineEdit().setText("no such threat")
    combo.lineEdit().editingFinished.emit()
    assert fw.value() == "death_threat" and combo.currentText() == combo.itemText(combo.currentIndex())


def test_multi_select_bool_enum_and_decimal_fields(ctx, qtbot):
    form = FormBody(ctx, "physical_finding")
    qtbot.addWidget(form)
    deceased = make_field_widget(ctx, "person", S.PERSON.field("deceased"))
    assert deceased.value() is None  # unset is not "no"
    deceased.combo.setCurrentIndex(deceased.combo.findData(False, CODE_ROLE))
    assert deceased.value() is False
    type_text(qtbot, form, "length_mm", "12,50")
    assert form.fields["length_mm"].value() == "12.50"  # exact text, decimal comma accepted
    type_text(qtbot, form, "count", "3")
    assert form.fields["count"].value() == 3
    choose(form, "elevation", "raised")
    assert form.values()["elevation"] == "raised"
    threat = RecordForm(ctx, "threat")
    qtbot.addWidget(threat)
    tags = threat.fields["context_tags"]
    tags.set_checked("environmental_protest")
    tags.set_checked("january_2022")
    assert tags.value() == ["january_2022", "environmental_protest"]
    assert "Chosen" in tags.summary.text()
    tags.set_checked("january_2022", False)
    assert threat.values()["context_tags"] == ["environmental_protest"]


def test_record_picker_searches_the_referenced_kind(ctx, qtbot):
    aigerim = person(ctx, "Aigerim Seitkali")
    person(ctx, "Dana Bekova")
    org = RecordForm(ctx, "organisation")
    qtbot.addWidget(org)
    case = RecordForm(ctx, "case")
    qtbot.addWidget(case)
    threat_act = FormBody(ctx, "threat_act")
    qtbot.addWidget(threat_act)
    picker = threat_act.fields["victim_person"].picker
    picker.open_search()
    dialog = picker.dialog
    assert len(dialog.model.choices) == 2  # the newest persons before anything is typed
    qtbot.keyClicks(dialog.search_edit, "aiger")
    dialog.run_search()
    assert [c.id for c in dialog.model.choices] == [aigerim]
    qtbot.keyClick(dialog.search_edit, Qt.Key.Key_Return)
    assert picker.value() == aigerim and "Aigerim Seitkali" in picker.display.text()
    # the victim's record fills in the snapshot fields the core would derive
    values = threat_act.values()
    assert values["victim_type"] == "person" and values["gender_at_time"] == "female"
    assert values["target_group_at_time"] == "journalist" and values["region_at_time"] == "almaty_city"
    picker.clear()
    assert picker.value() is None and picker.display.text() == ""


def test_item_models_pass_the_model_tester(ctx, qtbot, qtmodeltester):
    from kkdesk.ui.editors.attachments import AttachmentRow, AttachmentsModel
    from kkdesk.ui.editors.childtable import ChildRowsModel
    from kkdesk.ui.fields.refpicker import ChoicesModel, search_choices

    rows = ChildRowsModel(S.THREAT_ACT, lambda rid: f"record {rid}")
    rows.set_rows([{"victim_person": "p1", "threat_type": "death_threat", "act_date": "2024-03",
                    "perpetrators": [{"perpetrator_type": "police"}]},
                   {"group_description": "journalists", "threat_type": "surveillance"}])
    rows.set_problems({1: [("Threat type: wrong", "error")]})
    qtmodeltester.check(rows)
    assert rows.data(rows.index(0, 0)) == "record p1" and rows.data(rows.index(0, 3)) == "1"
    assert rows.data(rows.index(1, 0), Qt.ItemDataRole.DecorationRole) is not None
    rows.move(0, 1)
    rows.remove(0)
    rows.append({"threat_type": "threat"})
    qtmodeltester.check(rows)

    person(ctx, "Aigerim Seitkali")
    choices = ChoicesModel()
    choices.set_choices(search_choices(ctx, "person", ""))
    qtmodeltester.check(choices)

    attachments = AttachmentsModel()
    attachments.set_rows([AttachmentRow("a1", "AT-1", {"original_filename": "x.jpg", "sha256": "ab" * 32,
                                                       "size_bytes": 2048, "kind": "photo", "sensitive_intimate": True})])
    qtmodeltester.check(attachments)
    assert attachments.data(attachments.index(0, 2)) == "2 KB"

    form = FormBody(ctx, "threat_act")
    qtbot.addWidget(form)
    qtmodeltester.check(form.fields["threat_type"].proxy)


def test_act_takes_the_victims_details_unless_the_user_set_them(ctx, qtbot):
    aigerim = person(ctx, "Aigerim Seitkali")
    yerlan = person(ctx, "Yerlan Toktarov", gender="male", primary_target_group="civic_activist",
                    residence_region="aktobe")
    act = FormBody(ctx, "threat_act")
    qtbot.addWidget(act)
    act.set_values({"victim_person": aigerim, "victim_type": "person", "gender_at_time": "female",
                    "target_group_at_time": "hrd", "region_at_time": "almaty_city", "threat_type": "threat"})
    assert act.fields["target_group_at_time"].hint_label.isVisibleTo(act)
    act.fields["victim_person"].picker.choose(yerlan)
    values = act.values()
    # gender and region came from Aigerim's record and follow the new victim; "hrd" was set by hand
    assert values["gender_at_time"] == "male" and values["region_at_time"] == "aktobe"
    assert values["target_group_at_time"] == "hrd"
