"""Weekly tick-off checklists: one page per programme week, drawn straight on the canvas.

A row per exercise with that week's dosage, one tick box per session due each day (L and R
boxes for both feet), grey rest days, a row for the morning first-step pain score, a notes
area and the traffic-light legend. The layout is computed first. In normal print it shrinks
the type a little when a week has many rows, so a week fits on one page (else its records go
on a second page). Large print never shrinks: a week that does not fit one page at full size
is shared over two (or more) pages, as evenly as its rows and records allow, so that no page
is left mostly empty and every row stays visibly larger than in normal print.

For speed (a batch makes thousands of these pages), what repeats is drawn once per PDF as a
Form XObject and placed on every page that shows it: the page frame, each distinct exercise
row, each kind of day cell. A page itself only holds its own words: week, dates and phase.
Each drawing reads one view (RowView, DayView, FrameView, WeekWords, made here from the
checklist's views and the layout) and is remembered under it across PDFs (forms.py).
"""

from __future__ import annotations

import io
from functools import cache, lru_cache
from typing import TYPE_CHECKING

import msgspec
from msgspec.structs import replace
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from handouts.pdf import fonts, scanmarks, styles, views
from handouts.pdf.accel import FAST, Accelerator, PdfCanvas
from handouts.pdf.common import GAP, SMALLEST, draw_footer, set_metadata, shorten
from handouts.pdf.forms import Forms, remembered
from handouts.pdf.illustrations import PictureRef, define_form, draw_picture
from handouts.plan import Plan

if TYPE_CHECKING:  # handouts.scan.geometry is imported for scan-ready checklists only
    from handouts.scan.geometry import PageGeometry, PageRecord, PainKind, SideMark

MARGIN = 13 * mm
# scan-ready pages keep the corner markers' squares (6-18 mm from the edges) and the QR code
# free: the header starts below the top markers, the footer sits above the bottom ones
SCAN_TOP = 21 * mm
SCAN_BOTTOM = 23 * mm
DAYS = 7
LINE = 1.2  # line height factor


class Metrics(msgspec.Struct, frozen=True):
    """Type and box sizes for one page; scaled down together when rows do not fit."""

    name: float  # exercise name
    detail: float  # dosage line, day labels
    box: float  # tick box side
    gap: float  # between boxes
    pad: float  # inside a row, above and below

    def scaled(self, factor: float) -> Metrics:
        """Smaller type; the tick boxes never below MIN_BOX (the scan reader's 4 mm)."""
        smaller = Metrics(*(value * factor for value in msgspec.structs.astuple(self)))
        return replace(smaller, box=max(MIN_BOX, smaller.box))


BASE = {  # session boxes 4.4 mm, in large print 4.9 mm: both above the scan reader's 4 mm
    False: Metrics(name=11, detail=9.5, box=12.5, gap=3, pad=4),
    True: Metrics(name=14, detail=12, box=14, gap=2.5, pad=4.5),
}
MIN_BOX = 11.5  # 4.06 mm: no tick box smaller (the scan reader wants 4 mm)
MAX_SCORE_BOX = 12.5  # 4.4 mm: eleven of them per day and foot, so not larger in large print
BANDS = {  # light traffic-light tints behind the pain scores
    "green": colors.Color(0.86, 0.94, 0.86),
    "amber": colors.Color(0.99, 0.93, 0.80),
    "red": colors.Color(0.98, 0.87, 0.86),
}


def score_box(m: Metrics) -> float:
    return min(MAX_SCORE_BOX, max(MIN_BOX, m.box * 0.92))


def score_step(m: Metrics) -> float:
    return score_box(m) + max(1.5, m.gap * 0.6)


SMALLEST_SCALE = 0.75


class RowLayout(msgspec.Struct, frozen=True):
    row: views.RowContent
    name_lines: tuple[str, ...]
    detail_lines: tuple[str, ...]
    height: float


class RecordLayout(msgspec.Struct, frozen=True):
    line: views.RecordLine
    title_lines: tuple[str, ...]
    height: float


class PageLayout(msgspec.Struct, frozen=True):
    metrics: Metrics
    label_width: float
    day_width: float
    header_height: float
    day_header_height: float
    rows: tuple[RowLayout, ...]
    records: tuple[RecordLayout, ...]
    legend_height: float
    notes_height: float  # the notes box (below NOTES_SHOWN: left out, and its title too)
    pictured: bool  # a picture beside each exercise (not when the names would be too narrow)
    top: float  # from the top edge to the title
    bottom: float  # from the bottom edge to the footer's top
    header_right: float  # right end of the header lines (left of the QR code when scanned)

    @property
    def rows_height(self) -> float:
        return sum(r.height for r in self.rows)

    @property
    def records_height(self) -> float:
        return sum(r.height for r in self.records)

    @property
    def spare(self) -> float:
        """What is left of the page when there is no notes area (its title line is free
        then too); below 0: the page does not fit."""
        return self.notes_height + self.metrics.detail * LINE

    @property
    def fits(self) -> bool:
        return self.spare >= 0


