"""One family of exceptions. Each problem names where it comes from and what to do about it.

The CLI turns them into one line per problem and an exit code; nothing else prints errors.
Every problem is made terminal-safe when it is made (see `clean`), so the same short, escaped
text reaches the terminal and the batch report, whichever code built it.
"""

from __future__ import annotations

import re
import reprlib
import unicodedata

import msgspec

from handouts import limits

# Characters that must never reach a terminal raw: C0/C1 controls (ESC, BEL, backspace, the
# start of OSC sequences), bidi overrides and isolates, zero-width and other format
# characters, line and paragraph separators, lone surrogates.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}

# What input text may never hold (checked where it comes in: models.one_line for names,
# files.read_yaml for every value of a library or profile file): C0/C1 controls other than
# tab and line breaks, bidi marks, overrides and isolates, lone surrogates. On paper they are
# invisible or reorder the text; on a terminal they are commands.
FORBIDDEN_TEXT = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def _escaped(char: str) -> str:
    if char in _NAMED:
        return _NAMED[char]
    if unicodedata.category(char) not in _UNSAFE_CATEGORIES:
        return char
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clean(text: str, limit: int = limits.MAX_MESSAGE_CHARS) -> str:
    """Text safe for one terminal line: unsafe characters escaped as \\x1b, \\u202e …, and
    cut in the middle to at most `limit` characters (the start says what, the end the fix).
    Cleaning clean text changes nothing."""
    if text.isprintable() and len(text) <= limit:
        return text
    pieces = [_escaped(char) for char in text]
    if sum(len(p) for p in pieces) <= limit:
        return "".join(pieces)
    mark = " … "
    budget = limit - len(mark)
    head: list[str] = []
    used = 0
    for piece in pieces:  # the first 60 %
        if used + len(piece) > budget * 3 // 5:
            break
        head.append(piece)
        used += len(piece)
    tail: list[str] = []
    for piece in reversed(pieces[len(head) :]):  # the rest from the end
        if used + len(piece) > budget:
            break
        tail.append(piece)
        used += len(piece)
    return "".join(head) + mark + "".join(reversed(tail))


_SHORT_REPR = reprlib.Repr()  # keyword arguments only from Python 3.12
_SHORT_REPR.maxlevel = 2
_SHORT_REPR.maxdict = _SHORT_REPR.maxlist = _SHORT_REPR.maxtuple = _SHORT_REPR.maxset = 4
_SHORT_REPR.maxstring = _SHORT_REPR.maxother = 60


def shown(value: object, limit: int = 60) -> str:
    """A value as a message quotes it: a repr of bounded work and length (a 10,000-character
    name is data, and a structure from an input file is never printed whole)."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 100:
        return "a number that long"
    text = _SHORT_REPR.repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Problem(msgspec.Struct, frozen=True):
    """One thing wrong with the input: where (file, row, field), what, and the fix."""

    source: str  # a file name, "command line", or "roster.csv row 4"
    field: str  # dotted path inside the source, "" when it is the whole file
    message: str  # what is wrong and what to do, one sentence

    def __post_init__(self) -> None:
        # once, here: every message is terminal-safe and short, wherever it was built
        # (cleaning is idempotent: unpickling, as from a batch worker, runs this again)
        force = msgspec.structs.force_setattr  # the only place a field is set after __init__
        force(self, "source", clean(str(self.source), limits.MAX_SOURCE_CHARS))
        force(self, "field", clean(str(self.field), limits.MAX_FIELD_CHARS))
        force(self, "message", clean(str(self.message), limits.MAX_MESSAGE_CHARS))

    def __str__(self) -> str:
        where = f"{self.source}: {self.field}" if self.field else self.source
        return f"{where}: {self.message}"


class HandoutsError(Exception):
    """Base of every error the tool reports to its user."""

    exit_code = 1


class InputError(HandoutsError):
    """Bad input: a file, a row or an option. Exit code 2; nothing was written."""

    exit_code = 2

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    @classmethod
    def single(cls, source: str, field: str, message: str) -> InputError:
        return cls([Problem(source, field, message)])


class OutputError(HandoutsError):
    """Something failed while producing or writing a PDF. Exit code 1."""

    exit_code = 1


# --- warnings: allowed but unusual (the run goes on) --------------------------------------------
# What a plan finds worth a look (a start far from today, a day over the practice's minutes cap,
# a patient-wide value kept out of a progression) is added here; the CLI prints each as
# "warning: …" on stderr after the command, whatever its outcome.

_WARNINGS: list[Problem] = []


def add_warning(problem: Problem) -> None:
    """A warning found outside validation (a plan that asks a lot of a patient, say)."""
    if problem not in _WARNINGS:
        _WARNINGS.append(problem)


def take_warnings() -> list[Problem]:
    """The warnings so far, once each; the list is emptied."""
    found = list(_WARNINGS)
    _WARNINGS.clear()
    return found
