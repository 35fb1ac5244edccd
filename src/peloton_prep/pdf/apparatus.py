"""The book's apparatus, made from the chapters' HTML: figures, cross-references with their pages,
the index of key terms, second-level contents, and the colophon's sources.

Everything here is text processing, done once per edition before the first printing; the page
numbers come from that printing's named destinations and are filled in by the printer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import escape, unescape

from peloton_prep.sources.diagrams import PRINT_HEIGHT_PT, PRINT_WIDTH_PT
from peloton_prep.sources.glossary import glossary_entries, matched_key, term_pattern

TAG = re.compile(r"<[^>]+>")
TOKEN = re.compile(r"(<[^>]+>)")
FIGURE = re.compile(r'<p><img alt="([^"]*)" src="([^"]*diagrams/([\w-]+)\.svg)"\s*/?></p>')
INTERNAL_LINK = re.compile(r'<a href="#([^"]+)"([^>]*)>(.*?)</a>', re.DOTALL)
H2 = re.compile(r'<h2[^>]*\bid="([^"]+)"[^>]*>(.*?)</h2>', re.DOTALL)
# Links that are not cross-references: footnote marks and their returns, heading permalinks.
NOT_XREF = ("footnote-ref", "footnote-backref", "headerlink")
# Text the index never marks: headings, links, code, captions, footnote marks, page references.
UNMARKED = {"a", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "sup", "dt"}
# Wide enough for any page number: the first printing lays the reference out at this width, so
# filling in a shorter number can only shorten a line, never push text to the next page.
PLACEHOLDER = "000"


def page_ref(anchor: str) -> str:
    """" (p. N)" after a cross-reference; N is filled in from the first printing."""
    number = f'<span class="page-number" data-anchor="{anchor}">{PLACEHOLDER}</span>'
    return f'<span class="page-ref"> (p.\u00a0{number})</span>'


def plain_text(html: str) -> str:
    return " ".join(unescape(TAG.sub("", html.replace("¶", ""))).split())


@dataclass(frozen=True)
class Figures:
    """Numbers the book's diagrams in order, across chapters."""

    sizes: dict[str, tuple[float, float]]
    scale: float
    numbers: list[int] = field(default_factory=list)

    def printed_size(self, name: str) -> tuple[float, float]:
        """The book's one scale, shrunk further only for a diagram that would not fit the text
        block (wider would shrink every page; taller would leave it alone on a page)."""
        width, height = self.sizes[name]
        scale = min(self.scale, PRINT_WIDTH_PT / width, PRINT_HEIGHT_PT / height)
        return round(width * scale, 1), round(height * scale, 1)

    def captioned(self, html: str, anchor_prefix: str, src: str) -> str:
        """Every diagram as a numbered figure at the book's one scale, with its description as caption."""

        def figure(found: re.Match[str]) -> str:
            alt, _, name = found.groups()
            self.numbers.append(len(self.numbers) + 1)
            number = self.numbers[-1]
            width, height = self.printed_size(name)
            return (
                f'<figure class="figure" id="{anchor_prefix}--figure-{number}">'
                f'<img src="{src}{name}.svg" alt="{alt}" style="width: {width}pt; height: {height}pt">'
                f"<figcaption><span class=\"figure-number\">Figure {number}.</span> {alt}</figcaption></figure>"
            )

        return FIGURE.sub(figure, html)


def with_page_refs(html: str, known: set[str]) -> str:
    """A "(p. N)" inside every cross-reference to an anchor the book prints."""

    def referenced(found: re.Match[str]) -> str:
        anchor, attributes, text = found.groups()
        if any(kind in attributes for kind in NOT_XREF) or anchor not in known or "page-ref" in text:
            return found.group(0)
        return f'<a href="#{anchor}"{attributes} class="xref">{text}{page_ref(anchor)}</a>'

    return INTERNAL_LINK.sub(referenced, html)


def internal_targets(html: str) -> Iterator[str]:
    return (found.group(1) for found in INTERNAL_LINK.finditer(html))


@dataclass(frozen=True)
class IndexTerm:
    """A key term from the glossary, and the anchors of its first mention in each chapter."""

    key: str
    glossary_anchor: str
    anchors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Indexer:
    """Marks the first mention of each key term in each chapter, for the index."""

    terms: list[IndexTerm]
    pattern: re.Pattern[str]

    @classmethod
    def from_glossary(cls, markdown: str, glossary_chapter: str) -> Indexer:
        entries = glossary_entries(markdown)
        terms = [IndexTerm(entry.key, f"{glossary_chapter}--{slug(entry.key)}") for entry in entries]
        return cls(terms, term_pattern(entry.key for entry in entries))

    def marked(self, html: str, chapter: str) -> str:
        """The chapter with its first mention of each term wrapped in an anchor the index links."""
        seen: set[int] = set()
        skip = 0
        pieces = []
        for token in TOKEN.split(html):
            if token.startswith("<"):
                skip += _skip_change(token)
                pieces.append(token)
            elif skip > 0 or not token.strip():
                pieces.append(token)
            else:
                pieces.append(self._mark(token, chapter, seen))
        return "".join(pieces)

    def _mark(self, text: str, chapter: str, seen: set[int]) -> str:
        def mention(found: re.Match[str]) -> str:
            index = matched_key(found)
            if index in seen:
                return found.group(0)
            seen.add(index)
            term = self.terms[index]
            anchor = f"{chapter}--ix-{slug(term.key)}"
            term.anchors.append(anchor)
            return f'<span class="ix" id="{anchor}">{found.group(0)}</span>'

        return self.pattern.sub(mention, text)

    def anchors(self) -> list[str]:
        return [anchor for term in self.terms for anchor in term.anchors]


def _skip_change(tag: str) -> int:
    name = re.match(r"</?([a-z0-9]+)", tag)
    if not name or name.group(1) not in UNMARKED or tag.endswith("/>"):
        return 0
    return -1 if tag.startswith("</") else 1


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "term"


@dataclass(frozen=True)
class Section:
    title: str
    anchor: str


def h2_sections(html: str) -> tuple[Section, ...]:
    return tuple(Section(plain_text(inner), anchor) for anchor, inner in H2.findall(html))


def escaped(text: str) -> str:
    return escape(text, quote=True)
