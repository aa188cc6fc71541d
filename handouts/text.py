"""Words: exercise texts as Jinja templates with side variables, UI strings per language, dates.

Everything returned here is plain text. The PDF layer escapes it before it meets reportlab
markup, so a name like `Anne & <b>Bob</b>` prints literally.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping
from functools import cache, lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Literal

import msgspec

from handouts import cache as stored
from handouts import limits
from handouts.errors import InputError, shown
from handouts.files import parse_shipped_yaml
from handouts.models import Dosage, MissingUForm
from handouts.regional import missing_u_form, u_form_drift, variant_data

if TYPE_CHECKING:  # jinja2 is imported when a text is checked or rendered anew
    import jinja2
    import jinja2.nodes

Side = Literal["left", "right"]

# Body parts the texts may name through a side variable, per language.
_BODY_PARTS = {
    "nl": {
        "foot": "voet",
        "leg": "been",
        "knee": "knie",
        "hand": "hand",
        "heel": "hiel",
        "calf": "kuit",
    },
    "en": {
        "foot": "foot",
        "leg": "leg",
        "knee": "knee",
        "hand": "hand",
        "heel": "heel",
        "calf": "calf",
    },
}
_SIDE_PREFIX = {
    "nl": {"right": "rechter", "left": "linker"},
    "en": {"right": "right ", "left": "left "},
}
_SIDE_WORD = {"nl": {"right": "rechts", "left": "links"}, "en": {"right": "right", "left": "left"}}

SIDE_VARIABLES = frozenset(
    [part for part in _BODY_PARTS["en"]]
    + [f"other_{part}" for part in _BODY_PARTS["en"]]
    + ["side", "other_side"]
)
# What the plan passes to every library text besides the side words (see plan_variables):
# both_feet is true when both feet are affected ({% if both_feet %} … {% endif %}).
PLAN_VARIABLES = frozenset(["both_feet", "weeks", "strength_days"])
TEXT_VARIABLES = SIDE_VARIABLES | PLAN_VARIABLES
# A programme phase's note also gets that exercise's dosage in that phase (see note_variables).
DOSAGE_VARIABLES = frozenset(["sets", "reps", "hold_seconds", "sessions_per_day", "rest_minutes"])
NOTE_VARIABLES = TEXT_VARIABLES | DOSAGE_VARIABLES

# A template's variables: side words are strings, both_feet a real bool (the string "False"
# would be true in Jinja), numbers numbers.
Variables = Mapping[str, str | int | float | bool]

# A side written literally instead of through a variable. "rechtop" (upright) is fine.
_LITERAL_SIDE = {
    "nl": re.compile(r"\b(rechter\w*|linker\w*|rechts|links)\b", re.IGNORECASE),
    "en": re.compile(r"\b(right|left)\b", re.IGNORECASE),
}


def base_language(language: str) -> str:
    """nl-BE -> nl: the language whose body-part words and checks apply."""
    return language.split("-")[0]


def other(side: Side) -> Side:
    return "left" if side == "right" else "right"


def side_variables(language: str, side: Side, both_feet: bool = False) -> dict[str, str | bool]:
    lang = base_language(language)
    parts, prefix, word = _BODY_PARTS[lang], _SIDE_PREFIX[lang], _SIDE_WORD[lang]
    variables: dict[str, str | bool] = {
        "side": word[side],
        "other_side": word[other(side)],
        "both_feet": both_feet,
    }
    for key, part in parts.items():
        variables[key] = prefix[side] + part
        variables[f"other_{key}"] = prefix[other(side)] + part
    return variables


def plan_variables(
    language: str, side: Side, *, both_feet: bool, weeks: int, strength_days: bool
) -> dict[str, str | int | bool]:
    """Everything a library text may use: the side words for `side`, and
    both_feet (the patient does the exercise with each foot: leave out "compare with your
    other foot"), weeks (the length of this patient's plan), strength_days (the plan has
    every-other-day strength work: "on days with the strength exercise" makes sense)."""
    variables: dict[str, str | int | bool] = dict(side_variables(language, side))
    variables |= {"both_feet": both_feet, "weeks": weeks, "strength_days": strength_days}
    return variables


def note_variables(base: Variables, dosage: Dosage) -> dict[str, str | int | float | bool]:
    """A phase note's variables: the text variables plus the dosage of that exercise in that
    phase, so that "Are {{ reps }} easy?" always quotes the number the patient does."""
    rest = dosage.rest_seconds or 0
    variables: dict[str, str | int | float | bool] = dict(base)
    return variables | {
        "sets": dosage.sets,
        "reps": dosage.reps,
        "hold_seconds": dosage.hold_seconds or 0,
        "sessions_per_day": dosage.sessions_per_day,
        "rest_minutes": rest // 60 if rest % 60 == 0 else round(rest / 60, 1),
    }


# --- library texts: a tiny, sandboxed template language -------------------------------------
# A library text may come from a downloaded exercise pack, so it gets exactly what the format
# documents and nothing else: {{ name }} of an allowed variable, and {% if name %} /
# {% if not name %} with {% elif %}, {% else %}, {% endif %}. No filters, attributes, items,
# calls, loops, literals, arithmetic, set, macros, includes or imports. Two layers: every
# text's syntax tree is checked against that list when the library is loaded (and by
# `validate`), and rendering runs in a sandbox that could not call or look up anything even
# if a text slipped past the check.


@cache
def _env() -> jinja2.Environment:
    """The sandbox every library text is parsed and rendered in (made when first needed)."""
    import jinja2
    import jinja2.exceptions
    import jinja2.sandbox

    class Sandbox(jinja2.sandbox.ImmutableSandboxedEnvironment):
        """Jinja's immutable sandbox, tightened: no attribute, item or call, no operator."""

        intercepted_binops = frozenset(["+", "-", "*", "/", "//", "%", "**"])
        intercepted_unops = frozenset(["+", "-"])

        def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
            return False

        def is_safe_callable(self, obj: Any) -> bool:
            return False

        def getitem(self, obj: Any, argument: Any) -> Any:
            raise jinja2.exceptions.SecurityError("library texts cannot look anything up")

        def getattr(self, obj: Any, attribute: str) -> Any:
            raise jinja2.exceptions.SecurityError("library texts cannot look anything up")

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            raise jinja2.exceptions.SecurityError("library texts cannot calculate")

        def call_unop(self, context: Any, operator: str, arg: Any) -> Any:
            raise jinja2.exceptions.SecurityError("library texts cannot calculate")

    env = Sandbox(
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # output is plain text; the PDF layer escapes it
        keep_trailing_newline=False,
    )
    env.filters.clear()  # no |upper, |format, |attr …
    env.tests.clear()
    env.globals.clear()  # no range, dict, lipsum, cycler, joiner, namespace
    return env


