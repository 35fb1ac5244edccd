"""The study tools' generated assets: the FSRS scheduler, the practice filters and the mock interviews.

Everything is written as a script that sets a global, never as JSON to fetch: pages opened from
file:// may load scripts but not read files.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from .content import Content, page_url
from .problems import ContentError, Problem

VENDOR = Path(__file__).parent / "vendor"
MOCK_DATA = "mock-interviews.yml"
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*(?:\{[^}]*?#([\w-]+)[^}]*\})?\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")


def study_assets(content: Content, directory_urls: bool) -> dict[str, bytes]:
    """The study tools' files under the site root, by path."""
    return {
        "assets/practice-fsrs.js": (VENDOR / "ts-fsrs.umd.js").read_bytes(),
        "assets/practice-filters.js": _script("PELOTON_PREP_FILTERS", practice_filters(content)),
        "assets/mock-data.js": _script("PELOTON_PREP_MOCK", mock_rounds(content, directory_urls)),
    }


def _script(name: str, value: Any) -> bytes:
    return f"window.{name} = {json.dumps(value, sort_keys=True, ensure_ascii=False)};\n".encode()


def practice_filters(content: Content) -> dict[str, Any]:
    """Each card's topics (its topic:: tags) and, for cards on a pattern page, the pattern's title."""
    topics = {card.id: sorted(tag.split("::", 1)[1] for tag in card.tags if tag.startswith("topic::"))
              for card in content.cards}
    patterns = {
        card.id: content.pages[card.page].title
        for card in content.cards
        if card.page.startswith("patterns/") and card.page != "patterns/index.md" and card.page in content.pages
    }
    return {"topics": {key: value for key, value in topics.items() if value}, "patterns": patterns}


def headings(markdown: str) -> list[tuple[int, str, str]]:
    """A page's headings outside code blocks, as (level, title, explicit anchor or "")."""
    found: list[tuple[int, str, str]] = []
    fenced = False
    for line in markdown.splitlines():
        if FENCE.match(line):
            fenced = not fenced
            continue
        match = None if fenced else HEADING.match(line)
        if match:
            title = re.sub(r"[*_`]", "", match.group(2)).strip().strip('"')
            found.append((len(match.group(1)), title, match.group(3) or ""))
    return found


def section(markdown: str, anchor: str) -> tuple[str, list[str]] | None:
    """The title of the heading with this anchor (the page's h1 if empty) and its subheadings' titles."""
    found = headings(markdown)
    for index, (level, title, own) in enumerate(found):
        if (own == anchor) if anchor else level == 1:
            outline = []
            for sub_level, sub_title, _ in found[index + 1:]:
                if sub_level <= level:
                    break
                if sub_level == level + 1:
                    outline.append(sub_title)
            return title, outline
    return None


def mock_rounds(content: Content, directory_urls: bool) -> dict[str, Any]:
    """The mock-interview rounds from docs/mock-interviews.yml, each prompt with its outline and cards."""
    path = content.root / "docs" / MOCK_DATA
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    problems: list[Problem] = []
    where = f"docs/{MOCK_DATA}"
    for loop in data["loops"]:
        for round_ in loop["rounds"]:
            total = sum(phase["minutes"] for phase in round_["phases"])
            if total != round_["minutes"]:
                message = f"phases add up to {total} min, not {round_['minutes']}"
                problems.append(Problem(where, 0, "", round_["id"], message))
            round_["url"] = _url(round_["page"], directory_urls)
            prompts = []
            for reference in round_["prompts"]:
                page, _, anchor = reference.partition("#")
                source = content.root / "docs" / page
                found = section(source.read_text(encoding="utf-8"), anchor) if source.is_file() else None
                if found is None:
                    problems.append(Problem(where, 0, "", round_["id"], f"prompt {reference} is not a heading"))
                    continue
                title, outline = found
                cards = [card.id for card in content.cards_for(page) if not anchor or card.section == anchor]
                url = _url(reference, directory_urls)
                prompts.append({"title": title, "url": url, "outline": outline, "cards": cards})
            round_["prompts"] = prompts
    if problems:
        raise ContentError(problems)
    return {"loops": data["loops"]}


def _url(reference: str, directory_urls: bool) -> str:
    page, _, anchor = reference.partition("#")
    return page_url(page, directory_urls) + (f"#{anchor}" if anchor else "")