NOTES_SHOWN = 12 * mm  # a notes area smaller than this is left out
MIN_TEXT_WIDTH = 90.0  # an exercise name narrower than this: no picture beside it
PICTURE_RATIO = 0.75  # the exercise pictures are 4:3


def thumbnail_width(m: Metrics) -> float:
    """The picture beside an exercise's name: small, but enough to recognise the exercise."""
    return m.box * 4.0


# the height of a picture in a normal-print row: a large-print row without room for its
# picture is at least this tall, so that it is never lower than the same row in normal print
PICTURE_FLOOR = thumbnail_width(BASE[False]) * PICTURE_RATIO


class TooManyRows(ValueError):
    """A week whose rows do not fit one page even in the smallest type."""

    def __init__(self, week: int, rows: int) -> None:
        super().__init__(
            f"week {week} has too many exercises for one checklist page ({rows}): "
            "leave some out (--exclude); large print takes as many pages as it needs"
        )
        self.week, self.rows = week, rows


def layout_week(
    number: int,
    rows: tuple[views.RowContent, ...],
    page_size: tuple[float, float],
    large: bool,
    records: tuple[views.RecordLine, ...] = (),
    scan: bool = False,
) -> PageLayout:
    """Sizes for one week's page, shrinking the type step by step until it fits (in normal
    print; large print keeps its size, see week_pages)."""
    layout = _fitted(rows, records, page_size, large, scan)
    if layout is None:
        raise TooManyRows(number, len(rows))
    return layout


@lru_cache(maxsize=256)
def _fitted(
    rows: tuple[views.RowContent, ...],
    records: tuple[views.RecordLine, ...],
    page_size: tuple[float, float],
    large_print: bool,
    scan: bool,
) -> PageLayout | None:
    """The layout depends on the rows only: weeks of one phase, and patients with the same
    programme and language, share it (layouts are frozen, so sharing is safe)."""
    fonts.register()
    scale = 1.0
    smallest = 1.0 if large_print else SMALLEST_SCALE
    while scale >= smallest - 1e-9:
        layout = _layout_at(rows, records, page_size, BASE[large_print].scaled(scale), scan)
        if layout.fits:
            return _roomier_rows(layout, large_print)
        scale -= 0.05
    return None


@lru_cache(maxsize=256)
def _large_print_pages(
    rows: tuple[views.RowContent, ...],
    records: tuple[views.RecordLine, ...],
    page_size: tuple[float, float],
    scan: bool,
) -> tuple[PageLayout, ...] | None:
    """A large-print week at full size on as few pages as it needs; its rows, then its
    records, shared so that the fullest page is as empty as it can be (None: one row alone
    does not fit a page)."""
    fonts.register()
    items = len(rows) + len(records)
    metrics = BASE[True]

    @cache
    def page(first: int, end: int) -> PageLayout:  # items first..end-1 on one page
        some_rows = rows[first:end]
        some_records = records[max(0, first - len(rows)) : max(0, end - len(rows))]
        return _layout_at(some_rows, some_records, page_size, metrics, scan)

    if not items:
        return (page(0, 0),)
    # best[end]: the pages for items 0..end-1 whose tightest page has the most spare room
    best: dict[int, tuple[float, tuple[int, ...]]] = {0: (float("inf"), ())}
    for pages in range(1, items + 1):
        best = {
            end: max(
                (
                    (min(room, page(cut, end).spare), (*cuts, cut))
                    for cut, (room, cuts) in best.items()
                    if cut < end and page(cut, end).fits
                ),
                default=(float("-inf"), ()),
            )
            for end in range(pages, items + 1)
        }
        best = {end: found for end, found in best.items() if found[0] >= 0}
        if not best:
            return None
        if items in best:
            starts = best[items][1]
            ends = (*starts[1:], items)
            pages_ = zip(starts, ends, strict=True)
            return tuple(_roomier_rows(page(a, b), large_print=True) for a, b in pages_)
    return None


NOTES_ENOUGH = {False: 60 * mm, True: 40 * mm}  # large print: the rows come first


GROWTH = {False: 0.25, True: 0.6}  # normal print rows grow less: never past large print's


def _roomier_rows(layout: PageLayout, large_print: bool) -> PageLayout:
    """With few exercises, give the rows the space a huge notes box would take: bigger rows
    are easier to tick. Rows grow to at most 1.25 times their height (1.6 in large print)."""
    spare = layout.notes_height - NOTES_ENOUGH[large_print]
    if layout.notes_height < NOTES_SHOWN:  # no notes area: the rows take what is left
        spare = layout.spare
    if spare <= 0 or not layout.rows:
        return layout
    growth = min(spare / layout.rows_height, GROWTH[large_print])
    rows = tuple(replace(r, height=r.height * (1 + growth)) for r in layout.rows)
    return replace(
        layout, rows=rows, notes_height=layout.notes_height - layout.rows_height * growth
    )


