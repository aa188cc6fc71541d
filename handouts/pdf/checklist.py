"""Weekly tick-off checklists: one page per programme week, drawn straight on the canvas.

A row per exercise with that week's dosage, one tick box per session due each day (L and R
boxes for both feet), grey rest days, a row for the morning first-step pain score, a notes
area and the traffic-light legend. The layout is computed first and shrinks the type a little
when a week has many rows, so a week always fits on one page.

For speed (a batch makes thousands of these pages), what repeats is drawn once per PDF as a
Form XObject and placed on every page that shows it: the page frame, each distinct exercise
row, each kind of day cell. A page itself only holds its own words: week, dates and phase.
Rows, days and a week's words are the same for many patients: their drawing is remembered
across PDFs too (forms.py).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from handouts.errors import OutputError
from handouts.pdf import fonts, styles
from handouts.pdf.common import footer_centre, set_metadata
from handouts.pdf.forms import Forms, remembered
from handouts.pdf.illustrations import Picture, define_form, draw_picture, picture_for
from handouts.pdf.speed import pdf_streams
from handouts.plan import ChecklistRow, Plan, PlanWeek
from handouts.text import Strings, format_day, strings

MARGIN = 13 * mm
DAYS = 7
LINE = 1.2  # line height factor


@dataclass(frozen=True)
class Metrics:
    """Type and box sizes for one page; scaled down together when rows do not fit."""

    name: float  # exercise name
    detail: float  # dosage line, day labels
    box: float  # tick box side
    gap: float  # between boxes
    pad: float  # inside a row, above and below

    def scaled(self, factor: float) -> Metrics:
        return Metrics(*(value * factor for value in vars(self).values()))


BASE = {
    False: Metrics(name=11, detail=9.5, box=11, gap=3, pad=4),
    True: Metrics(name=14, detail=12, box=13, gap=3, pad=4.5),
}
SMALLEST_SCALE = 0.75


@dataclass(frozen=True)
class RowLayout:
    row: ChecklistRow
    name_lines: tuple[str, ...]
    detail_lines: tuple[str, ...]
    height: float


@dataclass(frozen=True)
class PageLayout:
    metrics: Metrics
    label_width: float
    day_width: float
    header_height: float
    day_header_height: float
    rows: tuple[RowLayout, ...]
    pain_height: float
    legend_height: float
    notes_height: float  # what is left for notes; at least NOTES_MIN

    @property
    def rows_height(self) -> float:
        return sum(r.height for r in self.rows)


NOTES_MIN = 16 * mm
PICTURE_RATIO = 0.75  # the exercise pictures are 4:3


def thumbnail_width(m: Metrics) -> float:
    """The picture beside an exercise's name: small, but enough to recognise the exercise."""
    return m.box * 4.0


def layout_week(week: PlanWeek, page_size: tuple[float, float], large_print: bool) -> PageLayout:
    """Sizes for one week's page, shrinking the type step by step until it fits."""
    layout = _fitted(week.rows, page_size, large_print)
    if layout is None:
        raise OutputError(
            f"week {week.number} has too many exercises for one checklist page "
            f"({len(week.rows)}); leave some out with exclude"
        )
    return layout


@lru_cache(maxsize=256)
def _fitted(
    rows: tuple[ChecklistRow, ...], page_size: tuple[float, float], large_print: bool
) -> PageLayout | None:
    """The layout depends on the rows only: weeks of one phase, and patients with the same
    programme and language, share it (layouts are frozen, so sharing is safe)."""
    fonts.register()
    scale = 1.0
    while scale >= SMALLEST_SCALE - 1e-9:
        layout = _layout_at(rows, page_size, BASE[large_print].scaled(scale))
        if layout.notes_height >= NOTES_MIN:
            return _roomier_rows(layout)
        scale -= 0.05
    return None


NOTES_ENOUGH = 60 * mm


