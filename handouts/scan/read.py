"""Read one page image: which page it is (QR), where it is (markers), what is ticked (ink).

1. The corner markers (ArUco 4x4, ids 0-3) give a homography from the image to the page in
   points, whatever way up the page lies; their ids say which corner is which.
2. The QR code holds the page id; the registry gives that page's geometry.
3. The page is warped to SCALE px per pt and the paper brightness is estimated locally (a
   photo is lit unevenly), so ink is measured as darkness relative to the paper around it.
4. Each box's interior (its printed border left out) gets a few numbers: the share of clearly
   dark pixels, the share of faintly dark ones, and how far the marks spread across the box.
   Clear cases are ticked or empty; everything in between is "unsure" and goes to review.
"""

from __future__ import annotations

from typing import Any, Literal

import cv2
import msgspec
import numpy as np
import numpy.typing as npt

from handouts.scan.geometry import (
    MARKER_IDS,
    MARKER_SIZE,
    PAGE_ID_PATTERN,
    Box,
    PageGeometry,
    PageRecord,
    Registry,
    corner_markers,
)

Image = npt.NDArray[np.uint8]
State = Literal["ticked", "empty", "unsure"]
SCALE = 3.0  # px per pt of the straightened page (216 dpi)
PAGE_SIZES = {"a4": (595.2756, 841.8898), "letter": (612.0, 792.0)}


class BoxReading(msgspec.Struct, frozen=True):
    state: State
    strong: float  # share of the interior that is clearly ink
    faint: float  # share that is at least faintly darker than the paper
    spread: float  # how far the ink reaches across the interior, 0..1


class PageReading(msgspec.Struct):
    source: str  # "scan.pdf page 3" or "photo.jpg"
    page_id: str = ""
    record: PageRecord | None = None
    problem: str = ""  # why the page could not be read; "" when it was
    boxes: list[BoxReading] = msgspec.field(default_factory=list)
    page_image: Image | None = None  # the straightened page, for review pictures


_DICTIONARY = cv2.aruco.getPredefinedDictionary(cv2.aruco.DICT_4X4_50)


def _detector(lenient: bool) -> cv2.aruco.ArucoDetector:
    params = cv2.aruco.DetectorParameters()
    params.cornerRefinementMethod = cv2.aruco.CORNER_REFINE_SUBPIX
    if lenient:  # blurred photos: accept more wrong bits; the homography check catches a miss
        params.errorCorrectionRate = 1.0
        params.maxErroneousBitsInBorderRate = 0.5
    return cv2.aruco.ArucoDetector(_DICTIONARY, params)


def find_markers(gray: Image) -> dict[int, npt.NDArray[np.float32]]:
    """Corners (4x2, marker's own top-left first, clockwise) of each of our markers seen once."""
    found = _markers(gray, lenient=False)
    if len(found) < len(MARKER_IDS):
        for marker_id, corners in _markers(gray, lenient=True).items():
            found.setdefault(marker_id, corners)
    return found


def _markers(gray: Image, lenient: bool) -> dict[int, npt.NDArray[np.float32]]:
    corners, ids, _ = _detector(lenient).detectMarkers(gray)
    found: dict[int, list[npt.NDArray[np.float32]]] = {}
    if ids is not None:
        for marker_corners, marker_id in zip(corners, ids.ravel(), strict=True):
            if int(marker_id) in MARKER_IDS:
                found.setdefault(int(marker_id), []).append(
                    np.asarray(marker_corners, np.float32).reshape(4, 2)
                )
    return {marker_id: c[0] for marker_id, c in found.items() if len(c) == 1}


def _page_points(
    geometry_markers: tuple[tuple[float, float], ...], size: float, height: float, marker_id: int
) -> npt.NDArray[np.float32]:
    """A marker's corners on the straightened page image (px), in the detector's order."""
    cx, cy = geometry_markers[MARKER_IDS.index(marker_id)]
    half = size / 2
    corners = [
        (cx - half, cy + half),
        (cx + half, cy + half),
        (cx + half, cy - half),
        (cx - half, cy - half),
    ]
    return np.array([(x * SCALE, (height - y) * SCALE) for x, y in corners], np.float32)


