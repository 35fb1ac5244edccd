"""The release record: what each release of the deck published, so later builds respect it.

A learner's collection holds every note a release gave them, keyed by the card's id. The record
(`cards/release-lock.json`, committed) remembers, per id, what Anki cannot be asked to change
(the kind and the cloze numbers), a hash of the note's content, and when that content last
changed. The deck stamps each note with that time, so an import updates only the notes that
changed; `check` rejects any change that would break a note a learner already has.

The record is written only by `peloton-prep release VERSION`; until a card has been in a release
it may change freely.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from peloton_prep.errors import ContentError, Problem, UsageError
from peloton_prep.sources.cards import KIND_FIELDS, Card

RECORD_PATH = "cards/release-lock.json"
FORMAT = 1
VERSION_PATTERN = re.compile(r"^\d+(\.\d+){0,2}$")

# The deck's note types, by card kind. Published fields can never be added to or renamed:
# Anki then treats every incoming note as a different note type and imports none of them.
NOTE_FIELDS: dict[str, tuple[str, ...]] = {
    "qa": ("Front", "Back", "Hint", "Notes", "Link", "Source", "Card ID", "Release"),
    "cloze": ("Text", "Extra", "Hint", "Notes", "Link", "Source", "Card ID", "Release"),
}
# The learner's own field: never filled by the deck and never part of a note's hashed content.
NOTES_FIELD = "Notes"


@dataclass(frozen=True)
class CardSnapshot:
    """One card as this build renders it, in the terms the record keeps."""

    id: str
    kind: str
    clozes: tuple[int, ...]
    hash: str
    deck: str
    retired: bool


@dataclass(frozen=True)
class NoteTypeSnapshot:
    """A note type as this build defines it: its fields, and a hash of fields, templates and CSS."""

    fields: tuple[str, ...]
    hash: str


@dataclass(frozen=True)
class PublishedCard:
    """A card as the last release that changed it published it."""

    id: str
    kind: str
    clozes: tuple[int, ...]
    hash: str
    deck: str
    changed: int
    changed_in: str
    first_release: str
    retired: bool = False


@dataclass(frozen=True)
class PublishedNoteType:
    fields: tuple[str, ...]
    hash: str
    changed: int


@dataclass(frozen=True)
class ReleaseEntry:
    """One cut release and what it changed, for the learners' release notes."""

    version: str
    time: int
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    retired: tuple[str, ...] = ()
    moved: tuple[str, ...] = ()

    @property
    def date(self) -> str:
        return datetime.fromtimestamp(self.time, UTC).strftime("%Y-%m-%d")


@dataclass(frozen=True)
class ReleaseRecord:
    releases: tuple[ReleaseEntry, ...]
    note_types: dict[str, PublishedNoteType]
    cards: dict[str, PublishedCard]
    # Where each card id sits in the record file, so a problem can point at it.
    lines: dict[str, int] = field(default_factory=dict, compare=False)

    @property
    def latest(self) -> ReleaseEntry | None:
        return self.releases[-1] if self.releases else None


# ---- reading and writing -------------------------------------------------------------------


def read_record(root: Path) -> ReleaseRecord | None:
    """The committed record, or None before the first release; a broken file is a content error."""
    path = root / RECORD_PATH
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8")
    try:
        return _from_json(json.loads(text), _id_lines(text))
    except (ValueError, KeyError, TypeError) as error:
        line = getattr(error, "lineno", 1)
        message = f"unreadable release record ({' '.join(str(error).split())[:120]}): restore it with git"
        raise ContentError([Problem(RECORD_PATH, line, "", "", message)]) from error


def write_record(root: Path, record: ReleaseRecord) -> Path:
    """One line per release, note type and card, so a release's diff reads card by card."""
    data = _to_json(record)

    def line(value: Any) -> str:
        return json.dumps(value, sort_keys=True, ensure_ascii=False)

    def mapping(items: dict[str, Any]) -> str:
        return ",\n".join(f"  {line(key)}: {line(value)}" for key, value in items.items())

    releases = ",\n".join(f"  {line(entry)}" for entry in data["releases"])
    text = (f'{{\n "format": {FORMAT},\n "releases": [\n{releases}\n ],\n'
            f' "note_types": {{\n{mapping(data["note_types"])}\n }},\n'
            f' "cards": {{\n{mapping(data["cards"])}\n }}\n}}\n')
    path = root / RECORD_PATH
    path.write_text(text, encoding="utf-8")
    return path


def _id_lines(text: str) -> dict[str, int]:
    found = re.finditer(r'^\s{2}"([a-z][a-z0-9-]*)": \{', text, re.MULTILINE)
    return {match.group(1): text.count("\n", 0, match.start()) + 1 for match in found}


