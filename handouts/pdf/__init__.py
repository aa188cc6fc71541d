"""The only place that imports reportlab: fonts, styles, the handout and the checklists.

Importing this package imports reportlab's paragraph module first, with one of its regular
expressions compiled when first used instead of at import: reportlab 5 compiles a pattern
for splitting long web addresses (case-insensitive over the whole Unicode range), which
took ~20 ms of a cold `handouts generate`, and our texts hardly ever split an address. The
pattern is recognised by its exact text (a newer reportlab with another pattern compiles
as usual); every other expression compiles at once, as always, also in other threads.
"""

from __future__ import annotations

import hashlib
import re
import sys
import threading
from typing import Any

# reportlab.platypus.paragraph.uri_pat of reportlab 5.x (re.IGNORECASE), by its SHA-256
_URI_PATTERN = "e5bef3fc9b6136e3eed630940dbc3a33a3b509939e0932a3dae75cbeaed21b80"


class DeferredPattern:
    """A compiled pattern that is compiled when first used (any attribute of re.Pattern)."""

    def __init__(self, pattern: str, flags: int) -> None:
        self._source = (pattern, flags)
        self._compiled: re.Pattern[str] | None = None
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        with self._lock:
            if self._compiled is None:
                self._compiled = re.compile(*self._source)
        return getattr(self._compiled, name)


def _import_paragraph() -> None:
    if "reportlab.platypus.paragraph" in sys.modules:
        return
    compile_now = re.compile

    def compile_deferring(pattern: Any, flags: Any = 0) -> Any:
        if (
            isinstance(pattern, str)
            and flags == re.IGNORECASE
            and hashlib.sha256(pattern.encode()).hexdigest() == _URI_PATTERN
        ):
            return DeferredPattern(pattern, flags)
        return compile_now(pattern, flags)

    setattr(re, "compile", compile_deferring)  # noqa: B010 - only while the import runs
    try:
        import reportlab.platypus.paragraph  # noqa: F401
    finally:
        setattr(re, "compile", compile_now)  # noqa: B010


_import_paragraph()