def __getattr__(name: str) -> Any:
    if name == "_ENV":  # the sandbox, as tests reach it
        return _env()
    raise AttributeError(name)


class TemplateRefused(ValueError):
    """A library text that uses more than the template format allows."""


# what a construct is called in a message, by Jinja node type
_NODE_WORDS = {
    "Filter": "a filter (|…)",
    "Test": "a test (is …)",
    "Getattr": "attribute access (.)",
    "Getitem": "item access ([…])",
    "Slice": "item access ([…])",
    "Call": "a call (…())",
    "For": "a loop ({% for %})",
    "Assign": "{% set %}",
    "AssignBlock": "{% set %}",
    "Macro": "a macro",
    "CallBlock": "{% call %}",
    "FilterBlock": "{% filter %}",
    "Include": "{% include %}",
    "Import": "{% import %}",
    "FromImport": "{% import %}",
    "Extends": "{% extends %}",
    "Block": "{% block %}",
    "With": "{% with %}",
    "Scope": "{% with %}",
    "Const": "a literal value",
    "List": "a literal value",
    "Tuple": "a literal value",
    "Dict": "a literal value",
    "Concat": "joining (~)",
    "CondExpr": "an inline if",
    "Compare": "a comparison",
    "And": "and/or",
    "Or": "and/or",
}
_DEEP_IF = f"{{% if %}} nested more than {limits.MAX_TEMPLATE_NESTING} deep"
_ALLOWED_FORMS = "use only {{ variable }} and {% if variable %} … {% else %} … {% endif %}"


