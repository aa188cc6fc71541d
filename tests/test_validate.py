"""`handouts validate` and `batch --check` say what generate and batch would say, for every
kind of file and folder the tool reads; never "OK" when it is not."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from handouts.cli import app
from handouts.validate import kind_of

TODAY = ["--today", "2026-11-21"]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_folder_of_patient_files_is_checked_file_by_file(tmp_path):
    folder = tmp_path / "patienten"
    write(folder / "jan.yaml", "naam: Jan\nvoet: links\n")
    bad = write(folder / "piet.yaml", "name: Piet\nfoot: middle\n")
    write(folder / "notes.txt.bak", "not read")
    write(folder / "LEESMIJ.txt", "not a roster")
    code, out, err = run("validate", str(folder))
    assert code == 2
    assert f"checked {folder / 'jan.yaml'} (patient file)" in out and "LEESMIJ" not in out
    assert err.strip() == (
        f"error: {bad}: foot: 'middle' is not a foot; use left, right or both "
        "(links, rechts, beide)"
    )


@pytest.mark.parametrize(
    ("name", "text", "kind"),
    [
        ("practice.yaml", "name: Fysio Oost\n", "practice"),
        ("praktijk.yaml", "name: Fysio Oost\nphone: '012 34'\n", "practice"),
        ("oost.yaml", "name: Fysio Oost\nphone: '012 34'\n", "practice"),
        ("jan.yaml", "name: Jan\nfoot: left\n", "patient"),
        ("jan.yaml", "naam: Jan\nvoet: links\n", "patient"),
        ("jan.yaml", "name: Jan\nreps: 8\n", "patient"),
        ("week.yaml", "- name: Jan\n  foot: left\n", "roster"),
        ("week.xlsx", "", "roster"),
        ("who.yaml", "name: Jan\n", "unknown"),
    ],
)
def test_a_file_is_what_its_place_name_or_fields_say(tmp_path, name, text, kind):
    assert kind_of(write(tmp_path / name, text)) == kind


def test_a_practice_with_only_a_name_and_phone_is_checked_as_a_practice(tmp_path):
    path = write(tmp_path / "oost.yaml", "name: Fysio Oost\nphone: '012 345 67 89'\n")
    code, out, err = run("validate", str(path))
    assert code == 0, err
    assert f"checked {path} (practice profile)" in out


def test_a_file_that_could_be_either_is_refused_with_the_ways_to_say_which(tmp_path):
    path = write(tmp_path / "who.yaml", "name: Jan\n")
    code, _, err = run("validate", str(path))
    assert code == 2 and "cannot tell what kind of file" in err and "foot:" in err


def test_a_roster_reports_every_bad_row_as_batch_does(tmp_path):
    roster = write(
        tmp_path / "week.csv",
        "naam;voet;programma;praktijk;Telefoon\n"
        "Jan;links;;;06\n"
        "Piet;midden;;;\n"
        "Anne;rechts;nope;;\n"
        "Zoë;beide;;weg.yaml;\n",
    )
    code, out, err = run("validate", str(roster), *TODAY)
    assert f"checked {roster} (roster, 4 rows)" in out
    lines = err.strip().splitlines()
    assert code == 2
    assert lines[0] == f"note: {roster}: column 'Telefoon' not used; left out"
    assert f"error: {roster} row 3: voet: 'midden' is not a foot" in lines[1]
    assert f"error: {roster} row 4: programma: unknown programme 'nope'" in lines[2]
    assert f"error: {roster} row 5: praktijk: {tmp_path / 'weg.yaml'}: file not found" in lines[3]
    assert len(lines) == 4
    # batch --check gives the same verdicts and writes nothing
    code, _, check_err = run("batch", str(roster), "--check", "-o", str(tmp_path / "out"), *TODAY)
    assert code == 2 and check_err == err and not (tmp_path / "out").exists()
    # and batch itself fails the same rows
    code, _, batch_err = run("batch", str(roster), "-o", str(tmp_path / "out"), "-j", "1", *TODAY)
    failed = [line.split(": ")[1] for line in batch_err.splitlines() if " row " in line]
    assert code == 1 and failed == [line.split(": ")[1] for line in lines[1:]]


def test_an_xlsx_roster_validates_and_names_its_rows(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Voornaam", "Achternaam", "Voet", "Herhalingen"])
    book.active.append(["Jan", "Peeters", "links", 8])
    book.active.append(["Piet", "Janssens", "links", 99])
    path = tmp_path / "week.xlsx"
    book.save(path)
    code, _, err = run("validate", str(path), *TODAY)
    assert code == 2 and err.startswith(f"error: {path} row 3: Herhalingen:")


def test_a_patient_file_whose_practice_file_is_missing_is_not_ok(tmp_path):
    path = write(tmp_path / "jan.yaml", "name: Jan\nfoot: left\npractice: praktijk.yaml\n")
    code, _, err = run("validate", str(path))
    assert code == 2 and f"error: {path}: practice: the practice file" in err


def test_a_name_the_font_cannot_print_is_caught_by_validate_as_by_generate(tmp_path):
    path = write(tmp_path / "jan.yaml", "name: 王小明\nfoot: left\n")
    code, _, validate_err = run("validate", str(path))
    code2, _, generate_err = run("generate", str(path), "-o", str(tmp_path / "out"))
    assert code == code2 == 2 and "cannot print" in validate_err
    assert validate_err == generate_err


def test_a_library_folder_is_still_a_library(tmp_path, library):
    source = library.exercise_files["towel-curl"]
    write(tmp_path / "eigen" / "exercises" / "towel-curl.yaml", source.read_text("utf-8"))
    (tmp_path / "eigen" / "exercises" / "towel-curl.svg").write_bytes(
        library.pictures["towel-curl"].read_bytes()
    )
    code, out, err = run("validate", str(tmp_path / "eigen"))
    assert code == 0, err
    assert f"checked {tmp_path / 'eigen'} (library folder)" in out


def test_validate_opens_the_logo_as_generate_would(tmp_path):
    """Active once handouts/images.py (check_logo, from the input-hardening work) is merged."""
    pytest.importorskip("handouts.images")
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n not really a picture")
    practice = write(tmp_path / "practice.yaml", "name: Fysio Oost\nlogo: logo.png\n")
    patient = write(tmp_path / "jan.yaml", "name: Jan\nfoot: left\npractice: practice.yaml\n")
    code, _, err = run("validate", str(practice))
    assert code == 2 and f"{practice}: logo: " in err
    code, _, err = run("validate", str(patient))
    assert code == 2 and "logo" in err


def test_a_patient_file_notepad_saved_as_txt_is_checked_as_a_patient(tmp_path):
    path = tmp_path / "jan.yaml.txt"
    path.write_text("naam: Jan Mol\nvoet: linsk\n", encoding="utf-8")
    code, _, err = run("validate", str(path))
    assert code == 2 and f"error: {path}: voet: 'linsk' is not a foot" in err


def test_validate_without_paths_beside_patient_files_says_they_were_not_checked(
    tmp_path, monkeypatch
):
    (tmp_path / "jan.yaml").write_text("naam: Jan\nvoet: linsk\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, err = run("validate")
    assert code == 0 and "checked the shipped library" in out
    assert "note: only the shipped library was checked; to check your files too" in err
    code, _, err = run("validate", ".")
    assert code == 2 and "'linsk' is not a foot" in err
