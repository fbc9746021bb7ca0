"""Body diagram for Istanbul Protocol examinations: front and back outlines plus region lookup.

The geometry lives in ``resources/bodymap/outlines.json`` (regenerate it with
``tools/render_bodymap.py --build``). All path and polygon coordinates are in the
view box units ``(0, 0, 100, 220)``; the public functions take and return the
fractions stored on a finding (``diagram_x``, ``diagram_y``: 0..1 of the view
box, origin top-left).

Laterality is anatomical: on the *front* view the person's right side is on the
viewer's left (small x); on the *back* view it is on the viewer's right. Midline
structures (nose, mouth/jaw, genital region) carry ``"midline"``; head, neck and
trunk regions are split at x = 0.5 into right and left halves.

Path commands are lists: ``["M", x, y]``, ``["L", x, y]``, ``["Q", x1, y1, x, y]``,
``["C", x1, y1, x2, y2, x, y]`` and ``["Z"]`` — enough to feed a ``QPainterPath``
or a reportlab ``Path`` one command at a time (the shipped file uses M, L, C, Z;
:func:`as_cubic` turns any Q into C for reportlab). Core module: no Qt, no reportlab.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable, Sequence
from xml.sax.saxutils import escape

from kkdesk.resources import read_json

VIEWS = ("front", "back")
PATH_COMMANDS = {"M": 2, "L": 2, "Q": 4, "C": 6, "Z": 0}

Command = list[Any]
Path = list[Command]
Point = tuple[float, float]


@dataclass(frozen=True)
class Region:
    """One clickable polygon (view box units). Several polygons may share a code."""

    code: str
    laterality: str | None
    polygon: tuple[Point, ...]

    def contains(self, x: float, y: float) -> bool:
        return point_in_polygon(x, y, self.polygon)

    def centroid(self) -> Point:
        return polygon_centroid(self.polygon)

    def label_point(self) -> Point:
        """A point inside the polygon near its centroid (the centroid itself when it is inside)."""
        return interior_point(self.polygon)


class BodyMap:
    """The parsed outlines file. Use :func:`load` rather than building one."""

    def __init__(self, data: dict[str, Any]) -> None:
        x0, y0, w, h = (float(v) for v in data["viewbox"])  # SVG order: min-x, min-y, width, height
        self.viewbox_rect = (x0, y0, w, h)
        self.viewbox = (w, h)
        self._views: dict[str, dict[str, Any]] = {}
        for view in VIEWS:
            raw = data["views"][view]
            regions = tuple(
                Region(r["code"], r.get("laterality"), tuple((float(p[0]), float(p[1])) for p in r["polygon"]))
                for r in raw["regions"]
            )
            self._views[view] = {"outline": raw["outline"], "details": raw.get("details", []), "regions": regions}

    def _view(self, view: str) -> dict[str, Any]:
        try:
            return self._views[view]
        except KeyError:
            raise ValueError(f"unknown body diagram view: {view!r}") from None

    def outline(self, view: str) -> list[Path]:
        """Closed silhouette paths (view box units). Do not mutate."""
        return self._view(view)["outline"]

    def details(self, view: str) -> list[Path]:
        """Inner lines (clavicles, spine, fingers...), open or closed; stroke thinner than the outline."""
        return self._view(view)["details"]

    def regions(self, view: str) -> tuple[Region, ...]:
        """Region polygons, smallest first; the first one containing a point wins."""
        return self._view(view)["regions"]

    def to_units(self, x: float, y: float) -> Point:
        """Fractions (diagram_x, diagram_y) → view box units."""
        x0, y0, w, h = self.viewbox_rect
        return x0 + x * w, y0 + y * h

    def to_fractions(self, ux: float, uy: float) -> Point:
        """View box units → fractions (diagram_x, diagram_y)."""
        x0, y0, w, h = self.viewbox_rect
        return (ux - x0) / w, (uy - y0) / h


@lru_cache(maxsize=1)
def load() -> BodyMap:
    """The shipped body diagram (cached)."""
    return BodyMap(read_json("bodymap", "outlines.json"))


def region_at(view: str, x: float, y: float) -> tuple[str, str | None] | None:
    """(body_region code, laterality code) under the point at fractions x, y; None outside the body."""
    bm = load()
    ux, uy = bm.to_units(x, y)
    for region in bm.regions(view):
        if region.contains(ux, uy):
            return region.code, region.laterality
    return None


def region_centre(view: str, code: str, laterality: str | None = None) -> Point | None:
    """Centre (fractions) of the first polygon of `code` (and `laterality`, if given); None if absent.

    For placing a marker when a finding has a region but no diagram position. The
    point is the polygon's centroid, moved inside the polygon if needed. A laterality
    the view has no polygon for ("bilateral", "not_applicable") falls back to the
    first polygon of the code.
    """
    bm = load()
    candidates = [r for r in bm.regions(view) if r.code == code]
    if laterality is not None:
        candidates = [r for r in candidates if r.laterality == laterality] or candidates
    if not candidates:
        return None
    return bm.to_fractions(*candidates[0].label_point())


def point_in_polygon(x: float, y: float, polygon: Sequence[Point]) -> bool:
    """Even-odd ray casting (a horizontal ray towards +x)."""
    inside = False
    n = len(polygon)
    j = n - 1
    for i in range(n):
        xi, yi = polygon[i]
        xj, yj = polygon[j]
        if (yi > y) != (yj > y) and x < xi + (y - yi) * (xj - xi) / (yj - yi):
            inside = not inside
        j = i
    return inside


def polygon_centroid(polygon: Sequence[Point]) -> Point:
    """Area centroid (shoelace); falls back to the vertex mean for degenerate polygons."""
    a = cx = cy = 0.0
    n = len(polygon)
    for i in range(n):
        x0, y0 = polygon[i]
        x1, y1 = polygon[(i + 1) % n]
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(a) < 1e-9:
        return sum(p[0] for p in polygon) / n, sum(p[1] for p in polygon) / n
    return cx / (3 * a), cy / (3 * a)


def interior_point(polygon: Sequence[Point]) -> Point:
    """The centroid if inside, else the middle of the widest inside span on the centroid's horizontal."""
    cx, cy = polygon_centroid(polygon)
    if point_in_polygon(cx, cy, polygon):
        return cx, cy
    xs = []
    n = len(polygon)
    for i in range(n):
        (x0, y0), (x1, y1) = polygon[i - 1], polygon[i]
        if (y0 > cy) != (y1 > cy):
            xs.append(x0 + (cy - y0) * (x1 - x0) / (y1 - y0))
    xs.sort()
    spans = [(xs[k + 1] - xs[k], (xs[k] + xs[k + 1]) / 2) for k in range(0, len(xs) - 1, 2)]
    return (max(spans)[1], cy) if spans else (cx, cy)