def homography(
    markers: dict[int, npt.NDArray[np.float32]],
    geometry_markers: tuple[tuple[float, float], ...],
    marker_size: float,
    page_height: float,
) -> npt.NDArray[np.float64] | None:
    if len(markers) < 3:
        return None
    src = np.concatenate([markers[i] for i in sorted(markers)])
    dst = np.concatenate(
        [_page_points(geometry_markers, marker_size, page_height, i) for i in sorted(markers)]
    )
    # RANSAC: a marker found in the wrong place (a misread id) does not bend the page
    matrix, inliers = cv2.findHomography(src, dst, cv2.RANSAC, 2.0 * SCALE)
    if matrix is None or inliers is None or int(inliers.sum()) < 12:
        return None
    return np.asarray(matrix, dtype=np.float64)


def straighten(
    gray: Image, matrix: npt.NDArray[np.float64], page_size: tuple[float, float]
) -> Image:
    size = (round(page_size[0] * SCALE), round(page_size[1] * SCALE))
    return np.asarray(
        cv2.warpPerspective(gray, matrix, size, flags=cv2.INTER_AREA, borderValue=255), np.uint8
    )


def read_qr(gray: Image, first_scale: float = 1.0) -> str:
    """The text of a QR code in the image, "" when none is found. A blurred code that is found
    but not decoded is tried again cut out, enlarged, sharpened and thresholded."""
    detector = cv2.QRCodeDetector()
    for factor in (first_scale, 0.5 * first_scale, 1.0 if first_scale < 1 else 0.35):
        image = _scaled(gray, factor)
        text = _decode(detector, image)
        if text:
            return text
        found, points = detector.detect(image)
        if found and points is not None:
            text = _decode_cut_out(detector, image, points.reshape(-1, 2))
            if text:
                return text
    return ""


