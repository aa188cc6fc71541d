"""Patient and practice files as a therapist types them in a plain editor (Notepad, TextEdit):
a note typed without a space before #, a # inside a text, an editor's curly quotes, a file
saved as ANSI or UTF-16, a name as the practice software lists it. Each starts from the
starters (`handouts new`), goes through the command line, and `validate` and `generate` say
the same: an error names the file, the field and the fix, exit 2, nothing written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from handouts import limits
from handouts.cli import app
from handouts.files import parse_typed_yaml
from tests.conftest import pdf_pages
from tests.test_first_hour import filled_in

TODAY = ["--today", "2026-11-21"]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def starters(tmp_path: Path) -> tuple[str, str]:
    """The Dutch patient starter (the name still to fill in) and a filled-in practice file."""
    patient, practice = tmp_path / "start.yaml", tmp_path / "praktijk.yaml"
    assert run("new", str(patient), "--lang", "nl")[0] == 0
    assert run("new", str(practice))[0] == 0
    practice.write_text(filled_in(practice.read_text(encoding="utf-8")), encoding="utf-8")
    text = patient.read_text(encoding="utf-8")
    patient.unlink()
    return text.replace("# praktijk: praktijk.yaml", "praktijk: praktijk.yaml"), practice.name


def named(text: str) -> str:
    return text.replace("naam: Voornaam Achternaam", "naam: Fatma Yılmaz")


def lines(stderr: str, kind: str) -> list[str]:
    assert "Traceback" not in stderr and "internal error" not in stderr
    return [line for line in stderr.splitlines() if line.startswith(f"{kind}: ")]


def refused(patient: Path) -> list[str]:
    """The error lines validate and generate both give (they must agree), nothing written."""
    out = patient.parent / "out"
    code, _, err = run("validate", str(patient))
    made, _, made_err = run("generate", str(patient), "-o", str(out), *TODAY)
    assert (code, made) == (2, 2), (err, made_err)
    assert lines(err, "error") == lines(made_err, "error")
    assert not out.exists() or not any(out.iterdir())
    return lines(err, "error")


def made(patient: Path) -> tuple[str, str, str]:
    """validate and generate both accept it: the handout's first page, and each stderr."""
    code, _, checked = run("validate", str(patient))
    assert code == 0, checked
    code, out, err = run("generate", str(patient), "-o", str(patient.parent / "out"), *TODAY)
    assert code == 0, err
    handout = Path(out.splitlines()[0])
    return pdf_pages(handout.read_bytes())[0], checked, err


STUCK = "looks like a note stuck to the value; put a space before # (a note) or put the whole "
STUCK += "value in quotes if # belongs to it"


def test_a_note_typed_without_a_space_before_its_hash_is_refused_naming_the_field(tmp_path):
    text, _ = starters(tmp_path)
    patient = tmp_path / "marie.yaml"
    # typed over the starter's example value, the note after it left as it was
    text = text.replace("naam: Voornaam Achternaam     #", "naam: Marie-Thérèse Vandenbroucke#")
    text = text.replace('notities: ""                  #', "notities: Rustig opbouwen#")
    text = text.replace("# startdatum: 07-12-2026      #", "startdatum: 07-12-2026#")
    patient.write_text(text, encoding="utf-8")
    assert refused(patient) == [
        f"error: {patient}: naam: '# staat op elke pagina, precies zoals…' {STUCK}",
        # this one, not "not a date": the note is what to fix
        f"error: {patient}: startdatum: '# de eerste dag; anders de komende…' {STUCK}",
        f"error: {patient}: notities: '# een korte notitie van jou, op het…' {STUCK}",
    ]


def test_a_stuck_note_in_a_practice_file_or_under_a_field_is_named_there_too(tmp_path):
    text, practice_name = starters(tmp_path)
    practice, patient = tmp_path / practice_name, tmp_path / "p.yaml"
    starter_lines = "# oefeningen:\n#   calf-stretch-wall-straight-knee:\n#     vasthouden: 45"
    typed_lines = "oefeningen:\n  calf-stretch-wall-straight-knee:\n    vasthouden: 45#s"
    patient.write_text(named(text).replace(starter_lines, typed_lines), encoding="utf-8")
    assert refused(patient) == [
        f"error: {patient}: oefeningen.calf-stretch-wall-straight-knee.vasthouden: '#s' {STUCK}"
    ]
    patient.write_text(named(text), encoding="utf-8")
    typed = practice.read_text(encoding="utf-8")
    practice.write_text(typed.replace("telefoon: 050 123 45 67", "telefoon: 050 123 45 67#werk"))
    assert refused(patient) == [f"error: {practice}: telefoon: '#werk' {STUCK}"]


