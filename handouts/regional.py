"""Text variants of one language: Flemish wording (nl-BE) and the formal u-form (nl-u, nl-BE-u).

A library text is written once in Dutch, in the "je" form. A variant is one key:

| variant   | made from                                                         |
|-----------|-------------------------------------------------------------------|
| `nl`      | the `nl` block                                                    |
| `nl-u`    | `nl`, with the fields of the `nl-u` block replacing whole fields  |
| `nl-BE`   | flemish(`nl` ∪ `nl-BE`)                                           |
| `nl-BE-u` | flemish(`nl` ∪ `nl-u`) ∪ the `nl-BE` fields without je-words ∪ `nl-BE-u` |
| `en`      | the `en` block (English has one form of address)                  |

flemish() swaps the terms and words Flanders uses instead (TERMS, WORDS); where more than a
word differs, a text writes the field again in its `nl-BE` block. A `nl-BE` field that has no
je-words is already right for nl-BE-u, so it is carried over; one with je-words needs its own
`nl-BE-u` field. A u-form text never falls back to the je-form: `je_words()` finds what is left.
This is deliberate regional wording, not a fallback to another language.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

Address = Literal["je", "u"]
ADDRESSES = ("je", "u")
# what a therapist may type for `address`: the form itself, or the Dutch word for it
ADDRESS_WORDS = {
    "je": "je",
    "jij": "je",
    "informeel": "je",
    "informal": "je",
    "u": "u",
    "formeel": "u",
    "formal": "u",
}
VARIANTS = ("nl", "nl-u", "nl-BE", "nl-BE-u", "en")

# Netherlands -> Flanders terms, also inside compounds (clinical brief, terminology).
# Longest first so that compounds win.
TERMS = {
    "fysiotherapeuten": "kinesitherapeuten",
    "fysiotherapeut": "kinesitherapeut",
    "fysiotherapie": "kinesitherapie",
    "podotherapeuten": "podologen",
    "podotherapeut": "podoloog",
    "inlegzolen": "steunzolen",
    "inlegzool": "steunzool",
}
# Netherlands -> Flanders whole words: the same thing, the word a Flemish reader uses.
# "lopen" is running in Flanders; walking is stappen. Phrasing that differs by more than a
# word (staan -> rechtstaan, pak vast -> neem vast) goes in a text's own nl-BE block.
WORDS = {
    "makkelijk": "gemakkelijk",
    "makkelijker": "gemakkelijker",
    "makkelijkst": "gemakkelijkst",
    "sok": "kous",
    "sokken": "kousen",
    "vloerbedekking": "tapijt",
    "lopen": "stappen",
    "pak melk": "brik melk",
    "om de dag": "om de twee dagen",
}
_PATTERN = re.compile(
    "|".join(
        [re.escape(t) for t in sorted(TERMS, key=len, reverse=True)]
        + [rf"\b{re.escape(w)}\b" for w in sorted(WORDS, key=len, reverse=True)]
    ),
    re.IGNORECASE,
)
_SWAPS = TERMS | WORDS

# The je-form: je, jij, jou, jouw(e), jezelf, and je' in "je'm" (Dutch written as spoken).
_JE_WORDS = re.compile(r"\b(je|jij|jou|jouw|jouwe|jezelf|jij?zelf)\b|\bje'", re.IGNORECASE)


def flemish(text: str) -> str:
    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        flemish_word = _SWAPS[word.lower()]
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


def text_variant(language: str, address: str = "je") -> str:
    """The one key a text is looked up by: nl + u -> nl-u, nl-BE + u -> nl-BE-u, en -> en."""
    if address not in ADDRESSES:
        raise ValueError(f"unknown address {address!r}; use je or u")
    if language == "en" or address == "je":
        return language
    return f"{language}-u"


def je_words(value: Any) -> list[str]:
    """The je-form words in a text (or in every string of nested dicts and lists), in order.
    Template expressions ({{ foot }}) are not words of the text."""
    if isinstance(value, str):
        plain = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", " ", value)
        return [m.group(0) for m in _JE_WORDS.finditer(plain)]
    if isinstance(value, list):
        return [w for v in value for w in je_words(v)]
    if isinstance(value, dict):
        return [w for v in value.values() for w in je_words(v)]
    return []


def without_je_words(block: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of a block that do not address the reader: right in both forms."""
    return {k: v for k, v in block.items() if not je_words(v)}


