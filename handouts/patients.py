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
    logo = None
    if practice.logo:
        logo = (path.parent / practice.logo).resolve()
        if logo.suffix.lower() not in LOGO_SUFFIXES:
            raise InputError.single(str(path), "logo", "must be a PNG or JPEG file")
        if not logo.exists():
            raise InputError.single(str(path), "logo", f"file {logo} not found; check the path")
        problems = check_logo(logo)
        if problems:
            raise InputError.single(str(path), "logo", f"{logo.name} {problems[0]}")
    library = None
    if practice.library:
        library = (path.parent / practice.library).resolve()
        if not library.is_dir():
            raise InputError.single(
                str(path), "library", f"folder {library} not found; check the path"
            )
    return PracticeInput(practice, logo, library)


def practice_path(patient: PatientInput, option: Path | None) -> Path | None:
    """The practice file: the command-line option wins over the patient file's field."""
    if option is not None:
        return option
    if patient.patient.practice:
        return patient.folder / patient.patient.practice
    return None
