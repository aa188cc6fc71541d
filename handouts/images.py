"""Checks on the picture files a practice supplies: logos (PNG, JPEG) and exercise SVGs.

Each returns what is wrong as short messages (empty: usable), so that loading, `validate`
and the PDF layer give the same verdict. Nothing here draws: the checks bound the work and
memory a file can cost before reportlab or svglib ever see it.
"""

from __future__ import annotations

import io
import logging
import re
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image

from handouts import limits
from handouts.errors import InputError, shown
from handouts.files import read_bytes_limited

if TYPE_CHECKING:  # lxml is imported when an SVG is checked
    from lxml import etree

# svglib reports what it cannot draw (with file paths) through logging; with no handler
# configured Python would print that on the terminal. Our checks say it instead.
logging.getLogger("svglib").addHandler(logging.NullHandler())

LOGO_FORMATS = {"PNG": "PNG", "JPEG": "JPEG", "MPO": "JPEG"}  # MPO: a camera's JPEG


def check_logo(path: Path) -> list[str]:
    """A logo is a real PNG or JPEG (by content), complete, of sane size and pixel count."""
    try:
        data = read_bytes_limited(path, limits.MAX_LOGO_BYTES, "logo (PNG or JPEG)")
    except InputError as err:
        return [err.problems[0].message]
    if not data:
        return ["is empty (0 bytes); save the logo again as PNG or JPEG"]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                kind = LOGO_FORMATS.get(image.format or "")
                if kind is None:
                    return [
                        f"is not a PNG or JPEG image inside (it is {image.format or 'unknown'}); "
                        "save it as PNG or JPEG"
                    ]
                width, height = image.size
                if (
                    width * height > limits.MAX_LOGO_PIXELS
                    or max(width, height) > limits.MAX_LOGO_SIDE
                ):
                    return [
                        f"is {width} × {height} pixels (at most {limits.MAX_LOGO_SIDE} a side, "
                        f"{limits.MAX_LOGO_PIXELS // 1_000_000} million in all); "
                        "save a smaller logo (1,000 pixels wide is plenty)"
                    ]
                image.verify()  # chunk checksums and structure
            with Image.open(io.BytesIO(data)) as image:
                image.load()  # every pixel: a truncated file fails here
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return [
            f"has far more than {limits.MAX_LOGO_PIXELS // 1_000_000} million pixels; "
            "save a smaller logo (1,000 pixels wide is plenty)"
        ]
    except Exception as err:  # Pillow raises many kinds (OSError, SyntaxError, ValueError …)
        return [f"cannot be read as an image ({_reason(err)}); save it again as PNG or JPEG"]
    return []


def _reason(err: Exception) -> str:
    text = str(err).split("\n")[0]
    # Pillow names the in-memory file it read ("<_io.BytesIO object at 0x…>"): noise to a reader
    text = re.sub(r"\s*<_io\.\w+ object at 0x[0-9a-f]+>", "", text).strip(" :")
    return text[:80] if text else type(err).__name__


# --- exercise pictures -------------------------------------------------------------------------

_SVG = "{http://www.w3.org/2000/svg}"
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_OUTSIDE_URL = re.compile(r"url\(\s*['\"]?\s*(?!#)", re.IGNORECASE)
_IMPORT = re.compile(r"@import", re.IGNORECASE)


