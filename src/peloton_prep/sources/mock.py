"""The mock-interview rounds (docs/mock-interviews.yml): loaded and checked with the other sources.

Each round's phases must add up to its length, and each prompt must name a heading that exists, so
a broken round is a content error at `check` time, never a surprise in the browser.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from peloton_prep.errors import ContentError, Problem
from peloton_prep.sources.textfile import read_text

if TYPE_CHECKING:
    from peloton_prep.sources.content import Page

MOCK_FILE = "docs/mock-interviews.yml"


def load_mock_rounds(root: Path, pages: dict[str, Page]) -> tuple[dict[str, Any], list[Problem]]:
    """The rounds as data, and every problem with them; no file means no mock interviews."""
    path = root / MOCK_FILE
    if not path.exists():
        return {"loops": []}, []
    try:
        text = read_text(root, path)
        data = yaml.safe_load(text)
    except ContentError as error:
        return {"loops": []}, error.problems
    except yaml.YAMLError as error:
        return {"loops": []}, [Problem(MOCK_FILE, 1, "", "", f"invalid YAML: {' '.join(str(error).split())}")]
    lines = text.splitlines()
    try:
        problems = [problem for loop in data["loops"] for round_ in loop["rounds"]
                    for problem in _round_problems(round_, pages, lines)]
    except (KeyError, TypeError) as error:
        return {"loops": []}, [Problem(MOCK_FILE, 1, "", "", f"missing or malformed field: {error}")]
    return data, problems


def _round_problems(round_: dict[str, Any], pages: dict[str, Page], lines: list[str]) -> list[Problem]:
    problems = []
    line = _line_of(lines, f"id: {round_['id']}")
    total = sum(phase["minutes"] for phase in round_["phases"])
    if total != round_["minutes"]:
        problems.append(Problem(MOCK_FILE, line, "", round_["id"], f"phases add up to {total} min, not "
                                                                     f"{round_['minutes']}"))
    for reference in [round_["page"], *round_["prompts"]]:
        page, _, anchor = reference.partition("#")
        if page not in pages or (anchor and anchor not in pages[page].anchors):
            problems.append(Problem(MOCK_FILE, _line_of(lines, reference), "", round_["id"],
                                    f"{reference} is not a page heading"))
    return problems


def _line_of(lines: list[str], text: str) -> int:
    return next((number for number, line in enumerate(lines, 1) if text in line), 1)
