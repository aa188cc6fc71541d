"""Work kept between runs: a user-private folder of JSON files, each named by a hash of what
it was made from, so that a cold `handouts generate` need not redo it (docs/performance.md).

Safe by construction:
- JSON only: reading a file can never run code (no pickle, no marshal);
- each file holds a SHA-256 of its value as stored (the JSON text), checked on reading
  before the value is parsed: a torn, truncated or bit-flipped file is ignored and made
  again, never used;
- the name is a hash of everything the value depends on (the input's bytes, the versions
  of the tool and of the libraries that made it): a changed input or an upgrade never meets
  an old value, it finds no file;
- the folder is the user's own (created 0700; on POSIX it must belong to the user and be
  writable by no one else, or it is not used): another user cannot plant a value;
- bounded: at most MAX_FILES files; beyond that, the folder is emptied and fills again.

HANDOUTS_CACHE_DIR names another folder; HANDOUTS_CACHE_DIR=off turns the cache off. Any
trouble (read-only home, full disk) means no cache, never an error: the work is redone.
"""

from __future__ import annotations

import atexit
import hashlib
import importlib.util
import json
import os
import stat
import sys
import tempfile
import threading
from functools import cache
from pathlib import Path
from typing import Any

MAX_FILES = 500
MAX_FILE_BYTES = 2_000_000


def _default_folder() -> Path:
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "handouts" / "cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "handouts"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "handouts"


@cache
def folder() -> Path | None:
    """The cache folder, made if needed; None when there is none to use."""
    given = os.environ.get("HANDOUTS_CACHE_DIR")
    if given is not None and given.strip().lower() in ("", "off", "0", "no"):
        return None
    path = Path(given) if given else _default_folder()
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(path):
            return None
    except OSError:
        return None
    return path


def _private(path: Path) -> bool:
    if os.name != "posix":
        return path.is_dir()  # the user's own profile folder (LOCALAPPDATA)
    info = path.lstat()  # not a link to somewhere else
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o022


@cache
def installed(*modules: str) -> tuple[str, ...] | None:
    """The installed files of each module's folder, by name, size and time, for a name that
    an edit or an upgrade changes; None when a folder cannot be listed (a zipped install):
    then nothing is kept. A module not imported yet is found without importing it."""
    parts = [sys.version]
    try:
        for module in modules:
            loaded = sys.modules.get(module)
            origin = getattr(loaded, "__file__", None)
            if origin is None:
                spec = importlib.util.find_spec(module)
                origin = spec.origin if spec is not None else None
            if origin is None:
                return None
            for file in sorted(Path(origin).parent.iterdir()):
                if file.is_file():
                    info = file.stat()
                    parts.append(f"{module}/{file.name}:{info.st_size}:{info.st_mtime_ns}")
    except (OSError, ImportError, ValueError):
        return None
    return tuple(parts)


def key(*parts: str | bytes) -> str:
    """A file name for what the parts describe (SHA-256 of all of them, length-prefixed)."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()[:40]


def read(kind: str, name: str) -> Any:
    """The value stored under kind/name, or None (none there, unreadable or damaged)."""
    base = folder()
    if base is None:
        return None
    try:
        with open(base / f"{kind}-{name}.json", "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES or not data.startswith(_HEAD) or not data.endswith(b"}"):
            return None
        digest, text = data[len(_HEAD) : len(_HEAD) + 64], data[len(_HEAD) + 64 + _GAP : -1]
        if data[len(_HEAD) + 64 : len(_HEAD) + 64 + _GAP] != _MIDDLE or digest != _checksum(text):
            return None
        return json.loads(text)
    except (OSError, ValueError, RecursionError):
        return None


def write(kind: str, name: str, value: Any) -> None:
    """Store value (plain JSON data) under kind/name; quietly nothing when that fails."""
    base = folder()
    if base is None:
        return
    value_text = json.dumps(value, separators=(",", ":")).encode()
    text = _HEAD + _checksum(value_text) + _MIDDLE + value_text + b"}"
    if len(text) > MAX_FILE_BYTES:
        return
    try:
        if sum(1 for _ in base.glob("*.json")) >= MAX_FILES:
            for old in base.glob("*.json"):
                old.unlink(missing_ok=True)
        handle, temporary = tempfile.mkstemp(dir=base, prefix=".part-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(text)
            os.replace(temporary, base / f"{kind}-{name}.json")
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        return


def forget(kind: str, keep: str) -> None:
    """Remove kind's files except those whose names start with keep (the others were made
    by another version: large ones need not wait for MAX_FILES)."""
    base = folder()
    if base is None:
        return
    try:
        for old in base.glob(f"{kind}-*.json"):
            if not old.name.startswith(f"{kind}-{keep}"):
                old.unlink(missing_ok=True)
    except OSError:
        return


class Strings:
    """Texts by key, kept between runs in one file of `kind`, named after the installed files
    of `modules` (an edit or an upgrade finds nothing). Read when first asked; what this
    process added is written when it ends, merged with what other processes kept meanwhile,
    the newest `limit` entries. Safe between threads."""

    def __init__(self, kind: str, modules: tuple[str, ...], limit: int) -> None:
        self.kind, self.modules, self.limit = kind, modules, limit
        self._found: dict[str, Any] | None = None
        self._new: dict[str, str] = {}
        self._lock = threading.Lock()
        self._saving = False

    def get(self, name: str) -> str | None:
        found = self._found
        if found is None:
            stored = read(self.kind, self._file) if self._file is not None else None
            found = self._found = stored if isinstance(stored, dict) else {}
        value = found.get(name)
        return value if isinstance(value, str) else None

    def put(self, name: str, value: str) -> None:
        if folder() is None:
            return
        with self._lock:
            self._new[name] = value
            if not self._saving:  # once, when this process first adds something
                self._saving = True
                atexit.register(self.save)

    def save(self) -> None:
        if self._file is None:
            return
        with self._lock:
            earlier = read(self.kind, self._file)  # another process may have kept more
            kept = {**(earlier if isinstance(earlier, dict) else {}), **self._new}
            self._new.clear()
        if kept:
            write(self.kind, self._file, dict(list(kept.items())[-self.limit :]))

    def forget_read(self) -> None:
        """Read the file again when next asked (a test's fresh start)."""
        self._found = None

    @property
    def _file(self) -> str | None:
        found = installed(*self.modules)
        return None if found is None else key(self.kind, *found)


# A file: {"sha256":"<hex digest of the value's text>","value":<the value's JSON text>}
_HEAD = b'{"sha256":"'
_MIDDLE = b'","value":'
_GAP = len(_MIDDLE)


def _checksum(text: bytes) -> bytes:
    return hashlib.sha256(text).hexdigest().encode()