def _roomier_rows(layout: PageLayout) -> PageLayout:
    """With few exercises, give the rows the space a huge notes box would take: bigger rows
    are easier to tick. Rows grow to at most 1.6 times their height."""
    spare = layout.notes_height - NOTES_ENOUGH
    if spare <= 0 or not layout.rows:
        return layout
    growth = min(spare / layout.rows_height, 0.6)
    rows = tuple(replace(r, height=r.height * (1 + growth)) for r in layout.rows)
    return replace(
        layout, rows=rows, notes_height=layout.notes_height - layout.rows_height * growth
    )


def _layout_at(
    week_rows: tuple[ChecklistRow, ...], page_size: tuple[float, float], m: Metrics
) -> PageLayout:
    width, height = page_size
    content_width = width - 2 * MARGIN
    most_sessions = max([max(r.sessions) for r in week_rows] + [1])
    boxes_width = most_sessions * m.box + (most_sessions - 1) * m.gap
    day_width = max(boxes_width + 7, m.detail * 4.6)
    label_width = content_width - DAYS * day_width
    side_letter_width = m.detail * 1.3 if any(r.sides for r in week_rows) else 0
    thumb = thumbnail_width(m) if any(r.picture for r in week_rows) else 0
    text_width = label_width - side_letter_width - 8 - (thumb + 4 if thumb else 0)
    rows = []
    for row in week_rows:
        name_lines = tuple(simpleSplit(row.name, fonts.BOLD, m.name, text_width))
        detail_lines = tuple(simpleSplit(row.dosage, fonts.REGULAR, m.detail, text_width))
        text_height = len(name_lines) * m.name * LINE + len(detail_lines) * m.detail * LINE
        lines = max(1, len(row.sides))
        boxes_height = lines * m.box + (lines - 1) * m.gap * 1.5
        comfortable = m.box * 2.2  # room to tick without hitting the next row
        thumb_height = thumb * PICTURE_RATIO if row.picture else 0
        row_height = max(text_height, boxes_height, comfortable, thumb_height) + 2 * m.pad
        rows.append(RowLayout(row, name_lines, detail_lines, row_height))
    header_height = m.name * 1.6 * 1.25 + m.name * LINE + m.detail * LINE * 2 + 8
    day_header_height = m.detail * LINE * 2 + 2 * m.pad
    pain_height = max(m.box * 1.9, m.detail * LINE * 2) + 2 * m.pad
    legend_height = m.detail * LINE * 3 + 6  # room for a wrapped second line
    footer = m.detail * LINE + 6
    gaps = 4 * 6
    used = (
        header_height
        + day_header_height
        + sum(r.height for r in rows)
        + pain_height
        + legend_height
        + footer
        + gaps
        + m.detail * LINE
    )
    notes_height = height - 2 * MARGIN - used
    return PageLayout(
        m,
        label_width,
        day_width,
        header_height,
        day_header_height,
        tuple(rows),
        pain_height,
        legend_height,
        notes_height,
    )


def build_checklist(plan: Plan) -> bytes:
    fonts.register()
    words = strings(plan.language)
    page_size = styles.PAGE_SIZES[plan.paper]
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=page_size, invariant=1, initialFontName=fonts.REGULAR)
    fonts.fix_codes(canvas)
    set_metadata(canvas, plan, f"{words['checklist_title']} – {words['title']}")
    # what the shared rows and days depend on besides their keys
    forms = Forms(canvas, context=(plan.language, plan.practice.accent_colour, page_size))
    pictures = _thumbnails(plan)
    with pdf_streams():
        for picture in pictures.values():
            define_form(canvas, picture)  # before the row forms that place them
        for week in plan.weeks:
            layout = layout_week(week, page_size, plan.large_print)
            _draw_week(canvas, forms, plan, week, layout, words, page_size, pictures)
            canvas.showPage()
        canvas.save()
    return buffer.getvalue()