def as_cubic(path: Iterable[Command]) -> Path:
    """The path with quadratic segments raised to cubics (only M, L, C, Z remain), e.g. for reportlab."""
    out: Path = []
    cur = (0.0, 0.0)
    start = cur
    for cmd in path:
        op = cmd[0]
        if op == "Q":
            (qx, qy), (x, y) = (cmd[1], cmd[2]), (cmd[3], cmd[4])
            out.append(["C", cur[0] + 2 / 3 * (qx - cur[0]), cur[1] + 2 / 3 * (qy - cur[1]),
                        x + 2 / 3 * (qx - x), y + 2 / 3 * (qy - y), x, y])  # fmt: skip
        else:
            out.append(list(cmd))
        if op == "M":
            start = (cmd[1], cmd[2])
        if op == "Z":
            cur = start
        elif op != "Z":
            cur = (cmd[-2], cmd[-1])
    return out


def path_to_svg(path: Iterable[Command]) -> str:
    """One path (list of commands) as an SVG ``d`` attribute."""
    parts = []
    for cmd in path:
        parts.append(cmd[0] + " ".join(_num(v) for v in cmd[1:]))
    return " ".join(parts)


def _num(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".")


_DEBUG_COLOURS = (
    "#e6194b", "#3cb44b", "#ffe119", "#4363d8", "#f58231", "#911eb4", "#46f0f0", "#f032e6",
    "#bcf60c", "#fabebe", "#008080", "#e6beff", "#9a6324", "#fffac8", "#800000", "#aaffc3",
    "#808000", "#ffd8b1", "#000075", "#808080",
)  # fmt: skip


def to_svg(
    view: str,
    markers: Iterable[tuple[Any, float, float]] = (),
    *,
    show_regions: bool = False,
    width_px: int | None = None,
) -> str:
    """Standalone SVG of one view with numbered markers ``(label, x, y)`` at fractions x, y.

    For documentation and debugging; the GUI and the PDF draw the paths
    themselves. ``show_regions`` fills and labels the region polygons.
    """
    bm = load()
    x0, y0, w, h = bm.viewbox_rect
    size = f' width="{width_px}" height="{round(width_px * h / w)}"' if width_px else ""
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{_num(x0)} {_num(y0)} {_num(w)} {_num(h)}"{size}>',
        f'<rect x="{_num(x0)}" y="{_num(y0)}" width="{_num(w)}" height="{_num(h)}" fill="white"/>',
    ]
    for path in bm.outline(view):
        out.append(f'<path d="{path_to_svg(path)}" fill="#f7f7f7" stroke="none"/>')
    if show_regions:
        codes: dict[str, str] = {}
        # Drawn last-to-first so the polygon that wins a lookup is on top.
        for region in reversed(bm.regions(view)):
            colour = codes.setdefault(region.code, _DEBUG_COLOURS[len(codes) % len(_DEBUG_COLOURS)])
            pts = " ".join(f"{_num(px)},{_num(py)}" for px, py in region.polygon)
            out.append(
                f'<polygon points="{pts}" fill="{colour}" fill-opacity="0.45" stroke="{colour}" stroke-width="0.15"/>'
            )
    for path in bm.details(view):
        out.append(
            f'<path d="{path_to_svg(path)}" fill="none" stroke="#555" stroke-width="0.3" '
            'stroke-linecap="round" stroke-linejoin="round"/>'
        )
    for path in bm.outline(view):
        out.append(
            f'<path d="{path_to_svg(path)}" fill="none" stroke="#222" stroke-width="0.5" stroke-linejoin="round"/>'
        )
    if show_regions:
        for region in bm.regions(view):
            cx, cy = region.label_point()
            side = {"right": " R", "left": " L"}.get(region.laterality or "", "")
            out.append(
                f'<text x="{_num(cx)}" y="{_num(cy + 0.55)}" font-size="1.6" font-family="sans-serif" '
                f'text-anchor="middle">{escape(region.code + side)}</text>'
            )
    for label, fx, fy in markers:
        mx, my = bm.to_units(fx, fy)
        out.append(
            f'<circle cx="{_num(mx)}" cy="{_num(my)}" r="2.4" fill="white" stroke="#c00000" stroke-width="0.45"/>'
        )
        # baseline offset by hand: dominant-baseline is not supported everywhere (QtSvg)
        out.append(
            f'<text x="{_num(mx)}" y="{_num(my + 1.0)}" font-size="2.8" font-family="sans-serif" font-weight="bold" '
            f'fill="#c00000" text-anchor="middle">{escape(str(label))}</text>'
        )
    out.append("</svg>")
    return "\n".join(out)
