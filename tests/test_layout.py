"""The paper, read back from the PDFs: footers and headers that fit any name, pages that are
not left partly blank (default, large print, both feet, Letter, English, Flemish u-form, the
education booklet)."""

from __future__ import annotations

import itertools
from collections import defaultdict
from typing import get_args

import msgspec
import pytest

from handouts import limits
from handouts.models import Patient, Practice, field_type, validated
from handouts.pdf import styles
from handouts.pdf.handout import (
    HEADER_SPLIT,
    MARGIN,
    build_education,
    build_handout,
)
from handouts.plan import resolve
from tests.conftest import START, TODAY
from tests.pdfread import char_boxes, page_content, page_text

LONG_NAME = "Maximiliaan Alexander Van Den Broeckevelde-Vanderstraeten de Wilde"  # 67 chars
LONG_PRACTICE = "Fysiotherapie en Manuele Therapie Centrum Noord-Oost Amsterdam-Zuid B.V."
VARIANTS = {
    "default": {},
    "large-print": {"large_print": True},
    "large-print-both-feet-letter": {"large_print": True, "foot": "both", "paper": "letter"},
    "both-feet": {"foot": "both"},
    "letter": {"paper": "letter"},
    "en": {"language": "en"},
    "nl-BE-u": {"language": "nl-BE", "address": "u"},
    "education-separate": {"education": "separate"},
}
MOST_EMPTY = 0.2  # of a page's body, below its content (but on the last page)


def _plan(library, name: str = "Anne Peeters", practice: Practice | None = None, **fields):
    data = {"name": name, "foot": "left", "start": START, **fields}
    return resolve(validated(Patient, data), library, practice or Practice(), today=TODAY)


def _handout(library, name: str = "Anne Peeters", practice: Practice | None = None, **fields):
    plan = _plan(library, name, practice, **fields)
    return build_handout(plan, with_education=fields.get("education") != "separate")


def _footer_items(width: float, boxes: list[tuple[float, ...]]) -> list[tuple[float, float]]:
    """The footer's characters (below the body frame) grouped into items: runs of
    characters closer than a few points."""
    footer = sorted((b for b in boxes if b[1] < MARGIN - 1), key=lambda b: b[0])
    items: list[list[float]] = []
    for left, _, right, _ in footer:  # pdfium: left, bottom, right, top
        if items and left - items[-1][1] < 6:
            items[-1][1] = max(items[-1][1], right)
        else:
            items.append([left, right])
    return [(a, b) for a, b in items]


@pytest.mark.parametrize("variant", VARIANTS)
def test_footers_never_overlap_and_stay_on_the_page(library, variant):
    practice = Practice(name=LONG_PRACTICE, phone="+31 20 123 45 67")
    data = _handout(library, LONG_NAME, practice, **VARIANTS[variant])
    for width, _, boxes in char_boxes(data):
        items = _footer_items(width, boxes)
        assert len(items) == 3, items  # patient, practice and phone, page number: apart
        assert items[0][0] >= MARGIN - 0.5 and items[-1][1] <= width - MARGIN + 0.5
        for (_, end), (start, _) in itertools.pairwise(items):
            assert start - end >= 6  # a visible gap between the items


def _empty_share(page) -> float:
    """How much of the body frame is empty below its lowest line of text (every block of
    the handout ends in text)."""
    bottom_of_body = MARGIN + 4 * 2.8346
    lowest = min(c[4] for c in page.chars if c[4] > bottom_of_body)
    return (lowest - bottom_of_body) / (page.height - MARGIN - bottom_of_body)


@pytest.mark.parametrize("variant", VARIANTS)
def test_no_page_but_the_last_is_more_than_a_fifth_empty(library, variant):
    fields = VARIANTS[variant]
    documents = [_handout(library, **fields)]
    if fields.get("education") == "separate":
        documents.append(build_education(_plan(library, **fields)))
    heading = styles.sizes(bool(fields.get("large_print"))).heading
    for data in documents:
        pages = page_content(data)
        shares = [round(_empty_share(page), 2) for page in pages[:-1]]
        assert len(pages) > 1 and max(shares) <= MOST_EMPTY, shares
        for number, page in enumerate(pages[:-1], start=1):  # no heading at a page's foot
            body = [c for c in page.chars if c[4] > MARGIN + 4 * 2.8346]
            lowest = min(c[4] for c in body)
            assert all(c[2] < heading for c in body if c[4] == lowest), number


