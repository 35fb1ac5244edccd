"""The Anki export: our own note types and stable GUIDs, so updates keep review history.

What an import changes in a learner's collection is decided by each note's modified time (Anki
updates a note only when the incoming copy is newer), so every note carries the time its own
content last changed, from the release record, never the build's time. See
`peloton_prep.sources.releases` and docs/guide/import.md for what an update does.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import json
import re
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

import genanki
from pygments.formatters import HtmlFormatter

from peloton_prep.outputs import write_zip
from peloton_prep.sources.cards import Card
from peloton_prep.sources.content import Content, Faces
from peloton_prep.sources.markdown import source_links
from peloton_prep.sources.release import Release
from peloton_prep.sources.releases import (
    NOTE_FIELDS,
    NOTES_FIELD,
    CardSnapshot,
    NoteTypeSnapshot,
    ReleaseRecord,
    Stamp,
    cut,
    note_type_mod,
    stamp_for,
    unreleased,
)
from peloton_prep.sources.taxonomy import DECK_ROOT

CSS_FILE = Path(__file__).parent / "deck.css"
# A fixed namespace for GUIDs: changing it would orphan every learner's notes.
GUID_NAMESPACE = "peloton-prep"
# One root for every tag the deck sets, so ours never mix with the learner's other decks' tags.
TAG_ROOT = "PelotonPrep"
RETIRED_TAG = f"{TAG_ROOT}::retired"
# Retired cards a new learner receives go to a deck outside the root, so studying the root never
# shows them; learners who already have them keep them where they are (Anki never moves a card).
RETIRED_DECK = f"{DECK_ROOT} (retired)"

DIAGRAM_SRC = re.compile(r'src="[^"]*diagrams/([\w-]+)\.svg"')
DIAGRAM_SRC_MD = re.compile(r"diagrams/([\w-]+)\.svg")

# Hard-coded ids: genanki's built-in models share ids with every genanki user, and Anki
# matches note types by id, so ours must be unique and must never change kind.
QA_MODEL_ID = 1_731_468_201
CLOZE_MODEL_ID = 1_731_468_202
# Field ids per field name, from a fixed base per type; a field's id never changes or is reused.
FIELD_NUMBERS = {"Front": 1, "Text": 1, "Back": 2, "Extra": 2, "Link": 3, "Source": 4, "Card ID": 5,
                 "Hint": 6, "Notes": 7, "Release": 8}
QUEUE_SUSPENDED = -1


@dataclass(frozen=True)
class Identity:
    """Who the notes are to Anki. A development build has its own deck, note types and GUIDs, so
    importing one can never change, or shadow, a note of a release."""

    root: str
    guid_namespace: str
    model_offset: int
    label: str


RELEASE_IDENTITY = Identity(DECK_ROOT, GUID_NAMESPACE, 0, "")
DEV_IDENTITY = Identity(f"{DECK_ROOT} (development build)", f"{GUID_NAMESPACE}-dev", 1_000, " (development build)")


def identity_for(release: Release) -> Identity:
    return DEV_IDENTITY if release.dev else RELEASE_IDENTITY


def deck_css() -> str:
    """deck.css, then Pygments' colours for day and night, scoped so they never leak outside code."""
    day = HtmlFormatter(style="friendly").get_style_defs(".highlight")
    night = HtmlFormatter(style="monokai").get_style_defs(
        [".nightMode .highlight", ".night_mode .highlight", ".card.nightMode .highlight"]
    )
    return f"{CSS_FILE.read_text(encoding='utf-8')}\n{day}\n{night}\n"


def note_type(kind: str, identity: Identity = RELEASE_IDENTITY) -> genanki.Model:
    """One of our two note types. The hint is Anki's tap-to-reveal `hint:` filter; the learner's
    Notes and the card's release are on the back, small."""
    cloze = kind == "cloze"
    names = NOTE_FIELDS[kind]
    front, back = names[:2]
    base = 7_320_000 if cloze else 7_310_000
    shown = f"{{{{cloze:{front}}}}}" if cloze else f"{{{{{front}}}}}"
    hint = '{{#Hint}}<div class="pp-hint">{{hint:Hint}}</div>{{/Hint}}'
    question = f'<div class="pp-front">{shown}</div>{hint}'
    answer = (
        f'{question}<hr id="answer"><div class="pp-back">{{{{{back}}}}}</div>'
        f'{{{{#{NOTES_FIELD}}}}}<div class="pp-notes">{{{{{NOTES_FIELD}}}}}</div>{{{{/{NOTES_FIELD}}}}}'
        '<div class="pp-meta"><a href="{{Link}}">Read the full answer</a>'
        " · {{Source}} · <code>{{Card ID}}</code> · release {{Release}}</div>"
    )
    title = "Cloze" if cloze else "Q&A"
    return genanki.Model(
        model_id(kind, identity),
        f"Peloton Interview Prep: {title}{identity.label}",
        fields=[{"name": name, "id": base + FIELD_NUMBERS[name]} for name in names],
        templates=[{"name": "Cloze" if cloze else "Question", "id": base + 101, "qfmt": question, "afmt": answer}],
        css=deck_css(),
        model_type=genanki.Model.CLOZE if cloze else genanki.Model.FRONT_BACK,
        sort_field_index=0,
    )


