"""Browser fixtures: the real build served on 127.0.0.1, Debian's Chromium, and pages that log requests."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from peloton_prep.build import BuildReport

from .chromium import DESKTOP, PHONE, serve

Built = tuple[Path, BuildReport]
STUDY_PLAN = Path(__file__).resolve().parents[2] / "docs" / "de" / "study-plan.md"


def plan_tasks(week: int | None = None) -> int:
    """The study plan's checklist items, counted in its source: all of them, or one week's."""
    text = STUDY_PLAN.read_text(encoding="utf-8")
    if week is not None:
        text = re.split(r"^#+ .*\{ #week-\d+ \}", text, flags=re.MULTILINE)[week]
        text = re.split(r"^## ", text, flags=re.MULTILINE)[0]
    return len(re.findall(r"^\s*- \[ \]", text, re.MULTILINE))


@pytest.fixture(scope="session")
def site_url(real_build: Built) -> Iterator[str]:
    """The built site served over HTTP on 127.0.0.1; the root URL ends in "/"."""
    with serve(real_build[0] / "site") as url:
        yield url


@pytest.fixture(scope="session")
def request_log() -> list[str]:
    """The URL of every request any test's page made, for the check that none left 127.0.0.1."""
    return []


class LoggedPages:
    """Open pages in fresh browser contexts, recording every request URL they make."""

    def __init__(self, browser: Browser, log: list[str]) -> None:
        self.browser = browser
        self.log = log
        self.requests: list[str] = []
        self.contexts: list[BrowserContext] = []

    def new(self, **options: Any) -> Page:
        context = self.browser.new_context(**options)
        context.set_default_timeout(10_000)
        context.on("request", lambda request: self._record(request.url))
        self.contexts.append(context)
        return context.new_page()

    def _record(self, url: str) -> None:
        self.requests.append(url)
        self.log.append(url)

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def pages(browser: Browser, request_log: list[str]) -> Iterator[LoggedPages]:
    """A factory for pages with their own viewport (phone, desktop) whose requests are recorded."""
    logged = LoggedPages(browser, request_log)
    yield logged
    logged.close()


@pytest.fixture
def page(pages: LoggedPages) -> Page:
    """A desktop-sized page (1280 x 800) in a fresh context; `requests` holds the URLs it asked for."""
    return pages.new(**DESKTOP)


@pytest.fixture
def requests(pages: LoggedPages) -> list[str]:
    """Every request URL made by this test's pages so far."""
    return pages.requests


@pytest.fixture
def phone(pages: LoggedPages) -> Page:
    """A 375 px wide touch screen at twice the pixel density, in a fresh context."""
    return pages.new(**PHONE)


ROUND_PAGE = "de/system-design/"


def practice_cards(site: Path) -> list[dict[str, str]]:
    """The cards practice mode reads, parsed from the assets/practice-cards.js the build wrote."""
    script = (site / "assets" / "practice-cards.js").read_text(encoding="utf-8")
    cards: list[dict[str, str]] = json.loads(script.split("=", 1)[1].strip().rstrip(";"))
    return cards


@pytest.fixture(scope="session")
def search_word(real_build: Built) -> str:
    """The word from a question on the round page that the fewest other search entries contain."""
    site = real_build[0] / "site"
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    texts = [(doc["location"], f"{doc['title']} {doc['text']}".lower()) for doc in docs]
    candidates: list[tuple[int, str]] = []
    for card in practice_cards(site):
        if not card["url"].startswith(ROUND_PAGE):
            continue
        for word in set(re.findall(r"[a-z]{5,}", re.sub(r"<[^>]+>", " ", card["front"]).lower())):
            hits = [location for location, text in texts if re.search(rf"\b{word}\b", text)]
            if any(location.startswith(ROUND_PAGE) for location in hits):
                candidates.append((len(hits), word))
    assert candidates, f"no card question on {ROUND_PAGE} to search for"
    return min(candidates)[1]
