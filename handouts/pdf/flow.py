"""How the handout's blocks break across pages, so that its pages are full and calm.

Sections: a block in sections (an exercise card: its picture and steps, its dosage, its
cautions) that stays whole on a page when it fits there. When it does not, and moving it
to the next page would leave more than MOVE_SHARE of this page empty, it breaks between
two sections, never inside one, and the rest goes on under a continued-title that names
it ("Kuitrek … (vervolg)").

Columns: text in balanced columns (the education topics, the references appendix) that
runs on from page to page, filling each page's columns and balancing the last page's.
Its items are never split: a topic's title keeps its first paragraph.

Both only place flowables made elsewhere (paragraphs and speed.Remembered blocks keyed by
their views); they draw nothing of their own, so the fast path and plain reportlab draw
the same.
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable
from reportlab.platypus.flowables import _listWrapOn

from handouts.pdf.speed import Stack

MOVE_SHARE = 0.15  # a block that does not fit moves on only when this little is left
_FUZZ = 1e-6


def _height(content: list[Flowable], width: float) -> float:
    return float(_listWrapOn(content, width, None)[1])


class Sections(Stack):
    """Sections one below the other, kept together when they fit (see the module)."""

    def __init__(self, sections: list[Flowable], continued: Flowable | None = None) -> None:
        super().__init__(sections)
        self.continued = continued  # above the rest after a break

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        frame = getattr(self, "_frame", None)
        at_top = frame is None or bool(frame._atTop)
        page = float(frame._height) if frame is not None else availHeight
        sections: list[Flowable] = list(self._content)
        fitting = 0
        while fitting < len(sections) and (
            _height(sections[: fitting + 1], availWidth) <= availHeight + _FUZZ
        ):
            fitting += 1
        if fitting == 0 or fitting == len(sections):
            # nothing fits here: the next page, or (on a page of its own) section by section
            return list(sections) if at_top else []
        if not at_top and availHeight <= MOVE_SHARE * page:
            return []  # little is left: the whole block starts the next page
        rest = sections[fitting:]
        if self.continued is not None:
            rest[0] = Stack([self.continued, rest[0]])
        return [Stack(sections[:fitting]), Sections(rest, self.continued)]


class Columns(Flowable):  # type: ignore[misc]
    """Items in `count` balanced columns with a gutter between them (see the module)."""

    def __init__(
        self,
        items: list[Flowable],
        count: int = 2,
        gutter: float = 14.0,
        title: Flowable | None = None,
        filled: list[list[Flowable]] | None = None,
    ) -> None:
        super().__init__()
        self.items, self.count, self.gutter = items, count, gutter
        self.title = title  # across the columns, above them; stays with their first items
        self.filled = filled  # a full page's columns, as split() filled them: not rebalanced
        self._placed: list[list[tuple[Flowable, float, float]]] = []

    def _column_width(self, width: float) -> float:
        return (width - self.gutter * (self.count - 1)) / self.count

    def _fill(self, width: float, height: float) -> tuple[list[list[Flowable]], int]:
        """The columns filled in turn, each up to height; how many items they took."""
        column_width = self._column_width(width)
        columns: list[list[Flowable]] = [[] for _ in range(self.count)]
        taken = 0
        for column in columns:
            while taken < len(self.items):
                if _height([*column, self.items[taken]], column_width) > height + _FUZZ:
                    break
                column.append(self.items[taken])
                taken += 1
        return columns, taken

    def _balanced(self, width: float) -> list[list[Flowable]]:
        """The columns at the lowest height that takes every item (to half a point)."""
        column_width = self._column_width(width)
        low = max(_height([item], column_width) for item in self.items)
        high = _height(self.items, column_width)
        while high - low > 0.5:
            middle = (low + high) / 2
            if self._fill(width, middle)[1] == len(self.items):
                high = middle
            else:
                low = middle
        return self._fill(width, high)[0]

    def _layout(self, columns: list[list[Flowable]], width: float) -> float:
        """Place each column's items top-down, spaced as a frame spaces them."""
        column_width = self._column_width(width)
        self._placed = []
        for column in columns:
            placed: list[tuple[Flowable, float, float]] = []
            y = 0.0
            for n, item in enumerate(column):
                if n:
                    y += max(column[n - 1].getSpaceAfter(), item.getSpaceBefore())
                _, h = item.wrap(column_width, 10_000)
                placed.append((item, y, h))
                y += h
            self._placed.append(placed)
        return max((y + h for placed in self._placed for _, y, h in placed), default=0.0)

    def _title_height(self, width: float) -> float:
        if self.title is None:
            return 0.0
        return float(self.title.wrap(width, 10_000)[1] + self.title.getSpaceAfter())

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        columns = self.filled if self.filled is not None else None
        if columns is None:
            columns = self._balanced(availWidth) if self.items else []
        self.height = self._title_height(availWidth) + self._layout(columns, availWidth)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        below = availHeight - self._title_height(availWidth)
        columns, taken = self._fill(availWidth, below)
        args = (self.count, self.gutter, self.title)
        if taken == len(self.items):
            return [Columns(self.items, *args, filled=columns)]
        if taken == 0:
            frame = getattr(self, "_frame", None)
            at_top = frame is None or bool(frame._atTop)
            # not even the first item fits: the next page; an item taller than a page
            # (a practice's own long text) runs on in one column
            return [*([self.title] if self.title else []), *self.items] if at_top else []
        head = Columns(self.items[:taken], *args, filled=columns)
        return [head, Columns(self.items[taken:], self.count, self.gutter)]

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
