"""The printed study guide: the site's pages and every card, expanded, typeset by WeasyPrint."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import jinja2
from mkdocs.utils.meta import get_data
from weasyprint import HTML

from .cards import Card
from .content import Content
from .diagrams import diagram_sources, render_svg
from .markup import Renderer, source_links
from .release import Release
from .sections import append_to_sections
from .site import cloze_filled, cloze_gaps

PAPER_SIZES = {"a4": "A4", "letter": "letter"}
# The reader's tools, not study material: they stay on the site.
SITE_ONLY_SECTIONS = frozenset({"Study tools", "Practice"})
TEMPLATES = Path(__file__).parent / "templates"

LINK = re.compile(r'href="([^"]*)"')
HEADING_ID = re.compile(r'(<h[1-6][^>]*\bid=")([^"]+)"')
IMG_SVG = re.compile(r'src="[^"]*diagrams/([\w-]+)\.svg"')
EXTERNAL_LINK = re.compile(r'(<a href="(https?://[^"]+)"[^>]*>(.*?)</a>)', re.DOTALL)


@dataclass(frozen=True)
class Chapter:
    """One page of the site as a chapter of the guide."""

    part: str
    anchor: str
    title: str
    html: str


def chapter_anchor(page: str) -> str:
    return page.removesuffix(".md").replace("/", "-")


def card_html(card: Card, renderer: Renderer) -> str:
    """The guide's rendering of one card: question and answer together, never split."""
    if card.kind == "cloze":
        question, answer = cloze_gaps(card.front), cloze_filled(card.front) + "\n\n" + card.back
    else:
        question, answer = card.front, card.back
    return (
        f'<div class="card card-{card.kind}"><div class="question">{renderer.html(question)}</div>'
        f'<div class="answer">{renderer.html(answer)}</div>'
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
            blocks[card.section] = blocks.get(card.section, "") + card_html(card, renderer)
        source = (content.root / "docs" / page).read_text(encoding="utf-8")
        html = append_to_sections(renderer.html(get_data(source)[0]), blocks)
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
    html = EXTERNAL_LINK.sub(_with_footnote, html)
    html = re.sub(r"<details([^>]*)>", r'<div\1 data-details="">', html).replace("</details>", "</div>")
    return html.replace("<summary>", '<p class="admonition-title">').replace("</summary>", "</p>")


def _with_footnote(link: re.Match[str]) -> str:
    """Print a link's target as a footnote, unless the link text already is the target."""
    whole, target, text = link.groups()
    return whole if text == target else f'{whole}<span class="footnote-link">{target}</span>'


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


def guide_html(content: Content, release: Release, svg_dir: Path, paper: str) -> str:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=jinja2.select_autoescape(["html"])
    )
    renderer = Renderer(content.settings)
    return env.get_template("guide.html").render(
        chapters=chapters(content, renderer, svg_dir),
        release=release,
        paper=PAPER_SIZES[paper],
        card_count=len(content.cards),
    )


def write_guide(content: Content, release: Release, target: Path, paper: str = "a4") -> None:
    """Typeset the guide; the PDF's dates and identifier come from the release, not the clock."""
    svg_dir = target.parent / f".svg-{target.stem}"
    svg_dir.mkdir(exist_ok=True)
    for source in diagram_sources(content.root):
        (svg_dir / f"{source.stem}.svg").write_bytes(render_svg(source))
    document = HTML(string=guide_html(content, release, svg_dir, paper), base_url=str(content.root))
    document.write_pdf(
        target,
        stylesheets=[str(TEMPLATES / "guide.css")],
        pdf_identifier=release.version.encode(),
        custom_metadata=True,
    )
    for svg in svg_dir.iterdir():
        svg.unlink()
    svg_dir.rmdir()
