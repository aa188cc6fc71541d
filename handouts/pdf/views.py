"""Views: what each drawing of the two PDFs reads, built from the Plan in one place.

A view is a small frozen value holding exactly what one drawing shows, already formatted:
strings, numbers, colours as hex, pictures as a PictureRef. The layout and drawing
functions (handout.py, checklist.py) take a view and nothing else, and the fast path
remembers a drawing under its view (speed.Remembered, forms.Forms, forms.remembered): a
drawing cannot show something its key lacks, so one patient's data can never appear on
another's paper. A new plan field that a drawing should show is added here, to the view of
that drawing: its key grows with it.

This is the only module of pdf/ that reads the Plan (and the locale words).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import msgspec
from msgspec.structs import replace

from handouts.models import language_tag
from handouts.pdf.illustrations import PictureRef, picture_ref
from handouts.pdf.styles import PAGE_SIZES, sizes
from handouts.plan import (
    ChecklistRow,
    DosageStep,
    Plan,
    PlannedExercise,
    PlannedTopic,
    PlanWeek,
    Record,
)
from handouts.text import Side, Strings, format_day, strings


class Look(msgspec.Struct, frozen=True):
    """What the styles are made from: print size and the practice's accent colour."""

    large_print: bool
    accent: str  # "#rrggbb"


class PageFrame(msgspec.Struct, frozen=True):
    """What every page of a PDF shows besides its content, and the file's metadata."""

    look: Look
    paper: tuple[float, float]
    title: str  # metadata: only what the practice chooses, no patient name
    author: str
    patient_name: str  # footer, left
    practice_line: str  # footer, centre: practice name and phone
    page_of: str  # "pagina {page} van {total}"
    lang: str  # the file's language tag (/Lang)
    made: dt.date  # the file's creation date: the plan's day


# --- handout -------------------------------------------------------------------------------


class Header(msgspec.Struct, frozen=True):
    look: Look
    width: float
    title: str
    patient: tuple[str, str]  # label, name
    foot: tuple[str, str]  # label, which foot
    start_line: str  # "Start: maandag 7 december 2026 · 12 weken"
    made_on: str
    practice_name: str
    contact: tuple[str, ...]  # therapist, address, phone, email, website; or a default line
    logo: str | None  # file path


class Notes(msgspec.Struct, frozen=True):
    look: Look
    width: float
    title: str
    lines: tuple[str, ...]
    continued: str  # above the rest of a box taller than a page: "… (vervolg)"


class Bullets(msgspec.Struct, frozen=True):
    """A boxed list: the how-to box."""

    look: Look
    width: float
    title: str
    items: tuple[str, ...]
    continued: str  # above the rest of a box taller than a page: "… (vervolg)"


class Zone(msgspec.Struct, frozen=True):
    zone: str  # green | amber | red (its colour)
    label: str
    rule: str
    action: str


class PainRule(msgspec.Struct, frozen=True):
    look: Look
    width: float
    title: str
    intro: str
    zones: tuple[Zone, ...]
    morning_note: str


class RedFlags(msgspec.Struct, frozen=True):
    look: Look
    width: float
    title: str
    intro: str
    items: tuple[str, ...]
    continued: str  # above the rest of a box taller than a page: "… (vervolg)"


class PictureSpot(msgspec.Struct, frozen=True):
    picture: PictureRef | None
    mirror: bool
    caption: str
    size: float  # caption type size


class DosageLine(msgspec.Struct, frozen=True):
    kind: str  # amount (bold) | body | small | step (a bullet: "<b>lead:</b> text")
    text: str
    lead: str = ""


class CardSide(msgspec.Struct, frozen=True):
    """For both feet: what one foot's part of a card shows (what differs between the feet)."""

    heading: str  # "Linkervoet"
    picture: PictureSpot  # mirrored for the left foot
    purpose: tuple[str, str] | None  # only when it names the foot
    when: tuple[str, str] | None
    steps: tuple[str, ...]
    cautions: tuple[str, ...]  # those that differ from the other foot's
    easier_harder: tuple[tuple[str, str], ...]  # idem


