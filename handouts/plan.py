"""resolve(): from patient, programme and library to a Plan. Pure: no files, no PDF.

Everything personal is decided here, once: which exercises, which foot (and so which words),
the dosage in every week, the dates, how long a day takes, what the checklist records.
Renderers only lay out what the plan says.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import msgspec

from handouts import limits, text, timing
from handouts.errors import InputError, Problem
from handouts.library import Library, patient_reference_problems
from handouts.models import (
    Dosage,
    DosageOverride,
    Exercise,
    MissingUForm,
    Patient,
    Phase,
    Practice,
    Programme,
    Texts,
    TopicText,
    validated,
    weeks_range,
)
from handouts.regional import missing_u_form, text_variant, u_form_drift, variant_data
from handouts.text import Side, Variables

DAYS_PER_WEEK = 7
MEASURE_EVERY_WEEKS = 2  # knee to wall: measured in weeks 1, 3, 5, … (brief, revision §1)

RecordKind = Literal["first_step_pain", "exercise_pain", "load_kg", "distance_cm"]


class DosageStep(msgspec.Struct, frozen=True):
    """A stretch of weeks in which an exercise's dosage stays the same."""

    first_week: int
    last_week: int
    first_day: dt.date
    last_day: dt.date
    dosage: Dosage
    words: text.DosageWords
    note: str  # the phase's note, rendered for the first side (SideTexts.notes: every side)


class SideTexts(msgspec.Struct, frozen=True):
    """An exercise's texts for one foot, rendered with that foot's side variables.

    For both feet a sided exercise has two, (left, right): each gives the full steps for that
    foot, so the patient never has to swap sides in their head."""

    side: Side
    purpose: str
    when: str | None
    steps: tuple[str, ...]
    cautions: tuple[str, ...]
    progression: str | None
    regression: str | None
    notes: tuple[str, ...]  # the note of each dosage step (PlannedExercise.dosage_steps)
    mirror_picture: bool  # True: show the picture (drawn for the right foot) mirrored


class PlannedExercise(msgspec.Struct, frozen=True):
    id: str
    category: str
    sided: bool
    name: str
    evidence_level: str
    evidence_line: str  # plain words for the patient: "Hoe zeker? Redelijk bewijs."
    sources: tuple[str, ...]  # short references: for the therapist appendix (Plan.references)
    both_sides_note: str | None  # for both feet: do it with each foot
    dosage_steps: tuple[DosageStep, ...]
    picture: Path | None  # SVG drawn for the right foot
    sides: tuple[SideTexts, ...]  # one; two (left, right) for both feet on a sided exercise

    # The one foot's texts (the first side's, for both feet): read from sides, not kept twice.
    @property
    def purpose(self) -> str:
        return self.sides[0].purpose

    @property
    def when(self) -> str | None:
        return self.sides[0].when

    @property
    def steps(self) -> tuple[str, ...]:
        return self.sides[0].steps

    @property
    def cautions(self) -> tuple[str, ...]:
        return self.sides[0].cautions

    @property
    def progression(self) -> str | None:
        return self.sides[0].progression

    @property
    def regression(self) -> str | None:
        return self.sides[0].regression

    @property
    def mirror_picture(self) -> bool:
        return self.sides[0].mirror_picture


class ChecklistRow(msgspec.Struct, frozen=True):
    exercise_id: str
    name: str
    dosage: str  # short form, e.g. "3 × 12 · tempo 3-2-3"
    note: str
    sides: tuple[Side, ...]  # ("left", "right") for both feet on a sided exercise, else ()
    sessions: tuple[int, ...]  # per day of the week; 0 = not due (rest day)
    picture: Path | None = None  # thumbnail beside the row
    mirror_picture: bool = False
    mirror_pictures: tuple[bool, ...] = ()  # per entry of sides (one when sides is ())


class Record(msgspec.Struct, frozen=True):
    """Something the checklist asks the patient to write down, for the renderer to draw.

    first_step_pain: pain (0-10) with the first steps of the day, per painful foot, every day.
    exercise_pain: pain (0-10) during the exercise, per foot, on the days it is due.
    load_kg: the extra weight (kg) used, per foot, on the days it is due.
    distance_cm: knee-to-wall distance (cm), both feet (the other foot to compare), on the
    first day of the weeks it is measured."""

    kind: RecordKind
    side: Side
    exercise_id: str | None  # None for first-step pain
    days: tuple[bool, ...]  # per day of the week: True where an entry is due


