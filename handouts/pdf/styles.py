"""Sizes and colours. Body text is 11 pt (14 pt in large print); all colours stay distinct in
grayscale, and every colour-coded thing also carries a word."""

from __future__ import annotations

from functools import cache

import msgspec
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle

from handouts.pdf.fonts import BOLD, REGULAR

PAGE_SIZES = {"a4": A4, "letter": LETTER}

INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#4a4a4a")
RULE = colors.HexColor("#9e9e9e")
LIGHT = colors.HexColor("#f1f1f1")
REST_FILL = colors.HexColor("#e4e4e4")

# traffic light: different in lightness as well as hue, so grayscale still separates them
GREEN = colors.HexColor("#2e7d32")
AMBER = colors.HexColor("#f2a900")
RED = colors.HexColor("#b71c1c")
ZONE_COLOURS = {"green": GREEN, "amber": AMBER, "red": RED}
ZONE_TINTS = {
    "green": colors.HexColor("#e6f2e6"),
    "amber": colors.HexColor("#fdf3d6"),
    "red": colors.HexColor("#f8e1e1"),
}


class Sizes(msgspec.Struct, frozen=True):
    body: float
    small: float
    heading: float
    title: float
    leading: float  # line height as a factor of the font size

    @property
    def body_leading(self) -> float:
        return self.body * self.leading


NORMAL = Sizes(body=11, small=9.5, heading=13.5, title=20, leading=1.22)
LARGE = Sizes(body=14, small=12, heading=17, title=24, leading=1.22)


def sizes(large_print: bool) -> Sizes:
    return LARGE if large_print else NORMAL


@cache
def paragraph_styles(large_print: bool, accent_hex: str) -> dict[str, ParagraphStyle]:
    s = sizes(large_print)
    accent = colors.HexColor(accent_hex)

    def style(name: str, size: float, font: str = REGULAR, **extra: object) -> ParagraphStyle:
        settings: dict[str, object] = {
            "fontName": font,
            "fontSize": size,
            "leading": size * s.leading,
            "textColor": INK,
            "alignment": TA_LEFT,
            "bulletFontName": REGULAR,  # the default bullet font is unembedded Helvetica
            "bulletFontSize": size,
        }
        return ParagraphStyle(name, **(settings | extra))

    return {
        "title": style("title", s.title, BOLD, textColor=accent, leading=s.title * 1.15),
        "heading": style("heading", s.heading, BOLD, spaceBefore=4, spaceAfter=3),
        "card_title": style("card_title", s.heading, BOLD, textColor=accent),
        "body": style("body", s.body),
        "paragraph": style("paragraph", s.body, spaceAfter=s.body * 0.4),
        "label": style("label", s.body, BOLD),
        "small": style("small", s.small, textColor=MUTED),
        "week_note": style("week_note", s.small, BOLD, textColor=accent, spaceBefore=2),
        # the therapist's appendix: small in every print size (it is not for the patient)
        "reference": style("reference", 6.5, textColor=MUTED, leading=7.8, spaceAfter=1.5),
        "step": style("step", s.body, leftIndent=s.body * 1.6, bulletIndent=0, spaceAfter=1.5),
        "bullet": style("bullet", s.body, leftIndent=s.body * 1.2, bulletIndent=0, spaceAfter=1),
    }
