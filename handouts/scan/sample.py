"""A realistic machine-readable weekly checklist, laid out from a small spec: the demo page.

Until the real checklist renderer emits geometry, this is how scan pages are made for the
tests, the benchmark and a look on paper. It shows what a real page carries: a row of session
boxes per exercise and day (L above R for both feet), grey rest days on every-other-day
exercises, the first-step pain as a 0-10 column per day (one cross per day and foot, so the
crosses draw a chart), the pain during the heel raise on its days, and the scan marks.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path

import msgspec
from msgspec.structs import replace
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from handouts.deliver import atomic_write
from handouts.pdf import fonts
from handouts.pdf.scanmarks import draw_box, draw_form_fields, draw_pain_boxes, draw_scan_marks
from handouts.scan.geometry import (
    MARKER_INSET,
    MARKER_SIZE,
    MM,
    Box,
    PageGeometry,
    Point,
    Rect,
    Registry,
    SideMark,
    corner_markers,
    standard_qr,
)
from handouts.text import format_day

MARGIN = 13 * MM
TOP = MARKER_INSET + MARKER_SIZE + 3 * MM  # content starts below the top markers
LABEL_WIDTH = 150.0
SESSION_BOX = 14.0  # 4.9 mm: easy to hit with a pen
PAIN_BOX = 11.5
PAIN_STEP = 13.0
BANDS = {  # light traffic-light tints behind the pain scores
    "green": colors.Color(0.86, 0.94, 0.86),
    "amber": colors.Color(0.99, 0.93, 0.80),
    "red": colors.Color(0.98, 0.87, 0.86),
}
GREY = colors.Color(0.9, 0.9, 0.9)
TEXT = colors.Color(0.1, 0.1, 0.1)
ACCENT = colors.Color(0.12, 0.37, 0.55)


class SampleExercise(msgspec.Struct, frozen=True):
    exercise_id: str
    name: str
    dosage: str
    sessions_per_day: int = 1
    every_other_day: bool = False  # rest on days 2, 4, 6 of the week
    during_pain: bool = False  # ask the pain during the exercise on its days


LEAN = (
    SampleExercise(
        "heel-raise-towel-step", "Op je tenen op de trap", "3 × 12 · om de dag", 1, True, True
    ),
    SampleExercise("plantar-fascia-stretch-seated", "Peesplaatrek", "10× 10 s · 3× per dag", 3),
    SampleExercise("calf-stretch-wall-straight-knee", "Kuitrek", "3× 30 s · 1× per dag", 1),
)


class SamplePage(msgspec.Struct, frozen=True):
    geometry: PageGeometry
    week: int
    start: dt.date
    feet: tuple[SideMark, ...]
    exercises: tuple[SampleExercise, ...]
    green_max: int = 2
    amber_max: int = 5


def layout_page(
    page_id: str,
    week: int,
    start: dt.date,
    exercises: Sequence[SampleExercise] = LEAN,
    foot: str = "left",
    page_size: Point = A4,
) -> SamplePage:
    """Work out every box of one week's page (pure arithmetic, no drawing)."""
    width, height = page_size
    feet: tuple[SideMark, ...] = ("left", "right") if foot == "both" else ("",)
    days = [start + dt.timedelta(days=i) for i in range(7)]
    left, right = MARGIN, width - MARGIN
    day_width = (right - left - LABEL_WIDTH) / 7
    day_x = [left + LABEL_WIDTH + i * day_width for i in range(7)]
    boxes: list[Box] = []

    y = height - TOP - 14 * MM  # below the header
    y -= 24  # day header row
    for exercise in exercises:
        n = exercise.sessions_per_day
        box = min(SESSION_BOX, (day_width - 10 - (n - 1) * 3) / n)
        row_height = max(40.0, len(feet) * (box + 6) + 12)
        for d, day in enumerate(days):
            if exercise.every_other_day and d % 2 == 1:
                continue
            total = n * box + (n - 1) * 3
            for f, side in enumerate(feet):
                by = y - 6 - (f + 1) * (box + 6) + 3 - (row_height - 12 - len(feet) * (box + 6)) / 2
                bx = day_x[d] + (day_width - total) / 2 + (4 if side else 0)
                for s in range(n):
                    rect = (bx + s * (box + 3), by, box, box)
                    boxes.append(
                        Box("session", day, rect, exercise.exercise_id, side, session=s + 1)
                    )
        y -= row_height

    # first-step pain: per day a column of 11 boxes, 10 at the top
    y -= 8
    chart_top = y - 6
    for d, day in enumerate(days):
        for f, side in enumerate(feet):
            if len(feet) == 2:
                cx = day_x[d] + day_width / 2 + (-1 if f == 0 else 1) * (PAIN_BOX / 2 + 3)
            else:
                cx = day_x[d] + day_width / 2
            for score in range(11):
                by = chart_top - (10 - score + 1) * PAIN_STEP + (PAIN_STEP - PAIN_BOX) / 2
                rect = (cx - PAIN_BOX / 2, by, PAIN_BOX, PAIN_BOX)
                boxes.append(Box("pain", day, rect, "", side, score=score, pain_kind="first_steps"))
    y = chart_top - 11 * PAIN_STEP - 10

    # pain during the exercise, on its days: a row of 0-10 per day (and foot)
    for exercise in exercises:
        if not exercise.during_pain:
            continue
        y -= 30
        block_width = (right - left) / len(feet)
        for d, day in enumerate(days):
            if exercise.every_other_day and d % 2 == 1:
                continue
            for f, side in enumerate(feet):
                x0 = left + f * block_width + 62
                for score in range(11):
                    rect = (x0 + score * 16, y, PAIN_BOX, PAIN_BOX)
                    boxes.append(
                        Box(
                            "pain",
                            day,
                            rect,
                            exercise.exercise_id,
                            side,
                            score=score,
                            pain_kind="during_exercise",
                        )
                    )
            y -= 16
    geometry = PageGeometry(
        page_id=page_id,
        page_size=(width, height),
        markers=corner_markers(page_size),
        marker_size=MARKER_SIZE,
        qr=standard_qr(page_size),
        boxes=tuple(boxes),
    )
    if page_id:
        geometry.check()
    return SamplePage(geometry, week, start, feet, tuple(exercises))


