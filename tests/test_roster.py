"""Rosters as the front desk exports them: Dutch Excel CSV, plain CSV, YAML; one clear line
per problem naming the file, the row and the field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from handouts.errors import InputError
from handouts.roster import read_roster

BOM = b"\xef\xbb\xbf"


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def file_problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as err:
        read_roster(path)
    return [str(p) for p in err.value.problems]


def test_dutch_excel_csv_with_bom_semicolons_and_dutch_headers(tmp_path):
    text = (
        "Naam;Voet;Start;Taal;Programma;Herhalingen;Sets;Sessies per dag;Notities;Nummer\r\n"
        "Jan Peeters;links;07-12-2026;nl;combined;8;2;2;Rustig opbouwen;0042\r\n"
        "Anne de Vries;beide;2026-12-14;Engels;;;;;;\r\n"
    )
    path = write(tmp_path, "roster.csv", BOM + text.encode("utf-8"))
    jan, anne = read_roster(path)
    assert jan.problems == () and jan.patient is not None
    assert (jan.number, jan.patient_id, jan.name) == (2, "0042", "Jan Peeters")
    p = jan.patient
    assert (p.foot, p.start, p.language, p.reps, p.sets, p.sessions_per_day) == (
        "left",
        dt.date(2026, 12, 7),
        "nl",
        8,
        2,
        2,
    )
    assert p.notes == "Rustig opbouwen"
    # empty cells mean "not given": the model's defaults apply
    assert anne.patient is not None
    assert (anne.patient.foot, anne.patient.language, anne.patient.reps) == ("both", "en", None)
    assert anne.patient_id == ""


def test_windows_1252_roster_keeps_accents(tmp_path):
    text = "naam;voet\nRené Dubois;rechts\nZoë Maës;L\n"
    path = write(tmp_path, "roster.csv", text.encode("cp1252"))
    names = [row.patient.name for row in read_roster(path) if row.patient]
    assert names == ["René Dubois", "Zoë Maës"]


def test_plain_comma_csv_with_english_headers_quotes_and_lists(tmp_path):
    text = (
        "name,foot,start,language,include,large_print,notes\n"
        '"Peeters, Jan",right,2026-12-07,en,"towel-stretch-knee-bent, step-heel-drop-stretch",'
        'yes,"Line one; still\nline two"\n'
        "Anne,left,,,,nee,\n"
    )
    path = write(tmp_path, "roster.csv", text)
    jan, anne = read_roster(path)
    assert jan.patient is not None and anne.patient is not None
    assert jan.patient.name == "Jan Peeters"  # one quoted cell, written last name first
    assert jan.patient.include == ["towel-stretch-knee-bent", "step-heel-drop-stretch"]
    assert jan.patient.large_print is True and anne.patient.large_print is False
    assert jan.patient.notes == "Line one; still\nline two"
    assert anne.number == 3  # a spreadsheet row, even after a cell with a line break


def test_blank_lines_and_trailing_separators_are_ignored(tmp_path):
    text = "naam;voet;;\nJan;links;;\n;;;\n\nPiet;rechts;;\n"
    rows = read_roster(write(tmp_path, "roster.csv", text))
    assert [(r.number, r.name) for r in rows] == [(2, "Jan"), (5, "Piet")]


def test_yaml_roster_with_the_single_patient_fields(tmp_path):
    text = """
- name: Anne Peeters
  foot: links
  start: 07-12-2026
  exercises:
    calf-stretch-wall-straight-knee: {hold_seconds: 45}
  id: 17
- naam: Jan
  voet: rechts
  taal: en
