"""Patients and practice profiles from YAML files and command-line options."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import msgspec
from msgspec.structs import replace

from handouts import words
from handouts.errors import InputError, Problem
from handouts.files import TypedFile, read_typed_yaml, validate_model
from handouts.images import check_logo
from handouts.models import Patient, Practice

LOGO_SUFFIXES = (".png", ".jpg", ".jpeg")
ROSTER_SUFFIXES = (".csv", ".tsv", ".xlsx", ".xlsm", ".xls")


class PatientInput(msgspec.Struct, frozen=True):
    patient: Patient
    source: str  # how errors name it: the file, or "command line"
    folder: Path  # relative paths (practice file) are resolved from here
    patient_id: str = ""  # the file's `id:`/`nummer:` or --id: goes into the file names
    # field -> key as the file has it
    typed: Mapping[str, str] = msgspec.field(default_factory=dict)
    spreadsheet: bool = False  # a roster's table row: it has no cell for one exercise's dosage
    warnings: tuple[Problem, ...] = ()  # the file as read: a value cut at " #3"
    notices: tuple[str, ...] = ()  # what the tool made of a value ("Peeters, Anne")

    def warned(self, warning: str) -> Problem:
        """A plan's warning about this patient with its fields named as the file spells them
        ("patient-wide herhalingen 8 not used for …", "startdatum: … days ago"), and a fix
        this kind of file can make."""
        head, sep, rest = warning.partition(" not used for ")
        if sep and head.startswith("patient-wide "):
            head = re.sub(r"[a-z_]+(?= \d)", lambda m: self.typed.get(m[0], m[0]), head)
            if self.spreadsheet:
                rest = re.sub(
                    r"set it under exercises: (\S+) to change it$",
                    r"a spreadsheet cell cannot set it for one exercise; "
                    r"to change it, use a YAML roster with exercises: \1",
                    rest,
                )
            elif "exercises" in self.typed:
                rest = rest.replace("under exercises:", f"under {self.typed['exercises']}:")
            return Problem(self.source, "", head + sep + rest)
        name, colon, text = warning.partition(": ")
        if colon and " " not in name and name in self.typed:  # "start: … days ago"
            return Problem(self.source, self.typed[name], text)
        first, space, text = warning.partition(" ")
        if first.startswith("exercises."):  # "exercises.<id>.sets 2 replaces …"
            return Problem(self.source, "", words.as_typed(first, self.typed) + space + text)
        return Problem(self.source, "", warning)

    def named(self, problems: list[Problem]) -> list[Problem]:
        """Problems about this patient with each field as the file spells it (`voet`,
        `programma`), so that messages from every check point at the same line."""
        return [
            Problem(p.source, words.as_typed(p.field, self.typed), p.message)
            if p.source == self.source
            else p
            for p in problems
        ]


def load_patient(
    path: Path | None, options: dict[str, Any], *, cwd: Path | None = None
) -> PatientInput:
    """A patient from a YAML file, with command-line options overriding its fields.
    Dutch keys and words (`naam`, `voet: linkervoet`, `taal: Vlaams`) are read as such."""
    data: dict[str, Any] = {}
    translated = None
    options = dict(options)
    option_id = str(options.pop(words.ID, None) or "").strip()
    patient_id = ""
    source = "command line"
    folder = cwd or Path.cwd()
    if path is not None and path.suffix.lower() in ROSTER_SUFFIXES:
        raise InputError.single(
            str(path), "", f"is a roster, not one patient; use `handouts batch {path}`"
        )
    mistakes: list[Problem] = []
    warnings: list[Problem] = []
    if path is not None:
        typed_file = read_typed_yaml(path)
        loaded = typed_file.data
        _not_a_practice(loaded, path)
        translated = _in_own_words(loaded, words.PATIENT, str(path))
        mistakes, warnings = _noticed(typed_file, str(path))
        data = translated.fields
        file_id = data.pop(words.ID, None)  # a patient number only names files
        patient_id = "" if file_id is None else str(file_id).strip()
        source = str(path)
        folder = path.parent
    given = {key: words.value_of(key, value) for key, value in options.items() if value is not None}
    if given and path is not None:
        source = f"{path} (with command-line options)"
    data = {**data, **given}
    typed = {} if translated is None else dict(translated.typed)
    for key in given:  # an option's problem names the option's field
        overridden = typed.pop(key, None)
        mistakes = [m for m in mistakes if m.field.split(".")[0] != overridden]
        warnings = [w for w in warnings if w.field.split(".")[0] != overridden]
    too_big = words.size_problems(data)
    if too_big:
        raise InputError(
            [Problem(source, words.as_typed(key, typed), message) for key, message in too_big]
        )
    notices = []
    name = data.get("name")
    if isinstance(name, str) and words.first_name_first(name) != name:  # as in a roster
        data["name"] = words.first_name_first(name)
        notices.append(
            f"{source}: {words.as_typed('name', typed)} written 'Achternaam, Voornaam' is "
            "printed 'Voornaam Achternaam'"
        )
    mistakes = [Problem(source, m.field, m.message) for m in mistakes]
    patient = _validated(Patient, data, source, translated, given, mistakes)
    return PatientInput(
        patient,
        source,
        folder,
        option_id or patient_id,
        typed,
        warnings=tuple(warnings),
        notices=tuple(notices),
    )


def _noticed(typed_file: TypedFile, source: str) -> tuple[list[Problem], list[Problem]]:
    """What reading the file noticed (files.Noticed): the mistakes, then the warnings."""
    found = [(Problem(source, n.field, n.message), n.mistake) for n in typed_file.noticed]
    return [p for p, mistake in found if mistake], [p for p, mistake in found if not mistake]


class PracticeInput(msgspec.Struct, frozen=True):
    practice: Practice
    logo_path: Path | None
    library_dir: Path | None = None  # the practice's own exercises and programmes
    warnings: tuple[Problem, ...] = ()  # the file as read: a value cut at " #3"


def load_practice(path: Path | None) -> PracticeInput:
    """A practice profile; Dutch keys (`naam`, `telefoon`, `kleur`, `mailserver:`) read as such."""
    if path is None:
        return PracticeInput(Practice(), None)
    typed_file = read_typed_yaml(path)
    mistakes, warnings = _noticed(typed_file, str(path))
    practice = practice_model(typed_file.data, str(path), mistakes)
    return replace(practice_input(practice, path.parent, str(path)), warnings=tuple(warnings))


def practice_model(data: Any, source: str, mistakes: Sequence[Problem] = ()) -> Practice:
    """A practice from its fields as a file or a mapping gives them, in Dutch or English;
    mistakes: problems the file's reading found (a note stuck to a value), reported with
    the model's own."""
    translated = _in_own_words(data, words.PRACTICE, source)
    return _validated(Practice, translated.fields, source, translated, mistakes=mistakes)