def test_a_hash_that_belongs_to_the_value_is_kept_when_quoted_or_in_a_web_address(tmp_path):
    text, practice_name = starters(tmp_path)
    practice, patient = tmp_path / practice_name, tmp_path / "p.yaml"
    patient.write_text(
        named(text).replace('notities: ""', "notities: 'Afspraak #3 op 21-12#b'"), encoding="utf-8"
    )
    typed = practice.read_text(encoding="utf-8")
    site = "website: https://fysio-oost.example/#contact"
    practice.write_text(typed.replace("# website: https://praktijk.example", site))
    first, checked, err = made(patient)
    assert "Afspraak #3 op 21-12#b" in first and "fysio-oost.example/#contact" in first
    assert lines(checked + err, "warning") == []


def test_a_hash_inside_a_text_cuts_it_with_a_warning_naming_the_field_and_line(tmp_path):
    text, practice_name = starters(tmp_path)
    practice, patient = tmp_path / practice_name, tmp_path / "p.yaml"
    text = named(text).replace('notities: ""', "notities: Afspraak #3 op 21-12, neem schoenen mee")
    patient.write_text(text, encoding="utf-8")
    typed = practice.read_text(encoding="utf-8")
    practice.write_text(typed.replace("adres: Dorpsstraat 4", "adres: Dorpsstraat #4"))
    first, checked, err = made(patient)
    assert "Afspraak" in first and "#3" not in first  # as YAML reads it, but not silently
    line = _line_of(patient, "notities")
    expected = [
        f"warning: {patient}: notities: the text after # on line {line} ('#3 op 21-12, neem "
        "schoenen mee # een…') is taken for a note and left out; put the whole value in quotes "
        "if it belongs to it",
        f"warning: {practice}: adres: the text after # on line {_line_of(practice, 'adres')} "
        "('#4, 1234 AB Oost') is taken for a note and left out; put the whole value in quotes "
        "if it belongs to it",
    ]
    assert lines(checked, "warning") == lines(err, "warning") == expected


def _line_of(path: Path, key: str) -> int:
    found = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(found, 1) if line.startswith(f"{key}:"))


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_starters_and_examples_as_shipped_give_no_notes_stuck_or_cut(tmp_path, language):
    for name in ("patient.yaml", "practice.yaml"):
        path = tmp_path / name
        assert run("new", str(path), "--lang", language)[0] == 0
        typed = parse_typed_yaml(path.read_text(encoding="utf-8"), str(path))
        assert typed.noticed == () and typed.data
    for example in Path("handouts/examples").glob("*.yaml"):
        assert parse_typed_yaml(example.read_text(encoding="utf-8"), str(example)).noticed == ()
    code, _, err = run("validate", "handouts/examples/patient.yaml")
    assert code == 0 and lines(err, "warning") == []


CURLY = [("“", "”"), ("‘", "’"), ("„", "“"), ("„", "”"), ("«", "»")]


@pytest.mark.parametrize(("opening", "closing"), CURLY)
def test_curly_quotes_from_an_editor_read_as_the_straight_quotes_meant(tmp_path, opening, closing):
    text, practice_name = starters(tmp_path)
    practice = tmp_path / practice_name
    values = {
        "startdatum": "7-12-2026",
        "voet": "rechts",
        "weken": "10",
        "notities": "Let op: rustig aan #3",  # a second ': ' too: YAML cannot read it unquoted
    }
    practice_text = practice.read_text(encoding="utf-8")
    pdfs = []
    for quotes in (('"', '"'), (opening, closing)):
        folder = tmp_path / ("curly" if quotes[0] != '"' else "straight")
        folder.mkdir()
        typed = named(text).replace("voet: links ", "# voet:").replace('notities: ""', "")
        for key, value in values.items():
            typed += f"{key}: {quotes[0]}{value}{quotes[1]}\n"
        (folder / "p.yaml").write_text(typed, encoding="utf-8")
        colour = f"kleur: {quotes[0]}#7a1f5c{quotes[1]}\n"
        (folder / practice_name).write_text(practice_text + colour, encoding="utf-8")
        first, checked, err = made(folder / "p.yaml")
        assert (
            "7 december 2026" in first
            and "rechtervoet" in first
            and "Let op: rustig aan #3" in first
        )
        assert lines(checked + err, "warning") == []
        pdfs.append(sorted(p.read_bytes() for p in (folder / "out").iterdir()))
    assert pdfs[0] == pdfs[1]  # the same handout and checklists, byte for byte


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16", "utf-16-be", "utf-8-sig"])
def test_a_file_saved_as_ansi_or_unicode_by_notepad_reads_as_utf_8(tmp_path, encoding):
    text, practice_name = starters(tmp_path)
    practice = tmp_path / practice_name
    bom = b"\xfe\xff" if encoding == "utf-16-be" else b""  # Notepad's "Unicode big endian"
    typed = practice.read_text(encoding="utf-8").replace("Fysio Oost", "Fysio Één")
    practice.write_bytes(bom + typed.replace("\n", "\r\n").encode(encoding))  # Notepad's CRLF
    patient = tmp_path / "p.yaml"
    typed = text.replace("naam: Voornaam Achternaam", "naam: Zoë Françoise Müller")
    typed = re.sub('notities: "".*', "notities: Afspraak #3", typed)  # warned also here
    line = typed.splitlines().index("notities: Afspraak #3") + 1
    patient.write_bytes(bom + typed.replace("\n", "\r\n").encode(encoding))
    first, _, err = made(patient)
    assert "Zoë Françoise Müller" in first and "Fysio Één" in first
    assert [line.split(": ", 3)[2:] for line in lines(err, "warning")] == [
        ["notities", f"the text after # on line {line} ('#3') is "
         "taken for a note and left out; put the whole value in quotes if it belongs to it"]
    ]  # fmt: skip


