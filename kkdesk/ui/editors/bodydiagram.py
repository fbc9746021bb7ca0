"""The body diagram of a medical examination: front and back outlines side by side
(the same paths the PDF draws, from `kkdesk.bodymap`) with numbered finding markers.

The widget only shows markers and reports what the user does with them; the
medical editor owns the findings and keeps the table and the markers in step.
Positions are fractions of a view (origin top-left), rounded to 3 decimals.
The findings table is the keyboard-accessible equivalent of this widget.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from kkdesk import bodymap
from kkdesk.i18n import N_, _

VIEW_TITLES = {"front": N_("Front"), "back": N_("Back")}
MARKER_RADIUS = 9.0      # pixels
TITLE_HEIGHT = 22.0      # pixels above each view for its title
DRAG_THRESHOLD = 3.0     # pixels before a press on a marker becomes a drag
ARROW_STEP = 0.005       # fraction per arrow key press (Shift: x4)


def _path(commands: list) -> QPainterPath:
    p = QPainterPath()
    for cmd in commands:
        op = cmd[0]
        if op == "M":
            p.moveTo(cmd[1], cmd[2])
        elif op == "L":
            p.lineTo(cmd[1], cmd[2])
        elif op == "C":
            p.cubicTo(cmd[1], cmd[2], cmd[3], cmd[4], cmd[5], cmd[6])
        elif op == "Q":
            p.quadTo(cmd[1], cmd[2], cmd[3], cmd[4])
        elif op == "Z":
            p.closeSubpath()
    return p


def _paths(view: str) -> tuple[QPainterPath, QPainterPath]:
    """(outline, details) of a view in view box units."""
    bm = bodymap.load()
    outline = QPainterPath()
    for cmds in bm.outline(view):
        outline.addPath(_path(cmds))
    details = QPainterPath()
    for cmds in bm.details(view):
        details.addPath(_path(cmds))
    return outline, details


def clamp01(v: float) -> float:
    return min(1.0, max(0.0, v))


@dataclass
class Marker:
    key: str            # the finding's id
    view: str           # "front" | "back"
    x: float            # fractions of the view
    y: float
    number: int | None  # finding_no


class BodyDiagram(QWidget):
    """Front and back views; click to place, drag / arrow keys to move, Delete to remove."""

    #: a click on the body where there is no marker: (view, x, y) as fractions
    placed = Signal(str, float, float)
    #: a marker moved (drag finished or arrow key): (key, view, x, y)
    moved = Signal(str, str, float, float)
    #: the selected marker changed (key or "" for none)
    selection_changed = Signal(str)
    #: Delete pressed on the selected marker
    delete_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._paths = {view: _paths(view) for view in bodymap.VIEWS}
        self._markers: dict[str, Marker] = {}
        self._selected = ""
        self._drag_key = ""
        self._press_pos: QPointF | None = None
        self._dragging = False
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(260, 300)
        self.retranslate()

    def retranslate(self) -> None:
        self.setAccessibleName(_("Body diagram"))
        self.setAccessibleDescription(_(
            "Front and back views of the body. Click to place a numbered finding marker; drag a marker or use "
            "the arrow keys to move it; Delete removes it. The findings table lists the same findings."))
        self.setToolTip(_("Click on the body to add a finding; drag a marker to move it."))
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(420, 520)

    # --- markers -----------------------------------------------------------------------------------
    def set_markers(self, markers: list[Marker]) -> None:
        self._markers = {m.key: m for m in markers if m.view in bodymap.VIEWS}
        if self._selected not in self._markers:
            self._selected = ""
        self.update()

    def markers(self) -> list[Marker]:
        return list(self._markers.values())

    def marker(self, key: str) -> Marker | None:
        return self._markers.get(key)

    def upsert_marker(self, marker: Marker) -> None:
        if marker.view not in bodymap.VIEWS:
            self.remove_marker(marker.key)
            return
        self._markers[marker.key] = marker
        self.update()

    def remove_marker(self, key: str) -> None:
        if self._markers.pop(key, None) is not None:
            if self._selected == key:
                self._selected = ""
                self.selection_changed.emit("")
            self.update()

    def selected(self) -> str:
        return self._selected

    def select(self, key: str, emit: bool = False) -> None:
        key = key if key in self._markers else ""
        if key != self._selected:
            self._selected = key
            self.update()
            if emit:
                self.selection_changed.emit(key)

    # --- geometry ------------------------------------------------------------------------------------
    def view_rect(self, view: str) -> QRectF:
        """Where a view's box is drawn (widget pixels), aspect ratio kept, centred in its half."""
        w, h = bodymap.load().viewbox
        half = self.width() / 2.0
        area = QRectF(0 if view == "front" else half, TITLE_HEIGHT, half, max(1.0, self.height() - TITLE_HEIGHT))
        area.adjust(8, 4, -8, -6)
        scale = min(area.width() / w, area.height() / h)
        rw, rh = w * scale, h * scale
        return QRectF(area.center().x() - rw / 2, area.top() + (area.height() - rh) / 2, rw, rh)

    def point_of(self, view: str, x: float, y: float) -> QPointF:
        """Widget position of fractions x, y of a view."""
        r = self.view_rect(view)
        return QPointF(r.left() + x * r.width(), r.top() + y * r.height())

    def fractions_at(self, pos: QPointF) -> tuple[str, float, float] | None:
        """(view, x, y) under a widget position, or None outside both view boxes."""
        for view in bodymap.VIEWS:
            r = self.view_rect(view)
            if r.contains(pos):
                return view, round((pos.x() - r.left()) / r.width(), 3), round((pos.y() - r.top()) / r.height(), 3)
        return None

    def on_body(self, view: str, x: float, y: float) -> bool:
        """True where a click should place a finding: inside the silhouette or a region."""
        if bodymap.region_at(view, x, y) is not None:
            return True
        ux, uy = bodymap.load().to_units(x, y)
        return self._paths[view][0].contains(QPointF(ux, uy))

    def marker_at(self, pos: QPointF) -> str:
        best, best_d = "", MARKER_RADIUS + 2
        for m in self._markers.values():
            p = self.point_of(m.view, m.x, m.y)
            d = ((p.x() - pos.x()) ** 2 + (p.y() - pos.y()) ** 2) ** 0.5
            if d <= best_d:
                best, best_d = m.key, d
        return best

    # --- painting ------------------------------------------------------------------------------------
    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        pal = self.palette()
        painter.fillRect(self.rect(), pal.base())
        bm = bodymap.load()
        vw, vh = bm.viewbox
        title_font = QFont(self.font())
        title_font.setBold(True)
        for view in bodymap.VIEWS:
            r = self.view_rect(view)
            painter.setFont(title_font)
            painter.setPen(pal.text().color())
            painter.drawText(QRectF(r.left() - 20, 0, r.width() + 40, TITLE_HEIGHT),
                             Qt.AlignmentFlag.AlignCenter, _(VIEW_TITLES[view]))
            outline, details = self._paths[view]
            painter.save()
            painter.translate(r.left(), r.top())
            painter.scale(r.width() / vw, r.height() / vh)
            painter.setBrush(QColor("#f4f4f4"))
            pen = QPen(QColor("#9a9a9a"), 1.0)
            pen.setCosmetic(True)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawPath(outline)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(pen)
            painter.drawPath(details)
            pen = QPen(QColor("#222222"), 1.6)
            pen.setCosmetic(True)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            painter.setPen(pen)
            painter.drawPath(outline)
            painter.restore()
        self._paint_markers(painter)
        if self.hasFocus():
            pen = QPen(pal.highlight().color(), 1.0, Qt.PenStyle.DotLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(self.rect().adjusted(1, 1, -2, -2))
        painter.end()

    def _paint_markers(self, painter: QPainter) -> None:
        font = QFont(self.font())
        font.setBold(True)
        font.setPixelSize(11)
        painter.setFont(font)
        red = QColor("#c00000")
        ordered = sorted(self._markers.values(), key=lambda m: m.key == self._selected)  # selected on top
        for m in ordered:
            p = self.point_of(m.view, m.x, m.y)
            selected = m.key == self._selected
            radius = MARKER_RADIUS + (2 if selected else 0)
            painter.setPen(QPen(QColor("#ffd400") if selected else red, 3.0 if selected else 1.6))
            painter.setBrush(red if selected else QColor("white"))
            painter.drawEllipse(p, radius, radius)
            painter.setPen(QColor("white") if selected else red)
            label = str(m.number) if m.number is not None else "?"
            painter.drawText(QRectF(p.x() - radius, p.y() - radius, 2 * radius, 2 * radius),
                             Qt.AlignmentFlag.AlignCenter, label)

    # --- mouse -----------------------------------------------------------------------------------------
    def mousePressEvent(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        pos = event.position()
        key = self.marker_at(pos)
        self._press_pos = pos
        self._dragging = False
        self._drag_key = key
        if key:
            self.select(key, emit=True)
        event.accept()

    def mouseMoveEvent(self, event) -> None:
        pos = event.position()
        if self._drag_key and self._press_pos is not None and event.buttons() & Qt.MouseButton.LeftButton:
            if not self._dragging and (pos - self._press_pos).manhattanLength() >= DRAG_THRESHOLD:
                self._dragging = True
            if self._dragging:
                m = self._markers.get(self._drag_key)
                if m is not None:
                    r = self.view_rect(m.view)  # a marker stays on its own view
                    m.x = round(clamp01((pos.x() - r.left()) / r.width()), 3)
                    m.y = round(clamp01((pos.y() - r.top()) / r.height()), 3)
                    self.update()
            return
        over = self.marker_at(pos)
        self.setCursor(Qt.CursorShape.OpenHandCursor if over else Qt.CursorShape.CrossCursor)

    def mouseReleaseEvent(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mouseReleaseEvent(event)
        key, dragging = self._drag_key, self._dragging
        self._drag_key, self._dragging, self._press_pos = "", False, None
        if key:
            m = self._markers.get(key)
            if dragging and m is not None:
                self.moved.emit(key, m.view, m.x, m.y)
            return
        hit = self.fractions_at(event.position())
        if hit is None:
            self.select("", emit=True)
            return
        view, x, y = hit
        if self.on_body(view, x, y):
            self.placed.emit(view, x, y)
        else:
            self.select("", emit=True)

    # --- keyboard ----------------------------------------------------------------------------------------
    def keyPressEvent(self, event) -> None:
        key = event.key()
        m = self._markers.get(self._selected)
        steps = {Qt.Key.Key_Left: (-1, 0), Qt.Key.Key_Right: (1, 0), Qt.Key.Key_Up: (0, -1), Qt.Key.Key_Down: (0, 1)}
        if m is not None and key in steps:
            step = ARROW_STEP * (4 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1)
            dx, dy = steps[key]
            m.x = round(clamp01(m.x + dx * step), 3)
            m.y = round(clamp01(m.y + dy * step), 3)
            self.update()
            self.moved.emit(m.key, m.view, m.x, m.y)
            return
        if m is not None and key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.delete_requested.emit(m.key)
            return
        if key in (Qt.Key.Key_PageDown, Qt.Key.Key_PageUp) and self._markers:
            # cycle through the markers in finding order
            keys = [k.key for k in sorted(self._markers.values(), key=lambda k: (k.number or 0, k.key))]
            i = keys.index(self._selected) if self._selected in keys else -1
            i = (i + (1 if key == Qt.Key.Key_PageDown else -1)) % len(keys)
            self.select(keys[i], emit=True)
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event) -> None:
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event) -> None:
        self.update()
        super().focusOutEvent(event)
