"""Hostile input, by class: every input is built here, small, and each must give exit code 2
(input error), one clear line naming the file and field, no traceback, nothing written.
`validate`, `generate` and `batch` must agree on what is bad."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import struct
import time
import unicodedata
import zlib
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result
from PIL import Image

from handouts import limits, text
from handouts.batch import _hash_files
from handouts.cli import app
from handouts.errors import Problem, clean
from handouts.library import shipped_library_dir
from tests.conftest import pdf_pages

TODAY = ["--today", "2026-11-21"]
SHIPPED = shipped_library_dir()
EXERCISE = "plantar-fascia-stretch-seated"  # a shipped exercise a practice library replaces


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args])


def assert_input_error(result: Result, *names: str) -> str:
    """Exit 2, exactly one error line, naming each of names; no traceback; returns the line."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert isinstance(result.exception, SystemExit)
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, result.stderr
    for name in names:
        assert name in lines[0], lines[0]
    assert len(lines[0]) < 600
    return lines[0]


def nothing_written(folder: Path) -> bool:
    return not folder.exists() or not any(folder.iterdir())


def patient_file(folder: Path, body: str, name: str = "patient.yaml") -> Path:
    path = folder / name
    path.write_text(body, encoding="utf-8")
    return path


def generate(path: Path, out: Path, *args: str | Path) -> Result:
    return invoke("generate", path, "-o", out, *TODAY, *args)


# --- templates: only {{ variable }} and {% if variable %} ---------------------------------------

HOSTILE_TEMPLATES = {
    "attribute": "{{ foot.__class__.__mro__ }}",
    "call": "{{ lipsum.__globals__['os'].system('touch pwned') }}",
    "item": "{{ foot['x'] }}",
    "filter": "{{ foot|attr('upper') }}",
    "loop": "{% for x in range(10**9) %}x{% endfor %}",
    "power": "{{ 10**10**10 }}",
    "set": "{% set x = foot %}{{ x }}",
    "include": "{% include '/etc/passwd' %}",
    "import": "{% import 'x' as y %}",
    "macro": "{% macro m() %}x{% endmacro %}",
    "literal": "{{ 'x' * 1000000 }}",
    "comparison": "{% if foot == 'x' %}x{% endif %}",
    "unknown name": "{{ cycler }}",
    "deep ifs": "{% if foot %}" * 8 + "x" + "{% endif %}" * 8,
}


def practice_library(folder: Path, step: str | None = None, svg: bytes | None = None) -> Path:
    """A practice library that replaces one shipped exercise: its first Dutch step, its
    picture."""
    data = yaml.safe_load((SHIPPED / "exercises" / f"{EXERCISE}.yaml").read_text("utf-8"))
    if step is not None:
        data["texts"]["nl"]["steps"][0] = step
    (folder / "exercises").mkdir(parents=True, exist_ok=True)
    (folder / "exercises" / f"{EXERCISE}.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True), encoding="utf-8"
    )
    if svg is not None:
        (folder / "exercises" / f"{EXERCISE}.svg").write_bytes(svg)
    return folder


@pytest.mark.parametrize("template", HOSTILE_TEMPLATES.values(), ids=HOSTILE_TEMPLATES.keys())
def test_a_library_text_beyond_the_format_is_refused_everywhere(tmp_path, template):
    library = practice_library(tmp_path / "lib", step=template)
    exercise_file = str(library / "exercises" / f"{EXERCISE}.yaml")
    patient = patient_file(tmp_path, "name: Anne\nfoot: left\nstart: 2026-12-07\n")
    out = tmp_path / "out"

    line = assert_input_error(
        generate(patient, out, "--library", library), exercise_file, "texts.nl.steps.1"
    )
    assert nothing_written(out)
    assert not (Path.cwd() / "pwned").exists()
    assert line in invoke("validate", "--library", library).stderr
    roster = tmp_path / "roster.csv"
    roster.write_text("naam;voet\nAnne;links\n", encoding="utf-8")
    result = invoke("batch", roster, "-o", out, "--library", library, *TODAY)
    assert result.exit_code == 2 and exercise_file in result.stderr
    assert nothing_written(out)


