"""JSON Schemas of the input files, generated from the models, so that VS Code and other YAML
editors complete and check exercise, programme, education, practice and patient files."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from handouts.models import Education, Exercise, Patient, Practice, Programme

SCHEMAS: dict[str, type[BaseModel]] = {
    "exercise": Exercise,
    "programme": Programme,
    "education": Education,
    "practice": Practice,
    "patient": Patient,
}


def schema(name: str) -> dict[str, Any]:
    generated = SCHEMAS[name].model_json_schema(by_alias=True)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{name}.schema.json",
        **generated,
    }


def schema_text(name: str) -> str:
    return json.dumps(schema(name), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
