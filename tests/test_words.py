"""Dutch and Flemish words, everywhere alike: the patient file, the roster and the options."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from handouts import models, words
from handouts.cli import app
from handouts.patients import load_patient, load_practice
from handouts.roster import read_roster
from tests.conftest import pdf_pages

TODAY = ["--today", "2026-11-21"]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_the_word_lists_name_the_models_values():
    assert words.LANGUAGES == models.LANGUAGES
    assert set(words.LANGUAGE_WORDS.values()) == set(models.LANGUAGES)
    assert set(words.FOOT_WORDS.values()) == set(words.FEET)
    patient_fields = set(models.field_names(models.Patient))
    assert {f for f in words.KEYS.values() if f != words.ID} == patient_fields


def fields_by_key(model):
    return {info.encode_name for info in models.fields_of(model)}


def test_every_practice_field_has_its_words_and_each_english_name_is_one():
    blocks = [(words.PRACTICE, models.Practice)]
    blocks += [(words.PRACTICE.nested["pain_rule"], models.PainRule)]
    blocks += [(words.PRACTICE.nested["smtp"], models.Smtp)]
    blocks += [(words.PRACTICE.nested["smtp"].nested["from"], models.Sender)]
    for block, model in blocks:
        assert set(block.keys.values()) == fields_by_key(model), model
        assert all(block.keys[field] == field for field in fields_by_key(model)), model
    for name in words.PRACTICE.nested:  # a nested block is the field of a model
        assert name in models.field_names(models.Practice)
    assert words.PATIENT.keys is words.KEYS  # one list of a patient's words


def test_the_foot_words_are_one_list_for_files_options_and_schemas():
    assert not hasattr(models, "FOOT_WORDS")
    for typed, foot in words.FOOT_WORDS.items():
        data = {"name": "Jan", "foot": typed.replace("_", " ").upper()}
        patient = models.validated(models.Patient, data)
        assert patient.foot == foot


DUTCH_PRACTICE = """Naam: Fysio Oost
Therapeut: Sanne de Vries, fysiotherapeut
Telefoon: 0123 45 67 89
E-mail: info@fysio-oost.example
Adres: Dorpsstraat 1, 1234 AB Oost
Website: fysio-oost.example
Kleur: “#7A1F5C”
Pijnregel: {Groen max: 3, Oranje max: 6}
Max minuten per dag: 30
Mailserver:
  Server: smtp.fysio-oost.example
  Poort: 465
  Beveiliging: SSL
  Gebruikersnaam: info@fysio-oost.example
  Afzender: {naam: Fysio Oost, adres: info@fysio-oost.example}
  Antwoordadres: sanne@fysio-oost.example
