"""`handouts batch` as the front desk uses it: a roster in, PDFs and a report out; bad rows
reported, never stopping the others; safe to interrupt and to run again."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

import handouts.batch
import handouts.deliver
from handouts.cli import app

TODAY = ["--today", "2026-11-21"]
BOM = b"\xef\xbb\xbf"


def roster(tmp_path: Path, *lines: str, name: str = "roster.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(BOM + ("\r\n".join(lines) + "\r\n").encode("utf-8"))
    return path


def batch(path: Path, out: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["batch", str(path), "-o", str(out), *TODAY, *args])
    return result.exit_code, result.stdout, result.stderr


def report(out: Path) -> dict:
    return json.loads((out / "batch-report.json").read_text(encoding="utf-8"))


def pages(path: Path) -> list[str]:
    return [p.extract_text() or "" for p in PdfReader(io.BytesIO(path.read_bytes())).pages]


def pdfs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.pdf"))}


def test_a_bad_row_is_reported_and_the_others_are_made(tmp_path):
    path = roster(
        tmp_path,
        "naam;voet;start;taal;nummer",
        "Jan Peeters;links;07-12-2026;nl;1",
        "Piet Janssens;midden;07-12-2026;nl;2",
        "Anne Smith;rechts;2026-12-07;en;3",
    )
    out = tmp_path / "out"
    code, stdout, stderr = batch(path, out, "-j", "1")
    assert code == 1
    assert f"error: {path} row 3: voet: 'midden' is not a foot" in stderr
    assert "3 rows: 2 made, 0 up to date, 1 failed" in stdout
    assert sorted(pdfs(out)) == [
        "anne-smith-3_checklist.pdf",
        "anne-smith-3_exercises.pdf",
        "jan-peeters-1_afvinklijst.pdf",
        "jan-peeters-1_oefenschema.pdf",
    ]
    assert "Jan Peeters" in pages(out / "jan-peeters-1_oefenschema.pdf")[0]
    assert len(pages(out / "anne-smith-3_checklist.pdf")) == 12

    data = report(out)
    assert data["summary"] == {"rows": 3, "ok": 2, "skipped": 0, "failed": 1, "not-done": 0}
    jan, piet, anne = data["rows"]
    assert jan == {
        "row": 2,
        "id": "1",
        "slug": "jan-peeters-1",
        "status": "ok",
        "files": ["jan-peeters-1_oefenschema.pdf", "jan-peeters-1_afvinklijst.pdf"],
        "problems": [],
        "warnings": [],
    }
    assert piet["status"] == "failed" and piet["files"] == [] and piet["row"] == 3
    [problem] = piet["problems"]
    assert problem["field"] == "voet" and "'midden' is not a foot" in problem["message"]
    assert anne["files"] == ["anne-smith-3_exercises.pdf", "anne-smith-3_checklist.pdf"]


def test_a_row_that_fails_while_rendering_does_not_stop_the_others(tmp_path, monkeypatch):
    real_render = handouts.batch.render

    def render(plan, practice, kind, *args):
        if plan.patient_name == "Piet":
            raise RuntimeError("boom")
        return real_render(plan, practice, kind, *args)

    monkeypatch.setattr(handouts.batch, "render", render)
    path = roster(tmp_path, "naam;voet", "Jan;links", "Piet;rechts", "Anne;beide")
    out = tmp_path / "out"
    code, _, stderr = batch(path, out, "-j", "1", "--only", "checklist")
    assert code == 1
    assert f"{path} row 3: internal error (RuntimeError: boom)" in stderr
    assert sorted(pdfs(out)) == ["anne_afvinklijst.pdf", "jan_afvinklijst.pdf"]


def test_same_names_do_not_collide_and_odd_names_stay_inside_out(tmp_path):
    path = roster(
        tmp_path,
        "naam;voet;nummer",
        "Jan Peeters;links;",
        "Jan Peeters;rechts;",
        "../../escape;links;../../../etc/passwd",
        "/etc/passwd;links;",
        "..;rechts;..\\..\\x",
        "C:\\Windows\\evil;links;",
    )
    out = tmp_path / "out"
    code, _, stderr = batch(path, out, "-j", "1", "--only", "checklist")
    assert code == 0, stderr
    stems = [row["slug"] for row in report(out)["rows"]]
    assert stems == [
        "jan-peeters",
        "jan-peeters-2",
        "escape-etc-passwd",
        "etc-passwd",
        "patient-x",
        "c-windows-evil",
    ]
    everything = {p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file()}
    assert all(p.parts[0] == "out" for p in everything - {Path("roster.csv")})
    assert len(pdfs(out)) == 6
    assert "Jan Peeters" in pages(out / "jan-peeters-2_afvinklijst.pdf")[0]


def test_a_second_run_skips_what_is_up_to_date_and_force_redoes_it(tmp_path):
    lines = ["naam;voet;herhalingen", "Jan;links;8", "Piet;rechts;"]
    path = roster(tmp_path, *lines)
    out = tmp_path / "out"
    assert batch(path, out, "-j", "1", "--only", "checklist")[0] == 0
    stamps = {p.name: p.stat().st_mtime_ns for p in out.glob("*.pdf")}

    code, stdout, _ = batch(path, out, "-j", "1", "--only", "checklist")
    assert code == 0 and "0 made, 2 up to date" in stdout
    assert [r["status"] for r in report(out)["rows"]] == ["skipped", "skipped"]
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.pdf")} == stamps

    # one row changed: only that row is made again
    roster(tmp_path, lines[0], "Jan;links;10", lines[2])
    code, stdout, _ = batch(path, out, "-j", "1", "--only", "checklist")
    assert "1 made, 1 up to date" in stdout
    assert [r["status"] for r in report(out)["rows"]] == ["ok", "skipped"]

    # a file a power cut left empty (writes are not fsynced) is made again
    (out / "jan_afvinklijst.pdf").write_bytes(b"")
    code, stdout, _ = batch(path, out, "-j", "1", "--only", "checklist")
    assert "1 made, 1 up to date" in stdout
    assert (out / "jan_afvinklijst.pdf").stat().st_size > 1000

    # a file deleted by hand is made again
    (out / "piet_afvinklijst.pdf").unlink()
    code, stdout, _ = batch(path, out, "-j", "1", "--only", "checklist")
    assert "1 made, 1 up to date" in stdout and (out / "piet_afvinklijst.pdf").exists()

    code, stdout, _ = batch(path, out, "-j", "1", "--only", "checklist", "--force")
    assert "2 made, 0 up to date" in stdout


def test_files_are_byte_identical_whatever_the_number_of_jobs(tmp_path):
    path = roster(
        tmp_path,
        "naam;voet;start;taal",
        "Jan;links;07-12-2026;nl",
        "Anne;beide;14-12-2026;en",
        "Piet;rechts;;nl",
        "Fout;midden;;nl",
        "Noor;links;21-12-2026;nl-BE",
        "Lars;rechts;07-12-2026;en",
    )
    runs = {}
    for jobs in ("1", "2", "3"):  # this process alone, with one worker, with two
        out = tmp_path / f"jobs-{jobs}"
        assert batch(path, out, "-j", jobs)[0] == 1  # the bad row
        runs[jobs] = pdfs(out), [(r["row"], r["status"]) for r in report(out)["rows"]]
    assert len(runs["1"][0]) == 10
    assert runs["1"][1] == [(2, "ok"), (3, "ok"), (4, "ok"), (5, "failed"), (6, "ok"), (7, "ok")]
    assert runs["1"] == runs["2"] == runs["3"]


def test_a_batch_file_equals_the_generate_file(tmp_path):
    path = roster(tmp_path, "naam;voet;start", "Anne Peeters;links;07-12-2026")
    assert batch(path, tmp_path / "b", "-j", "1")[0] == 0
    patient = ["--name", "Anne Peeters", "--foot", "left", "--start", "2026-12-07"]
    result = CliRunner().invoke(app, ["generate", *patient, "-o", str(tmp_path / "g"), *TODAY])
    assert result.exit_code == 0
    assert pdfs(tmp_path / "b") == pdfs(tmp_path / "g")


def test_print_file_holds_every_page_in_roster_order(tmp_path):
    path = roster(
        tmp_path, "naam;voet;taal", "Zoë Zeeman;links;nl", "Bad;nope;nl", "Adam Aarts;beide;en"
    )
    out = tmp_path / "out"
    code, stdout, _ = batch(path, out, "-j", "1", "--print-file", str(tmp_path / "all.pdf"))
    assert code == 1  # the bad row is left out; the print file has the others
    parts = [
        out / "zoe-zeeman_oefenschema.pdf",
        out / "zoe-zeeman_afvinklijst.pdf",
        out / "adam-aarts_exercises.pdf",
        out / "adam-aarts_checklist.pdf",
    ]
    combined = pages(tmp_path / "all.pdf")
    # each file, padded to an even count with a page that says it is blank on purpose
    expected = []
    for part in parts:
        expected += pages(part)
        if len(expected) % 2:
            expected.append(combined[len(expected)])
            assert "intentionally blank" in expected[-1]
            assert "met opzet leeg" in expected[-1]
    assert combined == expected
    # so on a duplex printer every patient starts on a front (odd) page: page 1 and after
    adam = pages(parts[2])[0]
    assert combined.index(adam) % 2 == 0
    assert f"({len(combined)} pages)" in stdout
    assert report(out)["print_file"] == str(tmp_path / "all.pdf")


def interrupt_at(monkeypatch, module, name, call):
    """Make module.name raise KeyboardInterrupt (Ctrl-C) on its call-th call."""
    real = getattr(module, name)
    calls = []

    def interrupted(*args):
        calls.append(args)
        if len(calls) == call:
            raise KeyboardInterrupt
        return real(*args)

    monkeypatch.setattr(module, name, interrupted)


@pytest.mark.parametrize(
    "where",
    [
        "render",  # while the second patient's handout is being drawn
        "write",  # while the second patient's handout is being put in place
    ],
)
def test_an_interrupted_run_leaves_no_partial_pdf_and_the_next_run_completes(
    tmp_path, monkeypatch, where
):
    real_render = handouts.batch.render
    if where == "render":
        interrupt_at(monkeypatch, handouts.batch, "render", 3)
    else:  # each row: two PDFs and its state file, each via a rename
        interrupt_at(monkeypatch, handouts.deliver.os, "replace", 4)
    path = roster(tmp_path, "naam;voet", "Jan;links", "Piet;rechts", "Anne;beide")
    out = tmp_path / "out"
    code, _, stderr = batch(path, out, "-j", "1")
    assert code == 130 and "interrupted" in stderr
    assert sorted(pdfs(out)) == ["jan_afvinklijst.pdf", "jan_oefenschema.pdf"]
    assert all(len(pages(out / name)) > 0 for name in pdfs(out))  # complete, readable PDFs
    assert not list(out.rglob("*.part"))
    assert [r["status"] for r in report(out)["rows"]] == ["ok", "not-done", "not-done"]

    monkeypatch.undo()
    assert handouts.batch.render is real_render
    code, stdout, _ = batch(path, out, "-j", "1")
    assert code == 0 and "2 made, 1 up to date" in stdout
    assert len(pdfs(out)) == 6


def test_no_temporary_files_are_left_and_leftovers_are_cleared(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / ".jan_afvinklijst.pdf.k3j4h5g6.part").write_bytes(b"%PDF-1.4 half")  # a killed run
    path = roster(tmp_path, "naam;voet", "Jan;links")
    assert batch(path, out, "-j", "1", "--only", "checklist")[0] == 0
    assert not list(out.rglob("*.part"))
    assert sorted(p.name for p in out.iterdir()) == [
        ".batch-state",
        "batch-report.json",
        "jan_afvinklijst.pdf",
    ]


def test_progress_is_quiet_when_not_a_terminal(tmp_path):
    path = roster(tmp_path, "naam;voet", "Jan;links")
    code, stdout, stderr = batch(path, tmp_path / "out", "-j", "1", "--only", "checklist")
    assert code == 0 and stderr == ""
    assert stdout.splitlines() == [
        f"1 row: 1 made, 0 up to date, 0 failed; report: {tmp_path / 'out' / 'batch-report.json'}"
    ]


def test_yaml_roster(tmp_path):
    path = tmp_path / "roster.yaml"
    path.write_text(
        "- name: Anne\n  foot: left\n  exercises:\n"
        "    calf-stretch-wall-straight-knee: {hold_seconds: 45}\n"
        "- name: Jan\n  foot: right\n  language: en\n",
        encoding="utf-8",
    )
    code, _, stderr = batch(path, tmp_path / "out", "-j", "1", "--only", "handout")
    assert code == 0, stderr
    assert sorted(pdfs(tmp_path / "out")) == ["anne_oefenschema.pdf", "jan_exercises.pdf"]
    assert "45 s" in " ".join(pages(tmp_path / "out" / "anne_oefenschema.pdf"))


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "file not found"),
        ("naam;voeet\nJan;links\n", "column 'voeet': unknown column; did you mean 'voet'?"),
    ],
)
def test_a_bad_roster_file_is_exit_2_and_writes_nothing(tmp_path, content, expected):
    path = tmp_path / "roster.csv"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    code, stdout, stderr = batch(path, tmp_path / "out", "-j", "1")
    assert code == 2 and expected in stderr and stdout == ""
    assert not (tmp_path / "out").exists()


def test_practice_column_is_read_next_to_the_roster_and_a_bad_one_fails_its_row(tmp_path):
    (tmp_path / "praktijk.yaml").write_text("name: Fysio Oost\nphone: 012 34\n", encoding="utf-8")
    path = roster(tmp_path, "naam;voet;praktijk", "Jan;links;praktijk.yaml", "Piet;rechts;weg.yaml")
    out = tmp_path / "out"
    code, _, stderr = batch(path, out, "-j", "1", "--only", "checklist")
    assert code == 1
    assert "Fysio Oost" in pages(out / "jan_afvinklijst.pdf")[0]
    assert f"error: {path} row 3: praktijk: {tmp_path / 'weg.yaml'}: file not found" in stderr
    assert [r["status"] for r in report(out)["rows"]] == ["ok", "failed"]


def test_written_files_follow_the_umask_not_private_0600(tmp_path):
    import os
    import stat

    from handouts.deliver import atomic_write

    path = tmp_path / "x.pdf"
    atomic_write(path, b"%PDF-1.4")
    mode = stat.S_IMODE(path.stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    assert mode == 0o666 & ~umask


def test_rows_finished_by_workers_while_stopping_are_reported_as_made(tmp_path, monkeypatch):
    """Ctrl-C in the main process: the rows the workers were making still finish and are
    written; the report says so instead of calling them not-done."""
    import os
    import time

    main = os.getpid()
    real_render = handouts.batch.render
    out = tmp_path / "out"

    rendered_here: list[object] = []

    def render(*args):  # the main process is interrupted once a worker has made a row
        rendered_here.append(args)
        # its first row is made before the workers start (it warms the caches they inherit)
        if os.getpid() == main and len(rendered_here) > 1:
            deadline = time.monotonic() + 20
            while not list(out.glob("*.pdf")) and time.monotonic() < deadline:
                time.sleep(0.01)
            raise KeyboardInterrupt
        return real_render(*args)

    monkeypatch.setattr(handouts.batch, "render", render)
    names = ["Jan", "Piet", "Anne", "Zoë", "Mia", "Bas", "Eva", "Tom"]
    path = roster(tmp_path, "naam;voet", *(f"{name};links" for name in names))
    code, _, stderr = batch(path, out, "-j", "3", "--only", "checklist")
    assert (
        code == 130 and f"interrupted; rows in progress were finished or dropped, {out}" in stderr
    )
    rows = report(out)["rows"]
    made = {row["slug"] for row in rows if row["status"] == "ok"}
    on_disk = {p.name.removesuffix("_afvinklijst.pdf") for p in out.glob("*.pdf")}
    assert on_disk and made == on_disk
    assert {row["status"] for row in rows} <= {"ok", "not-done"}


def test_a_rows_plan_warnings_are_in_the_report_and_on_stderr(tmp_path):
    """A patient-wide value the programme cannot use: a warning naming the column as the
    roster spells it, with a fix a spreadsheet can make; the row is still made."""
    path = roster(tmp_path, "naam;voet;Herhalingen", "Anne;beide;10", "Jan;links;")
    out = tmp_path / "out"
    code, _, stderr = batch(path, out, "--only", "checklist")
    assert code == 0
    anne, jan = report(out)["rows"]
    assert anne["status"] == "ok" and anne["warnings"] and jan["warnings"] == []
    message = anne["warnings"][0]["message"]
    assert message.startswith("patient-wide Herhalingen 10 not used for ")
    assert "use a YAML roster with exercises: " in message and "set it under" not in message
    assert message in stderr and "warning: " in stderr


def test_row_warnings_and_errors_come_row_by_row_before_the_summary_line(tmp_path):
    """The front desk reads from the top: each row's warnings and errors in roster order, and
    the summary (what was made, where the report is) as the last line."""
    path = roster(
        tmp_path, "naam;voet;Herhalingen", "Anne;beide;10", "Piet;midden;", "Jan;links;10"
    )
    result = CliRunner().invoke(
        app, ["batch", str(path), "-o", str(tmp_path / "out"), *TODAY, "--only", "checklist"]
    )
    lines = result.output.splitlines()  # stdout and stderr as they were written
    assert result.exit_code == 1 and lines[-2].startswith("3 rows: 2 made")
    rows = [line.split(" row ")[1].split(":")[0] for line in lines if " row " in line]
    assert rows == sorted(rows) and set(rows) == {"2", "3", "4"}
    assert [line.split(":")[0] for line in lines if "row 3" in line] == ["error"]


def test_the_example_roster_makes_every_row_without_a_warning(tmp_path):
    """The README's first batch: a newcomer's first run should not be a page of warnings."""
    example = Path(__file__).resolve().parent.parent / "examples" / "roster.csv"
    code, stdout, stderr = batch(example, tmp_path / "out", "--only", "checklist")
    assert code == 0 and "4 rows: 4 made" in stdout
    assert stderr == ""


def test_a_rows_problems_name_the_column_as_the_roster_spells_it(tmp_path):
    """The front desk sees 'Voet' and 'Startdatum' in the sheet, not the tool's own names."""
    path = roster(
        tmp_path,
        "Voornaam;Achternaam;Voet;Startdatum;Herhalingen",
        "Anne;Peeters;midden;07-12-2026;10",
        "Jan;Smit;links;31-02-2026;",
        "Bo;Mol;links;07-12-2026;tien",
        "Zoë;" + "x" * 90 + ";links;;",
    )
    code, _, stderr = batch(path, tmp_path / "out", "--only", "checklist")
    assert code != 0
    errors = [line for line in stderr.splitlines() if line.startswith("error: ")]
    assert f"error: {path} row 2: Voet: 'midden' is not a foot" in errors[0]
    assert f"error: {path} row 3: Startdatum: " in errors[1]
    assert f"error: {path} row 4: Herhalingen: " in errors[2]
    assert f"error: {path} row 5: Voornaam + Achternaam: is 94 characters; at most 80" in errors[3]
    assert not any(f" {field}:" in stderr for field in ("foot", "start", "reps", "name"))


