"""Honest metadata on every PDF the tool writes, read back with pypdf: a title, the practice
as author, a language tag, the plan's day as creation date (not 2000-01-01, not the wall
clock) and nothing about the patient (name, number, birth or start date) beyond the page."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from handouts.cli import app
from handouts.models import Patient, Practice
from handouts.pdf.checklist import ScanSetup, scan_records
from handouts.pdf.scanreport import build_report
from handouts.plan import resolve
from handouts.scan.results import Pack, PageResult
from handouts.text import strings
from tests.conftest import START, TODAY

PRACTICE = "Fysiotherapie De Hiel"
PATIENT = "Zoë Vermeulen-Bakker"
DAY = "D:20261121"  # the plan's "today" (--today)


def _practice(tmp_path: Path) -> Path:
    path = tmp_path / "practice.yaml"
    path.write_text(f"name: {PRACTICE}\nphone: 012 345 67 89\n", encoding="utf-8")
    return path


def check(data: bytes, lang: str, title: str, day: str = DAY, author: str = PRACTICE) -> None:
    reader = PdfReader(io.BytesIO(data))
    meta = reader.metadata
    assert meta is not None
    assert meta["/Title"] == title and meta["/Author"] == author
    assert reader.trailer["/Root"]["/Lang"] == lang
    assert meta["/CreationDate"].startswith(day) and meta["/ModDate"].startswith(day)
    everything = " ".join(str(v) for v in meta.values())
    for part in ("Zoë", "Vermeulen", "Bakker", "0042", "2026-12-07", "20261207"):
        assert part not in everything
    xmp = reader.trailer["/Root"].get("/Metadata")  # reportlab and join write none
    assert xmp is None or b"Vermeulen" not in xmp.get_object().get_data()


def generate(tmp_path: Path, folder: str, *args: str) -> dict[str, bytes]:
    out = tmp_path / folder
    result = CliRunner().invoke(
        app,
        [
            *("generate", "--name", PATIENT, "--foot", "left", "--start", "2026-12-07"),
            *("--id", "0042", "--practice", str(_practice(tmp_path)), "--today", "2026-11-21"),
            *("-o", str(out), *args),
        ],
    )
    assert result.exit_code == 0, result.stderr
    return {p.name.split("_")[-1]: p.read_bytes() for p in out.iterdir()}


@pytest.mark.parametrize(
    ("language", "lang", "title", "checklist", "booklet"),
    [
        ("nl", "nl-NL", "Oefenschema bij hielpijn", "Afvinklijst", "Goed om te weten"),
        ("nl-BE", "nl-BE", "Oefenschema bij hielpijn", "Afvinklijst", "Goed om te weten"),
        ("en", "en", "Exercise plan for heel pain", "Checklist", "Good to know"),
    ],
)
def test_handout_checklist_booklet_pack_and_some_weeks(
    tmp_path, language, lang, title, checklist, booklet
):
    files = generate(tmp_path, "parts", "--lang", language, "--education", "separate")
    names = strings(language)["output_names"]
    check(files[f"{names['handout']}.pdf"], lang, title)
    check(files[f"{names['checklist']}.pdf"], lang, f"{checklist} – {title}")
    check(files[f"{names['education']}.pdf"], lang, booklet)
    (pack,) = generate(tmp_path, "pack", "--lang", language, "--one-pdf").values()
    check(pack, lang, title)
    (weeks,) = generate(tmp_path, "weeks", "--lang", language, "--only", "checklist",
                        "--checklist-weeks", "2-3").values()  # fmt: skip
    check(weeks, lang, f"{checklist} – {title}")
    assert len(PdfReader(io.BytesIO(weeks)).pages) == 2


def test_without_a_practice_the_author_is_empty_not_the_patient(tmp_path):
    out = tmp_path / "out"
    args = ["generate", "--name", PATIENT, "--foot", "left", "--today", "2026-11-21"]
    assert CliRunner().invoke(app, [*args, "-o", str(out)]).exit_code == 0
    for path in out.iterdir():
        meta = PdfReader(path).metadata
        assert meta is not None and meta["/Author"] == ""
        assert meta["/CreationDate"].startswith(DAY)


def test_the_print_file(tmp_path):
    roster = tmp_path / "roster.csv"
    _practice(tmp_path)
    roster.write_text(
        "naam;voet;taal;nummer;praktijk\n"
        "Zoë Vermeulen-Bakker;links;nl-BE;0042;practice.yaml\n"
        "Jan Peeters;beide;nl-BE;7;practice.yaml\n"
        "Ann Smith;rechts;en;8;practice.yaml\n",
        encoding="utf-8",
    )
    printed = tmp_path / "print.pdf"
    args = ["batch", str(roster), "-o", str(tmp_path / "out"), "--today", "2026-11-21"]
    result = CliRunner().invoke(app, [*args, "-j", "1", "--print-file", str(printed)])
    assert result.exit_code == 0, result.stderr
    check(printed.read_bytes(), "nl-BE", "Oefenschema bij hielpijn")  # most rows: nl-BE


def test_the_scan_report(library):
    """Its author is the practice that made the checklists; its day the last one read."""
    patient = Patient(name=PATIENT, foot="left", language="en", start=START)
    plan = resolve(patient, library, Practice(name=PRACTICE), today=TODAY)
    records = scan_records(plan, ScanSetup(b"k" * 32, "zoe-0042"))[:2]  # weeks 1 and 2
    pack = Pack("zoe-0042", PATIENT, "en", dict(records[0].exercise_names), 2, 5)
    for record in records:
        states = ["empty"] * len(record.geometry.boxes)
        pack.pages.append((record, PageResult(record.geometry.page_id, "scan.png", states, [])))
    assert plan.weeks[1].days[-1] == dt.date(2026, 12, 20)
    check(build_report(pack), "en", "Checklist report", "D:20261220")


def test_the_email_attachment_joined_and_locked(tmp_path):
    """`--email`'s one PDF (handout and checklists, optionally with a password) keeps the
    handout's honest metadata."""
    from handouts.mail.protect import one_pdf

    files = generate(tmp_path, "parts")
    documents = [files["oefenschema.pdf"], files["afvinklijst.pdf"]]
    check(one_pdf(documents, None), "nl-NL", "Oefenschema bij hielpijn")
    locked = PdfReader(io.BytesIO(one_pdf(documents, "abcd-efgh-jkmn")))
    assert locked.is_encrypted and locked.decrypt("abcd-efgh-jkmn")
    meta = locked.metadata
    assert meta is not None and meta["/Author"] == PRACTICE and "Zoë" not in str(dict(meta))
    assert locked.trailer["/Root"]["/Lang"] == "nl-NL"
