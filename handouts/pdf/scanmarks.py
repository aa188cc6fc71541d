"""What makes a checklist page machine-readable: corner markers, a QR code, pain rows, form fields.

Everything is drawn from a PageGeometry (handouts.scan.geometry), so the reader finds exactly
what was drawn. Base install only: reportlab draws, segno (pure Python) encodes the QR code,
and the ArUco bit patterns of the four markers are written out here, so printing needs no
OpenCV (a test checks them against OpenCV's dictionary).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from reportlab.lib import colors
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfgen.canvas import Canvas

from handouts.pdf import fonts

if TYPE_CHECKING:  # the geometry module is imported for scan-ready pages only
    from handouts.scan.geometry import Box, PageGeometry, Rect

# DICT_4X4_50, ids 0-3: the 4x4 inner cells row by row, 1 = white. Around them a black border
# one cell wide; the whole marker is 6 cells wide.
ARUCO_4X4 = {
    0: ("1011", "0101", "0011", "0010"),
    1: ("0000", "1111", "1001", "1010"),
    2: ("0011", "0011", "0010", "1101"),
    3: ("1001", "1001", "0100", "0110"),
}
INK = colors.black
BOX_LINE = colors.Color(0.25, 0.25, 0.25)


def draw_marker(c: Canvas, marker_id: int, centre: tuple[float, float], size: float) -> None:
    """One ArUco marker, black border included, centred on centre."""
    cell = size / 6
    x0, y0 = centre[0] - size / 2, centre[1] - size / 2
    c.saveState()
    c.setFillColor(INK)
    c.rect(x0, y0, size, size, stroke=0, fill=1)
    c.setFillColor(colors.white)
    path = c.beginPath()
    for row, bits in enumerate(ARUCO_4X4[marker_id]):
        for col, bit in enumerate(bits):
            if bit == "1":  # row 0 is the top row of the marker
                path.rect(x0 + (col + 1) * cell, y0 + size - (row + 2) * cell, cell, cell)
    c.drawPath(path, stroke=0, fill=1)
    c.restoreState()


@lru_cache(maxsize=256)
def qr_modules(text: str) -> tuple[tuple[bool, ...], ...]:
    """The dark modules of a version-1 (or larger) QR code, error level Q, without quiet zone."""
    import segno  # only scan-ready checklists have a QR code: other PDFs skip its import

    code = segno.make(text, error="q", micro=False, boost_error=False)
    return tuple(tuple(bool(v) for v in row) for row in code.matrix)


def draw_qr(c: Canvas, text: str, rect: Rect) -> None:
    """A QR code filling rect (square); the page keeps a white quiet zone around it."""
    modules = qr_modules(text)
    n = len(modules)
    x0, y0, size, _ = rect
    cell = size / n
    c.saveState()
    c.setFillColor(INK)
    path = c.beginPath()
    for row, line in enumerate(modules):
        for col, dark in enumerate(line):
            if dark:
                path.rect(x0 + col * cell, y0 + size - (row + 1) * cell, cell, cell)
    c.drawPath(path, stroke=0, fill=1)
    c.restoreState()


def draw_scan_marks(c: Canvas, geometry: PageGeometry) -> None:
    """The four corner markers and the QR code of a page."""
    from handouts.scan.geometry import MARKER_IDS

    for marker_id, centre in zip(MARKER_IDS, geometry.markers, strict=True):
        draw_marker(c, marker_id, centre, geometry.marker_size)
    draw_qr(c, geometry.page_id, geometry.qr)
    # the id in small type under the code, for a person looking a page up by hand
    c.saveState()
    c.setFont(fonts.REGULAR, 5.5)
    c.setFillColor(colors.Color(0.45, 0.45, 0.45))
    x, y, w, _ = geometry.qr
    c.drawCentredString(x + w / 2, y - 7, geometry.page_id)
    c.restoreState()


def draw_box(c: Canvas, rect: Rect, line_width: float = 0.9) -> None:
    """An empty tick box with slightly rounded corners.

    A checklist draws ~1,400 of them (12 weeks of pain charts), which cost a cold `generate`
    ~25 ms through the canvas's methods. On a canvas in its usual state (stroke opaque, no
    enforced colour space) the same operators are written straight away: _box_operators is
    saveState, setStrokeColor, setLineWidth, roundRect and restoreState as reportlab 5 writes
    them, byte for byte (tests/test_startup.py compares the two)."""
    if c._enforceColorSpace is None and c._extgstate.getValue("CA") == 1:
        c._doc.ensureMinPdfVersion("transparency")  # what setStrokeColor's alpha 1 does
        c._code.extend(_box_operators(tuple(rect), line_width))  # a list would not hash
        return
    x, y, w, h = rect
    c.saveState()
    c.setStrokeColor(BOX_LINE)
    c.setLineWidth(line_width)
    c.roundRect(x, y, w, h, min(w, h) * 0.15, stroke=1, fill=0)
    c.restoreState()


_BOX_STROKE = f"{fp_str(BOX_LINE.red, BOX_LINE.green, BOX_LINE.blue)} RG"


@lru_cache(maxsize=2048)  # the weeks of a checklist have their boxes in the same places
def _box_operators(rect: Rect, line_width: float) -> tuple[str, ...]:
    """reportlab's PDFPathObject.roundRect with one radius, in its order and arithmetic."""
    x, y, width, height = rect
    radius = min(width, height) * 0.15
    t = 0.4472 * radius
    xlo, xhi = min(x, x + width), max(x, x + width)
    ylo, yhi = min(y, y + height), max(y, y + height)
    return (
        "q",
        _BOX_STROKE,
        f"{fp_str(line_width)} w",
        "n",
        f"{fp_str(xlo + radius, ylo)} m",
        f"{fp_str(xhi - radius, ylo)} l",
        f"{fp_str(xhi - t, ylo, xhi, ylo + t, xhi, ylo + radius)} c",
        f"{fp_str(xhi, yhi - radius)} l",
        f"{fp_str(xhi, yhi - t, xhi - t, yhi, xhi - radius, yhi)} c",
        f"{fp_str(xlo + radius, yhi)} l",
        f"{fp_str(xlo + t, yhi, xlo, yhi - t, xlo, yhi - radius)} c",
        f"{fp_str(xlo, ylo + radius)} l",
        f"{fp_str(xlo, ylo + t, xlo + t, ylo, xlo + radius, ylo)} c",
        "h",
        "S",
        "Q",
    )


