"""`handouts validate`: the library and any given files, every problem at once.

Every kind of file the tool reads is checked the way the command that reads it checks it,
so that validate, generate and batch agree: a patient file is planned as `generate` plans
it (practice file, logo, library, printable name); a roster is read as `batch` reads it,
and every row is planned, so that every bad row is listed with its row number.

What a file is comes from where it is or what it says, never from a guess:
- a folder with exercises/, programmes/ or education/ is a library folder; any other folder
  is a folder of files, each checked on its own (a folder of patient files, say);
- a .csv, .tsv, .txt, .xls or .xlsx file, or a YAML list, is a roster (jan.yaml.txt: YAML);
- a YAML file in a library's exercises/, programmes/ or education/ folder is one of those;
- a file named practice.yaml or praktijk.yaml (or *-practice.yaml …) is a practice profile;
- otherwise its fields say it: `foot`/`voet` makes a patient, `phases` a programme,
  `dosage` an exercise, `texts` an education topic, a practice's own fields a practice.
  A file with only a name is refused with the ways to say which it is.

Beyond what loading checks (fields, bounds, references, side words, template variables),
validate holds every text block to plain-language (B1) readability, so that exercises a
practice writes itself meet the same bar as the shipped ones.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import msgspec
from msgspec import Struct

from handouts import text, words
from handouts.errors import InputError, Problem
from handouts.files import is_yaml_saved_as_txt, read_typed_yaml, read_yaml, validate_model
from handouts.library import (
    Library,
    check_texts,
    load_library,
    programme_reference_problems,
)
from handouts.models import (
    Education,
    Exercise,
    MissingUForm,
    Practice,
    Programme,
    Texts,
    as_dict,
)
from handouts.regional import VARIANTS, u_form_drift

LIBRARY_PARTS = {"exercises": "exercise", "programmes": "programme", "education": "education"}
TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls")
YAML_SUFFIXES = (".yaml", ".yml")
FOLDER_SUFFIXES = (*YAML_SUFFIXES, ".csv", ".xlsx")  # in a folder; a .txt roster only by name
PRACTICE_NAMES = ("practice", "praktijk")
# keys only a practice profile has, in any language (not name, email, praktijk: a patient
# has those too); `address` is a patient's je/u too, but mostly a practice's
PRACTICE_ONLY = words.PRACTICE_ONLY_KEYS | {"address", "adres"}
MAX_FILES = 2_000  # files in one folder given to validate


class Checked(msgspec.Struct):
    """What validate found: problems, what it checked (for the summary), notices."""

    problems: list[Problem] = msgspec.field(default_factory=list)
    # (path, what it was taken for)
    items: list[tuple[str, str]] = msgspec.field(default_factory=list)
    notices: list[str] = msgspec.field(default_factory=list)
    warnings: list[Problem] = msgspec.field(default_factory=list)
    rows: dict[str, int] = msgspec.field(default_factory=dict)  # a roster's path -> its rows


def validate_paths(
    paths: tuple[Path, ...], library_dirs: tuple[Path, ...]
) -> tuple[list[Problem], int]:
    """Problems found and the number of things checked (the shipped library counts one)."""
    checked = check_paths(paths, library_dirs)
    return checked.problems, len(checked.items)


def check_paths(
    paths: tuple[Path, ...],
    library_dirs: tuple[Path, ...],
    *,
    practice_file: Path | None = None,
    sheet: str | None = None,
    today: dt.date | None = None,
    as_roster: bool = False,
    checklist_weeks: tuple[int, int] | None = None,
) -> Checked:
    """as_roster: the paths are rosters whatever they hold (`batch --check`: as batch reads);
    checklist_weeks: those batch would print (--checklist-weeks), held against each plan."""
    checked = Checked()
    _PRACTICES.clear()  # files may have changed since the last run in this process
    _LIBRARIES.clear()
    folders = tuple(library_dirs) + tuple(p for p in paths if is_library_folder(p))
    library: Library | None = None
    try:
        library = load_library(folders, check_shipped=True)
    except InputError as err:
        checked.problems += err.problems
    checked.items.append(("the shipped library", "library"))
    checked.items += [(str(folder), "library folder") for folder in folders]
    context = _Context(
        library_dirs, practice_file, sheet, today or dt.date.today(), checklist_weeks
    )
    if library is not None:
        checked.problems += library_readability(library)
        checked.problems += library_pictures(library)
    checked.problems += locale_problems()
    if library is not None:
        # the programmes are held to the practice's minutes cap (--practice, or a practice
        # file among the paths), else to the default 20
        given = practice_file or next(
            (p for p in paths if p.is_file() and kind_of(p) == "practice"), None
        )
        try:
            practice = _practice(given).practice
            checked.warnings += programme_warnings(library, practice)
        except InputError:
            pass  # the practice file's own problems are reported where it is checked
    for path in paths:
        if is_library_folder(path):
            continue
        for file in _files(path, checked):
            kind = "roster" if as_roster else kind_of(file)
            checked.items.append((str(file), kind))
            try:
                checked.problems += _check_file(file, kind, library, context, checked)
            except InputError as err:
                checked.problems += err.problems
    checked.problems = list(dict.fromkeys(checked.problems))  # a shared file's problem once
    checked.warnings = list(dict.fromkeys(checked.warnings + context.warnings))
    checked.notices = list(dict.fromkeys(checked.notices + context.notices))
    return checked


def is_library_folder(path: Path) -> bool:
    return path.is_dir() and any((path / part).is_dir() for part in LIBRARY_PARTS)


def _files(path: Path, checked: Checked) -> list[Path]:
    """A file as given; a folder's YAML and roster files (not its hidden or other files)."""
    if not path.is_dir():
        return [path]
    found = sorted(
        p
        for p in path.iterdir()
        if p.is_file()
        and not p.name.startswith((".", "~$"))
        and p.suffix.lower() in FOLDER_SUFFIXES
    )
    if not found:
        checked.problems.append(
            Problem(str(path), "", "has no YAML, CSV or Excel files to check; give files")
        )
    if len(found) > MAX_FILES:
        checked.problems.append(
            Problem(str(path), "", f"has more than {MAX_FILES:,} files; check fewer at once")
        )
        found = found[:MAX_FILES]
    return found


