"""The fast path draws what plain reportlab draws: the same characters (font, size,
position) and the same boxes, lines and curves on every page.

A corpus of patients, each differing from a base patient in one plan or practice field (so
that a remembered drawing keyed without that field would show up as the base's), rendered
through accel.PLAIN and accel.FAST in a random order in one process, with the fast path's
memory shared by all of them as in a batch.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

from PIL import Image

from handouts.library import Library
from handouts.models import Patient, Practice, field_names, validated
from handouts.pdf import views
from handouts.pdf.accel import FAST, PLAIN, Accelerator
from handouts.pdf.checklist import build_checklist
from handouts.pdf.handout import build_handout
from handouts.plan import Plan, resolve
from tests.conftest import START, TODAY
from tests.pdfread import differences, page_content

BASE: dict[str, Any] = {"name": "Anne Peeters", "foot": "left", "start": START}
# (patient fields, practice fields) that each corpus member changes
VARIANTS: list[tuple[dict[str, Any], dict[str, Any]]] = [
    ({}, {}),
    ({"foot": "right"}, {}),
    ({"foot": "both"}, {}),
    ({"language": "nl-BE"}, {}),
    ({"language": "en"}, {}),
    ({"address": "u"}, {}),
    ({"address": "u", "language": "nl-BE", "foot": "both"}, {}),
    ({"large_print": True}, {}),
    ({"paper": "letter"}, {}),
    ({"reps": 10}, {}),
    ({"sets": 4}, {}),
    ({"sessions_per_day": 3}, {}),
    ({"exercises": {"plantar-fascia-stretch-seated": {"hold_seconds": 20, "reps": 6}}}, {}),
    ({"weeks": 6}, {}),
    ({"notes": "Rustig opbouwen & <b>niet</b> forceren.\nNeem je lijst mee."}, {}),
    ({"start": START + dt.timedelta(weeks=1)}, {}),
    ({"programme": "stretch-only"}, {}),
    ({"include": ["towel-stretch-knee-bent"], "exclude": ["calf-stretch-wall-bent-knee"]}, {}),
    ({"education": False}, {}),
    ({"name": "Zeynep İnce-Şahin"}, {}),
    ({"email": "zeynep@example.nl"}, {}),  # not on paper: the same pages as the base
    ({"checklist_weeks": "2-3"}, {}),  # which pages are kept: chosen after drawing
    ({}, {"name": "Fysio De Hiel", "phone": "012 345 67 89"}),
    ({}, {"name": "Fysio De Hiel", "phone": "098 765 43 21"}),
    ({}, {"accent_colour": "#00695c"}),
    ({}, {"therapist": "Sanne de Vries", "email": "info@hiel.example", "address": "Straat 1"}),
    ({}, {"pain_rule": {"green_max": 3, "amber_max": 6}}),
    ({}, {"logo": "logo.png", "website": "hiel.example"}),
    ({}, {"email": "info@hiel.example", "smtp": {"host": "smtp.hiel.example"}}),
    ({"foot": "both"}, {"daily_minutes_cap": 10}),  # over the cap: a warning, same pages
    ({}, {"language": "nl-BE", "address_form": "u"}),  # a Flemish, formal practice
    ({"language": "en"}, {"language": "nl-BE", "address_form": "u"}),  # the patient's own
]
Member = tuple[str, Plan, str | None]  # what differs, the plan, the logo


def corpus(library: Library, folder: Path) -> list[Member]:
    logo = folder / "logo.png"
    Image.new("RGB", (120, 40), (31, 95, 139)).save(logo)
    members = []
    for patient_fields, practice_fields in VARIANTS:
        patient = validated(Patient, {**BASE, **patient_fields})
        practice = validated(Practice, practice_fields)
        plan = resolve(patient, library, practice, today=TODAY)
        label = f"{patient_fields} {practice_fields}"
        members.append((label, plan, str(logo) if practice.logo else None))
    return members


def render(member: Member, accel: Accelerator) -> tuple[bytes, bytes]:
    _, plan, logo = member
    return build_handout(plan, logo, accel), build_checklist(plan, accel)


def compare(members: list[Member], seed: int) -> list[str]:
    """Render every member plain and fast, in a random order; what differs."""
    jobs = [(index, accel) for index in range(len(members)) for accel in (PLAIN, FAST)]
    random.Random(seed).shuffle(jobs)
    made: dict[tuple[int, str], tuple[bytes, bytes]] = {}
    for index, accel in jobs:
        made[index, accel.name] = render(members[index], accel)
    found = []
    for index, (label, _, _) in enumerate(members):
        for kind, plain, fast in zip(
            ("handout", "checklist"), made[index, "plain"], made[index, "fast"], strict=True
        ):
            found += [
                f"{label} {kind}: {d}" for d in differences(page_content(plain), page_content(fast))
            ]
    return found


def test_fast_and_plain_draw_the_same_pages(library, tmp_path):
    assert compare(corpus(library, tmp_path), seed=13) == []


def test_the_corpus_varies_every_field_of_patient_and_practice():
    varied = {key for patient, _ in VARIANTS for key in patient}
    varied |= {f"practice.{key}" for _, practice in VARIANTS for key in practice}
    # the practice file: its fields are below
    wanted = set(field_names(Patient)) - {"practice"}
    wanted |= {f"practice.{key}" for key in field_names(Practice)} - {"practice.library"}
    assert wanted <= varied, f"add to VARIANTS: {sorted(wanted - varied)}"


def test_the_comparison_catches_a_drawing_that_reads_what_its_view_lacks(
    library, tmp_path, monkeypatch
):
    """A planted mistake: cards print the practice's phone, read from the plan by another
    route than the card's view (which lacks it). Plain draws each handout's own phone; the
    fast path reuses the card drawn for the first practice in the second practice's
    handout, and the comparison must see it."""
    from reportlab.platypus import Table

    import handouts.pdf.handout as handout
    from handouts.pdf.speed import Paragraph

    phone: dict[str, str] = {}
    card_view = views.card
    card_layout = handout._card_section

    def card_reading_the_plan(plan: Plan, *args: Any) -> views.Card:
        phone["now"] = plan.practice.phone  # the route around the view
        return card_view(plan, *args)

    def card_with_phone(part: tuple[views.Card, int]) -> Any:
        section = card_layout(part)
        style = handout._styles(part[0].look)["small"]
        return Table([[section], [Paragraph(phone["now"], style)]])

    monkeypatch.setattr(views, "card", card_reading_the_plan)
    monkeypatch.setattr(handout, "_card_section", card_with_phone)
    first, second = [m for m in corpus(library, tmp_path) if "phone" in m[0]]
    render(first, FAST)  # its cards are remembered, with the first practice's phone
    fast = page_content(render(second, FAST)[0])
    plain = page_content(render(second, PLAIN)[0])
    found = differences(plain, fast)
    assert any("characters differ" in d and "098 765" in d for d in found), found
