"""Rule §7.5 in the editors: after a hearing or medical record is saved with a torture
allegation (E01 "yes", or alleged methods), offer — once per window, and only while no
intervention is about the record yet — to create the linked ThreatIncident
(`torture_ill_treatment`) and an Intervention, pre-filled, and open them."""

from __future__ import annotations

import shiboken6
from PySide6.QtWidgets import QMessageBox, QWidget

from kkdesk import torture_followup
from kkdesk.i18n import _
from kkdesk.interventions import local_today


def should_offer(ctx, kind: str, record_id: str | None, content: dict) -> bool:
    if ctx.store is None or not record_id or not torture_followup.alleged(kind, content):
        return False
    with ctx.store.session() as s:
        return not torture_followup.already_followed_up(s, record_id)


def offer_after_save(editor: QWidget, ctx, kind: str, record_id: str | None, content: dict) -> QMessageBox | None:
    """Ask (without blocking the window); the box is kept as `editor.followup_box`."""
    if getattr(editor, "_followup_offered", False) or not should_offer(ctx, kind, record_id, content):
        return None
    editor._followup_offered = True
    box = QMessageBox(QMessageBox.Icon.Question, _("Torture or ill-treatment alleged"),
                      _("Torture or ill-treatment is alleged in this record. Create a threat incident "
                        "(torture and ill-treatment) and an intervention (a complaint to the authorities), "
                        "pre-filled from this record? Both are saved as drafts and opened for you to complete."),
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, editor)
    box.setObjectName("followup_box")
    box.setDefaultButton(QMessageBox.StandardButton.Yes)
    box.button(QMessageBox.StandardButton.Yes).setText(_("&Create both"))
    box.button(QMessageBox.StandardButton.No).setText(_("&Not now"))
    box.finished.connect(lambda code: _answered(editor, ctx, record_id, code, box))
    editor.followup_box = box
    box.open()
    return box


def _answered(editor: QWidget, ctx, record_id: str, code: int, box: QMessageBox) -> None:
    if box.clickedButton() is not box.button(QMessageBox.StandardButton.Yes) or ctx.store is None:
        return
    parent = editor if shiboken6.isValid(editor) else None
    try:
        with ctx.store.session() as s:
            threat_id, intervention_id = torture_followup.create(
                s, ctx.author(), record_id, _, local_today().isoformat(), default_language=ctx.ui_lang)
    except Exception as exc:  # noqa: BLE001 - the one error presenter says what went wrong
        ctx.show_error(parent, exc)
        return
    ctx.notify_changed({"threat", "intervention"})
    editor.followup_created = (threat_id, intervention_id)
    ctx.open_editor(parent, "threat", threat_id)
    ctx.open_editor(parent, "intervention", intervention_id)

