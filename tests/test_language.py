"""Text variants: the formal u-form, natural Flemish, native English, both feet, every side."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from handouts import text
from handouts.errors import InputError
from handouts.library import load_library
from handouts.models import (
    ExerciseText,
    Invalid,
    MissingUForm,
    Patient,
    Practice,
    Texts,
    as_data,
    as_dict,
    validated,
)
from handouts.regional import VARIANTS, flemish, je_words, text_variant
from handouts.validate import validate_paths

U_FORMS = ("nl-u", "nl-BE-u")


def strings_in(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for v in value for s in strings_in(v)]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings_in(v)]
    return []


def rendered(texts: Texts[ExerciseText], variant: str, side: str, both_feet: bool) -> list[str]:
    variables = text.plan_variables(
        variant,
        side,  # type: ignore[arg-type]
        both_feet=both_feet,
        weeks=12,
        strength_days=True,
    )
    return [text.render(s, variables) for s in strings_in(as_dict(texts.get(variant)))]


# --- the mechanism ---------------------------------------------------------------------------


def test_text_variant_is_one_key():
    assert text_variant("nl", "je") == "nl"
    assert text_variant("nl", "u") == "nl-u"
    assert text_variant("nl-BE", "u") == "nl-BE-u"
    assert text_variant("nl-BE", "je") == "nl-BE"
    assert text_variant("en", "u") == "en"  # English has one form of address
    with pytest.raises(ValueError, match="use je or u"):
        text_variant("nl", "vous")


def test_patient_address_takes_the_words_a_therapist_types():
    def patient(**fields: str) -> Patient:
        return validated(Patient, {"name": "A", "foot": "left", **fields})

    assert patient().address is None and patient().form == "je"  # not given: je, or the
    formal = validated(Practice, {"address_form": "u", "language": "nl-BE"})  # practice's
    assert patient().with_practice(formal).variant == "nl-BE-u"
    assert patient(address="je", language="nl").with_practice(formal).variant == "nl"
    assert patient(address="formeel").variant == "nl-u"
    assert patient(address="U", language="nl-BE").variant == "nl-BE-u"
    assert patient(address="jij").variant == "nl"
    with pytest.raises(Invalid, match="not a form of address; use je or u"):
        patient(address="vous")


def texts(**blocks: Any) -> Texts[ExerciseText]:
    base = {"name": "Rek", "short_name": "Rek", "purpose": "Rekt je kuit.", "steps": ["Ga staan."]}
    en = {"name": "S", "short_name": "S", "purpose": "Stretches.", "steps": ["Stand."]}
    return validated(Texts[ExerciseText], {"nl": base, "en": en, **blocks})


def test_u_form_replaces_whole_fields_and_flemish_keeps_its_neutral_fields():
    t = texts(**{"nl-u": {"purpose": "Rekt uw kuit."}, "nl-BE": {"steps": ["Sta recht."]}})
    assert t.get("nl-u").purpose == "Rekt uw kuit." and t.get("nl-u").steps == ["Ga staan."]
    assert t.get("nl-BE").steps == ["Sta recht."]
    # the Flemish steps say no je, so they are right for nl-BE-u too
    assert t.get("nl-BE-u").steps == ["Sta recht."]
    assert t.get("nl-BE-u").purpose == "Rekt uw kuit."


def test_a_flemish_field_with_je_needs_its_own_u_form():
    t = texts(**{"nl-u": {"purpose": "Rekt uw kuit."}, "nl-BE": {"steps": ["Zet je voet."]}})
    with pytest.raises(
        MissingUForm, match=r"no u-form of steps; write them in an nl-u block \(nl-BE-u"
    ):
        t.get("nl-BE-u")
    fixed = texts(
        **{"nl-u": {"purpose": "Rekt uw kuit."}, "nl-BE": {"steps": ["Zet je voet."]},
           "nl-BE-u": {"steps": ["Zet uw voet."]}}
    )  # fmt: skip
    assert fixed.get("nl-BE-u").steps == ["Zet uw voet."]


def test_a_text_without_u_form_is_never_given_in_the_je_form():
    with pytest.raises(MissingUForm, match="no u-form of purpose"):
        texts().get("nl-u")
    neutral = validated(
        Texts[ExerciseText],
        {"nl": {"name": "A", "short_name": "A", "purpose": "Rekt de kuit.", "steps": ["Sta."]},
         "en": {"name": "A", "short_name": "A", "purpose": "Stretches.", "steps": ["Stand."]}}
    )  # fmt: skip
    assert neutral.get("nl-u") == neutral.nl  # nothing says je: nothing to write


def test_a_u_form_that_says_je_is_refused_at_load():
    with pytest.raises(Invalid, match=r"nl-u\.purpose: the u-form says 'jouw'"):
        texts(**{"nl-u": {"purpose": "Rekt jouw kuit."}})


@pytest.mark.parametrize(
    ("sentence", "found"),
    [
        ("Zet je voet neer.", ["je"]),
        ("Doe het zelf, jij en jezelf.", ["jij", "jezelf"]),
        ("Is dit jouw schema?", ["jouw"]),
        ("Geef je'm een kans.", ["je"]),
        ("Leg uw {{ foot }} neer. Jenever, jeuk en jeugd.", []),
    ],
)
def test_je_words_are_found_as_words(sentence, found):
    assert je_words(sentence) == found


# --- every shipped text ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped():
    return load_library()


def shipped_texts(library: Any) -> dict[str, Texts[Any]]:
    """Every library text a patient may get, by where it is: exercises, education topics,
    programme summaries, phase names and changes, maintenance pages."""
    found: dict[str, Texts[Any]] = {f"exercise {i}": e.texts for i, e in library.exercises.items()}
    found |= {f"education {i}": topic.texts for i, topic in library.education.items()}
    for programme in library.programmes.values():
        found[f"programme {programme.id}"] = programme.texts
        if programme.maintenance is not None:
            found[f"programme {programme.id} maintenance"] = programme.maintenance
        for number, phase in enumerate(programme.phases, start=1):
            found[f"programme {programme.id} phase {number}"] = phase.texts
    return found


def shipped_notes(library: Any) -> dict[str, dict[str, str]]:
    """Every phase note of the shipped programmes, by programme, phase and exercise."""
    return {
        f"programme {programme.id} phase {number} {exercise_id}": item.note
        for programme in library.programmes.values()
        for number, phase in enumerate(programme.phases, start=1)
        for exercise_id, item in phase.exercises.items()
        if item.note
    }


def test_every_shipped_text_has_a_complete_u_form(shipped):
    from handouts.plan import _phase_note

    texts = shipped_texts(shipped)
    assert len([k for k in texts if k.startswith("programme")]) >= 4 + 12  # all of them
    for where, variants in texts.items():
        for variant in U_FORMS:
            found = je_words(as_dict(variants.get(variant)))
            assert not found, f"{where} {variant}: {found}"
    notes = shipped_notes(shipped)
    assert any(je_words(note["nl"]) for note in notes.values())  # the check can fail
    for where, note in notes.items():
        for variant in U_FORMS:
            assert not je_words(_phase_note(note, variant)), f"{where} {variant}"
            assert _phase_note(note, variant)  # never an empty note where nl has one


def test_every_locale_key_has_a_complete_u_form():
    for variant in U_FORMS:
        table = text.strings(variant)._table
        assert not je_words(table), variant
        assert set(table) == set(text.strings("nl")._table)


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("both_feet", [False, True])
def test_every_exercise_renders_in_every_variant_and_mirrors_per_side(shipped, variant, both_feet):
    swap = {"nl": ("linker", "rechter", "links", "rechts"), "en": ("left", "right", "", "")}
    left_word, right_word, *_ = swap[text.base_language(variant)]
    for exercise in shipped.exercises.values():
        left = rendered(exercise.texts, variant, "left", both_feet)
        right = rendered(exercise.texts, variant, "right", both_feet)
        for line in left + right:
            assert "{" not in line and "}" not in line, (exercise.id, line)
        mirrored = [
            re.sub(rf"{left_word}|{right_word}",
                   lambda m: right_word if m.group(0) == left_word else left_word, line)
            for line in left
        ]  # fmt: skip
        assert mirrored == right, exercise.id


def test_knee_to_wall_compares_sides_only_when_one_foot_hurts(shipped):
    texts_ = shipped.exercises["knee-to-wall-ankle-mobility"].texts
    for variant, one, both in (
        ("nl", "Meet ook 1 keer je rechtervoet", "Vergelijk het met het getal van je rechtervoet"),
        ("nl-u", "Meet ook 1 keer uw rechtervoet", "Vergelijk het met het getal van uw"),
        ("en", "Measure your right foot once as well", "Compare it with the distance"),
    ):
        [one_foot] = [s for s in rendered(texts_, variant, "left", False) if "afvink" in s
                      or "checklist" in s]  # fmt: skip
        [both_feet] = [s for s in rendered(texts_, variant, "left", True) if "afvink" in s
                       or "checklist" in s]  # fmt: skip
        assert one in one_foot and one not in both_feet
        assert both in both_feet and both not in one_foot


# Words a Flemish reader does not use (or reads differently: "lopen" is running there).
DUTCH_ONLY = re.compile(
    r"\b(sok|sokken|vloerbedekking|makkelijk\w*|lopen|pak melk|bank|om de dag)\b"
    r"|opstaat na lang zitten"
    r"|\bpak\b.*\bvast\b",
    re.IGNORECASE,
)


def flemish_texts(shipped: Any) -> list[tuple[str, str]]:
    found = []
    for variant in ("nl-BE", "nl-BE-u"):
        for exercise in shipped.exercises.values():
            found += [(exercise.id, s) for s in rendered(exercise.texts, variant, "left", False)]
        found += [(f"locales {variant}", s) for s in strings_in(text.strings(variant)._table)]
    return found


def test_flemish_has_no_dutch_only_words(shipped):
    wrong = [(where, s) for where, s in flemish_texts(shipped) if DUTCH_ONLY.search(s)]
    assert not wrong


def test_flemish_word_table_swaps_whole_words_keeping_capitals():
    assert flemish("Makkelijk? Draag geen sokken op vloerbedekking.") == (
        "Gemakkelijk? Draag geen kousen op tapijt."
    )
    assert flemish("Na lang lopen: een pak melk.") == "Na lang stappen: een brik melk."
    assert flemish("Om de dag (dag 1, 3, 5 …)") == "Om de twee dagen (dag 1, 3, 5 …)"
    assert flemish("Om de dag (dag 1, 3, 5 …)") == "Om de twee dagen (dag 1, 3, 5 …)"
    assert flemish("gemakkelijk, verlopen, sokkel") == "gemakkelijk, verlopen, sokkel"


# Dutch turns of phrase the English texts used to have.
DUTCHISMS = re.compile(
    r"That was 1|Does it hurt too much\?|Is it easy\?|Hardly any stretch\?|Going well|"
    r"Can be done|What for|Take care|Put a cross|\b\d+ counts\b|for 2 counts|Build-up",
)


def test_english_reads_as_english(shipped):
    found = []
    for exercise in shipped.exercises.values():
        found += [(exercise.id, s) for s in rendered(exercise.texts, "en", "left", False)]
    found += [("locales en", s) for s in strings_in(text.strings("en")._table)]
    assert not [(where, s) for where, s in found if DUTCHISMS.search(s)]


def test_no_step_states_a_dosage_number(shipped):
    """How long to hold and how fast come from the plan ('Hoeveel'), never from the steps."""
    number = re.compile(r"\b\d+\s*(tellen|seconden|counts|seconds)\b")
    for exercise in shipped.exercises.values():
        for variant in VARIANTS:
            steps = exercise.texts.get(variant).steps
            assert not [s for s in steps if number.search(s)], (exercise.id, variant)


# --- validate and the library ----------------------------------------------------------------


def practice_copy(folder: Path, shipped: Any, change: dict[str, Any]) -> Path:
    source = shipped.exercise_files["calf-stretch-wall-bent-knee"]
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data["texts"].update(change)
    (folder / "exercises").mkdir(parents=True)
    (folder / "exercises" / "calf-stretch-wall-bent-knee.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True), encoding="utf-8"
    )
    return folder


def test_validate_finds_a_u_form_with_a_gap(tmp_path, shipped):
    u_form = dict(shipped.exercises["calf-stretch-wall-bent-knee"].texts.nl_u or {})
    del u_form["steps"]
    folder = practice_copy(tmp_path, shipped, {"nl-u": u_form})
    problems, _ = validate_paths((), (folder,))
    [problem] = [p for p in problems if p.field == "texts.nl-u"]
    assert problem.field == "texts.nl-u" and "no u-form of steps" in problem.message
    assert problem.source.endswith("calf-stretch-wall-bent-knee.yaml")


def test_a_u_block_with_a_literal_side_is_found(tmp_path, shipped):
    u_form = dict(shipped.exercises["calf-stretch-wall-bent-knee"].texts.nl_u or {})
    u_form["purpose"] = "Rekt uw linkerkuit."
    folder = practice_copy(tmp_path, shipped, {"nl-u": u_form})
    with pytest.raises(InputError, match=r"texts\.nl-u\.purpose.*linkerkuit"):
        load_library([folder])


def test_validate_finds_the_shipped_locales_and_exercises_complete():
    problems, _ = validate_paths((), ())
    assert not [p for p in problems if "u-form" in p.message or "locales" in p.source]


def test_the_handout_says_once_what_a_set_is(shipped):
    from handouts.pdf.handout import build_handout
    from tests.conftest import make_plan, pdf_pages

    for language, sentence in (("nl", "Een set is"), ("en", "A set is")):
        pages = " ".join(pdf_pages(build_handout(make_plan(shipped, language=language))))
        assert pages.replace("\n", " ").count(sentence) == 1


def test_a_u_form_left_behind_by_a_changed_je_form_is_found(tmp_path, shipped):
    """The u-form is written from the je-form: a red flag added or a number changed in the
    je-form, and the u-form no longer matches."""
    from handouts.regional import drift

    assert drift(["a", "b"], ["a"]) == "1 items, the je-form has 2"
    assert drift("Houd 10 tellen vast.", "Houd 5 tellen vast.") == ("numbers 5, the je-form has 10")
    assert drift({"green": {"action": "Ga {n} door."}}, {"green": {"action": "Ga door."}}) == (
        "green: action: numbers none, the je-form has {n}"
    )
    texts_ = shipped.exercises["calf-stretch-wall-bent-knee"].texts
    steps = [*texts_.nl.steps, "Doe dit 3 keer."]
    folder = practice_copy(tmp_path, shipped, {"nl": {**as_dict(texts_.nl), "steps": steps}})
    problems, _ = validate_paths((), (folder,))
    assert [(p.field, p.message) for p in problems if p.field == "texts.nl-u.steps"] == [
        ("texts.nl-u.steps", "7 items, the je-form has 8; write the u-form again from the je-form")
    ]


def test_the_shipped_u_forms_match_their_je_forms(shipped):
    from handouts.regional import u_form_drift

    assert text.locale_drift() == []
    for where, variants in shipped_texts(shipped).items():
        assert u_form_drift(as_dict(variants.nl), variants.blocks) == [], where
    for where, note in shipped_notes(shipped).items():
        blocks = {key: {"note": note[key]} for key in ("nl-BE", "nl-u", "nl-BE-u") if key in note}
        assert u_form_drift({"note": note["nl"]}, blocks) == [], where


# --- the plan: an address: u patient ---------------------------------------------------------


@pytest.mark.parametrize("language", ["nl", "nl-BE"])
@pytest.mark.parametrize("foot", ["left", "right", "both"])
def test_a_u_patient_reads_u_on_every_page(shipped, language, foot):
    from handouts.pdf.checklist import build_checklist
    from handouts.pdf.handout import build_handout
    from tests.conftest import make_plan, pdf_pages

    plan = make_plan(shipped, foot=foot, language=language, address="u",
                     include=sorted(shipped.exercises))  # fmt: skip
    assert (plan.address, plan.variant) == ("u", f"{language}-u")
    pages = pdf_pages(build_handout(plan)) + pdf_pages(build_checklist(plan))
    words = " ".join(pages).replace("\n", " ")
    assert not je_words(words), je_words(words)[:5]
    sides = {"left": ["uw linkervoet"], "right": ["uw rechtervoet"]}
    sides["both"] = sides["left"] + sides["right"]
    for expected in ["Uw schema duurt", "Volhouden met uw afvinklijst", *sides[foot]]:
        assert expected in words, expected
    # the same patient with je: the check above can fail
    je_plan = make_plan(shipped, foot=foot, language=language)
    assert je_words(" ".join(pdf_pages(build_handout(je_plan))))
    if language == "nl-BE":
        assert "kinesitherapeut" in words and "fysiotherapeut" not in words


def test_dates_keep_the_language_and_the_u_form_changes_only_the_words(shipped):
    from tests.conftest import make_plan

    je, u = make_plan(shipped, language="nl-BE"), make_plan(shipped, language="nl-BE", address="u")
    assert (je.language, je.variant, u.language, u.variant) == (
        "nl-BE",
        "nl-BE",
        "nl-BE",
        "nl-BE-u",
    )
    assert [w.days for w in je.weeks] == [w.days for w in u.weeks]
    assert [s.dosage for e in je.exercises for s in e.dosage_steps] == [
        s.dosage for e in u.exercises for s in e.dosage_steps
    ]
    assert je.programme_summary != u.programme_summary


def test_the_roster_column_chooses_the_u_form(tmp_path, shipped):
    from handouts.plan import resolve
    from handouts.roster import read_roster
    from tests.conftest import TODAY

    path = tmp_path / "roster.csv"
    path.write_text("naam;voet;taal;aanspreekvorm\nJan;links;nl;formeel\nAn;rechts;Vlaams;\n")
    jan, an = read_roster(path)
    assert jan.patient is not None and an.patient is not None
    assert (jan.patient.variant, an.patient.variant) == ("nl-u", "nl-BE")
    plan = resolve(jan.patient, shipped, Practice(), today=TODAY)
    assert plan.variant == "nl-u" and plan.programme_summary.startswith("Uw schema")


def programme_without_u_form(folder: Path, shipped: Any) -> Path:
    """A practice's own programme and topic, written in the je-form only (as many will be)."""
    data = as_data(shipped.programmes["combined"])
    data["id"] = "mine"
    data["texts"].pop("nl-u")
    for phase in data["phases"]:
        phase["education"] = ["edu-mine"]
        for item in phase["exercises"].values():
            item["note"] = {k: v for k, v in item["note"].items() if not k.endswith("-u")}
    topic = yaml.safe_load(
        (Path(__file__).parent.parent / "handouts/library/education/edu-load.yaml").read_text(
            encoding="utf-8"
        )
    )
    topic["id"] = "edu-mine"
    del topic["texts"]["nl-u"]
    for kind, item in (("programmes", data), ("education", topic)):
        (folder / kind).mkdir(parents=True, exist_ok=True)
        (folder / kind / f"{item['id']}.yaml").write_text(
            yaml.safe_dump(item, allow_unicode=True), encoding="utf-8"
        )
    return folder


