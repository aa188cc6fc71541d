"""Side variables, template checks and dosage wording."""

from __future__ import annotations

from handouts import text
from handouts.models import Dosage


def test_side_variables_dutch_compounds_and_english_words():
    nl = text.side_variables("nl", "right")
    assert (nl["foot"], nl["other_knee"], nl["hand"], nl["side"]) == (
        "rechtervoet",
        "linkerknie",
        "rechterhand",
        "rechts",
    )
    en = text.side_variables("en", "left")
    assert (en["foot"], en["other_leg"]) == ("left foot", "right leg")


def test_literal_side_is_a_problem_but_variables_are_fine():
    assert text.check_template("Leg je {{ foot }} over je {{ other_knee }}.", "nl") == []
    assert text.check_template("Ga rechtop staan.", "nl") == []  # upright, not a side
    [problem] = text.check_template("Leg je rechtervoet op de trede.", "nl")
    assert "rechtervoet" in problem and "side variable" in problem
    [problem] = text.check_template("Put your left foot forward.", "en")
    assert "'left'" in problem


def test_unknown_variable_and_syntax_error():
    [problem] = text.check_template("Zet je {{ fot }} neer.", "nl")
    assert "fot" in problem and "unknown template variable" in problem
    [problem] = text.check_template("Zet je {{ foot neer.", "nl")
    assert "template error" in problem


def test_rendered_text_keeps_markup_characters_as_text():
    assert text.render("A & <b>{{ foot }}</b>", {"foot": "x"}) == "A & <b>x</b>"


def test_dosage_words_dutch():
    words = text.strings("nl")
    hold = text.describe_dosage(Dosage(reps=10, hold_seconds=10, sessions_per_day=3), words)
    assert hold.amount == "10 keer 10 seconden vasthouden"
    assert hold.frequency == "Elke dag, 3 keer per dag"
    assert hold.short == "10× 10 s · 3× per dag"
    strength = text.describe_dosage(
        Dosage(sets=3, reps=12, tempo=(3, 2, 3), rest_seconds=120, frequency="every_other_day"),
        words,
    )
    assert strength.amount == "3 sets van 12 keer"
    assert strength.frequency.startswith("Om de dag")
    assert strength.rest == "Rust 2 minuten tussen de sets"
    assert strength.short == "3 × 12 · om de dag · tempo 3-2-3"


def test_dates_are_localised():
    import datetime as dt

    day = dt.date(2026, 12, 21)
    assert text.format_day(day, "nl", "EEE d MMM") == "ma 21 dec"
    assert text.format_day(day, "en", "EEE d MMM") == "Mon 21 Dec"


def test_dates_read_as_babel_writes_them_in_every_pattern_the_tool_uses():
    """format_day has the day and month names of nl, nl-BE and en itself (no babel at start);
    they must say what babel (CLDR) says, every day of two years, in every pattern in use."""
    import datetime as dt
    import re
    from pathlib import Path

    from babel.dates import format_date

    package = Path(text.__file__).parent
    code = "".join(p.read_text(encoding="utf-8") for p in package.rglob("*.py"))
    patterns = set(re.findall(r"format_day\([^()]*?\"([^\"]+)\"\)", code))
    assert {"EEE", "d MMM", "EEEE d MMMM y", "EEEE d MMMM yyyy"} <= patterns
    for language, locale in (("nl", "nl_NL"), ("nl-BE", "nl_BE"), ("en", "en_GB")):
        for offset in range(0, 731):
            day = dt.date(2026, 1, 1) + dt.timedelta(days=offset)
            for pattern in patterns:
                expected = format_date(day, pattern, locale=locale)
                assert text.format_day(day, language, pattern) == expected, (language, pattern)
    # other patterns (and languages) are babel's to write
    assert text.format_day(dt.date(2026, 3, 5), "nl", "dd-MM") == "05-03"
    assert text.format_day(dt.date(2026, 3, 5), "de", "EEEE") == "Donnerstag"
