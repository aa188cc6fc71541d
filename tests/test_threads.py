"""PDFs made in several threads at once, and one PDF made while another is being made,
are byte for byte the PDFs made one by one (fast and plain alike)."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from reportlab.platypus import Flowable, SimpleDocTemplate

from handouts.models import Patient, Practice
from handouts.pdf import fonts
from handouts.pdf.accel import FAST, PLAIN, Accelerator, PdfCanvas
from handouts.pdf.checklist import build_checklist
from handouts.pdf.handout import build_handout
from handouts.pdf.speed import Paragraph
from handouts.pdf.styles import paragraph_styles
from handouts.plan import Plan, resolve
from tests.conftest import TODAY, make_plan

PATIENTS: list[dict[str, Any]] = [
    {"foot": "left"},
    {"foot": "right", "language": "en", "name": "Zeynep İnce"},
    {"foot": "both", "language": "nl-BE", "large_print": True},
    {"foot": "left", "paper": "letter", "reps": 10, "notes": "Rustig aan."},
    {"foot": "right", "programme": "stretch-only"},
]


def plans(library: Any) -> list[Plan]:
    found = [make_plan(library, **fields) for fields in PATIENTS]
    teal = Practice(name="Fysio Teal", phone="012 34 56", accent_colour="#00695c")
    found.append(resolve(Patient(name="Jan Maes", foot="both"), library, teal, today=TODAY))
    return found


def pack(plan: Plan, accel: Accelerator) -> tuple[bytes, bytes]:
    return build_handout(plan, None, accel), build_checklist(plan, accel)


def test_pdfs_made_in_threads_are_the_pdfs_made_one_by_one(library):
    patients = plans(library)
    jobs = [(plan, accel) for plan in patients for accel in (FAST, PLAIN)]
    one_by_one = [pack(plan, accel) for plan, accel in jobs]
    assert FAST.memory is not None
    FAST.memory.clear()  # the threads fill it, racing for the same drawings
    with ThreadPoolExecutor(max_workers=6) as pool:
        at_once = list(pool.map(lambda job: pack(*job), jobs * 2))
    assert at_once == one_by_one * 2


class _Nested(Flowable):  # type: ignore[misc]
    """While the outer PDF is drawn, make two other PDFs (plain and fast)."""

    def __init__(self, plan: Plan, made: list[bytes] | None) -> None:
        super().__init__()
        self.plan, self.made = plan, made

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 10.0, 10.0

    def draw(self) -> None:
        if self.made is not None:
            self.made.append(build_checklist(self.plan, PLAIN))
            self.made.append(build_handout(self.plan, None, FAST))


def _outer(plan: Plan, inner: Plan, made: list[bytes] | None) -> bytes:
    fonts.register()
    buffer = io.BytesIO()
    style = paragraph_styles(False, "#1f5f8b")["body"]
    doc = SimpleDocTemplate(buffer, invariant=1, initialFontName=fonts.REGULAR)
    story = [Paragraph(plan.patient_name, style), _Nested(inner, made), Paragraph("Na – ëï", style)]
    with FAST.building():
        doc.build(story, canvasmaker=PdfCanvas)
    return buffer.getvalue()


def test_a_pdf_made_while_another_is_made_is_the_same(library):
    outer_plan, inner_plan = plans(library)[1:3]
    made: list[bytes] = []
    outer = _outer(outer_plan, inner_plan, made)
    assert made == [build_checklist(inner_plan, PLAIN), build_handout(inner_plan, None, FAST)]
    assert outer == _outer(outer_plan, inner_plan, None)