def kind_of(path: Path) -> str:
    """What a file is, from where it is or what it says (see the module's text)."""
    if path.suffix.lower() in TABLE_SUFFIXES and not is_yaml_saved_as_txt(path):
        return "roster"
    if path.parent.name in LIBRARY_PARTS:
        return LIBRARY_PARTS[path.parent.name]
    stem = words.normalise(path.stem)
    if any(stem == n or stem.endswith(f"_{n}") or stem.startswith(f"{n}_") for n in PRACTICE_NAMES):
        return "practice"
    try:
        data = read_typed_yaml(path).data  # as a patient or practice file is read
    except InputError:
        return "file"  # _check_file reads it again and names the problem
    if isinstance(data, list):
        return "roster"
    if not isinstance(data, dict):
        return "file"
    keys = {words.normalise(str(k)) for k in data}
    fields = {words.field(k) or k for k in keys}
    if "phases" in keys:
        return "programme"
    if {"dosage", "category", "evidence"} & keys:
        return "exercise"
    if "texts" in keys:
        return "education"
    if "foot" in fields:
        return "patient"
    if PRACTICE_ONLY & keys:
        return "practice"
    if fields & (set(words.KEYS.values()) - {"name"}):
        return "patient"  # patient fields but no foot: checked as a patient, which names it
    return "unknown"


class _Context(msgspec.Struct, frozen=True):
    library_dirs: tuple[Path, ...]
    practice_file: Path | None
    sheet: str | None
    today: dt.date
    checklist_weeks: tuple[int, int] | None = None  # batch --check --checklist-weeks
    # what a plan would ask of a patient (over the practice's minutes cap, patient-wide
    # values kept out of a progression): warnings, not problems
    warnings: list[Problem] = msgspec.field(default_factory=list)
    notices: list[str] = msgspec.field(default_factory=list)  # what was made of a value (a name)


def library_readability(library: Library) -> list[Problem]:
    problems = []
    for exercise_id, exercise in library.exercises.items():
        problems += readability_problems(exercise.texts, str(library.exercise_files[exercise_id]))
    for topic in library.education.values():
        problems += readability_problems(topic.texts, f"education '{topic.id}'")
    for programme in library.programmes.values():
        if programme.maintenance is not None:
            problems += readability_problems(
                programme.maintenance, f"programme '{programme.id}' maintenance"
            )
        problems += programme_u_form_problems(programme)
    return problems


