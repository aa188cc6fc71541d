"""The one seam between our layouts and reportlab's speed: Plain or Fast.

Both draw the same pages through the same layout code (handout.py, checklist.py):

- PLAIN is reportlab as shipped: its own documents and streams, forms within one PDF only,
  nothing remembered from one PDF to the next. It is the reference the fast path is
  compared with (tests/test_equivalence.py).
- FAST (what the tool uses) remembers work across PDFs in a Memory (memory.py): parsed
  paragraphs and their lines, drawn cards and blocks, checklist rows and days, font subsets
  and compressed streams. Everything remembered is keyed by the view it was drawn from
  (views.py). Its canvas gives characters fixed codes (fonts.fix_codes), so that the same
  drawing is the same bytes in every PDF, and writes its document with Flate-only streams
  and lean forms.

Fast's PDFs are made on our own Canvas and document subclasses, and the one choice the
flowables cannot see through the canvas (may a paragraph reuse another PDF's work?) is
memory.active(), set for one build in one thread. The one change to reportlab itself is
writing.install(): faster object writing, for fast documents only (see there why).

What each part of Fast saves, measured as CPU time per pack in one process (24 varied
patients, warm, median of 3; README): remembered compression 6 ms of 18, writing.py 5 of
17, forms' operators without the codec ~1.
"""

from __future__ import annotations

import contextlib
import re
import zlib
from collections.abc import Iterator
from typing import Any

import msgspec
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

from handouts.pdf import fonts, kept, writing
from handouts.pdf.memory import Lru, Memory, active, remembering


class Accelerator(msgspec.Struct, frozen=True, eq=False):
    name: str
    memory: Memory | None  # None: nothing remembered across PDFs

    @contextlib.contextmanager
    def building(self, *look: Any) -> Iterator[None]:
        """Wrap the making of one PDF (in this thread); look: the kind of PDF and what all
        its pages share (views), naming the shelf of drawings kept between runs (kept.py)."""
        fonts.register()
        kept_between_runs = kept.shelf(*look) if self.memory is not None and look else None
        with remembering(self.memory), kept_between_runs or contextlib.nullcontext():
            yield


PLAIN = Accelerator("plain", None)
FAST = Accelerator("fast", Memory())


class PdfCanvas(Canvas):  # type: ignore[misc]
    """The canvas of both PDFs. Made while a Memory is active (Fast), its characters get
    fixed codes and its document is a _FastDocument; otherwise it is reportlab's Canvas."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        memory = active()
        self._fast = memory is not None
        if memory is not None:
            self._doc.__class__ = _FastDocument  # our own subclass, for this document only
            self._doc.flate = _RememberedFlate(memory.compressed)
            fonts.fix_codes(self)

    def endForm(self, **extra_attributes: Any) -> None:
        """reportlab's Canvas.endForm (5.x), making a _LeanForm on a fast canvas."""
        if not self._fast:
            super().endForm(**extra_attributes)
            return
        name, lowerx, lowery, upperx, uppery = self._formData
        width, height = self._pagesize
        upperx = width if upperx is None else upperx
        uppery = height if uppery is None else uppery
        form = _LeanForm(lowerx=lowerx, lowery=lowery, upperx=upperx, uppery=uppery)
        form.compression = self._pageCompression
        form.setStreamList([self._preamble, *self._code])
        for key, value in extra_attributes.items():
            setattr(form, key, value)
        self._setColorSpace(form)
        self._setExtGState(form)
        self._setXObjects(form)
        self._setAnnotations(form)
        self._doc.addForm(name, form)
        self._restartAccumulators()
        self.pop_state_stack()


class _RememberedFlate(pdfdoc.PDFStreamFilterZCompress):  # type: ignore[misc]
    """Flate, remembering recent results: much of a PDF (font subsets, pictures, a
    checklist's rows) is byte for byte the same in the next patient's PDF."""

    def __init__(self, known: Lru[bytes, bytes]) -> None:
        self.known = known

    def encode(self, text: bytes | str) -> bytes:
        data = text.encode("utf8") if isinstance(text, str) else text
        packed = self.known.get(data)
        if packed is None:
            packed = zlib.compress(data)
            self.known.put(data, packed)
        return packed


_NOT_IN_PDFDOC = re.compile(r"[\x18-\x1f]")  # ASCII that PDFDocEncoding has no code for


class _FastDocument(pdfdoc.PDFDocument):  # type: ignore[misc]
    """Fast's document: streams Flate-compressed without ASCII85 on top (reportlab's default,
    from the days of 7-bit mail: 10 % smaller files, less work, the same pages), through
    the remembering filter; forms without entries that are defaults or obsolete."""

    flate: _RememberedFlate

    def Reference(self, obj: Any, name: str | None = None) -> Any:
        if isinstance(obj, pdfdoc.PDFStream) and obj.filters and pdfdoc.PDFZCompress in obj.filters:
            obj.filters = [self.flate]
        return super().Reference(obj, name)


class _LeanForm(pdfdoc.PDFFormXObject):  # type: ignore[misc]
    """A Form XObject without /FormType 1, /Matrix [1 0 0 1 0 0] and /ProcSet: the first
    two are what a reader assumes when they are missing, and ProcSet is obsolete since
    PDF 1.4. A checklist has ~50 forms: ~5 KB less per pack. Its operators are ASCII
    (reportlab escapes the rest), which PDFDocEncoding leaves as it is: encoded without
    reportlab's character-map codec (~5 % of a pack's time)."""

    def setStreamList(self, data: list[str]) -> None:
        text = "\n".join(data)
        if text.isascii() and not _NOT_IN_PDFDOC.search(text):
            self.stream = text.encode("ascii")
        else:
            super().setStreamList(text)  # the codec, and its error for what it cannot encode

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
            stream.filters = [document.flate]
        entries = stream.dictionary
        entries["Type"] = pdfdoc.PDFName("XObject")
        entries["Subtype"] = pdfdoc.PDFName("Form")
        entries["BBox"] = pdfdoc.PDFArray([self.lowerx, self.lowery, self.upperx, self.uppery])
        entries["Resources"] = resources
        return bytes(stream.format(document))


writing.install(_FastDocument)
