"""Bad input gets one clear line naming the file, the field and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from handouts.errors import InputError
from handouts.patients import load_patient, load_practice


def patient_file(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "patient.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def problems(tmp_path: Path, body: str) -> list[str]:
    with pytest.raises(InputError) as err:
        load_patient(patient_file(tmp_path, body), {})
    return [str(p) for p in err.value.problems]


def test_valid_file_with_dutch_foot_and_dutch_date(tmp_path):
    patient = load_patient(
        patient_file(tmp_path, "name: Jan\nfoot: rechts\nstart: 07-12-2026\n"), {}
    )
    assert patient.patient.foot == "right"
    assert str(patient.patient.start) == "2026-12-07"


@pytest.mark.parametrize(
    "typed",
    [
        "07-12-2026",
        "7/12/2026",
        "7.12.2026",
        "7-12-26",  # a short year is this century
        "7 december 2026",
        "7 Dec. 2026",
        "maandag 7 december 2026",
        "December 7, 2026",
        "7-dec-26",  # Excel's d-mmm-jj in a Dutch CSV
        "07-Dec-2026",
        "2026-12-07 00:00:00",
    ],
)
def test_a_start_date_as_a_practice_writes_it(tmp_path, typed):
    import re

    from handouts.models import DATE_TEXT

    patient = load_patient(patient_file(tmp_path, f"naam: Jan\nvoet: links\nstart: {typed}\n"), {})
    assert str(patient.patient.start) == "2026-12-07"
    assert re.fullmatch(DATE_TEXT, typed)  # an editor's schema accepts it too


@pytest.mark.parametrize("typed", ["7 december", "7 decmber 2026", "12-2026", "volgende week"])
def test_a_date_that_is_not_one_says_how_to_write_it(tmp_path, typed):
    [line] = problems(tmp_path, f"name: Jan\nfoot: left\nstart: {typed}\n")
    assert line.endswith(
        f"start: '{typed}' is not a date; write it as 07-12-2026, 2026-12-07 or 7 december 2026"
    )


def test_foot_middle(tmp_path):
    [line] = problems(tmp_path, "name: Jan\nfoot: middle\n")
    assert line.startswith(f"{tmp_path / 'patient.yaml'}: foot: ")
    assert "'middle'" in line and "left, right or both" in line


def test_misspelt_key_suggests_the_right_one(tmp_path):
    [line] = problems(tmp_path, "name: Jan\nfoot: left\nsessions_per_dag: 2\n")
    assert "sessions_per_dag" in line and "did you mean 'sessions_per_day'" in line


def test_misspelt_key_inside_an_exercise_override(tmp_path):
    [line] = problems(tmp_path, "name: Jan\nfoot: left\nexercises:\n  x:\n    rep: 3\n")
    assert "exercises.x.rep" in line and "did you mean 'reps'" in line


def test_impossible_date(tmp_path):
    [line] = problems(tmp_path, "name: Jan\nfoot: left\nstart: 31-02-2026\n")
    assert "start" in line and "not a real date" in line
    [line] = problems(tmp_path, "name: Jan\nfoot: left\nstart: 2026-02-31\n")
    assert "not a real date" in line


def test_negative_reps(tmp_path):
    [line] = problems(tmp_path, "name: Jan\nfoot: left\nreps: -3\n")
    assert "reps: -3 is too low; at least 1" in line


def test_missing_required_fields_all_at_once(tmp_path):
    lines = problems(tmp_path, "language: nl\n")
    assert any(": name: is required" in line for line in lines)
    assert any(": foot: is required" in line for line in lines)


def test_broken_yaml_names_the_line(tmp_path):
    [line] = problems(tmp_path, "name: Jan\nfoot: [left\n")
    assert "broken YAML" in line and "line" in line


def test_not_a_mapping(tmp_path):
    [line] = problems(tmp_path, "- just\n- a list\n")
    assert "expected patient fields" in line


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        load_patient(tmp_path / "nope.yaml", {})


def test_options_override_file_fields(tmp_path):
    path = patient_file(tmp_path, "name: Jan\nfoot: left\nlanguage: nl\n")
    patient = load_patient(path, {"foot": "both", "language": "en", "reps": None})
    assert (patient.patient.foot, patient.patient.language) == ("both", "en")


def test_practice_colour_and_logo_are_checked(tmp_path):
    practice = tmp_path / "practice.yaml"
    practice.write_text("name: X\naccent_colour: blue\nlogo: logo.gif\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_practice(practice)
    assert "accent_colour" in str(err.value)
    practice.write_text("name: X\nlogo: missing.png\n", encoding="utf-8")
    with pytest.raises(InputError, match="logo"):
        load_practice(practice)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("naam: Jan\nvoet:links\ntaal: nl\n", "line 2: broken YAML: a field without ': ' after"),
        ("naam: Jan\nvoet: links\noefeningen:\n\tx:\n", "line 4: broken YAML: a tab; indent with"),
        ("naam: Jan\nnotities: Let op: rustig\n", "line 2: broken YAML: a second ': ' on one line"),
        ("naam: Jan\n voet: links\n", "line 2: broken YAML: a second ': ' on one line"),
        ("naam: Jan\nnotities: “Let op: rustig\n", "line 2: broken YAML: curly quotes (“ ”)"),
        ('naam: Jan\nnotities: "Neem mee\n', "line 2: broken YAML: a quote that is not closed"),
        ("naam: Jan\nvoet: l\nweken: acht\n", "weken: 'acht' is not a whole number; write it in"),
        ("naam: Jan\nvoet: l\nreeksen: 2.5\n", "reeksen: 2.5 is not a whole number; write it in"),
        ("naam: Jan\nvoet: l\nherhalingen: 100\n", "herhalingen: 100 is too high; at most 50"),
        ('naam: Jan\nvoet: l\npraktijk: "C:\\Users\\p.yaml"\n', "line 3: broken YAML: a \\ inside"),
    ],
)
def test_a_newcomers_mistake_gets_its_line_and_fix_in_plain_words(tmp_path, text, expected):
    [line] = problems(tmp_path, text)
    assert f": {expected}" in line, line


def test_a_file_saved_with_txt_added_is_named(tmp_path):
    (tmp_path / "jan.yaml.txt").write_text("naam: Jan\nvoet: links\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_patient(tmp_path / "jan.yaml", {})
    assert str(err.value).endswith(
        "jan.yaml: file not found, but jan.yaml.txt is there; rename it to jan.yaml"
    )


def test_a_programme_or_exercise_given_by_its_name_points_to_its_id(tmp_path):
    """`handouts programmes` shows 'strength-only (12 weeks) Kracht': a therapist who
    writes the name is told the id to write."""
    from handouts.library import load_library, patient_reference_problems

    library = load_library()
    for given, programme in (("Kracht", "strength-only"), ("kracht en rek", "combined")):
        patient = load_patient(
            patient_file(tmp_path, f"naam: Jan\nvoet: links\nprogramma: {given}\n"), {}
        )
        [problem] = patient_reference_problems(patient.patient, library, "p.yaml")
        assert problem.message == (
            f"'{given}' is the name of programme {programme}; write its id: {programme}"
        )
    patient = load_patient(
        patient_file(
            tmp_path, "naam: Jan\nvoet: links\nextra: [Korte voet]\nweglaten: [Toe yoga]\n"
        ),
        {},
    )
    assert [p.message for p in patient_reference_problems(patient.patient, library, "p")] == [
        "'Korte voet' is the name of exercise short-foot; write its id: short-foot",
        "'Toe yoga' is the name of exercise toe-yoga; write its id: toe-yoga",
    ]
    patient = load_patient(patient_file(tmp_path, "naam: Jan\nvoet: links\nprogramma: yoga\n"), {})
    [problem] = patient_reference_problems(patient.patient, library, "p.yaml")
    assert "unknown programme 'yoga'; known: combined (Kracht en rek), strength-only (Kracht)" in (
        problem.message
    )
