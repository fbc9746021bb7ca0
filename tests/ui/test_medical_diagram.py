"""The body diagram of the medical examination: click to create a finding, drag to
move it, table and markers in step, keyboard, reopening stored findings."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from kkdesk import bodymap
from tests.ui.conftest import track_editor


def open_medical(ctx, qtbot, record_id=None):
    from kkdesk.ui.editors.medical import MedicalEditor

    editor = MedicalEditor(ctx, record_id=record_id)
    track_editor(editor)
    editor.autosave_timer.stop()
    editor.resize(1366, 768)
    with qtbot.waitExposed(editor):
        editor.show()
    editor.show_section("Physical examination")
    qtbot.wait(1)
    return editor


def at(diagram, view: str, x: float, y: float) -> QPoint:
    return diagram.point_of(view, x, y).toPoint()


def example_medical_id(session) -> str:
    from kkdesk.listing import page

    return page(session, "medical", limit=1)[0].id


def test_click_on_the_head_creates_a_face_finding(ctx, qtbot):
    editor = open_medical(ctx, qtbot)
    panel = editor.findings
    x, y = bodymap.region_centre("front", "face", "right")
    qtbot.mouseClick(panel.diagram, Qt.MouseButton.LeftButton, pos=at(panel.diagram, "front", x, y))
    findings = panel.findings()
    assert len(findings) == 1
    f = findings[0]
    assert f["body_region"] == "face" and f["laterality"] == "right"
    assert f["diagram_view"] == "front" and f["finding_no"] == 1 and f["count"] == 1
    # fractions of the view, 3 decimals, close to where the click landed
    assert abs(f["diagram_x"] - x) < 0.01 and abs(f["diagram_y"] - y) < 0.01
    assert round(f["diagram_x"], 3) == f["diagram_x"]
    # the new row is selected, its marker too, and the row editor shows the region
    assert panel.selected_key() == f["id"] == panel.diagram.selected()
    assert panel.editor.fields["body_region"].value() == "face"
    assert [m.number for m in panel.diagram.markers()] == [1]
    # a click beside the body creates nothing
    qtbot.mouseClick(panel.diagram, Qt.MouseButton.LeftButton, pos=at(panel.diagram, "front", 0.02, 0.6))
    assert len(panel.findings()) == 1
    # a second click on the back numbers the next finding 2
    bx, by = bodymap.region_centre("back", "upper_back", "left")
    qtbot.mouseClick(panel.diagram, Qt.MouseButton.LeftButton, pos=at(panel.diagram, "back", bx, by))
    second = panel.findings()[1]
    assert (second["finding_no"], second["body_region"], second["laterality"]) == (2, "upper_back", "left")


def test_drag_moves_the_marker_and_updates_the_region(ctx, qtbot):
    editor = open_medical(ctx, qtbot)
    panel = editor.findings
    diagram = panel.diagram
    key = panel.add_finding("front", *bodymap.region_centre("front", "face", "right"))
    start = at(diagram, "front", *bodymap.region_centre("front", "face", "right"))
    tx, ty = bodymap.region_centre("front", "chest", "left")
    target = at(diagram, "front", tx, ty)
    qtbot.mousePress(diagram, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(diagram, QPoint((start.x() + target.x()) // 2, (start.y() + target.y()) // 2))
    qtbot.mouseMove(diagram, target)
    qtbot.mouseRelease(diagram, Qt.MouseButton.LeftButton, pos=target)
    f = panel.findings()[0]
    assert f["id"] == key and len(panel.findings()) == 1  # moved, not a new finding
    assert abs(f["diagram_x"] - tx) < 0.01 and abs(f["diagram_y"] - ty) < 0.01
    assert (f["body_region"], f["laterality"]) == ("chest", "left")
    marker = diagram.marker(key)
    assert (marker.x, marker.y) == (f["diagram_x"], f["diagram_y"])
    assert panel.editor.fields["body_region"].value() == "chest"


def test_drag_keeps_a_region_chosen_by_hand(ctx, qtbot):
    editor = open_medical(ctx, qtbot)
    panel = editor.findings
    key = panel.add_finding("front", *bodymap.region_centre("front", "chest", "left"))
    region = panel.editor.fields["body_region"]
    region.combo.setCurrentIndex(region._find("abdomen"))  # the clinician corrects the region
    assert panel.findings()[0]["body_region"] == "abdomen"
    panel.diagram.select(key)
    panel.diagram.setFocus()
    before = panel.findings()[0]["diagram_y"]
    qtbot.keyClick(panel.diagram, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    f = panel.findings()[0]
    assert f["diagram_y"] == round(before + 0.02, 3)
    assert f["body_region"] == "abdomen"


def test_table_and_markers_select_each_other(example_ctx, qtbot):
    with example_ctx.store.session() as s:
        mid = example_medical_id(s)
    editor = open_medical(example_ctx, qtbot, mid)
    panel = editor.findings
    keys = [f["id"] for f in panel.findings()]
    # marker -> row
    m = panel.diagram.marker(keys[1])
    qtbot.mouseClick(panel.diagram, Qt.MouseButton.LeftButton, pos=at(panel.diagram, m.view, m.x, m.y))
    assert panel.selected_key() == keys[1]
    assert panel.table.selectionModel().selectedRows()[0].row() == 1
    assert panel.editor.fields["body_region"].value() == "face"
    # row -> marker
    panel.table.selectRow(0)
    assert panel.diagram.selected() == keys[0]
    # the keyboard cycles through the markers
    panel.diagram.setFocus()
    qtbot.keyClick(panel.diagram, Qt.Key.Key_PageDown)
    assert panel.selected_key() == keys[1]


def test_deleting_a_row_removes_its_marker(example_ctx, qtbot, monkeypatch):
    from kkdesk.ui.editors.findings import FindingsPanel

    with example_ctx.store.session() as s:
        mid = example_medical_id(s)
    editor = open_medical(example_ctx, qtbot, mid)
    panel = editor.findings
    keys = [f["id"] for f in panel.findings()]
    asked = []
    monkeypatch.setattr(FindingsPanel, "confirm_delete", lambda self, key: asked.append(key) or True)
    panel.select(keys[0])
    qtbot.mouseClick(panel.delete_button, Qt.MouseButton.LeftButton)
    assert asked == [keys[0]]
    assert [f["id"] for f in panel.findings()] == [keys[1]]
    assert panel.diagram.marker(keys[0]) is None and panel.diagram.marker(keys[1]) is not None
    # Delete on the diagram removes the selected marker and its row
    panel.select(keys[1])
    panel.diagram.setFocus()
    qtbot.keyClick(panel.diagram, Qt.Key.Key_Delete)
    assert panel.findings() == [] and panel.diagram.markers() == []
    # numbers follow the highest one left (the remaining numbers are never changed)
    panel.add_finding("front", 0.5, 0.25)
    assert panel.findings()[0]["finding_no"] == 1


def test_reopened_examination_shows_its_findings_as_markers(example_ctx, qtbot):
    with example_ctx.store.session() as s:
        mid = example_medical_id(s)
    editor = open_medical(example_ctx, qtbot, mid)
    markers = {(m.view, m.x, m.y, m.number) for m in editor.findings.diagram.markers()}
    assert markers == {("back", 0.22, 0.48, 1), ("front", 0.47, 0.08, 2)}
    model = editor.findings.model
    assert model.rowCount() == 2
    assert model.index(0, 1).data() == "Forearm, left"
    assert model.index(1, 7).data() == "Front"
    # a marker is drawn where its fractions say
    diagram = editor.findings.diagram
    p = diagram.point_of("front", 0.47, 0.08)
    r = diagram.view_rect("front")
    assert abs((p.x() - r.left()) / r.width() - 0.47) < 1e-9
    assert diagram.marker_at(p) == editor.findings.findings()[1]["id"]


def test_findings_model_passes_the_model_tester(qtmodeltester):
    from kkdesk.ui.editors.findings import FindingsModel

    model = FindingsModel()
    model.set_findings([
        {"body_region": "forearm", "laterality": "left", "lesion_type": "bruise", "count": 2, "length_mm": "60",
         "width_mm": "15", "stage": "acute", "consistency": "consistent", "diagram_view": "back",
         "diagram_x": 0.22, "diagram_y": 0.48},
        {"body_region": "face", "lesion_type": "abrasion", "finding_no": 3},
    ])
    assert [f["finding_no"] for f in model.findings()] == [1, 3]
    model.append({"id": "x", "finding_no": model.next_number(), "body_region": "knee"})
    assert model.findings()[-1]["finding_no"] == 4
    model.update(0, {"stage": "healing", "colour": None})
    model.remove(1)
    qtmodeltester.check(model)


def test_keyboard_only_finding_reaches_the_diagram(ctx, qtbot, monkeypatch):
    from kkdesk.ui.editors.findings import FindingsPanel

    editor = open_medical(ctx, qtbot)
    panel = editor.findings
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)  # no diagram position yet
    key = panel.selected_key()
    assert panel.diagram.markers() == [] and not panel.place_button.isEnabled()
    region = panel.editor.fields["body_region"]
    region.combo.setCurrentIndex(region._find("knee"))
    side = panel.editor.fields["laterality"]
    side.combo.setCurrentIndex(side._find("right"))
    assert panel.place_button.isEnabled()
    qtbot.mouseClick(panel.place_button, Qt.MouseButton.LeftButton)
    m = panel.diagram.marker(key)
    assert m is not None and m.view == "front"
    assert bodymap.region_at("front", m.x, m.y) == ("knee", "right")
    # Delete in the table removes the finding (after the confirmation)
    monkeypatch.setattr(FindingsPanel, "confirm_delete", lambda self, k: True)
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Delete)
    assert panel.findings() == [] and panel.diagram.markers() == []