def _layout_at(
    week_rows: tuple[views.RowContent, ...],
    records: tuple[views.RecordLine, ...],
    page_size: tuple[float, float],
    m: Metrics,
    scan: bool = False,
) -> PageLayout:
    width, height = page_size
    content_width = width - 2 * MARGIN
    most_sessions = max([max(r.sessions) for r in week_rows] + [1])
    boxes_width = most_sessions * m.box + (most_sessions - 1) * m.gap
    day_width = max(boxes_width + 7, m.detail * 4.6)
    label_width = content_width - DAYS * day_width
    side_letter_width = m.detail * 1.3 if any(r.side_letters for r in week_rows) else 0
    thumb = thumbnail_width(m) if any(r.picture for r in week_rows) else 0
    text_width = label_width - side_letter_width - 8 - (thumb + 4 if thumb else 0)
    if thumb and text_width < MIN_TEXT_WIDTH:
        text_width, thumb = text_width + thumb + 4, 0
    rows = []
    for row in week_rows:
        name_lines = tuple(simpleSplit(row.name, fonts.BOLD, m.name, text_width))
        detail_lines = tuple(simpleSplit(row.dosage, fonts.REGULAR, m.detail, text_width))
        text_height = len(name_lines) * m.name * LINE + len(detail_lines) * m.detail * LINE
        lines = max(1, len(row.side_letters))
        boxes_height = lines * m.box + (lines - 1) * m.gap * 1.5
        comfortable = m.box * 2.2  # room to tick without hitting the next row
        # a row with a picture is as tall as its picture; in large print, where the name
        # column may be too narrow to show it, never lower than the same row in normal print
        shown = thumb * PICTURE_RATIO if thumb else PICTURE_FLOOR
        thumb_height = shown if row.picture else 0
        row_height = max(text_height, boxes_height, comfortable, thumb_height) + 2 * m.pad
        rows.append(RowLayout(row, name_lines, detail_lines, row_height))
    header_height = m.name * 1.6 * 1.25 + m.name * LINE + m.detail * LINE * 2 + 8
    day_header_height = m.detail * LINE * 2 + 2 * m.pad
    record_layouts = tuple(_record_layout(line, m, label_width) for line in records)
    legend_height = m.detail * LINE * 3 + 6  # room for a wrapped second line
    footer = m.detail * LINE + 6
    gaps = 4 * 6
    used = (
        header_height
        + day_header_height
        + sum(r.height for r in rows)
        + sum(r.height for r in record_layouts)
        + legend_height
        + footer
        + gaps
        + m.detail * LINE
    )
    top, bottom = (SCAN_TOP, SCAN_BOTTOM) if scan else (MARGIN, MARGIN)
    header_right = _qr_left(page_size) - 4 * mm if scan else width - MARGIN
    notes_height = height - top - bottom - used
    return PageLayout(
        m,
        label_width,
        day_width,
        header_height,
        day_header_height,
        tuple(rows),
        record_layouts,
        legend_height,
        notes_height,
        bool(thumb),
        top,
        bottom,
        header_right,
    )


def _record_layout(line: views.RecordLine, m: Metrics, label_width: float) -> RecordLayout:
    """A pain score: a 0-10 column per day (and foot), its numbers at the label column's
    right edge; a number to write: a small field per foot."""
    text_width = label_width - 8 - (m.detail * 1.6 if line.is_score else m.detail * 1.3)
    title = tuple(simpleSplit(line.title, fonts.BOLD, m.detail, text_width))
    text_height = len(title) * m.detail * LINE
    if line.is_score:
        letters = m.detail * 1.2 if line.side_letters else 0
        height = max(11 * score_step(m) + letters, text_height) + 2 * m.pad
    else:
        feet = max(1, len(line.side_letters))
        fields = feet * field_height(m) + (feet - 1) * m.gap
        height = max(fields, text_height) + 2 * m.pad
    return RecordLayout(line, title, height)


def field_height(m: Metrics) -> float:
    return m.box * 1.5


class ScanSetup(msgspec.Struct, frozen=True):
    """Make the pages scan-ready: corner markers, a QR code with an opaque page id keyed on
    the practice's secret (Registry(out_dir).secret(), read by the caller), and with
    fillable, form fields over the boxes. The caller saves scan_records() after writing."""

    secret: bytes
    pack_id: str
    fillable: bool = False


def build_checklist(plan: Plan, accel: Accelerator = FAST, scan: ScanSetup | None = None) -> bytes:
    return render_checklist(views.checklist(plan), accel, scan)


def _qr_left(page_size: tuple[float, float]) -> float:
    from handouts.scan.geometry import standard_qr

    return standard_qr(page_size)[0]


def scan_records(plan: Plan, scan: ScanSetup) -> tuple[PageRecord, ...]:
    """What the registry must know of each page build_checklist(plan, scan=scan) draws (the
    same geometry, made by the same code): save each with Registry(out_dir).save(record)."""
    from handouts.scan.geometry import PageRecord

    view = views.checklist(plan)
    names = {row.exercise_id: row.name for week in plan.weeks for row in week.rows}
    green, amber = (
        plan.practice.pain_rule.zones()["green"][1],
        plan.practice.pain_rule.zones()["amber"][1],
    )
    return tuple(
        PageRecord(
            scan.pack_id,
            number,
            geometry,
            patient=plan.patient_name,
            language=plan.language,
            exercise_names=names,
            pain_green_max=green,
            pain_amber_max=amber,
            practice=plan.practice.name,
        )
        for number, geometry in _scan_pages(view, scan)
    )


