"""The weekly checklist records what the pain rule needs (issue 11 §6), on one page a week."""

from __future__ import annotations

import pytest

from handouts.pdf.checklist import build_checklist
from tests.conftest import make_plan, pdf_pages


@pytest.mark.parametrize("large", [False, True])
@pytest.mark.parametrize("foot", ["left", "both"])
def test_default_week_fits_one_page_with_its_records(library, foot, large):
    plan = make_plan(library, foot=foot, large_print=large)
    pages = pdf_pages(build_checklist(plan))
    assert len(pages) == len(plan.weeks)
    first = pages[0].replace("\n", " ")
    assert "Pijn bij eerste stappen" in first
    # (a title's lines can be read interleaved with the score numbers beside them)
    assert "Pijn tijdens:" in first and "Extra gewicht bij:" in first and "(kg)" in first
    assert "Knie naar de muur" not in first  # not in this plan


def test_knee_to_wall_distance_on_its_weeks_only(library):
    plan = make_plan(library, language="en", include=["knee-to-wall-ankle-mobility"])
    pages = [p.replace("\n", " ") for p in pdf_pages(build_checklist(plan))]
    measured = ["Knee to wall: distance in cm" in p for p in pages]
    assert measured[:4] == [True, False, True, False]
    assert "Pain during: " in pages[0]
