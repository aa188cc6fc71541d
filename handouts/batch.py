"""`handouts batch`: a whole caseload from one roster, in parallel, honest about failures.

- The roster is read and every row checked here (roster.py); each good row becomes a Job.
- Jobs run here and in worker processes (--jobs, default the CPU count, counts this process).
  A worker registers the fonts and gets the parsed library once (see _START_METHOD), then
  makes rows. A failing row never stops the others, and every row's outcome, in roster
  order, goes to out/batch-report.json.
- PDFs are written atomically. Then a small state file (out/.batch-state/<stem>.json) records
  the fingerprint of what each was made from. On the next run a file is up to date, and
  skipped, when it still exists with its recorded size and its fingerprint is unchanged.
  --force makes everything again.
- A file's fingerprint hashes: the row as validated (so "links" and "left", or 07-12-2026 and
  2026-12-07, are the same), its start date (the coming Monday when the row has none), the kind
  of file, the practice profile and logo, the library folders, and the tool itself (its code,
  texts and fonts, and reportlab's version). Not today's date: a handout made yesterday is not
  remade only to change its "made on" line.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import multiprocessing
import os
import re
import signal
import sys
import threading
from collections import Counter, deque
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import msgspec
from msgspec.structs import replace

from handouts import words
from handouts.deliver import atomic_write, slug
from handouts.errors import HandoutsError, InputError, OutputError, Problem, clean
from handouts.library import Library, library_files, load_library
from handouts.models import Patient, language_tag
from handouts.patients import PatientInput, PracticeInput, load_practice
from handouts.produce import (
    KINDS,
    Kind,
    check_weeks,
    file_names,
    library_dirs,
    make_plan,
    pdf_date,
    render,
    save_scan_pages,
    start_date,
    weeks_to_print,
    with_booklet,
    write,
)
from handouts.roster import RosterRow, read_roster
from handouts.scan.geometry import Registry
from handouts.text import strings

if TYPE_CHECKING:  # reportlab only where PDFs are made
    from handouts.pdf.checklist import ScanSetup

REPORT_NAME = "batch-report.json"
STATE_DIR = ".batch-state"
Status = Literal["ok", "skipped", "failed", "not-done"]
Progress = Callable[[int, int], None]  # rows done, rows in the roster


class Settings(msgspec.Struct, frozen=True):
    roster: Path
    out_dir: Path
    today: dt.date
    jobs: int = 1
    kinds: tuple[Kind, ...] = KINDS
    force: bool = False
    print_file: Path | None = None
    practice_file: Path | None = None  # wins over each row's practice column
    library_dirs: tuple[Path, ...] = ()
    sheet: str | None = None  # an .xlsx roster's sheet (default: the first)
    scan_ready: bool = False  # checklists `handouts scan` reads (ids in out_dir/.scan)
    fillable: bool = False  # and with form fields
    checklist_weeks: tuple[int, int] | None = None  # only these weeks' checklists (1-4)


class Outcome(msgspec.Struct, frozen=True):
    row: int
    source: str
    patient_id: str
    stem: str
    status: Status
    files: tuple[str, ...] = ()  # the row's PDFs in the output folder, made or up to date
    problems: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()  # allowed but worth a look (the plan's warnings)


class Result(msgspec.Struct, frozen=True):
    outcomes: list[Outcome]
    report: Path
    print_file: Path | None = None
    print_pages: int = 0
    notices: tuple[str, ...] = ()  # about the roster as a whole (columns left out)
    warnings: tuple[Problem, ...] = ()  # about the practice files as read (a value cut at #)

    def count(self, status: Status) -> int:
        return sum(o.status == status for o in self.outcomes)


class Job(msgspec.Struct, frozen=True):
    """One row to make: everything a worker needs (it is pickled to the worker)."""

    done: Outcome  # the outcome when it works
    patient: Patient
    practice: PracticeInput
    library_dirs: tuple[Path, ...]
    today: dt.date
    folder: Path  # the roster's folder
    out_dir: Path
    make: tuple[tuple[Kind, str, str], ...]  # kind, file name, fingerprint
    scan: ScanSetup | None = None
    checklist_weeks: tuple[int, int] | None = None
    typed: Mapping[str, str] = msgspec.field(default_factory=dict)  # field -> the roster's header
    spreadsheet: bool = False  # a table row (RosterRow.spreadsheet)


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the CPUs this process may use
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def run(settings: Settings, progress: Progress | None = None) -> Result:
    """Make every row's files. The report is written also when the run is interrupted."""
    rows = read_roster(settings.roster, settings.sheet)  # a bad roster file stops here (exit 2)
    prepared = _Preparation(settings, rows)
    _prepare_folder(settings.out_dir)
    outcomes: list[Outcome | None] = [None] * len(rows)
    jobs: list[tuple[int, Job]] = []
    for index, row in enumerate(rows):
        item = prepared.job_or_outcome(row, prepared.stems[index])
        if isinstance(item, Job):
            jobs.append((index, item))
        else:
            outcomes[index] = item

    done = len(rows) - len(jobs)  # failed and up-to-date rows are done already

    def tick() -> None:
        if progress is not None:
            progress(done, len(rows))

    print_file, pages = None, 0
    try:
        tick()
        with _sigterm_as_interrupt(), contextlib.closing(_execute(jobs, settings)) as results:
            for index, outcome in results:
                outcomes[index] = outcome
                done += 1
                tick()
        if settings.print_file is not None:
            from handouts.printfile import concatenate_parts  # pypdf only when asked for

            made = [
                (o, row)
                for o, row in zip(outcomes, rows, strict=True)
                if o is not None and o.status in ("ok", "skipped")
            ]
            # one part per patient: padded so that each starts on a front side (duplex)
            parts = [[settings.out_dir / name for name in o.files] for o, _ in made]
            meta = prepared.print_meta([row for _, row in made])
            pages = concatenate_parts(parts, settings.print_file, meta=meta)
            print_file = settings.print_file
    finally:
        job_of = dict(jobs)
        final = [
            outcome or _after_stop(row, stem, job_of.get(index))
            for index, (outcome, row, stem) in enumerate(
                zip(outcomes, rows, prepared.stems, strict=True)
            )
        ]
        report = _write_report(settings, final, print_file)
    return Result(final, report, print_file, pages, rows.notices, prepared.practice_warnings())


