"""The pure plan: sides, dosage precedence, schedule, weeks and dates. No PDF involved."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

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


def test_patient_wide_values_apply_where_they_keep_a_progression(library):
    plan = make_plan(
        library,
        programme="stretch-only",
        reps=7,
        sessions_per_day=2,
        include=["towel-curl"],
    )
    curl = exercise(plan, "towel-curl").dosage_steps[0].dosage
    assert (curl.reps, curl.sessions_per_day) == (7, 2)  # plain repetitions: both apply
    calf = exercise(plan, "calf-stretch-wall-straight-knee").dosage_steps[0].dosage
    assert (calf.reps, calf.hold_seconds, calf.sessions_per_day) == (3, 30, 2)  # a hold
    assert any(
        "reps 7 not used for calf-stretch-wall-straight-knee: it is a hold (3× 30 s)" in w
        for w in plan.warnings
    )


def test_patient_wide_values_never_flatten_the_heel_raise_progression(library):
    plan = make_plan(library, reps=8, sets=2, sessions_per_day=2)
    heel = exercise(plan, "heel-raise-towel-step")
    assert [(s.dosage.sets, s.dosage.reps) for s in heel.dosage_steps] == [(3, 12), (4, 10), (5, 8)]
    assert all(s.dosage.sessions_per_day == 1 for s in heel.dosage_steps)
    joined = "\n".join(plan.warnings)
    assert (
        "patient-wide sets 2 not used for heel-raise-towel-step: "
        "the programme changes sets by phase (3 → 4 → 5)" in joined
    )
    assert "reps 8 not used for heel-raise-towel-step" in joined
    assert "sessions_per_day 2 not used for heel-raise-towel-step: it is every-other-day" in joined


def test_per_exercise_override_wins_and_says_what_it_flattens(library):
    plan = make_plan(library, exercises={"heel-raise-towel-step": {"sets": 2}})
    heel = exercise(plan, "heel-raise-towel-step")
    assert [(s.dosage.sets, s.dosage.reps) for s in heel.dosage_steps] == [(2, 12), (2, 10), (2, 8)]
    assert any(
        "exercises.heel-raise-towel-step.sets 2 replaces the programme's progression (3 → 4 → 5)"
        in w
        for w in plan.warnings
    )
    assert make_plan(library).warnings == ()


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


# --- sides: every foot gets its own complete texts -------------------------------------------

_SWAP = {"linker": "rechter", "rechter": "linker", "links": "rechts", "rechts": "links",
         "left": "right", "right": "left"}  # fmt: skip
_SIDE_WORD = re.compile(r"(?i)linker|rechter|\blinks\b|\brechts\b|\bleft\b|\bright\b")


def mirrored(sentence: str) -> str:
    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        new = _SWAP[word.lower()]
        return new.capitalize() if word[0].isupper() else new

    return _SIDE_WORD.sub(swap, sentence)


def side_sentences(side) -> list[str]:
    return [
        side.purpose,
        side.when or "",
        *side.steps,
        *side.cautions,
        side.progression or "",
        side.regression or "",
        *side.notes,
    ]


def side_sources(library, planned, language) -> list[str]:
    """The templates behind side_sentences, in the same order."""
    texts = library.exercises[planned.id].texts.get(language)
    programme = library.programmes["combined"]
    notes = []
    for step in planned.dosage_steps:
        item = programme.phase_for_week(step.first_week).exercises.get(planned.id)
        notes.append((item.note.get(language) or item.note.get("nl", "")) if item else "")
    return [
        texts.purpose,
        texts.when or "",
        *texts.steps,
        *texts.cautions,
        texts.progression or "",
        texts.regression or "",
        *notes,
    ]


@pytest.mark.parametrize("language", ["nl", "nl-BE", "en"])
def test_every_side_sentence_mirrors_and_both_feet_get_both(library, language):
    every = sorted(library.exercises)
    left, right, both = (
        make_plan(library, foot=foot, language=language, include=every)
        for foot in ("left", "right", "both")
    )
    for l_ex, r_ex, b_ex in zip(left.exercises, right.exercises, both.exercises, strict=True):
        [l_side], [r_side] = l_ex.sides, r_ex.sides
        assert [mirrored(x) for x in side_sentences(l_side)] == side_sentences(r_side), l_ex.id
        assert l_side.mirror_picture == l_ex.sided and not r_side.mirror_picture
        if not b_ex.sided:
            assert len(b_ex.sides) == 1
            continue
        b_left, b_right = b_ex.sides
        assert (b_left.side, b_right.side) == ("left", "right")
        assert (b_left.mirror_picture, b_right.mirror_picture) == (True, False)
        assert [mirrored(x) for x in side_sentences(b_left)] == side_sentences(b_right)
        sources = side_sources(library, l_ex, language)
        for alone, with_both, source in zip(
            side_sentences(l_side), side_sentences(b_left), sources, strict=True
        ):
            # a sentence may only change for both feet where its text asks for both_feet
            assert alone == with_both or "both_feet" in source, (l_ex.id, alone)
        # the first side stays in the card's old fields, for a renderer drawing one side
        assert (b_ex.steps, b_ex.mirror_picture) == (b_left.steps, True)


def test_both_feet_rows_carry_a_picture_flag_per_foot(library):
    plan = make_plan(library, foot="both")
    heel = next(r for r in plan.weeks[0].rows if r.exercise_id == "heel-raise-towel-step")
    assert heel.sides == ("left", "right") and heel.mirror_pictures == (True, False)
    one = make_plan(library, foot="right").weeks[0].rows[0]
    assert one.sides == () and one.mirror_pictures == (False,)


def test_texts_know_whether_both_feet_are_done(library):
    from handouts import text

    source = "{% if not both_feet %}Meet ook je {{ other_foot }}, om te vergelijken.{% endif %}"
    one = text.plan_variables("nl", "left", both_feet=False, weeks=12, strength_days=True)
    two = text.plan_variables("nl", "left", both_feet=True, weeks=12, strength_days=True)
    assert text.render(source, one) == "Meet ook je rechtervoet, om te vergelijken."
    assert text.render(source, two) == ""
    assert text.check_template(source, "nl") == []


# --- every number on paper comes from the plan -----------------------------------------------

_EXPRESSIONS = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)


def test_programme_texts_quote_no_numbers_of_their_own(library):
    """Summaries, phase changes, phase notes and the maintenance title take every number from
    the plan (variables), so a patient's own dosage or --weeks cannot disagree with them."""
    for programme in library.programmes.values():
        sources = [programme.texts.get(lang).summary for lang in ("nl", "nl-BE", "en")]
        for phase in programme.phases:
            sources += [phase.texts.get(lang).changes for lang in ("nl", "nl-BE", "en")]
            sources += [n for item in phase.exercises.values() for n in item.note.values()]
        if programme.maintenance is not None:
            sources += [programme.maintenance.get(lang).title for lang in ("nl", "en")]
        for source in sources:
            assert not re.search(r"\d", _EXPRESSIONS.sub("", source)), (programme.id, source)


