"""Flemish (nl-BE) wording: Dutch texts with the terms Flanders uses instead.

A library text is written once in Dutch; for nl-BE the words in TERMS are swapped, keeping
capitals, and a text may override whole fields in an `nl-BE` block where more than a word
differs. This is deliberate regional wording, not a fallback to another language.
"""

from __future__ import annotations

import re
from typing import Any

# Netherlands -> Flanders (clinical brief, terminology). Longest first so that compounds win.
TERMS = {
    "fysiotherapeuten": "kinesitherapeuten",
    "fysiotherapeut": "kinesitherapeut",
    "fysiotherapie": "kinesitherapie",
    "podotherapeuten": "podologen",
    "podotherapeut": "podoloog",
    "inlegzolen": "steunzolen",
    "inlegzool": "steunzool",
}
_PATTERN = re.compile("|".join(sorted(TERMS, key=len, reverse=True)), re.IGNORECASE)


def flemish(text: str) -> str:
    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        flemish_word = TERMS[word.lower()]
        return flemish_word.capitalize() if word[0].isupper() else flemish_word

    return _PATTERN.sub(swap, text)


def flemish_values(value: Any) -> Any:
    """flemish() on every string inside nested dicts and lists."""
    if isinstance(value, str):
        return flemish(value)
    if isinstance(value, list):
        return [flemish_values(v) for v in value]
    if isinstance(value, dict):
        return {k: flemish_values(v) for k, v in value.items()}
    return value
