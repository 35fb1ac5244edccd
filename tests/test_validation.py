"""Each class of broken card is reported with its file, line, card id and field."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import GOOD_CLOZE, GOOD_QA
from peloton_prep.errors import ContentError
from peloton_prep.sources.content import load_content

WriteCards = Callable[[str, str], Path]


def problems_of(project: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_content(project)
    return [str(problem) for problem in caught.value.problems]


def test_good_cards_load(tiny_project: Path, write_cards: WriteCards) -> None:
    """A valid Q&A card and a valid cloze card load without problems."""
    write_cards("good.yaml", GOOD_QA + GOOD_CLOZE)
    content = load_content(tiny_project)
    assert [card.id for card in content.cards] == ["test-qa", "test-cloze"]
    assert content.cards[1].deck == "Peloton Interview Prep::Product Manager::Trade-off Facts"


@pytest.mark.parametrize(
    ("original", "broken", "expected"),
    [
        ("  page: test.md\n", "  page: test.md\n  frnot: typo\n",
         "cards/bad.yaml:7: card 'test-qa': frnot: unknown field"),
        ("  source: seed:pm-system-design\n", "",
         "cards/bad.yaml:1: card 'test-qa': source: missing"),
        ("id: test-qa", "id: Test QA", "cards/bad.yaml:1: card 'Test QA': id: 'Test QA' is not a slug"),
        ("back: An idempotency key the server remembers.", "back: '  '",
         "cards/bad.yaml:4: card 'test-qa': back: is empty"),
        ("topic::idempotency", "topic::idem potency",
         "cards/bad.yaml:5: card 'test-qa': tags: tag 'topic::idem potency' must be non-empty and have no spaces"),
        ("page: test.md", "page: nowhere.md",
         "cards/bad.yaml:6: card 'test-qa': page: no page docs/nowhere.md"),
        ("section: idempotency", "section: retries",
         "cards/bad.yaml:7: card 'test-qa': section: no heading #retries on test.md"),
        ("back: An idempotency key the server remembers.", "back: 'Use <b>keys</i> always'",
         "cards/bad.yaml:4: card 'test-qa': back: broken Markdown or HTML: </i> closes nothing"),
        ("back: An idempotency key the server remembers.", "back: |\n    ```python\n    x = 1\n",
         "cards/bad.yaml:4: card 'test-qa': back: broken Markdown or HTML: unclosed ``` code fence"),
        ("back: An idempotency key the server remembers.", "back: " + "word " * 151,
         "cards/bad.yaml:4: card 'test-qa': back: 151 words, over the 150-word phone limit"),
        ("back: An idempotency key the server remembers.", "back: '![x](https://example.org/x.png)'",
         "cards/bad.yaml:4: card 'test-qa': back: images must be diagrams from diagrams/, never hot-linked"),
        ("kind: qa", "kind: essay", "cards/bad.yaml:2: card 'test-qa': kind: must be one of qa, cloze"),
        ("round::trade-offs", "round::lunch", "cards/bad.yaml:5: card 'test-qa': tags: unknown round::lunch"),
        ("seed:pm-system-design", "my memory",
         "cards/bad.yaml:8: card 'test-qa': source: 'my memory' is neither"),
    ],
    ids=["unknown-field", "missing-field", "bad-id", "empty-text", "tag-space", "no-page",
         "no-section", "broken-html", "broken-markdown", "too-long", "hot-linked-image", "bad-kind", "bad-round",
         "bad-source"],
)
def test_each_error_class(
    tiny_project: Path, write_cards: WriteCards, original: str, broken: str, expected: str
) -> None:
    """One broken field gives problem lines naming path, line, card and field."""
    assert original in GOOD_QA
    write_cards("bad.yaml", GOOD_QA.replace(original, broken))
    problems = problems_of(tiny_project)
    assert problems[0].startswith(expected), problems
    location = expected.split(": ", 2)[:2]
    assert all(problem.split(": ", 2)[:2] == location for problem in problems), problems


def test_cloze_without_deletion(tiny_project: Path, write_cards: WriteCards) -> None:
    """A cloze card whose text has no {{c1::...}} is rejected."""
    write_cards("bad.yaml", GOOD_CLOZE.replace("{{c1::1 s}}", "1 s"))
    assert problems_of(tiny_project) == [
        "cards/bad.yaml:3: card 'test-cloze': text: a cloze card needs at least one deletion "
        "like {{c1::...}}"
    ]


def test_duplicate_ids_across_files(tiny_project: Path, write_cards: WriteCards) -> None:
    """The same id in two files is reported at the second, pointing back at the first."""
    write_cards("a.yaml", GOOD_QA)
    write_cards("b.yaml", GOOD_QA)
    assert problems_of(tiny_project) == [
        "cards/b.yaml:1: card 'test-qa': id: duplicate id; first used at cards/a.yaml:1"
    ]


def test_invalid_yaml_names_the_line(tiny_project: Path, write_cards: WriteCards) -> None:
    """A YAML syntax error is a problem at its line, not a traceback."""
    write_cards("bad.yaml", GOOD_QA + "- id: [unclosed\n")
    problems = problems_of(tiny_project)
    assert len(problems) == 1 and problems[0].startswith("cards/bad.yaml:")
    assert "invalid YAML" in problems[0]


def test_all_problems_reported_at_once(tiny_project: Path, write_cards: WriteCards) -> None:
    """Problems in several cards and files come back together, sorted by file and line."""
    write_cards("a.yaml", GOOD_QA.replace("page: test.md", "page: gone.md"))
    write_cards("b.yaml", GOOD_CLOZE.replace("{{c1::1 s}}", "1 s").replace("kind: cloze", "kind: cloze\n  x: 1"))
    problems = problems_of(tiny_project)
    assert [problem.split(":")[0] for problem in problems] == ["cards/a.yaml", "cards/b.yaml"]
    assert any("x: unknown field" in problem for problem in problems)


def test_page_without_description(tiny_project: Path, write_cards: WriteCards) -> None:
    """A page with no meta description in its front matter is reported."""
    write_cards("cards.yaml", GOOD_QA)
    (tiny_project / "docs" / "bare.md").write_text("# Bare\n")
    assert problems_of(tiny_project) == [
        "docs/bare.md:1: description: the front matter needs a one-sentence description"
    ]
