"""Sending through the practice's SMTP server: one connection for many messages.

TLS always (STARTTLS on 587 or implicit TLS on 465) with ssl.create_default_context(): the
system's trusted certificates, so SSL_CERT_FILE works for a private CA. The password comes from
HANDOUTS_SMTP_PASSWORD or the system keyring, never from a file.

Each message goes MAIL, RCPT, DATA by hand (not smtplib.sendmail) so that we know whether its
content had started to go out when something went wrong (see ledger.py):
  before the content: 4xx or a lost connection -> RETRY; 5xx -> REFUSED
  after the server's 354: a lost connection or no answer -> UNKNOWN; 250 -> SENT;
  an explicit 4xx/5xx answer to the content -> RETRY / REFUSED (the server said it kept nothing)
"""

from __future__ import annotations

import contextlib
import enum
import os
import re
import smtplib
import socket
import ssl
import time
from collections.abc import Callable

import msgspec

from handouts.errors import HandoutsError
from handouts.models import Smtp

PASSWORD_VARIABLE = "HANDOUTS_SMTP_PASSWORD"


class MailError(HandoutsError):
    """The mail server cannot be used (connection, certificate, login). Exit code 1."""

    exit_code = 1


class Outcome(enum.Enum):
    SENT = "sent"
    RETRY = "retry"  # nothing delivered; try again (4xx, connection lost before the content)
    REFUSED = "refused"  # permanent refusal (5xx) before or of the content
    UNKNOWN = "unknown"  # lost during or after the content: perhaps delivered


class Result(msgspec.Struct, frozen=True):
    outcome: Outcome
    reason: str = ""  # for the report: the server's answer or what broke


def keyring_service(smtp: Smtp) -> str:
    return f"handouts-smtp:{smtp.host}"


def password_for(smtp: Smtp) -> str | None:
    """HANDOUTS_SMTP_PASSWORD, else the system keyring; None when neither has one."""
    from_environment = os.environ.get(PASSWORD_VARIABLE)
    if from_environment:
        return from_environment
    try:
        import keyring
        from keyring.errors import KeyringError

        try:
            return keyring.get_password(keyring_service(smtp), smtp.username)
        except KeyringError:
            return None
    except ImportError:
        return None


def store_password(smtp: Smtp, password: str) -> None:
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:
        raise MailError("the keyring package is missing; pip install 'handouts[email]'") from None
    try:
        keyring.set_password(keyring_service(smtp), smtp.username, password)
    except KeyringError as err:
        raise MailError(
            f"no system keyring to store the password in ({err}); "
            f"set {PASSWORD_VARIABLE} in the environment instead"
        ) from None