def render_pages(pages: Sequence[SamplePage], fillable: bool = False) -> bytes:
    """One PDF with a page per SamplePage; fillable adds the form fields."""
    fonts.register()
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=pages[0].geometry.page_size, invariant=1)
    c.setTitle("Afvinklijst")
    for page in pages:
        c.setPageSize(page.geometry.page_size)
        draw_page(c, page)
        if fillable:
            draw_form_fields(c, page.geometry)
        c.showPage()
    c.save()
    return buffer.getvalue()


def draw_page(c: Canvas, page: SamplePage) -> None:
    g = page.geometry
    width, height = g.page_size
    left, right = MARGIN, width - MARGIN
    day_width = (right - left - LABEL_WIDTH) / 7
    days = [page.start + dt.timedelta(days=i) for i in range(7)]
    draw_scan_marks(c, g)

    # header, clear of the top-left marker and the QR code
    top = height - MARKER_INSET - 5
    x = MARKER_INSET + MARKER_SIZE + 5 * MM
    c.setFillColor(ACCENT)
    c.setFont(fonts.BOLD, 17)
    c.drawString(x, top - 14, f"Afvinklijst · Week {page.week}")
    c.setFillColor(TEXT)
    c.setFont(fonts.REGULAR, 10)
    first, last = (
        format_day(days[0], "nl", "EEEE d MMMM"),
        format_day(days[-1], "nl", "EEEE d MMMM y"),
    )
    period = f"{first} – {last}"
    c.drawString(x, top - 30, period)
    c.drawString(x, top - 44, "Zet een kruisje in een vakje na elke keer oefenen.")

    # day header
    y = height - TOP - 14 * MM
    c.setFillColor(ACCENT)
    c.rect(left, y - 24, right - left, 24, stroke=0, fill=1)
    c.setFillColor(colors.white)
    c.setFont(fonts.BOLD, 10)
    c.drawString(left + 6, y - 15, "Oefening")
    for d, day in enumerate(days):
        cx = left + LABEL_WIDTH + (d + 0.5) * day_width
        c.setFont(fonts.BOLD, 10)
        c.drawCentredString(cx, y - 11, format_day(day, "nl", "EEE"))
        c.setFont(fonts.REGULAR, 8.5)
        c.drawCentredString(cx, y - 21, format_day(day, "nl", "d MMM"))
    y -= 24

    both = len(page.feet) == 2
    for exercise in page.exercises:
        n = exercise.sessions_per_day
        box = min(SESSION_BOX, (day_width - 10 - (n - 1) * 3) / n)
        row_height = max(40.0, len(page.feet) * (box + 6) + 12)
        c.setFillColor(TEXT)
        c.setFont(fonts.BOLD, 11)
        c.drawString(left + 6, y - 17, exercise.name)
        c.setFont(fonts.REGULAR, 9)
        c.drawString(left + 6, y - 30, exercise.dosage)
        for d in range(7):
            x0 = left + LABEL_WIDTH + d * day_width
            if exercise.every_other_day and d % 2 == 1:
                c.setFillColor(GREY)
                c.rect(x0, y - row_height, day_width, row_height, stroke=0, fill=1)
                c.setFillColor(colors.Color(0.4, 0.4, 0.4))
                c.setFont(fonts.REGULAR, 9)
                c.drawCentredString(x0 + day_width / 2, y - row_height / 2 - 3, "rust")
        c.setStrokeColor(colors.Color(0.75, 0.75, 0.75))
        c.setLineWidth(0.5)
        c.line(left, y - row_height, right, y - row_height)
        y -= row_height
    for box_ in g.boxes:
        if box_.kind == "session":
            draw_box(c, box_.rect)
            if both and box_.session == 1:
                c.setFont(fonts.REGULAR, 7)
                c.setFillColor(colors.Color(0.35, 0.35, 0.35))
                c.drawRightString(
                    box_.rect[0] - 2, box_.rect[1] + 3, "L" if box_.side == "left" else "R"
                )

    # first-step pain chart
    pain = [b for b in g.boxes if b.pain_kind == "first_steps"]
    y -= 8
    c.setFillColor(TEXT)
    c.setFont(fonts.BOLD, 10)
    top_box = max(b.rect[1] + b.rect[3] for b in pain)
    bottom_box = min(b.rect[1] for b in pain)
    c.drawString(left + 6, top_box - 10, "Pijn eerste stappen")
    c.setFont(fonts.REGULAR, 8.5)
    lines = ["’s Morgens, na het", "opstaan. Eén kruisje", "per dag, in de kolom", "van die dag."]
    if both:
        lines += ["L = linkervoet", "R = rechtervoet"]
    for i, text in enumerate(lines):
        c.drawString(left + 6, top_box - 24 - i * 11, text)
    # bands behind the scores
    step = PAIN_STEP
    for score in range(11):
        zone = "green" if score <= page.green_max else "amber" if score <= page.amber_max else "red"
        yb = bottom_box - (step - PAIN_BOX) / 2 + score * step
        c.setFillColor(BANDS[zone])
        c.rect(left + LABEL_WIDTH - 22, yb, right - left - LABEL_WIDTH + 22, step, stroke=0, fill=1)
        c.setFillColor(TEXT)
        c.setFont(fonts.REGULAR, 8)
        c.drawRightString(left + LABEL_WIDTH - 6, yb + step / 2 - 3, str(score))
    for d in range(1, 7):
        x0 = left + LABEL_WIDTH + d * day_width
        c.setStrokeColor(colors.white)
        c.setLineWidth(1.5)
        c.line(x0, bottom_box - 1, x0, top_box + 1)
    for day in days:
        if both:
            for side, label in (("left", "L"), ("right", "R")):
                top_of = max(
                    b.rect for b in pain if b.day == day and b.side == side and b.score == 10
                )
                c.setFont(fonts.REGULAR, 7)
                c.setFillColor(colors.Color(0.35, 0.35, 0.35))
                c.drawCentredString(top_of[0] + top_of[2] / 2, top_of[1] + top_of[3] + 3, label)
    draw_pain_boxes(c, pain, 8, labels="none")

    # pain during the exercise
    during = [b for b in g.boxes if b.pain_kind == "during_exercise"]
    if during:
        names = {e.exercise_id: e.name for e in page.exercises}
        first_box = during[0]
        top_row = max(b.rect[1] for b in during) + PAIN_BOX
        c.setFillColor(TEXT)
        c.setFont(fonts.BOLD, 10)
        c.drawString(left + 6, top_row + 14, f"Pijn tijdens: {names[first_box.exercise_id]}")
        c.setFont(fonts.REGULAR, 8.5)
        c.drawString(left + 230, top_row + 14, "Eén kruisje per dag.")
        for b in during:
            if b.score == 0:
                label = format_day(b.day, "nl", "EEE d MMM")
                if b.side:
                    label += " · " + ("L" if b.side == "left" else "R")
                c.setFillColor(TEXT)
                c.setFont(fonts.REGULAR, 8.5)
                c.drawRightString(b.rect[0] - 6, b.rect[1] + 2.5, label)
            zone = (
                "green"
                if b.score <= page.green_max
                else "amber"
                if b.score <= page.amber_max
                else "red"
            )
            c.setFillColor(BANDS[zone])
            c.rect(b.rect[0] - 2, b.rect[1] - 2, b.rect[2] + 4, b.rect[3] + 4, stroke=0, fill=1)
        top_boxes = [b for b in during if b.rect[1] + PAIN_BOX >= top_row - 0.1]
        c.setFillColor(colors.Color(0.3, 0.3, 0.3))
        c.setFont(fonts.REGULAR, 7.5)
        for b in top_boxes:
            c.drawCentredString(b.rect[0] + b.rect[2] / 2, b.rect[1] + b.rect[3] + 3, str(b.score))
        draw_pain_boxes(c, during, 8, labels="none")

    # legend, above the bottom markers
    base = MARKER_INSET + MARKER_SIZE + 6
    c.setFont(fonts.REGULAR, 9)
    x = MARKER_INSET + MARKER_SIZE + 5 * MM
    for zone, text in (
        ("green", f"Groen 0–{page.green_max}: ga door"),
        ("amber", f"Oranje {page.green_max + 1}–{page.amber_max}: niet zwaarder maken"),
        ("red", f"Rood {page.amber_max + 1}–10: stap terug"),
    ):
        c.setFillColor(BANDS[zone])
        c.rect(x, base - 2, 10, 10, stroke=0, fill=1)
        c.setFillColor(TEXT)
        c.drawString(x + 14, base, text)
        x += 14 + c.stringWidth(text, fonts.REGULAR, 9) + 18
    # the rest of the page: room for notes
    notes_top = min(b.rect[1] for b in g.boxes) - 26
    if notes_top - base > 60:
        c.setFillColor(TEXT)
        c.setFont(fonts.BOLD, 10)
        c.drawString(left, notes_top, "Notities (hoe ging het? vragen voor je fysiotherapeut?)")
        c.setStrokeColor(colors.Color(0.7, 0.7, 0.7))
        c.setLineWidth(0.6)
        c.roundRect(left, base + 18, right - left, notes_top - 8 - base - 18, 4)
        line_y = notes_top - 30
        while line_y > base + 26:
            c.line(left + 8, line_y, right - 8, line_y)
            line_y -= 22


