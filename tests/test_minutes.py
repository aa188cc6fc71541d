"""How long a day takes, as the paper says it: page 1 and the week plan never give two
different numbers for the same thing. Page 1 gives the most a day asks in any phase (the
plan's most_minutes), "up to" that where the phases differ; the week plan gives each
phase's own. Read back from the PDFs."""

from __future__ import annotations

import re

import pytest

from handouts.pdf.handout import build_handout
from handouts.plan import Plan
from tests.conftest import make_plan
from tests.pdfread import page_text

# per language: page 1's sentence (with strength days, without) and a week-plan row's
NUMBER = r"((?:tot |up to )?(?:ongeveer|about) (\d+) minut\w+)"
PAGE_ONE = {
    "nl": (
        rf"Op dagen met de krachtoefening {NUMBER}\. Op de andere dagen {NUMBER}\.",
        rf"Hoeveel tijd kost het\? Per dag {NUMBER}\.",
    ),
    "en": (
        rf"On days with the strength exercise: {NUMBER}\. On the other days: {NUMBER}\.",
        rf"How long does it take\? Allow {NUMBER} a day\.",
    ),
}
ROW = {
    "nl": (
        r"Ongeveer (\d+) minuten op dagen met de krachtoefening, (\d+) minuten op de andere",
        r"Ongeveer (\d+) minuten per dag\.",
    ),
    "en": (
        r"About (\d+) minutes on days with the strength exercise, (\d+) minutes on the other",
        r"About (\d+) minutes a day\.",
    ),
}
CASES = {
    "combined": {},
    "combined, both feet, large print, Letter": {
        "foot": "both",
        "large_print": True,
        "paper": "letter",
    },
    "combined, English": {"language": "en"},
    "strength only, Flemish u-form, both feet": {
        "programme": "strength-only",
        "language": "nl-BE",
        "address": "u",
        "foot": "both",
    },
    "stretch only, English": {"programme": "stretch-only", "language": "en"},
}


def _said(plan: Plan) -> tuple[list[tuple[str, int]], list[tuple[int, ...]]]:
    """Page 1's minute figures (with their words) and each week-plan row's, from the PDF."""
    pages = [" ".join(page.split()) for page in page_text(build_handout(plan))]
    language = "en" if plan.language == "en" else "nl"
    strength = plan.most_minutes.strength_day is not None
    first = re.search(PAGE_ONE[language][0 if strength else 1], pages[0])
    assert first is not None, pages[0][:600]
    groups = first.groups()
    page_one = [(groups[n], int(groups[n + 1])) for n in range(0, len(groups), 2)]
    rows = re.findall(ROW[language][0 if strength else 1], " ".join(pages))
    return page_one, [
        tuple(int(n) for n in ([row] if isinstance(row, str) else row)) for row in rows
    ]


@pytest.mark.parametrize("case", CASES)
def test_page_one_and_the_week_plan_give_the_same_minutes(library, case):
    plan = make_plan(library, **CASES[case])
    page_one, rows = _said(plan)
    # the week plan: each phase's own estimate, in order
    kinds = ("strength_day", "other_day") if len(page_one) == 2 else ("other_day",)
    assert rows == [tuple(getattr(p.minutes, k) for k in kinds) for p in plan.phases]
    # page 1: the most of the week plan's figures, said as "up to" exactly where they differ
    for column, (words, figure) in enumerate(page_one):
        figures = {row[column] for row in rows}
        assert figure == max(figures) == getattr(plan.most_minutes, kinds[column])
        assert words.startswith(("tot ", "up to ")) == (len(figures) > 1), words


def test_the_combined_programme_says_up_to_on_page_one(library):
    """The trial's case: 13 minutes in weeks 1-2, 14 after; page 1 said 'about 14'."""
    plan = make_plan(library)
    page_one, rows = _said(plan)
    assert rows[0][0] == 13 and rows[1][0] == 14
    assert page_one[0] == ("tot ongeveer 14 minuten", 14)


@pytest.mark.parametrize("variant", [("nl", "je"), ("nl", "u"), ("nl-BE", "u"), ("en", "je")])
@pytest.mark.parametrize("foot", ["left", "both"])
def test_every_programme_says_its_most_once(library, variant, foot):
    """For every shipped programme: page 1's sentence holds the plan's most minutes, and
    "up to" exactly where the phases differ."""
    language, address = variant
    for programme in library.programmes:
        plan = make_plan(
            library, programme=programme, language=language, address=address, foot=foot
        )
        for kind in ("strength_day", "other_day"):
            most = getattr(plan.most_minutes, kind)
            figures = {getattr(p.minutes, kind) for p in plan.phases} - {None}
            if most is None:
                assert not figures
                continue
            up_to = "tot ongeveer" if language != "en" else "up to about"
            about = "ongeveer" if language != "en" else "about"
            said = f"{up_to if len(figures) > 1 else about} {most} minut"
            assert most == max(figures) and said in plan.time_text, (programme, plan.time_text)
            if len(figures) == 1:
                assert f"{up_to} {most} minut" not in plan.time_text