def _scan_pages(view: views.Checklist, scan: ScanSetup) -> list[tuple[int, PageGeometry]]:
    from handouts.scan.geometry import assign_page_id

    pages = _pages(view, scan=True)
    return [
        (
            number,
            assign_page_id(scan.secret, scan.pack_id, number, page_geometry(view, week, layout)),
        )
        for number, week, layout in pages
    ]


def _pages(view: views.Checklist, scan: bool) -> list[tuple[int, views.WeekContent, PageLayout]]:
    return [
        (n, week, layout)
        for n, w in enumerate(view.weeks, 1)
        for week, layout in week_pages(n, w, view, scan)
    ]


def render_checklist(
    view: views.Checklist, accel: Accelerator = FAST, scan: ScanSetup | None = None
) -> bytes:
    page_size = view.frame.paper
    pages = [(week, layout) for _, week, layout in _pages(view, scan is not None)]
    marks = [g for _, g in _scan_pages(view, scan)] if scan else [None] * len(pages)
    buffer = io.BytesIO()
    frame = view.frame
    with accel.building("checklist", frame.look, frame.paper, frame.lang, scan is not None):
        canvas = PdfCanvas(buffer, pagesize=page_size, invariant=1, initialFontName=fonts.REGULAR)
        set_metadata(canvas, view.frame)
        forms = Forms(canvas)
        for picture in _thumbnails(view):
            define_form(canvas, picture)  # before the row forms that place them
        for (week, layout), geometry in zip(pages, marks, strict=True):
            _draw_week(canvas, forms, view, week, layout)
            if geometry is not None:
                scanmarks.draw_scan_marks(canvas, geometry)
                if scan is not None and scan.fillable:
                    scanmarks.draw_form_fields(canvas, geometry)
            canvas.showPage()
        canvas.save()
    return buffer.getvalue()


def week_pages(
    number: int, week: views.WeekContent, view: views.Checklist, scan: bool = False
) -> list[tuple[views.WeekContent, PageLayout]]:
    """One page per week; when the exercises and the records together do not fit (many
    exercises), the records go on a second page of that week (the back of the sheet).
    Large print keeps its full size and shares a week over as many pages as it needs."""
    page_size, large = view.frame.paper, view.frame.look.large_print
    if large:
        layouts = _large_print_pages(week.rows, week.records, page_size, scan)
        if layouts is None:
            raise TooManyRows(number, len(week.rows))
        return [(_only(week, layout), layout) for layout in layouts]
    try:
        return [(week, layout_week(number, week.rows, page_size, large, week.records, scan))]
    except TooManyRows:
        if not week.records:
            raise
    rows_page = layout_week(number, week.rows, page_size, large, (), scan)
    records_page = layout_week(number, (), page_size, large, week.records, scan)
    return [(replace(week, records=()), rows_page), (replace(week, rows=()), records_page)]


def _only(week: views.WeekContent, layout: PageLayout) -> views.WeekContent:
    """The week with only the rows and records that layout puts on its page."""
    return replace(
        week,
        rows=tuple(r.row for r in layout.rows),
        records=tuple(r.line for r in layout.records),
    )


def week_page_counts(view: views.Checklist, scan: bool = False) -> list[int]:
    """How many pages each week takes (1, or 2 and more for a full week in large print)."""
    return [len(week_pages(n, week, view, scan)) for n, week in enumerate(view.weeks, 1)]


def _thumbnails(view: views.Checklist) -> list[PictureRef]:
    found = {row.picture: None for week in view.weeks for row in week.rows if row.picture}
    return list(found)


class _Lines(msgspec.Struct, frozen=True):
    """Where the parts of a page sit: baselines of the header lines, top of the grid."""

    title: float
    name: float
    dates: float
    help: float
    grid_top: float  # top of the day header bar
    rows_top: float
    records_top: float
    footer: float  # the footer's baseline
    header_right: float
    left: float
    right: float
    day_x: tuple[float, ...]


def _lines(layout: PageLayout, page_size: tuple[float, float]) -> _Lines:
    m = layout.metrics
    width, height = page_size
    y = height - layout.top
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
        layout.bottom - min(layout.metrics.detail, 9.5),
        layout.header_right,
        MARGIN,
        width - MARGIN,
        tuple(grid_left + i * layout.day_width for i in range(DAYS)),
    )


class RowView(msgspec.Struct, frozen=True):
    """One exercise row as drawn: its words and boxes, and where they go."""

    content: views.RowContent
    name_lines: tuple[str, ...]
    detail_lines: tuple[str, ...]
    height: float
    shaded: bool  # every other row
    pictured: bool  # room for a picture in every row of the page
    metrics: Metrics
    label_width: float
    day_width: float
    left: float
    right: float
    day_x: tuple[float, ...]
    rest: str  # the word on a rest day


