"""Turn the files a practice hands `handouts scan` into page results.

- A PDF with our form fields (a checklist filled in on a screen) is read from its fields with
  pypdf; an encrypted one is opened with the passwords of the email step (out/passwords.csv).
- Any other PDF (a scanner's image-only pages) is rasterised; PNG and JPEG photos decoded.
  Every page image goes through read.read_page, in any orientation and order.
Each problem (an unreadable file, a page without QR code, an unknown page id) becomes one
line naming the file and page, and the run carries on.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import cv2
import msgspec
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from handouts.scan.geometry import Registry
from handouts.scan.raster import (
    MAX_FILE_BYTES,
    MAX_PAGES,
    RasterError,
    decode_image,
    rasterise_pdf,
)
from handouts.scan.read import SCALE, Image, PageReading, read_page
from handouts.scan.results import PageResult, ReviewItem

FIELD = re.compile(r"^(HB:[0-9A-Z]{10})_(\d+)$")  # scanmarks.field_name: <page id>_<box index>
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg"}
MAX_PASSWORDS = 10_000


class Outcome(msgspec.Struct):
    result: PageResult | None
    source: str
    problem: str = ""
    reading: PageReading | None = None  # for the review picture


def read_passwords(path: Path) -> list[str]:
    """The passwords column of out/passwords.csv (header names 'password' or 'wachtwoord')."""
    if not path.is_file():
        return []
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:2048], ",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = csv.DictReader(io.StringIO(text), dialect=dialect)
    column = next(
        (n for n in rows.fieldnames or [] if n.strip().lower() in {"password", "wachtwoord"}),
        None,
    )
    if column is None:
        return []
    found = []
    for number, row in enumerate(rows):
        if number >= MAX_PASSWORDS:
            break
        value = (row.get(column) or "").strip()
        if value:
            found.append(value)
    return found


def scan_files(paths: list[Path], registry: Registry, passwords: list[str]) -> Iterator[Outcome]:
    for path in paths:
        try:
            size = path.stat().st_size
        except OSError as err:
            yield Outcome(None, str(path), f"cannot be read ({err.strerror})")
            continue
        if size > MAX_FILE_BYTES:
            yield Outcome(None, str(path), f"larger than {MAX_FILE_BYTES // 2**20} MB; split it")
            continue
        suffix = path.suffix.lower()
        if suffix == ".pdf":
            yield from _scan_pdf(path, registry, passwords)
        elif suffix in IMAGE_SUFFIXES:
            try:
                image = decode_image(path.read_bytes())
            except RasterError as err:
                yield Outcome(None, str(path), str(err))
                continue
            yield _from_image(image, str(path), registry)
        else:
            yield Outcome(None, str(path), "not a PDF, PNG or JPEG file")


def _from_image(image: Image, source: str, registry: Registry) -> Outcome:
    reading = read_page(image, source, registry)
    if reading.problem:
        return Outcome(None, source, reading.problem)
    states: list[str] = [box.state for box in reading.boxes]
    result = PageResult(reading.page_id, source, states, ["scan"] * len(states))
    return Outcome(result, source, reading=reading)


def _scan_pdf(path: Path, registry: Registry, passwords: list[str]) -> Iterator[Outcome]:
    data = path.read_bytes()
    source = str(path)
    password: str | None = None
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            password = _unlock(reader, passwords)
            if password is None:
                yield Outcome(
                    None,
                    source,
                    "encrypted, and no password in out/passwords.csv opens it "
                    "(give the folder with --state, or save it unencrypted)",
                )
                return
        fields = reader.get_fields() or {}
    except (PdfReadError, ValueError, OSError) as err:
        yield Outcome(None, source, f"not a readable PDF ({err})")
        return
    ours = {name: f for name, f in fields.items() if FIELD.match(name.split(".")[-1])}
    if ours:
        yield from _from_fields(ours, source, registry)
        return
    count = min(len(reader.pages), MAX_PAGES)
    if len(reader.pages) > MAX_PAGES:
        yield Outcome(None, source, f"has more than {MAX_PAGES} pages; only the first are read")
    for index in range(count):
        page_source = f"{source} page {index + 1}"
        try:
            image = rasterise_pdf(data, pages=[index], password=password)[0]
        except RasterError as err:
            yield Outcome(None, page_source, str(err))
            continue
        yield _from_image(image, page_source, registry)


def _unlock(reader: PdfReader, passwords: list[str]) -> str | None:
    for password in ["", *passwords]:
        try:
            if reader.decrypt(password):
                return password
        except (PdfReadError, ValueError, NotImplementedError):
            return None
    return None


def _from_fields(fields: dict[str, object], source: str, registry: Registry) -> Iterator[Outcome]:
    """Form values by page id: check boxes on when their value is not Off; a radio group's value
    is the score chosen for that day. A page with nothing filled in is left out (a week not
    reached yet is not a week of zero sessions)."""
    values: dict[str, dict[int, str]] = {}
    for name, spec in fields.items():
        match = FIELD.match(name.split(".")[-1])
        assert match is not None
        value = spec.get("/V") if isinstance(spec, dict) else None
        values.setdefault(match.group(1), {})[int(match.group(2))] = str(value or "")
    read = 0
    for page_id, by_index in sorted(values.items()):
        page_source = f"{source} ({page_id})"
        record = registry.load(page_id)
        if record is None:
            yield Outcome(None, page_source, f"unknown page id {page_id}; give --state")
            continue
        boxes = record.geometry.boxes
        states = ["empty"] * len(boxes)
        filled = False
        groups: dict[str, int] = {}
        for index, box in enumerate(boxes):
            if box.kind == "session":
                on = _on(by_index.get(index, ""))
            else:
                group = groups.setdefault(box.pain_group(), index)
                chosen = by_index.get(group, "").lstrip("/")
                on = chosen == str(box.score)
            states[index] = "ticked" if on else "empty"
            filled = filled or on
        if not filled:
            continue
        read += 1
        yield Outcome(PageResult(page_id, page_source, states, ["form"] * len(states)), source)
    if not read:
        yield Outcome(None, source, "a fillable checklist with nothing filled in")


def _on(value: str) -> bool:
    return value.lstrip("/") not in {"", "Off", "None"}


# --- review pictures ------------------------------------------------------------------------


def review_picture(reading: PageReading, items: list[ReviewItem], path: Path) -> None:
    """The straightened page with the boxes to settle circled in red and numbered."""
    assert reading.page_image is not None and reading.record is not None
    g = reading.record.geometry
    zoom = 1.5  # px per pt: 108 dpi, readable and small
    page = cv2.resize(
        reading.page_image, None, fx=zoom / SCALE, fy=zoom / SCALE, interpolation=cv2.INTER_AREA
    )
    colour = cv2.cvtColor(page, cv2.COLOR_GRAY2BGR)
    height = g.page_size[1]
    red = (0, 0, 230)
    for item in items:
        for index in item.circled or item.indices[:1]:
            x, y, w, h = g.boxes[index].rect
            cx, cy = int((x + w / 2) * zoom), int((height - y - h / 2) * zoom)
            radius = int(max(w, h) * zoom * 0.9)
            cv2.circle(colour, (cx, cy), radius, red, 2, cv2.LINE_AA)
            cv2.putText(
                colour,
                str(item.number),
                (cx + radius, cy - radius),
                cv2.FONT_HERSHEY_SIMPLEX,
                0.6,
                red,
                2,
                cv2.LINE_AA,
            )
    path.parent.mkdir(parents=True, exist_ok=True)
    ok, encoded = cv2.imencode(".png", colour)
    if ok:
        path.write_bytes(encoded.tobytes())
