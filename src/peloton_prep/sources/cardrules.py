"""The form rules of cards and pages, as pure functions over their text.

Cards follow the minimum-information principle (one question, one short answer a learner grades
in a second), and Markdown must render the same on the site, in Anki and on paper. Each rule
returns findings with a line relative to the text; `checks` turns them into problems.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

MAX_BACK_WORDS = 60
MAX_DELETION_WORDS = 8
MAX_LIST_IN_DELETION = 3
MAX_PRE_LINE = 92  # characters of a preformatted line that fit a 390 px phone and the printed page
DUPLICATE_SIMILARITY = 0.75

CLOZE = re.compile(r"\{\{c(\d+)::(.+?)(?:::(.*?))?\}\}", re.DOTALL)
LIST_ITEM = re.compile(r"^(\s*)(?:[-*+]|\d+[.)])\s+\S")
FENCE = re.compile(r"^\s*(```|~~~)")
TAG = re.compile(r"<[^>]*>")
INLINE_CODE = re.compile(r"`[^`]*`")
SEED_ID = re.compile(r"\bseed:[a-z-]+")
LIST_SEPARATOR = re.compile(r",|;|\band\b|\bor\b")
WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
STOPWORDS = frozenset({
    "a", "an", "the", "of", "to", "in", "on", "for", "and", "or", "is", "are",
    "be", "it", "its", "this", "that", "with", "as", "at", "by", "from", "what", "which",
    "how", "why", "when", "who", "do", "does", "you", "your", "would", "should", "can", "could",
    "will", "into", "than", "then",
})


@dataclass(frozen=True)
class Finding:
    """One rule broken at a line of the text (1 = the text's first line)."""

    line: int
    message: str


def words(text: str) -> int:
    return len(text.split())


def back_findings(back: str, full_answer: str) -> list[Finding]:
    """A Q&A answer a learner can grade in a second; `full_answer` names where the rest goes."""
    count = words(back)
    if count <= MAX_BACK_WORDS:
        return []
    return [Finding(1, f"{count} words, over the {MAX_BACK_WORDS}-word limit for an answer: keep one idea "
                       f"and move the rest to {full_answer}, which the card links to")]


def cloze_findings(text: str) -> list[Finding]:
    """At least one deletion, each one short fact rather than a sentence or a list."""
    deletions = CLOZE.findall(text)
    if not deletions:
        return [Finding(1, "a cloze card needs at least one deletion like {{c1::...}}")]
    return [finding for number, answer, _ in deletions for finding in _deletion_findings(number, answer)]


def _deletion_findings(number: str, answer: str) -> Iterator[Finding]:
    if words(answer) > MAX_DELETION_WORDS:
        yield Finding(1, f"deletion c{number} has {words(answer)} words, over {MAX_DELETION_WORDS}: "
                         "delete one fact, not a sentence")
    elif (items := len([part for part in LIST_SEPARATOR.split(answer) if part.strip()])) > MAX_LIST_IN_DELETION:
        yield Finding(1, f"deletion c{number} hides a list of {items} items: give each item its own deletion")


def markdown_findings(text: str, quotes_syntax: bool = False) -> list[Finding]:
    """Lists glued to a paragraph, shallow nested lists, long preformatted lines, empty table
    headers and raw source ids: each renders differently, or badly, on some target.

    `quotes_syntax` is for a page that documents the card format: its inline code may show ids."""
    findings: list[Finding] = []
    in_fence = False
    block: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        if FENCE.match(line):
            in_fence = not in_fence
        elif in_fence:
            findings += _preformatted_findings(number, line)
        elif not line.strip():
            block = []
        else:
            findings += _line_findings(number, INLINE_CODE.sub("", line) if quotes_syntax else line, block)
            block.append(line)
    return findings


def _preformatted_findings(number: int, line: str) -> list[Finding]:
    length = len(line.rstrip())
    if length <= MAX_PRE_LINE:
        return []
    return [Finding(number, f"preformatted line of {length} characters, over {MAX_PRE_LINE}: "
                                 "it overflows a phone and the printed page")]


def _line_findings(number: int, line: str, block: list[str]) -> Iterator[Finding]:
    """Rules for one line of prose, given the lines of its block (paragraph) before it."""
    if not block and line.lstrip().startswith("|") and _empty_cell(line):
        # A header cell with no text is announced as nothing by a screen reader (axe: empty-table-header).
        yield Finding(number, "table header with an empty cell: give every column a heading")
    item = LIST_ITEM.match(line)
    if item and block and not LIST_ITEM.match(block[0]) and not _opens_container(block[0]) \
            and not any(LIST_ITEM.match(earlier) for earlier in block):
        yield Finding(number, "list starts right after a paragraph line: put a blank line before it, "
                              "or it renders as one run-on paragraph")
    if item and len(item.group(1).expandtabs(4)) % 4:
        yield Finding(number, f"list item indented by {len(item.group(1))} spaces: nest lists by four, "
                              "or the parent list renumbers")
    if seed := SEED_ID.search(line):
        yield Finding(number, f"raw source id {seed.group(0)!r} in text a reader sees: name the source by its title")


def _opens_container(line: str) -> bool:
    """Admonitions, HTML blocks and tables hold their own content."""
    return line.lstrip().startswith(("!!!", "???", "<", "|"))


def _empty_cell(line: str) -> bool:
    return any(not cell.strip() for cell in line.strip().strip("|").split("|"))


def front_tokens(front: str) -> frozenset[str]:
    """The words that make a question what it is: cloze answers included, filler words left out."""
    plain = TAG.sub(" ", CLOZE.sub(r"\2", front)).lower()
    return frozenset(word for word in WORD.findall(plain) if word not in STOPWORDS)


def near_duplicates(fronts: Iterable[tuple[str, str]]) -> list[tuple[str, str, float]]:
    """Pairs (first id, second id, similarity) of fronts that share most of their words.

    Only pairs that share a word of their rarest ones are compared (prefix filtering): two sets
    with a Jaccard similarity of at least t share a word among the first |x| - ceil(t|x|) + 1 of
    each, in one global order. The result is the all-pairs comparison's, in its order."""
    tokens = [(card_id, front_tokens(front)) for card_id, front in fronts]
    frequency = Counter(word for _, words in tokens for word in words)
    index: dict[str, list[int]] = defaultdict(list)
    found: list[tuple[int, int, float]] = []
    for position, (_, words) in enumerate(tokens):
        ordered = sorted(words, key=lambda word: (frequency[word], word))
        prefix = ordered[: len(ordered) - math.ceil(DUPLICATE_SIMILARITY * len(ordered)) + 1]
        for earlier in sorted({earlier for word in prefix for earlier in index[word]}):
            first = tokens[earlier][1]
            union = len(first | words)
            score = len(first & words) / union if union else 0.0
            if score >= DUPLICATE_SIMILARITY:
                found.append((earlier, position, score))
        for word in prefix:
            index[word].append(position)
    return [(tokens[first][0], tokens[second][0], score) for first, second, score in sorted(found)]


def shared_answers(clozes: Iterable[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """Deletions with the same answer on different cards, as (answer, first id, second id): two
    facts with one answer teach a learner to answer without reading the question."""
    first_seen: dict[str, str] = {}
    found = []
    for card_id, text in clozes:
        for answer in sorted({" ".join(match.group(2).lower().split()) for match in CLOZE.finditer(text)}):
            owner = first_seen.setdefault(answer, card_id)
            if owner != card_id:
                found.append((answer, owner, card_id))
    return found