def _not_a_practice(data: Any, path: Path) -> None:
    """A practice profile given where a patient file belongs: one line saying so."""
    if not isinstance(data, dict):
        return
    keys = {words.normalise(str(key)) for key in data}
    if words.PRACTICE_ONLY_KEYS & keys and not any(words.field(k) == "foot" for k in keys):
        raise InputError.single(
            str(path),
            "",
            "is a practice profile, not a patient file; give a patient file, and this one "
            f"with --practice {path} or a line `praktijk: {path.name}` in the patient file",
        )


def patient_model(data: Any, source: str) -> Patient:
    """A patient from its fields as a mapping gives them (the Python API), in Dutch or
    English, checked as a patient file is."""
    translated = _in_own_words(data, words.PATIENT, source)
    too_big = words.size_problems(translated.fields)
    if too_big:
        raise InputError([Problem(source, key, message) for key, message in too_big])
    return _validated(Patient, translated.fields, source, translated)


def _in_own_words(data: Any, block: words.Block, source: str) -> words.Translated:
    """The fields in the tool's own words; a field given twice (`naam` and `name`) refused."""
    if not isinstance(data, dict):
        kind, example = (
            ("patient", "name: …, foot: …") if block is words.PATIENT else ("practice", "name: …")
        )
        raise InputError.single(source, "", f"expected {kind} fields ({example})")
    translated = words.in_own_words(data, block)
    if translated.twice:
        raise InputError(
            [
                Problem(source, key, f"says the same as '{other}'; keep one of them")
                for key, other in translated.twice
            ]
        )
    return translated


M = TypeVar("M", Patient, Practice)


