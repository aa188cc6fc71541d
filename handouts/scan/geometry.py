"""Where everything on a machine-readable checklist page is: the seam between drawing and reading.

The checklist renderer describes each page it draws as a PageGeometry; `handouts scan` reads a
returned page back with the same description. Pure data, JSON-serialisable, no OpenCV.

Coordinates are PDF points with the origin at the bottom-left of the page (reportlab's
convention); a rect is (x, y, width, height) with (x, y) its lower-left corner.

The QR code on the page holds only the opaque page id (`HB:` + 10 random base-32 characters).
What the id means (which pack, which week, the geometry) stays in the practice's `out/` folder,
in the registry: `out/.scan/HB-<id>.json.gz`, one small file per page (~3 KB), written
atomically, plus `out/.scan/secret`, the practice's key for page ids.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import hmac
import json
import os
import re
import secrets
from pathlib import Path
from typing import Any, Literal

import msgspec
from msgspec.structs import replace

from handouts.deliver import atomic_write
from handouts.errors import InputError

Rect = tuple[float, float, float, float]
Point = tuple[float, float]
BoxKind = Literal["session", "pain"]
PainKind = Literal["", "first_steps", "during_exercise"]
SideMark = Literal["left", "right", ""]

MM = 72 / 25.4
# ArUco 4x4 ids of the corner markers, in this order: top-left, top-right, bottom-right,
# bottom-left. Their ids tell the reader how the page is turned.
MARKER_IDS = (0, 1, 2, 3)
MARKER_SIZE = 8 * MM  # side of a marker, black border included
MARKER_INSET = 8 * MM  # from the page edge to the marker's outer edge (inside any printer margin)
QR_MODULE = 0.8 * MM  # one QR module; a version-1 code is 21 modules wide
QR_SIZE = 21 * QR_MODULE
QR_QUIET = 2 * MM  # keep this much white around the code
PAIN_SCORES = range(11)
PAGE_ID_PREFIX = "HB:"
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base 32: QR alphanumeric mode
PAGE_ID_PATTERN = re.compile(rf"^{PAGE_ID_PREFIX}[{_ALPHABET}]{{10}}$")
REGISTRY_FOLDER = ".scan"
VERSION = 1


def new_page_id() -> str:
    """A random page id: 50 bits, no personal data, fits a version-1 QR code."""
    return PAGE_ID_PREFIX + "".join(secrets.choice(_ALPHABET) for _ in range(10))


def keyed_page_id(secret: bytes, content: str) -> str:
    """A page id that is the same for the same content and secret (so the same input still
    makes byte-identical PDFs) but says nothing without the practice's secret."""
    digest = hmac.new(secret, content.encode(), hashlib.sha256).digest()
    number = int.from_bytes(digest[:7], "big") >> 6  # 50 bits
    chars = [_ALPHABET[(number >> (5 * i)) & 31] for i in range(10)]
    return PAGE_ID_PREFIX + "".join(reversed(chars))


class Box(msgspec.Struct, frozen=True):
    """One box the patient ticks: a session of an exercise, or one score of a pain row."""

    kind: BoxKind
    day: dt.date
    rect: Rect
    exercise_id: str = ""  # sessions; for pain boxes: "" (first steps) or the exercise
    side: SideMark = ""  # "" when one foot is treated and the box is not per side
    session: int = 0  # 1..n for session boxes
    score: int = -1  # 0..10 for pain boxes
    pain_kind: PainKind = ""  # pain boxes: first_steps | during_exercise

    def key(self) -> str:
        """A stable name for the box, unique on its page (also the AcroForm field name)."""
        if self.kind == "session":
            return f"s.{self.exercise_id}.{self.side or '-'}.{self.day.isoformat()}.{self.session}"
        return f"p.{self.pain_kind}.{self.side or '-'}.{self.day.isoformat()}.{self.score}"

    def pain_group(self) -> str:
        """Pain boxes of one row for one day and side share a group: one cross per group."""
        return f"p.{self.pain_kind}.{self.side or '-'}.{self.day.isoformat()}"


