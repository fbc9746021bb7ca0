"""Body diagram: outline data, region lookup and SVG output (kkdesk.bodymap)."""

from __future__ import annotations

import math
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from kkdesk import bodymap
from kkdesk.resources import resource_path
from kkdesk.vocab import vocabularies

SVG_NS = "{http://www.w3.org/2000/svg}"
ROOT = Path(__file__).resolve().parents[2]


def _flatten(path, steps=12):
    """Polyline of a closed M/L/C/Z path (enough for inside/outside tests)."""
    pts, cur = [], None
    for cmd in bodymap.as_cubic(path):
        if cmd[0] in ("M", "L"):
            cur = (cmd[1], cmd[2])
            pts.append(cur)
        elif cmd[0] == "C":
            p0, p1, p2, p3 = cur, cmd[1:3], cmd[3:5], cmd[5:7]
            for i in range(1, steps + 1):
                t = i / steps
                m = 1 - t
                w = (m**3, 3 * m * m * t, 3 * m * t * t, t**3)
                pts.append(tuple(w[0] * p0[k] + w[1] * p1[k] + w[2] * p2[k] + w[3] * p3[k] for k in (0, 1)))
            cur = p3
    return pts


def _near_edge(poly, margin):
    """A test `near(x, y)`: is the point within `margin` of the polyline's edges? (segments bucketed by y)"""
    buckets: dict[int, list] = {}
    for (x0, y0), (x1, y1) in zip(poly, poly[1:] + poly[:1]):
        for row in range(math.floor(min(y0, y1) - margin), math.floor(max(y0, y1) + margin) + 1):
            buckets.setdefault(row, []).append((x0, y0, x1, y1))

    def near(x, y):
        for x0, y0, x1, y1 in buckets.get(math.floor(y), ()):
            dx, dy = x1 - x0, y1 - y0
            t = max(0.0, min(1.0, ((x - x0) * dx + (y - y0) * dy) / ((dx * dx + dy * dy) or 1e-12)))
            if math.hypot(x - x0 - t * dx, y - y0 - t * dy) < margin:
                return True
        return False

    return near


def test_file_is_small_and_shipped_under_resources():
    path = resource_path("bodymap", "outlines.json")
    assert path.is_file()
    assert path.stat().st_size < 60_000


def test_viewbox_and_views():
    bm = bodymap.load()
    assert bm.viewbox == (100.0, 220.0)
    assert bodymap.VIEWS == ("front", "back")
    with pytest.raises(ValueError):
        bm.outline("left")


@pytest.mark.parametrize("view", bodymap.VIEWS)
def test_region_codes_are_vocabulary_codes(view):
    regions = set(vocabularies().codes("body_region"))
    lateralities = set(vocabularies().codes("laterality"))
    for region in bodymap.load().regions(view):
        assert region.code in regions
        assert region.laterality is None or region.laterality in lateralities


@pytest.mark.parametrize("view", bodymap.VIEWS)
def test_polygons_lie_within_the_viewbox(view):
    w, h = bodymap.load().viewbox
    for region in bodymap.load().regions(view):
        assert len(region.polygon) >= 3
        for x, y in region.polygon:
            assert 0 <= x <= w and 0 <= y <= h


@pytest.mark.parametrize("view", bodymap.VIEWS)
def test_outline_paths_are_closed_and_use_allowed_commands(view):
    bm = bodymap.load()
    assert bm.outline(view)
    for path in bm.outline(view):
        assert path[0][0] == "M"
        assert path[-1] == ["Z"]
    for path in bm.outline(view) + bm.details(view):
        assert path[0][0] == "M"
        for cmd in path:
            assert cmd[0] in bodymap.PATH_COMMANDS
            assert len(cmd) == 1 + bodymap.PATH_COMMANDS[cmd[0]]
            assert all(isinstance(v, (int, float)) for v in cmd[1:])


@pytest.mark.parametrize(
    ("view", "x", "y", "expected"),
    [
        # front: the person's right side is on the viewer's left
        ("front", 0.455, 0.085, ("face", "right")),
        ("front", 0.545, 0.085, ("face", "left")),
        ("front", 0.5, 0.08, ("nose", "midline")),
        ("front", 0.47, 0.02, ("scalp", "right")),
        ("front", 0.207, 0.536, ("hand_fingers", "right")),
        ("front", 0.793, 0.536, ("hand_fingers", "left")),
        ("front", 0.42, 0.97, ("foot_sole", "right")),
        ("front", 0.58, 0.97, ("foot_sole", "left")),
        ("front", 0.42, 0.30, ("chest", "right")),
        ("front", 0.41, 0.70, ("knee", "right")),
        # back: the person's right side is on the viewer's right
        ("back", 0.45, 0.05, ("scalp", "left")),
        ("back", 0.55, 0.05, ("scalp", "right")),
        ("back", 0.207, 0.536, ("hand_fingers", "left")),
        ("back", 0.793, 0.536, ("hand_fingers", "right")),
        ("back", 0.42, 0.97, ("foot_sole", "left")),
        ("back", 0.58, 0.97, ("foot_sole", "right")),
        ("back", 0.42, 0.26, ("upper_back", "left")),
        ("back", 0.58, 0.50, ("buttocks", "right")),
    ],
)
def test_region_at_known_points(view, x, y, expected):
    assert bodymap.region_at(view, x, y) == expected


