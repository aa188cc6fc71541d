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

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from handouts.scan.geometry import PageRecord, Registry, new_page_id
from handouts.scan.read import read_page
from handouts.scan.sample import layout_page, render_pages
from handouts.scan.synthetic import make_scan, random_degrade


def one_page(args: tuple[int, str]) -> dict[str, object]:
    seed, state = args
    rng = np.random.default_rng(seed)
    foot = str(rng.choice(["left", "right", "both"]))
    page = layout_page(new_page_id(), 1 + seed % 12, dt.date(2026, 12, 7), foot=foot)
    registry = Registry(Path(state))
    registry.save(PageRecord(pack_id=f"pack-{seed}", week=page.week, geometry=page.geometry))
    pdf = render_pages([page])
    degradation = random_degrade(rng)
    image, truth = make_scan(pdf, 0, page.geometry, degradation, rng, two_pain_share=0.03)
    started = time.perf_counter()
    reading = read_page(image, f"page {seed}", registry)
    seconds = time.perf_counter() - started
    counts: Counter[str] = Counter()
    marks: Counter[str] = Counter()
    if reading.problem:
        return {
            "problem": reading.problem,
            "seconds": seconds,
            "counts": counts,
            "marks": marks,
            "degrade": degradation,
        }
    for index, box in enumerate(reading.boxes):
        expected = truth.ticked(index)
        mark = truth.marks.get(index, "") or "empty"
        if box.state == "unsure":
            counts["flagged"] += 1
            marks[f"{mark}:flagged"] += 1
        elif (box.state == "ticked") == expected:
            counts["right"] += 1
        else:
            counts["silent"] += 1
            marks[f"{mark}:silent"] += 1
    return {
        "problem": "",
        "seconds": seconds,
        "counts": counts,
        "marks": marks,
        "degrade": degradation,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=120)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as state:
        work = [(options.seed * 100_000 + i, state) for i in range(options.pages)]
        started = time.perf_counter()
        with ProcessPoolExecutor(options.jobs) as pool:
            results = list(pool.map(one_page, work))
        wall = time.perf_counter() - started
    counts: Counter[str] = Counter()
    marks: Counter[str] = Counter()
    problems = [r for r in results if r["problem"]]
    for r in results:
        counts.update(r["counts"])  # type: ignore[arg-type]
        marks.update(r["marks"])  # type: ignore[arg-type]
    total = sum(counts.values())
    read_seconds = sorted(float(r["seconds"]) for r in results)  # type: ignore[arg-type]
    print(f"pages: {len(results)} ({len(problems)} unreadable), boxes: {total}")
    for r in problems:
        print(f"  unreadable: {r['problem']}  {r['degrade']}")
    if total:
        print(f"right:   {counts['right'] / total:8.3%}")
        print(f"flagged: {counts['flagged'] / total:8.3%}")
        print(
            f"right or flagged: {(counts['right'] + counts['flagged']) / total:8.3%}  (>= 99.5 %)"
        )
        print(f"silent errors:    {counts['silent'] / total:8.3%}  (<= 0.2 %)")
    print(
        f"read time per page: median {read_seconds[len(read_seconds) // 2]:.2f} s, "
        f"max {read_seconds[-1]:.2f} s (one process)"
    )
    print(
        f"wall per page, {options.jobs} jobs incl. making the corpus: {wall / len(results):.2f} s"
    )
    print("by mark:", dict(sorted(marks.items())))


if __name__ == "__main__":
    main()
