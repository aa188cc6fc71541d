"""The exercise handout: header, how-to box with the pain traffic light and red flags,
one card per exercise, the week-by-week overview, the education in two columns and the
therapist's references.

Pages are full and calm: each part may run on to the next page only where that reads
well (flow.py: a card between its sections, the week plan between phases, the education
between paragraphs), a box (how-to, stop-and-contact, the therapist's note, maintenance)
only when it is taller than a page, and the week plan goes where it leaves the pages
fullest.

Every part is laid out from its view (views.py) alone; the blocks and a card's sections are
speed.Remembered under their view, so a batch lays each distinct one out once.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import partial
from typing import Any

from msgspec.structs import replace
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import HRFlowable

from handouts.pdf import fonts, styles, views
from handouts.pdf.accel import FAST, Accelerator, PdfCanvas
from handouts.pdf.common import draw_footer, esc, set_metadata
from handouts.pdf.flow import Box, Columns, Floating, Sections, Slot, fits
from handouts.pdf.illustrations import draw_picture
from handouts.pdf.speed import Paragraph, Remembered, Stack
from handouts.plan import Plan

MARGIN = 12 * mm
PICTURE_WIDTH = 42 * mm
PICTURE_HEIGHT = 33 * mm
HEADER_SPLIT = 0.62  # the header's patient column; the practice's to the right of it
HEADER_GUTTER = 5 * mm
Styles = dict[str, Any]


def build_handout(
    plan: Plan, logo: str | None = None, accel: Accelerator = FAST, with_education: bool = True
) -> bytes:
    width, _ = styles.PAGE_SIZES[plan.paper]
    view = views.handout(plan, width - 2 * MARGIN, logo, with_education)
    return render_handout(view, accel)


def build_education(plan: Plan, accel: Accelerator = FAST) -> bytes:
    """The education booklet (`education: separate`): its topics under their title, then the
    therapist's references; the same footer as the handout."""
    width, _ = styles.PAGE_SIZES[plan.paper]
    return render_handout(views.education(plan, width - 2 * MARGIN), accel)


# Where the handout may place its week plan: after the cards (len(cards)), before them (0),
# in the first gap a card would leave ("gap"), or after card k. The first arrangement
# whose pages are full enough is made.
Arrangement = int | str


def _arrangements(cards: int) -> list[Arrangement]:
    return [cards, 0, "gap", *range(1, cards)]


FULL_ENOUGH = 0.16  # the largest empty share of a page (not the last) that needs no retry
RUN_OVER = 0.85  # a last page emptier than this may be saved by another arrangement
TOO_EMPTY = 0.2  # what no page but the last may be: more than a fifth empty


class _Document(BaseDocTemplate):  # type: ignore[misc]
    """Notes how much of each page's body is left empty below its content."""

    def handle_pageEnd(self) -> None:
        frame = self.frame
        self.empty.append(max(0.0, (frame._y - frame._y1) / frame._height))
        super().handle_pageEnd()


def render_handout(view: views.Handout, accel: Accelerator = FAST) -> bytes:
    """The handout in the first arrangement whose pages (but the last) are full enough and
    whose last page is not a few lines run over; else in the best of them: no page too
    empty, then the fewest pages, the least empty page, the fewest breaks between steps."""
    if not view.cards:
        return _render(view, accel, 0)[0]
    best: tuple[tuple[bool, int, float, int], bytes] | None = None
    for arrangement in _arrangements(len(view.cards)):
        data, empty, breaks = _render(view, accel, arrangement)
        most = max(empty[:-1] or [0.0])
        if most <= FULL_ENOUGH and empty[-1] < RUN_OVER:
            return data
        score = (most > TOO_EMPTY, len(empty), round(most, 2), sum(breaks))
        if best is None or score < best[0]:
            best = (score, data)
    assert best is not None
    return best[1]


