"""Arbitrary input to the card loader gives clean problems, never a traceback."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from peloton_prep.sources.cards import card_from_entry
from peloton_prep.sources.entries import read_entries

SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
FIELD_NAMES = st.sampled_from(
    ["id", "kind", "front", "back", "text", "extra", "tags", "page", "section", "source", "other"]
)
VALUES = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=10,
)


def load_all(text: str) -> list[str]:
    entries, problems = read_entries("cards/fuzz.yaml", text)
    for entry in entries:
        problems += card_from_entry("cards/fuzz.yaml", entry)[1]
    return [str(problem) for problem in problems]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_is_handled(text: str) -> None:
    """Any string, valid YAML or not, yields problems rather than an exception."""
    for problem in load_all(text):
        assert problem.startswith("cards/fuzz.yaml:")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.dictionaries(FIELD_NAMES, VALUES, max_size=10), max_size=4) | VALUES)
def test_any_yaml_document_is_handled(document: Any) -> None:
    """Any YAML data structure yields problems naming the file, or valid cards."""
    for problem in load_all(yaml.safe_dump(document)):
        assert problem.startswith("cards/fuzz.yaml:")