def _after_stop(row: RosterRow, stem: str, job: Job | None) -> Outcome:
    """A row without an outcome when the run stopped: made, if a worker finished writing its
    files while the run was stopping (its state file says so), else not done."""
    if job is not None:
        state = _read_state(job.out_dir, stem)
        if all(_up_to_date(state, job.out_dir, kind, name, fp) for kind, name, fp in job.make):
            return job.done
    return Outcome(row.number, row.source, row.patient_id, stem, "not-done")


# --- before any PDF: names, practices, libraries, what is up to date ---------------------------


def assign_stems(rows: Iterable[RosterRow]) -> list[str]:
    """A file-name stem per row from its name (and id): safe characters only, unique in
    roster order (a second "Jan Peeters" gets jan-peeters-2). Rows with problems keep theirs
    too, so that fixing one row does not rename another row's files."""
    used: set[str] = set()
    last: dict[str, int] = {}  # the last number given to a base: linear in the rows, not n²
    stems = []
    for row in rows:
        base = slug(row.name) if row.name else f"row-{row.number}"
        patient_id = slug(row.patient_id, fallback="")
        if patient_id:
            base = f"{base}-{patient_id}"
        stem, n = base, last.get(base, 1)
        while stem in used:
            n += 1
            stem = f"{base}-{n}"
        last[base] = n
        used.add(stem)
        stems.append(stem)
    return stems


