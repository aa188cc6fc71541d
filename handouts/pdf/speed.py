"""Paragraphs and blocks that remember their work across PDFs (the fast path, accel.FAST).

Paragraph: reportlab's, remembering its work while a Memory is active (memory.py). Parsing
the markup and breaking lines were over half of a handout's time: tables and the frame wrap
each paragraph 3-4 times, and most paragraphs (exercise steps, the pain rule, the education
pages) are the same for every patient with the same language and side. Both results are
kept per process and copied into each new Paragraph. Drawing, too, is remembered on
canvases with fixed character codes (fonts.fix_codes): a flowable draws relative to its own
origin, so a paragraph with the same lines, drawn from the same canvas state, gives the same
operators in every PDF. Only paragraphs whose every character has a fixed code, and that make
no links or other side effects, are remembered. With no Memory active (accel.PLAIN) it is
reportlab's Paragraph.

Remembered: a block (an exercise card, the pain rule) laid out and drawn once per process,
keyed by its view: the frozen value (views.py) that its layout function reads, and nothing
else. So a remembered drawing cannot show something its key lacks.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from reportlab.platypus import Flowable
from reportlab.platypus import Paragraph as _Paragraph
from reportlab.platypus.flowables import _Container, _listWrapOn

from handouts.pdf import fonts, kept
from handouts.pdf.illustrations import PictureRef, define_form
from handouts.pdf.memory import Memory, active

# what Paragraph.wrap (with breakLines) sets on the paragraph
_WRAP_STATE = ("blPara", "_wrapWidths", "width", "height", "frags", "_width_max")
V = TypeVar("V", bound=Hashable)


def memory_for(canvas: Any) -> Memory | None:
    """The active Memory, if drawing on this canvas may use it (fixed character codes)."""
    memory = active()
    return memory if memory is not None and fonts.is_fixed(canvas) else None


def own_state(canvas: Any) -> tuple[int, ...]:
    """What drawing that belongs to one PDF changes: text in codes of its own, transparency
    states, separation colours and shadings. Drawing that changed it is not remembered."""
    return (
        fonts.uncovered_count(canvas),
        len(canvas._extgstate._c),
        len(canvas._colorsUsed),
        len(canvas._shadingUsed),
    )


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
    _key: Any = None  # (text, style, bullet) while a Memory is active

    def __init__(
        self,
        text: str,
        style: Any = None,
        bulletText: str | None = None,
        frags: Any = None,
        caseSensitive: int = 1,
        encoding: str = "utf8",
    ) -> None:
        memory = active()
        # the styles are cached objects: a style is its own key (by identity)
        plain = frags is None and caseSensitive == 1 and encoding == "utf8" and style is not None
        if memory is None or not plain:
            super().__init__(text, style, bulletText, frags, caseSensitive, encoding)
            return
        self._key = (text, style, bulletText)
        known = memory.parsed.get(self._key)
        if known is not None:
            self.__dict__.update(known)
            return
        super().__init__(text, style, bulletText, frags, caseSensitive, encoding)
        self._drawable = _drawable(self)
        memory.parsed.put(self._key, dict(self.__dict__))

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        memory = active()
        if memory is None or self._key is None:  # plain, or part of a split paragraph
            self._drawn_key = None
            width, height = super().wrap(availWidth, availHeight)
            return width, height
        key: Any = (self._key, availWidth)
        self._drawn_key = key
        known = memory.wrapped.get(key)
        if known is not None:
            self.__dict__.update(known)
            return self.width, self.height
        size: tuple[float, float] = super().wrap(availWidth, availHeight)
        if hasattr(self, "blPara"):
            state = {name: self.__dict__[name] for name in _WRAP_STATE if name in self.__dict__}
            memory.wrapped.put(key, state)
        return size

    def draw(self) -> None:
        canvas = self.canv
        lines = self.__dict__.get("_drawn_key")
        memory = memory_for(canvas)
        if memory is None or lines is None or not self.__dict__.get("_drawable"):
            super().draw()
            return
        key = (lines, _canvas_state(canvas))
        known = memory.drawn.get(key)
        if known is not None:
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
            memory.drawn.put(key, ("\n".join(code[start:]), recording.drawn))

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        if self._key is not None:
            # splitting can change the words of the lines it splits: it gets its own copy,
            # so that the remembered lines stay as they were
            self.wrap(availWidth, availHeight)
            self.__dict__["blPara"] = copy.deepcopy(self.__dict__["blPara"])
            self.__dict__["frags"] = copy.deepcopy(self.__dict__["frags"])
        return list(super().split(availWidth, availHeight))


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


class _Hashed:
    """A key (a layout and its frozen view) that works out its hash once: a view is hashed
    field by field, and a block is looked up many times while a page is laid out. Equal,
    as a key, to exactly the keys equal to its value."""

    __slots__ = ("_hash", "value")

    def __init__(self, value: tuple[Any, ...]) -> None:
        self.value = value
        self._hash = hash(value)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Hashed) and (other is self or other.value == self.value)


class Remembered(Flowable, Generic[V]):  # type: ignore[misc]
    """A block (an exercise card, the pain rule) made by layout(view), its size and drawing
    remembered across PDFs under (layout, view) while a Memory is active. On a hit it is not
    even laid out: a batch lays out and draws each distinct card once per process. The
    pictures it places (from its view) are defined in each PDF before its drawing.

    It keeps itself together, as KeepTogether would (which measures its content again, with
    a copy of the frame, on every page): when it does not fit below what is on the page, it
    goes to the next one; only when it is taller than an empty page does it split. That is
    the layout, with or without a Memory."""

    def __init__(
        self, layout: Callable[[V], Flowable], view: V, pictures: tuple[PictureRef, ...] = ()
    ) -> None:
        super().__init__()
        self.key: tuple[Any, ...] = (layout, view)  # all it shows: a layout and its view
        self._lookup = _Hashed(self.key)  # the same key, its hash worked out once
        self._known_spaces: tuple[float, float] | None = None
        self.layout, self.view, self.pictures = layout, view, pictures
        self._inner: Flowable | None = None

    def inner(self) -> Flowable:
        if self._inner is None:
            self._inner = self.layout(self.view)
        return self._inner

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._avail = (availWidth, availHeight)
        memory = active()
        key = (self._lookup, availWidth)
        spelled_as = (self.key, availWidth)
        known = None
        if memory is not None:
            known = kept.recall(memory.sizes, "size", key, _size, spelled_as)
        if known is None:
            inner = self.inner()
            width, height = inner.wrap(availWidth, availHeight)
            known = (width, height, inner.hAlign)
            if memory is not None:
                kept.keep(memory.sizes, "size", key, known, spelled_as=spelled_as)
        self.width, self.height, self.hAlign = known
        return self.width, self.height

    def _spaces(self) -> tuple[float, float]:
        """The space before and after its first and last flowable (the frame asks before
        it wraps)."""
        if self._known_spaces is not None:
            return self._known_spaces
        memory = active()
        known = None
        if memory is not None:
            known = kept.recall(memory.spaces, "spaces", self._lookup, _spaces, self.key)
        if known is None:
            inner = self.inner()
            known = (inner.getSpaceBefore(), inner.getSpaceAfter())
            if memory is not None:
                kept.keep(memory.spaces, "spaces", self._lookup, known, spelled_as=self.key)
        self._known_spaces = known
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
        memory = memory_for(canvas)
        state = _canvas_state(canvas)
        key = (self._lookup, self._avail[0], state)
        spelled_as = (self.key, self._avail[0], state)
        known = None
        if memory is not None:
            known = kept.recall(memory.drawings, "drawing", key, _drawing, spelled_as)
        for picture in self.pictures:  # defined first, so that they are not in the drawing
            define_form(canvas, picture)
        if known is not None:
            code, forms, drawn = known
            if code:
                canvas._code.append(code)
            canvas._formsinuse.extend(forms)
            fonts.replay(canvas, drawn)
            return
        inner = self.inner()
        inner.wrap(*self._avail)
        code, start, forms_start = canvas._code, len(canvas._code), len(canvas._formsinuse)
        before = own_state(canvas)
        with fonts.Recording(canvas) as recording:
            inner.drawOn(canvas, 0, 0)
        if memory is not None and own_state(canvas) == before:
            forms = tuple(canvas._formsinuse[forms_start:])
            drawing = ("\n".join(code[start:]), forms, recording.drawn)
            kept.keep(memory.drawings, "drawing", key, drawing, spelled_as=spelled_as)


# What speed.Remembered keeps between runs (kept.py), as read back from JSON.


def _size(data: Any) -> tuple[float, float, str]:
    width, height, align = kept.tuples(data)
    if not isinstance(width, (int, float)) or not isinstance(height, (int, float)):
        raise ValueError("not a size")
    if not isinstance(align, str):
        raise ValueError("not a size")
    return width, height, align


def _spaces(data: Any) -> tuple[float, float]:
    before, after = kept.tuples(data)
    if not isinstance(before, (int, float)) or not isinstance(after, (int, float)):
        raise ValueError("not spaces")
    return before, after


def _drawing(data: Any) -> tuple[str, tuple[str, ...], fonts.Drawn]:
    code, forms, drawn = kept.tuples(data)
    if not isinstance(code, str) or not all(isinstance(x, str) for x in (*forms, *drawn)):
        raise ValueError("not a drawing")
    if len(drawn) != len(fonts.FACES):
        raise ValueError("not a drawing")
    return code, forms, drawn
