"""The `handouts` command. Click lives here only: parse, call the core, report.

Exit codes: 0 done, 1 something failed while producing, 2 bad input or usage.
"""

from __future__ import annotations

import datetime as dt
import traceback
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import click

from handouts import cli_email
from handouts.errors import HandoutsError, InputError
from handouts.library import load_library
from handouts.models import LANGUAGES, parse_date

F = TypeVar("F", bound=Callable[..., Any])

LIBRARY_OPTION = click.option(
    "--library",
    "library_dirs",
    multiple=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="A practice folder with its own exercises/ and programmes/ (adds or replaces by id).",
)


def out_option(default: str, help_text: str) -> Callable[[F], F]:
    return click.option(
        "-o",
        "--out",
        "out_dir",
        type=click.Path(path_type=Path, file_okay=False),
        default=Path(default),
        show_default=True,
        help=help_text,
    )


def practice_option(help_text: str) -> Callable[[F], F]:
    return click.option(
        "--practice",
        "practice_file",
        type=click.Path(path_type=Path, dir_okay=False),
        help=help_text,
    )


ONLY_OPTION = click.option(
    "--only", type=click.Choice(["handout", "checklist"]), help="Make one of the two PDFs."
)
TODAY_OPTION = click.option(
    "--today", hidden=True, help="Pretend today is this date (reproducible output)."
)


def _today(value: str | None) -> dt.date:
    return parse_date(value) if value else dt.date.today()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show the full traceback of an error.")
@click.version_option(package_name="handouts")
@click.pass_context
def app(ctx: click.Context, debug: bool) -> None:
    """Personalised exercise handouts and weekly checklists for plantar heel pain."""
    ctx.obj = {"debug": debug}


def _generate_options(func: F) -> F:
    options = [
        out_option("out", "Folder for the PDFs."),
        click.option("--name", help="Patient name."),
        click.option("--foot", help="Affected foot: left, right or both (links, rechts, beide)."),
        click.option(
            "--start", help="First day, e.g. 2026-12-07 or 07-12-2026 (default: coming Monday)."
        ),
        click.option(
            "--lang", "language", type=click.Choice(LANGUAGES), help="Language (default nl)."
        ),
        click.option("--programme", help="Programme id (see `handouts programmes`)."),
        click.option(
            "--weeks", type=int, help="Number of weeks (default: the programme's length)."
        ),
        click.option("--reps", type=int, help="Repetitions for every exercise."),
        click.option("--sets", type=int, help="Sets for every exercise."),
        click.option(
            "--sessions-per-day", type=int, help="Sessions per day for every daily exercise."
        ),
        click.option("--notes", help="A note from the therapist, printed on the handout."),
        practice_option("Practice profile (name, contact, logo, colour)."),
        click.option(
            "--paper", type=click.Choice(["a4", "letter"]), help="Paper size (default a4)."
        ),
        click.option("--large-print/--normal-print", default=None, help="14 pt body text."),
        click.option("--include", multiple=True, help="Add an exercise (id; repeatable)."),
        click.option("--exclude", multiple=True, help="Leave out an exercise or topic (id)."),
        click.option(
            "--education/--no-education",
            default=None,
            help="The 'good to know' pages of the programme (default on).",
        ),
        ONLY_OPTION,
        LIBRARY_OPTION,
        TODAY_OPTION,
    ]
    for option in reversed(options):
        func = option(func)
    return func


@app.command()
@click.argument("patient_file", required=False, type=click.Path(path_type=Path, dir_okay=False))
@_generate_options
@cli_email.email_options
@click.pass_context
def generate(ctx: click.Context, /, patient_file: Path | None, **kwargs: Any) -> None:
    """Make the handout and checklists for one patient (a YAML file and/or options)."""
    _run(ctx, lambda: _generate(patient_file, email=cli_email.pop_email_options(kwargs), **kwargs))


@app.command()
@out_option("out", "Folder for the PDFs.")
@click.option("--lang", "language", type=click.Choice(LANGUAGES), help="Language (default nl).")
@click.option("--large-print/--normal-print", default=None, help="14 pt body text.")
@TODAY_OPTION
@click.pass_context
def demo(
    ctx: click.Context,
    out_dir: Path,
    language: str | None,
    large_print: bool | None,
    today: str | None,
) -> None:
    """Make a sample patient's handout and checklist."""
    examples = resources.files("handouts").joinpath("examples")
    with (
        resources.as_file(examples.joinpath("patient.yaml")) as patient_file,
        resources.as_file(examples.joinpath("practice.yaml")) as practice_file,
    ):
        _run(
            ctx,
            lambda: _generate(
                patient_file,
                out_dir=out_dir,
                language=language,
                large_print=large_print,
                practice_file=practice_file,
                today=today or "2026-11-30",
            ),
        )