def merged(base: Mapping[str, Any], *layers: Mapping[str, Any] | None) -> dict[str, Any]:
    """Layers over a base, key by key; a nested dict merges key by key too, anything else
    (a string, a list of steps) is replaced whole."""
    result = dict(base)
    for layer in layers:
        for key, value in (layer or {}).items():
            if isinstance(value, dict) and isinstance(result.get(key), dict):
                result[key] = merged(result[key], value)
            else:
                result[key] = value
    return result


def variant_data(
    variant: str,
    nl: dict[str, Any],
    en: dict[str, Any],
    blocks: Mapping[str, Mapping[str, Any] | None],
) -> dict[str, Any]:
    """A text's data in one variant, from its nl and en data and its variant blocks
    (keys nl-BE, nl-u, nl-BE-u; missing or None where the text has none)."""
    if variant == "en":
        return en
    if variant == "nl":
        return nl
    if variant == "nl-u":
        return merged(nl, blocks.get("nl-u"))
    flemish_nl_be = blocks.get("nl-BE") or {}
    if variant == "nl-BE":
        return flemish_values(merged(nl, flemish_nl_be))  # type: ignore[no-any-return]
    if variant == "nl-BE-u":
        base = flemish_values(merged(nl, blocks.get("nl-u")))
        return merged(base, without_je_words(flemish_nl_be), blocks.get("nl-BE-u"))
    raise ValueError(f"unknown language {variant!r}; use one of {', '.join(VARIANTS)}")


def missing_u_form(
    variant: str, data: Mapping[str, Any], blocks: Mapping[str, Mapping[str, Any] | None]
) -> list[str]:
    """The fields of a u-form variant that still need writing (empty: fine): those that still
    say je, and for nl-BE-u the Flemish fields with je that have no nl-BE-u field (else the
    Flemish wording would silently give way to the Dutch u-form)."""
    if not variant.endswith("-u"):
        return []
    gaps = [key for key, value in data.items() if je_words(value)]
    if variant == "nl-BE-u":
        own = blocks.get("nl-BE-u") or {}
        gaps += [
            key
            for key, value in (blocks.get("nl-BE") or {}).items()
            if je_words(value) and key not in own and key not in gaps
        ]
    return gaps


_NUMBERS = re.compile(r"\d+|\{\w+\}")  # numbers and {placeholders}, in order


def drift(je_form: Any, u_form: Any) -> str | None:
    """Why a u-form field no longer matches the je-form it was written from, or None.

    A u-form is written by hand from the je-form; when the je-form changes later (a red flag
    added, a number changed), the u-form must follow. This catches what a changed text
    usually leaves behind: another number of items, other numbers or {placeholders}."""
    if isinstance(je_form, dict) and isinstance(u_form, dict):
        for key in u_form:
            if key not in je_form:
                return f"{key}: not in the je-form"
            found = drift(je_form[key], u_form[key])
            if found:
                return f"{key}: {found}"
        return None
    if isinstance(je_form, list) and isinstance(u_form, list):
        if len(je_form) != len(u_form):
            return f"{len(u_form)} items, the je-form has {len(je_form)}"
        for number, (je_item, u_item) in enumerate(zip(je_form, u_form, strict=True), start=1):
            found = drift(je_item, u_item)
            if found:
                return f"item {number}: {found}"
        return None
    if isinstance(je_form, str) and isinstance(u_form, str):
        je_numbers, u_numbers = _NUMBERS.findall(je_form), _NUMBERS.findall(u_form)
        if je_numbers != u_numbers:
            theirs, ours = " ".join(je_numbers) or "none", " ".join(u_numbers) or "none"
            return f"numbers {ours}, the je-form has {theirs}"
        return None
    return "another kind of value than the je-form"


def u_form_drift(
    je_forms: Mapping[str, Any], blocks: Mapping[str, Mapping[str, Any] | None]
) -> list[tuple[str, str]]:
    """(field, why) for every u-form field that no longer matches its je-form: nl-u against
    nl, nl-BE-u against the Flemish text (nl ∪ nl-BE)."""
    found = []
    flemish_source = merged(je_forms, blocks.get("nl-BE"))
    for variant, source in (("nl-u", je_forms), ("nl-BE-u", flemish_source)):
        for key, value in (blocks.get(variant) or {}).items():
            why = drift(source.get(key), value) if key in source else "not in the je-form"
            if why:
                found.append((f"{variant}.{key}", why))
    return found
