"""One path from a patient to PDFs and files, shared by `generate`, `batch` and the Python
API (handouts.make_pdfs): the library order, the default start date, the plan and its
checks, the PDFs, the file names, the writing. Each is decided here, once.

Nothing is written unless every PDF was built, so bad input never leaves a file behind.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import msgspec

from handouts.deliver import atomic_write, file_stem
from handouts.errors import InputError, Problem
from handouts.library import Library, load_library
from handouts.models import Patient, language_tag, weeks_range
from handouts.patients import (
    PatientInput,
    PracticeInput,
    load_practice,
    patient_model,
    practice_input,
    practice_model,
    practice_path,
)
from handouts.plan import Plan, coming_monday, resolve
from handouts.text import strings

if TYPE_CHECKING:  # reportlab is imported only when a PDF is made
    from handouts.pdf.checklist import ScanSetup

Kind = Literal["handout", "checklist", "education", "pack"]
KINDS: tuple[Kind, ...] = ("handout", "checklist")  # "education": with `education: separate`


def with_booklet(patient: Patient, kinds: tuple[Kind, ...]) -> tuple[Kind, ...]:
    """`education: separate`: the education topics come as their own booklet PDF, beside
    the handout (which then leaves them out)."""
    if patient.education == "separate" and "handout" in kinds and "education" not in kinds:
        return (*kinds, "education")
    return kinds


class Produced(msgspec.Struct, frozen=True):
    plan: Plan
    practice: PracticeInput  # as loaded for this patient (email needs it)
    stem: str  # the start of the file names (name, and the patient number when given)
    files: dict[Kind, Path]
    replaced: tuple[Path, ...] = ()  # files that were there before and were made again


def start_date(patient: Patient, today: dt.date) -> dt.date:
    """The programme's first day: the patient's start, else the coming Monday."""
    return patient.start or coming_monday(today)


def library_dirs(practice: PracticeInput, extra: tuple[Path, ...] = ()) -> tuple[Path, ...]:
    """The library folders in order: the practice's own, then those given (--library); a
    later folder adds to and replaces entries of an earlier one, the shipped library first."""
    own = (practice.library_dir,) if practice.library_dir else ()
    return (*own, *extra)


def file_names(language: str, stem: str, kinds: tuple[Kind, ...] = KINDS) -> dict[Kind, str]:
    """ "anne-peeters_oefenschema.pdf", "anne-peeters_afvinklijst.pdf" (in the language)."""
    names = strings(language)["output_names"]
    return {kind: f"{stem}_{names[kind]}.pdf" for kind in kinds}


def make_plan(
    patient: PatientInput,
    practice: PracticeInput,
    library: Library,
    today: dt.date,
    kinds: tuple[Kind, ...] = KINDS,
    checklist_weeks: tuple[int, int] | None = None,
) -> Plan:
    """The plan, checked for what the PDFs of kinds need (bad input: InputError, each
    field named as the patient file spells it); checklist_weeks: those printed, when not
    the patient's own (the start is held against the first of them)."""
    try:
        plan = resolve(
            patient.patient,
            library,
            practice.practice,
            today=today,
            source=patient.source,
            checklist_weeks=checklist_weeks,
        )
        _check_printable(plan, patient.source)
        if "checklist" in kinds or "pack" in kinds:
            _check_fits(plan, patient.source)
            own = weeks_to_print(patient.patient, None)  # the patient's own range of weeks
            if own is not None:
                check_weeks(plan, own, patient.source, "checklist_weeks")
    except InputError as err:
        raise InputError(patient.named(err.problems)) from None
    if "handout" in kinds and practice.logo_path is not None:
        _check_logo(practice.logo_path)
    return plan


