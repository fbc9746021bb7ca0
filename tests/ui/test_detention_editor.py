"""The detention editor (safeguards shown like the hearing checklist), the intervention
editor, the Due follow-ups screen and the rule §7.5 offer (pytest-qt, offscreen)."""

from __future__ import annotations

import datetime as dt

import pytest

from kkdesk.ui.editors.recordeditor import RecordEditor
from tests.ui.conftest import wait_tasks
from tests.ui.test_forms_support import make, person, quiet_editors, record  # noqa: F401 - autouse fixture

SCREEN = (1366, 768)


def new_editor(qtbot, ctx, kind, record_id=None) -> RecordEditor:
    editor = RecordEditor(ctx, kind, record_id)
    qtbot.addWidget(editor)
    editor.show()
    return editor


def count(ctx, kind: str) -> int:
    from kkdesk import listing

    with ctx.store.session() as s:
        return listing.count(s, kind)


def fill_detention(form, who: str, released: str | None = None) -> None:
    form.fields["person"].set_value(who)
    form.fields["legal_basis"].set_value("criminal_detention")
    form.fields["actual_detention_at"].set_value("2022-01-06T14:00+06:00")
    form.fields["protocol_detention_time"].set_value("2022-01-06T20:30+06:00")
    form.fields["place_type"].set_value("police_station")
    form.fields["place_name"].set_value("ОП Алмалинского района")
    if released:
        form.fields["released_at"].set_value(released)


def test_safeguards_are_answered_like_the_hearing_checklist(ctx, qtbot):
    who = person(ctx, "Yerlan Toktarov")
    editor = new_editor(qtbot, ctx, "detention")
    form = editor.form
    fill_detention(form, who)
    safeguards = form.fields["safeguards"]
    assert len(safeguards.rows) == 20
    force = safeguards.rows["DS04_force_used"]
    badge = safeguards.rows["DS01_badge_shown"]
    assert form.focus_path("safeguards.DS04_force_used")  # its page of the section list
    assert form.navigator.currentItem().text() == "Detention safeguards"
    force.radios["yes"].click()   # concern: yes
    badge.radios["yes"].click()   # no concern
    assert force.is_concern() and force.warning_shown() and not badge.is_concern() and not badge.warning_shown()
    assert safeguards.missing_notes() == ["DS04_force_used"]
    assert "concerns: 1" in safeguards.summary.text()
    qtbot.keyClicks(force.note, "Beaten with batons")
    assert not force.warning_shown()
    relatives = safeguards.rows["DS11_relatives_informed"]
    relatives.radios["unknown"].click()  # unknown asks for a note too
    assert relatives.warning_shown() and not relatives.is_concern()
    assert editor.save(), editor.status_label.text()
    content = record(ctx, editor.record_id).content
    assert content["safeguards"] == {"DS01_badge_shown": {"answer": "yes"},
                                     "DS04_force_used": {"answer": "yes", "note": "Beaten with batons"},
                                     "DS11_relatives_informed": {"answer": "unknown"}}
    view = record(ctx, editor.record_id)
    paths = {w["path"] for w in view.warnings}
    assert {"protocol_detention_time", "safeguards.DS11_relatives_informed.note"} <= paths  # 6.5 h; note missing
    # the editor shows them in words, by the safeguard's question
    texts = [editor.warnings_list.item(i).text() for i in range(editor.warnings_list.count())]
    assert any("Were relatives informed" in t for t in texts), texts
    # reopened, the answers come back
    again = new_editor(qtbot, ctx, "detention", editor.record_id)
    assert again.form.fields["safeguards"].rows["DS04_force_used"].note.text() == "Beaten with batons"
    assert again.form.fields["safeguards"].rows["DS04_force_used"].is_concern()


def test_a_release_before_the_detention_is_refused_in_the_form(ctx, qtbot):
    who = person(ctx, "Yerlan Toktarov")
    editor = new_editor(qtbot, ctx, "detention")
    fill_detention(editor.form, who, released="2022-01-05T10:00+06:00")
    assert not editor.save()
    assert count(ctx, "detention") == 0
    problem = editor.form.fields["released_at"].problem()
    assert problem is not None and problem[1] == "error" and "before the detention" in problem[0]
    editor.form.fields["released_at"].set_value("2022-01-07T10:00+06:00")
    assert editor.save()
    assert count(ctx, "detention") == 1


