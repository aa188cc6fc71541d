"""How long a day of exercise takes: the estimate the handout tells the patient, and that
`validate` holds against the practice's cap. Pure arithmetic on dosages.

The model (documented in docs/library-format.md, "Minutes a day"):
- a repetition takes its tempo (3-2-3 = 8 s) or, without one, REP_SECONDS;
- a hold takes its hold time plus HOLD_CHANGE_SECONDS to let go and take hold again;
- between sets the dosage's rest, or DEFAULT_REST_SECONDS when it names none;
- every session starts with SETUP_SECONDS to get into position;
- every-other-day work counts on its own days only ("strength days"), and one session of each
  exercise marked `in_rests` for that phase is done in the rests of that day's strength work,
  as far as it fits;
- a sided exercise counts once per foot it is done with.
"""

from __future__ import annotations

from collections.abc import Iterable

import msgspec

from handouts.models import Dosage

REP_SECONDS = 3
HOLD_CHANGE_SECONDS = 2
DEFAULT_REST_SECONDS = 30
SETUP_SECONDS = 10


def rep_seconds(dosage: Dosage) -> int:
    if dosage.tempo:
        return sum(dosage.tempo)
    if dosage.hold_seconds:
        return dosage.hold_seconds + HOLD_CHANGE_SECONDS
    return REP_SECONDS


def rest_seconds(dosage: Dosage) -> int:
    """The rests of one session, between its sets."""
    rest = DEFAULT_REST_SECONDS if dosage.rest_seconds is None else dosage.rest_seconds
    return (dosage.sets - 1) * rest


def session_seconds(dosage: Dosage) -> int:
    return SETUP_SECONDS + dosage.sets * dosage.reps * rep_seconds(dosage) + rest_seconds(dosage)


class Item(msgspec.Struct, frozen=True):
    """One exercise on one kind of day: its dosage, feet it is done with, done in the rests?"""

    exercise_id: str
    dosage: Dosage
    feet: int = 1
    in_rests: bool = False


class DayMinutes(msgspec.Struct, frozen=True):
    """Estimated whole minutes a day. strength_day: on days with every-other-day work
    (None when the phase has none); other_day: the days in between (or every day)."""

    strength_day: int | None
    other_day: int

    @property
    def most(self) -> int:
        return max(self.other_day, self.strength_day or 0)


def day_seconds(items: Iterable[Item], strength_day: bool) -> dict[str, int]:
    """Seconds per exercise on one day; exercises done in the rests count only what does not
    fit in them (spread over those exercises in order)."""
    spent: dict[str, int] = {}
    room = 0
    for item in items:
        if item.dosage.frequency == "every_other_day":
            if strength_day:
                spent[item.exercise_id] = session_seconds(item.dosage) * item.feet
                room += rest_seconds(item.dosage) * item.feet
            continue
        spent[item.exercise_id] = (
            session_seconds(item.dosage) * item.dosage.sessions_per_day * item.feet
        )
    if strength_day:
        for item in items:
            if item.in_rests and item.exercise_id in spent and room > 0:
                fitted = min(room, session_seconds(item.dosage) * item.feet)
                spent[item.exercise_id] -= fitted
                room -= fitted
    return spent


def minutes(seconds: int) -> int:
    """Whole minutes, rounded to the nearest (an estimate: 8 min 20 s is 'about 8')."""
    return (seconds + 30) // 60


def day_minutes(items: Iterable[Item]) -> DayMinutes:
    items = tuple(items)
    has_strength = any(i.dosage.frequency == "every_other_day" for i in items)
    other = minutes(sum(day_seconds(items, strength_day=False).values()))
    strength = minutes(sum(day_seconds(items, strength_day=True).values()))
    return DayMinutes(strength if has_strength else None, other)