def test_the_format_itself_still_works():
    source = "{% if both_feet %}Beide voeten.{% elif not both_feet %}Je {{ foot }}.{% endif %}"
    assert text.check_template(source, "nl") == []
    assert text.render(source, {"both_feet": False, "foot": "linkervoet"}) == "Je linkervoet."
    assert text.render(source, {"both_feet": True, "foot": "x"}) == "Beide voeten."
    assert text.check_template("{{ weeks }}", "nl", allowed=frozenset({"weeks"})) == []


def test_a_phase_note_in_an_unknown_language_is_a_problem_not_a_crash(tmp_path):
    data = yaml.safe_load((SHIPPED / "programmes" / "combined.yaml").read_text("utf-8"))
    first = next(iter(data["phases"][0]["exercises"]))
    data["phases"][0]["exercises"][first] = {"note": {"de": "Mit dem {{ foot }}."}}
    (tmp_path / "programmes").mkdir()
    (tmp_path / "programmes" / "combined.yaml").write_text(yaml.safe_dump(data), "utf-8")
    line = assert_input_error(invoke("validate", "--library", tmp_path), "phases.1.exercises.note")
    assert "unknown language 'de'" in line


def test_the_sandbox_refuses_even_a_text_that_skipped_the_check():
    import jinja2.exceptions

    for source in ("{{ foot.__class__ }}", "{{ foot[0] }}", "{{ 7 ** 7 }}", "{{ range(3) }}"):
        template = text._ENV.from_string(source)  # straight to the sandbox, no whitelist
        with pytest.raises((jinja2.exceptions.SecurityError, jinja2.exceptions.UndefinedError)):
            template.render(foot="voet")


def test_a_text_too_long_is_refused_before_parsing():
    [problem] = text.check_template("{{ foot }}" * 1001, "nl")
    assert "at most 10,000" in problem


def test_a_text_that_grows_too_long_is_cut_off_with_an_input_error(monkeypatch):
    from handouts.errors import InputError

    monkeypatch.setattr(limits, "MAX_RENDERED_CHARS", 100)
    with pytest.raises(InputError, match="longer than 100"):
        text.render("{{ foot }} " * 50, {"foot": "linkervoet"})


# --- YAML: size, aliases, nesting, duplicate keys, numbers ---------------------------------------


def alias_bomb() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 9):
        this, below = chr(ord("a") + level), chr(ord("a") + level - 1)
        lines.append(f"{this}: &{this} [{','.join(['*' + below] * 9)}]")
    return "name: Anne\nfoot: left\n" + "\n".join(lines) + "\n"


def merge_bomb() -> str:
    lines = ["l0: &l0 {" + ", ".join(f"k{i}: {i}" for i in range(9)) + "}"]
    for level in range(1, 9):
        merged = ", ".join([f"*l{level - 1}"] * 9)
        lines.append(f"l{level}: &l{level}\n  <<: [{merged}]")
    return "name: Anne\nfoot: left\n" + "\n".join(lines) + "\n"


HOSTILE_YAML = {
    "alias bomb": (alias_bomb(), "expands to more than"),
    "merge bomb": (merge_bomb(), "expands to more than"),
    "deep nesting": ("name: Anne\nfoot: left\nx: " + "[" * 5000 + "\n", "nested deeper"),
    "deep mappings": (
        "".join(" " * i + f"k{i}:\n" for i in range(100)) + " " * 100 + "v: 1\n",
        "nested deeper",
    ),
    "duplicate key": ("name: Anne\nfoot: left\nfoot: right\n", "line 3: key 'foot' is given twice"),
    "huge number": ("name: Anne\nfoot: left\nreps: " + "9" * 5000 + "\n", "line 3: a number"),
    "huge float": ("name: Anne\nfoot: left\nreps: 1" + "0" * 400 + ".5\n", "line 3: a number"),
    "huge value": ("name: Anne\nfoot: left\nnotes: " + "x" * 20_000 + "\n", "line 3: a value of"),
}


