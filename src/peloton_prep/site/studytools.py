"""The study tools' generated assets: the FSRS scheduler, the practice filters and the mock interviews.

Everything is written as a script that sets a global, never as JSON to fetch: pages opened from
file:// may load scripts but not read files.
"""

from __future__ import annotations

import copy
import html
import json
import re
from pathlib import Path
from typing import Any

from peloton_prep.sources.content import Content, Page, page_url

VENDOR = Path(__file__).resolve().parent.parent / "vendor"


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


def section(page: Page, anchor: str) -> tuple[str, list[str]]:
    """The title of the heading with this anchor (the page's h1 if empty) and its subheadings' titles."""
    found = list(page.headings)
    index = next(i for i, (level, own, _) in enumerate(found) if (own == anchor if anchor else level == 1))
    level, _, title = found[index]
    outline = []
    for sub_level, _, sub_title in found[index + 1:]:
        if sub_level <= level:
            break
        if sub_level == level + 1:
            outline.append(sub_title)
    return title, outline


def mock_rounds(content: Content, directory_urls: bool) -> dict[str, Any]:
    """The mock-interview rounds (checked at load), each prompt with its outline and cards."""
    loops = copy.deepcopy(content.mock_rounds["loops"])
    for loop in loops:
        for round_ in loop["rounds"]:
            round_["url"] = _url(round_["page"], directory_urls)
            round_["prompts"] = [_prompt(content, reference, directory_urls) for reference in round_["prompts"]]
    return {"loops": loops}


def _prompt(content: Content, reference: str, directory_urls: bool) -> dict[str, Any]:
    page, _, anchor = reference.partition("#")
    title, outline = section(content.pages[page], anchor)
    cards = [card.id for card in content.cards_for(page) if not anchor or card.section == anchor]
    return {"title": html.unescape(title), "url": _url(reference, directory_urls), "outline": outline, "cards": cards}


def _url(reference: str, directory_urls: bool) -> str:
    page, _, anchor = reference.partition("#")
    return page_url(page, directory_urls) + (f"#{anchor}" if anchor else "")


# The study plan's interview-date box, in the page as it will look before a date is set: study.js
# brings it to life. Put there by the script after load, it pushed the plan's table down under a
# reader's eyes (Lighthouse: layout shift 0.15 on a phone).
PLAN_INTRO = re.compile(r"(<h1\b.*?</h1>(?:\s*<p>.*?</p>)*)", re.S)
PLAN_DATE_BOX = (
    '<div class="pp-plan-date" data-pp-plan-date data-search-exclude>'
    '<p class="pp-date-field"><label>Your interview date: <input type="date" class="pp-interview-date" disabled>'
    '</label></p><p class="pp-plan-date-note" role="status">Set the date and each week below shows its dates, '
    "counted back so that week {weeks} ends the day before your interview.</p></div>"
)
PLAN_WEEK = re.compile(r'id="week-(\d+)"')


def with_plan_date_box(html: str) -> str:
    """The study plan's page with its date box after the title and the paragraphs under it."""
    weeks = max((int(number) for number in PLAN_WEEK.findall(html)), default=0)
    return PLAN_INTRO.sub(lambda found: found.group(1) + PLAN_DATE_BOX.format(weeks=weeks), html, count=1)