class Card(msgspec.Struct, frozen=True):
    """One exercise card. For both feet on a sided exercise, `sides` holds each foot's own
    steps and picture, and the shared fields hold only what is the same for both feet."""

    look: Look
    width: float
    name: str
    both_sides_note: str | None
    purpose: tuple[str, str] | None  # label, text
    when: tuple[str, str] | None
    steps_label: str
    steps: tuple[str, ...]
    cautions_label: str
    cautions: tuple[str, ...]
    easier_harder: tuple[tuple[str, str], ...]  # (label, text) for harder, easier
    sources: str  # "Bronnen: Rathleff 2015 (laag)"
    picture: PictureSpot
    dosage_title: str
    dosage: tuple[DosageLine, ...]
    continued: str  # above the rest of a card that breaks: "Kuitrek … (vervolg)"
    dosage_continued: str  # the dosage box's title above its later weeks after a break
    sides: tuple[CardSide, ...] = ()


class Progression(msgspec.Struct, frozen=True):
    look: Look
    width: float
    title: str
    rule: str  # the one progression rule
    rows: tuple[tuple[str, str, str, str, str], ...]  # phase, weeks, dates, changes, minutes
    continued: str  # above the rows on the next page: "Je schema week voor week (vervolg)"


class References(msgspec.Struct, frozen=True):
    """The therapist appendix: every source of the plan's cards and topics."""

    look: Look
    width: float
    title: str
    intro: str
    items: tuple[tuple[str, str], ...]  # short, full citation


class Topic(msgspec.Struct, frozen=True):
    """An education topic or, boxed, the maintenance page. week_note ("Lees dit in week 3")
    stands above the first topic of each week; the topics' sources are in the appendix."""

    look: Look
    width: float
    title: str
    paragraphs: tuple[str, ...]
    points: tuple[str, ...]
    week_note: str | None
    continued: str  # above its rest on the next page: "Schoenen en zolen (vervolg)"


class Handout(msgspec.Struct, frozen=True):
    frame: PageFrame
    header: Header
    how_to: Bullets
    pain_rule: PainRule
    red_flags: RedFlags
    notes: Notes | None
    programme: tuple[Look, str, str]  # look, name, summary
    cards: tuple[Card, ...]
    progression: Progression
    education_title: str
    topics: tuple[Topic, ...]
    maintenance: Topic | None
    references: References | None


def _page_frame(plan: Plan, words: Strings, title: str) -> PageFrame:
    practice = plan.practice
    parts = [practice.name or words["default_practice"]]
    if practice.phone:
        parts.append(practice.phone)
    return PageFrame(
        look=Look(plan.large_print, practice.accent_colour),
        paper=PAGE_SIZES[plan.paper],
        title=title,
        author=practice.name or "",
        patient_name=plan.patient_name,
        practice_line=" · ".join(parts),
        page_of=str(words["page_of"]),
        lang=language_tag(plan.language),
        made=plan.today,
    )


def education(plan: Plan, width: float) -> Handout:
    """The education booklet (`education: separate`): the topics alone, with a title line,
    and the therapist's appendix at its end; the handout's other parts are empty."""
    full = handout(plan, width, None)
    words = strings(plan.variant)
    return replace(
        full,
        frame=_page_frame(plan, words, words["education_title"]),
        notes=None,
        cards=(),
        maintenance=None,
    )


def handout(plan: Plan, width: float, logo: str | None, with_education: bool = True) -> Handout:
    """The handout; with_education False leaves the topics out (they are in the booklet,
    and so is the therapist's appendix)."""
    words = strings(plan.variant)
    look = Look(plan.large_print, plan.practice.accent_colour)
    notes = plan.notes.strip()
    return Handout(
        frame=_page_frame(plan, words, words["title"]),
        header=_header(plan, words, look, width, logo),
        how_to=Bullets(
            look,
            width,
            words["how_to_title"],
            # how long a day takes, honestly, first
            ((plan.time_text,) if plan.time_text else ())
            + tuple(item.format(weeks=len(plan.weeks)) for item in words["how_to_items"]),
            words.fmt("continued", title=words["how_to_title"]),
        ),
        pain_rule=_pain_rule(plan, words, look, width),
        red_flags=RedFlags(
            look,
            width,
            words["redflags_title"],
            words["redflags_intro"],
            tuple(words["redflags_items"]),
            words.fmt("continued", title=words["redflags_title"]),
        ),
        notes=Notes(
            look,
            width,
            words["notes_title"],
            tuple(notes.splitlines()),
            words.fmt("continued", title=words["notes_title"]),
        )
        if notes
        else None,
        programme=(look, plan.programme_name, plan.programme_summary),
        cards=tuple(card(plan, exercise, words, look, width) for exercise in plan.exercises),
        progression=_progression(plan, words, look, width),
        education_title=words["education_title"],
        topics=_topics(plan, words, look, width) if with_education else (),
        maintenance=_maintenance(plan.maintenance, words, look, width),
        references=References(
            look,
            width,
            words["references_title"],
            words["references_intro"],
            tuple((r.short, r.full) for r in plan.references),
        )
        if plan.references and with_education
        else None,
    )


