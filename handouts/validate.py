"""`handouts validate`: the library and any given files, every problem at once.

Beyond what loading checks (fields, bounds, references, side words, template variables),
validate holds every text block to plain-language (B1) readability, so that exercises a
practice writes itself meet the same bar as the shipped ones.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel

from handouts import text
from handouts.errors import InputError, Problem
from handouts.files import read_yaml, validate_model
from handouts.library import (
    Library,
    check_texts,
    load_library,
    patient_reference_problems,
    programme_reference_problems,
)
from handouts.models import (
    Education,
    Exercise,
    MissingUForm,
    Patient,
    Practice,
    Programme,
    Texts,
)
from handouts.regional import VARIANTS, u_form_drift


def validate_paths(
    paths: tuple[Path, ...], library_dirs: tuple[Path, ...]
) -> tuple[list[Problem], int]:
    """Problems found and the number of things checked. Folders count as library folders."""
    folders = tuple(library_dirs) + tuple(p for p in paths if p.is_dir())
    problems: list[Problem] = []
    library: Library | None = None
    try:
        library = load_library(folders)
    except InputError as err:
        problems += err.problems
    checked = 1 + len(folders)  # the shipped library and each folder
    if library is not None:
        problems += library_readability(library)
        problems += library_pictures(library)
    problems += locale_problems()
    for path in (p for p in paths if not p.is_dir()):
        checked += 1
        try:
            problems += _check_file(path, library)
        except InputError as err:
            problems += err.problems
    return problems, checked


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
        for field, why in u_form_drift(texts.nl.model_dump(), texts.blocks)
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


def _strings(block: BaseModel) -> list[str]:
    found: list[str] = []
    for name, value in block.model_dump().items():
        if name in {"name", "short_name", "title"}:
            continue  # headings are not sentences
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, list):
            found += [v for v in value if isinstance(v, str)]
    return found


def _check_file(path: Path, library: Library | None) -> list[Problem]:
    data = read_yaml(path)
    source = str(path)
    kind = _kind_of(data)
    if kind == "exercise":
        exercise = validate_model(Exercise, data, source)
        return check_texts(exercise.texts, source) + readability_problems(exercise.texts, source)
    if kind == "education":
        topic = validate_model(Education, data, source)
        return check_texts(topic.texts, source) + readability_problems(topic.texts, source)
    if kind == "programme":
        programme = validate_model(Programme, data, source)
        if library is None:
            return []
        return programme_reference_problems(programme, library.exercises, library.education)
    if kind == "patient":
        return _check_patient(validate_model(Patient, data, source), path, library)
    validate_model(Practice, data, source)
    from handouts.patients import load_practice

    load_practice(path)  # also checks the logo and the practice's own library folder
    return []


def _check_patient(patient: Patient, path: Path, library: Library | None) -> list[Problem]:
    source = str(path)
    problems = [] if library is None else patient_reference_problems(patient, library, source)
    if patient.practice:
        from handouts.patients import load_practice

        try:
            load_practice(path.parent / patient.practice)
        except InputError as err:
            problems += err.problems
    return problems


def _kind_of(data: Any) -> str:
    if not isinstance(data, dict):
        return "practice"  # validate_model will say it is not a mapping
    if "phases" in data:
        return "programme"
    if "dosage" in data or "category" in data:
        return "exercise"
    if "texts" in data:
        return "education"
    if "foot" in data or ("name" in data and not {"accent_colour", "therapist"} & set(data)):
        return "patient"
    return "practice"
