"""The deck, imported by the official anki library, updates in place and keeps review history."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

from ankidb import db, deck_id
from conftest import GOOD_CLOZE, GOOD_QA
from peloton_prep.deck import CLOZE_MODEL_ID, QA_MODEL_ID, write_deck
from peloton_prep.sources.content import load_content
from peloton_prep.sources.release import Release

if TYPE_CHECKING:
    # Importing anki.cards before anki.collection is circular at run time.
    from anki.cards import CardId

NEW_CARD = GOOD_QA.replace("test-qa", "test-added").replace(
    "What makes a retry safe?", "Which HTTP methods are idempotent?"
)


@pytest.fixture
def collection(tmp_path: Path) -> Iterator[Collection]:
    """A fresh, empty Anki collection."""
    col = Collection(str(tmp_path / "collection.anki2"))
    yield col
    col.close()


@pytest.fixture
def make_deck(tiny_project: Path, tmp_path: Path) -> Callable[[str, int, str], Path]:
    """Write the given card file into the tiny project and export it at a timestamp."""

    def make(cards: str, timestamp: int, name: str) -> Path:
        (tiny_project / "cards" / "cards.yaml").write_text(cards)
        target = tmp_path / name
        write_deck(load_content(tiny_project), Release("test", timestamp), target)
        return target

    return make


def import_package(col: Collection, path: Path) -> None:
    options = ImportAnkiPackageOptions()  # Anki's defaults: update notes only if newer
    col.import_anki_package(ImportAnkiPackageRequest(package_path=str(path), options=options))


def answer_first_card(col: Collection) -> CardId:
    col.decks.select(deck_id(col, "Peloton Interview Prep"))
    card = col.sched.getCard()
    assert card is not None
    col.sched.answerCard(card, 3)
    return card.id


def test_import_creates_our_note_types_and_decks(
    collection: Collection, make_deck: Callable[[str, int, str], Path]
) -> None:
    """A first import creates both note types under our ids and one subdeck per round."""
    import_package(collection, make_deck(GOOD_QA + GOOD_CLOZE, 1_700_000_000, "v1.apkg"))
    ids = {int(model["id"]) for model in collection.models.all()}
    assert {QA_MODEL_ID, CLOZE_MODEL_ID} <= ids
    names = {deck.name for deck in collection.decks.all_names_and_ids()}
    assert "Peloton Interview Prep::Product Manager::Trade-off Facts" in names
    assert collection.note_count() == 2
    cloze_note = collection.get_note(collection.find_notes('"Card ID:test-cloze"')[0])
    assert "{{c1::1 s}}" in cloze_note["Text"]
    assert cloze_note["Link"].endswith("/test/#latency-budgets")


def test_update_keeps_history(
    collection: Collection, make_deck: Callable[[str, int, str], Path]
) -> None:
    """v2 with an edited answer and a new card updates in place and keeps the review history."""
    import_package(collection, make_deck(GOOD_QA + GOOD_CLOZE, 1_700_000_000, "v1.apkg"))
    answered = answer_first_card(collection)
    before = collection.get_card(answered)
    revlog_before = db(collection).all("select id, cid, ease, ivl from revlog")
    models_before = sorted(model["name"] for model in collection.models.all())
    decks_before = sorted(deck.name for deck in collection.decks.all_names_and_ids())

    edited = GOOD_QA.replace("An idempotency key the server remembers.", "A key the server stores.")
    import_package(collection, make_deck(edited + GOOD_CLOZE + NEW_CARD, 1_700_000_100, "v2.apkg"))

    assert collection.note_count() == 3
    guids = db(collection).list("select guid from notes")
    assert len(guids) == len(set(guids))
    qa_note = collection.get_note(collection.find_notes('"Card ID:test-qa"')[0])
    assert "A key the server stores." in qa_note["Back"]
    after = collection.get_card(answered)
    assert (after.type, after.queue, after.due, after.ivl) == (
        before.type, before.queue, before.due, before.ivl
    )
    assert db(collection).all("select id, cid, ease, ivl from revlog") == revlog_before
    assert sorted(model["name"] for model in collection.models.all()) == models_before
    assert sorted(deck.name for deck in collection.decks.all_names_and_ids()) == decks_before


def test_same_release_is_byte_identical(make_deck: Callable[[str, int, str], Path]) -> None:
    """Two exports of the same content and release give the same bytes."""
    first = make_deck(GOOD_QA + GOOD_CLOZE, 1_700_000_000, "a.apkg").read_bytes()
    second = make_deck(GOOD_QA + GOOD_CLOZE, 1_700_000_000, "b.apkg").read_bytes()
    assert first == second


def test_html_is_sanitised(tiny_project: Path, make_deck: Callable[[str, int, str], Path]) -> None:
    """Scripts and event handlers in card text never reach the deck."""
    hostile = GOOD_QA.replace(
        "back: An idempotency key the server remembers.",
        "back: 'Keys <b onclick=\"alert(1)\">held</b> <script>alert(2)</script>'",
    )
    path = make_deck(hostile, 1_700_000_000, "hostile.apkg")
    with zipfile.ZipFile(path) as archive:
        database = archive.read("collection.anki2")
    assert b"onclick" not in database and b"<script" not in database and b"alert" not in database


def test_diagram_images_are_bundled(tiny_project: Path, make_deck: Callable[[str, int, str], Path]) -> None:
    """A card showing a diagram carries the SVG in the package and points at that copy."""
    (tiny_project / "diagrams").mkdir()
    (tiny_project / "diagrams" / "flow.dot").write_text("digraph { a -> b }")
    card = GOOD_QA.replace(
        "back: An idempotency key the server remembers.", "back: '![Flow](../diagrams/flow.svg)'"
    )
    with zipfile.ZipFile(make_deck(card, 1_700_000_000, "img.apkg")) as archive:
        media = json.loads(archive.read("media"))
        database = archive.read("collection.anki2")
        assert media == {"0": "pp-diagram-flow.svg"}
        assert archive.read("0").startswith(b"<?xml")
    assert b'src="pp-diagram-flow.svg"' in database


def test_note_type_ids_never_change() -> None:
    """Model, field and template ids are the published ones: changing any forks learners' notes."""
    from peloton_prep.deck import RELEASE_IDENTITY, note_types

    types = note_types(RELEASE_IDENTITY)
    qa, cloze = types["qa"], types["cloze"]

    assert (qa.model_id, cloze.model_id) == (1_731_468_201, 1_731_468_202)
    # Hint, Notes and Release were added before the first release, with new ids after the old ones.
    assert [field["id"] for field in qa.fields] == [
        7_310_001, 7_310_002, 7_310_006, 7_310_007, 7_310_003, 7_310_004, 7_310_005, 7_310_008]
    assert [field["id"] for field in cloze.fields] == [
        7_320_001, 7_320_002, 7_320_006, 7_320_007, 7_320_003, 7_320_004, 7_320_005, 7_320_008]
    assert [field["name"] for field in qa.fields] == [
        "Front", "Back", "Hint", "Notes", "Link", "Source", "Card ID", "Release"]
    assert (qa.templates[0]["id"], cloze.templates[0]["id"]) == (7_310_101, 7_320_101)
    assert (qa.model_type, cloze.model_type) == (0, 1)
