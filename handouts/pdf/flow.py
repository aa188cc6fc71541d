"""How the handout's blocks break across pages, so that its pages are full and calm.

Sections: a block in sections (an exercise card: its picture and first steps, its further
steps, its cautions, its dosage by stretches of weeks, easier/harder) that stays whole on a
page when it fits there. When it does not, and moving it to the next page would leave more
than MOVE_SHARE of this page empty, it breaks between two sections, never inside one:
between two steps (a minor boundary) only when no other boundary will do. The rest starts
the next page under a continued-title that names it ("Kuitrek … (vervolg)").

Box: a titled box of items (the how-to, the stop-and-contact box, the therapist's note,
the maintenance box) is never split when it fits on one page: it moves to the next page
whole. Only a box taller than a page breaks, between its groups of items, and its rest
starts under its title with the continued marker the cards use ("Stop en neem contact op
(vervolg)").

Floating and Slot: a block (the week plan) that may fill the first gap a card would leave
instead of standing at its own place.

Columns: text in balanced columns (the education topics, the references appendix) that
runs on from page to page, filling each page's columns and balancing the last page's.
Its items are never split: a topic's title keeps its first paragraph, and a topic that
runs on to the next page starts there under its title continued.

Both only place flowables made elsewhere (paragraphs and speed.Remembered blocks keyed by
their views); they draw nothing of their own, so the fast path and plain reportlab draw
the same.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.platypus import Flowable, FrameBreak
from reportlab.platypus.flowables import _listWrapOn

from handouts.pdf.speed import Stack

MOVE_SHARE = 0.15  # a block that does not fit moves on only when this little is left
_FUZZ = 1e-6


def _height(content: list[Flowable], width: float) -> float:
    return float(_listWrapOn(content, width, None)[1])


def _fitting(flowables: list[Flowable], width: float, height: float) -> int:
    """How many of the flowables, from the first, fit in height (spaced as a frame spaces
    them: the larger of the space after one and before the next); each measured once."""
    used, after = 0.0, 0.0
    for count, flowable in enumerate(flowables):
        h = flowable.wrap(width, 10_000)[1]
        gap = max(after, flowable.getSpaceBefore()) if count else 0.0
        if used + gap + h > height + _FUZZ:
            return count
        used += gap + h
        after = flowable.getSpaceAfter()
    return len(flowables)


def fits(flowables: list[Flowable], width: float, height: float) -> bool:
    """Whether the flowables, one below the other, fit in height."""
    return _fitting(flowables, width, height) == len(flowables)


class Box(Stack):
    """A titled box of items in groups (see the module). part(start, end) makes the box of
    groups start to end: with its title when start is 0, else with the continued title."""

    def __init__(self, part: Callable[[int, int], Flowable], groups: int, start: int = 0) -> None:
        super().__init__([part(start, groups)])
        self.part, self.groups, self.start = part, groups, start

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        frame = getattr(self, "_frame", None)
        at_top = frame is None or bool(frame._atTop)
        page = float(frame._height) if frame is not None else availHeight
        if _height(self._content, availWidth) <= page + _FUZZ:  # fits a page: never split
            return list(self._content) if at_top else []
        # taller than a page: as many groups as fit here (the most, by bisection), the rest
        # after its title continued
        end, beyond = self.start, self.groups
        while beyond - end > 1:
            middle = (end + beyond) // 2
            if fits([self.part(self.start, middle)], availWidth, availHeight):
                end = middle
            else:
                beyond = middle
        if end == self.start:
            if not at_top:
                return []
            end += 1  # one group taller than a page: its rows run on as the table splits
        rest = [Box(self.part, self.groups, end)] if end < self.groups else []
        return [self.part(self.start, end), *rest]


class Floating:
    """A block (the week plan) that fills the first gap a kept-together block would leave
    on its page; else it stands at its own place in the story (its Slot)."""

    def __init__(self, content: Flowable) -> None:
        self.content = content
        self.placed = False

    def fill(self, width: float, height: float, frame: Any, whole: bool) -> list[Flowable]:
        """The block, or (whole False) its start and rest, if that fits in height; else []."""
        if self.placed:
            return []
        parts: list[Flowable] = []
        if self.content.wrap(width, height)[1] <= height + _FUZZ:
            parts = [self.content]
        elif not whole:
            self.content._frame = frame
            parts = list(self.content.split(width, height))
        self.placed = bool(parts)
        return parts


class Slot(Flowable):  # type: ignore[misc]
    """A Floating block's own place: empty when the block filled a gap before it."""

    def __init__(self, floating: Floating) -> None:
        super().__init__()
        self.floating = floating

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        # not yet placed: too tall, so that the frame asks split() for the block itself
        return availWidth, 0.0 if self.floating.placed else availHeight + 1.0

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        if self.floating.placed:
            return []
        frame = getattr(self, "_frame", None)
        parts = self.floating.fill(availWidth, availHeight, frame, whole=False)
        at_top = frame is None or bool(frame._atTop)
        if not parts and at_top:  # taller than a page, and not splittable: as it is
            self.floating.placed = True
            return [self.floating.content]
        return parts

    def draw(self) -> None:
        pass


