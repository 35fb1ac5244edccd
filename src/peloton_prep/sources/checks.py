"""Checks across sources: everything `build` would fail on, found by `check` before any output.

Each check returns problems, never raises, so one run reports all of them at once.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from peloton_prep.errors import Problem
from peloton_prep.sources import cardrules
from peloton_prep.sources.cards import CLOZE_PATTERN, KIND_FIELDS, Card
from peloton_prep.sources.markdown import Renderer, markup_errors
from peloton_prep.sources.releases import RECORD_PATH
from peloton_prep.sources.sanitize import DIAGRAM_SRC

if TYPE_CHECKING:
    from peloton_prep.sources.content import Page

SOURCE_FOLDERS = ("docs", "cards", "diagrams", "solutions")
CARD_SUFFIXES = (".yaml", ".yml")
MAX_CARD_FILE_BYTES = 512_000
MAX_FIELD_CHARS = 4_000
# Longer than any word or code name a card needs; one unbroken token can shrink a printed page.
MAX_TOKEN_CHARS = 80
# Pages that document the card format, whose inline code quotes its syntax (source ids included).
SYNTAX_PAGES = frozenset({"guide/authoring.md"})
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
DIAGRAM_NAME = re.compile(r"diagrams/([^/]+)\.svg$")


def unsafe_paths(root: Path) -> list[Problem]:
    """Every symlink in a source folder that leads outside the project: nothing outside is read."""
    problems = []
    resolved_root = root.resolve()
    for folder in SOURCE_FOLDERS:
        for path in _walk(root / folder):
            if path.is_symlink() and not path.resolve().is_relative_to(resolved_root):
                target = os.readlink(path)
                problems.append(Problem(path.relative_to(root).as_posix(), 1, "", "",
                                        f"symlink to {target} leaves the project: replace it with the file itself"))
    return problems


def _walk(folder: Path) -> Iterator[Path]:
    if folder.is_symlink():
        yield folder
        return
    for directory, names, files in os.walk(folder, followlinks=False):
        for name in sorted(names + files):
            yield Path(directory) / name


def card_files(root: Path) -> list[Path]:
    """The files the build loads as cards: cards/*.yaml and cards/*.yml."""
    folder = root / "cards"
    return sorted(path for path in folder.glob("*") if path.suffix in CARD_SUFFIXES and path.is_file())


def card_folder_problems(root: Path) -> list[Problem]:
    """Every file in cards/ must be one the build loads, or the release record beside them."""
    folder = root / "cards"
    if not folder.is_dir():
        return [Problem("cards/", 1, "", "", "no cards/ folder: the deck needs card files")]
    return [
        Problem(path.relative_to(root).as_posix(), 1, "", "",
                "not loaded: card files are cards/*.yaml (lower case, no subfolders)")
        for path in sorted(folder.rglob("*"))
        if path not in card_files(root) and not (path.is_dir() and not any(path.iterdir()))
        and not path.name.startswith(".") and path.relative_to(root).as_posix() != RECORD_PATH
    ]


def nav_problems(root: Path, nav: tuple[tuple[str, str], ...], pages: dict[str, Page]) -> list[Problem]:
    lines = (root / "mkdocs.yml").read_text(encoding="utf-8", errors="replace").splitlines()
    return [
        Problem("mkdocs.yml", _line_mentioning(lines, page), "", "nav", f"no page docs/{page}")
        for _, page in nav
        if page not in pages
    ]


def _line_mentioning(lines: list[str], text: str) -> int:
    return next((number for number, line in enumerate(lines, 1) if text in line), 1)


def card_problems(cards: Sequence[Card], renderer: Renderer, pages: dict[str, Page],
                  diagrams: set[str]) -> list[Problem]:
    """References, sizes, form, Markdown, images and links of every card, and duplicates among them."""
    problems = _duplicate_problems(cards)
    for card in cards:
        # A retired card's page may be gone; it keeps its text only for learners who have it.
        problems += [] if card.retired else _reference_problems(card, pages)
        problems += _form_problems(card)
        fields = (*KIND_FIELDS[card.kind], "hint")
        for field, text in zip(fields, (card.front, card.back, card.hint), strict=True):
            if not text:
                continue
            problems += [_problem(card, field, message) for message in _text_problems(text)]
            if "--8<--" in text:
                problems.append(_problem(card, field, "cards cannot include files (--8<--): quote the text instead"))
                continue
            rendered = renderer.html(CLOZE_PATTERN.sub(r"\2", text))
            problems += [_problem(card, field, f"broken Markdown or HTML: {error}")
                         for error in markup_errors(text, rendered)]
            found = _Links.parse(rendered)
            problems += [_problem(card, field, message)
                         for _, message in [*_image_problems(found.images, diagrams),
                                            *_link_problems(found.links, card.page, pages)]]
    return problems


def _form_problems(card: Card) -> list[Problem]:
    """One idea a card, Markdown that renders alike everywhere (cardrules)."""
    first, second = KIND_FIELDS[card.kind]
    found = [(field, finding) for field, text in ((first, card.front), (second, card.back))
             for finding in cardrules.markdown_findings(text)]
    found += [(second, finding) for finding in cardrules.back_findings(card.back, f"{card.page}#{card.section}")]
    if card.kind == "cloze":
        found += [(first, finding) for finding in cardrules.cloze_findings(card.front)]
    return [Problem(card.path, _field_line(card, field, finding.line), card.id, field, finding.message)
            for field, finding in found]


def _field_line(card: Card, field: str, line: int) -> int:
    """A finding's line in the file: a one-line value sits on its key's line, a block starts below it."""
    text = card.front if field == KIND_FIELDS[card.kind][0] else card.back
    return card.line_of(field) + (line if "\n" in text else 0)


def _duplicate_problems(cards: Sequence[Card]) -> list[Problem]:
    """The same question asked twice, or two facts with one cloze answer."""
    by_id = {card.id: card for card in cards}
    problems = [
        _problem(by_id[second], KIND_FIELDS[by_id[second].kind][0],
                 f"asks nearly what '{first}' asks ({score:.0%} of words shared): merge them or ask different things")
        for first, second, score in cardrules.near_duplicates((card.id, card.front) for card in cards)
        if first != second  # a repeated id is reported as such
    ]
    problems += [
        _problem(by_id[second], "text", f"its deletion {answer!r} is also the answer of '{first}': "
                                        "make the deleted facts distinct")
        for answer, first, second in cardrules.shared_answers(
            (card.id, card.front) for card in cards if card.kind == "cloze")
    ]
    return problems


def _reference_problems(card: Card, pages: dict[str, Page]) -> list[Problem]:
    page = pages.get(card.page)
    if page is None:
        return [_problem(card, "page", f"no page docs/{card.page}")]
    if card.section not in page.anchors:
        return [_problem(card, "section", f"no heading #{card.section} on {card.page}")]
    return []


def _text_problems(text: str) -> list[str]:
    problems = []
    if len(text) > MAX_FIELD_CHARS:
        problems.append(f"{len(text):,} characters, over the {MAX_FIELD_CHARS:,} limit for a field")
    long_token = next((token for token in text.split() if len(token) > MAX_TOKEN_CHARS and "](" not in token), None)
    if long_token is not None:
        problems.append(f"an unbroken run of {len(long_token):,} characters ({long_token[:20]}…), over "
                        f"{MAX_TOKEN_CHARS}: break it up")
    return problems


def page_problems(pages: dict[str, Page], diagrams: set[str]) -> list[Problem]:
    """Markdown form, images and links of every page, checked before anything is printed."""
    problems = []
    for page in pages.values():
        name = f"docs/{page.path}"
        problems += [Problem(name, page.first_line + finding.line - 1, "", "", finding.message)
                     for finding in cardrules.markdown_findings(page.markdown, page.path in SYNTAX_PAGES)]
        found = [*_image_problems(list(page.images), diagrams, trusted=True),
                 *_link_problems(list(page.links), page.path, pages)]
        problems += [Problem(name, _line_of(page, address), "", "", message) for address, message in found]
    return problems


def _line_of(page: Page, address: str) -> int:
    """The line of the page's file that first mentions an address (its front matter counted)."""
    for number, line in enumerate(page.markdown.splitlines()):
        if address.split("#")[0] in line and (address.partition("#")[2] in line):
            return page.first_line + number
    return page.first_line


def links_and_images(html: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The addresses of a fragment's links and of its images."""
    found = _Links.parse(html)
    return tuple(found.links), tuple(found.images)


def _image_problems(sources: list[str], diagrams: set[str], trusted: bool = False) -> Iterator[tuple[str, str]]:
    """(address, message) for each image that is not one of the project's diagrams."""
    for source in sources:
        name = DIAGRAM_NAME.search(source)
        if name and name.group(1) not in diagrams:
            yield source, f"no diagram diagrams/{name.group(1)}.dot for image {source}"
        elif not trusted and not DIAGRAM_SRC.match(source):
            yield source, ("images must be diagrams from diagrams/, never hot-linked or local files "
                           f"(image {source[:60]})")


def _link_problems(links: list[str], page: str, pages: dict[str, Page]) -> Iterator[tuple[str, str]]:
    """Dead links to other pages and to anchors; addresses outside the site are not followed."""
    for href in links:
        if SCHEME.match(href) or href.startswith("/"):
            continue
        path, _, anchor = href.partition("#")
        if path and not path.endswith(".md"):
            continue
        target = _resolve(page, path) if path else page
        if target not in pages:
            yield href, f"link to {href}: no page docs/{target}"
        elif anchor and anchor not in pages[target].anchors:
            yield href, f"link to {href}: no anchor #{anchor} on {target}"


def _resolve(page: str, path: str) -> str:
    parts: list[str] = []
    for part in (PurePosixPath(page).parent / path).parts:
        if part == "..":
            if parts:
                parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


class _Links(HTMLParser):
    """The addresses of every link and image in a fragment, however the attributes are spelled."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.images: list[str] = []

    @classmethod
    def parse(cls, html: str) -> _Links:
        parser = cls()
        parser.feed(html)
        parser.close()
        return parser

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "a" and "href" in values:
            self.links.append(values["href"].strip())
        elif tag == "img":
            self.images.append(values.get("src", "").strip())


def _problem(card: Card, field: str, message: str) -> Problem:
    return Problem(card.path, card.line_of(field), card.id, field, message)