def _header(plan: Plan, words: Strings, look: Look, width: float, logo: str | None) -> Header:
    practice = plan.practice
    details = [
        practice.therapist,
        practice.address,
        practice.phone,
        practice.email,
        practice.website,
    ]
    start = format_day(plan.start, plan.language, "EEEE d MMMM y")
    return Header(
        look=look,
        width=width,
        title=words["title"],
        patient=(words["patient_label"], plan.patient_name),
        foot=(words["foot_label"], words["foot_names"][plan.foot]),
        start_line=f"{words['start_label']}: {start} · {len(plan.weeks)} {words['weeks_word']}",
        made_on=f"{words['date_label']}: {_long_date(plan, plan.today)}",
        practice_name=practice.name or words["default_practice"],
        contact=tuple(d for d in details if d) or (words["default_contact"],),
        logo=logo,
    )


def _long_date(plan: Plan, day: dt.date) -> str:
    return format_day(day, plan.language, "d MMMM y")


def zones(plan: Plan, words: Strings) -> tuple[Zone, ...]:
    """The traffic light's zones with the practice's thresholds."""
    limits = plan.practice.pain_rule.zones()
    bounds = {
        "green_from": limits["green"][0],
        "green_to": limits["green"][1],
        "amber_from": limits["amber"][0],
        "amber_to": limits["amber"][1],
        "red_from": limits["red"][0],
    }
    labels = words["pain_zones"]
    return tuple(
        Zone(zone, z["label"], z["rule"].format(**bounds), z["action"])
        for zone, z in ((zone, labels[zone]) for zone in ("green", "amber", "red"))
    )


def _pain_rule(plan: Plan, words: Strings, look: Look, width: float) -> PainRule:
    return PainRule(
        look,
        width,
        words["pain_title"],
        words["pain_intro"],
        zones(plan, words),
        words["pain_morning_note"],
    )


def card(plan: Plan, ex: PlannedExercise, words: Strings, look: Look, width: float) -> Card:
    title, dosage = _dosage(plan, ex, words)
    if ex.id == _first_with_sets(plan):  # said once, on the first card that counts in sets
        dosage += (DosageLine("small", words["set_meaning"]),)
    base = Card(
        look=look,
        width=width,
        name=ex.name,
        both_sides_note=ex.both_sides_note,
        purpose=(words["card_purpose"], ex.purpose),
        when=(words["card_when"], ex.when) if ex.when else None,
        steps_label=words["card_steps"],
        steps=ex.steps,
        cautions_label=words["card_cautions"],
        cautions=ex.cautions,
        easier_harder=_easier_harder(words, ex.progression, ex.regression),
        sources=ex.evidence_line,  # plain words; the references are in the therapist appendix
        picture=_picture_spot(plan, ex, words),
        dosage_title=title,
        dosage=dosage,
        continued=words.fmt("continued", title=ex.name),
        dosage_continued=words.fmt("continued", title=title),
    )
    if len(ex.sides) < 2:
        return base
    return _both_feet_card(plan, ex, words, base)


def _easier_harder(
    words: Strings, progression: str | None, regression: str | None
) -> tuple[tuple[str, str], ...]:
    return tuple(
        (words[key], value)
        for key, value in (("card_progression", progression), ("card_regression", regression))
        if value
    )


