"""Exercise pictures: SVG, drawn for the right foot, with the affected limb marked.

Each picture is parsed once per process and colour (the affected limb takes the practice's
accent colour), then drawn once per PDF as a Form XObject and placed wherever it is needed,
mirrored for a left foot. It stays vector all the way into the PDF. Views name a picture by
a PictureRef (file, version, colour): a value, so it can be part of a cache key.

The fast path keeps a picture's PDF operators between runs too (handouts/cache.py), under a
hash of the SVG's bytes, the colour and the versions of everything that draws it: a cold
`generate` then needs neither svglib nor lxml (~40 ms for three pictures).
"""

from __future__ import annotations

import hashlib
import io
import threading
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec
from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas

from handouts import cache as stored
from handouts import limits
from handouts.errors import InputError
from handouts.files import read_bytes_limited
from handouts.images import check_svg_file
from handouts.pdf import fonts
from handouts.pdf.memory import active

if TYPE_CHECKING:  # svglib and lxml are imported when a picture is drawn anew
    from lxml import etree
    from reportlab.graphics.shapes import Drawing

DRAWN_COLOUR = "#c0392b"  # the colour the affected limb is drawn in; replaced by the accent
AFFECTED = "affected"  # id or class of the group that holds the affected limb
MAX_LIGHTNESS = 0.55  # lighter accents are darkened in pictures, so grayscale keeps contrast


class PictureError(ValueError):
    """An SVG that cannot be used: unreadable, or with no affected limb marked."""


class Picture(msgspec.Struct, frozen=True):
    width: float
    height: float
    key: str  # unique per file + colour: the Form XObject's name in a PDF
    source: tuple[str, int, str]  # path, modified_ns, accent colour: what drawing() draws
    stored_name: str  # its name in the cache between runs ("": not kept)
    operators: tuple[str, ...] | None = None  # as the fast path draws it, from that cache

    def drawing(self) -> Drawing:
        return _drawing(*self.source)


# reportlab's renderer marks the nodes of the Drawing it draws (node._parent) and removes
# the marks when done: one thread at a time may draw the pictures, which are shared
_RENDERING = threading.Lock()


class PictureRef(msgspec.Struct, frozen=True):
    """Which picture, as a value: the file, its version and the accent colour."""

    path: str
    modified_ns: int
    accent_hex: str

    def load(self) -> Picture:
        return load_picture(self.path, self.modified_ns, self.accent_hex)


def picture_ref(path: Path | None, accent_hex: str) -> PictureRef | None:
    if path is None:
        return None
    return PictureRef(str(path), path.stat().st_mtime_ns, accent_hex)


def affected_elements(root: etree._Element) -> list[etree._Element]:
    return [
        element
        for element in root.iter()
        if isinstance(element.tag, str)
        and (element.get("id") == AFFECTED or AFFECTED in (element.get("class") or "").split())
    ]


def check_svg(path: Path) -> list[str]:
    """What is wrong with a picture file, for `handouts validate`."""
    from lxml import etree

    try:
        root = etree.parse(str(path)).getroot()
    except (OSError, etree.XMLSyntaxError) as err:
        return [f"cannot be read as SVG ({err}); re-export it as plain SVG"]
    if not affected_elements(root):
        return [f'marks no affected limb; put it in a group with id="{AFFECTED}"']
    try:
        _drawing(str(path), path.stat().st_mtime_ns, "#1f5f8b")
    except PictureError as err:
        return [str(err)]
    return []


@cache
def load_picture(path: str, modified_ns: int, accent_hex: str) -> Picture:
    """Size and form name of a picture, once per file version and colour (modified_ns is part
    of the cache key); its drawing is made when a PDF needs it."""
    data = read_bytes_limited(Path(path), limits.MAX_SVG_BYTES, "picture (SVG)")
    colour = picture_colour(accent_hex)
    # the form name comes from the file's content, so output is the same on every machine
    digest = hashlib.sha1(data + colour.encode(), usedforsecurity=False)
    key = f"pic{digest.hexdigest()[:12]}"
    drawn_by = _drawn_by()
    name = stored.key("picture", data, colour, *drawn_by) if drawn_by is not None else ""
    known = _from_store(name) if name else None
    if known is not None:  # the same bytes were checked and drawn by this very code before
        width, height, operators = known
        return Picture(width, height, key, (path, modified_ns, accent_hex), name, operators)
    drawing = _drawing(path, modified_ns, accent_hex)
    source = (path, modified_ns, accent_hex)
    return Picture(float(drawing.width), float(drawing.height), key, source, name)


