"""The pure plan: sides, dosage precedence, schedule, weeks and dates. No PDF involved."""

from __future__ import annotations

import datetime as dt

import pytest

from handouts.errors import InputError
from handouts.models import Dosage, DosageOverride
from handouts.plan import coming_monday, resolve_dosage, sessions_on_day
from tests.conftest import START, TODAY, make_plan


def exercise(plan, exercise_id):
    return next(e for e in plan.exercises if e.id == exercise_id)


def test_left_foot_mirrors_foot_hand_and_other_knee(library):
    steps = " ".join(
        exercise(make_plan(library, foot="left"), "plantar-fascia-stretch-seated").steps
    )
    assert "linkervoet" in steps and "rechterknie" in steps and "linkerhand" in steps
    assert "rechtervoet" not in steps and "linkerknie" not in steps


def test_right_foot_mirrors_everything_back(library):
    steps = " ".join(
        exercise(make_plan(library, foot="rechts"), "plantar-fascia-stretch-seated").steps
    )
    assert "rechtervoet" in steps and "linkerknie" in steps and "rechterhand" in steps
    assert "linkervoet" not in steps


def test_english_sides(library):
    plan = make_plan(library, foot="right", language="en")
    steps = " ".join(exercise(plan, "plantar-fascia-stretch-seated").steps)
    assert "right foot" in steps and "left knee" in steps and "right hand" in steps


def test_both_feet_note_and_left_right_boxes(library):
    plan = make_plan(library, foot="beide")
    assert plan.foot == "both"
    assert all(e.both_sides_note for e in plan.exercises if e.sided)
    assert all(row.sides == ("left", "right") for row in plan.weeks[0].rows)
    single = make_plan(library, foot="left")
    assert all(row.sides == () for row in single.weeks[0].rows)
    assert all(e.both_sides_note is None for e in single.exercises)


def test_dosage_precedence_most_specific_wins():
    default = Dosage(sets=1, reps=10, hold_seconds=10, sessions_per_day=3)
    phase = DosageOverride(reps=8, hold_seconds=20)
    assert resolve_dosage(default, None, {}, None) == default
    assert resolve_dosage(default, phase, {}, None).reps == 8
    wide = resolve_dosage(default, phase, {"reps": 6, "sessions_per_day": 2}, None)
    assert (wide.reps, wide.hold_seconds, wide.sessions_per_day) == (6, 20, 2)
    own = resolve_dosage(default, phase, {"reps": 6}, DosageOverride(reps=4))
    assert (own.reps, own.hold_seconds) == (4, 20)


def test_patient_wide_sessions_leave_every_other_day_strength_alone():
    strength = Dosage(sets=3, reps=12, sessions_per_day=1, frequency="every_other_day")
    assert resolve_dosage(strength, None, {"sessions_per_day": 3}, None).sessions_per_day == 1
    explicit = resolve_dosage(strength, None, {}, DosageOverride(sessions_per_day=2))
    assert explicit.sessions_per_day == 2


def test_programme_phases_change_the_heel_raise_by_week(library):
    plan = make_plan(library)
    steps = exercise(plan, "heel-raise-towel-step").dosage_steps
    assert [(s.first_week, s.dosage.sets, s.dosage.reps) for s in steps][:3] == [
        (1, 3, 12),
        (3, 4, 10),
        (5, 5, 8),
    ]
    assert steps[0].first_day == START and steps[0].last_day == dt.date(2026, 12, 20)
    assert steps[1].first_day == dt.date(2026, 12, 21) and steps[1].last_day == dt.date(2027, 1, 3)


def test_patient_reps_apply_to_every_exercise_but_override_wins(library):
    plan = make_plan(library, reps=7, exercises={"calf-stretch-wall-bent-knee": {"reps": 2}})
    reps = {row.exercise_id: row.dosage for row in plan.weeks[0].rows}
    assert all(
        e.dosage_steps[0].dosage.reps == 7
        for e in plan.exercises
        if e.id != "calf-stretch-wall-bent-knee"
    )
    assert exercise(plan, "calf-stretch-wall-bent-knee").dosage_steps[0].dosage.reps == 2
    assert reps["calf-stretch-wall-bent-knee"].startswith("2×")