def test_print_file_starts_every_patient_on_a_front_side(tmp_path):
    from reportlab.lib.pagesizes import A4, LETTER
    from reportlab.pdfgen.canvas import Canvas

    from handouts.printfile import concatenate_parts

    def pdf(name: str, count: int, size: tuple[float, float]) -> Path:
        path = tmp_path / f"{name}.pdf"
        canvas = Canvas(str(path), pagesize=size)
        for n in range(count):
            canvas.drawString(72, 720, f"{name} page {n + 1}")
            canvas.showPage()
        canvas.save()
        return path

    parts = [
        [pdf("anne", 3, A4)],
        [pdf("bram", 2, LETTER), pdf("bram-list", 1, LETTER)],
        [pdf("cor", 2, A4)],
    ]
    total = concatenate_parts(parts, tmp_path / "all.pdf")
    texts = pages(tmp_path / "all.pdf")
    assert total == len(texts) == 3 + 1 + 3 + 1 + 2
    for first in ("anne page 1", "bram page 1", "cor page 1"):
        assert texts.index(next(t for t in texts if first in t)) % 2 == 0  # page 1, 5, 9: fronts
    for blank in (3, 7):
        assert "intentionally blank" in texts[blank] and "met opzet leeg" in texts[blank]
    reader = PdfReader(tmp_path / "all.pdf")
    assert reader.pages[7].mediabox.width == LETTER[0]  # the blank back matches its sheet


