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
from collections.abc import Callable, Mapping
from typing import Any

import msgspec

LANGUAGES = ("nl", "nl-BE", "en")  # the same as models.LANGUAGES (a test checks)
PAPERS = ("a4", "letter")
FEET = ("left", "right", "both")
ID = "id"  # a roster's patient number: not a Patient field, only in file names
# How a Dutch roster heads the columns a front desk fills in most (for messages)
DUTCH_HEADERS = {
    "name": "Naam",
    "foot": "Voet",
    "start": "Startdatum",
    "language": "Taal",
    "programme": "Programma",
    "weeks": "Weken",
    "reps": "Herhalingen",
    "sets": "Reeksen",
    "sessions_per_day": "Sessies per dag",
    "notes": "Notities",
}


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
    "start_behandeling": "start",  # as practice software names it
    "begin_behandeling": "start",
    "startdatum_behandeling": "start",
    "aanvang": "start",
    "aanvangsdatum": "start",
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
# Roster headers holding one of these words are left out with a notice, never printed: in
# practice software's exports "Opmerking(en)" are remarks for the practice (a diagnosis, "start
# was already in October"); a note for the patient goes in a column named Notities.
REMARKS_WORDS = frozenset(
    {"opmerking", "opmerkingen", "remark", "remarks", "comment", "comments", "memo", "intern"}
)
# The first word of a row an export adds below the patients ("Totaal: 9 patiënten").
TOTALS_WORDS = frozenset(
    {"totaal", "totalen", "total", "totals", "subtotaal", "subtotal", "aantal", "som", "sum"}
)
# What an export writes in a cell it means to leave empty.
PLACEHOLDERS = frozenset(
    {
        "-",
        "--",
        "---",
        "–",
        "—",
        "/",
        "?",
        "nvt",
        "n.v.t.",
        "n.v.t",
        "n/a",
        "na",
        "geen",
        "none",
        "onbekend",
        "unknown",
        "null",
    }
)


def is_placeholder(value: object) -> bool:
    """'-', 'geen', 'n.v.t.' …: a cell left empty in so many words."""
    return isinstance(value, str) and value.strip().lower() in PLACEHOLDERS


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
    "li": "left",  # abbreviations practice software and referral letters use
    "lv": "left",
    "linkerhiel": "left",
    "linker_hiel": "left",
    "linkerbeen": "left",
    "right": "right",
    "r": "right",
    "rechts": "right",
    "rechter": "right",
    "rechtervoet": "right",
    "right_foot": "right",
    "re": "right",
    "rv": "right",
    "rechterhiel": "right",
    "rechter_hiel": "right",
    "rechterbeen": "right",
    "both": "both",
    "beide": "both",
    "beiden": "both",
    "beide_voeten": "both",
    "both_feet": "both",
    "bilateral": "both",
    "bilateraal": "both",
    "lr": "both",
    "l_r": "both",
    "links_en_rechts": "both",
    "links_rechts": "both",
    "left_and_right": "both",
    "dubbelzijdig": "both",
    "beiderzijds": "both",
    "bdz": "both",
    "beide_hielen": "both",
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
EDUCATION_WORDS = {"separate": "separate", "apart": "separate", "los": "separate"}
PAPER_WORDS = {"a4": "a4", "letter": "letter", "us_letter": "letter", "brief": "letter"}
FREQUENCY_WORDS = {
    "dagelijks": "daily",
    "elke_dag": "daily",
    "iedere_dag": "daily",
    "daily": "daily",
    "om_de_dag": "every_other_day",
    "every_other_day": "every_other_day",
}


