"""Reading YAML input files and turning validation failures into clear, one-line problems."""

from __future__ import annotations

import difflib
from pathlib import Path
from types import UnionType
from typing import Any, TypeVar, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

from handouts.errors import InputError, Problem

M = TypeVar("M", bound=BaseModel)


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps dates as text, so that 31-02-2026 or 2026-02-31 gets our own
    clear message instead of a crash inside the YAML parser."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_yaml(text: str, source: str) -> Any:
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else ""
        problem = getattr(err, "problem", None) or "cannot be read"
        raise InputError.single(
            source, where, f"broken YAML ({problem}); check indentation, colons and quotes"
        ) from None


def read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError.single(str(path), "", "file not found; check the path") from None
    except IsADirectoryError:
        raise InputError.single(str(path), "", "is a folder; give a YAML file") from None
    except UnicodeDecodeError:
        raise InputError.single(str(path), "", "is not UTF-8 text; save it as UTF-8") from None
    return parse_yaml(text, str(path))


def validate_model(model: type[M], data: Any, source: str) -> M:
    """Build a model from parsed data; every problem at once, each naming its field."""
    if not isinstance(data, dict):
        raise InputError.single(source, "", "expected a mapping of fields (key: value)")
    try:
        return model.model_validate(data)
    except ValidationError as err:
        raise InputError(problems_from(err, source, model)) from None


def problems_from(err: ValidationError, source: str, model: type[BaseModel]) -> list[Problem]:
    return [_problem(e, source, model) for e in err.errors()]


def _problem(error: Any, source: str, model: type[BaseModel]) -> Problem:
    loc = [str(part) for part in error["loc"]]
    field = ".".join(loc)
    kind = error["type"]
    given = error.get("input")
    if kind == "extra_forbidden":
        known = _known_fields(model, loc[:-1])
        guess = difflib.get_close_matches(loc[-1], known, n=1)
        hint = f"did you mean '{guess[0]}'?" if guess else f"known fields: {', '.join(known)}"
        return Problem(source, field, f"unknown field; {hint}")
    if kind == "missing":
        return Problem(source, field, "is required; add it")
    message = str(error["msg"]).removeprefix("Value error, ")
    if kind in {"value_error", "assertion_error"}:
        return Problem(source, field, message)
    if kind == "literal_error":
        return Problem(
            source, field, f"{given!r} is not allowed; {message[0].lower()}{message[1:]}"
        )
    return Problem(source, field, f"{message[0].lower()}{message[1:]} (got {given!r})")


def _known_fields(model: type[BaseModel], path: list[str]) -> list[str]:
    """Field names of the (nested) model at path, for 'did you mean' hints."""
    current: Any = model
    for part in path:
        current = _unwrap_optional(current)
        if get_origin(current) is dict:  # a dict keyed by id or language: part is a key
            current = get_args(current)[1]
        elif get_origin(current) is list:  # a list: part is an index
            current = get_args(current)[0]
        elif hasattr(current, "model_fields") and part in current.model_fields:
            current = current.model_fields[part].annotation
        else:
            return []
    current = _unwrap_optional(current)
    return list(getattr(current, "model_fields", {}))


def _unwrap_optional(annotation: Any) -> Any:
    """X | None -> X, so that the model behind an optional field is found."""
    args = [a for a in get_args(annotation) if a is not type(None)]
    if get_origin(annotation) in (Union, UnionType) and len(args) == 1:
        return args[0]
    return annotation
