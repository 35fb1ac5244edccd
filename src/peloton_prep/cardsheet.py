"""Cut-out flashcards: a PDF of card grids, fronts on odd pages and mirrored backs on even pages.

Printed double-sided with a flip on the long edge, each back lands behind its own front: the
back page holds the same rows with the two columns swapped, and the page's left and right
margins are equal so the mirror image is exact.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import jinja2
from weasyprint import HTML

from .cards import Card
from .content import Content
from .guide import PAPER_SIZES, TEMPLATES
from .markup import Renderer
from .release import Release
from .site import cloze_filled, cloze_gaps
from .taxonomy import ROLES, ROUNDS

COLUMNS, ROWS = 2, 4
CARDS_PER_SHEET = COLUMNS * ROWS
# Page sizes in millimetres, portrait.
PAPER_MM = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}
# The least room around the grid, for the crop marks and the printer's unprintable edge.
MIN_MARGIN_X, MIN_MARGIN_Y = 15.0, 24.0
# Type size by the word count of a face's text: (fewer than this many words, class name).
SIZE_CLASSES = ((30, "size-xl"), (60, "size-l"), (110, "size-m"))
SMALLEST_SIZE = "size-s"
LINK_OPEN = re.compile(r"<a\b[^>]*>")


@dataclass(frozen=True)
class Geometry:
    """Where the grid sits on the page, in millimetres; cards are whole millimetres in size."""

    paper: str
    page_width: float
    page_height: float
    card_width: float
    card_height: float

    @property
    def margin_x(self) -> float:
        return (self.page_width - COLUMNS * self.card_width) / 2

    @property
    def margin_y(self) -> float:
        return (self.page_height - ROWS * self.card_height) / 2

    def cell(self, row: int, column: int) -> tuple[float, float]:
        """The (left, top) corner of the cell at a row and column."""
        return self.margin_x + column * self.card_width, self.margin_y + row * self.card_height

    def cut_xs(self) -> list[float]:
        return [self.margin_x + column * self.card_width for column in range(COLUMNS + 1)]

    def cut_ys(self) -> list[float]:
        return [self.margin_y + row * self.card_height for row in range(ROWS + 1)]


def geometry(paper: str) -> Geometry:
    """The largest whole-millimetre cards that leave the minimum margins, grid centred."""
    width, height = PAPER_MM[paper]
    return Geometry(
        paper=PAPER_SIZES[paper],
        page_width=width,
        page_height=height,
        card_width=math.floor((width - 2 * MIN_MARGIN_X) / COLUMNS),
        card_height=math.floor((height - 2 * MIN_MARGIN_Y) / ROWS),
    )


@dataclass(frozen=True)
class Face:
    """One side of one card, placed in its cell."""

    card_id: str
    left: float
    top: float
    html: str
    size: str


@dataclass(frozen=True)
class Sheet:
    """One sheet of paper: its front page and the mirrored back page."""

    number: int
    first: int
    last: int
    fronts: tuple[Face, ...]
    backs: tuple[Face, ...]


def size_class(text: str) -> str:
    """Smaller type for longer text, so a face of up to ~150 words fits its card."""
    words = len(text.split())
    return next((name for limit, name in SIZE_CLASSES if words < limit), SMALLEST_SIZE)


def deck_label(card: Card) -> str:
    """The card's subdeck without the common root, e.g. 'Product Manager · Trade-off Facts'."""
    return f"{ROLES[card.role]} · {ROUNDS[card.round]}"


def front_html(card: Card, renderer: Renderer) -> tuple[str, str]:
    """The question, or the cloze text with a gap per deletion; and its size class."""
    text = cloze_gaps(card.front) if card.kind == "cloze" else card.front
    return _print_html(renderer.html(text)), size_class(text)


def back_html(card: Card, renderer: Renderer) -> tuple[str, str]:
    """The answer, or the cloze text with its deletions in bold and then the extra."""
    if card.kind == "qa":
        return _print_html(renderer.html(card.back)), size_class(card.back)
    filled = cloze_filled(card.front)
    html = (
        f'<div class="filled">{_print_html(renderer.html(filled))}</div>'
        f'<div class="extra">{_print_html(renderer.html(card.back))}</div>'
    )
    return html, size_class(filled + " " + card.back)


def _print_html(html: str) -> str:
    """Links cannot be followed on paper; keep their text only."""
    return LINK_OPEN.sub('<span class="link">', html).replace("</a>", "</span>")


def sheets(cards: tuple[Card, ...], renderer: Renderer, grid: Geometry) -> Iterator[Sheet]:
    """Cards in order, eight to a sheet; the back of (row, column) sits at (row, 1 - column)."""
    for start in range(0, len(cards), CARDS_PER_SHEET):
        batch = cards[start : start + CARDS_PER_SHEET]
        fronts, backs = [], []
        for index, card in enumerate(batch):
            row, column = divmod(index, COLUMNS)
            front, front_size = front_html(card, renderer)
            back, back_size = back_html(card, renderer)
            front = f'<p class="deck">{deck_label(card)}</p><div class="body {front_size}">{front}</div>'
            fronts.append(Face(card.id, *grid.cell(row, column), front, front_size))
            backs.append(Face(card.id, *grid.cell(row, COLUMNS - 1 - column), back, back_size))
        yield Sheet(start // CARDS_PER_SHEET + 1, start + 1, start + len(batch), tuple(fronts), tuple(backs))


def cardsheet_html(content: Content, release: Release, paper: str) -> str:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=jinja2.select_autoescape(["html"])
    )
    grid = geometry(paper)
    return env.get_template("cardsheet.html").render(
        sheets=list(sheets(content.cards, Renderer(content.settings), grid)),
        sheet_count=math.ceil(len(content.cards) / CARDS_PER_SHEET),
        card_count=len(content.cards),
        grid=grid,
        release=release,
    )


def write_card_sheets(content: Content, release: Release, target: Path, paper: str = "a4") -> None:
    """Typeset the cut-out cards; the PDF's dates and identifier come from the release, not the clock."""
    HTML(string=cardsheet_html(content, release, paper), base_url=str(content.root)).write_pdf(
        target,
        stylesheets=[str(TEMPLATES / "cardsheet.css")],
        pdf_identifier=release.version.encode(),
        custom_metadata=True,
    )
