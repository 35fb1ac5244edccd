"""Load and check every source once: pages, cards, diagrams, and the references between them.

`load_content` is the one boundary where sources are read from disk. What it returns is checked
and rendered: every card's faces as sanitised HTML and every diagram as SVG, so the site, the
deck and the PDFs share one rendering and none of them reads a source file again.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from mkdocs.utils.meta import get_data

from peloton_prep.errors import ContentError, Problem
from peloton_prep.sources import checks
from peloton_prep.sources.cards import Card, card_from_entry
from peloton_prep.sources.diagrams import diagram_sources, render_diagrams, render_print_diagrams
from peloton_prep.sources.entries import read_entries
from peloton_prep.sources.fileversion import FileVersion, file_version
from peloton_prep.sources.glossary import GLOSSARY_PAGE, CardTerms, GlossaryEntry, glossary_entries
from peloton_prep.sources.markdown import MarkdownSettings, Renderer, settings_from_mkdocs
from peloton_prep.sources.mock import load_mock_rounds
from peloton_prep.sources.releases import ReleaseRecord, guard_problems, read_record
from peloton_prep.sources.sanitize import clean_card_html
from peloton_prep.sources.textfile import read_text

ID_ATTRIBUTE = re.compile(r'\bid="([^"]+)"')


@dataclass(frozen=True)
class Page:
    """A Markdown page of the site: its text, and the anchors links and cards may point at."""

    path: str
    title: str
    description: str
    anchors: frozenset[str]
    markdown: str
    links: tuple[str, ...] = ()
    images: tuple[str, ...] = ()
    first_line: int = 1  # of the Markdown in its file, after the front matter
    headings: tuple[tuple[int, str, str], ...] = ()  # (level, anchor, title), as the contents show them

    @property
    def sections(self) -> tuple[str, ...]:
        """Heading anchors in reading order: the deck's new cards follow the site's order."""
        return tuple(anchor for _, anchor, _ in self.headings)


@dataclass(frozen=True)
class Faces:
    """A card rendered once, sanitised, for every output.

    `question` and `answer` are what a learner sees on either side (a cloze shows gaps, then the
    filled text and its extra); `front` and `back` are the deck's two fields, where a cloze keeps
    its deletions for Anki to hide.
    """

    question: str
    answer: str
    front: str
    back: str
    hint: str = ""


@dataclass(frozen=True)
class Content:
    """Everything the three renderers need, already checked and rendered."""

    root: Path
    settings: MarkdownSettings
    site_url: str
    nav: tuple[tuple[str, str], ...]
    pages: dict[str, Page]
    cards: tuple[Card, ...]
    faces: dict[str, Faces]
    diagrams: dict[str, bytes]
    mock_rounds: dict[str, Any] = field(default_factory=lambda: {"loops": []})
    # Cards kept only so learners who have them learn they were retired; the site and guide skip them.
    retired: tuple[Card, ...] = ()
    record: ReleaseRecord | None = None
    # The same diagrams for paper and e-readers (sources.diagrams.render_print_diagrams).
    print_diagrams: dict[str, bytes] = field(default_factory=dict)
    # Per current card id, the glossary acronyms it uses that are worth a link (sources.glossary).
    card_terms: dict[str, tuple[GlossaryEntry, ...]] = field(default_factory=dict)

    def cards_for(self, page: str) -> list[Card]:
        return [card for card in self.cards if card.page == page]

    def url_for(self, card: Card) -> str:
        """The hosted address of the section that explains the card in full."""
        return f"{self.site_url.rstrip('/')}/{page_url(card.page)}#{card.section}"


@dataclass
class SourceCache:
    """What a preview keeps between rebuilds, so an edit re-renders only what it changed.

    A build makes a fresh one; `serve` keeps one on the plugin for its whole session.
    """

    pages: dict[tuple[FileVersion, str], Page] = field(default_factory=dict)
    svgs: dict[FileVersion, bytes] = field(default_factory=dict)
    print_svgs: dict[FileVersion, bytes] = field(default_factory=dict)
    rendered: dict[str, str] = field(default_factory=dict)
    card_files: dict[FileVersion, tuple[list[Card], list[Problem]]] = field(default_factory=dict)
    faces: dict[tuple[Card, str], Faces] = field(default_factory=dict)


def page_url(page: str, directory_urls: bool = True) -> str:
    """The URL MkDocs gives a page, relative to the site root."""
    stem = page.removesuffix(".md")
    if not directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def nav_pages(nav: list[Any], section: str = "") -> list[tuple[str, str]]:
    """Flatten mkdocs.yml's nav into (top-level section, page path) in reading order."""
    pages: list[tuple[str, str]] = []
    for item in nav:
        title, target = next(iter(item.items())) if isinstance(item, dict) else ("", item)
        if isinstance(target, list):
            pages += nav_pages(target, section or title)
        elif isinstance(target, str):
            pages.append((section or title, target))
    return pages