"""
    anne, jan = read_roster(write(tmp_path, "roster.yaml", text))
    assert anne.patient is not None and jan.patient is not None
    assert anne.patient.exercises["calf-stretch-wall-straight-knee"].hold_seconds == 45
    assert anne.patient_id == "17" and anne.patient.start == dt.date(2026, 12, 7)
    assert (jan.patient.foot, jan.patient.language) == ("right", "en")


def test_a_bad_row_names_file_row_and_field_and_the_others_stay_good(tmp_path):
    path = write(tmp_path, "roster.csv", "naam;voet;start\nJan;links;\nPiet;midden;31-02-2026\n")
    jan, piet = read_roster(path)
    assert jan.patient is not None and jan.problems == ()
    assert piet.patient is None
    lines = [str(p) for p in piet.problems]
    assert any(line.startswith(f"{path} row 3: voet: 'midden' is not a foot") for line in lines)
    assert any(f"{path} row 3: start:" in line and "not a real date" in line for line in lines)


def test_yaml_entry_problems_name_the_entry_and_suggest_the_field(tmp_path):
    path = write(tmp_path, "roster.yaml", "- name: Jan\n  foot: left\n  rep: 3\n- just text\n")
    first, second = read_roster(path)
    assert [str(p) for p in first.problems] == [
        f"{path} entry 1: rep: unknown field; did you mean 'reps'?"
    ]
    assert str(second.problems[0]).startswith(f"{path} entry 2: expected patient fields")


def test_a_near_miss_of_a_known_column_stops_the_roster_with_a_suggestion(tmp_path):
    [line] = file_problems(write(tmp_path, "roster.csv", "naam;voeet\nJan;links\n"))
    assert (
        line == f"{tmp_path / 'roster.csv'}: column 'voeet': unknown column; did you mean 'voet'?"
    )


def test_per_exercise_overrides_do_not_fit_a_csv_cell(tmp_path):
    [row] = read_roster(write(tmp_path, "roster.csv", "naam;voet;exercises\nJan;links;x\n"))
    assert "use a YAML roster" in str(row.problems[0])


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("missing.csv", None, "file not found"),
        ("roster.xlsx", b"PK", "is not an Excel workbook"),
        ("roster.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old Excel file (.xls); open it"),
        ("export.xls", b"<html><table><tr><td>Naam", "is a web page (HTML) with an .xls name"),
        ("roster.pdf", b"%PDF", "give a .xlsx, .csv or .yaml file"),
        ("roster.csv", b"naam;voet\n", "no patients"),
        ("roster.csv", b"naam;programma\nJan;combined\n", "no foot column"),
        ("roster.csv", b"\x81\x8d\x90;voet\n", "neither UTF-8 nor Windows-1252"),
        (
            "roster.yaml",
            b"name: Jan\nfoot: left\n",
            "is one patient, not a list; use `handouts generate",
        ),
        ("roster.yaml", b"[]\n", "expected a list of patients"),
    ],
)
def test_a_bad_roster_file_is_one_clear_problem(tmp_path, name, data, expected):
    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)
    [line] = file_problems(path)
    assert line.startswith(str(path)) and expected in line


def test_excel_unicode_text_is_utf16_with_tabs(tmp_path):
    text = "Naam\tVoet\tTaal\r\nŁukasz Żółć\tbeide\tnl\r\n"
    [row] = read_roster(write(tmp_path, "roster.txt", text.encode("utf-16")))
    assert row.patient is not None and row.patient.name == "Łukasz Żółć"


def test_the_example_roster_reads_without_problems():
    path = Path(__file__).resolve().parent.parent / "examples" / "roster.csv"
    rows = read_roster(path)
    assert [r.problems for r in rows] == [()] * len(rows)
    feet = {r.patient.foot for r in rows if r.patient}
    languages = {r.patient.language for r in rows if r.patient}
    assert feet == {"left", "right", "both"} and "en" in languages


def test_excel_separator_line_is_honoured_and_not_counted(tmp_path):
    text = "sep=,\r\nnaam,voet\r\nJan,links\r\n"
    [row] = read_roster(write(tmp_path, "roster.csv", text))
    assert row.number == 2 and row.patient is not None and row.patient.foot == "left"


def test_export_columns_the_tool_does_not_use_are_left_out_with_one_notice(tmp_path):
    text = "Naam;Telefoon;Voet;Geboortedatum;Huisarts\nJan;0612345678;links;01-02-1960;dr. Smit\n"
    rows = read_roster(write(tmp_path, "export.csv", text))
    assert [r.problems for r in rows] == [()]
    [notice] = rows.notices
    assert "'Telefoon', 'Geboortedatum', 'Huisarts' not used" in notice


def test_an_email_column_is_read_as_the_patients_address(tmp_path):
    text = "Naam;Voet;E-mailadres\nJan;links;jan@example.nl\n"
    [row] = read_roster(write(tmp_path, "export.csv", text))
    assert row.patient is not None and row.patient.email == "jan@example.nl"


@pytest.mark.parametrize(
    ("header", "guess"),
    [("Herhalingn", "herhalingen"), ("Voeet", "voet"), ("Startdatm", "startdatum")],
)
def test_a_typo_in_a_dosage_foot_or_date_column_is_refused_not_dropped(tmp_path, header, guess):
    [line] = file_problems(write(tmp_path, "r.csv", f"naam;voet;{header}\nJan;links;8\n"))
    assert f"column '{header}': unknown column; did you mean '{guess}'?" in line


def test_another_date_column_is_never_taken_for_the_start_date(tmp_path):
    for header in ("Geboortedatum", "Datum laatste afspraak", "Birth date"):
        rows = read_roster(write(tmp_path, "r.csv", f"naam;voet;{header}\nJan;links;01-02-1960\n"))
        assert rows[0].patient is not None and rows[0].patient.start is None
        assert header in rows.notices[0] and "start" not in rows.notices[0]


def test_first_middle_and_last_name_columns_make_the_name(tmp_path):
    text = "Voornaam;Tussenvoegsel;Achternaam;Voet\nJan;van der;Berg;links\nAnne;;Peeters;beide\n"
    jan, anne = read_roster(write(tmp_path, "r.csv", text))
    assert jan.patient is not None and jan.patient.name == "Jan van der Berg"
    assert anne.name == "Anne Peeters"
    # a full-name column wins; the parts are then left out, with the notice
    rows = read_roster(write(tmp_path, "r.csv", "Naam;Achternaam;Voet\nJan B.;Berg;links\n"))
    assert rows[0].name == "Jan B." and "'Achternaam'" in rows.notices[0]


def workbook(path: Path, rows: list[list[object]], sheet: str = "Patiënten") -> Path:
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    first.title = "Info"
    first.append(["Export van de praktijksoftware"])
    table = book.create_sheet(sheet)
    for row in rows:
        table.append(row)
    book.move_sheet(sheet, offset=-1)  # the patients' sheet first
    book.save(path)
    return path


def test_an_excel_export_is_read_directly_with_dates_and_numbers(tmp_path):
    path = workbook(
        tmp_path / "export.xlsx",
        [
            ["Patiëntnummer", "Voornaam", "Achternaam", "Voet", "Startdatum", "Herhalingen", "BSN"],
            [42, "Zoë", "Peeters", "Links", dt.datetime(2026, 12, 7), 8, 123456789],
            [None, None, None, None, None, None, None],
            ["P7", "Jan", "Janssens", "beide", "14-12-2026", None, None],
        ],
    )
    zoe, jan = read_roster(path)
    assert zoe.problems == () and zoe.patient is not None
    assert (zoe.number, zoe.patient_id, zoe.patient.name) == (2, "42", "Zoë Peeters")
    assert (zoe.patient.foot, zoe.patient.start, zoe.patient.reps) == (
        "left",
        dt.date(2026, 12, 7),
        8,
    )
    assert jan.number == 4 and jan.patient is not None
    assert jan.patient.start == dt.date(2026, 12, 14)


def test_a_named_sheet_and_a_missing_one(tmp_path):
    path = workbook(tmp_path / "r.xlsx", [["naam", "voet"], ["Jan", "links"]], sheet="Week 50")
    assert read_roster(path, "Week 50")[0].name == "Jan"
    [line] = file_problems_of(lambda: read_roster(path, "Week 51"))
    assert "has no sheet 'Week 51'; its sheets: Week 50, Info" in line


def file_problems_of(action) -> list[str]:
    with pytest.raises(InputError) as err:
        action()
    return [str(p) for p in err.value.problems]


def test_a_roster_mixing_utf8_and_windows_1252_keeps_both_names(tmp_path):
    data = b"naam;voet\n" + "Zoë Peeters;links\n".encode() + "René Maës;rechts\n".encode("cp1252")
    names = [row.name for row in read_roster(write(tmp_path, "r.csv", data))]
    assert names == ["Zoë Peeters", "René Maës"]


def test_a_200_kb_cell_fails_its_row_only(tmp_path):
    text = f"naam;voet;notities\nJan;links;{'x' * 200_000}\nPiet;rechts;kort\n"
    jan, piet = read_roster(write(tmp_path, "r.csv", text))
    assert jan.patient is None and piet.patient is not None
    [problem] = jan.problems
    where = f"{tmp_path / 'r.csv'} row 2: notities"
    assert str(problem).startswith(f"{where}: cell of 200,000 characters")


def test_too_big_a_roster_is_refused_before_it_is_read(tmp_path, monkeypatch):
    import handouts.roster

    monkeypatch.setattr(handouts.roster, "MAX_BYTES", 1_000)
    monkeypatch.setattr(handouts.roster, "MAX_ROWS", 10)
    [line] = file_problems(write(tmp_path, "big.csv", "naam;voet\n" + "Jan;links\n" * 200))
    assert "is larger than" in line
    [line] = file_problems(write(tmp_path, "long.csv", "naam;voet\n" + "Jan;links\n" * 20))
    assert "has more than 10 rows" in line


def test_ten_thousand_rows_with_the_same_name_get_unique_stems_in_order(tmp_path):
    from handouts.batch import assign_stems

    rows = read_roster(write(tmp_path, "r.csv", "naam;voet\n" + "Jan Peeters;links\n" * 10_000))
    stems = assign_stems(rows)
    assert stems[:3] == ["jan-peeters", "jan-peeters-2", "jan-peeters-3"]
    assert stems[-1] == "jan-peeters-10000" and len(set(stems)) == 10_000


def test_a_stem_already_taken_by_another_name_is_skipped():
    from handouts.batch import assign_stems
    from handouts.roster import RosterRow

    rows = [RosterRow(n, "", "", name, None, ()) for n, name in enumerate(["Jan", "Jan 2", "Jan"])]
    assert assign_stems(rows) == ["jan", "jan-2", "jan-3"]


def test_an_xlsx_that_unpacks_into_too_much_is_refused(tmp_path, monkeypatch):
    import handouts.roster

    path = workbook(tmp_path / "r.xlsx", [["naam", "voet"], ["Jan", "links"]])
    monkeypatch.setattr(handouts.roster, "MAX_UNPACKED", 1_000)
    [line] = file_problems(path)
    assert line.startswith(f"{path}: unpacks to ")


def test_a_number_column_is_no_typo_of_the_name(tmp_path):
    rows = read_roster(write(tmp_path, "r.csv", "Patiëntnr;Naam;Voet;Naamm\n7;Jan;links;x\n"))
    assert rows[0].patient_id == "7" and rows[0].patient is not None
    assert "'Naamm'" in rows.notices[0]  # not a dosage: left out, said once


def test_a_header_with_control_characters_is_shown_escaped(tmp_path):
    rows = read_roster(write(tmp_path, "r.csv", "naam;voet;Tel\x1b]0;x\x07\nJan;links;1\n"))
    assert "\x1b" not in rows.notices[0] and "\\x1b" in rows.notices[0]
    [line] = file_problems(write(tmp_path, "s.csv", "naam;voet;Voeet\x1b\nJan;links;1\n"))
    assert "\x1b" not in line and "\\x1b" in line


def test_a_title_line_above_the_header_is_left_out_with_a_notice(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Patiëntenlijst week 50"])
    sheet.append([])
    sheet.append(["Achternaam", "Voornaam", "Voet"])
    sheet.append(["Jansen", "Piet", "links"])
    sheet.append(["Smit", "An", "midden"])
    path = tmp_path / "export.xlsx"
    book.save(path)
    piet, an = read_roster(path)
    assert piet.patient is not None and piet.patient.name == "Piet Jansen" and piet.number == 4
    assert an.patient is None and str(an.problems[0]).startswith(f"{path} row 5: Voet:")
    assert read_roster(path).notices == (f"{path}: the header is row 3; row 1 above it left out",)


def test_excels_lock_file_points_to_the_workbook(tmp_path):
    lock = tmp_path / "~$export.xlsx"
    lock.write_bytes(b"\x07sanne   ")
    with pytest.raises(InputError) as err:
        read_roster(lock)
    assert str(err.value) == (
        f"{lock}: is the lock file Excel keeps while export.xlsx is open; give export.xlsx"
    )


def test_an_empty_first_sheet_names_the_others_and_a_sheet_name_takes_any_case(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Blad1"
    sheet = book.create_sheet("Week 50")
    sheet.append(["Naam", "Voet"])
    sheet.append(["Jan", "links"])
    path = tmp_path / "export.xlsx"
    book.save(path)
    with pytest.raises(InputError) as err:
        read_roster(path)
    assert str(err.value) == (
        f"{path}: its first sheet 'Blad1' is empty; give the sheet with the patients: "
        "--sheet 'Week 50' (its sheets: Blad1, Week 50)"
    )
    [row] = read_roster(path, sheet="week 50")
    assert row.patient is not None and row.patient.name == "Jan"


def test_a_start_date_cell_not_formatted_as_a_date_is_read_as_excels_day_number(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Naam", "Voet", "Startdatum"])
    book.active.append(["Jan", "links", 46363])  # 2026-12-07 as Excel keeps it
    book.active.append(["Piet", "links", 12])  # not a day number of this century
    path = tmp_path / "export.xlsx"
    book.save(path)
    jan, piet = read_roster(path)
    assert jan.patient is not None and jan.patient.start == dt.date(2026, 12, 7)
    assert piet.patient is None and "Startdatum: '12' is not a date" in str(piet.problems[0])


def test_an_exports_date_with_a_time_and_both_feet_in_words(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(
        "Naam;Voet;Startdatum\nJan;links en rechts;07-12-2026 00:00:00\n"
        "Piet;L/R;2026-12-14 09:30\nAn;links;07-12-2026 morgen\n",
        encoding="utf-8",
    )
    jan, piet, an = read_roster(path)
    assert jan.patient is not None and (jan.patient.foot, jan.patient.start) == (
        "both",
        dt.date(2026, 12, 7),
    )
    assert piet.patient is not None and (piet.patient.foot, piet.patient.start) == (
        "both",
        dt.date(2026, 12, 14),
    )
    assert an.patient is None and "'07-12-2026 morgen' is not a date" in str(an.problems[0])


def test_a_suffix_after_the_comma_is_not_taken_for_a_first_name(tmp_path):
    path = write(tmp_path, "r.csv", "Naam;Voet\nJohn Smith, Jr.;links\nHenry Ford, III;rechts\n")
    roster = read_roster(path)
    assert [row.name for row in roster] == ["John Smith, Jr.", "Henry Ford, III"]
    assert not roster.notices


def test_names_listed_last_name_first_are_printed_first_name_first(tmp_path):
    """Practice software lists 'Peeters, Anne'; the handout addresses Anne Peeters."""
    path = write(
        tmp_path, "r.csv", "Naam;Voet\nPeeters, Anne;links\nde Vries,Jan;rechts\nBo Mol;links\n"
    )
    roster = read_roster(path)
    assert [row.patient.name for row in roster if row.patient] == [
        "Anne Peeters",
        "Jan de Vries",
        "Bo Mol",
    ]
    assert [row.name for row in roster] == ["Anne Peeters", "Jan de Vries", "Bo Mol"]
    assert f"{path}: names in column 'Naam' written 'Achternaam, Voornaam' are printed " in (
        " ".join(roster.notices)
    )
    plain = read_roster(write(tmp_path, "p.csv", "Naam;Voet\nBo Mol;links\n"))
    assert not any("Achternaam, Voornaam" in notice for notice in plain.notices)


def test_a_column_that_reads_like_a_missing_field_stops_instead_of_dropping_out(tmp_path):
    """'Datum start' without a start date column is probably the start: the roster stops
    and says how to use it, rather than giving every patient next Monday. With a start
    date column there, 'Startdatum verzekering' is just another column left out."""
    path = write(tmp_path, "a.csv", "Naam;Voet;Datum start\nBo Mol;links;07-12-2026\n")
    assert file_problems(path) == [
        f"{path}: column 'Datum start': unknown column that reads like 'Startdatum'; name its "
        "header 'Startdatum' to use it, or something else to leave it out"
    ]
    path = write(
        tmp_path,
        "b.csv",
        "Naam;Voet;Start behandeling;Startdatum verzekering;Naam huisarts\n"
        "Bo Mol;links;07-12-2026;01-01-2020;Dr. Smit\n",
    )
    roster = read_roster(path)
    assert roster[0].patient is not None and roster[0].patient.start == dt.date(2026, 12, 7)
    assert roster.notices == (
        f"{path}: columns 'Startdatum verzekering', 'Naam huisarts' not used; left out",
    )


def test_the_starter_rows_are_the_starter_templates_rows():
    """words.STARTER_ROWS names exactly the example rows `handouts new roster.csv` writes."""
    from importlib import resources

    from handouts import words

    template = resources.files("handouts.starters").joinpath("roster.csv").read_text("utf-8-sig")
    rows = [line.split(";") for line in template.splitlines()[1:]]
    assert {(cells[0], f"{cells[1]} {cells[2]}") for cells in rows} == words.STARTER_ROWS


# --- what an export holds besides the patients -------------------------------------------


def test_an_exports_remarks_column_is_never_printed_and_says_so(tmp_path):
    """Practice software's Opmerking(en) holds remarks for the practice ("diabetes type 2"):
    not a note for the patient's handout (nor an email)."""
    path = write(
        tmp_path,
        "r.csv",
        "Naam;Voet;Opmerking;Interne opmerkingen\nJan;links;diabetes type 2;belt terug\n",
    )
    roster = read_roster(path)
    [row] = roster
    assert row.patient is not None and row.patient.notes == ""
    assert [n for n in roster.notices if "'Opmerking' not printed" in n]
    assert [n for n in roster.notices if "'Interne opmerkingen' not printed" in n]
    assert "name the column 'Notities'" in roster.notices[0]


