"""The paper, read back from the PDFs: footers that fit any name, pages that are not left
mostly blank (default, large print, both feet, Letter)."""

from __future__ import annotations

import itertools

import pytest

from handouts.models import Patient, Practice
from handouts.pdf.handout import MARGIN, build_handout
from handouts.plan import resolve
from tests.conftest import START, TODAY
from tests.pdfread import char_boxes, page_content

LONG_NAME = "Maximiliaan Alexander Van Den Broeckevelde-Vanderstraeten de Wilde"  # 67 chars
LONG_PRACTICE = "Fysiotherapie en Manuele Therapie Centrum Noord-Oost Amsterdam-Zuid B.V."
VARIANTS = {
    "default": {},
    "large-print": {"large_print": True},
    "both-feet": {"foot": "both"},
    "letter": {"paper": "letter"},
}


def _handout(library, name: str = "Anne Peeters", practice: Practice | None = None, **fields):
    data = {"name": name, "foot": "left", "start": START, **fields}
    plan = resolve(Patient.model_validate(data), library, practice or Practice(), today=TODAY)
    return build_handout(plan)


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
def test_no_page_but_the_last_is_mostly_blank(library, variant):
    pages = page_content(_handout(library, **VARIANTS[variant]))
    shares = [round(_empty_share(page), 2) for page in pages[:-1]]
    assert max(shares) < 0.5, shares