class Sections(Stack):
    """Sections one below the other, kept together when they fit (see the module)."""

    def __init__(
        self,
        sections: list[Flowable],
        continued: Flowable | None = None,
        filler: Floating | None = None,
        minor: frozenset[int] = frozenset(),
        breaks: list[bool] | None = None,
        starts: dict[int, Flowable] | None = None,
    ) -> None:
        super().__init__(sections)
        self.continued = continued  # above the rest after a break
        self.filler = filler  # what may fill this page's rest instead of a break
        self.minor = minor  # the sections before which it breaks only if nothing else fits
        self.breaks = breaks  # notes each break made: True for one before a minor section
        # a section's own form when the rest after a break starts with it (the later weeks
        # of a card's dosage box: under the box's title continued)
        self.starts = starts or {}

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        frame = getattr(self, "_frame", None)
        at_top = frame is None or bool(frame._atTop)
        page = float(frame._height) if frame is not None else availHeight
        sections: list[Flowable] = list(self._content)
        fitting = _fitting(sections, availWidth, availHeight)
        if at_top and fitting == 0:  # taller than a page from its first section: one by one
            return list(sections)
        if at_top and fitting == len(sections):
            return [Stack(sections)]
        if not at_top and availHeight <= MOVE_SHARE * page:
            return []  # little is left: the whole block starts the next page
        if not at_top and self.filler is not None:  # keep the block whole: fill the gap
            parts = self.filler.fill(availWidth, availHeight, frame, whole=True)
            if parts:
                return [*parts, self]
        if 0 < fitting < len(sections):  # break between two sections, a major one if any
            at = fitting
            major = [n for n in range(1, fitting + 1) if n not in self.minor]
            if major and (
                availHeight - _height(sections[: major[-1]], availWidth) <= MOVE_SHARE * page
            ):
                at = major[-1]  # unless that leaves more of the page empty than a move would
            rest = sections[at:]
            rest[0] = self.starts.get(at, rest[0])
            if self.continued is not None:
                rest[0] = Stack([self.continued, rest[0]])
            starts = {n - at: start for n, start in self.starts.items() if n > at}
            minor = frozenset(n - at for n in self.minor if n > at)
            if self.breaks is not None:
                self.breaks.append(at in self.minor)
            # the rest starts the next page (also when a section boundary came before the
            # last that fits), with nothing put between the two parts
            rest_of = Sections(rest, self.continued, None, minor, self.breaks, starts)
            return [Stack(sections[:at]), FrameBreak(), rest_of]
        if not at_top and self.filler is not None:  # nothing fits: the filler's start
            parts = self.filler.fill(availWidth, availHeight, frame, whole=False)
            if parts:
                return [*parts, self]
        return []