def _generate(
    patient_file: Path | None,
    *,
    out_dir: Path,
    practice_file: Path | None = None,
    library_dirs: tuple[Path, ...] = (),
    only: str | None = None,
    today: str | None = None,
    email: cli_email.EmailOptions | None = None,
    **fields: Any,
) -> None:
    from handouts.patients import load_patient, load_practice, practice_path
    from handouts.produce import KINDS, produce

    if patient_file is None and not fields.get("name"):
        raise InputError.single(
            "command line", "name", "give a patient file or at least --name and --foot"
        )
    for listed in ("include", "exclude"):  # an option not given leaves the file's list alone
        fields[listed] = list(fields[listed]) if fields.get(listed) else None
    patient = load_patient(patient_file, fields)
    practice = load_practice(practice_path(patient, practice_file))
    own = (practice.library_dir,) if practice.library_dir else ()
    library = load_library((*own, *library_dirs))
    kinds = (only,) if only else KINDS
    produced = produce(patient, practice, library, out_dir, today=_today(today), kinds=kinds)  # type: ignore[arg-type]
    for path in produced.files.values():
        click.echo(str(path))
    if email is not None:
        cli_email.email_generated(email, patient.patient, produced, practice, out_dir)


@app.command()
@click.option("--lang", "language", type=click.Choice(LANGUAGES), default="nl", show_default=True)
@click.option("--markdown", is_flag=True, help="A Markdown table (the README's exercise table).")
@LIBRARY_OPTION
@click.pass_context
def exercises(
    ctx: click.Context, language: str, markdown: bool, library_dirs: tuple[Path, ...]
) -> None:
    """List the exercise library: id, name, category, default dosage, evidence."""
    from handouts.text import describe_dosage, strings

    def show() -> None:
        library = load_library(library_dirs)
        words = strings(language)
        rows = [
            (
                e.id,
                e.texts.get(language).name,
                e.category,
                describe_dosage(e.dosage, words).short,
                e.evidence.level,
            )
            for e in sorted(library.exercises.values(), key=lambda e: (e.category, e.id))
        ]
        headers = ["id", "name", "category", "default dosage", "evidence"]
        if markdown:
            click.echo(exercise_markdown(headers, rows))
        else:
            _table(headers, rows)

    _run(ctx, show)


