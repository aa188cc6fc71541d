"""Pieces both PDFs share: escaping, the traffic-light wording, page furniture."""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape

from reportlab.pdfgen.canvas import Canvas

from handouts.plan import Plan
from handouts.text import Strings, format_day, strings


def esc(value: str) -> str:
    """Patient, roster and practice text is data, never markup."""
    return escape(value)


def zone_texts(words: Strings, plan: Plan) -> list[tuple[str, str, str, str]]:
    """(zone, label, rule, action) for green, amber, red, with the practice's thresholds."""
    zones = plan.practice.pain_rule.zones()
    bounds = {
        "green_from": zones["green"][0],
        "green_to": zones["green"][1],
        "amber_from": zones["amber"][0],
        "amber_to": zones["amber"][1],
        "red_from": zones["red"][0],
    }
    labels = words["pain_zones"]
    return [
        (zone, labels[zone]["label"], labels[zone]["rule"].format(**bounds), labels[zone]["action"])
        for zone in ("green", "amber", "red")
    ]


def long_date(plan: Plan, day: dt.date) -> str:
    return format_day(day, plan.language, "d MMMM y")


def footer_left(plan: Plan) -> str:
    return plan.patient_name


def footer_centre(plan: Plan) -> str:
    practice = plan.practice
    words = strings(plan.language)
    parts = [practice.name or words["default_practice"]]
    if practice.phone:
        parts.append(practice.phone)
    return " · ".join(parts)


def set_metadata(canvas: Canvas, plan: Plan, title: str) -> None:
    """Only what the practice chooses: no patient name in the file's metadata."""
    canvas.setTitle(title)
    canvas.setAuthor(plan.practice.name or "")
    canvas.setCreator("handouts")
    canvas.setSubject("")
