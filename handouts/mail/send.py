"""deliver(): every patient's email drafted or sent, once. The one entry point for the CLI.

For each patient: no address -> "not emailed"; else the attachment (handout and checklists
joined into one PDF), protected with the patient's password, and the message from the
templates. Drafts are written as .eml files. For sending, every message is first recorded as
pending in the ledger and the passwords list is written; then one connection sends them all,
at most per_minute a minute, retrying a temporary refusal with back-off.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib.util
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Literal

import msgspec

from handouts.deliver import atomic_write
from handouts.errors import HandoutsError, InputError
from handouts.mail import protect
from handouts.mail.ledger import Ledger
from handouts.mail.message import Attachment, build
from handouts.mail.passwords import write_passwords
from handouts.mail.report import EmailReport, Entry
from handouts.mail.report import Status as ReportStatus
from handouts.mail.smtp import Connection, MailError, Outcome, Result, Throttle, password_for
from handouts.mail.templates import VARIANTS, Texts, render_texts, variant
from handouts.patients import PracticeInput

log = logging.getLogger("handouts.mail")  # counts at INFO; keys only at DEBUG, never addresses

Mode = Literal["draft", "send"]
COMBINED_NAME = {"nl": "oefenschema.pdf", "nl-BE": "oefenschema.pdf", "en": "exercises.pdf"}


class PatientPdfs(msgspec.Struct, frozen=True):
    """One patient's email: who, in which words, with which PDFs."""

    key: str  # stable: the roster id or the file-name slug; the ledger remembers by it
    name: str  # the full name, for the front desk's password list only
    first_name: str  # the greeting
    address: str | None  # None: "not emailed: no address"
    language: str  # nl | nl-BE | en
    attachments: tuple[Attachment, ...]  # handout, checklists (bytes or files): one PDF
    formal: bool = False  # the u-form (nl, nl-BE)
    start: dt.date | None = None


class _Prepared(msgspec.Struct):
    """A message to send. Its bytes (~140 KB) are made just before it goes, and kept only
    while it waits for a retry, so that 1,000 patients do not take 1,000 messages of memory."""

    patient: PatientPdfs
    password: str
    message: bytes | None = None
    attempts: int = 0

    @property
    def protected(self) -> bool:
        return bool(self.password)


class _Options(msgspec.Struct):
    mode: Mode
    encrypt: bool
    dry_run: bool
    resend: bool
    per_minute: float | None
    retries: int
    backoff: float
    timeout: float
    today: dt.date
    sleep: Callable[[float], None] = time.sleep


def first_name(name: str) -> str:
    return name.split()[0] if name.split() else name


def deliver(
    patients: list[PatientPdfs],
    practice: PracticeInput,
    out_dir: Path,
    *,
    mode: Mode,
    encrypt: bool = True,
    dry_run: bool = False,
    resend: bool = False,
    per_minute: float | None = 30,
    retries: int = 3,
    backoff: float = 2.0,
    timeout: float = 30.0,
    today: dt.date | None = None,
) -> EmailReport:
    """Draft or send every patient's email; the report says what happened to each.

    resend=True sends again what the ledger has as sent or unknown. dry_run builds every
    message and reports what would happen, writing and sending nothing. per_minute=None: no
    limit. A temporary refusal is retried `retries` times, waiting backoff, 2×backoff, … s.
    Raises MailError when the server cannot be used at all (connection, certificate, login).
    """
    options = _Options(mode, encrypt, dry_run, resend, per_minute, retries, backoff, timeout,
                       today or dt.date.today())  # fmt: skip
    settings = practice.practice
    if mode == "send" and settings.smtp is None:
        raise InputError.single(
            "practice profile", "smtp", "is missing; add an smtp block (see the README, "
            "'Email') or use --email draft",
        )  # fmt: skip
    if importlib.util.find_spec("pikepdf") is None:  # joins and encrypts the attachment
        raise MailError("emailing needs pikepdf; install it with pip install 'handouts[email]'")
    sender = settings.sender()
    if mode == "send" and sender is None:
        raise InputError.single("practice profile", "email", "is missing; set it or smtp.from")
    ledger = None if dry_run else Ledger.in_folder(out_dir)
    try:
        with ledger.batch() if ledger else contextlib.nullcontext():
            entries, queue = _prepare(patients, practice, out_dir, ledger, options)
        passwords: tuple[Path, ...] = ()
        if ledger is not None and ledger.with_passwords():
            passwords = write_passwords(ledger.with_passwords(), out_dir, options.today)
        if queue and ledger is not None:
            entries.update(_send_all(queue, practice, ledger, options))
    finally:
        if ledger is not None:
            ledger.close()
    ordered = tuple(entries[p.key] for p in patients)
    report = EmailReport(mode, ordered, dry_run, None, passwords)
    if not dry_run:
        report = report.write(out_dir)
    log.info("%s", report.summary())
    return report


