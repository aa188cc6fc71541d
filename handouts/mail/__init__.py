"""Email the PDFs to patients: drafts (.eml) or sent through the practice's SMTP server.

Along the data flow: templates (subject and bodies) -> protect (one PDF, AES-256 with a
password per patient) -> message (MIME) -> ledger (never twice) -> smtp (one connection) ->
passwords (front desk list) and report. `deliver` is what `generate`, `batch` and the
`email` command call.

pikepdf and keyring are in the `email` extra: `pip install 'handouts[email]'`.
"""

from handouts.mail.message import Attachment
from handouts.mail.report import EmailReport
from handouts.mail.send import Mode, PatientPdfs, deliver, first_name
from handouts.mail.smtp import MailError

__all__ = ["Attachment", "EmailReport", "MailError", "Mode", "PatientPdfs", "deliver", "first_name"]
