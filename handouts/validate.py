"""`handouts validate`: the library and any given files, every problem at once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from handouts.errors import InputError, Problem
from handouts.files import read_yaml, validate_model
from handouts.library import Library, check_exercise_texts, load_library
from handouts.models import Exercise, Patient, Programme


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
    for path in (p for p in paths if not p.is_dir()):
        checked += 1
        try:
            problems += _check_file(path, library)
        except InputError as err:
            problems += err.problems
    return problems, checked


def _check_file(path: Path, library: Library | None) -> list[Problem]:
    data = read_yaml(path)
    source = str(path)
    kind = _kind_of(data)
    if kind == "exercise":
        exercise = validate_model(Exercise, data, source)
        return check_exercise_texts(exercise, source)
    if kind == "programme":
        programme = validate_model(Programme, data, source)
        if library is None:
            return []
        return [
            Problem(
                source, f"phases.{n}.exercises", f"unknown exercise '{i}'; add it to the library"
            )
            for n, phase in enumerate(programme.phases, start=1)
            for i in phase.exercises
            if i not in library.exercises
        ]
    if kind == "patient":
        patient = validate_model(Patient, data, source)
        problems = []
        if library is not None:
            if patient.programme not in library.programmes:
                problems.append(
                    Problem(
                        source,
                        "programme",
                        f"unknown programme '{patient.programme}'; "
                        "`handouts programmes` lists them",
                    )
                )
            for field_name, ids in (
                ("exercises", list(patient.exercises)),
                ("include", patient.include),
                ("exclude", patient.exclude),
            ):
                problems += [
                    Problem(
                        source,
                        field_name,
                        f"unknown exercise '{i}'; `handouts exercises` lists them",
                    )
                    for i in ids
                    if i not in library.exercises
                ]
        if patient.practice:
            from handouts.patients import load_practice

            try:
                load_practice(path.parent / patient.practice)
            except InputError as err:
                problems += err.problems
        return problems
    from handouts.patients import load_practice

    load_practice(path)
    return []


def _kind_of(data: Any) -> str:
    if not isinstance(data, dict):
        return "practice"  # validate_model will say it is not a mapping
    if "phases" in data:
        return "programme"
    if "dosage" in data or "category" in data:
        return "exercise"
    if "foot" in data or (
        "name" in data and "accent_colour" not in data and "therapist" not in data
    ):
        return "patient"
    return "practice"