def template_problems(source: str, allowed: frozenset[str]) -> list[str]:
    """What a text uses beyond the template format, one message each (empty: it is fine)."""
    import jinja2
    import jinja2.nodes

    if len(source) > limits.MAX_TEMPLATE_CHARS:
        return [f"is {len(source):,} characters long (at most {limits.MAX_TEMPLATE_CHARS:,})"]
    try:
        tree = _env().parse(source)
    except jinja2.TemplateSyntaxError as err:
        return [f"template error: {err.message}; check the {{{{ }}}} and {{% %}} braces"]
    except RecursionError:
        return ["template nested too deeply; " + _ALLOWED_FORMS]
    refused: list[str] = []
    unknown: set[str] = set()

    def name(node: jinja2.nodes.Node) -> bool:
        if isinstance(node, jinja2.nodes.Name) and node.ctx == "load":
            if node.name not in allowed:
                unknown.add(node.name)
            return True
        return False

    def condition(node: jinja2.nodes.Node) -> None:
        if isinstance(node, jinja2.nodes.Not):
            node = node.node
        if not name(node):
            refuse(node)

    def refuse(node: jinja2.nodes.Node) -> None:
        word = _NODE_WORDS.get(type(node).__name__, f"'{type(node).__name__}'")
        if isinstance(node, jinja2.nodes.BinExpr | jinja2.nodes.UnaryExpr) and word[0] == "'":
            word = "arithmetic"
        if word not in refused:
            refused.append(word)

    def body(nodes: list[jinja2.nodes.Node], depth: int) -> None:
        for node in nodes:
            if isinstance(node, jinja2.nodes.Output):
                for part in node.nodes:
                    if not isinstance(part, jinja2.nodes.TemplateData) and not name(part):
                        refuse(part)
            elif isinstance(node, jinja2.nodes.If) and depth >= limits.MAX_TEMPLATE_NESTING:
                if _DEEP_IF not in refused:
                    refused.append(_DEEP_IF)
            elif isinstance(node, jinja2.nodes.If):
                for branch in (node, *node.elif_):
                    condition(branch.test)
                    body(branch.body, depth + 1)
                body(node.else_, depth + 1)
            else:
                refuse(node)

    body(tree.body, 0)
    problems = [f"uses {word}; {_ALLOWED_FORMS}" for word in refused]
    if unknown and not refused:  # a refused construct explains its names (x in a for loop)
        problems.append(
            f"unknown template variable(s) {', '.join(sorted(unknown))}; "
            f"use {', '.join(sorted(allowed))}"
        )
    return problems


@lru_cache(maxsize=4096)
def _compiled(source: str, allowed: frozenset[str]) -> jinja2.Template:
    """Compiled only after the check: nothing outside the format ever runs."""
    problems = template_problems(source, allowed)
    if problems:
        raise TemplateRefused(problems[0])
    return _env().from_string(source)


def render(source: str, variables: Variables) -> str:
    """A library text with its variables filled in: plain text, at most a bounded size.
    Raises InputError for a text the format does not allow (loading refuses those first)."""
    if "{{" not in source and "{%" not in source and "{#" not in source:
        return source.strip()  # no template syntax: Jinja would give it back unchanged
    return _rendered(source, tuple(sorted(variables.items())))