def _both_feet_card(plan: Plan, ex: PlannedExercise, words: Strings, base: Card) -> Card:
    """Each foot gets its own steps and picture; a sentence that names the foot is printed
    per foot, one that does not is printed once. The patient never swaps sides in their head."""
    left, right = ex.sides

    purpose_same, when_same = left.purpose == right.purpose, left.when == right.when
    shared_cautions = tuple(c for c in left.cautions if c in right.cautions)
    pairs = [_easier_harder(words, s.progression, s.regression) for s in ex.sides]
    shared_eh = tuple(item for item in pairs[0] if item in pairs[1])
    size = sizes(plan.large_print).small
    sides = tuple(
        CardSide(
            heading=words["foot_names"][side.side].capitalize(),
            picture=PictureSpot(
                picture_ref(ex.picture, plan.practice.accent_colour),
                side.mirror_picture,
                words["foot_names"][side.side],
                size,
            ),
            purpose=None if purpose_same else (words["card_purpose"], side.purpose),
            when=None if when_same or not side.when else (words["card_when"], side.when),
            steps=side.steps,
            cautions=tuple(c for c in side.cautions if c not in shared_cautions),
            easier_harder=tuple(item for item in eh if item not in shared_eh),
        )
        for side, eh in zip(ex.sides, pairs, strict=True)
    )
    return replace(
        base,
        purpose=base.purpose if purpose_same else None,
        when=(words["card_when"], left.when) if when_same and left.when else None,
        steps=(),
        cautions=shared_cautions,
        easier_harder=shared_eh,
        sides=sides,
    )


def _first_with_sets(plan: Plan) -> str | None:
    return next(
        (e.id for e in plan.exercises if any(s.dosage.sets > 1 for s in e.dosage_steps)), None
    )


def _picture_spot(plan: Plan, ex: PlannedExercise, words: Strings) -> PictureSpot:
    # say under the picture which foot it shows: a patient who reads little still knows
    caption = ""
    if ex.sided:
        caption = words["picture_both"] if plan.foot == "both" else words["foot_names"][plan.foot]
    return PictureSpot(
        picture_ref(ex.picture, plan.practice.accent_colour),
        ex.mirror_picture,
        caption,
        sizes(plan.large_print).small,
    )


def _dosage(plan: Plan, ex: PlannedExercise, words: Strings) -> tuple[str, tuple[DosageLine, ...]]:
    """The dosage box: one dosage, or what stays the same once and then one line per
    stretch of weeks with its real dates."""
    first = ex.dosage_steps[0]
    if len(ex.dosage_steps) == 1:
        dosage = first.words
        lines = [DosageLine("amount", dosage.amount), DosageLine("body", dosage.frequency)]
        lines += [DosageLine("body", x) for x in (dosage.tempo, dosage.rest) if x]
        if first.note:
            lines.append(DosageLine("body", first.note))
        if (first.first_week, first.last_week) != (1, len(plan.weeks)):
            lines.append(DosageLine("small", _week_span(plan, words, first)))
        return words["card_dosage"], tuple(lines)

    def part(step: DosageStep, name: str) -> str | None:
        return step.note if name == "note" else getattr(step.words, name)

    parts = ("frequency", "tempo", "rest", "note")
    shared = [p for p in parts if len({part(s, p) for s in ex.dosage_steps}) == 1]
    common = [part(first, p) for p in shared]
    lines = [DosageLine("body", _sentences(common))] if any(common) else []
    for step in ex.dosage_steps:
        detail = [step.words.amount, *(part(step, p) for p in parts if p not in shared)]
        lines.append(DosageLine("step", _sentences(detail), _week_span(plan, words, step)))
    return words["card_progress"], tuple(lines)


def _sentences(parts: list[str | None]) -> str:
    """Join text parts into sentences, each ending in exactly one full stop."""
    cleaned = [p.strip() for p in parts if p and p.strip()]
    return " ".join(p if p[-1] in ".!?" else f"{p}." for p in cleaned)


def _weeks(words: Strings, first: int, last: int) -> str:
    if first == last:
        return words.fmt("week_single", n=first)
    return words.fmt("week_range", first=first, last=last)


def _dates(plan: Plan, words: Strings, first: dt.date, last: dt.date) -> str:
    return words.fmt(
        "date_range",
        first=format_day(first, plan.language, "d MMM"),
        last=format_day(last, plan.language, "d MMM"),
    )