def test_every_other_day_alternates_across_week_boundaries():
    dosage = Dosage(reps=12, frequency="every_other_day")
    days = [sessions_on_day(dosage, d) for d in range(14)]
    assert days == [1, 0] * 7  # day 8 (Monday of week 2) is a rest day
    assert [sessions_on_day(Dosage(reps=1, sessions_per_day=3), d) for d in range(3)] == [3, 3, 3]


def test_checklist_week_rows_carry_rest_days_and_sessions(library):
    plan = make_plan(library)
    week1, week2 = plan.weeks[0], plan.weeks[1]
    heel1 = next(r for r in week1.rows if r.exercise_id == "heel-raise-towel-step")
    heel2 = next(r for r in week2.rows if r.exercise_id == "heel-raise-towel-step")
    assert heel1.sessions == (1, 0, 1, 0, 1, 0, 1)
    assert heel2.sessions == (0, 1, 0, 1, 0, 1, 0)
    stretch = next(r for r in week1.rows if r.exercise_id == "plantar-fascia-stretch-seated")
    assert stretch.sessions == (3,) * 7


def test_weeks_dates_and_phases(library):
    plan = make_plan(library)
    assert len(plan.weeks) == 12
    assert plan.weeks[0].days[0] == START and plan.weeks[0].days[-1] == dt.date(2026, 12, 13)
    assert plan.weeks[11].days[-1] == plan.end == dt.date(2027, 2, 28)
    assert [(p.first_week, p.last_week) for p in plan.phases] == [(1, 2), (3, 4), (5, 8), (9, 12)]
    assert plan.weeks[4].phase_number == 3


def test_shorter_and_longer_plans(library):
    short = make_plan(library, weeks=3)
    assert len(short.weeks) == 3 and [p.last_week for p in short.phases] == [2, 3]
    long = make_plan(library, weeks=16)
    assert len(long.weeks) == 16 and long.phases[-1].last_week == 16
    assert long.weeks[15].phase_number == long.weeks[11].phase_number


def test_start_defaults_to_the_coming_monday(library):
    assert coming_monday(TODAY) == dt.date(2026, 11, 23)
    assert coming_monday(dt.date(2026, 11, 23)) == dt.date(2026, 11, 23)
    assert make_plan(library, start=None).start == dt.date(2026, 11, 23)


def test_include_and_exclude(library):
    plan = make_plan(
        library, exclude=["calf-stretch-wall-bent-knee"], include=["towel-stretch-knee-bent"]
    )
    ids = [e.id for e in plan.exercises]
    assert "calf-stretch-wall-bent-knee" not in ids and ids[-1] == "towel-stretch-knee-bent"
    assert all(r.exercise_id != "calf-stretch-wall-bent-knee" for w in plan.weeks for r in w.rows)


def test_unknown_ids_name_the_field(library):
    with pytest.raises(InputError) as err:
        make_plan(library, include=["towel-curl-xyz"], programme="combined")
    assert "include" in str(err.value) and "towel-curl-xyz" in str(err.value)
    with pytest.raises(InputError) as err:
        make_plan(library, programme="combind")
    assert "did you mean 'combined'" in str(err.value)


def test_excluding_everything_is_an_error(library):
    everything = list(library.programmes["combined"].phases[0].exercises) + [
        i for p in library.programmes["combined"].phases for i in p.exercises
    ]
    with pytest.raises(InputError, match="no exercises"):
        make_plan(library, exclude=sorted(set(everything)))


def test_texts_leave_no_template_leftovers(library):
    for language in ("nl", "en"):
        for foot in ("left", "right", "both"):
            plan = make_plan(
                library, foot=foot, language=language, include=sorted(library.exercises)
            )
            for e in plan.exercises:
                blob = " ".join(
                    [e.purpose, *e.steps, *e.cautions, e.regression or "", e.when or ""]
                )
                assert "{{" not in blob and "}}" not in blob and "None" not in blob


def test_phase_notes_reach_flemish_patients_in_flemish_words(library):
    nl = make_plan(library, language="nl")
    be = make_plan(library, language="nl-BE")
    nl_notes = [s.note for e in nl.exercises for s in e.dosage_steps if s.note]
    be_notes = [s.note for e in be.exercises for s in e.dosage_steps if s.note]
    assert nl_notes and len(be_notes) == len(nl_notes)
    assert not any("fysiotherapeut" in n for n in be_notes)