def _from_json(data: dict[str, Any], lines: dict[str, int]) -> ReleaseRecord:
    if data.get("format") != FORMAT:
        raise ValueError(f"format {data.get('format')!r}, expected {FORMAT}")
    releases = tuple(
        ReleaseEntry(item["version"], int(item["time"]), *(tuple(item[key]) for key in _LISTS))
        for item in data["releases"]
    )
    note_types = {
        name: PublishedNoteType(tuple(item["fields"]), item["hash"], int(item["changed"]))
        for name, item in data["note_types"].items()
    }
    cards = {
        card_id: PublishedCard(card_id, item["kind"], tuple(item["clozes"]), item["hash"], item["deck"],
                               int(item["changed"]), item["changed_in"], item["first_release"],
                               bool(item.get("retired", False)))
        for card_id, item in data["cards"].items()
    }
    return ReleaseRecord(releases, note_types, cards, lines)


_LISTS = ("added", "changed", "retired", "moved")


def _to_json(record: ReleaseRecord) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "releases": [
            {"version": entry.version, "time": entry.time, **{key: list(getattr(entry, key)) for key in _LISTS}}
            for entry in record.releases
        ],
        "note_types": {
            name: {"fields": list(kind.fields), "hash": kind.hash, "changed": kind.changed}
            for name, kind in record.note_types.items()
        },
        "cards": {
            card.id: {"kind": card.kind, "clozes": list(card.clozes), "hash": card.hash, "deck": card.deck,
                      "changed": card.changed, "changed_in": card.changed_in,
                      "first_release": card.first_release, "retired": card.retired}
            for card in record.cards.values()
        },
    }


# ---- cutting a release ---------------------------------------------------------------------


def cut(record: ReleaseRecord | None, cards: dict[str, CardSnapshot], note_types: dict[str, NoteTypeSnapshot],
        version: str, time: int) -> ReleaseRecord:
    """The record after releasing `cards` as `version` at `time`: what changed takes `time`."""
    old = record or ReleaseRecord((), {}, {})
    _check_version(old, version, time)
    published = dict(old.cards)
    entry: dict[str, list[str]] = {key: [] for key in _LISTS}
    for card_id, snapshot in cards.items():
        before = old.cards.get(card_id)
        if before is not None and before.hash == snapshot.hash:
            continue
        entry[_what_happened(before, snapshot)].append(card_id)
        if before is not None and before.deck != snapshot.deck and not snapshot.retired:
            entry["moved"].append(card_id)
        first = before.first_release if before else version
        published[card_id] = PublishedCard(card_id, snapshot.kind, snapshot.clozes, snapshot.hash, snapshot.deck,
                                           time, version, first, snapshot.retired)
    kinds = {
        name: old.note_types[name] if name in old.note_types and old.note_types[name].hash == kind.hash
        else PublishedNoteType(kind.fields, kind.hash, time)
        for name, kind in note_types.items()
    }
    release = ReleaseEntry(version, time, *(tuple(sorted(entry[key])) for key in _LISTS))
    return ReleaseRecord((*old.releases, release), kinds, dict(sorted(published.items())))


def _what_happened(before: PublishedCard | None, now: CardSnapshot) -> str:
    if before is None:
        return "added"
    return "retired" if now.retired and not before.retired else "changed"


def _check_version(record: ReleaseRecord, version: str, time: int) -> None:
    if not VERSION_PATTERN.match(version):
        raise UsageError(f"release version {version!r} must be numbers separated by dots, such as 1.0 or 2026.3")
    if any(entry.version == version for entry in record.releases):
        raise UsageError(f"release {version} is already recorded in {RECORD_PATH}: pick the next version")
    latest = record.latest
    if latest is not None and time <= latest.time:
        raise UsageError(f"release time {time} is not after release {latest.version} ({latest.time}): "
                         "commit the changes to release first")


# ---- guarding published cards --------------------------------------------------------------


def guard_problems(record: ReleaseRecord | None, cards: Iterable[Card],
                   note_fields: dict[str, tuple[str, ...]] = NOTE_FIELDS) -> list[Problem]:
    """Every change that would break a note a learner already has, with what to do instead."""
    if record is None or not record.releases:
        return []
    by_id = {card.id: card for card in cards}
    problems = _note_type_problems(record, note_fields)
    for published in record.cards.values():
        card = by_id.get(published.id)
        if card is None:
            problems.append(_removed(record, published))
        else:
            problems += _card_problems(published, card)
    return problems


