"""The practice page's scheduler wrapper (assets/practice-scheduler.js over the vendored ts-fsrs), run in Chromium.

The expected dates come from the Python `fsrs` package (py-fsrs 6.3.2, FSRS-6 default parameters, no fuzz),
an independent implementation, on the same review sequences; reviews fall on whole days, where the two agree.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from .conftest import Built

# (time, rating) answers, and the due date after each, from py-fsrs's Scheduler(enable_fuzzing=False).
SEQUENCES: list[tuple[list[tuple[str, str]], list[str]]] = [
    (
        [("2026-01-05T09:00", "good"), ("2026-01-05T09:10", "good"), ("2026-01-07T09:10", "good"),
         ("2026-01-14T09:10", "good"), ("2026-02-15T09:10", "good")],
        ["2026-01-05T09:10", "2026-01-07T09:10", "2026-01-18T09:10", "2026-02-19T09:10", "2026-06-18T09:10"],
    ),
    (
        [("2026-01-05T09:00", "easy"), ("2026-01-13T09:00", "easy"), ("2026-02-12T09:00", "good")],
        ["2026-01-13T09:00", "2026-03-20T09:00", "2026-07-24T09:00"],
    ),
    (
        [("2026-01-05T09:00", "easy"), ("2026-01-13T09:00", "again"), ("2026-01-13T09:10", "good"),
         ("2026-01-14T09:10", "good")],
        ["2026-01-13T09:00", "2026-01-13T09:10", "2026-01-14T09:10", "2026-01-18T09:10"],
    ),
    (
        [("2026-01-05T09:00", "easy"), ("2026-01-13T09:00", "hard"), ("2026-01-24T09:00", "good")],
        ["2026-01-13T09:00", "2026-02-09T09:00", "2026-03-21T09:00"],
    ),
    (
        [("2026-01-05T09:00", "again"), ("2026-01-05T09:01", "good"), ("2026-01-05T09:11", "good")],
        ["2026-01-05T09:01", "2026-01-05T09:11", "2026-01-06T09:11"],
    ),
]

RUN = """([answers, deadline]) => {
  let record = null;
  return answers.map(([time, rating]) => {
    record = PelotonPrepScheduler.answer(record, rating, new Date(time + ":00Z"), deadline ? new Date(deadline) : null);
    return record;
  });
}"""


@pytest.fixture(scope="module")
def scheduler_page(browser: Any, real_build: Built) -> Any:
    context = browser.new_context(timezone_id="UTC")
    page = context.new_page()
    page.set_content("<!doctype html><title>scheduler</title>")
    for name in ("practice-fsrs.js", "practice-scheduler.js"):
        page.add_script_tag(path=str(real_build[0] / "site" / "assets" / name))
    yield page
    context.close()


@pytest.mark.parametrize(("answers", "expected"), SEQUENCES)
def test_scheduler_matches_py_fsrs(scheduler_page: Page, answers: list[tuple[str, str]], expected: list[str]) -> None:
    """Each answer moves the card's due date exactly where the reference implementation does."""
    records = scheduler_page.evaluate(RUN, [answers, None])
    assert [record["due"][:16] for record in records] == expected


def test_scheduler_previews_intervals_and_counts_days(scheduler_page: Page) -> None:
    """A new card's buttons read 1m, 6m, 10m and 8d (FSRS-6 defaults); days seen are counted once each."""
    labels = scheduler_page.evaluate("""() => {
      const preview = PelotonPrepScheduler.preview(null, new Date("2026-01-05T09:00:00Z"), null);
      return Object.fromEntries(Object.entries(preview).map(([k, v]) => [k, PelotonPrepScheduler.label(v)]));
    }""")
    assert labels == {"again": "1m", "hard": "6m", "good": "10m", "easy": "8d"}
    records = scheduler_page.evaluate(RUN, [SEQUENCES[0][0], None])
    assert [record["seenDays"] for record in records] == [1, 1, 2, 3, 4]


def test_scheduler_brings_cards_back_before_the_interview(scheduler_page: Page) -> None:
    """With an interview in 5 days, a card first answered Easy (8 days) comes back the day before it."""
    records = scheduler_page.evaluate(RUN, [[("2026-01-05T09:00", "easy")], "2026-01-10T00:00:00Z"])
    assert records[0]["due"] == "2026-01-09T00:00:00.000Z"
    # Seen on two days already: FSRS's own interval stands.
    records = scheduler_page.evaluate(RUN, [SEQUENCES[1][0][:2], "2026-01-20T00:00:00Z"])
    assert records[1]["due"][:16] == "2026-03-20T09:00"
