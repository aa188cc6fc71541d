"""The shipped library is valid; a practice folder adds or replaces by id; problems are found."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from handouts.errors import InputError
from handouts.library import load_library
from tests.conftest import write_extra_exercises

ISSUE_2_EXERCISES = {
    "heel-raise-towel-step",
    "plantar-fascia-stretch-seated",
    "calf-stretch-wall-straight-knee",
    "calf-stretch-wall-bent-knee",
    "towel-stretch-long-sitting",
    "towel-stretch-knee-bent",
    "step-heel-drop-stretch",
}


def test_shipped_library_has_the_core_content(library):
    assert set(library.exercises) >= ISSUE_2_EXERCISES
    assert "combined" in library.programmes
    for exercise in library.exercises.values():
        for language in ("nl", "nl-BE", "en"):
            assert exercise.texts.get(language).steps


def test_practice_folder_adds_and_replaces_by_id(tmp_path, library):
    [new_id] = write_extra_exercises(tmp_path, library, 1)
    source = library.exercise_files["calf-stretch-wall-bent-knee"]
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data["texts"]["nl"]["name"] = "Onze eigen kuitrek"
    (tmp_path / "exercises" / "calf-stretch-wall-bent-knee.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True), encoding="utf-8"
    )
    merged = load_library([tmp_path])
    assert new_id in merged.exercises
    assert (
        merged.exercises["calf-stretch-wall-bent-knee"].texts.get("nl").name == "Onze eigen kuitrek"
    )


def broken_exercise(tmp_path: Path, library, change) -> list[str]:
    data = yaml.safe_load(
        library.exercise_files["plantar-fascia-stretch-seated"].read_text(encoding="utf-8")
    )
    data["id"] = "broken"
    change(data)
    (tmp_path / "exercises").mkdir(exist_ok=True)
    (tmp_path / "exercises" / "broken.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True), encoding="utf-8"
    )
    with pytest.raises(InputError) as err:
        load_library([tmp_path])
    return [str(p) for p in err.value.problems]


def test_missing_language(tmp_path, library):
    [line] = broken_exercise(tmp_path, library, lambda d: d["texts"].pop("en"))
    assert "broken.yaml: texts.en: is required" in line


def test_literal_side_in_a_step(tmp_path, library):
    def change(d):
        d["texts"]["nl"]["steps"][0] = "Zet je linkervoet neer."

    [line] = broken_exercise(tmp_path, library, change)
    assert "texts.nl.steps.1" in line and "linkervoet" in line


def test_dosage_out_of_bounds(tmp_path, library):
    def change(d):
        d["dosage"]["hold_seconds"] = 300
        d["dosage"]["reps"] = 80

    lines = broken_exercise(tmp_path, library, change)
    assert any("dosage.hold_seconds" in line and "120" in line for line in lines)
    assert any("dosage.reps" in line and "50" in line for line in lines)


def write_programme(tmp_path: Path, phases: list[dict], weeks: int = 4) -> None:
    texts = {"nl": {"name": "x", "summary": "x"}, "en": {"name": "x", "summary": "x"}}
    phase_texts = {"nl": {"name": "p", "changes": "c"}, "en": {"name": "p", "changes": "c"}}
    data = {
        "id": "mine",
        "weeks": weeks,
        "texts": texts,
        "phases": [{"texts": phase_texts, **p} for p in phases],
    }
    (tmp_path / "programmes").mkdir(exist_ok=True)
    (tmp_path / "programmes" / "mine.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")


def test_programme_with_unknown_exercise(tmp_path):
    write_programme(tmp_path, [{"weeks": [1, 4], "exercises": {"toe-tapping": {}}}])
    with pytest.raises(InputError, match="unknown exercise 'toe-tapping'"):
        load_library([tmp_path])


def test_programme_weeks_overlap_and_gap(tmp_path):
    ok = {"plantar-fascia-stretch-seated": {}}
    write_programme(
        tmp_path, [{"weeks": [1, 2], "exercises": ok}, {"weeks": [2, 4], "exercises": ok}]
    )
    with pytest.raises(InputError, match="week 2 is in phase 1 and in phase 2"):
        load_library([tmp_path])
    write_programme(
        tmp_path, [{"weeks": [1, 1], "exercises": ok}, {"weeks": [3, 4], "exercises": ok}]
    )
    with pytest.raises(InputError, match=r"no phase covers week\(s\) 2"):
        load_library([tmp_path])


def test_dosage_variables_belong_in_phase_notes_only(tmp_path, library):
    from handouts import text

    assert text.check_template("Zijn {{ reps }} keer makkelijk?", "nl", text.NOTE_VARIABLES) == []
    assert (
        "unknown template variable(s) repz"
        in text.check_template("Zijn {{ repz }} keer makkelijk?", "nl", text.NOTE_VARIABLES)[0]
    )

    def change(d):
        d["texts"]["nl"]["steps"][0] = "Doe het {{ reps }} keer."

    [line] = broken_exercise(tmp_path, library, change)
    assert "texts.nl.steps.1" in line and "unknown template variable(s) reps" in line


def test_the_shipped_files_read_the_same_with_the_fast_and_the_guarded_loader():
    """The shipped files are read with libyaml (fast); they must pass the guarded loader that
    a practice's files meet (duplicate keys, sizes, control characters) and give the same."""
    from handouts.files import read_shipped_yaml, read_yaml
    from handouts.library import shipped_library_dir

    files = sorted(shipped_library_dir().glob("*/*.yaml"))
    assert len(files) > 20
    locales = sorted((shipped_library_dir().parent / "locales").glob("*.yaml"))
    assert len(locales) >= 5  # the UI words are read the same way
    for path in [*files, *locales, shipped_library_dir() / "references.yaml"]:
        assert read_shipped_yaml(path) == read_yaml(path), path