class PlanWeek(msgspec.Struct, frozen=True):
    number: int
    phase_number: int
    phase_name: str
    days: tuple[dt.date, ...]
    rows: tuple[ChecklistRow, ...]
    records: tuple[Record, ...] = ()


class PlannedPhase(msgspec.Struct, frozen=True):
    number: int
    name: str
    changes: str
    first_week: int
    last_week: int
    first_day: dt.date
    last_day: dt.date
    minutes: timing.DayMinutes  # this patient's estimate (both feet: sided work twice)
    minutes_one_foot: timing.DayMinutes
    time_text: str  # the estimate in words: "Ongeveer 13 minuten op dagen met …"


class PlannedTopic(msgspec.Struct, frozen=True):
    """An education topic (or the maintenance page), rendered for this patient."""

    id: str
    title: str
    paragraphs: tuple[str, ...]
    points: tuple[str, ...]
    sources: tuple[str, ...]
    first_week: int  # the week it belongs to: its phase's first week


class Reference(msgspec.Struct, frozen=True):
    """One entry of the therapist appendix: the short form the cards and topics name, and the
    full citation (the short form again for a practice's own source without one)."""

    short: str
    full: str


class Plan(msgspec.Struct, frozen=True):
    patient_name: str
    language: str  # nl, nl-BE or en: dates and the words for sides
    address: str  # je | u: with language, the text variant of every word (see variant)
    foot: str  # left | right | both
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
    progression_rule: str  # the one rule: heavier only on green, amber keeps, red steps back
    # the most a day asks in any phase (the week plan gives each phase's own minutes): what
    # page 1 says, "up to" that where the phases differ; time_text in words
    most_minutes: timing.DayMinutes
    time_text: str  # how long a day takes at most, and for both feet that it is doubled
    references: tuple[Reference, ...]  # appendix: every source of the plan's cards and topics
    warnings: tuple[str, ...]  # for the therapist: dosages kept or replaced, time over the cap

    @property
    def variant(self) -> str:
        """The key of every library text and UI word on this patient's paper (nl, nl-u, nl-BE,
        nl-BE-u, en); dates keep using `language`."""
        return text_variant(self.language, self.address)


def coming_monday(today: dt.date) -> dt.date:
    """Today when it is a Monday, else the next Monday."""
    return today + dt.timedelta(days=(7 - today.weekday()) % 7)


# --- dosage ---------------------------------------------------------------------------------


def resolve_dosage(
    default: Dosage,
    phase: DosageOverride | None,
    patient_wide: dict[str, int],
    patient_exercise: DosageOverride | None,
) -> Dosage:
    """The dosage for one exercise in one phase. Most specific wins:
    exercise default < programme phase < patient-wide parameters < per-exercise override.

    `patient_wide` holds only the values that apply to this exercise (patient_wide_for);
    sessions_per_day never applies to every-other-day work (one session per training day
    by protocol; set it per exercise to change that).
    """
    dosage = with_phase(default, phase)
    wide = dict(patient_wide)
    if dosage.frequency == "every_other_day":
        wide.pop("sessions_per_day", None)
    own = patient_exercise.fields_set() if patient_exercise is not None else {}
    return msgspec.structs.replace(dosage, **(wide | own))


def with_phase(default: Dosage, phase: DosageOverride | None) -> Dosage:
    if phase is None:
        return default
    return msgspec.structs.replace(default, **phase.fields_set())


def _progression(dosages: Sequence[Dosage], name: str) -> list[object]:
    """The distinct values of one dosage field over the phases, in order."""
    return list(dict.fromkeys(getattr(d, name) for d in dosages))


def patient_wide_for(
    exercise_id: str, programme_dosages: Sequence[Dosage], patient_wide: dict[str, int]
) -> tuple[dict[str, int], list[str]]:
    """The patient-wide values (reps, sets, sessions_per_day) that apply to one exercise, and a
    warning for each one that does not. A patient-wide value applies unless:
    - the programme changes that field from phase to phase (a progression is kept);
    - it is reps or sets of a hold (a stretch's dose is its number and length of holds);
    - it is sessions_per_day of every-other-day strength work (one session by protocol).
    `programme_dosages`: the exercise's dosage in each phase this plan reaches."""
    applied: dict[str, int] = {}
    kept: dict[str, list[str]] = {}  # reason -> the values it keeps out
    first = programme_dosages[0]
    for name, value in patient_wide.items():
        seen = _progression(programme_dosages, name)
        reason = ""
        if len(seen) > 1:
            reason = f"the programme changes {name} by phase ({' → '.join(map(str, seen))})"
        elif name in ("reps", "sets") and any(d.hold_seconds for d in programme_dosages):
            sets = f"{first.sets} × " if first.sets > 1 else ""
            reason = f"it is a hold ({sets}{first.reps}× {first.hold_seconds} s)"
        elif name == "sessions_per_day" and first.frequency == "every_other_day":
            reason = "it is every-other-day strength work, one session by protocol"
        if reason:
            kept.setdefault(reason, []).append(f"{name} {value}")
        else:
            applied[name] = value
    warnings = [
        f"patient-wide {', '.join(values)} not used for {exercise_id}: {reason}; "
        f"set it under exercises: {exercise_id} to change it"
        for reason, values in kept.items()
    ]
    return applied, warnings