def read_qr_in_tiles(page: Image) -> str:
    """Last try on a straightened page: the code searched tile by tile (a small code on a big,
    blurred page is found more easily in a small picture)."""
    detector = cv2.QRCodeDetector()
    small = _scaled(page, 2 / SCALE)
    height, width = small.shape
    size = 360  # px at 2 px/pt: the code plus plenty of room
    for y in range(0, max(height - size, 0) + 1, size // 2):
        for x in range(0, max(width - size, 0) + 1, size // 2):
            tile = small[y : y + size, x : x + size]
            for variant in _variants(tile):
                text = _decode(detector, variant)
                if text:
                    return text
    return ""


def _scaled(image: Image, factor: float) -> Image:
    if factor == 1.0:
        return image
    return np.asarray(
        cv2.resize(image, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA), np.uint8
    )


def _decode(detector: cv2.QRCodeDetector, image: Image) -> str:
    try:
        text, _points, _ = detector.detectAndDecode(image)
    except cv2.error:
        return ""
    return str(text or "")


def _decode_cut_out(detector: cv2.QRCodeDetector, image: Image, points: npt.NDArray[Any]) -> str:
    x0, y0 = np.maximum(points.min(axis=0).astype(int), 0)
    x1, y1 = points.max(axis=0).astype(int)
    margin = max(int((x1 - x0) * 0.3), 8)
    cut = image[max(y0 - margin, 0) : y1 + margin, max(x0 - margin, 0) : x1 + margin]
    if cut.size == 0:
        return ""
    for variant in _variants(cut):
        text = _decode(detector, variant)
        if text:
            return text
    return ""


def _variants(cut: Image) -> list[Image]:
    big = np.asarray(cv2.resize(cut, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC), np.uint8)
    sharp = np.asarray(
        cv2.addWeighted(cut, 2.0, cv2.GaussianBlur(cut, (0, 0), 3), -1.0, 0), np.uint8
    )
    binary = np.asarray(
        cv2.adaptiveThreshold(cut, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, 51, 10),
        np.uint8,
    )
    return [cut, big, sharp, binary]


def _guess_page(markers: dict[int, npt.NDArray[np.float32]]) -> tuple[float, float]:
    """A4 or Letter, from the distances between the markers (before the QR says which)."""
    centres = {i: c.mean(axis=0) for i, c in markers.items()}
    if len(centres) < 3:
        return PAGE_SIZES["a4"]
    i = sorted(centres)
    spans = [
        float(np.linalg.norm(centres[a] - centres[b]))
        for a, b in zip(i, i[1:] + i[:1], strict=True)
    ]
    ratio = max(spans) / max(min(spans), 1.0)
    best = min(PAGE_SIZES.values(), key=lambda s: abs(_marker_ratio(s) - ratio))
    return best


def _marker_ratio(size: tuple[float, float]) -> float:
    m = corner_markers(size)
    tall = abs(m[0][1] - m[3][1])
    wide = abs(m[1][0] - m[0][0])
    return max(tall, wide) / min(tall, wide)


def read_page(gray: Image, source: str, registry: Registry) -> PageReading:
    """Identify, straighten and read one page image."""
    reading = PageReading(source)
    markers = find_markers(gray)
    page_id = ""
    straight: tuple[tuple[float, float], Image] | None = None
    if len(markers) >= 3:
        # straighten with the standard marker places first: the QR code is then upright,
        # sharp enough and small to search, and usually this is already the final picture
        guess = _guess_page(markers)
        matrix = homography(markers, corner_markers(guess), MARKER_SIZE, guess[1])
        if matrix is not None:
            straight = (guess, straighten(gray, matrix, guess))
            page_id = read_qr(straight[1], first_scale=2 / SCALE)
    if not page_id and straight is not None:
        page_id = read_qr_in_tiles(straight[1])
    if not page_id:
        page_id = read_qr(gray)
    if not page_id:
        if not markers:
            reading.problem = "no QR code and no corner markers found; is this a checklist page?"
        elif len(markers) < 3:
            reading.problem = (
                f"no QR code, and only {len(markers)} of 4 corner markers found; "
                "scan the whole page, flat and sharp"
            )
        else:
            reading.problem = "the QR code could not be read; scan again, sharper"
        return reading
    if not PAGE_ID_PATTERN.match(page_id):
        reading.problem = "the QR code is not one of our checklist pages"
        return reading
    reading.page_id = page_id
    record = registry.load(page_id)
    if record is None:
        reading.problem = (
            f"unknown page id {page_id}: not made with this out/ folder (give the folder the "
            "checklists were made in with --state)"
        )
        return reading
    reading.record = record
    g = record.geometry
    if len(markers) < 3:
        missing = len(MARKER_IDS) - len(markers)
        reading.problem = (
            f"{missing} corner markers not found; the whole page must be in the picture"
        )
        return reading
    standard = corner_markers(g.page_size)
    if (
        straight is not None
        and np.allclose(straight[0], g.page_size, atol=0.5)
        and g.marker_size == MARKER_SIZE
        and np.allclose(g.markers, standard)
    ):
        page = straight[1]
    else:
        matrix = homography(markers, g.markers, g.marker_size, g.page_size[1])
        if matrix is None:
            reading.problem = "the corner markers do not fit a page; scan again"
            return reading
        page = straighten(gray, matrix, g.page_size)
    reading.page_image = page
    if lined_up(page, g) < 0.8:
        reading.problem = "the page could not be lined up (creased, folded or cut off?); scan again"
        return reading
    reading.boxes = classify_boxes(page, g)
    return reading


STRONG = 0.40  # darkness (1 - grey / paper) of clear ink: a pen, a firm pencil
FAINT = 0.22  # darkness of faint pencil, above a light smudge
TRACE = 0.10  # the faintest line worth a look


def lined_up(page: Image, g: PageGeometry) -> float:
    """The share of boxes whose printed sides are where the geometry says: both a vertical and
    a horizontal side darker than the paper 3 pt outside the box. A page that is not lined up
    (a wrong homography, a fold) is never read: its box borders would read as ticks."""
    height = g.page_size[1]
    hits = 0
    for box in g.boxes:
        x0, x1, y0, y1 = _px(box, height, 0.0)
        ox0, ox1, oy0, oy1 = _px(box, height, -3.5)
        if min(ox0, oy0) < 0 or ox1 > page.shape[1] or oy1 > page.shape[0]:
            continue
        w = max(round(0.6 * SCALE), 1)
        inner_x = slice(x0 + 3 * w, x1 - 3 * w)
        inner_y = slice(y0 + 3 * w, y1 - 3 * w)
        sides_v = [page[inner_y, x - w : x + w + 1] for x in (x0, x1)]
        sides_h = [page[y - w : y + w + 1, inner_x] for y in (y0, y1)]
        paper = float(
            np.median(
                np.concatenate(
                    [
                        page[oy0 : oy0 + w + 1, ox0:ox1].ravel(),
                        page[oy1 - w - 1 : oy1, ox0:ox1].ravel(),
                        page[oy0:oy1, ox0 : ox0 + w + 1].ravel(),
                        page[oy0:oy1, ox1 - w - 1 : ox1].ravel(),
                    ]
                )
            )
        )
        vertical = min(float(side.mean()) for side in sides_v)
        horizontal = min(float(side.mean()) for side in sides_h)
        hits += max(vertical, horizontal) < paper - 12
    return hits / max(len(g.boxes), 1)


def classify_boxes(page: Image, g: PageGeometry) -> list[BoxReading]:
    height = g.page_size[1]
    return [classify(page, box, height) for box in g.boxes]


def _px(box: Box, height: float, inset: float) -> tuple[int, int, int, int]:
    """Pixel bounds (x0, x1, y0, y1) of a box shrunk by inset pt (grown when negative)."""
    x, y, w, h = box.rect
    return (
        round((x + inset) * SCALE),
        round((x + w - inset) * SCALE),
        round((height - y - h + inset) * SCALE),
        round((height - y - inset) * SCALE),
    )


def classify(page: Image, box: Box, height: float) -> BoxReading:
    """Darkness inside the box relative to the paper just around it (tints and shade vary)."""
    ox0, ox1, oy0, oy1 = _px(box, height, -4.0)
    ox0, oy0 = max(ox0, 0), max(oy0, 0)
    around = page[oy0:oy1, ox0:ox1]
    ix0, ix1, iy0, iy1 = _px(box, height, max(0.2 * min(box.rect[2], box.rect[3]), 2.2))
    inside = page[max(iy0, 0) : iy1, max(ix0, 0) : ix1].astype(np.float32)
    if inside.size == 0 or around.size == 0:
        return BoxReading("unsure", 0.0, 0.0, 0.0)
    # the paper: bright pixels of the ring around the box (its border line and marks are darker)
    ring = around.copy()
    ring[iy0 - oy0 : iy1 - oy0, ix0 - ox0 : ix1 - ox0] = 0
    paper = max(float(np.percentile(ring[ring > 0], 85)) if (ring > 0).any() else 255.0, 40.0)
    # a box printed on a tint: its own brightest part is the paper, unless it is inked all over
    own = float(np.percentile(inside, 95))
    if own >= 0.75 * paper:
        paper = own
    darkness = cv2.medianBlur(1.0 - inside / paper, 3)  # drops single noisy pixels
    strong_mask = darkness > STRONG
    faint_mask = darkness > FAINT
    strong = float(strong_mask.mean())
    faint = float(faint_mask.mean())
    spread, fill = _extent(faint_mask)
    state: State
    if (strong >= 0.10 and spread >= 0.5) or (faint >= 0.12 and spread >= 0.6 and fill < 0.6):
        state = "ticked"
    elif faint < 0.025 or (faint < 0.06 and spread < 0.35):
        state = "empty"
        # very faint lines across the box (a light pencil, blurred): a person decides
        trace_spread, trace_fill = _extent(darkness > TRACE)
        if trace_spread >= 0.6 and trace_fill < 0.6:
            state = "unsure"
    else:
        state = "unsure"
    return BoxReading(state, round(strong, 4), round(faint, 4), round(spread, 3))


def _extent(mask: npt.NDArray[np.bool_]) -> tuple[float, float]:
    """How far the marked pixels reach (the larger of their row and column extents, 0..1),
    and how much of their bounding box they fill (strokes little, a smudge or blob much)."""
    if not mask.any():
        return 0.0, 0.0
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    height, width = rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1
    spread = max(height / mask.shape[0], width / mask.shape[1])
    return float(spread), float(mask.sum() / (height * width))
