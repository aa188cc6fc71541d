"""The handout's boxes (how-to, stop-and-contact, the therapist's note, the maintenance box),
read back from the PDFs: a box that fits on a page is never split; a box taller than a page
breaks only between its items, and its rest starts under its title continued, in every
language."""

from __future__ import annotations

import pytest
from msgspec.structs import replace

from handouts.pdf import styles, views
from handouts.pdf.handout import MARGIN, build_handout, render_handout
from tests.conftest import make_plan
from tests.pdfread import page_text

VARIANTS = {
    "Fatma: both feet, large print": {"foot": "both", "large_print": True},
    "large print, Letter, booklet apart": {
        "foot": "both",
        "large_print": True,
        "paper": "letter",
        "education": "separate",
    },
    "large print, English": {"large_print": True, "language": "en", "foot": "right"},
    "large print, Letter, u-form": {"large_print": True, "paper": "letter", "address": "u"},
    "large print, Flemish u-form, no education": {
        "large_print": True,
        "language": "nl-BE",
        "address": "u",
        "education": "off",
    },
    "normal print, Letter, both feet": {"foot": "both", "paper": "letter"},
    "normal print, English, no education": {"language": "en", "education": "off"},
}
NOTE = "Begin rustig. Neem je afvinklijst mee naar de volgende afspraak."


def _pages(data: bytes) -> list[str]:
    return [" ".join(page.split()) for page in page_text(data)]


def _boxes(view: views.Handout) -> dict[str, tuple[str, ...]]:
    """Each box's title and items, as the paper prints them."""
    boxes = {
        "how-to": (view.how_to.title, *view.how_to.items),
        "stop and contact": (view.red_flags.title, view.red_flags.intro, *view.red_flags.items),
    }
    if view.notes is not None:
        boxes["note"] = (view.notes.title, *view.notes.lines)
    if view.maintenance is not None:
        box = view.maintenance
        boxes["maintenance"] = (box.title, *box.paragraphs, *box.points)
    return boxes


@pytest.mark.parametrize("variant", VARIANTS)
def test_a_box_that_fits_on_a_page_is_never_split(library, variant):
    fields = VARIANTS[variant]
    plan = make_plan(library, notes=NOTE, **fields)
    with_education = fields.get("education", "on") == "on"
    pages = _pages(build_handout(plan, with_education=with_education))
    width = styles.PAGE_SIZES[plan.paper][0] - 2 * MARGIN
    for name, lines in _boxes(views.handout(plan, width, None, with_education)).items():
        first_item = " ".join(lines[1].split())  # found by its first item: titles recur
        holding = [n for n, page in enumerate(pages, 1) if first_item in page]
        assert len(holding) == 1, (name, first_item)
        on_its_page = pages[holding[0] - 1]
        missing = [line for line in lines if " ".join(line.split()) not in on_its_page]
        assert not missing, (name, f"page {holding[0]}", missing[:2])


def test_the_stop_and_contact_box_is_whole_on_page_one_in_large_print(library):
    """The trial's case (Fatma): both feet, large print, A4 and Letter: the box and every
    flag on page 1, with the traffic light right after it."""
    for paper in ("a4", "letter"):
        plan = make_plan(library, foot="both", large_print=True, paper=paper)
        pages = _pages(build_handout(plan))
        assert "Stop en neem contact op" in pages[0]
        assert "je diabetes hebt en een wondje of minder gevoel in je voet hebt" in pages[0]
        assert "Het pijn-stoplicht" in pages[0] + pages[1]


LONG_NOTE = "\n".join(f"Regel {n:02}: rustig aan." for n in range(1, 55))  # 54 lines


