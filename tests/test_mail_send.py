"""Emailing through a real SMTP server on localhost (aiosmtpd, STARTTLS or TLS, AUTH), with
a certificate the test makes. Messages are read back with the email package; attachments
are opened with the password from passwords.csv (pypdf and poppler) and not without."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import threading
from typing import ClassVar

import pikepdf
import pytest
from click.testing import CliRunner
from msgspec.structs import replace
from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError

from handouts.cli import app
from handouts.mail import Attachment, MailError, PatientPdfs, deliver
from handouts.models import Practice, Smtp
from handouts.patients import PracticeInput
from handouts.produce import render
from tests.conftest import START, make_plan
from tests.mailserver import PASSWORD, USER, Certificates, Handler, start_server

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
FAST = {"per_minute": None, "backoff": 0.01, "timeout": 5}  # no waiting in tests


@pytest.fixture(scope="module")
def pdfs(library):
    plan = make_plan(library)
    practice = PracticeInput(Practice(), None)
    return render(plan, practice, "handout"), render(plan, practice, "checklist")


@pytest.fixture
def certs(tmp_path, monkeypatch):
    made = Certificates(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(made.ca_file))  # the system's trust store, as a CA
    monkeypatch.setenv("HANDOUTS_SMTP_PASSWORD", PASSWORD)
    return made


class Server:
    def __init__(self, certs: Certificates, security: str) -> None:
        self.handler = Handler()
        self.controller = start_server(certs, security, self.handler)
        smtp = Smtp(host="127.0.0.1", port=self.controller.port, security=security, username=USER)
        self.practice = PracticeInput(
            Practice(name="Fysio De Hiel", phone="012 345", email="info@fysio.example", smtp=smtp),
            None,
        )

    def stop(self) -> None:
        self.controller.stop()


@pytest.fixture(params=["starttls", "ssl"])
def server(request, certs):
    running = Server(certs, request.param)
    yield running
    running.stop()


@pytest.fixture
def starttls(certs):
    running = Server(certs, "starttls")
    yield running
    running.stop()


def patients(pdfs, count, without_address=()):
    handout, checklist = pdfs
    return [
        PatientPdfs(
            key=f"p{i}",
            name=f"Patiënt Nummer{i}",
            first_name="Anne",
            address=None if i in without_address else f"p{i}@example.org",
            language="nl",
            attachments=(Attachment("a.pdf", handout), Attachment("b.pdf", checklist)),
            start=START,
        )
        for i in range(1, count + 1)
    ]


def passwords(out_dir):
    with open(out_dir / "passwords.csv", encoding="utf-8-sig", newline="") as f:
        return {row["id"]: row["password"] for row in csv.DictReader(f)}


def attachment(message):
    (part,) = [p for p in message.iter_attachments()]
    assert part.get_content_type() == "application/pdf"
    return part.get_filename(), part.get_content()


def test_sent_messages_arrive_and_open_only_with_their_password(server, pdfs, tmp_path):
    out = tmp_path / "out"
    report = deliver(
        patients(pdfs, 3, without_address={2}), server.practice, out, mode="send", **FAST
    )

    assert [e.status for e in report.entries] == ["sent", "not-emailed", "sent"]
    assert report.entries[1].why == "no address"
    assert not report.failed
    assert report.summary().startswith("email: 2 sent, 0 drafted, 1 not emailed (no address: 1)")
    assert "Nummer" not in report.summary() and "@" not in report.summary()
    assert sorted(server.handler.recipients()) == ["p1@example.org", "p3@example.org"]
    secret = passwords(out)
    assert set(secret) == {"p1", "p3"} and secret["p1"] != secret["p3"]
    for message in server.handler.messages():
        key = message["To"].addresses[0].username
        assert message["From"].addresses[0].addr_spec == "info@fysio.example"
        assert message["Subject"] == "Je documenten van Fysio De Hiel"
        assert message["X-Unsent"] is None
        plain = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        assert "Beste Anne," in plain and "maandag 7 december 2026" in plain
        assert "wachtwoord" in plain and "<p>Beste Anne,</p>" in html
        assert secret[key] not in message.as_string()  # the password never travels with it
        name, data = attachment(message)
        assert name == "oefenschema.pdf"
        reader = PdfReader(io.BytesIO(data))
        assert reader.is_encrypted
        with pytest.raises(FileNotDecryptedError):
            reader.pages[0].extract_text()
        assert not reader.decrypt("wrong-pass-word")
        assert reader.decrypt(secret[key])
        assert "Anne Peeters" in reader.pages[0].extract_text()
        handout_pages = len(PdfReader(io.BytesIO(pdfs[0])).pages)
        assert len(reader.pages) == handout_pages + len(PdfReader(io.BytesIO(pdfs[1])).pages)
        with pikepdf.open(io.BytesIO(data), password=secret[key]) as pdf:
            assert pdf.encryption.R == 6 and pdf.encryption.bits == 256
        if shutil.which("pdftotext") is None:  # poppler-utils: a second reader, if installed
            continue
        path = tmp_path / f"{key}.pdf"
        path.write_bytes(data)
        opened = subprocess.run(
            ["pdftotext", "-upw", secret[key], str(path), "-"], capture_output=True, text=True
        )
        assert opened.returncode == 0 and "Anne Peeters" in opened.stdout
        refused = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True)
        assert refused.returncode != 0 and "Anne Peeters" not in refused.stdout
    saved = json.loads((out / "email-report.json").read_text())
    assert saved["counts"] == {"not-emailed": 1, "sent": 2}
    assert (out / "passwords.pdf").read_bytes().startswith(b"%PDF")
    assert oct((out / "passwords.csv").stat().st_mode & 0o777) == "0o600"


def test_a_rerun_sends_nothing_twice_and_resend_sends_again(starttls, pdfs, tmp_path):
    first = deliver(patients(pdfs, 2), starttls.practice, tmp_path, mode="send", **FAST)
    secret = passwords(tmp_path)
    again = deliver(patients(pdfs, 2), starttls.practice, tmp_path, mode="send", **FAST)
    assert [e.status for e in first.entries] == ["sent", "sent"]
    assert [e.status for e in again.entries] == ["already-sent", "already-sent"]
    assert len(starttls.handler.received) == 2
    resent = deliver(
        patients(pdfs, 1), starttls.practice, tmp_path, mode="send", resend=True, **FAST
    )
    assert [e.status for e in resent.entries] == ["sent"]
    assert starttls.handler.recipients().count("p1@example.org") == 2
    assert passwords(tmp_path) == secret  # the same password every run


def test_a_temporary_refusal_is_retried_and_sent_once(starttls, pdfs, tmp_path):
    starttls.handler.rcpt_answers["p2@example.org"] = ["451 4.7.1 Try again later"] * 2
    report = deliver(patients(pdfs, 3), starttls.practice, tmp_path, mode="send", **FAST)
    assert [e.status for e in report.entries] == ["sent", "sent", "sent"]
    assert report.entries[1].attempts == 3
    assert sorted(starttls.handler.recipients()) == [f"p{i}@example.org" for i in (1, 2, 3)]


def test_a_temporary_refusal_that_lasts_fails_after_the_retries(starttls, pdfs, tmp_path):
    starttls.handler.rcpt_answers["p1@example.org"] = ["452 4.2.2 Mailbox full"] * 10
    report = deliver(patients(pdfs, 1), starttls.practice, tmp_path, mode="send", retries=2, **FAST)
    assert report.entries[0].status == "failed" and report.entries[0].attempts == 3
    assert "452" in report.entries[0].detail


def test_a_rejected_recipient_fails_and_the_others_are_sent(starttls, pdfs, tmp_path):
    starttls.handler.rcpt_answers["p2@example.org"] = ["550 5.1.1 No such user"]
    report = deliver(patients(pdfs, 3), starttls.practice, tmp_path, mode="send", **FAST)
    assert [e.status for e in report.entries] == ["sent", "failed", "sent"]
    assert report.failed and report.entries[1].why == "refused by the server"
    assert "1 failed (refused by the server: 1)" in report.summary()
    assert sorted(starttls.handler.recipients()) == ["p1@example.org", "p3@example.org"]
    # the next run tries the failed one again (the address may have been corrected)
    again = deliver(patients(pdfs, 3), starttls.practice, tmp_path, mode="send", **FAST)
    assert [e.status for e in again.entries] == ["already-sent", "sent", "already-sent"]


def test_a_server_that_drops_mid_batch_then_a_rerun_completes_without_a_duplicate(
    certs, pdfs, tmp_path
):
    first = Server(certs, "starttls")
    # the 3rd message is kept by the server, but the connection drops before its "250",
    # and the server goes away: the rest cannot be sent in this run
    first.handler.drop_at = 3
    first.handler.on_drop = lambda: threading.Thread(target=first.controller.stop).start()
    report = deliver(patients(pdfs, 5), first.practice, tmp_path, mode="send", **FAST)
    assert [e.status for e in report.entries] == ["sent", "sent", "unknown", "failed", "failed"]
    assert report.entries[3].why == "server unreachable, run again"
    assert report.failed

    second = Server(certs, "starttls")
    try:
        rerun = deliver(patients(pdfs, 5), second.practice, tmp_path, mode="send", **FAST)
    finally:
        second.stop()
    statuses = [e.status for e in rerun.entries]
    assert statuses == ["already-sent", "already-sent", "unknown", "sent", "sent"]
    everyone = first.handler.recipients() + second.handler.recipients()
    assert sorted(everyone) == [f"p{i}@example.org" for i in range(1, 6)]  # each exactly once


def test_a_wrong_password_is_one_line_and_exit_1(starttls, tmp_path, monkeypatch, pdfs):
    monkeypatch.setenv("HANDOUTS_SMTP_PASSWORD", "fout")
    with pytest.raises(MailError, match="refused the login"):
        deliver(patients(pdfs, 1), starttls.practice, tmp_path, mode="send", **FAST)
    assert starttls.handler.received == []
    practice = practice_file(tmp_path, starttls.controller.port)
    result = CliRunner().invoke(app, ["email", "check", "--practice", str(practice)])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: 127.0.0.1:")
    assert "refused the login of praktijk@fysio.example" in lines[0]
    assert "HANDOUTS_SMTP_PASSWORD" in lines[0]


def test_microsoft_365_without_password_login_gets_its_own_fix(starttls, tmp_path):
    practice = practice_file(tmp_path, starttls.controller.port, user="m365")
    result = CliRunner().invoke(app, ["email", "check", "--practice", str(practice)])
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert "5.7.139" in line and "Microsoft 365 has password login for SMTP" in line
    assert "--email draft" in line


def practice_file(folder, port, security="starttls", user=USER):
    path = folder / "practice.yaml"
    path.write_text(
        "name: Fysio De Hiel\nemail: info@fysio.example\n"
        f"smtp:\n  host: 127.0.0.1\n  port: {port}\n  security: {security}\n  username: {user}\n",
        encoding="utf-8",
    )
    return path


def test_email_check_logs_in_and_sends_nothing(server, tmp_path):
    security = server.practice.practice.smtp.security
    practice = practice_file(tmp_path, server.controller.port, security)
    result = CliRunner().invoke(app, ["email", "check", "--practice", str(practice)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"OK: 127.0.0.1:{server.controller.port} ({security})")
    assert server.handler.received == []


def test_an_untrusted_certificate_is_refused(starttls, tmp_path, monkeypatch, pdfs):
    monkeypatch.delenv("SSL_CERT_FILE")
    monkeypatch.setenv("SSL_CERT_DIR", str(tmp_path))  # no CA there
    with pytest.raises(MailError, match="certificate is not trusted"):
        deliver(patients(pdfs, 1), starttls.practice, tmp_path, mode="send", **FAST)


def test_set_password_stores_it_in_the_keyring(starttls, tmp_path, monkeypatch):
    import keyring
    from keyring.backend import KeyringBackend

    class MemoryKeyring(KeyringBackend):
        priority = 1  # type: ignore[assignment]
        store: ClassVar[dict[tuple[str, str], str]] = {}

        def get_password(self, service, username):
            return self.store.get((service, username))

        def set_password(self, service, username, password):
            self.store[(service, username)] = password

        def delete_password(self, service, username):
            self.store.pop((service, username), None)

    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        monkeypatch.delenv("HANDOUTS_SMTP_PASSWORD")
        practice = practice_file(tmp_path, starttls.controller.port)
        runner = CliRunner()
        before = runner.invoke(app, ["email", "check", "--practice", str(practice)])
        assert before.exit_code == 1 and "no SMTP password" in before.stderr
        stored = runner.invoke(
            app, ["email", "set-password", "--practice", str(practice)], input=f"{PASSWORD}\n" * 2
        )
        assert stored.exit_code == 0, stored.output
        assert MemoryKeyring.store == {("handouts-smtp:127.0.0.1", USER): PASSWORD}
        after = runner.invoke(app, ["email", "check", "--practice", str(practice)])
        assert after.exit_code == 0, after.output
        assert PASSWORD not in practice.read_text()
    finally:
        keyring.set_keyring(previous)


def test_drafts_are_unsent_eml_files_with_a_protected_attachment(pdfs, tmp_path):
    practice = PracticeInput(Practice(name="Fysio De Hiel", email="info@fysio.example"), None)
    report = deliver(patients(pdfs, 2), practice, tmp_path, mode="draft", **FAST)
    assert [e.status for e in report.entries] == ["drafted", "drafted"]
    assert report.summary().startswith("email: 0 sent, 2 drafted")
    secret = passwords(tmp_path)
    import email
    import email.policy

    message = email.message_from_bytes(
        (tmp_path / "p1.eml").read_bytes(), policy=email.policy.default
    )
    assert message["X-Unsent"] == "1" and message["To"] == "p1@example.org"
    assert message["From"].addresses[0].display_name == "Fysio De Hiel"
    assert message.get_content_type() == "multipart/mixed"
    parts = [p.get_content_type() for p in message.walk()]
    assert parts == ["multipart/mixed", "multipart/alternative", "text/plain", "text/html",
                     "application/pdf"]  # fmt: skip
    reader = PdfReader(io.BytesIO(attachment(message)[1]))
    assert reader.is_encrypted and reader.decrypt(secret["p1"])
    again = deliver(patients(pdfs, 2), practice, tmp_path, mode="draft", **FAST)
    assert [e.status for e in again.entries] == ["drafted", "drafted"]
    assert passwords(tmp_path) == secret  # drafts made again keep their passwords


def test_without_encryption_the_message_says_so(starttls, pdfs, tmp_path):
    report = deliver(
        patients(pdfs, 1), starttls.practice, tmp_path, mode="send", encrypt=False, **FAST
    )
    assert report.entries[0].status == "sent" and not report.entries[0].protected
    (message,) = starttls.handler.messages()
    assert "de bijlage heeft geen wachtwoord" in message.get_body(("plain",)).get_content()
    assert not PdfReader(io.BytesIO(attachment(message)[1])).is_encrypted
    assert not (tmp_path / "passwords.csv").exists()


def test_a_dry_run_writes_and_sends_nothing(starttls, pdfs, tmp_path):
    out = tmp_path / "out"
    report = deliver(patients(pdfs, 2, without_address={1}), starttls.practice, out, mode="send",
                     dry_run=True, **FAST)  # fmt: skip
    assert [e.status for e in report.entries] == ["not-emailed", "would-send"]
    assert report.summary().startswith("email (dry run): 1 would send, 0 would draft")
    assert not out.exists() and starttls.handler.received == []


def test_a_broken_attachment_fails_that_patient_only(starttls, pdfs, tmp_path):
    group = patients(pdfs, 3)
    broken = Attachment("a.pdf", b"%PDF-1.7 not really")
    group[1] = replace(group[1], attachments=(broken,))
    report = deliver(group, starttls.practice, tmp_path, mode="send", **FAST)
    assert [e.status for e in report.entries] == ["sent", "failed", "sent"]
    assert report.entries[1].why == "attachment could not be made"
    assert sorted(starttls.handler.recipients()) == ["p1@example.org", "p3@example.org"]


CLIENT = """
import sys
from pathlib import Path
from handouts.mail import Attachment, PatientPdfs, deliver
from handouts.models import Practice, Smtp
from handouts.patients import PracticeInput
port, user, out, pdf = int(sys.argv[1]), sys.argv[2], Path(sys.argv[3]), sys.argv[4]
smtp = Smtp(host="127.0.0.1", port=port, username=user)
practice = PracticeInput(Practice(email="info@fysio.example", smtp=smtp), None)
attachment = Attachment("a.pdf", Path(pdf).read_bytes())
patients = [PatientPdfs(f"p{i}", "N", "Anne", f"p{i}@example.org", "nl", (attachment,))
            for i in (1, 2, 3)]
