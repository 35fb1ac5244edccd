"""The printed study guide: the site's pages and every card, expanded, printed by Chromium."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import partial
from html import escape, unescape
from pathlib import Path

import jinja2
import segno
from markupsafe import Markup
from playwright.sync_api import Browser, Page, ViewportSize

from peloton_prep.pdf.apparatus import (
    Figures,
    Indexer,
    IndexTerm,
    Section,
    h2_sections,
    plain_text,
    with_page_refs,
)
from peloton_prep.pdf.chromium import close_document, open_document, pdf_bytes
from peloton_prep.pdf.edits import stamped, write_papers
from peloton_prep.pdf.floats import destinations, float_figures
from peloton_prep.pdf.outline import Bookmark, Metadata, finished
from peloton_prep.site.sections import append_to_sections
from peloton_prep.sources.cards import Card
from peloton_prep.sources.content import Content, Faces, page_url
from peloton_prep.sources.diagrams import PRINT_SCALE, svg_size
from peloton_prep.sources.glossary import GLOSSARY_PAGE
from peloton_prep.sources.markdown import Renderer, source_links
from peloton_prep.sources.release import Release
from peloton_prep.sources.taxonomy import SEEDS

# The reader's tools, not study material: they stay on the site.
SITE_ONLY_SECTIONS = frozenset({"Study tools", "Practice"})
TEMPLATES = Path(__file__).parent / "templates"

LINK = re.compile(r'href="([^"]*)"')
ANY_ID = re.compile(r'(<[a-z][a-z0-9]*\b[^>]*?\sid=")([^"]+)"')
ANY_ID_VALUE = re.compile(r'<[a-z][a-z0-9]*\b[^>]*?\sid="([^"]+)"')
PRE_CODE = re.compile(r"(<pre[^>]*>(?:<span></span>)?<code[^>]*>)(.*?)(</code></pre>)", re.DOTALL)
# A paragraph that leads into what follows (it ends with a colon, or is only bold text): it never
# ends a page alone.
LEAD_IN = re.compile(r"<p>((?:(?!</p>).)*:|<strong>(?:(?!</p>).)*</strong>)</p>", re.DOTALL)
BOOKMARKED_HEADING = re.compile(r'<h([23])[^>]*\bid="([^"]+)"[^>]*>(.*?)</h\1>', re.DOTALL)
TAG = re.compile(r"<[^>]+>")
EXTERNAL_LINK = re.compile(r'(<a href="(https?://[^"]+)"[^>]*>(.*?)</a>)', re.DOTALL)
# Runs in the page: each contents entry, cross-reference and index entry gets its target's page.
# Returns whether a number gained or lost a digit: digits are tabular (guide.css), so only then
# can a line move. An index entry's page is left out when the one before it names the same page.
FILL_PAGE_NUMBERS = """pages => {
  let changed = false;
  document.querySelectorAll('[data-anchor]').forEach(number => {
    const text = String(pages[number.dataset.anchor] ?? '?');
    changed ||= number.textContent.length !== text.length;
    number.textContent = text;
  });
  document.querySelectorAll('.index-pages').forEach(entry => {
    let last = null;
    for (const link of entry.querySelectorAll('a')) {
      link.hidden = link.textContent === last;
      last = link.textContent;
    }
  });
  return changed;
}"""
# Runs in the page, at the text block's width: a block taller than 20 mm may split across pages
# (the issue asks at least those over a third of a page, 82 mm): a block that moves whole to the
# next page can leave a blank as tall as itself, and no page may end with more than 40 mm blank.
# It also marks a table wider than its column (many columns of long words) so its cells may break
# words: anything wider than the text block would make Chromium shrink every page to fit it.
MARK_TALL_BLOCKS = """limit => {
  document.querySelectorAll('table').forEach(table => {
    if (table.getBoundingClientRect().width > table.parentElement.clientWidth + 1) table.classList.add('too-wide');
  });
  document.querySelectorAll('.card, .admonition, [data-details], .link-notes, pre, table, .highlight').forEach(
    block => { if (block.getBoundingClientRect().height > limit) block.classList.add('may-split'); });
}"""
# The text block (guide.css): 146 x 245 mm, in CSS pixels. At this viewport width the screen
# layout's lines are the printed lines, so a block's height on screen is its height on paper.
MEASURING_VIEWPORT: ViewportSize = {"width": round(146 / 25.4 * 96), "height": 1000}
TALL_BLOCK_PX = 20 / 25.4 * 96
PRINTINGS_TO_SETTLE = 2
# A chapter with more text than this (about eight pages) lists its sections in the contents.
LONG_CHAPTER_CHARS = 28_000
DOWNLOADS_PAGE = "guide/downloads.md"
SUBJECT = "Study guide for Peloton's Distinguished Engineer (L10) loop and PM system-design loop"
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
    # Listed in the contents under the chapter's title when the chapter is long.
    sections: tuple[Section, ...] = ()


def chapter_anchor(page: str) -> str:
    return page.removesuffix(".md").replace("/", "-")


def card_html(card: Card, faces: Faces) -> str:
    """The guide's rendering of one card: question and answer together, split only if tall."""
    return (
        f'<div class="card card-{card.kind}" id="card-{card.id}"><div class="question">{faces.question}</div>'
        f'<div class="answer">{faces.answer}</div>'
        f'<p class="card-meta">{source_links(card.sources)} · <span class="card-id">{card.id}</span></p></div>'
    )