def test_one_pdf_per_patient(tmp_path):
    path = roster(tmp_path, "naam;voet;taal", "Zoë Zeeman;links;nl", "Adam Aarts;beide;en")
    assert batch(path, tmp_path / "parts", "-j", "1")[0] == 0
    assert batch(path, tmp_path / "packs", "-j", "1", "--one-pdf")[0] == 0
    for pack, parts in (
        ("zoe-zeeman_oefenmap.pdf", ("zoe-zeeman_oefenschema.pdf", "zoe-zeeman_afvinklijst.pdf")),
        ("adam-aarts_pack.pdf", ("adam-aarts_exercises.pdf", "adam-aarts_checklist.pdf")),
    ):
        expected = [t for part in parts for t in pages(tmp_path / "parts" / part)]
        assert pages(tmp_path / "packs" / pack) == expected
    assert report(tmp_path / "packs")["rows"][0]["files"] == ["zoe-zeeman_oefenmap.pdf"]


def test_a_row_with_education_separate_gets_its_booklet(tmp_path):
    """As generate: the topics in their own booklet, not in the handout; remaking only the
    handout (its file gone) still leaves them out of it."""
    path = roster(tmp_path, "naam;voet;uitleg", "Jan;links;separate", "Piet;links;ja")
    out = tmp_path / "out"
    assert batch(path, out)[0] == 0
    jan, piet = report(out)["rows"]
    assert jan["files"][-1] == "jan_goed-om-te-weten.pdf" and len(piet["files"]) == 2
    booklet = " ".join(pages(out / "jan_goed-om-te-weten.pdf"))
    handout = " ".join(pages(out / "jan_oefenschema.pdf"))
    assert "Goed om te weten" in booklet and "Goed om te weten" not in handout
    (out / "jan_oefenschema.pdf").unlink()
    assert batch(path, out)[0] == 0
    assert "Goed om te weten" not in " ".join(pages(out / "jan_oefenschema.pdf"))