@pytest.mark.parametrize("body,expected", HOSTILE_YAML.values(), ids=HOSTILE_YAML.keys())
def test_a_hostile_yaml_file_fails_fast_and_small(tmp_path, body, expected):
    path = patient_file(tmp_path, body)
    out = tmp_path / "out"
    assert_input_error(generate(path, out), str(path), expected)
    assert nothing_written(out)
    assert_input_error(invoke("validate", path), str(path), expected)
    # the same file as a practice profile, named by a roster row: that row fails
    practice = patient_file(tmp_path, body.replace("foot", "phone"), "practice.yaml")
    roster = tmp_path / "roster.csv"
    roster.write_text("naam;voet;praktijk\nAnne;links;practice.yaml\n", encoding="utf-8")
    result = invoke("batch", roster, "-o", out, *TODAY)
    assert result.exit_code == 1, result.output
    assert str(practice) in result.stderr and expected.replace("foot", "phone") in result.stderr


def test_a_file_of_a_thousand_mistakes_gives_a_bounded_list(tmp_path):
    path = patient_file(
        tmp_path, "name: Anne\nfoot: left\n" + "".join(f"k{n}: 1\n" for n in range(1000))
    )
    result = generate(path, tmp_path / "out")
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == limits.MAX_PROBLEMS_PER_FILE + 1
    assert "and 980 more problems" in lines[-1]


def test_a_huge_value_in_a_yaml_roster_fails_its_row_only(tmp_path):
    rows = [
        {"name": "Anne", "foot": "left", "start": "2026-12-07"},
        {"name": "B" * 200_000, "foot": "left"},
    ]
    roster = tmp_path / "roster.yaml"
    roster.write_text(yaml.safe_dump(rows), encoding="utf-8")
    out = tmp_path / "out"
    result = invoke("batch", roster, "-o", out, "-j", "1", "--only", "handout", *TODAY)
    assert result.exit_code == 1, result.output
    assert "2 rows: 1 made" in result.stdout
    assert all(len(line) < 600 for line in result.stderr.splitlines())


def test_the_duplicate_key_is_named_with_both_lines(tmp_path):
    path = patient_file(tmp_path, "name: Anne\nfoot: left\nreps: 10\nfoot: right\n")
    line = assert_input_error(generate(path, tmp_path / "out"), str(path))
    assert "line 4: key 'foot' is given twice (first on line 2)" in line


def test_anchors_within_reason_still_work(tmp_path):
    path = patient_file(
        tmp_path,
        "name: Anne\nfoot: left\nstart: 2026-12-07\n"
        "exercises:\n  calf-stretch-wall-bent-knee: &twice {sets: 2}\n"
        "  calf-stretch-wall-straight-knee: *twice\n",
    )
    assert invoke("validate", path).exit_code == 0


def test_a_huge_or_endless_file_is_refused_without_reading_it(tmp_path):
    big = tmp_path / "big.yaml"
    with big.open("wb") as handle:  # sparse: 50 MB on paper, nothing on disk
        handle.truncate(50_000_000)
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)  # opening it for reading would wait for a writer forever
    out = tmp_path / "out"
    for path, expected in (
        (big, "too big"),
        (Path("/dev/zero"), "not a regular file"),
        (fifo, "not a regular file"),
    ):
        assert_input_error(generate(path, out), str(path), expected)
        assert_input_error(invoke("validate", path), str(path), expected)
    assert nothing_written(out)


# --- messages on a terminal ----------------------------------------------------------------------

NASTY = "\x1b]0;owned\x07\x1b[2J\x08\u202eevil\u2066\x9b\x00"


def assert_terminal_safe(output: str) -> None:
    for char in output:
        assert char == "\n" or unicodedata.category(char) not in {"Cc", "Cf", "Zl", "Zp"}, repr(
            char
        )


