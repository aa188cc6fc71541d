"""What makes a cold start fast changes no output: shortcuts are compared with the long way."""

from __future__ import annotations

import io

import pytest
from reportlab.pdfgen.canvas import Canvas

from handouts.pdf import scanmarks


def _slow_box(c: Canvas, rect: scanmarks.Rect, line_width: float) -> None:
    """The tick box through the canvas's own methods (draw_box before it wrote operators)."""
    x, y, w, h = rect
    c.saveState()
    c.setStrokeColor(scanmarks.BOX_LINE)
    c.setLineWidth(line_width)
    c.roundRect(x, y, w, h, min(w, h) * 0.15, stroke=1, fill=0)
    c.restoreState()


@pytest.mark.parametrize(
    ("rect", "line_width"),
    [
        ((10.5, 20.25, 8, 8), 0.9),
        ((101.123456, 700.98765, 7.3333, 9.1), 0.5),
        ((0, 0, 12.5, 6.25), 1.2),
        ((300.1, 40.7, -8.4, 8.4), 0.9),  # a negative width: roundRect orders the corners
    ],
)
def test_a_tick_box_is_the_same_operators_as_the_canvas_methods_write(rect, line_width):
    fast, slow = Canvas(io.BytesIO()), Canvas(io.BytesIO())
    for canvas in (fast, slow):
        canvas.setFillColorRGB(0.2, 0.4, 0.6)  # some state before, kept after
    scanmarks.draw_box(fast, rect, line_width)
    _slow_box(slow, rect, line_width)
    assert fast._code == slow._code
    assert fast._doc._pdfVersion == slow._doc._pdfVersion
    for canvas in (fast, slow):
        canvas.drawString(10, 10, "after")  # the state after the box is the same
    assert fast._code == slow._code
    fast.setStrokeAlpha(0.5)  # an unusual state: draw_box takes the canvas's own way
    slow.setStrokeAlpha(0.5)
    scanmarks.draw_box(fast, rect, line_width)
    _slow_box(slow, rect, line_width)
    assert fast._code == slow._code
