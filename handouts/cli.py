"""The `handouts` command. Click lives here only: parse, call the core, report.

Exit codes: 0 done, 1 something failed while producing, 2 bad input or usage, 130 stopped.
Every error, Click's own usage errors included, is one line `error: …` on stderr naming the
file, row or option; notices (`note: …`) go to stderr too, so that stdout holds only what a
command makes (paths, listings) and can be piped.

Start-up matters (a therapist runs one patient at a time): only Click and the standard
library are imported here; each command imports what it needs when it runs (see
docs/performance.md).
"""

from __future__ import annotations

import gc
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from handouts import __version__, cli_email, limits, words
from handouts.regional import ADDRESS_WORDS, ADDRESSES

if TYPE_CHECKING:
    import datetime as dt

    from handouts.patients import PatientInput

F = TypeVar("F", bound=Callable[..., Any])


class WordChoice(click.Choice):  # type: ignore[type-arg]
    """A choice that also takes the words a practice types (`--lang NL`, `--lang Vlaams`,
    `--foot linkervoet`, `--paper A4`), in any case."""

    def __init__(self, choices: Sequence[str], typed: dict[str, str] | None = None) -> None:
        super().__init__(choices, case_sensitive=False)
        self.typed = typed or {}

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str):
            value = self.typed.get(words.normalise(value), value)
            for choice in self.choices:
                if str(choice).lower() == value.lower():
                    return choice
        self.fail(f"{value!r} is not one of {', '.join(map(str, self.choices))}", param, ctx)

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "[" + "|".join(str(choice) for choice in self.choices) + "]"  # as written: nl-BE


LANGUAGE = WordChoice(words.LANGUAGES, words.LANGUAGE_WORDS)
FOOT = WordChoice(words.FEET, words.FOOT_WORDS)
PAPER = WordChoice(words.PAPERS, words.PAPER_WORDS)
ADDRESS = WordChoice(ADDRESSES, ADDRESS_WORDS)  # je | u, also jij, informeel, formeel
FOLDER = click.Path(path_type=Path, file_okay=False)
FILE = click.Path(path_type=Path, dir_okay=False)

LIBRARY_OPTION = click.option(
    "--library",
    "library_dirs",
    multiple=True,
    type=FOLDER,
    metavar="FOLDER",
    help="A practice folder with its own exercises/ and programmes/ (adds or replaces by id).",
)


def out_option(default: str, help_text: str) -> Callable[[F], F]:
    return click.option(
        "-o",
        "--out",
        "out_dir",
        type=FOLDER,
        default=Path(default),
        metavar="FOLDER",
        help=f"{help_text.rstrip('.')} (default: {default}).",
    )


def practice_option(help_text: str) -> Callable[[F], F]:
    return click.option("--practice", "practice_file", type=FILE, metavar="FILE", help=help_text)


ONLY_OPTION = click.option(
    "--only",
    type=WordChoice(
        ["handout", "checklist"], {"oefenschema": "handout", "afvinklijst": "checklist"}
    ),
    help="Make one of the two PDFs (also oefenschema, afvinklijst).",
)
SCAN_READY_OPTION = click.option(
    "--scan-ready",
    is_flag=True,
    help="Checklists with corner marks and a QR code, for `handouts scan` (ids kept in OUT/.scan).",
)
FILLABLE_OPTION = click.option(
    "--fillable",
    is_flag=True,
    help="Scan-ready checklists with form fields, to fill in on a screen.",
)
SHEET_OPTION = click.option(
    "--sheet", metavar="NAME", help="The sheet of an .xlsx roster (default: the first)."
)
TODAY_OPTION = click.option(
    "--today", hidden=True, help="Pretend today is this date (reproducible output)."
)
LIST_LANGUAGE_OPTION = click.option(
    "--lang", "language", type=LANGUAGE, default="nl", help="Language (default: nl)."
)


def _today(value: str | None) -> Any:
    import datetime as dt

    from handouts.errors import InputError
    from handouts.models import parse_date

    try:
        return parse_date(value) if value else dt.date.today()
    except ValueError as err:
        raise InputError.single("command line", "--today", str(err)) from None


