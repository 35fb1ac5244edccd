"""Load and check every source once: pages, cards, and the references between them."""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from mkdocs.utils.meta import get_data

from .cards import CLOZE_PATTERN, KIND_FIELDS, Card, card_from_entry
from .fileversion import FileVersion, file_version
from .markup import MarkdownSettings, Renderer, markup_errors, settings_from_mkdocs
from .problems import ContentError, Problem
from .yamlsource import read_entries

REMOTE_IMAGE = re.compile(r'<img[^>]+src="(?:https?:)?//')


@dataclass(frozen=True)
class Page:
    """A Markdown page of the site and the heading anchors cards may point at."""

    path: str
    title: str
    description: str
    anchors: frozenset[str]


@dataclass(frozen=True)
class Content:
    """Everything the three renderers need, already checked."""

    root: Path
    settings: MarkdownSettings
    site_url: str
    nav: tuple[tuple[str, str], ...]
    pages: dict[str, Page]
    cards: tuple[Card, ...]

    def cards_for(self, page: str) -> list[Card]:
        return [card for card in self.cards if card.page == page]

    def url_for(self, card: Card) -> str:
        """The hosted address of the section that explains the card in full."""
        return f"{self.site_url.rstrip('/')}/{page_url(card.page)}#{card.section}"


def page_url(page: str, directory_urls: bool = True) -> str:
    """The URL MkDocs gives a page, relative to the site root."""
    stem = page.removesuffix(".md")
    if not directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def read_mkdocs_config(root: Path) -> dict[str, Any]:
    config: dict[str, Any] = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    return config


def nav_pages(nav: list[Any], section: str = "") -> list[tuple[str, str]]:
    """Flatten mkdocs.yml's nav into (top-level section, page path) in reading order."""
    pages: list[tuple[str, str]] = []
    for item in nav:
        title, target = next(iter(item.items())) if isinstance(item, dict) else ("", item)
        if isinstance(target, list):
            pages += nav_pages(target, section or title)
        else:
            pages.append((section or title, target))
    return pages


# The last content loaded in this process, with the fingerprint of the files it came from:
# one build loads it for the CLI, the site and the offline site.
_last_loaded: dict[tuple[Path, tuple[FileVersion, ...]], Content] = {}


def load_content(root: Path) -> Content:
    """Read docs/ and cards/ under `root`, reusing the last load while no source file changed."""
    key = (root, _fingerprint(root))
    if key not in _last_loaded:
        _last_loaded.clear()
        _last_loaded[key] = _load_content(root)
    return _last_loaded[key]


def _fingerprint(root: Path) -> tuple[FileVersion, ...]:
    paths = [root / "mkdocs.yml", *sorted((root / "docs").rglob("*.md")), *sorted((root / "cards").glob("*.y*ml"))]
    return tuple(file_version(path) for path in paths if path.is_file())


def _load_content(root: Path) -> Content:
    """Read docs/ and cards/ under `root`; raise ContentError listing every problem."""
    config = read_mkdocs_config(root)
    settings = settings_from_mkdocs(root, config)
    renderer = Renderer(settings)
    pages = load_pages(root / "docs", renderer)
    cards, problems = load_cards(root, root / "cards")
    problems += _duplicate_ids(cards)
    problems += _reference_problems(cards, pages)
    problems += _markup_problems(cards, renderer)
    nav = tuple(nav_pages(config.get("nav", [])))
    problems += _nav_problems(root, nav, pages)
    problems += [
        Problem(f"docs/{page.path}", 1, "", "description", "the front matter needs a one-sentence description")
        for page in pages.values()
        if not page.description
    ]
    if problems:
        raise ContentError(problems)
    return Content(root, settings, config.get("site_url", "/"), nav, pages, tuple(cards))


def load_pages(docs: Path, renderer: Renderer) -> dict[str, Page]:
    """Index every Markdown page under docs/ by its path relative to docs/."""
    return {path.relative_to(docs).as_posix(): _page(docs, path, renderer) for path in sorted(docs.rglob("*.md"))}


# Pages indexed in this process, by file version: after a card edit the preview re-indexes
# only the pages that changed instead of rendering every page again to find its headings.
_indexed: dict[tuple[FileVersion, str], Page] = {}


def _page(docs: Path, path: Path, renderer: Renderer) -> Page:
    key = (file_version(path), renderer.settings_key)
    if key not in _indexed:
        name = path.relative_to(docs).as_posix()
        markdown, meta = get_data(path.read_text(encoding="utf-8"))
        headings = renderer.headings(markdown)
        title = html.unescape(next((title for level, _, title in headings if level == 1), name))
        description = str(meta.get("description", "")).strip()
        _indexed[key] = Page(name, title, description, frozenset(anchor for _, anchor, _ in headings))
    return _indexed[key]


def load_cards(root: Path, cards_dir: Path) -> tuple[list[Card], list[Problem]]:
    """Read every card file, keeping the good cards and every problem of the bad ones."""
    cards: list[Card] = []
    problems: list[Problem] = []
    for path in sorted([*cards_dir.glob("*.yaml"), *cards_dir.glob("*.yml")]):
        name = path.relative_to(root).as_posix()
        entries, file_problems = read_entries(name, path.read_text(encoding="utf-8"))
        problems += file_problems
        for entry in entries:
            card, card_problems = card_from_entry(name, entry)
            problems += card_problems
            if card is not None:
                cards.append(card)
    return cards, problems


def _duplicate_ids(cards: list[Card]) -> list[Problem]:
    counts = Counter(card.id for card in cards)
    first = {card.id: card for card in reversed(cards)}
    return [
        _problem(card, "id", f"duplicate id; first used at {first[card.id].path}:{first[card.id].line}")
        for card in cards
        if counts[card.id] > 1 and first[card.id] is not card
    ]


def _nav_problems(root: Path, nav: tuple[tuple[str, str], ...], pages: dict[str, Page]) -> list[Problem]:
    lines = (root / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    return [
        Problem("mkdocs.yml", _line_mentioning(lines, page), "", "nav", f"no page docs/{page}")
        for _, page in nav
        if page not in pages
    ]


def _line_mentioning(lines: list[str], text: str) -> int:
    return next((number for number, line in enumerate(lines, 1) if text in line), 1)


def _reference_problems(cards: list[Card], pages: dict[str, Page]) -> list[Problem]:
    problems = []
    for card in cards:
        page = pages.get(card.page)
        if page is None:
            problems.append(_problem(card, "page", f"no page docs/{card.page}"))
        elif card.section not in page.anchors:
            problems.append(_problem(card, "section", f"no heading #{card.section} on {card.page}"))
    return problems


def _markup_problems(cards: list[Card], renderer: Renderer) -> list[Problem]:
    problems = []
    for card in cards:
        for field, text in zip(KIND_FIELDS[card.kind], (card.front, card.back), strict=True):
            plain = CLOZE_PATTERN.sub(r"\2", text)
            rendered = renderer.html(plain)
            for error in markup_errors(plain, rendered):
                problems.append(_problem(card, field, f"broken Markdown or HTML: {error}"))
            if REMOTE_IMAGE.search(rendered):
                problems.append(_problem(card, field, "images must be diagrams from diagrams/, never hot-linked"))
    return problems


def _problem(card: Card, field: str, message: str) -> Problem:
    return Problem(card.path, card.line_of(field), card.id, field, message)

