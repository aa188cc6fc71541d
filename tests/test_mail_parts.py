"""The parts of emailing that need no server: templates, message, password, passwords list,
the model's email fields, and that templates/ is in the wheel."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from handouts.errors import InputError
from handouts.mail import protect
from handouts.mail.ledger import Entry
from handouts.mail.message import Attachment, build
from handouts.mail.passwords import passwords_csv, passwords_pdf
from handouts.mail.templates import VARIANTS, render_texts, shipped_templates, variant
from handouts.models import Patient, Practice, Sender, validated
from handouts.roster import field_of
from tests.conftest import START

ROOT = Path(__file__).resolve().parent.parent
PRACTICE = {"name": "Fysio De Hiel", "phone": "012 345", "email": "info@x.nl", "therapist": "Sanne"}
HEALTH_WORDS = ("hiel", "voet", "pijn", "fasci", "heel", "foot", "pain", "oefen", "exercise")


def texts(name="nl", protected=True, **changes):
    language = name.removesuffix("-u")
    arguments = {"practice": PRACTICE, "first_name": "Anne", "start_date": START,
                 "language": language, "protected": protected, **changes}  # fmt: skip
    return render_texts(name, **arguments)


@pytest.mark.parametrize("name", VARIANTS)
@pytest.mark.parametrize("protected", [True, False])
def test_every_variant_greets_signs_and_says_nothing_about_health(name, protected):
    made = texts(name, protected)
    words = " ".join([made.subject, made.plain, made.html]).lower().replace("de hiel", "")
    assert not [w for w in HEALTH_WORDS if w in words]
    assert "Anne" in made.plain and "Fysio De Hiel" in made.subject
    for line in ("Sanne", "Fysio De Hiel", "012 345", "info@x.nl"):  # the signature
        assert line in made.plain.splitlines() and line in made.html
    assert ("wachtwoord" in made.plain or "password" in made.plain) == protected or not protected
    unprotected = ("geen wachtwoord", "no password")
    assert any(u in made.plain for u in unprotected) != protected
    assert "{" not in made.plain and "None" not in made.plain and "\n\n\n" not in made.plain
    formal = name.endswith("-u")
    assert (" u " in f" {made.plain} ") == formal and (" je " in f" {made.plain} ") == (
        name.startswith("nl") and not formal
    )


def test_the_start_date_is_written_out_per_language():
    assert "maandag 7 december 2026" in texts("nl").plain
    assert "Monday 7 December 2026" in texts("en").plain
    assert "begint op" not in texts("nl", start_date=None).plain
    assert variant("nl-BE", True) == "nl-BE-u" and variant("en", True) == "en"


def test_practice_text_is_data_escaped_in_html_and_one_line_in_the_subject():
    made = texts(practice={**PRACTICE, "name": "<b>A&B</b>\r\nBcc: x@y"})
    assert "&lt;b&gt;A&amp;B&lt;/b&gt;" in made.html and "<b>A&B" not in made.html
    assert "\n" not in made.subject and "\r" not in made.subject


def override(tmp_path, text, name="subject.txt.j2"):
    folder = tmp_path / "templates" / "email" / "nl"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return tmp_path / "templates"


def test_a_practice_overrides_a_template_from_its_library_folder(tmp_path):
    own = override(tmp_path, "Post van {{ practice.therapist }} voor {{ first_name }}")
    made = texts(override_dir=own)
    assert made.subject == "Post van Sanne voor Anne"
    assert "Beste Anne," in made.plain  # the others stay the shipped ones


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ patient.name }}", "'patient' is undefined; a template may use only practice.name"),
        ("{{ first_name.__class__.__mro__ }}", "not allowed in a template"),
        ("{{ practice.update(name='x') }}", "not allowed in a template"),
        ("{% for x in %}", "template error"),
        ("{% include '/etc/passwd' %}", "template error"),
    ],
)
def test_practice_templates_run_sandboxed_with_one_line_errors(tmp_path, source, message):
    own = override(tmp_path, source)
    with pytest.raises(InputError) as caught:
        texts(override_dir=own)
    (problem,) = caught.value.problems
    assert message in str(problem) and "\n" not in str(problem)


def test_a_huge_practice_template_is_refused(tmp_path):
    own = override(tmp_path, "x" * 30_000)
    with pytest.raises(InputError, match="larger than 20000 bytes"):
        texts(override_dir=own)


def test_the_message_is_plain_and_html_alternatives_with_one_pdf():
    message = build(
        sender=Sender(name="Fysio De Hiel", address="info@x.nl"),
        to="anne@example.org",
        texts=texts(),
        attachment=Attachment("oefenschema.pdf", b"%PDF-1.7 test"),
        reply_to="sanne@x.nl",
        draft=True,
    )
    assert message["X-Unsent"] == "1" and message["Date"] is None
    assert str(message["Reply-To"]) == "sanne@x.nl"
    assert [p.get_content_type() for p in message.walk()] == [
        "multipart/mixed", "multipart/alternative", "text/plain", "text/html", "application/pdf",
    ]  # fmt: skip
    sent = build(sender=None, to="anne@example.org", texts=texts(),
                 attachment=Attachment("a.pdf", b"%PDF"))  # fmt: skip
    assert sent["X-Unsent"] is None and sent["Date"] is not None and sent["From"] is None


def test_passwords_are_twelve_characters_without_look_alikes():
    made = {protect.new_password() for _ in range(500)}
    assert len(made) == 500
    for password in made:
        groups = password.split("-")
        assert [len(g) for g in groups] == [4, 4, 4]
        assert set("".join(groups)) <= set(protect.ALPHABET)
    assert not set("0o1il") & set(protect.ALPHABET)


def test_encryption_works_on_joined_pdf_bytes(library):
    from handouts.patients import PracticeInput
    from handouts.produce import render
    from tests.conftest import make_plan

    plan = make_plan(library)
    practice = PracticeInput(Practice(), None)
    handout, checklist = render(plan, practice, "handout"), render(plan, practice, "checklist")
    locked = protect.one_pdf([handout, checklist], "abcd-efgh-jkmn")
    reader = PdfReader(io.BytesIO(locked))
    assert reader.is_encrypted and reader.decrypt("abcd-efgh-jkmn")
    pages = len(PdfReader(io.BytesIO(handout)).pages) + len(PdfReader(io.BytesIO(checklist)).pages)
    assert len(reader.pages) == pages
    assert "Anne Peeters" in reader.pages[-1].extract_text()
    joined = PdfReader(io.BytesIO(protect.one_pdf([handout, checklist], None)))
    assert not joined.is_encrypted and len(joined.pages) == pages
    assert protect.one_pdf([handout], None) == handout


def test_the_passwords_list_prints_every_name_and_password_in_the_bundled_font():
    entries = [
        Entry("k1", "İlkay <b>Gündoğan</b>", "ilkay@example.org", "sent", "abcd-efgh-jkmn", 1, ""),
        Entry("k2", "=HYPERLINK(1)", "x@example.org", "pending", "mmmm-mmmm-mmmm", 0, ""),
    ]
    pdf = passwords_pdf(entries, dt.date(2026, 12, 2))
    text = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert "İlkay <b>Gündoğan</b>" in text and "abcd-efgh-jkmn" in text
    assert "mmmm-mmmm-mmmm" in text and "verstuurd" in text
    assert b"Helvetica" not in pdf
    table = passwords_csv(entries).decode("utf-8-sig").splitlines()
    assert table[0] == "name,id,email,password,status"
    assert table[2].startswith("'=HYPERLINK(1)")  # a spreadsheet shows it, does not run it


def test_email_fields_in_patient_practice_and_roster():
    def patient(email: str) -> Patient:
        return validated(Patient, {"name": "A", "foot": "left", "email": email})

    assert patient(" Anne@Example.ORG ").email == "Anne@example.org"
    assert patient("").email is None
    with pytest.raises(ValueError, match="is not an email address"):
        patient("anne@")
    smtp = {"host": "smtp.x.nl", "username": "u"}
    practice = validated(Practice, {"name": "P", "email": "info@x.nl", "smtp": smtp})
    assert practice.sender() == Sender(name="P", address="info@x.nl")
    assert practice.smtp is not None and practice.smtp.port_or_default == 587
    sender = {"name": "F", "address": "f@x.nl"}
    own = validated(Practice, {"smtp": {"host": "h", "security": "ssl", "from": sender}})
    assert own.sender() == Sender(name="F", address="f@x.nl") and own.smtp.port_or_default == 465
    with pytest.raises(ValueError, match="needs a sender"):
        validated(Practice, {"smtp": {"host": "h"}})
    assert {field_of(h) for h in ("email", "E-mail", "emailadres", "E-mailadres")} == {"email"}


def test_templates_are_in_the_wheel_and_found_through_importlib_resources(tmp_path):
    """pip install . from a clean copy ships templates/ as handouts._templates."""
    source = tmp_path / "src"
    shutil.copytree(ROOT / "handouts", source / "handouts",
                    ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
    shutil.copytree(ROOT / "templates", source / "templates")
    shutil.copytree(ROOT / "fonts", source / "fonts")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path / "dist"), str(source)],
        check=True, capture_output=True,
    )  # fmt: skip
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for name in VARIANTS:
        assert f"handouts/_templates/email/{name}/body.html.j2" in names
    packages = {str(p.parent.relative_to(ROOT)) for p in (ROOT / "handouts").rglob("__init__.py")}
    assert {p for p in packages if f"{p}/__init__.py" not in names} == set()  # every package
    installed = tmp_path / "installed"
    zipfile.ZipFile(wheel).extractall(installed)
    shown = subprocess.run(
        [sys.executable, "-c", "from handouts.mail.templates import shipped_templates, "
         "render_texts; print(shipped_templates()); print(render_texts('en', practice={}, "
         "first_name='Anne', start_date=None, language='en', protected=True).subject)"],
        cwd=tmp_path, env={"PYTHONPATH": str(installed), "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, check=True,
    ).stdout.splitlines()  # fmt: skip
    assert str(installed / "handouts" / "_templates") in shown[0]  # not the checkout's folder
    assert shown[1] == "Your documents"
    for font in ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "OFL.txt"):  # fonts/ too
        assert f"handouts/_fonts/{font}" in names
    assert shipped_templates().joinpath("email", "nl", "subject.txt.j2").is_file()


def test_one_run_at_a_time_per_folder(tmp_path):
    from handouts.errors import OutputError
    from handouts.mail.ledger import Ledger

    first = Ledger.in_folder(tmp_path)
    with pytest.raises(OutputError, match="another handouts run is emailing from this folder"):
        Ledger.in_folder(tmp_path)
    first.close()
    Ledger.in_folder(tmp_path).close()  # free again


def test_the_rate_limit_spreads_messages_evenly():
    from handouts.mail.smtp import Throttle

    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    throttle = Throttle(30, clock=lambda: now[0], sleep=sleep)
    for _ in range(4):
        throttle.wait()
        now[0] += 0.5  # sending takes half a second
    assert slept == [1.5, 1.5, 1.5]  # 30 a minute: one every 2 s
    unlimited = Throttle(None, clock=lambda: now[0], sleep=sleep)
    unlimited.wait()
    unlimited.wait()
    assert len(slept) == 3


@pytest.mark.parametrize("name", [v for v in VARIANTS if v.startswith("nl")])
def test_the_dutch_emails_are_plain_language(name):
    from handouts.text import readability

    body = texts(name).plain.split("Met vriendelijke")[0]  # the signature is not prose
    assert readability([body]).problems() == []
