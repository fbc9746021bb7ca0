"""The medical examination editor: annex IV sections, confidentiality kept at
`restricted` unless lowering is confirmed, consistency levels chosen by the clinician
(never computed), findings saved with their diagram position, drafts."""

from __future__ import annotations

from PySide6.QtCore import Qt

from kkdesk import bodymap
from tests.ui.test_hearing_mode import unnamed
from tests.ui.conftest import track_editor


def open_medical(ctx, qtbot, record_id=None, draft_key=None):
    from kkdesk.ui.editors.medical import MedicalEditor

    editor = MedicalEditor(ctx, record_id=record_id, draft_key=draft_key)
    track_editor(editor)
    editor.autosave_timer.stop()
    editor.resize(1366, 768)
    with qtbot.waitExposed(editor):
        editor.show()
    return editor


def choose(fw, code) -> None:
    fw.combo.setCurrentIndex(fw._find(code))


def example_ids(session) -> dict:
    from kkdesk.listing import page

    return {kind: page(session, kind, limit=1)[0].id for kind in ("medical", "person")}


def test_sections_follow_annex_iv(ctx, qtbot):
    from kkdesk import labels

    editor = open_medical(ctx, qtbot)
    assert editor.section_titles == [title for title, _names in labels.sections("medical")]
    assert editor.nav.item(0).text() == "Case information"
    editor.show_section("Physical examination")
    assert editor.pages.currentWidget() is editor.physical_page
    assert editor.findings.isVisible()
    # every plain field is in exactly one section form; the editor places the rest itself
    placed = [name for form in editor.forms for name in form.fields]
    assert len(placed) == len(set(placed))
    assert {"findings", "confidentiality", "overall_evaluation"}.isdisjoint(placed)
    assert {"subject", "informed_consent", "alleged_methods", "signed_by", "recommendations"} <= set(placed)


def test_new_examination_is_restricted_and_lowering_needs_confirmation(ctx, qtbot, monkeypatch):
    from kkdesk.ui.editors.medical import MedicalEditor

    editor = open_medical(ctx, qtbot)
    conf = editor.confidentiality
    assert conf.value() == "restricted"
    answers = [False]
    asked = []
    monkeypatch.setattr(MedicalEditor, "confirm_lowering",
                        lambda self, level: asked.append(level) or answers.pop(0))
    choose(conf, "internal")
    assert asked == ["internal"] and conf.value() == "restricted"  # refused: back to restricted
    answers.append(True)
    choose(conf, "internal")
    assert conf.value() == "internal" and editor.content()["confidentiality"] == "internal"
    choose(conf, "restricted")  # raising it asks nothing
    assert asked == ["internal", "internal"]


def test_levels_are_plain_choices_with_definitions_never_computed(ctx, qtbot):
    editor = open_medical(ctx, qtbot)
    panel = editor.findings
    panel.add_finding("front", *bodymap.region_centre("front", "chest", "left"))
    consistency = panel.editor.fields["consistency"]
    choose(consistency, "highly_consistent")
    assert panel.findings()[0]["consistency"] == "highly_consistent"
    assert "few other possible causes" in panel.editor.definition.text()
    panel.add_finding("back", *bodymap.region_centre("back", "upper_back", "right"))
    choose(panel.editor.fields["consistency"], "diagnostic")
    # nothing is derived from the findings
    for name, fw in editor.level_fields.items():
        assert fw.value() is None, name
    content = editor.content()
    assert not {"overall_evaluation", "physical_consistency_overall"} & set(content)
    assert [f["consistency"] for f in content["findings"]] == ["highly_consistent", "diagnostic"]
    choose(editor.level_fields["overall_evaluation"], "consistent")
    assert "many other possible causes" in editor.levels["overall_evaluation"].definition.text()
    assert editor.content()["overall_evaluation"] == "consistent"
    assert editor.level_fields["physical_consistency_overall"].value() is None


