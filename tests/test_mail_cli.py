"""`--email draft|send` on generate and batch, end to end through the command line, to a
real SMTP server on localhost."""

from __future__ import annotations

import email
import email.policy
import json

import pytest
from click.testing import CliRunner

from handouts.cli import app
from tests.mailserver import PASSWORD, USER, Certificates, Handler, start_server

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
TODAY = ["--today", "2026-11-30"]


@pytest.fixture
def server(tmp_path, monkeypatch):
    certs = Certificates(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(certs.ca_file))
    monkeypatch.setenv("HANDOUTS_SMTP_PASSWORD", PASSWORD)
    handler = Handler()
    controller = start_server(certs, "starttls", handler)
    (tmp_path / "practice.yaml").write_text(
        "name: Fysio De Hiel\nemail: info@fysio.example\n"
        f"smtp:\n  host: 127.0.0.1\n  port: {controller.port}\n  username: {USER}\n",
        encoding="utf-8",
    )
    yield handler
    controller.stop()


def patient_file(folder, address="anne@example.org"):
    path = folder / "patient.yaml"
    path.write_text(
        f"name: Anne Peeters\nfoot: left\nstart: 2026-12-07\nemail: {address}\n"
        "practice: practice.yaml\n",
        encoding="utf-8",
    )
    return path


def test_generate_sends_once_and_a_rerun_skips_it(server, tmp_path):
    out = tmp_path / "out"
    command = ["generate", str(patient_file(tmp_path)), "-o", str(out), "--email", "send",
               "--per-minute", "600", *TODAY]  # fmt: skip
    first = CliRunner().invoke(app, command)
    assert first.exit_code == 0, first.output
    assert "email: 1 sent, 0 drafted, 0 not emailed, 0 failed" in first.stdout
    assert "anne@example.org" not in first.output  # no addresses on the terminal
    assert server.recipients() == ["anne@example.org"]
    (message,) = server.messages()
    assert message.get_body(("plain",)).get_content().startswith("Beste Anne,")
    again = CliRunner().invoke(app, command)
    assert again.exit_code == 0 and "1 already sent (sent before: 1)" in again.stdout
    assert len(server.received) == 1
    report = json.loads((out / "email-report.json").read_text())
    assert report["messages"][0]["key"] == "anne-peeters"


def test_a_u_patient_gets_the_email_in_the_u_form(tmp_path):
    from handouts.regional import je_words

    patient = patient_file(tmp_path)
    (tmp_path / "practice.yaml").write_text("name: Fysio De Hiel\nemail: info@x.nl\n")
    for address in ("je", "u"):
        out = tmp_path / address
        command = ["generate", str(patient), "-o", str(out), "--address", address]
        result = CliRunner().invoke(app, [*command, "--email", "draft", *TODAY])
        assert result.exit_code == 0, result.output
        draft = email.message_from_bytes(
            (out / "anne-peeters.eml").read_bytes(), policy=email.policy.default
        )
        body = draft.get_body(("plain",)).get_content()
        assert bool(je_words(body)) == (address == "je"), body


def test_generate_drafts_an_eml(tmp_path):
    patient = patient_file(tmp_path)
    (tmp_path / "practice.yaml").write_text("name: Fysio De Hiel\nemail: info@x.nl\n")
    result = CliRunner().invoke(
        app, ["generate", str(patient), "-o", str(tmp_path / "out"), "--email", "draft", *TODAY]
    )
    assert result.exit_code == 0, result.output
    draft = email.message_from_bytes(
        (tmp_path / "out" / "anne-peeters.eml").read_bytes(), policy=email.policy.default
    )
    assert draft["X-Unsent"] == "1" and draft["To"] == "anne@example.org"
    assert (tmp_path / "out" / "passwords.pdf").exists()


def test_batch_emails_the_made_rows_and_reports_the_rest(server, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "naam;voet;e-mail;praktijk\n"
        "Anne Peeters;links;anne@example.org;practice.yaml\n"
        "Bob Maes;rechts;;practice.yaml\n"
        "Cees Smit;beide;cees@example.org;practice.yaml\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        app, ["batch", str(roster), "-o", str(tmp_path / "out"), "--jobs", "1", "--email",
              "send", "--per-minute", "600", *TODAY],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "email: 2 sent, 0 drafted, 1 not emailed (no address: 1), 0 failed" in result.stdout
    assert sorted(server.recipients()) == ["anne@example.org", "cees@example.org"]
    for name in ("Anne", "Bob", "Cees", "@"):
        assert name not in result.stdout.split("email:")[1]


def test_a_wrong_password_on_generate_is_one_line_exit_1(server, tmp_path, monkeypatch):
    monkeypatch.setenv("HANDOUTS_SMTP_PASSWORD", "fout")
    result = CliRunner().invoke(
        app, ["generate", str(patient_file(tmp_path)), "-o", str(tmp_path / "out"), "--email",
              "send", *TODAY],
    )  # fmt: skip
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("error: 127.0.0.1:") and "refused the login" in line
    assert server.received == []


def test_email_companions_need_email(tmp_path):
    result = CliRunner().invoke(
        app, ["generate", str(patient_file(tmp_path)), "-o", str(tmp_path), "--dry-run"]
    )
    assert result.exit_code == 2
    assert "--no-encrypt, --dry-run and --resend need --email" in result.stderr


def test_email_without_the_email_extra_says_so_before_anything_is_made(tmp_path, monkeypatch):
    """Without pikepdf (the email extra), --email used to make every PDF and then fail."""
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "pikepdf" else real(name, *a)
    )
    patient = patient_file(tmp_path)
    (tmp_path / "practice.yaml").write_text("name: Fysio De Hiel\nemail: info@x.nl\n")
    roster = tmp_path / "week.csv"
    roster.write_text("naam;voet;e-mail\nJan;links;jan@example.org\n", encoding="utf-8")
    for command in (["generate", str(patient)], ["batch", str(roster)]):
        out = tmp_path / command[0]
        result = CliRunner().invoke(app, [*command, "-o", str(out), "--email", "draft", *TODAY])
        assert result.exit_code == 2
        assert "error: command line: email: needs the email extra" in result.stderr
        assert "pip install 'handouts[email]'" in result.stderr
        assert not out.exists() or not list(out.iterdir())
