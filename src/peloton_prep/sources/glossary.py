"""The glossary page's entries, read from its Markdown; the printed guide's index marks where
each is mentioned (`pdf.apparatus`)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

GLOSSARY_PAGE = "glossary.md"
# A glossary entry: a term line, then its definition (def_list's ":   ").
GLOSSARY_TERM = re.compile(r"^([^\s:#>!|-][^\n]*)\n:\s{3}", re.MULTILINE)
# The attribute list closing a term line, `{ #abr }`: its id is the entry's anchor on the page.
ATTRIBUTES = re.compile(r"\s*\{([^}]*)\}\s*$")
ANCHOR_ID = re.compile(r"#([\w-]+)")


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
