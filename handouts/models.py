"""Typed, frozen models of every input file: exercise, programme, practice, patient.

The models are msgspec Structs: their annotations hold bounds (msgspec.Meta), allowed values
(Literal) and checks of their own (validation.Before / After); a check that takes several fields
is the Struct's __post_init__. `validated(Model, data)` builds one from parsed data with every
problem at once (handouts/validation.py). Cross-file checks (a programme naming an unknown
exercise) live in library.py, which knows all files at once.
"""

# No `from __future__ import annotations` here: msgspec and validation.py read the fields'
# annotations as objects instead of evaluating strings (~3 ms of a cold generate).

import datetime as dt
import difflib
import re
from functools import cached_property
from typing import Annotated, Any, Generic, Literal, TypeVar, get_args, get_origin

import msgspec
from msgspec import Meta, field

from handouts import limits, words
from handouts.errors import FORBIDDEN_TEXT, shown
from handouts.regional import (
    ADDRESS_WORDS,
    Address,
    je_words,
    missing_u_form,
    text_variant,
    variant_data,
)
from handouts.validation import After, Before, Invalid, fields_of, validated

__all__ = ["After", "Before", "Invalid", "fields_of", "validated"]  # re-exported for callers

LANGUAGES = ("nl", "nl-BE", "en")
Language = Literal["nl", "nl-BE", "en"]


def language_tag(language: str) -> str:
    """A PDF's /Lang (BCP 47) for a language: nl is the Dutch of the Netherlands."""
    return {"nl": "nl-NL"}.get(language, language)


Foot = Literal["left", "right", "both"]
Frequency = Literal["daily", "every_other_day"]
Category = Literal["strength", "stretch", "foot-intrinsic", "mobility"]
EvidenceLevel = Literal["high", "moderate", "low", "very-low", "expert-opinion"]
Paper = Literal["a4", "letter"]
# What a checklist asks the patient to write down for an exercise (see plan.Record).
RecordKind = Literal["exercise_pain", "load_kg", "distance_cm"]

# Sane bounds for any dosage: a library entry or a patient file outside them is a typo.
Sets = Annotated[int, Meta(ge=1, le=10)]
Reps = Annotated[int, Meta(ge=1, le=50)]
HoldSeconds = Annotated[int, Meta(ge=1, le=120)]
SessionsPerDay = Annotated[int, Meta(ge=1, le=6)]
RestSeconds = Annotated[int, Meta(ge=0, le=600)]
TempoPart = Annotated[int, Meta(ge=0, le=10)]
Week = Annotated[int, Meta(ge=1, le=104)]

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Id = Annotated[str, Meta(pattern=ID_PATTERN)]
Text = Annotated[str, Meta(min_length=1)]  # a text that must say something
TextList = Annotated[list[str], Meta(min_length=1)]  # at least one text
# yes or no as a patient file or roster types it: true/false, and words.YES / NO (ja, nee, x …)
YesNo = Annotated[bool, Before(words.yes_no)]


