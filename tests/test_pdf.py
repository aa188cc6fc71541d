"""Built PDFs, read back as a reader would: text, pages, fonts, sizes, reproducibility."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from reportlab.lib.styles import ParagraphStyle

from handouts.errors import InputError
from handouts.library import load_library
from handouts.models import Patient, Practice
from handouts.patients import PatientInput, PracticeInput
from handouts.pdf import fonts, views
from handouts.pdf.accel import FAST, PLAIN
from handouts.pdf.checklist import TooManyRows, build_checklist, layout_week, week_page_counts
from handouts.pdf.handout import build_handout
from handouts.pdf.styles import PAGE_SIZES
from handouts.plan import resolve
from handouts.produce import make_plan as checked_plan
from tests.conftest import (
    START,
    TODAY,
    drawn_characters,
    embedded_glyphs,
    fonts_of,
    make_plan,
    pdf_pages,
    write_extra_exercises,
)
from tests.pdfread import char_boxes, page_content

NAMES = ["Anne & <b>Bob</b>", "Zeynep İnce-Şahin", "Łukasz Żółć", "Françoise Dürrenmatt-Œuvre"]


@pytest.fixture(scope="module")
def demo_pdfs(library):
    plan = make_plan(
        library,
        name="Anne & <b>Bob</b>",
        foot="both",
        notes="Let op: <i>niet</i> forceren & rustig opbouwen.",
    )
    return plan, build_handout(plan), build_checklist(plan)


def test_markup_in_names_and_notes_prints_literally(demo_pdfs):
    _, handout, checklist = demo_pdfs
    handout_text = "\n".join(pdf_pages(handout))
    assert "Anne & <b>Bob</b>" in handout_text
    assert "<i>niet</i> forceren & rustig" in handout_text
    assert all("Anne & <b>Bob</b>" in page for page in pdf_pages(checklist))


def test_handout_has_page_numbers_and_the_essentials(demo_pdfs):
    plan, handout, _ = demo_pdfs
    pages = pdf_pages(handout)
    assert all(f"pagina {n} van {len(pages)}" in page for n, page in enumerate(pages, start=1))
    text = "\n".join(pages)
    for expected in (
        "Het pijn-stoplicht",
        "Groen",
        "Oranje",
        "Rood",
        "Stop en neem contact op",
        "beide voeten",
        "Je schema week voor week",
        "week 3–4",
        "21 dec – 3 jan",
    ):
        assert expected in text, expected
    for e in plan.exercises:
        assert e.name.split(",")[0] in text
    for leftover in ("{{", "}}", "None", "nan"):
        assert leftover not in text


@pytest.mark.parametrize("large_print", [False, True])
@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("foot", ["left", "both"])
def test_a_card_breaks_only_between_sections_under_its_name(library, large_print, language, foot):
    """A card that does not fit the rest of a page breaks between two of its sections
    (picture and steps, each foot's steps, the dosage's stretches of weeks, cautions), never
    inside a step or a line, and each later page of it starts with its name and "(vervolg)"."""
    plan = make_plan(
        library,
        foot=foot,
        large_print=large_print,
        language=language,
        include=sorted(library.exercises),
    )
    handout = build_handout(plan)
    assert chars_inside_page(handout)
    pages = [" ".join(p.split()) for p in pdf_pages(handout)]
    continued = "(vervolg)" if language == "nl" else "(continued)"
    cards = {card.name: card for card in views.handout(plan, 500, None).cards}
    broken = cursor = 0
    for e in plan.exercises:
        name, card = " ".join(e.name.split()), cards[e.name]
        # its title: the next page with its name not followed by "(vervolg)"
        first = next(
            n
            for n in range(cursor, len(pages))
            if pages[n].replace(f"{name} {continued}", "").count(name)
        )
        steps = [step for side in e.sides or (e,) for step in side.steps]
        dosage = [f"{x.lead}: {x.text}" if x.lead else x.text for x in card.dosage]
        texts = [*steps, *dosage, *card.cautions, *(text for _, text in card.easier_harder)]
        # each whole on one page (never split inside a step or a line), from the title on
        at = {text: next(n for n in range(first, len(pages)) if text in pages[n]) for text in texts}
        last = cursor = max(at.values())
        assert e.evidence_line in pages[last]
        assert f"{name} {continued}" not in pages[first], e.id  # not on its own first page
        for n in range(first + 1, last + 1):  # every later page starts with its name
            assert pages[n].startswith(f"{name} {continued}"), (e.id, n)
        broken += last > first
    assert broken  # the test saw breaks (this many cards do not all fit whole)


def _numbered_lines(view: tuple[str, int]) -> Any:
    from handouts.pdf.speed import Paragraph, Stack

    name, lines = view
    style = ParagraphStyle("test", fontName=fonts.REGULAR, fontSize=11, leading=14)
    return Stack([Paragraph(f"{name} {n}", style) for n in range(1, lines + 1)])


def test_a_remembered_block_keeps_together_and_splits_only_when_taller_than_a_page():
    """speed.Remembered keeps a block on one page as KeepTogether would: one that does not
    fit below a page's content starts the next page; one taller than a page flows on from
    there. The same with a Memory (made, then remembered) and without (plain)."""
    from reportlab.platypus import SimpleDocTemplate, Spacer

    from handouts.pdf.speed import Remembered

    fonts.register()
    for accelerator in (FAST, FAST, PLAIN):
        buffer = io.BytesIO()
        doc = SimpleDocTemplate(buffer, pagesize=PAGE_SIZES["a4"])
        story = [Spacer(1, doc.height - 100)]
        story += [
            Remembered(_numbered_lines, ("short", 10)),
            Remembered(_numbered_lines, ("long", 120)),
        ]
        with accelerator.building():
            doc.build(story)
        pages = pdf_pages(buffer.getvalue())
        assert "short 1" not in pages[0] and "short 10" in pages[1]  # moved, whole
        # the long one starts a page (as KeepTogether does) and flows on over three
        assert pages[2].startswith("long 1\n") and "long 120" in pages[4]
        lines = "\n".join(pages).splitlines()
        assert [line for line in lines if line.startswith("long")] == [
            f"long {n}" for n in range(1, 121)
        ]
        assert len(pages) == 5


def test_one_checklist_page_per_week_with_dates_rest_days_and_sides(demo_pdfs):
    plan, _, checklist = demo_pdfs
    pages = pdf_pages(checklist)
    assert len(pages) == 12
    for number, page in enumerate(pages, start=1):
        assert f"Week {number} van 12" in page
    assert "maandag 7 december – zondag 13 december 2026" in pages[0]
    assert "Fase: Start" in pages[0] and "Fase: Opbouwen" in pages[2]
    assert "rust" in pages[0]
    assert "Pijn bij eerste stappen (0–10)" in pages[0]
    assert pages[0].count("L") >= len(plan.weeks[0].rows) and "R" in pages[0]


def test_english_checklist_dates(library):
    plan = make_plan(library, language="en")
    page = pdf_pages(build_checklist(plan))[0]
    assert "Week 1 of 12" in page and "Mon" in page and "7 Dec" in page and "rest" in page


def test_only_the_bundled_font_and_it_is_embedded(demo_pdfs):
    _, handout, checklist = demo_pdfs
    for data in (handout, checklist):
        fonts = fonts_of(data)
        assert fonts and all(fonts.values()), fonts
        assert all("NotoSans" in name for name in fonts), fonts


def test_same_input_gives_the_same_bytes(library):
    plan = make_plan(library)
    assert build_handout(plan) == build_handout(plan)
    assert build_checklist(plan) == build_checklist(plan)


def _forget_everything() -> None:
    """Nothing remembered from earlier PDFs: every paragraph, card, split and stream made
    anew, as in a fresh process."""
    assert FAST.memory is not None
    FAST.memory.clear()


def test_drawing_remembered_across_patients_gives_the_same_bytes(library):
    """A batch worker reuses the layout and drawing of earlier patients' PDFs (fixed
    character codes): the bytes must be those of a PDF made from scratch, whatever came
    before. The patients differ in everything a remembered card or paragraph depends on."""
    patients = [
        {"foot": "left"},
        {"foot": "left", "start": START + dt.timedelta(7)},  # other dates on the cards
        {"foot": "left", "reps": 10},
        # the same note, but its İ gets another code in each PDF (Ş comes first in one)
        {"foot": "right", "language": "en", "name": "Şeyma İnce", "notes": "İnce"},
        {"foot": "left", "name": "İlker Şahin", "notes": "İnce"},
        {"foot": "both", "language": "nl-BE", "large_print": True, "notes": "Rustig – 3× per dag"},
        {"foot": "right", "programme": "stretch-only", "reps": 8},
        {"foot": "right", "programme": "stretch-only", "reps": 8, "start": START + dt.timedelta(7)},
        {"foot": "right", "programme": "stretch-only", "reps": 8, "paper": "letter"},
    ]
    plans = [make_plan(library, **fields) for fields in patients]
    teal = Practice(accent_colour="#00695c")
    plans.append(resolve(Patient(name="Anne", foot="left"), library, teal, today=TODAY))
    plans.append(resolve(Patient(name="Anne", foot="right"), library, teal, today=TODAY))
    for plan in plans:  # warm: each drawn after all the others
        build_handout(plan), build_checklist(plan)
    warm = [(build_handout(plan), build_checklist(plan)) for plan in reversed(plans)]
    fresh = []
    for plan in reversed(plans):
        _forget_everything()
        fresh.append((build_handout(plan), build_checklist(plan)))
    assert warm == fresh


def test_font_files_hold_the_glyphs_drawn_and_no_others(library):
    """Only drawn glyphs are embedded (fonts.py). Drawing reused from an earlier PDF (a card,
    a paragraph) must bring its glyphs along: the PDFs are checked as made after the others,
    and one as made from scratch."""
    plans = [
        make_plan(library, foot="left", notes="Quiz: 5× jog & <b>"),
        make_plan(library, foot="right", language="en", name="Şeyma İnce", reps=10),
        make_plan(library, foot="both", language="nl-BE", large_print=True),
    ]
    for plan in plans:
        build_handout(plan), build_checklist(plan)
    made = [(build_handout(plan), build_checklist(plan)) for plan in reversed(plans)]
    _forget_everything()
    made.append((build_handout(plans[1]), build_checklist(plans[1])))
    for data in (pdf for pair in made for pdf in pair):
        drawn, embedded = drawn_characters(data), embedded_glyphs(data)
        for font in drawn.keys() | embedded.keys():
            missing = drawn.get(font, set()) - embedded.get(font, set())
            not_drawn = embedded.get(font, set()) - drawn.get(font, set())
            assert not missing and not not_drawn, (font, missing, not_drawn)


def test_fixed_codes_cover_the_shipped_texts():
    """Every character of the shipped library and locale texts has a fixed code, so their
    drawing can be reused from PDF to PDF (fonts.FIXED)."""
    from importlib import resources

    from handouts.pdf import fonts

    folder = resources.files("handouts")
    texts = [
        path.read_text(encoding="utf-8")
        for sub in ("library", "locales")
        for path in Path(str(folder.joinpath(sub))).rglob("*.yaml")
    ]
    missing = {c for text in texts for c in text if c not in fonts.COVERED and c != "\n"}
    assert not missing, f"add to fonts.FIXED: {''.join(sorted(missing))}"


@pytest.mark.parametrize("name", NAMES)
def test_names_from_many_languages_print(library, name):
    plan = make_plan(library, name=name)
    assert name in pdf_pages(build_checklist(plan))[0]
    assert name in pdf_pages(build_handout(plan))[0]


def test_a_name_the_font_cannot_print_is_refused(library):
    patient = PatientInput(Patient(name="王小明", foot="left"), "patient.yaml", TODAY)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="cannot print"):
        checked_plan(patient, PracticeInput(Practice(), None), library, TODAY)


@pytest.mark.parametrize(
    ("notes", "said"),
    [
        (
            "Loop ≤ 30 minuten.",
            "contains '≤', which the handout's font cannot print; "
            "write it in words (≤ at most) or leave it out",
        ),
        (
            "Goed zo 🙂",
            "contains '🙂', which the handout's font cannot print; "
            "write it in words or leave it out",
        ),
    ],
)
def test_a_sign_in_the_notes_the_font_cannot_print_is_named(library, notes, said):
    """The message names the field and the sign, and says what to write instead: not
    "Latin letters", which fits a name in another script, not a sign."""
    patient = PatientInput(Patient(name="Jan", foot="left", notes=notes), "jan.yaml", TODAY)  # type: ignore[arg-type]
    with pytest.raises(InputError) as caught:
        checked_plan(patient, PracticeInput(Practice(), None), library, TODAY)
    assert str(caught.value) == f"jan.yaml: notes: {said}"


def chars_inside_page(data: bytes) -> bool:
    return all(
        left >= 0 and right <= width + 0.5 and bottom >= 0 and top <= height
        for width, height, boxes in char_boxes(data)
        for left, bottom, right, top in boxes
    )


def body_size(data: bytes) -> float:
    sizes = Counter(size for page in page_content(data) for _, _, size, _, _ in page.chars)
    return sizes.most_common(1)[0][0]


def test_body_text_is_11pt_and_14pt_in_large_print(library):
    assert body_size(build_handout(make_plan(library))) >= 11
    large = build_handout(make_plan(library, large_print=True))
    assert body_size(large) >= 14
    assert chars_inside_page(large)


def test_ten_exercises_three_times_a_day_both_feet_large_print_keep_their_size(tmp_path, library):
    """Large print never shrinks: a week too full for one page at full size is shared over
    more pages (normal print shrinks the type a little and keeps one page)."""
    extra = write_extra_exercises(tmp_path, library, 10)
    big = load_library([tmp_path])
    fields: dict[str, Any] = {
        "foot": "both",
        "sessions_per_day": 3,
        "exclude": sorted(library.exercises),
        "include": extra,
    }
    plan = make_plan(big, large_print=True, **fields)
    assert len(plan.weeks[0].rows) == 10
    assert all(max(row.sessions) == 3 and row.sides for row in plan.weeks[0].rows)
    rows = views.checklist(plan).weeks[0].rows
    for paper in ("a4", "letter"):
        with pytest.raises(TooManyRows):
            layout_week(1, rows, PAGE_SIZES[paper], large=True)
        assert layout_week(1, rows, PAGE_SIZES[paper], large=False).fits
    counts = week_page_counts(views.checklist(plan))
    checklist = build_checklist(plan)
    assert len(pdf_pages(checklist)) == sum(counts) and min(counts) >= 2
    assert chars_inside_page(checklist)
    names = Counter(  # the size of every "Praktijkoefening" (the exercises' names)
        page.chars[at][2]
        for page in page_content(checklist)
        for at in _find_all("".join(c[0] for c in page.chars), "Praktijkoefening")
    )
    assert set(names) == {14.0} and sum(names.values()) == 10 * len(plan.weeks)
    normal = build_checklist(make_plan(big, **fields))
    assert len(pdf_pages(normal)) == len(plan.weeks)


def _find_all(text: str, word: str) -> list[int]:
    found, at = [], text.find(word)
    while at >= 0:
        found.append(at)
        at = text.find(word, at + 1)
    return found


def test_letter_paper(library):
    plan = make_plan(library, paper="letter")
    page = page_content(build_checklist(plan))[0]
    assert (round(page.width), round(page.height)) == (612, 792)


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")
def test_poppler_reads_both_pdfs_and_sees_only_embedded_fonts(tmp_path, demo_pdfs):
    _, handout, checklist = demo_pdfs
    for name, data in (("handout.pdf", handout), ("checklist.pdf", checklist)):
        path = tmp_path / name
        path.write_bytes(data)
        fonts = subprocess.run(
            ["pdffonts", str(path)], capture_output=True, text=True, check=True
        ).stdout.splitlines()[2:]
        assert fonts and all(" yes " in line and "NotoSans" in line for line in fonts), fonts
        text = subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
        )
        assert "Anne & <b>Bob</b>" in text.stdout and not text.stderr


def _box(c: Any, view: tuple[str, int]) -> None:
    c.rect(0, 0, 10, 10)


def _row(c: Any, view: str) -> None:
    from handouts.pdf.forms import Forms

    c.setFont(fonts.BOLD, 10)
    c.drawString(20, 2, view)
    Forms.of(c).place(_box, ("box", 1), (0, 0, 10, 10))
    Forms.of(c).place(_box, ("box", 2), (0, 0, 10, 10), x=12)  # the same drawing


def test_forms_are_named_by_what_they_draw_and_drawn_once():
    """forms.Forms: two views that draw the same share one XObject; a form remembered from
    an earlier PDF is written with the forms it places, as drawing it would."""
    from pypdf import PdfReader

    from handouts.pdf.accel import PdfCanvas
    from handouts.pdf.forms import Forms

    def make() -> bytes:
        buffer = io.BytesIO()
        with FAST.building():
            canvas = PdfCanvas(buffer, invariant=1, initialFontName=fonts.REGULAR)
            Forms(canvas).place(_row, "Peesplaatrek", (0, 0, 200, 20), y=100)
            canvas.showPage()
            canvas.save()
        return buffer.getvalue()

    first, second = make(), make()  # the second writes the remembered row and box
    assert first == second
    page = PdfReader(io.BytesIO(first)).pages[0]
    (row,) = page["/Resources"]["/XObject"].values()
    (box_form,) = row.get_object()["/Resources"]["/XObject"].values()
    assert box_form.get_object().get_data().strip().endswith(b"0 0 10 10 re S")
    assert "Peesplaatrek" in pdf_pages(first)[0]