class _Preparation:
    """What rows share, loaded and checked once: practices, libraries, fingerprints."""

    def __init__(self, settings: Settings, rows: list[RosterRow]) -> None:
        self.settings = settings
        self.stems = assign_stems(rows)
        self._practices: dict[Path | None, PracticeInput | InputError] = {}
        self._libraries: dict[tuple[Path, ...], str | InputError] = {}
        self._secret: bytes | None = None
        # problems with the command's own options stop the batch before it starts (exit 2)
        for item in (
            self._practice(settings.practice_file),
            self._library(settings.library_dirs),
        ):
            if isinstance(item, InputError):
                raise item

    def practice_warnings(self) -> tuple[Problem, ...]:
        found = (p.warnings for p in self._practices.values() if isinstance(p, PracticeInput))
        return tuple(dict.fromkeys(w for warnings in found for w in warnings))

    def job_or_outcome(self, row: RosterRow, stem: str) -> Job | Outcome:
        failed = Outcome(row.number, row.source, row.patient_id, stem, "failed", (), row.problems)
        if row.patient is None:
            return failed
        practice_file = self.settings.practice_file
        if practice_file is None and row.patient.practice:
            practice_file = self.settings.roster.parent / row.patient.practice
        practice = self._practice(practice_file)
        practice_column = words.as_typed("practice", row.typed)
        if isinstance(practice, InputError):
            return _failed_through(failed, practice_column, practice)
        libraries = library_dirs(practice, self.settings.library_dirs)
        library = self._library(libraries)
        if isinstance(library, InputError):
            return _failed_through(failed, practice_column, library)

        patient = row.patient.with_practice(practice.practice)  # its language, je or u
        out_dir = self.settings.out_dir
        kinds = with_booklet(patient, self.settings.kinds)  # education: separate
        files = list(file_names(patient.lang, stem, kinds).items())
        state = _read_state(out_dir, stem)
        make = []
        for kind, name in files:
            fingerprint = _fingerprint(
                patient,
                kind,
                practice,
                library,
                self.settings.today,
                self._scan_mode(kind),
                self._weeks(kind),
            )
            if self.settings.force or not _up_to_date(state, out_dir, kind, name, fingerprint):
                make.append((kind, name, fingerprint))
        done = Outcome(
            row.number,
            row.source,
            row.patient_id,
            stem,
            "ok",
            tuple(n for _, n in files),
            warnings=row.warnings,  # the row as read; the plan's follow when it is made
        )
        if not make:
            return replace(done, status="skipped")
        folder = self.settings.roster.parent
        today = self.settings.today
        scan = self._scan_setup(stem)
        make_ = tuple(make)
        weeks = weeks_to_print(patient, self.settings.checklist_weeks)
        return Job(
            done,
            patient,
            practice,
            libraries,
            today,
            folder,
            out_dir,
            make_,
            scan,
            weeks,
            row.typed,
            row.spreadsheet,
        )

    def print_meta(self, rows: list[RosterRow]) -> tuple[str, str, str, str]:
        """The print file's title, author, language and date: its rows' practice when they
        share one (else none), their most common language, the batch's day."""
        patients = [row.patient for row in rows if row.patient is not None]
        languages: Counter[str] = Counter()
        authors = set()
        for patient in patients:
            practice_file = self.settings.practice_file
            if practice_file is None and patient.practice:
                practice_file = self.settings.roster.parent / patient.practice
            practice = self._practice(practice_file)
            if isinstance(practice, PracticeInput):
                patient = patient.with_practice(practice.practice)
            authors.add(practice.practice.name if isinstance(practice, PracticeInput) else "")
            languages[patient.lang] += 1
        language = languages.most_common(1)[0][0] if languages else "nl"
        author = authors.pop() if len(authors) == 1 else ""
        title = str(strings(language)["title"])
        return title, author, language_tag(language), pdf_date(self.settings.today)

    def _scan_mode(self, kind: Kind) -> str:
        if kind not in ("checklist", "pack") or not self.settings.scan_ready:
            return ""
        return "fillable" if self.settings.fillable else "scan-ready"

    def _weeks(self, kind: Kind) -> str:
        weeks = self.settings.checklist_weeks
        if kind not in ("checklist", "pack") or weeks is None:
            return ""
        return f"{weeks[0]}-{weeks[1]}"

    def _scan_setup(self, stem: str) -> ScanSetup | None:
        if not self.settings.scan_ready or "checklist" not in self.settings.kinds:
            return None
        from handouts.pdf.checklist import ScanSetup

        if self._secret is None:  # read (or made) once, before the workers start
            self.settings.out_dir.mkdir(parents=True, exist_ok=True)
            self._secret = Registry(self.settings.out_dir).secret()
        return ScanSetup(self._secret, stem, self.settings.fillable)

    def _practice(self, path: Path | None) -> PracticeInput | InputError:
        if path not in self._practices:
            try:
                self._practices[path] = load_practice(path)
            except InputError as err:
                self._practices[path] = err
        return self._practices[path]

    def _library(self, dirs: tuple[Path, ...]) -> str | InputError:
        """The library's fingerprint, once it is known to load (problems are named once)."""
        if dirs not in self._libraries:
            try:
                _library(dirs)  # kept: forked workers inherit it instead of parsing it again
                self._libraries[dirs] = _hash_files((_tool_folder(), *dirs))
            except InputError as err:
                self._libraries[dirs] = err
        return self._libraries[dirs]


def _failed_through(failed: Outcome, field: str, err: InputError) -> Outcome:
    """A row that fails because of a file it names: say which row, then the file's problem."""
    return replace(
        failed, problems=tuple(Problem(failed.source, field, str(p)) for p in err.problems)
    )


