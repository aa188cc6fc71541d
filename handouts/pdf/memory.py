"""What the fast path remembers across PDFs, and which PDF may use it.

Every cache of the fast path is a bounded, lock-guarded LRU inside one Memory object. A
PDF being made may read and fill a Memory only while it is `active()`: accel.Fast makes it
active for the build of one PDF, in the thread (and context) that builds it, and puts back
what was active before, so builds in other threads and nested builds never see each other's
choice. With no active Memory (accel.Plain) nothing is remembered across PDFs.
"""

from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextvars import ContextVar
from typing import Any, Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Lru(Generic[K, V]):
    """A dict of at most `limit` entries (or `size` units, when measure is given), least
    recently used out; safe to share between threads."""

    def __init__(self, limit: int, measure: Callable[[K, V], int] | None = None) -> None:
        self.limit, self.measure, self.size = limit, measure, 0
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> None:
        with self._lock:
            if key in self._items:
                return  # the same drawing made twice at once: the first one stays
            self._items[key] = value
            self.size += self.measure(key, value) if self.measure else 1
            while self.size > self.limit and self._items:
                old_key, old_value = self._items.popitem(last=False)
                self.size -= self.measure(old_key, old_value) if self.measure else 1

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.size = 0

    def __len__(self) -> int:
        return len(self._items)


def _bytes_size(key: bytes, value: bytes) -> int:
    return len(key) + len(value)


class Memory:
    """The caches of the fast path, one per kind of work; see where each is used."""

    def __init__(self) -> None:
        self.parsed: Lru[Any, dict[str, Any]] = Lru(2048)  # speed.Paragraph: parsed markup
        self.wrapped: Lru[Any, dict[str, Any]] = Lru(2048)  # speed.Paragraph: lines per width
        self.drawn: Lru[Any, Any] = Lru(2048)  # speed.Paragraph: drawing operators
        self.sizes: Lru[Any, tuple[float, float, str]] = Lru(2048)  # speed.Remembered
        self.spaces: Lru[Any, tuple[float, float]] = Lru(2048)  # speed.Remembered
        self.drawings: Lru[Any, Any] = Lru(1024)  # speed.Remembered: cards, ~5 KB each
        self.forms: Lru[Any, Any] = Lru(2048)  # forms.Forms
        self.operators: Lru[Any, Any] = Lru(2048)  # forms.remembered
        self.pictures: Lru[str, tuple[str, ...]] = Lru(256)  # illustrations: operators
        self.splits: Lru[Any, Any] = Lru(8192)  # fonts: text -> codes, per face
        self.subsets: Lru[Any, bytes] = Lru(32)  # fonts: font files of the drawn glyphs
        self.widths: Lru[Any, Any] = Lru(16)  # fonts: width arrays, written out
        # accel: compressed streams, bounded by the bytes in and out
        self.compressed: Lru[bytes, bytes] = Lru(3 * 1024 * 1024, _bytes_size)

    def caches(self) -> list[Lru[Any, Any]]:
        return [value for value in vars(self).values() if isinstance(value, Lru)]

    def clear(self) -> None:
        for cache in self.caches():
            cache.clear()


_active: ContextVar[Memory | None] = ContextVar("handouts_pdf_memory", default=None)


def active() -> Memory | None:
    """The Memory the PDF being made in this context may use, or None (nothing shared)."""
    return _active.get()


@contextlib.contextmanager
def remembering(memory: Memory | None) -> Iterator[None]:
    """Make memory the active one for what runs inside (this thread and context only)."""
    token = _active.set(memory)
    try:
        yield
    finally:
        _active.reset(token)