def check_svg_file(path: Path) -> list[str]:
    """An exercise picture is a plain, self-contained SVG of bounded size: no entities, no
    references to other files or addresses (<image>, href, url(), @import)."""
    from lxml import etree

    try:
        data = read_bytes_limited(path, limits.MAX_SVG_BYTES, "picture (SVG)")
    except InputError as err:
        return [err.problems[0].message]
    if not data.strip():
        return ["is empty; export the picture again as plain SVG"]
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False
    )
    try:
        root = etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError) as err:
        return [f"cannot be read as SVG ({_reason(err)}); export it again as plain SVG"]
    if root is None or root.tag != f"{_SVG}svg":
        return ["is not an SVG picture (no <svg> root); export it again as plain SVG"]
    tree = root.getroottree()
    if tree.docinfo.internalDTD is not None:
        return ["declares a DOCTYPE or entities; export it again as plain SVG"]
    if any(isinstance(n, etree._ProcessingInstruction) for n in root.itersiblings(preceding=True)):
        return ["has a processing instruction (<?…?>); export it again as plain SVG"]
    elements = 0
    for element in root.iter():
        elements += 1
        if elements > limits.MAX_SVG_ELEMENTS:
            return [f"has more than {limits.MAX_SVG_ELEMENTS:,} elements; simplify the drawing"]
        if not isinstance(element.tag, str):
            if isinstance(element, etree._ProcessingInstruction):
                return ["has a processing instruction (<?…?>); export it again as plain SVG"]
            continue  # a comment
        if sum(1 for _ in element.iterancestors()) >= limits.MAX_SVG_DEPTH:
            return [f"is nested deeper than {limits.MAX_SVG_DEPTH} levels; simplify the drawing"]
        problem = _outside_reference(element)
        if problem:
            return [problem]
    return _use_problems(root)


def _use_problems(root: etree._Element) -> list[str]:
    """<use> draws another element again: chains of them multiply (10 uses of 10 uses of …,
    a 'use bomb'), and one that reaches itself never ends. Count the drawn elements with every
    use expanded, memoised per element, and refuse cycles."""
    from lxml import etree

    by_id = {e.get("id"): e for e in root.iter() if isinstance(e.tag, str) and e.get("id")}
    drawn: dict[etree._Element, int] = {}
    busy: set[etree._Element] = set()

    def count(element: etree._Element) -> int:
        if element in drawn:
            return drawn[element]
        if element in busy:
            raise _UseCycle
        busy.add(element)
        total = 1 + sum(count(child) for child in element if isinstance(child.tag, str))
        if etree.QName(element).localname == "use":
            target = (element.get(_XLINK_HREF) or element.get("href") or "").strip()
            if target.startswith("#") and target[1:] in by_id:
                total += count(by_id[target[1:]])
        busy.discard(element)
        drawn[element] = min(total, limits.MAX_SVG_ELEMENTS + 1)
        return drawn[element]

    try:
        total = count(root)
    except _UseCycle:
        return ["has a <use> that draws itself (a cycle); remove it"]
    except RecursionError:
        return ["has <use> chains too long to follow; simplify the drawing"]
    if total > limits.MAX_SVG_ELEMENTS:
        return [
            f"draws more than {limits.MAX_SVG_ELEMENTS:,} elements through <use>; "
            "simplify the drawing"
        ]
    return []


class _UseCycle(Exception):
    pass


def _outside_reference(element: etree._Element) -> str | None:
    from lxml import etree

    name = etree.QName(element).localname
    if name in {"text", "tspan", "textPath"}:
        # svglib would look its font up by name (files, fc-match); and words in a picture
        # are never translated: they belong in the exercise text
        return f"has text (<{name}>); draw it as paths or put the words in the exercise text"
    if name in {"image", "include", "foreignObject", "script"}:
        return (
            f"has an <{name}> element; pictures must be drawn in the SVG itself, "
            "not load other files, addresses or code"
        )
    for attribute in (_XLINK_HREF, "href", "src"):
        target = element.get(attribute)
        if target is not None and not target.strip().startswith("#"):
            return (
                f"refers to {shown(target)} outside the picture; "
                "pictures must not load other files or addresses"
            )
    texts = [*element.attrib.values(), element.text or "" if name == "style" else ""]
    if any(_OUTSIDE_URL.search(t) or _IMPORT.search(t) for t in texts):
        return "refers to a file or address in its style (url(), @import); remove it"
    return None
