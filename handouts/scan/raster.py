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
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE)
    if image is None:
        raise RasterError("not a readable PNG or JPEG image")
    longest = max(image.shape[:2])
    if longest > MAX_SIDE:
        factor = MAX_SIDE / longest
        image = cv2.resize(image, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    return np.asarray(image, dtype=np.uint8)
