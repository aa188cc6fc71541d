"""Start-up of the command a therapist runs: a cold `handouts generate` of one patient and
`handouts --help`, against the floor of starting Python and importing reportlab.

    python benchmarks/startup.py              # 7 runs of each, the median
    python benchmarks/startup.py --runs 15
    python benchmarks/startup.py --stages     # where a cold generate spends its CPU time

Each run is a new process (this checkout's code: `python -m handouts`), so every import is
paid each time, as when the command is typed. What handouts keeps between runs (pictures,
texts, shipped YAML, drawings: handouts/cache.py) is in place after a first run, as on a
therapist's machine: "generate" is the example patient again; "new pat." another name and
start week after the example's runs (a fresh copy of that cache each run); "1st run" a
generate without any cache. Times are CPU seconds (user + system) of the
child, which a busy machine disturbs less than the wall clock; the wall clock is printed too.
The ratios against the floor, measured in the same run, compare across machines.
Targets: generate (either) <= 0.6 s and <= 4x the floor; --help <= 0.3 s.

Where the time goes: --stages times each step of a generate (imports, files, library,
plan, rendering) in one fresh process, median of the runs; `python -X importtime -m handouts
generate …` and `python -m cProfile -s cumtime -m handouts generate …` go deeper. See
docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "handouts" / "examples" / "patient.yaml"
TARGETS = {"generate": (0.6, 4.0), "new pat.": (0.6, 4.0), "--help": (0.3, None)}

# The steps of `handouts generate` one by one, CPU time after each (run in a fresh process).
STAGES = """
import gc, json, time
gc.disable()  # as `handouts generate` runs (cli._one_patient)
times, last = {}, time.process_time()
def step(name):
    global last
    now = time.process_time()
    times[name], last = now - last, now
import click, handouts.cli; step("Click and cli.py")
from handouts.pdf import kept; kept.enable(); step("kept.py (as cli._one_patient)")
import msgspec; step("msgspec")
import handouts.models; step("models.py (builds the msgspec Structs)")
import yaml; step("PyYAML (jinja2 only for texts not kept)")
import handouts.text, handouts.library, handouts.patients, handouts.plan, handouts.produce
step("text, library, patients, plan, produce")
import datetime as dt
from pathlib import Path
from handouts.patients import load_patient, load_practice, practice_path
patient = load_patient(Path(EXAMPLE), {})
practice = load_practice(practice_path(patient, None)); step("patient and practice files")
from handouts.library import load_library
library = load_library(); step("load_library()")
import handouts.pdf, reportlab.platypus; step("reportlab.platypus (via handouts.pdf)")
import handouts.pdf.illustrations; step("pictures (no svglib when kept)")
import handouts.pdf.handout, handouts.pdf.checklist; step("pdf modules")
from handouts.produce import make_plan, render
plan = make_plan(patient, practice, library, dt.date(2026, 11, 30)); step("plan")
render(plan, practice, "handout"); step("render the handout")
render(plan, practice, "checklist"); step("render the checklists")
print(json.dumps(times))
"""


def child_env() -> dict[str, str]:
    """This checkout's code, with its compiled .pyc files kept, as an installed package has
    them (pip compiles at install): PYTHONDONTWRITEBYTECODE in the caller's environment would
    make every run compile handouts' modules anew (~60 ms)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def stages(runs: int) -> None:
    import json

    code = STAGES.replace("EXAMPLE", repr(str(EXAMPLE)))
    with tempfile.TemporaryDirectory() as cache:
        env = {**child_env(), "HANDOUTS_CACHE_DIR": cache}
        subprocess.run([sys.executable, "-c", code], check=True, env=env, capture_output=True)
        results = [
            json.loads(
                subprocess.run(
                    [sys.executable, "-c", code],
                    check=True,
                    env=env,
                    capture_output=True,
                    text=True,
                ).stdout
            )
            for _ in range(runs)
        ]
    for name in results[0]:
        print(f"{name:40} {statistics.median(r[name] for r in results) * 1000:6.0f} ms")
    total = statistics.median(sum(r.values()) for r in results)
    print(f"{'total (after the interpreter started)':40} {total * 1000:6.0f} ms")


def measure(
    command: list[str], runs: int, prepare: Callable[[], None] = lambda: None
) -> tuple[float, float]:
    """Median CPU seconds (user + system) and median wall seconds of a fresh process;
    prepare() runs before each (not timed)."""
    cpu, wall = [], []
    env = child_env()
    for _ in range(runs):
        prepare()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
        wall.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(cpu), statistics.median(wall)


def new_patient_file(folder: Path) -> str:
    """The example patient file with another name and start week, beside its practice."""
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace("Anne Peeters", "Jan Jansen").replace("2026-12-07", "2026-12-14")
    path = folder / "patient.yaml"
    path.write_text(text, encoding="utf-8")
    shutil.copy(EXAMPLE.parent / "practice.yaml", folder / "practice.yaml")
    return str(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--stages", action="store_true", help="time each step of a generate")
    arguments = parser.parse_args()
    runs = arguments.runs
    if arguments.stages:
        stages(runs)
        return
    python = sys.executable
    with tempfile.TemporaryDirectory() as out:
        cache = Path(out) / "cache"
        os.environ["HANDOUTS_CACHE_DIR"] = str(cache)  # handouts/cache.py
        generate = [python, "-m", "handouts", "-q", "generate", str(EXAMPLE), "-o", out]
        new_patient = [*generate[:5], new_patient_file(Path(out)), *generate[6:]]
        commands = {
            "floor": [python, "-c", "import reportlab.pdfgen.canvas"],
            "--help": [python, "-m", "handouts", "--help"],
            "generate": generate,
            # the very first run: nothing kept between runs yet (pictures drawn by svglib)
            "1st run": ["env", "HANDOUTS_CACHE_DIR=off", *generate],
        }
        measure(commands["generate"], 1)  # compiled .pyc files in place: as after installing
        results = {name: measure(command, runs) for name, command in commands.items()}
        # another patient (name, start week) after the example's runs: what is kept of
        # theirs is used, their own dated drawings are not there yet (a copy each run)
        kept = Path(out) / "kept"
        shutil.copytree(cache, kept)

        def fresh_copy() -> None:
            shutil.rmtree(cache)
            shutil.copytree(kept, cache)

        results["new pat."] = measure(new_patient, runs, fresh_copy)
    floor = results["floor"][0]
    print(f"{'':10} {'CPU s':>7} {'wall s':>7} {'x floor':>8}  target")
    failed = False
    for name, (cpu, wall) in results.items():
        ratio = cpu / floor
        target, max_ratio = TARGETS.get(name, (None, None))
        verdict = ""
        if target is not None:
            ok = cpu <= target and (max_ratio is None or ratio <= max_ratio)
            failed |= not ok
            limit = f"<= {target} s" + (f", <= {max_ratio:g}x" if max_ratio else "")
            verdict = f"{limit}: {'ok' if ok else 'MISSED'}"
        print(f"{name:10} {cpu:7.3f} {wall:7.3f} {ratio:8.1f}  {verdict}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
