"""Reading PDFs back fast (pdfium, via pypdfium2): what a reader sees on each page.

page_text(): the text of each page. page_content(): every character with its font, size and
position, and every drawn object (paths: boxes, lines, curves; forms; images) with its
bounds, colours and line width, in drawing order. Used by the equivalence test and wherever
a test only needs the words.
"""

from __future__ import annotations

import ctypes

import msgspec
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

Char = tuple[str, str, float, float, float]  # text, font, size, x, y
Drawn = tuple[int, int, tuple[float, ...], tuple[int, ...], tuple[int, ...], float]


class Page(msgspec.Struct, frozen=True):
    width: float
    height: float
    chars: tuple[Char, ...]
    objects: tuple[Drawn, ...]  # level, type, bounds, fill rgba, stroke rgba, line width


def page_text(data: bytes) -> list[str]:
    document = pdfium.PdfDocument(data)
    try:
        return [_text(page) for page in document]
    finally:
        document.close()


def _text(page: pdfium.PdfPage) -> str:
    textpage = page.get_textpage()
    text = textpage.get_text_range()
    return str(text).replace("\r\n", "\n").replace("\r", "\n")


def page_content(data: bytes, places: int = 1) -> list[Page]:
    """Positions and sizes rounded to `places` decimals (the tolerance)."""
    document = pdfium.PdfDocument(data)
    try:
        return [_page(page, places) for page in document]
    finally:
        document.close()


def _page(page: pdfium.PdfPage, places: int) -> Page:
    width, height = page.get_size()
    return Page(width, height, _chars(page, places), _objects(page, places))


def _chars(page: pdfium.PdfPage, places: int) -> tuple[Char, ...]:
    textpage = page.get_textpage()
    raw = textpage.raw
    name = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    x, y = ctypes.c_double(), ctypes.c_double()
    chars = []
    for index in range(textpage.count_chars()):
        if pdfium_c.FPDFText_IsGenerated(raw, index):
            continue  # spaces and line breaks pdfium adds between words
        pdfium_c.FPDFText_GetFontInfo(raw, index, name, 256, ctypes.byref(flags))
        pdfium_c.FPDFText_GetCharOrigin(raw, index, ctypes.byref(x), ctypes.byref(y))
        font = name.value.decode().split("+")[-1]  # without the subset tag
        size = round(pdfium_c.FPDFText_GetFontSize(raw, index), places)
        chars.append(
            (
                chr(pdfium_c.FPDFText_GetUnicode(raw, index)),
                font,
                size,
                round(x.value, places),
                round(y.value, places),
            )
        )
    return tuple(chars)


def char_boxes(data: bytes) -> list[tuple[float, float, list[tuple[float, ...]]]]:
    """Per page: width, height and each drawn character's box (left, right, bottom, top)."""
    document = pdfium.PdfDocument(data)
    pages = []
    try:
        for page in document:
            textpage = page.get_textpage()
            boxes = [
                textpage.get_charbox(index)
                for index in range(textpage.count_chars())
                if not pdfium_c.FPDFText_IsGenerated(textpage.raw, index)
            ]
            width, height = page.get_size()
            pages.append((width, height, boxes))
    finally:
        document.close()
    return pages


def _colour(getter: object, obj: object) -> tuple[int, ...]:
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    ok = getter(obj, *(ctypes.byref(c) for c in (r, g, b, a)))  # type: ignore[operator]
    return (r.value, g.value, b.value, a.value) if ok else ()


def _objects(page: pdfium.PdfPage, places: int) -> tuple[Drawn, ...]:
    drawn = []
    width = ctypes.c_float()
    for obj in page.get_objects(max_depth=8):
        if obj.type == pdfium_c.FPDF_PAGEOBJ_TEXT:
            continue  # its characters are compared one by one
        raw = obj.raw
        stroke = 0.0
        if pdfium_c.FPDFPageObj_GetStrokeWidth(raw, ctypes.byref(width)):
            stroke = round(width.value, places)
        drawn.append(
            (
                obj.level,
                obj.type,
                tuple(round(v, places) for v in obj.get_bounds()),
                _colour(pdfium_c.FPDFPageObj_GetFillColor, raw),
                _colour(pdfium_c.FPDFPageObj_GetStrokeColor, raw),
                stroke,
            )
        )
    return tuple(drawn)


def differences(first: list[Page], second: list[Page], limit: int = 5) -> list[str]:
    """What differs between two readings, page by page (empty: the same pages)."""
    if len(first) != len(second):
        return [f"{len(first)} pages against {len(second)}"]
    found: list[str] = []
    for number, (a, b) in enumerate(zip(first, second, strict=True), start=1):
        if (a.width, a.height) != (b.width, b.height):
            found.append(f"page {number}: size {a.width}x{a.height} against {b.width}x{b.height}")
        if a.chars != b.chars:
            words_a = "".join(c[0] for c in a.chars)
            words_b = "".join(c[0] for c in b.chars)
            at = next(
                (i for i, (x, y) in enumerate(zip(a.chars, b.chars, strict=False)) if x != y),
                min(len(a.chars), len(b.chars)),
            )
            around = slice(max(0, at - 20), at + 20)
            found.append(
                f"page {number}: characters differ at {at}: "
                f"{words_a[around]!r} against {words_b[around]!r}"
            )
        if a.objects != b.objects:
            found.append(
                f"page {number}: drawn objects differ ({len(a.objects)}, {len(b.objects)})"
            )
    return found[:limit]