def test_control_characters_are_escaped_and_long_values_cut(tmp_path):
    options = ["--name", "A" * 1_500, "--foot", "left", "--notes", NASTY * 5]
    result = invoke("generate", "-o", tmp_path / "out", *options)
    assert result.exit_code == 2
    assert_terminal_safe(result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 2  # name, notes: one short line each
    assert all(len(line) < 400 for line in lines)
    assert "control character ('\\x1b')" in lines[1]
    # a choice refused by the command line itself (Click's own message) is escaped too
    result = invoke("generate", "-o", tmp_path / "out", "--name", "Jan", "--foot", NASTY)
    assert result.exit_code == 2
    assert_terminal_safe(result.stderr)
    assert "\\x1b]0;owned\\x07" in result.stderr and "\\u202e" in result.stderr


def test_the_batch_report_holds_the_same_escaped_text(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(f"naam;voet\nAnne;links\nBen;{NASTY}{'x' * 5000}\n", encoding="utf-8")
    out = tmp_path / "out"
    result = invoke("batch", roster, "-o", out, *TODAY)
    assert result.exit_code == 1
    assert_terminal_safe(result.output)
    [failed] = [row for row in json.loads((out / "batch-report.json").read_text())["rows"]
                if row["status"] == "failed"]  # fmt: skip
    message = failed["problems"][0]["message"]
    assert_terminal_safe(message)
    assert message in result.stderr and len(message) <= limits.MAX_MESSAGE_CHARS


def test_the_batch_report_escapes_a_patient_number_too(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(f"naam;voet;nummer\nAnne;links;P1{NASTY}\n", encoding="utf-8")
    out = tmp_path / "out"
    invoke("batch", roster, "-o", out, "--only", "checklist", *TODAY)
    [row] = json.loads((out / "batch-report.json").read_text(encoding="utf-8"))["rows"]
    assert row["id"].startswith("P1") and "\\x1b" in row["id"]
    assert_terminal_safe(row["id"])


def test_a_library_text_with_control_characters_is_refused(tmp_path):
    library = practice_library(tmp_path / "lib", step="Zet je {{ foot }} neer.\x1b]0;owned\x07")
    exercise_file = str(library / "exercises" / f"{EXERCISE}.yaml")
    result = invoke("exercises", "--library", library)
    line = assert_input_error(result, exercise_file, "line ", "control character ('\\x1b')")
    assert line in invoke("validate", "--library", library).stderr
    assert_terminal_safe(result.output)


def test_clean_escapes_once_and_keeps_the_fix_at_the_end():
    line = clean("bad value " + NASTY + "x" * 1000 + "; write it again")
    assert len(line) <= limits.MAX_MESSAGE_CHARS
    assert line.startswith("bad value \\x1b]0;owned\\x07") and line.endswith("; write it again")
    assert clean(line) == line
    problem = Problem("roster.csv\x1b[31m", "name\u202e", "x" * 10_000)
    assert "\x1b" not in str(problem) and "\u202e" not in str(problem)
    assert len(str(problem)) < 500


# --- logos ---------------------------------------------------------------------------------------


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header says width x height: a decompression bomb's first bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 1000))
        + chunk(b"IEND", b"")
    )


def real_png(size: tuple[int, int] = (300, 120)) -> bytes:
    import io

    buffer = io.BytesIO()
    Image.effect_noise(size, 60).convert("RGB").save(buffer, "PNG")
    return buffer.getvalue()


def gif() -> bytes:
    import io

    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "GIF")
    return buffer.getvalue()


HOSTILE_LOGOS = {
    "empty": (b"", "is empty"),
    "fake": (b"this is not a picture at all\n" * 10, "cannot be read as an image"),
    "truncated": (real_png()[:3000], "cannot be read as an image"),
    "bomb": (png_claiming(13_000, 13_000), "million pixels"),
    "big": (png_claiming(4_000, 4_000), "4000 × 4000 pixels"),
    "gif inside": (gif(), "is not a PNG or JPEG image inside"),
}


@pytest.mark.parametrize("content,expected", HOSTILE_LOGOS.values(), ids=HOSTILE_LOGOS.keys())
def test_a_bad_logo_is_an_input_error_everywhere(tmp_path, content, expected):
    (tmp_path / "logo.png").write_bytes(content)
    practice = patient_file(tmp_path, "name: Praktijk\nlogo: logo.png\n", "practice.yaml")
    patient = patient_file(tmp_path, "name: Anne\nfoot: left\npractice: practice.yaml\n")
    out = tmp_path / "out"
    assert_input_error(generate(patient, out), str(practice), "logo", "logo.png", expected)
    assert nothing_written(out)
    assert_input_error(invoke("validate", practice), str(practice), "logo", expected)
    assert_input_error(invoke("validate", patient), str(practice), "logo", expected)
    roster = tmp_path / "roster.csv"
    roster.write_text("naam;voet;praktijk\nAnne;links;practice.yaml\n", encoding="utf-8")
    result = invoke("batch", roster, "-o", out, *TODAY)
    assert result.exit_code == 1 and expected in result.stderr


def test_a_huge_logo_file_is_not_read(tmp_path):
    with (tmp_path / "logo.png").open("wb") as handle:
        handle.truncate(limits.MAX_LOGO_BYTES + 1)
    practice = patient_file(tmp_path, "logo: logo.png\n", "practice.yaml")
    assert_input_error(invoke("validate", practice), "logo", "too big")


def test_a_good_logo_is_printed(tmp_path):
    (tmp_path / "logo.png").write_bytes(real_png())
    patient_file(tmp_path, "name: Praktijk De Voet\nlogo: logo.png\n", "practice.yaml")
    patient = patient_file(tmp_path, "name: Anne\nfoot: left\npractice: practice.yaml\n")
    result = generate(patient, tmp_path / "out", "--only", "handout")
    assert result.exit_code == 0, result.output
    assert invoke("validate", patient).exit_code == 0


# --- exercise pictures ---------------------------------------------------------------------------

SVG_HEAD = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    'width="400" height="300">'
)
AFFECTED = '<g id="affected"><rect width="10" height="10" fill="#c0392b"/></g>'