def _render(
    view: views.Handout, accel: Accelerator, arrangement: Arrangement
) -> tuple[bytes, list[float], list[bool]]:
    """The PDF, each page's empty share, and its cards' breaks (True: between steps)."""
    frame_view = view.frame
    buffer = io.BytesIO()
    doc = _Document(
        buffer,
        pagesize=frame_view.paper,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 4 * mm,
        invariant=1,  # byte-identical output for the same input
        initialFontName=fonts.REGULAR,  # else every page references unembedded Helvetica
        title=frame_view.title,
        author=frame_view.author,
        creator="handouts",
    )
    doc.empty = []
    frame = Frame(
        doc.leftMargin,
        doc.bottomMargin,
        doc.width,
        doc.height,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    with accel.building("handout", frame_view.look, frame_view.paper, frame_view.lang):
        breaks: list[bool] = []
        if not view.cards and view.topics:
            story = _booklet(view)
        else:
            story = _story(view, arrangement, breaks, (doc.width, doc.height))
        doc.build(story, canvasmaker=_numbered_canvas(frame_view))
    return buffer.getvalue(), doc.empty, breaks


def _numbered_canvas(view: views.PageFrame) -> type[PdfCanvas]:
    """A canvas that knows the page total when it draws each footer ("pagina 1 van 3")."""
    size = styles.sizes(view.look.large_print).small

    class NumberedCanvas(PdfCanvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            set_metadata(self, view)
            total = len(self._pages)
            for page in self._pages:
                self.__dict__.update(page)
                self._footer(total)
                super().showPage()
            super().save()

        def _footer(self, total: int) -> None:
            width, _ = self._pagesize
            y = MARGIN - 2 * mm
            self.setFillColor(styles.MUTED)
            self.setStrokeColor(styles.RULE)
            self.setLineWidth(0.5)
            self.line(MARGIN, y + size + 3, width - MARGIN, y + size + 3)
            page_of = view.page_of.format(page=self._pageNumber, total=total)
            texts = (view.patient_name, view.practice_line, page_of)
            draw_footer(self, y, MARGIN, width - MARGIN, texts, fonts.REGULAR, size)

    return NumberedCanvas


def _styles(look: views.Look) -> Styles:
    return styles.paragraph_styles(look.large_print, look.accent)


def _booklet(view: views.Handout) -> list[Flowable]:
    st = _styles(view.header.look)
    title = Paragraph(esc(view.frame.title), st["title"])  # the section's title: said once
    story = [title, Spacer(1, 2 * mm), _education(view, heading=False)]
    if view.references is not None:
        story += [Spacer(1, 6 * mm), _references(view.references)]
    return story


def _story(
    view: views.Handout, arrangement: Arrangement, breaks: list[bool], body: tuple[float, float]
) -> list[Flowable]:
    """Safety first (how-to, traffic light, stop-and-contact: page 1), then the programme
    and its weeks, the cards, the education and the therapist's appendix. Every part may
    run on to the next page at a boundary that reads well (between a card's sections, the
    week plan's phases, paragraphs), so that no page but the last is left more than about a
    sixth empty, in any print size, paper or language; a box moves on whole (flow.Box)."""
    story: list[Flowable] = [_header(view.header), Spacer(1, 4 * mm)]
    story += [_how_to(view.how_to), Spacer(1, 3 * mm)]
    pain_rule = [Remembered(_pain_rule, view.pain_rule), Spacer(1, 3 * mm)]
    red_flags = [_red_flags(view.red_flags), Spacer(1, 5 * mm)]
    # the stop-and-contact box is never split: where it does not fit below the traffic
    # light (large print) it comes before it, so that both safety parts are whole and
    # page 1 is full; else it moves to the next page whole
    width, height = body
    if not fits([*story, *pain_rule, *red_flags], width, height) and fits(
        [*story, *red_flags], width, height
    ):
        story += [*red_flags, *pain_rule]
    else:
        story += [*pain_rule, *red_flags]
    if view.notes is not None:
        story += [_notes(view.notes), Spacer(1, 4 * mm)]
    # the programme's name above the cards; its weeks before them, after them, or in the
    # first gap a card would leave (a card that does not fit the rest of a page)
    weeks = _progression_flow(view.progression)
    floating = Floating(weeks) if arrangement == "gap" else None
    if arrangement == 0:  # the programme's name and summary above its weeks
        story.append(_progression_flow(view.progression, _about(view.programme)))
    for number, card in enumerate(view.cards):
        lead = _about(view.programme) if number == 0 and arrangement != 0 else None
        story += [_card_flow(card, lead, floating, breaks), Spacer(1, 4 * mm)]
        if arrangement == number + 1:
            story.append(weeks)
    if floating is not None:
        story.append(Slot(floating))
    if view.topics:
        story += [_education(view), Spacer(1, 5 * mm)]
    elif view.maintenance is not None:
        story += [_maintenance_box(view.maintenance), Spacer(1, 5 * mm)]
    if view.references is not None:
        story.append(_references(view.references))
    return story


NotesPart = tuple[views.Notes, int, int]  # the note and a range of its groups of lines


def _notes(view: views.Notes) -> Flowable:
    return _box(_notes_part, view, len(_groups(len(view.lines))))


def _notes_part(part: NotesPart) -> Flowable:
    view, start, end = part
    st = _styles(view.look)
    first, last = _lines_of(_groups(len(view.lines)), start, end)
    title = Paragraph(esc(view.title if start == 0 else view.continued), st["label"])
    lines = [Paragraph(esc(line), st["body"]) for line in view.lines[first:last]]
    return _box_rows([title, *lines], view.width, styles.LIGHT)


def _education(view: views.Handout, heading: bool = True) -> Flowable:
    """The education topics under their section's heading, in two balanced columns (large
    print: one), running on from page to page between paragraphs."""
    look = view.header.look
    st = _styles(look)
    items: list[Flowable] = []
    continued: list[Flowable | None] = []  # a topic's title continued, above its rest
    for topic in view.topics:
        # the title keeps its first paragraph: never a title alone at the foot of a column;
        # a list's first two and last two points stay together: never one point alone
        items.append(Remembered(_topic_head, topic))
        rest = list(range(2, 1 + len(topic.paragraphs) + len(topic.points)))  # in its body
        paragraphs = len(topic.paragraphs) - 1 if topic.paragraphs else 0
        items += [Remembered(_topic_part, (topic, n, n + 1)) for n in rest[:paragraphs]]
        pairs = _pairs_at_the_ends(rest[paragraphs:])
        items += [Remembered(_topic_part, (topic, group[0], group[-1] + 1)) for group in pairs]
        parts = len(items) - len(continued) - 1
        continued += [None, *[Remembered(_topic_continued, topic)] * parts]
    count, gutter = (1, 0.0) if look.large_print else (2, 7 * mm)
    if view.maintenance is not None:  # what to keep doing after the programme closes it
        width = (view.maintenance.width - gutter * (count - 1)) / count
        box = replace(view.maintenance, width=width)  # boxed to the column's width
        items += [Spacer(1, 2 * mm), _maintenance_box(box)]
        continued += [None, None]
    title = Paragraph(esc(view.education_title), st["heading"]) if heading else None
    return Columns(items, count, gutter, title, continued=continued)


def _topic_continued(view: views.Topic) -> Flowable:
    """Above a topic's rest on the next page: its title, "(vervolg)", under the rule."""
    st = _styles(view.look)
    rule = HRFlowable(width="100%", thickness=0.5, color=styles.RULE, spaceBefore=2, spaceAfter=2)
    return Stack([rule, Paragraph(esc(view.continued), st["label"])])


def _pairs_at_the_ends(points: list[int]) -> list[list[int]]:
    """A list's points as column items: up to three as one; else the first two and the
    last two as one each, those between one by one."""
    if len(points) <= 3:
        return [points] if points else []
    return [points[:2], *([n] for n in points[2:-2]), points[-2:]]


TopicPart = tuple[views.Topic, int, int]  # a topic and a range of its body's flowables


def _topic_part(part: TopicPart) -> Flowable:
    """A column item of a topic's text: a paragraph, or points that stay together."""
    view, start, end = part
    return Stack(_topic_body(view, _styles(view.look), start, end))


def _topic_head(view: views.Topic) -> Flowable:
    st = _styles(view.look)
    rule = HRFlowable(width="100%", thickness=0.5, color=styles.RULE, spaceBefore=2, spaceAfter=2)
    note = [Paragraph(esc(view.week_note), st["week_note"])] if view.week_note else []
    return Stack([*note, rule, *_topic_body(view, st, 0, 2)])


MaintenancePart = tuple[views.Topic, int, int]  # the maintenance box and a range of its groups


def _maintenance_groups(view: views.Topic) -> list[tuple[int, int]]:
    """The maintenance box's lines (title, paragraphs, points) in the groups it may break
    between when taller than a page: the title with the first paragraph, each paragraph,
    the points in pairs."""
    lines = 1 + len(view.paragraphs) + len(view.points)
    first = 2 if view.paragraphs else 1
    groups = [(0, first)]
    groups += [(n, n + 1) for n in range(first, 1 + len(view.paragraphs))]
    points = range(1 + len(view.paragraphs), lines)
    groups += [(n, min(n + 2, lines)) for n in points[::2]]
    if len(groups) > 1 and groups[-1][1] - groups[-1][0] == 1 and view.points:  # no point alone
        (a, _), (_, b) = groups[-2], groups[-1]
        groups[-2:] = [(a, b)]
    return groups


def _maintenance_part(part: MaintenancePart) -> Flowable:
    """The maintenance box with its groups start to end; after a break under its title
    continued."""
    view, start, end = part
    st = _styles(view.look)
    groups = _maintenance_groups(view)
    cells: list[Flowable] = []
    if start > 0:
        cells.append(Paragraph(esc(view.continued), st["label"]))
    cells += [Stack(_topic_body(view, st, *groups[n])) for n in range(start, end)]
    return _box_rows(cells, view.width, styles.LIGHT)


def _maintenance_box(view: views.Topic) -> Flowable:
    return _box(_maintenance_part, view, len(_maintenance_groups(view)))


def _topic_body(
    view: views.Topic, st: Styles, start: int = 0, end: int | None = None
) -> list[Flowable]:
    """The topic's title, paragraphs and points (those from start to end)."""
    lines = [(view.title, "label"), *((p, "paragraph") for p in view.paragraphs)]
    lines += [(p, "bullet") for p in view.points]
    return [
        Paragraph(esc(text), st[kind], bulletText="•" if kind == "bullet" else None)
        for text, kind in lines[start:end]
    ]


def _header(view: views.Header) -> Flowable:
    st = _styles(view.look)
    (patient_label, name), (foot_label, foot) = view.patient, view.foot
    left = [
        Paragraph(esc(view.title), st["title"]),
        Spacer(1, 2 * mm),
        Paragraph(f"{esc(patient_label)}: <b>{esc(name)}</b>", st["body"]),
        Paragraph(
            f"{esc(foot_label)}: <b><font color='{view.look.accent}'>{esc(foot)}</font></b>",
            st["body"],
        ),
        Paragraph(esc(view.start_line), st["body"]),
        Paragraph(esc(view.made_on), st["small"]),
    ]
    right: list[Flowable] = [_logo(view.logo)] if view.logo is not None else []
    right.append(Paragraph(f"<b>{esc(view.practice_name)}</b>", st["small"]))
    right += [Paragraph(esc(line), st["small"]) for line in view.contact]
    split = view.width * HEADER_SPLIT
    table = _table([[left, right]], colWidths=[split, view.width - split])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, 0), HEADER_GUTTER),  # long names stay apart
                ("LINEBELOW", (0, 0), (-1, 0), 1.5, colors.HexColor(view.look.accent)),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3 * mm),
            ]
        )
    )
    return table


