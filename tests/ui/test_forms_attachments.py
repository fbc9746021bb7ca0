"""Attachments of a record: add a file (stored encrypted, in the background), show its
SHA-256 and size, save a copy where the user says, edit its description and flags,
delete it."""

from __future__ import annotations

import hashlib
import os

import pytest

from kkdesk.errors import InputError
from kkdesk.ui.editors.attachments import AttachmentDialog, format_size
from kkdesk.ui.editors.recordeditor import RecordEditor, open_editor
from tests.ui.conftest import answer_dialog, wait_tasks
from tests.ui.test_forms_support import quiet_editors  # noqa: F401 - autouse fixture
from tests.ui.test_forms_support import assert_named, choose, person, record, type_text


@pytest.fixture
def photo(tmp_path):
    data = os.urandom(2 * 1024 * 1024 + 12345)  # several storage chunks
    path = tmp_path / "incoming" / "bruise-forearm.jpg"
    path.parent.mkdir()
    path.write_bytes(data)
    return path, data


def test_add_file_and_save_a_copy_round_trip(ctx, qtbot, tmp_path, photo):
    path, data = photo
    second = path.parent / "statement.pdf"
    second.write_bytes(b"%PDF-1.4 statement")
    rid = person(ctx, "Yerlan Toktarov")
    editor = RecordEditor(ctx, "person", rid)
    qtbot.addWidget(editor)
    editor.show()
    assert editor.attachments_button.isEnabled()
    editor.attachments_button.click()
    panel = editor.attachments_panel
    assert panel is not None and panel.isVisible() and panel.model.rowCount() == 0
    panel.add_files([str(path), str(second)])
    wait_tasks(qtbot, ctx)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2)
    assert {r.content["kind"] for r in panel.model.rows} == {"photo", "document"}
    panel.select([r.filename for r in panel.model.rows].index("bruise-forearm.jpg"))
    row = panel.current()
    sha = hashlib.sha256(data).hexdigest()
    assert row.sha256 == sha and row.content["size_bytes"] == len(data)
    assert row.content["kind"] == "photo" and row.content["target_id"] == rid
    i = panel.model.rows.index(row)
    assert panel.model.data(panel.model.index(i, 2)) == format_size(len(data)) == "2 MB"
    assert sha in panel.details.text()
    assert_named(panel)

    out_dir = tmp_path / "chosen"
    out_dir.mkdir()
    out = out_dir / "copy.jpg"
    panel.save_copy(i, str(out))
    wait_tasks(qtbot, ctx)
    assert out.read_bytes() == data
    assert sorted(os.listdir(out_dir)) == ["copy.jpg"]  # nothing else written anywhere near it
    assert sorted(os.listdir(path.parent)) == ["bruise-forearm.jpg", "statement.pdf"]


def test_edit_the_flags_of_an_attachment_and_delete_it(ctx, qtbot, photo):
    path, data = photo
    rid = person(ctx, "Yerlan Toktarov")
    editor = RecordEditor(ctx, "person", rid)
    qtbot.addWidget(editor)
    editor.show_attachments(True)
    panel = editor.attachments_panel
    panel.add_files([str(path)], kind="document")
    wait_tasks(qtbot, ctx)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
    dialog = panel.edit_current()
    assert isinstance(dialog, AttachmentDialog) and "sha256" not in dialog.form.fields
    assert hashlib.sha256(data).hexdigest() in dialog.file_label.text()
    assert dialog.form.fields["consent_recorded"].problem() is None
    choose(dialog.form, "kind", "photo")
    dialog.form.flush_validation()  # a photo of a person: consent is expected (a warning)
    assert dialog.form.fields["consent_recorded"].problem()[1] == "warning"
    choose(dialog.form, "sensitive_intimate", True)
    type_text(qtbot, dialog.form, "description", "Left forearm, two parallel bruises")
    assert dialog.save()
    qtbot.waitUntil(lambda: panel.model.rows[0].content.get("sensitive_intimate") is True)
    att = record(ctx, panel.model.rows[0].id)
    assert att.content["kind"] == "photo" and att.content["description"] == "Left forearm, two parallel bruises"
    assert att.content["sha256"] == hashlib.sha256(data).hexdigest() and att.content["target_id"] == rid
    assert panel.model.data(panel.model.index(0, 4)) == "Yes"

    # the attachment record opens in its own editor: file fields shown, not editable
    att_editor = open_editor(None, ctx, "attachment", att.id)
    qtbot.addWidget(att_editor)
    sha_field = att_editor.form.fields["sha256"]
    assert sha_field.edit.isReadOnly() and sha_field.value() == att.content["sha256"]
    assert att_editor.copy_button.isVisible() and not att_editor.attachments_button.isVisible()
    with pytest.raises(InputError):
        open_editor(None, ctx, "attachment")  # files are attached from their record

    answer_dialog(qtbot, accept=True)
    assert panel.delete_current()
    assert panel.model.rowCount() == 0 and record(ctx, att.id).deleted
