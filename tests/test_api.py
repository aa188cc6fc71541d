"""The Python API, handouts.make_pdfs: the PDFs `handouts generate` writes, in memory."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
import yaml
from click.testing import CliRunner

import handouts
from handouts.cli import app
from handouts.errors import InputError
from tests.conftest import EXAMPLES, write_extra_exercises
from tests.pdfread import page_text

TODAY = dt.date(2026, 11, 21)


def test_make_pdfs_gives_the_bytes_generate_writes(tmp_path):
    pdfs = handouts.make_pdfs(EXAMPLES / "patient.yaml", today=TODAY)
    assert set(pdfs) == {"handout", "checklist"}
    result = CliRunner().invoke(
        app,
        ["generate", str(EXAMPLES / "patient.yaml"), "-o", str(tmp_path), "--today", "2026-11-21"],
    )
    assert result.exit_code == 0, result.stderr
    handout, checklist = (tmp_path / line.split("/")[-1] for line in result.stdout.split())
    assert pdfs == {"handout": handout.read_bytes(), "checklist": checklist.read_bytes()}


def test_make_pdfs_from_mappings(tmp_path):
    patient = {"name": "Zoë İnce", "foot": "both", "language": "en", "start": "2026-12-07"}
    practice = {"name": "Fysio Teal", "phone": "012 34 56", "accent_colour": "#00695c"}
    pdfs = handouts.make_pdfs(patient, practice, today=TODAY)
    first = page_text(pdfs["handout"])[0]
    assert "Zoë İnce" in first and "Fysio Teal" in first and "012 34 56" in first
    assert "Week 1 of 12" in page_text(pdfs["checklist"])[0]
    # the same from files
    (tmp_path / "patient.yaml").write_text(yaml.safe_dump(patient, allow_unicode=True), "utf-8")
    (tmp_path / "practice.yaml").write_text(yaml.safe_dump(practice), "utf-8")
    from_files = handouts.make_pdfs(
        tmp_path / "patient.yaml", str(tmp_path / "practice.yaml"), today=TODAY
    )
    assert from_files == pdfs


def test_make_pdfs_in_threads_gives_the_same_bytes():
    patients = [
        {"name": f"Patiënt {n}", "foot": foot, "language": language, "start": "2026-12-07"}
        for n, (foot, language) in enumerate(
            [("left", "nl"), ("right", "en"), ("both", "nl-BE"), ("left", "en")]
        )
    ]
    one_by_one = [handouts.make_pdfs(p, today=TODAY) for p in patients]
    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(lambda p: handouts.make_pdfs(p, today=TODAY), patients)) == one_by_one


def test_bad_input_is_an_input_error_naming_the_field():
    with pytest.raises(InputError, match="foot"):
        handouts.make_pdfs({"name": "Anne", "foot": "middle"}, today=TODAY)
    with pytest.raises(InputError, match="logo"):
        handouts.make_pdfs({"name": "Anne", "foot": "left"}, {"logo": "missing.png"})


def test_importing_handouts_imports_no_pdf_machinery():
    heavy = "('reportlab', 'msgspec', 'jinja2', 'click')"
    code = f"import sys, handouts; print([m for m in sys.modules if m.split('.')[0] in {heavy}])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_too_many_exercises_for_a_checklist_page_is_bad_input(tmp_path, library):
    """Exit 2 with the patient file and the fix, not an internal or output error; nothing
    is written."""
    extra = write_extra_exercises(tmp_path / "eigen", library, 16)
    patient = tmp_path / "patient.yaml"
    fields = {"name": "Anne", "foot": "both", "sessions_per_day": 3}  # large print: more pages
    patient.write_text(yaml.safe_dump({**fields, "include": extra}), "utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["generate", str(patient), "--library", str(tmp_path / "eigen"), "-o", str(out)]
    )
    assert result.exit_code == 2, result.stderr
    assert f"{patient}: exclude: week 1 has" in result.stderr
    assert "too many for one checklist page" in result.stderr and "internal" not in result.stderr
    assert not out.exists() or not any(out.iterdir())


def test_a_broken_logo_is_bad_input(tmp_path):
    (tmp_path / "logo.png").write_bytes(b"not a png at all")
    with pytest.raises(
        InputError,
        match=r"logo: logo.png cannot be read as an image \(cannot identify image file\); save",
    ):
        handouts.make_pdfs(
            {"name": "Anne", "foot": "left"}, {"logo": str(tmp_path / "logo.png")}, today=TODAY
        )


def test_a_picture_that_does_not_parse_is_bad_input(tmp_path):
    """A practice's own picture that is not SVG: exit 2 naming the file, nothing written."""
    (tmp_path / "eigen" / "exercises").mkdir(parents=True)
    (tmp_path / "eigen" / "exercises" / "plantar-fascia-stretch-seated.svg").write_text("<svg")
    out = tmp_path / "out"
    command = ["generate", "--name", "Anne", "--foot", "left", "-o", str(out)]
    result = CliRunner().invoke(app, [*command, "--library", str(tmp_path / "eigen")])
    assert result.exit_code == 2, result.stderr
    assert "plantar-fascia-stretch-seated.svg: cannot be read as SVG" in result.stderr
    assert "internal" not in result.stderr
    assert not out.exists() or not any(out.iterdir())
