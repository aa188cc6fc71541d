"""The bundled font (Noto Sans, OFL): registered once per process, embedded in every PDF.

Noto Sans covers the Latin letters of Dutch, French, German, Polish and Turkish names
(including İ, which Atkinson Hyperlegible lacks). Every text we draw uses it; nothing may
fall back to reportlab's unembedded Helvetica.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR = "NotoSans"
BOLD = "NotoSans-Bold"


@cache
def register() -> None:
    folder = resources.files("handouts").joinpath("fonts")
    for name, file_name in ((REGULAR, "NotoSans-Regular.ttf"), (BOLD, "NotoSans-Bold.ttf")):
        with resources.as_file(folder.joinpath(file_name)) as path:
            pdfmetrics.registerFont(TTFont(name, str(path)))
    # <b> inside paragraphs maps to the bold face; italics are not used
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, REGULAR)
    addMapping(REGULAR, 1, 1, BOLD)


def unprintable(text: str) -> str:
    """The characters of text that the bundled font cannot draw (they would print as boxes)."""
    register()
    glyphs = pdfmetrics.getFont(REGULAR).face.charToGlyph
    return "".join(sorted({c for c in text if not c.isspace() and ord(c) not in glyphs}))


def width(text: str, font: str, size: float) -> float:
    return float(pdfmetrics.stringWidth(text, font, size))
