"""The attachment passwords for the front desk: out/passwords.csv and a printable
out/passwords.pdf. They are given to the patient by phone or text message, never by email.

Both files list every protected attachment the ledger knows in this folder (also those of
earlier runs), so the list is complete whatever was re-run. They are readable by the owner
only (mode 0600).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from pathlib import Path
from xml.sax.saxutils import escape

from handouts.deliver import atomic_write
from handouts.mail.ledger import Entry

CSV_NAME = "passwords.csv"
PDF_NAME = "passwords.pdf"
STATUS_WORDS = {
    "pending": "wacht",
    "sent": "verstuurd",
    "failed": "mislukt",
    "unknown": "onbekend",
    "drafted": "concept",
}


def write_passwords(entries: list[Entry], out_dir: Path, today: dt.date) -> tuple[Path, Path]:
    csv_path, pdf_path = out_dir / CSV_NAME, out_dir / PDF_NAME
    _private(csv_path, passwords_csv(entries))
    _private(pdf_path, passwords_pdf(entries, today))
    return csv_path, pdf_path


def _private(path: Path, data: bytes) -> None:
    atomic_write(path, data)
    os.chmod(path, 0o600)


def passwords_csv(entries: list[Entry]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["name", "id", "email", "password", "status"])
    for entry in entries:
        writer.writerow(
            [
                _cell(entry.name),
                _cell(entry.key),
                _cell(entry.address),
                entry.password,
                entry.status,
            ]
        )
    return out.getvalue().encode("utf-8-sig")  # with a BOM: Excel then reads UTF-8


def _cell(text: str) -> str:
    """A spreadsheet must not take a name for a formula (=, +, -, @ at the start)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def passwords_pdf(entries: list[Entry], today: dt.date) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from handouts.pdf import fonts

    fonts.register()
    body = ParagraphStyle("body", fontName=fonts.REGULAR, fontSize=10, leading=13)
    head = ParagraphStyle("head", parent=body, fontName=fonts.BOLD)
    small = ParagraphStyle("small", parent=body, fontSize=8.5, leading=11)
    title = ParagraphStyle("title", parent=body, fontName=fonts.BOLD, fontSize=16, leading=20)
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title="Wachtwoorden",
        invariant=1,
        initialFontName=fonts.REGULAR,  # else every page references unembedded Helvetica
    )
    rows = [[Paragraph(t, head) for t in ("Patiënt", "E-mail", "Wachtwoord", "Status")]]
    for entry in entries:
        rows.append(
            [
                Paragraph(escape(entry.name), body),
                Paragraph(escape(entry.address), small),
                entry.password,  # a plain cell: never broken at its dashes
                Paragraph(STATUS_WORDS.get(entry.status, entry.status), body),
            ]
        )
    table = Table(rows, colWidths=[43 * mm, 52 * mm, 53 * mm, 26 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), fonts.REGULAR),
                ("FONT", (2, 1), (2, -1), fonts.BOLD, 11),  # "mmmm-mmmm-mmmm" fits
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LINEBELOW", (0, 0), (-1, 0), 1, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, colors.grey),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    made = today.strftime("%d-%m-%Y")
    story = [
        Paragraph("Wachtwoorden van de bijlagen", title),
        Spacer(1, 3 * mm),
        Paragraph(
            f"Gemaakt op {made}. Geef elk wachtwoord aan de patiënt via de telefoon of een sms, "
            "nooit per e-mail. Het streepje hoort bij het wachtwoord; alleen kleine letters. "
            "Bewaar deze lijst achter slot en vernietig hem daarna.",
            body,
        ),
        Spacer(1, 5 * mm),
        table,
    ]
    if not entries:
        story.append(Paragraph("Geen beveiligde bijlagen.", body))

    def page_number(canvas: object, document: object) -> None:
        canvas.setFont(fonts.REGULAR, 8)  # type: ignore[attr-defined]
        canvas.drawRightString(  # type: ignore[attr-defined]
            A4[0] - 18 * mm,
            10 * mm,
            f"pagina {canvas.getPageNumber()}",  # type: ignore[attr-defined]
        )

    doc.build(story, onFirstPage=page_number, onLaterPages=page_number)
    return out.getvalue()
