"""The models' validation (handouts/validation.py): every problem of a file at once, each at
its field, in our words. msgspec is pinned exactly: each message form it gives is held here."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

import msgspec
import pytest
from msgspec import Meta

from handouts.models import Patient, Practice, validated
from handouts.validation import After, Before, Invalid


class Inner(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    low: Annotated[int, Meta(ge=1, le=5)] = 1
    tag: Literal["a", "b"] = "a"

    def __post_init__(self) -> None:
        if self.low == 4:
            raise ValueError("four is unlucky")


def _upper(value: Any) -> Any:
    if value == "no":
        raise ValueError("no is refused before")
    return str(value).upper()


def _not_x(value: str) -> str:
    if value == "X":
        raise ValueError("X is refused after")
    return value + "!"


class Model(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    whole: Annotated[int, Meta(ge=1, le=10)] = 1
    name: Annotated[str, Meta(min_length=1, max_length=5)] = "n"
    short: Annotated[str, Meta(min_length=3)] = "abc"
    code: Annotated[str, Meta(pattern=r"^[a-z]+\[1\]$")] = "a[1]"
    items: Annotated[list[str], Meta(min_length=1, max_length=2)] = msgspec.field(
        default_factory=lambda: ["i"]
    )
    mapping: Annotated[dict[str, Inner], Meta(min_length=1)] = msgspec.field(
        default_factory=lambda: {"k": Inner()}
    )
    pair: tuple[int, int] = (1, 2)
    flag: bool = False
    either: bool | Literal["both"] = True
    inner: Inner | None = None
    word: Annotated[str, Before(_upper), After(_not_x)] = "W"
    when: dt.date | None = None


def problems(data: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(Invalid) as err:
        validated(Model, data)
    return [(e.field, e.message) for e in err.value.errors]


def test_msgspec_is_the_version_whose_messages_are_mapped():
    assert msgspec.__version__ == "0.22.0"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"whole": 0}, ("whole", "0 is too low; at least 1")),
        ({"whole": "11"}, ("whole", "'11' is too high; at most 10")),
        ({"whole": "acht"}, ("whole", "'acht' is not a whole number; write it in digits")),
        ({"whole": 2.5}, ("whole", "2.5 is not a whole number; write it in digits")),
        ({"whole": None}, ("whole", "None is not a whole number; write it in digits")),
        ({"name": "abcdef"}, ("name", "is 6 characters; at most 5 fit, shorten it")),
        ({"name": ""}, ("name", "is empty; fill it in")),
        ({"name": 5}, ("name", "input should be a valid string (got 5)")),
        ({"short": "ab"}, ("short", "is too short; write at least 3 characters")),
        ({"whole": 10**30}, ("whole", "1000000000000000000000000000000 is too high; at most 10")),
        ({"code": "A"}, ("code", r"string should match pattern '^[a-z]+\[1\]$' (got 'A')")),
        (
            {"items": []},
            ("items", "list should have at least 1 item after validation, not 0 (got [])"),
        ),
        (
            {"items": ["a", "b", "c"]},
            (
                "items",
                "list should have at most 2 items after validation, not 3 (got ['a', 'b', 'c'])",
            ),
        ),
        ({"items": "a"}, ("items", "input should be a valid list (got 'a')")),
        (
            {"mapping": {}},
            ("mapping", "dictionary should have at least 1 item after validation, not 0 (got {})"),
        ),
        ({"mapping": []}, ("mapping", "input should be a valid dictionary (got [])")),
        ({"mapping": {1: {}}}, ("mapping.1", "input should be a valid string (got 1)")),
        (
            {"mapping": {"k": 3}},
            ("mapping.k", "input should be a valid dictionary or instance of Inner (got 3)"),
        ),
        ({"pair": [1]}, ("pair.1", "is required; add it")),
        (
            {"pair": [1, 2, 3]},
            ("pair", "tuple should have at most 2 items after validation, not 3 (got [1, 2, 3])"),
        ),
        (
            {"flag": "maybe"},
            ("flag", "input should be a valid boolean, unable to interpret input (got 'maybe')"),
        ),
        ({"flag": [1]}, ("flag", "input should be a valid boolean (got [1])")),
        (
            {"either": "maybe"},
            ("either", "'maybe' is not allowed; input should be true, false or 'both'"),
        ),
        ({"inner": {"tag": "c"}}, ("inner.tag", "'c' is not allowed; input should be 'a' or 'b'")),
        ({"inner": {"tag": 3}}, ("inner.tag", "3 is not allowed; input should be 'a' or 'b'")),
        ({"inner": {"lo": 2}}, ("inner.lo", "unknown field; did you mean 'low'?")),
        ({"inner": {"zzz": 2}}, ("inner.zzz", "unknown field; known fields: low, tag")),
        ({"inner": {"low": 4}}, ("inner", "four is unlucky")),
        ({"word": "no"}, ("word", "no is refused before")),
        ({"word": "x"}, ("word", "X is refused after")),
        ({"when": "someday"}, ("when", "'someday' is not a valid value here; check it")),
    ],
)
def test_each_message_form_in_our_words(data, expected):
    assert problems(data) == [expected]
    message = expected[1]
    assert "`" not in message and "$." not in message and "Expected" not in message


def test_every_problem_at_once_in_field_order_then_unknown_keys():
    found = problems(
        {"zz": 1, "whole": 0, "mapping": {"k": {"low": 9, "tag": "c", "x": 1}}, "pair": [11, "y"]}
    )
    assert found == [
        ("whole", "0 is too low; at least 1"),
        ("mapping.k.low", "9 is too high; at most 5"),
        ("mapping.k.tag", "'c' is not allowed; input should be 'a' or 'b'"),
        ("mapping.k.x", "unknown field; known fields: low, tag"),
        ("pair.1", "'y' is not a whole number; write it in digits"),
        ("zz", "unknown field; known fields: whole, name, short, code, items, mapping, pair, "
               "flag, either, inner, word, when"),
    ]  # fmt: skip


def test_lax_values_as_files_and_spreadsheets_give_them():
    model = validated(
        Model, {"whole": " 08 ", "flag": "true", "pair": ["1", 2.0], "word": "w", "inner": None}
    )
    assert (model.whole, model.flag, model.pair, model.word) == (8, True, (1, 2), "W!")
    assert validated(Model, {"when": "2026-12-07"}).when == dt.date(2026, 12, 7)


def test_after_checks_see_a_converted_value_and_skip_none():
    assert validated(Model, {}).word == "W"  # a default is not checked (as given)


def test_aliases_and_names_both_name_a_field():
    sender = {"address": "a@b.example"}
    for key in ("from", "sender"):
        practice = validated(Practice, {"smtp": {"host": "h", key: sender}})
        assert practice.smtp is not None and practice.smtp.sender is not None


def test_the_models_are_frozen_and_keyword_only():
    patient = validated(Patient, {"name": "Jan", "foot": "links"})
    with pytest.raises(AttributeError):
        patient.name = "Piet"  # type: ignore[misc]
    with pytest.raises(TypeError):
        Patient("Jan", "left")  # type: ignore[misc]
