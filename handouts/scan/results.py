"""What the returned checklists say, kept between runs in `report/scan.json`. Pure: no OpenCV.

A page's result is one state per box of its geometry: "ticked", "empty" or "unsure", with who
settled it ("scan", "form", or "person" after `handouts scan --review`). From the results and
the registry come the per-pack figures: sessions done against prescribed, pain per day, and
what the pain rule says now. A pain row counts only with exactly one cross per day and side;
two crosses, or a box the scan is unsure of, go to review and never become a guess.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import msgspec

from handouts.deliver import atomic_write
from handouts.errors import InputError
from handouts.scan.geometry import Box, PageRecord, Registry

RESULTS_FILE = "scan.json"
STATES = ("ticked", "empty", "unsure")


class PageResult(msgspec.Struct):
    page_id: str
    source: str
    states: list[str]
    settled_by: list[str]  # per box: scan | form | person

    def to_json(self) -> dict[str, Any]:
        return msgspec.structs.asdict(self)


class Results(msgspec.Struct):
    state_dir: str = "out"
    pages: dict[str, PageResult] = msgspec.field(default_factory=dict)
    problems: list[dict[str, str]] = msgspec.field(default_factory=list)  # source, message

    def save(self, report_dir: Path) -> None:
        report_dir.mkdir(parents=True, exist_ok=True)
        data = {
            "version": 1,
            "state_dir": self.state_dir,
            "pages": [page.to_json() for page in self.pages.values()],
            "problems": self.problems,
        }
        atomic_write(report_dir / RESULTS_FILE, json.dumps(data, indent=1).encode(), sync=False)

    @classmethod
    def load(cls, report_dir: Path) -> Results:
        path = report_dir / RESULTS_FILE
        if not path.is_file():
            return cls()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            pages = {p["page_id"]: PageResult(**p) for p in data["pages"]}
            return cls(str(data["state_dir"]), pages, list(data["problems"]))
        except (ValueError, KeyError, TypeError) as err:
            raise InputError.single(
                str(path), "", f"cannot be read ({err}); remove it and scan the pages again"
            ) from None


# --- per pack -----------------------------------------------------------------------------


class PainDay(msgspec.Struct, frozen=True):
    day: dt.date
    side: str
    kind: str
    exercise_id: str
    score: int | None  # None: no cross, or not settled
    unsure: bool


class Pack(msgspec.Struct):
    pack_id: str
    patient: str
    language: str
    exercise_names: dict[str, str]
    green_max: int
    amber_max: int
    pages: list[tuple[PageRecord, PageResult]] = msgspec.field(default_factory=list)

    def weeks(self) -> list[int]:
        return sorted({record.week for record, _ in self.pages})

    def session_boxes(self) -> list[tuple[int, Box, str]]:
        """(week, box, state) of every session box, by week, day, exercise, side, session."""
        rows = [
            (record.week, box, result.states[index])
            for record, result in self.pages
            for index, box in enumerate(record.geometry.boxes)
            if box.kind == "session"
        ]
        return sorted(
            rows, key=lambda r: (r[0], r[1].day, r[1].exercise_id, r[1].side, r[1].session)
        )

    def sessions(self) -> dict[tuple[str, int], tuple[int, int, int]]:
        """(exercise, week) -> (done, prescribed, unsure)."""
        table: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0, 0])
        for week, box, state in self.session_boxes():
            cell = table[(box.exercise_id, week)]
            cell[1] += 1
            cell[0] += state == "ticked"
            cell[2] += state == "unsure"
        return {key: (v[0], v[1], v[2]) for key, v in table.items()}

    def pain_days(self) -> list[PainDay]:
        groups: dict[tuple[str, str], list[tuple[Box, str]]] = defaultdict(list)
        for record, result in self.pages:
            for index, box in enumerate(record.geometry.boxes):
                if box.kind == "pain":
                    groups[(record.geometry.page_id, box.pain_group())].append(
                        (box, result.states[index])
                    )
        days = []
        for members in groups.values():
            first = members[0][0]
            ticked = [box.score for box, state in members if state == "ticked"]
            unsure = any(state == "unsure" for _, state in members) or len(ticked) > 1
            score = ticked[0] if len(ticked) == 1 and not unsure else None
            days.append(
                PainDay(first.day, first.side, first.pain_kind, first.exercise_id, score, unsure)
            )
        return sorted(days, key=lambda d: (d.day, d.kind, d.side))

    def unsure_count(self) -> int:
        sessions = sum(1 for _, _, state in self.session_boxes() if state == "unsure")
        return sessions + sum(1 for day in self.pain_days() if day.unsure)


def packs(results: Results, registry: Registry) -> tuple[list[Pack], list[str]]:
    """Group the read pages by pack; page ids the registry no longer knows are reported."""
    by_id: dict[str, Pack] = {}
    missing = []
    for page in results.pages.values():
        record = registry.load(page.page_id)
        if record is None or len(record.geometry.boxes) != len(page.states):
            missing.append(page.page_id)
            continue
        pack = by_id.setdefault(
            record.pack_id,
            Pack(
                record.pack_id,
                record.patient,
                record.language,
                dict(record.exercise_names),
                record.pain_green_max,
                record.pain_amber_max,
            ),
        )
        pack.pages.append((record, page))
    for pack in by_id.values():
        pack.pages.sort(key=lambda p: p[0].week)
    return [by_id[k] for k in sorted(by_id)], missing


def adherence_rows(pack: Pack) -> list[dict[str, str]]:
    done = {"ticked": "1", "empty": "0", "unsure": ""}
    return [
        {
            "pack_id": pack.pack_id,
            "week": str(week),
            "date": box.day.isoformat(),
            "exercise_id": box.exercise_id,
            "side": box.side,
            "session": str(box.session),
            "done": done[state],
        }
        for week, box, state in pack.session_boxes()
    ]


def pain_rows(pack: Pack) -> list[dict[str, str]]:
    return [
        {
            "pack_id": pack.pack_id,
            "date": day.day.isoformat(),
            "side": day.side,
            "kind": day.kind,
            "score": "" if day.score is None else str(day.score),
        }
        for day in pack.pain_days()
    ]


# --- the pain rule ------------------------------------------------------------------------


def zone(score: int, green_max: int, amber_max: int) -> str:
    return "green" if score <= green_max else "amber" if score <= amber_max else "red"


def first_steps_by_day(pack: Pack) -> dict[dt.date, int]:
    """The worse foot's first-step score per day (the pain rule follows the worse foot)."""
    worst: dict[dt.date, int] = {}
    for day in pack.pain_days():
        if day.kind == "first_steps" and day.score is not None:
            worst[day.day] = max(worst.get(day.day, 0), day.score)
    return dict(sorted(worst.items()))


