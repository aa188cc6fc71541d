"""The command line, as a therapist uses it: files, options, exit codes, no output on error."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from handouts.cli import app
from tests.conftest import EXAMPLES, pdf_pages

TODAY = ["--today", "2026-11-21"]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_demo_writes_both_pdfs_and_says_where(tmp_path):
    code, out, _ = run("demo", "-o", str(tmp_path))
    assert code == 0
    paths = [Path(line) for line in out.splitlines()]
    assert [p.name for p in paths] == [
        "anne-peeters_oefenschema.pdf",
        "anne-peeters_afvinklijst.pdf",
    ]
    assert all(p.read_bytes().startswith(b"%PDF") for p in paths)
    assert "Fysiotherapie De Hiel" in pdf_pages(paths[0].read_bytes())[0]


def test_generate_from_options_only(tmp_path):
    code, _, err = run(
        "generate",
        "--name",
        "Anne Peeters",
        "--foot",
        "left",
        "--start",
        "2026-12-07",
        "--lang",
        "nl",
        "-o",
        str(tmp_path),
        *TODAY,
    )
    assert code == 0, err
    handout = tmp_path / "anne-peeters_oefenschema.pdf"
    first = pdf_pages(handout.read_bytes())[0]
    assert "linkervoet" in first and "Je fysiotherapeut" in first


def test_generate_from_file_with_option_override_and_only(tmp_path):
    code, _, err = run(
        "generate",
        str(EXAMPLES / "patient.yaml"),
        "--lang",
        "en",
        "--foot",
        "right",
        "--only",
        "checklist",
        "-o",
        str(tmp_path),
        *TODAY,
    )
    assert code == 0, err
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["anne-peeters_checklist.pdf"]
    page = pdf_pages((tmp_path / files[0]).read_bytes())[0]
    assert "Painful foot: right foot" in page


def test_same_command_gives_identical_files(tmp_path):
    args = ["generate", str(EXAMPLES / "patient.yaml"), *TODAY]
    run(*args, "-o", str(tmp_path / "a"))
    run(*args, "-o", str(tmp_path / "b"))
    for name in ("anne-peeters_oefenschema.pdf", "anne-peeters_afvinklijst.pdf"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_bad_input_is_one_line_exit_2_and_no_file(tmp_path):
    patient = tmp_path / "p.yaml"
    patient.write_text("name: Jan\nfoot: middle\n", encoding="utf-8")
    out_dir = tmp_path / "out"
    code, out, err = run("generate", str(patient), "-o", str(out_dir))
    assert code == 2
    assert err.strip().count("\n") == 0 and f"{patient}: foot:" in err
    assert "Traceback" not in err + out
    assert not out_dir.exists() or not any(out_dir.iterdir())


def test_unknown_programme_and_missing_name(tmp_path):
    code, _, err = run(
        "generate", "--name", "Jan", "--foot", "left", "--programme", "nope", "-o", str(tmp_path)
    )
    assert code == 2 and "unknown programme 'nope'" in err
    code, _, err = run("generate", "--foot", "left", "-o", str(tmp_path))
    assert code == 2 and "--name" in err
    assert not any(tmp_path.iterdir())


def test_usage_errors_are_one_error_line_and_a_hint_exit_2():
    for args in (["generate", "--lang", "fr"], ["generaet"], ["generate", "--weeks", "six"]):
        code, out, err = run(*args)
        lines = err.splitlines()
        assert code == 2 and out == "" and len(lines) == 2, err
        assert lines[0].startswith("error: ") and lines[1].startswith("hint: ")
    assert "'fr' is not one of nl, nl-BE, en" in run("generate", "--lang", "fr")[2]
    # an option left without its value: the hint still names the command it belongs to
    code, _, err = run("generate", "patient.yaml", "--foot")
    assert code == 2 and err.splitlines() == [
        "error: Option '--foot' requires an argument.",
        "hint: `handouts generate --help` lists the options",
    ]


def test_unwritable_output_is_exit_1(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = run("generate", "--name", "Jan", "--foot", "left", "-o", str(blocker / "sub"))
    assert code == 1 and "cannot write" in err


def test_writing_works_without_posix_file_modes_as_on_windows(tmp_path, monkeypatch):
    """Python 3.11 on Windows has no os.fchmod: the handout is written all the same."""
    import os

    monkeypatch.delattr(os, "fchmod")
    code, out, err = run("generate", "--name", "Jan", "--foot", "left", "-o", str(tmp_path))
    assert code == 0, err
    assert all(Path(line).read_bytes().startswith(b"%PDF") for line in out.splitlines())


def test_a_pdf_held_open_by_a_viewer_is_named_with_the_fix(tmp_path, monkeypatch):
    """Windows refuses to replace a PDF that a viewer has open (PermissionError): the
    message says to close it, and the file that was there is left whole."""
    import handouts.deliver

    assert run("generate", "--name", "Jan", "--foot", "left", "-o", str(tmp_path))[0] == 0
    handout = tmp_path / "jan_oefenschema.pdf"
    before = handout.read_bytes()

    def held_open(source: str, target: str) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(handouts.deliver.os, "replace", held_open)
    code, _, err = run("generate", "--name", "Jan", "--foot", "left", "-o", str(tmp_path))
    assert code == 1 and err.startswith(
        f"error: {handout}: cannot write (Permission denied); close it if a PDF viewer has it open"
    )
    assert handout.read_bytes() == before and not list(tmp_path.glob(".*.part"))


def test_exercises_and_programmes_listings():
    code, out, _ = run("exercises", "--lang", "en")
    assert code == 0 and "heel-raise-towel-step" in out and "every other day" in out
    code, out, _ = run("programmes")
    assert code == 0 and "combined" in out and "weeks  1–2" in out


def test_validate_reports_every_problem_at_once(tmp_path):
    code, out, _ = run("validate", str(EXAMPLES / "patient.yaml"), str(EXAMPLES / "practice.yaml"))
    assert code == 0 and "no problems" in out
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "name: Jan\nfoot: middle\nreps: -1\nstart: 31-02-2026\nprogramme: x\n", encoding="utf-8"
    )
    code, _, err = run("validate", str(bad))
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 3
    assert any("foot" in x for x in lines) and any("reps" in x for x in lines)
    assert any("start" in x for x in lines)


def test_readme_exercise_table_matches_the_library():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    code, out, _ = run("exercises", "--lang", "en", "--markdown")
    assert code == 0
    assert out.strip() in readme, "paste `handouts exercises --lang en --markdown` into README"


def test_no_education_option(tmp_path):
    args = ["generate", "--name", "Jan", "--foot", "left", "--start", "2026-12-07", *TODAY]
    run(*args, "-o", str(tmp_path / "with"))
    run(*args, "--no-education", "-o", str(tmp_path / "without"))
    with_text = " ".join(pdf_pages((tmp_path / "with" / "jan_oefenschema.pdf").read_bytes()))
    without = " ".join(pdf_pages((tmp_path / "without" / "jan_oefenschema.pdf").read_bytes()))
    assert "Goed om te weten" in with_text and "Goed om te weten" not in without


def test_education_as_a_separate_booklet(tmp_path):
    args = ["generate", "--name", "Jan", "--foot", "left", "--start", "2026-12-07", *TODAY]
    assert run(*args, "--education", "separate", "-o", str(tmp_path / "sep"))[0] == 0
    assert run(*args, "--education", "-o", str(tmp_path / "on"))[0] == 0
    folder = tmp_path / "sep"
    assert sorted(p.name for p in folder.iterdir()) == [
        "jan_afvinklijst.pdf",
        "jan_goed-om-te-weten.pdf",
        "jan_oefenschema.pdf",
    ]
    handout = " ".join(pdf_pages((folder / "jan_oefenschema.pdf").read_bytes()))
    booklet = " ".join(pdf_pages((folder / "jan_goed-om-te-weten.pdf").read_bytes()))
    whole = " ".join(pdf_pages((tmp_path / "on" / "jan_oefenschema.pdf").read_bytes()))
    assert "Wat is hielspoor?" in booklet and "Wat is hielspoor?" in whole
    assert "Wat is hielspoor?" not in handout and "Zo doe je het" in handout
    assert "Zo doe je het" not in booklet and "Jan" in booklet  # the footer names the patient
    assert run(*args, "--education", "maybe", "-o", str(tmp_path / "x"))[0] == 2


def test_one_pdf_holds_handout_booklet_and_checklists_with_honest_metadata(tmp_path):
    from pypdf import PdfReader

    args = ["generate", "--name", "Jan", "--foot", "left", "--start", "2026-12-07", *TODAY]
    assert run(*args, "--education", "separate", "-o", str(tmp_path / "parts"))[0] == 0
    for n in (1, 2):
        assert (
            run(*args, "--education", "separate", "--one-pdf", "-o", str(tmp_path / f"p{n}"))[0]
            == 0
        )
    assert [p.name for p in (tmp_path / "p1").iterdir()] == ["jan_oefenmap.pdf"]
    pack = (tmp_path / "p1" / "jan_oefenmap.pdf").read_bytes()
    assert pack == (tmp_path / "p2" / "jan_oefenmap.pdf").read_bytes()  # byte-stable
    parts = ["jan_oefenschema.pdf", "jan_goed-om-te-weten.pdf", "jan_afvinklijst.pdf"]
    expected = [t for name in parts for t in pdf_pages((tmp_path / "parts" / name).read_bytes())]
    assert pdf_pages(pack) == expected
    reader = PdfReader(tmp_path / "p1" / "jan_oefenmap.pdf")
    assert reader.trailer["/Root"]["/Lang"] == "nl-NL"
    meta = reader.metadata
    assert meta is not None and meta["/CreationDate"].startswith("D:20261121")
    assert "Jan" not in str(dict(meta))
    for name in parts:  # each PDF alone: its language and the plan's day, no patient
        part = PdfReader(tmp_path / "parts" / name)
        assert part.trailer["/Root"]["/Lang"] == "nl-NL"
        assert part.metadata is not None and part.metadata["/CreationDate"].startswith("D:20261121")
        assert "Jan" not in str(dict(part.metadata))


def test_checklist_weeks_prints_only_those_weeks(tmp_path):
    args = ["generate", "--name", "Jan", "--foot", "left", "--start", "2026-12-07", *TODAY]
    assert run(*args, "-o", str(tmp_path / "all"))[0] == 0
    assert run(*args, "--checklist-weeks", "5-8", "-o", str(tmp_path / "some"))[0] == 0
    every = pdf_pages((tmp_path / "all" / "jan_afvinklijst.pdf").read_bytes())
    some = pdf_pages((tmp_path / "some" / "jan_afvinklijst.pdf").read_bytes())
    assert some == every[4:8] and "Week 5 van 12" in some[0]
    for bad in ("9-13", "4-2", "week"):
        code, _, err = run(*args, "--checklist-weeks", bad, "-o", str(tmp_path / "bad"))
        assert code == 2 and "checklist-weeks" in err
    assert not (tmp_path / "bad").exists() or not any((tmp_path / "bad").iterdir())


def test_generate_py_is_the_same_command(tmp_path):
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, str(root / "generate.py"), "demo", "-o", str(tmp_path)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "anne-peeters_oefenschema.pdf").exists()


def test_help_says_what_each_option_wants_and_shows_defaults_one_way():
    code, out, _ = run("generate", "--help")
    assert code == 0
    shown_as = ["--foot [left|right|both]", "--start DATE", "--lang [nl|nl-BE|en]"]
    shown_as += ["--paper [a4|letter]", "-o, --out FOLDER", "--practice FILE", "--id ID"]
    for shown in shown_as:
        assert shown in out, shown
    assert "(default: out)" in out and "[default:" not in out


def test_copying_the_example_patient_file_alone_names_the_field_and_the_fix(tmp_path):
    copy = tmp_path / "patient.yaml"
    copy.write_bytes((EXAMPLES / "patient.yaml").read_bytes())
    code, out, err = run("generate", str(copy), "-o", str(tmp_path / "out"))
    assert code == 2 and out == ""
    assert err.startswith(f"error: {copy}: practice: the practice file ")
    assert "--practice" in err and "remove the line" in err
    code, _, err = run("generate", str(copy), "--practice", str(tmp_path / "weg.yaml"))
    assert code == 2 and "--practice: " in err and "weg.yaml: file not found" in err


def test_making_a_patient_again_says_the_files_were_replaced(tmp_path):
    args = ["generate", "--name", "Jan", "--foot", "left", "--start", "2026-11-23", *TODAY]
    code, _, err = run(*args, "-o", str(tmp_path))
    assert code == 0 and err == ""
    code, out, err = run(*args, "-o", str(tmp_path))
    assert code == 0 and len(out.splitlines()) == 2
    assert err.count("note: ") == 2 and "jan_oefenschema.pdf was there already" in err


def test_generate_id_goes_into_the_file_names_as_in_batch(tmp_path):
    code, out, err = run(
        "generate", "--name", "Jan Yılmaz", "--foot", "l", "--id", "0042", "-o", str(tmp_path)
    )
    assert code == 0, err
    assert [Path(p).name for p in out.splitlines()] == [
        "jan-yilmaz-0042_oefenschema.pdf",
        "jan-yilmaz-0042_afvinklijst.pdf",
    ]
    patient = tmp_path / "p.yaml"
    patient.write_text("naam: Øster\nvoet: links\nnummer: 7\n", encoding="utf-8")
    code, out, _ = run("generate", str(patient), "-o", str(tmp_path), "--only", "handout")
    assert Path(out.strip()).name == "oster-7_oefenschema.pdf"


@pytest.mark.parametrize(
    ("name", "stem"),
    [("Yılmaz", "yilmaz"), ("Øster", "oster"), ("Straße", "strasse"), ("Zoë Maës", "zoe-maes"),
     ("Łukasz Żółć", "lukasz-zolc"), ("../../etc", "etc"), ("Иван", "patient")],
)  # fmt: skip
def test_a_file_name_keeps_its_letters(name, stem):
    from handouts.deliver import slug

    assert slug(name) == stem


def test_quiet_prints_errors_only(tmp_path):
    code, out, err = run("-q", "generate", "--name", "Jan", "--foot", "left", "-o", str(tmp_path))
    assert code == 0 and out == "" and err == ""
    code, out, err = run("-q", "generate", "--name", "Jan", "--foot", "midden")
    assert code == 2 and out == "" and "error: " in err


def test_exercises_and_programmes_as_json():
    import json

    code, out, _ = run("exercises", "--json", "--lang", "EN")
    listed = json.loads(out)
    assert code == 0 and {"id", "name", "category", "dosage", "evidence"} == set(listed[0])
    assert any(e["id"] == "heel-raise-towel-step" for e in listed)
    code, out, _ = run("programmes", "--json")
    programmes = {p["id"]: p for p in json.loads(out)}
    assert code == 0 and programmes["combined"]["phases"][0]["weeks"][0] == 1


def test_a_closed_pipe_ends_quietly():
    """`handouts exercises | head -1`: the reader left before the listing was written."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    process = subprocess.Popen(
        [sys.executable, "-m", "handouts", "exercises"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=root,
    )  # fmt: skip
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # nobody reads: the first line written meets a closed pipe
    err = process.stderr.read().decode()
    assert process.wait() == 0 and err == ""


