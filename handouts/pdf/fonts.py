"""The bundled font (Noto Sans, OFL): registered once per process, embedded in every PDF.

Noto Sans covers the Latin letters of Dutch, French, German, Polish and Turkish names
(including İ, which Atkinson Hyperlegible lacks). Every text we draw uses it; nothing may
fall back to reportlab's unembedded Helvetica.

Fixed character codes: reportlab embeds a subset of the font per PDF and gives each character
a code in the order the PDF first uses it. ASCII always has its own codes; fix_codes() gives
the other characters our texts use (FIXED) the same codes in every PDF too. Text drawn with
those characters then becomes the same bytes in every PDF, so a batch can reuse its drawing
(speed.Paragraph) and the work of splitting it into codes. Any other character (a name's İ)
still gets the next free code, only in the PDF that uses it.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR = "NotoSans"
BOLD = "NotoSans-Bold"
# the non-ASCII characters of the shipped texts and locales (a test keeps this complete), the
# lists' bullet, and ö and ü; each one is embedded in every PDF, used or not (~50 bytes)
FIXED = "–×…·•éëïóöü’≈→§"
# text made of these gets the same codes in every PDF that called fix_codes
COVERED = frozenset(chr(code) for code in range(32, 127)) | frozenset(FIXED) | {"\xa0"}
_SPLIT_LIMIT = 8192


class _FixedCodesFont(TTFont):  # type: ignore[misc]
    """A TrueType font that remembers how covered text splits into codes, for every PDF."""

    _split: OrderedDict[str, Any]

    def splitString(self, text: Any, doc: Any, encoding: str = "utf-8") -> Any:
        state = self.state.get(doc)
        if state is None or not getattr(state, "fixed", False) or not isinstance(text, str):
            return super().splitString(text, doc, encoding)
        known = self._split.get(text)
        if known is not None:
            return known
        result = super().splitString(text, doc, encoding)
        if COVERED.issuperset(text):
            self._split[text] = result
            if len(self._split) > _SPLIT_LIMIT:
                self._split.popitem(last=False)
        else:
            state.uncovered = getattr(state, "uncovered", 0) + 1
        return result

    def addObjects(self, doc: Any) -> None:
        """Embed the subsets. With fixed codes most PDFs embed the very same subset, so its
        font file and its widths array are made once per process (same bytes)."""
        state = self.state.get(doc)
        names = [self.getSubsetInternalName(n, doc)[1:] for n in range(len(state.subsets))]
        super().addObjects(doc)
        fonts = doc.idToObject["BasicFonts"].dict
        for name in names:
            fonts[name].Widths = _formatted_array(tuple(fonts[name].Widths.sequence), doc)


class _Formatted(pdfdoc.PDFObject):  # type: ignore[misc]
    """A PDF object already written out (it holds no references to other objects)."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def format(self, document: Any) -> bytes:
        return self.data


_ARRAYS: OrderedDict[tuple[Any, ...], _Formatted] = OrderedDict()


def _formatted_array(values: tuple[Any, ...], doc: Any) -> _Formatted:
    known = _ARRAYS.get(values)
    if known is None:
        known = _ARRAYS[values] = _Formatted(pdfdoc.PDFArray(list(values)).format(doc))
        if len(_ARRAYS) > 16:
            _ARRAYS.popitem(last=False)
    return known


def _remember_subsets(make_subset: Callable[[list[int]], bytes]) -> Callable[[list[int]], bytes]:
    """The face's makeSubset for recent subsets (pure: the same codes give the same bytes)."""
    known: OrderedDict[tuple[int, ...], bytes] = OrderedDict()

    def remembered(subset: list[int]) -> bytes:
        key = tuple(subset)
        data = known.get(key)
        if data is None:
            data = known[key] = make_subset(subset)
            if len(known) > 8:
                known.popitem(last=False)
        return data

    return remembered


@cache
def register() -> None:
    folder = resources.files("handouts").joinpath("fonts")
    for name, file_name in ((REGULAR, "NotoSans-Regular.ttf"), (BOLD, "NotoSans-Bold.ttf")):
        with resources.as_file(folder.joinpath(file_name)) as path:
            font = _FixedCodesFont(name, str(path))
            font._split = OrderedDict()
            font.face.makeSubset = _remember_subsets(font.face.makeSubset)
            pdfmetrics.registerFont(font)
    # <b> inside paragraphs maps to the bold face; italics are not used
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, REGULAR)
    addMapping(REGULAR, 1, 1, BOLD)


def fix_codes(canvas: Any) -> None:
    """Call on a new canvas, before drawing: the codes of FIXED and the font names (/F1 for
    the regular face, /F2 for bold) become the same in every PDF."""
    doc = canvas._doc
    for name in (REGULAR, BOLD):
        font = pdfmetrics.getFont(name)
        state = font._assignState(doc)
        if state.nextCode != 1 or state.frozen:  # text drawn already: codes would differ
            raise RuntimeError("fix_codes() must come before any text is drawn")
        font.splitString(FIXED, doc)
        font.getSubsetInternalName(0, doc)
        state.fixed = True


def is_fixed(canvas: Any) -> bool:
    """Whether covered text on this canvas is drawn as in every other fixed PDF."""
    return all(
        getattr(pdfmetrics.getFont(name).state.get(canvas._doc), "fixed", False)
        for name in (REGULAR, BOLD)
    )


def uncovered_count(canvas: Any) -> int:
    """How often text with a character outside COVERED was drawn on this canvas (its codes
    are this PDF's own: drawing that holds it must not be reused in another PDF)."""
    return sum(
        getattr(pdfmetrics.getFont(name).state.get(canvas._doc), "uncovered", 0)
        for name in (REGULAR, BOLD)
    )


def unprintable(text: str) -> str:
    """The characters of text that the bundled font cannot draw (they would print as boxes)."""
    register()
    glyphs = pdfmetrics.getFont(REGULAR).face.charToGlyph
    return "".join(sorted({c for c in text if not c.isspace() and ord(c) not in glyphs}))


def width(text: str, font: str, size: float) -> float:
    return float(pdfmetrics.stringWidth(text, font, size))
