"""The offline zip: unzipped and opened from file://, it navigates, searches and practises with no network."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .conftest import ROUND_PAGE, Built, plan_tasks, practice_cards

OFFLINE_ROUND_PAGE = ROUND_PAGE.rstrip("/") + ".html"


@pytest.fixture
def offline_site(real_build: Built, tmp_path: Path) -> Path:
    """The offline zip of the real build, unzipped into a fresh folder."""
    with zipfile.ZipFile(real_build[0] / "peloton-prep-offline.zip") as archive:
        archive.extractall(tmp_path / "offline")
    return tmp_path / "offline"


def outside_file(requests: list[str]) -> list[str]:
    """The requests that did not read a local file."""
    return [url for url in requests if not url.startswith("file://")]


def test_offline_zip_navigates_and_searches(
    page: Page, requests: list[str], offline_site: Path, search_word: str
) -> None:
    """From the unzipped index.html, a nav link opens a round page and search finds a card, all from file://."""
    index = offline_site / "index.html"
    assert index.is_file(), sorted(path.name for path in offline_site.iterdir())
    page.goto(index.as_uri())
    page.locator(".md-nav--primary").get_by_role("link", name="System design", exact=True).click()
    expect(page).to_have_url((offline_site / OFFLINE_ROUND_PAGE).as_uri())
    card = page.locator("details.pp-card").first
    card.locator("summary").click()
    expect(card.locator(":scope > :not(summary)").first).to_be_visible()

    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially(search_word, delay=30)
    expect(page.locator(f'.md-search-result__link[href*="{OFFLINE_ROUND_PAGE}"]').first).to_be_visible()
    assert len(requests) > 5
    assert outside_file(requests) == [], f"{len(outside_file(requests))} requests left file://"


def test_offline_practice_mode_loads_its_cards(page: Page, requests: list[str], offline_site: Path) -> None:
    """The offline copy's practice page finds its scripts and cards, and a card turns over."""
    page.goto((offline_site / "practice.html").as_uri())
    expect(page.locator(".pp-setup"), "practice.html did not load its scripts or cards").to_be_visible()
    page.get_by_role("group", name="Distinguished Engineer").get_by_role("checkbox", name="System Design").check()
    page.get_by_role("button", name="Start").click()
    page.keyboard.press("Space")
    link = page.get_by_role("link", name="Read the full answer")
    expect(link).to_be_visible()
    shown = page.locator("#pp-practice").get_attribute("data-card")
    card = next(card for card in practice_cards(offline_site) if card["id"] == shown)
    assert link.evaluate("link => link.href") == f"{offline_site.as_uri()}/{card['url']}"
    assert outside_file(requests) == []


def test_offline_study_tools_work_from_file(page: Page, requests: list[str], offline_site: Path) -> None:
    """From file://, the plan's boxes tick, practice shows its intervals and a mock interview starts."""
    page.goto((offline_site / "de" / "study-plan.html").as_uri())
    page.locator("#week-1 ~ ul li.task-list-item label").first.click()
    expect(page.locator("h1 + .pp-task-count")).to_have_text(f"1 of {plan_tasks()} done in the whole plan")
    page.goto((offline_site / "practice.html").as_uri())
    page.get_by_role("group", name="Distinguished Engineer").get_by_role("checkbox", name="Coding").check()
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_role("button", name=re.compile(r"^Good"))).to_have_attribute("data-interval", "10m")
    page.goto((offline_site / "mock-interview.html").as_uri())
    page.get_by_role("button", name="Draw a prompt and start").click()
    expect(page.locator(".pp-mock-phase")).to_have_text("Phase 1 of 4: Introductions")
    page.get_by_role("button", name="End and assess").click()
    link = page.locator(".pp-mock-outline a")
    expect(link).to_have_attribute("href", re.compile(r"^file://.*/de/recruiter-screen\.html#q-"))
    assert outside_file(requests) == []
