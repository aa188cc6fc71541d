"""The exercise handout: header, how-to box with the pain traffic light and red flags,
one card per exercise (never split across pages), the week-by-week overview."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
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

from handouts.pdf import fonts, styles
from handouts.pdf.common import esc, footer_centre, footer_left, long_date, set_metadata, zone_texts
from handouts.pdf.illustrations import Picture, draw_picture, picture_for
from handouts.pdf.speed import Paragraph, Remembered, Stack, pdf_streams  # same pages, less work
from handouts.plan import DosageStep, Plan, PlannedExercise, PlannedTopic
from handouts.text import Strings, format_day, strings

MARGIN = 14 * mm
PICTURE_WIDTH = 46 * mm
PICTURE_HEIGHT = 36 * mm


def build_handout(plan: Plan, logo: Path | None = None) -> bytes:
    fonts.register()
    words = strings(plan.language)
    page_size = styles.PAGE_SIZES[plan.paper]
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=page_size,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 4 * mm,
        invariant=1,  # byte-identical output for the same input
        initialFontName=fonts.REGULAR,  # else every page references unembedded Helvetica
        title=words["title"],
        author=plan.practice.name,
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
    story = _story(plan, words, logo, doc.width)
    with pdf_streams():
        doc.build(story, canvasmaker=_numbered_canvas(plan, words))
    return buffer.getvalue()


def _numbered_canvas(plan: Plan, words: Strings) -> type[Canvas]:
    """A canvas that knows the page total when it draws each footer ("pagina 1 van 3")."""
    size = styles.sizes(plan.large_print).small

    class NumberedCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            fonts.fix_codes(self)  # text drawn as in every other handout (see fonts.py)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            set_metadata(self, plan, words["title"])
            total = len(self._pages)
            for page in self._pages:
                self.__dict__.update(page)
                self._footer(total)
                super().showPage()
            super().save()

        def _footer(self, total: int) -> None:
            width, _ = self._pagesize
            y = MARGIN - 2 * mm
            self.setFont(fonts.REGULAR, size)
            self.setFillColor(styles.MUTED)
            self.setStrokeColor(styles.RULE)
            self.setLineWidth(0.5)
            self.line(MARGIN, y + size + 3, width - MARGIN, y + size + 3)
            self.drawString(MARGIN, y, footer_left(plan))
            self.drawCentredString(width / 2, y, footer_centre(plan))
            self.drawRightString(
                width - MARGIN, y, words.fmt("page_of", page=self._pageNumber, total=total)
            )

    return NumberedCanvas


def _story(plan: Plan, words: Strings, logo: Path | None, width: float) -> list[Flowable]:
    st = styles.paragraph_styles(plan.large_print, plan.practice.accent_colour)
    story: list[Flowable] = [_header(plan, words, st, logo, width), Spacer(1, 4 * mm)]
    story += _how_to(plan, words, st, width)
    if plan.notes.strip():
        story.append(
            _boxed(
                [
                    Paragraph(esc(words["notes_title"]), st["label"]),
                    *[Paragraph(esc(line), st["body"]) for line in plan.notes.strip().splitlines()],
                ],
                width,
                styles.LIGHT,
            )
        )
        story.append(Spacer(1, 4 * mm))
    story.append(Paragraph(esc(plan.programme_name), st["heading"]))
    story.append(Paragraph(esc(plan.programme_summary), st["body"]))
    story.append(Spacer(1, 3 * mm))
    for exercise in plan.exercises:
        story.append(_remembered_card(plan, exercise, words, st, width))
        story.append(Spacer(1, 3 * mm))
    story.append(
        _block(plan, ("progression", plan.phases), lambda: _progression(plan, words, st, width))
    )
    if plan.education:
        story.append(Spacer(1, 5 * mm))
        for index, topic in enumerate(plan.education):
            # the heading stays with the first topic, never alone at the foot of a page
            lead = index == 0

            def education(topic: PlannedTopic = topic, lead: bool = lead) -> list[Flowable]:
                heading = [Paragraph(esc(words["education_title"]), st["heading"])] if lead else []
                return [*heading, *_topic(topic, words, st, width)]

            story.append(_block(plan, ("topic", topic, lead), education))
    if plan.maintenance is not None:
        story.append(Spacer(1, 5 * mm))
        maintenance = plan.maintenance
        story.append(
            _block(
                plan,
                ("maintenance", maintenance),
                lambda: [_boxed(_topic_body(maintenance, st), width, styles.LIGHT)],
            )
        )
    return story


def _block(plan: Plan, key: tuple[Any, ...], build: Callable[[], list[Flowable]]) -> Flowable:
    """Flowables kept together on a page, laid out and drawn once per process for every
    handout they are the same in (speed.Remembered). `key` names what they show besides
    the language, print size and accent colour (the words and styles), added here."""
    full_key = (*key, plan.language, plan.large_print, plan.practice.accent_colour)
    return Remembered(full_key, lambda: Stack(build()), ())


def _topic(topic: PlannedTopic, words: Strings, st: dict[str, Any], width: float) -> list[Flowable]:
    """One education topic: title, when to read it, short paragraphs, points, sources."""
    flowables: list[Flowable] = [
        HRFlowable(width="100%", thickness=0.5, color=styles.RULE, spaceBefore=3, spaceAfter=3),
        *_topic_body(topic, st),
    ]
    caption = words.fmt("topic_week", n=topic.first_week)
    if topic.sources:
        caption += f" · {words['card_sources']}: {', '.join(topic.sources)}"
    flowables.append(Paragraph(esc(caption), st["small"]))
    return flowables


def _topic_body(topic: PlannedTopic, st: dict[str, Any]) -> list[Flowable]:
    body: list[Flowable] = [Paragraph(esc(topic.title), st["label"])]
    body += [Paragraph(esc(p), st["paragraph"]) for p in topic.paragraphs]
    body += [Paragraph(esc(p), st["bullet"], bulletText="•") for p in topic.points]
    return body


def _header(
    plan: Plan, words: Strings, st: dict[str, Any], logo: Path | None, width: float
) -> Flowable:
    accent = colors.HexColor(plan.practice.accent_colour)
    foot = words["foot_names"][plan.foot]
    left = [
        Paragraph(esc(words["title"]), st["title"]),
        Spacer(1, 2 * mm),
        Paragraph(f"{esc(words['patient_label'])}: <b>{esc(plan.patient_name)}</b>", st["body"]),
        Paragraph(
            f"{esc(words['foot_label'])}: <b><font color='{plan.practice.accent_colour}'>"
            f"{esc(foot)}</font></b>",
            st["body"],
        ),
        Paragraph(
            f"{esc(words['start_label'])}: "
            f"{esc(format_day(plan.start, plan.language, 'EEEE d MMMM y'))}"
            f" · {len(plan.weeks)} {esc(words['weeks_word'])}",
            st["body"],
        ),
        Paragraph(f"{esc(words['date_label'])}: {esc(long_date(plan, plan.today))}", st["small"]),
    ]
    practice = plan.practice
    right: list[Flowable] = []
    if logo is not None:
        right.append(_logo(logo))
    right.append(
        Paragraph(f"<b>{esc(practice.name or words['default_practice'])}</b>", st["small"])
    )
    details = [
        practice.therapist,
        practice.address,
        practice.phone,
        practice.email,
        practice.website,
    ]
    right += [Paragraph(esc(d), st["small"]) for d in details if d]
    if not any(details):
        right.append(Paragraph(esc(words["default_contact"]), st["small"]))
    table = _table([[left, right]], colWidths=[width * 0.62, width * 0.38])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("LINEBELOW", (0, 0), (-1, 0), 1.5, accent),
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


def _logo(path: Path) -> Flowable:
    image = Image(str(path))
    scale = min(40 * mm / image.imageWidth, 16 * mm / image.imageHeight)
    image.drawWidth = image.imageWidth * scale
    image.drawHeight = image.imageHeight * scale
    image.hAlign = "LEFT"
    return image


def _how_to(plan: Plan, words: Strings, st: dict[str, Any], width: float) -> list[Flowable]:
    """How to use the handout, the pain rule as a traffic light, the red flags."""

    def how() -> list[Flowable]:
        items = [
            Paragraph(esc(item.format(weeks=len(plan.weeks))), st["bullet"], bulletText="•")
            for item in words["how_to_items"]
        ]
        title = Paragraph(esc(words["how_to_title"]), st["heading"])
        return [_boxed([title, *items], width, styles.LIGHT)]

    def pain() -> list[Flowable]:
        return [
            Paragraph(esc(words["pain_title"]), st["heading"]),
            Paragraph(esc(words["pain_intro"]), st["body"]),
            Spacer(1, 1.5 * mm),
            _traffic_light(plan, words, st, width),
            Spacer(1, 1 * mm),
            Paragraph(esc(words["pain_morning_note"]), st["small"]),
        ]

    def flags() -> list[Flowable]:
        content = [
            Paragraph(esc(words["redflags_title"]), st["heading"]),
            Paragraph(esc(words["redflags_intro"]), st["body"]),
        ]
        bullets = words["redflags_items"]
        content += [Paragraph(esc(i), st["bullet"], bulletText="•") for i in bullets]
        return [_boxed(content, width, colors.white, border=styles.RED)]

    return [
        _block(plan, ("how to", len(plan.weeks)), how),
        Spacer(1, 3 * mm),
        _block(plan, ("pain rule", tuple(zone_texts(words, plan))), pain),
        Spacer(1, 3 * mm),
        _block(plan, ("red flags",), flags),
        Spacer(1, 5 * mm),
    ]


def _traffic_light(plan: Plan, words: Strings, st: dict[str, Any], width: float) -> Flowable:
    sizes = styles.sizes(plan.large_print)
    light_rows = []
    for zone, label, rule, action in zone_texts(words, plan):
        light_rows.append(
            [
                _Lamp(styles.ZONE_COLOURS[zone], sizes.body * 1.3),
                Paragraph(f"<b>{esc(label)}</b>", st["body"]),
                Paragraph(esc(rule), st["body"]),
                Paragraph(f"<b>{esc(action)}</b>", st["body"]),
            ]
        )
    lamp_col = sizes.body * 2.2
    label_col = sizes.body * 4.6
    rest = width - lamp_col - label_col
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


class PictureSpot(Flowable):  # type: ignore[misc]
    """The exercise's picture in a light frame, mirrored for a left foot; a dashed empty
    frame when the exercise has no picture (a practice's own exercise, say)."""

    def __init__(self, picture: Picture | None, mirror: bool, caption: str, size: float) -> None:
        super().__init__()
        self.picture, self.mirror, self.caption, self.size = picture, mirror, caption, size
        self.width, self.height = PICTURE_WIDTH, PICTURE_HEIGHT  # the caption fits inside

    def draw(self) -> None:
        c = self.canv
        caption_height = self.size * 1.5 if self.caption else 0
        frame_height = self.height - caption_height
        c.setStrokeColor(styles.RULE)
        c.setFillColor(colors.white)
        c.setLineWidth(0.75)
        if self.picture is None:
            c.setDash(3, 2)
        c.roundRect(0, caption_height, self.width, frame_height, 2 * mm, stroke=1, fill=1)
        c.setDash()
        if self.picture is not None:
            inset = 1 * mm
            scale = min(
                (self.width - 2 * inset) / self.picture.width,
                (frame_height - 2 * inset) / self.picture.height,
            )
            width, height = self.picture.width * scale, self.picture.height * scale
            x = (self.width - width) / 2
            y = caption_height + (frame_height - height) / 2
            draw_picture(c, self.picture, x, y, width, self.mirror)
        if self.caption:
            c.setFillColor(styles.INK)
            c.setFont(fonts.BOLD, self.size)
            c.drawCentredString(self.width / 2, self.size * 0.35, self.caption)


def _picture_spot(plan: Plan, ex: PlannedExercise, words: Strings) -> PictureSpot:
    picture = picture_for(ex.picture, plan.practice.accent_colour)
    # say under the picture which foot it shows: a patient who reads little still knows
    caption = ""
    if ex.sided:
        caption = words["picture_both"] if plan.foot == "both" else words["foot_names"][plan.foot]
    return PictureSpot(picture, ex.mirror_picture, caption, styles.sizes(plan.large_print).small)


def _remembered_card(
    plan: Plan, ex: PlannedExercise, words: Strings, st: dict[str, Any], width: float
) -> Flowable:
    """The card, laid out and drawn once per process for all patients it is the same for
    (a batch has many: same exercise, side, dosage and start date). The key holds everything
    _card reads."""
    picture = picture_for(ex.picture, plan.practice.accent_colour)
    explain_sets = ex.id == _first_with_sets(plan)
    key = (
        "card",
        ex,
        explain_sets,
        plan.language,
        plan.large_print,
        plan.practice.accent_colour,
        plan.foot,
        len(plan.weeks),
        width,
        picture.key if picture else None,
    )
    pictures = (picture,) if picture else ()
    # kept together on one page; only a card taller than a whole page may split, between rows
    return Remembered(key, lambda: _card(plan, ex, words, st, width, explain_sets), pictures)


def _first_with_sets(plan: Plan) -> str | None:
    """The first card that counts in sets: it says once what a set is."""
    return next(
        (e.id for e in plan.exercises if any(s.dosage.sets > 1 for s in e.dosage_steps)), None
    )


def _card(
    plan: Plan,
    ex: PlannedExercise,
    words: Strings,
    st: dict[str, Any],
    width: float,
    explain_sets: bool = False,
) -> Flowable:
    """Title; picture beside purpose; steps; dosage; cautions beside easier/harder + sources."""
    accent = colors.HexColor(plan.practice.accent_colour)
    gutter = 5 * mm
    steps_width = width - PICTURE_WIDTH - gutter
    half = (width - gutter) / 2

    intro: list[Flowable] = []
    if ex.both_sides_note:
        intro.append(
            _boxed(
                [Paragraph(f"<b>{esc(ex.both_sides_note)}</b>", st["body"])],
                steps_width,
                styles.LIGHT,
            )
        )
        intro.append(Spacer(1, 1.5 * mm))
    intro.append(_labelled(words["card_purpose"], ex.purpose, st))
    if ex.when:
        intro.append(_labelled(words["card_when"], ex.when, st))
    # steps run the full card width below the picture: fewer wrapped lines, also in large print
    steps: list[Flowable] = [Paragraph(esc(words["card_steps"]), st["label"])]
    steps += [
        Paragraph(esc(step), st["step"], bulletText=f"{n}.")
        for n, step in enumerate(ex.steps, start=1)
    ]

    cautions: list[Flowable] = []
    if ex.cautions:
        cautions.append(Paragraph(esc(words["card_cautions"]), st["label"]))
        cautions += [Paragraph(esc(c), st["bullet"], bulletText="•") for c in ex.cautions]
    easier_harder: list[Flowable] = []
    for key, value in (("card_progression", ex.progression), ("card_regression", ex.regression)):
        if value:
            easier_harder.append(Paragraph(esc(words[key]), st["label"]))
            easier_harder.append(Paragraph(esc(value), st["body"]))
            easier_harder.append(Spacer(1, 1.5 * mm))

    level = words["evidence_levels"][ex.evidence_level]
    sources = Paragraph(
        f"{esc(words['card_sources'])}: {esc(', '.join(ex.sources))} ({esc(level)})", st["small"]
    )
    rows: list[list[Any]] = [
        [Paragraph(esc(ex.name), st["card_title"]), ""],
        # normal print: the steps beside the picture, so two cards share a page; large print:
        # the steps run the full width below it, so that one card still fits a page
        *(
            [[_picture_spot(plan, ex, words), intro], [steps, ""]]
            if plan.large_print
            else [[_picture_spot(plan, ex, words), [*intro, Spacer(1, 1.5 * mm), *steps]]]
        ),
        [_dosage_box(plan, ex, words, st, width, accent, explain_sets), ""],
    ]
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0.6 * mm),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0.6 * mm),
        ("LINEABOVE", (0, 0), (-1, 0), 1.2, accent),
        ("SPAN", (0, 0), (1, 0)),
    ]
    # the sources close the shorter column rather than taking a row of their own
    if cautions and easier_harder:
        left_width, right_width = half + gutter, half
        if _height(cautions, left_width) <= _height(easier_harder, right_width):
            cautions += [Spacer(1, 1.5 * mm), sources]
        else:
            easier_harder += [Spacer(1, 1.5 * mm), sources]
        rows.append([_columns([(cautions, left_width), (easier_harder, right_width)]), ""])
    else:
        rows.append(
            [_columns([([*cautions, *easier_harder, Spacer(1, 1.5 * mm), sources], width)]), ""]
        )
    commands += [("SPAN", (0, r), (1, r)) for r in range(2, len(rows))]  # below the picture
    card = _table(rows, colWidths=[PICTURE_WIDTH + gutter, steps_width])
    card.setStyle(TableStyle(commands))
    return card


