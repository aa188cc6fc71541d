"""Throughput of `--email send` to a local SMTP server, and the cost of encryption.

    python benchmarks/email_throughput.py                  # 1,000 patients
    python benchmarks/email_throughput.py --patients 200 --no-encrypt

A real aiosmtpd server (STARTTLS + AUTH, a certificate made by trustme) runs in its own
process on localhost; handouts.mail.deliver sends every patient a message with the real
handout and checklists (made once, joined into one PDF, encrypted per patient with its own
password), without a rate limit (per_minute=None). Prints: messages per second end to end
(building, encrypting, the ledger's durable writes, SMTP) with this process's CPU time per
message, and the CPU cost per patient of joining the PDFs and of AES-256 encryption (ms,
median of 30 runs). The wall time depends on what else the machine does (load average shown).
Targets: >= 20 messages/s (Microsoft 365 allows 30 a minute: the rate limit, not this code,
decides a real run's time), encryption < 50 ms per patient.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

USER, PASSWORD = "bench@fysio.example", "bench-wachtwoord"


def serve(cert_dir: str, port: int, ready: object, count: object, stop: object) -> None:
    """The SMTP server process: accepts and counts messages until told to stop."""
    import ssl

    import trustme
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    ca.cert_pem.write_to_path(os.path.join(cert_dir, "ca.pem"))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            with count.get_lock():  # type: ignore[attr-defined]
                count.value += 1  # type: ignore[attr-defined]
            return "250 OK"

    def authenticate(server, session, envelope, mechanism, data):  # type: ignore[no-untyped-def]
        ok = isinstance(data, LoginPassword) and data.password.decode() == PASSWORD
        return AuthResult(success=ok, handled=False)

    controller = Controller(
        Handler(), hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True,
        authenticator=authenticate, auth_required=True,
    )  # fmt: skip
    controller.start()
    ready.set()  # type: ignore[attr-defined]
    stop.wait()  # type: ignore[attr-defined]
    controller.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=1000)
    parser.add_argument("--no-encrypt", action="store_true")
    args = parser.parse_args()

    import socket

    from handouts.library import load_library
    from handouts.mail import Attachment, PatientPdfs, deliver, protect
    from handouts.models import Patient, Practice, Smtp
    from handouts.patients import PracticeInput
    from handouts.plan import resolve
    from handouts.produce import render

    library = load_library()
    patient = Patient(name="Anne Peeters", foot="left", start=dt.date(2026, 12, 7))
    plan = resolve(patient, library, Practice(), today=dt.date(2026, 11, 30))
    empty = PracticeInput(Practice(), None)
    handout, checklist = render(plan, empty, "handout"), render(plan, empty, "checklist")

    joined = protect.one_pdf([handout, checklist], None)
    join_ms = _median_ms(lambda: protect.one_pdf([handout, checklist], None), 30)
    both_ms = _median_ms(lambda: protect.one_pdf([handout, checklist], protect.new_password()), 30)
    encrypt_ms = both_ms - join_ms

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with tempfile.TemporaryDirectory() as folder:
        ready, stop = multiprocessing.Event(), multiprocessing.Event()
        count = multiprocessing.Value("i", 0)
        server = multiprocessing.Process(target=serve, args=(folder, port, ready, count, stop))
        server.start()
        ready.wait(30)
        os.environ["SSL_CERT_FILE"] = os.path.join(folder, "ca.pem")
        os.environ["HANDOUTS_SMTP_PASSWORD"] = PASSWORD
        smtp = Smtp(host="127.0.0.1", port=port, security="starttls", username=USER)
        practice = PracticeInput(
            Practice(name="Fysio De Hiel", email="info@fysio.example", smtp=smtp), None
        )
        attachments = (Attachment("a.pdf", handout), Attachment("b.pdf", checklist))
        patients = [
            PatientPdfs(
                f"p{n:05d}",
                f"Patiënt {n}",
                "Anne",
                f"p{n}@example.org",
                "nl",
                attachments,
                start=dt.date(2026, 12, 7),
            )
            for n in range(args.patients)
        ]
        out = Path(folder) / "out"
        started, cpu = time.perf_counter(), time.process_time()
        report = deliver(patients, practice, out, mode="send", encrypt=not args.no_encrypt,
                         per_minute=None)  # fmt: skip
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu
        stop.set()
        server.join(30)
        received = count.value
    sent = report.count("sent")
    print(f"patients: {args.patients}, sent: {sent}, received by the server: {received}")
    print(f"encryption: {'off' if args.no_encrypt else 'AES-256 (R=6), one password each'}")
    print(f"wall time: {seconds:.1f} s, {sent / seconds:.1f} messages/s")
    print(f"CPU of this process (not the server's): {cpu / max(sent, 1) * 1000:.1f} ms a message")
    print(f"load average (other work on the machine slows both): {os.getloadavg()[0]:.1f}")
    print(f"attachment: {len(joined) / 1024:.0f} KB joined PDF")
    print(
        f"CPU per patient: join handout + checklists {join_ms:.1f} ms, join + encrypt "
        f"{both_ms:.1f} ms: encryption costs {encrypt_ms:.1f} ms"
    )


def _median_ms(action: object, runs: int) -> float:
    """CPU time (this process, all threads), not wall time: on a busy machine the wall time
    measures the other work too."""
    times = []
    for _ in range(runs):
        started = time.process_time()
        action()  # type: ignore[operator]
        times.append((time.process_time() - started) * 1000)
    return statistics.median(times)


if __name__ == "__main__":
    main()
