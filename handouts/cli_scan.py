"""`handouts scan`: read returned checklists (scans, photos, filled PDFs) into a report.

Kept apart from cli.py because it needs the optional scan extra (OpenCV, numpy, pypdfium2);
without it the command says how to install it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from handouts.errors import InputError

if TYPE_CHECKING:
    from handouts.scan.geometry import Registry
    from handouts.scan.results import Results

INSTALL_HINT = 'handouts scan needs the scan extra; install it with: pip install "handouts[scan]"'


@click.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "-o",
    "--out",
    "report_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("report"),
    metavar="FOLDER",
    help="Folder for the reports, the CSV files and the pages to review (default: report).",
)
@click.option(
    "--state",
    "state_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("out"),
    metavar="FOLDER",
    help="The folder the checklists were made in: it knows each page's id (default: out).",
)
@click.option(
    "--passwords",
    "passwords_file",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="FILE",
    help="CSV with the passwords of encrypted PDFs (default: <state>/passwords.csv).",
)
@click.option("--review", is_flag=True, help="Settle the boxes the scan was unsure of, one by one.")
@click.pass_context
def scan(
    ctx: click.Context,
    files: tuple[Path, ...],
    report_dir: Path,
    state_dir: Path,
    passwords_file: Path | None,
    review: bool,
) -> None:
    """Read ticked checklists (scanner PDFs, phone photos, filled-in PDFs) into a report.

    Pages may come in any order and orientation, several patients mixed. Boxes the scan is
    unsure of are listed for review, never guessed; `handouts scan --review` settles them.
    """
    from handouts.cli import _run

    _run(ctx, lambda: _scan(files, report_dir, state_dir, passwords_file, review))


def _scan(
    files: tuple[Path, ...],
    report_dir: Path,
    state_dir: Path,
    passwords_file: Path | None,
    review: bool,
) -> None:
    try:
        import cv2  # noqa: F401
        import numpy  # noqa: F401
        import pypdfium2  # noqa: F401
    except ImportError:
        raise InputError.single("handouts scan", "", INSTALL_HINT) from None
    from handouts.scan import run

    if review:
        _review(report_dir, files)
        return
    if not files:
        raise InputError.single("command line", "FILES", "give the scanned pages or photos")
    summary = run.scan(
        list(files), report_dir, state_dir, passwords_file or state_dir / "passwords.csv"
    )
    for source, why in summary.problems:
        click.echo(f"error: {_printable(source)}: {why}", err=True)
    click.echo(
        f"{summary.pages} pages read, {len(summary.problems)} not; "
        f"{summary.to_review} boxes to review; reports in {report_dir}/"
    )
    if summary.review_pictures:
        click.echo(
            f"to settle them: handouts scan --review -o {report_dir}  (pictures in "
            f"{report_dir}/{run.REVIEW_FOLDER}/)"
        )
    if summary.problems:
        raise SystemExit(1)


def _review(report_dir: Path, files: tuple[Path, ...]) -> None:
    from handouts.scan import run
    from handouts.scan.geometry import Registry
    from handouts.scan.results import Results

    if files:
        raise InputError.single("command line", "FILES", "--review takes no files")
    results = Results.load(report_dir)
    if not results.pages:
        raise InputError.single(
            str(report_dir), "", "no scan results here; run handouts scan first"
        )
    registry = Registry(Path(results.state_dir))
    settled = 0
    try:
        settled = _settle_all(results, registry, report_dir)
    finally:  # also after Ctrl-C: the answers given so far are in the reports
        run.write_reports(results, registry, report_dir)
    left = run.count_to_review(results, registry)
    click.echo(f"{settled} settled, {left} still to review; reports in {report_dir}/")


def _settle_all(results: Results, registry: Registry, report_dir: Path) -> int:
    """Ask about every item to review; each answer is saved at once. Returns how many."""
    from handouts.scan import run
    from handouts.scan.results import review_items, settle

    settled = 0
    for page in list(results.pages.values()):
        record = registry.load(page.page_id)
        if record is None or len(record.geometry.boxes) != len(page.states):
            continue
        items = review_items(record, page)
        if not items:
            continue
        picture = report_dir / run.REVIEW_FOLDER / f"{page.page_id.replace(':', '-')}.png"
        click.echo(f"\n{_printable(page.source)} (week {record.week}); see {picture}")
        for item in items:
            try:
                answer = _ask(item.kind, f"  {item.number}. {item.what}")
            except click.Abort:  # end of input: keep what was settled
                click.echo("")
                return settled
            if answer == "s":
                continue
            settle(record, page, item, answer)
            settled += 1
            results.save(report_dir)
    return settled


def _ask(kind: str, question: str) -> str:
    if kind == "session":
        choices = {"y", "n", "s"}
        hint = " [y = ticked, n = not, s = skip]"
    else:
        choices = {str(n) for n in range(11)} | {"-", "s"}
        hint = " [0-10, - = no score, s = skip]"
    while True:
        answer = str(click.prompt(question + hint, default="s", show_default=False)).strip().lower()
        if answer in choices:
            return answer
        click.echo("  please answer with one of" + hint)


def _printable(text: str) -> str:
    """A file name as text on a terminal: control characters shown, never sent."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
