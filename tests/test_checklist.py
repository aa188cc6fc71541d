"""The weekly checklist records what the pain rule needs (issue 11 §6), on one page a week
(a sheet in large print)."""

from __future__ import annotations

from itertools import pairwise

import pytest

from handouts.pdf.checklist import build_checklist
from tests.conftest import make_plan, pdf_pages


@pytest.mark.parametrize(("large", "sides"), [(False, 1), (True, 1), (False, 2), (True, 2)])
def test_default_week_fits_a_sheet_with_its_records(library, large, sides):
    """Normal print: one page a week. Large print keeps its size: for both feet a week takes
    the two sides of a sheet (one foot, on A4: one page)."""
    plan = make_plan(library, foot="left" if sides == 1 else "both", large_print=large)
    pages = pdf_pages(build_checklist(plan))
    per_week = 2 if large and sides == 2 else 1
    assert len(pages) == per_week * len(plan.weeks)
    first = " ".join(pages[:per_week]).replace("\n", " ")
    assert "Pijn bij eerste stappen" in first
    # (a title's lines can be read interleaved with the score numbers beside them)
    assert "Pijn tijdens:" in first and "Extra gewicht bij:" in first and "(kg)" in first
    assert "Knie naar de muur" not in first  # not in this plan
    assert all("Week 1 van 12" in page for page in pages[:per_week])


def test_knee_to_wall_distance_on_its_weeks_only(library):
    plan = make_plan(library, language="en", include=["knee-to-wall-ankle-mobility"])
    pages = [p.replace("\n", " ") for p in pdf_pages(build_checklist(plan))]
    measured = ["Knee to wall: distance in cm" in p for p in pages]
    assert measured[:4] == [True, False, True, False]
    assert "Pain during: " in pages[0]


@pytest.mark.parametrize("large", [False, True])
def test_footer_never_overlaps_with_long_names(library, large):
    """80-character patient and practice names: shortened, never drawn over each other."""
    import io

    import pdfplumber

    from handouts.models import Patient, Practice, validated
    from handouts.plan import resolve
    from tests.conftest import START, TODAY

    name = ("Anna-Maria Wilhelmina van der Heijden-Vanderbroeck de Santos Oliveira " * 2)[:80]
    practice = ("Fysiotherapie en Manuele Therapie Centrum De Lange Heuvel Zuid " * 2)[:80]
    patient = validated(
        Patient, {"name": name, "foot": "both", "start": START, "large_print": large}
    )
    data = build_checklist(resolve(patient, library, Practice(name=practice), today=TODAY))
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        chars = sorted(
            (c for c in page.chars if c["top"] > page.height - 13 * 72 / 25.4),
            key=lambda c: c["x0"],
        )
    text = "".join(c["text"] for c in chars)
    assert "Anna-Maria" in text and "Fysiotherapie" in text and "Week 1" in text
    assert text.count("…") == 2
    assert all(a["x1"] <= b["x0"] + 0.5 for a, b in pairwise(chars))
    assert chars[0]["x0"] >= 0 and chars[-1]["x1"] <= page.width
