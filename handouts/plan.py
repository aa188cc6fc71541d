"""resolve(): from patient, programme and library to a Plan. Pure: no files, no PDF.

Everything personal is decided here, once: which exercises, which foot (and so which words),
the dosage in every week, the dates. Renderers only lay out what the plan says.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from handouts import text
from handouts.errors import InputError
from handouts.library import Library, patient_reference_problems
from handouts.models import (
    Dosage,
    DosageOverride,
    Exercise,
    Patient,
    Practice,
    Programme,
    TopicText,
)
from handouts.regional import flemish
from handouts.text import Side

DAYS_PER_WEEK = 7


@dataclass(frozen=True)
class DosageStep:
    """A stretch of weeks in which an exercise's dosage stays the same."""

    first_week: int
    last_week: int
    first_day: dt.date
    last_day: dt.date
    dosage: Dosage
    words: text.DosageWords
    note: str


@dataclass(frozen=True)
class PlannedExercise:
    id: str
    category: str
    sided: bool
    name: str
    purpose: str
    when: str | None
    steps: tuple[str, ...]
    cautions: tuple[str, ...]
    progression: str | None
    regression: str | None
    evidence_level: str
    sources: tuple[str, ...]
    both_sides_note: str | None  # for both feet: do it with each foot
    dosage_steps: tuple[DosageStep, ...]
    picture: Path | None  # SVG drawn for the right foot
    mirror_picture: bool  # True: show it mirrored, for the left foot


@dataclass(frozen=True)
class ChecklistRow:
    exercise_id: str
    name: str
    dosage: str  # short form, e.g. "3 × 12 · tempo 3-2-3"
    note: str
    sides: tuple[Side, ...]  # ("left", "right") for both feet on a sided exercise, else ()
    sessions: tuple[int, ...]  # per day of the week; 0 = not due (rest day)
    picture: Path | None = None  # thumbnail beside the row
    mirror_picture: bool = False


@dataclass(frozen=True)
class PlanWeek:
    number: int
    phase_number: int
    phase_name: str
    days: tuple[dt.date, ...]
    rows: tuple[ChecklistRow, ...]


@dataclass(frozen=True)
class PlannedPhase:
    number: int
    name: str
    changes: str
    first_week: int
    last_week: int
    first_day: dt.date
    last_day: dt.date


@dataclass(frozen=True)
class PlannedTopic:
    """An education topic (or the maintenance page), rendered for this patient."""

    id: str
    title: str
    paragraphs: tuple[str, ...]
    points: tuple[str, ...]
    sources: tuple[str, ...]
    first_week: int  # the week it belongs to: its phase's first week


@dataclass(frozen=True)
class Plan:
    patient_name: str
    language: str
    foot: str  # left | right | both
    text_side: Side  # the side the exercise texts are written for
    programme_id: str
    programme_name: str
    programme_summary: str
    start: dt.date
    end: dt.date
    today: dt.date
    notes: str
    practice: Practice
    paper: str
    large_print: bool
    phases: tuple[PlannedPhase, ...]
    exercises: tuple[PlannedExercise, ...]
    weeks: tuple[PlanWeek, ...]
    education: tuple[PlannedTopic, ...]  # empty when the therapist switched it off
    maintenance: PlannedTopic | None  # what to keep doing after the programme


def coming_monday(today: dt.date) -> dt.date:
    """Today when it is a Monday, else the next Monday."""
    return today + dt.timedelta(days=(7 - today.weekday()) % 7)


def resolve_dosage(
    default: Dosage,
    phase: DosageOverride | None,
    patient_wide: dict[str, int],
    patient_exercise: DosageOverride | None,
) -> Dosage:
    """The dosage for one exercise in one week. Most specific wins:
    exercise default < programme phase < patient-wide parameters < per-exercise override.

    Patient-wide sessions_per_day leaves every-other-day work alone: strength training is
    one session per training day by protocol; set it per exercise to change that.
    """
    merged = default.model_dump()
    if phase is not None:
        merged |= phase.fields_set()
    wide = dict(patient_wide)
    if merged["frequency"] == "every_other_day":
        wide.pop("sessions_per_day", None)
    merged |= wide
    if patient_exercise is not None:
        merged |= patient_exercise.fields_set()
    return Dosage.model_validate(merged)


def sessions_on_day(dosage: Dosage, day_index: int) -> int:
    """How many sessions are due on the day_index-th day of the programme (0 = start).
    Every-other-day work runs on days 0, 2, 4, … counted from the start, across weeks."""
    if dosage.frequency == "every_other_day" and day_index % 2 == 1:
        return 0
    return dosage.sessions_per_day


