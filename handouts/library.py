"""Load and validate the exercise library and the programmes, reporting every problem at once.

The shipped library is in handouts/library/; a practice folder given with --library adds
exercises and programmes or replaces shipped ones with the same id.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from handouts import images, limits, text
from handouts.errors import InputError, Problem
from handouts.files import read_shipped_yaml, read_yaml, validate_model
from handouts.models import Education, Exercise, Patient, Programme, Texts


@dataclass(frozen=True)
class Library:
    exercises: dict[str, Exercise]
    programmes: dict[str, Programme]
    education: dict[str, Education] = field(default_factory=dict)
    # where each exercise came from, and its picture (an SVG beside it, by id)
    exercise_files: dict[str, Path] = field(default_factory=dict)
    pictures: dict[str, Path] = field(default_factory=dict)


def patient_reference_problems(patient: Patient, library: Library, source: str) -> list[Problem]:
    """Ids a patient names that the library does not have (exclude may name topics too)."""
    problems = []
    if patient.programme not in library.programmes:
        message = unknown_id_message("programme", patient.programme, library.programmes)
        problems.append(Problem(source, "programme", message))
    for field_name, ids in (("exercises", list(patient.exercises)), ("include", patient.include)):
        problems += [
            Problem(source, field_name, unknown_id_message("exercise", i, library.exercises))
            for i in ids
            if i not in library.exercises
        ]
    known = {**library.exercises, **library.education}
    problems += [
        Problem(source, "exclude", unknown_id_message("exercise", i, known))
        for i in patient.exclude
        if i not in known
    ]
    return problems


def unknown_id_message(kind: str, given: str, known: Iterable[str]) -> str:
    names = sorted(known)
    guess = difflib.get_close_matches(given, names, n=1)
    hint = f"did you mean '{guess[0]}'?" if guess else f"known: {', '.join(names)}"
    return f"unknown {kind} '{given}'; {hint} (`handouts {kind}s` lists them)"


def shipped_library_dir() -> Path:
    return Path(str(resources.files("handouts").joinpath("library")))


def load_library(extra_dirs: Iterable[Path] = (), *, check_shipped: bool = False) -> Library:
    """The shipped library, then each extra folder on top (same id replaces).

    Every file is read and validated; the checks beyond the models (template texts, pictures)
    run on what a practice's folder brings. The shipped library passes them by construction
    (the tests and `handouts validate`, which sets check_shipped, hold it to them): a cold
    `generate` spent ~40 ms of its start-up re-checking it."""
    extra_dirs = tuple(extra_dirs)
    problems: list[Problem] = []
    exercises: dict[str, Exercise] = {}
    exercise_files: dict[str, Path] = {}
    programmes: dict[str, Programme] = {}
    education: dict[str, Education] = {}
    pictures: dict[str, Path] = {}
    files: dict[tuple[str, str], Path] = {}  # (kind, id) -> the file it was read from
    for folder in [shipped_library_dir(), *extra_dirs]:
        if not folder.is_dir():
            problems.append(Problem(str(folder), "", "library folder not found; check the path"))
            continue
        try:
            if folder in extra_dirs:
                library_files(folder)  # a folder too big for a library stops here, unread
        except InputError as err:
            problems += err.problems
            continue
        for path, exercise in _load_all(folder / "exercises", Exercise, problems):
            exercises[exercise.id] = exercise
            files["exercise", exercise.id] = path
        for path, programme in _load_all(folder / "programmes", Programme, problems):
            programmes[programme.id] = programme
            files["programme", programme.id] = path
        for path, topic in _load_all(folder / "education", Education, problems):
            education[topic.id] = topic
            files["education", topic.id] = path
        # a practice may replace any picture by putting its own <id>.svg in exercises/
        pictures.update({p.stem: p for p in sorted((folder / "exercises").glob("*.svg"))})
    exercise_files = {i: path for (kind, i), path in files.items() if kind == "exercise"}
    pictures = {i: p for i, p in pictures.items() if i in exercises}
    shipped = shipped_library_dir()

    def to_check(path: Path) -> bool:
        return check_shipped or path.parent.parent != shipped

    for picture in pictures.values():
        if to_check(picture):
            problems += [Problem(str(picture), "", m) for m in images.check_svg_file(picture)]
    for exercise_id, exercise in exercises.items():
        if to_check(exercise_files[exercise_id]):
            problems += check_texts(exercise.texts, str(exercise_files[exercise_id]))
    for topic in education.values():
        if to_check(files["education", topic.id]):
            problems += check_texts(topic.texts, f"education '{topic.id}'")
    for programme in programmes.values():
        texts = to_check(files["programme", programme.id])
        problems += programme_reference_problems(programme, exercises, education, texts=texts)
    if problems:
        raise InputError(problems)
    return Library(exercises, programmes, education, exercise_files, pictures)


# The files a library folder consists of; nothing else in it is read (or hashed by batch).
LIBRARY_PATTERNS = ("exercises/*.yaml", "exercises/*.svg", "programmes/*.yaml", "education/*.yaml")


def library_files(folder: Path) -> list[Path]:
    """The library's own files in a folder, sorted; InputError when there are more, or more
    bytes, than a library can need (`library: /` names a disk, not a library)."""
    found: list[Path] = []
    size = 0
    for pattern in LIBRARY_PATTERNS:
        subfolder, suffix = pattern.split("/*")
        try:
            entries = os.scandir(folder / subfolder)
        except (FileNotFoundError, NotADirectoryError):
            continue
        except OSError as err:
            raise InputError.single(
                str(folder / subfolder), "", f"cannot be read ({err.strerror})"
            ) from None
        with entries:
            for entry in entries:
                if not entry.name.endswith(suffix) or entry.name.startswith("."):
                    continue
                found.append(Path(entry.path))
                if len(found) > limits.MAX_LIBRARY_FILES:
                    raise InputError.single(
                        str(folder),
                        "",
                        f"has more than {limits.MAX_LIBRARY_FILES:,} library "
                        "files; give the folder that holds exercises/, programmes/, education/",
                    )
                try:
                    size += entry.stat().st_size
                except OSError:
                    continue  # a broken link: reading it says so
                if size > limits.MAX_LIBRARY_BYTES:
                    raise InputError.single(
                        str(folder),
                        "",
                        f"library files are over "
                        f"{limits.MAX_LIBRARY_BYTES // 1_000_000} MB together; "
                        "give the folder that holds exercises/, programmes/, education/",
                    )
    return sorted(found)


M = TypeVar("M", Exercise, Programme, Education)


def _load_all(folder: Path, model: type[M], problems: list[Problem]) -> Iterator[tuple[Path, M]]:
    if not folder.is_dir():
        return
    shipped = folder.parent == shipped_library_dir()
    for path in sorted(folder.glob("*.yaml")):
        try:
            data = read_shipped_yaml(path) if shipped else read_yaml(path)
            item = validate_model(model, data, str(path))
        except InputError as err:
            problems.extend(err.problems)
            continue
        if item.id != path.stem:
            problems.append(
                Problem(str(path), "id", f"'{item.id}' differs from the file name; make them equal")
            )
            continue
        yield path, item


def check_texts(texts: Texts[Any], source: str) -> list[Problem]:
    """Template problems (syntax, unknown variables, literal sides) in every block as written."""
    problems = []
    written = {"nl": texts.nl.model_dump(), "en": texts.en.model_dump(), **texts.blocks}
    for language, block in written.items():
        # variant blocks (nl-BE, nl-u, nl-BE-u): only their own fields; the rest is nl's
        block = block or {}
        for field_name, value in block.items():
            values = value if isinstance(value, list) else [value]
            for index, item in enumerate(values):
                if not isinstance(item, str):
                    continue
                where = f"texts.{language}.{field_name}"
                if isinstance(value, list):
                    where += f".{index + 1}"
                problems += [
                    Problem(source, where, message)
                    for message in text.check_template(item, language)
                ]
    return problems


def programme_reference_problems(
    programme: Programme,
    exercises: dict[str, Exercise],
    education: dict[str, Education],
    *,
    texts: bool = True,
) -> list[Problem]:
    """Exercises and topics a programme names that are not there; texts: its templates too."""
    source = f"programme '{programme.id}'"
    problems = []
    for number, phase in enumerate(programme.phases, start=1):
        for exercise_id in phase.exercises:
            if exercise_id not in exercises:
                problems.append(
                    Problem(
                        source,
                        f"phases.{number}.exercises",
                        unknown_id_message("exercise", exercise_id, exercises),
                    )
                )
        problems += [
            Problem(
                source,
                f"phases.{number}.education",
                unknown_id_message("education topic", topic, education),
            )
            for topic in phase.education
            if topic not in education
        ]
        if not texts:
            continue
        problems += check_texts(phase.texts, f"{source} phases.{number}")
        for language, note in (
            (lang, n) for item in phase.exercises.values() for lang, n in item.note.items()
        ):
            for message in text.check_template(note, language, text.NOTE_VARIABLES):
                problems.append(Problem(source, f"phases.{number}.exercises.note", message))
    if texts:
        problems += check_texts(programme.texts, source)
    if texts and programme.maintenance is not None:
        problems += check_texts(programme.maintenance, f"{source} maintenance")
    return problems
