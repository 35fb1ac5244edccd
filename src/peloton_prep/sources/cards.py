"""The card: a frozen record, built only from an entry that passes every field rule."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from peloton_prep.errors import Problem
from peloton_prep.sources.cardrules import CLOZE
from peloton_prep.sources.entries import Entry
from peloton_prep.sources.taxonomy import ROLES, ROUNDS, SEEDS, deck_name

ID_PATTERN = re.compile(r"^[a-z][a-z0-9-]{2,63}$")
CLOZE_PATTERN = CLOZE

COMMON_FIELDS = ("id", "kind", "tags", "page", "section", "source")
KIND_FIELDS = {"qa": ("front", "back"), "cloze": ("text", "extra")}
# A hint shown tap-to-reveal on the deck's front; a retired card keeps its id with the reason why.
OPTIONAL_FIELDS = ("hint", "retired")


@dataclass(frozen=True)
class Card:
    """A flashcard; for cloze cards `front` is the text with deletions and `back` the extra."""

    id: str
    kind: str
    front: str
    back: str
    tags: tuple[str, ...]
    page: str
    section: str
    sources: tuple[str, ...]
    path: str
    line: int
    field_lines: tuple[tuple[str, int], ...] = ()
    hint: str = ""
    retired: str = ""

    def line_of(self, field: str) -> int:
        return dict(self.field_lines).get(field, self.line)

    @property
    def cloze_numbers(self) -> tuple[int, ...]:
        """The cloze numbers the text deletes: each is one card in a learner's collection."""
        if self.kind != "cloze":
            return ()
        return tuple(sorted({int(match.group(1)) for match in CLOZE_PATTERN.finditer(self.front)}))

    @property
    def role(self) -> str:
        return _tag_value(self.tags, "role")

    @property
    def round(self) -> str:
        return _tag_value(self.tags, "round")

    @property
    def deck(self) -> str:
        return deck_name(self.role, self.round)

    @property
    def question(self) -> str:
        """The front as a learner sees it, in Markdown: a cloze shows its gaps."""
        return cloze_gaps(self.front) if self.kind == "cloze" else self.front

    @property
    def answer(self) -> str:
        """The back as a learner sees it, in Markdown: a cloze shows its filled text, then the extra."""
        return f"{cloze_filled(self.front)}\n\n{self.back}" if self.kind == "cloze" else self.back


def cloze_gaps(text: str) -> str:
    """The front of a cloze: each deletion becomes a gap, showing its hint if it has one."""
    return CLOZE_PATTERN.sub(lambda match: f"[{match.group(3) or '…'}]", text)


def cloze_filled(text: str) -> str:
    """The back of a cloze: each deletion shown in bold."""
    return CLOZE_PATTERN.sub(lambda match: f"**{match.group(2)}**", text)


def _tag_value(tags: tuple[str, ...], prefix: str) -> str:
    return next(tag.split("::", 1)[1] for tag in tags if tag.startswith(prefix + "::"))


class _Checker:
    """Collects the problems of one entry, each pointing at the field's own line."""

    def __init__(self, path: str, entry: Entry) -> None:
        self.path = path
        self.entry = entry
        card_id = entry.values.get("id")
        self.card_id = card_id if isinstance(card_id, str) else ""
        self.problems: list[Problem] = []

    def report(self, field: str, message: str) -> None:
        line = self.entry.lines.get(field, self.entry.line)
        self.problems.append(Problem(self.path, line, self.card_id, field, message))

    def text(self, field: str) -> str:
        value = self.entry.values.get(field)
        if not isinstance(value, str):
            self.report(field, f"must be text, not {_type_name(value)}")
            return ""
        if not value.strip():
            self.report(field, "is empty")
        return value.strip()


def card_from_entry(path: str, entry: Entry) -> tuple[Card | None, list[Problem]]:
    """Check one entry's fields; return the card only when nothing is wrong."""
    check = _Checker(path, entry)
    kind = _check_shape(check)
    if kind is None:
        return None, check.problems
    first, second = KIND_FIELDS[kind]
    card = Card(
        id=_check_id(check),
        kind=kind,
        front=check.text(first),
        back=check.text(second),
        tags=_check_tags(check),
        page=check.text("page"),
        section=check.text("section"),
        sources=_check_sources(check),
        path=path,
        line=entry.line,
        field_lines=tuple(entry.lines.items()),
        hint=_optional_text(check, "hint"),
        retired=_optional_text(check, "retired"),
    )
    return (None if check.problems else card), check.problems


def _check_shape(check: _Checker) -> str | None:
    """Report unknown and missing fields; the kind decides which fields belong."""
    kind = check.entry.values.get("kind")
    if not isinstance(kind, str) or kind not in KIND_FIELDS:
        check.report("kind", f"must be one of {', '.join(KIND_FIELDS)}, not {kind!r}")
        return None
    required = COMMON_FIELDS + KIND_FIELDS[kind]
    allowed = required + OPTIONAL_FIELDS
    for field in check.entry.values:
        if field not in allowed:
            check.report(field, f"unknown field for a {kind} card (allowed: {', '.join(allowed)})")
    for field in required:
        if field not in check.entry.values:
            check.report(field, "missing")
    return kind if not check.problems else None


def _optional_text(check: _Checker, field: str) -> str:
    return check.text(field) if field in check.entry.values else ""


def _check_id(check: _Checker) -> str:
    card_id = check.text("id")
    if card_id and not ID_PATTERN.match(card_id):
        check.report("id", f"{card_id!r} is not a slug (a-z, 0-9, '-', 3-64 chars, letter first)")
    return card_id


def _check_tags(check: _Checker) -> tuple[str, ...]:
    tags = check.entry.values.get("tags")
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        check.report("tags", "must be a list of text tags")
        return ()
    for tag in tags:
        if not tag or any(char.isspace() for char in tag):
            check.report("tags", f"tag {tag!r} must be non-empty and have no spaces")
    _check_one_of(check, tags, "role", ROLES)
    _check_one_of(check, tags, "round", ROUNDS)
    return tuple(tags)


def _check_one_of(check: _Checker, tags: list[str], prefix: str, known: dict[str, str]) -> None:
    values = [tag.split("::", 1)[1] for tag in tags if tag.startswith(prefix + "::")]
    if len(values) != 1:
        check.report("tags", f"needs exactly one {prefix}:: tag, found {len(values)}")
    elif values[0] not in known:
        check.report("tags", f"unknown {prefix}::{values[0]} (known: {', '.join(known)})")


def _check_sources(check: _Checker) -> tuple[str, ...]:
    value = check.entry.values.get("source")
    items = value if isinstance(value, list) else [value]
    sources = [item for item in items if isinstance(item, str)]
    if not sources or len(sources) != len(items):
        check.report("source", "must be a seed name, an https:// reference, or a list of them")
        return ()
    for source in sources:
        if source not in SEEDS and not source.startswith("https://"):
            check.report("source", f"{source!r} is neither {' nor '.join(SEEDS)} nor an https:// URL")
    return tuple(sources)


def _type_name(value: Any) -> str:
    return "nothing" if value is None else type(value).__name__
