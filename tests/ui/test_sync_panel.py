"""The sync panel (offscreen): keys and contacts shown, accessible inputs, export and
import off the GUI thread with a report, the trust dialog for an unknown signer,
Cancel, the conflict view field by field, and re-labelling on a language switch."""

from __future__ import annotations

import os
from types import SimpleNamespace

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from kkdesk import attachments
from kkdesk.interchange import author_of
from kkdesk.records import content_of, find
from kkdesk.sync import contacts
from kkdesk.sync.export import ExportRequest
from kkdesk.ui.sync.dialogs import AddContactDialog, ConflictDialog, ExportDialog
from kkdesk.ui.sync.panel import SyncPanel
from tests.core.test_sync_support import edit_person, export, import_, open_copies, person, trio_template  # noqa: F401
from tests.ui.conftest import assert_accessible


@pytest.fixture
def stores(trio_template, tmp_path):
    out = open_copies(trio_template, tmp_path / "profiles", which="ab")
    yield out
    QThreadPoolWait()
    for st in out.values():
        st.close()


def QThreadPoolWait() -> None:  # noqa: N802 - mirrors the Qt name it waits for
    from PySide6.QtCore import QThreadPool

    QThreadPool.globalInstance().waitForDone(10000)
    QApplication.processEvents()


def panel_for(qtbot, store) -> SyncPanel:
    panel = SyncPanel(SimpleNamespace(store=store))  # nothing but `.store`
    qtbot.addWidget(panel)
    panel.show()
    return panel


def boxes(name: str) -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.objectName() == name
            and w.isVisible()]


def test_panel_shows_keys_and_contacts_accessibly(qtbot, stores):
    panel = panel_for(qtbot, stores["a"])
    assert panel.own_fingerprint.text() == stores["a"].identity.fingerprint
    assert panel.own_recipient.text() == stores["a"].identity.age_recipient
    assert panel.contact_names() == ["Bolat", "Dana"]
    assert panel.contacts.item(0, 1).text() == stores["b"].identity.fingerprint
    assert "verified" in panel.contacts.item(0, 2).text()
    assert assert_accessible(panel) >= 8
    dialog = ExportDialog(panel, panel.contact_names())
    qtbot.addWidget(dialog)
    assert_accessible(dialog)
    add = AddContactDialog(panel, stores["a"].identity)
    qtbot.addWidget(add)
    assert_accessible(add)


def test_add_contact_shows_the_fingerprint_then_verify_and_remove(qtbot, stores):
    from kkdesk import keys as K

    panel = panel_for(qtbot, stores["a"])
    other = K.generate_identity()
    dialog = AddContactDialog(panel, stores["a"].identity)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.name, "Office")
    dialog.recipient.setText(other.age_recipient)
    assert dialog.fingerprint.text() == "—"
    dialog.signing.setText(other.signing_key_text)
    assert dialog.fingerprint.text() == other.fingerprint
    assert panel.save_contact(**dialog.values())
    assert "Office" in panel.contact_names()
    row = panel.contact_names().index("Office")
    assert "not verified" in panel.contacts.item(row, 2).text()
    panel.contacts.selectRow(row)
    panel.verify_selected()
    qtbot.waitUntil(lambda: bool(QApplication.activeModalWidget()))
    QApplication.activeModalWidget().button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: "✔" in panel.contacts.item(row, 2).text())
    panel.contacts.selectRow(row)
    panel.remove_selected()
    qtbot.waitUntil(lambda: bool(QApplication.activeModalWidget()))
    QApplication.activeModalWidget().button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: "Office" not in panel.contact_names())
    assert not panel.save_contact("Bad", "age1nothing", other.signing_key_text)  # refused with a message


