"""Pages as grey images: scanner PDFs rasterised with pypdfium2, photos decoded with OpenCV.

Limits keep a bad or hostile file from eating the machine: files over MAX_FILE_BYTES are
refused, PDFs over MAX_PAGES pages are read up to that page, images are shrunk to MAX_SIDE.
"""

from __future__ import annotations

from collections.abc import Iterable

import cv2
import numpy as np
import numpy.typing as npt
import pypdfium2 as pdfium

Image = npt.NDArray[np.uint8]
MAX_FILE_BYTES = 80 * 1024 * 1024
MAX_PAGES = 200
MAX_PIXELS = 120_000_000  # a 100 MP camera; anything larger is refused before decoding
MAX_SIDE = 4200  # px; a 12 MP phone photo is 4000 wide, A4 at 300 dpi is 3508 high
SCAN_DPI = 200


class RasterError(Exception):
    """A file that is not a readable PDF or image; the message says why."""


def rasterise_pdf(
    data: bytes,
    dpi: int = SCAN_DPI,
    pages: Iterable[int] | None = None,
    password: str | None = None,
) -> list[Image]:
    """Render PDF pages to grey images (rows from the top)."""
    try:
        pdf = pdfium.PdfDocument(data, password=password)
    except pdfium.PdfiumError as err:
        raise RasterError(f"not a readable PDF ({err})") from None
    try:
        wanted = list(pages) if pages is not None else list(range(min(len(pdf), MAX_PAGES)))
        images = []
        for index in wanted:
            page = pdf[index]
            width, height = page.get_size()
            scale = min(dpi / 72, MAX_SIDE / max(width, height))
            bitmap = page.render(scale=scale, grayscale=True)
            array = bitmap.to_numpy()
            if array.ndim == 3:
                array = cv2.cvtColor(array, cv2.COLOR_BGR2GRAY)
            images.append(np.ascontiguousarray(array))
            page.close()
        return images
    finally:
        pdf.close()


def decode_image(data: bytes) -> Image:
    """A PNG or JPEG photo as a grey image, shrunk to MAX_SIDE."""
    size = image_size(data)
    if size is None:
        raise RasterError("not a readable PNG or JPEG image")
    if size[0] * size[1] > MAX_PIXELS:
        raise RasterError(f"{size[0]} x {size[1]} pixels is more than any photo; make it smaller")
    # a big photo is decoded at half or a quarter size straight away: faster, less memory
    flag = cv2.IMREAD_GRAYSCALE
    if max(size) > 4 * MAX_SIDE:
        flag = cv2.IMREAD_REDUCED_GRAYSCALE_4
    elif max(size) > 2 * MAX_SIDE:
        flag = cv2.IMREAD_REDUCED_GRAYSCALE_2
    image = cv2.imdecode(np.frombuffer(data, np.uint8), flag)
    if image is None:
        raise RasterError("not a readable PNG or JPEG image")
    longest = max(image.shape[:2])
    if longest > MAX_SIDE:
        factor = MAX_SIDE / longest
        image = cv2.resize(image, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    return np.asarray(image, dtype=np.uint8)


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from a PNG or JPEG header, before decoding (a small file can claim
    a huge picture)."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if data[:2] != b"\xff\xd8":
        return None
    at = 2
    while at + 9 < len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        length = int.from_bytes(data[at + 2 : at + 4], "big")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):  # a start of frame
            height = int.from_bytes(data[at + 5 : at + 7], "big")
            width = int.from_bytes(data[at + 7 : at + 9], "big")
            return width, height
        at += 2 + length
    return None