class DayView(msgspec.Struct, frozen=True):
    """One day's cell of a row: its tick boxes (or a rest day)."""

    sessions: int
    lines: int  # 2 for both feet
    metrics: Metrics
    width: float
    height: float
    first_box_y: float
    rest: str


class FrameView(msgspec.Struct, frozen=True):
    """Everything on a page that is the same in every week with this layout."""

    look: views.Look
    words: views.ChecklistWords
    weekdays: tuple[str, ...]
    metrics: Metrics
    label_width: float
    day_width: float
    day_header_height: float
    records_height: float
    notes_height: float
    at: _Lines


class WeekWords(msgspec.Struct, frozen=True):
    """Which week, which dates and phase: the same for every patient who starts that day."""

    week: views.WeekContent  # its words (the rows are drawn as forms)
    accent: str
    metrics: Metrics
    day_width: float
    at: _Lines


def _draw_week(
    c: Canvas, forms: Forms, view: views.Checklist, week: views.WeekContent, layout: PageLayout
) -> None:
    """Rows first, then the frame (its grid lines go over the rows), then this week's words."""
    page_size = view.frame.paper
    at = _lines(layout, page_size)
    y = at.rows_top
    pictured = layout.pictured  # room for pictures in every row
    for index, row in enumerate(layout.rows):
        row_view = RowView(
            *(row.row, row.name_lines, row.detail_lines, row.height, index % 2 == 1, pictured),
            *(layout.metrics, layout.label_width, layout.day_width, at.left, at.right, at.day_x),
            view.words.rest,
        )
        forms.place(_draw_row, row_view, (0, -2, page_size[0], row.height + 2), y=y - row.height)
        y -= row.height
    frame = FrameView(
        *(view.frame.look, view.words, week.weekdays, layout.metrics, layout.label_width),
        *(layout.day_width, layout.day_header_height, layout.records_height),
        *(layout.notes_height, at),
    )
    # the patient's name, foot and practice: not remembered across PDFs
    forms.place(_draw_frame, frame, (0, 0, *page_size), shared=False)
    words = WeekWords(
        replace(week, rows=()), view.frame.look.accent, layout.metrics, layout.day_width, at
    )
    remembered(c, _draw_week_words, words)
    records = RecordsView(
        layout.records,
        view.words.rest,
        view.words.one_cross,
        view.words.bands,
        layout.metrics,
        layout.label_width,
        layout.day_width,
        at,
    )
    if layout.records:  # a form: the charts are the same for many weeks and patients
        forms.place(_draw_records, records, (0, 0, *page_size))
    _draw_footer(c, view, week, layout.metrics, at)


INK = styles.INK


def _draw_week_words(c: Canvas, view: WeekWords) -> None:
    """Which week, which dates and phase."""
    m, at, week = view.metrics, view.at, view.week
    c.setFillColor(colors.HexColor(view.accent))
    c.setFont(fonts.BOLD, m.name * 1.6)
    c.drawString(at.left, at.title, week.title)
    right = at.header_right
    _pair(c, week.dates, week.phase, fonts.REGULAR, m.detail, at.left, right, at.dates, INK)
    c.setFillColor(colors.white)
    c.setFont(fonts.REGULAR, m.detail * 0.92)
    y = at.grid_top - m.pad - m.detail * (1 + LINE)
    for x, label in zip(at.day_x, week.day_labels, strict=True):
        c.drawCentredString(x + view.day_width / 2, y, label)


def _draw_who(c: Canvas, words: views.ChecklistWords, m: Metrics, at: _Lines) -> None:
    """The patient's name with the foot beside it. A name too long for that (it would have
    to shrink below SMALLEST) takes the whole line, and the foot goes to the right of the
    help line below, in bold: the full name stays readable, nothing overlaps."""
    name, foot, right = words.patient_name, words.foot, at.header_right
    beside = right - at.left - fonts.width(foot, fonts.BOLD, m.name) - GAP
    if fonts.width(name, fonts.BOLD, m.name * SMALLEST) <= beside:
        _pair(c, name, foot, fonts.BOLD, m.name, at.left, right, at.name, styles.INK)
        c.setFont(fonts.REGULAR, m.detail)
        c.setFillColor(styles.MUTED)
        c.drawString(at.left, at.help, words.tick_help)
        return
    _pair(c, name, "", fonts.BOLD, m.name, at.left, right, at.name, styles.INK)
    c.setFillColor(styles.MUTED)
    room = right - at.left - fonts.width(foot, fonts.BOLD, m.detail) - GAP
    c.setFont(fonts.REGULAR, m.detail)
    c.drawString(at.left, at.help, shorten(words.tick_help, fonts.REGULAR, m.detail, room))
    c.setFillColor(styles.INK)
    c.setFont(fonts.BOLD, m.detail)
    c.drawRightString(right, at.help, shorten(foot, fonts.BOLD, m.detail, right - at.left))


