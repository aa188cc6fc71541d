"""The published JSON Schemas are in sync with the models and accept the real files."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest

from handouts.files import read_yaml
from handouts.library import shipped_library_dir
from handouts.schemas import SCHEMAS, schema, schema_text
from tests.conftest import EXAMPLES

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_committed_schema_matches_the_models(name):
    committed = (SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(name), "run `handouts schemas` and commit the result"


def shipped_files():
    library = shipped_library_dir()
    for kind, folder in (("exercise", "exercises"), ("programme", "programmes"),
                         ("education", "education")):  # fmt: skip
        for path in sorted((library / folder).glob("*.yaml")):
            yield kind, path
    yield "patient", EXAMPLES / "patient.yaml"
    yield "practice", EXAMPLES / "practice.yaml"


@pytest.mark.parametrize(("kind", "path"), list(shipped_files()), ids=lambda v: str(v)[-40:])
def test_schema_accepts_every_shipped_file(kind, path):
    # read as editors do (YAML 1.2: a date is a string), which is also how handouts reads it
    jsonschema.validate(read_yaml(path), schema(kind))


def test_schema_rejects_a_misspelt_key_and_a_bad_foot():
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"name": "Jan", "foot": "left", "fot": 1}, schema("patient"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"name": "Jan", "foot": "middle"}, schema("patient"))
    jsonschema.validate({"name": "Jan", "foot": "links", "start": "07-12-2026"}, schema("patient"))


def test_schema_takes_the_dutch_keys_and_words_the_tool_takes():
    jsonschema.validate(
        {"naam": "Jan", "voet": "Linkervoet", "taal": "Vlaams", "grote_letters": "ja",
         "papier": "A4", "uitleg": "nee", "startdatum": "07-12-2026"},
        schema("patient"),
    )  # fmt: skip
    jsonschema.validate(
        {"naam": "Fysio Oost", "telefoon": "012", "kleur": "#1f5f8b",
         "mailserver": {"server": "smtp.x.example", "beveiliging": "SSL",
                        "afzender": {"adres": "a@x.example"}}},
        schema("practice"),
    )  # fmt: skip
    for bad in ({"naam": "Jan"}, {"naam": "Jan", "voet": "midden"}, {"naam": "Jan", "voet": "l",
                "telefoon": "012"}):  # fmt: skip
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema("patient"))


# Every form parse_date reads, each also after its weekday in Dutch or English, whole or short
DATE_FORMS = ["2026-12-07", "07-12-2026", "7/12/2026", "7.12.2026", "7-12-26", "7 december 2026",
              "7 Dec. 2026", "7-dec-26", "07-Dec-2026", "December 7, 2026", "dec. 7 2026",
              "2026-12-07 00:00:00", "2026-12-07T09:30"]  # fmt: skip
WEEKDAYS = ["maandag ", "Maandag, ", "ma ", "ma. ", "Monday ", "Mon, ", "mon. "]


@pytest.mark.parametrize("typed", DATE_FORMS + [w + f for w in WEEKDAYS for f in DATE_FORMS])
def test_the_schema_takes_every_date_form_the_tool_reads(typed):
    from handouts.models import parse_date

    assert parse_date(typed).isoformat() == "2026-12-07"
    jsonschema.validate({"name": "Jan", "foot": "left", "start": typed}, schema("patient"))


@pytest.mark.parametrize("typed", ["7 december", "volgende week", "12-2026", "maandag"])
def test_the_schema_refuses_what_is_no_date(typed):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"name": "Jan", "foot": "left", "start": typed}, schema("patient"))
