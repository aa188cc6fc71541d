"""Output file names and atomic writes: a reader never sees a half-written PDF."""

from __future__ import annotations

import os
import re
import tempfile
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from handouts import limits
from handouts.errors import OutputError

_UMASK = os.umask(0)  # read the process's umask (the only way is to set it) ...
os.umask(_UMASK)  # ... and put it back


# Latin letters that Unicode does not decompose into a base letter and an accent
_LETTERS = str.maketrans(
    {
        "ı": "i", "İ": "I", "ø": "o", "Ø": "O", "ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE",
        "œ": "oe", "Œ": "OE", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "ł": "l", "Ł": "L",
        "þ": "th", "Þ": "Th", "ħ": "h", "Ħ": "H", "ŋ": "ng", "Ŋ": "Ng", "ſ": "s", "ĸ": "k",
    }
)  # fmt: skip


def slug(text: str, fallback: str = "patient") -> str:
    """A safe file-name part: ASCII letters, digits and dashes, no path separators. Letters
    keep their base letter ("Öztürk" -> ozturk, "Yılmaz" -> yilmaz, "Straße" -> strasse)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii")
    cleaned = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return cleaned[:60].strip("-") or fallback


def file_stem(name: str, patient_id: str = "") -> str:
    """The start of a patient's file names: the name, and the patient number when given
    (jan-peeters-0042), the same for `generate --id` and a roster's number column."""
    number = slug(patient_id, fallback="")
    return f"{slug(name)}-{number}" if number else slug(name)


def atomic_write(path: Path, data: bytes, sync: bool = True) -> None:
    """Write to a temporary file beside path, then rename it into place."""
    write_atomically(path, lambda out: out.write(data), sync)


def write_atomically(path: Path, write: Callable[[BinaryIO], object], sync: bool = True) -> None:
    """Let write() fill a temporary file beside path; rename it into place only when complete,
    so that a reader (or a printer) never sees half a file, whatever interrupts the program.

    sync=True also waits until the disk has the data (fsync), against a power cut. A batch
    passes False: waiting was a fifth of its time, and its next run remakes any file that a
    power cut left empty or short (it checks each file's size against its state file)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_parts(path.parent)
        handle, temp_name = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".part"
        )
        try:
            if hasattr(os, "fchmod"):  # POSIX: mkstemp makes 0600; a shared drive needs more
                os.fchmod(handle, 0o666 & ~_UMASK)  # (Windows: the folder's rights apply)
            with os.fdopen(handle, "wb") as out:
                write(out)
                out.flush()
                if sync:
                    os.fsync(out.fileno())
            os.replace(temp_name, path)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise
    except PermissionError as err:
        # on Windows, mostly a PDF viewer holding the file open
        held = "; close it if a PDF viewer has it open, or check the folder"
        fix = held if path.exists() else "; check the folder"
        raise OutputError(f"{path}: cannot write ({err.strerror}){fix}") from None
    except OSError as err:
        raise OutputError(f"{path}: cannot write ({err.strerror}); check the folder") from None


# Our temporary files: ".<name>.<random>.part" (mkstemp above). A run killed with SIGKILL, or
# a power cut, leaves one behind; nothing else removes it.
_PART = re.compile(r"^\..+\.[a-z0-9_]{6,}\.part$")
_CLEANED: set[Path] = set()  # folders cleaned by this process: once each, not every write


def remove_stale_parts(folder: Path) -> list[Path]:
    """Remove our own temporary files older than a minute (a younger one may belong to a run
    still writing) from folder, once per folder and process. Returns what was removed."""
    key = folder.resolve()
    if key in _CLEANED:
        return []
    _CLEANED.add(key)
    removed = []
    cutoff = time.time() - limits.STALE_PART_SECONDS
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if not _PART.match(entry.name) or not entry.is_file(follow_symlinks=False):
                    continue
                if entry.stat(follow_symlinks=False).st_mtime < cutoff:
                    Path(entry.path).unlink(missing_ok=True)
                    removed.append(Path(entry.path))
    except OSError:
        pass  # cleaning is a courtesy: the write itself reports a folder it cannot use
    return removed
