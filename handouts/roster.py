"""Rosters: this week's patients from a spreadsheet (Excel .xlsx, CSV) or a YAML list.

CSV as Dutch and Belgian Excel writes it (';' between cells, UTF-8 with a BOM or Windows-1252,
even both in one file, dates as 07-12-2026) and plain ',' CSV; an Excel workbook read
directly (the first sheet, or a named one); headers in English or Dutch (words.py), a name
in one column or as Voornaam / Tussenvoegsel / Achternaam. An empty cell means "not given".
Every row is checked by the same Patient model as a single patient file, so that a problem
reads "patients.csv row 4: Voet: 'midden' is not a foot; …", the column as its header names
it. Row numbers are the ones a spreadsheet shows: the header is row 1. In a YAML roster they
count the entries from 1, and fields are named as typed.

Exports carry columns the tool does not use (Telefoon, Geboortedatum, …): those are left
out with one notice naming them. A header that is a near miss of a column the tool reads
("Herhalingn") stops the roster instead, so that a typo never drops a dosage silently.

A problem with the whole file (not found, unreadable, too big, a near-miss header) is an
InputError; a problem with one row (a bad value, a cell too long) stays with that row, so
that the other rows can still be made.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import difflib
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, get_args, get_origin

import msgspec
from msgspec.structs import replace

from handouts import words
from handouts.errors import InputError, Problem
from handouts.files import decode_text, is_yaml_saved_as_txt, parse_typed_yaml, validate_model
from handouts.models import Patient, field_names, field_type

ID = words.ID  # not a Patient field: it only goes into the file names
PATIENT_FIELDS = field_names(Patient)
NAME_PART = "name part"  # a Voornaam / Tussenvoegsel / Achternaam column

# Limits: a roster is a week's caseload, not a database dump.
MAX_BYTES = 20_000_000
MAX_ROWS = 50_000
MAX_COLUMNS = 200
MAX_UNPACKED = 200_000_000  # bytes of XML inside an .xlsx
MAX_CELL = 2_000  # characters; longer is an export error (notes are at most 1,200)

SPLIT_IDS = re.compile(r"[\s,;]+")
DATE_WORDS = ("datum", "date", "geboor", "birth", "dob")


class RosterRow(msgspec.Struct, frozen=True):
    number: int  # spreadsheet row (header = 1), or the entry's place in a YAML list
    source: str  # how problems name it: "patients.csv row 4"
    patient_id: str  # the id column, "" without one
    name: str  # the name cell as given (for the file name), "" when missing
    patient: Patient | None  # None when the row has problems
    problems: tuple[Problem, ...]  # each field named as the roster spells it (`Voet`)
    # field -> the column header or key as the roster has it, for later messages (the plan's)
    typed: Mapping[str, str] = msgspec.field(default_factory=dict)
    spreadsheet: bool = False  # a table row: no cell for one exercise's own dosage
    warnings: tuple[Problem, ...] = ()  # a YAML entry as read: a value cut at " #3"


class Roster(list[RosterRow]):
    """The rows, in order, and notices about the whole file (columns left out)."""

    notices: tuple[str, ...] = ()


def read_roster(path: Path, sheet: str | None = None) -> Roster:
    """Every row of an .xlsx, CSV or YAML roster, each validated on its own."""
    suffix = path.suffix.lower()
    if path.name.startswith("~$"):  # Excel's lock file beside an open workbook
        raise InputError.single(
            str(path),
            "",
            f"is the lock file Excel keeps while {path.name[2:]} is open; give {path.name[2:]}",
        )
    raw = _read_bytes(path) if suffix in (".xlsx", ".xlsm", ".xls") else b""
    if suffix in (".xlsx", ".xlsm") or (suffix == ".xls" and raw.startswith(b"PK")):
        records, hidden, sheets = _xlsx_records(path, raw, sheet)  # an .xlsx named .xls too
        return _table_rows(path, records, hidden, sheets)
    if sheet is not None:
        raise InputError.single(str(path), "", "has no sheets; --sheet is for .xlsx workbooks")
    if suffix in (".yaml", ".yml") or is_yaml_saved_as_txt(path):
        return _yaml_rows(path, _decode(_read_bytes(path), path))
    if suffix in (".csv", ".txt", ".tsv"):
        return _table_rows(path, _csv_records(path, _decode(_read_bytes(path), path)))
    if suffix == ".xls":
        return _table_rows(path, _csv_records(path, _xls_text(path, raw)))
    raise InputError.single(str(path), "", "is not a roster; give a .xlsx, .csv or .yaml file")


def _xls_text(path: Path, raw: bytes) -> str:
    """An .xls file as practice software writes it: often not an old Excel workbook at all,
    but tab-separated text or a web page with an .xls name."""
    if raw.startswith(b"\xd0\xcf\x11\xe0"):  # a real Excel 97-2003 workbook
        raise InputError.single(
            str(path), "", "is an old Excel file (.xls); open it in Excel and save it as .xlsx"
        )
    text = _decode(raw, path)
    if text.lstrip().startswith("<"):
        raise InputError.single(
            str(path),
            "",
            "is a web page (HTML) with an .xls name, as some software exports a table; open "
            "it in Excel and save it as .xlsx (Excel workbook), or export CSV",
        )
    return text


def field_of(header: str) -> str | None:
    """The Patient field (or "id") a column header stands for, None if unknown."""
    key = words.field(header)
    return key if key == ID or key in PATIENT_FIELDS else None


def _read_bytes(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise InputError.single(str(path), "", "file not found; check the path") from None
    except IsADirectoryError:
        raise InputError.single(str(path), "", "is a folder; give a roster file") from None
    except OSError as err:
        raise InputError.single(
            str(path), "", f"cannot be read ({err.strerror}); check it is yours to read, or copy it"
        ) from None
    if len(raw) > MAX_BYTES:
        raise InputError.single(
            str(path), "", f"is larger than {MAX_BYTES // 1_000_000} MB; split the roster"
        )
    return raw


def _decode(raw: bytes, path: Path) -> str:
    return decode_text(raw, str(path), "save it as 'CSV UTF-8'")


# --- reading a table: CSV or Excel, as numbered records of cells -------------------------------

Record = tuple[int, list[Any]]  # spreadsheet row number, cells (text, number, date or None)


def _csv_records(path: Path, text: str) -> list[Record]:
    delimiter = None
    hint = re.match(r"sep=(.)\r?\n", text)  # Excel's own separator line; Excel hides it
    if hint:
        delimiter = hint.group(1)
        text = text[hint.end() :]
    first = next((line for line in text.splitlines() if line.strip()), "")
    if not first:
        raise InputError.single(str(path), "", "is empty; export the roster with a header row")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter or _sniff(first))
    with _long_fields():
        try:
            return [(n, cells) for n, cells in enumerate(_bounded(path, reader), start=1)]
        except csv.Error as err:
            raise InputError.single(
                str(path), f"row {reader.line_num}", f"cannot be read as CSV ({err})"
            ) from None


@contextlib.contextmanager
def _long_fields() -> Iterator[None]:
    """A cell up to the whole file's size reaches its row (which then fails with a clear
    message) instead of stopping the csv module, and so the whole roster."""
    previous = csv.field_size_limit(MAX_BYTES)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def _bounded(path: Path, records: Any) -> Iterator[list[Any]]:
    for count, cells in enumerate(records, start=1):
        if count > MAX_ROWS + 1:
            raise InputError.single(
                str(path), "", f"has more than {MAX_ROWS:,} rows; split the roster"
            )
        yield list(cells)


def _sniff(header: str) -> str:
    """The separator that splits the header line into the most cells; ';' wins a tie,
    because a Dutch or Belgian Excel writes it."""
    counts = {d: len(next(csv.reader([header], delimiter=d))) for d in (";", "\t", ",")}
    return max(counts, key=lambda d: counts[d])  # max keeps the first of equals


def _xlsx_records(
    path: Path, raw: bytes, sheet: str | None
) -> tuple[list[Record], frozenset[int], str]:
    """The cells of one sheet as values: read-only (no macro or formula runs), the values
    Excel last calculated, dates as dates; the numbers of the rows the sheet hides; and, when
    the first of several sheets was read, which (for a message when it has no patients)."""
    import zipfile

    from openpyxl import load_workbook  # only for a workbook

    try:
        unpacked = sum(item.file_size for item in zipfile.ZipFile(io.BytesIO(raw)).infolist())
        if unpacked > MAX_UNPACKED:  # a small file that unpacks into gigabytes
            raise InputError.single(
                str(path), "", f"unpacks to {unpacked // 1_000_000:,} MB; save a smaller export"
            )
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as err:
        raise InputError.single(
            str(path), "", f"is not an Excel workbook ({type(err).__name__}); save it as .xlsx"
        ) from None
    try:
        if sheet is None:
            table = book.worksheets[0]
        else:
            same = [n for n in book.sheetnames if n.strip().lower() == sheet.strip().lower()]
            if sheet not in book.sheetnames and len(same) != 1:
                raise InputError.single(
                    str(path),
                    "",
                    f"has no sheet '{sheet}'; its sheets: {', '.join(book.sheetnames)}",
                )
            table = book[sheet if sheet in book.sheetnames else same[0]]
        rows = table.iter_rows(values_only=True, max_col=MAX_COLUMNS)
        records = [(n, cells) for n, cells in enumerate(_bounded(path, rows), start=1)]
        others = book.sheetnames[1:]
        if sheet is None and others and not any(_text(c) for _, cells in records for c in cells):
            raise InputError.single(
                str(path),
                "",
                f"its first sheet '{book.sheetnames[0]}' is empty; give the sheet with the "
                f"patients: --sheet '{others[0]}' (its sheets: {', '.join(book.sheetnames)})",
            )
        read = (
            f" (read the first sheet '{book.sheetnames[0]}'; if the patients are on another, "
            f"give it: --sheet '{others[0]}'; its sheets: {', '.join(book.sheetnames)})"
            if sheet is None and others
            else ""
        )
        hidden, uncalculated = _sheet_marks(raw, getattr(table, "_worksheet_path", None))
        _mark_uncalculated(records, uncalculated)
        return records, hidden, read
    finally:
        book.close()


class Uncalculated(str):
    """A formula cell the file holds no value for (written by a program, never opened and
    saved in Excel): its formula, "=F2+7". Empty to openpyxl; a problem where it is used."""


def _sheet_marks(raw: bytes, member: str | None) -> tuple[frozenset[int], dict[str, str]]:
    """What openpyxl's read-only values do not tell, read from the sheet's XML once more
    (openpyxl names the part: `_worksheet_path`, pinned 3.1): the rows hidden in the sheet
    (by hand, or by a filter: a cancelled patient filtered out), and formula cells without a
    calculated value, by reference ("F3" -> "=F2+7")."""
    import xml.etree.ElementTree as ElementTree
    import zipfile

    hidden: set[int] = set()
    uncalculated: dict[str, str] = {}
    if member is None:
        return frozenset(), uncalculated
    with zipfile.ZipFile(io.BytesIO(raw)).open(member) as part:
        for _, element in ElementTree.iterparse(part):
            tag = element.tag.rsplit("}", 1)[-1]
            if tag == "row" and element.get("hidden") in ("1", "true"):
                hidden.add(int(element.get("r", "0")))
            elif tag == "c":
                formula, value = element.find("{*}f"), element.find("{*}v")
                reference = element.get("r")  # the format lets a cell leave it out
                if reference and formula is not None and (value is None or not value.text):
                    uncalculated[reference] = f"={formula.text or ''}"
            if tag in ("row", "sheetData"):
                element.clear()
    return frozenset(hidden), uncalculated


def _mark_uncalculated(records: list[Record], uncalculated: dict[str, str]) -> None:
    from openpyxl.utils.cell import coordinate_to_tuple

    for reference, formula in uncalculated.items():
        try:
            row, column = coordinate_to_tuple(reference)
        except ValueError:  # not a cell reference
            continue
        if row <= len(records) and column <= len(records[row - 1][1]):
            records[row - 1][1][column - 1] = Uncalculated(formula)


def _text(cell: Any) -> str:
    """A cell as the text it shows: 42.0 -> "42", a date -> 2026-12-07."""
    if cell is None:
        return ""
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat() if cell.time() == dt.time() else cell.isoformat(" ")
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).replace("\u00a0", " ").strip()


def _table_rows(
    path: Path, records: list[Record], hidden: frozenset[int] = frozenset(), sheets: str = ""
) -> Roster:
    """The rows of a CSV or a sheet; hidden rows and a totals row left out, each with a
    notice. `sheets` completes a "has no … column" problem (which sheet was read)."""
    records = [(n, cells) for n, cells in records if any(_text(c) for c in cells)]
    if not records:
        raise InputError.single(str(path), "", "is empty; export the roster with a header row")
    start = _header_index(records)
    (header_row, header), data = records[start], records[start + 1 :]
    titles = [_text(c) for c in header]
    columns, left_out, remarks = _columns(
        path, titles, [cells for _, cells in data], header_row, sheets
    )
    notices = []
    if start:  # a title line above the header, as some practice software exports
        above = f"row {records[0][0]}" if start == 1 else f"rows {records[0][0]}–{header_row - 1}"
        notices.append(f"{path}: the header is row {header_row}; {above} above it left out")
    shown_rows = [(n, cells) for n, cells in data if n not in hidden]
    if len(shown_rows) < len(data):
        rows = _row_numbers([n for n, _ in data if n in hidden])
        notices.append(f"{path}: {rows} hidden in the sheet; left out (unhide them to make them)")
    foot = next((i for i, c in enumerate(columns) if c and c[0] == "foot"), len(columns))
    totals = {n: text for n, cells in shown_rows if (text := _totals_text(cells, foot))}
    for number, text in totals.items():
        notices.append(f"{path}: row {number} ({text!r}) reads like a totals row; left out")
    data = [(n, cells) for n, cells in shown_rows if n not in totals]
    roster = Roster(
        _not_an_example(_table_row(path, number, columns, cells)) for number, cells in data
    )
    if not roster:
        raise InputError.single(str(path), "", "has a header but no patients")
    at, title = next(((i, c[2]) for i, c in enumerate(columns) if c and c[0] == "name"), (0, ""))
    if title and any(
        at < len(cells) and words.first_name_first(_text(cells[at])) != _text(cells[at])
        for _, cells in data
    ):
        notices.append(
            f"{path}: names in column {title!r} written 'Achternaam, Voornaam' are printed "
            "'Voornaam Achternaam'"
        )
    if left_out:
        notices.append(
            f"{path}: column{'s' if len(left_out) > 1 else ''} "
            f"{', '.join(repr(c) for c in left_out)} not used; left out"
        )
    for title in remarks:  # practice software's remarks are for the practice, not the patient
        notices.append(
            f"{path}: column {title!r} not printed (an export's remarks are often for the "
            "practice only); to print a note for the patient, name the column 'Notities'"
        )
    notices.extend(_same_names(path, roster))
    roster.notices = tuple(notices)
    return roster


def _row_numbers(numbers: list[int]) -> str:
    return f"row {numbers[0]} is" if len(numbers) == 1 else f"rows {_listed(numbers)} are"


def _listed(items: Sequence[object]) -> str:
    return (
        ", ".join(map(str, items[:-1])) + f" and {items[-1]}" if len(items) > 1 else str(items[0])
    )


def _totals_text(cells: list[Any], foot: int) -> str:
    """The first text of a row an export adds at the end ("Totaal: 9 patiënten": it starts
    with a word for a total and names no foot, the column at index foot); else ""."""
    if foot < len(cells) and _text(cells[foot]):
        return ""
    first = next((_text(c) for c in cells if _text(c)), "")
    return first if words.normalise(first).split("_")[0] in words.TOTALS_WORDS else ""


def _same_names(path: Path, roster: Roster) -> list[str]:
    """Rows with the same name and no patient number: their files are told apart only by
    -2, -3, so the front desk should check they are different patients."""
    same: dict[str, list[RosterRow]] = {}
    for row in roster:
        if row.name and not row.patient_id:
            same.setdefault(row.name.casefold(), []).append(row)
    return [
        f"{path}: rows {_listed([row.number for row in rows])} are all {rows[0].name!r}, "
        "without a number; their files end in -2, -3 …: check they are different patients, "
        "or add a column 'Nummer'"
        for rows in same.values()
        if len(rows) > 1
    ]


MAX_TITLE_ROWS = 10  # lines an export may put above its header (a title, a date, a blank)


def _header_index(records: list[Record]) -> int:
    """Which of the first rows is the header: the first with a column the tool reads
    (naam, voet, achternaam …); the first row when none has one (then _columns names
    what is missing)."""
    for index, (_, cells) in enumerate(records[: MAX_TITLE_ROWS + 1]):
        titles = [_text(cell)[:80] for cell in cells]
        if any(field_of(t) or words.normalise(t) in words.NAME_PARTS for t in titles if t):
            return index
    return 0


Column = tuple[str, str, str] | None  # (field or ID or NAME_PART, name part, header) or not used


def _columns(
    path: Path, header: list[str], data: list[list[Any]], header_row: int = 1, sheets: str = ""
) -> tuple[list[Column], list[str], list[str]]:
    """The meaning of each column, the headers left out, and the remarks columns left out
    (Opmerking: not printed). Problems stop the roster."""
    if len(header) > MAX_COLUMNS:
        raise InputError.single(str(path), "", f"has more than {MAX_COLUMNS} columns")
    problems = []
    columns: list[Column] = []
    left_out: list[str] = []
    remarks: list[str] = []
    seen: dict[str, str] = {}
    for index, title in enumerate(header):
        if not title:
            if any(index < len(r) and _text(r[index]) for r in data):
                problems.append(
                    Problem(
                        str(path),
                        f"column {column_letter(index)}",
                        f"has values but no header in row {header_row} (the header row); "
                        "name it there",
                    )
                )
            columns.append(None)
            continue
        title = title[:80]
        if set(words.normalise(title).split("_")) & words.REMARKS_WORDS:
            remarks.append(title)
            columns.append(None)
            continue
        field = field_of(title)
        part = words.NAME_PARTS.get(words.normalise(title))
        key = field or (f"{NAME_PART} {part}" if part else None)
        if key is None:
            guess = _near_miss(title)
            if guess:
                problems.append(
                    Problem(
                        str(path),
                        f"column {title!r}",
                        f"unknown column; did you mean '{guess}'?",
                    )
                )
            else:
                left_out.append(title)
            columns.append(None)
        elif key in seen:
            problems.append(
                Problem(
                    str(path),
                    f"column {title!r}",
                    f"says the same as column {seen[key]!r}; keep one of them",
                )
            )
            columns.append(None)
        else:
            seen[key] = title
            columns.append((key, part or "", title))
    for title in left_out:
        like = _reads_like(title, seen)
        if like:  # "Start behandeling" when the roster has no start date column
            problems.append(
                Problem(
                    str(path),
                    f"column {title!r}",
                    f"unknown column that reads like '{like}'; name its header '{like}' to use "
                    "it, or something else to leave it out",
                )
            )
    if "name" in seen:  # a full name wins; the parts are then not needed
        for index, column in enumerate(columns):
            if column is not None and column[0].startswith(NAME_PART):
                left_out.append(header[index])
                columns[index] = None
    has_name = "name" in seen or any(k.startswith(NAME_PART) for k in seen)
    for present, required, dutch in ((has_name, "name", "naam"), ("foot" in seen, "foot", "voet")):
        if not present and not problems:
            problems.append(
                Problem(str(path), "", f"has no {required} column; add a column '{dutch}'{sheets}")
            )
    if problems:
        raise InputError(problems)
    return columns, left_out, remarks


def column_letter(index: int) -> str:
    """A column as a spreadsheet shows it: 0 -> A, 26 -> AA (only for a message)."""
    from openpyxl.utils.cell import get_column_letter

    return str(get_column_letter(index + 1))


def _near_miss(title: str) -> str | None:
    """The known header an unknown one is a typo of ("Herhalingn" -> herhalingen), if any.
    A date column is never taken for the start date ("Geboortedatum" is not "startdatum"),
    and clearly unrelated columns ("Telefoon") are not near misses."""
    key = words.normalise(title)
    is_date = any(w in key for w in DATE_WORDS)
    known = [k for k in _known_headers() if not (is_date and field_of(k) == "start")]
    guess = difflib.get_close_matches(key, known, n=1, cutoff=0.85)
    return guess[0] if guess else None


def _reads_like(title: str, seen: dict[str, str]) -> str | None:
    """The Dutch header of a field this roster has no column for, when an unknown header
    holds its word ("Start behandeling": startdatum, "Naam patiënt": naam); else None. So
    a column that is probably the start date or the foot never drops out silently."""
    for part in words.normalise(title).split("_"):
        known = field_of(part)
        if known and known != ID and known not in seen and _csv_kind(known) != "mapping":
            if known == "name" and any(k.startswith(NAME_PART) for k in seen):
                continue  # a name from Voornaam / Achternaam is there
            return words.DUTCH_HEADERS.get(known, part)
    return None


def _known_headers() -> list[str]:
    """The headers a typo of which would change what is printed. Not the name and the id: a
    missing name column is refused anyway, and "Patiëntnr" is no typo of "patiënt"."""
    fields = {f for f in PATIENT_FIELDS if _csv_kind(f) != "mapping"} - {"name"}
    return sorted(k for k, f in words.KEYS.items() if f in fields) + sorted(words.NAME_PARTS)


def _table_row(path: Path, number: int, columns: list[Column], cells: list[Any]) -> RosterRow:
    source = f"{path} row {number}"
    data: dict[str, Any] = {}
    parts: dict[str, str] = {}
    problems: list[Problem] = []
    typed = _column_names(columns)
    for index, cell in enumerate(cells):
        value = cell if isinstance(cell, dt.date) else _text(cell)
        if value == "":
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
        column = columns[index]
        if column is None:
            continue
        name, part, header = column
        if isinstance(cell, Uncalculated):
            problems.append(
                Problem(
                    source,
                    header,
                    f"is a formula without a value ({cell}): the file was not saved by Excel; "
                    "open it in Excel and save it, or type the value",
                )
            )
            continue
        if name != "name" and not part and words.is_placeholder(value):
            continue  # "-", "geen", "n.v.t.": an export's way of leaving a cell empty
        if isinstance(value, str) and len(value) > MAX_CELL:
            problems.append(
                Problem(
                    source,
                    header,
                    f"cell of {len(value):,} characters; at most {MAX_CELL:,} fit, shorten it",
                )
            )
            continue
        if part:
            parts[part] = _text(value)
        elif name == ID:
            data[ID] = _text(value)
        elif _csv_kind(name) == "mapping":
            problems.append(
                Problem(source, header, "does not fit in a spreadsheet cell; use a YAML roster")
            )
        elif name == "name":
            data[name] = words.first_name_first(_text(value))
        else:
            data[name] = _cell_value(name, cell if name == "start" else value)
    if parts and "name" not in data:
        data["name"] = " ".join(parts[p] for p in ("first", "middle", "last") if p in parts)
    return _validated(source, number, data, problems, typed, spreadsheet=True)


def _not_an_example(row: RosterRow) -> RosterRow:
    """A row of the starter sheet (`handouts new roster.xlsx`) left in fails, so that a
    week's batch never prints handouts for its example patients."""
    if (row.patient_id, row.name) not in words.STARTER_ROWS:
        return row
    problem = Problem(
        row.source, "", f"is the starter's example ({row.name}); replace it with a patient"
    )
    return replace(row, patient=None, problems=(*row.problems, problem))


