"""The card form rules: one short answer, single-fact deletions, no duplicates, Markdown that
renders alike everywhere. Each rule has a one-problem fixture."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import GOOD_CLOZE, GOOD_QA, PAGE, ROOT
from peloton_prep.errors import ContentError
from peloton_prep.sources.content import load_content

WriteCards = Callable[[str, str], Path]


def problems_of(project: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_content(project)
    return [str(problem) for problem in caught.value.problems]


def qa_with_back(back: str) -> str:
    return GOOD_QA.replace("back: An idempotency key the server remembers.", "back: |\n" + _indent(back))


def cloze_with_text(text: str) -> str:
    return GOOD_CLOZE.replace("text: Heart-rate sharing must arrive within {{c1::1 s}}.", f"text: {text!r}")


def _indent(text: str) -> str:
    return "".join(f"    {line}\n" if line else "\n" for line in text.splitlines())


@pytest.mark.parametrize(
    ("card", "expected"),
    [
        (cloze_with_text("A deletion {{c1::that runs on for far more than eight words in all}}."),
         "cards/bad.yaml:3: card 'test-cloze': text: deletion c1 has 11 words, over 8"),
        (cloze_with_text("Retry {{c1::502, 503, 504 and 429}}."),
         "cards/bad.yaml:3: card 'test-cloze': text: deletion c1 hides a list of 4 items"),
        (qa_with_back("Two parts:\n- one\n- two"),
         "cards/bad.yaml:6: card 'test-qa': back: list starts right after a paragraph line"),
        (qa_with_back("1. first\n\n   - nested by three"),
         "cards/bad.yaml:7: card 'test-qa': back: list item indented by 3 spaces"),
        (qa_with_back("```\n" + "x " * 46 + "y\n```"),
         "cards/bad.yaml:6: card 'test-qa': back: preformatted line of 93 characters, over 92"),
        (qa_with_back("| | Heading |\n|---|---|\n| a | b |"),
         "cards/bad.yaml:5: card 'test-qa': back: table header with an empty cell"),
        (qa_with_back("As the guide says (seed:de-loop-guide)."),
         "cards/bad.yaml:4: card 'test-qa': back: raw source id 'seed:de-loop-guide'"),
    ],
    ids=["long-deletion", "list-deletion", "glued-list", "shallow-nesting", "long-pre", "empty-header", "raw-id"],
)
def test_each_form_rule_in_cards(tiny_project: Path, write_cards: WriteCards, card: str, expected: str) -> None:
    """One broken rule gives one problem naming file, line, card and field."""
    write_cards("bad.yaml", card)
    problems = problems_of(tiny_project)
    assert len(problems) == 1 and problems[0].startswith(expected), problems


def test_near_duplicate_questions(tiny_project: Path, write_cards: WriteCards) -> None:
    """Two cards asking nearly the same thing are flagged at the second, naming the first."""
    second = GOOD_QA.replace("id: test-qa", "id: test-qa-again").replace(
        "What makes a retry safe?", "What makes a retry safe again?")
    write_cards("cards.yaml", GOOD_QA + "\n" + second)
    assert problems_of(tiny_project) == [
        "cards/cards.yaml:12: card 'test-qa-again': front: asks nearly what 'test-qa' asks "
        "(75% of words shared): merge them or ask different things"
    ]


def test_two_clozes_with_one_answer(tiny_project: Path, write_cards: WriteCards) -> None:
    """Different facts with the same deleted answer are flagged."""
    other = GOOD_CLOZE.replace("id: test-cloze", "id: test-cloze-two").replace(
        "Heart-rate sharing must arrive within {{c1::1 s}}.", "A button press needs feedback in {{c1::1 s}} at most.")
    write_cards("cards.yaml", GOOD_CLOZE + "\n" + other)
    assert problems_of(tiny_project) == [
        "cards/cards.yaml:12: card 'test-cloze-two': text: its deletion '1 s' is also the answer of 'test-cloze': "
        "make the deleted facts distinct"
    ]


def test_page_form_rules(tiny_project: Path, write_cards: WriteCards) -> None:
    """Pages follow the same Markdown rules, reported at their line in the file."""
    write_cards("cards.yaml", GOOD_QA)
    (tiny_project / "docs" / "test.md").write_text(PAGE + "\nSteps:\n- one\n- two\n")
    assert problems_of(tiny_project) == [
        "docs/test.md:16: list starts right after a paragraph line: put a blank line before it, "
        "or it renders as one run-on paragraph"
    ]


def test_real_answers_are_short() -> None:
    """The deck's Q&A answers have a median of 30 words or fewer (none is over 60: `check`)."""
    content = load_content(ROOT)
    backs = [len(card.back.split()) for card in content.cards if card.kind == "qa"]
    assert statistics.median(backs) <= 30


def test_real_deck_meets_its_floors() -> None:
    """At least 500 notes; every DE round subdeck at least 25 cards, DE system design at least 60.
    (Mistakes to Avoid is a cross-round list, not a round.)"""
    content = load_content(ROOT)
    decks: dict[str, int] = {}
    for card in content.cards:
        decks[card.deck] = decks.get(card.deck, 0) + 1
    assert len(content.cards) >= 500
    de = {deck: count for deck, count in decks.items()
          if "::Distinguished Engineer::" in deck and not deck.endswith("::Mistakes to Avoid")}
    assert all(count >= 25 for count in de.values()), de
    assert de["Peloton Interview Prep::Distinguished Engineer::System Design"] >= 60