def test_export_and_import_with_report(qtbot, stores, tmp_path):
    a, b = stores["a"], stores["b"]
    person(a, "Through the panel")
    panel_a, panel_b = panel_for(qtbot, a), panel_for(qtbot, b)
    with qtbot.waitSignal(panel_a.export_finished, timeout=20000) as done:
        panel_a.start_export(ExportRequest(out=tmp_path / "x.kkb", to=["Bolat"]))
    assert done.args[0].revisions == 1 and "x.kkb" in panel_a.last_result.text()
    with qtbot.waitSignal(panel_b.import_finished, timeout=20000) as done:
        panel_b.start_import(str(tmp_path / "x.kkb"))
    report = done.args[0]
    assert (report.new, report.conflicts) == (1, 0)
    [box] = boxes("import_report")
    assert "1 new" in box.text() and "Aigerim" in box.text()
    box.close()


def test_unknown_signer_gets_a_trust_dialog(qtbot, stores, tmp_path):
    a, b = stores["a"], stores["b"]
    person(a, "From a stranger")
    bundle = export(a, "b", tmp_path / "s.kkb")
    with b.session() as s:
        contacts.remove(s, "Aigerim")
    panel = panel_for(qtbot, b)
    panel.start_import(str(bundle))
    qtbot.waitUntil(lambda: bool(boxes("trust_dialog")), timeout=20000)
    [box] = boxes("trust_dialog")
    assert "Aigerim" in box.text() and a.identity.fingerprint in box.text()
    trust = next(btn for btn in box.buttons() if box.buttonRole(btn) == QMessageBox.ButtonRole.AcceptRole)
    with qtbot.waitSignal(panel.import_finished, timeout=20000) as done:
        trust.click()
    assert done.args[0].contact_added and done.args[0].new == 1
    assert "Aigerim" in panel.contact_names()


def test_cancel_leaves_no_file(qtbot, stores, tmp_path):
    a = stores["a"]
    rid = person(a, "Big")
    (tmp_path / "big.bin").write_bytes(os.urandom(6 * 1024 * 1024))
    with a.session() as s:
        attachments.add_file(s, author_of(a), tmp_path / "big.bin", rid)
    panel = panel_for(qtbot, a)
    out = tmp_path / "stick"
    out.mkdir()
    with qtbot.waitSignal(panel.task_failed, timeout=20000) as failed:
        panel.start_export(ExportRequest(out=out / "c.kkb", to=["Bolat"]))
        panel._tasks[-1].progress.cancel_event.set()  # what the dialog's Cancel button does
    from kkdesk.errors import Cancelled

    assert isinstance(failed.args[0], Cancelled)
    assert os.listdir(out) == []


def test_conflict_view_field_by_field(qtbot, stores, tmp_path):
    a, b = stores["a"], stores["b"]
    rid = person(a, "Original", occupation="lawyer")
    import_(b, export(a, "b", tmp_path / "1.kkb"))
    edit_person(a, rid, "Name by Aigerim")
    with b.session() as s:
        from kkdesk.interchange import save

        content = content_of(s, find(s, rid).head)
        content["occupation"] = "journalist"
        save(s, author_of(b), "person", {k: v for k, v in content.items() if k != "record_no"}, record_id=rid)
    import_(b, export(a, "b", tmp_path / "2.kkb"))
    panel = panel_for(qtbot, b)
    assert panel.conflicts.count() == 1 and "2 versions" in panel.conflicts.item(0).text()
    dialog = panel.resolve_selected()
    assert isinstance(dialog, ConflictDialog)
    assert dialog.fields == ["name_latin", "occupation"]
    assert dialog.table.rowCount() == 2 and dialog.table.columnCount() == 4
    cells = {dialog.table.item(0, c).text() for c in (1, 2)}
    assert cells == {"Name by Aigerim", "Original"}
    by_name = {v.content["name_latin"]: i for i, v in enumerate(dialog.conflict.versions)}
    by_job = {v.content.get("occupation"): i for i, v in enumerate(dialog.conflict.versions)}
    dialog.choices[0].setCurrentIndex(by_name["Name by Aigerim"])
    dialog.choices[1].setCurrentIndex(by_job["journalist"])
    dialog.accept()
    qtbot.waitUntil(lambda: panel.conflicts.count() == 0)
    with b.session() as s:
        rec = find(s, rid)
        merged = content_of(s, rec.head)
    assert not rec.conflict and (merged["name_latin"], merged["occupation"]) == ("Name by Aigerim", "journalist")


