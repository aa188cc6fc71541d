"""The words a Dutch, Flemish or English practice types, turned into the tool's own values.

One layer for every input: the patient file, the roster (CSV, Excel, YAML) and the command
line all pass through here before validation, so `naam: Jan`, `voet: Linkervoet`,
`taal: Vlaams`, `grote_letters: ja` and `--lang NL` mean the same everywhere. Keys and words
are matched case-insensitively and without accents. Unknown keys and words pass through
unchanged, so that validation names them with its own "did you mean" hint.

Only the standard library here: the command line imports this module before anything else.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

LANGUAGES = ("nl", "nl-BE", "en")  # the same as models.LANGUAGES (a test checks)
PAPERS = ("a4", "letter")
FEET = ("left", "right", "both")
ID = "id"  # a roster's patient number: not a Patient field, only in file names


def normalise(word: str) -> str:
    """A key as compared: no accents, lower case, '_' between words ("Sessies per dag" ->
    "sessies_per_dag")."""
    ascii_text = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")


# Key (normalised) -> Patient field, or ID. The English field names map to themselves.
KEYS = {
    "name": "name",
    "naam": "name",
    "patient": "name",
    "patientnaam": "name",
    "patient_naam": "name",
    "foot": "foot",
    "voet": "foot",
    "kant": "foot",
    "zijde": "foot",
    "side": "foot",
    "language": "language",
    "taal": "language",
    "lang": "language",
    "programme": "programme",
    "programma": "programme",
    "program": "programme",
    "start": "start",
    "startdatum": "start",
    "start_datum": "start",
    "begindatum": "start",
    "begin": "start",
    "start_date": "start",
    "weeks": "weeks",
    "weken": "weeks",
    "aantal_weken": "weeks",
    "reps": "reps",
    "herhalingen": "reps",
    "repetitions": "reps",
    "sets": "sets",
    "series": "sets",
    "reeksen": "sets",
    "sessions_per_day": "sessions_per_day",
    "sessies_per_dag": "sessions_per_day",
    "keer_per_dag": "sessions_per_day",
    "exercises": "exercises",
    "oefeningen": "exercises",
    "include": "include",
    "extra": "include",
    "toevoegen": "include",
    "exclude": "exclude",
    "weglaten": "exclude",
    "notes": "notes",
    "notities": "notes",
    "notitie": "notes",
    "opmerkingen": "notes",
    "opmerking": "notes",
    "practice": "practice",
    "praktijk": "practice",
    "paper": "paper",
    "papier": "paper",
    "large_print": "large_print",
    "grote_letters": "large_print",
    "groot_lettertype": "large_print",
    "education": "education",
    "uitleg": "education",
    "voorlichting": "education",
    "checklist_weeks": "checklist_weeks",
    "afvinkweken": "checklist_weeks",
    "weken_afvinklijst": "checklist_weeks",
    "address": "address",
    "aanspreekvorm": "address",
    "aanspreking": "address",
    "email": "email",
    "e_mail": "email",
    "emailadres": "email",
    "e_mailadres": "email",
    ID: ID,
    "nummer": ID,
    "nr": ID,
    "number": ID,
    "patientnummer": ID,
    "patient_nummer": ID,
    "patient_id": ID,
    "dossiernummer": ID,
    "dossiernr": ID,
    "patientnr": ID,
    "patient_nr": ID,
    "clientnummer": ID,
    "clientnr": ID,
    "client_id": ID,
}
# Keys of a per-exercise override (patient file `exercises:` / `oefeningen:`).
DOSAGE_KEYS = {
    "herhalingen": "reps",
    "series": "sets",
    "reeksen": "sets",
    "sessies_per_dag": "sessions_per_day",
    "keer_per_dag": "sessions_per_day",
    "vasthouden": "hold_seconds",
    "seconden_vasthouden": "hold_seconds",
    "frequentie": "frequency",
    "rust": "rest_seconds",
    "rust_seconden": "rest_seconds",
}
# Name parts of an export (Voornaam; Tussenvoegsel; Achternaam), joined into the name.
NAME_PARTS = {
    "voornaam": "first",
    "roepnaam": "first",
    "first_name": "first",
    "firstname": "first",
    "given_name": "first",
    "tussenvoegsel": "middle",
    "tussenvoegsels": "middle",
    "achternaam": "last",
    "familienaam": "last",
    "last_name": "last",
    "lastname": "last",
    "surname": "last",
    "family_name": "last",
}

YES = {"ja", "j", "yes", "y", "true", "waar", "x", "1", "aan", "on"}
NO = {"nee", "n", "no", "false", "onwaar", "0", "uit", "off"}
FOOT_WORDS = {
    "left": "left",
    "l": "left",
    "links": "left",
    "linker": "left",
    "linkervoet": "left",
    "left_foot": "left",
    "right": "right",
    "r": "right",
    "rechts": "right",
    "rechter": "right",
    "rechtervoet": "right",
    "right_foot": "right",
    "both": "both",
    "beide": "both",
    "beiden": "both",
    "beide_voeten": "both",
    "both_feet": "both",
    "bilateral": "both",
    "bilateraal": "both",
    "lr": "both",
}
LANGUAGE_WORDS = {
    "nl": "nl",
    "nederlands": "nl",
    "dutch": "nl",
    "nl_nl": "nl",
    "nl_be": "nl-BE",
    "be": "nl-BE",
    "vlaams": "nl-BE",
    "flemish": "nl-BE",
    "belgisch": "nl-BE",
    "en": "en",
    "engels": "en",
    "english": "en",
}
PAPER_WORDS = {"a4": "a4", "letter": "letter", "us_letter": "letter", "brief": "letter"}
FREQUENCY_WORDS = {
    "dagelijks": "daily",
    "elke_dag": "daily",
    "iedere_dag": "daily",
    "daily": "daily",
    "om_de_dag": "every_other_day",
    "every_other_day": "every_other_day",
}


def field(key: str) -> str | None:
    """The Patient field (or ID) a key or column header stands for; None when unknown."""
    return KEYS.get(normalise(key))


def word(value: Any, words: dict[str, str]) -> Any:
    """A typed word as its value (case and accents ignored); anything else unchanged."""
    if isinstance(value, str):
        return words.get(normalise(value), value)
    return value


def yes_no(value: Any) -> Any:
    """ja/nee, yes/no, x … as True/False; anything else unchanged (validation names it)."""
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in YES:
            return True
        if lowered in NO:
            return False
    return value


def language(value: Any) -> Any:
    return word(value, LANGUAGE_WORDS)


def foot(value: Any) -> Any:
    return word(value, FOOT_WORDS)


def paper(value: Any) -> Any:
    return word(value, PAPER_WORDS)


VALUES = {
    "foot": foot,
    "language": language,
    "paper": paper,
    "large_print": yes_no,
    "education": yes_no,
}


def patient_fields(data: dict[Any, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """A patient's keys and values in the tool's own words, and the keys given twice
    (e.g. both `naam` and `name`), as (key, the other key) pairs for an error message."""
    result: dict[str, Any] = {}
    given_as: dict[str, str] = {}
    twice: list[tuple[str, str]] = []
    for key, value in data.items():
        name = field(str(key)) or str(key)
        if name in given_as:
            twice.append((str(key), given_as[name]))
            continue
        given_as[name] = str(key)
        result[name] = value_of(name, value)
    return result, twice


def value_of(name: str, value: Any) -> Any:
    """One field's value in the tool's own words."""
    if name in VALUES:
        return VALUES[name](value)
    if name == "exercises" and isinstance(value, dict):
        return {ex: _dosage(override) for ex, override in value.items()}
    return value


def _dosage(override: Any) -> Any:
    if not isinstance(override, dict):
        return override
    result = {}
    for key, value in override.items():
        name = DOSAGE_KEYS.get(normalise(str(key)), str(key))
        result[name] = word(value, FREQUENCY_WORDS) if name == "frequency" else value
    return result


# Limits on what one patient may say: generous for any real patient, small enough that a
# pasted document or a generated file cannot make the tool work for minutes.
MAX_TEXT = 2_000  # characters of one value (notes are at most 1,200, a name 80)
MAX_ITEMS = 100  # ids in include/exclude, exercises with their own dosage


def size_problems(data: dict[str, Any]) -> list[tuple[str, str]]:
    """(field, message) for each value over the limits, before anything else reads it."""
    problems = []
    for key, value in data.items():
        if isinstance(value, str) and len(value) > MAX_TEXT:
            problems.append((key, f"is {len(value):,} characters; at most {MAX_TEXT:,} fit"))
        elif isinstance(value, list | dict) and len(value) > MAX_ITEMS:
            problems.append((key, f"has {len(value):,} items; at most {MAX_ITEMS} are allowed"))
        elif isinstance(value, list | dict):
            items = value.values() if isinstance(value, dict) else value
            if any(isinstance(i, str) and len(i) > MAX_TEXT for i in items):
                problems.append((key, f"has an item over {MAX_TEXT:,} characters; shorten it"))
    return problems
