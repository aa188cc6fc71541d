"""Draw every exercise picture, right foot and mirrored left foot, on one page.

    python tools/contact_sheet.py docs/pictures.pdf && pdftoppm -r 60 -png -singlefile \
        docs/pictures.pdf docs/pictures

Uses the same code path as the handout (recolouring, mirroring, Form XObjects).
"""

from __future__ import annotations

import sys
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

from handouts.library import load_library
from handouts.pdf import fonts
from handouts.pdf.illustrations import draw_picture, picture_ref

ACCENT = "#1f5f8b"


def main(out: Path) -> None:
    fonts.register()
    library = load_library()
    ids = sorted(library.pictures)
    width, height = landscape(A4)
    columns = 4
    cell_w = (width - 40) / columns
    cell_h = cell_w * 0.75 / 2 + 22  # a right and a left picture side by side, plus a label
    rows = -(-len(ids) // columns)
    height = rows * cell_h + 40
    canvas = Canvas(str(out), pagesize=(width, height), invariant=1, initialFontName=fonts.REGULAR)
    for index, exercise_id in enumerate(ids):
        path = library.pictures[exercise_id]
        picture = picture_ref(path, ACCENT)
        assert picture is not None
        x = 20 + (index % columns) * cell_w
        y = height - 20 - (index // columns + 1) * cell_h
        half = (cell_w - 12) / 2
        draw_picture(canvas, picture, x, y + 16, half, mirror=False)
        draw_picture(canvas, picture, x + half + 4, y + 16, half, mirror=True)
        canvas.setFont(fonts.REGULAR, 7.5)
        canvas.drawString(x, y + 5, f"{exercise_id}  (R | L)")
    canvas.showPage()
    canvas.save()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/pictures.pdf"))