def _fingerprint(
    patient: Patient,
    kind: Kind,
    practice: PracticeInput,
    library: str,
    today: dt.date,
    scan: str = "",
    weeks: str = "",
) -> str:
    facts = {
        "patient": msgspec.to_builtins(patient),
        "start": start_date(patient, today).isoformat(),
        "kind": kind,
        "practice": msgspec.to_builtins(practice.practice),
        "logo": _file_hash(practice.logo_path) if practice.logo_path else "",
        "library and tool": library,
        **({"scan": scan} if scan else {}),  # unchanged fingerprints without scan pages
        **({"weeks": weeks} if weeks else {}),  # and without --checklist-weeks
    }
    return hashlib.sha256(json.dumps(facts, sort_keys=True).encode()).hexdigest()


@cache
def _file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@cache
def _tool_folder() -> Path:
    return Path(__file__).resolve().parent


@cache
def _hash_files(folders: tuple[Path, ...]) -> str:
    """The tool's own folder whole; of a practice library only its own files (library_files:
    bounded in count and size), never whatever else the folder holds."""
    digest = hashlib.sha256(version("reportlab").encode())
    for folder in folders:
        tool = folder == _tool_folder()
        for path in sorted(folder.rglob("*")) if tool else library_files(folder):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(folder)).encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _state_path(out_dir: Path, stem: str) -> Path:
    return out_dir / STATE_DIR / f"{stem}.json"


def _read_state(out_dir: Path, stem: str) -> dict[str, Any]:
    try:
        state = json.loads(_state_path(out_dir, stem).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def _up_to_date(state: dict[str, Any], out_dir: Path, kind: str, name: str, fp: str) -> bool:
    made = state.get(kind)
    if not isinstance(made, dict) or made.get("file") != name or made.get("fingerprint") != fp:
        return False
    try:
        return (out_dir / name).stat().st_size == made.get("size")
    except OSError:
        return False


# temporary files of atomic writes: ".<name>.<random>.part"
_LEFTOVER = re.compile(r"^\..+\.[a-z0-9_]+\.part$")


def _prepare_folder(out_dir: Path) -> None:
    """Make the folder, and clear temporary files a killed run may have left behind."""
    try:
        (out_dir / STATE_DIR).mkdir(parents=True, exist_ok=True)
        for folder in (out_dir, out_dir / STATE_DIR):
            for path in folder.iterdir():
                if _LEFTOVER.match(path.name) and path.is_file():
                    path.unlink()
    except OSError as err:
        raise OutputError(f"{out_dir}: cannot use this folder ({err.strerror})") from None


# --- making the files: in worker processes, or here ---------------------------------------------


def _execute(
    jobs: list[tuple[int, Job]], settings: Settings
) -> Generator[tuple[int, Outcome], None, None]:
    """Outcomes as rows finish. This process makes rows too: --jobs N is this process and
    N-1 workers, one process fewer in memory. The workers take rows from the front of the
    roster, this process from the back, until none are left.

    Workers ignore Ctrl-C: on an interrupt this process stops handing out rows and waits
    for the rows in progress, whose files are then complete. (A row this process was making
    is abandoned; its atomic writes leave no partial file.)"""
    if not jobs:
        return
    start_worker(settings.library_dirs, in_process=True)
    workers = min(settings.jobs, len(jobs)) - 1
    if workers < 1:
        for index, job in jobs:
            yield index, make_row(job)
        return
    waiting = deque(jobs)
    # this process makes its first row before the workers are forked: they start with what
    # it drew (pictures, font subsets, paragraphs and cards of that language) in memory
    index, job = waiting.pop()
    yield index, make_row(job)
    context = multiprocessing.get_context(_START_METHOD)
    running: dict[Future[Outcome], int] = {}
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=start_worker, initargs=(settings.library_dirs,)
    ) as pool:
        try:
            while waiting or running:
                # enough rows queued that a worker never waits while this process makes one
                while waiting and len(running) < 2 * workers + 1:
                    index, job = waiting.popleft()
                    running[pool.submit(make_row, job)] = index
                if waiting:
                    index, job = waiting.pop()
                    yield index, make_row(job)
                    finished = [future for future in running if future.done()]
                else:
                    finished = list(wait(running, return_when=FIRST_COMPLETED).done)
                for future in finished:
                    yield running.pop(future), future.result()
        except BrokenProcessPool:
            raise OutputError(
                "a worker process stopped unexpectedly (killed, or out of memory); "
                "run the same command again to make what is missing"
            ) from None
        finally:
            for future in running:
                future.cancel()


# On Linux, fork: workers start in milliseconds with the library already parsed, share
# unchanged memory with this process, and need no extra resource-tracker process. No thread
# runs here when the pool forks (Python 3.11 forks all workers up front). Elsewhere, spawn
# (Windows has no fork; on macOS system libraries make fork unsafe, and Python's default is
# spawn there): each worker imports and parses the library once, in start_worker.
_START_METHOD = "fork" if sys.platform.startswith("linux") else "spawn"
_LIBRARIES: dict[tuple[Path, ...], Library] = {}


