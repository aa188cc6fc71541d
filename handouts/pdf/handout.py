"""The exercise handout: header, how-to box with the pain traffic light and red flags,
one card per exercise (never split across pages), the week-by-week overview.

Every part is laid out from its view (views.py) alone; the blocks and cards are
speed.Remembered under their view, so a batch lays each distinct one out once.
"""

from __future__ import annotations

import io
from dataclasses import replace
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import HRFlowable

from handouts.pdf import fonts, styles, views
from handouts.pdf.accel import FAST, Accelerator, PdfCanvas
from handouts.pdf.common import draw_footer, esc, set_metadata
from handouts.pdf.illustrations import draw_picture
from handouts.pdf.speed import Paragraph, Remembered, Stack
from handouts.plan import Plan

MARGIN = 14 * mm
PICTURE_WIDTH = 46 * mm
PICTURE_HEIGHT = 36 * mm
Styles = dict[str, Any]


def build_handout(
    plan: Plan, logo: str | None = None, accel: Accelerator = FAST, with_education: bool = True
) -> bytes:
    width, _ = styles.PAGE_SIZES[plan.paper]
    view = views.handout(plan, width - 2 * MARGIN, logo, with_education)
    return render_handout(view, accel)


def build_education(plan: Plan, accel: Accelerator = FAST) -> bytes:
    """The education booklet (`education: separate`): its topics under the patient's header,
    the same footer."""
    width, _ = styles.PAGE_SIZES[plan.paper]
    return render_handout(views.education(plan, width - 2 * MARGIN), accel)


def render_handout(view: views.Handout, accel: Accelerator = FAST) -> bytes:
    frame_view = view.frame
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
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
    with accel.building():
        story = _booklet(view) if not view.cards and view.topics else _story(view)
        doc.build(story, canvasmaker=_numbered_canvas(frame_view))
    return buffer.getvalue()


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
    story: list[Flowable] = [Paragraph(esc(view.frame.title), st["title"]), Spacer(1, 2 * mm)]
    for topic in replace(view.topics[0], heading=None), *view.topics[1:]:
        story += _topic_flow(topic)
    return story


def _story(view: views.Handout) -> list[Flowable]:
    """The order is chosen so that no page but the last is left mostly empty:
    normal print, one foot: safety first (page 1), the programme's name above the cards,
    its weeks after them; both feet (a card nearly a page): the programme after the cards;
    large print (a card a page): page 1 the programme's name, how-to and the stop-and-contact
    box, page 2 the traffic light and the weeks, then the cards."""
    look, name, summary = view.programme
    st = _styles(look)
    large = look.large_print
    one_foot = not any(card.sides for card in view.cards)
    about = [Paragraph(esc(name), st["heading"]), Paragraph(esc(summary), st["body"])]
    about.append(Spacer(1, (1.5 if large else 3) * mm))
    weeks = Remembered(_progression, view.progression)
    pain_rule = [Remembered(_pain_rule, view.pain_rule), Spacer(1, 3 * mm)]
    story: list[Flowable] = [_header(view.header), Spacer(1, 4 * mm)]
    if large:
        story += about
    story += [Remembered(_how_to, view.how_to), Spacer(1, 3 * mm)]
    if not large:
        story += pain_rule
    # the stop-and-contact box may run on to the next page (its rows split, its frame drawn
    # on both parts) rather than leave a page a third empty (Letter, long practice texts)
    story += [_flowing_red_flags(view.red_flags), Spacer(1, 5 * mm)]
    if view.notes is not None:
        story += [_notes(view.notes), Spacer(1, 4 * mm)]
    if large:
        story += [*pain_rule, weeks, Spacer(1, 5 * mm)]
    elif one_foot:
        story += about
    for card in view.cards:
        if card.sides and card.look.large_print:
            side_pictures = tuple(s.picture.picture for s in card.sides if s.picture.picture)
            story += [
                Remembered(_card_first_foot, card, side_pictures),
                Spacer(1, 2 * mm),
                Remembered(_card_other_foot, card, side_pictures),
                Spacer(1, 2 * mm),
                Remembered(_card_rest, card),
                Spacer(1, 3 * mm),
            ]
            continue
        # kept together on one page; only a card taller than a whole page may split
        spots = [s.picture for s in card.sides] if card.sides else [card.picture]
        pictures = tuple(spot.picture for spot in spots if spot.picture)
        story += [Remembered(_card, card, pictures), Spacer(1, 3 * mm)]
    if not large:
        story.append(weeks if one_foot else KeepTogether([*about, weeks]))
    if view.topics:
        story.append(Spacer(1, 5 * mm))
        for topic in view.topics:
            story += _topic_flow(topic)
    if view.maintenance is not None:
        story += [Spacer(1, 5 * mm), Remembered(_maintenance, view.maintenance)]
    if view.references is not None:
        story += [Spacer(1, 6 * mm), *_references(view.references)]
    return story