def test_a_u_patient_on_texts_without_u_form_gets_every_gap_named_and_no_file(tmp_path, shipped):
    from click.testing import CliRunner

    from handouts.cli import app

    library = programme_without_u_form(tmp_path / "library", shipped)
    out = tmp_path / "out"
    args = ["generate", "--name", "Jan", "--foot", "left", "--programme", "mine",
            "--library", str(library), "-o", str(out), "--today", "2026-12-01"]  # fmt: skip
    result = CliRunner().invoke(app, [*args, "--address", "formeel"])
    assert result.exit_code == 2, result.output
    lines = result.output.splitlines()
    assert any(
        line.startswith("error: programme 'mine': texts.nl-u: no u-form of summary")
        for line in lines
    )
    assert any("'mine': phases.1.exercises.plantar-fascia-stretch-seated.note: says je" in line
               for line in lines)  # fmt: skip
    assert any(line.startswith("error: education 'edu-mine': texts.nl-u") for line in lines)
    assert not any("edu-load" in line or "Traceback" in line for line in lines)
    assert not out.exists() or not list(out.iterdir())
    # validate says the same, for a patient file asking for the u-form
    patient = tmp_path / "jan.yaml"
    patient.write_text("naam: Jan\nvoet: links\nprogramma: mine\naanspreekvorm: u\n")
    problems, _ = validate_paths((patient,), (library,))
    said = {f"{p.source}: {p.field}: {p.message}" for p in problems}
    assert {line.removeprefix("error: ") for line in lines if line.startswith("error:")} <= said
    # the je-form patient is fine
    assert CliRunner().invoke(app, [*args, "--address", "je"]).exit_code == 0


