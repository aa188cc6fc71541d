"""`handouts scan` without the command line: read files, keep results, write the reports.

report/scan.json     every page read so far (a later reading of the same page replaces it)
report/adherence.csv one row per session box; report/pain.csv one row per pain row and day
report/<pack>.pdf    the report per pack
report/review/<page>.png  pages with boxes to settle, those boxes circled and numbered
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import msgspec

from handouts.deliver import atomic_write, slug
from handouts.scan.geometry import Registry
from handouts.scan.results import (
    Pack,
    Results,
    adherence_rows,
    packs,
    pain_rows,
    review_items,
)

ADHERENCE_COLUMNS = ["pack_id", "week", "date", "exercise_id", "side", "session", "done"]
PAIN_COLUMNS = ["pack_id", "date", "side", "kind", "score"]
REVIEW_FOLDER = "review"


class Summary(msgspec.Struct):
    pages: int = 0
    problems: list[tuple[str, str]] = msgspec.field(default_factory=list)  # source, why
    to_review: int = 0
    review_pictures: list[Path] = msgspec.field(default_factory=list)
    reports: list[Path] = msgspec.field(default_factory=list)


def scan(files: list[Path], report_dir: Path, state_dir: Path, passwords_file: Path) -> Summary:
    """Read every file, merge into report/scan.json, write the reports."""
    from handouts.scan.inputs import read_passwords, review_picture, scan_files

    registry = Registry(state_dir)
    results = Results.load(report_dir)
    results.state_dir = str(state_dir)
    summary = Summary()
    read_now: set[str] = set()
    for outcome in scan_files(files, registry, read_passwords(passwords_file)):
        if outcome.result is None:
            summary.problems.append((outcome.source, outcome.problem))
            continue
        result = outcome.result
        if result.page_id in read_now:
            summary.problems.append(
                (outcome.source, f"page {result.page_id} was already read in this run; kept once")
            )
            continue
        read_now.add(result.page_id)
        summary.pages += 1
        results.pages[result.page_id] = result
        reading = outcome.reading
        if reading is not None and reading.record is not None:
            items = review_items(reading.record, result)
            picture = report_dir / REVIEW_FOLDER / f"{result.page_id.replace(':', '-')}.png"
            if items:
                review_picture(reading, items, picture)
                summary.review_pictures.append(picture)
            elif picture.exists():
                picture.unlink()
    for page_id in packs(results, registry)[1]:  # read earlier, with another --state
        summary.problems.append((page_id, f"not known in {registry.folder}; left out"))
    results.problems = [{"source": s, "message": m} for s, m in summary.problems]
    results.save(report_dir)
    summary.reports = write_reports(results, registry, report_dir)
    summary.to_review = count_to_review(results, registry)
    return summary


def count_to_review(results: Results, registry: Registry) -> int:
    found, _ = packs(results, registry)
    return sum(pack.unsure_count() for pack in found)


def write_reports(results: Results, registry: Registry, report_dir: Path) -> list[Path]:
    from handouts.pdf.scanreport import build_report

    found, _missing = packs(results, registry)  # scan() reports them
    report_dir.mkdir(parents=True, exist_ok=True)
    adherence = [row for pack in found for row in adherence_rows(pack)]
    pain = [row for pack in found for row in pain_rows(pack)]
    written = [
        _write_csv(report_dir / "adherence.csv", ADHERENCE_COLUMNS, adherence),
        _write_csv(report_dir / "pain.csv", PAIN_COLUMNS, pain),
    ]
    for pack in found:
        path = report_dir / f"{report_name(pack)}.pdf"
        atomic_write(path, build_report(pack), sync=False)
        written.append(path)
    return written


def report_name(pack: Pack) -> str:
    return slug(pack.pack_id, fallback="pack") + "_report"


def _write_csv(path: Path, columns: list[str], rows: list[dict[str, str]]) -> Path:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    atomic_write(path, buffer.getvalue().encode("utf-8"), sync=False)
    return path