def _table(rows: list[list[Any]], colWidths: list[float]) -> Table:
    """A reportlab Table whose plain-string cells use the bundled font, not Helvetica."""
    table = Table(rows, colWidths=colWidths)
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), fonts.REGULAR)]))
    return table


def _logo(path: str) -> Flowable:
    image = Image(path)
    scale = min(40 * mm / image.imageWidth, 16 * mm / image.imageHeight)
    image.drawWidth = image.imageWidth * scale
    image.drawHeight = image.imageHeight * scale
    image.hAlign = "LEFT"
    return image


def _bullet_list(items: tuple[str, ...], st: Styles) -> list[Flowable]:
    return [Paragraph(esc(item), st["bullet"], bulletText="•") for item in items]


BulletsPart = tuple[views.Bullets, int, int]  # the how-to box and a range of its groups
RedFlagsPart = tuple[views.RedFlags, int, int]  # the stop-and-contact box, idem


def _groups(count: int) -> list[tuple[int, int]]:
    """A box's items in the groups it may break between: the first two (with the title),
    the last two, those between one by one; never an item alone under a title."""
    if count <= 4:
        return [(0, count)]
    return [(0, 2), *((n, n + 1) for n in range(2, count - 2)), (count - 2, count)]


def _lines_of(groups: list[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    """The items of groups start to end."""
    return groups[start][0], groups[end - 1][1]


def _box(layout: Callable[[Any], Flowable], view: Any, groups: int) -> Flowable:
    """A box of groups (flow.Box), each range of them remembered under (view, start, end)."""
    return Box(lambda start, end: Remembered(layout, (view, start, end)), groups)


def _box_rows(rows: list[Flowable], width: float, fill: Any, border: Any = None) -> Flowable:
    """A box: the flowables one per row, padded as one box (top, sides, bottom)."""
    box = _table([[row] for row in rows], colWidths=[width])
    commands: list[tuple[Any, ...]] = [
        ("LEFTPADDING", (0, 0), (-1, -1), 8),
        ("RIGHTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, 0), 5),
        ("BOTTOMPADDING", (0, -1), (-1, -1), 7),
    ]
    if fill is not None:
        commands.append(("BACKGROUND", (0, 0), (-1, -1), fill))
    if border is not None:
        commands.append(("BOX", (0, 0), (-1, -1), 1.5, border))
    box.setStyle(TableStyle(commands))
    return box


def _how_to(view: views.Bullets) -> Flowable:
    return _box(_how_to_part, view, len(_groups(len(view.items))))


def _how_to_part(part: BulletsPart) -> Flowable:
    view, start, end = part
    st = _styles(view.look)
    first, last = _lines_of(_groups(len(view.items)), start, end)
    title = Paragraph(esc(view.title if start == 0 else view.continued), st["heading"])
    return _box_rows([title, *_bullet_list(view.items[first:last], st)], view.width, styles.LIGHT)


def _pain_rule(view: views.PainRule) -> Flowable:
    st = _styles(view.look)
    return Stack(
        [
            Paragraph(esc(view.title), st["heading"]),
            Paragraph(esc(view.intro), st["body"]),
            Spacer(1, 1.5 * mm),
            _traffic_light(view, st),
            Spacer(1, 1 * mm),
            Paragraph(esc(view.morning_note), st["small"]),
        ]
    )


def _red_flags(view: views.RedFlags) -> Flowable:
    return _box(_red_flags_part, view, len(_groups(len(view.items))))


def _red_flags_part(part: RedFlagsPart) -> Flowable:
    """The stop-and-contact box in its red frame: the title and the intro with the first
    items; after a break, the title continued."""
    view, start, end = part
    st = _styles(view.look)
    first, last = _lines_of(_groups(len(view.items)), start, end)
    rows = [Paragraph(esc(view.title if start == 0 else view.continued), st["heading"])]
    if start == 0:
        rows.append(Paragraph(esc(view.intro), st["body"]))
    rows += _bullet_list(view.items[first:last], st)
    return _box_rows(rows, view.width, None, styles.RED)


def _traffic_light(view: views.PainRule, st: Styles) -> Flowable:
    sizes = styles.sizes(view.look.large_print)
    light_rows = [
        [
            _Lamp(styles.ZONE_COLOURS[zone.zone], sizes.body * 1.3),
            Paragraph(f"<b>{esc(zone.label)}</b>", st["body"]),
            Paragraph(esc(zone.rule), st["body"]),
            Paragraph(f"<b>{esc(zone.action)}</b>", st["body"]),
        ]
        for zone in view.zones
    ]
    lamp_col = sizes.body * 2.2
    label_col = sizes.body * 4.6
    rest = view.width - lamp_col - label_col
    lights = _table(light_rows, colWidths=[lamp_col, label_col, rest * 0.52, rest * 0.48])
    lights.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
            + [
                ("BACKGROUND", (0, i), (-1, i), styles.ZONE_TINTS[z])
                for i, z in enumerate(styles.ZONE_TINTS)
            ]
            + [("LINEBELOW", (0, 0), (-1, 1), 0.75, colors.white)]
        )
    )
    return lights


def _boxed(content: list[Flowable], width: float, fill: Any, border: Any = None) -> Flowable:
    box = _table([[content]], colWidths=[width])
    commands: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, -1), fill),
        ("LEFTPADDING", (0, 0), (-1, -1), 8),
        ("RIGHTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
    ]
    if border is not None:
        commands += [("BOX", (0, 0), (-1, -1), 1.5, border)]
    box.setStyle(TableStyle(commands))
    return box


