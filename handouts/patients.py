"""Patients and practice profiles from YAML files and command-line options."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from handouts.errors import InputError
from handouts.files import read_yaml, validate_model
from handouts.images import check_logo
from handouts.models import Patient, Practice

LOGO_SUFFIXES = (".png", ".jpg", ".jpeg")


@dataclass(frozen=True)
class PatientInput:
    patient: Patient
    source: str  # how errors name it: the file, or "command line"
    folder: Path  # relative paths (practice file) are resolved from here


def load_patient(
    path: Path | None, options: dict[str, Any], *, cwd: Path | None = None
) -> PatientInput:
    """A patient from a YAML file, with command-line options overriding its fields."""
    data: dict[str, Any] = {}
    source = "command line"
    folder = cwd or Path.cwd()
    if path is not None:
        loaded = read_yaml(path)
        if not isinstance(loaded, dict):
            raise InputError.single(str(path), "", "expected patient fields (name: …, foot: …)")
        data = loaded
        source = str(path)
        folder = path.parent
    given = {key: value for key, value in options.items() if value is not None}
    if given and path is not None:
        source = f"{path} (with command-line options)"
    data = {**data, **given}
    return PatientInput(validate_model(Patient, data, source), source, folder)


@dataclass(frozen=True)
class PracticeInput:
    practice: Practice
    logo_path: Path | None
    library_dir: Path | None = None  # the practice's own exercises and programmes


def load_practice(path: Path | None) -> PracticeInput:
    if path is None:
        return PracticeInput(Practice(), None)
    practice = validate_model(Practice, read_yaml(path), str(path))
    logo = library = None
    if practice.logo:
        logo = _practice_path(path, "logo", practice.logo)
        if logo.suffix.lower() not in LOGO_SUFFIXES:
            raise InputError.single(str(path), "logo", "must be a PNG or JPEG file")
        problems = check_logo(logo)  # also: not found, not a file, too big
        if problems:
            raise InputError.single(str(path), "logo", f"{logo.name} {problems[0]}")
    if practice.library:
        library = _practice_path(path, "library", practice.library)
        if not _is_dir(library):
            raise InputError.single(
                str(path), "library", f"folder {library} not found; check the path"
            )
    return PracticeInput(practice, logo, library)


def _practice_path(practice_file: Path, field: str, value: str) -> Path:
    """A path the practice file names, from its folder; one that the system cannot even
    look up (a name too long, a loop of links) is an input error like a missing one."""
    try:
        return (practice_file.parent / value).resolve()
    except (OSError, RuntimeError) as err:
        reason = getattr(err, "strerror", None) or "cannot be followed"
        raise InputError.single(str(practice_file), field, f"{reason}; check the path") from None


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:  # e.g. a name too long: no such folder either
        return False


def practice_path(patient: PatientInput, option: Path | None) -> Path | None:
    """The practice file: the command-line option wins over the patient file's field."""
    if option is not None:
        return option
    if patient.patient.practice:
        return patient.folder / patient.patient.practice
    return None