def render(
    plan: Plan,
    practice: PracticeInput,
    kind: Kind,
    booklet: bool = False,
    scan: ScanSetup | None = None,
    weeks: tuple[int, int] | None = None,
) -> bytes:
    """One PDF; booklet True: the education is in its own booklet, not in the handout;
    scan: checklist pages `handouts scan` can read; weeks: only those weeks' checklists."""
    # imported here so that `--help`, `validate` and listing commands skip reportlab
    if kind == "pack":  # --one-pdf: handout, booklet and checklists as one PDF
        kinds: tuple[Kind, ...] = (*KINDS, "education") if booklet else KINDS
        return pack(plan, render_all(plan, practice, kinds, scan, weeks))
    if kind == "education":
        from handouts.pdf.handout import build_education

        return build_education(plan)
    if kind == "handout":
        from handouts.pdf.handout import build_handout
        from handouts.pdf.illustrations import PictureError

        logo = str(practice.logo_path) if practice.logo_path else None
        try:
            return build_handout(plan, logo, with_education=not booklet)
        except PictureError as err:  # the message names the file
            raise InputError.single("picture", "", f"{err}; re-export it as plain SVG") from None
    from handouts.pdf.checklist import TooManyRows, build_checklist

    try:
        checklist = build_checklist(plan, scan=scan)
    except TooManyRows as err:  # make_plan says it first, naming the patient's file
        raise InputError([_too_many(err, "checklist")]) from None
    return only_weeks(plan, checklist, weeks, scan is not None) if weeks else checklist


def render_all(
    plan: Plan,
    practice: PracticeInput,
    kinds: tuple[Kind, ...] = KINDS,
    scan: ScanSetup | None = None,
    weeks: tuple[int, int] | None = None,
) -> dict[Kind, bytes]:
    booklet = "education" in kinds
    return {kind: render(plan, practice, kind, booklet, scan, weeks) for kind in kinds}


def parse_weeks(text: str, source: str = "command line") -> tuple[int, int]:
    """ "1-4" or "3" (a range of checklist weeks); a bad one: InputError."""
    try:
        return weeks_range(text)
    except ValueError as err:
        raise InputError.single(source, "checklist-weeks", str(err)) from None


def weeks_to_print(patient: Patient, given: tuple[int, int] | None) -> tuple[int, int] | None:
    """The weeks to print: the command line's, else the patient's own (a roster column)."""
    if given is not None or patient.checklist_weeks is None:
        return given
    return weeks_range(patient.checklist_weeks)  # valid: the model checked it


def only_weeks(plan: Plan, checklist: bytes, weeks: tuple[int, int], scan: bool = False) -> bytes:
    """The checklist's pages of those weeks (a page a week, in large print sometimes two),
    for handing out a few weeks at a time; scan: the checklist is scan-ready."""
    from handouts.pdf import views
    from handouts.pdf.checklist import week_page_counts
    from handouts.printfile import select

    check_weeks(plan, weeks)
    first, last = weeks
    counts = week_page_counts(views.checklist(plan), scan)
    words = strings(plan.variant)
    title = f"{words['checklist_title']} – {words['title']}"  # as the whole checklist's
    meta = (title, plan.practice.name or "", language_tag(plan.language))
    first_page, last_page = sum(counts[: first - 1]) + 1, sum(counts[:last])
    return select(checklist, first_page, last_page, (*meta, pdf_date(plan.today)))


def check_weeks(
    plan: Plan, weeks: tuple[int, int], source: str = "command line", field: str = "checklist-weeks"
) -> None:
    """The checklist weeks to print lie within the plan's weeks (else: InputError)."""
    first, last = weeks
    total = len(plan.weeks)
    if last > total:
        raise InputError.single(
            source,
            field,
            f"{first}-{last} goes past the plan's {total} weeks; give weeks within 1-{total}",
        )


def pdf_date(day: dt.date) -> str:
    """A PDF date for the plan's day (D:YYYYMMDDHHmmSSZ): the files' creation date."""
    return f"D:{day:%Y%m%d}000000Z"


