"""Speed-ups both PDFs share. Neither changes what is on the page.

Paragraph: reportlab's, remembering its work. Parsing the markup and breaking lines were over
half of a handout's time: tables, KeepTogether and the frame wrap each paragraph 3-4 times, and
most paragraphs (exercise steps, the pain rule, the education pages) are the same for every
patient with the same language and side. Both results are kept in small bounded caches per
process and copied into each new Paragraph; only drawing is done for every document. The
output is byte-identical to reportlab's own Paragraph.

Drawing, too, is remembered on canvases with fixed character codes (fonts.fix_codes): a
flowable draws relative to its own origin, so a paragraph with the same lines, drawn from
the same canvas state, gives the same operators in every PDF. Only paragraphs whose every
character has a fixed code, and that make no links or other side effects, are remembered.

pdf_streams(): while a PDF is made, its objects are written faster (writing.py, same bytes)
and its streams are Flate-compressed but not also ASCII85-encoded (reportlab's default, from
the days of 7-bit mail): 10 % smaller files and less work, the same pages. And compression
remembers its recent results: much of what a PDF holds (the font subsets, the pictures, a
checklist's frame and rows) is byte for byte the same in the next patient's PDF, so it is
compressed once per process (bounded by size).
"""

from __future__ import annotations

import contextlib
import copy
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any

from reportlab import rl_config
from reportlab.pdfbase import pdfdoc
from reportlab.platypus import Flowable
from reportlab.platypus import Paragraph as _Paragraph
from reportlab.platypus.flowables import _Container, _listWrapOn

from handouts.pdf import fonts
from handouts.pdf.illustrations import define_form
from handouts.pdf.writing import faster_writing

_LIMIT = 2048  # entries per cache: the shipped texts fit; one patient's own lines come and go
Cache = OrderedDict[Any, dict[str, Any]]
_parsed: Cache = OrderedDict()  # (text, style, bullet) -> the parsed paragraph's attributes
_wrapped: Cache = OrderedDict()  # (text, style, bullet, width) -> its lines at that width
# (text, style, bullet, width, canvas state) -> the operators that draw it, as one string
# (a page's or form's operators are joined by newlines: one joined item gives the same bytes),
# and the characters they draw (their glyphs are embedded: fonts.replay)
_drawn: OrderedDict[Any, tuple[str, fonts.Drawn]] = OrderedDict()
# what Paragraph.wrap (with breakLines) sets on the paragraph
_WRAP_STATE = ("blPara", "_wrapWidths", "width", "height", "frags", "_width_max")


def own_state(canvas: Any) -> tuple[int, ...]:
    """What drawing that belongs to one PDF changes: text in codes of its own, transparency
    states, separation colours and shadings. Drawing that changed it is not remembered."""
    return (
        fonts.uncovered_count(canvas),
        len(canvas._extgstate._c),
        len(canvas._colorsUsed),
        len(canvas._shadingUsed),
    )


def _remember(cache: Cache, key: Any, value: dict[str, Any]) -> None:
    cache[key] = value
    if len(cache) > _LIMIT:
        cache.popitem(last=False)


def _drawable(paragraph: _Paragraph) -> bool:
    """Plain text in fixed codes: no links, anchors, images or other callbacks."""
    if paragraph.bulletText is not None and not fonts.COVERED.issuperset(paragraph.bulletText):
        return False
    for frag in paragraph.frags:
        text = getattr(frag, "text", None)
        if not isinstance(text, str) or not fonts.COVERED.issuperset(text):
            return False
        if getattr(frag, "link", None) or getattr(frag, "cbDefn", None):
            return False
        if getattr(frag, "backColor", None) or getattr(frag, "us_lines", None):
            return False
    return True


def _canvas_state(canvas: Any) -> tuple[Any, ...]:
    """What a paragraph's drawing depends on besides its own lines."""
    return (
        canvas._fontname,
        canvas._fontsize,
        canvas._leading,
        canvas._fillColorObj,
        canvas._strokeColorObj,
        canvas._charSpace,
        canvas._wordSpace,
        canvas._horizScale,
        canvas._textRenderMode,
        canvas._rise,
        canvas.bottomup,
        tuple(canvas._extgstate._d.items()),
    )