def test_overrides_and_weeks_give_a_plan_that_agrees_with_itself(library):
    plan = make_plan(library, weeks=8, exercises={"heel-raise-towel-step": {"reps": 9}})
    assert "8 weken" in plan.programme_summary and "12" not in plan.programme_summary
    assert plan.maintenance is not None and plan.maintenance.title == "Na week 8"
    assert [p.last_week for p in plan.phases][-1] == 8 and len(plan.weeks) == 8
    heel = exercise(plan, "heel-raise-towel-step")
    for step in heel.dosage_steps:
        assert step.dosage.reps == 9
        numbers = set(re.findall(r"\d+", step.note))
        assert numbers <= {"9"}, step.note  # "Zijn 9 keer heel makkelijk?", never 12
    assert "9 keer" in heel.dosage_steps[0].note
    english = make_plan(library, language="en", weeks=6)
    assert "6 weeks" in english.programme_summary
    assert english.maintenance is not None and english.maintenance.title == "After week 6"
    assert all(not re.search(r"\d", p.changes) for p in plan.phases)


# --- one progression rule ---------------------------------------------------------------------

_AMBER_PROGRESS = re.compile(
    r"(groen|green)\W+(of|or|en|and)\W+(oranje|amber)|(oranje|amber)\W+(of|or)\W+(groen|green)",
    re.IGNORECASE,
)


