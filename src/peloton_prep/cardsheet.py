"""Cut-out flashcards: a PDF of card grids, fronts on odd pages and mirrored backs on even pages.

Printed double-sided with a flip on the long edge, each back lands behind its own front: the
back page holds the same rows with the two columns swapped, and the page's left and right
margins are equal so the mirror image is exact.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Sequence, Set
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from weasyprint import CSS, HTML

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
# Type sizes, largest first (cardsheet.css), and the first guess by word count: a face of fewer
# than LIMIT words starts at that size. A face whose text still overflows steps down a size.
SIZES = ("size-xl", "size-l", "size-m", "size-s", "size-xs", "size-xxs")
WORD_LIMITS = ((30, "size-xl"), (60, "size-l"), (110, "size-m"))
STYLESHEET = TEMPLATES / "cardsheet.css"
LINK_OPEN = re.compile(r"<a\b[^>]*>")

FaceKey = tuple[str, str]  # (card id, "front" or "back")


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
class Faces:
    """A card's two sides as HTML, and the word count each side's type size starts from."""

    card: Card
    front: str
    back: str
    front_words: int
    back_words: int


@dataclass(frozen=True)
class Face:
    """One side of one card, placed in its cell."""

    card_id: str
    left: float
    top: float
    html: str
    size: str
    deck: str = ""


@dataclass(frozen=True)
class Sheet:
    """One sheet of paper: its front page and the mirrored back page."""

    number: int
    first: int
    last: int
    fronts: tuple[Face, ...]
    backs: tuple[Face, ...]


def first_size(words: int) -> str:
    """Smaller type for longer text: the size a face starts from before it is fitted."""
    return next((name for limit, name in WORD_LIMITS if words < limit), "size-s")


def deck_label(card: Card) -> str:
    """The card's subdeck without the common root, e.g. 'Product Manager · Trade-off Facts'."""
    return f"{ROLES[card.role]} · {ROUNDS[card.round]}"


def card_faces(card: Card, renderer: Renderer) -> Faces:
    """Front: the question, or the cloze with gaps; back: the answer, or the filled cloze and its extra."""
    if card.kind == "cloze":
        question, filled = cloze_gaps(card.front), cloze_filled(card.front)
        back = (
            f'<div class="filled">{_print_html(renderer.html(filled))}</div>'
            f'<div class="extra">{_print_html(renderer.html(card.back))}</div>'
        )
        back_words = len(filled.split()) + len(card.back.split())
    else:
        question = card.front
        back, back_words = _print_html(renderer.html(card.back)), len(card.back.split())
    return Faces(card, _print_html(renderer.html(question)), back, len(question.split()), back_words)


def _print_html(html: str) -> str:
    """Links cannot be followed on paper; keep their text only."""
    return LINK_OPEN.sub('<span class="link">', html).replace("</a>", "</span>")


def sheets(cards: Sequence[Faces], sizes: dict[FaceKey, str], grid: Geometry) -> Iterator[Sheet]:
    """Cards in order, eight to a sheet; the back of (row, column) sits at (row, 1 - column)."""
    for start in range(0, len(cards), CARDS_PER_SHEET):
        batch = cards[start : start + CARDS_PER_SHEET]
        fronts, backs = [], []
        for index, faces in enumerate(batch):
            row, column = divmod(index, COLUMNS)
            card_id = faces.card.id
            front_cell = grid.cell(row, column)
            fronts.append(Face(card_id, *front_cell, faces.front, sizes[card_id, "front"], deck_label(faces.card)))
            back_cell = grid.cell(row, COLUMNS - 1 - column)
            backs.append(Face(card_id, *back_cell, faces.back, sizes[card_id, "back"]))
        yield Sheet(start // CARDS_PER_SHEET + 1, start + 1, start + len(batch), tuple(fronts), tuple(backs))


def cardsheet_html(
    cards: Sequence[Faces], sizes: dict[FaceKey, str], release: Release, grid: Geometry, only: Set[int] | None = None
) -> str:
    """The sheets as one HTML document; `only` keeps just the sheets with those numbers."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=jinja2.select_autoescape(["html"])
    )
    return env.get_template("cardsheet.html").render(
        sheets=[sheet for sheet in sheets(cards, sizes, grid) if only is None or sheet.number in only],
        sheet_count=math.ceil(len(cards) / CARDS_PER_SHEET),
        card_count=len(cards),
        grid=grid,
        release=release,
    )


def render_sheets(
    cards: Sequence[Faces],
    sizes: dict[FaceKey, str],
    release: Release,
    grid: Geometry,
    root: Path,
    only: Set[int] | None = None,
) -> Any:
    """Lay out the sheets (or `only` those numbered) with each face at the given type size."""
    html = HTML(string=cardsheet_html(cards, sizes, release, grid, only), base_url=str(root))
    return html.render(stylesheets=[CSS(filename=str(STYLESHEET))])


def overflowing(pages: Iterable[Any]) -> set[FaceKey]:
    """The faces whose text runs past the bottom of their box, and is cut off, on laid-out pages."""
    # WeasyPrint keeps each page's box tree on Page._page_box; placeholders stand for absolute boxes.
    found = set()
    for page in pages:
        for box in page._page_box.descendants(placeholders=True):
            face = box.element.get("data-face") if box.element is not None and box.element_tag == "div" else None
            if face and box.children:
                bottom = max(child.position_y + child.margin_height() for child in box.children)
                if bottom > box.content_box_y() + box.height + 0.5:
                    card_id, side = face.split(" ")
                    found.add((card_id, side))
    return found


def fitted_document(content: Content, release: Release, paper: str) -> Any:
    """The laid-out sheets with every face at the largest type size at which its text fits.

    Sizes start from word counts. A face that overflows steps down a size: only the sheets
    holding such faces are laid out again, and their pages replace the old ones.
    """
    renderer, grid = Renderer(content.settings), geometry(paper)
    cards = [card_faces(card, renderer) for card in content.cards]
    sizes = {(f.card.id, "front"): first_size(f.front_words) for f in cards}
    sizes |= {(f.card.id, "back"): first_size(f.back_words) for f in cards}
    sheet_of = {f.card.id: index // CARDS_PER_SHEET + 1 for index, f in enumerate(cards)}
    document = render_sheets(cards, sizes, release, grid, content.root)
    pages, latest = list(document.pages), document.pages
    while crowded := {face for face in overflowing(latest) if sizes[face] != SIZES[-1]}:
        for face in crowded:
            sizes[face] = SIZES[SIZES.index(sizes[face]) + 1]
        redo = sorted({sheet_of[card_id] for card_id, _ in crowded})
        latest = render_sheets(cards, sizes, release, grid, content.root, set(redo)).pages
        for index, number in enumerate(redo):
            pages[2 * number - 2 : 2 * number] = latest[2 * index : 2 * index + 2]
    return document.copy(pages)


def write_card_sheets(content: Content, release: Release, target: Path, paper: str = "a4") -> None:
    """Typeset the cut-out cards; the PDF's dates and identifier come from the release, not the clock."""
    document = fitted_document(content, release, paper)
    document.write_pdf(target, pdf_identifier=release.version.encode(), custom_metadata=True)