def test_validate_holds_a_programme_u_form_to_its_je_form(tmp_path, shipped):
    data = as_data(shipped.programmes["combined"])
    data["id"] = "drifted"
    data["texts"]["nl-u"]["summary"] = "Uw schema duurt 10 weken."  # the je-form has {{ weeks }}
    del data["phases"][1]["texts"]["nl-u"]
    data["phases"][1]["texts"]["nl-BE"] = {"name": "Opbouwen"}  # no je: nothing to write
    data["phases"][1]["texts"]["nl-BE-u"] = {"name": "Opbouwen"}  # a u-form, so complete
    note = data["phases"][2]["exercises"]["heel-raise-towel-step"]["note"]
    del note["nl-BE-u"]  # the Flemish note says je
    (tmp_path / "programmes").mkdir()
    (tmp_path / "programmes" / "drifted.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True), encoding="utf-8"
    )
    problems, _ = validate_paths((), (tmp_path,))
    found = {(p.field, p.message) for p in problems if p.source.startswith("programme 'drifted'")}
    assert found == {
        ("texts.nl-u.summary", "numbers 10, the je-form has none; "
                               "write the u-form again from the je-form"),
        ("texts.nl-u", "no u-form of changes; write them in an nl-u block, "
                       "or give this patient address: je"),
        ("texts.nl-BE-u", "no u-form of changes; write them in an nl-u block (nl-BE-u where "
                          "the Flemish text differs), or give this patient address: je"),
        ("phases.3.exercises.heel-raise-towel-step.note.nl-BE-u",
         "says je; write an nl-BE-u note"),
    }, found  # fmt: skip