def _draw_frame(c: Canvas, view: FrameView) -> None:
    """The page around the rows: who and which foot, the day header bar, the pain score row,
    grid lines, notes and legend (the footer names the week: drawn per page)."""
    m, at, words = view.metrics, view.at, view.words
    left, right = at.left, at.right
    _draw_who(c, words, m, at)
    _draw_day_header(c, view)
    y = at.records_top - view.records_height
    # grid lines over rows and records
    c.setStrokeColor(styles.RULE)
    c.setLineWidth(0.5)
    for x in [*at.day_x, right]:
        c.line(x, at.rows_top, x, y)
    c.line(left, y, right, y)
    c.line(left, at.rows_top, left, y)
    if view.notes_height >= NOTES_SHOWN:
        y = _draw_notes(c, view, y - 6)
    else:
        y -= 6
    _draw_legend(c, words.legend, m, left, right, y)


def _draw_footer(
    c: Canvas, view: views.Checklist, week: views.WeekContent, m: Metrics, at: _Lines
) -> None:
    """Patient, practice and "Week 3 van 12", fitted as on the handout's pages (common.py):
    any name shrinks, then is shortened, never drawn over the others or off the page."""
    size = min(m.detail, 9.5)
    texts = (view.words.patient_name, view.words.practice_line, week.week_of)
    c.setFillColor(styles.MUTED)
    draw_footer(c, at.footer, at.left, at.right, texts, fonts.REGULAR, size)


def _draw_day_header(c: Canvas, view: FrameView) -> None:
    """The accent bar with the weekday names (their dates are this week's words)."""
    m, at = view.metrics, view.at
    y, h = at.grid_top, view.day_header_height
    c.setFillColor(colors.HexColor(view.look.accent))
    c.rect(at.left, y - h, at.right - at.left, h, stroke=0, fill=1)
    c.setFillColor(colors.white)
    c.setFont(fonts.BOLD, m.detail)
    c.drawString(at.left + 4, y - h / 2 - m.detail / 3, view.words.exercise)
    for x, weekday in zip(at.day_x, view.weekdays, strict=True):
        c.drawCentredString(x + view.day_width / 2, y - m.pad - m.detail, weekday)


def _draw_notes(c: Canvas, view: FrameView, y: float) -> float:
    """The notes area with writing lines; returns where the legend goes."""
    m, at = view.metrics, view.at
    left, right = at.left, at.right
    notes_h = view.notes_height
    c.setFillColor(styles.INK)
    c.setFont(fonts.BOLD, m.detail)
    c.drawString(left, y - m.detail, view.words.notes)
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
    return y - (notes_h + 6)


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
    touch (a very long name), then is shortened with an ellipsis, so neither is ever drawn
    over the other nor off the page. The right one (foot, phase) takes at most half."""
    second = shorten(second, font, size, (right - left) / 2)
    room = right - left - fonts.width(second, font, size) - GAP
    left_size = size
    while fonts.width(first, font, left_size) > room and left_size > size * SMALLEST:
        left_size = max(size * SMALLEST, left_size - 0.25)
    c.setFillColor(colour)
    c.setFont(font, left_size)
    c.drawString(left, baseline, shorten(first, font, left_size, room))
    c.setFont(font, size)
    c.drawRightString(right, baseline, second)


def _draw_row(c: Canvas, view: RowView) -> None:
    """One exercise row, drawn with its bottom at y = 0 (it is a form placed per page)."""
    m, row, h = view.metrics, view.content, view.height
    left, right = view.left, view.right
    if view.shaded:
        c.setFillColor(colors.HexColor("#f7f7f7"))
        c.rect(left, 0, right - left, h, stroke=0, fill=1)
    c.setStrokeColor(styles.RULE)
    c.setLineWidth(0.5)
    c.line(left, 0, right, 0)
    # the exercise's picture, for the patient's foot, then name and dosage, vertically centred
    text_left = left + 4
    if view.pictured:
        thumb = thumbnail_width(m)
        if row.picture is not None:
            thumb_y = (h - thumb * PICTURE_RATIO) / 2
            draw_picture(c, row.picture, left + 3, thumb_y, thumb, row.mirror)
        text_left += thumb + 4
    _draw_row_words(c, view, text_left)
    # tick boxes: one line of boxes, or an L and an R line for both feet
    lines = max(1, len(row.side_letters))
    block = lines * m.box + (lines - 1) * m.gap * 1.5
    first_box_y = h - (h - block) / 2 - m.box
    if row.side_letters:
        c.setFont(fonts.BOLD, m.detail)
        c.setFillColor(styles.INK)
    for n, letter in enumerate(row.side_letters):
        by = first_box_y - n * (m.box + m.gap * 1.5) + (m.box - m.detail) / 2 + m.detail * 0.12
        c.drawRightString(view.day_x[0] - 4, by, letter)
    forms = Forms.of(c)
    for x, sessions in zip(view.day_x, row.sessions, strict=True):
        day = DayView(sessions, lines, m, view.day_width, h, first_box_y, view.rest)
        forms.place(_draw_day, day, (-2, -2, view.day_width + 2, h + 2), x=x)


def _draw_row_words(c: Canvas, view: RowView, text_left: float) -> None:
    """The exercise's name (bold) and dosage, vertically centred in the row."""
    m, h = view.metrics, view.height
    text_height = len(view.name_lines) * m.name * LINE + len(view.detail_lines) * m.detail * LINE
    ty = h - (h - text_height) / 2 - m.name
    c.setFillColor(styles.INK)
    c.setFont(fonts.BOLD, m.name)
    for line in view.name_lines:
        c.drawString(text_left, ty, line)
        ty -= m.name * LINE
    c.setFont(fonts.REGULAR, m.detail)
    c.setFillColor(styles.MUTED)
    ty += m.name * LINE - m.detail * LINE - (m.name - m.detail) * 0.2
    ty -= m.detail * 0.25
    for line in view.detail_lines:
        c.drawString(text_left, ty, line)
        ty -= m.detail * LINE


