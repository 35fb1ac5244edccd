"""Practice mode in a real browser: choosing a round, turning cards over, answering, and progress that lasts."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Dialog, Page, expect

from .conftest import Built, practice_cards

STORED = """() => Object.fromEntries(Object.keys(localStorage)
  .filter(key => key.startsWith("peloton-prep:card:"))
  .map(key => [key.slice("peloton-prep:card:".length), JSON.parse(localStorage.getItem(key))]))"""


SAME_TEXT = """(face, html) => {
  const card = document.createElement("div");
  card.innerHTML = html;
  return face.textContent === card.textContent;
}"""


def stored_progress(page: Page) -> dict[str, Any]:
    progress: dict[str, Any] = page.evaluate(STORED)
    return progress


def test_practice_mode_keeps_progress(page: Page, site_url: str, real_build: Built) -> None:
    """A reader picks a round, turns cards by key and click, answers, and finds the progress after a reload."""
    cards = {card["id"]: card for card in practice_cards(real_build[0] / "site")}
    in_round = [card for card in cards.values() if card["deck"] == "Distinguished Engineer::System Design"]
    page.goto(site_url + "practice/")
    app = page.locator("#pp-practice")
    round_box = page.get_by_role("group", name="Distinguished Engineer").get_by_role(
        "checkbox", name=re.compile(r"^System Design\b")
    )
    round_label = round_box.locator("xpath=ancestor::label[1]")
    round_box.check()
    page.get_by_role("button", name="Start").click()

    counts = page.locator(".pp-counts")
    expect(counts).to_have_text(re.compile(rf"^Seen 1 of {len(in_round)} · {len(in_round)} remaining"))
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
    expect(flip).to_have_attribute("aria-expanded", "false")
    page.locator(".pp-front").click()  # the card itself turns over too
    expect(more).to_be_visible()
    page.keyboard.press("Enter")  # clicking the card moved focus off the buttons; Enter turns it back
    expect(answer).to_be_empty()

    page.locator("input.md-search__input").click()
    page.keyboard.type("2")  # typing in the search box does not answer the card
    expect(counts).to_have_text(re.compile(r"^Seen 1 of"))
    page.mouse.click(5, 700)  # outside the search box and its results, which closes them
    expect(page.locator("#__search")).not_to_be_checked()
    page.locator(".pp-front").click()

    page.keyboard.press("1")  # Again: the card comes back later
    second = app.get_attribute("data-card")
    assert second != first
    page.get_by_role("button", name=re.compile(r"^Got it")).click()
    remaining = len(in_round) - 1
    expect(counts).to_have_text(re.compile(rf"^Seen 3 of {len(in_round)} · {remaining} remaining · 1 got it"))

    page.reload()
    progress = stored_progress(page)
    assert {card: value["status"] for card, value in progress.items()} == {first: "again", second: "got"}
    assert all(re.match(r"\d{4}-\d\d-\d\dT", value["seen"]) for value in progress.values())
    expect(round_box).to_be_checked()
    expect(round_label).to_contain_text("1 got it")

    page.get_by_role("button", name="Start").click()  # cards to see again come first; got-it cards stay out
    expect(counts).to_have_text(re.compile(rf"^Seen 1 of {remaining} · "))
    assert app.get_attribute("data-card") == first
    page.get_by_role("button", name="Choose rounds").click()

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
    expect(round_label).not_to_contain_text("got it")
    page.reload()
    expect(round_label).not_to_contain_text("got it")
    assert stored_progress(page) == {}


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
