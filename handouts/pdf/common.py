"""Pieces both PDFs share: escaping, the file's metadata."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.pdfgen.canvas import Canvas

from handouts.pdf.views import PageFrame


def esc(value: str) -> str:
    """Patient, roster and practice text is data, never markup."""
    return escape(value)


def set_metadata(canvas: Canvas, frame: PageFrame) -> None:
    """Only what the practice chooses: no patient name in the file's metadata."""
    canvas.setTitle(frame.title)
    canvas.setAuthor(frame.author)
    canvas.setCreator("handouts")
    canvas.setSubject("")