def test_the_default_handout_fits_six_pages_with_its_education(library):
    """Three cards, the week plan, ten education topics and the therapist's appendix."""
    assert len(page_content(_handout(library))) <= 6
    assert len(page_content(_handout(library, education="separate"))) <= 5


def _max_length(model: type, field: str) -> int:
    extras = get_args(field_type(model, field))[1:]
    return next(m.max_length for m in extras if isinstance(m, msgspec.Meta) and m.max_length)


def _overlaps(boxes: list[tuple[float, ...]]) -> list[tuple[tuple[float, ...], ...]]:
    """Pairs of character boxes that overlap by more than a sliver (a grid of cells keeps
    the comparison short)."""
    cells: dict[tuple[int, int], list[tuple[float, ...]]] = defaultdict(list)
    for box in boxes:
        left, bottom, right, top = box
        for x in range(int(left // 20), int(right // 20) + 1):
            for y in range(int(bottom // 20), int(top // 20) + 1):
                cells[x, y].append(box)
    found = set()
    for cell in cells.values():
        for a, b in itertools.combinations(cell, 2):
            width = min(a[2], b[2]) - max(a[0], b[0])
            height = min(a[3], b[3]) - max(a[1], b[1])
            if width > 1 and height > 1:
                found.add((a, b))
    return sorted(found)


NAMES = {
    "long": (LONG_NAME, LONG_PRACTICE, "Sanne de Vries-Van den Broeck, fysiotherapeut"),
    "at the limits": (
        "W" * _max_length(Patient, "name"),  # the widest letter, as long as allowed
        "W" * limits.MAX_PRACTICE_NAME,
        "W" * limits.MAX_PRACTICE_FIELD,
    ),
}


@pytest.mark.parametrize("names", NAMES)
@pytest.mark.parametrize("large_print", [False, True])
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_header_fits_any_name(library, names, large_print, paper):
    """The first page's header with long names, and with names as long as the limits
    allow: nothing overlaps, nothing leaves the page's margins."""
    name, practice_name, line = NAMES[names]
    practice = Practice(
        name=practice_name, therapist=line, address=line, email="info@example.org", phone="0"
    )
    data = _handout(library, name, practice, large_print=large_print, paper=paper)
    width, height, boxes = char_boxes(data)[0]
    drawn = [b for b in boxes if b[2] - b[0] > 0.1]  # not the spaces
    assert not _overlaps(drawn)
    assert all(b[0] >= MARGIN - 0.5 and b[2] <= width - MARGIN + 0.5 for b in drawn)
    assert all(b[3] <= height - MARGIN + 3 for b in drawn)
    chars = page_content(data)[0].chars
    text = "".join(c[0] for c in chars)
    assert name[:20] in text  # the name is printed (wrapped, not dropped)
    # the patient's column and the practice's stay a gutter apart
    below_header = chars[text.index("Zo gebruik")][4]
    split = MARGIN + (width - 2 * MARGIN) * HEADER_SPLIT
    for left, bottom, right, _ in drawn:
        if bottom > below_header + 10:
            assert right <= split - 6 or left >= split - 0.5  # 6 pt at least


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_word_of_the_plan_is_on_the_paper(library, variant):
    """Breaking cards, tables and columns loses nothing: every step, dosage line, caution,
    education paragraph and point, the maintenance box and every reference is printed."""
    fields = VARIANTS[variant]
    plan = _plan(library, **fields)
    documents = [_handout(library, **fields)]
    if fields.get("education") == "separate":
        documents.append(build_education(plan))
    text = " ".join(" ".join(page.split()) for data in documents for page in page_text(data))
    expected = [step for e in plan.exercises for side in e.sides or (e,) for step in side.steps]
    expected += [c for e in plan.exercises for c in e.cautions]
    for topic in (*plan.education, *([plan.maintenance] if plan.maintenance else [])):
        expected += [topic.title, *topic.paragraphs, *topic.points]
    expected += [reference.full for reference in plan.references]
    missing = [words for words in expected if " ".join(words.split()) not in text]
    assert not missing, missing[:3]
