"""The adherence and pain report of one pack: for the therapist, to go through with the patient.

Page 1: sessions done against prescribed, per exercise per week; what the pain rule says now.
Page 2: the first-step pain per day as a chart over the traffic-light bands (both feet apart),
and the pain during the exercise where it was asked. Drawn straight on the canvas.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from handouts.models import language_tag
from handouts.pdf import fonts
from handouts.pdf.common import set_metadata
from handouts.pdf.views import Look, PageFrame
from handouts.scan.results import Pack, pain_rule_now, zone
from handouts.text import format_day

MARGIN = 18 * mm
ZONE_COLOURS = {
    "green": colors.Color(0.80, 0.92, 0.80),
    "amber": colors.Color(0.99, 0.90, 0.72),
    "red": colors.Color(0.97, 0.80, 0.78),
    "none": colors.Color(0.92, 0.92, 0.92),
}
LINE_COLOURS = {"left": colors.Color(0.12, 0.37, 0.55), "right": colors.Color(0.55, 0.2, 0.45)}
TEXT = colors.Color(0.1, 0.1, 0.1)
ACCENT = colors.Color(0.12, 0.37, 0.55)

WORDS = {
    "nl": {
        "title": "Verslag afvinklijsten",
        "sessions": "Oefeningen gedaan (gedaan / gepland)",
        "exercise": "Oefening",
        "week": "Wk",
        "total": "Totaal",
        "rule": "Wat het stoplicht nu zegt",
        "pain": "Pijn bij de eerste stappen, per dag",
        "during": "Pijn tijdens de oefening",
        "unsure": "{n} vakjes nog na te kijken (handouts scan --review); ze tellen nog niet mee.",
        "left": "links",
        "right": "rechts",
        "no_scores": "Nog geen pijnscores ingevuld.",
        "two_red": "Twee rode dagen na elkaar: neem contact op met je {therapist}.",
        "red": "Rood: doe een stap terug (lichter oefenen). Morgen weer rood? Neem contact op.",
        "rising": "De pijn stijgt van week tot week: doe een stap terug en bespreek het.",
        "amber": "Oranje: houd dezelfde belasting. Nog niet zwaarder maken.",
        "green": "Groen: ga door. Zwaarder maken mag alleen bij groen.",
        "therapist": "fysiotherapeut",
        "period": "{first} tot en met {last}",
        "none_read": "Geen pagina's gelezen.",
    },
    "en": {
        "title": "Checklist report",
        "sessions": "Exercises done (done / planned)",
        "exercise": "Exercise",
        "week": "Wk",
        "total": "Total",
        "rule": "What the traffic light says now",
        "pain": "Pain with the first steps, per day",
        "during": "Pain during the exercise",
        "unsure": "{n} boxes still to check (handouts scan --review); they do not count yet.",
        "left": "left",
        "right": "right",
        "no_scores": "No pain scores filled in yet.",
        "two_red": "Two red days in a row: contact your {therapist}.",
        "red": "Red: take one step back (lighter). Red again tomorrow? Contact us.",
        "rising": "Pain is rising week on week: take a step back and talk it through.",
        "amber": "Amber: keep the same load. Do not make it heavier yet.",
        "green": "Green: carry on. Make it heavier only when green.",
        "therapist": "physiotherapist",
        "period": "{first} to {last}",
        "none_read": "No pages read.",
    },
}


def words_for(language: str) -> dict[str, str]:
    words = dict(WORDS["en" if language == "en" else "nl"])
    if language == "nl-BE":
        words["therapist"] = "kinesitherapeut"
    return words


def build_report(pack: Pack) -> bytes:
    fonts.register()
    w = words_for(pack.language)
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=A4, invariant=1, initialFontName=fonts.REGULAR)
    _metadata(c, pack, w["title"])
    c.setFont(fonts.REGULAR, 10)
    width, height = A4
    y = _header(c, pack, w, height)
    y = _sessions_table(c, pack, w, y - 10, width)
    y = _rule_box(c, pack, w, y - 18, width)
    unsure = pack.unsure_count()
    if unsure:
        c.setFont(fonts.REGULAR, 9.5)
        c.setFillColor(TEXT)
        c.drawString(MARGIN, y - 18, w["unsure"].format(n=unsure))
        y -= 18
    if y < 330:
        c.showPage()
        y = height - MARGIN
    _pain_chart(c, pack, w, y - 24, width)
    c.showPage()
    c.save()
    return buffer.getvalue()


def _metadata(c: Canvas, pack: Pack, title: str) -> None:
    """Title, the practice as author, the language; dated the last day of the weeks read
    (the same scans give the same bytes). The patient is named on the page, not here."""
    last_day = max(box.day for record, _ in pack.pages for box in record.geometry.boxes)
    frame = PageFrame(
        look=Look(large_print=False, accent="#1f5f8b"),
        paper=A4,
        title=title,
        author=pack.pages[0][0].practice if pack.pages else "",
        patient_name="",
        practice_line="",
        page_of="",
        lang=language_tag(pack.language),
        made=last_day,
    )
    set_metadata(c, frame)


def _header(c: Canvas, pack: Pack, w: dict[str, str], height: float) -> float:
    y = height - MARGIN
    c.setFillColor(ACCENT)
    c.setFont(fonts.BOLD, 18)
    c.drawString(MARGIN, y - 16, w["title"])
    c.setFillColor(TEXT)
    c.setFont(fonts.BOLD, 12)
    c.drawString(MARGIN, y - 36, pack.patient or pack.pack_id)
    days = [box.day for _, box, _ in pack.session_boxes()] + [d.day for d in pack.pain_days()]
    c.setFont(fonts.REGULAR, 10)
    if days:
        lang = pack.language
        period = w["period"].format(
            first=format_day(min(days), lang, "d MMMM y"),
            last=format_day(max(days), lang, "d MMMM y"),
        )
        c.drawString(MARGIN, y - 52, period)
    return float(y - 62)


def _sessions_table(c: Canvas, pack: Pack, w: dict[str, str], y: float, width: float) -> float:
    table = pack.sessions()
    weeks = pack.weeks()
    exercises = sorted({e for e, _ in table}, key=lambda e: _first_seen(pack, e))
    c.setFont(fonts.BOLD, 12)
    c.setFillColor(ACCENT)
    c.drawString(MARGIN, y - 12, w["sessions"])
    y -= 22
    name_width = 165.0
    col = min(46.0, (width - 2 * MARGIN - name_width - 50) / max(len(weeks), 1))
    row = 20.0
    c.setFillColor(ACCENT)
    c.rect(MARGIN, y - row, width - 2 * MARGIN, row, stroke=0, fill=1)
    c.setFillColor(colors.white)
    c.setFont(fonts.BOLD, 9)
    c.drawString(MARGIN + 4, y - 14, w["exercise"])
    for i, week in enumerate(weeks):
        c.drawCentredString(MARGIN + name_width + (i + 0.5) * col, y - 14, f"{w['week']} {week}")
    total_x = MARGIN + name_width + len(weeks) * col + 25
    c.drawCentredString(total_x, y - 14, w["total"])
    y -= row
    for n, exercise in enumerate(exercises):
        if n % 2:
            c.setFillColor(colors.Color(0.96, 0.96, 0.96))
            c.rect(MARGIN, y - row, width - 2 * MARGIN, row, stroke=0, fill=1)
        c.setFillColor(TEXT)
        c.setFont(fonts.REGULAR, 9)
        name = pack.exercise_names.get(exercise, exercise)
        c.drawString(MARGIN + 4, y - 14, simpleSplit(name, fonts.REGULAR, 9, name_width - 8)[0])
        done_all = planned_all = 0
        for i, week in enumerate(weeks):
            done, planned, _unsure = table.get((exercise, week), (0, 0, 0))
            done_all += done
            planned_all += planned
            cx = MARGIN + name_width + (i + 0.5) * col
            if planned:
                share = done / planned
                tint = "green" if share >= 0.8 else "amber" if share >= 0.5 else "red"
                c.setFillColor(ZONE_COLOURS[tint])
                c.rect(cx - col / 2 + 1.5, y - row + 2, col - 3, row - 4, stroke=0, fill=1)
                c.setFillColor(TEXT)
                c.drawCentredString(cx, y - 14, f"{done}/{planned}")
        c.setFont(fonts.BOLD, 9)
        if planned_all:
            c.drawCentredString(total_x, y - 14, f"{round(100 * done_all / planned_all)} %")
        y -= row
    return y


def _first_seen(pack: Pack, exercise: str) -> int:
    for _record, _result in pack.pages:
        for index, box in enumerate(_record.geometry.boxes):
            if box.exercise_id == exercise:
                return index
    return 0


def _rule_box(c: Canvas, pack: Pack, w: dict[str, str], y: float, width: float) -> float:
    light, key = pain_rule_now(pack)
    text = w[key].format(therapist=w["therapist"])
    c.setFont(fonts.BOLD, 12)
    c.setFillColor(ACCENT)
    c.drawString(MARGIN, y - 12, w["rule"])
    y -= 22
    lines = simpleSplit(text, fonts.BOLD, 11, width - 2 * MARGIN - 40)
    box_height = 14 + len(lines) * 15
    c.setFillColor(ZONE_COLOURS[light])
    c.roundRect(MARGIN, y - box_height, width - 2 * MARGIN, box_height, 5, stroke=0, fill=1)
    c.setFillColor(TEXT)
    c.setFont(fonts.BOLD, 11)
    for i, line in enumerate(lines):
        c.drawString(MARGIN + 12, y - 18 - i * 15, line)
    return float(y - box_height)


def _pain_chart(c: Canvas, pack: Pack, w: dict[str, str], y: float, width: float) -> None:
    days_all = [d for d in pack.pain_days() if d.kind == "first_steps"]
    c.setFont(fonts.BOLD, 12)
    c.setFillColor(ACCENT)
    c.drawString(MARGIN, y - 12, w["pain"])
    y -= 26
    if not days_all:
        c.setFont(fonts.REGULAR, 10)
        c.setFillColor(TEXT)
        c.drawString(MARGIN, y - 12, w["no_scores"])
        return
    first = min(d.day for d in days_all)
    last = max(d.day for d in days_all)
    span = max((last - first).days, 1)
    left, right = MARGIN + 24, width - MARGIN
    chart_h = 190.0
    bottom = y - chart_h
    step = chart_h / 10.5

    def px(day: dt.date) -> float:
        return float(left + 6 + (right - left - 12) * (day - first).days / span)

    def py(score: float) -> float:
        return bottom + (score + 0.25) * step

    for score in range(11):  # the bands
        light = zone(score, pack.green_max, pack.amber_max)
        c.setFillColor(ZONE_COLOURS[light])
        c.rect(left, py(score) - step / 2, right - left, step, stroke=0, fill=1)
        c.setFillColor(TEXT)
        c.setFont(fonts.REGULAR, 8)
        c.drawRightString(left - 5, py(score) - 3, str(score))
    c.setStrokeColor(colors.Color(0.6, 0.6, 0.6))
    c.setLineWidth(0.4)
    day = first - dt.timedelta(days=first.weekday())
    while day <= last:  # a line and a date at each Monday
        if day >= first:
            c.line(px(day), bottom - 2, px(day), py(10) + step / 2)
            c.setFont(fonts.REGULAR, 7.5)
            c.setFillColor(TEXT)
            c.drawCentredString(px(day), bottom - 12, format_day(day, pack.language, "d MMM"))
        day += dt.timedelta(days=7)
    sides = sorted({d.side for d in days_all})
    for side in sides:
        points = [(d.day, d.score) for d in days_all if d.side == side and d.score is not None]
        colour = LINE_COLOURS.get(side, colors.Color(0.15, 0.15, 0.15))
        c.setStrokeColor(colour)
        c.setFillColor(colour)
        c.setLineWidth(1.4)
        for (d1, s1), (d2, s2) in itertools.pairwise(points):
            if (d2 - d1).days == 1:  # join consecutive days only: a gap stays a gap
                c.line(px(d1), py(s1), px(d2), py(s2))
        for d, s in points:
            c.circle(px(d), py(s), 2.6, stroke=0, fill=1)
    if sides != [""]:
        x = left
        for side in sides:
            c.setFillColor(LINE_COLOURS.get(side, TEXT))
            c.circle(x + 3, bottom - 27, 3, stroke=0, fill=1)
            c.setFillColor(TEXT)
            c.setFont(fonts.REGULAR, 9)
            c.drawString(x + 10, bottom - 30, w.get(side, side))
            x += 70
    during = [d for d in pack.pain_days() if d.kind == "during_exercise" and d.score is not None]
    y = bottom - 50
    if during:
        c.setFont(fonts.BOLD, 12)
        c.setFillColor(ACCENT)
        c.drawString(MARGIN, y - 12, w["during"])
        y -= 28
        c.setFont(fonts.REGULAR, 9)
        x = MARGIN
        for pain in during:
            label = format_day(pain.day, pack.language, "EEE d MMM")
            side = f" {w.get(pain.side, '')}" if pain.side else ""
            light = zone(pain.score or 0, pack.green_max, pack.amber_max)
            c.setFillColor(ZONE_COLOURS[light])
            c.roundRect(x, y - 4, 110, 15, 3, stroke=0, fill=1)
            c.setFillColor(TEXT)
            c.drawString(x + 4, y, f"{label}{side}: {pain.score}")
            x += 116
            if x + 110 > width - MARGIN:
                x = MARGIN
                y -= 19