class _Lamp(Flowable):  # type: ignore[misc]
    """A filled circle: one light of the traffic light."""

    def __init__(self, colour: Any, diameter: float) -> None:
        super().__init__()
        self.colour, self.diameter = colour, diameter
        self.width = self.height = diameter

    def draw(self) -> None:
        self.canv.setFillColor(self.colour)
        self.canv.setStrokeColor(styles.INK)
        self.canv.setLineWidth(0.6)
        r = self.diameter / 2
        self.canv.circle(r, r, r, stroke=1, fill=1)


class _PictureSpot(Flowable):  # type: ignore[misc]
    """The exercise's picture in a light frame, mirrored for a left foot; a dashed empty
    frame when the exercise has no picture (a practice's own exercise, say)."""

    def __init__(self, view: views.PictureSpot, small: bool = False) -> None:
        super().__init__()
        self.view = view
        scale = 0.6 if small else 1.0  # small: two feet side by side on one card
        self.width, self.height = PICTURE_WIDTH * scale, PICTURE_HEIGHT * scale

    def draw(self) -> None:
        c, view = self.canv, self.view
        caption_height = view.size * 1.5 if view.caption else 0
        frame_height = self.height - caption_height
        c.setStrokeColor(styles.RULE)
        c.setFillColor(colors.white)
        c.setLineWidth(0.75)
        if view.picture is None:
            c.setDash(3, 2)
        c.roundRect(0, caption_height, self.width, frame_height, 2 * mm, stroke=1, fill=1)
        c.setDash()
        if view.picture is not None:
            picture = view.picture.load()
            inset = 1 * mm
            scale = min(
                (self.width - 2 * inset) / picture.width,
                (frame_height - 2 * inset) / picture.height,
            )
            width, height = picture.width * scale, picture.height * scale
            x = (self.width - width) / 2
            y = caption_height + (frame_height - height) / 2
            draw_picture(c, view.picture, x, y, width, view.mirror)
        if view.caption:
            c.setFillColor(styles.INK)
            c.setFont(fonts.BOLD, view.size)
            c.drawCentredString(self.width / 2, view.size * 0.35, view.caption)