def override_warnings(
    exercise_id: str, programme_dosages: Sequence[Dosage], override: DosageOverride | None
) -> list[str]:
    """A per-exercise value wins, but when it flattens a progression the therapist hears so."""
    if override is None:
        return []
    warnings = []
    for name, value in override.fields_set().items():
        seen = _progression(programme_dosages, name)
        if len(seen) > 1:
            steps = " → ".join(map(str, seen))
            warnings.append(
                f"exercises.{exercise_id}.{name} {value} replaces the programme's progression "
                f"({steps}): {value} in every phase"
            )
    return warnings


def sessions_on_day(dosage: Dosage, day_index: int) -> int:
    """How many sessions are due on the day_index-th day of the programme (0 = start).
    Every-other-day work runs on days 0, 2, 4, … counted from the start, across weeks."""
    if dosage.frequency == "every_other_day" and day_index % 2 == 1:
        return 0
    return dosage.sessions_per_day


Doses = dict[tuple[str, int], Dosage]  # (exercise id, first week of the phase) -> dosage


def _doses(
    patient: Patient,
    programme: Programme,
    library: Library,
    week_exercises: list[tuple[str, ...]],
) -> tuple[Doses, list[str]]:
    """Each exercise's dosage in each phase it is done in, and the dosage warnings."""
    doses: Doses = {}
    warnings: list[str] = []
    for exercise_id in _in_order_of_appearance(week_exercises):
        exercise = library.exercises[exercise_id]
        firsts = dict.fromkeys(
            programme.phase_for_week(week).first
            for week, ids in enumerate(week_exercises, start=1)
            if exercise_id in ids
        )
        items = {f: _phase_at(programme, f).exercises.get(exercise_id) for f in firsts}
        base = [with_phase(exercise.dosage, item) for item in items.values()]
        wide, found = patient_wide_for(exercise_id, base, patient.patient_wide())
        own = patient.exercises.get(exercise_id)
        warnings += found + override_warnings(exercise_id, base, own)
        for first, item in items.items():
            doses[exercise_id, first] = resolve_dosage(exercise.dosage, item, wide, own)
    return doses, warnings


# --- the plan -------------------------------------------------------------------------------


class _Setting(msgspec.Struct, frozen=True):
    """What every part of resolve() reads: the inputs, the dosages and the variables."""

    patient: Patient
    programme: Programme
    library: Library
    words: text.Strings
    start: dt.date
    weeks: int
    sides: tuple[Side, ...]  # the feet texts are rendered for: one, or (left, right)
    doses: Doses
    variables: dict[Side, Variables]

    @property
    def language(self) -> str:
        """nl, nl-BE or en: the side words and dates."""
        return self.patient.lang

    @property
    def variant(self) -> str:
        """nl, nl-u, nl-BE, nl-BE-u or en: the key of every text and UI word."""
        return self.patient.variant