def test_no_shipped_text_says_to_progress_on_amber(library):
    from importlib import resources

    folder = Path(str(resources.files("handouts")))
    for path in [
        *folder.joinpath("library").rglob("*.yaml"),
        *folder.joinpath("locales").glob("*.yaml"),
    ]:
        assert not _AMBER_PROGRESS.search(path.read_text(encoding="utf-8")), path.name
    for language in ("nl", "nl-BE", "en"):
        for programme in library.programmes:
            plan = make_plan(
                library, language=language, programme=programme, include=sorted(library.exercises)
            )
            blob = " ".join(
                [plan.progression_rule, plan.programme_summary]
                + [p.changes for p in plan.phases]
                + [x for e in plan.exercises for s in e.sides for x in side_sentences(s)]
                + [x for t in plan.education for x in (*t.paragraphs, *t.points)]
            )
            assert not _AMBER_PROGRESS.search(blob)
    rule = make_plan(library).progression_rule
    assert "alleen bij groen" in rule and "oranje" in rule and "stap terug" in rule


# --- a lean default and honest minutes --------------------------------------------------------


def test_the_default_is_lean_and_fits_its_time_budget(library):
    from handouts.plan import sample_plan

    plan = sample_plan("combined", library)
    assert [e.id for e in plan.exercises] == [
        "heel-raise-towel-step",
        "plantar-fascia-stretch-seated",
        "calf-stretch-wall-straight-knee",
    ]
    for phase in plan.phases:
        assert phase.minutes.strength_day is not None and phase.minutes.strength_day <= 15
        assert phase.minutes.other_day <= 8
    assert plan.warnings == ()
    both = sample_plan("combined", library, foot="both")
    for one, two in zip(plan.phases, both.phases, strict=True):
        assert two.minutes_one_foot == one.minutes
        assert two.minutes.other_day >= 2 * one.minutes.other_day - 1  # twice, rounded
    assert "allebei je voeten" in both.time_text and "14 minuten" in plan.time_text


def test_minutes_model_counts_tempo_holds_rests_and_set_up():
    from handouts import timing

    heel = Dosage(sets=3, reps=12, tempo=(3, 2, 3), rest_seconds=120, frequency="every_other_day")
    assert timing.session_seconds(heel) == 10 + 36 * 8 + 2 * 120
    stretch = Dosage(reps=10, hold_seconds=10, sessions_per_day=3)
    assert timing.session_seconds(stretch) == 10 + 10 * 12
    items = [timing.Item("heel", heel), timing.Item("stretch", stretch, in_rests=True)]
    assert timing.day_seconds(items, strength_day=True) == {"heel": 538, "stretch": 260}
    assert timing.day_seconds(items, strength_day=False) == {"stretch": 390}
    assert timing.day_minutes(items) == timing.DayMinutes(strength_day=13, other_day=7)
    two_feet = [timing.Item("heel", heel, feet=2), timing.Item("stretch", stretch, feet=2)]
    assert timing.day_minutes(two_feet).other_day == 13


def test_stretches_basic_prints_no_strength_advice(library):
    for language in ("nl", "nl-BE", "en"):
        plan = make_plan(library, programme="stretches-basic", language=language)
        blob = " ".join(x for e in plan.exercises for s in e.sides for x in side_sentences(s))
        assert not re.search(r"krachtoefening|strength exercise", blob)
        assert all(
            p.minutes.strength_day is None and p.minutes.other_day <= 15 for p in plan.phases
        )