class Frozen(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """An input model: immutable, no unknown keys. Each model says kw_only=True (msgspec
    applies it to the fields of the class that says it): built by keyword, as files give them."""


def as_dict(model: msgspec.Struct) -> dict[str, Any]:
    """A model's fields by name (one level: nested models stay models)."""
    return msgspec.structs.asdict(model)


def as_data(model: msgspec.Struct) -> Any:
    """A model as a file writes it: keys as typed (`nl-BE`, `from`), no empty (None) fields."""

    def kept(data: Any) -> Any:
        if isinstance(data, dict):
            return {k: kept(v) for k, v in data.items() if v is not None}
        return [kept(v) for v in data] if isinstance(data, list) else data

    return kept(msgspec.to_builtins(model))


def field_names(model: type[msgspec.Struct]) -> tuple[str, ...]:
    """A model's fields by name, in order."""
    return tuple(f.name for f in fields_of(model))


def field_type(model: type[msgspec.Struct], name: str, *, bare: bool = False) -> Any:
    """A field's annotation, with its bounds and checks (Annotated) or bare: without them."""
    annotation = next(f.type for f in fields_of(model) if f.name == name)
    while bare and get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    return annotation


T = TypeVar("T", bound=msgspec.Struct)


# dict=True: room for the variants made once (cached_property); a frozen Struct has no __dict__
class Texts(Frozen, Generic[T], frozen=True, kw_only=True, dict=True):
    """A text block per variant: nl and en complete; the others optional, only what differs.

    `get(variant)` resolves a variant key (see handouts/regional.py): nl-BE is the Dutch text
    with Flemish words and the fields of the `nl-BE` block; nl-u is the Dutch text with the
    fields of the `nl-u` block (the formal u-form); nl-BE-u is the Flemish u-form. A u-form
    that still addresses the reader with je is an error, never a silent je-form.
    """

    nl: T
    en: T
    nl_BE: dict[str, Any] | None = field(default=None, name="nl-BE")
    nl_u: dict[str, Any] | None = field(default=None, name="nl-u")
    nl_BE_u: dict[str, Any] | None = field(default=None, name="nl-BE-u")

    def __post_init__(self) -> None:  # the variant blocks fit
        for variant, block in self.blocks.items():
            if not block:
                continue
            try:
                validated(type(self.nl), self._data(variant))
            except Invalid as err:
                first = err.errors[0]
                raise ValueError(f"{variant}.{first.field}: {first.message}") from None
            if variant.endswith("-u"):
                for field_name, value in block.items():
                    found = je_words(value)
                    if found:
                        raise ValueError(
                            f"{variant}.{field_name}: the u-form says {found[0]!r}; "
                            "write it with u and uw"
                        )

    @property
    def blocks(self) -> dict[str, dict[str, Any] | None]:
        """The variant blocks as written, by variant key."""
        return {"nl-BE": self.nl_BE, "nl-u": self.nl_u, "nl-BE-u": self.nl_BE_u}

    @property
    def offers_u_form(self) -> bool:
        """True when the text has a u-form block, or needs none (no je-words at all)."""
        return bool(self.nl_u or self.nl_BE_u) or not (
            je_words(as_dict(self.nl)) or je_words(self.nl_BE or {})
        )

    def _data(self, variant: str) -> dict[str, Any]:
        return variant_data(variant, as_dict(self.nl), as_dict(self.en), self.blocks)

    @cached_property
    def _variants(self) -> dict[str, T]:  # made once per text: every patient asks for them
        return {"nl": self.nl, "en": self.en}

    def u_form_gaps(self, variant: str) -> list[str]:
        """Fields of a u-form variant that would still say je: they need a u-form field."""
        return missing_u_form(variant, self._data(variant), self.blocks)

    def get(self, variant: str) -> T:
        """The text in one variant: nl, nl-u, nl-BE, nl-BE-u or en.

        Raises MissingUForm when a u-form variant would still address the reader with je."""
        made = self._variants.get(variant)
        if made is not None:
            return made
        data = self._data(variant)  # raises for an unknown variant
        gaps = missing_u_form(variant, data, self.blocks)
        if gaps:
            raise MissingUForm(variant, gaps)
        made = self._variants[variant] = validated(type(self.nl), data)
        return made


class MissingUForm(ValueError):
    """A text asked for in the u-form has fields only in the je-form."""

    def __init__(self, variant: str, fields: list[str], where: str | None = None) -> None:
        self.variant = variant
        self.fields = fields
        if where is None:
            where = "an nl-u block" + (
                " (nl-BE-u where the Flemish text differs)" if "BE" in variant else ""
            )
        super().__init__(
            f"no u-form of {', '.join(fields)}; write them in {where}, "
            "or give this patient address: je"
        )


class Dosage(Frozen, frozen=True, kw_only=True):
    """A complete dosage: what the patient does, how often."""

    sets: Sets = 1
    reps: Reps
    hold_seconds: HoldSeconds | None = None
    sessions_per_day: SessionsPerDay = 1
    frequency: Frequency = "daily"
    tempo: tuple[TempoPart, TempoPart, TempoPart] | None = None  # seconds up, hold, down
    rest_seconds: RestSeconds | None = None


class DosageOverride(Frozen, frozen=True, kw_only=True):
    """Part of a dosage; the fields that are set replace those of a less specific level."""

    sets: Sets | None = None
    reps: Reps | None = None
    hold_seconds: HoldSeconds | None = None
    sessions_per_day: SessionsPerDay | None = None
    frequency: Frequency | None = None
    tempo: tuple[TempoPart, TempoPart, TempoPart] | None = None
    rest_seconds: RestSeconds | None = None

    def fields_set(self) -> dict[str, Any]:
        return {k: v for k, v in as_dict(self).items() if k in DOSAGE_FIELDS and v is not None}


DOSAGE_FIELDS = field_names(Dosage)


class ExerciseText(Frozen, frozen=True, kw_only=True):
    name: Text
    short_name: Annotated[str, Meta(min_length=1, max_length=32)]
    purpose: Text
    when: str | None = None
    steps: Annotated[list[str], Meta(min_length=1, max_length=10)]
    cautions: list[str] = []
    progression: str | None = None
    regression: str | None = None


class Evidence(Frozen, frozen=True, kw_only=True):
    level: EvidenceLevel
    sources: TextList


class Exercise(Frozen, frozen=True, kw_only=True):
    id: Id
    category: Category
    sided: bool = True
    equipment: list[str] = []
    evidence: Evidence
    dosage: Dosage
    texts: Texts[ExerciseText]
    # what the checklist asks the patient to write down on the days this exercise is due
    # (exercise_pain, load_kg) or in the weeks it is measured (distance_cm)
    records: list[RecordKind] = []


class PhaseText(Frozen, frozen=True, kw_only=True):
    name: Text
    changes: Text


class PhaseExercise(DosageOverride, frozen=True, kw_only=True):
    note: dict[str, str] = {}
    # done during the rests of that day's every-other-day strength exercise (one session of
    # it): counts towards the day's minutes only where it does not fit in those rests
    in_rests: bool = False


def _ordered(weeks: tuple[int, int]) -> tuple[int, int]:
    if weeks[0] > weeks[1]:
        first, last = weeks
        raise ValueError(f"first week {first} is after last week {last}; write [first, last]")
    return weeks


class Phase(Frozen, frozen=True, kw_only=True):
    weeks: Annotated[tuple[Week, Week], After(_ordered)]
    texts: Texts[PhaseText]
    exercises: Annotated[dict[str, PhaseExercise], Meta(min_length=1)]
    education: list[str] = []  # education topics introduced in this phase, by id

    @property
    def first(self) -> int:
        return self.weeks[0]

    @property
    def last(self) -> int:
        return self.weeks[1]


class ProgrammeText(Frozen, frozen=True, kw_only=True):
    name: Text
    summary: Text


class TopicText(Frozen, frozen=True, kw_only=True):
    """An education topic or the maintenance page: a title, short paragraphs, bullet points."""

    title: Text
    paragraphs: TextList
    points: list[str] = []


class Education(Frozen, frozen=True, kw_only=True):
    id: Id
    sources: list[str] = []
    texts: Texts[TopicText]


class Programme(Frozen, frozen=True, kw_only=True):
    id: Id
    weeks: Week
    texts: Texts[ProgrammeText]
    phases: Annotated[list[Phase], Meta(min_length=1)]
    maintenance: Texts[TopicText] | None = None  # what to keep doing after the last week

    def __post_init__(self) -> None:  # the phases cover the weeks, each once
        covered: dict[int, int] = {}
        for index, phase in enumerate(self.phases, start=1):
            for week in range(phase.first, phase.last + 1):
                if week in covered:
                    raise ValueError(
                        f"week {week} is in phase {covered[week]} and in phase {index}; "
                        "make the week ranges follow each other"
                    )
                covered[week] = index
        gaps = [w for w in range(1, self.weeks + 1) if w not in covered]
        if gaps:
            raise ValueError(f"no phase covers week(s) {_ranges(gaps)}; extend a phase")
        beyond = [w for w in covered if w > self.weeks]
        if beyond:
            raise ValueError(
                f"phases run to week {max(beyond)} but the programme has {self.weeks} weeks"
            )

    def phase_for_week(self, week: int) -> Phase:
        """The phase of a programme week; weeks past the end keep the last phase."""
        for phase in self.phases:
            if phase.first <= week <= phase.last:
                return phase
        return self.phases[-1]


def _ranges(weeks: list[int]) -> str:
    return ", ".join(str(w) for w in weeks)


HEX_COLOUR = r"^#[0-9a-fA-F]{6}$"


class PainRule(Frozen, frozen=True, kw_only=True):
    """Traffic-light thresholds on the 0-10 pain scale (clinical brief §4: 0-2 / 3-5 / 6+)."""

    green_max: Annotated[int, Meta(ge=0, le=8)] = 2
    amber_max: Annotated[int, Meta(ge=1, le=9)] = 5

    def __post_init__(self) -> None:
        if self.green_max >= self.amber_max:
            raise ValueError(
                f"green_max ({self.green_max}) must be below amber_max ({self.amber_max})"
            )

    def zones(self) -> dict[str, tuple[int, int]]:
        return {
            "green": (0, self.green_max),
            "amber": (self.green_max + 1, self.amber_max),
            "red": (self.amber_max + 1, 10),
        }


def check_email(value: str) -> str:
    """An email address checked for syntax only (no DNS look-up), in its normal form."""
    from email_validator import EmailNotValidError, validate_email  # imported when needed

    try:
        return validate_email(value.strip(), check_deliverability=False).normalized
    except EmailNotValidError as err:
        why = str(err).rstrip(".")
        why = why[:1].lower() + why[1:]
        raise ValueError(f"{value!r} is not an email address ({why}); check it") from None


EmailAddress = Annotated[str, Meta(max_length=254, extra_json_schema={"format": "email"})]


class Sender(Frozen, frozen=True, kw_only=True):
    """Who an email is from: a name and an address."""

    name: Annotated[str, Meta(max_length=120)] = ""
    address: Annotated[EmailAddress, After(check_email)]


class Smtp(Frozen, frozen=True, kw_only=True):
    """The practice's outgoing mail server. The password is never in a file: it comes from
    HANDOUTS_SMTP_PASSWORD or the system keyring (`handouts email set-password`)."""

    host: Annotated[str, Meta(min_length=1, max_length=253, pattern=r"^[A-Za-z0-9.:\[\]-]+$")]
    port: Annotated[int, Meta(ge=1, le=65535)] | None = None  # default: 587 starttls, 465 ssl
    security: Literal["starttls", "ssl"] = "starttls"
    username: Annotated[str, Meta(max_length=254)] = ""  # empty: the server needs no login
    sender: Sender | None = field(default=None, name="from")  # default: practice name + email
    reply_to: Annotated[EmailAddress | None, After(check_email)] = None

    @property
    def port_or_default(self) -> int:
        return self.port or (465 if self.security == "ssl" else 587)


def colour_code(value: Any) -> Any:
    """A colour code as typed: quotes (an editor's curly ones too) and a missing # forgiven."""
    if value is None:  # `kleur: #1f5f8b` without quotes: YAML reads a note after #
        raise ValueError('is empty; write the colour code in quotes: "#1f5f8b"')
    code = str(value).strip().strip("\"'“”‘’„")  # an editor's curly quotes, too
    code = code if code.startswith("#") else f"#{code}"
    if not re.fullmatch(HEX_COLOUR, code):
        raise ValueError(
            f"{shown(value)} is not a colour code; write # and six digits or letters "
            'a-f in quotes, e.g. "#1f5f8b"'
        )
    return code


def short_plain_line(limit: int) -> After:
    """A practice's line of contact details: one line (see one_line) of at most limit."""

    def check(value: str) -> str:
        line = one_line(value)
        if len(line) > limit:
            raise ValueError(
                f"is {len(line)} characters long (at most {limit}); shorten it to fit the page"
            )
        return line

    return After(check)


def plain_path(value: str) -> str:
    if len(value) > limits.MAX_PRACTICE_PATH or value != one_line(value):
        raise ValueError("is not a usable path; give a short relative path to the file")
    return value


ContactLine = Annotated[str, short_plain_line(limits.MAX_PRACTICE_FIELD)]
PracticePath = Annotated[str | None, After(plain_path)]


class JsonSchema(msgspec.Struct, frozen=True):
    """What editors should offer for a field (`handouts schemas`), in place of the schema of
    its type: the words and date forms a practice types, not only the internal values."""

    schema: dict[str, Any]

    def __hash__(self) -> int:
        return id(self)


def optional_address(value: Any) -> Any:
    """An empty form of address is not given (the practice's, else je)."""
    return None if value is None or not str(value).strip() else address_word(value)


def address_word(value: Any) -> Any:
    word = ADDRESS_WORDS.get(str(value).strip().lower())
    if word is None:
        raise ValueError(f"{value!r} is not a form of address; use je or u (formeel)")
    return word


class Practice(Frozen, frozen=True, kw_only=True):
    name: Annotated[str, short_plain_line(limits.MAX_PRACTICE_NAME)] = ""
    therapist: ContactLine = ""
    phone: Annotated[str, short_plain_line(limits.MAX_PRACTICE_PHONE)] = ""
    email: ContactLine = ""
    address: ContactLine = ""
    website: ContactLine = ""
    logo: PracticePath = None  # path to a PNG or JPEG, relative to the practice file
    accent_colour: Annotated[str, Before(colour_code), Meta(pattern=HEX_COLOUR)] = "#1f5f8b"
    pain_rule: PainRule = field(default_factory=PainRule)
    library: PracticePath = None  # the practice's own exercises/programmes folder, relative
    smtp: Smtp | None = None  # for `--email send`
    # most minutes a day a plan may ask for one foot; validate and generate warn above it
    daily_minutes_cap: Annotated[int, Meta(ge=5, le=120)] = 20
    # for patients who do not say: the language (a Flemish practice: nl-BE) and the form of
    # address (je, or the formal u)
    language: Annotated[Language | None, Before(words.language)] = None
    address_form: Annotated[
        Address | None, Before(optional_address), JsonSchema({"enum": sorted(ADDRESS_WORDS)})
    ] = None

    def __post_init__(self) -> None:  # who the emails are from is known
        if self.smtp is not None and self.smtp.sender is None:
            if not self.email:
                raise ValueError("smtp: needs a sender; set the practice's email or smtp.from")
            check_email(self.email)

    def sender(self) -> Sender | None:
        """Who the practice's emails are from: smtp.from, else its name and email."""
        if self.smtp is not None and self.smtp.sender is not None:
            return self.smtp.sender
        if self.email:  # in its normal form, as smtp.from is
            return Sender(name=self.name, address=check_email(self.email))
        return None


# Line breaks and tabs in a one-line text (a spreadsheet cell with Alt+Enter) become spaces;
# other control and bidi characters are refused (errors.FORBIDDEN_TEXT).
_WHITESPACE = re.compile(r"[\s\u2028\u2029]+")


def one_line(value: str) -> str:
    """A name or contact line as printed: whitespace runs (line breaks too) become one space;
    a control character (ESC, BEL, …) or a bidi override is refused with a ValueError."""
    line = _WHITESPACE.sub(" ", value).strip()
    refused = FORBIDDEN_TEXT.search(line)
    if refused:
        raise ValueError(
            f"contains an invisible control character ({shown(refused.group(0))}); retype it"
        )
    return line


def weeks_range(text: str) -> tuple[int, int]:
    """ "1-4" or "3" (a range of checklist weeks); anything else: ValueError."""
    parts = text.strip().replace("–", "-").split("-")
    try:
        first, last = (int(parts[0]), int(parts[-1])) if len(parts) <= 2 else (0, 0)
    except ValueError:
        first = last = 0
    if not (1 <= first <= last):
        raise ValueError(f"{text!r} is not a range of weeks; write e.g. 1-4")
    return first, last


TIME_OF_DAY = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
# for editors (the JSON schema): what parse_date reads, month and weekday names checked there
DATE_TEXT = (
    r"([A-Za-z]+\.?,?\s+)?"  # a weekday: "maandag 7-12-2026", "Mon, December 7, 2026"
    + r"((\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.](\d{4}|\d{2}))"
    + TIME_OF_DAY
    + r"|\d{1,2}[-/.\s]+[A-Za-z]+\.?[-/.\s]+(\d{4}|\d{2})"
    + r"|[A-Za-z]+\.?[-/.\s]+\d{1,2},?[-/.\s]+\d{4})"
)

# Month names as a Dutch, Flemish or English practice writes them: whole, or their first
# three letters (also "mrt", "sept"), with or without a full stop.
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("januari", "january", "jan"),
            ("februari", "february", "feb"),
            ("maart", "march", "mrt", "mar", "maa"),
            ("april", "apr"),
            ("mei", "may"),
            ("juni", "june", "jun"),
            ("juli", "july", "jul"),
            ("augustus", "august", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "october", "okt", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
# Weekday names (Monday first) a practice writes before a date, whole or short ("ma",
# "di.", "Mon", "tues"): the date must fall on it, so a typo in the date shows.
WEEKDAY_NAMES = {
    "nl": ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
_WEEKDAY_SHORT = {
    "nl": (("ma",), ("di",), ("wo",), ("do",), ("vr",), ("za",), ("zo",)),
    "en": (("mon",), ("tue", "tues"), ("wed",), ("thu", "thur", "thurs"), ("fri",), ("sat",),
           ("sun",)),
}  # fmt: skip
WEEKDAYS = {  # a typed word, lower case -> (0 for Monday, the language of its names)
    word: (number, language)
    for language, names in WEEKDAY_NAMES.items()
    for number, name in enumerate(names)
    for word in (name.lower(), *_WEEKDAY_SHORT[language][number])
}
_LEADING_WORD = re.compile(r"([^\W\d_]+)\.?,?\s+(.+)")  # "maandag 7-12-2026", "Mon, Dec 7, 2026"


def parse_date(value: Any) -> dt.date:
    """Dates as a therapist types them: 2026-12-07, 07-12-2026, 07/12/2026, 7-12-26,
    7 december 2026 (or 7 dec. 2026, December 7, 2026), each also after its weekday
    (maandag 7-12-2026, ma 7 dec. 2026, Monday, December 7, 2026): the weekday is checked."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    day = _plain_date(text, text)
    if day is not None:
        return day
    named = _LEADING_WORD.fullmatch(text)
    if named:
        word, rest = named.groups()
        day = _plain_date(rest, text)
        if day is not None:
            _check_weekday(word, day, rest)
            return day
    raise ValueError(
        f"{text!r} is not a date; write it as 07-12-2026, 2026-12-07 or 7 december 2026"
    )


def _plain_date(text: str, typed: str) -> dt.date | None:
    """The date text is, without a weekday; None when it is none of the forms; an impossible
    one (31-02-2026): ValueError naming what was typed."""
    words_ = " ".join(re.sub(r"[./-]", " ", text.lower()).split())  # 7-dec-26 as Excel writes
    for pattern, order, against in (
        (r"(\d{4})-(\d{1,2})-(\d{1,2})" + TIME_OF_DAY, "ymd", text),
        (r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})" + TIME_OF_DAY, "dmy", text),
        (r"(\d{1,2}) ([a-z]+) (\d{4}|\d{2})", "dmy", words_),
        (r"([a-z]+) (\d{1,2}),? (\d{4})", "mdy", words_),
    ):
        match = re.fullmatch(pattern, against)
        if not match:
            continue
        parts = dict(zip(order, match.groups(), strict=True))
        month = parts["m"] if parts["m"].isdigit() else MONTHS.get(parts["m"])
        if month is None:
            continue
        year = int(parts["y"]) + (2000 if len(parts["y"]) == 2 else 0)  # 26 is 2026
        try:
            return dt.date(year, int(month), int(parts["d"]))
        except ValueError:
            raise ValueError(f"{typed!r} is not a real date; check day and month") from None
    return None


def _check_weekday(word: str, day: dt.date, date_text: str) -> None:
    """The word before a date must be its weekday (in Dutch or English, whole or short)."""
    named = WEEKDAYS.get(word.lower())
    real = WEEKDAY_NAMES["nl"][day.weekday()]
    if named is None:
        raise ValueError(
            f"{word!r} before the date is not a weekday; write the date alone ({date_text}) "
            f"or with its weekday ({real} {date_text})"
        )
    number, language = named
    if number != day.weekday():
        names = WEEKDAY_NAMES[language]
        raise ValueError(
            f"{date_text} is a {names[day.weekday()]}, not a {names[number]}; check the date"
        )


def foot_word(value: Any) -> Any:
    """left, right or both from the words a practice types; a doubt ("links?") or a typo
    is never taken for a foot."""
    if "?" in str(value):
        raise ValueError(f"{shown(value)} has a question mark; check which foot, then write it")
    typed = words.normalise(str(value))
    word = words.FOOT_WORDS.get(typed)
    if word is None:
        known = [w for w in words.FOOT_WORDS if len(w) > 3]  # words, not L/R/LV
        guess = difflib.get_close_matches(typed, known, n=1, cutoff=0.75)
        if guess:
            raise ValueError(
                f"{shown(value)} is not a foot; did you mean '{guess[0].replace('_', ' ')}'? "
                "(links, rechts or beide; left, right or both)"
            )
        raise ValueError(
            f"{shown(value)} is not a foot; use left, right or both (links, rechts, beide)"
        )
    return word


def start_date(value: Any) -> Any:
    if value is None:
        return None
    start = parse_date(value)
    if not limits.EARLIEST_START <= start <= limits.LATEST_START:
        raise ValueError(
            f"{start.isoformat()} is not a plausible start date; give one between "
            f"{limits.EARLIEST_START.year} and {limits.LATEST_START.year}, e.g. 2026-12-07"
        )
    return start


def optional_email(value: Any) -> Any:
    if value is None or not str(value).strip():
        return None
    return check_email(str(value))


def checklist_range(value: Any) -> Any:
    if value is None or not str(value).strip():
        return None
    if isinstance(value, (dt.date, float)):  # a spreadsheet read "1-4" as a date
        raise ValueError(f"{shown(value)} is not a range of weeks; type it as text, e.g. 1-4")
    first, last = weeks_range(str(value))
    return f"{first}-{last}"


def patient_name(name: str) -> str:
    name = one_line(name)
    if not name:
        raise ValueError("is empty; write the patient's name")
    return name


def plain_notes(notes: str) -> str:
    # line breaks are kept (paragraphs of a note); other control characters are refused
    for line in notes.splitlines():
        one_line(line)
    return notes


FootInput = Annotated[
    Foot,
    Before(foot_word),
    JsonSchema({"enum": sorted(w.replace("_", " ") for w in words.FOOT_WORDS)}),
]
AddressInput = Annotated[Address, Before(address_word), JsonSchema({"enum": sorted(ADDRESS_WORDS)})]
DateInput = Annotated[
    dt.date | None, Before(start_date), JsonSchema({"type": "string", "pattern": f"^{DATE_TEXT}$"})
]
WeeksInput = Annotated[
    str | None,
    Before(checklist_range),
    JsonSchema({"type": "string", "pattern": r"^\d{1,2}(\s*[-–]\s*\d{1,2})?$"}),
]


class Patient(Frozen, frozen=True, kw_only=True):
    name: Annotated[str, Meta(min_length=1, max_length=80), After(patient_name)]
    foot: FootInput
    language: Language | None = None  # default: the practice's, else nl (with_practice)
    programme: str = "combined"
    start: DateInput = None  # default: the coming Monday
    weeks: Annotated[int, Meta(ge=1, le=52)] | None = None  # default: the programme's length
    reps: Reps | None = None
    sets: Sets | None = None
    sessions_per_day: SessionsPerDay | None = None
    exercises: dict[str, DosageOverride] = {}  # per-exercise overrides, by exercise id
    include: list[str] = []  # exercise ids added to the programme
    exclude: list[str] = []  # exercise ids left out
    notes: Annotated[str, Meta(max_length=1200), After(plain_notes)] = ""
    practice: str | None = None  # path to a practice profile file
    paper: Paper = "a4"
    large_print: YesNo = False
    # the "good to know" pages: true (in the handout), false (left out), or "separate" (a
    # booklet PDF of their own beside the handout)
    education: Annotated[bool | Literal["separate"], Before(words.yes_no)] = True
    # for `--email`; checked for syntax only
    email: Annotated[EmailAddress | None, Before(optional_email)] = None
    # nl, nl-BE: je or the formal u (en has one form); default: the practice's, else je
    address: Annotated[AddressInput | None, Before(optional_address)] = None
    # only these weeks' checklists ("1-4"), for handing out a few weeks at a time
    checklist_weeks: WeeksInput = None

    @property
    def variant(self) -> str:
        """The key this patient's texts are looked up by: nl, nl-u, nl-BE, nl-BE-u or en."""
        return text_variant(self.lang, self.form)

    @property
    def lang(self) -> Language:
        """The language; a patient without one has had the practice's by with_practice."""
        return self.language or "nl"

    @property
    def form(self) -> Address:
        """The form of address (je, u), as lang."""
        return self.address or "je"

    def with_practice(self, practice: Practice) -> "Patient":
        """The patient with what the practice sets for patients who do not say: its language
        and form of address (a Flemish practice: nl-BE; a formal one: u)."""
        return msgspec.structs.replace(
            self,
            language=self.language or practice.language or "nl",
            address=self.address or practice.address_form or "je",
        )

    def patient_wide(self) -> dict[str, int]:
        """The patient-wide dosage parameters that are set."""
        fields = {"reps": self.reps, "sets": self.sets, "sessions_per_day": self.sessions_per_day}
        return {k: v for k, v in fields.items() if v is not None}
