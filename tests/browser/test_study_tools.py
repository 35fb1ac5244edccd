"""The study tools on every page: checklists that tick, the interview date, and progress carried in a file."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from playwright.sync_api import Page, expect

from .chromium import DESKTOP
from .conftest import plan_tasks

PLAN = "de/study-plan/"
MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
INDICATOR = """box => {
  const look = getComputedStyle(box.nextElementSibling, "::before");
  return [look.backgroundColor, look.maskImage];
}"""
STORAGE = """() => Object.fromEntries(Object.keys(localStorage).filter(key => key.startsWith("peloton-prep:"))
  .map(key => [key, localStorage.getItem(key)]))"""


def first_item_text(page: Page) -> str:
    text: str = page.locator("#week-1 ~ ul li.task-list-item").first.evaluate(
        "item => { const copy = item.cloneNode(true); copy.querySelector('label').remove();"
        " return copy.textContent.replace(/\\s+/g, ' ').trim(); }")
    return text


def test_ticking_a_box_survives_a_reload_and_updates_the_counts(page: Page, site_url: str) -> None:
    """Each box is named by its item, ticks from the keyboard, counts per week and for the plan, and prints empty."""
    page.goto(site_url + PLAN)
    whole = page.locator("h1 + .pp-task-count")
    week = page.locator("#week-1 + .pp-task-count")
    expect(whole).to_have_text(f"0 of {plan_tasks()} done in the whole plan")
    expect(week).to_have_text(f"0 of {plan_tasks(1)} done")
    box = page.get_by_role("checkbox", name=first_item_text(page), exact=True)
    expect(box).to_be_enabled()
    box.focus()
    page.keyboard.press("Space")
    expect(box).to_be_checked()
    page.locator("#week-2 ~ ul li.task-list-item label").first.click()  # a click on the drawn box works too
    expect(whole).to_have_text(f"2 of {plan_tasks()} done in the whole plan")
    expect(week).to_have_text(f"1 of {plan_tasks(1)} done")
    expect(page.locator("#week-2 + .pp-task-count")).to_have_text(f"1 of {plan_tasks(2)} done")

    page.reload()
    expect(box).to_be_checked()
    expect(whole).to_have_text(f"2 of {plan_tasks()} done in the whole plan")
    unticked = page.locator("#week-1 ~ ul li.task-list-item input").nth(1)
    ticked_look, empty_look = box.evaluate(INDICATOR), unticked.evaluate(INDICATOR)
    assert ticked_look != empty_look
    page.emulate_media(media="print")
    assert box.evaluate(INDICATOR) == empty_look  # printed, every box is empty
    expect(whole).to_be_hidden()
    page.emulate_media(media="screen")

    page.goto(site_url + "de/coding/")  # every page's checklist ticks, saved per page
    expect(page.locator(".pp-task-count")).to_have_text("0 of 6 done")
    page.locator("li.task-list-item label").first.click()
    expect(page.locator(".pp-task-count")).to_have_text("1 of 6 done")
    page.goto(site_url + PLAN)
    expect(whole).to_have_text(f"2 of {plan_tasks()} done in the whole plan")


def test_interview_date_turns_weeks_into_dates(pages: Any, site_url: str) -> None:
    """With the interview on Monday 20 April, week 7 is 13-19 April and week 1 starts on 2 March."""
    page: Page = pages.new(**DESKTOP, timezone_id="UTC")
    page.clock.install(time=MONDAY)
    page.goto(site_url + PLAN)
    note = page.locator(".pp-plan-date-note")
    expect(note).to_contain_text("Set the date")
    expect(page.locator("#week-1 .pp-week-dates")).to_be_empty()
    page.get_by_label("Your interview date:").fill("2026-04-20")
    expect(page.locator("#week-1 .pp-week-dates")).to_have_text(": 2 Mar \u2013 8 Mar")
    expect(page.locator("#week-7 .pp-week-dates")).to_have_text(": 13 Apr \u2013 19 Apr")
    expect(note).to_have_text("Your interview is on 20 Apr 2026, in 49 days. Week 1 starts on 2 Mar 2026.")
    page.reload()
    expect(page.locator("#week-4 .pp-week-dates")).to_have_text(": 23 Mar \u2013 29 Mar")
    page.get_by_label("Your interview date:").fill("2026-04-06")  # less than seven weeks away
    expect(note).to_contain_text("less than the plan's 7 weeks, so week 1 began on 16 Feb 2026")
    page.goto(site_url + "practice/")
    expect(page.get_by_label("Interview date:")).to_have_value("2026-04-06")


def import_file(page: Page, name: str, data: bytes) -> None:
    page.locator(".pp-import-file").set_input_files({"name": name, "mimeType": "application/json", "buffer": data})


def test_export_then_import_restores_everything(pages: Any, site_url: str) -> None:
    """Progress exported from one browser merges into another; bad files are refused and change nothing."""
    old = pages.new(**DESKTOP)
    old.goto(site_url + PLAN)
    old.locator("#week-3 ~ ul li.task-list-item label").first.click()
    old.get_by_label("Your interview date:").fill("2026-05-04")
    old.goto(site_url + "practice/")
    de_rounds = old.get_by_role("group", name="Distinguished Engineer")
    de_rounds.get_by_role("checkbox", name=re.compile(r"^Coding\b")).check()
    old.get_by_role("button", name="Start").click()
    card = old.locator("#pp-practice").get_attribute("data-card")
    old.keyboard.press("Space")
    old.keyboard.press("3")
    mock = {"id": "mock-1", "round": "pm-system-design", "roundName": "PM system design \u00b7 System design",
            "prompt": "Offline workout sync", "started": "2026-03-01T10:00:00.000Z", "seconds": 2700, "minutes": 45,
            "scores": [], "score": 7, "outOf": 10, "flagged": [], "notes": ""}
    old.evaluate("mock => localStorage.setItem('peloton-prep:mock-history', JSON.stringify([mock]))", mock)
    old.get_by_role("button", name="Choose rounds").click()
    with old.expect_download() as download_info:
        old.get_by_role("button", name="Export progress").click()
    exported = download_info.value
    assert re.fullmatch(r"peloton-prep-progress-\d{4}-\d\d-\d\d\.json", exported.suggested_filename)
    data = json.loads(exported.path().read_text(encoding="utf-8"))
    assert data["format"] == "peloton-prep-progress" and data["version"] == 1
    assert set(data["cards"]) == {card} and data["interviewDate"]["date"] == "2026-05-04"
    assert len(data["tasks"]["de/study-plan"]) == 1 and data["mocks"] == [mock]

    new = pages.new(**DESKTOP)
    new.goto(site_url + PLAN)
    new.locator("#week-5 ~ ul li.task-list-item label").first.click()  # progress of its own, to merge with
    new.goto(site_url + "practice/")
    message = new.locator(".pp-progress-message")
    before = new.evaluate(STORAGE)
    bad_files = {
        "notes.json": (b"{not json", "not JSON"),
        "other.json": (b'{"cards": {}}', "not a peloton-prep progress file"),
        "future.json": (json.dumps({**data, "version": 99}).encode(), "newer version"),
        "damaged.json": (json.dumps({**data, "cards": {card: {"due": "soon"}}}).encode(), "is damaged"),
    }
    for name, (content, says) in bad_files.items():
        import_file(new, name, content)
        expect(message).to_contain_text(says)
        expect(message).to_contain_text("Nothing was changed.")
        assert new.evaluate(STORAGE) == before, name

    import_file(new, "progress.json", exported.path().read_bytes())
    expect(message).to_have_text("Imported 1 card's progress, 1 checklist item, 1 mock interview, the interview date. "
                                 "Anything newer in this browser was kept.")
    expect(new.get_by_label("Interview date:")).to_have_value("2026-05-04")
    stored = new.evaluate(STORAGE)
    assert json.loads(stored[f"peloton-prep:srs:{card}"]) == data["cards"][card]
    assert json.loads(stored["peloton-prep:mock-history"]) == [mock]
    new.goto(site_url + PLAN)
    expect(new.locator("h1 + .pp-task-count")).to_have_text(f"2 of {plan_tasks()} done in the whole plan")
    expect(new.locator("#week-3 ~ ul li.task-list-item input").first).to_be_checked()
    expect(new.locator("#week-1 .pp-week-dates")).to_have_text(": 16 Mar \u2013 22 Mar")