_BOX_DEFAULTS = (
    ("exercise_id", ""),
    ("side", ""),
    ("session", 0),
    ("score", -1),
    ("pain_kind", ""),
)


class PageGeometry(msgspec.Struct, frozen=True):
    """One printed checklist page, as the reader needs it."""

    page_id: str
    page_size: Point
    markers: tuple[
        Point, Point, Point, Point
    ]  # centres: top-left, top-right, bottom-right, bottom-left
    marker_size: float
    qr: Rect
    boxes: tuple[Box, ...]

    def to_json(self) -> dict[str, Any]:
        """Its fields as JSON data, built by hand to keep the boxes short: a checklist pack
        has thousands of them."""
        boxes = []
        for box in self.boxes:  # short: defaults left out, rects to 1/100 pt
            item: dict[str, Any] = {
                "kind": box.kind,
                "day": box.day.isoformat(),
                "rect": [round(v, 2) for v in box.rect],
            }
            for name, default in _BOX_DEFAULTS:
                value = getattr(box, name)
                if value != default:
                    item[name] = value
            boxes.append(item)
        return {
            "page_id": self.page_id,
            "page_size": list(self.page_size),
            "markers": [list(point) for point in self.markers],
            "marker_size": self.marker_size,
            "qr": list(self.qr),
            "boxes": boxes,
            "version": VERSION,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PageGeometry:
        boxes = tuple(
            Box(**{**box, "day": dt.date.fromisoformat(box["day"]), "rect": _rect(box["rect"])})
            for box in data["boxes"]
        )
        tl, tr, br, bl = (_point(point) for point in data["markers"])
        return cls(
            page_id=data["page_id"],
            page_size=_point(data["page_size"]),
            markers=(tl, tr, br, bl),
            marker_size=float(data["marker_size"]),
            qr=_rect(data["qr"]),
            boxes=boxes,
        )

    def check(self) -> None:
        """Raise ValueError when the page cannot be read back reliably."""
        width, height = self.page_size
        if not PAGE_ID_PATTERN.match(self.page_id):
            raise ValueError(f"page id {self.page_id!r} is not an opaque page id")
        for x, y in self.markers:
            half = self.marker_size / 2
            if min(x - half, y - half, width - x - half, height - y - half) < MARKER_INSET - 0.01:
                raise ValueError("a corner marker is closer than 8 mm to the page edge")
        keys = [box.key() for box in self.boxes]
        if len(set(keys)) != len(keys):
            raise ValueError("two boxes share the same exercise, side, day and session")
        for box in self.boxes:
            if box.rect[2] < 3 * MM or box.rect[3] < 3 * MM:
                raise ValueError(f"box {box.key()} is smaller than 3 mm")


def corner_markers(page_size: Point) -> tuple[Point, Point, Point, Point]:
    """The standard marker centres for a page size: 8 mm markers, 8 mm inside each edge."""
    width, height = page_size
    near = MARKER_INSET + MARKER_SIZE / 2
    return (
        (near, height - near),
        (width - near, height - near),
        (width - near, near),
        (near, near),
    )


def standard_qr(page_size: Point) -> Rect:
    """The QR code's usual place: top right, level with the top markers, 4 mm left of the
    top-right marker. Keep QR_QUIET (2 mm) white around it and 8 pt below for the id line."""
    width, height = page_size
    x = width - MARKER_INSET - MARKER_SIZE - 4 * MM - QR_SIZE
    return (x, height - MARKER_INSET - QR_SIZE, QR_SIZE, QR_SIZE)


def reserved_corners(page_size: Point) -> list[Rect]:
    """Rects the page must keep free of drawing: each marker plus a 2 mm white border."""
    pad = 2 * MM
    side = MARKER_SIZE + 2 * pad
    return [
        (x - MARKER_SIZE / 2 - pad, y - MARKER_SIZE / 2 - pad, side, side)
        for x, y in corner_markers(page_size)
    ]


def assign_page_id(secret: bytes, pack_id: str, week: int, layout: PageGeometry) -> PageGeometry:
    """Pure: the laid-out page with its id, keyed on the practice's secret, the pack, the week
    and the layout (same page made again: same id; a changed layout: a new id). Rects are
    rounded as the registry stores them, so what is drawn is exactly what is read."""
    content = json.dumps([pack_id, week, replace(layout, page_id="").to_json()])
    geometry = replace(layout, page_id=keyed_page_id(secret, content))
    return PageGeometry.from_json(geometry.to_json())


class PageRecord(msgspec.Struct, frozen=True):
    """What the practice's registry knows about a page id."""

    pack_id: str
    week: int
    geometry: PageGeometry
    patient: str = ""  # shown on the report only; never printed in the QR
    language: str = "nl"
    exercise_names: dict[str, str] = msgspec.field(default_factory=dict)
    pain_green_max: int = 2
    pain_amber_max: int = 5
    practice: str = ""  # the report's author (its PDF metadata)

    def to_json(self) -> dict[str, Any]:
        data = {k: v for k, v in msgspec.structs.asdict(self).items() if k != "geometry"}
        data["geometry"] = self.geometry.to_json()
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PageRecord:
        values = {k: v for k, v in data.items() if k != "geometry"}
        return cls(geometry=PageGeometry.from_json(data["geometry"]), **values)


class Registry:
    """page id -> PageRecord, kept as `<out>/.scan/<page_id>.json`."""

    def __init__(self, out_dir: Path) -> None:
        self.folder = out_dir / REGISTRY_FOLDER

    def register(
        self, pack_id: str, week: int, layout: PageGeometry, **details: Any
    ) -> PageGeometry:
        """Give a laid-out page (page_id "") its id and save its record; returns the geometry
        to draw. The id is keyed on the practice's secret, the pack, the week and the layout:
        the same page made again gets the same id, a changed layout a new one (old prints
        keep their own record)."""
        geometry = assign_page_id(self.secret(), pack_id, week, layout)
        self.save(PageRecord(pack_id, week, geometry, **details))
        return geometry

    def secret(self) -> bytes:
        """The practice's key for page ids, made once (32 random bytes, only in out/.scan/)."""
        path = self.folder / "secret"
        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            key = path.read_bytes()
            if len(key) == 32:
                return key
            raise InputError.single(
                str(path), "", "damaged page-id key; restore it from a backup"
            ) from None
        key = secrets.token_bytes(32)
        with os.fdopen(fd, "wb") as handle:
            handle.write(key)
        return key

    def save(self, record: PageRecord) -> Path:
        record.geometry.check()
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{_file_stem(record.geometry.page_id)}.json.gz"
        text = json.dumps(record.to_json(), separators=(",", ":")).encode()
        atomic_write(path, gzip.compress(text, mtime=0), sync=False)
        return path

    def load(self, page_id: str) -> PageRecord | None:
        if not PAGE_ID_PATTERN.match(page_id):
            return None
        path = self.folder / f"{_file_stem(page_id)}.json.gz"
        if not path.is_file():
            return None
        try:
            return PageRecord.from_json(json.loads(gzip.decompress(path.read_bytes())))
        except (ValueError, KeyError, TypeError, OSError, EOFError) as err:
            raise InputError.single(
                str(path), "", f"broken page record ({err}); make the checklist again"
            ) from None


def _file_stem(page_id: str) -> str:
    return page_id.replace(":", "-")


def _point(value: Any) -> Point:
    x, y = value
    return float(x), float(y)


def _rect(value: Any) -> Rect:
    x, y, w, h = value
    return float(x), float(y), float(w), float(h)