def _height(flowables: list[Flowable], width: float) -> float:
    return float(
        sum(f.wrap(width, 10_000)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in flowables)
    )


def _columns(parts: list[tuple[list[Flowable], float]]) -> Flowable:
    """Flowables side by side, each list in a column of the given width."""
    table = _table([[content for content, _ in parts]], colWidths=[w for _, w in parts])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _labelled(label: str, value: str, st: dict[str, Any]) -> Flowable:
    return Paragraph(f"<b>{esc(label)}:</b> {esc(value)}", st["body"])


def _dosage_box(
    plan: Plan,
    ex: PlannedExercise,
    words: Strings,
    st: dict[str, Any],
    width: float,
    accent: Any,
    explain_sets: bool = False,
) -> Flowable:
    first = ex.dosage_steps[0]
    lines: list[Flowable] = [Paragraph(esc(words["card_dosage"]), st["label"])]
    if len(ex.dosage_steps) == 1:
        dosage = first.words
        lines.append(Paragraph(f"<b>{esc(dosage.amount)}</b>", st["body"]))
        lines.append(Paragraph(esc(dosage.frequency), st["body"]))
        lines += [Paragraph(esc(x), st["body"]) for x in (dosage.tempo, dosage.rest) if x]
        if first.note:
            lines.append(Paragraph(esc(first.note), st["body"]))
        if (first.first_week, first.last_week) != (1, len(plan.weeks)):
            lines.append(Paragraph(esc(_week_span(plan, words, first)), st["small"]))
    else:
        # the dosage changes over the weeks: what stays the same once, then one line per
        # stretch of weeks with its real dates
        lines[0] = Paragraph(esc(words["card_progress"]), st["label"])

        def part(step: DosageStep, name: str) -> str | None:
            return step.note if name == "note" else getattr(step.words, name)

        parts = ("frequency", "tempo", "rest", "note")
        shared = [p for p in parts if len({part(s, p) for s in ex.dosage_steps}) == 1]
        common = [part(first, p) for p in shared]
        if any(common):
            lines.append(Paragraph(esc(_sentences(common)), st["body"]))
        for step in ex.dosage_steps:
            detail = [step.words.amount, *(part(step, p) for p in parts if p not in shared)]
            lines.append(
                Paragraph(
                    f"<b>{esc(_week_span(plan, words, step))}:</b> {esc(_sentences(detail))}",
                    st["bullet"],
                    bulletText="•",
                )
            )
    if explain_sets:
        lines.append(Paragraph(esc(words["set_meaning"]), st["small"]))
    box = _table([[lines]], colWidths=[width])
    box.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), styles.LIGHT),
                ("LINEBEFORE", (0, 0), (0, -1), 3, accent),
                ("LEFTPADDING", (0, 0), (-1, -1), 7),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return box