@pytest.mark.parametrize("view", bodymap.VIEWS)
@pytest.mark.parametrize(("x", "y"), [(0.02, 0.02), (0.98, 0.5), (0.5, 0.6), (0.30, 0.6), (0.5, 0.999), (0.1, 0.2)])
def test_region_at_outside_the_body_is_none(view, x, y):
    assert bodymap.region_at(view, x, y) is None


def test_interchange_example_findings():
    # the two findings of spec/interchange-example.json (diagram_view, diagram_x, diagram_y)
    assert bodymap.region_at("back", 0.22, 0.48) == ("forearm", "left")
    assert bodymap.region_at("front", 0.47, 0.08) == ("face", "right")


@pytest.mark.parametrize("view", bodymap.VIEWS)
def test_regions_tile_the_silhouette(view):
    """Every point well inside the outline has a region; every point well outside has none."""
    bm = bodymap.load()
    outline = _flatten(bm.outline(view)[0])
    near = _near_edge(outline, 0.3)
    inside = outside = 0
    for j in range(1, 220, 2):
        for i in range(1, 100, 2):
            ux, uy = i + 0.37, j + 0.53
            if near(ux, uy):
                continue
            hit = bodymap.region_at(view, *bm.to_fractions(ux, uy))
            if bodymap.point_in_polygon(ux, uy, outline):
                inside += 1
                assert hit is not None, (ux, uy)
            else:
                outside += 1
                assert hit is None, (ux, uy, hit)
    assert inside > 800 and outside > 2500


@pytest.mark.parametrize("view", bodymap.VIEWS)
def test_regions_are_mirror_symmetric(view):
    flip = {"left": "right", "right": "left"}
    for j in range(3, 218, 2):
        for i in range(3, 50, 2):
            x, y = (i + 0.25) / 100, (j + 0.5) / 220
            a, b = bodymap.region_at(view, x, y), bodymap.region_at(view, 1 - x, y)
            if a is None or b is None:
                assert a == b, (x, y)
            else:
                assert a[0] == b[0] and flip.get(a[1], a[1]) == b[1], (x, y, a, b)


@pytest.mark.parametrize("view", bodymap.VIEWS)
def test_region_centre_maps_back_to_its_region(view):
    for region in bodymap.load().regions(view):
        x, y = bodymap.region_centre(view, region.code, region.laterality)
        assert 0 <= x <= 1 and 0 <= y <= 1
        assert bodymap.region_at(view, x, y) == (region.code, region.laterality)


def test_region_centre_fallbacks():
    assert bodymap.region_centre("front", "upper_back") is None
    assert bodymap.region_centre("back", "forearm", "bilateral") == bodymap.region_centre("back", "forearm")
    left = bodymap.region_centre("front", "knee", "left")
    right = bodymap.region_centre("front", "knee", "right")
    assert right[0] < 0.5 < left[0]  # front view: the person's right knee is on the viewer's left


@pytest.mark.parametrize("view", bodymap.VIEWS)
def test_to_svg_is_parseable(view):
    svg = bodymap.to_svg(view, [(1, 0.22, 0.48), ("L<2>", 0.47, 0.08)])
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG_NS}svg"
    assert root.get("viewBox") == "0 0 100 220"
    assert len(root.findall(f"{SVG_NS}circle")) == 2
    assert [t.text for t in root.findall(f"{SVG_NS}text")] == ["1", "L<2>"]
    debug = ET.fromstring(bodymap.to_svg(view, show_regions=True, width_px=300))
    assert debug.get("width") == "300" and debug.get("height") == "660"
    assert len(debug.findall(f"{SVG_NS}polygon")) == len(bodymap.load().regions(view))


def test_as_cubic_raises_quadratics():
    path = [["M", 0, 0], ["Q", 1, 2, 2, 0], ["L", 3, 0], ["Z"]]
    assert bodymap.as_cubic(path) == [
        ["M", 0, 0],
        ["C", pytest.approx(2 / 3), pytest.approx(4 / 3), pytest.approx(4 / 3), pytest.approx(4 / 3), 2, 0],
        ["L", 3, 0],
        ["Z"],
    ]


def test_point_in_polygon_and_centroid():
    square = [(0, 0), (2, 0), (2, 2), (0, 2)]
    assert bodymap.point_in_polygon(1, 1, square)
    assert not bodymap.point_in_polygon(3, 1, square)
    assert bodymap.polygon_centroid(square) == pytest.approx((1, 1))
    u_shape = [(0, 0), (3, 0), (3, 3), (2, 3), (2, 1), (1, 1), (1, 3), (0, 3)]
    x, y = bodymap.interior_point(u_shape)
    assert bodymap.point_in_polygon(x, y, u_shape)


def test_core_module_does_not_import_qt_or_reportlab():
    code = (
        "import sys, kkdesk.bodymap as b; b.region_at('front', 0.5, 0.5); b.to_svg('back'); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'reportlab')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.strip() == "[]"
