"""`handouts email …`: check the practice's mail server, store its password.

Sending itself is `handouts generate|batch … --email draft|send` (handouts.mail.deliver).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import click
import msgspec

from handouts.errors import InputError, OutputError

if TYPE_CHECKING:  # the models load only when a command runs: `--help` stays quick
    from handouts.batch import Outcome
    from handouts.models import Patient, Smtp
    from handouts.patients import PracticeInput
    from handouts.produce import Produced

F = TypeVar("F", bound=Callable[..., Any])

PRACTICE_OPTION = click.option(
    "--practice",
    "practice_file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("practice.yaml"),
    metavar="FILE",
    help="Practice profile with the smtp: block (default: practice.yaml).",
)


@click.group()
def email() -> None:
    """Email the PDFs: check the mail server, store its password."""


def _run(ctx: click.Context, action: Callable[[], None]) -> None:
    from handouts.cli import _run as run  # cli imports this module: import it when called

    run(ctx, action)


def _smtp(practice_file: Path) -> Smtp:
    from handouts.patients import load_practice

    return _smtp_of(load_practice(practice_file), practice_file)


def _smtp_of(practice: PracticeInput, practice_file: Path) -> Smtp:
    smtp = practice.practice.smtp
    if smtp is None:
        raise InputError.single(
            str(practice_file), "smtp", "is missing; add host, port, security and username"
        )
    return smtp


@email.command()
@PRACTICE_OPTION
@click.pass_context
def check(ctx: click.Context, practice_file: Path) -> None:
    """Connect and log in to the practice's mail server, and check the email templates
    (the practice's own too); send nothing."""
    from handouts.mail.send import check_templates
    from handouts.mail.smtp import Connection, password_for
    from handouts.patients import load_practice

    def run() -> None:
        practice = load_practice(practice_file)
        smtp = _smtp_of(practice, practice_file)
        variants = check_templates(practice)
        with Connection(smtp, password_for(smtp), timeout=20) as connection:
            connection.open()
        login = f", logged in as {smtp.username}" if smtp.username else ", no login needed"
        click.echo(
            f"OK: {smtp.host}:{smtp.port_or_default} ({smtp.security}){login}; "
            f"templates of {variants} variants render; sending would work."
        )

    _run(ctx, run)


@email.command("set-password")
@PRACTICE_OPTION
@click.password_option(
    "--password", prompt="SMTP password", help="Asked for when not given (not shown)."
)
@click.pass_context
def set_password(ctx: click.Context, practice_file: Path, password: str) -> None:
    """Store the SMTP password in the system keyring (never in a file)."""
    from handouts.mail.smtp import keyring_service, store_password

    def run() -> None:
        smtp = _smtp(practice_file)
        if not smtp.username:
            raise InputError.single(
                str(practice_file), "smtp.username", "is empty; a password needs a user name"
            )
        store_password(smtp, password)
        click.echo(f"Stored in the keyring as {keyring_service(smtp)} / {smtp.username}.")

    _run(ctx, run)


# --- `--email` on generate and batch ---------------------------------------------------------


class EmailOptions(msgspec.Struct, frozen=True):
    mode: Literal["draft", "send"]
    encrypt: bool
    dry_run: bool
    resend: bool
    per_minute: int


def email_options(func: F) -> F:
    """--email draft|send and its companions, for generate and batch."""
    options = [
        click.option(
            "--email",
            "email_mode",
            type=click.Choice(["draft", "send"]),
            help="Email the PDFs: .eml drafts in the output folder, or send them (smtp: block).",
        ),
        click.option(
            "--no-encrypt",
            is_flag=True,
            help="Attach the PDF without a password (the email says so).",
        ),
        click.option(
            "--dry-run", is_flag=True, help="With --email: say what would happen; send nothing."
        ),
        click.option(
            "--resend", is_flag=True, help="With --email send: send again what was sent before."
        ),
        click.option(
            "--per-minute",
            type=click.IntRange(1, 10_000),
            default=30,
            metavar="N",
            help="With --email send: at most N messages a minute (default: 30, as Microsoft 365).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


EMAIL_KEYS = ("email_mode", "no_encrypt", "dry_run", "resend", "per_minute")


def pop_email_options(options: dict[str, Any]) -> EmailOptions | None:
    """Take the email options out of a command's options; None without --email."""
    mode = options.pop("email_mode")
    values = [options.pop(name) for name in ("no_encrypt", "dry_run", "resend", "per_minute")]
    no_encrypt, dry_run, resend, per_minute = values
    if mode is None:
        if no_encrypt or dry_run or resend:
            raise InputError.single(
                "command line", "email", "--no-encrypt, --dry-run and --resend need --email"
            )
        return None
    if importlib.util.find_spec("pikepdf") is None:  # before any PDF is made, not after
        raise InputError.single(
            "command line",
            "email",
            "needs the email extra (pikepdf, keyring); install it: pip install "
            "'handouts[email]' (in a checkout: pip install '.[email]'); nothing was made",
        )
    return EmailOptions(mode, not no_encrypt, dry_run, resend, per_minute)


def email_patients(
    options: EmailOptions,
    made: list[tuple[str, Patient, dt.date, tuple[Path, ...]]],
    practice: PracticeInput,
    out_dir: Path,
) -> None:
    """Email made PDFs (key, patient, start date, files) and report; exit 1 when any failed."""
    from handouts.mail import Attachment, PatientPdfs, deliver, first_name

    # each patient's language and form of address as the paper has them (the practice's own
    # for a patient without)
    made = [(k, p.with_practice(practice.practice), s, f) for k, p, s, f in made]
    patients = [
        PatientPdfs(
            key=key,
            name=patient.name,
            first_name=first_name(patient.name),
            address=patient.email,
            language=patient.lang,
            formal=patient.form == "u",
            attachments=tuple(Attachment(path.name, path) for path in files),  # read when sent
            start=start,
        )
        for key, patient, start, files in made
    ]
    report = deliver(
        patients,
        practice,
        out_dir,
        mode=options.mode,
        encrypt=options.encrypt,
        dry_run=options.dry_run,
        resend=options.resend,
        per_minute=options.per_minute,
    )
    click.echo(report.summary())
    for path in report.passwords:
        click.echo(f"passwords: {path}")
    if report.failed:
        failed = report.count("failed") + report.count("unknown")
        raise OutputError(f"{failed} email(s) failed or may not have arrived; see {report.report}")


def email_batch(
    options: EmailOptions,
    roster: Path,
    outcomes: list[Outcome],
    practice_file: Path | None,
    out_dir: Path,
    today: dt.date,
) -> None:
    """Email the rows that have their PDFs (made now or up to date)."""
    from handouts.patients import load_practice
    from handouts.plan import coming_monday
    from handouts.roster import read_roster

    patients = {row.number: row.patient for row in read_roster(roster)}
    made = []
    practices: set[Path | None] = set()
    for outcome in outcomes:
        patient = patients.get(outcome.row)
        if outcome.status not in ("ok", "skipped") or patient is None:
            continue  # its problem is reported by the batch already
        start = patient.start or coming_monday(today)
        made.append((outcome.stem, patient, start, tuple(out_dir / f for f in outcome.files)))
        practices.add(
            practice_file or (roster.parent / patient.practice if patient.practice else None)
        )
    if len(practices) > 1:
        raise InputError.single(
            str(roster), "practice", "--email needs one practice for all rows; give --practice"
        )
    practice = load_practice(practices.pop() if practices else practice_file)
    email_patients(options, made, practice, out_dir)


def email_generated(
    options: EmailOptions, patient: Patient, produced: Produced, out_dir: Path
) -> None:
    """Email one patient's PDFs just made by `generate` (keyed by their file-name stem)."""
    files = tuple(produced.files.values())
    entry = (produced.stem, patient, produced.plan.start, files)
    email_patients(options, [entry], produced.practice, out_dir)