CardPart = tuple[views.Card, int]  # a card and the number of one of its sections


def _card_flow(
    card: views.Card,
    lead: list[Flowable] | None = None,
    filler: Floating | None = None,
    breaks: list[bool] | None = None,
) -> Flowable:
    """A card in its sections, each remembered under (card, number): whole on a page when
    it fits, else broken between sections with the card's name above the rest. The lead
    (the programme's name) stays with its first section."""
    spots = [s.picture for s in card.sides] if card.sides else [card.picture]
    pictures = tuple(spot.picture for spot in spots if spot.picture)
    kinds = [minor for _, minor in _card_sections(card)]
    sections = [Remembered(_card_section, (card, n), pictures) for n in range(len(kinds))]
    if lead:
        sections[0] = Stack([*lead, sections[0]])
    minor = frozenset(n for n, is_minor in enumerate(kinds) if is_minor)
    starts = {n: Remembered(_dosage_continued, (card, n)) for n in _later_weeks(card)}
    continued = Remembered(_card_continued, card)
    return Sections(sections, continued, filler, minor, breaks, starts)


def _later_weeks(view: views.Card) -> dict[int, int]:
    """The sections of the dosage box's later stretches of weeks (its groups after the
    first), by number: each group's number. They come just before the card's foot."""
    groups = len(_dosage_groups(view))
    first = len(_card_sections(view)) - 1 - groups  # the first group's section
    return {first + group: group for group in range(1, groups)}


def _dosage_continued(part: CardPart) -> Flowable:
    """A later stretch of weeks of the dosage box that starts a page: under the box's
    title continued."""
    view, number = part
    return _dosage_box(view, _styles(view.look), _later_weeks(view)[number], continued=True)


