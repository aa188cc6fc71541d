"""`handouts email …`: check the practice's mail server, store its password.

Sending itself is `handouts generate|batch … --email draft|send` (handouts.mail.deliver).
"""

from __future__ import annotations

from pathlib import Path

import click

from handouts.cli import _run, app
from handouts.errors import InputError
from handouts.models import Smtp

PRACTICE_OPTION = click.option(
    "--practice",
    "practice_file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("practice.yaml"),
    show_default=True,
    help="Practice profile with the smtp: block.",
)


@app.group()
def email() -> None:
    """Email the PDFs: check the mail server, store its password."""


def _smtp(practice_file: Path) -> Smtp:
    from handouts.patients import load_practice

    smtp = load_practice(practice_file).practice.smtp
    if smtp is None:
        raise InputError.single(
            str(practice_file), "smtp", "is missing; add host, port, security and username"
        )
    return smtp


@email.command()
@PRACTICE_OPTION
@click.pass_context
def check(ctx: click.Context, practice_file: Path) -> None:
    """Connect and log in to the practice's mail server; send nothing."""
    from handouts.mail.smtp import Connection, password_for

    def run() -> None:
        smtp = _smtp(practice_file)
        with Connection(smtp, password_for(smtp), timeout=20) as connection:
            connection.open()
        login = f", logged in as {smtp.username}" if smtp.username else ", no login needed"
        click.echo(
            f"OK: {smtp.host}:{smtp.port_or_default} ({smtp.security}){login}; sending would work."
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