def exercise_markdown(headers: list[str], rows: Sequence[tuple[str, ...]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| `" + row[0] + "` | " + " | ".join(row[1:]) + " |" for row in rows]
    return "\n".join(lines)


@app.command()
@click.option("--lang", "language", type=click.Choice(LANGUAGES), default="nl", show_default=True)
@LIBRARY_OPTION
@click.pass_context
def programmes(ctx: click.Context, language: str, library_dirs: tuple[Path, ...]) -> None:
    """List the programmes and their phases."""

    def show() -> None:
        library = load_library(library_dirs)
        for programme in library.programmes.values():
            texts = programme.texts.get(language)
            click.echo(f"{programme.id}  ({programme.weeks} weeks)  {texts.name}")
            for phase in programme.phases:
                ids = ", ".join(phase.exercises)
                name = phase.texts.get(language).name
                click.echo(f"  weeks {phase.first:>2}–{phase.last:<2}  {name}: {ids}")
            click.echo("")

    _run(ctx, show)


@app.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@LIBRARY_OPTION
@click.pass_context
def validate(ctx: click.Context, paths: tuple[Path, ...], library_dirs: tuple[Path, ...]) -> None:
    """Check the library and any exercise, programme, practice or patient files.

    Every problem is listed at once; the exit code is 2 when there is one.
    """
    from handouts.validate import validate_paths

    def check() -> None:
        problems, checked = validate_paths(paths, library_dirs)
        if problems:
            raise InputError(problems)
        click.echo(f"OK: {checked} checked, no problems.")

    _run(ctx, check)


@app.command()
@out_option("schemas", "Folder for the schema files.")
@click.pass_context
def schemas(ctx: click.Context, out_dir: Path) -> None:
    """Write JSON Schemas of the input files, for YAML editors (see the README)."""
    from handouts.deliver import atomic_write
    from handouts.schemas import SCHEMAS, schema_text

    def write() -> None:
        for name in SCHEMAS:
            path = out_dir / f"{name}.schema.json"
            atomic_write(path, schema_text(name).encode("utf-8"))
            click.echo(str(path))

    _run(ctx, write)


@app.command()
@click.argument("roster", type=click.Path(path_type=Path, dir_okay=False))
@out_option("out", "Folder for the PDFs and the report.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    help="Processes making PDFs, this one included (default: the CPU count).",
)
@click.option(
    "--print-file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also one PDF with everything, in roster order, for a single print job.",
)
@ONLY_OPTION
@click.option("--force", is_flag=True, help="Make every file again, also those up to date.")
@practice_option("Practice profile for every row (wins over a practice column).")
@LIBRARY_OPTION
@TODAY_OPTION
@cli_email.email_options
@click.pass_context
def batch(ctx: click.Context, /, roster: Path, **options: Any) -> None:
    """Make the handouts and checklists for every patient in a roster (CSV or YAML).

    A bad row is reported and left out; the other rows are made, and the exit code is 1.
    Files that are up to date are not made again (--force makes them anyway). Every row's
    outcome and files are in OUT/batch-report.json.
    """
    _run(ctx, lambda: _batch(roster, email=cli_email.pop_email_options(options), **options))


def _batch(
    roster: Path,
    *,
    out_dir: Path,
    jobs: int | None,
    print_file: Path | None,
    only: str | None,
    force: bool,
    practice_file: Path | None,
    library_dirs: tuple[Path, ...],
    today: str | None,
    email: cli_email.EmailOptions | None = None,
) -> None:
    import sys

    from handouts.batch import Settings, default_jobs, run
    from handouts.errors import OutputError
    from handouts.produce import KINDS

    settings = Settings(
        roster=roster,
        out_dir=out_dir,
        today=_today(today),
        jobs=jobs or default_jobs(),
        kinds=(only,) if only else KINDS,  # type: ignore[arg-type]
        force=force,
        print_file=print_file,
        practice_file=practice_file,
        library_dirs=library_dirs,
    )
    bars: list[Any] = []  # a progress bar on a terminal; nothing when output is redirected

    def progress(done: int, total: int) -> None:
        if not bars and sys.stderr.isatty():
            bars.append(click.progressbar(length=total, label="batch", file=sys.stderr))
            bars[0].__enter__()
        if bars:
            bars[0].update(done - bars[0].pos)

    try:
        result = run(settings, progress)
    finally:
        for bar in bars:
            bar.__exit__(None, None, None)
    for outcome in result.outcomes:
        for problem in outcome.problems:
            click.echo(f"error: {problem}", err=True)
    rows, failed = len(result.outcomes), result.count("failed")
    click.echo(
        f"{rows} rows: {result.count('ok')} made, {result.count('skipped')} up to date, "
        f"{failed} failed; report: {result.report}"
    )
    if result.print_file is not None:
        click.echo(f"print file: {result.print_file} ({result.print_pages} pages)")
    if email is not None:
        cli_email.email_batch(
            email, roster, result.outcomes, practice_file, out_dir, settings.today
        )
    if failed:
        raise OutputError(
            f"{failed} of {rows} rows failed (see above); fix them and run the same command "
            "again: what is up to date is skipped"
        )


def _table(headers: list[str], rows: Sequence[tuple[str, ...]]) -> None:
    widths = [max(len(str(r[i])) for r in [tuple(headers), *rows]) for i in range(len(headers))]
    for row in [tuple(headers), tuple("-" * w for w in widths), *rows]:
        click.echo(
            "  ".join(str(cell).ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        )


def _run(ctx: click.Context, action: Callable[[], None]) -> None:
    """Turn our errors into one line per problem and an exit code; never a traceback."""
    debug = bool(ctx.obj and ctx.obj.get("debug"))
    try:
        action()
    except HandoutsError as err:
        if debug:
            traceback.print_exc()
        problems = err.problems if isinstance(err, InputError) else [str(err)]
        for problem in problems:
            click.echo(f"error: {problem}", err=True)
        ctx.exit(err.exit_code)
    except KeyboardInterrupt:
        click.echo("interrupted; nothing half-written was left behind", err=True)
        ctx.exit(130)
    except Exception as err:  # a bug: say so plainly, keep the traceback for --debug
        if debug:
            traceback.print_exc()
        click.echo(
            f"error: internal error ({type(err).__name__}: {err}); run with --debug and report it",
            err=True,
        )
        ctx.exit(1)


app.add_command(cli_email.email)


def main() -> None:
    app(prog_name="handouts")