def _prepare(
    patients: list[PatientPdfs],
    practice: PracticeInput,
    out_dir: Path,
    ledger: Ledger | None,
    options: _Options,
) -> tuple[dict[str, Entry], list[_Prepared]]:
    entries: dict[str, Entry] = {}
    queue: list[_Prepared] = []
    keys = [p.key for p in patients]
    if len(set(keys)) != len(keys):
        raise InputError.single(
            "patients", "key", "two patients have the same key; make them unique"
        )
    for patient in patients:
        if not patient.address:
            entries[patient.key] = Entry(patient.key, "not-emailed", "no address")
            continue
        known = ledger.get(patient.key) if ledger else None
        if (
            options.mode == "send"
            and known is not None
            and known.status in ("sent", "unknown")
            and not options.resend
        ):
            why = (
                "sent before" if known.status == "sent" else "outcome unknown, check, then --resend"
            )
            if known.address != patient.address:  # a corrected address, or another patient
                why += " to another address"
            status: ReportStatus = "already-sent" if known.status == "sent" else "unknown"
            entries[patient.key] = Entry(
                patient.key, status, why, known.reason, bool(known.password)
            )
            continue
        password = ""
        if options.encrypt:
            password = known.password if known and known.password else protect.new_password()
        protected = bool(password)
        if options.mode == "send" and not options.dry_run:
            _texts(patient, practice, protected)  # a template problem stops us before sending
            assert ledger is not None
            ledger.record(patient.key, patient.name, patient.address, "pending", password)
            queue.append(_Prepared(patient, password))
            continue
        try:
            message = _message(patient, practice, password, options)
        except _AttachmentError as err:
            entries[patient.key] = Entry(patient.key, "failed", err.why, err.detail)
            continue
        if options.dry_run:
            status = "would-send" if options.mode == "send" else "would-draft"
            entries[patient.key] = Entry(patient.key, status, protected=protected)
            continue
        assert ledger is not None
        draft = out_dir / f"{patient.key}.eml"
        atomic_write(draft, message)
        ledger.record(patient.key, patient.name, patient.address, "drafted", password)
        entries[patient.key] = Entry(patient.key, "drafted", protected=protected, file=str(draft))
        log.debug("drafted %s", patient.key)
    return entries, queue


class _AttachmentError(Exception):
    why = "attachment could not be made"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def _message(
    patient: PatientPdfs, practice: PracticeInput, password: str, options: _Options
) -> bytes:
    settings = practice.practice
    try:
        documents = [a.read() for a in patient.attachments]
    except HandoutsError as err:  # a PDF file gone since it was made: this patient only
        raise _AttachmentError(str(err)) from None
    try:
        document = protect.one_pdf(documents, password or None)
    except Exception as err:  # a PDF that cannot be read: this patient only
        raise _AttachmentError(f"{type(err).__name__}: {err}") from None
    if len(patient.attachments) == 1:
        filename = patient.attachments[0].filename
    else:
        filename = COMBINED_NAME.get(patient.language, "exercises.pdf")
    smtp = settings.smtp
    message = build(
        sender=settings.sender(),
        to=patient.address or "",
        texts=_texts(patient, practice, bool(password)),
        attachment=Attachment(filename, document),
        reply_to=smtp.reply_to if smtp else None,
        draft=options.mode == "draft",
    )
    return message.as_bytes()