@dataclass(frozen=True)
class Links:
    """Where a link of the site goes in print: inside the book, or to the hosted site."""

    site_url: str
    printed: frozenset[str]
    # The hosted address of every in-book target, for a target this edition does not print.
    hosted: dict[str, str] = field(default_factory=dict)

    def rewrite(self, href: str, page: str) -> str:
        if href.startswith(("http://", "https://", "mailto:", "file:")):
            return href
        path, _, anchor = href.partition("#")
        anchor = anchor.replace(":", "-")
        target = page if not path else _joined(page, path)
        address = page_url(target) if target.endswith(".md") else target
        hosted = f"{self.site_url}{address}" + (f"#{anchor}" if anchor else "")
        if target not in self.printed:
            return hosted
        local = f"{chapter_anchor(target)}--{anchor}" if anchor else chapter_anchor(target)
        self.hosted[local] = hosted
        return f"#{local}"

    def resolve(self, html: str, known: set[str]) -> str:
        """A link to an anchor this edition does not print (a card left out of the compact
        edition) goes to the hosted site instead."""

        def resolved(found: re.Match[str]) -> str:
            href = found.group(1)
            if href.startswith("#") and href[1:] not in known:
                href = self.hosted.get(href[1:], href)
            return f'href="{href}"'

        return LINK.sub(resolved, html)


def _joined(page: str, path: str) -> str:
    target = (Path(page).parent / path).as_posix()
    while re.search(r"[^/]+/\.\./", target):
        target = re.sub(r"[^/.][^/]*/\.\./", "", target, count=1)
    return target.removeprefix("./")


def chapters(
    content: Content, edition: Edition, figures: Figures, links: Links, image_folder: str = ""
) -> list[Chapter]:
    """Every study page in the site's order, with its cards (unless compact) and links rewritten;
    diagrams are numbered figures whose images are in `image_folder`."""
    renderer = Renderer(content.settings)
    result = []
    for part, page in printed_pages(content):
        blocks: dict[str, str] = {}
        for card in [] if edition.compact else content.cards_for(page):
            blocks[card.section] = blocks.get(card.section, "") + card_html(card, content.faces[card.id])
        html = append_to_sections(renderer.html(content.pages[page].markdown), blocks)
        html = _for_print(html, page, links)
        html = figures.captioned(html, chapter_anchor(page), image_folder)
        result.append(Chapter(part, chapter_anchor(page), content.pages[page].title, html))
    return result