def _thumbnails(plan: Plan) -> dict[Path, Picture]:
    found: dict[Path, Picture] = {}
    for week in plan.weeks:
        for row in week.rows:
            if row.picture is not None and row.picture not in found:
                picture = picture_for(row.picture, plan.practice.accent_colour)
                if picture is not None:
                    found[row.picture] = picture
    return found


@dataclass(frozen=True)
class _Lines:
    """Where the parts of a page sit: baselines of the header lines, top of the grid."""

    title: float
    name: float
    dates: float
    help: float
    grid_top: float  # top of the day header bar
    rows_top: float
    pain_top: float
    left: float
    right: float
    day_x: tuple[float, ...]


def _lines(layout: PageLayout, page_size: tuple[float, float]) -> _Lines:
    m = layout.metrics
    width, height = page_size
    y = height - MARGIN
    title = y - m.name * 1.6
    y -= m.name * 1.6 * 1.25
    name = y - m.name
    y -= m.name * LINE
    dates = y - m.detail
    y -= m.detail * LINE
    help_line = y - m.detail
    y -= m.detail * LINE + 8 + 6
    rows_top = y - layout.day_header_height
    grid_left = MARGIN + layout.label_width
    return _Lines(
        title,
        name,
        dates,
        help_line,
        y,
        rows_top,
        rows_top - layout.rows_height,
        MARGIN,
        width - MARGIN,
        tuple(grid_left + i * layout.day_width for i in range(DAYS)),
    )


def _draw_week(
    c: Canvas,
    forms: Forms,
    plan: Plan,
    week: PlanWeek,
    layout: PageLayout,
    words: Strings,
    page_size: tuple[float, float],
    pictures: dict[Path, Picture],
) -> None:
    """Rows first, then the frame (its grid lines go over the rows), then this week's words."""
    m = layout.metrics
    at = _lines(layout, page_size)
    y = at.rows_top
    pictured = any(r.row.picture for r in layout.rows)  # room for pictures in every row
    for index, row_layout in enumerate(layout.rows):
        h = row_layout.height
        key = ("row", row_layout, index % 2, pictured, m, layout.label_width, layout.day_width)

        def draw_row(c: Canvas, row_layout: RowLayout = row_layout, index: int = index) -> None:
            _draw_row(c, forms, row_layout, layout, words, at, index, pictured, pictures)

        forms.place(key, draw_row, (0, -2, page_size[0], h + 2), y=y - h)
        y -= h

    # weeks are 7 days apart, so every week starts on the same weekday: the names are fixed
    weekdays = tuple(format_day(day, plan.language, "EEE") for day in week.days)
    frame_key = (
        "frame",
        weekdays,
        m,
        layout.label_width,
        layout.day_width,
        layout.day_header_height,
        tuple(r.height for r in layout.rows),
        layout.pain_height,
        layout.notes_height,
    )
    forms.place(
        frame_key,
        lambda c: _draw_frame(c, plan, layout, words, at, weekdays),
        (0, 0, *page_size),
        shared=False,  # the patient's name, foot and practice
    )
    # this week's words, the same for every patient who starts that day
    where = (m, at.title, at.dates, at.left, at.right, at.grid_top, at.day_x, layout.day_width)
    week_key = ("week", week.number, len(plan.weeks), week.days, week.phase_name, where)
    remembered(
        c,
        (week_key, plan.language, plan.practice.accent_colour),
        lambda c: _draw_week_words(c, plan, week, layout, words, at),
    )