def test_a_totals_row_below_the_patients_is_left_out_with_a_notice(tmp_path):
    path = write(tmp_path, "r.csv", "Naam;Voet\nJan;links\nPiet;rechts\nTotaal: 2 patiënten;\n;\n")
    roster = read_roster(path)
    assert [row.name for row in roster] == ["Jan", "Piet"]
    assert f"{path}: row 4 ('Totaal: 2 patiënten') reads like a totals row; left out" in (
        roster.notices
    )
    # a patient called Aantal … with a foot is a patient
    [row] = read_roster(write(tmp_path, "s.csv", "Naam;Voet\nSom Mol;links\n"))
    assert row.patient is not None


def test_rows_hidden_in_the_sheet_are_left_out_with_a_notice(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for cells in (["Naam", "Voet"], ["Jan", "links"], ["Geannuleerd", "rechts"], ["Bo", "beide"]):
        sheet.append(cells)
    sheet.row_dimensions[3].hidden = True  # a cancelled patient, filtered out
    book.save(tmp_path / "r.xlsx")
    roster = read_roster(tmp_path / "r.xlsx")
    assert [row.name for row in roster] == ["Jan", "Bo"]
    assert (
        f"{tmp_path / 'r.xlsx'}: row 3 is hidden in the sheet; left out (unhide them to make them)"
        in roster.notices
    )


@pytest.mark.parametrize("empty", ["-", "geen", "n.v.t.", "N/A", "?", "—"])
def test_a_cell_an_export_leaves_empty_in_so_many_words_is_empty(tmp_path, empty):
    path = write(tmp_path, "r.csv", f"Naam;Voet;E-mail;Startdatum\nJan;links;{empty};{empty}\n")
    [row] = read_roster(path)
    assert row.problems == () and row.patient is not None
    assert row.patient.email is None and row.patient.start is None


def test_a_column_without_a_header_is_named_by_its_letter_and_the_header_row(tmp_path):
    path = workbook(
        tmp_path / "r.xlsx",
        [["Nummer", "Patiënt", None, "Voet"], ["1", "Jan", "Mol", "links"]],
    )
    assert file_problems(path) == [
        f"{path}: column C: has values but no header in row 1 (the header row); name it there"
    ]


def test_a_first_sheet_without_patients_points_to_the_other_sheets(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Info"
    book.active.append(["Export van", "3-12-2026"])
    book.create_sheet("Patiënten").append(["Naam", "Voet"])
    book["Patiënten"].append(["Jan", "links"])
    book.save(tmp_path / "r.xlsx")
    [problem] = file_problems(tmp_path / "r.xlsx")
    assert "has no name column; add a column 'naam' (read the first sheet 'Info'" in problem
    assert "--sheet 'Patiënten'" in problem
    assert [row.name for row in read_roster(tmp_path / "r.xlsx", sheet="Patiënten")] == ["Jan"]


def test_rows_with_the_same_name_and_no_number_are_pointed_out(tmp_path):
    path = write(tmp_path, "r.csv", "Naam;Voet\nJan de Boer;links\nBo;links\njan de boer;rechts\n")
    roster = read_roster(path)
    assert [n for n in roster.notices if "rows 2 and 4 are all 'Jan de Boer'" in n]
    numbered = write(tmp_path, "n.csv", "Nr;Naam;Voet\n1;Jan;links\n2;Jan;rechts\n")
    assert read_roster(numbered).notices == ()


def test_an_xls_export_is_read_for_what_it_is(tmp_path):
    """Practice software's ".xls" is often tab-separated text, or an .xlsx renamed."""
    text = write(tmp_path, "export.xls", "Naam\tVoet\nJan\tlinks\n".encode("cp1252"))
    assert [row.name for row in read_roster(text)] == ["Jan"]
    renamed = workbook(tmp_path / "week.xls", [["naam", "voet"], ["Bo", "rechts"]])
    assert [row.name for row in read_roster(renamed)] == ["Bo"]


def test_a_formula_the_file_holds_no_value_for_fails_its_row_not_silently(tmp_path):
    """A sheet written by a program (not saved by Excel) has formulas without values:
    openpyxl reads them as empty, which made a start date the coming Monday."""
    path = workbook(
        tmp_path / "r.xlsx",
        [["Naam", "Voet", "Startdatum"], ["Jan", "links", "7-12-2026"], ["Bo", "links", "=C2+7"]],
    )
    jan, bo = read_roster(path)
    assert jan.patient is not None and jan.problems == ()
    assert [str(p) for p in bo.problems] == [
        f"{path} row 3: Startdatum: is a formula without a value (=C2+7): the file was not "
        "saved by Excel; open it in Excel and save it, or type the value"
    ]