def _draw_day(c: Canvas, view: DayView) -> None:
    """One day's tick boxes, or a grey rest day, drawn with the day's bottom-left corner at
    (0, 0)."""
    m = view.metrics
    if view.sessions == 0:
        c.setFillColor(styles.REST_FILL)
        c.rect(1, 1, view.width - 2, view.height - 2, stroke=0, fill=1)
        c.setFillColor(styles.MUTED)
        c.setFont(fonts.REGULAR, m.detail)
        c.drawCentredString(view.width / 2, view.height / 2 - m.detail / 3, view.rest)
        return
    span = view.sessions * m.box + (view.sessions - 1) * m.gap
    bx0 = (view.width - span) / 2
    c.setStrokeColor(styles.INK)
    c.setFillColor(colors.white)
    c.setLineWidth(0.9)
    for n in range(view.lines):
        by = view.first_box_y - n * (m.box + m.gap * 1.5)
        for s in range(view.sessions):
            c.roundRect(bx0 + s * (m.box + m.gap), by, m.box, m.box, 1.5, stroke=1, fill=1)


def _draw_legend(
    c: Canvas, legend: views.Legend, m: Metrics, left: float, right: float, y: float
) -> None:
    """The traffic light in one line, wrapping to a second when the words are long."""
    c.setFont(fonts.BOLD, m.detail)
    c.setFillColor(styles.INK)
    baseline = y - m.detail
    c.drawString(left, baseline, legend.title)
    start_x = left + fonts.width(legend.title, fonts.BOLD, m.detail) + 8
    x = start_x
    r = m.detail * 0.45
    for zone, label in legend.items:
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
    c.drawString(left, baseline - m.detail * LINE, legend.morning_note)


class RecordsView(msgspec.Struct, frozen=True):
    """What the patient writes down this week, below the exercise rows."""

    records: tuple[RecordLayout, ...]  # which days are due: the dates are not drawn here
    rest: str
    one_cross: str
    bands: tuple[str, ...]  # zone per score 0..10
    metrics: Metrics
    label_width: float
    day_width: float
    at: _Lines


class RecordBox(msgspec.Struct, frozen=True):
    """Where one box of a record goes (pain: one per score; a field: one per foot)."""

    line: views.RecordLine
    day: int
    side: int  # index into line.sides
    score: int  # 0..10; -1 for a field
    rect: tuple[float, float, float, float]


def record_boxes(view: RecordsView) -> list[RecordBox]:
    """Every pain box and write-in field of the week, at the rect it is drawn at."""
    m, at = view.metrics, view.at
    found = []
    top = at.records_top
    for record in view.records:
        line = record.line
        feet = len(line.sides)
        for day, due in enumerate(line.days):
            if not due:
                continue
            x0 = at.day_x[day]
            if line.is_score:
                size, step = score_box(m), score_step(m)
                spread = size + max(3.0, m.gap)  # between the feet's columns
                first_top = top - m.pad - (m.detail * 1.2 if line.side_letters else 0)
                for side in range(feet):
                    cx = x0 + view.day_width / 2 + (side - (feet - 1) / 2) * spread
                    for score in range(11):
                        y = first_top - (11 - score) * step + (step - size) / 2
                        rect = (cx - size / 2, y, size, size)
                        found.append(RecordBox(line, day, side, score, rect))
            else:
                fh = field_height(m)
                fw = min(view.day_width - 10, m.box * 2.8)
                block = feet * fh + (feet - 1) * m.gap
                y0 = top - (record.height - block) / 2 - fh
                for side in range(feet):
                    rect = (x0 + (view.day_width - fw) / 2, y0 - side * (fh + m.gap), fw, fh)
                    found.append(RecordBox(line, day, side, -1, rect))
        top -= record.height
    return found


