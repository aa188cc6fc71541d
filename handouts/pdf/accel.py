"""The one seam between our layouts and reportlab's speed: Plain or Fast.

Both draw the same pages through the same layout code (handout.py, checklist.py):

- PLAIN is reportlab as shipped: its own documents and streams, forms within one PDF only,
  nothing remembered from one PDF to the next. It is the reference the fast path is
  compared with (tests/test_equivalence.py).
- FAST (what the tool uses) remembers work across PDFs in a Memory (memory.py): parsed
  paragraphs and their lines, drawn cards and blocks, checklist rows and days, pictures,
  font subsets. Everything remembered is keyed by the view it was drawn from
  (views.py). Its canvas gives characters fixed codes (fonts.fix_codes), so that the same
  drawing is the same bytes in every PDF, and writes its document with Flate-only streams
  and lean forms. (Remembering compressed streams too was measured: no gain, dropped.)

Fast's PDFs are made on our own Canvas and document subclasses, and the one choice the
flowables cannot see through the canvas (may a paragraph reuse another PDF's work?) is
memory.active(), set for one build in one thread. The one change to reportlab itself is
writing.install(): faster object writing, for fast documents only (see there why).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

from handouts.pdf import fonts, writing
from handouts.pdf.memory import Memory, active, remembering


@dataclass(frozen=True, eq=False)
class Accelerator:
    name: str
    memory: Memory | None  # None: nothing remembered across PDFs

    @contextlib.contextmanager
    def building(self) -> Iterator[None]:
        """Wrap the making of one PDF (in this thread)."""
        fonts.register()
        with remembering(self.memory):
            yield


writing.install()
PLAIN = Accelerator("plain", None)
FAST = Accelerator("fast", Memory())


class PdfCanvas(Canvas):  # type: ignore[misc]
    """The canvas of both PDFs. Made while a Memory is active (Fast), its characters get
    fixed codes and its document is a _FastDocument; otherwise it is reportlab's Canvas."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        memory = active()
        if memory is not None:
            self._doc.__class__ = _FastDocument  # our own subclass, for this document only
            fonts.fix_codes(self)


class _FastDocument(pdfdoc.PDFDocument):  # type: ignore[misc]
    """Fast's document: streams Flate-compressed without ASCII85 on top (reportlab's default,
    from the days of 7-bit mail: 10 % smaller files, less work, the same pages); forms
    without entries that are defaults or obsolete; objects written by writing.py."""

    fast_writing = True  # writing.py

    def Reference(self, obj: Any, name: str | None = None) -> Any:
        if isinstance(obj, pdfdoc.PDFStream) and obj.filters and pdfdoc.PDFZCompress in obj.filters:
            obj.filters = [pdfdoc.PDFZCompress]
        return super().Reference(obj, name)

    def addForm(self, name: str, form: Any) -> None:
        if type(form) is pdfdoc.PDFFormXObject:
            form.__class__ = _LeanForm
        super().addForm(name, form)


class _LeanForm(pdfdoc.PDFFormXObject):  # type: ignore[misc]
    """A Form XObject without /FormType 1, /Matrix [1 0 0 1 0 0] and /ProcSet: the first
    two are what a reader assumes when they are missing, and ProcSet is obsolete since
    PDF 1.4. A checklist has ~50 forms: ~5 KB less per pack."""

    def format(self, document: Any) -> bytes:
        if self.Annots:
            raise ValueError("annotations don't work in PDFFormXObjects")
        resources = pdfdoc.PDFResourceDictionary()
        resources.basicFonts()
        resources.ProcSet = []  # left out
        if self.XObjects:
            resources.XObject = self.XObjects
        stream = pdfdoc.PDFStream()
        stream.content = self.stream
        if self.compression:
            stream.filters = [pdfdoc.PDFZCompress]
        entries = stream.dictionary
        entries["Type"] = pdfdoc.PDFName("XObject")
        entries["Subtype"] = pdfdoc.PDFName("Form")
        entries["BBox"] = pdfdoc.PDFArray([self.lowerx, self.lowery, self.upperx, self.uppery])
        entries["Resources"] = resources
        return bytes(stream.format(document))
