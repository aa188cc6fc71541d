"""`batch --print-file` for a duplex printer, read back from the print PDF itself: every
patient starts on a front (odd) page, a part that ends on a front gets an intentionally blank
back, no sheet carries two patients; with --one-pdf and --checklist-weeks too, and for the
default, large print, both feet and Letter."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from handouts.cli import app
from tests.conftest import pdf_pages

PATIENTS = {  # name: roster columns foot, large print, paper
    "Anne Default": ("links", "nee", "a4"),
    "Bram Groot": ("rechts", "ja", "a4"),
    "Cor Beide": ("beide", "nee", "a4"),
    "Dirk Letter": ("links", "nee", "letter"),
    "Els Groot Beide": ("beide", "ja", "letter"),
}


def _batch(tmp_path: Path, folder: str, *args: str) -> tuple[list[str], dict]:
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "naam;voet;grote_letters;papier;start\n"
        + "".join(f"{name};{';'.join(cols)};07-12-2026\n" for name, cols in PATIENTS.items()),
        encoding="utf-8",
    )
    out, printed = tmp_path / folder, tmp_path / f"{folder}.pdf"
    result = CliRunner().invoke(
        app,
        [
            *("batch", str(roster), "-o", str(out), "--today", "2026-11-21", "-j", "1"),
            *("--print-file", str(printed), *args),
        ],
    )
    assert result.exit_code == 0, result.stderr
    report = json.loads((out / "batch-report.json").read_text(encoding="utf-8"))
    return pdf_pages(printed.read_bytes()), report


def _owners(pages: list[str]) -> list[str | None]:
    """Whose each page is (the footer names the patient on every page); None: a blank back."""
    owners = []
    for text in pages:
        names = [name for name in PATIENTS if name in text]
        assert len(names) <= 1, names  # never two patients on one page
        if not names:
            assert "met opzet leeg" in text and "intentionally blank" in text
        owners.append(names[0] if names else None)
    return owners


@pytest.mark.parametrize(
    "args",
    [(), ("--one-pdf",), ("--checklist-weeks", "1-4"), ("--one-pdf", "--checklist-weeks", "3-4")],
    ids=["files", "one-pdf", "weeks", "one-pdf-weeks"],
)
def test_every_patient_starts_on_a_front_side(tmp_path, args):
    pages, report = _batch(tmp_path, "out", *args)
    owners = _owners(pages)
    assert len(pages) % 2 == 0
    starts = {}
    for index, owner in enumerate(owners):
        if owner is not None and owner not in starts:
            starts[owner] = index
    assert list(starts) == list(PATIENTS)  # roster order, each once
    for owner, first in starts.items():
        assert first % 2 == 0, (owner, first)  # page 1, 3, 5…: a front side
        mine = [i for i, o in enumerate(owners) if o == owner]
        assert set(owners[first : mine[-1] + 1]) <= {owner, None}  # together (and blanks)
        if mine[-1] % 2 == 0:  # ends on a front: its back is blank
            assert owners[mine[-1] + 1] is None
    # a week of large print for both feet takes a sheet: its front, then its back
    els = [i for i, o in enumerate(owners) if o == "Els Groot Beide"]
    for week in range(1, 13):
        sheet = [i for i in els if f"Week {week} van 12" in pages[i]]
        assert sheet == [] or (len(sheet) == 2 and sheet[0] % 2 == 0 and sheet[1] == sheet[0] + 1)
    assert any(f"Week {week} van 12" in pages[i] for i in els for week in range(1, 13))
    # the checklist weeks asked for, and no others
    if "--checklist-weeks" in args:
        first, last = (int(n) for n in args[-1].split("-"))
        shown = {n for n in range(1, 13) if any(f"Week {n} van 12" in p for p in pages)}
        assert shown == set(range(first, last + 1))
    assert report["checklist_weeks"] == (args[-1] if "--checklist-weeks" in args else None)


def test_some_weeks_of_a_scan_ready_large_print_checklist(tmp_path):
    """Weeks of two pages (large print, both feet, scan-ready margins): --checklist-weeks
    picks whole weeks, and each page is the one the registry knows under its week."""
    from pypdf import PdfReader

    from handouts.scan.geometry import PageRecord

    args = ["generate", "--name", "Els", "--foot", "both", "--large-print", "--scan-ready"]
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, [*args, "--today", "2026-11-21", "--checklist-weeks", "2-3", "-o", str(out)]
    )
    assert result.exit_code == 0, result.stderr
    data = (out / "els_afvinklijst.pdf").read_bytes()
    texts = pdf_pages(data)
    assert [("Week 2 van 12" in t, "Week 3 van 12" in t) for t in texts] == [
        (True, False), (True, False), (False, True), (False, True)
    ]  # fmt: skip
    records = [
        PageRecord.from_json(json.loads(gzip.decompress(path.read_bytes())))
        for path in (out / ".scan").glob("*.json.gz")
    ]
    weeks = {r.geometry.page_id: r.week for r in records}
    assert sorted(weeks.values()) == sorted([n for n in range(1, 13) for _ in range(2)])
    reader = PdfReader(io.BytesIO(data))
    on_pages = [next(w for pid, w in weeks.items() if pid in t) for t in texts]
    assert on_pages == [2, 2, 3, 3] and len(reader.pages) == 4