class Handouts(click.Group):
    """The group, with one error style for Click's own errors too: `error: …` and a hint
    on stderr, exit 2; an interrupt is exit 130; a closed pipe (`| head`) ends quietly."""

    def _named(self, args: Sequence[str] | None) -> str:
        """The command a usage error without its context belongs to ("--foot" given
        without a value): the first argument that names one."""
        given = sys.argv[1:] if args is None else args
        name = next((a for a in given if a in self.commands), None)
        return f"handouts {name}" if name else "handouts"

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except click.UsageError as err:
            if isinstance(err, getattr(click.exceptions, "NoArgsIsHelpError", ())):
                err.show()  # `handouts` alone: the help, as Click shows it
                return _exit(err.exit_code, standalone_mode)
            command = err.ctx.command_path if err.ctx is not None else self._named(args)
            click.echo(f"error: {_one_line(err.format_message())}", err=True)
            click.echo(f"hint: `{command} --help` lists the options", err=True)
            code = 2
        except click.ClickException as err:
            click.echo(f"error: {_one_line(err.format_message())}", err=True)
            code = err.exit_code
        except click.Abort:
            click.echo("interrupted; nothing half-written was left behind", err=True)
            code = 130
        except BrokenPipeError:
            code = _pipe_closed()
        return _exit(code, standalone_mode)


def _exit(code: Any, standalone_mode: bool) -> Any:
    if not standalone_mode:
        return code
    sys.exit(code if isinstance(code, int) else 0)


def _one_line(message: str) -> str:
    return " ".join(message.split())