def _draw_week_words(
    c: Canvas, plan: Plan, week: PlanWeek, layout: PageLayout, words: Strings, at: _Lines
) -> None:
    """Which week, which dates and phase."""
    m = layout.metrics
    c.setFillColor(colors.HexColor(plan.practice.accent_colour))
    c.setFont(fonts.BOLD, m.name * 1.6)
    week_of = words.fmt("checklist_week", n=week.number, total=len(plan.weeks))
    c.drawString(at.left, at.title, f"{words['checklist_title']} · {week_of}")
    dates = words.fmt(
        "date_range",
        first=format_day(week.days[0], plan.language, "EEEE d MMMM"),
        last=format_day(week.days[-1], plan.language, "EEEE d MMMM y"),
    )
    phase = words.fmt("checklist_phase", name=week.phase_name)
    _pair(c, dates, phase, fonts.REGULAR, m.detail, at.left, at.right, at.dates, styles.INK)
    c.setFillColor(colors.white)
    c.setFont(fonts.REGULAR, m.detail * 0.92)
    y = at.grid_top - m.pad - m.detail * (1 + LINE)
    for x, day in zip(at.day_x, week.days, strict=True):
        c.drawCentredString(x + layout.day_width / 2, y, format_day(day, plan.language, "d MMM"))
    size = min(m.detail, 9.5)
    c.setFont(fonts.REGULAR, size)
    c.setFillColor(styles.MUTED)
    c.drawRightString(at.right, MARGIN - size, week_of)


def _draw_frame(
    c: Canvas,
    plan: Plan,
    layout: PageLayout,
    words: Strings,
    at: _Lines,
    weekdays: tuple[str, ...],
) -> None:
    """Everything on a page that is the same in every week with this layout."""
    m = layout.metrics
    accent = colors.HexColor(plan.practice.accent_colour)
    left, right = at.left, at.right

    # whose list and which foot; how to tick
    foot = f"{words['foot_label']}: {words['foot_names'][plan.foot]}"
    _pair(c, plan.patient_name, foot, fonts.BOLD, m.name, left, right, at.name, styles.INK)
    c.setFont(fonts.REGULAR, m.detail)
    c.setFillColor(styles.MUTED)
    c.drawString(left, at.help, words["checklist_tick_help"])

    # day header bar (the day names are this week's words)
    y = at.grid_top
    h = layout.day_header_height
    c.setFillColor(accent)
    c.rect(left, y - h, right - left, h, stroke=0, fill=1)
    c.setFillColor(colors.white)
    c.setFont(fonts.BOLD, m.detail)
    c.drawString(left + 4, y - h / 2 - m.detail / 3, words["checklist_exercise"])
    for x, weekday in zip(at.day_x, weekdays, strict=True):
        c.drawCentredString(x + layout.day_width / 2, y - m.pad - m.detail, weekday)

    # morning pain score
    y = at.pain_top
    h = layout.pain_height
    c.setFillColor(styles.LIGHT)
    c.rect(left, y - h, right - left, h, stroke=0, fill=1)
    c.setFillColor(styles.INK)
    c.setFont(fonts.BOLD, m.detail)
    pain_lines = simpleSplit(words["checklist_pain"], fonts.BOLD, m.detail, layout.label_width - 8)
    text_y = y - h / 2 + (len(pain_lines) * m.detail * LINE) / 2 - m.detail
    for line in pain_lines:
        c.drawString(left + 4, text_y, line)
        text_y -= m.detail * LINE
    field_w, field_h = min(layout.day_width - 10, m.box * 3), m.box * 1.9
    c.setStrokeColor(styles.INK)
    c.setLineWidth(0.9)
    c.setFillColor(colors.white)
    for x in at.day_x:
        c.roundRect(
            x + (layout.day_width - field_w) / 2,
            y - h / 2 - field_h / 2,
            field_w,
            field_h,
            2,
            stroke=1,
            fill=1,
        )
    y -= h

    # grid lines over rows and pain score
    c.setStrokeColor(styles.RULE)
    c.setLineWidth(0.5)
    for x in [*at.day_x, right]:
        c.line(x, at.rows_top, x, y)
    c.line(left, y, right, y)
    c.line(left, at.rows_top, left, y)
    y -= 6

    # notes
    notes_h = layout.notes_height
    c.setFillColor(styles.INK)
    c.setFont(fonts.BOLD, m.detail)
    c.drawString(left, y - m.detail, words["checklist_notes"])
    y -= m.detail * LINE + 2
    c.setStrokeColor(styles.RULE)
    c.setLineWidth(0.75)
    c.roundRect(left, y - notes_h, right - left, notes_h, 3, stroke=1, fill=0)
    line_gap = m.name * 1.9
    line_y = y - line_gap
    c.setLineWidth(0.4)
    while line_y > y - notes_h + 4:
        c.line(left + 6, line_y, right - 6, line_y)
        line_y -= line_gap
    y -= notes_h + 6

    _draw_legend(c, words, plan.practice.pain_rule.zones(), m, left, right, y)
    size = min(m.detail, 9.5)
    c.setFont(fonts.REGULAR, size)
    c.setFillColor(styles.MUTED)
    c.drawString(left, MARGIN - size, plan.patient_name)
    c.drawCentredString((left + right) / 2, MARGIN - size, footer_centre(plan))


