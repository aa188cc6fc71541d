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
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, NamedTuple

from reportlab.pdfgen.canvas import Canvas

from handouts.pdf import fonts
from handouts.pdf.speed import own_state

_LIMIT = 2048  # forms per process: a 1,000-patient batch has a few hundred distinct ones


class _Form(NamedTuple):
    """A shared form as drawn once, to be written into other PDFs."""

    name: str
    bbox: tuple[float, float, float, float]
    operators: str
    places: tuple[Hashable, ...]  # keys of the forms it places, in the order first placed
    resources: tuple[str, ...]  # the names of the forms and pictures it places
    drawn: fonts.Drawn  # its characters (their glyphs go into the PDF's font file)


_forms: OrderedDict[Hashable, _Form] = OrderedDict()
_operators: OrderedDict[Hashable, tuple[str, fonts.Drawn]] = OrderedDict()


class Forms:
    """The Form XObjects of one PDF, by what they show (a key). `context` holds what every
    shared key leaves out because the whole PDF has it (language, colours, paper)."""

    def __init__(self, canvas: Canvas, context: Hashable) -> None:
        self.canvas = canvas
        self.context = context
        self.remember = fonts.is_fixed(canvas)
        self.names: dict[Hashable, str] = {}  # key -> name in this PDF
        self.contents: dict[str, tuple[Any, ...]] = {}  # name -> what it draws (no clashes)
        self._placing: list[list[Hashable]] = []  # per form being drawn: what it places

    def place(
        self,
        key: Hashable,
        draw: Callable[[Canvas], None],
        bbox: tuple[float, float, float, float],
        x: float = 0,
        y: float = 0,
        shared: bool = True,
    ) -> None:
        """Place the form for key at (x, y); draw it first if this PDF does not have it.
        shared=False: it shows something of this PDF alone (a patient's name)."""
        c = self.canvas
        name = self.names.get(key)
        if name is None:
            name = self._define(key, draw, bbox, shared)
        if self._placing and key not in self._placing[-1]:
            self._placing[-1].append(key)
        c.saveState()
        c.translate(x, y)
        c.doForm(name)
        c.restoreState()

    def _define(
        self,
        key: Hashable,
        draw: Callable[[Canvas], None],
        bbox: tuple[float, float, float, float],
        shared: bool,
    ) -> str:
        known = _forms.get((key, self.context)) if shared and self.remember else None
        if known is not None and self._can_write(known):
            _forms.move_to_end((key, self.context))
            self._write(key, known)
            return known.name
        c = self.canvas
        c.beginForm("unnamed", *bbox)  # named after its operators, below
        self._placing.append([])
        before = own_state(c)
        with fonts.Recording(c) as recording:
            draw(c)
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
        if shared and self.remember and unchanged:
            form = _Form(name, bbox, operators, places, resources, recording.drawn)
            _forms[key, self.context] = form
            if len(_forms) > _LIMIT:
                _forms.popitem(last=False)
        return name

    def _name(self, bbox: tuple[float, ...], operators: str) -> str:
        """A name from what the form draws; the name of a form in this PDF that draws the
        same."""
        digest = hashlib.sha1(f"{bbox}\n{operators}".encode()).hexdigest()
        name = f"F{digest[:10]}"
        while self.contents.get(name, (bbox, operators)) != (bbox, operators):
            name += "x"  # another drawing with the same hash start: never seen, but possible
        return name

    def _can_write(self, form: _Form) -> bool:
        """Whether every form it places is in this PDF or remembered too."""
        if self.contents.get(form.name, (form.bbox, form.operators)) != (
            form.bbox,
            form.operators,
        ):
            return False
        for key in form.places:
            if key not in self.names:
                inner = _forms.get((key, self.context))
                if inner is None or not self._can_write(inner):
                    return False
        return True

    def _write(self, key: Hashable, form: _Form) -> None:
        """Write a remembered form into this PDF: the forms it places first, as drawing it
        would have (a form is added to the PDF when it is complete)."""
        self.names[key] = form.name
        if form.name in self.contents:
            return  # a form of another key draws the same: that one
        for inner in form.places:
            if inner not in self.names:
                self._write(inner, _forms[inner, self.context])
        c = self.canvas
        c.beginForm(form.name, *form.bbox)
        c._code.append(form.operators)
        c._formsinuse.extend(form.resources)
        fonts.replay(c, form.drawn)
        c.endForm()
        self.contents[form.name] = (form.bbox, form.operators)


def remembered(canvas: Canvas, key: Hashable, draw: Callable[[Canvas], None]) -> None:
    """draw(canvas) straight on the page, its operators remembered across PDFs under key
    (which must name everything it draws). Wrapped in saveState/restoreState, so that the
    canvas is left as it was whether it was drawn or written."""
    known = _operators.get(key) if fonts.is_fixed(canvas) else None
    if known is not None:
        _operators.move_to_end(key)
        operators, drawn = known
        canvas._code.append(operators)
        fonts.replay(canvas, drawn)
        return
    code, start = canvas._code, len(canvas._code)
    before = own_state(canvas)
    canvas.saveState()
    with fonts.Recording(canvas) as recording:
        draw(canvas)
    canvas.restoreState()
    if fonts.is_fixed(canvas) and own_state(canvas) == before:
        _operators[key] = ("\n".join(code[start:]), recording.drawn)
        if len(_operators) > _LIMIT:
            _operators.popitem(last=False)