class Columns(Flowable):  # type: ignore[misc]
    """Items in `count` balanced columns with a gutter between them (see the module)."""

    def __init__(
        self,
        items: list[Flowable],
        count: int = 2,
        gutter: float = 14.0,
        title: Flowable | None = None,
        filled: list[int] | None = None,
        continued: list[Flowable | None] | None = None,
    ) -> None:
        super().__init__()
        self.items, self.count, self.gutter = items, count, gutter
        self.title = title  # across the columns, above them; stays with their first items
        self.filled = filled  # a full page's items per column, as split() filled them
        # per item: what stands above it when it starts the next page (its topic's title
        # continued), None where it starts something of its own
        self.continued = continued or [None] * len(items)
        self._sizes: tuple[float, list[tuple[float, float, float]]] | None = None
        self._placed: list[list[tuple[Flowable, float, float]]] = []

    def _column_width(self, width: float) -> float:
        return (width - self.gutter * (self.count - 1)) / self.count

    def _measured(self, width: float) -> list[tuple[float, float, float]]:
        """Each item's height and its space before and after, at the column width (once)."""
        if self._sizes is None or self._sizes[0] != width:
            column_width = self._column_width(width)
            sizes = [
                (item.wrap(column_width, 10_000)[1], item.getSpaceBefore(), item.getSpaceAfter())
                for item in self.items
            ]
            self._sizes = (width, sizes)
        return self._sizes[1]

    def _fill(self, width: float, height: float) -> list[int]:
        """How many items each column takes, filled in turn up to height (as a frame
        spaces them: the larger of the space after one item and before the next)."""
        sizes = self._measured(width)
        counts: list[int] = []
        index = 0
        for _ in range(self.count):
            used, taken = 0.0, 0
            while index + taken < len(sizes):
                h, before, _after = sizes[index + taken]
                gap = max(sizes[index + taken - 1][2], before) if taken else 0.0
                if used + gap + h > height + _FUZZ:
                    break
                used += gap + h
                taken += 1
            counts.append(taken)
            index += taken
        return counts

    def _balanced(self, width: float) -> list[int]:
        """The columns at the lowest height that takes every item (to half a point)."""
        sizes = self._measured(width)
        low = max(h for h, _, _ in sizes)
        high = sum(h + b + a for h, b, a in sizes)  # all of them in one column, and more
        while high - low > 0.5:
            middle = (low + high) / 2
            if sum(self._fill(width, middle)) == len(self.items):
                high = middle
            else:
                low = middle
        counts = self._fill(width, high)
        assert sum(counts) == len(self.items)  # every item placed, never one left out
        return counts

    def _layout(self, counts: list[int], width: float) -> float:
        """Place each column's items top-down; the height of the tallest column."""
        sizes = self._measured(width)
        self._placed = []
        index, tallest = 0, 0.0
        for taken in counts:
            placed: list[tuple[Flowable, float, float]] = []
            y = 0.0
            for n in range(index, index + taken):
                h, before, _ = sizes[n]
                if n > index:
                    y += max(sizes[n - 1][2], before)
                placed.append((self.items[n], y, h))
                y += h
            self._placed.append(placed)
            tallest = max(tallest, y)
            index += taken
        return tallest

    def _title_height(self, width: float) -> float:
        if self.title is None:
            return 0.0
        return float(self.title.wrap(width, 10_000)[1] + self.title.getSpaceAfter())

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        counts = self.filled
        if counts is None:
            counts = self._balanced(availWidth) if self.items else []
        self.height = self._title_height(availWidth) + self._layout(counts, availWidth)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        if not self.items:
            return []
        counts = self._fill(availWidth, availHeight - self._title_height(availWidth))
        taken = sum(counts)
        args = (self.count, self.gutter, self.title)
        if taken == len(self.items):
            return [Columns(self.items, *args, filled=counts)]
        if taken == 0:
            frame = getattr(self, "_frame", None)
            at_top = frame is None or bool(frame._atTop)
            # not even the first item fits: the next page; an item taller than a page
            # (a practice's own long text) runs on in one column
            return [*([self.title] if self.title else []), *self.items] if at_top else []
        head = Columns(self.items[:taken], *args, filled=counts)
        rest, continued = self.items[taken:], self.continued[taken:]
        if continued[0] is not None:  # the title continued, kept with the item below it
            rest, continued = [Stack([continued[0], rest[0]]), *rest[1:]], [None, *continued[1:]]
        return [head, Columns(rest, self.count, self.gutter, continued=continued)]

    def draw(self) -> None:
        column_width = self._column_width(self.width)
        top = self.height
        if self.title is not None:
            _, h = self.title.wrap(self.width, 10_000)
            self.title.drawOn(self.canv, 0, top - h)
            top -= self._title_height(self.width)
        for number, placed in enumerate(self._placed):
            x = number * (column_width + self.gutter)
            for item, y, h in placed:
                item.wrap(column_width, 10_000)
                item.drawOn(self.canv, x, top - y - h)
