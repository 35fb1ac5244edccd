"""The guide as an EPUB 3 book for e-readers (Kindle through Send to Kindle, Kobo, Apple Books).

It is made from the same chapters as the printed guide (pdf.guide.chapters): the same pages in
the same order, each card as its question then its answer, and the print variant of each
diagram (black on white, long flows top to bottom), which reads on an e-ink screen. Links between
chapters point at the chapter files; links to the site's reader tools go to the hosted site.

The HTML is re-serialised as well-formed XHTML (`Xhtml`), since a reading system rejects what a
browser forgives, and the archive is written with fixed times in a fixed order, so one commit
always gives the same bytes.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser
from pathlib import Path

from peloton_prep.outputs import write_zip
from peloton_prep.pdf.apparatus import Figures, Section, h2_sections
from peloton_prep.pdf.guide import (
    ANY_ID_VALUE,
    DOWNLOADS_PAGE,
    FULL,
    Chapter,
    Links,
    chapters,
    printed_pages,
    qr_code,
)
from peloton_prep.sources.content import Content, page_url
from peloton_prep.sources.diagrams import PRINT_SCALE, svg_size
from peloton_prep.sources.release import Release

MIMETYPE = b"application/epub+zip"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# What the chapters' HTML may carry into the book; anything else (site-only data attributes,
# `loading`, …) is dropped rather than risk an attribute a reading system does not know.
ATTRIBUTES = {
    "id", "class", "href", "src", "alt", "title", "colspan", "rowspan", "lang", "type", "checked",
    "disabled", "start", "role", "aria-label", "aria-hidden",
}
BOOLEAN = {"checked", "disabled", "hidden"}
DROPPED_TAGS = {"script", "style", "iframe", "object"}
SVG_PROLOGUE = re.compile(rb"<!DOCTYPE[^>]*>\s*|<!--.*?-->\s*", re.DOTALL)
CSS = """body { font-family: serif; line-height: 1.4; margin: 0 0.5em; }
h1, h2, h3, h4 { font-family: sans-serif; line-height: 1.2; page-break-after: avoid; }
.chapter-part { font-family: sans-serif; font-size: 0.8em; text-transform: uppercase; letter-spacing: 0.05em; }
a { color: inherit; }
a.headerlink { display: none; }
code, pre { font-family: monospace; font-size: 0.9em; }
pre { white-space: pre-wrap; border-left: 2px solid #000; padding-left: 0.5em; }
pre .line { display: block; padding-left: 4ch; text-indent: -4ch; }
table { border-collapse: collapse; font-size: 0.9em; }
th, td { border: 1px solid #000; padding: 0.2em 0.4em; vertical-align: top; text-align: left; }
figure { margin: 1em 0; page-break-inside: avoid; }
figure img { max-width: 100%; height: auto; }
figcaption { font-family: sans-serif; font-size: 0.85em; }
.admonition, [data-details] { border-left: 3px solid #000; padding: 0 0.6em; margin: 1em 0; }
.admonition-title { font-family: sans-serif; font-weight: bold; }
.card { border: 1px solid #000; padding: 0.3em 0.6em; margin: 1em 0; }
.card .question { font-family: sans-serif; font-weight: bold; }
.card .answer { border-top: 1px dashed #000; margin-top: 0.4em; }
.card .answer::before { content: "Answer"; display: block; font-family: sans-serif; font-size: 0.75em;
  text-transform: uppercase; letter-spacing: 0.05em; }
.card-meta { font-size: 0.8em; }
.qr { width: 8em; height: 8em; }
.task-list-item { list-style: none; }
"""


class Xhtml(HTMLParser):
    """HTML, as the Markdown renderer writes it, serialised as well-formed XHTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str] = []
        self.dropping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DROPPED_TAGS:
            self.dropping += 1
            return
        if self.dropping:
            return
        kept = "".join(_attribute(name, value) for name, value in attrs if _kept(tag, name))
        if tag in VOID:
            self.out.append(f"<{tag}{kept}/>")
        else:
            self.out.append(f"<{tag}{kept}>")
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID and not self.dropping and self.open and self.open[-1] == tag:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in DROPPED_TAGS:
            self.dropping = max(0, self.dropping - 1)
            return
        if self.dropping or tag in VOID or tag not in self.open:
            return
        while self.open:
            last = self.open.pop()
            self.out.append(f"</{last}>")
            if last == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self.out.append(escape(data, quote=False))

    def result(self) -> str:
        self.close()
        return "".join(self.out) + "".join(f"</{tag}>" for tag in reversed(self.open))


def _kept(tag: str, name: str) -> bool:
    return name in ATTRIBUTES or (tag == "div" and name == "data-details")


def _attribute(name: str, value: str | None) -> str:
    if name in BOOLEAN:
        return f' {name}="{name}"'
    return f' {name}="{escape(value or "", quote=True)}"'


def to_xhtml(html: str) -> str:
    parser = Xhtml()
    parser.feed(html)
    return parser.result()


@dataclass(frozen=True)
class EpubChapter:
    """A chapter as a file of the book."""

    file: str
    part: str
    title: str
    body: str
    sections: tuple[Section, ...] = field(default=())


def epub_chapters(content: Content) -> tuple[list[EpubChapter], dict[str, bytes]]:
    """The guide's chapters as XHTML files with working links, and the images they show."""
    site_url = content.site_url.rstrip("/") + "/"
    links = Links(site_url, frozenset(page for _, page in printed_pages(content)))
    figures = Figures({name: svg_size(svg) for name, svg in content.print_diagrams.items()}, PRINT_SCALE)
    drafts = chapters(content, FULL, figures, links, image_folder="images/")
    files = {chapter.anchor: f"{chapter.anchor}.xhtml" for chapter in drafts}
    owner = {anchor: files[chapter.anchor] for chapter in drafts for anchor in _ids(chapter)}
    result = []
    for chapter in drafts:
        html = links.resolve(chapter.html, set(owner))
        html = re.sub(r'href="#([^"]+)"', lambda m: f'href="{_target(m.group(1), owner, files)}"', html)
        html = re.sub(r' style="width: [\d.]+pt; height: [\d.]+pt"', "", html)
        body = f'<section id="{chapter.anchor}"><p class="chapter-part">{escape(chapter.part)}</p>{html}</section>'
        result.append(EpubChapter(files[chapter.anchor], chapter.part, chapter.title, to_xhtml(body),
                                  h2_sections(chapter.html)))
    images = {f"images/{name}.svg": SVG_PROLOGUE.sub(b"", svg) for name, svg in content.print_diagrams.items()}
    return result, images


def _ids(chapter: Chapter) -> list[str]:
    return [chapter.anchor, *ANY_ID_VALUE.findall(chapter.html)]


def _target(anchor: str, owner: dict[str, str], files: dict[str, str]) -> str:
    if anchor in files:
        return files[anchor]
    return f"{owner[anchor]}#{anchor}" if anchor in owner else f"#{anchor}"


def page_document(title: str, body: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" '
        'lang="en" xml:lang="en">\n'
        f'<head><meta charset="utf-8"/><title>{escape(title)}</title>'
        '<link rel="stylesheet" type="text/css" href="book.css"/></head>\n'
        f"<body>{body}</body>\n</html>\n"
    ).encode()


def title_page(content: Content, release: Release) -> str:
    downloads = content.site_url.rstrip("/") + "/" + page_url(DOWNLOADS_PAGE)
    return to_xhtml(
        '<section id="title-page"><h1>Peloton Interview Prep: Study Guide</h1>'
        "<p>The Distinguished Engineer (L10) loop and the PM system-design loop: every round, every "
        "question, the design patterns and the numbers behind them, with every flashcard as its "
        "question, then its answer.</p>"
        f"<p>Version {escape(release.version)}, content of {release.date}; {len(content.cards)} cards.</p>"
        f'<p><img class="qr" src="images/qr.svg" alt="QR code for {escape(downloads)}"/></p>'
        f'<p>The Anki deck, the printed guide and the cut-out cards: <a href="{escape(downloads)}">'
        f"{escape(downloads)}</a></p>"
        "<p>Independent study material, not affiliated with Peloton Interactive. Claims about "
        "Peloton's internals are as reported by the sources, not official.</p></section>"
    )


def navigation(book: list[EpubChapter]) -> str:
    """The navigation document's table of contents: parts, their chapters, the chapters' sections."""
    parts: dict[str, list[EpubChapter]] = {}
    for chapter in book:
        parts.setdefault(chapter.part, []).append(chapter)
    items = []
    for part, members in parts.items():
        entries = "".join(_nav_chapter(chapter) for chapter in members)
        if len(members) == 1 and members[0].title == part:
            items.append(entries)
        else:
            items.append(f"<li><span>{escape(part)}</span><ol>{entries}</ol></li>")
    return (
        '<nav epub:type="toc" id="toc"><h1>Contents</h1><ol>'
        '<li><a href="title.xhtml">Title page</a></li>'
        + "".join(items)
        + "</ol></nav>"
        '<nav epub:type="landmarks" hidden="hidden"><ol>'
        '<li><a epub:type="toc" href="nav.xhtml">Contents</a></li>'
        f'<li><a epub:type="bodymatter" href="{book[0].file}">Start of content</a></li>'
        "</ol></nav>"
    )


def _nav_chapter(chapter: EpubChapter) -> str:
    sections = "".join(
        f'<li><a href="{chapter.file}#{section.anchor}">{escape(section.title)}</a></li>'
        for section in chapter.sections
    )
    listed = f"<ol>{sections}</ol>" if sections else ""
    return f'<li><a href="{chapter.file}">{escape(chapter.title)}</a>{listed}</li>'


def package(content: Content, release: Release, book: list[EpubChapter], images: list[str]) -> bytes:
    """The package document: metadata, every file, and the reading order."""
    identifier = uuid.uuid5(uuid.NAMESPACE_URL, content.site_url + "#guide-epub")
    modified = release.iso_time
    manifest = [
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
        '<item id="css" href="book.css" media-type="text/css"/>',
        '<item id="title" href="title.xhtml" media-type="application/xhtml+xml"/>',
    ]
    manifest += [
        f'<item id="c-{chapter.file.removesuffix(".xhtml")}" href="{chapter.file}" media-type="application/xhtml+xml"/>'
        for chapter in book
    ]
    manifest += [
        f'<item id="i-{Path(name).stem}" href="{name}" media-type="image/svg+xml"/>' for name in images
    ]
    spine = ['<itemref idref="title"/>', '<itemref idref="nav"/>']
    spine += [f'<itemref idref="c-{chapter.file.removesuffix(".xhtml")}"/>' for chapter in book]
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="book-id" xml:lang="en">\n'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        f"<dc:identifier id=\"book-id\">urn:uuid:{identifier}</dc:identifier>\n"
        "<dc:title>Peloton Interview Prep: Study Guide</dc:title>\n"
        "<dc:language>en</dc:language>\n"
        "<dc:creator>peloton-prep contributors</dc:creator>\n"
        "<dc:subject>Interview preparation</dc:subject>\n"
        "<dc:description>Study guide for Peloton's Distinguished Engineer (L10) loop and PM "
        "system-design loop.</dc:description>\n"
        f"<dc:date>{release.date}</dc:date>\n"
        f'<meta property="dcterms:modified">{modified}</meta>\n'
        f'<meta property="schema:version" id="version">{escape(release.version)}</meta>\n'
        "</metadata>\n"
        f"<manifest>\n{chr(10).join(manifest)}\n</manifest>\n"
        f"<spine>\n{chr(10).join(spine)}\n</spine>\n"
        "</package>\n"
    ).encode()


CONTAINER = b"""<?xml version="1.0" encoding="utf-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles><rootfile full-path="OEBPS/package.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>
"""


def write_epub(content: Content, release: Release, target: Path) -> None:
    """The EPUB: mimetype first and stored, then the container, package, navigation and chapters."""
    book, images = epub_chapters(content)
    images["images/qr.svg"] = qr_svg_file(content)
    members: dict[str, bytes] = {"mimetype": MIMETYPE, "META-INF/container.xml": CONTAINER}
    members["OEBPS/package.opf"] = package(content, release, book, sorted(images))
    members["OEBPS/nav.xhtml"] = page_document("Contents", navigation(book))
    members["OEBPS/book.css"] = CSS.encode()
    members["OEBPS/title.xhtml"] = page_document("Peloton Interview Prep: Study Guide", title_page(content, release))
    for chapter in book:
        members[f"OEBPS/{chapter.file}"] = page_document(chapter.title, chapter.body)
    for name in sorted(images):
        members[f"OEBPS/{name}"] = images[name]
    write_zip(target, members, stored=frozenset({"mimetype"}))


def qr_svg_file(content: Content) -> bytes:
    downloads = content.site_url.rstrip("/") + "/" + page_url(DOWNLOADS_PAGE)
    svg = qr_code(downloads).replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1) \
        if "xmlns=" not in qr_code(downloads) else qr_code(downloads)
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + svg + "\n").encode()