def test_checklist_weeks_as_generate_does_and_a_changed_range_remakes_the_checklists(tmp_path):
    path = roster(tmp_path, "naam;voet;start", "Jan;links;07-12-2026", "Piet;beide;07-12-2026")
    out = tmp_path / "out"
    assert batch(path, out, "-j", "1", "--checklist-weeks", "1-4")[0] == 0
    assert report(out)["checklist_weeks"] == "1-4"
    jan = pages(out / "jan_afvinklijst.pdf")
    assert len(jan) == 4 and "Week 4 van 12" in jan[-1]
    generated = tmp_path / "generated"
    code = (
        CliRunner()
        .invoke(
            app,
            [
                *("generate", "--name", "Jan", "--foot", "links", "--start", "07-12-2026"),
                *(*TODAY, "--checklist-weeks", "1-4", "-o", str(generated)),
            ],
        )
        .exit_code
    )
    assert code == 0  # the same meaning: the same bytes
    assert (generated / "jan_afvinklijst.pdf").read_bytes() == (
        out / "jan_afvinklijst.pdf"
    ).read_bytes()
    handout = (out / "jan_oefenschema.pdf").stat().st_mtime_ns
    code, stdout, _ = batch(path, out, "-j", "1", "--checklist-weeks", "1-4")
    assert code == 0 and "0 made, 2 up to date" in stdout
    code, stdout, _ = batch(path, out, "-j", "1", "--checklist-weeks", "5-8")
    assert code == 0 and "2 made, 0 up to date" in stdout
    assert "Week 5 van 12" in pages(out / "jan_afvinklijst.pdf")[0]
    assert (out / "jan_oefenschema.pdf").stat().st_mtime_ns == handout  # not remade
    code, stdout, _ = batch(path, out, "-j", "1")  # all weeks again
    assert code == 0 and len(pages(out / "jan_afvinklijst.pdf")) == 12


