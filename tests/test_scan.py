"""Reading checklists back: real rendered pages, really degraded, read by the real reader.

The big corpus and the timings are in benchmarks/scan_accuracy.py; here a handful of pages.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
from pathlib import Path

import pytest

cv2 = pytest.importorskip("cv2")
np = pytest.importorskip("numpy")
pytest.importorskip("pypdfium2")

import pikepdf  # noqa: E402
from click.testing import CliRunner  # noqa: E402
from pypdf import PdfReader, PdfWriter  # noqa: E402

from handouts.cli import app  # noqa: E402
from handouts.pdf.scanmarks import ARUCO_4X4, field_name  # noqa: E402
from handouts.scan.geometry import (  # noqa: E402
    MM,
    PAGE_ID_PATTERN,
    PageGeometry,
    PageRecord,
    Registry,
    new_page_id,
)
from handouts.scan.raster import rasterise_pdf  # noqa: E402
from handouts.scan.read import read_page, read_qr  # noqa: E402
from handouts.scan.results import (  # noqa: E402
    PageResult,
    Results,
    packs,
    pain_rule_now,
    review_items,
    settle,
)
from handouts.scan.sample import SamplePage, layout_page, render_pages  # noqa: E402
from handouts.scan.synthetic import (  # noqa: E402
    Degrade,
    Truth,
    degrade,
    draw_marks,
    make_scan,
)

START = dt.date(2026, 12, 7)
NAMES = {"heel-raise-towel-step": "Op je tenen op de trap"}


def _pages(state: Path, pack: str, foot: str, weeks: int = 1) -> list[SamplePage]:
    registry = Registry(state)
    pages = []
    for week in range(1, weeks + 1):
        page = layout_page(new_page_id(), week, START + dt.timedelta(weeks=week - 1), foot=foot)
        registry.save(
            PageRecord(pack, week, page.geometry, patient="Test Patiënt", exercise_names=NAMES)
        )
        pages.append(page)
    return pages


def test_registered_page_ids_are_keyed_and_reproducible(tmp_path: Path) -> None:
    layout = layout_page("", 3, START, foot="both").geometry
    first = Registry(tmp_path / "a").register("anne", 3, layout)
    again = Registry(tmp_path / "a").register("anne", 3, layout)
    other_practice = Registry(tmp_path / "b").register("anne", 3, layout)
    next_week = Registry(tmp_path / "a").register("anne", 4, layout)
    assert first == again  # the same input makes the same page (byte-identical PDFs)
    assert PAGE_ID_PATTERN.match(first.page_id)
    assert len({first.page_id, other_practice.page_id, next_week.page_id}) == 3
    record = Registry(tmp_path / "a").load(first.page_id)
    assert record is not None and record.geometry == first and record.week == 3
    assert (tmp_path / "a" / ".scan" / "secret").stat().st_mode & 0o077 == 0


def test_aruco_bits_are_opencvs_dictionary() -> None:
    dictionary = cv2.aruco.getPredefinedDictionary(cv2.aruco.DICT_4X4_50)
    for marker_id, rows in ARUCO_4X4.items():
        image = cv2.aruco.generateImageMarker(dictionary, marker_id, 6)
        bits = tuple("".join("1" if v else "0" for v in row) for row in image[1:5, 1:5])
        assert bits == rows


def test_geometry_round_trips_and_the_qr_holds_only_the_page_id(tmp_path: Path) -> None:
    page = _pages(tmp_path, "pack-1", "both")[0]
    g = page.geometry
    again = PageGeometry.from_json(json.loads(json.dumps(g.to_json())))
    assert [b.key() for b in again.boxes] == [b.key() for b in g.boxes]
    assert np.allclose([b.rect for b in again.boxes], [b.rect for b in g.boxes], atol=0.006)
    assert PageGeometry.from_json(again.to_json()) == again
    assert PAGE_ID_PATTERN.match(g.page_id)
    assert Registry(tmp_path).load(g.page_id) is not None
    assert Registry(tmp_path).load("HB:0000000000") is None
    # markers at least 8 mm inside every edge
    width, height = g.page_size
    for x, y in g.markers:
        half = g.marker_size / 2
        assert min(x - half, y - half, width - x - half, height - y - half) >= 8 * MM - 0.01
    image = rasterise_pdf(render_pages([page]), dpi=150)[0]
    assert read_qr(image) == g.page_id
    kinds = {(b.kind, b.pain_kind, b.side) for b in g.boxes}
    assert ("pain", "first_steps", "left") in kinds
    assert ("pain", "during_exercise", "right") in kinds
    assert min(b.rect[2] for b in g.boxes if b.kind == "session") >= 4 * MM


HARD = [
    Degrade(dpi=150, quarter_turns=2, angle=6, warp=0.03, blur=1.3, noise=5, jpeg=60, shade=0.3),
    Degrade(dpi=300, quarter_turns=1, angle=-1, blur=0.4, noise=2, jpeg=85),
    Degrade(dpi=200, quarter_turns=3, angle=-7, warp=0.04, blur=1.0, noise=4, jpeg=70, shade=0.2),
    Degrade(dpi=250, quarter_turns=0, angle=2, blur=0.8, noise=3),
]


@pytest.mark.parametrize("degradation", HARD, ids=["upside-down", "300dpi", "photo", "tilted"])
def test_degraded_pages_are_read_right_or_flagged(tmp_path: Path, degradation: Degrade) -> None:
    rng = np.random.default_rng(degradation.dpi + degradation.quarter_turns)
    page = _pages(tmp_path, "pack-1", "both" if degradation.quarter_turns % 2 else "left")[0]
    image, truth = make_scan(render_pages([page]), 0, page.geometry, degradation, rng)
    reading = read_page(image, "scan.png", Registry(tmp_path))
    assert reading.problem == ""
    assert reading.page_id == page.geometry.page_id
    wrong = flagged = 0
    for index, box in enumerate(reading.boxes):
        if box.state == "unsure":
            flagged += 1
        elif (box.state == "ticked") != truth.ticked(index):
            wrong += 1
        if truth.marks.get(index) in {"cross", "filled"}:
            assert box.state == "ticked", (index, truth.marks[index], box)
    assert wrong == 0
    assert flagged <= 0.05 * len(reading.boxes)


def _marked(page: SamplePage, marks: dict[int, str], dpi: int = 200) -> np.ndarray:
    rng = np.random.default_rng(7)
    image = rasterise_pdf(render_pages([page]), dpi=dpi)[0]
    return draw_marks(image, page.geometry, Truth(marks), dpi, rng)


def test_a_pain_row_with_two_crosses_is_reviewed_never_guessed(tmp_path: Path) -> None:
    page = _pages(tmp_path, "pack-1", "left")[0]
    g = page.geometry
    monday = [i for i, b in enumerate(g.boxes) if b.pain_kind == "first_steps" and b.day == START]
    tuesday = [
        i
        for i, b in enumerate(g.boxes)
        if b.pain_kind == "first_steps" and b.day == START + dt.timedelta(days=1)
    ]
    marks = {monday[3]: "cross", monday[7]: "cross", tuesday[6]: "cross"}
    image = degrade(
        _marked(page, marks), Degrade(jpeg=80, quarter_turns=2), np.random.default_rng(1)
    )
    registry = Registry(tmp_path)
    reading = read_page(image, "two.png", registry)
    result = PageResult(g.page_id, "two.png", [b.state for b in reading.boxes], ["scan"] * 153)
    results = Results(str(tmp_path), {g.page_id: result})
    [pack] = packs(results, registry)[0]
    by_day = {(d.day, d.kind): d for d in pack.pain_days()}
    assert by_day[(START, "first_steps")].score is None
    assert by_day[(START, "first_steps")].unsure
    assert by_day[(START + dt.timedelta(days=1), "first_steps")].score == 6
    assert by_day[(START + dt.timedelta(days=2), "first_steps")].score is None  # no cross
    assert not by_day[(START + dt.timedelta(days=2), "first_steps")].unsure
    record = registry.load(g.page_id)
    assert record is not None
    [item] = [i for i in review_items(record, result) if i.kind == "pain"]
    assert set(item.circled) == {monday[3], monday[7]}
    settle(record, result, item, "7")
    [pack] = packs(results, registry)[0]
    assert {(d.day, d.kind): d for d in pack.pain_days()}[(START, "first_steps")].score == 7


def test_a_page_that_cannot_be_read_says_why(tmp_path: Path) -> None:
    page = _pages(tmp_path, "pack-1", "left")[0]
    image = _marked(page, {})
    assert (
        "no QR code"
        in read_page(np.full((900, 700), 255, np.uint8), "x", Registry(tmp_path)).problem
    )
    assert "unknown page id" in read_page(image, "x", Registry(tmp_path / "other")).problem
    covered = image.copy()
    covered[-200:, :] = 255  # the bottom markers cut off
    assert "2 corner markers not found" in read_page(covered, "x", Registry(tmp_path)).problem


def _write_image_pdf(path: Path, images: list[np.ndarray]) -> None:
    """A scanner's PDF: each page one image, no text."""
    from PIL import Image

    pil = [Image.fromarray(image) for image in images]
    pil[0].save(path, "PDF", save_all=True, append_images=pil[1:], resolution=150)


