"""Drawing that repeats, drawn once: as Form XObjects within a PDF, and across PDFs.

Forms: what repeats on a PDF's pages (a checklist's page frame, an exercise row, a day's
boxes) is drawn once as a Form XObject and placed on every page that shows it; placing one
is a single operator.

Across PDFs: on a canvas with fixed character codes (fonts.fix_codes) the same drawing gives
the same operators in every PDF. A batch's patients share most rows and days (same exercise,
dosage, language), so a shared form's operators are remembered per process and written into
the next PDF without drawing it again. For the bytes not to depend on which PDFs came before,
a form is named after what it draws (a hash of its operators, which hold the names of the
forms it places), not after the order it was made in, and a remembered form defines the
forms it places first, in the same order as drawing it would.

remembered(): the same for drawing straight on a page (a checklist's week, dates and phase).

Every drawing here is draw(canvas, view), keyed by (draw, view): the view (views.py) holds
everything the drawing reads, so a form cannot show something its key lacks. Across PDFs
only while a Memory is active (accel.FAST); per PDF always.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from typing import Any, NamedTuple, TypeVar

from reportlab.pdfgen.canvas import Canvas

from handouts.pdf import fonts, kept
from handouts.pdf.memory import Memory
from handouts.pdf.speed import memory_for, own_state

V = TypeVar("V", bound=Hashable)
Draw = Callable[[Canvas, V], None]


class _Form(NamedTuple):
    """A shared form as drawn once, to be written into other PDFs."""

    name: str
    bbox: tuple[float, float, float, float]
    operators: str
    places: tuple[Hashable, ...]  # keys of the forms it places, in the order first placed
    resources: tuple[str, ...]  # the names of the forms and pictures it places
    drawn: fonts.Drawn  # its characters (their glyphs go into the PDF's font file)


class Forms:
    """The Form XObjects of one PDF, by what they show: (draw, view)."""

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        canvas._handouts_form_registry = self  # forms placed inside forms: of(canvas)
        self.memory: Memory | None = memory_for(canvas)
        self.names: dict[Hashable, str] = {}  # key -> name in this PDF
        self.contents: dict[str, tuple[Any, ...]] = {}  # name -> what it draws (no clashes)
        self._placing: list[list[Hashable]] = []  # per form being drawn: what it places

    @staticmethod
    def of(canvas: Canvas) -> Forms:
        forms: Forms = canvas._handouts_form_registry
        return forms

    def place(
        self,
        draw: Draw[V],
        view: V,
        bbox: tuple[float, float, float, float],
        x: float = 0,
        y: float = 0,
        shared: bool = True,
    ) -> None:
        """Place the form of draw(canvas, view) at (x, y); draw it first if this PDF does
        not have it. shared=False: not remembered across PDFs (a patient's name)."""
        key = (draw, view)
        c = self.canvas
        name = self.names.get(key)
        if name is None:
            name = self._define(key, bbox, shared)
        if self._placing and key not in self._placing[-1]:
            self._placing[-1].append(key)
        c.saveState()
        c.translate(x, y)
        c.doForm(name)
        c.restoreState()

    def _define(
        self,
        key: tuple[Draw[Any], Hashable],
        bbox: tuple[float, float, float, float],
        shared: bool,
    ) -> str:
        memory = self.memory if shared else None
        known: _Form | None = None
        if memory is not None:
            known = kept.recall(memory.forms, "form", key, _decode_form)
        found: dict[Hashable, _Form] = {}
        if known is not None and self._writable(known, found):
            self._write(key, known, found)
            return known.name
        c = self.canvas
        c.beginForm("unnamed", *bbox)  # named after its operators, below
        self._placing.append([])
        before = own_state(c)
        with fonts.Recording(c) as recording:
            key[0](c, key[1])
        places = tuple(self._placing.pop())
        operators = "\n".join(c._code)  # one joined item: the same bytes as the list
        name = self._name(bbox, operators)
        resources = tuple(c._formsinuse)
        unchanged = own_state(c) == before
        if name in self.contents:  # the same drawing as a form of another key: that one
            c._restartAccumulators()  # what endForm does, without adding the form
            c.pop_state_stack()
            c._doc.inObject = None
        else:
            self.contents[name] = (bbox, operators)
            c._formData = (name, *bbox)
            c.endForm()
        self.names[key] = name
        if memory is not None and unchanged:
            form = _Form(name, bbox, operators, places, resources, recording.drawn)
            kept.keep(memory.forms, "form", key, form, _encode_form)
        return name

    def _name(self, bbox: tuple[float, ...], operators: str) -> str:
        """A name from what the form draws; the name of a form in this PDF that draws the
        same."""
        digest = hashlib.sha1(f"{bbox}\n{operators}".encode()).hexdigest()
        name = f"F{digest[:10]}"
        while self.contents.get(name, (bbox, operators)) != (bbox, operators):
            name += "x"  # another drawing with the same hash start: never seen, but possible
        return name

    def _writable(self, form: _Form, found: dict[Hashable, _Form]) -> bool:
        """Whether every form it places is in this PDF or remembered too (those are put into
        found, so that another thread's PDF cannot make them forgotten before they are
        written)."""
        if self.contents.get(form.name, (form.bbox, form.operators)) != (
            form.bbox,
            form.operators,
        ):
            return False
        for key in form.places:
            if key not in self.names and key not in found:
                inner = None
                if self.memory is not None:
                    inner = kept.recall(self.memory.forms, "form", key, _decode_form)
                if inner is None or not self._writable(inner, found):
                    return False
                found[key] = inner
        return True

    def _write(self, key: Hashable, form: _Form, found: dict[Hashable, _Form]) -> None:
        """Write a remembered form into this PDF: the forms it places first, as drawing it
        would have (a form is added to the PDF when it is complete)."""
        self.names[key] = form.name
        if form.name in self.contents:
            return  # a form of another key draws the same: that one
        for inner in form.places:
            if inner not in self.names:
                self._write(inner, found[inner], found)
        c = self.canvas
        c.beginForm(form.name, *form.bbox)
        c._code.append(form.operators)
        c._formsinuse.extend(form.resources)
        fonts.replay(c, form.drawn)
        c.endForm()
        self.contents[form.name] = (form.bbox, form.operators)


def remembered(canvas: Canvas, draw: Draw[V], view: V) -> None:
    """draw(canvas, view) straight on the page, its operators remembered across PDFs under
    (draw, view) while a Memory is active. Wrapped in saveState/restoreState, so that the
    canvas is left as it was whether it was drawn or written."""
    memory = memory_for(canvas)
    key = (draw, view)
    known = None
    if memory is not None:
        known = kept.recall(memory.operators, "operators", key, _decode_operators)
    if known is not None:
        operators, drawn = known
        canvas._code.append(operators)
        fonts.replay(canvas, drawn)
        return
    code, start = canvas._code, len(canvas._code)
    before = own_state(canvas)
    canvas.saveState()
    with fonts.Recording(canvas) as recording:
        draw(canvas, view)
    canvas.restoreState()
    if memory is not None and own_state(canvas) == before:
        operators = ("\n".join(code[start:]), recording.drawn)
        kept.keep(memory.operators, "operators", key, operators)


# What is kept between runs (kept.py), as JSON data: a form names the forms it places by
# their digests (a view cannot be read back from JSON; a digest is found on the shelf).


def _encode_form(form: _Form) -> list[Any] | None:
    places = [kept.digest_of("form", key) for key in form.places]
    if any(place is None for place in places):
        return None  # it places a form that is not kept
    return [form.name, form.bbox, form.operators, places, form.resources, form.drawn]


def _decode_form(data: Any) -> _Form:
    name, bbox, operators, places, resources, drawn = kept.tuples(data)
    texts = (name, operators, *places, *resources, *drawn)
    if not all(isinstance(x, str) for x in texts) or len(drawn) != len(fonts.FACES):
        raise ValueError("not a form")
    if len(bbox) != 4 or not all(isinstance(x, (int, float)) for x in bbox):
        raise ValueError("not a form")
    return _Form(name, bbox, operators, tuple(map(kept.Digest, places)), resources, drawn)


def _decode_operators(data: Any) -> tuple[str, fonts.Drawn]:
    operators, drawn = kept.tuples(data)
    if not isinstance(operators, str) or len(drawn) != len(fonts.FACES):
        raise ValueError("not operators")
    if not all(isinstance(x, str) for x in drawn):
        raise ValueError("not operators")
    return operators, drawn