def box_centre(rect: Rect) -> Point:
    return rect[0] + rect[2] / 2, rect[1] + rect[3] / 2


def write_sample(
    out_dir: Path,
    pack_id: str = "sample",
    foot: str = "left",
    weeks: int = 2,
    start: dt.date = dt.date(2026, 12, 7),
    fillable: bool = False,
) -> Path:
    """Sample checklist pages registered in out_dir, as the real checklist will do it: try
    `handouts scan` on them (print, tick, scan or photograph) before the renderer emits them."""
    registry = Registry(out_dir)
    pages = []
    for week in range(1, weeks + 1):
        layout = layout_page("", week, start + dt.timedelta(weeks=week - 1), foot=foot)
        names = {e.exercise_id: e.name for e in layout.exercises}
        geometry = registry.register(
            pack_id, week, layout.geometry, patient=pack_id, exercise_names=names
        )
        pages.append(replace(layout, geometry=geometry))
    path = out_dir / f"{pack_id}_scan-checklist.pdf"
    atomic_write(path, render_pages(pages, fillable=fillable), sync=False)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description="Write sample scan-ready checklist pages.")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--foot", choices=["left", "right", "both"], default="left")
    parser.add_argument("--weeks", type=int, default=2)
    parser.add_argument("--fillable", action="store_true")
    options = parser.parse_args()
    print(
        write_sample(
            options.out_dir, foot=options.foot, weeks=options.weeks, fillable=options.fillable
        )
    )


if __name__ == "__main__":
    main()