@pytest.mark.parametrize(
    ("language", "address", "continued"),
    [
        ("nl", "je", "Van je fysiotherapeut (vervolg)"),
        ("nl", "u", "Van uw fysiotherapeut (vervolg)"),
        ("nl-BE", "je", "Van je kinesitherapeut (vervolg)"),
        ("nl-BE", "u", "Van uw kinesitherapeut (vervolg)"),
        ("en", "je", "From your physiotherapist (continued)"),
    ],
)
def test_a_note_taller_than_a_page_breaks_between_lines_under_its_title(
    library, language, address, continued
):
    """A long note (54 short lines, large print) runs on: each line whole on one page, and
    every page it runs on to starts its part under the title continued."""
    plan = make_plan(library, notes=LONG_NOTE, large_print=True, language=language, address=address)
    pages = _pages(build_handout(plan, with_education=False))
    lines = LONG_NOTE.splitlines()
    holding = [n for n, page in enumerate(pages) if any(line in page for line in lines)]
    assert len(holding) >= 2  # it did run on
    assert holding == list(range(holding[0], holding[-1] + 1))
    for line in lines:  # each line whole, once
        assert sum(page.count(line) for page in pages) == 1, line
    for n in holding[1:]:
        before_first_line = pages[n].split(next(x for x in lines if x in pages[n]))[0]
        assert before_first_line.endswith(f"{continued} "), pages[n][:80]
    assert continued not in pages[holding[0]]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_stop_and_contact_box_taller_than_a_page_repeats_its_title(library, language):
    """The box with four times its flags: it breaks only between flags, and the title
    stands above each part, continued."""
    plan = make_plan(library, large_print=True, language=language)
    width = styles.PAGE_SIZES[plan.paper][0] - 2 * MARGIN
    view = views.handout(plan, width, None, with_education=False)
    flags = view.red_flags
    numbered = tuple(f"{n}. {item}" for n, item in enumerate(flags.items * 4, 1))
    view = replace(view, red_flags=replace(flags, items=numbered))
    pages = _pages(render_handout(view))
    holding = [n for n, page in enumerate(pages) if any(item in page for item in numbered)]
    assert len(holding) >= 2
    for item in numbered:
        assert sum(page.count(item) for page in pages) == 1, item
    for n in holding[1:]:
        assert flags.continued in pages[n]
        first = next(item for item in numbered if item in pages[n])
        assert pages[n].index(flags.continued) < pages[n].index(first)
    assert flags.title in pages[holding[0]] and flags.continued not in pages[holding[0]]
    assert flags.continued == f"{flags.title} ({'vervolg' if language == 'nl' else 'continued'})"


@pytest.mark.parametrize(
    "fields",
    [
        {"foot": "both", "large_print": True},
        {"large_print": True, "paper": "letter", "language": "en"},
        {"foot": "both", "paper": "letter", "language": "nl-BE", "address": "u"},
    ],
)
def test_a_topic_that_runs_on_starts_the_next_page_under_its_title_continued(library, fields):
    """The education runs on between paragraphs; on the page a topic runs on to, its rest
    stands under its title continued, like a card's."""
    plan = make_plan(library, **fields)
    pages = _pages(build_handout(plan))
    width = styles.PAGE_SIZES[plan.paper][0] - 2 * MARGIN
    ran_on = 0
    for topic in views.handout(plan, width, None).topics:
        lines = [" ".join(x.split()) for x in (*topic.paragraphs, *topic.points)]
        holding = [n for n, page in enumerate(pages) if any(line in page for line in lines)]
        head = next(n for n, page in enumerate(pages) if lines[0] in page)
        for n in holding:
            if n == head:
                assert topic.continued not in pages[n]
                continue
            ran_on += 1
            first = min(pages[n].index(line) for line in lines if line in pages[n])
            assert 0 <= pages[n].find(topic.continued) < first, (topic.title, n)
    assert ran_on  # some topic did run on to a next page


@pytest.mark.parametrize(
    "fields",
    [
        {"foot": "both", "large_print": True, "paper": "letter", "education": "off"},
        {"foot": "both", "large_print": True, "paper": "letter", "language": "en"},
        {"paper": "letter", "language": "nl-BE", "address": "u"},
    ],
)
def test_a_dosage_box_that_breaks_goes_on_under_its_title_continued(library, fields):
    """A card's dosage box may break between its stretches of weeks; the weeks on the next
    page stand under the box's title continued, and every stretch is printed once."""
    plan = make_plan(library, **fields)
    with_education = fields.get("education", "on") == "on"
    pages = _pages(build_handout(plan, with_education=with_education))
    text = " ".join(pages)
    width = styles.PAGE_SIZES[plan.paper][0] - 2 * MARGIN
    cards = views.handout(plan, width, None, with_education).cards
    steps = [f"{x.lead}: {x.text}" for card in cards for x in card.dosage if x.kind == "step"]
    for step in steps:
        assert text.count(step) == steps.count(step), step
    broken = 0
    for card in cards:
        lines = [f"{x.lead}: {x.text}" for x in card.dosage if x.kind == "step"]
        at = [next(n for n, page in enumerate(pages) if line in page) for line in lines]
        for line, page, before in zip(lines[1:], at[1:], at, strict=False):
            if page != before:  # the box broke before this stretch of weeks
                broken += 1
                assert 0 <= pages[page].find(card.dosage_continued) < pages[page].find(line)
    assert broken  # each case breaks a dosage box between its weeks
