"""Synthetic scans with known answers: the tests and benchmarks/scan_accuracy.py measure on these.

A page is rendered (sample.py), rasterised at 150-300 dpi, its boxes filled the way people fill
them (crosses, checks, filled boxes, faint pencil; stray dots and smudges that are not ticks),
then turned (any quarter turn plus a few degrees), perspective-warped as a phone sees it,
lit unevenly, blurred, given noise and JPEG-compressed. Needs the scan extra (numpy, OpenCV).
"""

from __future__ import annotations

import math

import cv2
import msgspec
import numpy as np
import numpy.typing as npt

from handouts.scan.geometry import Box, PageGeometry
from handouts.scan.raster import rasterise_pdf

Image = npt.NDArray[np.uint8]
TICKS = ("cross", "check", "filled", "pencil")
NOT_TICKS = ("dot", "smudge")


class Degrade(msgspec.Struct, frozen=True):
    dpi: int = 200
    quarter_turns: int = 0  # 0..3, counter-clockwise
    angle: float = 0.0  # degrees, on top of the quarter turns
    warp: float = 0.0  # corner jitter as a share of the page size (phone perspective)
    blur: float = 0.0  # Gaussian sigma in px
    noise: float = 0.0  # Gaussian noise sigma, grey levels
    jpeg: int = 0  # JPEG quality, 0 = none
    shade: float = 0.0  # uneven light: darkest corner at (1 - shade) of the brightest


class Truth(msgspec.Struct):
    marks: dict[int, str] = msgspec.field(default_factory=dict)  # box index -> mark drawn ("" none)

    def ticked(self, index: int) -> bool:
        return self.marks.get(index, "") in TICKS


def fill_marks(
    geometry: PageGeometry,
    rng: np.random.Generator,
    tick_share: float = 0.5,
    mess_share: float = 0.08,
    two_pain_share: float = 0.0,
) -> Truth:
    """Choose a mark for every box: sessions ticked or not, one pain score per day (some days
    none, some two when two_pain_share > 0); a share of the empty boxes gets a dot or smudge."""
    truth = Truth()
    groups: dict[str, list[int]] = {}
    for index, box in enumerate(geometry.boxes):
        if box.kind == "pain":
            groups.setdefault(box.pain_group(), []).append(index)
        elif rng.random() < tick_share:
            truth.marks[index] = str(rng.choice(TICKS, p=[0.45, 0.3, 0.1, 0.15]))
    for members in groups.values():
        roll = rng.random()
        if roll < 0.15:
            continue  # a day without a score
        chosen = [int(rng.choice(members))]
        if roll > 1 - two_pain_share:
            chosen.append(int(rng.choice([m for m in members if m != chosen[0]])))
        for index in chosen:
            truth.marks[index] = str(rng.choice((*TICKS[:2], "pencil"), p=[0.6, 0.25, 0.15]))
    for index in range(len(geometry.boxes)):
        if index not in truth.marks and rng.random() < mess_share:
            truth.marks[index] = str(rng.choice(NOT_TICKS))
    return truth


def draw_marks(
    image: Image, geometry: PageGeometry, truth: Truth, dpi: int, rng: np.random.Generator
) -> Image:
    """Draw the truth's marks on a rendered page (pixel rows from the top)."""
    out = image.copy()
    scale = dpi / 72
    height_pt = geometry.page_size[1]
    for index, mark in truth.marks.items():
        _draw_mark(out, geometry.boxes[index], mark, scale, height_pt, rng)
    return out


def _draw_mark(
    img: Image, box: Box, mark: str, scale: float, height_pt: float, rng: np.random.Generator
) -> None:
    x, y, w, h = box.rect
    left, top = x * scale, (height_pt - y - h) * scale
    size = w * scale

    def pt(u: float, v: float) -> tuple[int, int]:
        jitter = rng.normal(0, 0.05, 2) * size
        return (int((left + u * size + jitter[0]) * 16), int((top + v * size + jitter[1]) * 16))

    pen = max(1, round(rng.uniform(0.9, 1.8) * scale))
    ink = int(rng.uniform(10, 60))
    if mark == "cross":
        a, b = rng.uniform(-0.1, 0.2), rng.uniform(0.8, 1.1)
        cv2.line(img, pt(a, a), pt(b, b), ink, pen, cv2.LINE_AA, 4)
        cv2.line(img, pt(b, a), pt(a, b), ink, pen, cv2.LINE_AA, 4)
    elif mark == "check":
        cv2.line(img, pt(0.15, 0.5), pt(0.4, 0.85), ink, pen, cv2.LINE_AA, 4)
        cv2.line(img, pt(0.4, 0.85), pt(1.05, -0.1), ink, pen, cv2.LINE_AA, 4)
    elif mark == "filled":
        corners = np.array([pt(0.1, 0.1), pt(0.9, 0.12), pt(0.9, 0.9), pt(0.12, 0.88)])
        cv2.fillPoly(img, [corners], ink, cv2.LINE_AA, 4)
    elif mark == "pencil":  # faint, thin, grey
        grey = int(rng.uniform(110, 165))
        thin = max(1, round(rng.uniform(0.5, 0.9) * scale))
        if rng.random() < 0.5:
            cv2.line(img, pt(0.1, 0.1), pt(0.9, 0.9), grey, thin, cv2.LINE_AA, 4)
            cv2.line(img, pt(0.9, 0.1), pt(0.1, 0.9), grey, thin, cv2.LINE_AA, 4)
        else:
            cv2.line(img, pt(0.2, 0.5), pt(0.4, 0.8), grey, thin, cv2.LINE_AA, 4)
            cv2.line(img, pt(0.4, 0.8), pt(0.9, 0.1), grey, thin, cv2.LINE_AA, 4)
    elif mark == "dot":
        radius = int(rng.uniform(0.4, 0.9) * scale * 16)
        cv2.circle(
            img,
            pt(rng.uniform(0.25, 0.75), rng.uniform(0.25, 0.75)),
            radius,
            ink,
            -1,
            cv2.LINE_AA,
            4,
        )
    elif mark == "smudge":  # a light grey blur, a thumb or an eraser
        patch = np.zeros_like(img, dtype=np.float32)
        cv2.circle(
            patch,
            pt(rng.uniform(0.3, 0.7), rng.uniform(0.3, 0.7)),
            int(size * rng.uniform(0.25, 0.45) * 16),
            1.0,
            -1,
            cv2.LINE_AA,
            4,
        )
        patch = np.asarray(cv2.GaussianBlur(patch, (0, 0), size * 0.15), np.float32)
        strength = rng.uniform(20, 45)
        img[:] = np.clip(img.astype(np.float32) - patch * strength, 0, 255).astype(np.uint8)