def _removed(record: ReleaseRecord, published: PublishedCard) -> Problem:
    return Problem(RECORD_PATH, record.lines.get(published.id, 1), published.id, "id",
                   f"published in release {published.first_release} and now missing: learners have this note. "
                   "Keep the card and add `retired: <why>` to retire it (it stays in the deck, tagged "
                   "PelotonPrep::retired, so learners can find and suspend it)")


def _card_problems(published: PublishedCard, card: Card) -> list[Problem]:
    if card.kind != published.kind:
        return [Problem(card.path, card.line_of("kind"), card.id, "kind",
                        f"published as {published.kind} in release {published.first_release}: Anki cannot change "
                        f"a learner's note to {card.kind}. Keep it {published.kind}, or retire this id "
                        f"(`retired: <why>`) and add the {card.kind} card under a new id")]
    missing = sorted(set(published.clozes) - set(card.cloze_numbers))
    if not missing:
        return []
    field_name = KIND_FIELDS[card.kind][0]
    numbers = ", ".join(f"c{number}" for number in missing)
    return [Problem(card.path, card.line_of(field_name), card.id, field_name,
                    f"published with cloze {numbers}, now gone: learners would keep a card that shows "
                    f"'No cloze {missing[0]} found'. Keep every published number ({{{{c{missing[0]}::…}}}}), "
                    "or retire this id (`retired: <why>`) and add the new text under a new id")]


def _note_type_problems(record: ReleaseRecord, note_fields: dict[str, tuple[str, ...]]) -> list[Problem]:
    problems = []
    for name, published in record.note_types.items():
        fields = note_fields.get(name, ())
        if fields != published.fields:
            problems.append(Problem(
                RECORD_PATH, 1, "", f"note type {name}",
                f"fields {', '.join(fields)} differ from the published {', '.join(published.fields)}: Anki would "
                "import every note of this type as a conflicting copy. Keep the published fields and put the new "
                "content in an existing field (or the template)"))
    return problems


# ---- what a build stamps on each note ------------------------------------------------------


@dataclass(frozen=True)
class Stamp:
    """A note's modified time and the release its content belongs to."""

    mod: int
    release: str


def stamp_for(record: ReleaseRecord | None, snapshot: CardSnapshot, build_time: int, build_version: str) -> Stamp:
    """The recorded time when the content is what the record holds; else the build's own time."""
    published = record.cards.get(snapshot.id) if record else None
    if published is not None and published.hash == snapshot.hash:
        return Stamp(published.changed, published.changed_in)
    return Stamp(build_time, build_version)


def note_type_mod(record: ReleaseRecord | None, name: str, snapshot: NoteTypeSnapshot, build_time: int) -> int:
    published = record.note_types.get(name) if record else None
    return published.changed if published is not None and published.hash == snapshot.hash else build_time


def unreleased(record: ReleaseRecord | None, cards: dict[str, CardSnapshot],
               note_types: dict[str, NoteTypeSnapshot]) -> bool:
    """Whether anything differs from the last release: the build is then not that release."""
    if record is None or not record.releases:
        return True
    published_cards = {card_id: card.hash for card_id, card in record.cards.items()}
    published_types = {name: kind.hash for name, kind in record.note_types.items()}
    return (published_cards != {card_id: card.hash for card_id, card in cards.items()}
            or published_types != {name: kind.hash for name, kind in note_types.items()})


# ---- release notes -------------------------------------------------------------------------


def release_notes(record: ReleaseRecord | None, cards: dict[str, Card]) -> str:
    """Markdown for the Changelog page: per release, newest first, the cards added, changed,
    retired and moved, each linked to the section that explains it."""
    if record is None or not record.releases:
        return "No release of the deck has been recorded yet: every card may still change.\n"
    blocks = []
    for entry in reversed(record.releases):
        lines = [f"### Deck release {entry.version} ({entry.date})", ""]
        if entry is record.releases[0]:
            lines.append(f"The first release: {len(entry.added)} cards.")
        else:
            for key, label in (("added", "Added"), ("changed", "Changed"), ("retired", "Retired"),
                               ("moved", "Moved to another subdeck")):
                ids = getattr(entry, key)
                if ids:
                    lines.append(f"- {label} ({len(ids)}): " + ", ".join(_card_link(card_id, cards) for card_id in ids))
            if len(lines) == 2:
                lines.append("No card changed (the note types or the description did).")
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


def _card_link(card_id: str, cards: dict[str, Card]) -> str:
    card = cards.get(card_id)
    return f"[`{card_id}`]({card.page}#{card.section})" if card is not None and not card.retired else f"`{card_id}`"