def printed_pages(content: Content) -> list[tuple[str, str]]:
    return [(part, page) for part, page in content.nav if part not in SITE_ONLY_SECTIONS]


def _for_print(html: str, page: str, links: Links) -> str:
    """Make ids unique across chapters, point links inside the book, open every collapsible."""
    prefix = chapter_anchor(page)
    html = ANY_ID.sub(lambda m: f'{m.group(1)}{prefix}--{m.group(2).replace(":", "-")}"', html)
    html = LINK.sub(lambda m: f'href="{links.rewrite(m.group(1), page)}"', html)
    html = LEAD_IN.sub(r'<p class="lead-in">\1</p>', html)
    html = PRE_CODE.sub(lambda m: m.group(1) + hanging_lines(m.group(2)) + m.group(3), html)
    html = re.sub(r"<details([^>]*)>", r'<div\1 data-details="">', html).replace("</details>", "</div>")
    return html.replace("<summary>", '<p class="admonition-title">').replace("</summary>", "</p>")


def hanging_lines(code: str) -> str:
    """Each line of a code block in its own box, so a line too long for the page wraps under its
    own start; left alone if a highlighted span runs across lines."""
    lines = code.removesuffix("\n").split("\n")
    if any(line.count("<span") != line.count("</span>") for line in lines):
        return code
    return "".join(f'<span class="line">{line or " "}</span>' for line in lines)


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
class Edition:
    """Which guide: the full one, or the compact one without the cards (the card sheets hold them)."""

    compact: bool = False

    @property
    def title(self) -> str:
        return "Study Guide, compact edition" if self.compact else "Study Guide"


FULL, COMPACT = Edition(), Edition(compact=True)


@dataclass(frozen=True)
class Book:
    """The guide's text, rendered once and printed on every paper; `folder` holds its diagrams."""

    chapters: tuple[Chapter, ...]
    card_count: int
    folder: Path
    edition: Edition
    index: tuple[IndexTerm, ...]
    figure_count: int
    sources: tuple[str, ...]
    site_url: str
    downloads_url: str
    qr_svg: str


def book(content: Content, folder: Path, edition: Edition = FULL) -> Book:
    """Render every chapter and write the diagrams they show into `folder`."""
    for name, svg in content.print_diagrams.items():
        (folder / f"{name}.svg").write_bytes(svg)
    site_url = content.site_url.rstrip("/") + "/"
    links = Links(site_url, frozenset(page for _, page in printed_pages(content)))
    figures = Figures({name: svg_size(svg) for name, svg in content.print_diagrams.items()}, PRINT_SCALE)
    drafts = chapters(content, edition, figures, links)
    known = {anchor for chapter in drafts for anchor in _ids(chapter)}
    glossary = content.pages.get(GLOSSARY_PAGE)
    indexer = Indexer.from_glossary(glossary.markdown if glossary else "", chapter_anchor(GLOSSARY_PAGE))
    finished = []
    for chapter in drafts:
        html = with_page_refs(links.resolve(chapter.html, known), known)
        html = _with_link_notes(html)
        if chapter.anchor != chapter_anchor(GLOSSARY_PAGE):
            html = indexer.marked(html, chapter.anchor)
        long = len(plain_text(html)) > LONG_CHAPTER_CHARS
        finished.append(replace(chapter, html=html, sections=h2_sections(html) if long else ()))
    downloads_url = site_url + page_url(DOWNLOADS_PAGE)
    return Book(
        tuple(finished), len(content.cards), folder, edition,
        tuple(term for term in indexer.terms if term.anchors), len(figures.numbers),
        _sources(content), site_url, downloads_url, qr_code(downloads_url),
    )


def _ids(chapter: Chapter) -> list[str]:
    return [chapter.anchor, *ANY_ID_VALUE.findall(chapter.html)]


