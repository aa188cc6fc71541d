"""What makes a cold start fast changes no output: shortcuts are compared with the long way."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from pathlib import Path

import msgspec
import pytest
from reportlab.pdfgen.canvas import Canvas

from handouts.pdf import scanmarks
from tests.conftest import EXAMPLES


def _slow_box(c: Canvas, rect: scanmarks.Rect, line_width: float) -> None:
    """The tick box through the canvas's own methods (draw_box before it wrote operators)."""
    x, y, w, h = rect
    c.saveState()
    c.setStrokeColor(scanmarks.BOX_LINE)
    c.setLineWidth(line_width)
    c.roundRect(x, y, w, h, min(w, h) * 0.15, stroke=1, fill=0)
    c.restoreState()


@pytest.mark.parametrize(
    ("rect", "line_width"),
    [
        ((10.5, 20.25, 8, 8), 0.9),
        ((101.123456, 700.98765, 7.3333, 9.1), 0.5),
        ((0, 0, 12.5, 6.25), 1.2),
        ((300.1, 40.7, -8.4, 8.4), 0.9),  # a negative width: roundRect orders the corners
    ],
)
def test_a_tick_box_is_the_same_operators_as_the_canvas_methods_write(rect, line_width):
    fast, slow = Canvas(io.BytesIO()), Canvas(io.BytesIO())
    for canvas in (fast, slow):
        canvas.setFillColorRGB(0.2, 0.4, 0.6)  # some state before, kept after
    scanmarks.draw_box(fast, rect, line_width)
    _slow_box(slow, rect, line_width)
    assert fast._code == slow._code
    assert fast._doc._pdfVersion == slow._doc._pdfVersion
    for canvas in (fast, slow):
        canvas.drawString(10, 10, "after")  # the state after the box is the same
    assert fast._code == slow._code
    fast.setStrokeAlpha(0.5)  # an unusual state: draw_box takes the canvas's own way
    slow.setStrokeAlpha(0.5)
    scanmarks.draw_box(fast, rect, line_width)
    _slow_box(slow, rect, line_width)
    assert fast._code == slow._code


# --- the cache between runs (handouts/cache.py) and the pictures kept in it ---------------


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    """A private cache folder for this test, and nothing of earlier loads in this process."""
    from handouts import cache, files, text
    from handouts.pdf import illustrations

    folder = tmp_path / "cache"
    monkeypatch.setenv("HANDOUTS_CACHE_DIR", str(folder))
    kept = (cache.folder, illustrations.load_picture, illustrations._drawing, text._rendered)
    for cached in kept:
        cached.cache_clear()
    for strings in (text.KEPT_TEXTS, files.KEPT_PARSED):
        strings.forget_read()
    yield folder
    text.KEPT_TEXTS.save()  # now, not when pytest ends
    files.KEPT_PARSED.save()
    for cached in kept:
        cached.cache_clear()
    for strings in (text.KEPT_TEXTS, files.KEPT_PARSED):
        strings.forget_read()