def use_bomb() -> str:
    body = '<g id="l0"><rect width="1" height="1"/></g>'
    for level in range(1, 8):
        body += f'<g id="l{level}">' + f'<use xlink:href="#l{level - 1}"/>' * 10 + "</g>"
    return SVG_HEAD + body + AFFECTED + "</svg>"


HOSTILE_SVGS = {
    "image of a local file": (
        SVG_HEAD + '<image xlink:href="file:///etc/passwd" width="9" height="9"/>' + AFFECTED,
        "<image>",
    ),
    "outside href": (SVG_HEAD + '<use href="other.svg#x"/>' + AFFECTED, "outside the picture"),
    "style url": (
        SVG_HEAD + '<rect style="fill:url(http://example.com/x)"/>' + AFFECTED,
        "url(), @import",
    ),
    "entities": (
        '<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
        + SVG_HEAD
        + "<text>&b;&b;</text>"
        + AFFECTED,
        "DOCTYPE",
    ),
    "use bomb": (use_bomb()[: -len("</svg>")], "through <use>"),
    "use cycle": (
        SVG_HEAD + '<g id="a"><use href="#b"/></g><g id="b"><use href="#a"/></g>' + AFFECTED,
        "cycle",
    ),
    "text": (SVG_HEAD + '<text font-family="/etc/passwd">Links</text>' + AFFECTED, "has text"),
    "not svg": ("<html><body>hello</body></html>", "not an SVG"),
    "broken": (SVG_HEAD + "<g>", "cannot be read as SVG"),
    "deep": (SVG_HEAD + "<g>" * 60 + "</g>" * 60 + AFFECTED, "nested deeper"),
}


@pytest.mark.parametrize("svg,expected", HOSTILE_SVGS.values(), ids=HOSTILE_SVGS.keys())
def test_a_bad_picture_is_an_input_error_everywhere(tmp_path, svg, expected):
    if not svg.startswith("<html") and "</svg>" not in svg and expected != "cannot be read as SVG":
        svg += "</svg>"
    library = practice_library(tmp_path / "lib", svg=svg.encode())
    picture = str(library / "exercises" / f"{EXERCISE}.svg")
    patient = patient_file(tmp_path, "name: Anne\nfoot: left\nstart: 2026-12-07\n")
    out = tmp_path / "out"
    result = generate(patient, out, "--library", library)
    assert_input_error(result, picture, expected)
    assert "passwd" not in result.stderr.replace("'file:///etc/passwd'", "")
    assert nothing_written(out)
    assert_input_error(invoke("validate", "--library", library), picture, expected)
    roster = tmp_path / "roster.csv"
    roster.write_text("naam;voet\nAnne;links\n", encoding="utf-8")
    assert_input_error(invoke("batch", roster, "-o", out, "--library", library), picture, expected)
    assert nothing_written(out)


