from __future__ import annotations

import datetime as dt
import io
import os
import re
from pathlib import Path
from typing import Any

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from handouts.library import Library, load_library
from handouts.models import Patient, Practice, validated
from handouts.plan import Plan, resolve
from tests.pdfread import page_content, page_text

# nothing kept between runs (handouts/cache.py) unless a test asks for it: no test depends on
# what an earlier run (or the developer's own use) left in the user's cache folder
os.environ["HANDOUTS_CACHE_DIR"] = "off"

TODAY = dt.date(2026, 11, 21)  # a Saturday
START = dt.date(2026, 12, 7)  # a Monday
EXAMPLES = Path(__file__).resolve().parent.parent / "handouts" / "examples"


@pytest.fixture(scope="session")
def library() -> Library:
    return load_library()


@pytest.fixture(autouse=True)
def _forget_fast_drawings() -> None:
    """Every test starts with nothing remembered by the fast path (accel.FAST): no test
    depends on what another one drew."""
    from handouts.pdf.accel import FAST

    assert FAST.memory is not None
    FAST.memory.clear()


def make_plan(library: Library, **fields: Any) -> Plan:
    data: dict[str, Any] = {"name": "Anne Peeters", "foot": "left", "start": START, **fields}
    return resolve(validated(Patient, data), library, Practice(), today=TODAY)


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page, as a reader (and a screen reader) would get it (pdfium)."""
    return page_text(data)


def embedded_glyphs(data: bytes) -> dict[str, set[str]]:
    """Font name -> the characters whose glyph in the embedded font file has an outline, read
    through the font's ToUnicode map (code -> character) and the font file's own cmap."""
    found: dict[str, set[str]] = {}
    seen: set[int] = set()

    def visit(resources: Any) -> None:
        resources = resources.get_object() if resources is not None else {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            file = font["/FontDescriptor"].get_object()["/FontFile2"].get_object().get_data()
            face = TTFont(io.BytesIO(file))
            glyph_of_code = face["cmap"].getcmap(1, 0).cmap
            glyphs = face["glyf"]
            to_unicode = font["/ToUnicode"].get_object().get_data().decode()
            name = str(font["/BaseFont"])[1:].split("+")[-1]  # without the subset tag
            for code, unicode in re.findall(r"<([0-9A-F]{2})> <([0-9A-F]{4})>", to_unicode):
                glyph = glyph_of_code.get(int(code, 16))
                if glyph not in (None, ".notdef") and glyphs[glyph].numberOfContours != 0:
                    found.setdefault(name, set()).add(chr(int(unicode, 16)))
        for xobject in (resources.get("/XObject") or {}).values():
            if xobject.idnum not in seen:
                seen.add(xobject.idnum)
                visit(xobject.get_object().get("/Resources"))

    for page in PdfReader(io.BytesIO(data)).pages:
        visit(page.get("/Resources"))
    return found


def drawn_characters(data: bytes) -> dict[str, set[str]]:
    """Font name -> the characters drawn in it, on pages and in forms (pdfium)."""
    drawn: dict[str, set[str]] = {}
    for page in page_content(data):
        for text, font, *_ in page.chars:
            if not text.isspace():
                drawn.setdefault(font, set()).add(text)
    return drawn


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
