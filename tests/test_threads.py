"""PDFs made in several threads at once, and one PDF made while another is being made,
are byte for byte the PDFs made one by one (fast and plain alike).

Threads here take turns every microsecond (frequent_switches) instead of every 5 ms: a race
needs two threads inside the same few lines at once, which is then thousands of times
likelier, so that a test fails on it nearly every run instead of once in many."""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from reportlab.pdfbase import pdfmetrics
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


@contextlib.contextmanager
def frequent_switches() -> Iterator[None]:
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(before)


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
    with frequent_switches(), ThreadPoolExecutor(max_workers=6) as pool:
        at_once = list(pool.map(lambda job: pack(*job), jobs * 2))
    assert at_once == one_by_one * 2


def test_font_files_made_in_threads_at_once_are_those_made_one_by_one():
    """Every PDF embeds a subset of the font, made from the one face object that all PDFs of
    the process share; reportlab reads its font file through the face's one read position.
    Unguarded, about 1 in 125 of these subsets lost glyphs or failed with a KeyError."""
    fonts.register()
    # accented letters are composite glyphs: reportlab reads their parts at that position
    codes = sorted({ord(c) for c in "Zeynep İnce, Noël Dvořák, Müller – é ï ó …"})
    faces = [pdfmetrics.getFont(name).face for name in (fonts.REGULAR, fonts.BOLD)]
    one_by_one = [face.makeSubset(codes) for face in faces]
    with frequent_switches(), ThreadPoolExecutor(max_workers=4) as pool:
        at_once = list(pool.map(lambda i: faces[i % 2].makeSubset(codes), range(3000)))
    assert at_once == one_by_one * 1500


# In a new process: twelve threads make their first PDF at once, so all register the fonts
# at once; each then parses bold text until all have registered, noting the fonts it got.
FIRST_PDFS_AT_ONCE = """
import sys, threading
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph
from handouts.pdf import fonts

sys.setswitchinterval(1e-6)
style = ParagraphStyle("body", fontName=fonts.REGULAR)
threads = 12
start, registered, bold_in = threading.Barrier(threads), [], set()

def make_pdf():
    start.wait()
    fonts.register()
    registered.append(True)
    while True:
        everyone = len(registered) == threads
        bold_in.add(Paragraph("<b>Stop</b> bij pijn", style).frags[0].fontName)
        if everyone:
            break

workers = [threading.Thread(target=make_pdf) for _ in range(threads)]
for worker in workers:
    worker.start()
for worker in workers:
    worker.join()
print(" ".join(sorted(bold_in)))
"""


def test_bold_is_bold_while_other_threads_register_the_fonts():
    """reportlab's registerFont maps a font's bold to the font itself until fonts.register()
    maps it to the bold face: a thread that had registered already printed bold text in the
    regular face while another one registered too (without the guard: in 29 of 30 runs;
    two runs at once here)."""
    root = Path(__file__).resolve().parent.parent  # python -c imports handouts from here
    command = [sys.executable, "-c", FIRST_PDFS_AT_ONCE]
    runs = [subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE) for _ in range(2)]
    for run in runs:
        out, _ = run.communicate(timeout=120)
        assert run.returncode == 0
        assert out.decode().split() == [fonts.BOLD]


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