# Key (normalised) -> Practice field, and the keys of its nested blocks. A practice's
# `adres` is its postal address; a patient's `address` is je or u (aanspreekvorm).
PRACTICE_KEYS = {
    "language": "language",  # for patients who do not say theirs
    "taal": "language",
    "address_form": "address_form",
    "aanspreekvorm": "address_form",
    "aanspreking": "address_form",
    "name": "name",
    "naam": "name",
    "praktijk": "name",
    "praktijknaam": "name",
    "praktijk_naam": "name",
    "therapist": "therapist",
    "therapeut": "therapist",
    "behandelaar": "therapist",
    "fysiotherapeut": "therapist",
    "kinesitherapeut": "therapist",
    "phone": "phone",
    "telefoon": "phone",
    "telefoonnummer": "phone",
    "tel": "phone",
    "gsm": "phone",
    "email": "email",
    "e_mail": "email",
    "emailadres": "email",
    "e_mailadres": "email",
    "address": "address",
    "adres": "address",
    "website": "website",
    "site": "website",
    "webadres": "website",
    "webpagina": "website",
    "logo": "logo",
    "accent_colour": "accent_colour",
    "accent_color": "accent_colour",
    "colour": "accent_colour",
    "color": "accent_colour",
    "kleur": "accent_colour",
    "accentkleur": "accent_colour",
    "accent_kleur": "accent_colour",
    "huiskleur": "accent_colour",
    "pain_rule": "pain_rule",
    "pijnregel": "pain_rule",
    "pijn_regel": "pain_rule",
    "pijnstoplicht": "pain_rule",
    "library": "library",
    "bibliotheek": "library",
    "eigen_oefeningen": "library",
    "smtp": "smtp",
    "mailserver": "smtp",
    "e_mailserver": "smtp",
    "daily_minutes_cap": "daily_minutes_cap",
    "minuten_per_dag": "daily_minutes_cap",
    "max_minuten_per_dag": "daily_minutes_cap",
    "maximum_minuten_per_dag": "daily_minutes_cap",
}
PAIN_RULE_KEYS = {
    "green_max": "green_max",
    "groen_max": "green_max",
    "groen_tot": "green_max",
    "amber_max": "amber_max",
    "oranje_max": "amber_max",
    "oranje_tot": "amber_max",
}
SMTP_KEYS = {
    "host": "host",
    "server": "host",
    "port": "port",
    "poort": "port",
    "security": "security",
    "beveiliging": "security",
    "versleuteling": "security",
    "username": "username",
    "gebruikersnaam": "username",
    "gebruiker": "username",
    "from": "from",
    "van": "from",
    "afzender": "from",
    "reply_to": "reply_to",
    "antwoord_naar": "reply_to",
    "antwoordadres": "reply_to",
}
SENDER_KEYS = {
    "name": "name",
    "naam": "name",
    "address": "address",
    "adres": "address",
    "email": "address",
    "e_mail": "address",
    "emailadres": "address",
}
SECURITY_WORDS = {"starttls": "starttls", "ssl": "ssl"}
# Keys only a practice profile has (telefoon, logo, kleur …): a patient has none of them.
PRACTICE_ONLY_KEYS = frozenset(PRACTICE_KEYS) - frozenset(KEYS) - {"address", "adres"}


def field(key: str) -> str | None:
    """The Patient field (or ID) a key or column header stands for; None when unknown."""
    return KEYS.get(normalise(key))


def word(value: Any, words: dict[str, str]) -> Any:
    """A typed word as its value (case and accents ignored); anything else unchanged. A word
    with a question mark ("links?") is a doubt, never a choice: left for validation to name."""
    if isinstance(value, str) and "?" not in value:
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
    "education": lambda value: word(yes_no(value), EDUCATION_WORDS),
}


def _exercises(value: Any) -> Any:
    """Per-exercise overrides: the ids stay, each override's keys in the tool's words."""
    if isinstance(value, dict):
        return {ex: _dosage(override) for ex, override in value.items()}
    return value