def _card_continued(view: views.Card) -> Flowable:
    """The top of a card's rest on the next page: its name, "(vervolg)", under the line."""
    st = _styles(view.look)
    return _card_frame([[Paragraph(esc(view.continued), st["label"])]], view, [view.width])


def _card_section(part: CardPart) -> Flowable:
    view, number = part
    return _card_sections(view)[number][0]()


Section = tuple[Callable[[], Flowable], bool]  # how to make it; True: break before it only
# when no section boundary will do (between two steps)


def _card_sections(view: views.Card) -> list[Section]:
    """A card's sections, each made when it is asked for: the title with what the exercise
    is for and the picture (normal print: the first steps beside it); the further steps,
    one by one; the cautions; the dosage, by stretches of weeks; easier beside harder."""
    st = _styles(view.look)
    gutter = 5 * mm
    large = view.look.large_print
    steps_width = view.width - PICTURE_WIDTH - gutter
    title = Paragraph(esc(view.name), st["card_title"])

    def intro() -> list[Flowable]:
        parts: list[Flowable] = []
        if view.both_sides_note:
            note = Paragraph(f"<b>{esc(view.both_sides_note)}</b>", st["body"])
            # both feet with their own steps: the headings show the feet, a bold line the order
            parts += [note] if view.sides else [_boxed([note], steps_width, styles.LIGHT)]
            parts.append(Spacer(1, 1.5 * mm))
        if view.purpose:
            parts.append(_labelled(*view.purpose, st))
        if view.when:
            parts.append(_labelled(*view.when, st))
        return parts

    label = Paragraph(esc(view.steps_label), st["label"])

    def step(text: str, number: int) -> Flowable:
        return Paragraph(esc(text), st["step"], bulletText=f"{number}.")

    def beside_picture() -> int:
        """How many steps stand beside the picture: enough to reach its foot."""
        height = label.wrap(steps_width, 10_000)[1]
        for number, text in enumerate(view.steps, start=1):
            if height >= PICTURE_HEIGHT:
                return number - 1
            paragraph = step(text, number)
            height += paragraph.wrap(steps_width, 10_000)[1] + paragraph.getSpaceAfter()
        return len(view.steps)

    def one_foot_top(count: int) -> Flowable:
        spot = _PictureSpot(view.picture)
        if large:  # what it is for beside the picture; the steps below, full width
            rows = [[title, ""], [spot, intro()]]
            return _card_frame(rows, view, [PICTURE_WIDTH + gutter, steps_width], (0,))
        # what it is for under the title, full width; the first steps beside the picture
        first = [label, *(step(text, n) for n, text in enumerate(view.steps[:count], 1))]
        rows = [[title, ""], [intro(), ""], [spot, first]]
        return _card_frame(rows, view, [PICTURE_WIDTH + gutter, steps_width], (0, 1))

    def step_beside(number: int) -> Flowable:  # a further step, in the steps' column
        paragraph = step(view.steps[number - 1], number)
        return _columns([([], PICTURE_WIDTH), ([paragraph], steps_width)], gutter)

    def feet_top() -> Flowable:
        if large:  # the feet one below the other: the first foot's heading and picture
            top = _foot_top(view.sides[0], view, st, view.width, gutter)
            return _card_frame([[title], [intro()], [top]], view, [view.width])
        half = (view.width - gutter) / 2
        tops = [([_foot_top(side, view, st, half, gutter)], half) for side in view.sides]
        return _card_frame([[title], [intro()], [_columns(tops, gutter)]], view, [view.width])

    half = (view.width - gutter) / 2

    def feet_steps(first: int, last: int) -> Flowable:
        """Both feet's steps first..last (1-based) side by side, row by row (with the
        label above the first): each foot's step n beside the other's."""
        rows: list[Flowable] = []
        if first == 1:
            rows.append(_columns([([label], half), ([label], half)], gutter))
        for number in range(first, last + 1):
            cells = [
                ([step(side.steps[number - 1], number)] if number <= len(side.steps) else [], half)
                for side in view.sides
            ]
            rows.append(_columns(cells, gutter))
        return Stack(rows)

    def feet_extra() -> Flowable:
        return _columns([(_foot_extra(side, view, st), half) for side in view.sides], gutter)

    def full_width_steps(steps: tuple[str, ...]) -> list[Section]:
        """Large print: the label and the first two steps together, then one by one."""
        first = [label, *(step(text, n) for n, text in enumerate(steps[:2], 1))]
        sections: list[Section] = [(lambda: Stack(first), False)]
        for number in range(3, len(steps) + 1):
            sections.append(
                (partial(lambda t, n: Stack([step(t, n)]), steps[number - 1], number), True)
            )
        return sections

    sections: list[Section] = []
    if not view.sides:
        if large:
            sections.append((partial(one_foot_top, 0), False))
            sections += full_width_steps(view.steps)
        else:
            count = beside_picture()
            sections.append((partial(one_foot_top, count), False))
            sections += [
                (partial(step_beside, n), True) for n in range(count + 1, len(view.steps) + 1)
            ]
    elif large:  # each foot: its heading and picture, its steps, its own cautions
        first, second = view.sides
        sections.append((feet_top, False))
        sections += full_width_steps(first.steps)
        sections.append((lambda: Stack(_foot_extra(first, view, st)), False))
        sections.append((lambda: Stack([_foot_top(second, view, st, view.width, gutter)]), False))
        sections += full_width_steps(second.steps)
        sections.append((lambda: Stack(_foot_extra(second, view, st)), False))
    else:  # the feet side by side: the first two steps, then step by step, then the rest
        count = max(len(side.steps) for side in view.sides)
        sections += [(feet_top, False), (partial(feet_steps, 1, min(2, count)), False)]
        sections += [(partial(feet_steps, n, n), True) for n in range(3, count + 1)]
        if any(side.cautions or side.easier_harder for side in view.sides):
            sections.append((feet_extra, False))
    # what to watch for right after the steps; then how much, week by week; then how to
    # make it easier or harder beside each other, and how sure the research is
    if view.cautions:
        sections.append((lambda: Stack([Spacer(1, 1 * mm), *_cautions(view, st)]), False))
    sections.append((lambda: Stack([Spacer(1, 1.5 * mm), _dosage_box(view, st)]), False))
    for group in range(1, len(_dosage_groups(view))):  # the box may break between weeks
        sections.append((partial(_dosage_box, view, st, group), False))
    sections.append((lambda: Stack([Spacer(1, 1.5 * mm), _card_foot(view, st, gutter)]), False))
    return sections


