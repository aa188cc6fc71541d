"""The checklist read back from its PDFs: large print rows visibly larger than normal print,
and a header and footer that fit any name (normal and large print, one foot and both feet,
A4 and Letter)."""

from __future__ import annotations

import io
import itertools
import statistics

import msgspec
import pdfplumber
import pytest
from click.testing import CliRunner

from handouts.cli import app
from handouts.library import Library
from handouts.limits import MAX_PRACTICE_NAME, MAX_PRACTICE_PHONE
from handouts.models import Patient, Practice, validated
from handouts.pdf.checklist import MARGIN, build_checklist
from handouts.plan import resolve
from tests.conftest import START, TODAY
from tests.pdfread import char_boxes

LONG_NAME = "Maximiliaan Alexander Van Den Broeckevelde-Vanderstraeten de Wilde"  # 67 chars
LONG_PRACTICE = "Fysiotherapie en Manuele Therapie Centrum Noord-Oost Amsterdam-Zuid B.V."
MAX_NAME = ("Anna-Maria Wilhelmina van der Heijden-Vanderbroeck de Santos Oliveira " * 2)[:80]
MAX_PRACTICE = ("Fysiotherapie en Manuele Therapie Centrum De Lange Heuvel Zuid " * 2)[
    :MAX_PRACTICE_NAME
]
MAX_PHONE = ("+31 (0)20 123 45 67 toestel 89 " * 2)[:MAX_PRACTICE_PHONE].strip()
VARIANTS = [
    {"paper": paper, "foot": foot, "large_print": large}
    for paper, foot, large in itertools.product(("a4", "letter"), ("left", "both"), (False, True))
]


def _id(variant: dict[str, object]) -> str:
    large = "large" if variant["large_print"] else "normal"
    return f"{variant['paper']}-{variant['foot']}-{large}"


def checklist(
    library: Library,
    name: str = "Anne Peeters",
    practice: Practice | None = None,
    **fields: object,
) -> bytes:
    data = {"name": name, "foot": "left", "start": START, **fields}
    plan = resolve(validated(Patient, data), library, practice or Practice(), today=TODAY)
    return build_checklist(plan)


# --- large print: rows measured on the page ----------------------------------------------


class Row(msgspec.Struct, frozen=True):
    """An exercise row as printed: its height, the size of its name and dosage, and the side
    of its tick boxes (points)."""

    height: float
    name_size: float
    detail_size: float
    box: float


def exercise_rows(data: bytes, pages: int = 2) -> tuple[int, list[list[Row]]]:
    """The page count, and per page of the first ones, its exercise rows, read from what is
    drawn: the rows lie between the day header bar and the rules under each row; a row is
    one with a bold name left of the first day's column and one or two lines of tick boxes
    (a pain chart has eleven)."""
    found = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages[:pages]:
            width = page.width
            bar = min((r for r in page.rects if r["width"] > width * 0.8), key=lambda r: r["top"])
            columns = sorted(
                {
                    round(line["x0"], 1)
                    for line in page.lines
                    if abs(line["top"] - bar["bottom"]) < 1 and line["height"] > 20
                }
            )
            first_day = columns[1]
            rules = sorted(
                {
                    round(line["top"], 1)
                    for line in page.lines
                    if line["height"] < 0.1 and line["width"] > width * 0.8
                    if line["top"] > bar["bottom"]
                }
            )
            rows = []
            for top, bottom in itertools.pairwise([bar["bottom"], *rules]):
                words = [c for c in page.chars if top < c["top"] < bottom and c["x1"] < first_day]
                names = [c for c in words if "Bold" in c["fontname"]]
                dosage = [c for c in words if "Bold" not in c["fontname"] and c["text"].strip()]
                boxes = [
                    c
                    for c in page.curves
                    if top < c["top"] < bottom and c["x0"] > first_day
                    if abs(c["width"] - c["height"]) < 0.2
                ]
                lines = {round(b["top"]) for b in boxes if b["x0"] < columns[2]}
                if names and dosage and boxes and len(lines) <= 2:
                    rows.append(
                        Row(
                            round(bottom - top, 1),
                            max(c["size"] for c in names),
                            statistics.mode(round(c["size"], 1) for c in dosage),
                            round(max(b["width"] for b in boxes), 1),
                        )
                    )
            found.append(rows)
        return len(pdf.pages), found


@pytest.mark.parametrize("programme", ["combined", "stretch-only", "stretches-basic"])
@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("foot", ["left", "both"])
def test_large_print_rows_are_visibly_larger(library, programme, paper, foot):
    """Measured on week 1's pages: names 14 pt against 11, dosage 12 against 9.5, boxes
    14 pt against 12.5, and every row at least as tall as the same row in normal print."""
    fields = {"programme": programme, "paper": paper, "foot": foot}
    weeks, normal = exercise_rows(checklist(library, **fields), pages=1)
    count, large_pages = exercise_rows(checklist(library, large_print=True, **fields))
    per_week = count // weeks
    assert per_week in (1, 2)  # a page a week, or both sides of a sheet
    week = normal[0]
    large = [row for page in large_pages[:per_week] for row in page]
    assert len(large) == len(week) >= 2
    assert {(r.name_size, r.detail_size, r.box) for r in week} == {(11, 9.5, 12.5)}
    assert {(r.name_size, r.detail_size, r.box) for r in large} == {(14, 12, 14)}
    for small, big in zip(week, large, strict=True):
        assert big.height >= small.height