def _draw_records(c: Canvas, view: RecordsView) -> None:
    """Pain scores as a chart (a column per day, traffic-light bands behind the scores), the
    extra weight and knee-to-wall distance as small fields; days without an entry grey."""
    m, at = view.metrics, view.at
    boxes = record_boxes(view)
    top = at.records_top
    for record in view.records:
        line, h = record.line, record.height
        bottom = top - h
        c.setFillColor(styles.LIGHT)
        c.rect(at.left, bottom, at.right - at.left, h, stroke=0, fill=1)
        mine = [b for b in boxes if b.line == line]
        if line.is_score:
            _draw_bands(c, view, mine)
        for day, due in enumerate(line.days):
            x = at.day_x[day]
            if not due:
                c.setFillColor(styles.REST_FILL)
                c.rect(x + 1, bottom + 1, view.day_width - 2, h - 2, stroke=0, fill=1)
                if line.kind != "distance_cm":  # not measured that day: not a rest day
                    c.setFillColor(styles.MUTED)
                    c.setFont(fonts.REGULAR, m.detail)
                    c.drawCentredString(x + view.day_width / 2, top - h / 2, view.rest)
        # title, and for a pain score the one-cross help and the score numbers
        c.setFillColor(styles.INK)
        c.setFont(fonts.BOLD, m.detail)
        ty = top - m.pad - m.detail
        for text_line in record.title_lines:
            c.drawString(at.left + 4, ty, text_line)
            ty -= m.detail * LINE
        small = m.detail * 0.85
        c.setFont(fonts.REGULAR, small)
        c.setFillColor(styles.MUTED)
        if line.is_score:
            text_width = view.label_width - 8 - m.detail * 1.6
            for text_line in simpleSplit(view.one_cross, fonts.REGULAR, small, text_width):
                c.drawString(at.left + 4, ty, text_line)
                ty -= small * LINE
            first_day = [b for b in mine if b.side == 0 and b.day == mine[0].day]
            for b in first_day:
                c.drawRightString(
                    at.day_x[0] - 4, b.rect[1] + b.rect[3] / 2 - small * 0.35, str(b.score)
                )
            for b in mine:
                if b.score == 10 and line.side_letters:
                    c.drawCentredString(
                        b.rect[0] + b.rect[2] / 2,
                        b.rect[1] + b.rect[3] + 3,
                        line.side_letters[b.side],
                    )
        elif line.side_letters:
            c.setFont(fonts.BOLD, m.detail)
            c.setFillColor(styles.INK)
            for b in mine:
                if b.day == mine[0].day:
                    c.drawRightString(
                        at.day_x[0] - 4,
                        b.rect[1] + b.rect[3] / 2 - m.detail * 0.35,
                        line.side_letters[b.side],
                    )
        for b in mine:
            if b.score < 0:
                c.setFillColor(colors.white)
                c.setStrokeColor(styles.INK)
                c.setLineWidth(0.9)
                c.roundRect(*b.rect, 2, stroke=1, fill=1)
            else:
                scanmarks.draw_box(c, b.rect)
        c.setStrokeColor(styles.RULE)
        c.setLineWidth(0.5)
        c.line(at.left, bottom, at.right, bottom)
        top = bottom


def _draw_bands(c: Canvas, view: RecordsView, boxes: list[RecordBox]) -> None:
    """The traffic-light tint behind each score, across the days that have boxes."""
    step = score_step(view.metrics)
    for day in sorted({b.day for b in boxes}):
        x = view.at.day_x[day]
        for b in boxes:
            if b.day == day and b.side == 0:
                y = b.rect[1] + b.rect[3] / 2 - step / 2
                c.setFillColor(BANDS[view.bands[b.score]])
                c.rect(x + 1, y, view.day_width - 2, step, stroke=0, fill=1)


def page_geometry(
    view: views.Checklist, week: views.WeekContent, layout: PageLayout
) -> PageGeometry:
    """Every session and pain box of a page at the rect it is drawn at (page_id "")."""
    from handouts.scan.geometry import MARKER_SIZE, Box, PageGeometry, corner_markers, standard_qr

    page_size = view.frame.paper
    m, at = layout.metrics, _lines(layout, page_size)
    boxes: list[Box] = []
    top = at.rows_top
    for row in layout.rows:
        content, bottom = row.row, top - row.height
        lines = max(1, len(content.side_letters))
        block = lines * m.box + (lines - 1) * m.gap * 1.5
        first_box_y = row.height - (row.height - block) / 2 - m.box
        for x, sessions, day in zip(at.day_x, content.sessions, week.days, strict=True):
            bx0 = x + (layout.day_width - (sessions * m.box + (sessions - 1) * m.gap)) / 2
            for n in range(lines if sessions else 0):
                by = bottom + first_box_y - n * (m.box + m.gap * 1.5)
                side: SideMark = content.sides[n] if content.sides else ""
                for s in range(sessions):
                    rect = (bx0 + s * (m.box + m.gap), by, m.box, m.box)
                    boxes.append(
                        Box("session", day, rect, content.exercise_id, side, session=s + 1)
                    )
        top = bottom
    records = RecordsView(
        *(layout.records, "", "", (), m, layout.label_width),
        *(layout.day_width, at),
    )
    for b in record_boxes(records):
        if b.score < 0:
            continue  # a number to write: read by a person, not the scanner
        kind: PainKind = "first_steps" if b.line.kind == "first_step_pain" else "during_exercise"
        boxes.append(
            Box(
                "pain",
                week.days[b.day],
                b.rect,
                b.line.exercise_id,
                b.line.sides[b.side],
                score=b.score,
                pain_kind=kind,
            )
        )
    return PageGeometry(
        page_id="",
        page_size=page_size,
        markers=corner_markers(page_size),
        marker_size=MARKER_SIZE,
        qr=standard_qr(page_size),
        boxes=tuple(boxes),
    )
