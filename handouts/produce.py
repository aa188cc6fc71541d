"""One patient from inputs to files: plan, render both PDFs in memory, then write them.

Nothing is written unless both PDFs were built, so bad input never leaves a file behind.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from handouts.deliver import atomic_write, slug
from handouts.errors import InputError, Problem
from handouts.library import Library
from handouts.patients import PatientInput, PracticeInput
from handouts.plan import Plan, resolve
from handouts.text import strings

Kind = Literal["handout", "checklist"]
KINDS: tuple[Kind, ...] = ("handout", "checklist")


@dataclass(frozen=True)
class Produced:
    plan: Plan
    files: dict[Kind, Path]


def make_plan(
    patient: PatientInput, practice: PracticeInput, library: Library, today: dt.date
) -> Plan:
    plan = resolve(patient.patient, library, practice.practice, today=today, source=patient.source)
    _check_printable(plan, patient.source)
    return plan


def render(plan: Plan, practice: PracticeInput, kind: Kind) -> bytes:
    # imported here so that `--help`, `validate` and listing commands skip reportlab
    if kind == "handout":
        from handouts.pdf.handout import build_handout

        return build_handout(plan, practice.logo_path)
    from handouts.pdf.checklist import build_checklist

    return build_checklist(plan)


def output_paths(
    plan: Plan, out_dir: Path, kinds: tuple[Kind, ...], stem: str = ""
) -> dict[Kind, Path]:
    names = strings(plan.language)["output_names"]
    base = stem or slug(plan.patient_name)
    return {kind: out_dir / f"{base}_{names[kind]}.pdf" for kind in kinds}


def produce(
    patient: PatientInput,
    practice: PracticeInput,
    library: Library,
    out_dir: Path,
    *,
    today: dt.date,
    kinds: tuple[Kind, ...] = KINDS,
) -> Produced:
    plan = make_plan(patient, practice, library, today)
    documents = {kind: render(plan, practice, kind) for kind in kinds}
    paths = output_paths(plan, out_dir, kinds)
    for kind, data in documents.items():
        atomic_write(paths[kind], data)
    return Produced(plan, paths)


def _check_printable(plan: Plan, source: str) -> None:
    """A character the font cannot draw would print as a box: refuse it up front."""
    from handouts.pdf.fonts import unprintable

    problems = []
    for field_name, value in (("name", plan.patient_name), ("notes", plan.notes)):
        missing = unprintable(value)
        if missing:
            problems.append(
                Problem(
                    source,
                    field_name,
                    f"contains characters the handout font cannot print ({missing}); "
                    "write them in Latin letters",
                )
            )
    if problems:
        raise InputError(problems)
