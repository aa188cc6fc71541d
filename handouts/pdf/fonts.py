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

Only drawn glyphs are embedded: reportlab embeds every glyph of a subset, and subset 0 always
holds all of ASCII (and with fixed codes, FIXED too): ~110 glyphs, when a checklist draws ~55.
Each face notes the characters a PDF draws (splitString, and replay() for drawing that a
cache reuses without splitting its text again), and the embedded font file keeps only their
glyphs; the other codes point at the empty glyph 0. The codes, widths and ToUnicode map stay
as they were: ~8 KB less per patient.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

from handouts.pdf.memory import Memory, active

REGULAR = "NotoSans"
BOLD = "NotoSans-Bold"
# the non-ASCII characters of the shipped texts and locales (a test keeps this complete), the
# lists' bullet, and ö and ü; each one is embedded in every PDF, used or not (~50 bytes)
FIXED = "–×…·•éëïóöü’≈→§"
# text made of these gets the same codes in every PDF that called fix_codes
COVERED = frozenset(chr(code) for code in range(32, 127)) | frozenset(FIXED) | {"\xa0"}


class _FixedCodesFont(TTFont):  # type: ignore[misc]
    """A TrueType font that, on a canvas of fix_codes() with a Memory active (the fast path),
    remembers how covered text splits into codes and embeds only the drawn glyphs. On any
    other canvas it is reportlab's TTFont, apart from noting the characters drawn."""

    face: _DrawnGlyphsFace

    def splitString(self, text: Any, doc: Any, encoding: str = "utf-8") -> Any:
        if not isinstance(text, str):
            text = text.decode(encoding)
        state = self.state.get(doc)
        fixed = getattr(state, "fixed", False)
        memory = active() if fixed else None
        key = (self.fontName, text)
        if memory is not None:
            known = memory.splits.get(key)
            if known is not None:
                state.drawn.update(text)
                return known
        result = super().splitString(text, doc, encoding)
        state = self.state[doc]  # made by the first call
        if not hasattr(state, "drawn"):
            state.drawn = set()
        state.drawn.update(text)
        if not fixed:
            return result
        if not COVERED.issuperset(text):
            state.uncovered = getattr(state, "uncovered", 0) + 1
        elif memory is not None:
            memory.splits.put(key, result)
        return result

    def addObjects(self, doc: Any) -> None:
        """Embed the subsets. With fixed codes, only the glyphs of drawn characters (a nbsp
        is drawn as a space); most PDFs embed the very same subset, so its font file and
        widths array are made once per process (same bytes)."""
        state = self.state.get(doc)
        memory = active()
        if not getattr(state, "fixed", False) or memory is None:
            super().addObjects(doc)
            return
        names = [self.getSubsetInternalName(n, doc)[1:] for n in range(len(state.subsets))]
        with self.face.embedding(state.drawn | {" "}, memory):
            super().addObjects(doc)
        fonts = doc.idToObject["BasicFonts"].dict
        for name in names:
            fonts[name].Widths = _formatted_array(tuple(fonts[name].Widths.sequence), doc, memory)


class _DrawnGlyphsFace(TTFontFace):  # type: ignore[misc]
    """The font file of a face, keeping only the glyphs of the characters the PDF being
    saved draws (per thread, while embedding() is active); the other codes point at the
    empty glyph 0. The codes, widths and ToUnicode map stay as they were.

    One subset at a time per face, fast or plain: reportlab's makeSubset reads the font
    file through the face's one read position (seek, then read_short ...), which every
    PDF in the process shares; two PDFs saved at once in two threads moved each other's
    position and lost composite glyphs (é, ë, İ), or failed with a KeyError."""

    _local: threading.local
    _subsetting: threading.Lock

    @contextlib.contextmanager
    def embedding(self, drawn: set[str], memory: Memory) -> Iterator[None]:
        previous = getattr(self._local, "embedding", None)
        self._local.embedding = (drawn, memory)
        try:
            yield
        finally:
            self._local.embedding = previous

    def makeSubset(self, subset: list[int]) -> bytes:
        embedding = getattr(self._local, "embedding", None)
        if embedding is None:
            return self._subset(subset)
        drawn: set[str] = embedding[0]
        memory: Memory = embedding[1]
        codes = tuple(code if chr(code) in drawn else _NO_GLYPH for code in subset)
        key = (self.name, codes)
        data = memory.subsets.get(key)
        if data is None:
            data = self._subset(list(codes))
            memory.subsets.put(key, data)
        return data

    def _subset(self, subset: list[int]) -> bytes:
        with self._subsetting:
            return bytes(super().makeSubset(subset))


