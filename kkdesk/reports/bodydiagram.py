"""The body diagram of a medical report: the same front/back outlines as the GUI
(kkdesk.bodymap), drawn as reportlab vector graphics, with a numbered marker per
physical finding at (diagram_x, diagram_y) — fractions of the view, origin top-left."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.graphics.shapes import Circle, Drawing, Path, String
from reportlab.lib import colors
from reportlab.platypus import Flowable

from kkdesk import bodymap
from kkdesk.reports import fonts
from kkdesk.reports.styles import INK, MARKER, MUTED

OUTLINE_FILL = colors.HexColor("#f3f3f1")
DETAIL_INK = colors.HexColor("#6b6b6b")
VIEWS = ("front", "back")


@dataclass(frozen=True)
class Marker:
    label: str
    view: str
    x: float  # fraction of the view's width, from the left
    y: float  # fraction of the view's height, from the top


def place(finding: dict) -> Marker | None:
    """Where a finding's marker goes: its stored position, else the centre of its
    body region on the front (or back) view; None when neither is known."""
    label = str(finding.get("finding_no") or "?")
    view = finding.get("diagram_view")
    try:
        x, y = float(finding["diagram_x"]), float(finding["diagram_y"])
    except (KeyError, TypeError, ValueError):
        x = y = None  # type: ignore[assignment]
    if view in VIEWS and x is not None and y is not None and 0 <= x <= 1 and 0 <= y <= 1:
        return Marker(label, view, x, y)
    region, side = finding.get("body_region"), finding.get("laterality")
    for candidate in ((view,) if view in VIEWS else ()) + VIEWS:
        centre = bodymap.region_centre(candidate, region, side) if region else None
        if centre is not None:
            return Marker(label, candidate, centre[0], centre[1])
    return None


def _path(commands, tx, **style) -> Path:
    path = Path(**style)
    for cmd in bodymap.as_cubic(commands):
        op, args = cmd[0], cmd[1:]
        pts = [v for i in range(0, len(args), 2) for v in tx(args[i], args[i + 1])]
        if op == "M":
            path.moveTo(*pts)
        elif op == "L":
            path.lineTo(*pts)
        elif op == "C":
            path.curveTo(*pts)
        elif op == "Z":
            path.closePath()
    return path


def drawing(markers: list[Marker], captions: dict[str, str], sides: tuple[str, str], width: float,
            height: float = 255) -> Drawing:
    """Front and back side by side in a `width` × `height` point drawing.
    `captions` = {"front": "Front", "back": "Back"} and `sides` = ("Right", "Left")
    are already in the document language."""
    bm = load_map()
    vw, vh = bm.viewbox
    x0, y0, _, _ = bm.viewbox_rect
    caption_h, side_h = 14, 10
    scale = (height - caption_h - side_h) / vh
    view_w = vw * scale
    gap = max(24.0, (width - 2 * view_w) / 3)
    d = Drawing(width, height)
    # the renderer starts from this font; left unset it would select Helvetica (unembedded)
    d.initialFontName, d.initialFontSize = fonts.REGULAR, 8
    right, left = sides
    for i, view in enumerate(VIEWS):
        ox = (width - 2 * view_w - gap) / 2 + i * (view_w + gap)
        oy = side_h

        def tx(ux, uy, ox=ox, oy=oy):
            return ox + (ux - x0) * scale, oy + (vh - (uy - y0)) * scale

        for outline in bm.outline(view):
            d.add(_path(outline, tx, fillColor=OUTLINE_FILL, strokeColor=None))
        for detail in bm.details(view):
            d.add(_path(detail, tx, fillColor=None, strokeColor=DETAIL_INK, strokeWidth=0.35))
        for outline in bm.outline(view):
            d.add(_path(outline, tx, fillColor=None, strokeColor=INK, strokeWidth=0.7))
        d.add(String(ox + view_w / 2, height - caption_h + 3, captions[view], fontName=fonts.BOLD, fontSize=8.5,
                     fillColor=INK, textAnchor="middle"))
        # anatomical sides: on the front view the person's right is on the viewer's left
        near, far = (right, left) if view == "front" else (left, right)
        d.add(String(ox, 1, near, fontName=fonts.REGULAR, fontSize=6.8, fillColor=MUTED, textAnchor="start"))
        d.add(String(ox + view_w, 1, far, fontName=fonts.REGULAR, fontSize=6.8, fillColor=MUTED, textAnchor="end"))
        for m in markers:
            if m.view != view:
                continue
            cx, cy = tx(*bm.to_units(m.x, m.y))
            d.add(Circle(cx, cy, 5.6, fillColor=colors.white, strokeColor=MARKER, strokeWidth=0.9))
            size = 6.4 if len(m.label) < 3 else 5.0
            d.add(String(cx, cy - size * 0.36, m.label, fontName=fonts.BOLD, fontSize=size, fillColor=MARKER,
                         textAnchor="middle"))
    return d


class FittingDiagram(Flowable):
    """The diagram drawn at the height it gets: full height where that fits, else as
    much as is left on the page down to `min_height` (markers keep their size), so
    the physical examination starts beside the sections before it instead of after
    half a page left blank. With less room than that it moves to the next page."""

    # KeepTogether (a heading kept with its next flowable) measures its content with
    # this height: the smallest size decides whether heading and diagram stay here
    UNBOUNDED = 0xFFFFFFF

    def __init__(self, markers: list[Marker], captions: dict[str, str], sides: tuple[str, str], width: float,
                 height: float = 255, min_height: float = 190) -> None:
        super().__init__()
        self.args = (markers, captions, sides, width)
        self.full, self.min_height = height, min_height
        self.width, self.height = width, height

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if avail_height >= self.UNBOUNDED:
            self.height = self.min_height
        elif self.min_height <= avail_height < self.full:
            self.height = avail_height
        else:
            self.height = self.full
        return self.width, self.height

    def draw(self) -> None:
        drawing(*self.args, height=self.height).drawOn(self.canv, 0, 0)


def load_map():
    return bodymap.load()
