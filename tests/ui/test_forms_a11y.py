"""Every input of every form has an accessible name and a buddy label (forms of every
top-level kind, their child-row dialogs, the record search popup); a language switch
re-labels an open form."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from kkdesk import schema as S
from kkdesk.i18n import gettext_for
from kkdesk.ui.editors.recordeditor import RecordEditor
from tests.ui.test_forms_support import quiet_editors  # noqa: F401 - autouse fixture
from tests.ui.conftest import answer_dialog
from tests.ui.test_forms_support import add_row, assert_named, choose, nameless_inputs, person


def walk_row_dialogs(qtbot, form, seen: list) -> None:
    """Open the row editor of every child list (depth first) and check it."""
    for name, fw in form.fields.items():
        if not getattr(fw, "is_list", False):
            continue
        dialog = add_row(form, name)
        seen.append(dialog.form.kind)
        assert_named(getattr(dialog, "panel", dialog))
        walk_row_dialogs(qtbot, dialog.form, seen)
        dialog.reject()


@pytest.mark.parametrize("kind", list(S.TOP_LEVEL))
def test_every_input_of_every_form_is_named(ctx, qtbot, kind):
    editor = RecordEditor(ctx, kind)
    qtbot.addWidget(editor)
    editor.show()
    checked = assert_named(editor)
    inputs = editor.form.form_widgets()
    assert checked >= len(inputs) > 3
    for w in inputs:
        assert w.accessibleName(), w.objectName()
    seen: list[str] = []
    walk_row_dialogs(qtbot, editor.form, seen)
    # the detention safeguards are answered in the form itself, like the hearing checklist (no row dialog)
    inline = {"safeguard_answer"}
    expected = {f.child.kind for f in S.TOP_LEVEL[kind].fields if f.child is not None and f.child.kind not in inline}
    assert expected <= set(seen)
    if kind == "detention":
        rows = editor.form.fields["safeguards"].rows
        assert len(rows) == 20 and all(r.note.accessibleName() and r.radios["yes"].accessibleName()
                                       for r in rows.values())


def test_search_popup_and_required_marks_are_accessible(ctx, qtbot):
    person(ctx, "Aigerim Seitkali")
    editor = RecordEditor(ctx, "medical")
    qtbot.addWidget(editor)
    editor.show()
    picker = editor.form.fields["subject"].picker
    picker.open_search()
    assert nameless_inputs(picker.dialog) == []
    picker.dialog.reject()
    subject = editor.form.fields["subject"]
    assert subject.label.text().endswith("*") and subject.label.font().bold()
    assert "Required" in subject.picker.display.accessibleDescription()
    assert subject.label.buddy() is subject.picker.display
    # help lines from kkdesk.labels are the tooltips and accessible descriptions
    overall = editor.form.fields["overall_evaluation"]
    assert "never computed" in overall.combo.toolTip() and "never computed" in overall.combo.accessibleDescription()


def test_language_switch_relabels_an_open_form(ctx, qtbot):
    kk = gettext_for("kk")
    editor = RecordEditor(ctx, "threat")
    qtbot.addWidget(editor)
    editor.show()
    form = editor.form
    choose(form, "region", "aktobe")
    title = form.fields["title"]
    assert title.label.text() == "Title *"
    ctx.set_language("kk")
    assert kk("Title") != "Title"
    assert title.label.text() == kk("Title") + " *"
    assert title.edit.accessibleName() == kk("Title")
    region = form.fields["region"].combo
    assert region.currentText() == "Ақтөбе облысы" and form.fields["region"].value() == "aktobe"
    acts = form.fields["acts"]
    assert acts.model.headerData(1, Qt.Orientation.Horizontal) == kk("Threat type")
    assert editor.save_button.text() == kk("Save") != "Save"
    assert form._sections[0][1].title() == kk("Incident")
    ctx.set_language("ru")
    assert title.label.text() == gettext_for("ru")("Title") + " *"
    assert region.currentText() == "Актюбинская область"


def test_child_lists_work_from_the_keyboard(ctx, qtbot):
    editor = RecordEditor(ctx, "organisation")
    qtbot.addWidget(editor)
    editor.show()
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    field = editor.form.fields["affiliations"]
    field.view.setFocus()
    qtbot.waitUntil(field.view.hasFocus)
    qtbot.keyClick(field.view, Qt.Key.Key_Insert)  # Insert: a new row
    dialog = field.dialog
    assert dialog is not None and dialog.index is None
    dialog.form.fields["role"].edit.setText("Chair")
    dialog.form.fields["role"].edit.textEdited.emit("Chair")
    dialog.accept()
    assert field.model.rowCount() == 1 and field.current_row() == 0
    field.view.setFocus()
    qtbot.keyClick(field.view, Qt.Key.Key_Return)  # Enter: open the selected row
    assert field.dialog is not None and field.dialog.index == 0
    assert field.dialog.form.fields["role"].value() == "Chair"
    field.dialog.reject()
    field.view.setFocus()
    answer_dialog(qtbot, accept=True)
    qtbot.keyClick(field.view, Qt.Key.Key_Delete)  # Delete: remove it, after asking
    assert field.model.rowCount() == 0 and editor.is_dirty() is False
