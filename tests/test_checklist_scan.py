"""The real checklist, scan-ready: rendered, rasterised, ticked and crossed, read back."""

from __future__ import annotations

import io

import pytest

np = pytest.importorskip("numpy")
pytest.importorskip("cv2")
pytest.importorskip("pypdfium2")

from pypdf import PdfReader  # noqa: E402

from handouts.pdf.checklist import ScanSetup, build_checklist, scan_records  # noqa: E402
from handouts.scan.geometry import MM, Registry, reserved_corners  # noqa: E402
from handouts.scan.raster import rasterise_pdf  # noqa: E402
from handouts.scan.read import read_page  # noqa: E402
from handouts.scan.synthetic import Truth, draw_marks  # noqa: E402
from tests.conftest import make_plan  # noqa: E402


def test_ticked_and_crossed_checklist_reads_back_as_ticked(tmp_path, library):
    plan = make_plan(library, foot="both")
    registry = Registry(tmp_path)
    scan = ScanSetup(registry.secret(), "anne-peeters-0042")
    data = build_checklist(plan, scan=scan)
    records = scan_records(plan, scan)
    for record in records:
        registry.save(record)
    assert len(records) == len(plan.weeks) == len(PdfReader(io.BytesIO(data)).pages)
    geometry = records[0].geometry
    boxes = geometry.boxes
    sessions = [i for i, b in enumerate(boxes) if b.kind == "session"]
    assert {b.side for i, b in enumerate(boxes) if i in sessions} == {"left", "right"}
    # ticks on some sessions; first-step pain on three days per foot; pain during the heel
    # raise on its first day, left foot
    marks = {i: ("cross" if n % 2 else "check") for n, i in enumerate(sessions[::3])}
    scores = {(0, "left"): 7, (0, "right"): 2, (1, "left"): 5, (2, "right"): 0}
    wanted = {}
    for i, b in enumerate(boxes):
        day = (b.day - plan.weeks[0].days[0]).days
        if b.pain_kind == "first_steps" and scores.get((day, b.side)) == b.score:
            marks[i], wanted[day, b.side] = "cross", b.score
        if b.pain_kind == "during_exercise" and (day, b.side, b.score) == (0, "left", 4):
            marks[i] = "cross"
    assert len(marks) > 20 and len(wanted) == 4

    image = rasterise_pdf(data, dpi=200, pages=[0])[0]
    image = draw_marks(image, geometry, Truth(marks), 200, np.random.default_rng(3))
    reading = read_page(image, "scan.png", Registry(tmp_path))
    assert reading.problem == "" and reading.page_id == geometry.page_id
    ticked = {i for i, box in enumerate(reading.boxes) if box.state == "ticked"}
    unsure = {i for i, box in enumerate(reading.boxes) if box.state == "unsure"}
    assert unsure == set() and ticked == set(marks)
    read_scores = {
        ((boxes[i].day - plan.weeks[0].days[0]).days, boxes[i].side): boxes[i].score
        for i in ticked
        if boxes[i].pain_kind == "first_steps"
    }
    assert read_scores == wanted


def test_scan_marks_keep_their_corners_and_boxes_are_big_enough(library):
    plan = make_plan(library, foot="both", large_print=True, language="en")
    scan = ScanSetup(b"k" * 32, "pack")
    for record in scan_records(plan, scan):
        g = record.geometry
        g.check()
        assert min(min(b.rect[2], b.rect[3]) for b in g.boxes) >= 4 * MM
        for x, y, w, h in reserved_corners(g.page_size):
            for b in g.boxes:
                bx, by, bw, bh = b.rect
                assert bx > x + w or bx + bw < x or by > y + h or by + bh < y


def test_fillable_pages_have_a_field_per_box(library):
    plan = make_plan(library, foot="left")
    scan = ScanSetup(b"k" * 32, "pack", fillable=True)
    data = build_checklist(plan, scan=scan)
    fields = PdfReader(io.BytesIO(data)).get_fields() or {}
    first = scan_records(plan, scan)[0].geometry
    mine = [name for name in fields if name.startswith(first.page_id)]
    sessions = sum(1 for b in first.boxes if b.kind == "session")
    pain_groups = len({b.pain_group() for b in first.boxes if b.kind == "pain"})
    assert len(mine) == sessions + pain_groups


def test_generate_scan_ready_saves_what_scan_needs_and_plain_stays_plain(tmp_path):
    from click.testing import CliRunner

    from handouts.cli import app

    args = ["generate", "--name", "Jan de Vries", "--foot", "both", "--today", "2026-11-30"]
    runner = CliRunner()
    plain = runner.invoke(app, [*args, "-o", str(tmp_path / "plain"), "--only", "checklist"])
    ready = runner.invoke(
        app, [*args, "-o", str(tmp_path / "ready"), "--only", "checklist", "--scan-ready"]
    )
    assert plain.exit_code == 0 and ready.exit_code == 0, (plain.output, ready.output)
    assert not (tmp_path / "plain" / ".scan").exists()
    registry = Registry(tmp_path / "ready")
    data = (tmp_path / "ready" / "jan-de-vries_afvinklijst.pdf").read_bytes()
    image = rasterise_pdf(data, dpi=150, pages=[2])[0]
    reading = read_page(image, "page 3", registry)
    assert reading.problem == "" and reading.record is not None
    assert (reading.record.pack_id, reading.record.week) == ("jan-de-vries", 3)
    assert reading.record.patient == "Jan de Vries"
    assert all(box.state == "empty" for box in reading.boxes)


def test_batch_scan_ready_registers_every_page_and_stays_up_to_date(tmp_path):
    from tests.test_batch import batch, report, roster

    path = roster(tmp_path, "naam;voet;nummer", "Jan;links;7", "Els;beide;8")
    out = tmp_path / "out"
    code, _, stderr = batch(path, out, "-j", "2", "--only", "checklist", "--scan-ready")
    assert code == 0, stderr
    registry = Registry(out)
    ids = {p.name for p in (out / ".scan").glob("HB-*.json.gz")}
    assert len(ids) == 2 * 12
    data = (out / "els-8_afvinklijst.pdf").read_bytes()
    reading = read_page(rasterise_pdf(data, dpi=150, pages=[0])[0], "els", registry)
    assert reading.record is not None and reading.record.pack_id == "els-8"
    # again: up to date; without --scan-ready: made again (plain pages)
    batch(path, out, "-j", "1", "--only", "checklist", "--scan-ready")
    assert {o["status"] for o in report(out)["rows"]} == {"skipped"}
    batch(path, out, "-j", "1", "--only", "checklist")
    assert {o["status"] for o in report(out)["rows"]} == {"ok"}


@pytest.mark.parametrize("large", [False, True])
@pytest.mark.parametrize("foot", ["left", "both"])
def test_default_scan_ready_week_fits_a_sheet(library, foot, large):
    """One page a week; in large print (full size, larger scan margins) a sheet a week."""
    plan = make_plan(library, foot=foot, large_print=large)
    records = scan_records(plan, ScanSetup(b"k" * 32, "pack"))
    per_week = 2 if large else 1
    assert [r.week for r in records] == [w.number for w in plan.weeks for _ in range(per_week)]
    assert len({r.geometry.page_id for r in records}) == len(records)
    first = [b for r in records[:per_week] for b in r.geometry.boxes]
    assert {b.pain_kind for b in first if b.kind == "pain"} == {"first_steps", "during_exercise"}