def pack(plan: Plan, documents: dict[Kind, bytes]) -> bytes:
    """A patient's PDFs as one: handout, booklet, checklists; the practice as author, the
    plan's day as date, nothing about the patient in the metadata. In large print, where a
    week's checklist may take both sides of a sheet, each part starts on a front side."""
    from handouts.printfile import join

    order: tuple[Kind, ...] = ("handout", "education", "checklist")
    words = strings(plan.variant)
    return join(
        [documents[kind] for kind in order if kind in documents],
        title=str(words["title"]),
        author=plan.practice.name or "",
        lang=language_tag(plan.language),
        day=pdf_date(plan.today),
        duplex=plan.large_print,
    )


def write(
    documents: dict[Kind, bytes], out_dir: Path, names: dict[Kind, str], sync: bool = True
) -> dict[Kind, Path]:
    """Each file via a temporary file and a rename (deliver.py)."""
    paths = {kind: out_dir / names[kind] for kind in documents}
    for kind, data in documents.items():
        atomic_write(paths[kind], data, sync)
    return paths


def produce(
    patient: PatientInput,
    practice_file: Path | None,
    extra_libraries: tuple[Path, ...],
    out_dir: Path,
    *,
    today: dt.date,
    kinds: tuple[Kind, ...] = KINDS,
    scan_ready: bool = False,
    fillable: bool = False,
    one_pdf: bool = False,
    checklist_weeks: tuple[int, int] | None = None,
) -> Produced:
    """`handouts generate`: one patient's PDFs into out_dir, named after the patient; with
    one_pdf, all of them as one PDF (kind "pack").

    scan_ready: checklist pages `handouts scan` can read; their ids and geometry are saved in
    out_dir/.scan (keyed on that folder's secret, so opt-in: the QR codes differ per folder)."""
    practice = load_practice(practice_path(patient, practice_file))
    library = load_library(library_dirs(practice, extra_libraries))
    kinds = with_booklet(patient.patient, kinds)
    plan = make_plan(patient, practice, library, today, kinds, checklist_weeks)
    if checklist_weeks is not None:  # the option: else the patient's own (make_plan checks it)
        check_weeks(plan, checklist_weeks)
    checklist_weeks = weeks_to_print(patient.patient, checklist_weeks)
    stem = file_stem(plan.patient_name, patient.patient_id)
    scan = _scan_setup(out_dir, stem, fillable) if scan_ready and "checklist" in kinds else None
    documents = render_all(plan, practice, kinds, scan, checklist_weeks)
    if one_pdf:
        documents = {"pack": pack(plan, documents)}
    names = file_names(plan.language, stem, tuple(documents))
    replaced = tuple(out_dir / name for name in names.values() if (out_dir / name).exists())
    files = write(documents, out_dir, names)
    if scan is not None:
        save_scan_pages(plan, scan, out_dir)
    return Produced(plan, practice, stem, files, replaced)


def _scan_setup(out_dir: Path, pack_id: str, fillable: bool) -> ScanSetup:
    from handouts.pdf.checklist import ScanSetup
    from handouts.scan.geometry import Registry

    out_dir.mkdir(parents=True, exist_ok=True)
    return ScanSetup(Registry(out_dir).secret(), pack_id, fillable)


def save_scan_pages(plan: Plan, scan: ScanSetup, out_dir: Path) -> None:
    """After the checklist is written: what `handouts scan` needs to read its pages."""
    from handouts.pdf.checklist import scan_records
    from handouts.scan.geometry import Registry

    registry = Registry(out_dir)
    for record in scan_records(plan, scan):
        registry.save(record)


# --- the Python API: handouts.make_pdfs ----------------------------------------------------


Source = str | Path | Mapping[str, Any]


