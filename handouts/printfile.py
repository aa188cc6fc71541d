"""One PDF made of many, for a single print job: pages copied in order, written as they are read.

pypdf's writer keeps every page in memory until it saves; a print file for 1,000 patients
would need well over a gigabyte. This copies each source file's objects (renumbered) straight
into the output and keeps only their offsets, so memory stays that of one source file.
The file appears under its name only when it is complete (temporary file, then a rename).

For a duplex printer each file of a patient's part is padded to an even number of pages with
a page that says, in every language, that it is blank on purpose: no sheet carries two
patients, and handout and checklists are on sheets of their own.
"""

from __future__ import annotations

import io
from array import array
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import BinaryIO

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NullObject,
    PdfObject,
    StreamObject,
    TextStringObject,
)
from reportlab.pdfgen.canvas import Canvas

from handouts.deliver import write_atomically


def concatenate(sources: Iterable[Path], target: Path) -> int:
    """Write the pages of sources, in order, to target; returns the number of pages."""
    return concatenate_parts(([source] for source in sources), target, duplex=False)


def concatenate_parts(
    parts: Iterable[Sequence[Path]],
    target: Path,
    duplex: bool = True,
    meta: tuple[str, str, str, str] | None = None,
) -> int:
    """Write each part's files, in order, to target; with duplex, a file that ends on a
    front side gets an intentionally blank back, so every part (a patient) and every file
    in it starts on a front side: no sheet carries two patients, and a checklist whose
    weeks take a sheet each (large print) keeps each week on one sheet.
    meta: title, author, language tag and day (a PDF date) for the file, as for join."""
    pages = 0

    def write(out: BinaryIO) -> None:
        nonlocal pages
        writer = _StreamingWriter(out)
        for part in parts:
            for source in part:
                last = writer.append(source)
                if duplex and writer.page_count % 2:
                    box = last.pages[-1].mediabox
                    writer.append(io.BytesIO(blank_page(float(box.width), float(box.height))))
        if meta is None:
            writer.finish()
        else:
            title, author, lang, day = meta
            writer.finish(_info(title, author, day), lang)
        pages = writer.page_count

    write_atomically(target, write)
    return pages


def select(document: bytes, first: int, last: int, meta: tuple[str, str, str, str]) -> bytes:
    """Pages first..last (1-based) of a PDF; meta: title, author, lang, day as for join."""
    out = io.BytesIO()
    writer = _StreamingWriter(out)
    writer.append(io.BytesIO(document), range(first - 1, last))
    title, author, lang, day = meta
    writer.finish(_info(title, author, day), lang)
    return out.getvalue()


def join(
    documents: Sequence[bytes], title: str, author: str, lang: str, day: str, duplex: bool = False
) -> bytes:
    """Several PDFs as one (a patient's pack: handout, checklists, booklet), with honest
    metadata (day: a PDF date, D:YYYYMMDD000000Z) and nothing else that varies: the same
    documents give the same bytes. duplex: each document starts on a front side (a blank
    back after one that ends on a front)."""
    out = io.BytesIO()
    writer = _StreamingWriter(out)
    for n, document in enumerate(documents):
        last = writer.append(io.BytesIO(document))
        if duplex and n < len(documents) - 1 and writer.page_count % 2:
            box = last.pages[-1].mediabox
            writer.append(io.BytesIO(blank_page(float(box.width), float(box.height))))
    writer.finish(_info(title, author, day), lang)
    return out.getvalue()


def _info(title: str, author: str, day: str) -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/Title"): TextStringObject(title),
            NameObject("/Author"): TextStringObject(author),
            NameObject("/Creator"): TextStringObject("handouts"),
            NameObject("/CreationDate"): TextStringObject(day),
            NameObject("/ModDate"): TextStringObject(day),
        }
    )


