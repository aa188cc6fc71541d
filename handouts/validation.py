"""Checking parsed input data against the models (msgspec Structs), every problem at once.

msgspec converts a whole value in C but stops at its first problem, and a file should hear of
all of them, each at its own field. So `validated` walks the model's fields itself: each value
is converted on its own (msgspec.convert, lax: "8" is 8), recursing into nested Structs, lists,
tuples and dicts; a Struct is built only when all its fields are good, and its __post_init__
checks what takes several fields (a phase's weeks in order, green below amber).

A field may carry checks of its own in its annotation, run in this order:
- Before(fn): fn(value as given) -> value to convert (a Dutch word, a date as typed);
- the type and its msgspec.Meta bounds;
- After(fn): fn(converted value) -> value kept (skipped for None: "not given").
fn raises ValueError with a message for the user.

msgspec's messages ("Expected `int` >= 1") are put in our words here (_worded); msgspec is
pinned exactly because these forms are relied on, and a test holds every form.
"""

from __future__ import annotations

import difflib
import re
import types
from collections.abc import Callable
from functools import cache
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin

import msgspec

from handouts.errors import shown

S = TypeVar("S", bound=msgspec.Struct)


class Before(msgspec.Struct, frozen=True):
    """A check or translation of a field's value as given, before its type is checked."""

    check: Callable[[Any], Any]


class After(msgspec.Struct, frozen=True):
    """A check or normal form of a field's value once it has its type (not run for None)."""

    check: Callable[[Any], Any]


Loc = tuple[str | int, ...]


class Error(msgspec.Struct, frozen=True):
    """One problem: where in the data (field names, list indexes, dict keys) and what."""

    loc: Loc
    message: str

    @property
    def field(self) -> str:
        return ".".join(str(part) for part in self.loc)


