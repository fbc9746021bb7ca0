"""The bundled DejaVu Sans family, registered once with reportlab and embedded
(subset) in every PDF. reportlab's base-14 fonts have no Cyrillic, let alone the
Kazakh letters Ә Ғ Қ Ң Ө Ұ Ү Һ І, so no text may ever fall back to Helvetica."""

from __future__ import annotations

import threading
from functools import lru_cache

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from kkdesk.resources import resource_path

FAMILY = "DejaVuSans"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"
BOLD_ITALIC = "DejaVuSans-BoldOblique"
FACES = (REGULAR, BOLD, ITALIC, BOLD_ITALIC)

_lock = threading.Lock()
_registered = False


def register() -> None:
    """Register the four faces and the family (so <b>/<i> in paragraphs map to the
    bundled faces). Idempotent and thread-safe."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        for face in FACES:
            pdfmetrics.registerFont(TTFont(face, str(resource_path("fonts", face + ".ttf"))))
        pdfmetrics.registerFontFamily(FAMILY, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC)
        # the lower-case alias platypus uses when it resolves <b>/<i> by family name
        for bold, italic, face in ((0, 0, REGULAR), (1, 0, BOLD), (0, 1, ITALIC), (1, 1, BOLD_ITALIC)):
            addMapping(FAMILY, bold, italic, face)
        _registered = True


@lru_cache(maxsize=None)
def _cmap(face: str) -> frozenset[int]:
    register()
    return frozenset(pdfmetrics.getFont(face).face.charToGlyph)


def missing_glyphs(text: str, face: str = REGULAR) -> set[str]:
    """The characters of `text` that `face` cannot draw (controls and spaces ignored)."""
    have = _cmap(face)
    return {ch for ch in text if ch not in "\n\r\t" and ord(ch) not in have}
