from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from handouts.library import Library, load_library
from handouts.models import Patient, Practice
from handouts.plan import Plan, resolve

TODAY = dt.date(2026, 11, 21)  # a Saturday
START = dt.date(2026, 12, 7)  # a Monday
EXAMPLES = Path(__file__).resolve().parent.parent / "handouts" / "examples"


@pytest.fixture(scope="session")
def library() -> Library:
    return load_library()


def make_plan(library: Library, **fields: Any) -> Plan:
    data: dict[str, Any] = {"name": "Anne Peeters", "foot": "left", "start": START, **fields}
    return resolve(Patient.model_validate(data), library, Practice(), today=TODAY)


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page, as a reader (and a screen reader) would get it."""
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def fonts_of(data: bytes) -> dict[str, bool]:
    """Font name -> embedded?, over all pages."""
    found: dict[str, bool] = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (
                descendants[0].get_object().get("/FontDescriptor")
                if descendants
                else font.get("/FontDescriptor")
            )
            embedded = bool(descriptor) and any(
                k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            found[str(font.get("/BaseFont"))] = embedded
    return found


def write_extra_exercises(folder: Path, library: Library, count: int) -> list[str]:
    """A practice library folder with `count` extra exercises, copies of shipped ones."""
    import yaml

    (folder / "exercises").mkdir(parents=True, exist_ok=True)
    ids = []
    source = library.exercise_files["plantar-fascia-stretch-seated"]
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    for n in range(1, count + 1):
        new_id = f"practice-stretch-{n}"
        data["id"] = new_id
        for language in data["texts"]:
            data["texts"][language]["short_name"] = f"Praktijkoefening nummer {n}"
        (folder / "exercises" / f"{new_id}.yaml").write_text(
            yaml.safe_dump(data, allow_unicode=True), encoding="utf-8"
        )
        ids.append(new_id)
    return ids