"""


def test_a_practice_file_in_dutch_reads_as_the_english_one(tmp_path):
    path = tmp_path / "praktijk.yaml"
    path.write_text(DUTCH_PRACTICE, encoding="utf-8")
    practice = load_practice(path).practice
    assert (practice.name, practice.phone, practice.address, practice.accent_colour) == (
        "Fysio Oost",
        "0123 45 67 89",  # a leading zero stays
        "Dorpsstraat 1, 1234 AB Oost",
        "#7A1F5C",
    )
    assert practice.therapist.startswith("Sanne") and practice.daily_minutes_cap == 30
    assert (practice.pain_rule.green_max, practice.pain_rule.amber_max) == (3, 6)
    smtp = practice.smtp
    assert smtp is not None and (smtp.host, smtp.port, smtp.security) == (
        "smtp.fysio-oost.example",
        465,
        "ssl",
    )
    assert smtp.sender is not None and smtp.sender.name == "Fysio Oost"
    assert smtp.reply_to == "sanne@fysio-oost.example"
    english = DUTCH_PRACTICE.replace("Naam:", "name:").replace("Telefoon", "phone")
    english = english.replace("Kleur", "accent_colour").replace("Mailserver", "smtp")
    path.write_text(english, encoding="utf-8")
    assert load_practice(path).practice == practice


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kleur: blauw\n", "kleur: 'blauw' is not a colour code; write # and six digits"),
        ("kleur: “#1f5f8x”\n", "kleur: '#1f5f8x' is not a colour code; write # and six"),
        ("kleur: #1f5f8b\n", 'kleur: is empty; write the colour code in quotes: "#1f5f8b"'),
        ("telefon: 012\n", "telefon: unknown field; did you mean 'telefoon'?"),
        ("naam: A\nname: B\n", "name: says the same as 'naam'; keep one of them"),
        ("mailserver: {server: x, poort: 0}\n", "mailserver.poort: 0 is too low; at least 1"),
        ("mailserver: {server: x, beveiliging: tls}\n", "mailserver.beveiliging: 'tls' is not"),
        ("mailserver: {sever: x}\n", "mailserver.sever: unknown field; did you mean 'server'?"),
        ("pijnregel: {groen_max: 6}\n", "pijnregel: green_max (6) must be below amber_max"),
    ],
)
def test_a_practice_files_problem_names_the_file_the_key_as_typed_and_the_fix(
    tmp_path, text, expected
):
    path = tmp_path / "praktijk.yaml"
    path.write_text(text, encoding="utf-8")
    code, _, err = run("validate", str(path))
    assert code == 2 and f"error: {path}: {expected}" in err, err


def test_a_patient_files_problem_names_the_key_as_typed(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("naam: Jan\nvoet: midden\nsessies per dg: 2\n", encoding="utf-8")
    code, _, err = run("generate", str(path), "-o", str(tmp_path / "out"))
    assert code == 2
    assert f"{path}: voet: 'midden' is not a foot; use left, right or both" in err
    assert f"{path}: sessies per dg: unknown field; did you mean 'sessies_per_dag'?" in err


def test_a_dutch_practice_is_on_the_paper(tmp_path):
    (tmp_path / "praktijk.yaml").write_text(DUTCH_PRACTICE, encoding="utf-8")
    patient = tmp_path / "jan.yaml"
    patient.write_text("naam: Jan\nvoet: links\npraktijk: praktijk.yaml\n", encoding="utf-8")
    code, out, err = run("generate", str(patient), "-o", str(tmp_path / "out"), *TODAY)
    assert code == 0, err
    first = pdf_pages(Path(out.splitlines()[0]).read_bytes())[0]
    assert "Fysio Oost" in first and "0123 45 67 89" in first


def test_the_python_api_takes_dutch_fields_too():
    import handouts

    dutch = handouts.make_pdfs(
        {"naam": "Jan", "voet": "Links", "startdatum": "07-12-2026"},
        {"naam": "Fysio Oost", "telefoon": "012"},
        today=models.parse_date("2026-11-21"),
    )
    english = handouts.make_pdfs(
        {"name": "Jan", "foot": "left", "start": "2026-12-07"},
        {"name": "Fysio Oost", "phone": "012"},
        today=models.parse_date("2026-11-21"),
    )
    assert dutch == english


@pytest.mark.parametrize(
    ("language", "key"), [(None, "name: "), ("nl", "naam: "), ("en", "name: ")]
)
def test_new_writes_a_dutch_or_english_patient_file(tmp_path, language, key):
    path = tmp_path / "jan.yaml"
    code, _, err = run("new", str(path), *(["--lang", language] if language else []))
    assert code == 0, err
    text = path.read_text(encoding="utf-8")
    assert f"\n{key}Voornaam Achternaam" in text and "handouts generate jan.yaml" in text
    path.write_text(text.replace("Voornaam Achternaam", "Jan Mol"), encoding="utf-8")
    assert run("validate", str(path))[0] == 0


def test_new_praktijk_yaml_is_in_dutch_and_flemish_for_nl_be(tmp_path):
    assert run("new", str(tmp_path / "praktijk.yaml"))[0] == 0
    text = (tmp_path / "praktijk.yaml").read_text(encoding="utf-8")
    assert "\ntelefoon: " in text and "(praktijk: praktijk.yaml)" in text
    assert run("new", str(tmp_path / "oost.yaml"), "--kind", "practice", "--lang", "nl-BE")[0] == 0
    assert "kinesitherapeut" in (tmp_path / "oost.yaml").read_text(encoding="utf-8")
    piet = tmp_path / "piet.yaml"
    assert run("new", str(piet), "--lang", "Vlaams")[0] == 0
    piet.write_text(piet.read_text().replace("Voornaam Achternaam", "Piet Mol"), encoding="utf-8")
    assert load_patient(piet, {}).patient.language == "nl-BE"
    code, _, err = run("validate", *(str(tmp_path / n) for n in ("praktijk.yaml", "oost.yaml")))
    assert code == 2  # the starter's examples, kinesitherapeut too, are still to fill in
    assert "oost.yaml: therapeut: 'Voornaam Achternaam, kinesitherapeut' is the starter's" in err


DUTCH_PATIENT = """\
Naam: Jan Peeters
Voet: Linkervoet
Taal: Vlaams
Programma: combined
Startdatum: 07-12-2026
Weken: 8
Herhalingen: 8
Reeksen: 2
Sessies per dag: 2
Opmerkingen: Rustig opbouwen.
Papier: A4
Grote letters: ja
Oefeningen:
  calf-stretch-wall-straight-knee:
    vasthouden: 45
