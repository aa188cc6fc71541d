"""Drawings kept between runs: what the fast path remembers within one process (speed.py's
blocks, forms.py's forms and operators), kept in the cache (handouts/cache.py) too, so that
a cold `handouts generate` of a new patient of the same practice, language and print size
lays out and draws only what differs (docs/performance.md).

Correct by construction, as the memory within one process is:
- an entry is found by a digest of its whole key spelled out (`spelled`): the layout or
  drawing function by module and name, the view field by field with its class and every
  number exactly, the canvas state it was drawn from. A key holding anything else (an
  object whose value cannot be spelled out, a function made at run time) is never kept;
- an entry is what the memory would remember anyway (it checks that the drawing changed no
  state of its own PDF: fixed character codes, no new transparency or colour names);
- the shelf's file name is a hash of everything that lays out and draws: handouts' and
  reportlab's installed files, reportlab's settings, the fonts, Python; an edit, an upgrade
  or another setting finds nothing;
- JSON (cache.py): strings and numbers, written into a PDF as they are, never run.

What is kept: the blocks of the handout (exercise cards, the how-to box, the pain rule, the
week plan, the education topics, the maintenance page) and the checklist's rows, day
boxes, pain charts and week lines. These hold the
plan's exercises, dosages and the dates of its weeks; never the header, the footer or the
checklist's page frame (the patient's name), nor the notes, which are not remembered at all.

Only one-patient commands use it (enable(), from the command line): a batch remembers
within its own processes. One shelf per kind of PDF and its look (language, print size,
colour, paper), of at most MAX_ENTRIES entries: a run reads only the shelf it needs.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import hashlib
import json
import os
import sys
import threading
import types
from collections.abc import Callable, Hashable, Iterator
from contextvars import ContextVar
from functools import cache
from typing import Any, TypeVar

import msgspec

from handouts import cache as stored
from handouts.pdf.memory import Lru

MAX_ENTRIES = 1500
MAX_BYTES = 600_000  # a shelf's size, about: ~2 ms to read
LONG_TEXT = 200  # longer texts are kept once per shelf, by their hash

V = TypeVar("V")

_enabled = False
_active: ContextVar[Shelf | None] = ContextVar("handouts_pdf_shelf", default=None)
_LOCK = threading.Lock()
_shelves: dict[str, Shelf] = {}


def enable() -> None:
    """Keep drawings between runs in this process (a one-patient command)."""
    global _enabled
    _enabled = True


class Digest(str):
    """An entry's digest, standing in for its key where a kept form names the forms it
    places (forms._Form.places): equal only to the same digest."""

    __slots__ = ()


class Shelf:
    """The kept entries of one kind of PDF and look: read once, written when the process ends
    if anything was added."""

    def __init__(self, name: str) -> None:
        self.name = name
        found = stored.read("drawings", name)
        entries = found.get("entries") if isinstance(found, dict) else None
        texts = found.get("texts") if isinstance(found, dict) else None
        ok = isinstance(entries, dict) and isinstance(texts, dict)
        self.entries: dict[str, Any] = entries if ok and entries is not None else {}
        # long texts (operators) once, by their hash: many forms draw the same
        self.texts: dict[str, str] = texts if ok and texts is not None else {}
        self.used: dict[str, None] = {}  # digests found or added in this run, in order
        self.added = False
        self._digests: dict[Hashable, Digest | None] = {}
        self._spelled: dict[int, tuple[Any, str]] = {}  # views spelled out, by identity

    def digest(self, kind: str, key: Hashable, value: Any = None) -> Digest | None:
        """The digest of key, whose value is spelled out (value, when key stands for it);
        None when it cannot be spelled out (never kept)."""
        if isinstance(key, Digest):
            return key
        memo = (kind, key)
        if memo in self._digests:
            return self._digests[memo]
        text = spelled(key if value is None else value, self._spelled)
        digest = None if text is None else Digest(_sha(f"{kind}\n{text}"))
        self._digests[memo] = digest
        return digest

    def get(self, kind: str, key: Hashable, value: Any = None) -> Any:
        digest = self.digest(kind, key, value)
        if digest is None or digest not in self.entries:
            return None
        found = self._expand(self.entries[digest])
        if found is not None:
            self.used[digest] = None
        return found

    def put(self, kind: str, key: Hashable, data: Any, value: Any = None) -> None:
        digest = self.digest(kind, key, value)
        if digest is None or digest in self.entries:
            return
        self.entries[digest] = self._pooled(data)
        self.used[digest] = None
        self.added = True
        _save_at_exit()

    def _pooled(self, data: Any) -> Any:
        """data with each long text replaced by {"text": its hash}, the text in the pool."""
        if isinstance(data, str) and len(data) > LONG_TEXT:
            digest = _sha(data)
            self.texts[digest] = data
            return {"text": digest}
        if isinstance(data, (list, tuple)):
            return [self._pooled(item) for item in data]
        return data

    def _expand(self, data: Any) -> Any:
        """data with the pool's texts back in; None when one is missing or altered."""
        if isinstance(data, dict):  # the whole file's checksum covers the pool too
            text = self.texts.get(str(data.get("text")))
            return text if isinstance(text, str) else None
        if isinstance(data, list):
            items = [self._expand(item) for item in data]
            return None if any(item is None for item in items) else items
        return data

    def save(self) -> None:
        """This run's entries first, then the earlier ones, up to the limits; the pool's
        texts that they use."""
        order = [*self.used, *(d for d in self.entries if d not in self.used)]
        entries: dict[str, Any] = {}
        texts: dict[str, str] = {}
        size = 0
        for digest in order[:MAX_ENTRIES]:
            data = self.entries[digest]
            pooled = [t for t in _text_refs(data) if t not in texts and t in self.texts]
            size += len(json.dumps(data)) + sum(len(self.texts[t]) for t in pooled)
            if size > MAX_BYTES:
                break
            entries[digest] = data
            texts.update((t, self.texts[t]) for t in pooled)
        stored.write("drawings", self.name, {"entries": entries, "texts": texts})