def _pipe_closed() -> int:
    """The reader went away (`handouts exercises | head -1`): what it wanted, it has.
    Point stdout at nothing, so that Python's final flush does not complain either."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # not a real file (tests)
        pass
    return 0


@click.group(cls=Handouts, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show the full traceback of an error.")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only (no paths, no notes).")
@click.version_option(__version__, prog_name="handouts")
@click.pass_context
def app(ctx: click.Context, debug: bool, quiet: bool) -> None:
    """Personalised exercise handouts and weekly checklists for plantar heel pain.

    Start with `handouts demo`, then `handouts new patient.yaml`.
    """
    ctx.obj = {"debug": debug, "quiet": quiet}


def _generate_options(func: F) -> F:
    options = [
        out_option("out", "Folder for the PDFs."),
        click.option("--name", metavar="NAME", help="Patient name."),
        click.option("--foot", type=FOOT, help="Affected foot (also links, rechts, beide)."),
        click.option(
            "--start",
            metavar="DATE",
            help="First day, 2026-12-07 or 07-12-2026 (default: the coming Monday).",
        ),
        click.option("--lang", "language", type=LANGUAGE, help="Language (default: nl)."),
        click.option(
            "--address",
            type=ADDRESS,
            help="Dutch form of address: je (default) or the formal u (also formeel).",
        ),
        click.option(
            "--programme",
            metavar="ID",
            help="Programme (default: combined; `handouts programmes`).",
        ),
        click.option(
            "--weeks", type=int, metavar="N", help="Number of weeks (default: the programme's)."
        ),
        click.option("--reps", type=int, metavar="N", help="Repetitions for every exercise."),
        click.option("--sets", type=int, metavar="N", help="Sets for every exercise."),
        click.option(
            "--sessions-per-day",
            type=int,
            metavar="N",
            help="Sessions per day for every daily exercise.",
        ),
        click.option("--notes", metavar="TEXT", help="A note from the therapist, on the handout."),
        practice_option("Practice profile (name, contact, logo, colour)."),
        click.option("--paper", type=PAPER, help="Paper size (default: a4)."),
        click.option(
            "--large-print/--normal-print", default=None, help="14 pt body text (default: normal)."
        ),
        click.option(
            "--include",
            multiple=True,
            metavar="ID",
            help="Add exercises (repeatable, or several: a,b).",
        ),
        click.option(
            "--exclude",
            multiple=True,
            metavar="ID",
            help="Leave out exercises or topics (repeatable, or several: a,b).",
        ),
        click.option(
            "--education",
            type=click.Choice(["on", "off", "separate"]),
            is_flag=False,
            flag_value="on",
            default=None,
            help="The 'good to know' pages: on (in the handout, the default), off, or "
            "separate (a booklet PDF of their own).",
        ),
        click.option("--no-education", is_flag=True, help="Same as --education off."),
        click.option(
            "--id",
            "patient_id",
            metavar="ID",
            help="Patient number, added to the file names as batch does (jan-peeters-0042_…).",
        ),
        ONLY_OPTION,
        SCAN_READY_OPTION,
        FILLABLE_OPTION,
        LIBRARY_OPTION,
        TODAY_OPTION,
    ]
    for option in reversed(options):
        func = option(func)
    return func


@app.command()
@click.argument("patient_file", required=False, type=FILE, metavar="[PATIENT_FILE]")
@_generate_options
@click.option(
    "--checklist-weeks",
    metavar="RANGE",
    help="Print only these weeks of the checklist, e.g. 1-4.",
)
@click.option(
    "--one-pdf",
    is_flag=True,
    help="Handout, checklists (and booklet) as one PDF (…_oefenmap.pdf), e.g. to email.",
)
@cli_email.email_options
@click.pass_context
def generate(ctx: click.Context, /, patient_file: Path | None, **kwargs: Any) -> None:
    """Make the handout and checklists for one patient (a YAML file and/or options)."""
    _run(ctx, lambda: _generate(patient_file, email=cli_email.pop_email_options(kwargs), **kwargs))


@app.command()
@out_option("out", "Folder for the PDFs.")
@click.option("--lang", "language", type=LANGUAGE, help="Language (default: nl).")
@click.option(
    "--large-print/--normal-print", default=None, help="14 pt body text (default: normal)."
)
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
    from importlib import resources

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
    patient_id: str | None = None,
    email: cli_email.EmailOptions | None = None,
    scan_ready: bool = False,
    fillable: bool = False,
    one_pdf: bool = False,
    checklist_weeks: str | None = None,
    **fields: Any,
) -> None:
    _one_patient()
    from handouts.errors import InputError, add_warning
    from handouts.patients import load_patient
    from handouts.produce import KINDS, parse_weeks, produce

    if patient_file is None and not fields.get("name"):
        raise InputError.single(
            "command line", "name", "give a patient file or at least --name and --foot"
        )
    for listed in ("include", "exclude"):  # an option not given leaves the file's list alone
        # "--include a,b" as a roster cell says it; ids hold no commas or spaces
        ids = [i.strip() for given in fields.get(listed) or () for i in re.split(r"[,;]", given)]
        ids = [i for i in ids if i]
        fields[listed] = ids or None
    choice = "off" if fields.pop("no_education", False) else fields.get("education")
    fields["education"] = {"on": True, "off": False, "separate": "separate"}.get(choice or "")
    patient = load_patient(patient_file, {**fields, words.ID: patient_id})
    for notice in patient.notices:
        _note(notice)
    kinds = (only,) if only else KINDS
    produced = produce(
        patient,
        practice_file,
        library_dirs,
        out_dir,
        today=_today(today),
        kinds=kinds,  # type: ignore[arg-type]
        scan_ready=scan_ready or fillable,
        fillable=fillable,
        one_pdf=one_pdf,
        checklist_weeks=parse_weeks(checklist_weeks) if checklist_weeks else None,
    )
    for path in produced.replaced:
        _note(f"{path} was there already and was made again")
    if patient.patient.start is None:
        _note(_default_start(patient, produced.plan.start, produced.plan.language))
    for problem in (*patient.warnings, *produced.practice.warnings):
        add_warning(problem)
    for warning in produced.plan.warnings:
        add_warning(patient.warned(warning))
    for path in produced.files.values():
        click.echo(str(path))
    if email is not None:
        cli_email.email_generated(email, patient.patient, produced, out_dir)


@app.command()
@LIST_LANGUAGE_OPTION
@click.option("--markdown", is_flag=True, help="A Markdown table (the README's exercise table).")
@click.option("--json", "as_json", is_flag=True, help="JSON, for scripts.")
@LIBRARY_OPTION
@click.pass_context
def exercises(
    ctx: click.Context,
    language: str,
    markdown: bool,
    as_json: bool,
    library_dirs: tuple[Path, ...],
) -> None:
    """List the exercise library: id, name, category, default dosage, evidence."""

    def show() -> None:
        from handouts.library import load_library
        from handouts.text import describe_dosage, strings

        library = load_library(library_dirs)
        texts = strings(language)
        rows = [
            (
                e.id,
                e.texts.get(language).name,
                e.category,
                describe_dosage(e.dosage, texts).short,
                e.evidence.level,
            )
            for e in sorted(library.exercises.values(), key=lambda e: (e.category, e.id))
        ]
        headers = ["id", "name", "category", "default dosage", "evidence"]
        if as_json:
            keys = ["id", "name", "category", "dosage", "evidence"]
            _json([dict(zip(keys, row, strict=True)) for row in rows])
        elif markdown:
            click.echo(exercise_markdown(headers, rows))
        else:
            _table(headers, rows)

    _run(ctx, show)


def exercise_markdown(headers: list[str], rows: Sequence[tuple[str, ...]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| `" + row[0] + "` | " + " | ".join(row[1:]) + " |" for row in rows]
    return "\n".join(lines)


@app.command()
@LIST_LANGUAGE_OPTION
@click.option("--json", "as_json", is_flag=True, help="JSON, for scripts.")
@LIBRARY_OPTION
@click.pass_context
def programmes(
    ctx: click.Context, language: str, as_json: bool, library_dirs: tuple[Path, ...]
) -> None:
    """List the programmes and their phases."""

    def show() -> None:
        from handouts.library import load_library
        from handouts.plan import sample_plan

        library = load_library(library_dirs)
        listing: list[dict[str, Any]] = []
        for programme in library.programmes.values():
            # minutes a day for one foot, the plan's own estimate (both feet: twice that)
            planned = sample_plan(programme.id, library).phases
            listing.append(
                {
                    "id": programme.id,
                    "weeks": programme.weeks,
                    "name": programme.texts.get(language).name,
                    "phases": [
                        {
                            "weeks": [phase.first, phase.last],
                            "name": phase.texts.get(language).name,
                            "exercises": list(phase.exercises),
                            "minutes_one_foot": {
                                "strength_day": minutes.strength_day,
                                "other_day": minutes.other_day,
                            },
                        }
                        for phase, minutes in zip(
                            programme.phases, (p.minutes_one_foot for p in planned), strict=True
                        )
                    ],
                }
            )
        if as_json:
            _json(listing)
            return
        for item in listing:
            click.echo(f"{item['id']}  ({item['weeks']} weeks)  {item['name']}")
            for phase in item["phases"]:
                first, last = phase["weeks"]
                ids = ", ".join(phase["exercises"])
                click.echo(f"  weeks {first:>2}–{last:<2}  {phase['name']}: {ids}")
                strength, other = (
                    phase["minutes_one_foot"][k] for k in ("strength_day", "other_day")
                )
                time = f"{other} min a day"
                if strength is not None:
                    time = f"{strength} min on strength days, {other} on other days"
                click.echo(f"{'':17}one foot: about {time}")
            click.echo("")

    _run(ctx, show)


@app.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path), metavar="[PATH]...")
@LIBRARY_OPTION
@practice_option("Practice profile for patient files and rosters (as generate and batch).")
@SHEET_OPTION
@TODAY_OPTION
@click.pass_context
def validate(
    ctx: click.Context,
    paths: tuple[Path, ...],
    library_dirs: tuple[Path, ...],
    practice_file: Path | None,
    sheet: str | None,
    today: str | None,
) -> None:
    """Check the library and any patient files, rosters (.xlsx, .csv, .yaml), practice
    profiles, exercises, programmes, or folders of them, as generate and batch would.

    Every problem is listed at once; the exit code is 2 when there is one.
    """
    _run(ctx, lambda: _validate(paths, library_dirs, practice_file, sheet, today))


def _validate(
    paths: tuple[Path, ...],
    library_dirs: tuple[Path, ...],
    practice_file: Path | None,
    sheet: str | None,
    today: str | None,
    as_roster: bool = False,
    checklist_weeks: str | None = None,
) -> None:
    from handouts.errors import InputError, add_warning
    from handouts.produce import parse_weeks
    from handouts.validate import check_paths

    checked = check_paths(
        paths,
        library_dirs,
        practice_file=practice_file,
        sheet=sheet,
        today=_today(today),
        as_roster=as_roster,
        checklist_weeks=parse_weeks(checklist_weeks) if checklist_weeks else None,
    )
    for notice in checked.notices:
        _note(notice)
    for warning in checked.warnings:
        add_warning(warning)
    for what, kind in checked.items:
        rows = f", {_count(checked.rows[what], 'row')}" if what in checked.rows else ""
        click.echo(f"checked {what} ({KIND_NAMES.get(kind, kind)}{rows})")
    if checked.problems:
        raise InputError(checked.problems)
    click.echo(f"OK: {_count(len(checked.items), 'thing')} checked, no problems.")
    if not paths and not library_dirs and _files_here():
        _note(
            "only the shipped library was checked; to check your files too: "
            "handouts validate .  (or name them: handouts validate jan.yaml)"
        )


def _files_here() -> bool:
    """Whether the current folder holds files validate could check (patients, rosters)."""
    suffixes = {".yaml", ".yml", ".csv", ".xlsx"}
    try:
        return any(p.suffix.lower() in suffixes for p in Path.cwd().iterdir() if p.is_file())
    except OSError:
        return False


KIND_NAMES = {
    "patient": "patient file",
    "practice": "practice profile",
    "roster": "roster",
    "exercise": "exercise",
    "programme": "programme",
    "education": "education topic",
    "unknown": "unknown kind",
    "file": "not read",
}


@app.command()
@out_option("schemas", "Folder for the schema files.")
@click.pass_context
def schemas(ctx: click.Context, out_dir: Path) -> None:
    """Write JSON Schemas of the input files, for YAML editors (see the README)."""

    def write() -> None:
        from handouts.deliver import atomic_write
        from handouts.schemas import SCHEMAS, schema_text

        for name in SCHEMAS:
            path = out_dir / f"{name}.schema.json"
            atomic_write(path, schema_text(name).encode("utf-8"))
            click.echo(str(path))

    _run(ctx, write)


@app.command()
@click.argument("file", type=FILE)
@click.option(
    "--kind",
    type=WordChoice(
        ["patient", "practice", "roster"],
        {"patient": "patient", "praktijk": "practice", "rooster": "roster", "lijst": "roster"},
    ),
    help="What to write (default: from the file name: practice.yaml, roster.csv, …).",
)
@click.option(
    "--lang",
    "language",
    type=LANGUAGE,
    help="nl or nl-BE: a patient or practice file in Dutch (default: Dutch for a Dutch "
    "file name such as praktijk.yaml, else English).",
)
@click.pass_context
def new(ctx: click.Context, file: Path, kind: str | None, language: str | None) -> None:
    """Write a commented starter file to fill in: patient.yaml, practice.yaml, roster.csv
    or roster.xlsx. An existing file is never overwritten."""

    def write() -> None:
        from handouts.starters import write_starter

        written = write_starter(file, kind, language)
        click.echo(str(written.path))
        _note(written.next_step)

    _run(ctx, write)


@app.command()
@click.argument("roster", type=FILE)
@out_option("out", "Folder for the PDFs and the report.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    metavar="N",
    help="Processes making PDFs, this one included (default: the CPU count).",
)
@click.option(
    "--print-file",
    type=FILE,
    metavar="FILE",
    help="Also one PDF with everything, in roster order, for a single print job.",
)
@ONLY_OPTION
@SCAN_READY_OPTION
@FILLABLE_OPTION
@click.option(
    "--one-pdf",
    is_flag=True,
    help="Each patient's handout and checklists as one PDF (…_oefenmap.pdf).",
)
@click.option(
    "--checklist-weeks",
    metavar="RANGE",
    help="Print only these weeks of every checklist, e.g. 1-4.",
)
@click.option("--force", is_flag=True, help="Make every file again, also those up to date.")
@click.option(
    "--check",
    is_flag=True,
    help="Only check every row, as `handouts validate` does; write nothing.",
)
@SHEET_OPTION
@practice_option("Practice profile for every row (wins over a practice column).")
@LIBRARY_OPTION
@TODAY_OPTION
@cli_email.email_options
@click.pass_context
def batch(ctx: click.Context, /, roster: Path, check: bool, **options: Any) -> None:
    """Make the handouts and checklists for every patient in a roster (.xlsx, CSV or YAML).

    A bad row is reported and left out; the other rows are made, and the exit code is 1.
    Files that are up to date are not made again (--force makes them anyway). Every row's
    outcome and files are in OUT/batch-report.json.
    """
    email_options = {k: options.pop(k) for k in list(options) if k in cli_email.EMAIL_KEYS}
    if check:
        library_dirs, practice_file = options["library_dirs"], options["practice_file"]
        sheet, today, weeks = options["sheet"], options["today"], options["checklist_weeks"]
        _run(  # the file is read as batch reads it, whatever it holds
            ctx,
            lambda: _validate((roster,), library_dirs, practice_file, sheet, today, True, weeks),
        )
        return
    report = options["out_dir"] / "batch-report.json"
    stopped = f"interrupted; rows in progress were finished or dropped, {report} says which"
    _run(
        ctx,
        lambda: _batch(roster, email=cli_email.pop_email_options(email_options), **options),
        interrupted=stopped,
    )


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
    sheet: str | None = None,
    email: cli_email.EmailOptions | None = None,
    scan_ready: bool = False,
    fillable: bool = False,
    one_pdf: bool = False,
    checklist_weeks: str | None = None,
) -> None:
    from handouts.batch import Settings, default_jobs, run
    from handouts.errors import OutputError, add_warning
    from handouts.produce import KINDS, parse_weeks

    settings = Settings(
        roster=roster,
        out_dir=out_dir,
        today=_today(today),
        jobs=jobs or default_jobs(),
        kinds=("pack",) if one_pdf else (only,) if only else KINDS,  # type: ignore[arg-type]
        force=force,
        print_file=print_file,
        practice_file=practice_file,
        library_dirs=library_dirs,
        sheet=sheet,
        scan_ready=scan_ready or fillable,
        fillable=fillable,
        checklist_weeks=parse_weeks(checklist_weeks) if checklist_weeks else None,
    )
    bars: list[Any] = []  # a progress bar on a terminal; nothing when output is redirected

    def progress(done: int, total: int) -> None:
        if not bars and sys.stderr.isatty() and not _quiet():
            bars.append(click.progressbar(length=total, label="batch", file=sys.stderr))
            bars[0].__enter__()
        if bars:
            bars[0].update(done - bars[0].pos)

    try:
        result = run(settings, progress)
    finally:
        for bar in bars:
            bar.__exit__(None, None, None)
    for notice in result.notices:
        _note(notice)
    for warning in result.warnings:
        add_warning(warning)
    _show_warnings()  # the roster's own, before its rows'
    for outcome in result.outcomes:  # row by row, and all before the summary line
        for warning in dict.fromkeys(outcome.warnings):
            click.echo(f"warning: {warning}", err=True)
        for problem in outcome.problems:
            click.echo(f"error: {problem}", err=True)
    rows, failed = len(result.outcomes), result.count("failed")
    click.echo(
        f"{_count(rows, 'row')}: {result.count('ok')} made, {result.count('skipped')} up to "
        f"date, {failed} failed; report: {result.report}"
    )
    if result.print_file is not None:
        click.echo(f"print file: {result.print_file} ({_count(result.print_pages, 'page')})")
    if email is not None:
        cli_email.email_batch(
            email, roster, result.outcomes, practice_file, out_dir, settings.today
        )
    if failed:
        raise OutputError(
            f"{failed} of {_count(rows, 'row')} failed (see above); fix them and run the same "
            "command again: what is up to date is skipped"
        )


def _count(number: int, thing: str) -> str:
    return f"{number} {thing}" if number == 1 else f"{number:,} {thing}s"


def _table(headers: list[str], rows: Sequence[tuple[str, ...]]) -> None:
    widths = [max(len(str(r[i])) for r in [tuple(headers), *rows]) for i in range(len(headers))]
    for row in [tuple(headers), tuple("-" * w for w in widths), *rows]:
        click.echo(
            "  ".join(str(cell).ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        )


def _json(data: Any) -> None:
    import json

    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _quiet() -> bool:
    ctx = click.get_current_context(silent=True)
    return bool(ctx and ctx.find_root().obj and ctx.find_root().obj.get("quiet"))


def _default_start(patient: PatientInput, start: dt.date, language: str) -> str:
    """A patient without a start date starts on the coming Monday: which day that is, and
    the key that sets another, as the file would spell it (Dutch keys: startdatum)."""
    from handouts.text import format_day

    day = format_day(start, language, "EEEE d MMMM y")
    if patient.source == "command line":
        return f"no --start; the plan starts on the coming Monday, {day}"
    dutch = any(patient.typed.get(f, f) != f for f in ("name", "foot"))
    key = words.DUTCH_HEADERS["start"].lower() if dutch else "start"
    file = patient.source.removesuffix(" (with command-line options)")
    return f"{file}: no {key}; the plan starts on the coming Monday, {day}"


def _note(message: str) -> None:
    """Something worth knowing that is not an error (stderr; --quiet leaves it out)."""
    if not _quiet():
        click.echo(f"note: {message}", err=True)


def _run(
    ctx: click.Context,
    action: Callable[[], None],
    interrupted: str = "interrupted; nothing half-written was left behind",
) -> None:
    """Turn our errors into one line per problem and an exit code; never a traceback.
    Warnings (unusual but allowed input) follow as "warning: …" lines, on stderr too."""
    import contextlib
    import io
    import traceback

    from handouts.errors import HandoutsError, InputError, clean

    debug = bool(ctx.obj and ctx.obj.get("debug"))
    quiet = contextlib.redirect_stdout(io.StringIO()) if _quiet() else contextlib.nullcontext()
    try:
        with quiet:
            action()
    except HandoutsError as err:
        if debug:
            traceback.print_exc()
        problems = err.problems if isinstance(err, InputError) else [clean(str(err))]
        for problem in problems[: limits.MAX_PROBLEMS_SHOWN]:
            click.echo(f"error: {problem}", err=True)
        if len(problems) > limits.MAX_PROBLEMS_SHOWN:
            more = len(problems) - limits.MAX_PROBLEMS_SHOWN
            click.echo(f"error: … and {more} more problems; fix these first", err=True)
        ctx.exit(err.exit_code)
    except KeyboardInterrupt:
        click.echo(interrupted, err=True)
        ctx.exit(130)
    except BrokenPipeError:
        ctx.exit(_pipe_closed())
    except Exception as err:  # a bug: say so plainly, keep the traceback for --debug
        if debug:
            traceback.print_exc()
        click.echo(
            f"error: internal error ({clean(f'{type(err).__name__}: {err}')}); "
            "run with --debug and report it",
            err=True,
        )
        ctx.exit(1)
    finally:
        _show_warnings()


def _show_warnings() -> None:
    """The warnings gathered so far, once each, as "warning: …" lines on stderr."""
    from handouts.errors import take_warnings

    for warning in take_warnings():
        click.echo(f"warning: {warning}", err=True)


app.add_command(__import__("handouts.cli_scan").cli_scan.scan)  # reads returned checklists


app.add_command(cli_email.email)


# Set by main(): this process runs one command and then ends (not so under a test's runner).
_OWN_PROCESS = False


def main() -> None:
    global _OWN_PROCESS
    _OWN_PROCESS = True
    try:
        app(prog_name="handouts")
    finally:
        # The process ends now: Python would scan every object for cycles once more on the
        # way out (~60 ms of a cold generate), to free memory the system frees anyway.
        gc.freeze()


def _one_patient() -> None:
    """A command for one patient keeps nearly every object it makes (modules, models, the
    library, the layout) until it ends: the collector's scans would find next to nothing and
    cost a cold generate ~30 ms. Left on for batch, scan and validate, which run long."""
    if _OWN_PROCESS:
        gc.disable()
        from handouts.pdf import kept

        kept.enable()  # drawings kept between runs (a batch remembers within its processes)
