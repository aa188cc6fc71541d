"""Personalised exercise handouts and weekly checklists for plantar heel pain.

The Python API is one function, make_pdfs(); the command line (`handouts generate`, `batch`)
goes the same way (handouts/produce.py). Importing the package is cheap: the parts that make
PDFs are imported when make_pdfs is first called.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from handouts.library import Library

__version__ = "0.1.0"
__all__ = ["make_pdfs"]


def make_pdfs(
    patient: str | Path | Mapping[str, Any],
    practice: str | Path | Mapping[str, Any] | None = None,
    *,
    today: dt.date | None = None,
    library: str | Path | Library | None = None,
) -> dict[str, bytes]:
    """One patient's PDFs, in memory: {"handout": bytes, "checklist": bytes}.

    patient: a patient file (YAML, as for `handouts generate`) or a mapping with its fields.
    practice: a practice file or a mapping with its fields; None: the patient's own
    `practice:` field, if any (a logo or library in a mapping is relative to the working
    folder). today: the date printed as "made on" and from which the default start (the
    coming Monday) counts; default the real today. library: a folder with the practice's own
    exercises, programmes and education (or a loaded Library), after the practice's own.

    Bad input raises handouts.errors.InputError, whose .problems name the file, the field and
    the fix. The same input gives the same bytes, also when called from several threads.
    """
    from handouts.produce import make_pdfs as make

    return make(patient, practice, today=today, library=library)