class Block(msgspec.Struct, frozen=True):
    """One mapping of an input file: its keys (normalised -> field), the words of its values,
    and the blocks nested in it (a practice's `smtp:`)."""

    keys: dict[str, str]
    values: dict[str, Callable[[Any], Any]] = msgspec.field(default_factory=dict)
    nested: dict[str, Block] = msgspec.field(default_factory=dict)
    dutch: dict[str, str] = msgspec.field(default_factory=dict)  # field -> its Dutch key

    def at(self, path: list[str]) -> Block | None:
        """The block at a path of fields, if it is one."""
        block: Block | None = self
        for part in path:
            block = block.nested.get(part) if block else None
        return block


# Each field as the Dutch starters and the README write it: what a file typed in Dutch is
# told when it has a key the tool does not know.
PATIENT_DUTCH = {
    "name": "naam", "foot": "voet", "language": "taal", "programme": "programma",
    "start": "startdatum", "weeks": "weken", "reps": "herhalingen", "sets": "reeksen",
    "sessions_per_day": "sessies_per_dag", "exercises": "oefeningen", "include": "extra",
    "exclude": "weglaten", "notes": "notities", "practice": "praktijk", "paper": "papier",
    "large_print": "grote_letters", "education": "uitleg", "checklist_weeks": "afvinkweken",
    "address": "aanspreekvorm", "email": "e-mail", ID: "nummer",
}  # fmt: skip
PRACTICE_DUTCH = {
    "language": "taal", "address_form": "aanspreekvorm", "name": "naam",
    "therapist": "therapeut", "phone": "telefoon", "email": "e-mail", "address": "adres",
    "accent_colour": "kleur", "pain_rule": "pijnregel", "library": "bibliotheek",
    "smtp": "mailserver", "daily_minutes_cap": "max_minuten_per_dag", "logo": "logo",
    "website": "website",
}  # fmt: skip
PATIENT = Block(KEYS, {**VALUES, "exercises": _exercises}, dutch=PATIENT_DUTCH)
PRACTICE = Block(
    PRACTICE_KEYS,
    dutch=PRACTICE_DUTCH,
    nested={
        "pain_rule": Block(PAIN_RULE_KEYS),
        "smtp": Block(
            SMTP_KEYS, {"security": lambda v: word(v, SECURITY_WORDS)}, {"from": Block(SENDER_KEYS)}
        ),
    },
)


class Translated(msgspec.Struct):
    """A file's fields in the tool's own words, and how to name them back as typed."""

    fields: dict[str, Any]
    twice: list[tuple[str, str]]  # (key, the other key that says the same), as typed
    typed: dict[str, str]  # a field's dotted path -> the path as typed, where they differ
    unknown: dict[str, str]  # an unknown key's dotted path (as typed) -> a hint

    def as_typed(self, path: str) -> str:
        return as_typed(path, self.typed)


def as_typed(path: str, typed: Mapping[str, str]) -> str:
    """A dotted field path as the file spells it (`foot` -> `voet`, `smtp.host` ->
    `mailserver.server`): the longest leading part that was typed otherwise is replaced."""
    parts = path.split(".")
    for end in range(len(parts), 0, -1):
        head = ".".join(parts[:end])
        if head in typed:
            return ".".join([typed[head], *parts[end:]])
    return path


def in_own_words(data: dict[Any, Any], block: Block) -> Translated:
    """A file's mapping with the keys and words of `block` turned into the tool's own."""
    out = Translated({}, [], {}, {})
    out.fields = _translate(data, block, "", "", out)
    return out