def resolve(
    patient: Patient,
    library: Library,
    practice: Practice,
    *,
    today: dt.date,
    source: str = "patient",
    checklist_weeks: tuple[int, int] | None = None,
) -> Plan:
    """checklist_weeks: the weeks whose checklists are printed when not the patient's own
    (--checklist-weeks); a start is held against the first of them (_plausibility_warnings).
    A patient without a language or form of address has the practice's (with_practice)."""
    patient = patient.with_practice(practice)
    problems = patient_reference_problems(patient, library, source)
    if problems:
        raise InputError(problems)
    programme = library.programmes[patient.programme]
    total_weeks = patient.weeks or programme.weeks
    week_exercises = [_exercises_in_week(programme, patient, w) for w in range(1, total_weeks + 1)]
    if not any(week_exercises):
        raise InputError.single(
            source, "exclude", "leaves no exercises; remove some ids from exclude"
        )
    problems = variant_problems(patient, library)
    if problems:
        raise InputError(problems)
    doses, dose_warnings = _doses(patient, programme, library, week_exercises)
    s = _setting(patient, programme, library, total_weeks, doses, today)
    phases = tuple(_planned_phases(s, week_exercises))
    exercises = tuple(
        _planned_exercise(s, library.exercises[i], week_exercises)
        for i in _in_order_of_appearance(week_exercises)
    )
    education = _planned_education(s, phases)
    first = s.variables[s.sides[0]]
    maintenance = None
    if programme.maintenance is not None:
        texts = programme.maintenance.get(s.variant)
        maintenance = _topic("maintenance", texts, (), total_weeks + 1, first)
    sources = [x for e in exercises for x in e.sources] + [x for t in education for x in t.sources]
    return Plan(
        patient_name=patient.name,
        language=s.language,
        address=patient.form,
        foot=patient.foot,
        programme_id=programme.id,
        programme_name=programme.texts.get(s.variant).name,
        programme_summary=text.render(programme.texts.get(s.variant).summary, first),
        start=s.start,
        end=s.start + dt.timedelta(weeks=total_weeks, days=-1),
        today=today,
        notes=patient.notes,
        practice=practice,
        paper=patient.paper,
        large_print=patient.large_print,
        phases=phases,
        exercises=exercises,
        weeks=tuple(_week(s, n, ids) for n, ids in enumerate(week_exercises, start=1)),
        education=education,
        maintenance=maintenance,
        progression_rule=s.words["progression_rule"],
        most_minutes=_most_minutes(phases),
        time_text=_plan_time_text(s, phases),
        references=_references(sources),
        warnings=tuple(
            _plausibility_warnings(
                s.start, today, total_weeks, _first_printed(patient, checklist_weeks)
            )
            + dose_warnings
            + _cap_warnings(s, phases, week_exercises, practice)
        ),
    )


def _first_printed(patient: Patient, checklist_weeks: tuple[int, int] | None) -> int:
    if checklist_weeks is not None:
        return checklist_weeks[0]
    return weeks_range(patient.checklist_weeks)[0] if patient.checklist_weeks else 1


def _references(sources: list[str]) -> tuple[Reference, ...]:
    full = text.full_references()
    return tuple(Reference(short, full.get(short, short)) for short in sorted(set(sources)))


def _setting(
    patient: Patient,
    programme: Programme,
    library: Library,
    weeks: int,
    doses: Doses,
    today: dt.date,
) -> _Setting:
    sides: tuple[Side, ...] = ("left", "right") if patient.foot == "both" else (patient.foot,)
    strength_days = any(d.frequency == "every_other_day" for d in doses.values())
    variables: dict[Side, Variables] = {
        side: text.plan_variables(
            patient.lang,
            side,
            both_feet=len(sides) == 2,
            weeks=weeks,
            strength_days=strength_days,
        )
        for side in sides
    }
    return _Setting(
        patient=patient,
        programme=programme,
        library=library,
        words=text.strings(patient.variant),
        start=patient.start or coming_monday(today),
        weeks=weeks,
        sides=sides,
        doses=doses,
        variables=variables,
    )


def _note(s: _Setting, exercise_id: str, phase_first: int, side: Side) -> str:
    """The phase's note for an exercise, with that phase's dosage and this foot's words."""
    item = _phase_at(s.programme, phase_first).exercises.get(exercise_id)
    source = _phase_note(item.note, s.variant) if item else ""
    if not source:
        return ""
    dosage = s.doses[exercise_id, phase_first]
    return text.render(source, text.note_variables(s.variables[side], dosage))


def _week(s: _Setting, number: int, exercise_ids: tuple[str, ...]) -> PlanWeek:
    first_day = _week_start(s.start, number)
    rows = tuple(_row(s, s.library.exercises[i], number) for i in exercise_ids)
    return PlanWeek(
        number=number,
        phase_number=_phase_number(s.programme, number),
        phase_name=s.programme.phase_for_week(number).texts.get(s.variant).name,
        days=tuple(first_day + dt.timedelta(days=d) for d in range(DAYS_PER_WEEK)),
        rows=rows,
        records=_records(s, number, rows),
    )


