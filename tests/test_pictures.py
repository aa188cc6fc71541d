"""Exercise pictures: vector, recoloured, mirrored for the left foot, replaceable, validated."""

from __future__ import annotations

import io
import re
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import ContentStream

from handouts.library import load_library
from handouts.models import Practice
from handouts.pdf.handout import build_handout
from handouts.pdf.illustrations import load_picture, picture_colour
from handouts.validate import validate_paths
from tests.conftest import make_plan

SIMPLE_SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300"
  viewBox="0 0 400 300">
  <rect x="10" y="10" width="100" height="50" fill="#9a9a9a"/>
  {affected}
</svg>"""


def forms_and_images(data: bytes) -> tuple[dict[str, bytes], int]:
    """Form XObjects (name -> content) and the number of raster images, over all pages."""
    forms: dict[str, bytes] = {}
    images = 0
    for page in PdfReader(io.BytesIO(data)).pages:
        xobjects = (page.get("/Resources") or {}).get("/XObject") or {}
        for name, ref in xobjects.items():
            xobject = ref.get_object()
            if xobject["/Subtype"] == "/Form":
                forms[str(name)] = xobject.get_data()
            else:
                images += 1
    return forms, images


def placements(data: bytes) -> list[tuple[str, float]]:
    """(form name, horizontal scale of the matrix in force) for each picture drawn."""
    found = []
    for page in PdfReader(io.BytesIO(data)).pages:
        scale = 1.0
        stack = []
        for operands, operator in ContentStream(page.get_contents(), page.pdf).operations:
            if operator == b"q":
                stack.append(scale)
            elif operator == b"Q":
                scale = stack.pop()
            elif operator == b"cm":
                scale *= float(operands[0])
            elif operator == b"Do" and str(operands[0]).startswith("/FormXob.pic"):
                found.append((str(operands[0]), scale))
    return found


def test_every_picture_is_vector_drawn_once_per_pdf(library):
    plan = make_plan(library, include=sorted(library.exercises))
    data = build_handout(plan)
    forms, images = forms_and_images(data)
    pictures = [name for name in forms if name.startswith("/FormXob.pic")]
    assert images == 0
    assert len(pictures) == len({e.picture for e in plan.exercises})
    assert len(placements(data)) == len(plan.exercises)


def test_left_foot_is_mirrored_right_foot_is_not(library):
    left = placements(build_handout(make_plan(library, foot="left")))
    right = placements(build_handout(make_plan(library, foot="right")))
    assert left and all(scale < 0 for _, scale in left)
    assert right and all(scale > 0 for _, scale in right)


def test_affected_limb_takes_the_accent_colour(library):
    from msgspec.structs import replace

    plan = make_plan(library)
    plan = replace(plan, practice=Practice(accent_colour="#006400"))
    forms, _ = forms_and_images(build_handout(plan))
    heel = next(e for e in plan.exercises if e.id == "heel-raise-towel-step")
    picture = load_picture(str(heel.picture), heel.picture.stat().st_mtime_ns, "#006400")
    content = forms["/FormXob." + picture.key].decode("latin-1")
    assert re.search(r"0 \.392157 0 (rg|RG)", content)  # #006400 as fill or stroke
    assert ".752941 .223529 .168627" not in content  # the drawn #c0392b is gone


def test_a_light_accent_is_darkened_for_grayscale():
    assert picture_colour("#1f5f8b") == "#1f5f8b"
    assert picture_colour("#ffff00") != "#ffff00"


def test_a_practice_replaces_a_picture_by_id(tmp_path, library):
    (tmp_path / "exercises").mkdir()
    own = tmp_path / "exercises" / "heel-raise-towel-step.svg"
    own.write_text(
        SIMPLE_SVG.format(affected='<g id="affected"><circle cx="200" cy="150" r="40" '
                          'fill="#c0392b"/></g>'),
        encoding="utf-8",
    )  # fmt: skip
    merged = load_library([tmp_path])
    assert merged.pictures["heel-raise-towel-step"] == own
    assert (
        merged.pictures["plantar-fascia-stretch-seated"]
        == library.pictures["plantar-fascia-stretch-seated"]
    )
    plan = make_plan(merged)
    assert next(e for e in plan.exercises if e.id == "heel-raise-towel-step").picture == own


def test_pictures_are_parsed_once_per_process(library):
    load_picture.cache_clear()
    build_handout(make_plan(library))
    misses = load_picture.cache_info().misses
    build_handout(make_plan(library, name="Someone Else", foot="right"))
    assert load_picture.cache_info().misses == misses


def write_exercise_with_picture(folder: Path, library, svg: str | None) -> Path:
    (folder / "exercises").mkdir(parents=True, exist_ok=True)
    source = (
        library.exercise_files["towel-curl"]
        if "towel-curl" in library.exercise_files
        else (library.exercise_files["plantar-fascia-stretch-seated"])
    )
    text = source.read_text(encoding="utf-8").replace(f"id: {source.stem}", "id: practice-own")
    (folder / "exercises" / "practice-own.yaml").write_text(text, encoding="utf-8")
    if svg is not None:
        (folder / "exercises" / "practice-own.svg").write_text(svg, encoding="utf-8")
    return folder


def picture_problems(folder: Path) -> list[str]:
    problems, _ = validate_paths((), (folder,))
    return [str(p) for p in problems if "practice-own" in str(p)]


def test_validate_wants_a_picture_that_parses_and_marks_the_limb(tmp_path, library):
    missing = picture_problems(write_exercise_with_picture(tmp_path / "a", library, None))
    assert any("no picture; add practice-own.svg" in p for p in missing)
    broken = picture_problems(write_exercise_with_picture(tmp_path / "b", library, "<svg"))
    assert any("cannot be read as SVG" in p for p in broken)
    unmarked = picture_problems(
        write_exercise_with_picture(tmp_path / "c", library, SIMPLE_SVG.format(affected=""))
    )
    assert any("marks no affected limb" in p for p in unmarked)
    good = SIMPLE_SVG.format(affected='<g class="limb affected"><rect width="5" height="5"/></g>')
    assert picture_problems(write_exercise_with_picture(tmp_path / "d", library, good)) == []