def degrade(image: Image, d: Degrade, rng: np.random.Generator) -> Image:
    """Turn, warp, shade, blur, add noise and compress a page image."""
    img = np.rot90(image, d.quarter_turns).copy()
    h, w = img.shape[:2]
    pad = int(0.06 * max(h, w))
    canvas = np.full((h + 2 * pad, w + 2 * pad), 90, np.uint8)  # a table under the page
    canvas[pad : pad + h, pad : pad + w] = img
    src = np.array([[pad, pad], [pad + w, pad], [pad + w, pad + h], [pad, pad + h]], np.float32)
    centre = np.array([canvas.shape[1] / 2, canvas.shape[0] / 2], np.float32)
    theta = math.radians(d.angle)
    rot = np.array(
        [[math.cos(theta), -math.sin(theta)], [math.sin(theta), math.cos(theta)]], np.float32
    )
    dst = (src - centre) @ rot.T + centre
    dst += rng.uniform(-d.warp, d.warp, dst.shape).astype(np.float32) * max(h, w)
    matrix = cv2.getPerspectiveTransform(src, dst.astype(np.float32))
    out = cv2.warpPerspective(
        canvas, matrix, (canvas.shape[1], canvas.shape[0]), flags=cv2.INTER_LINEAR, borderValue=90
    )
    if d.shade:
        yy, xx = np.mgrid[0 : out.shape[0], 0 : out.shape[1]].astype(np.float32)
        ramp = (xx / out.shape[1] + yy / out.shape[0]) / 2
        out = (out.astype(np.float32) * (1 - d.shade * ramp)).astype(np.uint8)
    if d.blur:
        out = cv2.GaussianBlur(out, (0, 0), d.blur)
    if d.noise:
        out = np.clip(out + rng.normal(0, d.noise, out.shape), 0, 255).astype(np.uint8)
    if d.jpeg:
        ok, data = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, d.jpeg])
        assert ok
        out = np.asarray(cv2.imdecode(data, cv2.IMREAD_GRAYSCALE), np.uint8)
    return np.asarray(out, np.uint8)


def random_degrade(rng: np.random.Generator) -> Degrade:
    """A scanner (straight, clean) or a phone photo (tilted, warped, shaded, compressed)."""
    if rng.random() < 0.4:
        return Degrade(
            dpi=int(rng.choice([150, 200, 300])),
            quarter_turns=int(rng.integers(4)),
            angle=float(rng.uniform(-1.5, 1.5)),
            blur=float(rng.uniform(0, 0.8)),
            noise=float(rng.uniform(0, 4)),
            jpeg=int(rng.choice([0, 85])),
        )
    return Degrade(
        dpi=int(rng.choice([150, 200, 250, 300])),
        quarter_turns=int(rng.integers(4)),
        angle=float(rng.uniform(-8, 8)),
        warp=float(rng.uniform(0, 0.04)),
        blur=float(rng.uniform(0.3, 1.6)),
        noise=float(rng.uniform(1, 6)),
        jpeg=int(rng.integers(50, 92)),
        shade=float(rng.uniform(0, 0.35)),
    )


def make_scan(
    pdf: bytes,
    page_index: int,
    geometry: PageGeometry,
    degradation: Degrade,
    rng: np.random.Generator,
    **fill: float,
) -> tuple[Image, Truth]:
    """One synthetic scan of a page with known marks."""
    page = rasterise_pdf(pdf, dpi=degradation.dpi, pages=[page_index])[0]
    truth = fill_marks(geometry, rng, **fill)
    marked = draw_marks(page, geometry, truth, degradation.dpi, rng)
    return degrade(marked, degradation, rng), truth