@pytest.mark.parametrize(
    ("name", "expected"),
    [("patient.yaml", "name: "), ("practice.yaml", "therapist: "), ("roster.csv", "Voornaam;")],
)
def test_new_writes_a_starter_that_validates_and_never_overwrites(tmp_path, name, expected):
    path = tmp_path / name
    code, out, err = run("new", str(path))
    assert code == 0 and out.strip() == str(path) and err.startswith("note: ")
    assert expected in path.read_text(encoding="utf-8-sig")
    code, _, err = run("validate", str(path))
    # only the starter's examples (a name to fill in) stand between it and a clean check
    problems = [line for line in err.splitlines() if line.startswith("error: ")]
    assert code == 2 and problems, err
    assert all("is the starter's example" in line for line in problems), err
    before = path.read_bytes()
    code, _, err = run("new", str(path))
    assert code == 2 and "already exists" in err and path.read_bytes() == before


def test_new_roster_xlsx_is_a_workbook_that_batch_makes_once_filled_in(tmp_path):
    """Its example rows are refused (no handouts for example patients); the sheet with
    the front desk's own patients in it is made."""
    from openpyxl import load_workbook

    path, out = tmp_path / "week.xlsx", tmp_path / "out"
    assert run("new", str(path))[0] == 0
    code, stdout, err = run("batch", str(path), "-o", str(out), "-j", "1", *TODAY)
    assert code == 1 and stdout.startswith("3 rows: 0 made, 0 up to date, 3 failed")
    assert "row 2: is the starter's example (Anne Peeters); replace it with a patient" in err
    assert not list(out.glob("*.pdf"))
    book = load_workbook(path)
    book.active["A2"], book.active["B2"], book.active["C2"] = "1001", "Els", "Mol"
    book.save(path)
    code, stdout, err = run("batch", str(path), "-o", str(out), "-j", "1", *TODAY)
    assert code == 1 and stdout.startswith("3 rows: 1 made, 0 up to date, 2 failed")
    assert (out / "els-mol-1001_oefenschema.pdf").exists()


