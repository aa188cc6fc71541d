"""Load and validate the exercise library and the programmes, reporting every problem at once.

The shipped library is in handouts/library/; a practice folder given with --library adds
exercises and programmes or replaces shipped ones with the same id.

A practice's folder is read and checked whole when loaded. The shipped library is part of
the tool (the tests and `handouts validate` check every file of it): its files are read and
validated when first used, so that one patient's `generate` reads the files of its programme
(the combined programme: 14 of 27), not all of them.
"""

from __future__ import annotations

import difflib
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from importlib import resources
from pathlib import Path
from typing import Any, Generic, TypeVar

import msgspec

from handouts import images, limits, text, words
from handouts.errors import InputError, Problem
from handouts.files import read_shipped_yaml, read_yaml, validate_model
from handouts.models import Education, Exercise, Patient, Programme, Texts, as_dict

M = TypeVar("M", Exercise, Programme, Education)


class Items(Mapping[str, M], Generic[M]):
    """Library entries by id, in the order of their folders and files. An entry of the
    shipped library is read and validated when first asked for (a broken shipped file is an
    InputError then); `in`, len() and the ids need no file read. Safe between threads."""

    def __init__(self, model: type[M], entries: dict[str, M | Path]) -> None:
        self._model: type[M] = model
        self._entries: dict[str, M | Path] = entries  # an entry, or the file it is still in
        self._lock = threading.Lock()

    def __getitem__(self, key: str) -> M:
        entry = self._entries[key]
        if not isinstance(entry, Path):
            return entry
        with self._lock:  # one thread reads the file; the others then find the entry
            entry = self._entries[key]
            if not isinstance(entry, Path):
                return entry
            problems: list[Problem] = []
            for _, item in _load(entry, self._model, problems):
                self._entries[key] = item
                return item
            raise InputError(problems)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)


class Library(msgspec.Struct, frozen=True):
    exercises: Mapping[str, Exercise]
    programmes: Mapping[str, Programme]
    education: Mapping[str, Education] = msgspec.field(default_factory=dict)
    # where each exercise came from, and its picture (an SVG beside it, by id)
    exercise_files: dict[str, Path] = msgspec.field(default_factory=dict)
    pictures: dict[str, Path] = msgspec.field(default_factory=dict)


def patient_reference_problems(patient: Patient, library: Library, source: str) -> list[Problem]:
    """Ids a patient names that the library does not have (exclude may name topics too)."""
    problems = []
    if patient.programme not in library.programmes:
        problems.append(Problem(source, "programme", _unknown_programme(patient, library)))
    for field_name, ids in (("exercises", list(patient.exercises)), ("include", patient.include)):
        problems += [
            Problem(source, field_name, _unknown_exercise(i, library, library.exercises))
            for i in ids
            if i not in library.exercises
        ]
    known = [*library.exercises, *library.education]  # the ids: no file read for them
    problems += [
        Problem(source, "exclude", _unknown_exercise(i, library, known))
        for i in patient.exclude
        if i not in known
    ]
    return problems


def _named(kind: str, given: str, names: dict[str, list[str]]) -> str | None:
    """'… is the name of exercise short-foot; write its id …' when given is the name (as
    the handout or a listing shows it) of an entry, instead of its id; else None."""
    typed = words.normalise(given)
    for found, known in names.items():
        if typed in map(words.normalise, known):
            return f"'{given}' is the name of {kind} {found}; write its id: {found}"
    return None


def _names(items: Mapping[str, Any], names_of: Callable[[Any], list[str]]) -> dict[str, list[str]]:
    """Each entry's names in nl and en, for messages; an entry that cannot be read is left
    out (its own problem is reported where it is used)."""
    found = {}
    for item_id in items:
        try:
            found[item_id] = names_of(items[item_id].texts)
        except InputError:
            continue
    return found


def _unknown_exercise(given: str, library: Library, known: Iterable[str]) -> str:
    names = _names(
        library.exercises, lambda t: [t.nl.name, t.nl.short_name, t.en.name, t.en.short_name]
    )
    return _named("exercise", given, names) or unknown_id_message("exercise", given, known)


def _unknown_programme(patient: Patient, library: Library) -> str:
    """Programmes by id with their names, as `handouts programmes` lists them; a programme
    given by its name (programma: Kracht) is pointed to its id."""
    names = _names(library.programmes, lambda t: [t.nl.name, t.en.name])
    named = _named("programme", patient.programme, names)
    if named is not None:
        return named
    guess = difflib.get_close_matches(patient.programme, list(names), n=1)
    known = ", ".join(f"{i} ({n[0]})" for i, n in sorted(names.items()))
    hint = f"did you mean '{guess[0]}'?" if guess else f"known: {known}"
    return f"unknown programme '{patient.programme}'; {hint} (`handouts programmes` lists them)"


def unknown_id_message(kind: str, given: str, known: Iterable[str]) -> str:
    names = sorted(known)
    guess = difflib.get_close_matches(given, names, n=1)
    hint = f"did you mean '{guess[0]}'?" if guess else f"known: {', '.join(names)}"
    return f"unknown {kind} '{given}'; {hint} (`handouts {kind}s` lists them)"