"""


def test_a_patient_file_in_dutch_reads_as_the_english_one(tmp_path):
    path = tmp_path / "jan.yaml"
    path.write_text(DUTCH_PATIENT, encoding="utf-8")
    patient = load_patient(path, {}).patient
    assert (patient.name, patient.foot, patient.language, patient.paper) == (
        "Jan Peeters",
        "left",
        "nl-BE",
        "a4",
    )
    assert (patient.weeks, patient.reps, patient.sets, patient.sessions_per_day) == (8, 8, 2, 2)
    assert patient.large_print is True and patient.notes == "Rustig opbouwen."
    assert patient.exercises["calf-stretch-wall-straight-knee"].hold_seconds == 45


@pytest.mark.parametrize(
    ("given", "field", "expected"),
    [
        ("voet: rechtervoet", "foot", "right"),
        ("voet: Beide voeten", "foot", "both"),
        ("foot: LINKS", "foot", "left"),
        ("taal: Nederlands", "language", "nl"),
        ("taal: NL", "language", "nl"),
        ("taal: nl-be", "language", "nl-BE"),
        ("taal: Engels", "language", "en"),
        ("paper: Letter", "paper", "letter"),
        ("large_print: nee", "large_print", False),
        ("education: Nee", "education", False),
        ("uitleg: Apart", "education", "separate"),
        ("start: 2026-12-07", "start", models.parse_date("2026-12-07")),
    ],
)
def test_each_dutch_value_in_any_case(tmp_path, given, field, expected):
    path = tmp_path / "p.yaml"
    defaults = {"name": "naam: Jan", "foot": "voet: links"}
    lines = [given] + [line for key, line in defaults.items() if key != field]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert getattr(load_patient(path, {}).patient, field) == expected


def test_a_key_given_twice_in_two_languages_is_refused_naming_both(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("name: Jan\nnaam: Piet\nfoot: left\n", encoding="utf-8")
    code, _, err = run("generate", str(path), "-o", str(tmp_path / "out"))
    assert code == 2 and f"{path}: naam: says the same as 'name'" in err


def test_a_dutch_file_makes_a_flemish_handout_for_the_left_foot(tmp_path):
    path = tmp_path / "jan.yaml"
    path.write_text(DUTCH_PATIENT, encoding="utf-8")
    code, out, err = run("generate", str(path), "-o", str(tmp_path / "out"), *TODAY)
    assert code == 0, err
    first = pdf_pages(Path(out.splitlines()[0]).read_bytes())[0]
    assert "Jan Peeters" in first and "linkervoet" in first and "kinesitherapeut" in first


@pytest.mark.parametrize(
    "options",
    [
        ["--lang", "NL", "--paper", "A4", "--foot", "LEFT"],
        ["--lang", "Nederlands", "--paper", "a4", "--foot", "linkervoet"],
        ["--lang", "nl", "--paper", "A4", "--foot", "Links", "--only", "HANDOUT"],
        ["--lang", "nl-BE", "--paper", "A4", "--foot", "L", "--only", "Oefenschema"],
    ],
)
def test_options_take_the_same_words_in_any_case(tmp_path, options):
    code, out, err = run("generate", "--name", "Jan", *options, "-o", str(tmp_path), *TODAY)
    assert code == 0, err
    assert Path(out.splitlines()[0]).name == "jan_oefenschema.pdf"


def test_a_roster_and_a_patient_file_agree_on_the_words(tmp_path):
    csv = tmp_path / "roster.csv"
    csv.write_text(
        "Naam;Voet;Taal;Grote letters;Papier\nJan;Rechtervoet;Vlaams;Ja;Letter\n", encoding="utf-8"
    )
    yaml = tmp_path / "jan.yaml"
    yaml.write_text(
        "naam: Jan\nvoet: Rechtervoet\ntaal: Vlaams\ngrote_letters: Ja\npapier: Letter\n",
        encoding="utf-8",
    )
    [row] = read_roster(csv)
    assert row.patient == load_patient(yaml, {}).patient


def test_every_value_has_a_size_limit_in_a_file_and_in_a_yaml_roster(tmp_path):
    path = tmp_path / "p.yaml"
    ids = ", ".join(f"x{n}" for n in range(150))
    path.write_text(f"naam: Jan\nvoet: links\nprogramma: {'a' * 5000}\nextra: [{ids}]\n")
    code, _, err = run("generate", str(path), "-o", str(tmp_path / "out"))
    assert code == 2 and "programma: is 5,000 characters; at most 2,000 fit" in err
    assert "extra: has 150 items; at most 100 are allowed" in err
    roster = tmp_path / "r.yaml"
    roster.write_text(
        f"- naam: Jan\n  voet: links\n  notities: {'b' * 3000}\n- naam: Piet\n  voet: r\n"
    )
    jan, piet = read_roster(roster)
    assert jan.patient is None and "notities: is 3,000 characters" in str(jan.problems[0])
    assert piet.patient is not None


def test_every_check_names_a_patient_files_field_as_the_file_spells_it(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("naam: Jan\nvoet: links\nprogramma: nope\npraktijk: weg.yaml\n")
    code, _, err = run("validate", str(path))
    assert code == 2 and f"{path}: praktijk: the practice file" in err
    assert "change the line `praktijk:` to its path" in err
    path.write_text("naam: Jan\nvoet: links\nprogramma: nope\nweglaten: [xyz]\n")
    code, _, err = run("generate", str(path), "-o", str(tmp_path / "out"))
    assert code == 2 and f"{path}: programma: unknown programme 'nope'" in err
    assert f"{path}: weglaten: unknown exercise 'xyz'" in err
    code, _, err = run("generate", str(path), "--programme", "nope2", "-o", str(tmp_path))
    assert "(with command-line options): programme: unknown programme 'nope2'" in err


def test_a_plans_warning_names_the_patient_wide_values_as_the_file_spells_them(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(
        "naam: Jan\nvoet: links\nherhalingen: 8\nSessies per dag: 2\n"
        "oefeningen: {calf-stretch-wall-straight-knee: {vasthouden: 40}}\n",
        encoding="utf-8",
    )
    code, _, err = run("validate", str(path), *TODAY)
    assert code == 0
    assert (
        f"warning: {path}: patient-wide herhalingen 8 not used for heel-raise-towel-step: "
        "the programme changes reps by phase (12 → 10 → 8); set it under oefeningen: "
        "heel-raise-towel-step to change it"
    ) in err
    assert "patient-wide Sessies per dag 2 not used for heel-raise-towel-step" in err
    path.write_text("name: Jan\nfoot: left\nreps: 8\n", encoding="utf-8")
    code, _, err = run("generate", str(path), "-o", str(tmp_path / "out"), *TODAY)
    assert code == 0 and "patient-wide reps 8 not used for heel-raise-towel-step" in err
    assert "set it under exercises: heel-raise-towel-step" in err


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("linsk", "'linsk' is not a foot; did you mean 'links'? (links, rechts or beide;"),
        ("rehcts", "'rehcts' is not a foot; did you mean 'rechts'?"),
        ("links?", "'links?' has a question mark; check which foot, then write it"),
        ("midden", "'midden' is not a foot; use left, right or both (links, rechts, beide)"),
    ],
)
def test_a_foot_typo_gets_a_suggestion_and_a_doubt_is_never_a_foot(tmp_path, typed, message):
    path = tmp_path / "jan.yaml"
    path.write_text(f"naam: Jan Mol\nvoet: {typed}\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 2 and f"error: {path}: voet: {message}" in result.stderr


def test_every_field_has_a_dutch_key_that_reads_back_as_that_field():
    for block, model in ((words.PATIENT, models.Patient), (words.PRACTICE, models.Practice)):
        fields = set(block.keys.values())
        assert set(block.dutch) == fields, model.__name__
        assert all(block.keys[words.normalise(k)] == f for f, k in block.dutch.items())


def test_an_unknown_key_in_a_dutch_file_lists_the_dutch_keys(tmp_path):
    dutch, english = tmp_path / "praktijk.yaml", tmp_path / "practice.yaml"
    dutch.write_text("naam: Kine Oost\nqqq: 1\n", encoding="utf-8")
    english.write_text("name: Kine Oost\nqqq: 1\n", encoding="utf-8")
    code, _, err = run("validate", str(dutch), str(english))
    assert code == 2
    assert f"{dutch}: qqq: unknown field; known fields: taal, aanspreekvorm, naam," in err
    assert f"{english}: qqq: unknown field; known fields: language, address_form, name," in err