def _notes(view: views.Notes) -> Flowable:
    st = _styles(view.look)
    lines = [Paragraph(esc(line), st["body"]) for line in view.lines]
    return _boxed([Paragraph(esc(view.title), st["label"]), *lines], view.width, styles.LIGHT)


def _topic(view: views.Topic) -> Flowable:
    """One education topic: title, short paragraphs, points, when to read it and sources
    (with the section's heading above the first one: never alone at the foot of a page)."""
    st = _styles(view.look)
    heading = [Paragraph(esc(view.heading), st["heading"])] if view.heading else []
    rule = HRFlowable(width="100%", thickness=0.5, color=styles.RULE, spaceBefore=3, spaceAfter=3)
    caption = [Paragraph(esc(view.caption), st["small"])] if view.caption is not None else []
    return Stack([*heading, rule, *_topic_body(view, st), *caption])


def _topic_flow(view: views.Topic) -> list[Flowable]:
    """An education topic that may run on to the next page, so that the education pages
    are full: its heading, title and first paragraph stay together (never a title alone at
    the foot of a page); the rest flows paragraph by paragraph."""
    st = _styles(view.look)
    body = _topic_body(view, st)
    rest = body[2:]
    caption = [Paragraph(esc(view.caption), st["small"])] if view.caption is not None else []
    if len(rest) <= 2:  # a short topic: whole, as before
        return [Remembered(_topic, view)]
    return [Remembered(_topic_head, view), *rest, *caption]


def _topic_head(view: views.Topic) -> Flowable:
    st = _styles(view.look)
    heading = [Paragraph(esc(view.heading), st["heading"])] if view.heading else []
    rule = HRFlowable(width="100%", thickness=0.5, color=styles.RULE, spaceBefore=3, spaceAfter=3)
    return Stack([*heading, rule, *_topic_body(view, st)[:2]])


def _maintenance(view: views.Topic) -> Flowable:
    return Stack([_boxed(_topic_body(view, _styles(view.look)), view.width, styles.LIGHT)])


def _topic_body(view: views.Topic, st: Styles) -> list[Flowable]:
    body: list[Flowable] = [Paragraph(esc(view.title), st["label"])]
    body += [Paragraph(esc(p), st["paragraph"]) for p in view.paragraphs]
    body += [Paragraph(esc(p), st["bullet"], bulletText="•") for p in view.points]
    return body


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
    table = _table([[left, right]], colWidths=[view.width * 0.62, view.width * 0.38])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
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


def _how_to(view: views.Bullets) -> Flowable:
    st = _styles(view.look)
    title = Paragraph(esc(view.title), st["heading"])
    return Stack([_boxed([title, *_bullet_list(view.items, st)], view.width, styles.LIGHT)])


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
    st = _styles(view.look)
    content = [
        Paragraph(esc(view.title), st["heading"]),
        Paragraph(esc(view.intro), st["body"]),
        *_bullet_list(view.items, st),
    ]
    return Stack([_boxed(content, view.width, colors.white, border=styles.RED)])


def _flowing_red_flags(view: views.RedFlags) -> Flowable:
    """The red flags as a table of rows in the red frame, which may split between rows."""
    st = _styles(view.look)
    rows = [[Paragraph(esc(view.title), st["heading"])], [Paragraph(esc(view.intro), st["body"])]]
    rows += [[item] for item in _bullet_list(view.items, st)]
    table = _table(rows, colWidths=[view.width])
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 1.5, styles.RED),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, 0), 5),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 7),
            ]
        )
    )
    return table


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