def test_a_picture_svglib_cannot_draw_is_an_input_error(tmp_path):
    svg = SVG_HEAD.replace('width="400"', 'width="wide"') + AFFECTED + "</svg>"
    library = practice_library(tmp_path / "lib", svg=svg.encode())
    patient = patient_file(tmp_path, "name: Anne\nfoot: left\nstart: 2026-12-07\n")
    out = tmp_path / "out"
    picture = str(library / "exercises" / f"{EXERCISE}.svg")
    assert_input_error(generate(patient, out, "--library", library), picture, "svglib")
    assert nothing_written(out)
    assert_input_error(invoke("validate", "--library", library), picture, "svglib")


def test_svglib_never_prints_on_the_terminal(tmp_path):
    """svglib logs what it cannot draw; unconfigured logging would print it (pytest configures
    logging, so this runs the command in a process of its own)."""
    import subprocess
    import sys

    odd = '<rect width="5" height="5" fill="notacolour" transform="rotate(x y"/>'
    svg = SVG_HEAD + odd + AFFECTED + "</svg>"
    library = practice_library(tmp_path / "lib", svg=svg.encode())
    patient = patient_file(tmp_path, f"name: Anne\nfoot: left\nstart: {dt.date.today()}\n")
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, str(root / "generate.py"), "generate", str(patient), "-o",
         str(tmp_path / "out"), "--library", str(library), "--only", "handout"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_a_huge_picture_is_not_read(tmp_path):
    library = practice_library(tmp_path / "lib")
    with (library / "exercises" / f"{EXERCISE}.svg").open("wb") as handle:
        handle.truncate(limits.MAX_SVG_BYTES + 1)
    assert_input_error(invoke("validate", "--library", library), f"{EXERCISE}.svg", "too big")


# --- library folders -----------------------------------------------------------------------------


def test_a_library_folder_is_read_and_hashed_by_its_own_files_only(tmp_path):
    library = practice_library(tmp_path / "lib")
    (library / "photos").mkdir()
    (library / "photos" / "holiday.jpg").write_bytes(b"x" * 1000)
    before = _hash_files.__wrapped__((library,))
    (library / "photos" / "holiday.jpg").write_bytes(b"y" * 1000)
    assert _hash_files.__wrapped__((library,)) == before
    exercise = library / "exercises" / f"{EXERCISE}.yaml"
    exercise.write_text(exercise.read_text("utf-8") + "\n", encoding="utf-8")
    assert _hash_files.__wrapped__((library,)) != before


def test_a_folder_with_too_many_files_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_LIBRARY_FILES", 5)
    library = practice_library(tmp_path / "lib")
    for n in range(6):
        shutil.copy(library / "exercises" / f"{EXERCISE}.yaml", library / "exercises" / f"{n}.yaml")
    patient = patient_file(tmp_path, "name: Anne\nfoot: left\nstart: 2026-12-07\n")
    assert_input_error(generate(patient, tmp_path / "out", "--library", library), str(library),
                       "more than 5 library files")  # fmt: skip
    assert_input_error(invoke("validate", "--library", library), "more than 5 library files")


def test_the_root_folder_as_library_does_not_walk_the_disk(tmp_path):
    patient_file(tmp_path, "name: Praktijk\nlibrary: /\n", "practice.yaml")
    roster = tmp_path / "roster.csv"
    roster.write_text("naam;voet;praktijk;start\nAnne;links;practice.yaml;2026-12-07\n", "utf-8")
    result = invoke("batch", roster, "-o", tmp_path / "out", "-j", "1", *TODAY)
    assert result.exit_code == 0, result.output


# --- plausibility --------------------------------------------------------------------------------


@pytest.mark.parametrize("start", ["9999-12-31", "0001-01-01", "31-12-1899"])
def test_an_impossible_start_date_is_an_input_error(tmp_path, start):
    path = patient_file(tmp_path, f"name: Anne\nfoot: left\nstart: {start}\n")
    out = tmp_path / "out"
    assert_input_error(generate(path, out), str(path), "start", "not a plausible start date")
    assert nothing_written(out)
    assert_input_error(invoke("validate", path), str(path), "start")