def draw_pain_boxes(
    c: Canvas,
    boxes: Sequence[Box],
    font_size: float,
    labels: str = "outside",
) -> None:
    """A pain row or column: one empty box per score, its number beside the box, never inside
    (ink of a printed digit inside a box would read as a cross). labels: "outside" puts the
    number left of a vertical column, above a horizontal row; "none" draws boxes only."""
    if not boxes:
        return
    vertical = len({round(box.rect[0], 1) for box in boxes}) == 1 and len(boxes) > 1
    c.saveState()
    c.setFont(fonts.REGULAR, font_size)
    c.setFillColor(colors.Color(0.3, 0.3, 0.3))
    for box in boxes:
        draw_box(c, box.rect)
        if labels == "none":
            continue
        x, y, w, h = box.rect
        if vertical:
            c.drawRightString(x - 2, y + h / 2 - font_size * 0.35, str(box.score))
        else:
            c.drawCentredString(x + w / 2, y + h + 2, str(box.score))
    c.restoreState()


def field_name(geometry: PageGeometry, index: int) -> str:
    """AcroForm name of box `index`: the page id, so a returned PDF names its own page."""
    return f"{geometry.page_id}_{index}"


def draw_form_fields(c: Canvas, geometry: PageGeometry) -> None:
    """Form fields over the boxes (--fillable): a check box per session box, one radio group
    per pain row (one score per day and side, as on paper). fieldFlags="" keeps them optional."""
    form = c.acroForm
    groups: dict[str, int] = {}
    for index, box in enumerate(geometry.boxes):
        x, y, w, h = box.rect
        size = min(w, h)
        if box.kind == "session":
            form.checkbox(
                name=field_name(geometry, index),
                x=x,
                y=y,
                size=size,
                buttonStyle="cross",
                borderWidth=0,
                borderColor=None,
                fillColor=None,
                textColor=INK,
                fieldFlags="",
                forceBorder=False,
            )
        else:
            group = groups.setdefault(box.pain_group(), index)
            form.radio(
                name=field_name(geometry, group),
                value=str(box.score),
                selected=False,
                x=x,
                y=y,
                size=size,
                buttonStyle="cross",
                shape="square",
                borderWidth=0,
                borderColor=None,
                fillColor=None,
                textColor=INK,
                fieldFlags="radio",
                forceBorder=False,
            )