class Paragraph(_Paragraph):  # type: ignore[misc]
    _key: Any

    def __init__(
        self,
        text: str,
        style: Any = None,
        bulletText: str | None = None,
        frags: Any = None,
        caseSensitive: int = 1,
        encoding: str = "utf8",
    ) -> None:
        # the styles are cached objects: a style is its own key (by identity)
        plain = frags is None and caseSensitive == 1 and encoding == "utf8" and style is not None
        self._key = (text, style, bulletText) if plain else None
        known = _parsed.get(self._key) if plain else None
        if known is not None:
            _parsed.move_to_end(self._key)
            self.__dict__.update(known)
            return
        super().__init__(text, style, bulletText, frags, caseSensitive, encoding)
        if plain:
            self._drawable = _drawable(self)
            _remember(_parsed, self._key, dict(self.__dict__))

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        cache: Cache = _wrapped
        key: Any = (self._key, availWidth)
        if self._key is None:  # part of a split paragraph: remember for this object only
            cache, key = self.__dict__.setdefault("_own", OrderedDict()), availWidth
        self._drawn_key = key if self._key is not None else None
        known = cache.get(key)
        if known is not None:
            self.__dict__.update(known)
            return self.width, self.height
        size: tuple[float, float] = super().wrap(availWidth, availHeight)
        if hasattr(self, "blPara"):
            state = {name: self.__dict__[name] for name in _WRAP_STATE if name in self.__dict__}
            _remember(cache, key, state)
        return size

    def draw(self) -> None:
        canvas = self.canv
        lines = self.__dict__.get("_drawn_key")
        if lines is None or not self.__dict__.get("_drawable") or not fonts.is_fixed(canvas):
            super().draw()
            return
        key = (lines, _canvas_state(canvas))
        known = _drawn.get(key)
        if known is not None:
            _drawn.move_to_end(key)
            operators, drawn = known
            if operators:
                canvas._code.append(operators)
            fonts.replay(canvas, drawn)
            return
        code, start = canvas._code, len(canvas._code)
        names, colours = len(canvas._extgstate._c), len(canvas._colorsUsed)
        with fonts.Recording(canvas) as recording:
            super().draw()
        if len(canvas._extgstate._c) == names and len(canvas._colorsUsed) == colours:
            _drawn[key] = ("\n".join(code[start:]), recording.drawn)
            if len(_drawn) > _LIMIT:
                _drawn.popitem(last=False)

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        # splitting can change the words of the lines it splits: it gets its own copy, so
        # that the cached lines stay as they were
        self.wrap(availWidth, availHeight)
        self.__dict__["blPara"] = copy.deepcopy(self.__dict__["blPara"])
        self.__dict__["frags"] = copy.deepcopy(self.__dict__["frags"])
        return list(super().split(availWidth, availHeight))


_sizes: OrderedDict[Any, tuple[float, float, str]] = OrderedDict()  # (key, width) -> size
_spaces: OrderedDict[Any, tuple[float, float]] = OrderedDict()  # key -> space before, after
_drawings: OrderedDict[Any, tuple[str, tuple[Any, ...], fonts.Drawn]] = OrderedDict()


class Stack(_Container, Flowable):  # type: ignore[misc]
    """Flowables one below the other as one flowable, placed and spaced as a frame would
    place them (reportlab's own container code), so that Remembered can keep a block of
    them (an education topic, the pain rule) as one drawing."""

    def __init__(self, content: list[Flowable]) -> None:
        super().__init__()
        self._content = content

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        # no canvas: measuring with the document's canvas would copy its frame each time
        self.width, self.height = _listWrapOn(self._content, availWidth, None)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        return list(self._content)  # taller than a page: its flowables flow one by one


