"""The built site in a real browser: navigation, answers, search, downloads, phones, and no outside requests."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Page, expect

from peloton_prep.outputs import DECK, DOWNLOADS, GUIDE, GUIDE_LETTER

from .conftest import ROUND_PAGE, Built

PHONE_WIDTH = 375


def test_nav_leads_to_a_round_page_whose_answers_open(page: Page, site_url: str) -> None:
    """From the home page the sidebar leads to the system-design round, where a card's answer opens on click."""
    page.goto(site_url)
    page.locator(".md-nav--primary").get_by_role("link", name="System design", exact=True).click()
    expect(page).to_have_url(site_url + ROUND_PAGE)
    card = page.locator("details.pp-card").first
    answer = card.locator(":scope > :not(summary)").first
    expect(answer).to_be_hidden()
    card.locator("summary").click()
    expect(card).to_have_attribute("open", "")
    expect(answer).to_be_visible()


def test_search_finds_a_card_question(page: Page, site_url: str, search_word: str) -> None:
    """Typing a word from a card's question into the site search lists a result on that card's page."""
    page.goto(site_url)
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially(search_word, delay=30)
    expect(page.locator(f'.md-search-result__link[href*="{ROUND_PAGE}"]').first).to_be_visible()


def test_theme_script_waits_for_the_reader(page: Page, site_url: str, requests: list[str]) -> None:
    """The theme's bundle is not fetched while a page loads; the first key fetches it and still reaches it."""
    page.goto(site_url + ROUND_PAGE)
    page.wait_for_load_state("networkidle")
    assert not [url for url in requests if "/javascripts/bundle." in url]
    assert page.evaluate("typeof window.document$") == "undefined"
    page.keyboard.press("/")
    expect(page.locator("input.md-search__input")).to_be_focused()
    assert [url for url in requests if "/javascripts/bundle." in url]


def test_downloads_are_valid_files(page: Page, site_url: str, real_build: Built) -> None:
    """Every download link works: the deck holds an Anki collection, the PDFs are PDFs, the offline zip has a site."""
    page.goto(site_url + "guide/downloads/")
    hrefs = page.locator('.md-content a[href*="downloads/"]').evaluate_all("links => links.map(link => link.href)")
    names = sorted(href.rsplit("/", 1)[1] for href in hrefs)
    assert names == sorted(name for name in DOWNLOADS if (real_build[0] / name).is_file())
    assert {DECK, GUIDE, GUIDE_LETTER} <= set(names)
    for href in hrefs:
        response = page.request.get(href)
        assert response.ok, (href, response.status)
        body = response.body()
        name = href.rsplit("/", 1)[1]
        assert body == (real_build[0] / name).read_bytes(), f"{name} is not the file the build made"
        if name.endswith(".pdf"):
            assert body.startswith(b"%PDF-"), name
        else:
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                members = archive.namelist()
            expected = {".apkg": "collection.anki2", ".epub": "META-INF/container.xml", ".zip": "index.html"}
            assert expected[Path(name).suffix] in members, (name, members[:5])


def assert_fits(page: Page, where: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{where}: the page is {width} px wide on a {PHONE_WIDTH} px screen"


def test_phone_layout(phone: Page, site_url: str) -> None:
    """On a 375 px phone nothing scrolls sideways, the nav drawer opens, and answers open on a tap."""
    for path in ("", ROUND_PAGE, "practice/", "de/study-plan/"):
        phone.goto(site_url + path)
        assert_fits(phone, path or "home")
        drawer = phone.locator(".md-sidebar--primary")
        expect(drawer).not_to_be_in_viewport()
        phone.locator('label.md-header__button[for="__drawer"]').tap()
        expect(drawer).to_be_in_viewport()
        phone.locator("label.md-overlay").tap(position={"x": PHONE_WIDTH - 10, "y": 400})
        expect(drawer).not_to_be_in_viewport()

    phone.goto(site_url)
    phone.locator('label.md-header__button[for="__drawer"]').tap()
    drawer.locator("label.md-nav__link", has_text="Distinguished Engineer").tap()
    drawer.get_by_role("link", name="System design", exact=True).tap()
    expect(phone).to_have_url(site_url + ROUND_PAGE)
    card = phone.locator("details.pp-card").first
    card.locator("summary").tap()
    expect(card).to_have_attribute("open", "")
    expect(card.locator(":scope > :not(summary)").first).to_be_visible()
    phone.evaluate("document.querySelectorAll('details').forEach(details => { details.open = true; })")
    assert_fits(phone, "the round page with every answer open")

    phone.goto(site_url + "practice/")
    phone.get_by_role("group", name="Distinguished Engineer").get_by_role("checkbox", name="System Design").tap()
    phone.get_by_role("button", name="Start").tap()
    phone.locator(".pp-front").tap()
    expect(phone.get_by_role("link", name="Read the full answer")).to_be_visible()
    assert_fits(phone, "practice mode with an answer shown")


def leaves_the_machine(url: str) -> bool:
    """Whether a request goes anywhere but this machine's test server (file:, data: and blob: stay local)."""
    parts = urlsplit(url)
    return parts.scheme not in ("file", "data", "blob") and parts.hostname != "127.0.0.1"


def test_no_request_leaves_127_0_0_1(page: Page, site_url: str, real_build: Built, request_log: list[str]) -> None:
    """Every page of the site, and everything the other browser tests did, asked only 127.0.0.1 for anything."""
    site = real_build[0] / "site"
    paths = sorted(index.parent.relative_to(site).as_posix() for index in site.rglob("index.html"))
    for path in paths:
        page.goto(site_url + ("" if path == "." else path + "/"), wait_until="load")
    page.goto(site_url + "404.html", wait_until="load")
    assert len(paths) > 20
    assert sum(url.startswith(site_url) for url in request_log) > len(paths)
    outside = sorted({url for url in request_log if leaves_the_machine(url)})
    assert not outside, f"requests that left 127.0.0.1: {outside}"