def check_templates(practice: PracticeInput) -> int:
    """Render every variant's templates (the practice's own too) with sample values, with a
    protected attachment and without. Raises InputError on the first problem; returns the
    number of variants checked."""
    for name in VARIANTS:
        language = name.removesuffix("-u")
        sample = PatientPdfs("sample", "Anne Peeters", "Anne", "anne@example.org", language, (),
                             formal=name.endswith("-u"), start=dt.date(2026, 12, 7))  # fmt: skip
        for protected in (True, False):
            _texts(sample, practice, protected)
    return len(VARIANTS)


def _texts(patient: PatientPdfs, practice: PracticeInput, protected: bool) -> Texts:
    settings = practice.practice
    override = practice.library_dir / "templates" if practice.library_dir else None
    return render_texts(
        variant(patient.language, patient.formal),
        practice={
            "name": settings.name,
            "phone": settings.phone,
            "email": settings.email,
            "therapist": settings.therapist,
        },
        first_name=patient.first_name,
        start_date=patient.start,
        language=patient.language,
        protected=protected,
        override_dir=override,
    )


def _send_all(
    queue: list[_Prepared], practice: PracticeInput, ledger: Ledger, options: _Options
) -> dict[str, Entry]:
    """Send the queue over one connection; a message that may be tried again (4xx, lost
    before its content, server away) waits for the next round, after backoff × 1, 2, 4 … s."""
    smtp = practice.practice.smtp
    sender = practice.practice.sender()
    assert smtp is not None and sender is not None
    done: dict[str, Entry] = {}
    throttle = Throttle(options.per_minute, sleep=options.sleep)
    waiting = list(queue)
    with Connection(smtp, password_for(smtp), options.timeout) as connection:
        connection.open()  # a wrong password or host stops everything here, nothing sent
        round_number = 0
        while waiting:
            retry: list[_Prepared] = []
            for item in waiting:
                item.attempts += 1
                if item.message is None:
                    try:
                        item.message = _message(item.patient, practice, item.password, options)
                    except _AttachmentError as err:
                        ledger.mark(item.patient.key, "failed", err.detail)
                        done[item.patient.key] = Entry(
                            item.patient.key, "failed", err.why, err.detail
                        )
                        continue
                result, why = _send_one(item, connection, sender.address, ledger, throttle)
                key = item.patient.key
                log.debug("%s: %s", key, result.outcome.value)
                if result.outcome is Outcome.RETRY and item.attempts <= options.retries:
                    retry.append(item)
                    continue
                item.message = None  # done with it: free the memory
                status: Literal["sent", "failed", "unknown"] = "failed"
                if result.outcome is Outcome.SENT:
                    status = "sent"
                elif result.outcome is Outcome.UNKNOWN:
                    status = "unknown"
                ledger.mark(key, status, result.reason)
                done[key] = Entry(key, status, why, result.reason, item.protected, item.attempts)
            if retry:
                options.sleep(options.backoff * 2**round_number)
                round_number += 1
            waiting = retry
    return done


WHY = {
    Outcome.SENT: "",
    Outcome.UNKNOWN: "connection lost while sending",
    Outcome.REFUSED: "refused by the server",
    Outcome.RETRY: "temporary refusal, still after retries",
}


def _send_one(
    item: _Prepared, connection: Connection, sender: str, ledger: Ledger, throttle: Throttle
) -> tuple[Result, str]:
    key = item.patient.key
    try:
        connection.open()  # again, when it was lost
    except MailError as err:
        return Result(Outcome.RETRY, str(err)), "server unreachable, run again"
    throttle.wait()
    assert item.message is not None
    result = connection.send(
        sender,
        item.patient.address or "",
        item.message,
        lambda: ledger.mark(key, "unknown", "content started", attempt=True),
    )
    return result, WHY[result.outcome]