def test_checklist_weeks_errors_are_the_same_as_generates(tmp_path):
    path = roster(tmp_path, "naam;voet;weken", "Jan;links;", "Piet;links;6")
    out = tmp_path / "out"
    for bad in ("4-2", "week", "0-3"):
        code, _, stderr = batch(path, out, "--checklist-weeks", bad)
        assert code == 2 and "checklist-weeks" in stderr and "not a range of weeks" in stderr
        assert not (out / "batch-report.json").exists()
    code, _, stderr = batch(path, out, "-j", "1", "--checklist-weeks", "5-8")
    assert code == 1  # Piet's plan has 6 weeks: his row fails, named; Jan's is made
    assert f"{path} row 3: checklist-weeks: 5-8 goes past the plan's 6 weeks" in stderr
    jan, piet = report(out)["rows"]
    assert jan["status"] == "ok" and piet["status"] == "failed"
    assert not (out / "piet_afvinklijst.pdf").exists()


def test_a_roster_column_gives_each_row_its_own_checklist_weeks(tmp_path):
    """Patients at different stages: each row hands out its own weeks; the option wins over
    the column; a bad range fails that row, named."""
    path = roster(
        tmp_path,
        "naam;voet;afvinkweken",
        "Jan;links;1-4",
        "Piet;links;5–8",
        "Els;links;",
        "Bas;links;4-2",
    )
    out = tmp_path / "out"
    code, _, stderr = batch(path, out, "-j", "1", "--only", "checklist")
    assert code == 1
    assert f"{path} row 5: afvinkweken: '4-2' is not a range of weeks" in stderr
    firsts = {name: pages(out / f"{name}_afvinklijst.pdf") for name in ("jan", "piet", "els")}
    assert [len(p) for p in firsts.values()] == [4, 4, 12]
    assert "Week 5 van 12" in firsts["piet"][0]
    code, stdout, _ = batch(path, out, "-j", "1", "--only", "checklist", "--checklist-weeks", "9")
    assert code == 1 and "3 made" in stdout  # Bas still fails
    assert all("Week 9 van 12" in pages(out / f"{n}_afvinklijst.pdf")[0] for n in firsts)