def test_an_intervention_needs_a_linked_record(ctx, qtbot):
    who = person(ctx, "Yerlan Toktarov")
    editor = new_editor(qtbot, ctx, "intervention")
    form = editor.form
    form.fields["intervention_type"].set_value("complaint_authorities")
    form.fields["date"].set_value("2024-05-02")
    form.fields["addressee"].set_value("Прокуратура г. Алматы")
    form.fields["status"].set_value("submitted")
    assert not editor.save()
    assert count(ctx, "intervention") == 0
    assert form.fields["links"].problem() is not None
    form.fields["links"].set_value([{"target": who}])
    assert editor.save(), editor.status_label.text()
    content = record(ctx, editor.record_id).content
    assert [link["target"] for link in content["links"]] == [who]
    assert content["links"][0]["target_entity"] == "person"


@pytest.mark.parametrize("kind", ["detention", "intervention"])
def test_editors_fit_a_1366_by_768_screen(ctx, qtbot, kind):
    editor = new_editor(qtbot, ctx, kind)
    editor.resize(*SCREEN)
    assert editor.width() <= SCREEN[0] and editor.height() <= SCREEN[1]
    for button in (editor.save_button, editor.close_button):
        corner = button.mapTo(editor, button.rect().bottomRight())
        assert corner.x() <= SCREEN[0] and corner.y() <= SCREEN[1]


def test_due_follow_ups_screen_lists_overdue_first(main_window, qtbot):
    from kkdesk.interventions import local_today

    ctx = main_window.ctx
    who = person(ctx, "Yerlan Toktarov")
    today = local_today()
    base = {"intervention_type": "complaint_authorities", "date": "2024-01-01", "links": [{"target": who}]}
    later = make(ctx, "intervention", {**base, "addressee": "UN HRC", "status": "submitted",
                                       "follow_up_date": (today + dt.timedelta(days=20)).isoformat()})
    late = make(ctx, "intervention", {**base, "addressee": "Прокуратура", "status": "planned",
                                      "follow_up_date": (today - dt.timedelta(days=3)).isoformat()})
    make(ctx, "intervention", {**base, "addressee": "Closed", "status": "closed",
                               "follow_up_date": (today - dt.timedelta(days=9)).isoformat()})
    main_window.show_screen("due")
    panel = main_window.panels["due"]
    wait_tasks(qtbot, ctx)
    qtbot.waitUntil(lambda: len(panel.model.rows) == 2)
    assert [d.id for d in panel.model.rows] == [late, later]
    assert panel.model.index(0, 1).data() == "Overdue" and panel.model.index(1, 1).data() == ""
    assert "Yerlan Toktarov" in panel.model.index(0, 6).data()
    assert "2 open follow-ups, 1 overdue" in panel.summary.text()
    panel.table.setCurrentIndex(panel.model.index(0, 0))
    panel.open_current()
    from kkdesk.ui.editors import recordeditor

    assert any(getattr(w, "record_id", None) == late for w in recordeditor._open_editors if recordeditor._alive(w))
    # the lists of detentions and interventions are in the navigation
    assert {"detention", "intervention", "due"} <= set(main_window.screens)


def test_torture_alleged_in_a_hearing_offers_a_threat_and_an_intervention(example_ctx, qtbot):
    from sqlalchemy import select

    from kkdesk.db.models import Record
    from kkdesk.interventions import interventions_for
    from kkdesk.ui.editors.hearing import HearingEditor
    from tests.ui.conftest import track_editor

    ctx = example_ctx
    with ctx.store.session() as s:
        hid = s.execute(select(Record.id).where(Record.kind == "hearing")).scalar()
    editor = HearingEditor(ctx, record_id=hid)
    track_editor(editor)
    editor.autosave_timer.stop()
    editor.show()
    row = editor.checklist.rows["E01_torture_alleged"]
    row.radios["yes"].click()
    qtbot.keyClicks(row.note, "The defendant said he was beaten in the IVS")
    threats_before = count(ctx, "threat")
    assert editor.save()
    box = editor.followup_box
    assert box.isVisible() and "Torture" in box.text()
    box.button(box.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: getattr(editor, "followup_created", None) is not None)
    threat_id, iv_id = editor.followup_created
    assert count(ctx, "threat") == threats_before + 1
    threat = record(ctx, threat_id).content
    assert threat["acts"][0]["threat_type"] == "torture_ill_treatment"
    assert threat["description"] == "The defendant said he was beaten in the IVS"
    with ctx.store.session() as s:
        assert interventions_for(s, {hid}) == [iv_id]
    # a second save does not ask again
    editor.followup_box = None
    assert editor.save()
    assert editor.followup_box is None
    editor._closing_ok = True