def _validated(
    model: type[M],
    data: dict[str, Any],
    source: str,
    translated: words.Translated | None,
    given: Mapping[str, Any] | None = None,
    mistakes: Sequence[Problem] = (),
) -> M:
    """The model; its problems name each field as the file spells it (`voet`, not `foot`),
    and an unknown key gets a hint from the words the tool knows, Dutch ones included.
    mistakes (fields as typed) come first and stand for the model's problems with the same
    fields: "'# staat op…' looks like a note stuck to the value" says more than "not a date"."""
    noted = {m.field for m in mistakes}
    try:
        result = validate_model(model, data, source)
    except InputError as err:
        if translated is None:
            raise
        problems = list(mistakes)
        for problem in err.problems:
            given_here = given is not None and problem.field.split(".")[0] in given
            field = problem.field if given_here else translated.as_typed(problem.field)
            message = problem.message
            if message.startswith("unknown field") and field in translated.unknown:
                message = f"unknown field; {translated.unknown[field]}"
            if not any(words.within(field, f) for f in noted):
                problems.append(Problem(problem.source, field, message))
        raise InputError(problems) from None
    if mistakes:
        raise InputError(list(mistakes))
    _filled_in(result, source, translated)
    return result


def _filled_in(model: Patient | Practice, source: str, translated: words.Translated | None) -> None:
    """A value still as the starter file wrote it ("Voornaam Achternaam") is refused: a
    handout for that name, or a practice footer reading "Naam van de praktijk", is no use."""
    optional = ", or remove the line" if isinstance(model, Practice) else ""
    problems = [
        Problem(
            source,
            translated.as_typed(name) if translated else name,
            f"'{getattr(model, name)}' is the starter's example; write {what}{optional}",
        )
        for name, (examples, what) in words.STARTER_EXAMPLES[type(model).__name__].items()
        if getattr(model, name) in examples
    ]
    if problems:
        raise InputError(problems)


def practice_input(practice: Practice, folder: Path, source: str) -> PracticeInput:
    """The practice with its logo (opened and checked) and own library folder, both
    relative to folder (the practice file's, or the working folder for the Python API)."""
    logo = library = None
    if practice.logo:
        logo = _practice_path(folder, source, "logo", practice.logo)
        if logo.suffix.lower() not in LOGO_SUFFIXES:
            raise InputError.single(source, "logo", "must be a PNG or JPEG file")
        if not _exists(logo):
            raise InputError.single(
                source,
                "logo",
                f"{practice.logo} is not there (looked in {logo.parent}); put the picture "
                "beside the practice file, change the line to its path, or remove the line",
            )
        problems = check_logo(logo)  # also: not found, not a file, too big
        if problems:
            raise InputError.single(source, "logo", f"{logo.name} {problems[0]}")
    if practice.library:
        library = _practice_path(folder, source, "library", practice.library)
        if not _is_dir(library):
            raise InputError.single(
                source, "library", f"folder {library} not found; check the path"
            )
    return PracticeInput(practice, logo, library)


def _practice_path(folder: Path, source: str, field: str, value: str) -> Path:
    """A path the practice file names, from its folder; one that the system cannot even
    look up (a name too long, a loop of links) is an input error like a missing one."""
    try:
        return (folder / value).resolve()
    except (OSError, RuntimeError) as err:
        reason = getattr(err, "strerror", None) or "cannot be followed"
        raise InputError.single(source, field, f"{reason}; check the path") from None


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:  # a name too long: not there either
        return False


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:  # e.g. a name too long: no such folder either
        return False


def practice_path(patient: PatientInput, option: Path | None) -> Path | None:
    """The practice file: the command-line option wins over the patient file's field.
    A file that is not there is named with where it was asked for and how to fix it."""
    if option is not None:
        if not option.exists():
            raise InputError.single(
                "command line", "--practice", f"{option}: file not found; check the path"
            )
        return option
    if not patient.patient.practice:
        return None
    path = patient.folder / patient.patient.practice
    if not path.exists():
        key = words.as_typed("practice", patient.typed)
        raise InputError.single(
            patient.source.removesuffix(" (with command-line options)"),
            key,
            f"the practice file {path} is not there; copy it beside the patient file, "
            f"change the line `{key}:` to its path, give --practice FILE, "
            "or remove the line to print no practice details",
        )
    return path
