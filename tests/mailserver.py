"""A real SMTP server on localhost for the mail tests (aiosmtpd): STARTTLS or implicit TLS,
AUTH, with a certificate made by the test (trustme). Its handler can answer RCPT with a
temporary or permanent refusal, and drop the connection during a message's content."""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import ssl
import threading
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import msgspec
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER, PASSWORD = "praktijk@fysio.example", "juist-wachtwoord"


class Handler(msgspec.Struct):
    received: list[tuple[str, list[str], bytes]] = msgspec.field(default_factory=list)
    # address -> next answers
    rcpt_answers: dict[str, list[str]] = msgspec.field(default_factory=dict)
    drop_at: int | None = None  # drop the connection while receiving this message (1-based)
    on_drop: Any = None
    hold_at: int | None = None  # keep this message's "250" back until `release` is set
    held: threading.Event = msgspec.field(default_factory=threading.Event)  # set when it is held
    release: threading.Event = msgspec.field(default_factory=threading.Event)
    lock: threading.Lock = msgspec.field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, options):
        answers = self.rcpt_answers.get(address)
        if answers:
            return answers.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
            count = len(self.received)
        if self.hold_at == count:
            self.held.set()
            while not self.release.is_set():
                await asyncio.sleep(0.01)
        if self.drop_at == count:  # kept the message, but the client never hears "250"
            server.transport.abort()
            if self.on_drop:
                self.on_drop()
        return "250 OK"

    def messages(self) -> list[EmailMessage]:
        return [
            email.message_from_bytes(content, policy=email.policy.default)  # type: ignore[misc]
            for _, _, content in self.received
        ]

    def recipients(self) -> list[str]:
        return [to for _, tos, _ in self.received for to in tos]


BASIC_AUTH_OFF = "535 5.7.139 Authentication unsuccessful, basic authentication is disabled."


def authenticator(server, session, envelope, mechanism, auth_data) -> AuthResult:
    if isinstance(auth_data, LoginPassword) and auth_data.login.decode() == "m365":
        return AuthResult(success=False, handled=False, message=BASIC_AUTH_OFF)
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login.decode() == USER
        and auth_data.password.decode() == PASSWORD
    )
    return AuthResult(success=ok, handled=False)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Certificates:
    """A CA and a certificate for 127.0.0.1; the CA's file goes into SSL_CERT_FILE."""

    def __init__(self, folder: Path) -> None:
        self.ca = trustme.CA()
        self.cert = self.ca.issue_cert("127.0.0.1", "localhost")
        self.ca_file = folder / "test-ca.pem"
        self.ca.cert_pem.write_to_path(str(self.ca_file))

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.cert.configure_cert(context)
        return context


def start_server(certs: Certificates, security: str, handler: Handler, port: int = 0) -> Controller:
    port = port or free_port()
    context = certs.server_context()
    options: dict[str, Any] = {"authenticator": authenticator, "auth_required": True}
    if security == "ssl":
        # the whole connection is TLS; aiosmtpd only counts STARTTLS as TLS for AUTH
        options.update(ssl_context=context, auth_require_tls=False)
    else:
        options.update(tls_context=context, require_starttls=True)
    controller = Controller(handler, hostname="127.0.0.1", port=port, **options)
    controller.start()
    return controller