def test_acts_and_examinations_name_their_detention(ctx, qtbot):
    from kkdesk.ui.editors.medical import MedicalEditor
    from tests.ui.conftest import track_editor
    from tests.ui.test_forms_support import add_row

    who = person(ctx, "Yerlan Toktarov")
    det = make(ctx, "detention", {"person": who, "legal_basis": "administrative_detention",
                                  "actual_detention_at": "2022-01-06T14:00+06:00", "place_type": "ivs"})
    exam = MedicalEditor(ctx)
    track_editor(exam)
    exam.autosave_timer.stop()
    exam.show()
    fields = {name: fw for form in exam.forms for name, fw in form.fields.items()}
    assert fields["detention_episode"].picker.kind == "detention"
    fields["detention_episode"].set_value(det)
    assert exam.content()["detention_episode"] == det
    exam._closing_ok = True
    threat = new_editor(qtbot, ctx, "threat")
    dialog = add_row(threat.form, "acts")
    assert dialog.form.fields["detention_episode"].picker.kind == "detention"
    dialog.reject()


def test_an_examination_with_alleged_methods_offers_the_follow_up_once(example_ctx, qtbot):
    from kkdesk.listing import page
    from kkdesk.ui.editors.medical import MedicalEditor
    from tests.ui.conftest import track_editor

    ctx = example_ctx
    with ctx.store.session() as s:
        mid = page(s, "medical", limit=1)[0].id
    editor = MedicalEditor(ctx, record_id=mid)
    track_editor(editor)
    editor.autosave_timer.stop()
    editor.show()
    threats, interventions = count(ctx, "threat"), count(ctx, "intervention")
    assert editor.save()
    box = editor.followup_box
    assert box.isVisible()
    box.button(box.StandardButton.No).click()  # not now
    assert (count(ctx, "threat"), count(ctx, "intervention")) == (threats, interventions)
    editor.followup_box = None
    assert editor.save()
    assert editor.followup_box is None  # once per window
    editor._closing_ok = True


def assert_items_shown_whole(view) -> None:
    """Every item of a word-wrapped list lies inside its viewport, and its rectangle is
    as tall as its text wrapped to the rectangle's width (less the delegate's margins)."""
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtWidgets import QStyle

    margin = view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
    fm = view.fontMetrics()
    inside = view.viewport().rect()
    for i in range(view.count()):
        item = view.item(i)
        rect = view.visualItemRect(item)
        needed = fm.boundingRect(QRect(0, 0, rect.width() - 2 * margin, 100000),
                                 int(Qt.TextFlag.TextWordWrap), item.text())
        assert inside.contains(rect), (item.text(), rect, inside)
        assert needed.height() <= rect.height() and needed.width() <= rect.width() - 2 * margin, \
            (item.text(), needed, rect)


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_warnings_box_shows_every_warning_whole_on_a_small_screen(ctx, qtbot, lang):
    """The box under the form (the 48-hour rule, the protocol's 3 hours, notes asked
    for) grows to its wrapped lines: nothing is cut off at 1366 x 768, even with the
    attachments beside the form."""
    from kkdesk.ui.common.screenfit import SMALLEST

    who = person(ctx, "Yerlan Toktarov")
    ctx.set_language(lang)
    try:
        editor = new_editor(qtbot, ctx, "detention")
        fill_detention(editor.form, who, released="2022-01-12T18:00+06:00")  # 148 h, never before a judge
        editor.form.fields["protocol_detention_time"].set_value("2022-01-07T10:30+06:00")  # 20.5 h
        rows = editor.form.fields["safeguards"].rows
        rows["DS01_badge_shown"].radios["no"].click()
        rows["DS02_reasons_given"].radios["no"].click()
        rows["DS04_force_used"].radios["yes"].click()
        rows["DS11_relatives_informed"].radios["unknown"].click()
        assert editor.save(), editor.status_label.text()
        editor.resize(SMALLEST)
        box = editor.warnings_list
        assert box.count() >= 6
        for with_attachments in (False, True):
            editor.show_attachments(with_attachments)
            qtbot.waitUntil(lambda: box.isVisible() and box.viewport().width() < SMALLEST.width())
            qtbot.wait(20)
            assert editor.width() <= SMALLEST.width()
            assert_items_shown_whole(box)
            label = editor.warnings_label
            assert label.wordWrap() or label.fontMetrics().horizontalAdvance(label.text()) <= label.contentsRect().width()
            assert label.heightForWidth(label.width()) <= label.height()
    finally:
        ctx.set_language("en")
