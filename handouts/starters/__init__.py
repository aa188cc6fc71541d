"""`handouts new`: starter files to fill in, so that nobody begins from an empty page.

The templates beside this module are package data; a roster can also be a real Excel
workbook (.xlsx), made here from the CSV template, because that is what a front desk opens.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from importlib import resources
from pathlib import Path

import msgspec

from handouts.errors import InputError
from handouts.plan import coming_monday

NEXT_STEPS = {
    "patient": "fill it in, then: handouts generate {path} -o out/",
    "practice": "fill it in, then add `{key}: {name}` to a patient file (or --practice {path})",
    "roster": "put this week's patients in it (one row each), then: handouts batch {path} -o out/",
}
# In the Dutch starters (keys and notes in Dutch): how the file names itself in its notes.
THIS_FILE = {"en": "THIS_FILE", "nl": "DIT_BESTAND"}
# The templates' start date (the roster's example rows, the patient file's example line),
# written as the coming Monday: an example copied months later must not start long ago
TEMPLATE_START = "07-12-2026"
TEMPLATE_START_ISO = "2026-12-07"


class Written(msgspec.Struct, frozen=True):
    path: Path
    next_step: str


def kind_for(path: Path) -> str:
    """What a file name asks for: a roster by its suffix, a practice by its name."""
    if path.suffix.lower() in (".csv", ".xlsx", ".tsv", ".txt"):
        return "roster"
    if any(word in path.stem.lower() for word in ("practice", "praktijk")):
        return "practice"
    return "patient"


def starter_language(path: Path, language: str | None) -> str:
    """nl or en: --lang when given (nl-BE is Dutch too), else Dutch for a Dutch file name
    (praktijk.yaml, patiënt.yaml)."""
    if language is not None:
        return "en" if language == "en" else "nl"
    stem = path.stem.lower()
    return "nl" if "praktijk" in stem or "patiënt" in stem else "en"


def write_starter(
    path: Path,
    kind: str | None = None,
    language: str | None = None,
    today: dt.date | None = None,
) -> Written:
    """A starter file for kind (else from the name); a patient or practice file in Dutch
    (keys and notes) for language nl or nl-BE, or a Dutch file name. A roster's example
    rows start on the Monday after today (default: the real today)."""
    kind = (kind or kind_for(path)).lower()
    suffix = path.suffix.lower()
    if kind == "roster" and suffix not in (".csv", ".xlsx"):
        raise InputError.single(str(path), "", "a roster starter is a .csv or .xlsx file")
    if kind != "roster" and suffix not in (".yaml", ".yml"):
        raise InputError.single(str(path), "", f"a {kind} file is YAML; name it {kind}.yaml")
    if path.exists() or path.is_symlink():
        raise InputError.single(
            str(path), "", "already exists and is left alone; give another file name"
        )
    dutch = starter_language(path, language) == "nl"
    template = "roster.csv" if kind == "roster" else f"{kind}{'.nl' if dutch else ''}.yaml"
    data = resources.files(__name__).joinpath(template).read_bytes()
    monday = coming_monday(today or dt.date.today())
    if kind != "roster":
        text = data.decode("utf-8").replace(THIS_FILE["nl" if dutch else "en"], path.name)
        text = text.replace(TEMPLATE_START, monday.strftime("%d-%m-%Y"))
        text = text.replace(TEMPLATE_START_ISO, monday.isoformat())
        if language == "nl-BE":  # a Flemish patient, a kinesitherapist
            text = text.replace("taal: nl    ", "taal: nl-BE ").replace("fysio", "kinesi")
        data = text.encode("utf-8")
    else:  # the example rows start on the coming Monday, never on a date long gone
        text = data.decode("utf-8-sig").replace(TEMPLATE_START, monday.strftime("%d-%m-%Y"))
        data = text.encode("utf-8-sig")
    if suffix == ".xlsx":
        data = _workbook(data.decode("utf-8-sig"))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("xb") as out:  # "x": never overwrite, even in a race
            out.write(data)
    except FileExistsError:
        raise InputError.single(str(path), "", "already exists and is left alone") from None
    except OSError as err:
        raise InputError.single(
            str(path), "", f"cannot be written ({err.strerror}); check the folder"
        ) from None
    key = "praktijk" if dutch else "practice"
    step = NEXT_STEPS[kind].format(path=path, name=path.name, key=key)
    return Written(path, step)


def _workbook(text: str) -> bytes:
    """The CSV template as an Excel sheet: dates as dates, numbers as numbers."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Patiënten"
    for number, cells in enumerate(csv.reader(io.StringIO(text), delimiter=";")):
        row: list[object] = []
        for cell in cells:
            day = _dmy(cell) if number else None
            if day is not None:
                row.append(dt.date(*day))
            elif cell.isdigit() and number:
                row.append(int(cell))
            else:
                row.append(cell)
        sheet.append(row)
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = 16
        for cell in column:
            if isinstance(cell.value, dt.date):
                cell.number_format = "DD-MM-YYYY"  # as a Dutch or Belgian Excel shows a date
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _dmy(cell: str) -> tuple[int, int, int] | None:
    parts = cell.split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts) and len(parts[2]) == 4:
        return int(parts[2]), int(parts[1]), int(parts[0])
    return None
