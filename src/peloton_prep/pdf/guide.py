"""The printed study guide: the site's pages and every card, expanded, printed by Chromium."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from html import escape, unescape
from pathlib import Path

import jinja2
from markupsafe import Markup
from playwright.sync_api import Browser
from pypdf import PdfReader

from peloton_prep.pdf.chromium import close_document, open_document, pdf_bytes
from peloton_prep.pdf.edits import stamped, write_papers
from peloton_prep.pdf.outline import Bookmark, with_outline
from peloton_prep.site.sections import append_to_sections
from peloton_prep.sources.cards import Card
from peloton_prep.sources.content import Content, Faces
from peloton_prep.sources.markdown import Renderer, source_links
from peloton_prep.sources.release import Release

# The reader's tools, not study material: they stay on the site.
SITE_ONLY_SECTIONS = frozenset({"Study tools", "Practice"})
TEMPLATES = Path(__file__).parent / "templates"

LINK = re.compile(r'href="([^"]*)"')
HEADING_ID = re.compile(r'(<h[1-6][^>]*\bid=")([^"]+)"')
IMG_SVG = re.compile(r'src="[^"]*diagrams/([\w-]+)\.svg"')
BOOKMARKED_HEADING = re.compile(r'<h([23])[^>]*\bid="([^"]+)"[^>]*>(.*?)</h\1>', re.DOTALL)
TAG = re.compile(r"<[^>]+>")
EXTERNAL_LINK = re.compile(r'(<a href="(https?://[^"]+)"[^>]*>(.*?)</a>)', re.DOTALL)
# Runs in the page: each contents entry gets the page its chapter starts on.
FILL_CONTENTS = """starts => document.querySelectorAll('.toc-page').forEach(
  number => { number.textContent = starts[number.dataset.anchor] ?? ''; })"""
# The first printing is read only for where chapters start, from the named destinations, which
# Chromium writes even for hidden elements: hiding everything (the layout stays the same) saves
# drawing it, nearly half the printing's time. Visibility is inherited through a fast path, so
# hiding the body and showing it again costs no full style recalculation.
HIDE_ALL = "hidden => { document.body.style.visibility = hidden ? 'hidden' : ''; }"


@dataclass(frozen=True)
class Chapter:
    """One page of the site as a chapter of the guide."""

    part: str
    anchor: str
    title: str
    html: str


def chapter_anchor(page: str) -> str:
    return page.removesuffix(".md").replace("/", "-")


def card_html(card: Card, faces: Faces) -> str:
    """The guide's rendering of one card: question and answer together, never split."""
    return (
        f'<div class="card card-{card.kind}"><div class="question">{faces.question}</div>'
        f'<div class="answer">{faces.answer}</div>'
        f'<p class="card-meta">{source_links(card.sources)} · <span class="card-id">{card.id}</span></p></div>'
    )


def chapters(content: Content, renderer: Renderer, svg_dir: Path) -> list[Chapter]:
    """Every study page in the site's order, with its cards and local links rewritten."""
    result = []
    for part, page in content.nav:
        if part in SITE_ONLY_SECTIONS:
            continue
        blocks: dict[str, str] = {}
        for card in content.cards_for(page):
            blocks[card.section] = blocks.get(card.section, "") + card_html(card, content.faces[card.id])
        html = append_to_sections(renderer.html(content.pages[page].markdown), blocks)
        html = _for_print(html, page, svg_dir)
        result.append(Chapter(part, chapter_anchor(page), content.pages[page].title, html))
    return result


def _for_print(html: str, page: str, svg_dir: Path) -> str:
    """Make ids unique across chapters, point links inside the book, open every collapsible."""
    prefix = chapter_anchor(page)
    html = HEADING_ID.sub(lambda m: f'{m.group(1)}{prefix}--{m.group(2)}"', html)
    html = LINK.sub(lambda m: f'href="{_print_link(m.group(1), page)}"', html)
    html = IMG_SVG.sub(lambda m: f'src="{(svg_dir / (m.group(1) + ".svg")).as_uri()}"', html)
    html = html.replace("<p><img ", '<p class="figure"><img ')
    html = _with_link_notes(html)
    html = re.sub(r"<details([^>]*)>", r'<div\1 data-details="">', html).replace("</details>", "</div>")
    return html.replace("<summary>", '<p class="admonition-title">').replace("</summary>", "</p>")


def _with_link_notes(html: str) -> str:
    """Number each link whose text is not its address; list the addresses at the chapter's end."""
    numbers: dict[str, int] = {}

    def numbered(link: re.Match[str]) -> str:
        whole, target, text = link.groups()
        if text == target:
            return whole
        number = numbers.setdefault(target, len(numbers) + 1)
        return f'{whole}<sup class="note-ref">{number}</sup>'

    html = EXTERNAL_LINK.sub(numbered, html)
    if not numbers:
        return html
    items = "".join(f"<li>{escape(target)}</li>" for target in numbers)
    return f'{html}<div class="link-notes"><p class="link-notes-title">Links in this chapter</p><ol>{items}</ol></div>'