def resolve(
    patient: Patient,
    library: Library,
    practice: Practice,
    *,
    today: dt.date,
    source: str = "patient",
) -> Plan:
    problems = patient_reference_problems(patient, library, source)
    if problems:
        raise InputError(problems)
    programme = library.programmes[patient.programme]
    language = patient.language
    text_side: Side = "left" if patient.foot == "left" else "right"
    if patient.foot == "both":
        text_side = "left"  # the card says to repeat with the other foot
    variables = text.side_variables(language, text_side)
    words = text.strings(language)
    start = patient.start or coming_monday(today)
    total_weeks = patient.weeks or programme.weeks

    week_exercises = [_exercises_in_week(programme, patient, w) for w in range(1, total_weeks + 1)]
    if not any(week_exercises):
        raise InputError.single(
            source, "exclude", "leaves no exercises; remove some ids from exclude"
        )

    patient_wide = patient.patient_wide()
    # an exercise's dosage and note change only from phase to phase: worked out once each
    in_phase: dict[tuple[str, int], tuple[Dosage, str, str]] = {}

    def dosage_in_week(exercise: Exercise, week: int) -> tuple[Dosage, str, str]:
        """The dosage, its phase's note and the dosage's one-line checklist words."""
        phase = programme.phase_for_week(week)
        known = in_phase.get((exercise.id, phase.first))
        if known is not None:
            return known
        phase_item = phase.exercises.get(exercise.id)
        dosage = resolve_dosage(
            exercise.dosage, phase_item, patient_wide, patient.exercises.get(exercise.id)
        )
        note_source = _phase_note(phase_item.note, language) if phase_item else ""
        note = text.render(note_source, variables) if note_source else ""
        known = in_phase[exercise.id, phase.first] = (
            dosage,
            note,
            text.describe_dosage(dosage, words).short,
        )
        return known

    weeks = []
    for number, exercise_ids in enumerate(week_exercises, start=1):
        phase_number = _phase_number(programme, number)
        first_day = start + dt.timedelta(weeks=number - 1)
        days = tuple(first_day + dt.timedelta(days=d) for d in range(DAYS_PER_WEEK))
        rows = []
        for exercise_id in exercise_ids:
            exercise = library.exercises[exercise_id]
            dosage, note, short = dosage_in_week(exercise, number)
            day_offset = (number - 1) * DAYS_PER_WEEK
            rows.append(
                ChecklistRow(
                    exercise_id=exercise_id,
                    name=exercise.texts.get(language).short_name,
                    dosage=short,
                    note=note,
                    sides=("left", "right") if patient.foot == "both" and exercise.sided else (),
                    sessions=tuple(
                        sessions_on_day(dosage, day_offset + d) for d in range(DAYS_PER_WEEK)
                    ),
                    picture=library.pictures.get(exercise_id),
                    mirror_picture=exercise.sided and text_side == "left",
                )
            )
        weeks.append(
            PlanWeek(
                number=number,
                phase_number=phase_number,
                phase_name=programme.phases[phase_number - 1].texts.get(language).name,
                days=days,
                rows=tuple(rows),
            )
        )

    exercises = []
    for exercise_id in _in_order_of_appearance(week_exercises):
        exercise = library.exercises[exercise_id]
        done_in = [n for n, ids in enumerate(week_exercises, start=1) if exercise_id in ids]
        steps = _dosage_steps(
            [(week, *dosage_in_week(exercise, week)[:2]) for week in done_in], start, words
        )
        picture = library.pictures.get(exercise_id)
        mirror = exercise.sided and text_side == "left"
        exercises.append(
            _planned_exercise(exercise, patient, variables, words, tuple(steps), picture, mirror)
        )

    phases = tuple(_planned_phases(programme, total_weeks, start, language))
    education = _planned_education(programme, patient, library, phases, variables)
    maintenance = None
    if programme.maintenance is not None:
        maintenance = _topic(
            "maintenance", programme.maintenance.get(language), (), total_weeks + 1, variables
        )
    return Plan(
        patient_name=patient.name,
        language=language,
        foot=patient.foot,
        text_side=text_side,
        programme_id=programme.id,
        programme_name=programme.texts.get(language).name,
        programme_summary=programme.texts.get(language).summary,
        start=start,
        end=start + dt.timedelta(weeks=total_weeks, days=-1),
        today=today,
        notes=patient.notes,
        practice=practice,
        paper=patient.paper,
        large_print=patient.large_print,
        phases=phases,
        exercises=tuple(exercises),
        weeks=tuple(weeks),
        education=education,
        maintenance=maintenance,
    )


def _phase_note(notes: dict[str, str], language: str) -> str:
    """A phase note in the patient's language; nl-BE is the Dutch note in Flemish terms
    unless the programme gives its own."""
    if language == "nl-BE" and language not in notes:
        return flemish(notes.get("nl", ""))
    return notes.get(language, "")