def model_id(kind: str, identity: Identity) -> int:
    return (CLOZE_MODEL_ID if kind == "cloze" else QA_MODEL_ID) + identity.model_offset


def note_types(identity: Identity) -> dict[str, genanki.Model]:
    """Both note types, built once per deck: each holds the whole deck CSS."""
    return {kind: note_type(kind, identity) for kind in NOTE_FIELDS}


def note_type_snapshots() -> dict[str, NoteTypeSnapshot]:
    """The published note types' fields, and a hash of everything an import would replace."""
    snapshots = {}
    for kind, model in note_types(RELEASE_IDENTITY).items():
        shape = [model.name, model.fields, model.templates, model.css, model.model_type]
        snapshots[kind] = NoteTypeSnapshot(NOTE_FIELDS[kind], _digest(shape))
    return snapshots


def deck_id(name: str) -> int:
    """A stable id from the deck's fixed name, so re-imports land in the same deck."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:6], "big") + (1 << 40)


@dataclass(frozen=True)
class NoteContent:
    """A card's note as a release publishes it: every field but the learner's Notes and the
    Release label, which are left out of the hash (the label follows from the hash)."""

    card: Card
    fields: tuple[tuple[str, str], ...]
    tags: tuple[str, ...]
    deck: str

    def snapshot(self) -> CardSnapshot:
        digest = _digest([self.card.kind, list(self.fields), list(self.tags)])
        return CardSnapshot(self.card.id, self.card.kind, self.card.cloze_numbers, digest, self.deck,
                            bool(self.card.retired))


def note_content(card: Card, faces: Faces, content: Content) -> NoteContent:
    """The deck's rendering of one card, before the build stamps it."""
    names = NOTE_FIELDS[card.kind]
    back = _bundled_images(faces.back)
    if card.retired:
        back = f'<div class="pp-retired">Retired from the kit: {html.escape(card.retired)} Suspend this card ' \
               f"(search tag:{RETIRED_TAG}).</div>{back}"
    link = content.url_for(card) if card.page in content.pages else content.site_url
    values = {
        names[0]: _bundled_images(faces.front),
        names[1]: back,
        "Hint": _bundled_images(faces.hint),
        "Link": link,
        "Source": source_links(card.sources),
        "Card ID": card.id,
    }
    tags = tuple(f"{TAG_ROOT}::{tag}" for tag in card.tags) + ((RETIRED_TAG,) if card.retired else ())
    return NoteContent(card, tuple(values.items()), tags, RETIRED_DECK if card.retired else card.deck)


def note_contents(content: Content) -> list[NoteContent]:
    """Every note in the package, current cards first in the site's order, then retired ones."""
    order = site_order(content)
    cards = sorted(content.cards, key=order.__getitem__) + list(content.retired)
    return [note_content(card, content.faces[card.id], content) for card in cards]


def card_snapshots(content: Content) -> dict[str, CardSnapshot]:
    return {note.card.id: note.snapshot() for note in note_contents(content)}


def cut_release(content: Content, version: str, time: int) -> ReleaseRecord:
    """The record with this build's cards released as `version` at `time`."""
    return cut(content.record, card_snapshots(content), note_type_snapshots(), version, time)


def site_order(content: Content) -> dict[Card, tuple[int, int, int]]:
    """Each card's place in reading order: the page's place in the nav, the section's place on
    the page, then the card's place in its file."""
    pages = {page: number for number, (_, page) in enumerate(content.nav)}
    order = {}
    for number, card in enumerate(content.cards):
        page = content.pages.get(card.page)
        sections = page.sections if page is not None else ()
        section = sections.index(card.section) if card.section in sections else len(sections)
        order[card] = (pages.get(card.page, len(pages)), section, number)
    return order


def genanki_note(note: NoteContent, stamp: Stamp, model: genanki.Model, identity: Identity,
                 position: int) -> genanki.Note:
    values = dict(note.fields) | {NOTES_FIELD: "", "Release": stamp.release}
    return genanki.Note(
        model=model,
        fields=[values[name] for name in NOTE_FIELDS[note.card.kind]],
        tags=list(note.tags),
        guid=genanki.guid_for(identity.guid_namespace, note.card.id),
        sort_field=note.card.front,
        due=position,
    )


def _bundled_images(html_text: str) -> str:
    """Point diagram images at the copies packed into the deck's media, never at the web."""
    return DIAGRAM_SRC.sub(lambda match: f'src="{media_name(match.group(1))}"', html_text)


def media_name(diagram: str) -> str:
    return f"pp-diagram-{diagram}.svg"