@contextlib.contextmanager
def shelf(*look: Any) -> Iterator[None]:
    """Use the shelf of this look (kind of PDF, language, print size, colour, paper) for what
    is built inside, in this thread; nothing when not enabled or the cache is off."""
    environment = _environment() if _enabled and stored.folder() is not None else None
    text = spelled(look) if environment is not None else None
    if environment is None or text is None:
        yield
        return
    name = f"{_environment_name()}-{stored.key('look', text)[:24]}"
    with _LOCK:
        found = _shelves.get(name)
        if found is None:
            found = _shelves[name] = Shelf(name)
    token = _active.set(found)
    try:
        yield
    finally:
        _active.reset(token)


def recall(
    memory: Lru[Any, V],
    kind: str,
    key: Hashable,
    decode: Callable[[Any], V],
    spelled_as: Any = None,
) -> V | None:
    """memory's entry for key; else the active shelf's (then put into memory too).
    spelled_as: the value key stands for (speed.Remembered's key with its hash worked out)."""
    value = memory.get(key)
    if value is not None:
        return value
    found = _active.get()
    data = found.get(kind, key, spelled_as) if found is not None else None
    if data is None:
        return None
    try:
        value = decode(data)
    except (TypeError, ValueError, IndexError):
        return None  # not what this version writes: drawn anew
    memory.put(key, value)
    return value


def keep(
    memory: Lru[Any, V],
    kind: str,
    key: Hashable,
    value: V,
    encode: Callable[[V], Any] | None = None,
    spelled_as: Any = None,
) -> None:
    """Remember value in memory, and on the active shelf (encode: its JSON data, or None
    for a value not to keep; default: the value as it is, tuples becoming lists)."""
    memory.put(key, value)
    found = _active.get()
    if found is not None:
        data = encode(value) if encode is not None else value
        if data is not None:
            found.put(kind, key, data, spelled_as)


def digest_of(kind: str, key: Hashable) -> Digest | None:
    """key's digest on the active shelf (None: no shelf, or it cannot be kept)."""
    found = _active.get()
    digest = found.digest(kind, key) if found is not None else None
    return None if digest is None else Digest(digest)


def tuples(data: Any) -> Any:
    """JSON's lists back as the tuples they were (every value kept is made of tuples,
    strings and numbers)."""
    if isinstance(data, list):
        return tuple(tuples(item) for item in data)
    if isinstance(data, (str, int, float)) or data is None:
        return data
    raise ValueError("not a kept value")


# --- spelling a key out ----------------------------------------------------------------------


def spelled(value: Any, memo: dict[int, tuple[Any, str]] | None = None) -> str | None:
    """value written out so that two values spell the same only when they are of the same
    types and equal, part for part; None when a part cannot be written out. memo: views
    spelled before, by identity (each holds its view, so that its id is not reused)."""
    out: list[str] = []
    return "".join(out) if _spell(value, out, {} if memo is None else memo) else None


_PLAIN = (str, int, float, bool, type(None))


@cache
def _colours() -> tuple[type, ...]:
    """reportlab's colour classes (imported when a key is first spelled: cli imports this
    module before reportlab)."""
    from reportlab.lib import colors

    return (colors.Color, colors.CMYKColor, colors.PCMYKColor, colors.CMYKColorSep)


