"""Mock interviews: a round against a controlled clock, its phases and cues, and a saved self-assessment."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from playwright.sync_api import Page, expect

from .chromium import DESKTOP
from .conftest import Built

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def mock_data(real_build: Built) -> dict[str, Any]:
    script = (real_build[0] / "site" / "assets" / "mock-data.js").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(script.split("=", 1)[1].strip().rstrip(";"))
    return data


def test_mock_rounds_come_from_the_data(real_build: Built) -> None:
    """Both loops' rounds with their lengths; phases fill each round; every prompt has somewhere to read more."""
    rounds = {(loop["name"], item["name"]): item for loop in mock_data(real_build)["loops"] for item in loop["rounds"]}
    assert {key: item["minutes"] for key, item in rounds.items()} == {
        ("Distinguished Engineer", "Recruiter screen"): 45,
        ("Distinguished Engineer", "System design"): 60,
        ("Distinguished Engineer", "Coding and algorithms"): 60,
        ("Distinguished Engineer", "Leadership and strategy"): 60,
        ("Distinguished Engineer", "Executive and vision"): 60,
        ("PM system design", "System design"): 45,
    }
    design = rounds[("Distinguished Engineer", "System design")]
    assert [phase["name"] for phase in design["phases"]] == [
        "Clarify", "Estimate", "API", "Data model", "Architecture", "Deep dive", "Failures", "Close"]
    for item in rounds.values():
        assert item["prompts"] and item["look_for"] and item["rejected"]
        assert all(prompt["url"] and (prompt["outline"] or prompt["cards"]) for prompt in item["prompts"])


def test_mock_interview_runs_through_its_phases_and_saves(pages: Any, site_url: str, real_build: Built) -> None:
    """PM system design, 45 minutes: each phase change is cued, the clock survives a reload, the
    self-assessment is saved to the history."""
    pm = next(loop for loop in mock_data(real_build)["loops"] if loop["name"] == "PM system design")["rounds"][0]
    page: Page = pages.new(**DESKTOP, timezone_id="UTC")
    page.clock.install(time=START - timedelta(minutes=1))
    page.clock.pause_at(START)
    page.goto(site_url + "mock-interview/")
    root = page.locator("#pp-mock")
    expect(root).to_have_attribute("data-state", "setup")
    page.get_by_role("group", name="PM system design").get_by_role("radio", name=re.compile(r"^System design")).check()
    page.get_by_label("Beep at each phase change").check()
    page.get_by_role("button", name="Draw a prompt and start").click()

    phase = page.locator(".pp-mock-phase")
    expect(phase).to_have_text("Phase 1 of 6: Clarify goals")
    expect(page.locator(".pp-mock-remaining")).to_have_text("5:00")
    prompt = page.locator(".pp-mock-prompt").text_content()
    assert prompt in [item["title"] for item in pm["prompts"]]

    page.clock.run_for("02:00")
    expect(page.locator(".pp-mock-remaining")).to_have_text("3:00")
    page.clock.run_for("03:01")
    expect(phase).to_have_text("Phase 2 of 6: Success and failure")
    expect(page.locator(".pp-mock-now")).to_have_class(re.compile(r"\bpp-mock-cue\b"))  # the visible cue
    expect(page.locator(".pp-mock-phases li[aria-current=step]")).to_have_text("Success and failure (5 min)")

    # Time passes while the page is away (a locked phone, a hidden tab, a reload): the clock keeps up.
    page.clock.pause_at(START + timedelta(minutes=20))
    page.reload()
    expect(phase).to_have_text("Phase 4 of 6: Solution and trade-offs")
    expect(page.locator(".pp-mock-total")).to_have_text("20:00 of 45:00")
    assert page.locator(".pp-mock-prompt").text_content() == prompt

    page.get_by_role("button", name="Pause").click()
    page.clock.run_for("10:00")
    expect(page.locator(".pp-mock-total")).to_have_text("20:00 of 45:00")
    page.get_by_role("button", name="Resume").click()
    page.get_by_role("button", name="Next phase").click()
    expect(phase).to_have_text("Phase 5 of 6: Stress test")
    page.clock.run_for("12:00")
    assessment = page.get_by_role("heading", name="How did it go?")
    expect(assessment).to_be_visible()  # time is up
    expect(page.locator(".pp-mock-summary")).to_contain_text("45:00 of 45 minutes")
    expect(page.locator(".pp-mock-outline a")).to_have_text(f"Read the model answer: {prompt}")

    criteria = page.locator(".pp-mock-criterion")
    expect(criteria).to_have_count(len(pm["look_for"]))
    for index in range(len(pm["look_for"])):
        answer = "Yes" if index < 2 else "Partly"
        page.get_by_role("radiogroup", name=pm["look_for"][index]).get_by_role("radio", name=answer).check()
    page.get_by_role("checkbox", name=pm["rejected"][0]).check()
    page.get_by_label("Notes for next time").fill("Name the source of truth sooner.")
    page.get_by_role("button", name="Save to history").click()

    score = 2 * 2 + (len(pm["look_for"]) - 2)
    entry = page.locator(".pp-mock-entry").first
    expect(entry).to_contain_text(prompt or "")
    expect(entry).to_contain_text(f"self-assessed {score} of {2 * len(pm['look_for'])}")
    page.reload()
    expect(root).to_have_attribute("data-state", "setup")
    expect(page.locator(".pp-mock-entry")).to_have_count(1)
    entry.get_by_text("Details").click()
    expect(entry).to_contain_text("Notes: Name the source of truth sooner.")
    expect(entry).to_contain_text(f"Rejection risks you ticked: {pm['rejected'][0]}.")


def test_mock_interview_fits_a_phone(phone: Page, site_url: str) -> None:
    """On a phone held upright nothing scrolls sideways, running or assessing."""
    phone.goto(site_url + "mock-interview/")
    de_rounds = phone.get_by_role("group", name="Distinguished Engineer")
    de_rounds.get_by_role("radio", name=re.compile("^System design")).tap()
    phone.get_by_role("button", name="Draw a prompt and start").tap()
    expect(phone.locator(".pp-mock-phase")).to_have_text("Phase 1 of 8: Clarify")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.get_by_role("button", name="End and assess").tap()
    expect(phone.get_by_role("heading", name="How did it go?")).to_be_visible()
    phone.evaluate("document.querySelectorAll('details').forEach(details => { details.open = true; })")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