class _Formatted(pdfdoc.PDFObject):  # type: ignore[misc]
    """A PDF object already written out (it holds no references to other objects)."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def format(self, document: Any) -> bytes:
        return self.data


def _formatted_array(values: tuple[Any, ...], doc: Any, memory: Memory) -> _Formatted:
    known = memory.widths.get(values)
    if known is None:
        known = _Formatted(pdfdoc.PDFArray(list(values)).format(doc))
        memory.widths.put(values, known)
    return known


_NO_GLYPH = -1  # a code no font maps: makeSubset points it at glyph 0, which is empty


def font_folder() -> Traversable:
    """fonts/ as installed (the package handouts._fonts, see pyproject), or in the checkout
    when run from it: the folder next to handouts/."""
    try:
        return resources.files("handouts._fonts")
    except ModuleNotFoundError:
        return Path(__file__).resolve().parents[2] / "fonts"


_REGISTERING = threading.Lock()
_REGISTERED = threading.Event()  # set once the fonts and their mapping are in place


def register() -> None:
    """Register the fonts and map <b> to the bold face, once per process. Other threads wait
    meanwhile: reportlab's registerFont maps the bold of a font to the font itself (global
    tables) until addMapping below puts it right, so a paragraph parsed then, in another
    thread, would print its bold text in the regular face."""
    if _REGISTERED.is_set():
        return
    with _REGISTERING:
        if not _REGISTERED.is_set():
            _register()
            _REGISTERED.set()


def _register() -> None:
    folder = font_folder()
    for name, file_name in ((REGULAR, "NotoSans-Regular.ttf"), (BOLD, "NotoSans-Bold.ttf")):
        with resources.as_file(folder.joinpath(file_name)) as path:
            font = _FixedCodesFont(name, str(path))
            font.face.__class__ = _DrawnGlyphsFace  # our font's own face object
            font.face._local = threading.local()
            font.face._subsetting = threading.Lock()
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
        state.drawn = set()  # FIXED has codes now, but nothing is drawn yet


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


Drawn = tuple[str, ...]  # the characters a piece of drawing draws, per face (FACES)
FACES = (REGULAR, BOLD)


class Recording:
    """Notes the characters that the drawing done inside `with Recording(canvas)` draws, so
    that a cache that reuses the drawing in another PDF can note them there (replay)."""

    def __init__(self, canvas: Any) -> None:
        self.states = [pdfmetrics.getFont(name).state.get(canvas._doc) for name in FACES]
        self.drawn: Drawn = ("",) * len(FACES)

    def __enter__(self) -> Recording:
        self.outer = [getattr(state, "drawn", None) for state in self.states]
        for state in self.states:
            if state is not None:
                state.drawn = set()
        return self

    def __exit__(self, *exc: object) -> None:
        drawn = []
        for state, outer in zip(self.states, self.outer, strict=True):
            inner: set[str] = getattr(state, "drawn", set())
            drawn.append("".join(sorted(inner)))
            if state is not None and outer is not None:
                outer.update(inner)
                state.drawn = outer
        self.drawn = tuple(drawn)


def replay(canvas: Any, drawn: Drawn) -> None:
    """Note, for this PDF's font files, the characters of drawing reused from a Recording."""
    for name, characters in zip(FACES, drawn, strict=True):
        if characters:
            state = pdfmetrics.getFont(name).state.get(canvas._doc)
            if state is None:
                raise RuntimeError("replay() needs the fonts in use: call fix_codes() first")
            state.drawn.update(characters)


def unprintable(text: str) -> str:
    """The characters of text that the bundled font cannot draw (they would print as boxes)."""
    register()
    glyphs = pdfmetrics.getFont(REGULAR).face.charToGlyph
    return "".join(sorted({c for c in text if not c.isspace() and ord(c) not in glyphs}))


def width(text: str, font: str, size: float) -> float:
    return float(pdfmetrics.stringWidth(text, font, size))