def _print_link(href: str, page: str) -> str:
    """Links to other pages become links inside the PDF; others keep their address."""
    if href.startswith(("http://", "https://", "mailto:", "file:")):
        return href
    path, _, anchor = href.partition("#")
    if not path:
        return f"#{chapter_anchor(page)}--{anchor}"
    target = (Path(page).parent / path).as_posix()
    target = re.sub(r"[^/]+/\.\./", "", target).removeprefix("./")
    chapter = chapter_anchor(target)
    return f"#{chapter}--{anchor}" if anchor else f"#{chapter}"


def css_string(text: str) -> Markup:
    """Text as a quoted CSS string, for the running headers in the template's style sheet."""
    return Markup('"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"')


def print_environment() -> jinja2.Environment:
    """The print templates, HTML-escaped, with the filter the guide's running headers use."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=jinja2.select_autoescape(["html"])
    )
    env.filters["css_string"] = css_string
    return env


@dataclass(frozen=True)
class Book:
    """The guide's text, rendered once and printed on every paper; `folder` holds its diagrams."""

    chapters: tuple[Chapter, ...]
    card_count: int
    folder: Path


def book(content: Content, folder: Path) -> Book:
    """Render every chapter and write the diagrams they show into `folder`."""
    for name, svg in content.diagrams.items():
        (folder / f"{name}.svg").write_bytes(svg)
    renderer = Renderer(content.settings)
    return Book(tuple(chapters(content, renderer, folder)), len(content.cards), folder)


def bookmarks(guide: Book) -> list[Bookmark]:
    """The outline: the contents, then each part, its chapters, and their h2 and h3 sections."""
    parts: dict[str, list[Bookmark]] = {}
    for chapter in guide.chapters:
        parts.setdefault(chapter.part, []).append(Bookmark(chapter.title, chapter.anchor, _sections(chapter.html)))
    contents = Bookmark("Contents", "contents")
    return [contents] + [Bookmark(part, chapters[0].anchor, tuple(chapters)) for part, chapters in parts.items()]


def _sections(html: str) -> tuple[Bookmark, ...]:
    """A chapter's h2 headings, each with the h3 headings that follow it."""
    sections: list[Bookmark] = []
    for level, anchor, inner in BOOKMARKED_HEADING.findall(html):
        title = unescape(TAG.sub("", inner.replace("¶", ""))).strip()
        if level == "2" or not sections:
            sections.append(Bookmark(title, anchor))
        else:
            last = sections[-1]
            sections[-1] = Bookmark(last.title, last.anchor, (*last.children, Bookmark(title, anchor)))
    return tuple(sections)


def _anchors(marks: list[Bookmark]) -> list[str]:
    return [anchor for mark in marks for anchor in (mark.anchor, *_anchors(list(mark.children)))]


def guide_html(guide: Book, release: Release, marks: list[Bookmark]) -> str:
    """The whole guide as one HTML document, laid out on A4 with a text block that fits Letter too;
    every bookmark's anchor is linked, so Chromium writes a destination for it."""
    return print_environment().get_template("guide.html").render(
        chapters=guide.chapters,
        release=release,
        card_count=guide.card_count,
        bookmarked=_anchors(marks),
    )


def write_guides(browser: Browser, guide: Book, release: Release, targets: dict[str, Path]) -> None:
    """Print the guide twice: the first printing shows where each chapter starts, for the contents.

    The second printing goes to every paper in `targets` (paper name to file): the text block
    fits A4 and Letter alike, so Letter is the same pages in a Letter-sized page box.
    """
    marks = bookmarks(guide)
    page = open_document(browser, guide_html(guide, release, marks), guide.folder / "guide.html")
    page.evaluate(HIDE_ALL, True)
    starts = chapter_starts(pdf_bytes(page))
    page.evaluate(HIDE_ALL, False)
    page.evaluate(FILL_CONTENTS, starts)
    write_papers(with_outline(stamped(pdf_bytes(page), release), marks), targets)
    close_document(page)


def chapter_starts(pdf: bytes) -> dict[str, int]:
    """The page number (from 1) of every anchor Chromium made a named destination, by anchor."""
    reader = PdfReader(io.BytesIO(pdf))
    pages = {name: reader.get_destination_page_number(place) for name, place in reader.named_destinations.items()}
    return {name.removeprefix("/"): page + 1 for name, page in pages.items() if page is not None}