def test_the_starter_patient_file_makes_a_handout_once_the_name_is_filled_in(tmp_path):
    path = tmp_path / "patient.yaml"
    run("new", str(path))
    out_dir = tmp_path / "out"
    code, out, err = run("generate", str(path), "-o", str(out_dir), *TODAY)
    assert code == 2 and not out_dir.exists()
    assert err == (
        f"error: {path}: name: 'Voornaam Achternaam' is the starter's example; write the "
        "patient's name\n"
    )
    path.write_text(path.read_text().replace("Voornaam Achternaam", "Els Mol"), encoding="utf-8")
    code, out, err = run("generate", str(path), "-o", str(out_dir), *TODAY)
    assert code == 0, err
    assert len(out.splitlines()) == 2


def test_shell_completion_offers_commands_and_choices():
    env = {"_HANDOUTS_COMPLETE": "bash_complete", "COMP_WORDS": "handouts generate --foot ",
           "COMP_CWORD": "3"}  # fmt: skip
    result = CliRunner().invoke(app, [], prog_name="handouts", env=env)
    assert result.exit_code == 0 and result.stdout.split() == ["plain,left", "plain,right",
                                                               "plain,both"]  # fmt: skip


def test_a_roster_given_to_generate_points_to_batch(tmp_path):
    roster = tmp_path / "week.csv"
    roster.write_text("naam;voet\nJan;links\n", encoding="utf-8")
    code, _, err = run("generate", str(roster))
    assert code == 2 and f"use `handouts batch {roster}`" in err