def _week_span(plan: Plan, words: Strings, step: DosageStep) -> str:
    weeks = _weeks(words, step.first_week, step.last_week)
    return f"{weeks} ({_dates(plan, words, step.first_day, step.last_day)})"


def _progression(plan: Plan, words: Strings, look: Look, width: float) -> Progression:
    rows = tuple(
        (
            phase.name,
            _weeks(words, phase.first_week, phase.last_week),
            _dates(plan, words, phase.first_day, phase.last_day),
            phase.changes,
            phase.time_text,
        )
        for phase in plan.phases
    )
    title = words["progression_title"]
    continued = words.fmt("continued", title=title)
    return Progression(look, width, title, plan.progression_rule, rows, continued)


def _topics(plan: Plan, words: Strings, look: Look, width: float) -> tuple[Topic, ...]:
    """The education topics; "Lees dit in week N" once above each week's first topic."""
    weeks = [topic.first_week for topic in plan.education]
    return tuple(
        Topic(
            look,
            width,
            topic.title,
            topic.paragraphs,
            topic.points,
            words.fmt("topic_week", n=week) if index == 0 or weeks[index - 1] != week else None,
            words.fmt("continued", title=topic.title),
        )
        for index, (topic, week) in enumerate(zip(plan.education, weeks, strict=True))
    )


def _maintenance(
    topic: PlannedTopic | None, words: Strings, look: Look, width: float
) -> Topic | None:
    if topic is None:
        return None
    continued = words.fmt("continued", title=topic.title)
    return Topic(look, width, topic.title, topic.paragraphs, topic.points, None, continued)


# --- checklist ---------------------------------------------------------------------------


class RowContent(msgspec.Struct, frozen=True):
    """A checklist row as the plan gives it, formatted (its place on the page comes from
    the layout: checklist.RowView)."""

    name: str
    dosage: str  # short form, e.g. "3 × 12 · tempo 3-2-3"
    side_letters: tuple[str, ...]  # ("L", "R") for both feet on a sided exercise, else ()
    sessions: tuple[int, ...]  # per day of the week; 0 = rest day
    picture: PictureRef | None
    mirror: bool
    exercise_id: str = ""
    sides: tuple[Side, ...] = ()  # ("left", "right") with side_letters


class WeekContent(msgspec.Struct, frozen=True):
    """What one week's page says of that week."""

    title: str  # "Afvinklijst · Week 1 van 12"
    week_of: str  # "Week 1 van 12"
    dates: str  # "maandag 7 december – zondag 13 december 2026"
    phase: str  # "Fase: Start"
    weekdays: tuple[str, ...]  # "ma", ... (weeks start on the same weekday: in the frame)
    day_labels: tuple[str, ...]  # "7 dec", ...
    rows: tuple[RowContent, ...]
    records: tuple[RecordLine, ...] = ()
    days: tuple[dt.date, ...] = ()


class RecordLine(msgspec.Struct, frozen=True):
    """Something the patient writes down this week (plan.Record, grouped over the feet):
    a pain score (a 0-10 column per day and foot) or a number in a small field."""

    kind: str  # first_step_pain | exercise_pain | load_kg | distance_cm
    title: str  # "Pijn bij eerste stappen (0–10)"
    exercise_id: str  # "" for first-step pain
    sides: tuple[Side, ...]  # per foot written down
    side_letters: tuple[str, ...]  # ("L", "R") when two feet, else ()
    days: tuple[bool, ...]  # per day of the week: True where an entry is due
    unit: str  # "kg", "cm"; "" for a pain score

    @property
    def is_score(self) -> bool:
        return self.kind in ("first_step_pain", "exercise_pain")


class Legend(msgspec.Struct, frozen=True):
    title: str
    items: tuple[tuple[str, str], ...]  # (zone, "Groen 0–2: ga door")
    morning_note: str


class ChecklistWords(msgspec.Struct, frozen=True):
    """The words every page of one patient's checklist shows (in the page frame)."""

    patient_name: str
    foot: str  # "Voet: linkervoet"
    tick_help: str
    exercise: str  # the rows' column head
    pain: str  # the pain score row
    notes: str
    rest: str  # on a rest day
    legend: Legend
    practice_line: str  # footer
    one_cross: str  # "Eén kruisje per dag."
    bands: tuple[str, ...]  # the traffic-light zone of each pain score 0..10


