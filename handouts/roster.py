"""Rosters: this week's patients from a spreadsheet export (CSV) or a YAML list.

CSV as Dutch and Belgian Excel writes it (';' between cells, UTF-8 with a BOM or Windows-1252,
dates as 07-12-2026) and plain ',' CSV; headers in English or Dutch. An empty cell means "not
given". Every row is checked by the same Patient model as a single patient file, so that a
problem reads "patients.csv row 4: foot: 'midden' is not a foot; …". Row numbers are the ones
a spreadsheet shows: the header is row 1. In a YAML roster they count the entries from 1.

A problem with the whole file (not found, unreadable, an unknown column) is an InputError;
a problem with one row stays with that row, so that the other rows can still be made.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args, get_origin

from handouts.errors import InputError, Problem
from handouts.files import parse_yaml, validate_model
from handouts.models import LANGUAGES, Patient

ID = "id"  # not a Patient field: it only goes into the file names

# Header (normalised: no accents, lower case, '_' between words) -> Patient field.
ALIASES = {
    "naam": "name",
    "patient": "name",
    "patientnaam": "name",
    "voet": "foot",
    "kant": "foot",
    "zijde": "foot",
    "taal": "language",
    "lang": "language",
    "programma": "programme",
    "program": "programme",
    "startdatum": "start",
    "start_datum": "start",
    "begindatum": "start",
    "begin": "start",
    "weken": "weeks",
    "aantal_weken": "weeks",
    "herhalingen": "reps",
    "series": "sets",
    "sessies_per_dag": "sessions_per_day",
    "keer_per_dag": "sessions_per_day",
    "notities": "notes",
    "notitie": "notes",
    "opmerkingen": "notes",
    "extra": "include",
    "toevoegen": "include",
    "weglaten": "exclude",
    "praktijk": "practice",
    "papier": "paper",
    "grote_letters": "large_print",
    "nummer": ID,
    "nr": ID,
    "patientnummer": ID,
    "patient_nummer": ID,
    "patient_id": ID,
    "dossiernummer": ID,
    "number": ID,
}
YES = {"ja", "j", "yes", "y", "true", "waar", "x", "1"}
NO = {"nee", "n", "no", "false", "onwaar", "0"}
LANGUAGE_WORDS = {
    "nederlands": "nl",
    "dutch": "nl",
    "vlaams": "nl-BE",
    "engels": "en",
    "english": "en",
}
SPLIT_IDS = re.compile(r"[\s,;]+")


@dataclass(frozen=True)
class RosterRow:
    number: int  # spreadsheet row (header = 1), or the entry's place in a YAML list
    source: str  # how problems name it: "patients.csv row 4"
    patient_id: str  # the id column, "" without one
    name: str  # the name cell as given (for the file name), "" when missing
    patient: Patient | None  # None when the row has problems
    problems: tuple[Problem, ...]


def read_roster(path: Path) -> list[RosterRow]:
    """Every row of a CSV or YAML roster, each validated on its own."""
    raw = _read_bytes(path)
    if path.suffix.lower() in (".yaml", ".yml"):
        return _yaml_rows(path, _decode(raw, path))
    if path.suffix.lower() in (".csv", ".txt", ".tsv"):
        return _csv_rows(path, _decode(raw, path))
    raise InputError.single(str(path), "", "is not a roster; give a .csv or .yaml file")


def field_of(header: str) -> str | None:
    """The Patient field (or "id") a column header stands for, None if unknown."""
    key = _normalise(header)
    key = ALIASES.get(key, key)
    return key if key == ID or key in Patient.model_fields else None


def _normalise(header: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", header).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError.single(str(path), "", "file not found; check the path") from None
    except IsADirectoryError:
        raise InputError.single(str(path), "", "is a folder; give a roster file") from None
    except OSError as err:
        raise InputError.single(str(path), "", f"cannot be read ({err.strerror})") from None


def _decode(raw: bytes, path: Path) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text"), else
    Windows-1252, which older Excel versions write in Dutch and Belgian settings."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8-sig", "cp1252"]
    for encoding in encodings:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError.single(
        str(path), "", "is neither UTF-8 nor Windows-1252 text; save it as 'CSV UTF-8'"
    )


# --- CSV --------------------------------------------------------------------------------------


def _csv_rows(path: Path, text: str) -> list[RosterRow]:
    delimiter = None
    hint = re.match(r"sep=(.)\r?\n", text)  # Excel's own separator line; Excel hides it
    if hint:
        delimiter = hint.group(1)
        text = text[hint.end() :]
    first = next((line for line in text.splitlines() if line.strip()), "")
    if not first:
        raise InputError.single(str(path), "", "is empty; export the roster with a header row")
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter or _sniff(first)))
    header = next((i for i, cells in enumerate(records) if any(c.strip() for c in cells)), 0)
    columns = _columns(path, records[header], records[header + 1 :])
    rows = []
    for number, cells in enumerate(records, start=1):  # a record is a spreadsheet row
        if number <= header + 1 or not any(cell.strip() for cell in cells):
            continue  # the header and above; an empty line, or one of only separators
        rows.append(_csv_row(path, number, columns, cells))
    if not rows:
        raise InputError.single(str(path), "", "has a header but no patients")
    return rows


def _sniff(header: str) -> str:
    """The separator that splits the header line into the most cells; ';' wins a tie,
    because a Dutch or Belgian Excel writes it."""
    counts = {d: len(next(csv.reader([header], delimiter=d))) for d in (";", "\t", ",")}
    return max(counts, key=lambda d: counts[d])  # max keeps the first of equals


def _columns(path: Path, header: list[str], data: list[list[str]]) -> list[str | None]:
    """The field of each column; problems with the header stop the whole roster."""
    problems = []
    columns: list[str | None] = []
    seen: dict[str, str] = {}
    for index, title in enumerate(header):
        title = title.strip()
        if not title:
            if any(index < len(r) and r[index].strip() for r in data):
                problems.append(
                    Problem(str(path), f"column {index + 1}", "has values but no header; name it")
                )
            columns.append(None)
            continue
        field = field_of(title)
        if field is None:
            guess = difflib.get_close_matches(_normalise(title), _known_headers(), n=1)
            hint = f"did you mean '{guess[0]}'?" if guess else "see the columns in the README"
            problems.append(Problem(str(path), f"column '{title}'", f"unknown column; {hint}"))
        elif field in seen:
            problems.append(
                Problem(
                    str(path),
                    f"column '{title}'",
                    f"says the same as column '{seen[field]}'; keep one of them",
                )
            )
        else:
            seen[field] = title
        columns.append(field)
    for required, dutch in (("name", "naam"), ("foot", "voet")):
        if required not in seen and not problems:
            problems.append(
                Problem(str(path), "", f"has no {required} column; add a column '{dutch}'")
            )
    if problems:
        raise InputError(problems)
    return columns


def _known_headers() -> list[str]:
    fields = [f for f in Patient.model_fields if _csv_kind(f) != "mapping"]
    return sorted({*fields, ID, *(a for a, f in ALIASES.items() if f == ID or f in fields)})


def _csv_row(path: Path, number: int, columns: list[str | None], cells: list[str]) -> RosterRow:
    source = f"{path} row {number}"
    data: dict[str, Any] = {}
    problems: list[Problem] = []
    for index, cell in enumerate(cells):
        value = cell.replace("\u00a0", " ").strip()
        if not value:
            continue  # an empty cell: not given
        if index >= len(columns):
            problems.append(
                Problem(
                    source,
                    f"cell {index + 1}",
                    "is beyond the last column; check for a separator inside a cell",
                )
            )
            continue
        field = columns[index]
        if field is None:
            continue
        if field == ID:
            data[ID] = value
            continue
        if _csv_kind(field) == "mapping":
            problems.append(
                Problem(source, field, "does not fit in a spreadsheet cell; use a YAML roster")
            )
            continue
        data[field] = _cell_value(field, value)
    return _validated(source, number, data, problems)


def _csv_kind(field: str) -> str:
    """How a text cell becomes the field's value: a list, a yes/no, a mapping or text."""
    annotation = Patient.model_fields[field].annotation
    options = [a for a in (*get_args(annotation), annotation) if a is not type(None)]
    origins = [get_origin(a) or a for a in options]
    if list in origins:
        return "list"
    if dict in origins:
        return "mapping"
    if bool in origins:
        return "bool"
    return "text"