def _pair(
    c: Canvas,
    first: str,
    second: str,
    font: str,
    size: float,
    left: float,
    right: float,
    baseline: float,
    colour: colors.Color,
) -> None:
    """One text on the left, one on the right of a line; the left one shrinks if they would
    touch (a very long name), so neither is ever drawn over the other."""
    room = right - left - fonts.width(second, font, size) - 12
    left_size = size
    while fonts.width(first, font, left_size) > room and left_size > size * 0.6:
        left_size -= 0.25
    c.setFillColor(colour)
    c.setFont(font, left_size)
    c.drawString(left, baseline, first)
    c.setFont(font, size)
    c.drawRightString(right, baseline, second)


def _draw_row(
    c: Canvas,
    forms: Forms,
    row_layout: RowLayout,
    layout: PageLayout,
    words: Strings,
    at: _Lines,
    index: int,
    pictured: bool,
    pictures: dict[Path, Picture],
) -> None:
    """One exercise row, drawn with its bottom at y = 0 (it is a form placed per page)."""
    m = layout.metrics
    row = row_layout.row
    h = row_layout.height
    y = h
    left, right = at.left, at.right
    if index % 2 == 1:
        c.setFillColor(colors.HexColor("#f7f7f7"))
        c.rect(left, y - h, right - left, h, stroke=0, fill=1)
    c.setStrokeColor(styles.RULE)
    c.setLineWidth(0.5)
    c.line(left, y - h, right, y - h)

    # the exercise's picture, for the patient's foot, then name and dosage, vertically centred
    text_left = left + 4
    if pictured:
        thumb = thumbnail_width(m)
        picture = pictures.get(row.picture) if row.picture else None
        if picture is not None:
            thumb_y = y - h + (h - thumb * PICTURE_RATIO) / 2
            draw_picture(c, picture, left + 3, thumb_y, thumb, row.mirror_picture)
        text_left += thumb + 4
    text_height = (
        len(row_layout.name_lines) * m.name * LINE + len(row_layout.detail_lines) * m.detail * LINE
    )
    ty = y - (h - text_height) / 2 - m.name
    c.setFillColor(styles.INK)
    c.setFont(fonts.BOLD, m.name)
    for line in row_layout.name_lines:
        c.drawString(text_left, ty, line)
        ty -= m.name * LINE
    c.setFont(fonts.REGULAR, m.detail)
    c.setFillColor(styles.MUTED)
    ty += m.name * LINE - m.detail * LINE - (m.name - m.detail) * 0.2
    ty -= m.detail * 0.25
    for line in row_layout.detail_lines:
        c.drawString(text_left, ty, line)
        ty -= m.detail * LINE

    # tick boxes: one line of boxes, or an L and an R line for both feet
    lines: list[str | None] = [words["side_letters"][s] for s in row.sides] or [None]
    block = len(lines) * m.box + (len(lines) - 1) * m.gap * 1.5
    first_box_y = y - (h - block) / 2 - m.box
    if row.sides:
        c.setFont(fonts.BOLD, m.detail)
        c.setFillColor(styles.INK)
        for n, letter in enumerate(lines):
            by = first_box_y - n * (m.box + m.gap * 1.5)
            c.drawRightString(
                at.day_x[0] - 4, by + (m.box - m.detail) / 2 + m.detail * 0.12, str(letter)
            )
    width = layout.day_width
    bbox = (-2, -2, width + 2, h + 2)
    for x, sessions in zip(at.day_x, row.sessions, strict=True):
        key = ("day", sessions, len(lines), m, width, h)

        def draw_day(c: Canvas, sessions: int = sessions) -> None:
            if sessions == 0:
                _draw_rest_day(c, words, m, h, width)
            else:
                _draw_boxes(c, m, sessions, len(lines), first_box_y, width)

        forms.place(key, draw_day, bbox, x=x)