def _row(s: _Setting, exercise: Exercise, week: int) -> ChecklistRow:
    first = s.programme.phase_for_week(week).first
    dosage = s.doses[exercise.id, first]
    offset = (week - 1) * DAYS_PER_WEEK
    sides = s.sides if exercise.sided and len(s.sides) == 2 else ()
    mirrors = tuple(exercise.sided and side == "left" for side in (sides or s.sides[:1]))
    return ChecklistRow(
        exercise_id=exercise.id,
        name=exercise.texts.get(s.variant).short_name,
        dosage=text.describe_dosage(dosage, s.words).short,
        note=_note(s, exercise.id, first, s.sides[0]),
        sides=sides,
        sessions=tuple(sessions_on_day(dosage, offset + d) for d in range(DAYS_PER_WEEK)),
        picture=s.library.pictures.get(exercise.id),
        mirror_picture=mirrors[0],
        mirror_pictures=mirrors,
    )


def _records(s: _Setting, week: int, rows: tuple[ChecklistRow, ...]) -> tuple[Record, ...]:
    """What the pain rule needs written down this week (brief, revision §6)."""
    every_day = (True,) * DAYS_PER_WEEK
    records = [Record("first_step_pain", side, None, every_day) for side in s.sides]
    for row in rows:
        due = tuple(n > 0 for n in row.sessions)
        for kind in s.library.exercises[row.exercise_id].records:
            if kind != "distance_cm":
                records += [Record(kind, side, row.exercise_id, due) for side in s.sides]
            elif (week - 1) % MEASURE_EVERY_WEEKS == 0:  # both feet: the other one to compare
                first_day = (True,) + (False,) * (DAYS_PER_WEEK - 1)
                records += [Record(kind, side, row.exercise_id, first_day) for side in _BOTH]
    return tuple(records)


_BOTH: tuple[Side, Side] = ("left", "right")


def _planned_exercise(
    s: _Setting, exercise: Exercise, week_exercises: list[tuple[str, ...]]
) -> PlannedExercise:
    done_in = [n for n, ids in enumerate(week_exercises, start=1) if exercise.id in ids]
    by_week = []
    for week in done_in:
        first = s.programme.phase_for_week(week).first
        by_week.append(
            (week, s.doses[exercise.id, first], _note(s, exercise.id, first, s.sides[0]))
        )
    steps = _dosage_steps(by_week, s.start, s.words)
    step_phases = [s.programme.phase_for_week(step.first_week).first for step in steps]
    sides = tuple(
        _side_texts(s, exercise, side, step_phases)
        for side in (s.sides if exercise.sided else s.sides[:1])
    )
    texts, level = exercise.texts.get(s.variant), exercise.evidence.level
    return PlannedExercise(
        id=exercise.id,
        category=exercise.category,
        sided=exercise.sided,
        name=texts.name,
        evidence_level=level,
        evidence_line=s.words.fmt("evidence_line", level=s.words["evidence_plain"][level]),
        sources=tuple(exercise.evidence.sources),
        both_sides_note=s.words["both_feet_note"] if len(sides) == 2 else None,
        dosage_steps=tuple(steps),
        picture=s.library.pictures.get(exercise.id),
        sides=sides,
    )


def _side_texts(s: _Setting, exercise: Exercise, side: Side, step_phases: list[int]) -> SideTexts:
    texts, variables = exercise.texts.get(s.variant), s.variables[side]

    def r(source: str | None) -> str | None:  # a text a condition leaves empty: none at all
        return (text.render(source, variables) or None) if source else None

    return SideTexts(
        side=side,
        purpose=text.render(texts.purpose, variables),
        when=r(texts.when),
        steps=_rendered_list(texts.steps, variables),
        cautions=_rendered_list(texts.cautions, variables),
        progression=r(texts.progression),
        regression=r(texts.regression),
        notes=tuple(_note(s, exercise.id, first, side) for first in step_phases),
        mirror_picture=exercise.sided and side == "left",
    )


def _phase_note(notes: dict[str, str], variant: str) -> str:
    """A phase note in the patient's text variant. Notes are keyed like text blocks: nl and en;
    nl-BE, nl-u and nl-BE-u only where they differ (nl-BE: the Dutch note in Flemish words)."""
    return str(_note_data(notes, variant).get("note", ""))


def _note_blocks(notes: dict[str, str]) -> dict[str, dict[str, str] | None]:
    return {
        key: {"note": notes[key]} if key in notes else None for key in ("nl-BE", "nl-u", "nl-BE-u")
    }