def test_scan_command_reads_mixed_files_and_writes_the_report(tmp_path: Path) -> None:
    state = tmp_path / "out"
    anne = _pages(state, "anne", "left", weeks=2)
    jan = _pages(state, "jan", "both")
    rng = np.random.default_rng(5)
    files = []
    truths = {}
    for n, page in enumerate([*anne, *jan]):
        degradation = HARD[n % len(HARD)]
        image, truth = make_scan(render_pages([page]), 0, page.geometry, degradation, rng)
        truths[page.geometry.page_id] = truth
        files.append((image, page))
    cv2.imwrite(str(tmp_path / "photo.jpg"), files[0][0])
    cv2.imwrite(str(tmp_path / "scan.png"), files[2][0])
    _write_image_pdf(tmp_path / "scanner.pdf", [files[1][0], np.full((800, 600), 255, np.uint8)])
    report = tmp_path / "report"
    inputs = [str(tmp_path / f) for f in ("scanner.pdf", "photo.jpg", "scan.png")]
    result = CliRunner().invoke(app, ["scan", *inputs, "-o", str(report), "--state", str(state)])
    assert result.exit_code == 1, result.output  # the blank page of scanner.pdf
    assert "scanner.pdf page 2: no QR code" in result.output
    assert "3 pages read, 1 not" in result.output
    with open(report / "adherence.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["pack_id", "week", "date", "exercise_id", "side", "session", "done"]
    assert {r["pack_id"] for r in rows} == {"anne", "jan"}
    assert {r["side"] for r in rows if r["pack_id"] == "jan"} == {"left", "right"}
    results = Results.load(report)
    registry = Registry(state)
    for page_id, page in results.pages.items():
        record = registry.load(page_id)
        assert record is not None
        for index, state_ in enumerate(page.states):
            if state_ != "unsure":
                assert (state_ == "ticked") == truths[page_id].ticked(index)
    with open(report / "pain.csv", encoding="utf-8") as handle:
        pain = list(csv.DictReader(handle))
    assert list(pain[0]) == ["pack_id", "date", "side", "kind", "score"]
    assert {p["kind"] for p in pain} == {"first_steps", "during_exercise"}
    text = "".join(p.extract_text() for p in PdfReader(report / "anne_report.pdf").pages)
    assert "Op je tenen op de trap" in text and "Wk 1" in text and "Wk 2" in text
    assert "stoplicht" in text


def test_filled_encrypted_pdf_is_read_from_its_fields(tmp_path: Path) -> None:
    state = tmp_path / "out"
    pages = _pages(state, "anne", "both", weeks=2)
    g = pages[0].geometry
    reader = PdfReader(io.BytesIO(render_pages(pages, fillable=True)))
    writer = PdfWriter(clone_from=reader)
    first_session = 0
    pain = next(i for i, b in enumerate(g.boxes) if b.pain_kind == "first_steps" and b.score == 0)
    values = {field_name(g, first_session): "/Yes", field_name(g, pain): "/4"}
    writer.update_page_form_field_values(writer.pages[0], values, auto_regenerate=False)
    plain = io.BytesIO()
    writer.write(plain)
    filled = tmp_path / "anne_afvinklijst.pdf"
    with pikepdf.open(io.BytesIO(plain.getvalue())) as pdf:
        pdf.save(filled, encryption=pikepdf.Encryption(owner="o", user="geheim-42", R=6))
    report = tmp_path / "report"
    args = ["scan", str(filled), "-o", str(report), "--state", str(state)]
    refused = CliRunner().invoke(app, args)
    assert refused.exit_code == 1 and "encrypted" in refused.output
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(render_pages(pages, fillable=True))
    untouched = CliRunner().invoke(
        app, ["scan", str(empty), "-o", str(report), "--state", str(state)]
    )
    assert "empty.pdf: a fillable checklist with nothing filled in" in untouched.output
    (state / "passwords.csv").write_text("key;email;password\nanne;a@x.nl;geheim-42\n")
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "1 pages read" in result.output  # week 2 was left empty: not a week of zeros
    page = Results.load(report).pages[g.page_id]
    ticked = [i for i, s in enumerate(page.states) if s == "ticked"]
    assert ticked == [first_session, pain + 4]
    assert set(page.settled_by) == {"form"}


def test_review_settles_unsure_boxes_at_the_terminal(tmp_path: Path) -> None:
    state = tmp_path / "out"
    page = _pages(state, "anne", "left")[0]
    g = page.geometry
    sessions = [i for i, b in enumerate(g.boxes) if b.kind == "session"]
    image = _marked(page, {sessions[1]: "cross"})
    x, y, w, h = g.boxes[sessions[0]].rect  # a blob in the middle: neither a tick nor nothing
    scale = 200 / 72
    centre = (round((x + w / 2) * scale), round((g.page_size[1] - y - h / 2) * scale))
    cv2.circle(image, centre, round(0.12 * w * scale), 30, -1)
    cv2.imwrite(str(tmp_path / "p.png"), image)
    report = tmp_path / "report"
    CliRunner().invoke(
        app, ["scan", str(tmp_path / "p.png"), "-o", str(report), "--state", str(state)]
    )
    before = Results.load(report).pages[g.page_id]
    assert before.states[sessions[0]] == "unsure"
    assert (report / "review" / f"{g.page_id.replace(':', '-')}.png").is_file()
    result = CliRunner().invoke(app, ["scan", "--review", "-o", str(report)], input="maybe\ny\n")
    assert result.exit_code == 0, result.output
    assert "please answer" in result.output
    after = Results.load(report).pages[g.page_id]
    assert after.states[sessions[0]] == "ticked" and after.settled_by[sessions[0]] == "person"
    assert after.states[sessions[1]] == "ticked"


def test_without_the_scan_extra_it_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "cv2", None)
    result = CliRunner().invoke(app, ["scan", "x.png"])
    assert result.exit_code == 2
    assert 'pip install "handouts[scan]"' in result.output