def diagram_media(content: Content) -> dict[str, bytes]:
    """The diagrams the cards show, for the deck's media folder: the print variant, which lays a
    wide flow out top to bottom (it reads on a phone held upright) in black that deck.css inverts
    for night mode."""
    used = set()
    for card in (*content.cards, *content.retired):
        used.update(DIAGRAM_SRC_MD.findall(card.front + card.back + card.hint))
    return {media_name(name): content.print_diagrams.get(name, svg)
            for name, svg in content.diagrams.items() if name in used}


@dataclass(frozen=True)
class Edition:
    """What the deck says it is, in its description and its summary line."""

    version: str
    date: str
    released: bool


def edition(content: Content, release: Release, notes: list[NoteContent]) -> Edition:
    """The last release's version when the build is exactly that release; otherwise the build's
    own version, saying it is not a release."""
    record = content.record
    snapshots = {note.card.id: note.snapshot() for note in notes}
    latest = record.latest if record is not None else None
    if latest is not None and not release.dev and not unreleased(record, snapshots, note_type_snapshots()):
        return Edition(latest.version, latest.date, released=True)
    after = f", after release {latest.version}" if latest is not None else ", before the first release"
    kind = "development build" if release.dev else "unreleased build"
    return Edition(f"{release.version} ({kind}{after})", release.date, released=False)


def description(edition: Edition, site_url: str) -> str:
    """The deck overview's text: which version this is, where the answers are, how to update."""
    site = site_url.rstrip("/") + "/"
    return (
        f"<p><b>Peloton Interview Prep</b>: release {html.escape(edition.version)}, {edition.date}.</p>"
        f'<p>Full answers, the changelog and the newest deck: <a href="{site}">{site}</a></p>'
        "<p>To update: back up first (File → Create Backup), import the new file with <i>Merge note types</i> "
        "off and <i>Update notes</i> and <i>Update note types</i> set to <i>If newer</i>, then run "
        "Tools → Empty Cards. Reviews are kept, and so are your edits, Notes and tags on every card that "
        f'did not change. <a href="{site}guide/import/#updating">Step by step</a>.</p>'
    )


def build_decks(content: Content, release: Release) -> tuple[list[genanki.Deck], dict[str, int]]:
    """One subdeck per role and round, each with the description (Anki imports only decks that
    hold cards, so the root cannot carry it); and each note's modified time."""
    identity = identity_for(release)
    notes = note_contents(content)
    text = description(edition(content, release, notes), content.site_url)
    models = note_types(identity)
    decks: dict[str, genanki.Deck] = {}
    mods: dict[str, int] = {}
    for position, note in enumerate(notes):
        name = identity.root + note.deck.removeprefix(DECK_ROOT)
        if name not in decks:
            decks[name] = genanki.Deck(deck_id(name), name, text)
        stamp = stamp_for(content.record, note.snapshot(), release.timestamp, release.version)
        built = genanki_note(note, stamp, models[note.card.kind], identity, position)
        decks[name].add_note(built)
        mods[built.guid] = stamp.mod
    return [decks[name] for name in sorted(decks)], mods


def write_deck(content: Content, release: Release, target: Path) -> None:
    """Write the .apkg byte-for-byte reproducibly for one release."""
    decks, mods = build_decks(content, release)
    package = genanki.Package(decks)
    with tempfile.TemporaryDirectory() as scratch:
        database = Path(scratch) / "collection.anki2"
        connection = sqlite3.connect(database)
        ids = itertools.count(release.timestamp * 1000)
        package.write_to_db(connection.cursor(), release.timestamp, ids)
        _stamp_database(connection, content, release, mods)
        connection.commit()
        connection.close()
        media = diagram_media(content)
        index = {str(number): name for number, name in enumerate(sorted(media))}
        members = {"collection.anki2": database.read_bytes(), "media": json.dumps(index).encode()}
        members.update({number: media[name] for number, name in index.items()})
        write_zip(target, members)


def _stamp_database(connection: sqlite3.Connection, content: Content, release: Release,
                    mods: dict[str, int]) -> None:
    """genanki stamps everything with the package's time; put back each note's own time, each
    note type's, and suspend retired cards (kept if the learner imports scheduling)."""
    connection.executemany("UPDATE notes SET mod = ? WHERE guid = ?", [(mod, guid) for guid, mod in mods.items()])
    connection.execute("UPDATE cards SET mod = (SELECT mod FROM notes WHERE notes.id = cards.nid)")
    identity = identity_for(release)
    retired = [genanki.guid_for(identity.guid_namespace, card.id) for card in content.retired]
    connection.executemany(
        "UPDATE cards SET queue = ? WHERE nid = (SELECT id FROM notes WHERE guid = ?)",
        [(QUEUE_SUSPENDED, guid) for guid in retired],
    )
    (models_json,) = connection.execute("SELECT models FROM col").fetchone()
    models = json.loads(models_json)
    snapshots = note_type_snapshots()
    for kind in ("qa", "cloze"):
        key = str(model_id(kind, identity))
        if key in models:
            models[key]["mod"] = note_type_mod(content.record, kind, snapshots[kind], release.timestamp)
    connection.execute("UPDATE col SET models = ?", (json.dumps(models),))


def _digest(value: object) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