def make_pdfs(
    patient: Source,
    practice: Source | None = None,
    *,
    today: dt.date | None = None,
    library: str | Path | Library | None = None,
) -> dict[str, bytes]:
    """See handouts.make_pdfs."""
    patient_input = _patient(patient)
    if practice is None or isinstance(practice, (str, Path)):
        given = Path(practice) if practice is not None else None
        practice_input = load_practice(practice_path(patient_input, given))
    else:
        practice_input = _practice(practice)
    if not isinstance(library, Library):
        extra = (Path(library),) if library is not None else ()
        library = load_library(library_dirs(practice_input, extra))
    kinds = with_booklet(patient_input.patient, KINDS)
    plan = make_plan(patient_input, practice_input, library, today or dt.date.today(), kinds)
    weeks = weeks_to_print(patient_input.patient, None)  # checked by make_plan
    documents = render_all(plan, practice_input, kinds, weeks=weeks)
    return {str(kind): data for kind, data in documents.items()}


def _patient(patient: Source) -> PatientInput:
    if isinstance(patient, (str, Path)):
        from handouts.patients import load_patient

        return load_patient(Path(patient), {})
    return PatientInput(patient_model(dict(patient), "patient"), "patient", Path.cwd())


def _practice(fields: Mapping[str, Any]) -> PracticeInput:
    """A practice from its fields; a logo or library folder relative to the working folder."""
    return practice_input(practice_model(dict(fields), "practice"), Path.cwd(), "practice")


# --- checks before any PDF ---------------------------------------------------------------


def _check_printable(plan: Plan, source: str) -> None:
    """A character the font cannot draw would print as a box: refuse it up front."""
    from handouts.pdf.fonts import unprintable

    problems = []
    for field_name, value in (("name", plan.patient_name), ("notes", plan.notes)):
        missing = unprintable(value)
        if missing:
            problems.append(Problem(source, field_name, unprintable_message(missing)))
    if problems:
        raise InputError(problems)


# signs a therapist types in a note, and the words that say the same on paper
_IN_WORDS = {"≤": "at most", "≥": "at least", "≠": "not", "±": "about", "→": "then"}


def unprintable_message(missing: str) -> str:
    """What was refused, named: "contains '≤', which the handout's font cannot print; write
    it in words (at most) or leave it out". Letters of another script: write them in Latin
    letters; signs and emoji: in words."""
    shown = ", ".join(repr(c) if c.isprintable() else f"U+{ord(c):04X}" for c in missing)
    it = "it" if len(missing) == 1 else "them"
    what = f"contains {shown}, which the handout's font cannot print"
    if all(unicodedata.category(c).startswith("L") for c in missing):
        return f"{what}; write {it} in Latin letters"
    words = [f"{c} {_IN_WORDS[c]}" for c in missing if c in _IN_WORDS]
    hint = f" ({', '.join(words)})" if words else ""
    return f"{what}; write {it} in words{hint} or leave {it} out"


def _check_fits(plan: Plan, source: str) -> None:
    """Every week's checklist fits one page (the type shrinks a little, then no more; large
    print keeps its size and takes more pages)."""
    from handouts.pdf import views
    from handouts.pdf.checklist import TooManyRows, week_pages

    view = views.checklist(plan)
    for number, week in enumerate(view.weeks, start=1):
        try:
            week_pages(number, week, view)
        except TooManyRows as err:
            raise InputError([_too_many(err, source)]) from None


def _check_logo(path: Path) -> None:
    """A logo that is not a readable PNG or JPEG is the practice's input to fix."""
    from reportlab.lib.utils import ImageReader

    try:
        ImageReader(str(path)).getSize()
    except Exception as err:  # PIL and reportlab raise many kinds for a broken image
        message = f"cannot be read as an image ({type(err).__name__}); save it again as PNG"
        raise InputError.single(str(path), "logo", message) from None


def _too_many(err: Any, source: str) -> Problem:
    return Problem(
        source,
        "exclude",
        f"week {err.week} has {err.rows} exercises, too many for one checklist page; "
        "leave some out with exclude (or remove some from include)",
    )