def test_a_day_over_the_practice_cap_is_a_warning(library):
    from handouts.models import Patient, Practice
    from handouts.plan import resolve

    tight = Practice(daily_minutes_cap=10)
    plan = resolve(Patient(name="Jan", foot="left"), library, tight, today=TODAY)
    assert plan.warnings and all("cap of 10 min" in w for w in plan.warnings)
    [strength_days] = plan.warnings  # other days (at most 8 min) are under the cap
    assert strength_days.startswith("about 14 min a day on days with strength work, over the")
    assert "cap of 10 min in weeks 1–12;" in strength_days  # four phases, one range
    assert (
        "weeks 3–4 in minutes: heel-raise-towel-step 12, plantar-fascia-stretch-seated 2"
        in strength_days
    )


def test_the_cap_is_for_one_foot_both_feet_take_twice_by_nature(library):
    """The programme's budget is for one foot; both feet double it, which the handout says.
    So both feet alone never warn, and a plan over the cap for one foot says 'for one foot'."""
    from handouts.models import Patient, Practice
    from handouts.plan import resolve

    default, tight = Practice(), Practice(daily_minutes_cap=10)
    both = Patient(name="Jan", foot="both")
    plan = resolve(both, library, default, today=TODAY)
    assert max(p.minutes.strength_day or 0 for p in plan.phases) > default.daily_minutes_cap
    assert plan.warnings == ()
    [warning] = resolve(both, library, tight, today=TODAY).warnings
    assert warning.startswith("about 14 min a day on days with strength work for one foot")


# --- what the checklist records --------------------------------------------------------------


def test_records_first_step_pain_per_foot_and_heel_raise_pain_and_load(library):
    one = make_plan(library, foot="right").weeks[0]
    pain = [r for r in one.records if r.kind == "first_step_pain"]
    assert [(r.side, r.days) for r in pain] == [("right", (True,) * 7)]
    both = make_plan(library, foot="both").weeks[1]
    assert [r.side for r in both.records if r.kind == "first_step_pain"] == ["left", "right"]
    heel = next(r for r in both.rows if r.exercise_id == "heel-raise-towel-step")
    for kind in ("exercise_pain", "load_kg"):
        found = [r for r in both.records if r.kind == kind]
        assert [r.side for r in found] == ["left", "right"]
        assert all(r.exercise_id == "heel-raise-towel-step" for r in found)
        assert all(r.days == tuple(n > 0 for n in heel.sessions) for r in found)
    assert both.records[-1].days == (False, True, False, True, False, True, False)  # week 2


def test_knee_to_wall_is_recorded_every_second_week_when_it_is_in_the_plan(library):
    assert not any(r.kind == "distance_cm" for w in make_plan(library).weeks for r in w.records)
    plan = make_plan(library, foot="left", include=["knee-to-wall-ankle-mobility"])
    measured = [w.number for w in plan.weeks if any(r.kind == "distance_cm" for r in w.records)]
    assert measured == [1, 3, 5, 7, 9, 11]
    week = plan.weeks[0]
    distance = [r for r in week.records if r.kind == "distance_cm"]
    assert [r.side for r in distance] == ["left", "right"]  # the other foot, to compare
    assert all(r.days == (True,) + (False,) * 6 for r in distance)


# --- evidence and references ------------------------------------------------------------------


def test_cards_carry_a_plain_evidence_line_and_the_plan_an_appendix(library):
    from handouts import text

    plan = make_plan(library, include=sorted(library.exercises))
    assert exercise(plan, "plantar-fascia-stretch-seated").evidence_line == (
        "Hoe zeker is dit? Redelijk bewijs."
    )
    english = make_plan(library, language="en")
    assert exercise(english, "heel-raise-towel-step").evidence_line == (
        "How sure are we? Limited evidence."
    )
    shorts = [r.short for r in plan.references]
    assert "Rathleff 2015" in shorts and shorts == sorted(set(shorts))
    assert all(r.full != r.short and len(r.full) > 40 for r in plan.references)
    every = {s for e in library.exercises.values() for s in e.evidence.sources}
    every |= {s for t in library.education.values() for s in t.sources}
    assert every <= set(text.full_references())  # every shipped source has its citation
    assert not any("hielspoorinfo" in s or ".nl" in s for s in every)  # no web shop