def _card(view: views.Card, part: int = 0) -> Flowable:
    """Title; picture beside purpose; steps; dosage; cautions beside easier/harder + sources."""
    st = _styles(view.look)
    gutter = 5 * mm
    steps_width = view.width - PICTURE_WIDTH - gutter
    intro: list[Flowable] = []
    if view.both_sides_note:
        note = Paragraph(f"<b>{esc(view.both_sides_note)}</b>", st["body"])
        # both feet with their own steps: the headings show the feet, a bold line the order
        intro += [note] if view.sides else [_boxed([note], steps_width, styles.LIGHT)]
        intro.append(Spacer(1, 1.5 * mm))
    if view.purpose:
        intro.append(_labelled(*view.purpose, st))
    if view.when:
        intro.append(_labelled(*view.when, st))
    if view.sides:
        return _both_feet_card(view, intro, st, gutter, part)
    # steps run the full card width below the picture: fewer wrapped lines, also in large print
    steps: list[Flowable] = [Paragraph(esc(view.steps_label), st["label"])]
    steps += [
        Paragraph(esc(step), st["step"], bulletText=f"{n}.")
        for n, step in enumerate(view.steps, start=1)
    ]
    spot = _PictureSpot(view.picture)
    rows: list[list[Any]] = [
        [Paragraph(esc(view.name), st["card_title"]), ""],
        # normal print: the steps beside the picture, so two cards share a page; large print:
        # the steps run the full width below it, so that one card still fits a page
        *(
            [[spot, intro], [steps, ""]]
            if view.look.large_print
            else [[spot, [*intro, Spacer(1, 1.5 * mm), *steps]]]
        ),
        [_dosage_box(view, st), ""],
        [_card_foot(view, st, gutter), ""],
    ]
    # the title and everything below the picture span both columns
    spans = (0, *range(2, len(rows)))
    return _card_frame(rows, view, [PICTURE_WIDTH + gutter, steps_width], spans)


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


def _both_feet_card(
    view: views.Card, intro: list[Flowable], st: Styles, gutter: float, part: int = 0
) -> Flowable:
    """Both feet: each foot's own picture and steps, side by side, under the foot's name;
    then what both feet share. In large print the feet stand one below the other, in three
    blocks (1: title and left foot; 2: right foot; 3: dosage and the rest), each kept whole:
    the card then breaks only between the feet or above the dosage."""
    if not view.look.large_print:
        side_width = (view.width - gutter) / 2
        columns = [
            (_foot_part(side, view, st, side_width, gutter), side_width) for side in view.sides
        ]
        rows: list[list[Any]] = [
            [Paragraph(esc(view.name), st["card_title"])],
            [intro],
            [_columns(columns, gutter)],
            [_dosage_box(view, st)],
            [_card_foot(view, st, gutter)],
        ]
        return _card_frame(rows, view, [view.width])
    first, second = (_foot_part(side, view, st, view.width, gutter) for side in view.sides)
    if part == 1:
        top: list[list[Any]] = [[Paragraph(esc(view.name), st["card_title"])], [intro]]
        return _card_frame([*top, *[[f] for f in first]], view, [view.width])
    if part == 2:
        return Stack(second)
    return Stack([_dosage_box(view, st), _card_foot(view, st, gutter)])


def _card_first_foot(view: views.Card) -> Flowable:
    return _card(view, part=1)


def _card_other_foot(view: views.Card) -> Flowable:
    return _card(view, part=2)


def _card_rest(view: views.Card) -> Flowable:
    return _card(view, part=3)


def _foot_part(
    side: views.CardSide, view: views.Card, st: Styles, width: float, gutter: float
) -> list[Flowable]:
    """One foot's heading, picture beside its own sentences and steps, its own cautions."""
    accent = view.look.accent
    heading = Paragraph(f"<b><font color='{accent}'>{esc(side.heading)}</font></b>", st["label"])
    spot = _PictureSpot(side.picture, small=not view.look.large_print)
    # the foot's name and own sentences beside its picture; its steps below, column-wide
    about: list[Flowable] = [heading]
    if side.purpose:
        about.append(_labelled(*side.purpose, st))
    if side.when:
        about.append(_labelled(*side.when, st))
    beside = _columns([([spot], spot.width + gutter / 2), (about, width - spot.width - gutter / 2)])
    steps: list[Flowable] = [Paragraph(esc(view.steps_label), st["label"])]
    steps += [
        Paragraph(esc(step), st["step"], bulletText=f"{n}.")
        for n, step in enumerate(side.steps, start=1)
    ]
    extra: list[Flowable] = []
    if side.cautions:
        extra.append(Paragraph(esc(view.cautions_label), st["label"]))
        extra += _bullet_list(side.cautions, st)
    for label, value in side.easier_harder:
        extra += [Paragraph(esc(label), st["label"]), Paragraph(esc(value), st["body"])]
    return [beside, *steps, *extra]