def start_worker(library_dirs: tuple[Path, ...], in_process: bool = False) -> None:
    """Once per worker: fonts registered, reportlab imported, the library parsed."""
    if not in_process:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the main process
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the main process's handler
    from handouts.pdf import checklist, fonts, handout  # noqa: F401  (imported once, here)

    fonts.register()
    _library(library_dirs)


def _library(dirs: tuple[Path, ...]) -> Library:
    if dirs not in _LIBRARIES:
        _LIBRARIES[dirs] = load_library(dirs)
    return _LIBRARIES[dirs]


def make_row(job: Job) -> Outcome:
    """Plan, render and write one row's files. Any failure stays with this row."""
    source = job.done.source
    try:
        patient = PatientInput(
            job.patient, source, job.folder, typed=job.typed, spreadsheet=job.spreadsheet
        )
        kinds = tuple(kind for kind, _, _ in job.make)
        library = _library(job.library_dirs)
        plan = make_plan(patient, job.practice, library, job.today, kinds, job.checklist_weeks)
        scan = job.scan if {"checklist", "pack"} & set(kinds) else None
        booklet = job.patient.education == "separate"  # also when only the handout is remade
        weeks = job.checklist_weeks if {"checklist", "pack"} & set(kinds) else None
        if weeks is not None:
            check_weeks(plan, weeks, source)  # past this row's plan: the row fails, named
        documents = {kind: render(plan, job.practice, kind, booklet, scan, weeks) for kind in kinds}
        names = {kind: name for kind, name, _ in job.make}
        write(documents, job.out_dir, names, sync=False)  # see deliver.py
        if scan is not None:
            save_scan_pages(plan, scan, job.out_dir)
        _save_state(job, documents)
        warnings = tuple(patient.warned(warning) for warning in plan.warnings)
    except InputError as err:
        return replace(job.done, status="failed", files=(), problems=tuple(err.problems))
    except HandoutsError as err:
        return replace(
            job.done, status="failed", files=(), problems=(Problem(source, "", str(err)),)
        )
    except Exception as err:  # a bug: this row fails, the others go on
        problem = Problem(
            source, "", f"internal error ({type(err).__name__}: {err}); please report it"
        )
        return replace(job.done, status="failed", files=(), problems=(problem,))
    return replace(job.done, warnings=job.done.warnings + warnings)


def _save_state(job: Job, documents: dict[Kind, bytes]) -> None:
    state = _read_state(job.out_dir, job.done.stem)
    for kind, name, fingerprint in job.make:
        state[kind] = {"file": name, "fingerprint": fingerprint, "size": len(documents[kind])}
    text = json.dumps(state, indent=1, sort_keys=True)
    atomic_write(_state_path(job.out_dir, job.done.stem), text.encode(), sync=False)


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """`kill` stops the batch like Ctrl-C: rows in progress finish, the report is written."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


# --- the report ---------------------------------------------------------------------------------


def _write_report(settings: Settings, outcomes: list[Outcome], print_file: Path | None) -> Path:
    summary: dict[str, int] = {"rows": len(outcomes)}
    summary |= {status: sum(o.status == status for o in outcomes) for status in _STATUSES}
    report: dict[str, Any] = {
        "roster": str(settings.roster),
        "out": str(settings.out_dir),
        "today": settings.today.isoformat(),
        "summary": summary,
        "print_file": str(print_file) if print_file else None,
        "checklist_weeks": _weeks_text(settings.checklist_weeks),
        "rows": [
            {
                "row": o.row,
                "id": clean(o.patient_id),  # a roster's text: escaped, as in messages
                "slug": o.stem,
                "status": o.status,
                "files": list(o.files),
                "problems": [
                    {"source": p.source, "field": p.field, "message": p.message} for p in o.problems
                ],
                "warnings": [
                    {"source": p.source, "field": p.field, "message": p.message} for p in o.warnings
                ],
            }
            for o in outcomes
        ],
    }
    path = settings.out_dir / REPORT_NAME
    atomic_write(path, (json.dumps(report, indent=2, ensure_ascii=False) + "\n").encode())
    return path


def _weeks_text(weeks: tuple[int, int] | None) -> str | None:
    return f"{weeks[0]}-{weeks[1]}" if weeks else None


_STATUSES: tuple[Status, ...] = ("ok", "skipped", "failed", "not-done")
