"""Regional wording, education topics, maintenance, practice thresholds and own content."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from handouts import regional, text
from handouts.errors import InputError
from handouts.library import load_library
from handouts.models import PainRule, Patient, Practice, as_data
from handouts.patients import load_practice
from handouts.pdf.checklist import build_checklist
from handouts.pdf.handout import build_handout
from handouts.plan import resolve
from handouts.validate import validate_paths
from tests.conftest import TODAY, make_plan, pdf_pages

TOPIC = {
    "id": "edu-test-topic",
    "sources": ["Testbron 2020"],
    "texts": {
        "nl": {"title": "Over je fysiotherapeut", "paragraphs": ["Je fysiotherapeut helpt je."],
               "points": ["Rust is niet genoeg voor je {{ foot }}."]},
        "en": {"title": "About your physiotherapist", "paragraphs": ["They help you."]},
    },
}  # fmt: skip


def own_library(folder: Path, library, *, education=True, maintenance=True) -> Path:
    """A practice folder with one education topic and a copy of `combined` that uses it."""
    (folder / "education").mkdir(parents=True)
    (folder / "education" / "edu-test-topic.yaml").write_text(
        yaml.safe_dump(TOPIC, allow_unicode=True), encoding="utf-8"
    )
    programme = as_data(library.programmes["combined"])
    programme["id"] = "mine"
    for phase in programme["phases"]:
        phase["education"] = []
    if education:
        programme["phases"][1]["education"] = ["edu-test-topic"]
    if maintenance:
        block = {"title": "Na week 12", "paragraphs": ["Blijf 1 keer per week trainen."]}
        programme["maintenance"] = {"nl": block, "en": {**block, "title": "After week 12"}}
    (folder / "programmes").mkdir()
    (folder / "programmes" / "mine.yaml").write_text(
        yaml.safe_dump(programme, allow_unicode=True), encoding="utf-8"
    )
    return folder


def test_flemish_terms_keep_capitals():
    assert regional.flemish("Bel je fysiotherapeut. Fysiotherapeut Jan.") == (
        "Bel je kinesitherapeut. Kinesitherapeut Jan."
    )
    assert regional.flemish("podotherapeut en inlegzolen") == "podoloog en steunzolen"


def test_nl_be_handout_and_checklist_use_flemish_words(library):
    plan = make_plan(library, language="nl-BE")
    handout = "\n".join(pdf_pages(build_handout(plan)))
    assert "kinesitherapeut" in handout and "fysiotherapeut" not in handout
    assert "linkervoet" in handout
    checklist = pdf_pages(build_checklist(plan))[0]
    assert "ma" in checklist and "dec" in checklist and "kinesitherapeut" in checklist


def with_flemish_block(folder: Path, library, block: dict[str, str]) -> Path:
    """A practice folder whose copy of the soleus stretch has the given nl-BE block."""
    source = library.exercise_files["calf-stretch-wall-bent-knee"]
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data["texts"]["nl-BE"] = block
    (folder / "exercises").mkdir()
    (folder / "exercises" / "calf-stretch-wall-bent-knee.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True), encoding="utf-8"
    )
    return folder


def test_nl_be_block_replaces_whole_fields(tmp_path, library):
    block = {"purpose": "Rekt je {{ calf }} terwijl je rechtstaat."}
    merged = load_library([with_flemish_block(tmp_path, library, block)])
    add = ["calf-stretch-wall-bent-knee"]
    plan = make_plan(merged, language="nl-BE", include=add)
    card = next(e for e in plan.exercises if e.id == "calf-stretch-wall-bent-knee")
    assert card.purpose == "Rekt je linkerkuit terwijl je rechtstaat."
    nl = make_plan(merged, include=add).exercises
    assert card.steps == next(e for e in nl if e.id == card.id).steps


def test_nl_be_block_with_a_literal_side_is_found(tmp_path, library):
    folder = with_flemish_block(tmp_path, library, {"purpose": "Rekt je linkerkuit."})
    with pytest.raises(InputError, match=r"texts\.nl-BE\.purpose.*linkerkuit"):
        load_library([folder])


def test_education_topics_follow_the_phase_and_can_be_switched_off(tmp_path, library):
    mine = load_library([own_library(tmp_path, library)])
    plan = make_plan(mine, programme="mine")
    [topic] = plan.education
    assert topic.first_week == 3 and topic.points == ("Rust is niet genoeg voor je linkervoet.",)
    text_ = "\n".join(pdf_pages(build_handout(plan)))
    assert "Goed om te weten" in text_ and "Over je fysiotherapeut" in text_
    assert "Lees dit in week 3" in text_ and "Testbron 2020" in text_
    assert "Na week 12" in text_ and "Blijf 1 keer per week trainen." in text_
    assert make_plan(mine, programme="mine", education=False).education == ()
    assert make_plan(mine, programme="mine", exclude=["edu-test-topic"]).education == ()
    short = make_plan(mine, programme="mine", weeks=2)  # the topic's phase is never reached
    assert short.education == ()


def test_programme_naming_an_unknown_topic(tmp_path, library):
    folder = own_library(tmp_path, library)
    path = folder / "programmes" / "mine.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["phases"][0]["education"] = ["edu-nope"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError, match="unknown education topic 'edu-nope'"):
        load_library([folder])


def test_practice_pain_thresholds_reach_both_pdfs(library):
    practice = Practice(pain_rule=PainRule(green_max=3, amber_max=6))
    plan = resolve(Patient(name="Jan", foot="left"), library, practice, today=TODAY)
    handout = pdf_pages(build_handout(plan))[0]
    assert "Pijn 0–3 tijdens het oefenen" in handout and "Pijn 4–6" in handout
    assert "Pijn 7 of meer" in handout
    assert "Rood 7–10" in pdf_pages(build_checklist(plan))[0]


def test_pain_thresholds_must_be_ordered(tmp_path):
    path = tmp_path / "practice.yaml"
    path.write_text("pain_rule: {green_max: 5, amber_max: 4}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"green_max \(5\) must be below amber_max"):
        load_practice(path)


def test_practice_profile_brings_its_own_library(tmp_path, library):
    own_library(tmp_path / "eigen", library)
    path = tmp_path / "practice.yaml"
    path.write_text("name: X\nlibrary: eigen\n", encoding="utf-8")
    practice = load_practice(path)
    assert practice.library_dir == (tmp_path / "eigen").resolve()
    assert "mine" in load_library([practice.library_dir]).programmes
    path.write_text("name: X\nlibrary: nergens\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"library: folder .* not found"):
        load_practice(path)


def test_readability_flags_long_sentences_and_long_words():
    plain = text.readability(["Ga op een stoel zitten.", "Leg je {{ foot }} op je knie."])
    assert plain.problems() == []
    heavy = text.readability([
        "Gedurende de uitvoering van deze oefening dient de patiënt ervoor zorg te dragen dat "
        "de belasting van de fascia plantaris geleidelijk en gecontroleerd wordt opgebouwd."
    ])  # fmt: skip
    problems = heavy.problems()
    assert any("sentences average 25.0 words" in p for p in problems)
    assert any("a sentence of 25 words" in p for p in problems)


def test_validate_applies_readability_to_a_practice_exercise(tmp_path, library):
    source = library.exercise_files["calf-stretch-wall-bent-knee"]
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data["texts"]["nl"]["purpose"] = (
        "Deze oefening is bedoeld om gedurende langere tijd de soepelheid van de musculatuur "
        "van het onderbeen en de bijbehorende peesstructuren systematisch te vergroten."
    )
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    problems, _ = validate_paths((path,), ())
    assert any(p.field == "texts.nl" and "a sentence of 23 words" in p.message for p in problems)


def test_validate_finds_the_shipped_library_clean():
    problems, checked = validate_paths((), ())
    assert problems == [] and checked == 1


@pytest.mark.parametrize("language", ["nl", "nl-BE", "en"])
@pytest.mark.parametrize("foot", ["left", "right", "both"])
def test_every_exercise_renders_for_every_side_and_language(library, language, foot):
    plan = make_plan(library, foot=foot, language=language, include=sorted(library.exercises))
    assert {e.id for e in plan.exercises} == set(library.exercises)
    pages = " ".join(pdf_pages(build_handout(plan))).replace("\n", " ")
    for e in plan.exercises:
        assert e.name[:25] in pages and e.steps[0][:25] in pages
    # thirteen exercises: a week's records (pain, weight, distance) go on its second page
    assert len(pdf_pages(build_checklist(plan))) == 2 * len(plan.weeks)


def test_validate_and_generate_agree_on_what_exclude_may_name(tmp_path, library):
    patient = tmp_path / "patient.yaml"
    patient.write_text("name: Jan\nfoot: left\nexclude: [edu-weight, nope]\n", encoding="utf-8")
    problems, _ = validate_paths((patient,), ())
    assert [p.field for p in problems] == ["exclude"] and "'nope'" in problems[0].message
    with pytest.raises(InputError, match=r"exclude.*'nope'"):
        make_plan(library, exclude=["edu-weight", "nope"])
    assert make_plan(library, exclude=["edu-weight"]).education


def test_validate_warns_about_a_plan_over_the_cap_and_unused_values(tmp_path):
    from handouts.validate import check_paths

    assert check_paths((), ()).warnings == []  # the shipped programmes fit the default cap
    (tmp_path / "practice.yaml").write_text("daily_minutes_cap: 10\n", encoding="utf-8")
    patient = tmp_path / "patient.yaml"
    patient.write_text(
        "name: Jan\nfoot: left\nreps: 8\npractice: practice.yaml\n", encoding="utf-8"
    )
    problems, _ = validate_paths((patient,), ())
    assert problems == []  # warnings do not fail validate
    warnings = [str(w) for w in check_paths((patient,), ()).warnings]
    assert any("reps 8 not used for heel-raise-towel-step" in w for w in warnings)
    assert any("over the practice's cap of 10 min" in w for w in warnings)
    assert all(w.startswith(str(patient)) for w in warnings)


def test_programmes_command_shows_minutes_a_day():
    from click.testing import CliRunner

    from handouts.cli import app

    result = CliRunner().invoke(app, ["programmes"])
    assert result.exit_code == 0
    combined = result.output.split("\n\n")[0]
    assert "one foot: about 13 min on strength days, 8 on other days" in combined
    assert "stretch-only" in result.output and "about 10 min a day" in result.output


def test_generate_prints_the_plan_warnings(tmp_path):
    from click.testing import CliRunner

    from handouts.cli import app

    args = ["generate", "--name", "Jan", "--foot", "left", "--sets", "2", "-o", str(tmp_path)]
    result = CliRunner().invoke(app, [*args, "--today", "2026-11-30"])
    assert result.exit_code == 0
    assert (
        "warning: " in result.output
        and "sets 2 not used for heel-raise-towel-step" in result.output
    )


def test_red_flags_and_pain_education_follow_the_revised_brief(library):
    from handouts.text import strings

    for language, calf, soreness in (
        ("nl", "kuit ineens dik, warm en pijnlijk", "spierpijn"),
        ("nl-BE", "kuit ineens dik, warm en pijnlijk", "spierpijn"),
        ("en", "calf suddenly becomes swollen, warm and painful", "sore calf"),
    ):
        flags = " ".join(strings(language)["redflags_items"])
        assert calf in flags and soreness in flags.lower()
        assert len(strings(language)["redflags_items"]) == 13
        plan = make_plan(library, language=language)
        assert plan.education[1].id == "edu-prognosis"  # week 1, right after "what is it"
        pain = next(t for t in plan.education if t.id == "edu-pain")
        blob = " ".join((*pain.paragraphs, *pain.points)).lower()
        assert "paracetamol" in blob
        assert ("slaap" in blob and "stress" in blob) or ("sleep" in blob and "worried" in blob)
    assert "stappen" in " ".join(strings("nl-BE")["redflags_items"])


def test_flemish_programme_and_education_texts_use_flemish_words(library):
    """In Flanders "lopen" is running and "makkelijk" reads Dutch: the programme notes,
    education, summaries and red flags say stappen/wandelen and gemakkelijk."""
    from handouts.text import strings

    dutch_only = re.compile(r"\b(makkelijk\w*|lopen|loop|sokken|vloerbedekking)\b", re.IGNORECASE)
    for programme in library.programmes:
        plan = make_plan(library, language="nl-BE", programme=programme)
        texts = [plan.programme_summary, *(p.changes for p in plan.phases)]
        texts += [s.note for e in plan.exercises for s in e.dosage_steps]
        texts += [x for t in plan.education for x in (t.title, *t.paragraphs, *t.points)]
        for found in filter(None, (dutch_only.search(t) for t in texts)):
            raise AssertionError(f"{programme}: {found.group(0)!r}")
    assert not dutch_only.search(" ".join(strings("nl-BE")["redflags_items"]))


def test_handout_with_weeks_and_overrides_quotes_no_other_numbers(library):
    """The printed handout for --weeks 8 and an own heel-raise dosage says 8 weeks and the
    patient's numbers everywhere (read back from the PDF)."""
    plan = make_plan(library, weeks=8, exercises={"heel-raise-towel-step": {"reps": 9}})
    pages = " ".join(pdf_pages(build_handout(plan))).replace("\n", " ")
    assert "Het schema duurt 8 weken" in pages and "Je schema duurt 8 weken" in pages
    assert "Na week 8" in pages and "Zijn 9 keer heel makkelijk?" in pages
    for stale in ("12 weken", "Twaalf weken", "Na week 12", "Zijn 12 keer", "Nu 5 × 8"):
        assert stale not in pages


def test_validate_holds_the_programmes_to_a_given_practice_cap(tmp_path):
    from handouts.validate import check_paths

    practice = tmp_path / "practice.yaml"
    practice.write_text("name: Klein\ndaily_minutes_cap: 12\n", encoding="utf-8")
    warnings = [str(w) for w in check_paths((practice,), ()).warnings]
    assert any(w.startswith("programme 'combined'") and "cap of 12 min" in w for w in warnings)
    assert not any("stretch-only" in w for w in warnings)  # about 10 min a day