def _card_foot(view: views.Card, st: Styles, gutter: float) -> Flowable:
    """Cautions beside easier/harder; the sources close the shorter column rather than
    taking a row of their own."""
    sources = Paragraph(esc(view.sources), st["small"])
    cautions: list[Flowable] = []
    if view.cautions:
        cautions.append(Paragraph(esc(view.cautions_label), st["label"]))
        cautions += _bullet_list(view.cautions, st)
    easier_harder: list[Flowable] = []
    for label, text in view.easier_harder:
        easier_harder.append(Paragraph(esc(label), st["label"]))
        easier_harder.append(Paragraph(esc(text), st["body"]))
        easier_harder.append(Spacer(1, 1.5 * mm))
    if not (cautions and easier_harder):
        return _columns([([*cautions, *easier_harder, Spacer(1, 1.5 * mm), sources], view.width)])
    left_width = right_width = (view.width - gutter) / 2
    if _height(cautions, left_width) <= _height(easier_harder, right_width):
        cautions += [Spacer(1, 1.5 * mm), sources]
    else:
        easier_harder += [Spacer(1, 1.5 * mm), sources]
    return _columns([(cautions, left_width), (easier_harder, right_width)], gutter)


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


def _dosage_box(view: views.Card, st: Styles) -> Flowable:
    lines = [Paragraph(esc(view.dosage_title), st["label"])]
    lines += [_dosage_line(line, st) for line in view.dosage]
    box = _table([[lines]], colWidths=[view.width])
    box.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), styles.LIGHT),
                ("LINEBEFORE", (0, 0), (0, -1), 3, colors.HexColor(view.look.accent)),
                ("LEFTPADDING", (0, 0), (-1, -1), 7),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return box


def _progression(view: views.Progression) -> Flowable:
    st = _styles(view.look)
    rows = [
        [
            Paragraph(f"<b>{esc(name)}</b>", st["body"]),
            Paragraph(f"{esc(weeks)}<br/>{esc(dates)}", st["body"]),
            [Paragraph(esc(changes), st["body"]), Paragraph(esc(minutes), st["small"])],
        ]
        for name, weeks, dates, changes, minutes in view.rows
    ]
    width = view.width
    table = _table(rows, colWidths=[width * 0.19, width * 0.19, width * 0.62])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, styles.RULE),
                ("LINEABOVE", (0, 0), (-1, 0), 1.2, colors.HexColor(view.look.accent)),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    title = Paragraph(esc(view.title), st["heading"])
    rule = [Paragraph(f"<b>{esc(view.rule)}</b>", st["body"]), Spacer(1, 1.5 * mm)]
    return Stack([title, *(rule if view.rule else []), table])


def _references(view: views.References) -> list[Flowable]:
    """The appendix for the therapist, in small type at the very end, in two columns read
    across (large print: one column); it runs on to the next page row by row rather than
    leaving the page before it half empty."""
    st = _styles(view.look)
    rule = HRFlowable(width="100%", thickness=0.5, color=styles.RULE, spaceBefore=3, spaceAfter=3)
    items = [
        Paragraph(f"<b>{esc(short)}</b> — {esc(full)}", st["small"]) for short, full in view.items
    ]
    head = Stack([Paragraph(esc(view.title), st["label"]), Paragraph(esc(view.intro), st["small"])])
    if view.look.large_print:  # its small type is body-sized: one column fills pages better
        return [KeepTogether([head, rule, *items[:2]]), *items[2:]]
    gutter = 5 * mm
    half = (view.width - gutter) / 2
    rows = [items[i : i + 2] + [""] * (2 - len(items[i : i + 2])) for i in range(0, len(items), 2)]
    table = _table(rows, colWidths=[half + gutter, half])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, -1), gutter),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return [KeepTogether([head, rule]), table]