_FIELDS: dict[type, tuple[str, tuple[str, ...]]] = {}  # a view class: its name, its fields


def _spell(value: Any, out: list[str], memo: dict[int, tuple[Any, str]]) -> bool:
    kind = type(value)
    if kind in _PLAIN:
        text = value if kind is str else repr(value)
        out.append(f"{kind.__name__}{len(text)}:{text}")
        return True
    if kind is tuple:
        out.append(f"({len(value)}")
        for item in value:
            if not _spell(item, out, memo):
                return False
        out.append(")")
        return True
    known = memo.get(id(value))
    if known is not None and known[0] is value:
        out.append(known[1])
        return True
    start = len(out)
    if not _spell_object(kind, value, out, memo):
        return False
    memo[id(value)] = (value, "".join(out[start:]))
    return True


def _spell_object(kind: type, value: Any, out: list[str], memo: dict[int, tuple[Any, str]]) -> bool:
    if kind is dt.date:
        out.append(f"date:{value.isoformat()}")
        return True
    if kind is types.FunctionType:
        return _spell_function(value, out)
    if kind in _colours():
        items = sorted(vars(value).items())
        colour = (f"{kind.__module__}.{kind.__qualname__}", tuple(name for name, _ in items))
        return _spell_fields(colour, [item for _, item in items], out, memo)
    names = _FIELDS.get(kind)
    if names is None:
        if not issubclass(kind, msgspec.Struct):
            return False  # not a view
        config = kind.__struct_config__
        if not config.frozen or not config.eq or config.dict:
            return False  # not a view: frozen, compared field by field, its fields all it holds
        names = _FIELDS[kind] = (f"{kind.__module__}.{kind.__qualname__}", kind.__struct_fields__)
    return _spell_fields(names, [getattr(value, name) for name in names[1]], out, memo)


def _spell_fields(
    names: tuple[str, tuple[str, ...]],
    items: list[Any],
    out: list[str],
    memo: dict[int, tuple[Any, str]],
) -> bool:
    kind, fields = names
    out.append(f"{kind}{{{len(fields)}")
    for name, item in zip(fields, items, strict=True):
        out.append(f"{name}=")
        if not _spell(item, out, memo):
            return False
    out.append("}")
    return True


def _spell_function(function: Any, out: list[str]) -> bool:
    """A function of a module, by its name: one the module gives under that name."""
    module = sys.modules.get(function.__module__)
    found: Any = module
    for part in function.__qualname__.split("."):
        found = getattr(found, part, None)
    if found is not function or function.__closure__:
        return False
    out.append(f"def:{function.__module__}:{function.__qualname__};")
    return True


# --- the shelves' names and saving -------------------------------------------------------------


@cache
def _environment_name() -> str:
    """The shelves' names start with this: a hash of what lays out and draws."""
    environment = _environment()
    return stored.key("drawings", *(environment or ()))[:16]


@cache
def _environment() -> tuple[str, ...] | None:
    """What lays out and draws, for the shelves' names: None when it cannot be listed."""
    from handouts.pdf import fonts

    modules = stored.installed(
        "handouts",
        "handouts.pdf",
        "reportlab",
        "reportlab.lib",
        "reportlab.pdfbase",
        "reportlab.pdfgen",
        "reportlab.platypus",
    )
    if modules is None:
        return None
    try:
        faces = []
        for item in sorted(fonts.font_folder().iterdir(), key=lambda item: item.name):
            info = os.stat(str(item))
            faces.append(f"font/{item.name}:{info.st_size}:{info.st_mtime_ns}")
    except OSError:
        return None
    from reportlab import rl_config  # settings a user may change (RL_* variables, files)

    settings = sorted(
        (name, repr(value))
        for name, value in vars(rl_config).items()
        if not name.startswith("_") and isinstance(value, (str, int, float, tuple, type(None)))
    )
    return (*modules, *faces, repr(settings))


def _sha(text: str | bytes) -> str:
    data = text.encode() if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()


def _text_refs(data: Any) -> Iterator[str]:
    """The hashes of the pooled texts data names."""
    if isinstance(data, dict):
        yield str(data.get("text"))
    elif isinstance(data, list):
        for item in data:
            yield from _text_refs(item)


@cache
def _save_at_exit() -> None:
    atexit.register(_save)


def _save() -> None:
    with _LOCK:
        shelves = [s for s in _shelves.values() if s.added]
    for found in shelves:
        found.save()
    if shelves:  # shelves of another version or install are never read again: gone
        stored.forget("drawings", _environment_name())
