"""Dutch and Flemish words, everywhere alike: the patient file, the roster and the options."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from handouts import models, words
from handouts.cli import app
from handouts.patients import load_patient
from handouts.roster import read_roster
from tests.conftest import pdf_pages

TODAY = ["--today", "2026-11-21"]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_the_word_lists_name_the_models_values():
    assert words.LANGUAGES == models.LANGUAGES
    assert set(words.LANGUAGE_WORDS.values()) == set(models.LANGUAGES)
    assert set(words.FOOT_WORDS.values()) == set(words.FEET)
    assert {f for f in words.KEYS.values() if f != words.ID} == set(models.Patient.model_fields)


DUTCH_PATIENT = """\
Naam: Jan Peeters
Voet: Linkervoet
Taal: Vlaams
Programma: combined
Startdatum: 07-12-2026
Weken: 8
Herhalingen: 8
Reeksen: 2
Sessies per dag: 2
Opmerkingen: Rustig opbouwen.
Papier: A4
Grote letters: ja
Oefeningen:
  calf-stretch-wall-straight-knee:
    vasthouden: 45
"""


def test_a_patient_file_in_dutch_reads_as_the_english_one(tmp_path):
    path = tmp_path / "jan.yaml"
    path.write_text(DUTCH_PATIENT, encoding="utf-8")
    patient = load_patient(path, {}).patient
    assert (patient.name, patient.foot, patient.language, patient.paper) == (
        "Jan Peeters",
        "left",
        "nl-BE",
        "a4",
    )
    assert (patient.weeks, patient.reps, patient.sets, patient.sessions_per_day) == (8, 8, 2, 2)
    assert patient.large_print is True and patient.notes == "Rustig opbouwen."
    assert patient.exercises["calf-stretch-wall-straight-knee"].hold_seconds == 45


@pytest.mark.parametrize(
    ("given", "field", "expected"),
    [
        ("voet: rechtervoet", "foot", "right"),
        ("voet: Beide voeten", "foot", "both"),
        ("foot: LINKS", "foot", "left"),
        ("taal: Nederlands", "language", "nl"),
        ("taal: NL", "language", "nl"),
        ("taal: nl-be", "language", "nl-BE"),
        ("taal: Engels", "language", "en"),
        ("paper: Letter", "paper", "letter"),
        ("large_print: nee", "large_print", False),
        ("education: Nee", "education", False),
        ("start: 2026-12-07", "start", models.parse_date("2026-12-07")),
    ],
)
def test_each_dutch_value_in_any_case(tmp_path, given, field, expected):
    path = tmp_path / "p.yaml"
    defaults = {"name": "naam: Jan", "foot": "voet: links"}
    lines = [given] + [line for key, line in defaults.items() if key != field]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert getattr(load_patient(path, {}).patient, field) == expected


def test_a_key_given_twice_in_two_languages_is_refused_naming_both(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("name: Jan\nnaam: Piet\nfoot: left\n", encoding="utf-8")
    code, _, err = run("generate", str(path), "-o", str(tmp_path / "out"))
    assert code == 2 and f"{path}: naam: says the same as 'name'" in err


def test_a_dutch_file_makes_a_flemish_handout_for_the_left_foot(tmp_path):
    path = tmp_path / "jan.yaml"
    path.write_text(DUTCH_PATIENT, encoding="utf-8")
    code, out, err = run("generate", str(path), "-o", str(tmp_path / "out"), *TODAY)
    assert code == 0, err
    first = pdf_pages(Path(out.splitlines()[0]).read_bytes())[0]
    assert "Jan Peeters" in first and "linkervoet" in first and "kinesitherapeut" in first


@pytest.mark.parametrize(
    "options",
    [
        ["--lang", "NL", "--paper", "A4", "--foot", "LEFT"],
        ["--lang", "Nederlands", "--paper", "a4", "--foot", "linkervoet"],
        ["--lang", "nl", "--paper", "A4", "--foot", "Links", "--only", "HANDOUT"],
        ["--lang", "nl-BE", "--paper", "A4", "--foot", "L", "--only", "Oefenschema"],
    ],
)
def test_options_take_the_same_words_in_any_case(tmp_path, options):
    code, out, err = run("generate", "--name", "Jan", *options, "-o", str(tmp_path), *TODAY)
    assert code == 0, err
    assert Path(out.splitlines()[0]).name == "jan_oefenschema.pdf"


def test_a_roster_and_a_patient_file_agree_on_the_words(tmp_path):
    csv = tmp_path / "roster.csv"
    csv.write_text(
        "Naam;Voet;Taal;Grote letters;Papier\nJan;Rechtervoet;Vlaams;Ja;Letter\n", encoding="utf-8"
    )
    yaml = tmp_path / "jan.yaml"
    yaml.write_text(
        "naam: Jan\nvoet: Rechtervoet\ntaal: Vlaams\ngrote_letters: Ja\npapier: Letter\n",
        encoding="utf-8",
    )
    [row] = read_roster(csv)
    assert row.patient == load_patient(yaml, {}).patient


def test_every_value_has_a_size_limit_in_a_file_and_in_a_yaml_roster(tmp_path):
    path = tmp_path / "p.yaml"
    ids = ", ".join(f"x{n}" for n in range(150))
    path.write_text(f"naam: Jan\nvoet: links\nprogramma: {'a' * 5000}\nextra: [{ids}]\n")
    code, _, err = run("generate", str(path), "-o", str(tmp_path / "out"))
    assert code == 2 and "programme: is 5,000 characters; at most 2,000 fit" in err
    assert "include: has 150 items; at most 100 are allowed" in err
    roster = tmp_path / "r.yaml"
    roster.write_text(
        f"- naam: Jan\n  voet: links\n  notities: {'b' * 3000}\n- naam: Piet\n  voet: r\n"
    )
    jan, piet = read_roster(roster)
    assert jan.patient is None and "notes: is 3,000 characters" in str(jan.problems[0])
    assert piet.patient is not None
