"""Start dates as a therapist types them, through the commands: a weekday is checked, a start
far from today is made with a warning that says what it does and how to fix it (generate,
validate and batch alike), and a plan without a start says which Monday it took."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from handouts.cli import app
from tests.conftest import pdf_pages


def run(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def lines(err: str, kind: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith(f"{kind}: ")]


def patient(tmp_path: Path, start: str | None, *extra: str) -> Path:
    path = tmp_path / "patient.yaml"
    body = ["naam: Jan", "voet: links", *([f"startdatum: {start}"] if start else []), *extra]
    path.write_text("\n".join(body) + "\n", encoding="utf-8")
    return path


def roster(tmp_path: Path, *starts: str) -> Path:
    """A sheet headed as practice software heads it; one row per start, from row 2."""
    path = tmp_path / "roster.csv"
    rows = [f"P{n};Patiënt {n};links;{start}" for n, start in enumerate(starts, start=1)]
    path.write_text("\n".join(["Nummer;Naam;Voet;Start behandeling", *rows]) + "\n", "utf-8")
    return path


# --- a start far from today: made, with a warning -------------------------------------------

FAR = [  # today, as typed, what the warning says after "startdatum: "
    ("2027-01-10", "4-1-2026",  # January 2027, last year's number out of habit
     "2026-01-04 is 371 days ago, so every week of this 12-week programme is over; "
     "check the year (2027-01-04?)"),
    ("2026-12-03", "7-12-2025",
     "2025-12-07 is 361 days ago, so every week of this 12-week programme is over; "
     "check the year (2026-12-07?)"),
    ("2026-12-03", "12/07/2026",  # 7 December in the American order: read as 12 July
     "2026-07-12 is 144 days ago, so every week of this 12-week programme is over; "
     "check the day and month (2026-12-07?)"),
    ("2026-12-03", "2026-11-04",  # 29 days back: a month of checklists for days gone by
     "2026-11-04 is 29 days ago, so weeks 1–4 of this 12-week programme are over; "
     "check the date (a reprint for week 5 on: checklist weeks 5-12)"),
    ("2026-12-03", "08-12-2027",
     "2027-12-08 is 370 days ahead, so the programme starts in 52 weeks; "
     "check the year (2026-12-08?)"),
    ("2026-12-03", "2027-03-08",
     "2027-03-08 is 95 days ahead, so the programme starts in 13 weeks; check the date"),
]  # fmt: skip


@pytest.mark.parametrize(("today", "typed", "message"), FAR, ids=[f[1] for f in FAR])
def test_a_start_far_from_today_is_made_with_a_warning_in_every_command(
    tmp_path, today, typed, message
):
    path = patient(tmp_path, typed)
    code, out, err = run("generate", path, "-o", tmp_path / "out", "--today", today)
    assert code == 0, err
    assert lines(err, "warning") == [f"warning: {path}: startdatum: {message}"]
    assert len(out.splitlines()) == 2 and all(Path(p).exists() for p in out.splitlines())

    code, _, err = run("validate", path, "--today", today)
    assert code == 0 and lines(err, "warning") == [f"warning: {path}: startdatum: {message}"]

    sheet = roster(tmp_path, "07-12-2026", typed)
    code, _, err = run("batch", sheet, "-o", tmp_path / "b", "--today", today, "--only", "handout")
    assert code == 0, err
    assert f"warning: {sheet} row 3: Start behandeling: {message}" in lines(err, "warning")
    assert len(list((tmp_path / "b").glob("*.pdf"))) == 2


@pytest.mark.parametrize(
    "typed",
    [
        "2026-11-05",  # 4 weeks in: a reprint at a follow-up visit
        "2026-12-03",
        "2027-03-04",  # 13 weeks ahead
    ],
)
def test_a_start_a_practice_makes_gives_no_warning(tmp_path, typed):
    path = patient(tmp_path, typed)
    args = ("-o", tmp_path, "--today", "2026-12-03", "--only", "handout")
    code, _, err = run("generate", path, *args)
    assert code == 0 and err == ""
    sheet = roster(tmp_path, typed)
    code, _, err = run("batch", sheet, "-o", tmp_path / "b", "--today", "2026-12-03", "--check")
    assert code == 0 and lines(err, "warning") == []


def test_a_reprint_of_the_weeks_to_come_is_no_typo(tmp_path):
    """Week 8 of 12 (52 days in): weeks 8-12 only is a reprint; the whole set warns."""
    today = ("--today", "2026-12-03")
    path = patient(tmp_path, "12-10-2026")
    code, _, err = run("generate", path, "-o", tmp_path / "a", *today, "--checklist-weeks", "8-12")
    assert code == 0 and err == ""
    code, _, err = run("generate", path, "-o", tmp_path / "b", *today)
    assert code == 0 and "weeks 1–7 of this 12-week programme are over" in err
    own = patient(tmp_path, "12-10-2026", "afvinkweken: 8-12")
    code, _, err = run("validate", own, *today)
    assert code == 0 and lines(err, "warning") == []
    sheet = roster(tmp_path, "12-10-2026")
    args = ("batch", sheet, "-o", tmp_path / "c", *today, "--only", "checklist")
    code, _, err = run(*args, "--checklist-weeks", "8-12")
    assert code == 0 and lines(err, "warning") == []
    code, _, err = run("batch", sheet, "--check", *today, "--checklist-weeks", "8-12")
    assert code == 0 and lines(err, "warning") == []  # --check agrees with the batch
    code, _, err = run("batch", sheet, "--check", *today)
    assert code == 0 and "weeks 1–7 of this 12-week programme are over" in err


# --- a weekday before the date is checked ---------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("dinsdag 7 december 2026", "7 december 2026 is a maandag, not a dinsdag; check the date"),
        ("di 7-12-2026", "7-12-2026 is a maandag, not a dinsdag; check the date"),
        ("Tues, December 7, 2026", "December 7, 2026 is a Monday, not a Tuesday; check the date"),
        ("zo. 2026-12-07", "2026-12-07 is a maandag, not a zondag; check the date"),
        ("vanaf 7-12-2026", "'vanaf' before the date is not a weekday; write the date alone "
                            "(7-12-2026) or with its weekday (maandag 7-12-2026)"),
    ],
)  # fmt: skip
def test_a_weekday_that_does_not_match_the_date_is_an_error(tmp_path, typed, message):
    path = patient(tmp_path, typed)
    code, out, err = run("generate", path, "-o", tmp_path / "out", "--today", "2026-12-03")
    assert (code, out) == (2, "") and not (tmp_path / "out").exists()
    assert lines(err, "error") == [f"error: {path}: startdatum: {message}"]
    code, _, err = run("validate", path)
    assert code == 2 and f"error: {path}: startdatum: {message}" in lines(err, "error")
    sheet = roster(tmp_path, "7-12-2026", typed)
    code, _, err = run("batch", sheet, "-o", tmp_path / "b", "--today", "2026-12-03")
    assert code == 1  # the other row is made
    assert f"error: {sheet} row 3: Start behandeling: {message}" in lines(err, "error")
    assert len(list((tmp_path / "b").glob("*.pdf"))) == 2


def test_a_weekday_before_a_numeric_date_is_read(tmp_path):
    path = patient(tmp_path, "maandag 7-12-2026")
    out = tmp_path / "out"
    code, _, err = run("generate", path, "-o", out, "--today", "2026-12-03", "--only", "checklist")
    assert code == 0 and err == ""
    sheet = roster(tmp_path, "ma 07/12/2026", "Mon 2026-12-07")
    code, _, err = run("batch", sheet, "-o", tmp_path / "b", "--today", "2026-12-03")
    assert code == 0 and err.count("error") == 0
    [checklist] = out.glob("*.pdf")
    first = pdf_pages(checklist.read_bytes())[0].lower()
    assert "maandag 7 december" in first and "zondag 13 december" in first


# --- no start: the coming Monday, said once --------------------------------------------------


def test_generate_says_which_monday_a_plan_without_a_start_takes(tmp_path):
    path = patient(tmp_path, None)
    args = ("-o", tmp_path / "out", "--today", "2026-12-03", "--only", "handout")
    code, _, err = run("generate", path, *args)
    assert code == 0 and lines(err, "note") == [
        f"note: {path}: no startdatum; the plan starts on the coming Monday, "
        "maandag 7 december 2026"
    ]
    code, _, err = run("--quiet", "generate", path, *args)  # replaced: a note too
    assert code == 0 and err == ""
    english = tmp_path / "english.yaml"
    english.write_text("name: Sam\nfoot: right\nlanguage: en\n", encoding="utf-8")
    code, _, err = run("generate", english, *args)
    assert lines(err, "note") == [
        f"note: {english}: no start; the plan starts on the coming Monday, Monday 7 December 2026"
    ]
    code, _, err = run("generate", "--name", "Sam", "--foot", "right", *args)
    assert "note: no --start; the plan starts on the coming Monday, maandag 7 december" in err


def test_a_batch_without_start_dates_says_nothing_per_row(tmp_path):
    sheet = roster(tmp_path, "", "")
    code, _, err = run("batch", sheet, "-o", tmp_path / "b", "--today", "2026-12-03")
    assert code == 0 and "startdatum" not in err and "Monday" not in err