def test_handouts_alone_shows_the_help_and_version_works_uninstalled():
    result = CliRunner().invoke(app, [])
    assert "Usage: " in result.output and "generate" in result.output
    assert "error:" not in result.output
    code, out, _ = run("--version")
    assert code == 0 and out.startswith("handouts, version ")


def test_every_command_and_option_says_what_it_is_for():
    import click

    for name, command in app.commands.items():
        assert command.help, name
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden:
                assert param.help, f"{name} {param.opts}"


def test_new_takes_the_kind_in_dutch_too(tmp_path):
    code, _, err = run("new", str(tmp_path / "oost.yaml"), "--kind", "Praktijk")
    assert code == 0, err
    assert "therapist:" in (tmp_path / "oost.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", [["scan"], ["email", "check"], ["batch"], ["validate"]])
def test_every_command_shows_defaults_one_way(command):
    code, out, _ = run(*command, "--help")
    assert code == 0 and "[default:" not in out


def test_include_and_exclude_take_several_ids_as_a_roster_cell_does(tmp_path):
    """`--include short-foot,toe-yoga` is how a therapist types a list (and how a roster cell
    holds one); it is the same as repeating the option."""
    code, _, err = run(
        "generate",
        str(EXAMPLES / "patient.yaml"),
        "--include",
        "short-foot, toe-yoga",
        "--include",
        "towel-curl",
        "--only",
        "checklist",
        "-o",
        str(tmp_path),
        *TODAY,
    )
    assert code == 0, err
    [checklist] = tmp_path.glob("*.pdf")
    week = " ".join(pdf_pages(checklist.read_bytes())[0].split())
    for name in ("Korte voet", "Tenenyoga", "Handdoek krullen"):
        assert name in week
    code, _, err = run("generate", str(EXAMPLES / "patient.yaml"), "--include", "toe-yoga,nope")
    assert code == 2 and "include: unknown exercise 'nope'" in err
