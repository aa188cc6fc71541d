"""How well `handouts scan` reads paper: box accuracy, review share, silent errors, time per page.

    python benchmarks/scan_accuracy.py [--pages 120] [--seed 1] [--jobs 2]

Makes a synthetic corpus (handouts/scan/synthetic.py): sample checklist pages for one foot and
both feet, rendered, rasterised at 150-300 dpi, filled with crosses, checks, filled boxes,
faint pencil, stray dots and smudges, then turned any way up, warped, shaded, blurred, noised
and JPEG-compressed like a scanner or a phone photo. Each page is read as `handouts scan` reads
it and every box compared with what was drawn.

Targets (issue 17): >= 99.5 % of boxes right or flagged; silent errors (wrong and not flagged)
<= 0.2 %; <= 2 s per page on 2 cores.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from handouts.scan.geometry import PageRecord, Registry, new_page_id
from handouts.scan.raster import decode_image
from handouts.scan.read import read_page
from handouts.scan.sample import layout_page, render_pages
from handouts.scan.synthetic import TICKS, make_scan, random_degrade


def make_page(args: tuple[int, str]) -> tuple[bytes, dict[int, str], str]:
    """One corpus page: its image as a file's bytes (JPEG for photos, PNG for scans)."""
    seed, state = args
    rng = np.random.default_rng(seed)
    foot = str(rng.choice(["left", "right", "both"]))
    page = layout_page(new_page_id(), 1 + seed % 12, dt.date(2026, 12, 7), foot=foot)
    Registry(Path(state)).save(
        PageRecord(pack_id=f"pack-{seed}", week=page.week, geometry=page.geometry)
    )
    degradation = random_degrade(rng)
    image, truth = make_scan(
        render_pages([page]), 0, page.geometry, degradation, rng, two_pain_share=0.03
    )
    ok, data = cv2.imencode(".png", image)  # already JPEG-compressed where the photo was
    assert ok
    return data.tobytes(), truth.marks, repr(degradation)


def read_one(args: tuple[bytes, str]) -> tuple[list[str], str, float, float]:
    """Read a page as `handouts scan` does: decode the file, find, straighten, classify."""
    data, state = args
    cv2.setNumThreads(1)  # one thread per process: the processes are the parallelism
    wall, cpu = time.perf_counter(), time.process_time()
    reading = read_page(decode_image(data), "page", Registry(Path(state)))
    states = [box.state for box in reading.boxes]
    return states, reading.problem, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=120)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as state:
        work = [(options.seed * 100_000 + i, state) for i in range(options.pages)]
        with ProcessPoolExecutor(options.jobs) as pool:
            corpus = list(pool.map(make_page, work))
            started = time.perf_counter()
            readings = list(pool.map(read_one, [(data, state) for data, _, _ in corpus]))
            wall = time.perf_counter() - started
    counts: Counter[str] = Counter()
    marks: Counter[str] = Counter()
    unreadable = 0
    for (_, truth, degradation), (states, problem, _, _) in zip(corpus, readings, strict=True):
        if problem:
            unreadable += 1
            print(f"  unreadable: {problem}  {degradation}")
            continue
        for index, state in enumerate(states):
            mark = truth.get(index, "") or "empty"
            expected = mark in TICKS
            if state == "unsure":
                counts["flagged"] += 1
                marks[f"{mark}:flagged"] += 1
            elif (state == "ticked") == expected:
                counts["right"] += 1
            else:
                counts["silent"] += 1
                marks[f"{mark}:silent"] += 1
    total = sum(counts.values())
    walls = sorted(r[2] for r in readings)
    cpus = sorted(r[3] for r in readings)
    print(f"pages: {len(readings)} ({unreadable} unreadable, said why), boxes read: {total}")
    print(f"right:            {counts['right'] / total:8.3%}")
    print(f"flagged:          {counts['flagged'] / total:8.3%}")
    right_or_flagged = (counts["right"] + counts["flagged"]) / total
    print(f"right or flagged: {right_or_flagged:8.3%}  (target >= 99.5 %)")
    print(f"silent errors:    {counts['silent'] / total:8.3%}  (target <= 0.2 %)")
    print(
        f"seconds per page on {options.jobs} processes: {wall / len(readings):.2f}  (target <= 2)"
    )
    print(
        f"one page: wall median {walls[len(walls) // 2]:.2f} s (max {walls[-1]:.2f}), "
        f"CPU median {cpus[len(cpus) // 2]:.2f} s (max {cpus[-1]:.2f})"
    )
    print("by mark:", dict(sorted(marks.items())))


if __name__ == "__main__":
    main()
