"""Writing a PDF's objects out faster: the same bytes as reportlab's own code.

When a canvas is saved, reportlab turns every object (pages, forms, fonts, their resource
dictionaries) into bytes through one generic format() function that tests each value's type,
escapes and encodes every name, and formats every number and reference. That was a fifth of
a pack's time: a checklist has ~80 objects. The versions here skip the repeated work (names
are encoded once per process, numbers and references without the codec machinery) and are
installed only while speed.pdf_streams() makes a PDF. Forms' operators, too, are encoded
without reportlab's general character-map codec.
"""

from __future__ import annotations

import contextlib
import re
from collections import OrderedDict
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from reportlab import rl_config
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfdoc

_format = pdfdoc.format
_dictionary_format = pdfdoc.PDFDictionary.format
_array_format = pdfdoc.PDFArray.format
_reference_format = pdfdoc.PDFObjectReference.format
_set_stream_list = pdfdoc.PDFFormXObject.setStreamList
_NOT_IN_PDFDOC = re.compile(rb"[\x18-\x1f]")  # ASCII that PDFDocEncoding has no code for


@lru_cache(maxsize=4096)
def _encoded(text: str) -> bytes:
    return bytes(pdfdoc.pdfdocEnc(text))


@lru_cache(maxsize=4096)
def _name(key: str) -> bytes:
    return _encoded(pdfdoc.PDFName(key))


def format_value(element: Any, document: Any, toplevel: int = 0) -> bytes:
    """pdfdoc.format, with the common plain values first."""
    kind = type(element)
    if kind is bytes:
        return element  # type: ignore[no-any-return]
    if kind is float or kind is int:
        return fp_str(element).encode("ascii")  # type: ignore[no-any-return]
    if kind is str:
        return _encoded(element)
    return _format(element, document, toplevel)  # type: ignore[no-any-return]


def _join(self: Any, items: list[bytes], indent: bytes, every: int) -> bytes:
    """How reportlab joins the items of a dictionary or an array."""
    if (self.multiline and rl_config.pdfMultiLine) or self.multiline == "forced":
        return indent.join(items)
    for i in reversed(range(every, len(items), every)):
        items.insert(i, b"\n ")
    return b" ".join(items)


def dictionary_format(self: Any, document: Any, IND: bytes = b"\n ") -> bytes:
    entries = self.dict
    keys = list(entries) if isinstance(entries, OrderedDict) else sorted(entries)
    items = [_name(key) + b" " + format_value(entries[key], document) for key in keys]
    return b"<<\n" + _join(self, items, IND, 6) + b"\n>>"


def array_format(self: Any, document: Any, IND: bytes = b"\n ") -> bytes:
    items = [format_value(element, document) for element in self.sequence]
    if len(items) <= 10 and not (
        (self.multiline and rl_config.pdfMultiLine) or self.multiline == "forced"
    ):
        return b"[ " + b" ".join(items) + b" ]"
    return b"[ " + _join(self, items, IND, 10) + b" ]"


def reference_format(self: Any, document: Any) -> bytes:
    try:
        number, version = document.idToObjectNumberAndVersion[self.name]
    except KeyError:
        raise KeyError(
            f"forward reference to {self.name!r} not resolved upon final formatting"
        ) from None
    return b"%d %d R" % (number, version)


def set_stream_list(self: Any, data: Any) -> None:
    """A form's operators as bytes. They are ASCII (reportlab escapes the rest), where
    PDFDocEncoding is ASCII: encoded as such without reportlab's character map codec."""
    if isinstance(data, (list, tuple)):
        data = "\n".join(data)
    if isinstance(data, str) and data.isascii():
        encoded = data.encode("ascii")
        if not _NOT_IN_PDFDOC.search(encoded):
            self.stream = encoded
            return
    _set_stream_list(self, data)  # the codec, and its error for what it cannot encode


@contextlib.contextmanager
def faster_writing() -> Iterator[None]:
    pdfdoc.format = format_value  # the module's functions look it up when they run
    pdfdoc.PDFDictionary.format = dictionary_format
    pdfdoc.PDFArray.format = array_format
    pdfdoc.PDFObjectReference.format = reference_format
    pdfdoc.PDFFormXObject.setStreamList = set_stream_list
    try:
        yield
    finally:
        pdfdoc.format = _format
        pdfdoc.PDFDictionary.format = _dictionary_format
        pdfdoc.PDFArray.format = _array_format
        pdfdoc.PDFObjectReference.format = _reference_format
        pdfdoc.PDFFormXObject.setStreamList = _set_stream_list