def _column_names(columns: list[Column]) -> dict[str, str]:
    """Each field as the roster's header names it (`foot` -> `Voet`), so that a problem
    points at the column the front desk sees; a name made of parts is named by them."""
    typed = {name: header for name, part, header in filter(None, columns) if not part}
    parts = [header for _, part, header in filter(None, columns) if part]
    if parts and "name" not in typed:
        typed["name"] = " + ".join(parts)
    return typed


def _csv_kind(field: str) -> str:
    """How a text cell becomes the field's value: a list, a yes/no, a mapping or text."""
    annotation = field_type(Patient, field, bare=True)
    options = [a for a in (*get_args(annotation), annotation) if a is not type(None)]
    origins = [get_origin(a) or a for a in options]
    if list in origins:
        return "list"
    if dict in origins:
        return "mapping"
    if bool in origins:
        return "bool"
    return "text"


# Excel keeps a date as a day number; a cell not formatted as a date shows (and gives) that
# number: 46363 is 2026-12-07. Only a workbook's number cell, only for the start date.
EXCEL_DAY_ZERO = dt.date(1899, 12, 30)
EXCEL_DAYS = range(36526, 73051)  # 2000-01-01 … 2099-12-31


def _excel_day(value: Any) -> bool:
    number = isinstance(value, int | float) and not isinstance(value, bool)
    return number and float(value).is_integer() and int(value) in EXCEL_DAYS