deliver(patients, practice, out, mode="send", per_minute=None)
"""


def test_a_run_killed_while_a_message_goes_out_never_sends_it_twice(starttls, pdfs, tmp_path):
    import os
    import signal
    import sys
    from pathlib import Path

    from handouts.mail.ledger import Ledger

    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(pdfs[0])
    starttls.handler.hold_at = 2  # the server has p2's content but does not answer yet
    root = Path(__file__).resolve().parent.parent
    client = subprocess.Popen(
        [
            sys.executable,
            "-c",
            CLIENT,
            str(starttls.controller.port),
            USER,
            str(tmp_path),
            str(pdf),
        ],
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    try:
        while not starttls.handler.held.wait(0.05):
            assert client.poll() is None, "the client ended before the message was held"
        client.send_signal(signal.SIGKILL)  # a crash, a power cut: nothing gets to clean up
        client.wait(10)
    finally:
        client.kill()
        starttls.handler.release.set()
    ledger = Ledger.in_folder(tmp_path)  # the killed run's lock is gone with it
    states = [ledger.get(f"p{i}").status for i in (1, 2, 3)]
    ledger.close()
    assert states == ["sent", "unknown", "pending"]

    rerun = deliver(patients(pdfs, 3), starttls.practice, tmp_path, mode="send", **FAST)
    assert [e.status for e in rerun.entries] == ["already-sent", "unknown", "sent"]
    assert sorted(starttls.handler.recipients()) == [f"p{i}@example.org" for i in (1, 2, 3)]


def test_attachments_from_files_are_read_when_sent_and_a_missing_one_fails(
    starttls, pdfs, tmp_path
):
    (tmp_path / "h.pdf").write_bytes(pdfs[0])
    group = patients(pdfs, 2)
    group[0] = replace(group[0], attachments=(Attachment("h.pdf", tmp_path / "h.pdf"),))
    group[1] = replace(group[1], attachments=(Attachment("x.pdf", tmp_path / "gone.pdf"),))
    report = deliver(group, starttls.practice, tmp_path, mode="send", **FAST)
    assert [e.status for e in report.entries] == ["sent", "failed"]
    assert "gone.pdf: cannot read" in report.entries[1].detail
    (message,) = starttls.handler.messages()
    assert attachment(message)[0] == "h.pdf"


def test_email_check_renders_the_practice_templates_first(starttls, tmp_path):
    practice = practice_file(tmp_path, starttls.controller.port)
    practice.write_text(practice.read_text() + "library: eigen\n", encoding="utf-8")
    own = tmp_path / "eigen" / "templates" / "email" / "nl-BE-u"
    own.mkdir(parents=True)
    (own / "body.txt.j2").write_text("Beste {{ patient.name }}\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["email", "check", "--practice", str(practice)])
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"error: {own / 'body.txt.j2'}: 'patient' is undefined")
    (own / "body.txt.j2").write_text("Beste {{ first_name }}\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["email", "check", "--practice", str(practice)])
    assert result.exit_code == 0, result.output
    assert "templates of 5 variants render; sending would work." in result.stdout


def test_a_changed_address_is_not_sent_again_silently(starttls, pdfs, tmp_path):
    deliver(patients(pdfs, 1), starttls.practice, tmp_path, mode="send", **FAST)
    moved = [replace(patients(pdfs, 1)[0], address="new@example.org")]
    again = deliver(moved, starttls.practice, tmp_path, mode="send", **FAST)
    assert again.entries[0].status == "already-sent"
    assert again.entries[0].why == "sent before to another address"
    assert starttls.handler.recipients() == ["p1@example.org"]