def test_save_makes_a_revision_with_findings_and_positions(example_ctx, qtbot):
    from kkdesk.records import get, history

    with example_ctx.store.session() as s:
        mid = example_ids(s)["medical"]
        before = len(history(s, mid))
    editor = open_medical(example_ctx, qtbot, mid)
    editor.show_section("Physical examination")
    x, y = bodymap.region_centre("front", "knee", "left")
    key = editor.findings.add_finding("front", x, y)
    fe = editor.findings.editor.fields
    choose(fe["lesion_type"], "bruise")
    choose(fe["stage"], "healing")
    choose(fe["consistency"], "consistent")
    qtbot.keyClicks(fe["length_mm"].edit, "30")
    assert editor.is_dirty()
    editor.autosave()
    with example_ctx.store.session() as s:
        assert len(history(s, mid)) == before  # the draft is not a revision
    assert editor.save()
    with example_ctx.store.session() as s:
        view = get(s, mid)
        assert len(history(s, mid)) == before + 1
    saved = {f["id"]: f for f in view.content["findings"]}
    f = saved[key]
    assert (f["body_region"], f["laterality"], f["diagram_view"], f["finding_no"]) == ("knee", "left", "front", 3)
    assert float(f["diagram_x"]) == round(x, 3) and float(f["diagram_y"]) == round(y, 3)
    assert f["lesion_type"] == "bruise" and f["consistency"] == "consistent" and f["length_mm"] == "30"
    assert view.content["overall_evaluation"] == "highly_consistent"  # as the clinician left it
    assert view.content["confidentiality"] == "restricted"
    # the warning for the missing alternative causes points at the new finding
    row = editor.findings.model.row_of(key)
    assert editor.findings.model.problems(key), "expected a warning on the new finding"
    assert editor.findings.model.index(row, 0).data(Qt.ItemDataRole.DecorationRole) is not None


def test_draft_of_a_new_examination_is_offered_again(example_ctx, qtbot):
    with example_ctx.store.session() as s:
        person = example_ids(s)["person"]
    first = open_medical(example_ctx, qtbot)
    first.forms[0].fields["subject"].set_value(person)
    first.findings.add_finding("front", *bodymap.region_centre("front", "face", "right"))
    first.save_draft_now()
    first._closing_ok = True
    first.close()
    second = open_medical(example_ctx, qtbot)
    assert second.banner.keys() == [first.draft_key]
    assert "1 finding" in second.banner.choice.itemText(0)
    assert second.resume_draft(first.draft_key)
    assert second.forms[0].fields["subject"].value() == person
    assert [f["body_region"] for f in second.findings.findings()] == ["face"]
    assert len(second.findings.diagram.markers()) == 1


def test_medical_editor_is_accessible(example_ctx, qtbot):
    with example_ctx.store.session() as s:
        mid = example_ids(s)["medical"]
    editor = open_medical(example_ctx, qtbot, mid)
    editor.show_section("Physical examination")
    editor.findings.select(editor.findings.findings()[0]["id"])
    checked, bad = unnamed(editor)
    assert not bad, "\n".join(bad)
    assert checked > 100
    diagram = editor.findings.diagram
    assert diagram.accessibleName() == "Body diagram" and "Delete" in diagram.accessibleDescription()
    example_ctx.set_language("ru")
    assert editor.nav.item(0).text() != "Case information"
    assert diagram.accessibleName() != "Body diagram"
    example_ctx.set_language("en")


def test_a_cleared_field_is_saved_cleared(example_ctx, qtbot):
    from kkdesk.records import get

    with example_ctx.store.session() as s:
        mid = example_ids(s)["medical"]
    editor = open_medical(example_ctx, qtbot, mid)
    recommendations = next(f.fields["recommendations"] for f in editor.forms if "recommendations" in f.fields)
    assert recommendations.value().startswith("Orthopaedic")
    recommendations.edit.clear()
    assert "recommendations" not in editor.content()
    assert editor.save()
    with example_ctx.store.session() as s:
        assert "recommendations" not in get(s, mid).content