@lru_cache(maxsize=4096)  # a plan renders the same texts for every patient on that side
def _rendered(source: str, variables: tuple[tuple[str, str | int | float | bool], ...]) -> str:
    key = hashlib.sha256(repr((source, variables)).encode()).hexdigest()[:32]
    known = KEPT_TEXTS.get(key)
    if known is not None:
        return known
    import jinja2

    try:
        template = _compiled(source, frozenset(name for name, _ in variables))
        pieces: list[str] = []
        size = 0
        for piece in template.generate(dict(variables)):
            size += len(piece)
            if size > limits.MAX_RENDERED_CHARS:
                raise TemplateRefused(
                    f"becomes longer than {limits.MAX_RENDERED_CHARS:,} characters"
                )
            pieces.append(piece)
    except (TemplateRefused, jinja2.TemplateError) as err:
        raise InputError.single(
            "library text", _excerpt(source), f"{err}; fix it and run `handouts validate`"
        ) from None
    rendered = "".join(pieces).strip()
    KEPT_TEXTS.put(key, rendered)
    return rendered


# Rendered texts are kept between runs (handouts/cache.py), by a hash of the text and its
# variables, in one file named after the versions of jinja2 and of this module: a cold
# generate then needs no jinja2 (~18 ms) for the texts it rendered before. A text is kept
# only after it passed the checks and rendered in the sandbox. At most 1,000 (~300 KB: read
# in ~2 ms). A batch's forked workers end without saving: the main process keeps its own.
KEPT_TEXTS = stored.Strings("texts", ("handouts.text", "jinja2", "markupsafe"), limit=1000)


def _excerpt(source: str) -> str:
    return repr(source[:40] + ("…" if len(source) > 40 else ""))


def check_template(
    source: str, language: str, allowed: frozenset[str] = TEXT_VARIABLES
) -> list[str]:
    """Problems with one library text: syntax, constructs beyond the format, unknown
    variables, sides written literally. `allowed`: the variables this text may use."""
    problems = template_problems(source, allowed)
    if base_language(language) not in _LITERAL_SIDE:
        return [*problems, f"unknown language {shown(language)}; use nl, nl-BE or en"]
    literal = _LITERAL_SIDE[base_language(language)].search(_without_expressions(source))
    if literal:
        problems.append(
            f"names a side literally ({literal.group(0)!r}); "
            "use a side variable such as {{ foot }} or {{ other_hand }}"
        )
    return problems


def _without_expressions(source: str) -> str:
    return re.sub(r"\{\{.*?\}\}|\{%.*?%\}", " ", source)


# --- UI strings -----------------------------------------------------------------------------


class Strings:
    """The fixed words of the handout and checklist in one language."""

    def __init__(self, language: str, table: dict[str, Any]) -> None:
        self.language = language
        self._table = table

    def __getitem__(self, key: str) -> Any:
        return self._table[key]

    def fmt(self, key: str, **values: Any) -> str:
        return str(self._table[key]).format(**values)


def _locale_file(name: str) -> dict[str, Any]:
    source = resources.files("handouts").joinpath("locales", f"{name}.yaml").read_text("utf-8")
    return dict(parse_shipped_yaml(source, f"locales/{name}.yaml") or {})


def _locale_blocks() -> dict[str, dict[str, Any] | None]:
    return {name: _locale_file(name) for name in ("nl-BE", "nl-u", "nl-BE-u")}


def locale_drift() -> list[tuple[str, str]]:
    """(file.key, why) for u-form locale keys that no longer match nl.yaml (regional.drift)."""
    return u_form_drift(_locale_file("nl"), _locale_blocks())


@cache
def strings(variant: str) -> Strings:
    """The UI words in one text variant (nl, nl-u, nl-BE, nl-BE-u, en; see regional.py).

    A locale file holds only what differs from nl.yaml (nl-BE.yaml, nl-u.yaml, nl-BE-u.yaml);
    nested keys merge key by key. A u-form that still says je raises MissingUForm."""
    blocks = _locale_blocks()
    table = variant_data(variant, _locale_file("nl"), _locale_file("en"), blocks)
    gaps = missing_u_form(variant, table, blocks)
    if gaps:
        raise MissingUForm(variant, gaps, where=f"locales/{variant}.yaml")
    return Strings(variant, table)