class Checklist(msgspec.Struct, frozen=True):
    frame: PageFrame
    words: ChecklistWords
    weeks: tuple[WeekContent, ...]


def checklist(plan: Plan) -> Checklist:
    words = strings(plan.variant)
    frame = _page_frame(plan, words, f"{words['checklist_title']} – {words['title']}")
    limits = plan.practice.pain_rule.zones()
    labels, actions = words["pain_zones"], words["legend_actions"]
    legend = Legend(
        words["checklist_legend"],
        tuple(
            (zone, f"{labels[zone]['label']} {low}–{high}: {actions[zone]}")
            for zone, (low, high) in ((z, limits[z]) for z in ("green", "amber", "red"))
        ),
        words["pain_morning_note"],
    )
    page_words = ChecklistWords(
        patient_name=plan.patient_name,
        foot=f"{words['foot_label']}: {words['foot_names'][plan.foot]}",
        tick_help=words["checklist_tick_help"],
        exercise=words["checklist_exercise"],
        pain=words["checklist_pain"],
        notes=words["checklist_notes"],
        rest=words["checklist_rest"],
        legend=legend,
        practice_line=frame.practice_line,
        one_cross=words["checklist_one_cross"],
        bands=tuple(
            next(z for z, (low, high) in limits.items() if low <= score <= high)
            for score in range(11)
        ),
    )
    pictures: dict[Path, PictureRef | None] = {}  # each file looked at once per checklist
    weeks = tuple(_week(plan, words, week, pictures) for week in plan.weeks)
    return Checklist(frame, page_words, weeks)


def _week(
    plan: Plan, words: Strings, week: PlanWeek, pictures: dict[Path, PictureRef | None]
) -> WeekContent:
    week_of = words.fmt("checklist_week", n=week.number, total=len(plan.weeks))
    dates = words.fmt(
        "date_range",
        first=format_day(week.days[0], plan.language, "EEEE d MMMM"),
        last=format_day(week.days[-1], plan.language, "EEEE d MMMM y"),
    )
    return WeekContent(
        title=f"{words['checklist_title']} · {week_of}",
        week_of=week_of,
        dates=dates,
        phase=words.fmt("checklist_phase", name=week.phase_name),
        weekdays=tuple(format_day(day, plan.language, "EEE") for day in week.days),
        day_labels=tuple(format_day(day, plan.language, "d MMM") for day in week.days),
        rows=tuple(_row(plan, words, row, pictures) for row in week.rows),
        records=_record_lines(plan, words, week),
        days=week.days,
    )


def _record_lines(plan: Plan, words: Strings, week: PlanWeek) -> tuple[RecordLine, ...]:
    """The week's records, one line per kind and exercise, its feet together."""
    names = {row.exercise_id: row.name for row in week.rows}
    groups: dict[tuple[str, str], list[Record]] = {}
    for record in week.records:
        groups.setdefault((record.kind, record.exercise_id or ""), []).append(record)
    lines = []
    for (kind, exercise_id), records in groups.items():
        sides = tuple(r.side for r in records)
        key = "checklist_pain" if kind == "first_step_pain" else f"checklist_{kind}"
        title = words.fmt(key, name=names.get(exercise_id, ""))
        lines.append(
            RecordLine(
                kind,
                title,
                exercise_id,
                sides,
                tuple(words["side_letters"][s] for s in sides) if len(sides) > 1 else (),
                records[0].days,
                {"load_kg": "kg", "distance_cm": "cm"}.get(kind, ""),
            )
        )
    return tuple(lines)


def _row(
    plan: Plan, words: Strings, row: ChecklistRow, pictures: dict[Path, PictureRef | None]
) -> RowContent:
    picture = None
    if row.picture is not None:
        if row.picture not in pictures:
            pictures[row.picture] = picture_ref(row.picture, plan.practice.accent_colour)
        picture = pictures[row.picture]
    return RowContent(
        name=row.name,
        dosage=row.dosage,
        side_letters=tuple(words["side_letters"][side] for side in row.sides),
        sessions=row.sessions,
        picture=picture,
        mirror=row.mirror_picture,
        exercise_id=row.exercise_id,
        sides=row.sides,
    )