def read_mkdocs_config(root: Path) -> dict[str, Any]:
    """mkdocs.yml as a mapping; anything else is a content error naming the file."""
    text = read_text(root, root / "mkdocs.yml")
    try:
        config = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = int(mark.line) + 1 if mark is not None else 1
        message = f"invalid YAML: {' '.join(str(error).split())}"
        raise ContentError([Problem("mkdocs.yml", line, "", "", message)]) from error
    if not isinstance(config, dict):
        raise ContentError([Problem("mkdocs.yml", 1, "", "", "must be a mapping of settings")])
    return config


def load_content(root: Path, cache: SourceCache | None = None) -> Content:
    """Read and check every source under `root`; raise ContentError listing every problem."""
    cache = cache if cache is not None else SourceCache()
    config = read_mkdocs_config(root)
    settings = settings_from_mkdocs(root, config)
    problems = checks.unsafe_paths(root)
    if problems:
        raise ContentError(problems)
    page_renderer = Renderer(settings)
    card_renderer = Renderer(settings, snippets=False, memo=cache.rendered)
    pages, page_problems = load_pages(root, page_renderer, cache)
    cards, card_problems = load_cards(root, cache.card_files)
    diagrams, diagram_problems = render_diagrams(root, cache.svgs)
    print_diagrams, print_problems = render_print_diagrams(root, diagrams, cache.print_svgs)
    diagram_problems += print_problems
    card_problems += checks.card_folder_problems(root)
    if not cards and not card_problems:
        card_problems.append(Problem("cards/", 1, "", "", "no cards: an empty deck would be published"))
    problems = page_problems + card_problems + diagram_problems
    faces = {card.id: _faces(card, card_renderer, cache.faces) for card in cards}
    nav = tuple(nav_pages(config.get("nav") or []))
    diagram_names = {path.stem for path in diagram_sources(root)}
    problems += checks.card_problems(cards, card_renderer, pages, diagram_names)
    problems += checks.page_problems(pages, diagram_names)
    problems += checks.nav_problems(root, nav, pages)
    mock_rounds, mock_problems = load_mock_rounds(root, pages)
    record, record_problems = _record(root)
    problems += mock_problems + record_problems + guard_problems(record, cards)
    if problems:
        raise ContentError(problems)
    current = tuple(card for card in cards if not card.retired)
    retired = tuple(card for card in cards if card.retired)
    site_url = str(config.get("site_url") or "/")
    card_terms = _card_terms(pages, current, faces)
    return Content(root, settings, site_url, nav, pages, current, faces, diagrams, mock_rounds, retired, record,
                   print_diagrams, card_terms)


def _card_terms(pages: dict[str, Page], cards: tuple[Card, ...],
                faces: dict[str, Faces]) -> dict[str, tuple[GlossaryEntry, ...]]:
    """Found once, on the deck's two faces (front and back; a cloze's text and extra), for every
    output that links them."""
    glossary = pages.get(GLOSSARY_PAGE)
    terms = CardTerms.from_glossary(glossary_entries(glossary.markdown) if glossary else ())
    return {card.id: terms.used_in(faces[card.id].front, faces[card.id].back) for card in cards}


