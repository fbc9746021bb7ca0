"""Unsaved form text: autosaved as an encrypted draft (timer, focus change, lock),
offered again when the form is opened, never left behind after saving or discarding."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from kkdesk.ui.editors import recordeditor as editors
from kkdesk.ui.editors.recordeditor import open_editor
from tests.conftest import PASSPHRASE
from tests.ui.conftest import answer_dialog
from tests.ui.test_forms_support import quiet_editors  # noqa: F401 - autouse fixture
from tests.ui.test_forms_support import person, type_text


def drafts(ctx, kind=None):
    from kkdesk.drafts import list_drafts

    with ctx.store.session() as s:
        return list_drafts(s, kind)


def test_autosave_then_resume_offer_for_a_new_record(ctx, qtbot, monkeypatch):
    monkeypatch.setattr(editors, "AUTOSAVE_MS", 50)
    editor = open_editor(None, ctx, "threat")
    qtbot.addWidget(editor)
    type_text(qtbot, editor.form, "title", "Threats by phone")
    type_text(qtbot, editor.form, "description", "Anonymous calls at night.")
    qtbot.waitUntil(lambda: len(drafts(ctx, "threat")) == 1, timeout=3000)
    [draft] = drafts(ctx, "threat")
    assert draft.record_id is None and draft.payload["values"]["title"] == "Threats by phone"
    editor._closing = True  # the program ends without saving (crash, power cut)
    editor.close()

    answer_dialog(qtbot, accept=True)  # "Resume draft"
    again = open_editor(None, ctx, "threat")
    qtbot.addWidget(again)
    qtbot.waitUntil(lambda: again.form.fields["title"].value() == "Threats by phone", timeout=3000)
    assert again.form.fields["description"].value() == "Anonymous calls at night."
    assert again.draft_key == draft.key and again.is_dirty()
    assert again.form.fields["acts"].problem() is not None  # the resumed form shows what is missing
    assert not again.save()  # still no acts: refused, and the draft stays
    assert len(drafts(ctx, "threat")) == 1


def test_focus_change_saves_a_draft_and_saving_deletes_it(ctx, qtbot):
    rid = person(ctx, "Aigerim Seitkali")
    editor = open_editor(None, ctx, "person", rid)
    qtbot.addWidget(editor)
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    occupation = editor.form.fields["occupation"].edit
    occupation.setFocus()
    qtbot.waitUntil(occupation.hasFocus)
    type_text(qtbot, editor.form, "occupation", "Journalist")
    assert drafts(ctx) == []
    editor.form.fields["name_ru"].edit.setFocus()  # leaving the field
    qtbot.waitUntil(lambda: len(drafts(ctx)) == 1, timeout=2000)
    [draft] = drafts(ctx)
    assert draft.key == f"person:{rid}" and draft.record_id == rid
    assert draft.payload["values"]["occupation"] == "Journalist"
    assert editor.save()
    assert drafts(ctx) == []


def test_lock_keeps_the_text_as_a_draft_and_closes_the_editor(ctx, qtbot):
    from kkdesk.store import open_profile

    rid = person(ctx, "Dana Bekova")
    home = ctx.store.home
    editor = open_editor(None, ctx, "person", rid)
    qtbot.addWidget(editor)
    type_text(qtbot, editor.form, "remarks", "Met on 3 May; afraid of retaliation.")
    assert ctx.lock()
    assert ctx.store is None
    qtbot.waitUntil(lambda: not editors._alive(editor) or not editor.isVisible())
    store = open_profile(home, PASSPHRASE)
    try:
        ctx.unlock(store)
        [draft] = drafts(ctx)
        assert draft.payload["values"]["remarks"] == "Met on 3 May; afraid of retaliation."
        answer_dialog(qtbot, accept=True)
        again = open_editor(None, ctx, "person", rid)
        qtbot.addWidget(again)
        qtbot.waitUntil(lambda: again.form.fields["remarks"].value() == "Met on 3 May; afraid of retaliation.",
                        timeout=3000)
        assert again.save() and drafts(ctx) == []
        again.close()
    finally:
        ctx.lock()


def test_close_asks_about_unsaved_changes(ctx, qtbot):
    from kkdesk.records import get

    rid = person(ctx, "Aigerim Seitkali")
    editor = open_editor(None, ctx, "person", rid)
    qtbot.addWidget(editor)
    type_text(qtbot, editor.form, "occupation", "Journalist")
    editor.close()
    assert editor.isVisible() and editor.close_box is not None
    editor.close_box.button(QMessageBox.StandardButton.Cancel).click()
    assert editor.isVisible()
    editor.save_draft()
    assert len(drafts(ctx)) == 1
    editor.close()
    editor.close_box.button(QMessageBox.StandardButton.Discard).click()
    qtbot.waitUntil(lambda: not editors._alive(editor) or not editor.isVisible())
    assert drafts(ctx) == []
    with ctx.store.session() as s:
        assert "occupation" not in get(s, rid).content

    editor = open_editor(None, ctx, "person", rid)
    qtbot.addWidget(editor)
    type_text(qtbot, editor.form, "occupation", "Lawyer")
    editor.close()
    editor.close_box.button(QMessageBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: not editors._alive(editor) or not editor.isVisible())
    with ctx.store.session() as s:
        assert get(s, rid).content["occupation"] == "Lawyer"


def test_a_draft_that_cannot_be_kept_is_said_at_once(ctx, qtbot):
    """On a full disk the autosave fails; the form must say so instead of letting the user
    type on believing the text is safe."""
    from tests.core.test_store import full_disk

    rid = person(ctx, "Aigerim Seitkali")
    editor = open_editor(None, ctx, "person", rid)
    qtbot.addWidget(editor)
    free_space = full_disk(ctx.store)
    editor.form.fields["remarks"].set_value("Observed at the court entrance. " * 2000)  # ~64 KB: new pages
    assert not editor.save_draft()
    assert editor.status_label.text() == ("Your typing could not be kept as a draft: There is not enough free disk "
                                          "space; nothing was changed. Free some space and try again.")
    free_space()
    assert editor.save_draft() and len(drafts(ctx)) == 1


def test_a_busy_store_keeps_the_autosave_quiet(ctx, qtbot, monkeypatch):
    """Busy (another program held the store past the timeout) is retried by the next
    trigger without a word; only a disk that cannot keep the text is reported."""
    from kkdesk.errors import StoreBusyError, storage_error

    class OperationalError(Exception):  # what SQLite raises, by name
        pass

    busy = storage_error(OperationalError("database is locked"))
    assert isinstance(busy, StoreBusyError)

    def locked(*_args, **_kwargs):
        raise busy

    rid = person(ctx, "Aigerim Seitkali")
    editor = open_editor(None, ctx, "person", rid)
    qtbot.addWidget(editor)
    editor.form.fields["remarks"].set_value("Observed at the court entrance.")
    monkeypatch.setattr("kkdesk.drafts.save_draft", locked)
    assert not editor.save_draft() and editor.status_label.text() == ""
    monkeypatch.undo()
    assert editor.save_draft() and len(drafts(ctx)) == 1