def test_an_unusual_start_or_length_is_made_with_a_warning(tmp_path):
    far = dt.date.today() + dt.timedelta(days=400)
    path = patient_file(tmp_path, f"name: Anne\nfoot: left\nstart: {far}\nweeks: 40\n")
    result = generate(path, tmp_path / "out", "--only", "handout")
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert any(str(path) in w and "start" in w and "check the year" in w for w in warnings)
    assert any("weeks" in w for w in warnings)
    result = invoke("validate", path)
    assert result.exit_code == 0 and "warning:" in result.stderr


def test_practice_text_fields_have_limits(tmp_path):
    practice = patient_file(tmp_path, f"name: {'Praktijk ' * 30}\n", "practice.yaml")
    patient = patient_file(tmp_path, "name: Anne\nfoot: left\npractice: practice.yaml\n")
    assert_input_error(generate(patient, tmp_path / "out"), str(practice), "name", "at most 80")
    practice.write_text('phone: "012\\x1b[2J345"\n', encoding="utf-8")
    assert_input_error(invoke("validate", practice), str(practice), "line 1", "control character")


def test_the_longest_allowed_practice_name_is_laid_out(tmp_path):
    name = ("Praktijk voor Fysiotherapie en Manuele Therapie " * 3)[: limits.MAX_PRACTICE_NAME]
    fields = {"name": name, "therapist": "T" * limits.MAX_PRACTICE_FIELD, "phone": "0" * 30}
    patient_file(tmp_path, yaml.safe_dump(fields), "practice.yaml")
    patient = patient_file(tmp_path, "name: Anne\nfoot: left\npractice: practice.yaml\n")
    result = generate(patient, tmp_path / "out")
    assert result.exit_code == 0, result.output


def test_line_breaks_in_a_name_become_spaces_and_control_characters_are_refused(tmp_path):
    path = patient_file(tmp_path, 'name: "Anne\\r\\nPeeters"\nfoot: left\nstart: 2026-12-07\n')
    result = generate(path, tmp_path / "out", "--only", "handout")
    assert result.exit_code == 0, result.output
    [pdf] = (tmp_path / "out").glob("*.pdf")
    assert "Anne Peeters" in pdf_pages(pdf.read_bytes())[0]
    path.write_text('name: "Anne\\e]0;x\\aPeeters"\nfoot: left\n', encoding="utf-8")
    line = assert_input_error(generate(path, tmp_path / "out2"), "name", "control character")
    assert "\\x1b" in line


# --- leftovers -----------------------------------------------------------------------------------


def test_stale_temporary_files_are_removed_on_the_next_write(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    stale = out / ".anne_oefenschema.pdf.k2j4h_x9.part"
    fresh = out / ".anne_afvinklijst.pdf.a8sd7f6g.part"
    other = out / ".notes.part"
    for path in (stale, fresh, other):
        path.write_bytes(b"%PDF-half")
    old = time.time() - 2 * limits.STALE_PART_SECONDS
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    path = patient_file(tmp_path, "name: Anne\nfoot: left\nstart: 2026-12-07\n")
    assert generate(path, out, "--only", "handout").exit_code == 0
    assert not stale.exists()
    assert fresh.exists() and other.exists()  # maybe still being written; not ours


def test_a_number_with_a_leading_zero_stays_as_typed(tmp_path):
    """YAML 1.1 reads 0123 as octal 83: a practice's phone must print as typed, and a
    dosage typed as 08 is still 8."""
    from handouts.files import read_yaml

    path = patient_file(tmp_path, "name: Fysio\nphone: 0123\n", "practice.yaml")
    assert read_yaml(path)["phone"] == "0123"
    assert invoke("validate", path).exit_code == 0
    patient = patient_file(tmp_path, "name: Jan\nfoot: left\nreps: 08\nweeks: 012\n")
    data = read_yaml(patient)
    assert (data["reps"], data["weeks"]) == ("08", "012")
    assert invoke("validate", patient).exit_code == 0