def _phase_number(programme: Programme, week: int) -> int:
    return programme.phases.index(programme.phase_for_week(week)) + 1


def _exercises_in_week(programme: Programme, patient: Patient, week: int) -> tuple[str, ...]:
    ids = [i for i in programme.phase_for_week(week).exercises if i not in patient.exclude]
    ids += [i for i in patient.include if i not in ids and i not in patient.exclude]
    return tuple(ids)


def _in_order_of_appearance(week_exercises: list[tuple[str, ...]]) -> list[str]:
    seen: dict[str, None] = {}
    for ids in week_exercises:
        seen.update(dict.fromkeys(ids))
    return list(seen)


def _dosage_steps(
    by_week: list[tuple[int, Dosage, str]], start: dt.date, words: text.Strings
) -> list[DosageStep]:
    """Consecutive weeks with the same dosage and note become one step."""
    steps: list[DosageStep] = []
    for week, dosage, note in by_week:
        last = steps[-1] if steps else None
        if last and last.last_week == week - 1 and last.dosage == dosage and last.note == note:
            steps[-1] = DosageStep(
                last.first_week,
                week,
                last.first_day,
                _week_end(start, week),
                dosage,
                last.words,
                note,
            )
        else:
            steps.append(
                DosageStep(
                    week,
                    week,
                    _week_start(start, week),
                    _week_end(start, week),
                    dosage,
                    text.describe_dosage(dosage, words),
                    note,
                )
            )
    return steps


def _week_start(start: dt.date, week: int) -> dt.date:
    return start + dt.timedelta(weeks=week - 1)


def _week_end(start: dt.date, week: int) -> dt.date:
    return start + dt.timedelta(weeks=week, days=-1)


def _planned_exercise(
    exercise: Exercise,
    patient: Patient,
    variables: dict[str, str | bool],
    words: text.Strings,
    steps: tuple[DosageStep, ...],
    picture: Path | None,
    mirror_picture: bool,
) -> PlannedExercise:
    texts = exercise.texts.get(patient.language)

    def r(source: str | None) -> str | None:
        return text.render(source, variables) if source else None

    both_note = None
    if patient.foot == "both" and exercise.sided:
        both_note = words["both_feet_note"]
    return PlannedExercise(
        id=exercise.id,
        category=exercise.category,
        sided=exercise.sided,
        name=texts.name,
        purpose=text.render(texts.purpose, variables),
        when=r(texts.when),
        steps=tuple(text.render(s, variables) for s in texts.steps),
        cautions=tuple(text.render(c, variables) for c in texts.cautions),
        progression=r(texts.progression),
        regression=r(texts.regression),
        evidence_level=exercise.evidence.level,
        sources=tuple(exercise.evidence.sources),
        both_sides_note=both_note,
        dosage_steps=steps,
        picture=picture,
        mirror_picture=mirror_picture,
    )


def _planned_phases(
    programme: Programme, total_weeks: int, start: dt.date, language: str
) -> list[PlannedPhase]:
    phases = []
    for number, phase in enumerate(programme.phases, start=1):
        if phase.first > total_weeks:
            break
        last = phase.last if number < len(programme.phases) else max(phase.last, total_weeks)
        last = min(last, total_weeks)
        phases.append(
            PlannedPhase(
                number=number,
                name=phase.texts.get(language).name,
                changes=phase.texts.get(language).changes,
                first_week=phase.first,
                last_week=last,
                first_day=_week_start(start, phase.first),
                last_day=_week_end(start, last),
            )
        )
    return phases


def _planned_education(
    programme: Programme,
    patient: Patient,
    library: Library,
    phases: tuple[PlannedPhase, ...],
    variables: dict[str, str | bool],
) -> tuple[PlannedTopic, ...]:
    """Topics of the phases this plan reaches, each once, in the order they are introduced."""
    if not patient.education:
        return ()
    topics: dict[str, PlannedTopic] = {}
    for phase in phases:
        for topic_id in programme.phases[phase.number - 1].education:
            if topic_id in topics or topic_id in patient.exclude:
                continue
            topic = library.education[topic_id]
            topics[topic_id] = _topic(
                topic_id, topic.texts.get(patient.language), topic.sources, phase.first_week,
                variables,
            )  # fmt: skip
    return tuple(topics.values())


def _topic(
    topic_id: str,
    texts: TopicText,
    sources: list[str] | tuple[str, ...],
    first_week: int,
    variables: dict[str, str | bool],
) -> PlannedTopic:
    return PlannedTopic(
        id=topic_id,
        title=texts.title,
        paragraphs=tuple(text.render(p, variables) for p in texts.paragraphs),
        points=tuple(text.render(p, variables) for p in texts.points),
        sources=tuple(sources),
        first_week=first_week,
    )