def test_the_cache_keeps_values_and_ignores_damaged_files(cache_dir):
    from handouts import cache

    cache.write("thing", "abc", {"operators": ["q", "1 0 0 1 0 0 cm", "Q"], "width": 1.5})
    assert cache.read("thing", "abc") == {"operators": ["q", "1 0 0 1 0 0 cm", "Q"], "width": 1.5}
    assert cache.read("thing", "other") is None
    assert oct(cache_dir.stat().st_mode & 0o777) == oct(0o700)
    [path] = cache_dir.glob("thing-abc.json")
    good = path.read_bytes()
    for damaged in (good[: len(good) // 2], good.replace(b"1 0 0", b"9 0 0"), b"\x80\x00", b""):
        path.write_bytes(damaged)
        assert cache.read("thing", "abc") is None  # torn, changed or not JSON: not used
    cache.write("thing", "abc", [1, 2])  # made again
    assert cache.read("thing", "abc") == [1, 2]


def test_a_cache_folder_others_may_write_to_is_not_used(tmp_path, monkeypatch):
    from handouts import cache

    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv("HANDOUTS_CACHE_DIR", str(shared))
    cache.folder.cache_clear()
    try:
        assert cache.folder() is None
        cache.write("thing", "abc", [1])
        assert list(shared.iterdir()) == []
        monkeypatch.setenv("HANDOUTS_CACHE_DIR", "off")
        cache.folder.cache_clear()
        assert cache.folder() is None
    finally:
        cache.folder.cache_clear()


def test_pictures_and_texts_kept_between_runs_make_the_same_bytes(cache_dir):
    """A cold run draws the pictures with svglib and renders the texts with jinja2, and keeps
    the results; the next run (a new process: nothing in memory) uses them, imports neither,
    and makes the very same PDFs."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent  # this checkout's code, not an installed copy

    def run(out: str) -> tuple[bytes, bytes, str]:
        code = (
            "import sys, runpy; sys.argv = ['handouts', '-q', 'generate', sys.argv[1], "
            "'--today', '2026-11-30', '-o', sys.argv[2]]\n"
            "try:\n    runpy.run_module('handouts', run_name='__main__')\n"
            "except SystemExit:\n    print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('svglib', 'jinja2')))"
        )
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                code,
                str(root / "handouts/examples/patient.yaml"),
                str(cache_dir / out),
            ],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONPATH": str(root)},
        )
        pdfs = sorted((cache_dir / out).glob("*.pdf"))
        return pdfs[0].read_bytes(), pdfs[1].read_bytes(), done.stdout.strip().splitlines()[-1]

    cold = run("cold")
    assert "svglib" in cold[2] and "jinja2" in cold[2]  # drawn by svglib, texts by jinja2
    assert len(list(cache_dir.glob("picture-*.json"))) == 3  # the programme's pictures
    assert len(list(cache_dir.glob("texts-*.json"))) == 1
    warm = run("warm")
    assert warm[2] == "[]"  # neither is even imported
    assert warm[:2] == cold[:2]


# --- drawings kept between runs (handouts/pdf/kept.py) ----------------------------------------

# (patient fields, practice fields) that each later run changes from the first patient's
DRAWING_VARIANTS: list[tuple[dict[str, object], dict[str, object]]] = [
    ({}, {}),  # the same patient again: everything kept is used
    ({"name": "Jan Jansen", "start": "2026-12-14"}, {}),  # a new patient, another week
    ({"foot": "right"}, {}),
    ({"language": "en"}, {}),
    ({"reps": 10, "exercises": {"heel-raise-towel-step": {"sets": 2}}}, {}),
    ({}, {"accent_colour": "#00695c"}),
]


def test_drawings_kept_between_runs_make_the_same_bytes_as_drawing_anew(tmp_path):
    """A first run (an empty cache) keeps its drawings; later runs, each a new process with
    the first run's cache, make the very same PDFs as drawing everything anew (the Python
    API in this process: nothing kept between runs), whatever they change: a drawing kept
    under a key that lacked what changed would show the first patient's."""
    import os
    import shutil
    import subprocess
    import sys

    import yaml

    from handouts import make_pdfs

    root = Path(__file__).resolve().parent.parent
    base_patient = yaml.safe_load((EXAMPLES / "patient.yaml").read_text(encoding="utf-8"))
    base_practice = yaml.safe_load((EXAMPLES / "practice.yaml").read_text(encoding="utf-8"))

    def files(number: int, patient: dict[str, object], practice: dict[str, object]) -> Path:
        folder = tmp_path / f"run{number}"
        folder.mkdir()
        (folder / "practice.yaml").write_text(yaml.safe_dump({**base_practice, **practice}))
        fields = {**base_patient, **patient, "practice": "practice.yaml"}
        (folder / "patient.yaml").write_text(yaml.safe_dump(fields))
        return folder

    def generate(folder: Path, cache: Path) -> subprocess.Popen[bytes]:
        command = ["generate", "patient.yaml", "--today", "2026-11-30", "-o", "out"]
        return subprocess.Popen(
            [sys.executable, "-m", "handouts", "-q", *command],
            cwd=folder,
            env={**os.environ, "PYTHONPATH": str(root), "HANDOUTS_CACHE_DIR": str(cache)},
        )

    def made(folder: Path) -> list[bytes]:
        return sorted(p.read_bytes() for p in (folder / "out").glob("*.pdf"))

    warm = tmp_path / "cache"
    warm.mkdir(mode=0o700)
    stale = warm / "drawings-0123456789abcdef-0123456789abcdef01234567.json"
    stale.write_text("{}")  # a shelf of another version: removed when a run keeps drawings
    assert generate(files(0, {}, {}), warm).wait() == 0
    shelves = sorted(warm.glob("drawings-*.json"))
    assert len(shelves) == 2 and stale not in shelves  # the handout's and the checklist's
    kept_bytes = [shelf.read_bytes() for shelf in shelves]
    runs = []
    for number, (patient, practice) in enumerate(DRAWING_VARIANTS, start=1):
        folder, cache = files(number, patient, practice), tmp_path / f"cache{number}"
        shutil.copytree(warm, cache)
        runs.append((folder, cache, generate(folder, cache)))  # side by side: a new process each
    for (folder, cache, run), variant in zip(runs, DRAWING_VARIANTS, strict=True):
        assert run.wait() == 0
        anew = make_pdfs(folder / "patient.yaml", today=dt.date(2026, 11, 30))
        assert made(folder) == sorted(anew.values()), variant
        if variant == ({}, {}):  # the first patient again: found every drawing, added none
            assert [(cache / s.name).read_bytes() for s in shelves] == kept_bytes
    assert [shelf.read_bytes() for shelf in shelves] == kept_bytes  # runs used copies


def test_a_key_is_spelled_out_whole_or_not_kept():
    """Two keys share an entry only when they spell the same: same types, same values."""
    from handouts.pdf import kept, views

    look = views.Look(large_print=False, accent="#1f5f8b")
    assert kept.spelled(look) == kept.spelled(views.Look(False, "#1f5f8b"))
    different = [
        views.Look(True, "#1f5f8b"),
        views.Look(False, "#1f5f8c"),
        (False, "#1f5f8b"),  # the same values, not a Look
        views.Bullets(look, 1.0, "x", (), "x (vervolg)"),
    ]
    spelled = {kept.spelled(v) for v in [look, *different]}
    assert len(spelled) == 5 and None not in spelled
    assert kept.spelled((1, "a")) != kept.spelled((1.0, "a")) != kept.spelled((True, "a"))
    assert kept.spelled(("ab", "c")) != kept.spelled(("a", "bc"))
    assert kept.spelled((kept.spelled, 1)) is not None  # a module's function, by name
    assert kept.spelled((lambda: 0, 1)) is None  # made at run time: never kept
    assert kept.spelled(object()) is None
    assert kept.spelled([1, 2]) is None  # a list could change: not a key

    class Changing(msgspec.Struct):  # not frozen: it could change after it was kept
        x: int

    class ByIdentity(msgspec.Struct, frozen=True, eq=False):  # equal only to itself
        x: int

    assert kept.spelled(Changing(1)) is None and kept.spelled(ByIdentity(1)) is None


def test_shipped_yaml_kept_between_runs_reads_as_the_same_data(cache_dir):
    """Every shipped YAML file (library and locales) read back from the cache is the data the
    YAML parser makes of it, as new objects on each read."""
    from handouts import files

    shipped = sorted((Path(files.__file__).parent / "library").rglob("*.yaml"))
    shipped += sorted((Path(files.__file__).parent / "locales").glob("*.yaml"))
    texts = {path: path.read_text(encoding="utf-8") for path in shipped}
    parsed = {path: files.parse_shipped_yaml(text, str(path)) for path, text in texts.items()}
    files.KEPT_PARSED.save()
    files.KEPT_PARSED.forget_read()
    try:
        digests = {hashlib.sha256(text.encode()).hexdigest() for text in texts.values()}
        assert len(digests) > 30
        assert all(files.KEPT_PARSED.get(digest) is not None for digest in digests)
        for path, text in texts.items():
            again = files.parse_shipped_yaml(text, str(path))
            assert again == parsed[path]
            if again is not None:  # a file of comments only is None
                assert again is not files.parse_shipped_yaml(text, str(path))
    finally:
        files.KEPT_PARSED.forget_read()


def test_kept_drawings_are_named_after_reportlabs_settings(monkeypatch):
    """A setting a user may change (RL_* variables) names other shelves: none is shared."""
    from reportlab import rl_config

    from handouts.pdf import kept

    kept._environment.cache_clear()
    before = kept._environment()
    monkeypatch.setattr(rl_config, "defCWRF", 0.03)
    kept._environment.cache_clear()
    try:
        assert before is not None and kept._environment() != before
    finally:
        kept._environment.cache_clear()