class Invalid(ValueError):
    """Data that does not fit a model: every problem found."""

    def __init__(self, errors: list[Error]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{e.field}: {e.message}".lstrip(": ") for e in errors))


def validated(model: type[S], data: Any) -> S:
    """The model built from parsed data (a YAML mapping); Invalid with every problem."""
    errors: list[Error] = []
    result = _checked(model, data, (), errors)
    if errors:
        raise Invalid(errors)
    return result  # type: ignore[no-any-return]


class _Failed:
    """The value of a field that has problems (noted in errors)."""


FAILED = _Failed()


def _checked(annotation: Any, value: Any, loc: Loc, errors: list[Error]) -> Any:
    """value as the annotation wants it, or FAILED with its problems added to errors.
    A part without Before/After checks is first converted by msgspec alone (in C): only a
    value it refuses is walked, for every problem in our words."""
    if not _has_checks(annotation):
        try:
            return msgspec.convert(value, annotation, strict=False)
        except msgspec.ValidationError:
            pass
    kind, markers = _unpacked(annotation)
    given = value
    for before in (m for m in markers if isinstance(m, Before)):
        try:
            value = before.check(value)
        except ValueError as err:
            errors.append(Error(loc, str(err)))
            return FAILED
    inner = _without_none(kind)
    if value is not None or inner is kind:  # None for an optional field needs no walking
        value = _walked(inner, value, loc, errors)
        if value is FAILED:
            return FAILED
    try:
        value = _convert(value, annotation)
    except msgspec.ValidationError as err:
        errors.append(Error(loc, _worded(str(err), kind, given)))
        return FAILED
    for after in (m for m in markers if isinstance(m, After)):
        if value is None:
            break
        try:
            value = after.check(value)
        except ValueError as err:
            errors.append(Error(loc, str(err)))
            return FAILED
    return value


def _convert(value: Any, annotation: Any) -> Any:
    """msgspec's lax conversion ("8" is 8, 8.0 is 8, "true" is True), and whole numbers as a
    spreadsheet cell or YAML holds them (" 8 ", "08", "1_000")."""
    try:
        return msgspec.convert(value, annotation, strict=False)
    except msgspec.ValidationError as err:
        number = _whole_number(value)
        if number is None:
            raise
        try:
            return msgspec.convert(number, annotation, strict=False)
        except msgspec.ValidationError as again:
            raise (err if "got `int`" in str(again) else again) from None


_WHOLE = re.compile(r"[-+]?\d+(_\d+)*")


def _whole_number(value: Any) -> int | None:
    if isinstance(value, str) and _WHOLE.fullmatch(value.strip()):
        return int(value.strip())
    return None


def _walked(kind: Any, value: Any, loc: Loc, errors: list[Error]) -> Any:
    """A Struct built field by field, a container item by item (each problem noted); any
    other value as it is, for msgspec to convert."""
    origin = get_origin(kind) or kind
    args = get_args(kind)
    if _is_struct(origin) and isinstance(value, dict):
        return _struct(kind, value, loc, errors)
    if origin is list and isinstance(value, list):
        items = [_checked(args[0], item, (*loc, i), errors) for i, item in enumerate(value)]
        return FAILED if _failed(items) else items
    if origin is tuple and isinstance(value, list) and Ellipsis not in args:
        if len(value) > len(args):
            errors.append(Error(loc, _too_many(len(args), value, "tuple")))
            return FAILED
        pairs = enumerate(zip(args, value, strict=False))
        items = [_checked(arg, item, (*loc, i), errors) for i, (arg, item) in pairs]
        missing = range(len(value), len(args))
        errors.extend(Error((*loc, i), "is required; add it") for i in missing)
        return FAILED if _failed(items) or missing else items
    if origin is dict and isinstance(value, dict):
        keys = [_checked(args[0], key, (*loc, key), errors) for key in value]
        items = [_checked(args[1], item, (*loc, key), errors) for key, item in value.items()]
        return FAILED if _failed(keys + items) else dict(zip(keys, items, strict=True))
    return value


def _failed(items: list[Any]) -> bool:
    return any(item is FAILED for item in items)


def _struct(kind: Any, data: dict[Any, Any], loc: Loc, errors: list[Error]) -> Any:
    """A Struct from a mapping: each field checked, then unknown keys, then the Struct built
    (its __post_init__ may still refuse it, as a whole)."""
    fields = fields_of(kind)
    by_key = {f.encode_name: f for f in fields} | {f.name: f for f in fields}  # alias or name
    values: dict[str, Any] = {}
    found = len(errors)
    for f in fields:
        key = f.encode_name if f.encode_name in data else f.name
        if key not in data:
            if f.required:
                errors.append(Error((*loc, f.encode_name), "is required; add it"))
            continue
        values[f.name] = _checked(f.type, data[key], (*loc, f.encode_name), errors)
    known = [f.encode_name for f in fields]
    for key in data:
        if key not in by_key:
            guess = difflib.get_close_matches(str(key), known, n=1)
            hint = f"did you mean '{guess[0]}'?" if guess else f"known fields: {', '.join(known)}"
            errors.append(Error((*loc, key), f"unknown field; {hint}"))
    if len(errors) > found:
        return FAILED
    try:
        return (get_origin(kind) or kind)(**values)
    except ValueError as err:  # from __post_init__
        errors.append(Error(loc, str(err)))
        return FAILED


@cache
def fields_of(kind: Any) -> tuple[msgspec.structs.FieldInfo, ...]:
    """A Struct's fields (msgspec.structs.fields, which resolves the annotations each time)."""
    return msgspec.structs.fields(kind)


def _is_struct(origin: Any) -> bool:
    return isinstance(origin, type) and issubclass(origin, msgspec.Struct)


@cache
def _has_checks(annotation: Any) -> bool:
    """Whether a Before or After is anywhere in the annotation, its Structs' fields included."""
    kind, markers = _unpacked(annotation)
    if markers:
        return True
    origin = get_origin(kind) or kind
    if _is_struct(origin):
        return any(_has_checks(f.type) for f in fields_of(kind))
    return any(_has_checks(arg) for arg in get_args(kind) if arg is not Ellipsis)


@cache
def _unpacked(annotation: Any) -> tuple[Any, tuple[Any, ...]]:
    """(the type without Annotated, its Before/After markers)."""
    if get_origin(annotation) is Annotated:
        kind, *extras = get_args(annotation)
        inner, more = _unpacked(kind)
        return inner, (*more, *(e for e in extras if isinstance(e, Before | After)))
    return annotation, ()


def _without_none(kind: Any) -> Any:
    """X | None -> X (Annotated unwrapped), so that a Struct behind an optional field is walked."""
    args = [a for a in get_args(kind) if a is not type(None)]
    if get_origin(kind) in (Union, types.UnionType) and len(args) == 1:
        return _unpacked(args[0])[0]
    return kind


# --- msgspec's messages in our words ----------------------------------------------------------

_AT = re.compile(r" - at `\$[^`]*`$")  # where in the value; the field's own path says it


def _worded(message: str, kind: Any, given: Any) -> str:
    """A msgspec ValidationError's message as a user reads it: what is wrong and the fix.
    An unforeseen form gets a plain message: never a raw one with `$.path` or backticks."""
    message = _AT.sub("", message)
    choices = _choices(kind)
    if choices:
        return f"{shown(given)} is not allowed; input should be {choices}"
    for form, words in _FORMS:
        match = form.fullmatch(message)
        if match:
            return words(match, given, kind)
    return f"{shown(given)} is not a valid value here; check it"


def _choices(kind: Any) -> str:
    """ "'a', 'b' or 'c'" for a Literal (or bool | Literal) field; "" for any other."""
    members = get_args(kind) if get_origin(kind) in (Union, types.UnionType) else (kind,)
    options: list[str] = []
    literal = False
    for member in (_unpacked(m)[0] for m in members):
        if get_origin(member) is Literal:
            options += [repr(a) for a in get_args(member)]
            literal = True
        elif member is bool:
            options += ["true", "false"]
        elif member is not type(None):
            return ""
    if not literal:
        return ""
    return ", ".join(options[:-1]) + " or " + options[-1] if len(options) > 1 else options[0]


def _too_many(most: int, value: list[Any], kind: str) -> str:
    found = f"not {len(value)} (got {shown(value)})"
    return f"{kind} should have at most {_items(most)} after validation, {found}"


def _items(n: int | str) -> str:
    return f"{n} item" + ("" if str(n) == "1" else "s")


_CONTAINER = {"array": "list", "object": "dictionary"}
_TYPE_WORDS = {
    "str": "a valid string",
    "bool": "a valid boolean",
    "array": "a valid list",
    "object": "a valid dictionary",
}


def _unescaped(pattern: str) -> str:
    """The pattern as the model writes it (msgspec's message shows its repr)."""
    return pattern.replace("\\\\", "\\")


def _wrong_type(match: re.Match[str], given: Any, kind: Any) -> str:
    expected = match[1]
    if expected == "int":
        return f"{shown(given)} is not a whole number; write it in digits"
    words = _TYPE_WORDS.get(expected, "of another kind")
    if expected == "bool" and isinstance(given, str | int | float):
        words += ", unable to interpret input"
    struct = get_origin(kind) or kind
    if expected == "object" and _is_struct(struct):
        words += f" or instance of {struct.__name__}"
    return f"input should be {words} (got {shown(given)})"


def _length(match: re.Match[str], given: Any, kind: Any) -> str:
    what, bound, limit = match[1], match[2], match[3]
    if what == "str":
        if bound == "<=":
            return f"is {len(given):,} characters; at most {limit} fit, shorten it"
        if not given.strip():
            return "is empty; fill it in"
        return f"is too short; write at least {limit} characters"
    container = _CONTAINER[what]
    least = "at least" if bound == ">=" else "at most"
    return (
        f"{container} should have {least} {_items(limit)} after validation, not {len(given)} "
        f"(got {shown(given)})"
    )


# (msgspec's message, as a regular expression; our message from its match and the value given)
_FORMS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str], Any, Any], str]], ...] = (
    (
        re.compile(r"Expected `int` >= (\S+)"),
        lambda m, v, _: f"{shown(v)} is too low; at least {m[1]}",
    ),
    (
        re.compile(r"Expected `int` <= (\S+)"),
        lambda m, v, _: f"{shown(v)} is too high; at most {m[1]}",
    ),
    (re.compile(r"Expected `(str|array|object)` of length (>=|<=) (\d+)"), _length),
    (
        re.compile(r"Expected `str` matching regex '(.*)'"),
        lambda m, v, _: f"string should match pattern '{_unescaped(m[1])}' (got {shown(v)})",
    ),
    (re.compile(r"Expected `(\w+)(?: \| null)?`, got `\w+`"), _wrong_type),
)