def test_large_print_both_feet_takes_a_sheet_a_week_not_smaller_type(library):
    """The week that used to shrink to 0.9 of large print: now two pages (one sheet), the
    second still well filled (its notes area is not most of the page)."""
    data = checklist(library, foot="both", large_print=True)
    count, pages = exercise_rows(data)
    assert count == 24 and pages[0] and pages[1] == []  # rows on the front
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        back = pdf.pages[1]
        notes = max(
            (r for r in back.rects if r["width"] > back.width * 0.8), key=lambda r: r["top"]
        )
        text = back.extract_text()
    assert "Pijn tijdens" in text and "Extra gewicht" in text and "Week 1 van 12" in text
    assert notes["height"] < back.height * 0.4


# --- names in the header and footer ------------------------------------------------------


def _lines(boxes: list[tuple[float, ...]]) -> dict[float, list[tuple[float, ...]]]:
    """Characters by baseline (rounded), each line sorted left to right."""
    lines: dict[float, list[tuple[float, ...]]] = {}
    for box in boxes:
        lines.setdefault(round(box[1]), []).append(box)
    return {y: sorted(line) for y, line in lines.items()}


def _assert_fits(data: bytes) -> None:
    for width, height, boxes in char_boxes(data):
        for left, bottom, right, top in boxes:  # pdfium: left, bottom, right, top
            assert left >= MARGIN - 1 and right <= width - MARGIN + 1
            assert bottom >= 0 and top <= height
        header = [b for b in boxes if b[3] > height - MARGIN - 60]
        footer = [b for b in boxes if b[3] < MARGIN]
        for part in (header, footer):
            for line in _lines(part).values():
                for a, b in itertools.pairwise(line):  # no character over the next (a
                    overlap = a[2] - b[0]  # glyph may overhang its neighbour a little)
                    assert overlap < 0.4 * min(a[2] - a[0], b[2] - b[0]), (a, b)
        items: list[list[float]] = []  # the footer's items: runs of close characters
        for left, _, right, _ in sorted(footer):
            if items and left - items[-1][1] < 6:
                items[-1][1] = max(items[-1][1], right)
            else:
                items.append([left, right])
        assert len(items) == 3, items  # patient, practice and phone, the week: apart


NAMES = {
    "long": (LONG_NAME, Practice(name=LONG_PRACTICE, phone="+31 20 123 45 67")),
    "longest": (MAX_NAME, Practice(name=MAX_PRACTICE, phone=MAX_PHONE)),
}


@pytest.mark.parametrize("names", NAMES)
@pytest.mark.parametrize("variant", VARIANTS, ids=_id)
def test_long_names_never_overlap_nor_leave_the_page(library, names, variant):
    name, practice = NAMES[names]
    data = checklist(library, name, practice, **variant)
    _assert_fits(data)
    first = char_boxes(data)[0]
    assert len(first[2]) > 500  # the page was read


def test_a_long_name_is_printed_whole_in_the_header(library):
    """A name too long to sit beside the foot takes the header line (the foot goes to the
    line below); the footer shrinks it, then shortens it at a word with an ellipsis."""
    from tests.pdfread import page_text

    practice = Practice(name=MAX_PRACTICE, phone=MAX_PHONE)
    for name, large in itertools.product((LONG_NAME, MAX_NAME), (False, True)):
        lines = page_text(checklist(library, name, practice, large_print=large))[0].splitlines()
        assert any(line.startswith(name) for line in lines)
        assert any(line.endswith("Voet met klachten: linkervoet") for line in lines)
        footer = [line for line in lines if line.endswith("Week 1 van 12")][-1]
        assert "…" in footer and footer.startswith(name.split()[0])
    short = page_text(checklist(library, "Jan", Practice(name="De Hiel")))[0]
    assert "…" not in short and "Jan" in short and "De Hiel" in short


def test_line_breaks_and_controls_in_a_roster_never_reach_the_paper(tmp_path):
    """A name typed with Alt+Enter in a spreadsheet prints on one line; a control character
    is refused for that row, naming it."""
    roster = tmp_path / "roster.csv"
    roster.write_text(
        'naam;voet\n"Anne\nPeeters";links\n"Jan\tde Vries";links\n"Piet\x07";links\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["batch", str(roster), "-o", str(out), "--today", "2026-11-21", "-j", "1"]
    )
    assert result.exit_code == 1
    assert "row 4: naam" in result.stderr and "\\x07" in result.stderr
    for stem, name in (("anne-peeters", "Anne Peeters"), ("jan-de-vries", "Jan de Vries")):
        data = (out / f"{stem}_afvinklijst.pdf").read_bytes()
        _assert_fits(data)
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            header = pdf.pages[0].extract_text().splitlines()[1]
        assert header.startswith(name)


@pytest.mark.parametrize("programme", ["combined", "stretch-only", "strength-only"])
@pytest.mark.parametrize("variant", VARIANTS, ids=_id)
def test_no_checklist_page_is_mostly_an_empty_notes_box(library, programme, variant):
    """A week shared over two pages is shared evenly: on week 1's pages, the notes box
    (what is left) is less than 40 % of the page."""
    data = checklist(library, programme=programme, **variant)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages[:2]:
            boxes = [c["height"] for c in page.curves if c["width"] > page.width * 0.8]
            assert max(boxes, default=0) < 0.4 * page.height