def _record(root: Path) -> tuple[ReleaseRecord | None, list[Problem]]:
    try:
        return read_record(root), []
    except ContentError as error:
        return None, error.problems


def empty_content(root: Path) -> Content:
    """No cards, no diagrams: what a preview shows around its pages before any load succeeded."""
    return Content(root, MarkdownSettings(()), "/", (), {}, (), {}, {})


def card_faces(card: Card, renderer: Renderer) -> Faces:
    """Render a card's four texts and clean each: the only place card HTML is made."""

    def clean(markdown: str) -> str:
        return clean_card_html(renderer.html(markdown))

    hint = clean(card.hint) if card.hint else ""
    return Faces(clean(card.question), clean(card.answer), clean(card.front), clean(card.back), hint)


def _faces(card: Card, renderer: Renderer, cache: dict[tuple[Card, str], Faces]) -> Faces:
    key = (card, renderer.settings_key)
    if key not in cache:
        cache[key] = card_faces(card, renderer)
    return cache[key]


def load_pages(root: Path, renderer: Renderer, cache: SourceCache) -> tuple[dict[str, Page], list[Problem]]:
    """Index every Markdown page under docs/ by its path relative to docs/."""
    docs = root / "docs"
    pages: dict[str, Page] = {}
    problems: list[Problem] = []
    for path in sorted(docs.rglob("*.md")):
        try:
            page = _page(root, path, renderer, cache)
        except ContentError as error:
            problems += error.problems
            continue
        pages[page.path] = page
        if not page.description:
            problems.append(Problem(f"docs/{page.path}", 1, "", "description",
                                    "the front matter needs a one-sentence description"))
    return pages, problems


def _page(root: Path, path: Path, renderer: Renderer, cache: SourceCache) -> Page:
    key = (file_version(path), renderer.settings_key)
    if key not in cache.pages:
        text = read_text(root, path)
        name = path.relative_to(root / "docs").as_posix()
        markdown, meta = get_data(text)
        try:
            page_html, headings = renderer.page(markdown)
        except Exception as error:  # an extension's error (a missing snippet) is the page's problem
            raise ContentError([Problem(f"docs/{name}", 1, "", "", _extension_error(error))]) from error
        title = html.unescape(next((title for level, _, title in headings if level == 1), name))
        anchors = frozenset(ID_ATTRIBUTE.findall(page_html)) | {anchor for _, anchor, _ in headings}
        description = str(meta.get("description", "")).strip()
        found = checks.links_and_images(page_html)
        first_line = text.count("\n", 0, len(text) - len(markdown)) + 1 if markdown else 1
        cache.pages[key] = Page(name, title, description, anchors, markdown, *found, first_line, tuple(headings))
    return cache.pages[key]


def _extension_error(error: Exception) -> str:
    return f"cannot render: {' '.join(str(error).split()) or type(error).__name__}"


def load_cards(
    root: Path, cache: dict[FileVersion, tuple[list[Card], list[Problem]]] | None = None,
) -> tuple[list[Card], list[Problem]]:
    """Read every card file, keeping the good cards and every problem of the bad ones; `cache`
    keeps each file's between a preview's rebuilds, so an edit re-reads only its own file."""
    cache = cache if cache is not None else {}
    cards: list[Card] = []
    problems: list[Problem] = []
    for path in checks.card_files(root):
        key = file_version(path)
        if key not in cache:
            cache[key] = _card_file(root, path)
        cards += cache[key][0]
        problems += cache[key][1]
    problems += _duplicate_ids(cards)
    return cards, problems


def _card_file(root: Path, path: Path) -> tuple[list[Card], list[Problem]]:
    name = path.relative_to(root).as_posix()
    try:
        text = read_text(root, path, limit=checks.MAX_CARD_FILE_BYTES)
    except ContentError as error:
        return [], list(error.problems)
    entries, problems = read_entries(name, text)
    cards: list[Card] = []
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
        Problem(card.path, card.line_of("id"), card.id, "id",
                f"duplicate id; first used at {first[card.id].path}:{first[card.id].line}")
        for card in cards
        if counts[card.id] > 1 and first[card.id] is not card
    ]
