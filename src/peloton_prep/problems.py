"""Content problems: one line each, all reported together."""

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


class ContentError(Exception):
    """The sources have problems; the build must stop before writing anything."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))