def test_validate_checks_the_texts_of_the_shipped_library_that_generate_trusts(
    tmp_path, monkeypatch
):
    """generate skips the template checks of the shipped files (they are part of the tool);
    `validate` (check_shipped) still holds every shipped text to them."""
    import shutil

    from handouts import library as library_module
    from handouts.validate import validate_paths

    copy = tmp_path / "library"
    shutil.copytree(library_module.shipped_library_dir(), copy)
    path = copy / "exercises" / "short-foot.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["texts"]["nl"]["steps"][0] = "Til je {{ left_foot }} op."
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(library_module, "shipped_library_dir", lambda: copy)

    assert "short-foot" in load_library().exercises
    with pytest.raises(InputError, match="left_foot"):
        load_library(check_shipped=True)
    problems, _ = validate_paths((), ())
    assert any("left_foot" in problem.message for problem in problems)


def test_a_patient_reads_only_the_shipped_files_of_its_programme(tmp_path, monkeypatch, library):
    """The shipped library is read when used: a broken shipped file that the patient's
    programme does not use costs nothing and stops nothing; one it uses is an input error
    naming the file; `validate` reads and reports every file."""
    import shutil

    from handouts import library as library_module
    from handouts.validate import validate_paths
    from tests.conftest import make_plan

    combined = library.programmes["combined"]
    used = {e for phase in combined.phases for e in phase.exercises}
    unused = sorted(set(library.exercises) - used)[0]
    copy = tmp_path / "library"
    shutil.copytree(library_module.shipped_library_dir(), copy)
    (copy / "exercises" / f"{unused}.yaml").write_text("id: [broken\n", encoding="utf-8")
    monkeypatch.setattr(library_module, "shipped_library_dir", lambda: copy)

    lazy = load_library()
    assert unused in lazy.exercises  # known by its file, not read
    plan = make_plan(lazy, programme="combined")
    assert {e.id for e in plan.exercises} == used
    with pytest.raises(InputError, match=f"{unused}.yaml"):
        make_plan(lazy, programme="combined", include=[unused])
    with pytest.raises(InputError, match=f"{unused}.yaml"):
        load_library(check_shipped=True)
    problems, _ = validate_paths((), ())
    assert any(f"{unused}.yaml" in problem.source for problem in problems)