@cache
def _drawing(path: str, modified_ns: int, accent_hex: str) -> Drawing:
    """The picture as a reportlab Drawing, the affected limb in the accent colour."""
    from lxml import etree
    from svglib.svglib import svg2rlg

    problems = check_svg_file(Path(path))  # bounded, self-contained: else an input error
    if problems:
        raise InputError.single(path, "", problems[0])
    try:
        root = etree.parse(path).getroot()
    except (OSError, etree.XMLSyntaxError) as err:
        raise PictureError(f"{path}: cannot be read as SVG ({err})") from None
    colour = picture_colour(accent_hex)
    for group in affected_elements(root):
        for element in group.iter():
            for attribute in ("fill", "stroke"):
                if (element.get(attribute) or "").lower() == DRAWN_COLOUR:
                    element.set(attribute, colour)
    try:
        drawing = svg2rlg(io.BytesIO(etree.tostring(root)))
    except Exception as err:  # svglib's way to say it cannot read a value (width="abc" …)
        raise InputError.single(path, "", f"svglib cannot draw it ({err}); fix the SVG") from None
    if drawing is None:
        raise PictureError(f"{path}: svglib could not draw it")
    # renderPDF starts every drawing by selecting its initial font, unembedded Helvetica
    # unless told otherwise; our pictures have no text, so any registered font will do
    fonts.register()
    drawing.initialFontName = fonts.REGULAR
    return drawing


def _drawn_by() -> tuple[str, ...] | None:
    """What a picture's operators depend on besides the SVG and the colour: this package's
    PDF modules, reportlab (its graphics), svglib and lxml, by their installed files."""
    import reportlab

    found = stored.installed("handouts.pdf.illustrations", "reportlab.graphics", "svglib", "lxml")
    return None if found is None else (str(reportlab.Version), *found)


def _from_store(name: str) -> tuple[float, float, tuple[str, ...]] | None:
    value: Any = stored.read("picture", name)
    try:
        width, height, operators = value["width"], value["height"], value["operators"]
        if not all(isinstance(o, str) for o in operators):
            return None
        return float(width), float(height), tuple(operators)
    except (TypeError, KeyError, ValueError):
        return None


def picture_colour(accent_hex: str) -> str:
    """The accent colour, darkened when it is too light to stand out in grayscale."""
    accent = colors.HexColor(accent_hex)
    lightness = 0.299 * accent.red + 0.587 * accent.green + 0.114 * accent.blue
    if lightness <= MAX_LIGHTNESS:
        return accent_hex.lower()
    factor = MAX_LIGHTNESS / lightness
    red, green, blue = (round(255 * c * factor) for c in (accent.red, accent.green, accent.blue))
    return f"#{red:02x}{green:02x}{blue:02x}"


def define_form(canvas: Canvas, ref: PictureRef) -> Picture:
    """Put the picture into this PDF once, as a Form XObject. Call it outside any other form
    (forms cannot be defined inside one another): draw_picture does, when it is needed."""
    picture = ref.load()
    forms: set[str] = canvas.__dict__.setdefault("_handouts_forms", set())
    if picture.key in forms:
        return picture
    canvas.beginForm(picture.key)  # starts from a fresh graphics state: the operators of a
    # picture are the same in every PDF, so the fast path makes them once (and keeps them)
    memory = active() if fonts.is_fixed(canvas) else None
    operators = memory.pictures.get(picture.key) if memory is not None else None
    if operators is None and memory is not None and picture.operators is not None:
        operators = picture.operators
        memory.pictures.put(picture.key, operators)
    if operators is None:
        from reportlab.graphics import renderPDF

        start = len(canvas._code)
        with fonts.Recording(canvas) as recording, _RENDERING:
            renderPDF.draw(picture.drawing(), canvas, 0, 0)
        if memory is not None and not any(recording.drawn):  # a picture with text is drawn
            # in every PDF: its characters' codes and glyphs belong to that PDF (fonts.py)
            operators = tuple(canvas._code[start:])
            memory.pictures.put(picture.key, operators)
            value = {"width": picture.width, "height": picture.height, "operators": operators}
            if picture.stored_name:
                stored.write("picture", picture.stored_name, value)
    else:
        canvas._code.extend(operators)
    canvas.endForm()
    forms.add(picture.key)
    return picture


def picture_for(path: Path | None, accent_hex: str) -> Picture | None:
    if path is None:
        return None
    return load_picture(str(path), path.stat().st_mtime_ns, accent_hex)


def draw_picture(
    canvas: Canvas, ref: PictureRef, x: float, y: float, width: float, mirror: bool
) -> None:
    """Place the picture scaled to width at (x, y), mirrored for the left foot."""
    picture = define_form(canvas, ref)
    scale = width / picture.width
    canvas.saveState()
    canvas.translate(x + (width if mirror else 0), y)
    canvas.scale(-scale if mirror else scale, scale)
    canvas.doForm(picture.key)
    canvas.restoreState()
