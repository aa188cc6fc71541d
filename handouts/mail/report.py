"""What happened to every patient's email: out/email-report.json and one summary line.

The summary line names no patient and no address (it is what a terminal or a log shows);
the report file, in the output folder beside the PDFs, has each patient's key and outcome.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Literal

import msgspec

from handouts.deliver import atomic_write

REPORT_NAME = "email-report.json"
Status = Literal[
    "sent", "drafted", "not-emailed", "failed", "unknown", "already-sent", "would-send",
    "would-draft",
]  # fmt: skip
FAILED: tuple[Status, ...] = ("failed", "unknown")


class Entry(msgspec.Struct, frozen=True):
    key: str
    status: Status
    why: str = ""  # a short reason, the same words for the same cause (counted in the summary)
    detail: str = ""  # the server's answer or the error, report file only
    protected: bool = False
    attempts: int = 0
    file: str = ""  # the draft .eml


class EmailReport(msgspec.Struct, frozen=True):
    mode: str
    entries: tuple[Entry, ...]
    dry_run: bool = False
    report: Path | None = None
    passwords: tuple[Path, ...] = ()

    def count(self, status: Status) -> int:
        return sum(1 for e in self.entries if e.status == status)

    @property
    def failed(self) -> bool:
        return any(e.status in FAILED for e in self.entries)

    def summary(self) -> str:
        def why(status: Status) -> str:
            reasons = Counter(e.why for e in self.entries if e.status == status and e.why)
            listed = ", ".join(f"{r}: {n}" for r, n in sorted(reasons.items()))
            return f"{self.count(status)} {status.replace('-', ' ')}" + (
                f" ({listed})" if listed else ""
            )

        if self.dry_run:
            parts = [why("would-send"), why("would-draft")]
        else:
            parts = [why("sent"), why("drafted")]
        parts += [why("not-emailed"), why("failed")]
        extras: tuple[Status, ...] = ("unknown", "already-sent")
        parts += [why(extra) for extra in extras if self.count(extra)]
        line = "email" + (" (dry run)" if self.dry_run else "") + ": " + ", ".join(parts)
        if self.report is not None:
            line += f"; report: {self.report}"
        return line

    def write(self, out_dir: Path) -> EmailReport:
        path = out_dir / REPORT_NAME
        counts = Counter(e.status for e in self.entries)
        data = {
            "mode": self.mode,
            "counts": dict(sorted(counts.items())),
            "messages": [msgspec.structs.asdict(e) for e in self.entries],
            "passwords": [str(p) for p in self.passwords],
        }
        atomic_write(path, (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode())
        return EmailReport(self.mode, self.entries, self.dry_run, path, self.passwords)