@cache
def full_references() -> dict[str, str]:
    """Short reference ("Rathleff 2015") -> full citation, for the therapist appendix."""
    source = resources.files("handouts").joinpath("library", "references.yaml").read_text("utf-8")
    found = parse_shipped_yaml(source, "library/references.yaml") or {}
    return {str(k): str(v) for k, v in found.items()}


# --- dates ----------------------------------------------------------------------------------

_BABEL_LOCALE = {"nl": "nl_NL", "en": "en_GB"}


def babel_locale(language: str) -> str:
    return _BABEL_LOCALE.get(language, language.replace("-", "_"))


def format_day(day: dt.date, language: str, pattern: str) -> str:
    """A date with localised names, e.g. pattern 'EEE d MMM' -> 'ma 7 dec'"""
    return _format_day(day, language, pattern)


# Day (Monday first) and month names, wide and abbreviated, as CLDR has them for the languages
# the tool prints (tests/test_text.py compares every pattern the tool uses, over whole years,
# with babel's format_date): a cold generate no longer loads babel and its locale data
# (~15 ms). Any other pattern or language goes to babel.
_NL_NAMES = {
    "EEEE": ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"),
    "EEE": ("ma", "di", "wo", "do", "vr", "za", "zo"),
    "MMMM": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
             "september", "oktober", "november", "december"),
    "MMM": ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
}  # fmt: skip
_EN_NAMES = {
    "EEEE": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "EEE": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "MMMM": ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"),
    "MMM": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec"),
}  # fmt: skip
DATE_NAMES = {"nl": _NL_NAMES, "nl-BE": _NL_NAMES, "en": _EN_NAMES}
_DATE_FIELD = re.compile(r"([A-Za-z])\1*|[^A-Za-z]")  # a run of one letter, or one other
_SIMPLE_FIELDS = frozenset({"EEEE", "EEE", "MMMM", "MMM", "yyyy", "y", "d", " "})


@lru_cache(maxsize=4096)  # a batch prints the same dates again and again
def _format_day(day: dt.date, language: str, pattern: str) -> str:
    names = DATE_NAMES.get(language)
    fields = [match.group(0) for match in _DATE_FIELD.finditer(pattern)]
    if names is None or not _SIMPLE_FIELDS.issuperset(fields):
        from babel.dates import format_date

        return str(format_date(day, pattern, locale=babel_locale(language)))
    parts = []
    for field in fields:
        if field in ("EEEE", "EEE"):
            parts.append(names[field][day.weekday()])
        elif field in ("MMMM", "MMM"):
            parts.append(names[field][day.month - 1])
        else:
            parts.append(
                {"d": str(day.day), "y": str(day.year), "yyyy": f"{day.year:04}", " ": " "}[field]
            )
    return "".join(parts)


# --- dosage in words ------------------------------------------------------------------------


class DosageWords(msgspec.Struct, frozen=True):
    amount: str  # "3 sets van 12 keer"
    frequency: str  # "Om de dag (dag 1, 3, 5 …), 1 keer"
    tempo: str | None
    rest: str | None
    short: str  # one line for a checklist row: "3 × 12 · om de dag · tempo 3-2-3"