def _sentences(parts: Sequence[str | None]) -> str:
    """Join text parts into sentences, each ending in exactly one full stop."""
    cleaned = [p.strip() for p in parts if p and p.strip()]
    return " ".join(p if p[-1] in ".!?" else f"{p}." for p in cleaned)


def _week_span(plan: Plan, words: Strings, step: Any) -> str:
    weeks = (
        words.fmt("week_single", n=step.first_week)
        if step.first_week == step.last_week
        else words.fmt("week_range", first=step.first_week, last=step.last_week)
    )
    dates = words.fmt(
        "date_range",
        first=format_day(step.first_day, plan.language, "d MMM"),
        last=format_day(step.last_day, plan.language, "d MMM"),
    )
    return f"{weeks} ({dates})"


def _progression(plan: Plan, words: Strings, st: dict[str, Any], width: float) -> list[Flowable]:
    accent = colors.HexColor(plan.practice.accent_colour)
    rows = []
    for phase in plan.phases:
        span = words.fmt("week_range", first=phase.first_week, last=phase.last_week)
        if phase.first_week == phase.last_week:
            span = words.fmt("week_single", n=phase.first_week)
        dates = words.fmt(
            "date_range",
            first=format_day(phase.first_day, plan.language, "d MMM"),
            last=format_day(phase.last_day, plan.language, "d MMM"),
        )
        rows.append(
            [
                Paragraph(f"<b>{esc(phase.name)}</b>", st["body"]),
                Paragraph(f"{esc(span)}<br/>{esc(dates)}", st["body"]),
                Paragraph(esc(phase.changes), st["body"]),
            ]
        )
    table = _table(rows, colWidths=[width * 0.2, width * 0.24, width * 0.56])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, styles.RULE),
                ("LINEABOVE", (0, 0), (-1, 0), 1.2, accent),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return [
        Paragraph(esc(words["progression_title"]), st["heading"]),
        table,
    ]
