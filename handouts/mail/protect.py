"""Password protection of the attachment: one PDF per patient, AES-256 (PDF 2.0 security,
revision 6) with a password made for that patient.

Why 12 characters from a 31-letter alphabet, and not four words: the front desk reads the
password out over the phone or types it into a text message, and the patient types it on a
phone. Lower-case letters and digits without look-alikes (no 0/o, 1/l/i, no capitals) survive
both; a word list would have to be shipped and kept for Dutch and English, and its words are
longer to type on a phone. 12 characters give 31^12 ≈ 2^59 guesses: years of work against
AES-256 revision 6 even for a fast offline attacker, long after the handout matters. They are
grouped by four with dashes (part of the password) so that reading aloud does not lose a place.
"""

from __future__ import annotations

import io
import secrets

ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0 o 1 i l: nothing that looks like another
GROUPS = 3
GROUP_SIZE = 4


def new_password() -> str:
    """e.g. 'k7mp-x2qd-9fht': 12 random characters, read out in three groups."""
    return "-".join(
        "".join(secrets.choice(ALPHABET) for _ in range(GROUP_SIZE)) for _ in range(GROUPS)
    )


def one_pdf(documents: list[bytes], password: str | None) -> bytes:
    """Handout and checklists joined into one PDF (one file, one password for the patient),
    encrypted with AES-256 (R=6) when a password is given. The patient's password opens it
    and allows everything (printing too); the owner password is random and kept nowhere.

    One pikepdf (qpdf) pass does both: 50 ms a patient, where joining with pypdf and then
    encrypting took 115 ms (benchmarks/email_throughput.py). Streams are not compressed
    again (they are already): that alone was a third of the time."""
    if len(documents) == 1 and not password:
        return documents[0]
    import pikepdf

    with pikepdf.open(io.BytesIO(documents[0])) as pdf:
        for document in documents[1:]:
            with pikepdf.open(io.BytesIO(document)) as other:
                pdf.pages.extend(other.pages)
        encryption: pikepdf.Encryption | bool = False
        if password:
            encryption = pikepdf.Encryption(
                user=password,
                owner=secrets.token_urlsafe(24),
                R=6,
                aes=True,
                metadata=True,
                allow=pikepdf.Permissions(),  # all allowed: the patient prints it
            )
        out = io.BytesIO()
        pdf.save(out, encryption=encryption, compress_streams=False, fix_metadata_version=False)
    return out.getvalue()
