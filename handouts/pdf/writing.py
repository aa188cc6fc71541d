"""Writing a fast document's objects out faster: the same bytes as reportlab's own code.

When a canvas is saved, reportlab turns every object (pages, forms, fonts, their resource
dictionaries) into bytes through one generic format() function that tests each value's type,
escapes and encodes every name, and formats every number and reference: a checklist has ~80
objects. The versions here skip the repeated work (names are encoded once per process,
numbers and references without the codec machinery): 11 % fewer instructions per pack
(callgrind, README).

reportlab's objects call the module's format() by its global name, so the only way in is to
replace it and three format methods. install() does that once per process (at import of
accel.py) and never undoes it: each replacement checks the document it is given and is
reportlab's own function for any document that is not a fast one (of a class installed).
Nothing is switched per PDF, so PDFs made at the same time in other threads, fast or plain,
are not affected; the functions keep no state (their caches are thread-safe lru_caches).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from functools import lru_cache
from typing import Any

from reportlab import rl_config
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfdoc

_format = pdfdoc.format
_dictionary_format = pdfdoc.PDFDictionary.format
_array_format = pdfdoc.PDFArray.format
_reference_format = pdfdoc.PDFObjectReference.format


@lru_cache(maxsize=4096)
def _encoded(text: str) -> bytes:
    return bytes(pdfdoc.pdfdocEnc(text))


@lru_cache(maxsize=4096)
def _name(key: str) -> bytes:
    return _encoded(pdfdoc.PDFName(key))


_FAST_DOCUMENTS: set[type] = set()  # the document classes written here (accel.py's)


def format_value(element: Any, document: Any, toplevel: int = 0) -> bytes:
    """pdfdoc.format, with the common plain values first."""
    if type(document) not in _FAST_DOCUMENTS:
        return _format(element, document, toplevel)  # type: ignore[no-any-return]
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
    if type(document) not in _FAST_DOCUMENTS:
        return _dictionary_format(self, document, IND)  # type: ignore[no-any-return]
    entries = self.dict
    keys = list(entries) if isinstance(entries, OrderedDict) else sorted(entries)
    items = [_name(key) + b" " + format_value(entries[key], document) for key in keys]
    return b"<<\n" + _join(self, items, IND, 6) + b"\n>>"


def array_format(self: Any, document: Any, IND: bytes = b"\n ") -> bytes:
    if type(document) not in _FAST_DOCUMENTS:
        return _array_format(self, document, IND)  # type: ignore[no-any-return]
    items = [format_value(element, document) for element in self.sequence]
    if len(items) <= 10 and not (
        (self.multiline and rl_config.pdfMultiLine) or self.multiline == "forced"
    ):
        return b"[ " + b" ".join(items) + b" ]"
    return b"[ " + _join(self, items, IND, 10) + b" ]"


def reference_format(self: Any, document: Any) -> bytes:
    if type(document) not in _FAST_DOCUMENTS:
        return _reference_format(self, document)  # type: ignore[no-any-return]
    try:
        number, version = document.idToObjectNumberAndVersion[self.name]
    except KeyError:
        raise KeyError(
            f"forward reference to {self.name!r} not resolved upon final formatting"
        ) from None
    return b"%d %d R" % (number, version)


_installed = threading.Lock()


def install(document_class: type) -> None:
    """Put the functions above in place of reportlab's, once per process, for documents of
    document_class."""
    with _installed:
        _FAST_DOCUMENTS.add(document_class)
        if pdfdoc.format is format_value:
            return
        pdfdoc.format = format_value  # the module's functions look it up when they run
        pdfdoc.PDFDictionary.format = dictionary_format
        pdfdoc.PDFArray.format = array_format
        pdfdoc.PDFObjectReference.format = reference_format
