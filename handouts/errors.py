"""One family of exceptions. Each problem names where it comes from and what to do about it.

The CLI turns them into one line per problem and an exit code; nothing else prints errors.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where (file, row, field), what, and the fix."""

    source: str  # a file name, "command line", or "roster.csv row 4"
    field: str  # dotted path inside the source, "" when it is the whole file
    message: str  # what is wrong and what to do, one sentence

    def __str__(self) -> str:
        where = f"{self.source}: {self.field}" if self.field else self.source
        return f"{where}: {self.message}"


class HandoutsError(Exception):
    """Base of every error the tool reports to its user."""

    exit_code = 1


class InputError(HandoutsError):
    """Bad input: a file, a row or an option. Exit code 2; nothing was written."""

    exit_code = 2

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    @classmethod
    def single(cls, source: str, field: str, message: str) -> InputError:
        return cls([Problem(source, field, message)])


class OutputError(HandoutsError):
    """Something failed while producing or writing a PDF. Exit code 1."""

    exit_code = 1