def _cell_value(field: str, value: str) -> Any:
    kind = _csv_kind(field)
    if kind == "list":
        return [part for part in SPLIT_IDS.split(value) if part]
    if kind == "bool" and value.lower() in YES | NO:
        return value.lower() in YES
    if field == "language":
        return _language(value)
    return value


def _language(value: str) -> str:
    word = value.strip()
    lowered = word.lower().replace("_", "-")
    if lowered in LANGUAGE_WORDS:
        return LANGUAGE_WORDS[lowered]
    matches = [lang for lang in LANGUAGES if lang.lower() == lowered]
    return matches[0] if matches else word


# --- YAML -------------------------------------------------------------------------------------


def _yaml_rows(path: Path, text: str) -> list[RosterRow]:
    entries = parse_yaml(text, str(path))
    if not isinstance(entries, list) or not entries:
        raise InputError.single(
            str(path), "", "expected a list of patients (- name: …, foot: …); see the README"
        )
    rows = []
    for number, entry in enumerate(entries, start=1):
        source = f"{path} entry {number}"
        if not isinstance(entry, dict):
            problem = Problem(source, "", "expected patient fields (name: …, foot: …)")
            rows.append(RosterRow(number, source, "", "", None, (problem,)))
            continue
        # Dutch keys are welcome here too; anything else is left for the model to name
        data = {_yaml_key(str(key)): value for key, value in entry.items()}
        if isinstance(data.get("language"), str):
            data["language"] = _language(data["language"])
        rows.append(_validated(source, number, data, []))
    return rows


def _yaml_key(key: str) -> str:
    return field_of(key) or key


# --- both -------------------------------------------------------------------------------------


def _validated(
    source: str, number: int, data: dict[str, Any], problems: list[Problem]
) -> RosterRow:
    patient_id = data.pop(ID, None)
    patient_id = "" if patient_id is None else str(patient_id).strip()
    name = data.get("name")
    name = name.strip() if isinstance(name, str) else ""
    patient = None
    try:
        patient = validate_model(Patient, data, source)
    except InputError as err:
        problems = [*problems, *err.problems]
    if problems:
        patient = None
    return RosterRow(number, source, patient_id, name, patient, tuple(problems))
