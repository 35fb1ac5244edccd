"""Every error the build reports to a person: one base class, one exit code per kind.

The CLI turns a `PelotonPrepError` into its message and exit code; anything else is a bug, which
the CLI reports in one line pointing at a saved traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the sources, located as precisely as we know."""

    path: str
    line: int
    card_id: str
    field: str
    message: str

    def __str__(self) -> str:
        card = f" card '{self.card_id}':" if self.card_id else ""
        field = f" {self.field}:" if self.field else ""
        return f"{self.path}:{self.line}:{card}{field} {self.message}"


class PelotonPrepError(Exception):
    """An error a person can act on; `exit_code` is what the CLI returns for it."""

    exit_code = 1


class ContentError(PelotonPrepError):
    """The sources have problems; the build must stop before writing anything."""

    exit_code = 1

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(problem) for problem in self.problems))


class UsageError(PelotonPrepError):
    """The command line or the project folder is wrong."""

    exit_code = 2


class ToolMissing(PelotonPrepError):
    """A program the build needs (Chromium, Graphviz) is missing or would not start."""

    exit_code = 3


class OutputError(PelotonPrepError):
    """An output could not be written (read-only or full disk, another build holding the lock)."""

    exit_code = 4


INTERRUPTED = 130