def _sources(content: Content) -> tuple[str, ...]:
    """Every reference the cards cite, seeds by their title, once each, in first-cited order."""
    cited = dict.fromkeys(source for card in content.cards for source in card.sources)
    return tuple(SEEDS.get(source, source) for source in cited)


def qr_code(url: str) -> str:
    """The address as an inline SVG QR code, sized by the style sheet; made at build time."""
    return str(segno.make(url, error="m").svg_inline(omitsize=True, border=2, dark="#000"))


def bookmarks(guide: Book) -> list[Bookmark]:
    """The outline: the contents, then each part, its chapters, and their h2 and h3 sections."""
    parts: dict[str, list[Bookmark]] = {}
    for chapter in guide.chapters:
        parts.setdefault(chapter.part, []).append(Bookmark(chapter.title, chapter.anchor, _sections(chapter.html)))
    front = [Bookmark("Contents", "contents"), Bookmark("How to use this guide", "how-to")]
    back = [Bookmark("Index", "book-index")] if guide.index else []
    back.append(Bookmark("Colophon", "colophon"))
    return front + [Bookmark(part, chapters[0].anchor, tuple(chapters)) for part, chapters in parts.items()] + back


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
    every bookmark's and index entry's anchor is linked, so Chromium writes a destination for it."""
    index_anchors = [anchor for term in guide.index for anchor in term.anchors]
    return print_environment().get_template("guide.html").render(
        book=guide,
        chapters=guide.chapters,
        release=release,
        card_count=guide.card_count,
        bookmarked=_anchors(marks) + index_anchors,
        index=sorted(guide.index, key=lambda term: term.key.lower()),
    )


def write_guides(browser: Browser, guide: Book, release: Release, targets: dict[str, Path]) -> None:
    """Print the guide with nothing drawn until it settles: the first printing shows where every
    chapter, section, reference target and index entry lands, for the page numbers; the next
    float figures and squeeze headings (`float_figures`), filling the numbers in again each time.

    A last printing, drawn, goes to every paper in `targets` (paper name to file): the text block
    fits A4 and Letter alike, so Letter is the same pages in a Letter-sized page box. Should a
    page still move, the numbers are filled in again from where things landed and the guide
    printed once more.
    """
    marks = bookmarks(guide)
    page = open_document(browser, guide_html(guide, release, marks), guide.folder / "guide.html", MEASURING_VIEWPORT)
    page.evaluate(MARK_TALL_BLOCKS, TALL_BLOCK_PX)
    page.evaluate(HIDE_ALL, True)
    # Figures float with the page numbers filled in: a number shorter than its placeholder can
    # take a line off a card, and a card that then fits pulls the pages after it up.
    fill_page_numbers(page, destination_pages(pdf_bytes(page)))
    pages = float_figures(page, partial(fill_page_numbers, page))
    page.evaluate(HIDE_ALL, False)
    for _ in range(PRINTINGS_TO_SETTLE):
        fill_page_numbers(page, pages)
        pdf = pdf_bytes(page)
        landed = destination_pages(pdf)
        if all(pages.get(anchor) == number for anchor, number in landed.items()):
            break
        pages = landed
    metadata = Metadata(f"Peloton Interview Prep: {guide.edition.title}", SUBJECT, release)
    write_papers(finished(stamped(pdf, release), metadata, marks), release, targets)
    close_document(page)


def fill_page_numbers(page: Page, pages: dict[str, int]) -> bool:
    """Fill in every page number from `pages` (anchor to page); whether any changed its width."""
    changed: bool = page.evaluate(FILL_PAGE_NUMBERS, pages)
    return changed


def destination_pages(pdf: bytes) -> dict[str, int]:
    """The page number (from 1) of every anchor Chromium made a named destination, by anchor."""
    return {name: place.page for name, place in destinations(pdf).items()}

