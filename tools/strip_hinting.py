"""Remove the TrueType hinting from the bundled fonts (done once; the result is committed).

Hinting instructions steer rasterising at small pixel sizes on old screens; PDF viewers and
printers do not need them, and they were ~40 % of every embedded font subset (~20 KB a
patient pack). Needs fontTools (`pip install fonttools`), which the tool itself does not.

    python tools/strip_hinting.py fonts/NotoSans-*.ttf
"""

from __future__ import annotations

import sys

from fontTools.ttLib import TTFont
from fontTools.ttLib.tables import ttProgram

HINTING_TABLES = ("fpgm", "prep", "cvt ", "hdmx", "LTSH", "VDMX")


def strip(path: str) -> None:
    font = TTFont(path)
    for table in HINTING_TABLES:
        if table in font:
            del font[table]
    glyphs = font["glyf"]
    for name in font.getGlyphOrder():
        glyph = glyphs[name]
        if hasattr(glyph, "program"):
            empty = ttProgram.Program()
            empty.fromBytecode(b"")
            glyph.program = empty
    font.save(path)


if __name__ == "__main__":
    for argument in sys.argv[1:]:
        strip(argument)
