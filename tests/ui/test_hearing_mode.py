"""Hearing mode: stamped notes committed at once, the checklist's pre-sets and notes,
revisions only on save, resuming drafts (pytest-qt, offscreen, real stores)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from tests.conftest import PASSPHRASE
from tests.ui.conftest import accessible_name
from tests.ui.conftest import track_editor

UTC = dt.UTC


@pytest.fixture
def fixed_clock():
    from kkdesk import clock

    clock.set_clock(lambda: dt.datetime(2024, 6, 10, 5, 42, 17, tzinfo=UTC))
    yield
    clock.set_clock(None)


def open_editor(ctx, qtbot, record_id=None, draft_key=None):
    from kkdesk.ui.editors.hearing import HearingEditor

    editor = HearingEditor(ctx, record_id=record_id, draft_key=draft_key)
    track_editor(editor)
    editor.autosave_timer.stop()  # tests trigger autosaves themselves
    with qtbot.waitExposed(editor):
        editor.show()
    return editor


def finish(editor) -> None:
    """Close without the save question (what the lock does)."""
    editor._closing_ok = True
    editor.close()


def choose(fw, code) -> None:
    """Pick a dropdown value as the user does (emits `changed`)."""
    row = fw._find(code)
    assert row >= 0, code
    fw.combo.setCurrentIndex(row)


def unnamed(root) -> tuple[int, list[str]]:
    """(inputs checked, inputs without an accessible name or buddy label) under `root`,
    including those inside scroll areas (the shared helper skips the scroll viewport)."""
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QAbstractSpinBox,
        QComboBox,
        QHeaderView,
        QLabel,
        QLineEdit,
        QPlainTextEdit,
        QScrollBar,
        QTabBar,
        QTextEdit,
        QWidget,
    )

    types = (QLineEdit, QTextEdit, QPlainTextEdit, QComboBox, QAbstractSpinBox, QAbstractButton, QAbstractItemView)
    buddies = {id(label.buddy()) for label in root.findChildren(QLabel) if label.buddy() is not None}

    def internal(w) -> bool:
        if isinstance(w, (QHeaderView, QScrollBar, QTabBar)) or w.objectName().startswith("qt_"):
            return True
        p = w.parentWidget()
        while p is not None:
            if isinstance(p, (QComboBox, QAbstractSpinBox, QAbstractItemView)):
                return True
            p = p.parentWidget()
        return False

    checked, bad = 0, []
    for w in root.findChildren(QWidget):
        if not isinstance(w, types) or internal(w):
            continue
        checked += 1
        if not accessible_name(w):
            bad.append(f"no name: {type(w).__name__} {w.objectName()}")
        elif isinstance(w, (QLineEdit, QPlainTextEdit, QComboBox)) and not getattr(w, "isReadOnly", lambda: False)() \
                and id(w) not in buddies:
            bad.append(f"no buddy: {type(w).__name__} {w.objectName()} {accessible_name(w)}")
    return checked, bad


def plain(notes) -> list[dict]:
    return [{"time": n["time"], "text": n["text"]} for n in notes]


def type_note(qtbot, editor, text: str) -> None:
    qtbot.keyClicks(editor.notes.entry, text)
    qtbot.keyClick(editor.notes.entry, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def example_hearing_id(session) -> str:
    from kkdesk.listing import page

    return page(session, "hearing", limit=1)[0].id


def test_ctrl_enter_stamps_time_and_commits_the_draft_at_once(ctx, qtbot, fixed_clock):
    from kkdesk.drafts import load_draft
    from kkdesk.store import open_profile

    editor = open_editor(ctx, qtbot)
    type_note(qtbot, editor, "Judge enters; hearing opened")
    # 05:42 UTC is 10:42 in Kazakhstan (UTC+05:00, the default offset)
    assert plain(editor.notes.notes()) == [{"time": "10:42", "text": "Judge enters; hearing opened"}]
    assert editor.notes.pending_text() == ""
    # a second, independent connection sees the committed draft (no autosave, no save ran)
    other = open_profile(ctx.store.home, PASSPHRASE)
    try:
        with other.session() as s:
            draft = load_draft(s, editor.draft_key)
    finally:
        other.close()
    assert draft is not None and draft.kind == "hearing" and draft.record_id is None
    assert draft.payload["content"]["notes"] == editor.notes.notes()
    assert plain(draft.payload["content"]["notes"]) == [{"time": "10:42", "text": "Judge enters; hearing opened"}]
    # blank text stamps nothing
    qtbot.keyClick(editor.notes.entry, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert len(editor.notes.notes()) == 1
    finish(editor)


def test_stamp_uses_the_hearings_utc_offset(ctx, qtbot, fixed_clock):
    editor = open_editor(ctx, qtbot)
    editor.fields["scheduled_start"].set_value("2023-05-02T10:00+06:00")
    type_note(qtbot, editor, "Defence motion")
    assert editor.notes.notes()[0]["time"] == "11:42"
    finish(editor)


def test_stamped_notes_stay_editable_and_are_saved_as_notes(example_ctx, qtbot, fixed_clock):
    from kkdesk.records import get

    with example_ctx.store.session() as s:
        hid = example_hearing_id(s)
    editor = open_editor(example_ctx, qtbot, hid)
    assert [n["time"] for n in editor.notes.notes()] == ["10:40", "11:05"]
    type_note(qtbot, editor, "Witness X questioned")
    model = editor.notes.model
    assert model.setData(model.index(2, 1), "Witness X questioned by the defence")
    assert not model.setData(model.index(2, 0), "25:99")  # a malformed time is refused
    assert model.setData(model.index(2, 0), "10:50")
    assert editor.save()
    with example_ctx.store.session() as s:
        notes = get(s, hid).content["notes"]
    assert plain(notes)[-1] == {"time": "10:50", "text": "Witness X questioned by the defence"}
    assert len(notes) == 3
    assert [n["id"] for n in notes] == [n["id"] for n in editor.notes.notes()]  # row ids are kept
    finish(editor)


def test_autosave_makes_no_revision_and_save_makes_one(example_ctx, qtbot, fixed_clock):
    from kkdesk.drafts import load_draft
    from kkdesk.records import history

    with example_ctx.store.session() as s:
        hid = example_hearing_id(s)
        before = len(history(s, hid))
    editor = open_editor(example_ctx, qtbot, hid)
    type_note(qtbot, editor, "Break of 15 minutes")
    editor.fields["proceedings_summary"].primary.setPlainText("Two witnesses heard; a break; defence motions.")
    assert editor.is_dirty()
    editor.autosave()
    with example_ctx.store.session() as s:
        assert len(history(s, hid)) == before
        draft = load_draft(s, f"hearing:{hid}")
    assert draft.payload["content"]["proceedings_summary"].startswith("Two witnesses heard")
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    editor.notes.entry.setFocus()
    qtbot.keyClick(editor.notes.entry, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # Save
    with example_ctx.store.session() as s:
        assert len(history(s, hid)) == before + 1
        assert load_draft(s, f"hearing:{hid}") is None  # the draft goes with the save
    assert not editor.is_dirty()
    finish(editor)


def test_checklist_presets_na_and_unknown_without_notes(ctx, qtbot):
    editor = open_editor(ctx, qtbot)
    checklist = editor.checklist
    choose(editor.fields["hearing_format"], "in_person")
    a05 = checklist.rows["A05_online_consent"]
    assert a05.effective() == "not_applicable" and a05.user_answer is None
    assert a05.radios["not_applicable"].isChecked() and not a05.preset.isHidden()
    choose(editor.fields["observer_access"], "denied_closed")
    b02 = checklist.rows["B02_impartial_conduct"]
    assert b02.effective() == "unknown" and b02.user_answer is None
    assert checklist.rows["A01_schedule_published"].effective() is None  # out-of-court: still to answer
    # pre-sets are not stored and never ask for a note
    assert checklist.answers() == {}
    assert not any(row.warning_shown() for row in checklist.rows.values())
    assert checklist.missing_notes() == []
    assert "hearing:" in editor.draft_key and "checklist" not in editor.content()
    # access granted again: the unknowns go, the n.a. for the format stays
    choose(editor.fields["observer_access"], "admitted_courtroom")
    assert b02.effective() is None and a05.effective() == "not_applicable"
    choose(editor.fields["hearing_format"], "online")
    assert a05.effective() is None
    finish(editor)


def test_concern_answer_asks_for_a_note_and_saving_still_works(example_ctx, qtbot):
    from kkdesk.records import get

    with example_ctx.store.session() as s:
        hid = example_hearing_id(s)
    editor = open_editor(example_ctx, qtbot, hid)
    row = editor.checklist.rows["A02_observer_admitted"]
    assert not row.warning_shown()
    qtbot.mouseClick(row.radios["no"], Qt.MouseButton.LeftButton)
    assert row.user_answer == "no" and row.is_concern()
    assert row.warning_shown() and "note" in row.warning.text()
    assert "A02_observer_admitted" in editor.checklist.missing_notes()
    assert editor.save()  # a warning, never a block
    with example_ctx.store.session() as s:
        view = get(s, hid)
    assert view.content["checklist"]["A02_observer_admitted"] == {"answer": "no"}
    assert any(w["path"].endswith("A02_observer_admitted.note") for w in view.warnings)
    # writing the note removes the warning
    qtbot.keyClicks(row.note, "Bailiff removed the monitor after the break")
    assert not row.warning_shown()
    # an unknown answer asks for a note too; clearing returns to the pre-set state
    qtbot.mouseClick(row.radios["unknown"], Qt.MouseButton.LeftButton)
    assert not row.warning_shown()  # the note is still there
    row.clear()
    assert row.user_answer is None and row.note.text() == "" and not row.warning_shown()
    finish(editor)


def test_keyboard_answers_the_checklist(ctx, qtbot):
    editor = open_editor(ctx, qtbot)
    row = editor.checklist.rows["B01_composition_announced"]
    editor.tabs.setCurrentIndex(0)
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    row.radios["yes"].setFocus()
    qtbot.waitUntil(row.radios["yes"].hasFocus)
    qtbot.keyClick(row.radios["yes"], Qt.Key.Key_Space)
    assert row.user_answer == "yes"
    qtbot.keyClick(row.radios["yes"], Qt.Key.Key_Right)
    assert row.user_answer == "no"
    assert editor.checklist.answers()["B01_composition_announced"] == {"answer": "no"}
    finish(editor)


def test_resume_offer_restores_notes_of_an_unsaved_hearing(ctx, qtbot, fixed_clock):
    first = open_editor(ctx, qtbot)
    type_note(qtbot, first, "Hearing opened")
    type_note(qtbot, first, "Prosecutor reads the charge")
    qtbot.keyClicks(first.notes.entry, "half a sentence")
    first.save_draft_now()
    finish(first)  # as if the laptop died: no save, no question

    second = open_editor(ctx, qtbot)
    assert second.banner.isVisible()
    assert second.banner.keys() == [first.draft_key]
    assert "2 notes" in second.banner.choice.itemText(0)
    assert second.notes.notes() == []
    qtbot.mouseClick(second.banner.resume_button, Qt.MouseButton.LeftButton)
    assert [n["text"] for n in second.notes.notes()] == ["Hearing opened", "Prosecutor reads the charge"]
    assert second.notes.pending_text() == "half a sentence"
    assert second.draft_key == first.draft_key and not second.banner.isVisible()
    finish(second)


def test_closing_asks_to_save_and_makes_a_revision(example_ctx, qtbot, monkeypatch, fixed_clock):
    from PySide6.QtWidgets import QMessageBox

    from kkdesk.records import history
    from kkdesk.ui.editors.hearing import HearingEditor

    with example_ctx.store.session() as s:
        hid = example_hearing_id(s)
        before = len(history(s, hid))
    editor = open_editor(example_ctx, qtbot, hid)
    editor.close()  # nothing changed: no question, no revision
    with example_ctx.store.session() as s:
        assert len(history(s, hid)) == before
    editor = open_editor(example_ctx, qtbot, hid)
    asked = []
    monkeypatch.setattr(HearingEditor, "ask_save_on_close",
                        lambda self: asked.append(1) or QMessageBox.StandardButton.Save)
    type_note(qtbot, editor, "Verdict postponed")
    assert editor.close()
    assert asked == [1]
    with example_ctx.store.session() as s:
        assert len(history(s, hid)) == before + 1


def test_invalid_hearing_keeps_notes_in_the_draft(ctx, qtbot, fixed_clock):
    from kkdesk.drafts import load_draft

    editor = open_editor(ctx, qtbot)
    type_note(qtbot, editor, "Started late")
    assert not editor.save()  # case, court… missing: errors next to the fields
    assert editor.fields["case"].problem() is not None
    assert editor.fields["court"].problem()[1] == "error"
    with ctx.store.session() as s:
        assert load_draft(s, editor.draft_key).payload["content"]["notes"][0]["text"] == "Started late"
    finish(editor)


def test_hearing_mode_is_accessible_and_relabels(ctx, qtbot):
    editor = open_editor(ctx, qtbot)
    checked, bad = unnamed(editor)
    assert not bad, "\n".join(bad)
    assert checked > 48 * 6  # every checklist answer, clear button and note is among them
    ctx.set_language("kk")
    assert editor.checklist.boxes["A_publicity"].title() == "A. Жариялылық және қолжетімділік"
    assert editor.tabs.tabText(0) != "Fair-trial checklist"
    assert editor.checklist.rows["A01_schedule_published"].question.text().endswith(
        "Отырыс соттың жария кестесінде (сайтта, стендте) алдын ала көрсетілді ме?")
    ctx.set_language("en")
    assert editor.tabs.tabText(0) == "Fair-trial checklist"
    finish(editor)


def test_notes_model_passes_the_model_tester(qtmodeltester):
    from kkdesk.ui.editors.notes import NotesModel

    model = NotesModel()
    model.set_notes([{"time": "10:00", "text": "a"}, {"time": "10:05", "text": "b"}])
    model.append("10:07", "c")
    model.remove(0)
    qtmodeltester.check(model)


def test_lock_keeps_unstamped_text_as_a_draft_and_closes_without_asking(ctx, qtbot, fixed_clock):
    from kkdesk.drafts import load_draft
    from kkdesk.store import open_profile

    home = ctx.store.home
    editor = open_editor(ctx, qtbot)
    type_note(qtbot, editor, "Hearing opened")
    qtbot.keyClicks(editor.notes.entry, "The judge refuses the motion becau")
    assert ctx.lock()  # about_to_lock saves the draft; the window closes without a question
    assert not editor.isVisible()
    store = open_profile(home, PASSPHRASE)
    try:
        with store.session() as s:
            draft = load_draft(s, editor.draft_key)
    finally:
        store.close()
    assert draft.payload["pending_note"] == "The judge refuses the motion becau"
    assert plain(draft.payload["content"]["notes"]) == [{"time": "10:42", "text": "Hearing opened"}]


def test_new_court_created_inline_is_chosen(ctx, qtbot, monkeypatch):
    from kkdesk.records import get
    from kkdesk.ui.editors.hearing import CourtDialog

    editor = open_editor(ctx, qtbot)

    def fill_and_save(dialog) -> int:
        f = dialog.form.fields
        f["name_kk"].edit.setText("Ақтөбе аудандық соты")
        f["name_ru"].edit.setText("Актюбинский районный суд")
        choose(f["court_type"], _first_code(f["court_type"]))
        choose(f["region"], "aktobe")
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(CourtDialog, "exec", fill_and_save)
    court_id = editor.create_court()
    assert court_id and editor.fields["court"].value() == court_id
    with ctx.store.session() as s:
        assert get(s, court_id, kind="court").content["name_kk"] == "Ақтөбе аудандық соты"


def _first_code(fw):
    from kkdesk.ui.fields.fieldbase import CODE_ROLE

    for r in range(fw.model.rowCount()):
        value = fw.model.item(r).data(CODE_ROLE)
        if value:
            return value
    raise AssertionError("no choice")


def test_seal_delete_and_attachments_after_the_first_save(example_ctx, qtbot, monkeypatch):
    from kkdesk.records import get

    with example_ctx.store.session() as s:
        hid = example_hearing_id(s)
    editor = open_editor(example_ctx, qtbot, hid)
    assert editor.attachments is not None and editor.seal_button.isEnabled()
    monkeypatch.setattr("kkdesk.ui.common.messages.confirm", lambda *a, **k: True)
    assert editor.seal_record()
    with example_ctx.store.session() as s:
        assert get(s, hid).sealed
    new = open_editor(example_ctx, qtbot)
    assert new.attachments is None and not new.delete_button.isEnabled()
    assert editor.delete_record()
    with example_ctx.store.session() as s:
        assert get(s, hid).deleted


def test_autosave_never_overwrites_a_draft_not_yet_resumed(example_ctx, qtbot, fixed_clock):
    from kkdesk.drafts import list_drafts

    with example_ctx.store.session() as s:
        hid = example_hearing_id(s)
    first = open_editor(example_ctx, qtbot, hid)
    type_note(qtbot, first, "Stamped before the crash")
    finish(first)
    second = open_editor(example_ctx, qtbot, hid)
    assert second.banner.keys() == [f"hearing:{hid}"]
    # the monitor ignores the offer and goes on typing: the old draft stays as it was
    type_note(qtbot, second, "A new note")
    assert second.draft_key != f"hearing:{hid}"
    with example_ctx.store.session() as s:
        drafts = {d.key: d for d in list_drafts(s, "hearing")}
    assert [n["text"] for n in drafts[f"hearing:{hid}"].payload["content"]["notes"]][-1] == "Stamped before the crash"
    assert [n["text"] for n in drafts[second.draft_key].payload["content"]["notes"]][-1] == "A new note"


def test_a_full_disk_is_said_at_once_and_the_stamped_note_stays(example_ctx, qtbot, fixed_clock):
    """A stamped note is committed to the draft table at once. On a full disk the monitor
    is told so, in words, right then; the note stays in the hearing and is kept as soon
    as there is room again."""
    from kkdesk.drafts import load_draft
    from tests.core.test_store import full_disk
    from tests.ui.conftest import modal_boxes

    with example_ctx.store.session() as s:
        hid = example_hearing_id(s)
    editor = open_editor(example_ctx, qtbot, hid)
    free_space = full_disk(example_ctx.store)
    text = "Сот приставы есікті жапты. " * 400  # ~11 KB: the draft needs a page more than the file has
    editor.notes.set_pending_text(text)
    editor.notes.stamp()
    qtbot.waitUntil(lambda: bool(modal_boxes()))
    assert [box.text() for box in modal_boxes()] == [
        "There is not enough free disk space; nothing was changed. Free some space and try again."]
    assert not modal_boxes()[0].detailedText()  # no traceback for a full disk
    for box in modal_boxes():
        box.close()
    assert [n["text"] for n in editor.content()["notes"]][-1] == text.strip()
    free_space()
    assert editor.save_draft_now()
    with example_ctx.store.session() as s:
        draft = load_draft(s, editor.draft_key)
    assert draft.payload["content"]["notes"][-1]["text"] == text.strip()
    finish(editor)


def test_saving_over_a_hearing_changed_elsewhere_keeps_both_versions(example_ctx, qtbot, fixed_clock):
    """A colleague's bundle changed this hearing while the monitor was typing (no window
    was told): the monitor's save is kept beside that change, nothing is overwritten."""
    from kkdesk.interchange import save
    from kkdesk.records import Author, get
    from kkdesk.sync.conflicts import get as conflict

    with example_ctx.store.session() as s:
        hid = example_hearing_id(s)
        content = get(s, hid).content
    editor = open_editor(example_ctx, qtbot, hid)
    colleague = Author("5f0c1b7e-2a55-4d8e-9a57-0f1f6a7c1e22", "COL")
    with example_ctx.store.session() as s:
        save(s, colleague, "hearing", {**content, "proceedings_summary": "Судья отклонил ходатайство."}, hid)
    editor.notes.set_pending_text("Судья вышел из зала")  # QTest types ASCII only
    editor.notes.stamp()
    assert editor.save()
    assert "in conflict" in editor.status.text()
    with example_ctx.store.session() as s:
        assert get(s, hid).conflict
        versions = conflict(s, hid).versions
    notes = {v.content.get("proceedings_summary"): [n["text"] for n in v.content.get("notes") or []] for v in versions}
    assert "Судья вышел из зала" in notes[content.get("proceedings_summary")]
    assert "Судья вышел из зала" not in notes["Судья отклонил ходатайство."]
    # closing with Save after another such save says it again, in a box that stays
    from PySide6.QtWidgets import QMessageBox

    from tests.ui.conftest import modal_boxes

    with example_ctx.store.session() as s:
        save(s, colleague, "hearing", {**content, "proceedings_summary": "Заседание отложено до 12 июня."}, hid)
    editor.notes.set_pending_text("Заседание отложено")
    editor.ask_save_on_close = lambda: QMessageBox.StandardButton.Save
    editor.close()
    boxes = [b for b in modal_boxes() if b.windowTitle() == "Record in conflict"]
    assert len(boxes) == 1
    boxes[0].close()


