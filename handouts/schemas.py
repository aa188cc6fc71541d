"""JSON Schemas of the input files, generated from the models, so that VS Code and other YAML
editors complete and check exercise, programme, education, practice and patient files."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Annotated, Any, get_args, get_origin

import msgspec

from handouts import words
from handouts.models import (
    Education,
    Exercise,
    JsonSchema,
    Patient,
    Practice,
    Programme,
    field_type,
    fields_of,
)

SCHEMAS: dict[str, type[msgspec.Struct]] = {
    "exercise": Exercise,
    "programme": Programme,
    "education": Education,
    "practice": Practice,
    "patient": Patient,
}


# The files take Dutch keys and words (words.py): an editor should not flag `naam:` or
# `taal: Vlaams`. Each Dutch key is offered as a property of its own, with the field's schema.
BLOCKS = {"patient": words.PATIENT, "practice": words.PRACTICE}
NESTED_DEFS = {"pain_rule": "PainRule", "smtp": "Smtp", "from": "Sender"}
VALUE_WORDS = {
    "foot": words.FOOT_WORDS,
    "language": words.LANGUAGE_WORDS,
    "paper": words.PAPER_WORDS,
    "security": words.SECURITY_WORDS,
}


def schema(name: str) -> dict[str, Any]:
    model = SCHEMAS[name]
    _, components = msgspec.json.schema_components([model], ref_template="#/$defs/{name}")
    generated = components.pop(model.__name__)  # the file's own fields at the top level
    if components:
        generated["$defs"] = components
    _own_schemas(model, generated, components)
    if name in BLOCKS:
        _in_any_words(generated, BLOCKS[name], generated.get("$defs", {}))
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{name}.schema.json",
        **generated,
    }


def schema_text(name: str) -> str:
    return json.dumps(schema(name), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def _own_schemas(model: Any, node: dict[str, Any], defs: dict[str, Any]) -> None:
    """A field annotated with a JsonSchema gets that schema (and its default); nested models
    (their $defs) likewise."""
    for info in fields_of(model):
        extras = get_args(info.type)[1:] if get_origin(info.type) is Annotated else ()
        own = next((e.schema for e in extras if isinstance(e, JsonSchema)), None)
        if own is not None:
            generated = node["properties"][info.encode_name]
            default = {"default": generated["default"]} if "default" in generated else {}
            node["properties"][info.encode_name] = {**own, **default}
        for kind in (field_type(model, info.name, bare=True), *get_args(info.type)):
            if isinstance(kind, type) and kind.__name__ in defs:
                _own_schemas(kind, defs[kind.__name__], defs)


def _in_any_words(
    node: dict[str, Any], block: words.Block, defs: dict[str, Any], pointer: str = "#"
) -> None:
    """The Dutch keys of a block as properties, its Dutch words as allowed values, and a
    required field satisfied by any of its keys (`naam` or `name`)."""
    properties = node["properties"]
    for field, words_of in VALUE_WORDS.items():
        prop = properties.get(field, {})
        choices = [prop] if "enum" in prop else [c for c in prop.get("anyOf", []) if "enum" in c]
        for choice in choices:  # the enum itself, or the one of an optional field's anyOf
            choice["enum"] = sorted(set(choice["enum"]) | _as_typed(words_of))
    if properties.get("large_print", {}).get("type") == "boolean":
        yes_no = [True, False, *sorted(_as_typed(words.YES | words.NO))]
        properties["large_print"] = {**properties["large_print"], "enum": yes_no}
        del properties["large_print"]["type"]
        education = properties["education"]
        separate = sorted(_as_typed(words.EDUCATION_WORDS))
        properties["education"] = {
            **education,
            "anyOf": [*education["anyOf"], {"enum": [*yes_no, *separate]}],
        }
    for key, field in block.keys.items():
        if field in properties:
            properties.setdefault(key, {"$ref": f"{pointer}/properties/{field}"})
    required = node.pop("required", [])
    if required:
        node["allOf"] = [
            {"anyOf": [{"required": [k]} for k, f in block.keys.items() if f == field]}
            for field in required
        ]
    for field, nested in block.nested.items():
        if field in NESTED_DEFS and NESTED_DEFS[field] in defs:
            name = NESTED_DEFS[field]
            _in_any_words(defs[name], nested, defs, f"#/$defs/{name}")


def _as_typed(keys: Iterable[str]) -> set[str]:
    """Words as a practice types them (words.py reads them in any case, `_` `-` or space)."""
    typed = set()
    for key in keys:
        for separator in (" ", "-"):
            word = key.replace("_", separator)
            typed |= {word, word.capitalize(), word.upper()}
    return typed
