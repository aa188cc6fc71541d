"""The send ledger: one SQLite file in the output folder that remembers, per patient, what
happened to their email, so that a re-run never sends it twice.

Every message is recorded as `pending` before the connection is made. It becomes `unknown`
the moment its content starts to go out (after the server's 354), and `sent` when the server
accepts it (250). So a crash or a dropped connection during the content leaves `unknown`:
perhaps delivered, perhaps not, and not sent again without `resend`. `failed` is a refusal
(or retries used up) before the content: sent again on the next run. `drafted` marks a draft.
The ledger also keeps each patient's attachment password, so every run gives the same one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import msgspec

from handouts.errors import OutputError

LEDGER_NAME = "email-ledger.sqlite"
Status = Literal["pending", "sent", "failed", "unknown", "drafted"]


class Entry(msgspec.Struct, frozen=True):
    key: str
    name: str
    address: str
    status: Status
    password: str  # "" when the attachment was not protected
    attempts: int
    reason: str


class Ledger:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # one run at a time per folder: two would both send what is pending. SQLite's
            # file lock works on every system and ends with the process, also on a crash.
            self._lock = sqlite3.connect(path.with_suffix(".lock"), timeout=0, isolation_level=None)
            try:
                self._lock.execute("BEGIN EXCLUSIVE")
            except sqlite3.OperationalError:
                self._lock.close()
                raise OutputError(
                    f"{path.parent}: another handouts run is emailing from this folder; "
                    "wait until it has finished"
                ) from None
            self._db = sqlite3.connect(path, isolation_level=None)  # autocommit: each step durable
            self._db.execute("PRAGMA journal_mode=WAL")
            # NORMAL: a commit survives a crash of the program, not always a power cut; the one
            # that must survive both, `unknown` before a message's content goes, is FULL (mark)
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS messages (key TEXT PRIMARY KEY, name TEXT NOT NULL,"
                " address TEXT NOT NULL, status TEXT NOT NULL, password TEXT NOT NULL,"
                " attempts INTEGER NOT NULL DEFAULT 0, reason TEXT NOT NULL DEFAULT '',"
                " updated TEXT NOT NULL)"
            )
        except sqlite3.Error as err:
            raise OutputError(
                f"{path}: cannot open the send ledger ({err}); check the folder"
            ) from None

    @classmethod
    def in_folder(cls, out_dir: Path) -> Ledger:
        return cls(out_dir / LEDGER_NAME)

    def close(self) -> None:
        self._db.close()
        self._lock.close()

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Many records, one write to disk (one fsync instead of one per patient). What was
        recorded is kept also when the block stops with an error."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            self._db.execute("COMMIT")

    def get(self, key: str) -> Entry | None:
        row = self._db.execute(
            "SELECT key, name, address, status, password, attempts, reason FROM messages"
            " WHERE key = ?",
            (key,),
        ).fetchone()
        return Entry(*row) if row else None

    def record(self, key: str, name: str, address: str, status: Status, password: str) -> None:
        """A message about to be sent (pending) or drafted: its address and password."""
        self._db.execute(
            "INSERT INTO messages (key, name, address, status, password, updated)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET name = excluded.name,"
            " address = excluded.address, status = excluded.status,"
            " password = excluded.password, reason = '', updated = excluded.updated",
            (key, name, address, status, password, _now()),
        )

    def mark(self, key: str, status: Status, reason: str = "", attempt: bool = False) -> None:
        """A new status. `unknown` is on the disk (fsync) when this returns; `sent` need not
        be: if a power cut loses it, the message stays `unknown` and is not sent again."""
        durable = status == "unknown"
        if durable:
            self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute(
            "UPDATE messages SET status = ?, reason = ?, attempts = attempts + ?, updated = ?"
            " WHERE key = ?",
            (status, reason, int(attempt), _now(), key),
        )
        if durable:
            self._db.execute("PRAGMA synchronous=NORMAL")

    def with_passwords(self) -> list[Entry]:
        rows = self._db.execute(
            "SELECT key, name, address, status, password, attempts, reason FROM messages"
            " WHERE password != '' ORDER BY name COLLATE NOCASE, key"
        ).fetchall()
        return [Entry(*row) for row in rows]


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
