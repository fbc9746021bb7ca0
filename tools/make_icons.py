"""Render the application icon resources/icons/kkdesk.svg as PNGs 16–256 px (next to it, for the
window and the Linux desktop entry) and packaging/kkdesk.ico (for the Windows build).

    QT_QPA_PLATFORM=offscreen python tools/make_icons.py

Qt's QSvgRenderer draws the SVG at each size (small sizes are drawn, not scaled down from a big
one); Pillow (installed with reportlab) packs the Windows .ico. Commit what it writes.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
ICO = ROOT / "packaging" / "kkdesk.ico"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(svg: Path = ICONS / "kkdesk.svg", out: Path = ICONS, ico: Path = ICO) -> list[Path]:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"not a valid SVG: {svg}")
    written = []
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        path = out / f"kkdesk-{size}.png"
        if not image.save(str(path)):
            raise SystemExit(f"could not write {path}")
        written.append(path)
    from PIL import Image

    images = [Image.open(p) for p in written]
    images[-1].save(ico, format="ICO", sizes=[(s, s) for s in SIZES], append_images=images[:-1])
    written.append(ico)
    return written


if __name__ == "__main__":
    for p in render():
        print(p.relative_to(ROOT))