def _note_data(notes: dict[str, str], variant: str) -> dict[str, str]:
    nl = {"note": notes["nl"]} if "nl" in notes else {}
    en = {"note": notes["en"]} if "en" in notes else {}
    return variant_data(variant, nl, en, _note_blocks(notes))


def note_u_form_problems(notes: dict[str, str]) -> list[tuple[str, str]]:
    """(variant, what is wrong) for a phase note that has a u-form: one still missing (nl-BE-u
    where the Flemish note says je), or one that no longer matches its je-form."""
    blocks = _note_blocks(notes)
    if not (blocks["nl-u"] or blocks["nl-BE-u"]):
        return []  # no u-form: only an address: u patient needs one (variant_problems)
    drifted = u_form_drift({"note": notes.get("nl", "")}, blocks)
    found = [
        (field.split(".")[0], f"{why.removeprefix('note: ')}; write it again from the je-form")
        for field, why in drifted
    ]
    found += [
        (variant, f"says je; write an {variant} note")
        for variant in ("nl-u", "nl-BE-u")
        if missing_u_form(variant, _note_data(notes, variant), blocks)
    ]
    return found


def variant_problems(patient: Patient, library: Library) -> list[Problem]:
    """For an address: u patient, every text the plan may print in its u-form: never a silent
    je-form. One problem per text, naming its file and the fields still to write; empty for a
    je-form patient. Called before anything is made (generate) and by validate."""
    variant = patient.variant
    if not variant.endswith("-u") or patient.programme not in library.programmes:
        return []
    problems: list[Problem] = []
    try:
        text.strings(variant)
    except MissingUForm as err:
        problems.append(Problem(f"handouts/locales/{variant}.yaml", "", str(err)))
    programme = library.programmes[patient.programme]
    name = f"programme '{programme.id}'"
    texts: list[tuple[str, str, Texts[Any]]] = [(name, "texts", programme.texts)]
    if programme.maintenance is not None:
        texts.append((name, "maintenance", programme.maintenance))
    exercise_ids = dict.fromkeys(i for i in patient.include if i not in patient.exclude)
    topics: dict[str, None] = {}
    for number, phase in enumerate(programme.phases, start=1):
        texts.append((name, f"phases.{number}.texts", phase.texts))
        for exercise_id, item in phase.exercises.items():
            if exercise_id in patient.exclude:
                continue
            exercise_ids[exercise_id] = None
            if missing_u_form(variant, _note_data(item.note, variant), _note_blocks(item.note)):
                problems.append(
                    Problem(name, f"phases.{number}.exercises.{exercise_id}.note",
                            f"says je; add an {variant} note, or give this patient address: je")
                )  # fmt: skip
        if patient.education:
            topics.update(dict.fromkeys(t for t in phase.education if t not in patient.exclude))
    texts += [
        (str(library.exercise_files.get(i, f"exercise '{i}'")), "texts", library.exercises[i].texts)
        for i in exercise_ids
        if i in library.exercises
    ]
    texts += [
        (f"education '{t}'", "texts", library.education[t].texts)
        for t in topics
        if t in library.education
    ]
    for source, where, variants in texts:
        gaps = variants.u_form_gaps(variant)
        if gaps:
            problems.append(Problem(source, f"{where}.{variant}", str(MissingUForm(variant, gaps))))
    return problems


def _phase_at(programme: Programme, first_week: int) -> Phase:
    return programme.phase_for_week(first_week)


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


def _rendered_list(sources: list[str], variables: Variables) -> tuple[str, ...]:
    """Rendered items; one that a condition leaves empty ({% if strength_days %}) is left out."""
    return tuple(x for x in (text.render(source, variables) for source in sources) if x)


# --- phases and minutes a day ---------------------------------------------------------------


def _planned_phases(s: _Setting, week_exercises: list[tuple[str, ...]]) -> list[PlannedPhase]:
    phases = []
    programme, variant = s.programme, s.variant
    for number, phase in enumerate(programme.phases, start=1):
        if phase.first > s.weeks:
            break
        last = phase.last if number < len(programme.phases) else max(phase.last, s.weeks)
        last = min(last, s.weeks)
        ids = week_exercises[phase.first - 1]
        mine = timing.day_minutes(_day_items(s, phase, ids, both_feet=len(s.sides) == 2))
        variables = s.variables[s.sides[0]]
        phases.append(
            PlannedPhase(
                number=number,
                name=phase.texts.get(variant).name,
                changes=text.render(phase.texts.get(variant).changes, variables),
                first_week=phase.first,
                last_week=last,
                first_day=_week_start(s.start, phase.first),
                last_day=_week_end(s.start, last),
                minutes=mine,
                minutes_one_foot=timing.day_minutes(_day_items(s, phase, ids, both_feet=False)),
                time_text=_time_words(s.words, mine, "time_phase"),
            )
        )
    return phases