def _card_frame(
    rows: list[list[Any]], view: views.Card, col_widths: list[float], spans: tuple[int, ...] = ()
) -> Table:
    """A card's table: its rows top-aligned without padding, under the accent line; the
    rows in spans run across both columns."""
    accent = colors.HexColor(view.look.accent)
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0.6 * mm),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0.6 * mm),
        ("LINEABOVE", (0, 0), (-1, 0), 1.2, accent),
    ]
    commands += [("SPAN", (0, r), (1, r)) for r in spans]
    card = _table(rows, colWidths=col_widths)
    card.setStyle(TableStyle(commands))
    return card


def _foot_top(
    side: views.CardSide, view: views.Card, st: Styles, width: float, gutter: float
) -> Flowable:
    """One foot's heading and its own sentences beside its picture."""
    accent = view.look.accent
    heading = Paragraph(f"<b><font color='{accent}'>{esc(side.heading)}</font></b>", st["label"])
    spot = _PictureSpot(side.picture, small=not view.look.large_print)
    about: list[Flowable] = [heading]
    if side.purpose:
        about.append(_labelled(*side.purpose, st))
    if side.when:
        about.append(_labelled(*side.when, st))
    return _columns([([spot], spot.width + gutter / 2), (about, width - spot.width - gutter / 2)])


def _foot_extra(side: views.CardSide, view: views.Card, st: Styles) -> list[Flowable]:
    """One foot's own cautions and easier/harder (where the feet differ)."""
    extra: list[Flowable] = [Spacer(1, 0)]
    if side.cautions:
        extra.append(Paragraph(esc(view.cautions_label), st["label"]))
        extra += _bullet_list(side.cautions, st)
    for label, value in side.easier_harder:
        extra += [Paragraph(esc(label), st["label"]), Paragraph(esc(value), st["body"])]
    return extra


def _cautions(view: views.Card, st: Styles) -> list[Flowable]:
    if not view.cautions:
        return []
    return [Paragraph(esc(view.cautions_label), st["label"]), *_bullet_list(view.cautions, st)]


def _card_foot(view: views.Card, st: Styles, gutter: float) -> Flowable:
    """Easier beside harder (large print: one below the other), closed by the sources."""
    sources = Paragraph(esc(view.sources), st["small"])
    parts = [
        [Paragraph(esc(label), st["label"]), Paragraph(esc(text), st["body"])]
        for label, text in view.easier_harder
    ]
    if len(parts) < 2 or view.look.large_print:
        lines = [line for part in parts for line in (*part, Spacer(1, 1.5 * mm))]
        return Stack([*lines, sources])
    half = (view.width - gutter) / 2
    return Stack(
        [_columns([(parts[0], half), (parts[1], half)], gutter), Spacer(1, 1.5 * mm), sources]
    )


def _height(flowables: list[Flowable], width: float) -> float:
    return float(
        sum(f.wrap(width, 10_000)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in flowables)
    )


def _columns(parts: list[tuple[list[Flowable], float]], gutter: float = 0) -> Flowable:
    """Flowables side by side, each list in a column of the given width; with a gutter,
    the columns after the first start that far to the right (the widths then add it)."""
    widths = [w + (gutter if i else 0) for i, (_, w) in enumerate(parts)]
    table = _table([[content for content, _ in parts]], colWidths=widths)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("LEFTPADDING", (1, 0), (-1, -1), gutter),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _labelled(label: str, value: str, st: Styles) -> Flowable:
    return Paragraph(f"<b>{esc(label)}:</b> {esc(value)}", st["body"])