def shipped_library_dir() -> Path:
    return Path(str(resources.files("handouts").joinpath("library")))


def load_library(extra_dirs: Iterable[Path] = (), *, check_shipped: bool = False) -> Library:
    """The shipped library, then each extra folder on top (same id replaces).

    A practice's folder is read, validated and checked (template texts, pictures, references)
    now, every problem at once. The shipped library passes those checks by construction (the
    tests and `handouts validate`, which sets check_shipped, hold it to them): its files are
    read and validated when first used, and not checked again; a cold `generate` spent ~50 ms
    of its start-up reading and re-checking all of it."""
    extra_dirs = tuple(extra_dirs)
    problems: list[Problem] = []
    exercises: dict[str, Exercise | Path] = {}
    programmes: dict[str, Programme | Path] = {}
    education: dict[str, Education | Path] = {}
    pictures: dict[str, Path] = {}
    # kind -> id -> the file it is read from
    paths: dict[str, dict[str, Path]] = {"exercise": {}, "programme": {}, "education": {}}
    shipped = shipped_library_dir()
    for folder in [shipped, *extra_dirs]:
        if not folder.is_dir():
            problems.append(Problem(str(folder), "", "library folder not found; check the path"))
            continue
        try:
            if folder in extra_dirs:
                library_files(folder)  # a folder too big for a library stops here, unread
        except InputError as err:
            problems += err.problems
            continue
        now = folder != shipped or check_shipped  # else when first used (Items)
        _collect(folder / "exercises", Exercise, exercises, paths["exercise"], now, problems)
        _collect(folder / "programmes", Programme, programmes, paths["programme"], now, problems)
        _collect(folder / "education", Education, education, paths["education"], now, problems)
        # a practice may replace any picture by putting its own <id>.svg in exercises/
        pictures.update({p.stem: p for p in sorted((folder / "exercises").glob("*.svg"))})
    exercise_files = paths["exercise"]
    pictures = {i: p for i, p in pictures.items() if i in exercises}
    library = Library(
        Items(Exercise, exercises),
        Items(Programme, programmes),
        Items(Education, education),
        exercise_files,
        pictures,
    )

    def to_check(path: Path) -> bool:
        return check_shipped or path.parent.parent != shipped

    for picture in pictures.values():
        if to_check(picture):
            problems += [Problem(str(picture), "", m) for m in images.check_svg_file(picture)]
    for exercise_id, exercise in exercises.items():
        if not isinstance(exercise, Path) and to_check(exercise_files[exercise_id]):
            problems += check_texts(exercise.texts, str(exercise_files[exercise_id]))
    for topic in education.values():
        if not isinstance(topic, Path) and to_check(paths["education"][topic.id]):
            problems += check_texts(topic.texts, f"education '{topic.id}'")
    for programme in programmes.values():
        if not isinstance(programme, Path):  # a shipped one still unread is checked already
            texts = to_check(paths["programme"][programme.id])
            problems += programme_reference_problems(
                programme, library.exercises, library.education, texts=texts
            )
    if problems:
        raise InputError(problems)
    return library


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


def _collect(
    folder: Path,
    model: type[M],
    entries: dict[str, M | Path],
    paths: dict[str, Path],
    read: bool,
    problems: list[Problem],
) -> None:
    """A folder's entries into entries and their files into paths (replacing those of an
    earlier folder): read and validated now, or (read False) to be read when first used."""
    if read:
        for path, item in _load_all(folder, model, problems):
            entries[item.id] = item
            paths[item.id] = path
    elif folder.is_dir():
        for path in sorted(folder.glob("*.yaml")):
            entries[path.stem] = paths[path.stem] = path


def _load_all(folder: Path, model: type[M], problems: list[Problem]) -> Iterator[tuple[Path, M]]:
    if not folder.is_dir():
        return
    for path in sorted(folder.glob("*.yaml")):
        yield from _load(path, model, problems)


def _load(path: Path, model: type[M], problems: list[Problem]) -> Iterator[tuple[Path, M]]:
    """The entry of one file (none, and its problems noted, when it is broken)."""
    try:
        shipped = path.parent.parent == shipped_library_dir()
        data = read_shipped_yaml(path) if shipped else read_yaml(path)
        item = validate_model(model, data, str(path))
    except InputError as err:
        problems.extend(err.problems)
        return
    if item.id != path.stem:
        problems.append(
            Problem(str(path), "id", f"'{item.id}' differs from the file name; make them equal")
        )
        return
    yield path, item


def check_texts(texts: Texts[Any], source: str) -> list[Problem]:
    """Template problems (syntax, unknown variables, literal sides) in every block as written."""
    problems = []
    written = {"nl": as_dict(texts.nl), "en": as_dict(texts.en), **texts.blocks}
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
    exercises: Mapping[str, Exercise],
    education: Mapping[str, Education],
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
