"""One email, built from its parts (pure: no files, no network).

multipart/mixed
  multipart/alternative: text/plain, text/html   (the same words; mail apps pick one)
  application/pdf                                (the attachment, encrypted or not)
A draft carries `X-Unsent: 1`, so that Outlook and Thunderbird open the .eml as an unsent
message the therapist can check and send (or hand to a secure-mail plug-in).
"""

from __future__ import annotations

import email.policy
import email.utils
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path

import msgspec

from handouts.errors import OutputError
from handouts.mail.templates import Texts
from handouts.models import Sender


class Attachment(msgspec.Struct, frozen=True):
    """A PDF to attach: its bytes, or the file to read them from when the message is made
    (so that a batch of 1,000 patients does not hold 1,000 PDFs in memory)."""

    filename: str
    data: bytes | Path

    def read(self) -> bytes:
        if isinstance(self.data, bytes):
            return self.data
        try:
            return self.data.read_bytes()
        except OSError as err:
            raise OutputError(f"{self.data}: cannot read ({err.strerror}); make it again") from None


def build(
    *,
    sender: Sender | None,
    to: str,
    texts: Texts,
    attachment: Attachment,
    reply_to: str | None = None,
    draft: bool = False,
) -> EmailMessage:
    message = EmailMessage(policy=email.policy.SMTP)
    if sender is not None:  # a draft without one gets it from the mail app
        message["From"] = _address(sender.name, sender.address)
    message["To"] = _address("", to)
    if reply_to:
        message["Reply-To"] = _address("", reply_to)
    message["Subject"] = texts.subject
    if draft:
        message["X-Unsent"] = "1"
    else:
        message["Date"] = email.utils.formatdate(localtime=True)
    domain = sender.address.rpartition("@")[2] if sender else None
    message["Message-ID"] = email.utils.make_msgid(domain=domain)
    message.set_content(texts.plain, subtype="plain", charset="utf-8")
    message.add_alternative(texts.html, subtype="html", charset="utf-8")
    message.add_attachment(
        attachment.read(), maintype="application", subtype="pdf", filename=attachment.filename
    )
    return message


def _address(name: str, address: str) -> Address:
    user, _, domain = address.rpartition("@")
    return Address(display_name=name, username=user, domain=domain)