def _dosage_line(line: views.DosageLine, st: Styles) -> Flowable:
    if line.kind == "amount":
        return Paragraph(f"<b>{esc(line.text)}</b>", st["body"])
    if line.kind == "step":
        text = f"<b>{esc(line.lead)}:</b> {esc(line.text)}"
        return Paragraph(text, st["bullet"], bulletText="•")
    return Paragraph(esc(line.text), st["small" if line.kind == "small" else "body"])


def _dosage_groups(view: views.Card) -> list[tuple[views.DosageLine, ...]]:
    """The dosage box's lines in the groups it may break between: what stays the same with
    the first stretch of weeks, then each further stretch of weeks (with a note after it)."""
    groups: list[list[views.DosageLine]] = [[]]
    seen_step = False
    for line in view.dosage:
        if line.kind == "step" and seen_step:
            groups.append([])
        seen_step = seen_step or line.kind == "step"
        groups[-1].append(line)
    return [tuple(group) for group in groups]


def _dosage_box(view: views.Card, st: Styles, group: int = 0, continued: bool = False) -> Flowable:
    """One group of the dosage box (the first with its title; one that starts a page with
    its title continued): the groups, one below the other, make one shaded box with the
    accent bar."""
    groups = _dosage_groups(view)
    headed = group == 0 or continued
    title = view.dosage_title if group == 0 else view.dosage_continued
    lines = [Paragraph(esc(title), st["label"])] if headed else []
    lines += [_dosage_line(line, st) for line in groups[group]]
    box = _table([[lines]], colWidths=[view.width])
    box.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), styles.LIGHT),
                ("LINEBEFORE", (0, 0), (0, -1), 3, colors.HexColor(view.look.accent)),
                ("LEFTPADDING", (0, 0), (-1, -1), 7),
                ("TOPPADDING", (0, 0), (-1, -1), 3 if headed else 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5 if group == len(groups) - 1 else 0),
            ]
        )
    )
    return box


ProgressionPart = tuple[views.Progression, int]  # the week plan and one of its rows


def _about(programme: tuple[views.Look, str, str]) -> list[Flowable]:
    look, name, summary = programme
    st = _styles(look)
    about = [Paragraph(esc(name), st["heading"]), Paragraph(esc(summary), st["body"])]
    return [*about, Spacer(1, 3 * mm)]


def _progression_flow(view: views.Progression, lead: list[Flowable] | None = None) -> Flowable:
    """The phases week by week: the title (and the lead above it) stays with the first
    phase; the table may break between phases, its title repeated."""
    rows: list[Flowable] = [Remembered(_progression_row, (view, n)) for n in range(len(view.rows))]
    rows[-1] = Stack([rows[-1], Spacer(1, 5 * mm)])  # apart from what follows
    if len(rows) > 2:  # never the last phase alone under the title repeated
        rows[-2:] = [Stack(rows[-2:])]
    rows[0] = Stack([*(lead or []), Remembered(_progression_head, view), rows[0]])
    return Sections(rows, Remembered(_progression_continued, view))


def _progression_head(view: views.Progression) -> Flowable:
    st = _styles(view.look)
    title = Paragraph(esc(view.title), st["label"])
    rule = [Paragraph(esc(view.rule), st["body"]), Spacer(1, 1.5 * mm)] if view.rule else []
    return Stack([title, *rule])


def _progression_continued(view: views.Progression) -> Flowable:
    return Stack([Paragraph(esc(view.continued), _styles(view.look)["label"])])


def _progression_row(part: ProgressionPart) -> Flowable:
    view, number = part
    st = _styles(view.look)
    name, weeks, dates, changes, minutes = view.rows[number]
    when = f"{esc(weeks)}<br/>{esc(dates)}"
    row = [
        Paragraph(f"<b>{esc(name)}</b><br/>{when}", st["body"]),
        [Paragraph(esc(changes), st["body"]), Paragraph(esc(minutes), st["small"])],
    ]
    width = view.width
    table = _table([row], colWidths=[width * 0.2, width * 0.8])
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, styles.RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
    ]
    if number == 0:
        commands.append(("LINEABOVE", (0, 0), (-1, 0), 1.2, colors.HexColor(view.look.accent)))
    table.setStyle(TableStyle(commands))
    return table


def _references(view: views.References) -> Flowable:
    """The appendix for the therapist, at the very end in small type (in every print size:
    it is not for the patient), in three balanced columns that run on between entries."""
    st = _styles(view.look)
    # the full citation names author and year already: the short form is not repeated
    items = [Paragraph(esc(full), st["reference"]) for _, full in view.items]
    rule = HRFlowable(width="100%", thickness=0.5, color=styles.RULE, spaceBefore=2, spaceAfter=3)
    head = Stack(
        [
            Paragraph(f"<b>{esc(view.title)}</b> · {esc(view.intro)}", st["reference"]),
            rule,
        ]
    )
    return Columns(items, 4, 4 * mm, head)
