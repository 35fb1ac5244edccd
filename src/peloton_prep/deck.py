"""The Anki export: our own note types and stable GUIDs, so updates keep review history."""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import sqlite3
import tempfile
from pathlib import Path

import genanki
from pygments.formatters import HtmlFormatter

from peloton_prep.outputs import write_zip
from peloton_prep.sources.cards import Card
from peloton_prep.sources.content import Content, Faces
from peloton_prep.sources.markdown import source_links
from peloton_prep.sources.release import Release

CSS_FILE = Path(__file__).parent / "deck.css"
# A fixed namespace for GUIDs: changing it would orphan every learner's notes.
GUID_NAMESPACE = "peloton-prep"

DIAGRAM_SRC = re.compile(r'src="[^"]*diagrams/([\w-]+)\.svg"')
DIAGRAM_SRC_MD = re.compile(r"diagrams/([\w-]+)\.svg")

# Hard-coded ids: genanki's built-in models share ids with every genanki user, and Anki
# matches note types by id, so ours must be unique and must never change kind.
QA_MODEL_ID = 1_731_468_201
CLOZE_MODEL_ID = 1_731_468_202

def deck_css() -> str:
    """deck.css, then Pygments' colours for day and night, scoped so they never leak outside code."""
    day = HtmlFormatter(style="friendly").get_style_defs(".highlight")
    night = HtmlFormatter(style="monokai").get_style_defs(
        [".nightMode .highlight", ".night_mode .highlight", ".card.nightMode .highlight"]
    )
    return f"{CSS_FILE.read_text(encoding='utf-8')}\n{day}\n{night}\n"


def _note_type(model_id: int, name: str, fields: tuple[str, str], template: str, cloze: bool) -> genanki.Model:
    """One of our note types; its field and template ids come from a fixed base per type, never reused."""
    base = 7_310_000 if not cloze else 7_320_000
    front, back = fields
    shown = f"{{{{cloze:{front}}}}}" if cloze else f"{{{{{front}}}}}"
    names = (front, back, "Link", "Source", "Card ID")
    return genanki.Model(
        model_id,
        name,
        fields=[{"name": field, "id": base + number} for number, field in enumerate(names, 1)],
        templates=[
            {
                "name": template,
                "id": base + 101,
                "qfmt": f'<div class="pp-front">{shown}</div>',
                "afmt": f'<div class="pp-front">{shown}</div><hr id="answer">'
                f'<div class="pp-back">{{{{{back}}}}}</div>'
                '<div class="pp-meta"><a href="{{Link}}">Read the full answer</a>'
                " · {{Source}} · <code>{{Card ID}}</code></div>",
            }
        ],
        css=deck_css(),
        model_type=genanki.Model.CLOZE if cloze else genanki.Model.FRONT_BACK,
    )


QA_MODEL = _note_type(QA_MODEL_ID, "Peloton Interview Prep: Q&A", ("Front", "Back"), "Question", cloze=False)
CLOZE_MODEL = _note_type(CLOZE_MODEL_ID, "Peloton Interview Prep: Cloze", ("Text", "Extra"), "Cloze", cloze=True)


def deck_id(name: str) -> int:
    """A stable id from the deck's fixed name, so re-imports land in the same deck."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:6], "big") + (1 << 40)


def note_for(card: Card, faces: Faces, content: Content) -> genanki.Note:
    """The deck's rendering of one card."""
    model = QA_MODEL if card.kind == "qa" else CLOZE_MODEL
    fields = [
        _bundled_images(faces.front),
        _bundled_images(faces.back),
        content.url_for(card),
        source_links(card.sources),
        card.id,
    ]
    return genanki.Note(
        model=model,
        fields=fields,
        tags=list(card.tags),
        guid=genanki.guid_for(GUID_NAMESPACE, card.id),
        sort_field=card.front,
    )


def _bundled_images(html: str) -> str:
    """Point diagram images at the copies packed into the deck's media, never at the web."""
    return DIAGRAM_SRC.sub(lambda match: f'src="{media_name(match.group(1))}"', html)


def media_name(diagram: str) -> str:
    return f"pp-diagram-{diagram}.svg"


def diagram_media(content: Content) -> dict[str, bytes]:
    """The diagrams the cards show, rendered for the deck's media folder."""
    used = set()
    for card in content.cards:
        used.update(DIAGRAM_SRC_MD.findall(card.front + card.back))
    return {media_name(name): svg for name, svg in content.diagrams.items() if name in used}


def build_decks(content: Content) -> list[genanki.Deck]:
    """One subdeck per role and round, holding that round's notes."""
    decks: dict[str, genanki.Deck] = {}
    for card in content.cards:
        if card.deck not in decks:
            decks[card.deck] = genanki.Deck(deck_id(card.deck), card.deck)
        decks[card.deck].add_note(note_for(card, content.faces[card.id], content))
    return [decks[name] for name in sorted(decks)]


def write_deck(content: Content, release: Release, target: Path) -> None:
    """Write the .apkg byte-for-byte reproducibly for one release."""
    package = genanki.Package(build_decks(content))
    with tempfile.TemporaryDirectory() as scratch:
        database = Path(scratch) / "collection.anki2"
        connection = sqlite3.connect(database)
        ids = itertools.count(release.timestamp * 1000)
        package.write_to_db(connection.cursor(), release.timestamp, ids)
        connection.commit()
        connection.close()
        media = diagram_media(content)
        index = {str(number): name for number, name in enumerate(sorted(media))}
        members = {"collection.anki2": database.read_bytes(), "media": json.dumps(index).encode()}
        members.update({number: media[name] for number, name in index.items()})
        write_zip(target, members)