def _day_items(
    s: _Setting, phase: Phase, exercise_ids: tuple[str, ...], *, both_feet: bool
) -> list[timing.Item]:
    items = []
    for exercise_id in exercise_ids:
        item = phase.exercises.get(exercise_id)
        feet = 2 if both_feet and s.library.exercises[exercise_id].sided else 1
        dosage = s.doses[exercise_id, phase.first]
        items.append(timing.Item(exercise_id, dosage, feet, bool(item and item.in_rests)))
    return items


def _time_words(words: text.Strings, day: timing.DayMinutes, key: str) -> str:
    if day.strength_day is None:
        return words.fmt(key, other=day.other_day)
    return words.fmt(f"{key}_strength", strength=day.strength_day, other=day.other_day)


def _most_minutes(phases: tuple[PlannedPhase, ...]) -> timing.DayMinutes:
    strength = [p.minutes.strength_day for p in phases if p.minutes.strength_day is not None]
    other = max(p.minutes.other_day for p in phases)
    return timing.DayMinutes(max(strength) if strength else None, other)


def _plan_time_text(s: _Setting, phases: tuple[PlannedPhase, ...]) -> str:
    """The most a day asks in any phase: "about 14 minutes" where every phase asks that,
    "up to about 14 minutes" where the phases differ (the week plan gives each phase's);
    for both feet, that this is twice one foot's time."""
    most = _most_minutes(phases)

    def amount(most: int | None, kind: str) -> str:
        values = {getattr(p.minutes, kind) for p in phases} - {None}
        return s.words.fmt("time_about" if len(values) == 1 else "time_up_to", n=most)

    other = amount(most.other_day, "other_day")
    if most.strength_day is None:
        sentence = s.words.fmt("time_plan", other=other)
    else:
        strength = amount(most.strength_day, "strength_day")
        sentence = s.words.fmt("time_plan_strength", strength=strength, other=other)
    if len(s.sides) == 2:
        sentence += " " + s.words["time_both_feet"]
    return sentence


def _plausibility_warnings(
    start: dt.date, today: dt.date, weeks: int, first_week: int = 1
) -> list[str]:
    """Allowed but unusual: a start far from today (the run's, so --today reproduces it), a
    very long plan. The handout is still made. first_week: the first week whose checklist is
    printed (a reprint of weeks 6-12 for a patient in week 6 is no typo)."""
    warnings = []
    problem = _start_problem(start, today, weeks, first_week)
    if problem:
        warnings.append(f"start: {problem}; {_start_hint(start, today, weeks, first_week)}")
    if weeks > limits.WARN_PATIENT_WEEKS:
        warnings.append(
            f"weeks: {weeks} weeks is long (the programmes take 12); each week is a checklist page"
        )
    return warnings