def describe_dosage(dosage: Dosage, words: Strings) -> DosageWords:
    w = words["dosage"]
    sets, reps, hold = dosage.sets, dosage.reps, dosage.hold_seconds
    key = ("sets_" if sets > 1 else "") + ("reps_hold" if hold else "reps")
    amount = w[key].format(sets=sets, reps=reps, hold=hold)
    short_key = ("short_sets" if sets > 1 else "short_reps") + ("_hold" if hold else "")
    short = [w[short_key].format(sets=sets, reps=reps, hold=hold)]

    n = dosage.sessions_per_day
    if dosage.frequency == "every_other_day":
        frequency = w["every_other_day"] if n == 1 else w["every_other_day_n"].format(n=n)
        short.append(w["short_every_other_day"])
        if n > 1:
            short.append(w["short_daily"].format(n=n))
    else:
        frequency = w["daily_once"] if n == 1 else w["daily"].format(n=n)
        short.append(w["short_daily"].format(n=n))

    tempo = None
    if dosage.tempo:
        up, still, down = dosage.tempo
        tempo = w["tempo"].format(up=up, hold=still, down=down)
        short.append(w["short_tempo"].format(up=up, hold=still, down=down))
    rest = None
    if dosage.rest_seconds:
        rest = w["rest"].format(rest=_duration(dosage.rest_seconds, w))
    return DosageWords(amount, frequency, tempo, rest, " · ".join(short))


def _duration(seconds: int, w: dict[str, str]) -> str:
    if seconds % 60 == 0:
        minutes = seconds // 60
        return w["minute"] if minutes == 1 else w["minutes"].format(n=minutes)
    return w["seconds"].format(n=seconds)


# --- readability ----------------------------------------------------------------------------

# B1 plain language: short sentences, few long words. Held per text block (one exercise or
# topic in one language), so that a practice's own exercises meet the same bar.
MAX_AVERAGE_SENTENCE_WORDS = 13.0
MAX_SENTENCE_WORDS = 20  # one sentence of more words is hard to follow at B1
MAX_LONG_WORD_SHARE = 0.12  # words of 4 or more syllables
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_VOWEL_GROUPS = re.compile(r"[aeiouyàáâäèéêëìíîïòóôöùúûü]+", re.IGNORECASE)


class Readability(msgspec.Struct, frozen=True):
    sentences: int
    words: int
    average_sentence_words: float
    long_word_share: float
    longest_sentence: str

    def problems(self) -> list[str]:
        found = []
        longest = len(_WORD.findall(self.longest_sentence))
        if longest > MAX_SENTENCE_WORDS:
            found.append(
                f"a sentence of {longest} words (at most {MAX_SENTENCE_WORDS}): "
                f"{self.longest_sentence[:50]!r}…; split it"
            )
        if self.average_sentence_words > MAX_AVERAGE_SENTENCE_WORDS:
            found.append(
                f"sentences average {self.average_sentence_words:.1f} words "
                f"(at most {MAX_AVERAGE_SENTENCE_WORDS:g} for B1); split long sentences"
            )
        if self.long_word_share > MAX_LONG_WORD_SHARE:
            found.append(
                f"{self.long_word_share:.0%} long words of 4+ syllables "
                f"(at most {MAX_LONG_WORD_SHARE:.0%} for B1); use everyday words"
            )
        return found


def syllables(word: str) -> int:
    groups = len(_VOWEL_GROUPS.findall(word))
    if word.lower().endswith("e") and groups > 1 and not word.lower().endswith(("ee", "ie")):
        groups -= 1  # a final silent e (English "stone", Dutch "kuite" is rare): close enough
    return max(groups, 1)


def readability(texts: list[str]) -> Readability:
    """Average sentence length and share of long words over a list of texts."""
    sentences = words = long_words = 0
    longest = ""
    for item in texts:
        plain = re.sub(r"\{\{.*?\}\}", "voet", item)  # a side variable reads as one short word
        plain = re.sub(r"\{%.*?%\}", " ", plain)  # {% if both_feet %} is not read aloud
        for sentence in re.split(r"(?<=[.!?:;])\s+", plain.strip()):
            found = _WORD.findall(sentence)
            if not found:
                continue
            sentences += 1
            words += len(found)
            if len(found) > len(_WORD.findall(longest)):
                longest = sentence
            long_words += sum(1 for w in found if syllables(w) >= 4)
    return Readability(
        sentences=sentences,
        words=words,
        average_sentence_words=words / sentences if sentences else 0.0,
        long_word_share=long_words / words if words else 0.0,
        longest_sentence=longest,
    )