def _translate(
    data: dict[Any, Any], block: Block, at: str, typed_at: str, out: Translated
) -> dict[str, Any]:
    result: dict[str, Any] = {}
    given_as: dict[str, str] = {}
    # a file typed with Dutch keys hears of the Dutch ones when a key is unknown
    dutch = any(block.keys.get(normalise(str(k))) not in (None, normalise(str(k))) for k in data)
    for key, value in data.items():
        typed = str(key)
        known = block.keys.get(normalise(typed))
        name = known or typed
        if name in given_as:
            out.twice.append((typed_at + typed, typed_at + given_as[name]))
            continue
        given_as[name] = typed
        if known is None:
            import difflib  # only for a file with a typo: the command line starts without it

            guess = difflib.get_close_matches(normalise(typed), list(block.keys), n=1)
            out.unknown[typed_at + typed] = (
                f"did you mean '{guess[0]}'?" if guess else f"known fields: {_fields(block, dutch)}"
            )
        elif at + name != typed_at + typed:
            out.typed[at + name] = typed_at + typed
        if name in block.nested and isinstance(value, dict):
            value = _translate(
                value, block.nested[name], f"{at}{name}.", f"{typed_at}{typed}.", out
            )
        elif name in block.values:
            value = block.values[name](value)
        result[name] = value
    return result


def _fields(block: Block, dutch: bool = False) -> str:
    """The fields a block knows, by their own names, or (dutch) as the Dutch starters write
    them."""
    names = dict.fromkeys(block.keys.values())
    return ", ".join(block.dutch.get(f, f) if dutch else f for f in names)


def value_of(name: str, value: Any) -> Any:
    """One patient field's value in the tool's own words."""
    return PATIENT.values[name](value) if name in PATIENT.values else value


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


# Values the starter files (`handouts new`, handouts/starters/) hold for a person or a
# practice to replace: a handout that prints them was made from a file not yet filled in.
STARTER_EXAMPLES: dict[str, dict[str, tuple[tuple[str, ...], str]]] = {
    "Patient": {"name": (("Voornaam Achternaam",), "the patient's name")},
    "Practice": {
        "name": (("Naam van de praktijk",), "your practice's name"),
        "therapist": (
            ("Voornaam Achternaam, fysiotherapeut", "Voornaam Achternaam, kinesitherapeut"),
            "your name and profession",
        ),
        "phone": (("012 34 56 78",), "your practice's phone number"),
        "email": (("info@praktijk.example",), "your practice's e-mail address"),
        "address": (("Straat 1, 1234 AB Plaats",), "your practice's address"),
    },
}
# The starter roster's example rows (id, name), handouts/starters/roster.csv: a row still
# like one prints a handout for nobody, so it is refused until replaced.
STARTER_ROWS = {
    ("voorbeeld-1", "Anne Peeters"),
    ("voorbeeld-2", "Jan Janssens"),
    ("voorbeeld-3", "Sarah Smith"),
}


# "Peeters, Anne"; not "Smith, Jr." or "Henry, III" (a suffix after the comma is no first name)
LAST_COMMA_FIRST = re.compile(r"([^,]+?)\s*,(?!\s*(?:jr|sr|ii|iii|iv)\.?\s*$)\s*([^,]+)", re.I)


def first_name_first(name: str) -> str:
    """ "Peeters, Anne" (as practice software lists patients, and a therapist may type it)
    -> "Anne Peeters", as the handout addresses the patient; any other name as it is. One
    rule for rosters and patient files. (A value longer than any name is left for the size
    check: the pattern's work grows with the square of its length.)"""
    if len(name) > MAX_TEXT:
        return name
    match = LAST_COMMA_FIRST.fullmatch(name.strip())
    return f"{match[2].strip()} {match[1].strip()}" if match else name


def within(path: str, noted: str) -> bool:
    """Whether a model's problem (at a dotted path) is at or under a field that reading the
    file found a mistake in; a dosage key may be named in the tool's words (`hold_seconds`
    for `vasthouden`)."""
    parts, noted_parts = path.split("."), noted.split(".")
    return len(parts) >= len(noted_parts) and all(
        _own_word(a) == _own_word(b) for a, b in zip(parts, noted_parts, strict=False)
    )


def _own_word(key: str) -> str:
    own = normalise(key)
    return field(key) or DOSAGE_KEYS.get(own) or own
