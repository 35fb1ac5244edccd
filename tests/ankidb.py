"""Typed access to an open Anki collection: its database, and decks that must exist.

The anki library types `Collection.db` as `DBProxy | None` (None once closed) and deck look-ups
as `DeckId | None`; tests use open collections and decks they created, so these narrow once."""

from __future__ import annotations

from anki.collection import Collection
from anki.dbproxy import DBProxy
from anki.decks import DeckId


def db(col: Collection) -> DBProxy:
    """The open collection's database."""
    assert col.db is not None, "the collection is closed"
    return col.db


def deck_id(col: Collection, name: str) -> DeckId:
    """The id of the deck with this name, which must exist."""
    found = col.decks.id_for_name(name)
    assert found is not None, f"no deck named {name!r}"
    return found


def new_deck(col: Collection, name: str) -> DeckId:
    """The id of the deck with this name, created if it does not exist."""
    created = col.decks.id(name)
    assert created is not None, f"deck {name!r} was not created"
    return created


def deck_description(col: Collection, name: str) -> str:
    """The description of the deck with this name."""
    deck = col.decks.get(deck_id(col, name))
    assert deck is not None, f"no deck named {name!r}"
    description: str = deck["desc"]
    return description