def programme_u_form_problems(programme: Programme) -> list[Problem]:
    """A programme's summary, phase texts and phase notes: where they have a u-form, it is
    complete and still matches the je-form (as for exercises and topics)."""
    from handouts.plan import note_u_form_problems

    source = f"programme '{programme.id}'"
    problems = u_form_problems(programme.texts, source)
    for number, phase in enumerate(programme.phases, start=1):
        problems += u_form_problems(phase.texts, f"{source} phases.{number}")
        for exercise_id, item in phase.exercises.items():
            where = f"phases.{number}.exercises.{exercise_id}.note"
            problems += [
                Problem(source, f"{where}.{field}", message)
                for field, message in note_u_form_problems(item.note)
            ]
    return problems


def library_pictures(library: Library) -> list[Problem]:
    """Every exercise has a picture that parses and marks the affected limb."""
    from handouts.pdf.illustrations import check_svg  # reportlab only when validating pictures

    problems = []
    for exercise_id, source in library.exercise_files.items():
        picture = library.pictures.get(exercise_id)
        if picture is None:
            problems.append(Problem(str(source), "picture",
                                    f"no picture; add {exercise_id}.svg beside it"))  # fmt: skip
            continue
        problems += [Problem(str(picture), "", message) for message in check_svg(picture)]
    return problems


def readability_problems(texts: Texts[Any], source: str) -> list[Problem]:
    """B1 readability in every variant the text offers, and its u-form complete if it has one."""
    problems = u_form_problems(texts, source)
    for variant in VARIANTS:
        if variant.endswith("-u") and (not texts.offers_u_form or texts.u_form_gaps(variant)):
            continue  # no u-form (a patient asking for it gets an error), or reported above
        measured = text.readability(_strings(texts.get(variant)))
        problems += [
            Problem(source, f"texts.{variant}", message) for message in measured.problems()
        ]
    return problems


def u_form_problems(texts: Texts[Any], source: str) -> list[Problem]:
    """A text that has a u-form has it for every field that says je (in nl and in nl-BE),
    and each u-form field still matches the je-form it was written from (see regional.drift).
    A text without any u-form block is fine here: only an address: u patient needs it."""
    drifted = [
        Problem(source, f"texts.{field}", f"{why}; write the u-form again from the je-form")
        for field, why in u_form_drift(as_dict(texts.nl), texts.blocks)
    ]
    if not texts.offers_u_form:
        return drifted
    return drifted + [
        Problem(source, f"texts.{variant}", str(MissingUForm(variant, gaps)))
        for variant in ("nl-u", "nl-BE-u")
        if (gaps := texts.u_form_gaps(variant))
    ]


def locale_problems() -> list[Problem]:
    """The shipped UI words: every u-form variant complete, and matching its je-form."""
    problems = [
        Problem(
            f"handouts/locales/{field.split('.')[0]}.yaml",
            field.split(".", 1)[1],
            f"{why}; write the u-form again from nl.yaml",
        )
        for field, why in text.locale_drift()
    ]
    for variant in ("nl-u", "nl-BE-u"):
        try:
            text.strings(variant)
        except MissingUForm as err:
            problems += [
                Problem(f"handouts/locales/{variant}.yaml", key, "says je; write it with u")
                for key in err.fields
            ]
    return problems


def _strings(block: Struct) -> list[str]:
    found: list[str] = []
    for name, value in as_dict(block).items():
        if name in {"name", "short_name", "title"}:
            continue  # headings are not sentences
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, list):
            found += [v for v in value if isinstance(v, str)]
    return found


def _check_file(
    path: Path, kind: str, library: Library | None, context: _Context, checked: Checked
) -> list[Problem]:
    source = str(path)
    if kind == "roster":
        return check_roster(path, context, checked)
    if kind == "patient":
        return check_patient(path, context)
    if kind == "practice":
        return check_practice(path, context)
    if kind == "unknown":
        return [
            Problem(
                source,
                "",
                "cannot tell what kind of file this is; a patient file needs `foot:` "
                "(or `voet:`), a practice profile is named practice.yaml",
            )
        ]
    data = read_yaml(path)
    if kind == "exercise":
        exercise = validate_model(Exercise, data, source)
        return check_texts(exercise.texts, source) + readability_problems(exercise.texts, source)
    if kind == "education":
        topic = validate_model(Education, data, source)
        return check_texts(topic.texts, source) + readability_problems(topic.texts, source)
    if kind == "programme":
        programme = validate_model(Programme, data, source)
        own = programme_u_form_problems(programme)
        if library is None:
            return own
        return own + programme_reference_problems(programme, library.exercises, library.education)
    validate_model(Practice, data, source)  # "file": not a mapping, named by the model
    return []