def test_a_patient_files_checklist_weeks_as_the_option(tmp_path):
    patient = tmp_path / "patient.yaml"
    patient.write_text("naam: Jan\nvoet: links\nafvinkweken: 2-3\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["generate", str(patient), *TODAY, "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    listed = pages(out / "jan_afvinklijst.pdf")
    assert len(listed) == 2 and "Week 2 van 12" in listed[0]
    patient.write_text("naam: Jan\nvoet: links\nafvinkweken: 11-13\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["generate", str(patient), *TODAY, "-o", str(out)])
    assert result.exit_code == 2
    assert f"{patient}: afvinkweken: 11-13 goes past the plan's 12 weeks" in result.stderr


def test_validate_finds_a_checklist_weeks_range_past_the_plan(tmp_path):
    patient = tmp_path / "patient.yaml"
    patient.write_text("naam: Jan\nvoet: links\nweken: 6\nafvinkweken: 5-8\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(patient), *TODAY])
    assert result.exit_code == 2
    assert f"{patient}: afvinkweken: 5-8 goes past the plan's 6 weeks" in result.stderr


def test_workers_started_by_spawn_as_on_windows_make_the_same_files(tmp_path, monkeypatch):
    """Windows starts worker processes fresh (spawn), not by fork: the same PDFs result."""
    import handouts.batch

    path = roster(tmp_path, "naam;voet", "Anne;beide", "Jan;links")
    code, _, err = batch(path, tmp_path / "forked", "-j", "2", "--only", "checklist")
    assert code == 0, err
    monkeypatch.setattr(handouts.batch, "_START_METHOD", "spawn")
    code, _, err = batch(path, tmp_path / "spawned", "-j", "2", "--only", "checklist")
    assert code == 0, err
    for name in ("anne_afvinklijst.pdf", "jan_afvinklijst.pdf"):
        assert (tmp_path / "spawned" / name).read_bytes() == (
            tmp_path / "forked" / name
        ).read_bytes()
