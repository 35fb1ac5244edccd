"""Practice mode in a real browser: choosing a round, turning cards over, answering, and progress that lasts."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from playwright.sync_api import Dialog, Locator, Page, expect

from .chromium import DESKTOP
from .conftest import Built, practice_cards

STORED = """() => Object.fromEntries(Object.keys(localStorage)
  .filter(key => key.startsWith("peloton-prep:srs:"))
  .map(key => [key.slice("peloton-prep:srs:".length), JSON.parse(localStorage.getItem(key))]))"""


SAME_TEXT = """(face, html) => {
  const card = document.createElement("div");
  card.innerHTML = html;
  return face.textContent === card.textContent;
}"""

# Monday 2 March 2026, 09:00 UTC: the browser's clock in the tests that move time.
MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DAY_MS = 86_400_000


def stored_progress(page: Page) -> dict[str, Any]:
    progress: dict[str, Any] = page.evaluate(STORED)
    return progress


def round_box(page: Page, role: str, name: str) -> Locator:
    return page.get_by_role("group", name=role).get_by_role("checkbox", name=re.compile(rf"^{name}\b"))


def clocked_page(pages: Any) -> Page:
    """A desktop page in UTC whose clock starts at MONDAY and moves only when the test says so."""
    page: Page = pages.new(**DESKTOP, timezone_id="UTC")
    page.clock.install(time=MONDAY - timedelta(minutes=1))
    page.clock.pause_at(MONDAY)
    return page


def test_practice_mode_turns_cards_and_keeps_progress(page: Page, site_url: str, real_build: Built) -> None:
    """A reader picks a round, turns cards by key and click, answers, and finds the progress after a reload."""
    cards = {card["id"]: card for card in practice_cards(real_build[0] / "site")}
    in_round = [card for card in cards.values() if card["deck"] == "Distinguished Engineer::System Design"]
    page.goto(site_url + "practice/")
    app = page.locator("#pp-practice")
    box = round_box(page, "Distinguished Engineer", "System Design")
    box.check()
    page.get_by_label("New cards a day").fill(str(len(in_round)))
    page.get_by_label("New cards a day").dispatch_event("change")
    expect(page.locator(".pp-today")).to_have_text(re.compile(rf"^Today: 0 due, {len(in_round)} new"))
    page.get_by_role("button", name="Start").click()

    answer = page.locator("#pp-answer")
    flip = page.locator(".pp-flip")
    expect(answer).to_be_empty()
    first = app.get_attribute("data-card")
    assert first in cards and cards[first] in in_round
    assert page.locator(".pp-front").evaluate(SAME_TEXT, cards[first]["front"])

    page.keyboard.press("Space")  # the focused "Show answer" button
    more = answer.get_by_role("link", name="Read the full answer")
    expect(more).to_be_visible()
    expect(flip).to_have_attribute("aria-expanded", "true")
    assert more.evaluate("link => link.href") == site_url + cards[first]["url"]
    flip.click()
    expect(answer).to_be_empty()
    page.locator(".pp-front").click()  # the card itself turns over too
    expect(more).to_be_visible()
    page.keyboard.press("Enter")  # clicking the card moved focus off the buttons; Enter turns it back
    expect(answer).to_be_empty()

    page.locator("input.md-search__input").click()
    page.keyboard.type("3")  # typing in the search box does not answer the card
    assert app.get_attribute("data-card") == first
    page.mouse.click(5, 700)  # outside the search box and its results, which closes them
    expect(page.locator("#__search")).not_to_be_checked()
    page.locator(".pp-front").click()

    page.keyboard.press("1")  # Again: back in a minute
    second = app.get_attribute("data-card")
    assert second is not None and second != first
    page.get_by_role("button", name=re.compile(r"^Easy")).click()
    page.reload()
    progress = stored_progress(page)
    assert set(progress) == {first, second}
    assert progress[first]["state"] == 1 and progress[second]["state"] == 2  # learning, review
    expect(app).to_have_attribute("data-state", "session")  # the session resumed
    page.get_by_role("button", name="Choose rounds").click()
    expect(box).to_be_checked()
    expect(box.locator("xpath=ancestor::label[1]")).to_contain_text("2 seen")

    dialogs: list[str] = []

    def answer_dialog(accept: bool) -> Any:
        def handle(dialog: Dialog) -> None:
            dialogs.append(dialog.message)
            if accept:
                dialog.accept()
            else:
                dialog.dismiss()

        return handle

    page.once("dialog", answer_dialog(False))
    page.get_by_role("button", name="Reset progress").click()
    assert len(stored_progress(page)) == 2
    page.once("dialog", answer_dialog(True))
    page.get_by_role("button", name="Reset progress").click()
    assert stored_progress(page) == {}
    assert len(dialogs) == 2
    page.reload()
    assert stored_progress(page) == {}


def test_answered_card_comes_back_when_due(pages: Any, site_url: str) -> None:
    """Counts, the daily new limit, intervals on the buttons, undo, resuming after a reload, and a card
    answered Easy returning eight days later, on a clock the test moves."""
    page = clocked_page(pages)
    page.goto(site_url + "practice/")
    app = page.locator("#pp-practice")
    round_box(page, "Distinguished Engineer", "Coding").check()
    limit = page.get_by_label("New cards a day")
    limit.fill("2")
    limit.dispatch_event("change")
    today = page.locator(".pp-today")
    expect(today).to_have_attribute("data-new", "2")
    expect(today).to_have_attribute("data-due", "0")
    page.get_by_role("button", name="Start").click()
    intervals = [page.get_by_role("button", name=re.compile(rf"^{name}")).get_attribute("data-interval")
                 for name in ("Again", "Hard", "Good", "Easy")]
    assert intervals == ["1m", "6m", "10m", "8d"]
    counts = page.locator(".pp-counts")
    expect(counts).to_have_attribute("data-new", "2")

    first = app.get_attribute("data-card")
    page.keyboard.press("Space")  # number keys answer only a card turned over
    page.keyboard.press("4")
    expect(counts).to_have_attribute("data-new", "1")
    second = app.get_attribute("data-card")
    assert second != first
    page.keyboard.press("u")  # undo: the first card is back, new again
    expect(app).to_have_attribute("data-card", first or "")
    expect(counts).to_have_attribute("data-new", "2")
    assert stored_progress(page) == {}
    page.keyboard.press("Space")
    page.keyboard.press("4")
    expect(app).to_have_attribute("data-card", second or "")

    page.keyboard.press("Space")
    page.reload()  # the session resumes on the same card, still turned over
    expect(app).to_have_attribute("data-state", "session")
    expect(app).to_have_attribute("data-card", second or "")
    expect(page.locator(".pp-flip")).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("4")
    expect(app).to_have_attribute("data-state", "done")  # two new cards a day, both seen, nothing due
    expect(page.locator(".pp-done-text")).to_contain_text("next card is due on 10 Mar 2026")

    page.clock.pause_at(MONDAY + timedelta(days=7))
    page.reload()
    expect(today).to_have_attribute("data-due", "0")
    page.clock.pause_at(MONDAY + timedelta(days=8))
    page.reload()
    expect(today).to_have_attribute("data-due", "2")
    expect(today).to_have_attribute("data-new", "2")  # a new day, a new allowance
    page.get_by_role("button", name="Start").click()
    assert app.get_attribute("data-card") in {first, second}  # reviews come before new cards
    assert page.get_by_role("button", name=re.compile(r"^Good")).get_attribute("data-interval") == "1.3mo"


def test_filters_and_interview_date_shape_the_session(pages: Any, site_url: str, real_build: Built) -> None:
    """Topic and pattern filters narrow the cards; an interview date sets how many new cards a day."""
    site = real_build[0] / "site"
    filters = json.loads((site / "assets" / "practice-filters.js").read_text().split("=", 1)[1].strip().rstrip(";"))
    page = clocked_page(pages)
    page.goto(site_url + "practice/")
    app = page.locator("#pp-practice")
    page.get_by_role("button", name="Select all").click()
    page.get_by_label("Topic", exact=True).select_option("idempotency")
    tagged = [card for card, topics in filters["topics"].items() if "idempotency" in topics]
    today = page.locator(".pp-today")
    expect(today).to_contain_text(f"of {len(tagged)} cards chosen")
    page.get_by_role("button", name="Start").click()
    assert app.get_attribute("data-card") in tagged
    page.get_by_role("button", name="Choose rounds").click()

    page.get_by_label("Topic", exact=True).select_option("")
    page.get_by_label("Design pattern", exact=True).select_option("Conflict resolution")
    retries = [card for card, title in filters["patterns"].items() if title == "Conflict resolution"]
    expect(today).to_contain_text(f"of {len(retries)} cards chosen")
    page.get_by_role("button", name="Start").click()
    assert app.get_attribute("data-card") in retries
    page.get_by_role("button", name="Choose rounds").click()

    page.get_by_label("Design pattern", exact=True).select_option("")
    page.get_by_label("New cards a day").fill("5")
    page.get_by_label("New cards a day").dispatch_event("change")
    total = len(practice_cards(site))
    page.get_by_label("Interview date").fill("2026-03-23")  # 21 days ahead: new cards over 20 of them
    plan = page.locator(".pp-plan")
    needed = -(-total // 20)
    expect(plan).to_contain_text(f"in 21 days. To see each of the {total} new cards chosen at least twice")
    expect(plan).to_contain_text(f"takes {needed} new cards a day, more than your limit of 5")
    expect(today).to_have_attribute("data-new", str(needed))


LAYOUT_SHIFT = """() => new Promise(done => {
  let total = 0;
  new PerformanceObserver(list => list.getEntries().forEach(entry => { total += entry.value; }))
    .observe({type: "layout-shift", buffered: true});
  setTimeout(() => done(total), 500);
})"""


def test_practice_page_does_not_jump_while_it_loads(phone: Page, site_url: str) -> None:
    """The round picker appears in space kept for it, so nothing below it moves (Lighthouse's CLS)."""
    phone.goto(site_url + "practice/", wait_until="load")
    expect(phone.locator("#pp-practice")).to_have_attribute("data-state", "setup")
    assert phone.evaluate(LAYOUT_SHIFT) < 0.01


def test_practice_page_says_when_its_cards_fail_to_load(page: Page, site_url: str) -> None:
    """If the cards' script cannot load, the reader is told at once where else to find the cards."""
    page.route("**/practice-cards.js", lambda route: route.abort())
    page.goto(site_url + "practice/")
    expect(page.locator(".pp-loading")).to_contain_text("did not load", timeout=3000)
