"""A newcomer's first hour, as the README's quick start walks it: starter files, Dutch words,
validate, generate; then the front desk's batch from an Excel export with extra columns."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from click.testing import CliRunner

from handouts.cli import app
from tests.conftest import pdf_pages

TODAY = ["--today", "2026-11-21"]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_a_therapist_fills_in_the_starters_and_gets_a_handout_for_their_patient(tmp_path):
    practice, patient = tmp_path / "practice.yaml", tmp_path / "patient.yaml"
    assert run("new", str(practice))[0] == 0
    assert run("new", str(patient))[0] == 0
    text = practice.read_text(encoding="utf-8").replace("Naam van de praktijk", "Fysio Oost")
    practice.write_text(text, encoding="utf-8")
    text = patient.read_text(encoding="utf-8")
    text = text.replace("name: Voornaam Achternaam", "naam: Fatma Yılmaz")
    text = text.replace("foot: left ", "voet: Rechtervoet ")
    text = text.replace("# start: 2026-12-07", "startdatum: 07-12-2026")
    text = text.replace("# practice: practice.yaml", "practice: practice.yaml")
    patient.write_text(text, encoding="utf-8")

    code, out, err = run("validate", str(patient), str(practice))
    assert code == 0, err
    assert "(patient file)" in out and "(practice profile)" in out
    code, out, err = run("generate", str(patient), "-o", str(tmp_path / "out"), *TODAY)
    assert code == 0, err
    handout, checklist = (Path(line) for line in out.splitlines())
    assert handout.name == "fatma-yilmaz_oefenschema.pdf"
    first = pdf_pages(handout.read_bytes())[0]
    assert "Fatma Yılmaz" in first and "rechtervoet" in first and "Fysio Oost" in first
    assert "7 december 2026" in first
    assert "maandag 7 december" in pdf_pages(checklist.read_bytes())[0].lower()


def test_the_front_desk_makes_a_batch_from_an_excel_export(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Patiëntnr", "Voornaam", "Tussenvoegsel", "Achternaam", "Geboortedatum",
                  "Telefoon", "Voet", "Startdatum", "Taal"])  # fmt: skip
    sheet.append([1001, "Jan", "van der", "Berg", dt.datetime(1960, 2, 1), "0612", "Links",
                  dt.datetime(2026, 12, 7), "NL"])  # fmt: skip
    sheet.append([1002, "Zoë", None, "Peeters", dt.datetime(1975, 5, 5), None, "beide voeten",
                  dt.datetime(2026, 12, 14), "Vlaams"])  # fmt: skip
    roster = tmp_path / "export.xlsx"
    book.save(roster)

    code, _, err = run("batch", str(roster), "--check", *TODAY)
    assert code == 0 and "columns 'Geboortedatum', 'Telefoon' not used" in err
    out = tmp_path / "out"
    code, stdout, err = run("batch", str(roster), "-o", str(out), "-j", "1", *TODAY)
    assert code == 0, err
    assert stdout.startswith("2 rows: 2 made, 0 up to date, 0 failed")
    jan = pdf_pages((out / "jan-van-der-berg-1001_oefenschema.pdf").read_bytes())[0]
    assert "Jan van der Berg" in jan and "linkervoet" in jan and "7 december 2026" in jan
    zoe = pdf_pages((out / "zoe-peeters-1002_oefenschema.pdf").read_bytes())[0]
    assert "beide voeten" in zoe.lower() and "kinesitherapeut" in zoe