def test_bytes_that_are_not_text_and_controls_and_size_are_still_refused_after_decoding(
    tmp_path,
):
    text, _ = starters(tmp_path)
    patient = tmp_path / "p.yaml"
    patient.write_bytes(named(text).encode("utf-8").replace(b"Fatma", b"Fat\x81ma"))
    assert refused(patient) == [
        f"error: {patient}: is neither UTF-8 nor Windows-1252 text; save it as UTF-8"
    ]
    patient.write_bytes(named(text).replace("Fatma", "Fat\x07ma").encode("utf-16"))
    assert refused(patient) == [
        f"error: {patient}: naam: line 6 holds an invisible control character ('\\x07'); retype it"
    ]
    big = named(text) + "# " + "x" * (limits.MAX_YAML_BYTES // 2) + "\n"
    patient.write_bytes(big.encode("utf-16"))  # under the limit as text, over it as bytes
    assert len(big) < limits.MAX_YAML_BYTES < patient.stat().st_size
    [error] = refused(patient)
    assert error.startswith(f"error: {patient}: is too big for a YAML file")


def test_a_name_written_last_name_first_is_printed_first_name_first_as_a_roster_does(tmp_path):
    text, _ = starters(tmp_path)
    patient = tmp_path / "p.yaml"
    patient.write_text(text.replace("Voornaam Achternaam", "Peeters, Anne"), encoding="utf-8")
    first, checked, err = made(patient)
    assert "Anne Peeters" in first and "Peeters, Anne" not in first
    note = f"note: {patient}: naam written 'Achternaam, Voornaam' is printed 'Voornaam Achternaam'"
    assert note in checked.splitlines() and note in err.splitlines()
    assert (tmp_path / "out" / "anne-peeters_oefenschema.pdf").exists()

    patient.write_text(text.replace("Voornaam Achternaam", "John Smith, Jr."), encoding="utf-8")
    first, checked, err = made(patient)
    assert "John Smith, Jr." in first and "'Achternaam, Voornaam'" not in checked + err


def test_a_yaml_roster_is_read_as_its_patient_files_are(tmp_path):
    _, practice_name = starters(tmp_path)
    practice, roster = tmp_path / practice_name, tmp_path / "week.yaml"
    typed = practice.read_text(encoding="utf-8")
    practice.write_text(typed.replace("adres: Dorpsstraat 4", "adres: Dorpsstraat #4"))
    address = (
        f"warning: {practice}: adres: the text after # on line {_line_of(practice, 'adres')} "
        "('#4, 1234 AB Oost') is taken for a note and left out; put the whole value in quotes "
        "if it belongs to it"
    )
    roster.write_text(
        "- naam: Peeters, Anne\n"
        "  voet: “rechts”\n"
        "  startdatum: „7-12-2026“\n"
        "- naam: Jan Jansen# nieuwe patiënt\n"
        "  voet: links\n"
        "- naam: Sarah Smith\n"
        "  voet: beide\n"
        "  notities: Afspraak #3 op 21-12\n",
        encoding="cp1252",
    )
    stuck = f"error: {roster} entry 2: naam: '# nieuwe patiënt' {STUCK}"
    cut = (
        f"warning: {roster} entry 3: notities: the text after # on line 8 ('#3 op 21-12') is "
        "taken for a note and left out; put the whole value in quotes if it belongs to it"
    )
    note = f"note: {roster}: names written 'Achternaam, Voornaam' are printed 'Voornaam Achternaam'"
    code, _, checked = run("validate", str(roster), "--practice", str(practice), *TODAY)
    assert code == 2 and lines(checked, "error") == [stuck]
    assert sorted(lines(checked, "warning")) == [address, cut] and note in checked.splitlines()

    out = tmp_path / "out"
    code, stdout, err = run(
        "batch", str(roster), "--practice", str(practice), "-o", str(out), "-j", "1", *TODAY
    )
    assert code != 0 and stdout.startswith("3 rows: 2 made, 0 up to date, 1 failed")
    assert lines(err, "error")[0] == stuck and lines(err, "warning") == [address, cut]
    assert note in err.splitlines()
    anne = pdf_pages((out / "anne-peeters_oefenschema.pdf").read_bytes())[0]
    assert "Anne Peeters" in anne and "rechtervoet" in anne and "7 december 2026" in anne