class Remembered(Flowable):  # type: ignore[misc]
    """A flowable (an exercise card, a block of the handout) whose size and drawing are
    remembered across PDFs under a key that names everything it shows. On a hit it is not
    even built: a batch lays out and draws each distinct card once per process. `pictures`
    are the pictures it places, defined in each PDF before the remembered drawing is
    replayed.

    It keeps itself together, as KeepTogether would (which measures its content again, with
    a copy of the frame, on every page): when it does not fit below what is on the page, it
    goes to the next one; only when it is taller than an empty page does it split."""

    def __init__(self, key: Any, build: Callable[[], Flowable], pictures: tuple[Any, ...]):
        super().__init__()
        self.key, self._build, self.pictures = key, build, pictures
        self._inner: Flowable | None = None

    def inner(self) -> Flowable:
        if self._inner is None:
            self._inner = self._build()
        return self._inner

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._avail = (availWidth, availHeight)
        key = (self.key, availWidth)
        known = _sizes.get(key)
        if known is None:
            inner = self.inner()
            width, height = inner.wrap(availWidth, availHeight)
            known = _sizes[key] = (width, height, inner.hAlign)
            if len(_sizes) > _LIMIT:
                _sizes.popitem(last=False)
        self.width, self.height, self.hAlign = known
        return self.width, self.height

    def _spaces(self) -> tuple[float, float]:
        """The space before and after its first and last flowable (the frame asks before
        it wraps)."""
        known = _spaces.get(self.key)
        if known is None:
            inner = self.inner()
            known = _spaces[self.key] = (inner.getSpaceBefore(), inner.getSpaceAfter())
            if len(_spaces) > _LIMIT:
                _spaces.popitem(last=False)
        return known

    def getSpaceBefore(self) -> float:
        return self._spaces()[0]

    def getSpaceAfter(self) -> float:
        return self._spaces()[1]

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        frame = getattr(self, "_frame", None)
        if frame is not None and not frame._atTop:
            return []  # the next page (reportlab tries once more there, at the top)
        return list(self.inner().split(availWidth, availHeight))  # not remembered: rare

    def draw(self) -> None:
        canvas = self.canv
        fixed = fonts.is_fixed(canvas)
        key = (self.key, self._avail[0], _canvas_state(canvas))
        known = _drawings.get(key) if fixed else None
        if known is not None:
            _drawings.move_to_end(key)
            code, forms, drawn = known
            for picture in self.pictures:
                define_form(canvas, picture)
            if code:
                canvas._code.append(code)
            canvas._formsinuse.extend(forms)
            fonts.replay(canvas, drawn)
            return
        inner = self.inner()
        inner.wrap(*self._avail)
        for picture in self.pictures:  # defined first, so that they are not in the drawing
            define_form(canvas, picture)
        code, start, forms_start = canvas._code, len(canvas._code), len(canvas._formsinuse)
        before = own_state(canvas)
        with fonts.Recording(canvas) as recording:
            inner.drawOn(canvas, 0, 0)
        if fixed and own_state(canvas) == before:
            forms = tuple(canvas._formsinuse[forms_start:])
            _drawings[key] = ("\n".join(code[start:]), forms, recording.drawn)
            if len(_drawings) > _LIMIT // 2:  # cards: ~5 KB each
                _drawings.popitem(last=False)


class _CompressedCache:
    """zlib.compress(data), remembered for recent data up to a total size (least recent out)."""

    def __init__(self, limit: int) -> None:
        self.limit, self.size = limit, 0
        self.known: OrderedDict[bytes, bytes] = OrderedDict()

    def compress(self, data: bytes | str) -> bytes:
        if isinstance(data, str):
            data = data.encode("utf8")
        known = self.known.get(data)
        if known is not None:
            self.known.move_to_end(data)
            return known
        packed = zlib.compress(data)
        self.known[data] = packed
        self.size += len(data) + len(packed)
        while self.size > self.limit:
            old, old_packed = self.known.popitem(last=False)
            self.size -= len(old) + len(old_packed)
        return packed


_compressed = _CompressedCache(limit=3 * 1024 * 1024)
_FORM_FORMAT = pdfdoc.PDFFormXObject.format


def _lean_form(form: Any, document: Any) -> bytes:
    """reportlab's PDFFormXObject.format without /FormType 1, /Matrix [1 0 0 1 0 0] and
    /ProcSet: the first two are what a reader assumes when they are missing, and ProcSet is
    obsolete since PDF 1.4. A checklist has ~50 forms: ~5 KB less per pack."""
    if form.Annots:
        raise ValueError("annotations don't work in PDFFormXObjects")
    resources = pdfdoc.PDFResourceDictionary()
    resources.basicFonts()
    resources.ProcSet = []  # left out
    if form.XObjects:
        resources.XObject = form.XObjects
    stream = pdfdoc.PDFStream()
    stream.content = form.stream
    if form.compression:
        stream.filters = [pdfdoc.PDFZCompress]
    entries = stream.dictionary
    entries["Type"] = pdfdoc.PDFName("XObject")
    entries["Subtype"] = pdfdoc.PDFName("Form")
    entries["BBox"] = pdfdoc.PDFArray([form.lowerx, form.lowery, form.upperx, form.uppery])
    entries["Resources"] = resources
    return bytes(stream.format(document))


@contextlib.contextmanager
def pdf_streams() -> Iterator[None]:
    """Wrap the making of a PDF: Flate only, remembered (see the module's docstring)."""
    previous = rl_config.useA85
    flate = pdfdoc.PDFZCompress
    rl_config.useA85 = 0
    flate.encode = _compressed.compress  # the one Flate filter object reportlab uses
    pdfdoc.PDFFormXObject.format = _lean_form
    try:
        with faster_writing():
            yield
    finally:
        rl_config.useA85 = previous
        del flate.encode  # back to the class's own method
        pdfdoc.PDFFormXObject.format = _FORM_FORMAT
