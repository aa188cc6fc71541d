"""Output file names and atomic writes: a reader never sees a half-written PDF."""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path

from handouts.errors import OutputError


def slug(text: str, fallback: str = "patient") -> str:
    """A safe file-name part: ASCII letters, digits and dashes, no path separators."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    cleaned = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return cleaned[:60].strip("-") or fallback


def atomic_write(path: Path, data: bytes) -> None:
    """Write to a temporary file beside path, then rename it into place."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".part"
        )
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp_name, path)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise
    except OSError as err:
        raise OutputError(f"{path}: cannot write ({err.strerror}); check the folder") from None
