"""Pieces both PDFs share: escaping, the footer that fits any name, the file's metadata."""

from __future__ import annotations

import datetime as dt
import html

import msgspec
from reportlab.pdfbase.pdfdoc import PDFString, TimeStamp
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from handouts.pdf.views import PageFrame

ELLIPSIS = "…"
SMALLEST = 0.75  # a footer shrinks to at most this share of its size before it shortens
GAP = 12.0  # points between footer items


def esc(value: str) -> str:
    """Patient, roster and practice text is data, never markup: &, < and > as entities
    (html.escape: xml.sax.saxutils does the same, but imports urllib and http, ~4 ms)."""
    return html.escape(value, quote=False)


class FooterItem(msgspec.Struct, frozen=True):
    text: str
    x: float  # left edge
    width: float


class Footer(msgspec.Struct, frozen=True):
    size: float
    items: tuple[FooterItem, FooterItem, FooterItem]  # left, centre, right


def shorten(text: str, font: str, size: float, width: float) -> str:
    """The text, cut at a word (or a character) with an ellipsis, so it is at most width wide."""
    if stringWidth(text, font, size) <= width:
        return text
    words = text.split(" ")
    while len(words) > 1:
        words.pop()
        candidate = " ".join(words).rstrip(" ·,-") + ELLIPSIS
        if stringWidth(candidate, font, size) <= width and len(words) > 1:
            return candidate
    cut = text
    while cut and stringWidth(cut + ELLIPSIS, font, size) > width:
        cut = cut[:-1]
    return cut.rstrip() + ELLIPSIS if cut else ""


def fit_footer(
    left: str, centre: str, right: str, x0: float, x1: float, font: str, size: float
) -> Footer:
    """Place three footer texts between x0 and x1: left-aligned, centred, right-aligned.

    Long names first shrink (to SMALLEST of the size); then the centre moves off the middle
    if that is what it takes; then the left and centre texts are shortened with an ellipsis,
    each keeping at least a fair share. The items never overlap and never leave [x0, x1].
    """
    one_line = [" ".join(t.split()) for t in (left, centre, right)]  # no control characters

    def widths(s: float) -> list[float]:
        return [stringWidth(t, font, s) for t in one_line]

    def fits(w: list[float]) -> bool:
        return sum(w) + 2 * GAP <= x1 - x0

    s = size
    while not fits(widths(s)) and s > size * SMALLEST:
        s = max(size * SMALLEST, s - 0.25)
    a, b, c = one_line
    wa, wb, wc = widths(s)
    room = x1 - x0 - wc - 2 * GAP  # for left and centre together
    if wa + wb > room:
        fair = room / 2
        if wa <= fair:
            b = shorten(b, font, s, room - wa)
        elif wb <= fair:
            a = shorten(a, font, s, room - wb)
        else:
            a, b = shorten(a, font, s, fair), shorten(b, font, s, fair)
        wa, wb = stringWidth(a, font, s), stringWidth(b, font, s)
    # the centre stays in the middle when it can, else it sits between the other two
    middle = (x0 + x1) / 2 - wb / 2
    lowest, highest = x0 + wa + GAP, x1 - wc - GAP - wb
    xb = min(max(middle, lowest), highest)
    return Footer(
        s,
        (FooterItem(a, x0, wa), FooterItem(b, xb, wb), FooterItem(c, x1 - wc, wc)),
    )


def draw_footer(
    canvas: Canvas,
    y: float,
    x0: float,
    x1: float,
    texts: tuple[str, str, str],
    font: str,
    size: float,
) -> Footer:
    """Draw the footer (patient, practice, page) fitted by fit_footer on baseline y."""
    footer = fit_footer(*texts, x0, x1, font, size)
    canvas.setFont(font, footer.size)
    for item in footer.items:
        if item.text:
            canvas.drawString(item.x, y, item.text)
    return footer


def set_metadata(canvas: Canvas, frame: PageFrame) -> None:
    """Only what the practice chooses: no patient name in the file's metadata. The file's
    date is the plan's day (so the same input still gives the same bytes)."""
    canvas.setTitle(frame.title)
    canvas.setAuthor(frame.author)
    canvas.setCreator("handouts")
    canvas.setSubject("")
    doc = canvas._doc
    doc.Catalog.Lang = PDFString(frame.lang)
    doc._timeStamp = _timestamp(frame.made)


def _timestamp(day: dt.date) -> TimeStamp:
    stamp = TimeStamp(invariant=1)
    moment = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    stamp.t = moment.timestamp()
    stamp.lt = moment.timetuple()
    stamp.YMDhms = tuple(stamp.lt)[:6]
    return stamp
