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
    assert jan.patient.name == "Peeters, Jan"
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
    assert any(line.startswith(f"{path} row 3: foot: 'midden' is not a foot") for line in lines)
    assert any(f"{path} row 3: start:" in line and "not a real date" in line for line in lines)


def test_yaml_entry_problems_name_the_entry_and_suggest_the_field(tmp_path):
    path = write(tmp_path, "roster.yaml", "- name: Jan\n  foot: left\n  rep: 3\n- just text\n")
    first, second = read_roster(path)
    assert [str(p) for p in first.problems] == [
        f"{path} entry 1: rep: unknown field; did you mean 'reps'?"
    ]
    assert str(second.problems[0]).startswith(f"{path} entry 2: expected patient fields")


def test_an_unknown_column_stops_the_roster_with_a_suggestion(tmp_path):
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
        ("roster.xls", b"\xd0\xcf", "save it as .xlsx"),
        ("roster.pdf", b"%PDF", "give a .xlsx, .csv or .yaml file"),
        ("roster.csv", b"naam;voet\n", "no patients"),
        ("roster.csv", b"naam;programma\nJan;combined\n", "no foot column"),
        ("roster.csv", b"\x81\x8d\x90;voet\n", "neither UTF-8 nor Windows-1252"),
        ("roster.yaml", b"name: Jan\nfoot: left\n", "expected a list of patients"),
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