class Connection:
    """One logged-in connection, re-opened when it is lost."""

    def __init__(self, smtp: Smtp, password: str | None, timeout: float = 30.0) -> None:
        if smtp.username and not password:
            raise MailError(
                f"no SMTP password for {smtp.username} at {smtp.host}: set {PASSWORD_VARIABLE} "
                "or run `handouts email set-password --practice <file>`"
            )
        self.smtp = smtp
        self.password = password
        self.timeout = timeout
        self._client: smtplib.SMTP | None = None

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def open(self) -> None:
        if self._client is not None:
            return
        smtp, where = self.smtp, f"{self.smtp.host}:{self.smtp.port_or_default}"
        context = ssl.create_default_context()  # honours SSL_CERT_FILE / SSL_CERT_DIR
        client: smtplib.SMTP | None = None
        try:
            if smtp.security == "ssl":
                client = smtplib.SMTP_SSL(
                    smtp.host, smtp.port_or_default, timeout=self.timeout, context=context
                )
            else:
                client = smtplib.SMTP(smtp.host, smtp.port_or_default, timeout=self.timeout)
                client.ehlo()
                if not client.has_extn("starttls"):
                    raise MailError(
                        f"{where} does not offer STARTTLS; use `security: ssl` (port 465) "
                        "or the server's submission port"
                    )
                client.starttls(context=context)
                client.ehlo()
            if smtp.username:
                client.login(smtp.username, self.password or "")
        except smtplib.SMTPAuthenticationError as err:
            _quit(client)
            answer = _text(err.smtp_error)
            fix = (
                f"check the password ({PASSWORD_VARIABLE} or `handouts email set-password`) "
                "and smtp.username"
            )
            if "5.7.139" in answer or "basic authentication is disabled" in answer.lower():
                # Microsoft 365 turns password login for SMTP off by default from the end of
                # December 2026 (message center MC786329); OAuth is not supported here yet
                fix = (
                    "Microsoft 365 has password login for SMTP (SMTP AUTH) switched off; "
                    "an administrator can switch it on for this mailbox, or use --email draft"
                )
            raise MailError(
                f"{where}: the server refused the login of {smtp.username} "
                f"({err.smtp_code} {answer}); {fix}"
            ) from None
        except smtplib.SMTPNotSupportedError:
            _quit(client)
            raise MailError(
                f"{where} does not offer a login (AUTH); check smtp.host, port and security"
            ) from None
        except ssl.SSLCertVerificationError as err:
            _quit(client)
            raise MailError(
                f"{where}: the server's certificate is not trusted ({err.verify_message}); "
                "check smtp.host, or set SSL_CERT_FILE for a private CA"
            ) from None
        except (OSError, smtplib.SMTPException) as err:
            _quit(client)
            raise MailError(
                f"cannot connect to {where} ({_error(err)}); check smtp.host, port and "
                "security, and the network"
            ) from None
        self._client = client

    def close(self) -> None:
        _quit(self._client)
        self._client = None

    def send(
        self, sender: str, recipient: str, data: bytes, content_starts: Callable[[], None]
    ) -> Result:
        """One message. content_starts() is called after the server's 354, just before the
        content goes out (the ledger marks it `unknown` then)."""
        client = self._client
        if client is None:
            return Result(Outcome.RETRY, "not connected")
        try:
            to = _ascii_address(recipient)
        except UnicodeError:
            return Result(
                Outcome.REFUSED, "address has letters before the @ that SMTP cannot carry"
            )
        try:
            code, answer = client.mail(sender)
            if code != 250:
                return self._refused(code, answer)
            code, answer = client.rcpt(to)
            if code not in (250, 251):
                return self._refused(code, answer)
            code, answer = client.docmd("DATA")
            if code != 354:
                return self._refused(code, answer)
        except (OSError, smtplib.SMTPException) as err:
            self._lost()
            return Result(Outcome.RETRY, f"connection lost before the message ({_error(err)})")
        content_starts()
        try:
            client.send(_dot_stuffed(data))
            code, answer = client.getreply()
        except (OSError, smtplib.SMTPException) as err:
            self._lost()
            return Result(Outcome.UNKNOWN, f"connection lost while sending ({_error(err)})")
        if code == 250:
            return Result(Outcome.SENT)
        return self._refused(code, answer)

    def _refused(self, code: int, answer: bytes) -> Result:
        reason = f"{code} {_text(answer)}"
        if code == 421 or code < 0:  # the server is closing the connection
            self._lost()
            return Result(Outcome.RETRY, reason)
        try:
            self._client.rset()  # type: ignore[union-attr]
        except (OSError, smtplib.SMTPException):
            self._lost()
        return Result(Outcome.RETRY if 400 <= code < 500 else Outcome.REFUSED, reason)

    def _lost(self) -> None:
        if self._client is not None:
            with contextlib.suppress(OSError):
                self._client.close()
        self._client = None


class Throttle:
    """At most per_minute messages a minute, spread evenly (Microsoft 365 allows 30)."""

    def __init__(
        self,
        per_minute: float | None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = 60.0 / per_minute if per_minute else 0.0
        self.clock, self.sleep = clock, sleep
        self._next = 0.0

    def wait(self) -> None:
        if self.interval:
            now = self.clock()
            if now < self._next:
                self.sleep(self._next - now)
                now = self._next
            self._next = now + self.interval


def _quit(client: smtplib.SMTP | None) -> None:
    if client is None:
        return
    try:
        client.quit()
    except (OSError, smtplib.SMTPException):
        with contextlib.suppress(OSError):
            client.close()


def _ascii_address(address: str) -> str:
    local, _, domain = address.rpartition("@")
    local.encode("ascii")
    return f"{local}@{domain.encode('idna').decode('ascii')}"


def _dot_stuffed(data: bytes) -> bytes:
    """The message as DATA carries it: CRLF lines, a leading dot doubled, ending in CRLF.CRLF."""
    data = re.sub(rb"\r\n|\n|\r", b"\r\n", data)
    data = re.sub(rb"(?m)^\.", b"..", data)
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return data + b".\r\n"


def _text(answer: bytes | str) -> str:
    text = answer.decode("utf-8", "replace") if isinstance(answer, bytes) else str(answer)
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())[:200]


def _error(err: BaseException) -> str:
    if isinstance(err, socket.timeout):
        return "no answer in time"
    return _text(str(err)) or type(err).__name__