class _StreamingWriter:
    CATALOG, PAGES = 1, 2  # object numbers, written last

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.offsets = array("Q", [0, 0])  # by object number - 1
        self.kids = array("Q")
        out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    @property
    def page_count(self) -> int:
        return len(self.kids)

    def append(self, source: Path | io.BytesIO, only: range | None = None) -> PdfReader:
        reader = PdfReader(source)
        numbers: dict[tuple[int, int], int] = {}
        pending: list[tuple[int, IndirectObject]] = []

        def renumber(ref: IndirectObject) -> IndirectObject:
            key = (ref.idnum, ref.generation)
            if key not in numbers:
                numbers[key] = self._new_number()
                pending.append((numbers[key], ref))
            return IndirectObject(numbers[key], 0, None)

        def copy(obj: PdfObject) -> PdfObject:
            if isinstance(obj, IndirectObject):
                return renumber(obj)
            if isinstance(obj, StreamObject):
                stream = StreamObject()
                stream.update({k: copy(v) for k, v in obj.items() if k != "/Length"})
                stream._data = obj._data  # the encoded bytes, copied as they are
                return stream
            if isinstance(obj, DictionaryObject):
                return DictionaryObject({k: copy(v) for k, v in obj.items()})
            if isinstance(obj, ArrayObject):
                return ArrayObject(copy(v) for v in obj)
            return obj

        pages = []  # with inherited attributes filled in, each numbered before anything is
        chosen = [reader.pages[i] for i in only] if only is not None else list(reader.pages)
        for page in chosen:  # copied, so that a reference to a page finds it
            number = self._new_number()
            if page.indirect_reference is not None:
                ref = page.indirect_reference
                numbers[(ref.idnum, ref.generation)] = number
            self.kids.append(number)
            pages.append((number, page))
        for number, page in pages:
            entries = {k: copy(v) for k, v in page.items() if k != "/Parent"}
            entries[NameObject("/Parent")] = IndirectObject(self.PAGES, 0, None)
            self._write(number, DictionaryObject(entries))
        while pending:
            number, ref = pending.pop()
            self._write(number, copy(ref.get_object() or NullObject()))
        return reader

    def finish(self, info: DictionaryObject | None = None, lang: str = "") -> None:
        kids = " ".join(f"{n} 0 R" for n in self.kids)
        self._write_raw(self.PAGES, f"<< /Type /Pages /Count {len(self.kids)} /Kids [{kids}] >>")
        language = ""
        if lang:
            buffer = io.BytesIO()
            TextStringObject(lang).write_to_stream(buffer)
            language = f" /Lang {buffer.getvalue().decode('latin-1')}"
        catalog = f"<< /Type /Catalog /Pages {self.PAGES} 0 R{language} >>"
        self._write_raw(self.CATALOG, catalog)
        info_ref = ""
        if info is not None:
            number = self._new_number()
            self._write(number, info)
            info_ref = f" /Info {number} 0 R"
        start = self.out.tell()
        lines = [f"xref\n0 {len(self.offsets) + 1}\n0000000000 65535 f \n"]
        lines += [f"{offset:010d} 00000 n \n" for offset in self.offsets]
        size = len(self.offsets) + 1
        trailer = f"trailer\n<< /Size {size} /Root {self.CATALOG} 0 R{info_ref} >>\n"
        self.out.write("".join(lines).encode() + trailer.encode())
        self.out.write(f"startxref\n{start}\n%%EOF\n".encode())

    def _new_number(self) -> int:
        self.offsets.append(0)
        return len(self.offsets)

    def _write(self, number: int, obj: PdfObject) -> None:
        self.offsets[number - 1] = self.out.tell()
        self.out.write(f"{number} 0 obj\n".encode())
        obj.write_to_stream(self.out)
        self.out.write(b"\nendobj\n")

    def _write_raw(self, number: int, body: str) -> None:
        self.offsets[number - 1] = self.out.tell()
        self.out.write(f"{number} 0 obj\n{body}\nendobj\n".encode())


def blank_page(width: float, height: float) -> bytes:
    """One page saying, in every language, that it is blank on purpose (same bytes for the
    same size)."""
    from handouts.models import LANGUAGES
    from handouts.pdf import fonts
    from handouts.text import strings

    fonts.register()
    lines = list(dict.fromkeys(str(strings(lang)["blank_page"]) for lang in LANGUAGES))
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height), invariant=1, initialFontName=fonts.REGULAR)
    canvas.setFont(fonts.REGULAR, 10)
    canvas.setFillGray(0.45)
    for n, line in enumerate(lines):
        canvas.drawCentredString(width / 2, height / 2 - n * 16, line)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