def pain_rule_now(pack: Pack) -> tuple[str, str]:
    """(zone, advice key) from the latest first-step scores:
    two red days in a row -> contact; red -> step back; rising week on week -> step back;
    amber -> keep the dose; green -> carry on. ("none", "no_scores") without scores."""
    scores = first_steps_by_day(pack)
    if not scores:
        return "none", "no_scores"
    days = list(scores)
    last = days[-1]
    zones = {d: zone(s, pack.green_max, pack.amber_max) for d, s in scores.items()}
    before = last - dt.timedelta(days=1)
    if zones[last] == "red" and zones.get(before) == "red":
        return "red", "two_red"
    if zones[last] == "red":
        return "red", "red"
    this_week = [s for d, s in scores.items() if last - d < dt.timedelta(days=7)]
    last_week = [
        s for d, s in scores.items() if dt.timedelta(days=7) <= last - d < dt.timedelta(days=14)
    ]
    if this_week and last_week and _mean(this_week) >= _mean(last_week) + 1:
        return zones[last], "rising"
    return zones[last], zones[last]


def _mean(values: list[int]) -> float:
    return sum(values) / len(values)


# --- review ---------------------------------------------------------------------------------


class ReviewItem(msgspec.Struct, frozen=True):
    """One thing a person settles: a session box, or one day's pain row."""

    number: int  # as circled on the review picture
    kind: str  # session | pain
    indices: tuple[int, ...]  # the boxes to circle (all boxes of a pain row for the answer)
    circled: tuple[int, ...]
    what: str


def review_items(record: PageRecord, result: PageResult) -> list[ReviewItem]:
    items: list[ReviewItem] = []
    boxes = record.geometry.boxes
    groups: dict[str, list[int]] = defaultdict(list)
    for index, box in enumerate(boxes):
        if box.kind == "pain":
            groups[box.pain_group()].append(index)
        elif result.states[index] == "unsure":
            name = record.exercise_names.get(box.exercise_id, box.exercise_id)
            side = f", {box.side}" if box.side else ""
            what = f"{box.day.isoformat()} {name}{side}, session {box.session}: ticked?"
            items.append(ReviewItem(len(items) + 1, "session", (index,), (index,), what))
    for members in groups.values():
        states = [result.states[i] for i in members]
        if "unsure" in states or states.count("ticked") > 1:
            first = boxes[members[0]]
            side = f", {first.side}" if first.side else ""
            kind = "first steps" if first.pain_kind == "first_steps" else "during the exercise"
            what = f"{first.day.isoformat()} pain {kind}{side}: which score (0-10, - for none)?"
            circled = tuple(i for i in members if result.states[i] != "empty")
            items.append(ReviewItem(len(items) + 1, "pain", tuple(members), circled, what))
    return items


def settle(record: PageRecord, result: PageResult, item: ReviewItem, answer: str) -> None:
    """Apply a person's answer: "y"/"n" for a session box, a score or "-" for a pain row."""
    if item.kind == "session":
        state = {"y": "ticked", "n": "empty"}[answer]
        for index in item.indices:
            result.states[index] = state
            result.settled_by[index] = "person"
        return
    chosen = None if answer == "-" else int(answer)
    for index in item.indices:
        ticked = record.geometry.boxes[index].score == chosen
        result.states[index] = "ticked" if ticked else "empty"
        result.settled_by[index] = "person"