def _start_problem(start: dt.date, today: dt.date, weeks: int, first_week: int) -> str | None:
    """What a start far from today does to the paper ("… so every week of this 12-week
    programme is over"), or None for a start a practice makes (limits.WARN_START_DAYS_*)."""
    days = (start - today).days
    behind = (today - _week_start(start, first_week)).days  # into the first printed week
    if days > limits.WARN_START_DAYS_FUTURE:
        ahead = f"so the programme starts in {days // 7} weeks"
        return f"{start.isoformat()} is {days} days ahead, {ahead}"
    if behind <= limits.WARN_START_DAYS_PAST and today <= _week_end(start, weeks):
        return None
    over = min(-days // 7, weeks)  # whole weeks gone by
    gone = (
        f"every week of this {weeks}-week programme is over"
        if over == weeks
        else f"weeks 1–{over} of this {weeks}-week programme are over"
    )
    return f"{start.isoformat()} is {-days} days ago, so {gone}"


def _start_hint(start: dt.date, today: dt.date, weeks: int, first_week: int) -> str:
    """The fix for a start far from today: the year one off (4-1-2026 typed in January 2027)
    or day and month swapped (12/07/2026 for 7 December) when that gives a start near today;
    else the date, or for a patient some weeks in, printing only the weeks to come."""
    guesses = []
    with contextlib.suppress(ValueError):  # 29 February
        guesses.append((start.replace(year=start.year + (1 if start < today else -1)), "year"))
    if start.day <= 12 and start.day != start.month:
        guesses.append((start.replace(month=start.day, day=start.month), "day and month"))
    for guess, part in guesses:
        if _start_problem(guess, today, weeks, first_week) is None:
            return f"check the {part} ({guess.isoformat()}?)"
    now = (today - start).days // 7 + 1  # the week the patient is in
    if 1 < now <= weeks:  # the date may be right: a reprint needs only the weeks to come
        return f"check the date (a reprint for week {now} on: checklist weeks {now}-{weeks})"
    return "check the date"


def _cap_warnings(
    s: _Setting,
    phases: tuple[PlannedPhase, ...],
    week_exercises: list[tuple[str, ...]],
    practice: Practice,
) -> list[str]:
    """Days over the practice's cap: one warning per kind of day, with the minutes of each
    phase over it and where the time goes in the heaviest one. The cap is for one foot, as
    the programmes' budget is (`handouts programmes`, the clinical brief): both feet take
    twice as long by nature, and the handout says so, so that alone is no warning."""
    cap, warnings = practice.daily_minutes_cap, []
    feet = " for one foot (both feet: twice)" if len(s.sides) == 2 else ""
    for strength_day, day in ((True, "days with strength work"), (False, "other days")):
        over: list[tuple[int, PlannedPhase]] = []
        for planned in phases:
            one_foot = planned.minutes_one_foot
            minutes = one_foot.strength_day if strength_day else one_foot.other_day
            if minutes is not None and minutes > cap:
                over.append((minutes, planned))
        if not over:
            continue
        most, heaviest = max(over, key=lambda found: found[0])
        phase = s.programme.phases[heaviest.number - 1]
        items = _day_items(s, phase, week_exercises[phase.first - 1], both_feet=False)
        spent = timing.day_seconds(items, strength_day)
        parts = ", ".join(f"{i} {timing.minutes(n)}" for i, n in spent.items() if n)
        warnings.append(
            f"about {most} min a day on {day}{feet}, over the practice's cap of {cap} min in "
            f"{_week_ranges([p for _, p in over])}; weeks {heaviest.first_week}–"
            f"{heaviest.last_week} in minutes: {parts}"
        )
    return warnings


def _week_ranges(phases: list[PlannedPhase]) -> str:
    """ "weeks 1–8, 11–12": phases that follow each other as one range, to stay short."""
    ranges: list[list[int]] = []
    for phase in phases:
        if ranges and ranges[-1][1] + 1 == phase.first_week:
            ranges[-1][1] = phase.last_week
        else:
            ranges.append([phase.first_week, phase.last_week])
    return "weeks " + ", ".join(f"{a}–{b}" if a != b else str(a) for a, b in ranges)


# --- education ------------------------------------------------------------------------------


def _planned_education(s: _Setting, phases: tuple[PlannedPhase, ...]) -> tuple[PlannedTopic, ...]:
    """Topics of the phases this plan reaches, each once, in the order they are introduced."""
    if not s.patient.education:
        return ()
    topics: dict[str, PlannedTopic] = {}
    for phase in phases:
        for topic_id in s.programme.phases[phase.number - 1].education:
            if topic_id in topics or topic_id in s.patient.exclude:
                continue
            topic = s.library.education[topic_id]
            topics[topic_id] = _topic(
                topic_id, topic.texts.get(s.variant), topic.sources, phase.first_week,
                s.variables[s.sides[0]],
            )  # fmt: skip
    return tuple(topics.values())


def _topic(
    topic_id: str,
    texts: TopicText,
    sources: list[str] | tuple[str, ...],
    first_week: int,
    variables: Variables,
) -> PlannedTopic:
    return PlannedTopic(
        id=topic_id,
        title=text.render(texts.title, variables),
        paragraphs=tuple(text.render(p, variables) for p in texts.paragraphs),
        points=tuple(text.render(p, variables) for p in texts.points),
        sources=tuple(sources),
        first_week=first_week,
    )


# --- a programme on its own -----------------------------------------------------------------


def sample_plan(
    programme_id: str, library: Library, practice: Practice | None = None, *, foot: str = "left"
) -> Plan:
    """The programme as it is for a patient with no own settings (one foot by default): what
    `handouts programmes` shows and `validate` holds against the practice's cap."""
    patient = validated(
        Patient, {"name": "sample", "foot": foot, "programme": programme_id, "start": "2026-01-05"}
    )
    return resolve(patient, library, practice or Practice(), today=dt.date(2026, 1, 5))
