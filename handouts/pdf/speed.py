"""Speed-ups both PDFs share. Neither changes what is on the page.

Paragraph: reportlab's, remembering its work. Parsing the markup and breaking lines were over
half of a handout's time: tables, KeepTogether and the frame wrap each paragraph 3-4 times, and
most paragraphs (exercise steps, the pain rule, the education pages) are the same for every
patient with the same language and side. Both results are kept in small bounded caches per
process and copied into each new Paragraph; only drawing is done for every document. The
output is byte-identical to reportlab's own Paragraph.

binary_streams(): page streams compressed but not also ASCII85-encoded (reportlab's default,
from the days of 7-bit mail): 10 % smaller files and less work, the same pages.
"""

from __future__ import annotations

import contextlib
import copy
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

from reportlab import rl_config
from reportlab.platypus import Paragraph as _Paragraph

_LIMIT = 2048  # entries per cache: the shipped texts fit; one patient's own lines come and go
Cache = OrderedDict[Any, dict[str, Any]]
_parsed: Cache = OrderedDict()  # (text, style, bullet) -> the parsed paragraph's attributes
_wrapped: Cache = OrderedDict()  # (text, style, bullet, width) -> its lines at that width
# what Paragraph.wrap (with breakLines) sets on the paragraph
_WRAP_STATE = ("blPara", "_wrapWidths", "width", "height", "frags", "_width_max")


def _remember(cache: Cache, key: Any, value: dict[str, Any]) -> None:
    cache[key] = value
    if len(cache) > _LIMIT:
        cache.popitem(last=False)


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
            _remember(_parsed, self._key, dict(self.__dict__))

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        cache: Cache = _wrapped
        key: Any = (self._key, availWidth)
        if self._key is None:  # part of a split paragraph: remember for this object only
            cache, key = self.__dict__.setdefault("_own", OrderedDict()), availWidth
        known = cache.get(key)
        if known is not None:
            self.__dict__.update(known)
            return self.width, self.height
        size: tuple[float, float] = super().wrap(availWidth, availHeight)
        if hasattr(self, "blPara"):
            state = {name: self.__dict__[name] for name in _WRAP_STATE if name in self.__dict__}
            _remember(cache, key, state)
        return size

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        # splitting can change the words of the lines it splits: it gets its own copy, so
        # that the cached lines stay as they were
        self.wrap(availWidth, availHeight)
        self.__dict__["blPara"] = copy.deepcopy(self.__dict__["blPara"])
        self.__dict__["frags"] = copy.deepcopy(self.__dict__["frags"])
        return list(super().split(availWidth, availHeight))


@contextlib.contextmanager
def binary_streams() -> Iterator[None]:
    """Streams written while inside are Flate-compressed only (read when the PDF is saved)."""
    previous = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = previous