def _draw_boxes(
    c: Canvas, m: Metrics, sessions: int, lines: int, first_box_y: float, day_width: float
) -> None:
    """One day's tick boxes, drawn with the day's left edge at x = 0."""
    span = sessions * m.box + (sessions - 1) * m.gap
    bx0 = (day_width - span) / 2
    c.setStrokeColor(styles.INK)
    c.setFillColor(colors.white)
    c.setLineWidth(0.9)
    for n in range(lines):
        by = first_box_y - n * (m.box + m.gap * 1.5)
        for s in range(sessions):
            c.roundRect(bx0 + s * (m.box + m.gap), by, m.box, m.box, 1.5, stroke=1, fill=1)


def _draw_rest_day(c: Canvas, words: Strings, m: Metrics, h: float, day_width: float) -> None:
    """A grey rest day, drawn with the day's bottom-left corner at (0, 0)."""
    c.setFillColor(styles.REST_FILL)
    c.rect(1, 1, day_width - 2, h - 2, stroke=0, fill=1)
    c.setFillColor(styles.MUTED)
    c.setFont(fonts.REGULAR, m.detail)
    c.drawCentredString(day_width / 2, h / 2 - m.detail / 3, words["checklist_rest"])


def _draw_legend(
    c: Canvas,
    words: Strings,
    thresholds: dict[str, tuple[int, int]],
    m: Metrics,
    left: float,
    right: float,
    y: float,
) -> None:
    """The traffic light in one line, wrapping to a second when the words are long."""
    c.setFont(fonts.BOLD, m.detail)
    c.setFillColor(styles.INK)
    baseline = y - m.detail
    c.drawString(left, baseline, words["checklist_legend"])
    start_x = left + fonts.width(words["checklist_legend"], fonts.BOLD, m.detail) + 8
    x = start_x
    zones = words["pain_zones"]
    r = m.detail * 0.45
    for zone in ("green", "amber", "red"):
        low, high = thresholds[zone]
        label = f"{zones[zone]['label']} {low}–{high}: {words['legend_actions'][zone]}"
        item_width = 2 * r + 4 + fonts.width(label, fonts.REGULAR, m.detail)
        if x + item_width > right and x > start_x:
            x, baseline = start_x, baseline - m.detail * LINE
        c.setFillColor(styles.ZONE_COLOURS[zone])
        c.setStrokeColor(styles.INK)
        c.setLineWidth(0.5)
        c.circle(x + r, baseline + m.detail * 0.33, r, stroke=1, fill=1)
        c.setFillColor(styles.INK)
        c.setFont(fonts.REGULAR, m.detail)
        c.drawString(x + 2 * r + 4, baseline, label)
        x += item_width + 12
    c.setFillColor(styles.MUTED)
    c.drawString(left, baseline - m.detail * LINE, words["pain_morning_note"])