def _cell_value(field: str, value: Any) -> Any:
    if isinstance(value, dt.date):
        return value if field == "start" else _text(value)
    if field == "start" and _excel_day(value):
        return EXCEL_DAY_ZERO + dt.timedelta(days=int(value))
    if _csv_kind(field) == "list":
        return [part for part in SPLIT_IDS.split(value) if part]
    return words.value_of(field, words.yes_no(value) if _csv_kind(field) == "bool" else value)


# --- YAML -------------------------------------------------------------------------------------


def _yaml_rows(path: Path, text: str) -> Roster:
    """A list of patients, each read as a patient file is (files.parse_typed_yaml): a note
    stuck to a value fails its entry, a value cut at " #3" warns, curly quotes are quotes."""
    typed_file = parse_typed_yaml(text, str(path))
    entries = typed_file.data
    if isinstance(entries, dict):
        raise InputError.single(
            str(path), "", f"is one patient, not a list; use `handouts generate {path}`"
        )
    if not isinstance(entries, list) or not entries:
        raise InputError.single(
            str(path), "", "expected a list of patients (- name: …, foot: …); see the README"
        )
    if len(entries) > MAX_ROWS:
        raise InputError.single(str(path), "", f"has more than {MAX_ROWS:,} entries")
    rows = Roster()
    turned = False
    for number, entry in enumerate(entries, start=1):
        source = f"{path} entry {number}"
        noticed = [
            (Problem(source, n.field, n.message), n.mistake)
            for n in typed_file.noticed
            if n.where[0] == number - 1
        ]
        warnings = tuple(p for p, mistake in noticed if not mistake)
        if not isinstance(entry, dict):
            problem = Problem(source, "", "expected patient fields (name: …, foot: …)")
            rows.append(RosterRow(number, source, "", "", None, (problem,)))
            continue
        # Dutch keys and words are welcome here too; anything else is left for the model
        translated = words.in_own_words(entry, words.PATIENT)
        data, typed = translated.fields, translated.typed
        problems = [
            Problem(source, k, f"says the same as '{o}'; keep one") for k, o in translated.twice
        ]
        problems += [
            Problem(source, words.as_typed(k, typed), message)
            for k, message in words.size_problems(data)
        ]
        name = data.get("name")
        if isinstance(name, str) and words.first_name_first(name) != name:
            data["name"], turned = words.first_name_first(name), True
        mistakes = [p for p, mistake in noticed if mistake]
        row = _validated(source, number, data, problems, typed, mistakes=mistakes)
        rows.append(replace(row, warnings=warnings))
    if turned:
        rows.notices = (
            f"{path}: names written 'Achternaam, Voornaam' are printed 'Voornaam Achternaam'",
        )
    return rows


# --- both -------------------------------------------------------------------------------------


def _validated(
    source: str,
    number: int,
    data: dict[str, Any],
    problems: list[Problem],
    typed: Mapping[str, str],
    *,
    spreadsheet: bool = False,
    mistakes: list[Problem] | None = None,
) -> RosterRow:
    """mistakes: what reading the entry found (a note stuck to a value), fields as typed;
    they stand for the model's problems with the same fields, as in a patient file."""
    patient_id = data.pop(ID, None)
    patient_id = "" if patient_id is None else str(patient_id).strip()[:MAX_CELL]
    name = data.get("name")
    name = name.strip() if isinstance(name, str) else ""
    patient = None
    try:
        patient = validate_model(Patient, data, source)
    except InputError as err:
        problems += [
            Problem(p.source, words.as_typed(p.field, typed), p.message)
            for p in err.problems
            if not any(
                words.within(words.as_typed(p.field, typed), m.field) for m in mistakes or ()
            )
        ]
    problems += mistakes or []
    if problems:
        patient = None
    return RosterRow(number, source, patient_id, name, patient, tuple(problems), typed, spreadsheet)