def test_hearing_mode_follows_changes_made_elsewhere(example_ctx, qtbot, fixed_clock):
    from kkdesk.interchange import save
    from kkdesk.records import Author, get

    with example_ctx.store.session() as s:
        hid = example_hearing_id(s)
        content = get(s, hid).content
    editor = open_editor(example_ctx, qtbot, hid)
    colleague = Author("5f0c1b7e-2a55-4d8e-9a57-0f1f6a7c1e22", "COL")
    with example_ctx.store.session() as s:  # e.g. a bundle imported in the main window
        save(s, colleague, "hearing", {**content, "proceedings_summary": "Adjourned to 12 June."}, hid)
    example_ctx.notify_changed({"hearing"})
    assert editor.fields["proceedings_summary"].value() == "Adjourned to 12 June."  # a clean form follows
    assert editor.status.text() == "Updated: the record was changed in another window."
    type_note(qtbot, editor, "Witness heard")
    with example_ctx.store.session() as s:
        save(s, colleague, "hearing", {**content, "proceedings_summary": "Adjourned to 19 June."}, hid)
    example_ctx.notify_changed({"hearing"})
    assert editor.fields["proceedings_summary"].value() == "Adjourned to 12 June."  # typing is never replaced
    assert editor.status.text().startswith("The record was changed elsewhere while you edited it")
    assert editor.save() and "in conflict" in editor.status.text()
    finish(editor)
    again = open_editor(example_ctx, qtbot, hid)
    assert again.status.text().startswith("This record has conflicting versions.")
    finish(again)


def test_hearing_mode_keeps_its_text_when_the_hearing_is_deleted_elsewhere(example_ctx, qtbot, fixed_clock):
    from kkdesk.records import delete_record

    with example_ctx.store.session() as s:
        hid = example_hearing_id(s)
    editor = open_editor(example_ctx, qtbot, hid)
    court = editor.fields["court"].value()
    with example_ctx.store.session() as s:
        delete_record(s, example_ctx.author(), hid)
    example_ctx.notify_changed({"hearing"})
    assert editor.status.text() == "This record has been deleted elsewhere."
    assert editor.fields["court"].value() == court  # not emptied by loading the tombstone
    finish(editor)