def test_pain_rule_now_follows_the_latest_days(tmp_path: Path) -> None:
    page = _pages(tmp_path, "anne", "left")[0]
    g = page.geometry
    registry = Registry(tmp_path)

    def rule(scores: list[int | None]) -> str:
        states = ["empty"] * len(g.boxes)
        for index, box in enumerate(g.boxes):
            day = (box.day - START).days
            if box.pain_kind == "first_steps" and day < len(scores) and scores[day] == box.score:
                states[index] = "ticked"
        results = Results(str(tmp_path), {g.page_id: PageResult(g.page_id, "", states, [])})
        return pain_rule_now(packs(results, registry)[0][0])[1]

    assert rule([1, 2, 7, 8]) == "two_red"
    assert rule([7, None, 8]) == "red"  # not two days in a row
    assert rule([1, 4]) == "amber"
    assert rule([4, 2]) == "green"
    assert rule([]) == "no_scores"


def test_a_page_off_by_two_points_is_not_read(tmp_path: Path) -> None:
    """Box borders that are not where the geometry says would read as ticks: such a page is
    refused (a wrong homography, a folded sheet), never read."""
    from handouts.scan.read import SCALE, lined_up

    page = _pages(tmp_path, "pack-1", "both")[0]
    image = rasterise_pdf(render_pages([page]), dpi=round(72 * SCALE))[0]
    assert lined_up(image, page.geometry) == 1.0
    shift = round(2 * SCALE)
    assert lined_up(np.roll(image, shift, axis=1), page.geometry) < 0.8
    assert lined_up(np.roll(image, shift, axis=0), page.geometry) < 0.8


def test_files_that_are_not_pages_are_reported_and_the_rest_is_read(tmp_path: Path) -> None:
    state = tmp_path / "out"
    page = _pages(state, "anne", "left")[0]
    cv2.imwrite(str(tmp_path / "good.png"), _marked(page, {}))
    (tmp_path / "notes.png").write_text("not a picture")
    huge = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + (90_000).to_bytes(4, "big") * 2 + b"\x08\0\0\0\0"
    )
    (tmp_path / "bomb.png").write_bytes(huge)
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 nothing")
    files = [str(tmp_path / n) for n in ("notes.png", "bomb.png", "broken.pdf", "good.png")]
    result = CliRunner().invoke(
        app, ["scan", *files, "-o", str(tmp_path / "r"), "--state", str(state)]
    )
    assert result.exit_code == 1
    assert "notes.png: not a readable PNG or JPEG image" in result.output
    assert "bomb.png: 90000 x 90000 pixels" in result.output
    assert "broken.pdf: not a readable PDF" in result.output
    assert "1 pages read, 3 not" in result.output
    assert "internal error" not in result.output
