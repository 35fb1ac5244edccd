"""The glossary page's entries, and the ones each card uses.

The printed guide's index marks where each entry is mentioned (`pdf.apparatus`); the site's card
blocks link the acronyms a card uses to their entries, so a reader who meets "HLC" on a card is one
tap from what it means.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from html import unescape

GLOSSARY_PAGE = "glossary.md"
# A glossary entry: a term line, then its definition (def_list's ":   ").
GLOSSARY_TERM = re.compile(r"^([^\s:#>!|-][^\n]*)\n:\s{3}", re.MULTILINE)
# The attribute list closing a term line, `{ #abr }`: its id is the entry's anchor on the page.
ATTRIBUTES = re.compile(r"\s*\{([^}]*)\}\s*$")
ANCHOR_ID = re.compile(r"#([\w-]+)")
TAG = re.compile(r"<[^>]+>")
# Entries a card does not link: a link that teaches nothing is noise beside the one worth a look.
# A test keeps each name an acronym of the glossary, so none goes stale.
NOT_LINKED_FROM_CARDS = frozenset({
    "API", "HTTP", "JSON",  # every engineer reading the kit knows them
    "PM", "L10", "CTO", "VP",  # the kit's own roles and everyday titles, named on nearly every page
    "PR",  # on ride cards it is a rider's personal record; the glossary's entry is a pull request
})
# A card's terms share one short line under the answer; past four it wraps on a phone and stops
# being a glance.
MAX_TERMS_PER_CARD = 4


@dataclass(frozen=True)
class GlossaryEntry:
    """One entry of the glossary page."""

    key: str  # what the text mentions: the term before any " (expansion)"
    term: str  # the whole term line, without its attribute list
    anchor: str  # the id its `{ #id }` gives it on the page; "" when it has none


def glossary_entries(markdown: str) -> tuple[GlossaryEntry, ...]:
    """Every entry of the glossary page's Markdown, in the page's order."""
    return tuple(_entry(line) for line in GLOSSARY_TERM.findall(markdown))


def _entry(line: str) -> GlossaryEntry:
    attributes = ATTRIBUTES.search(line)
    term = (line[: attributes.start()] if attributes else line).strip()
    anchor = ANCHOR_ID.search(attributes.group(1)) if attributes else None
    return GlossaryEntry(term.split(" (", 1)[0].strip(), term, anchor.group(1) if anchor else "")


def term_pattern(keys: Iterable[str]) -> re.Pattern[str]:
    """One pattern for every key, longest first (so a phrase wins over a shorter key it starts
    with); a plural "s" or "es" counts as a mention. Group `t<n>` is the n-th key as given."""
    named = [(f"t{number}", key) for number, key in enumerate(keys)]
    alternatives = [
        f"(?P<{name}>{_key_pattern(key)})" for name, key in sorted(named, key=lambda item: len(item[1]), reverse=True)
    ]
    if not alternatives:  # no glossary: an empty alternation would match everywhere
        return re.compile(r"(?!)")
    return re.compile(rf"(?<![\w-])(?:{'|'.join(alternatives)})(?:e?s)?(?![\w-])")


def _key_pattern(key: str) -> str:
    """An acronym matches its own case only ("ARC", not "arc"); a phrase any case."""
    return re.escape(key) if key.upper() == key else f"(?i:{re.escape(key)})"


def matched_key(found: re.Match[str]) -> int:
    """Which key of `term_pattern` a match is: its place in the keys as given."""
    return int(next(name for name, value in found.groupdict().items() if value)[1:])


def is_acronym(key: str) -> bool:
    """An entry such as HLC or CI/CD: short, all capitals, and opaque until looked up."""
    return key.isupper() and " " not in key


@dataclass(frozen=True)
class CardTerms:
    """Finds the glossary acronyms a card uses, the ones worth a link from it."""

    entries: tuple[GlossaryEntry, ...]
    pattern: re.Pattern[str]

    @classmethod
    def from_glossary(cls, entries: Iterable[GlossaryEntry]) -> CardTerms:
        linked = tuple(
            entry for entry in entries
            if entry.anchor and is_acronym(entry.key) and entry.key not in NOT_LINKED_FROM_CARDS
        )
        return cls(linked, term_pattern(entry.key for entry in linked))

    def used_in(self, *faces_html: str) -> tuple[GlossaryEntry, ...]:
        """The first MAX_TERMS_PER_CARD entries the faces mention, in order of first mention."""
        text = " ".join(_text(face) for face in faces_html)
        used: dict[GlossaryEntry, None] = {}
        for found in self.pattern.finditer(text):
            used[self.entries[matched_key(found)]] = None
            if len(used) == MAX_TERMS_PER_CARD:
                break
        return tuple(used)


def _text(html: str) -> str:
    """The words of sanitised card HTML; a tag becomes a space, so "</td><td>" still splits two
    words and neither is read as part of the other."""
    return unescape(TAG.sub(" ", html))