def test_keep_one_version_whole(qtbot, stores, tmp_path):
    a, b = stores["a"], stores["b"]
    rid = person(a, "Original")
    import_(b, export(a, "b", tmp_path / "1.kkb"))
    edit_person(a, rid, "From A")
    edit_person(b, rid, "From B")
    import_(b, export(a, "b", tmp_path / "2.kkb"))
    panel = panel_for(qtbot, b)
    dialog = panel.resolve_selected()
    index = next(i for i, v in enumerate(dialog.conflict.versions) if v.content["name_latin"] == "From A")
    dialog.keep_buttons[index].click()
    qtbot.waitUntil(lambda: panel.conflicts.count() == 0)
    with b.session() as s:
        assert content_of(s, find(s, rid).head)["name_latin"] == "From A"


def test_export_dialog_checks_its_input(qtbot, stores):
    panel = panel_for(qtbot, stores["a"])
    dialog = ExportDialog(panel, panel.contact_names())
    qtbot.addWidget(dialog)
    dialog._accept()
    assert dialog.error.text() and not dialog.result()
    dialog.out.setText("/tmp/x.kkb")
    dialog._accept()
    assert "contact" in dialog.error.text()
    dialog.to_passphrase.setChecked(True)
    dialog.passphrase.setText("one long passphrase")
    dialog.repeat.setText("another passphrase")
    dialog._accept()
    assert "differ" in dialog.error.text()
    dialog.repeat.setText("one long passphrase")
    dialog.level.setCurrentIndex(2)
    dialog._accept()
    req = dialog.request()
    assert (req.to, req.passphrase, req.max_confidentiality, req.mode) == ([], "one long passphrase", "internal",
                                                                           "incremental")


def test_retranslate_relabels(qtbot, stores):
    from kkdesk.ui.shell.language import apply_language

    panel = panel_for(qtbot, stores["a"])
    english = panel.export_button.text()
    apply_language("ru")
    try:
        panel.retranslate()
        assert panel.export_button.text() != english
        assert panel.contacts_box.title() != "Contacts"
    finally:
        apply_language("en")
        panel.retranslate()
    assert panel.export_button.text() == english


def test_panel_in_the_application_context_uses_its_task_runner(qtbot, ctx, stores, tmp_path):
    """Embedded in the main window's AppContext: work goes through `ctx.run_task`."""
    a = stores["a"]
    with a.session() as s:
        contacts.add(s, a.identity, "Monitor", ctx.store.identity.age_recipient, ctx.store.identity.signing_key_text)
    person(a, "For the monitor")
    from kkdesk.sync.export import export_bundle

    export_bundle(a, ExportRequest(out=tmp_path / "m.kkb", to=["Monitor"]))
    panel = SyncPanel(ctx)
    qtbot.addWidget(panel)
    panel.show()
    calls = []
    original = ctx.run_task
    ctx.run_task = lambda *args, **kw: calls.append(args[3]) or original(*args, **kw)
    panel.start_import(str(tmp_path / "m.kkb"))
    qtbot.waitUntil(lambda: bool(boxes("trust_dialog")), timeout=20000)
    [box] = boxes("trust_dialog")
    trust = next(btn for btn in box.buttons() if box.buttonRole(btn) == QMessageBox.ButtonRole.AcceptRole)
    with qtbot.waitSignal(panel.import_finished, timeout=20000) as done:
        trust.click()
    assert done.args[0].new == 1 and len(calls) == 2
    assert panel.contact_names() == ["Aigerim"]
