"""A newcomer's first hour, as the README's quick start walks it: starter files, Dutch words,
validate, generate; then the front desk's batch from an Excel export with extra columns."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from click.testing import CliRunner

from handouts.cli import app
from tests.conftest import pdf_pages

TODAY = ["--today", "2026-11-21"]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_a_therapist_fills_in_the_starters_and_gets_a_handout_for_their_patient(tmp_path):
    practice, patient = tmp_path / "practice.yaml", tmp_path / "patient.yaml"
    assert run("new", str(practice))[0] == 0
    assert run("new", str(patient))[0] == 0
    practice.write_text(filled_in(practice.read_text(encoding="utf-8")), encoding="utf-8")
    text = patient.read_text(encoding="utf-8")
    text = text.replace("name: Voornaam Achternaam", "naam: Fatma Yılmaz")
    text = text.replace("foot: left ", "voet: Rechtervoet ")
    text = re.sub(r"# start: \S+", "startdatum: 07-12-2026", text)  # the coming Monday's
    text = text.replace("# practice: practice.yaml", "practice: practice.yaml")
    patient.write_text(text, encoding="utf-8")

    code, out, err = run("validate", str(patient), str(practice))
    assert code == 0, err
    assert "(patient file)" in out and "(practice profile)" in out
    code, out, err = run("generate", str(patient), "-o", str(tmp_path / "out"), *TODAY)
    assert code == 0, err
    handout, checklist = (Path(line) for line in out.splitlines())
    assert handout.name == "fatma-yilmaz_oefenschema.pdf"
    first = pdf_pages(handout.read_bytes())[0]
    assert "Fatma Yılmaz" in first and "rechtervoet" in first and "Fysio Oost" in first
    assert "7 december 2026" in first
    assert "maandag 7 december" in pdf_pages(checklist.read_bytes())[0].lower()


def test_the_front_desk_makes_a_batch_from_an_excel_export(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Patiëntnr", "Voornaam", "Tussenvoegsel", "Achternaam", "Geboortedatum",
                  "Telefoon", "Voet", "Startdatum", "Taal"])  # fmt: skip
    sheet.append([1001, "Jan", "van der", "Berg", dt.datetime(1960, 2, 1), "0612", "Links",
                  dt.datetime(2026, 12, 7), "NL"])  # fmt: skip
    sheet.append([1002, "Zoë", None, "Peeters", dt.datetime(1975, 5, 5), None, "beide voeten",
                  dt.datetime(2026, 12, 14), "Vlaams"])  # fmt: skip
    roster = tmp_path / "export.xlsx"
    book.save(roster)

    code, _, err = run("batch", str(roster), "--check", *TODAY)
    assert code == 0 and "columns 'Geboortedatum', 'Telefoon' not used" in err
    out = tmp_path / "out"
    code, stdout, err = run("batch", str(roster), "-o", str(out), "-j", "1", *TODAY)
    assert code == 0, err
    assert stdout.startswith("2 rows: 2 made, 0 up to date, 0 failed")
    jan = pdf_pages((out / "jan-van-der-berg-1001_oefenschema.pdf").read_bytes())[0]
    assert "Jan van der Berg" in jan and "linkervoet" in jan and "7 december 2026" in jan
    zoe = pdf_pages((out / "zoe-peeters-1002_oefenschema.pdf").read_bytes())[0]
    assert "beide voeten" in zoe.lower() and "kinesitherapeut" in zoe


PRACTICE_EXAMPLES = {  # what the practice starter asks to replace, and a practice's own
    "Naam van de praktijk": "Fysio Oost",
    "Voornaam Achternaam, fysiotherapeut": "Sanne de Vries, fysiotherapeut",
    "012 34 56 78": "050 123 45 67",
    "info@praktijk.example": "info@fysio-oost.nl",
    "Straat 1, 1234 AB Plaats": "Dorpsstraat 4, 1234 AB Oost",
}


def filled_in(text: str) -> str:
    for example, own in PRACTICE_EXAMPLES.items():
        text = text.replace(example, own)
    return text


def errors_of(stderr: str) -> list[str]:
    """The error lines, each checked for the one style: file, field, what to do."""
    lines = [line for line in stderr.splitlines() if line.startswith("error: ")]
    assert "Traceback" not in stderr and "internal error" not in stderr
    return lines


def test_a_dutch_therapist_goes_from_the_dutch_starters_past_the_usual_mistakes(tmp_path):
    patient, practice = tmp_path / "fatma.yaml", tmp_path / "praktijk.yaml"
    code, out, err = run("new", str(patient), "--lang", "nl")
    assert code == 0 and out == f"{patient}\n" and err.startswith("note: fill it in")
    text = patient.read_text(encoding="utf-8")
    text = text.replace("naam: Voornaam Achternaam", "naam: Fatma Yılmaz")
    text = text.replace("voet: links ", "voet: midden")  # not a foot
    text = re.sub(r"# startdatum: \S+", "startdatum: 7 december", text)  # no year
    text = text.replace("# herhalingen: 8", "herhalingn: 8")  # a typo in a key
    text = text.replace("# praktijk: praktijk.yaml", "praktijk: praktijk.yaml")  # not made yet
    patient.write_text(text, encoding="utf-8")

    code, _, err = run("generate", str(patient), "-o", str(tmp_path / "out"), *TODAY)
    assert code == 2 and errors_of(err) == [
        f"error: {patient}: voet: 'midden' is not a foot; use left, right or both "
        "(links, rechts, beide)",
        f"error: {patient}: startdatum: '7 december' is not a date; write it as 07-12-2026, "
        "2026-12-07 or 7 december 2026",
        f"error: {patient}: herhalingn: unknown field; did you mean 'herhalingen'?",
    ]
    text = text.replace("voet: midden", "voet: Rechts").replace("7 december", "7 dec. 2026")
    patient.write_text(text.replace("herhalingn", "herhalingen"), encoding="utf-8")
    code, _, err = run("validate", str(patient))
    assert code == 2 and errors_of(err) == [
        f"error: {patient}: praktijk: the practice file {tmp_path / 'praktijk.yaml'} is not "
        "there; copy it beside the patient file, change the line `praktijk:` to its path, "
        "give --practice FILE, or remove the line to print no practice details"
    ]

    assert run("new", str(practice))[0] == 0  # Dutch by its name
    text = practice.read_text(encoding="utf-8").replace("Naam van de praktijk", "Fysio Oost")
    practice.write_text(text + "kleur: #7a1f5c\n", encoding="utf-8")  # no quotes: a note
    code, _, err = run("validate", str(patient), str(practice))
    assert code == 2 and errors_of(err) == [
        f'error: {practice}: kleur: is empty; write the colour code in quotes: "#1f5f8b"'
    ]
    practice.write_text(text + 'kleur: "#7a1f5c"\n', encoding="utf-8")
    code, _, err = run("validate", str(patient), str(practice))  # the rest of the starter
    assert code == 2 and errors_of(err) == [
        f"error: {practice}: therapeut: 'Voornaam Achternaam, fysiotherapeut' is the starter's "
        "example; write your name and profession, or remove the line",
        f"error: {practice}: telefoon: '012 34 56 78' is the starter's example; write "
        "your practice's phone number, or remove the line",
        f"error: {practice}: e-mail: 'info@praktijk.example' is the starter's example; write "
        "your practice's e-mail address, or remove the line",
        f"error: {practice}: adres: 'Straat 1, 1234 AB Plaats' is the starter's example; write "
        "your practice's address, or remove the line",
    ]
    practice.write_text(filled_in(text) + 'kleur: "#7a1f5c"\n', encoding="utf-8")
    code, out, err = run("validate", str(patient), str(practice))
    assert code == 0 and out.endswith("no problems.\n"), err

    code, out, err = run("generate", str(patient), "-o", str(tmp_path / "out"), *TODAY)
    assert code == 0 and errors_of(err) == []
    handout, checklist = (Path(line) for line in out.splitlines())
    assert handout.name == "fatma-yilmaz_oefenschema.pdf"
    pages = pdf_pages(handout.read_bytes())
    assert "Voor: Fatma Yılmaz" in pages[0] and "Voet met klachten: rechtervoet" in pages[0]
    assert "Start: maandag 7 december 2026 · 12 weken" in pages[0] and "Fysio Oost" in pages[0]
    steps = " ".join(" ".join(pages).split())  # the heel raise: on the right foot, left lifted
    assert "Zet je rechtervoet op de trede" in steps and "Til je linkervoet op" in steps
    assert "Zet je linkervoet" not in steps
    weeks = pdf_pages(checklist.read_bytes())
    assert len(weeks) == 12 and "Fatma Yılmaz" in weeks[0]
    assert "maandag 7 december – zondag 13 december 2026" in weeks[0]
    assert "Week 12 van 12" in weeks[11] and "22 februari" in weeks[11]


def test_the_front_desk_batch_from_a_real_export_with_its_traps(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Patiëntenlijst fysiotherapie, week 50"])  # a title line
    sheet.append(["Patiëntnr", "Achternaam", "Voornaam", "Geboortedatum", "Telefoon", "Adres",
                  "Verzekering", "Voet", "Startdatum"])  # fmt: skip
    sheet.append([10231, "Jansen", "Piet", dt.datetime(1961, 3, 4), "06-12345678",
                  "Kerkstraat 5", "Zilveren Kruis", "Links", dt.datetime(2026, 12, 7)])  # fmt: skip
    sheet.append([None] * 9)  # an empty row
    sheet.append(["10232", "Bakker-de Wit", "Els", "15-08-1974", "0612345679", "Molenweg 2",
                  "CZ", "rechtervoet", "14-12-2026"])  # fmt: skip  # dates typed as text
    sheet.append([10233, "Peeters", "Zoë", dt.datetime(1980, 1, 1), None, "Brugge", "CM",
                  "midden", dt.datetime(2026, 12, 7)])  # fmt: skip  # a bad row
    sheet.append([10234, "Öztürk", "Ayşe", dt.datetime(1990, 6, 6), "+32 470", "Gent", None,
                  "beide", dt.datetime(2026, 12, 21)])  # fmt: skip
    roster = tmp_path / "export.xlsx"
    book.save(roster)
    out = tmp_path / "out"

    code, stdout, err = run("batch", str(roster), "-o", str(out), "-j", "1", *TODAY)
    assert code == 1 and stdout.startswith("4 rows: 3 made, 0 up to date, 1 failed")
    assert f"note: {roster}: the header is row 2; row 1 above it left out" in err
    assert "columns 'Geboortedatum', 'Telefoon', 'Adres', 'Verzekering' not used" in err
    assert errors_of(err)[0] == (
        f"error: {roster} row 6: Voet: 'midden' is not a foot; use left, right or both "
        "(links, rechts, beide)"
    )
    expected = {
        "piet-jansen-10231": ("Piet Jansen", "linkervoet", "maandag 7 december 2026"),
        "els-bakker-de-wit-10232": ("Els Bakker-de Wit", "rechtervoet", "maandag 14 december 2026"),
        "ayse-ozturk-10234": ("Ayşe Öztürk", "beide voeten", "maandag 21 december 2026"),
    }
    for stem, (name, foot, start) in expected.items():
        first = pdf_pages((out / f"{stem}_oefenschema.pdf").read_bytes())[0]
        assert f"Voor: {name}" in first and f"Voet met klachten: {foot}" in first, stem
        assert f"Start: {start}" in first, stem
        week = pdf_pages((out / f"{stem}_afvinklijst.pdf").read_bytes())[0]
        assert name in week and start.removesuffix(" 2026") in week, stem
    assert not list(out.glob("zoe-peeters*"))

    sheet.cell(row=6, column=8, value="rechts")  # the front desk corrects the cell
    book.save(roster)
    code, stdout, err = run("batch", str(roster), "-o", str(out), "-j", "1", *TODAY)
    assert code == 0 and stdout.startswith("4 rows: 1 made, 3 up to date, 0 failed"), err
    zoe = pdf_pages((out / "zoe-peeters-10233_oefenschema.pdf").read_bytes())[0]
    assert "Voor: Zoë Peeters" in zoe and "Voet met klachten: rechtervoet" in zoe


def test_every_starter_asks_for_exactly_its_examples_and_then_checks_clean(tmp_path):
    """A starter made into a handout unchanged would print "Voornaam Achternaam", a footer
    "Naam van de praktijk" or the example patients: validate names each example left, and
    nothing else; filled in, every starter checks clean, today (the sheet's example rows
    start on the coming Monday)."""
    from openpyxl import load_workbook

    names = ["patient.yaml", "jan.yaml", "praktijk.yaml", "practice.yaml", "week.csv", "week.xlsx"]
    for name in names:
        options = ["--lang", "nl"] if name == "jan.yaml" else []
        assert run("new", str(tmp_path / name), *options)[0] == 0
    paths = [str(tmp_path / name) for name in names]
    code, out, err = run("validate", *paths)
    left = [line.split(": ", 3)[1:3] for line in errors_of(err)]
    assert code == 2 and "warning" not in err
    dutch = ("naam", "therapeut", "telefoon", "e-mail", "adres")
    english = ("name", "therapist", "phone", "email", "address")
    example = "is the starter's example ({}); replace it with a patient"
    rows = [example.format(name) for name in ("Anne Peeters", "Jan Janssens", "Sarah Smith")]
    assert left == [
        [str(tmp_path / "patient.yaml"), "name"],
        [str(tmp_path / "jan.yaml"), "naam"],
        *([str(tmp_path / "praktijk.yaml"), key] for key in dutch),
        *([str(tmp_path / "practice.yaml"), key] for key in english),
        *([f"{tmp_path / sheet} row {n}", rows[n - 2]] for sheet in names[4:] for n in (2, 3, 4)),
    ]
    for name in names[:4]:
        path = tmp_path / name
        text = filled_in(path.read_text(encoding="utf-8"))
        path.write_text(text.replace("Voornaam Achternaam", "Jan Peeters"), encoding="utf-8")
    sheet = tmp_path / "week.csv"
    own = sheet.read_text(encoding="utf-8-sig").replace("voorbeeld-", "100")  # own numbers
    sheet.write_text(own, encoding="utf-8")
    book = load_workbook(tmp_path / "week.xlsx")
    for row in book.active.iter_rows(min_row=2):
        row[0].value = f"Q{row[0].value}"  # the front desk's own patient numbers
    book.save(tmp_path / "week.xlsx")
    code, out, err = run("validate", *paths)
    assert code == 0 and "no problems" in out and "warning" not in err, err


def test_a_file_given_to_the_wrong_command_says_which_command(tmp_path):
    patient, practice = tmp_path / "fatma.yaml", tmp_path / "praktijk.yaml"
    patient.write_text("naam: Fatma\nvoet: links\n", encoding="utf-8")
    practice.write_text("naam: Fysio Oost\ntelefoon: 012\n", encoding="utf-8")
    code, out, err = run("batch", str(patient), "--check")  # as batch reads it: no "OK"
    assert code == 2 and "OK" not in out
    assert errors_of(err) == [
        f"error: {patient}: is one patient, not a list; use `handouts generate {patient}`"
    ]
    code, _, err = run("generate", str(practice), "-o", str(tmp_path / "out"))
    assert code == 2 and errors_of(err) == [
        f"error: {practice}: is a practice profile, not a patient file; give a patient file, "
        f"and this one with --practice {practice} or a line `praktijk: praktijk.yaml` in the "
        "patient file"
    ]
    assert not (tmp_path / "out").exists()


def test_the_starter_sheets_example_rows_start_on_the_coming_monday(tmp_path):
    """A starter sheet made in March must not hold December's dates (they would warn as
    'days ago' once the front desk fills in its own patients)."""
    import datetime as dt

    from openpyxl import load_workbook

    from handouts.starters import write_starter

    march = dt.date(2027, 3, 3)  # a Wednesday
    write_starter(tmp_path / "week.csv", today=march)
    write_starter(tmp_path / "week.xlsx", today=march)
    rows = (tmp_path / "week.csv").read_text(encoding="utf-8-sig").splitlines()[1:]
    assert [row.split(";")[4] for row in rows] == ["08-03-2027", "08-03-2027", ""]
    sheet = load_workbook(tmp_path / "week.xlsx").active
    starts = [row[4].value for row in sheet.iter_rows(min_row=2)]
    assert starts == [dt.datetime(2027, 3, 8), dt.datetime(2027, 3, 8), None]
    # the patient starters' example line too: with its # removed, it starts on that Monday
    write_starter(tmp_path / "jan.yaml", language="nl", today=march)
    write_starter(tmp_path / "sam.yaml", today=march)
    assert "# startdatum: 08-03-2027 " in (tmp_path / "jan.yaml").read_text(encoding="utf-8")
    english = (tmp_path / "sam.yaml").read_text(encoding="utf-8")
    assert "# start: 2027-03-08 " in english and "or 08-03-2027;" in english


def test_a_flemish_formal_practice_sets_language_and_u_form_for_patients_who_do_not(tmp_path):
    """A Flemish export seldom has a Taal column: the practice says it once."""
    practice = tmp_path / "praktijk.yaml"
    practice.write_text("naam: Kine Oost\ntaal: Vlaams\naanspreekvorm: u\n", encoding="utf-8")
    roster = tmp_path / "week.csv"
    roster.write_text("Naam;Voet;Taal\nJan Mol;links;\nSam Lee;rechts;en\n", encoding="utf-8")
    patient = tmp_path / "els.yaml"
    patient.write_text("naam: Els Claes\nvoet: links\npraktijk: praktijk.yaml\n", "utf-8")
    out = tmp_path / "out"
    assert run("validate", str(practice), str(roster), str(patient))[0] == 0
    code, _, err = run("batch", str(roster), "--practice", str(practice), "-o", str(out), *TODAY)
    assert code == 0, err
    assert run("generate", str(patient), "-o", str(out), *TODAY)[0] == 0
    for name in ("jan-mol_oefenschema.pdf", "els-claes_oefenschema.pdf"):
        first = pdf_pages((out / name).read_bytes())[0]
        assert "kinesitherapeut" in first and " uw " in first and " je " not in first, name
    sam = pdf_pages((out / "sam-lee_exercises.pdf").read_bytes())[0]  # the row's own Taal
    assert sam.startswith("Exercise plan for heel pain")