def check_patient(path: Path, context: _Context) -> list[Problem]:
    """What `generate PATH` would say, without writing anything."""
    from handouts.patients import load_patient, practice_path

    patient = load_patient(path, {})
    context.notices.extend(patient.notices)
    context.warnings.extend(patient.warnings)
    practice = _practice(practice_path(patient, context.practice_file))
    context.warnings.extend(practice.warnings)
    library = _library((*practice_dirs(practice), *context.library_dirs))
    return _plan_problems(patient, practice, library, context)


def check_roster(path: Path, context: _Context, checked: Checked) -> list[Problem]:
    """What `batch PATH` would say about each row, without writing anything."""
    from handouts.patients import PatientInput
    from handouts.roster import read_roster

    rows = read_roster(path, context.sheet if path.suffix.lower() in (".xlsx", ".xlsm") else None)
    checked.notices += rows.notices
    checked.rows[str(path)] = len(rows)
    problems: list[Problem] = []
    for row in rows:
        problems += row.problems
        context.warnings.extend(row.warnings)
        if row.patient is None:
            continue
        practice_file = context.practice_file
        if practice_file is None and row.patient.practice:
            practice_file = path.parent / row.patient.practice
        try:
            practice = _practice(practice_file)
            context.warnings.extend(practice.warnings)
            library = _library((*practice_dirs(practice), *context.library_dirs))
        except InputError as err:  # as batch says it: the row, then the file's problem
            column = words.as_typed("practice", row.typed)
            problems += [Problem(row.source, column, str(p)) for p in err.problems]
            continue
        patient = PatientInput(
            row.patient, row.source, path.parent, row.patient_id, row.typed, row.spreadsheet
        )
        problems += _plan_problems(patient, practice, library, context)
    return problems


def check_practice(path: Path, context: _Context) -> list[Problem]:
    context.warnings.extend(_practice(path).warnings)
    return []


# Loaded once per validate run: a roster's rows share their practice and library.
_PRACTICES: dict[Path | None, Any] = {}
_LIBRARIES: dict[tuple[Path, ...], Library | InputError] = {}


def _practice(path: Path | None) -> Any:
    """A practice as load_practice reads it, its logo opened; problems as an InputError."""
    from handouts.patients import load_practice

    key = path.resolve() if path is not None else None
    if key not in _PRACTICES:
        try:
            _PRACTICES[key] = load_practice(path)  # its logo is opened there
        except InputError as err:
            _PRACTICES[key] = err
    found = _PRACTICES[key]
    if isinstance(found, InputError):
        raise found
    return found


def _library(dirs: tuple[Path, ...]) -> Library:
    if dirs not in _LIBRARIES:
        try:
            _LIBRARIES[dirs] = load_library(dirs)
        except InputError as err:
            _LIBRARIES[dirs] = err
    found = _LIBRARIES[dirs]
    if isinstance(found, InputError):
        raise found
    return found


def practice_dirs(practice: Any) -> tuple[Path, ...]:
    return (practice.library_dir,) if practice.library_dir else ()


def _plan_problems(
    patient: Any, practice: Any, library: Library, context: _Context
) -> list[Problem]:
    from handouts.produce import check_weeks, make_plan

    weeks = context.checklist_weeks
    try:
        plan = make_plan(patient, practice, library, context.today, checklist_weeks=weeks)
        if weeks is not None:
            check_weeks(plan, weeks, patient.source)  # as batch fails the row
    except InputError as err:
        return err.problems
    context.warnings.extend(patient.warned(warning) for warning in plan.warnings)
    return []


def programme_warnings(library: Library, practice: Practice) -> list[Problem]:
    """Every programme whose days ask more (one foot) than the practice's minutes cap."""
    from handouts.plan import sample_plan

    return [
        Problem(f"programme '{programme_id}'", "", warning)
        for programme_id in library.programmes
        for warning in sample_plan(programme_id, library, practice).warnings
    ]
