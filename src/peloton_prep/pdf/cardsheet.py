"""Cut-out flashcards: a PDF of card grids, fronts on odd pages and mirrored backs on even pages.

Printed double-sided with a flip on the long edge, each back lands behind its own front: the
back page holds the same rows with the two columns swapped, and the page's left and right
margins are equal so the mirror image is exact.
"""

from __future__ import annotations

import math
import re
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Browser, Page

from peloton_prep.errors import PelotonPrepError
from peloton_prep.pdf.chromium import close_document, open_document, pdf_bytes
from peloton_prep.pdf.edits import PAPER_MM, stamped, write_papers
from peloton_prep.pdf.guide import print_environment
from peloton_prep.pdf.outline import Metadata, finished
from peloton_prep.sources.cards import Card
from peloton_prep.sources.content import Content, Faces
from peloton_prep.sources.release import Release
from peloton_prep.sources.taxonomy import ROLES, ROUNDS

COLUMNS, ROWS = 2, 4
SUBJECT = "Flashcards for Peloton's Distinguished Engineer and PM system-design loops, to print and cut out"
# The calibration target's centre, from the page's top left, in millimetres: on the mirrored back
# page it sits at the same place seen from the other side, so after a long-edge flip the two
# crosses coincide if the printer's duplex is aligned.
TARGET_X, TARGET_Y = 60.0, 200.0
CARDS_PER_SHEET = COLUMNS * ROWS
# The least room around the grid, for the crop marks and the printer's unprintable edge.
MIN_MARGIN_X, MIN_MARGIN_Y = 15.0, 24.0
# Type sizes, largest first (cardsheet.css), from 10 pt down to 7.5 pt, the least that reads
# comfortably at arm's length. Every face starts at the largest and steps down until it fits.
SIZES = ("size-10", "size-9-5", "size-9", "size-8-5", "size-8", "size-7-5")
LINK_OPEN = re.compile(r"<a\b[^>]*>")
# Runs in the page: every face starts at the largest size; in each round, all the faces that
# still overflow step down one size together, so the page is laid out once a round, not once a
# face. Returns the faces that overflow even at the smallest size.
FIT_FACES = """sizes => {
  const faces = [...document.querySelectorAll('[data-face]')];
  const crowded = body => body.scrollHeight > body.clientHeight + 0.5;
  for (const body of faces) { body.classList.remove(...sizes); body.classList.add(sizes[0]); }
  let left = faces;
  for (let index = 1; index < sizes.length; index += 1) {
    left = left.filter(crowded);
    for (const body of left) body.classList.replace(sizes[index - 1], sizes[index]);
  }
  return left.filter(crowded).map(body => body.dataset.face);
}"""


@dataclass(frozen=True)
class Geometry:
    """Where the grid sits on one paper, in millimetres; cards are whole millimetres in size."""

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
    """The grid centred on `paper`, of the largest whole-millimetre cards that leave the minimum
    margins on every paper: one size of card for all, so one printing serves every paper."""
    width, height = PAPER_MM[paper]
    return Geometry(
        page_width=width,
        page_height=height,
        card_width=min(math.floor((w - 2 * MIN_MARGIN_X) / COLUMNS) for w, _ in PAPER_MM.values()),
        card_height=min(math.floor((h - 2 * MIN_MARGIN_Y) / ROWS) for _, h in PAPER_MM.values()),
    )


@dataclass(frozen=True)
class SheetFaces:
    """A card's two sides as HTML for paper, and the word count each side's type size starts from."""

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
    width: float = 0.0
    height: float = 0.0


@dataclass(frozen=True)
class Cut:
    """A cut between columns that stops at a card as wide as the sheet: drawn on the sheet as a
    dashed line from `top` to `bottom`, since crop marks in the margins mean a cut right across."""

    x: float
    top: float
    bottom: float


@dataclass(frozen=True)
class Sheet:
    """One sheet of paper: its front page and the mirrored back page, and where to cut it."""

    number: int
    first: int
    last: int
    fronts: tuple[Face, ...]
    backs: tuple[Face, ...]
    # Cuts right across the sheet, marked in the margins; then the cuts that stop at a wide card.
    cut_xs: tuple[float, ...]
    cut_ys: tuple[float, ...]
    inner_cuts: tuple[Cut, ...] = ()


def deck_label(card: Card) -> str:
    """The card's subdeck without the common root, e.g. 'Product Manager · Trade-off Facts'."""
    return f"{ROLES[card.role]} · {ROUNDS[card.round]}"


def sheet_faces(card: Card, faces: Faces) -> SheetFaces:
    """Front: the question, or the cloze with gaps; back: the answer, or the filled cloze and its extra."""
    return SheetFaces(
        card,
        _print_html(faces.question),
        _print_html(faces.answer),
        len(card.question.split()),
        len(card.answer.split()),
    )


def _print_html(html: str) -> str:
    """Links cannot be followed on paper; keep their text only."""
    return LINK_OPEN.sub('<span class="link">', html).replace("</a>", "</span>")


# How many cells (columns, rows) a card may take, smallest first: a card whose back does not fit
# one cell at the smallest type size takes a whole row, then two rows.
SPANS = ((1, 1), (2, 1), (2, 2))


def sheets(
    cards: Sequence[SheetFaces], grid: Geometry, spans: dict[str, tuple[int, int]] | None = None
) -> Iterator[Sheet]:
    """Cards in order, in the first free cells of the sheet, a new sheet when one is full; the back
    of a card at column c, `width` cells wide, sits at column COLUMNS - c - width, mirrored."""
    spans = spans or {}
    sheet: list[tuple[SheetFaces, int, int, tuple[int, int]]] = []
    used: set[tuple[int, int]] = set()
    number, first = 1, 1
    for index, faces in enumerate(cards):
        span = spans.get(faces.card.id, (1, 1))
        place = _free_place(used, span)
        if place is None:
            yield _sheet(sheet, grid, number, first, index)
            sheet, used, number, first = [], set(), number + 1, index + 1
            place = _free_place(used, span)
            assert place is not None
        row, column = place
        used |= {(row + r, column + c) for r in range(span[1]) for c in range(span[0])}
        sheet.append((faces, row, column, span))
    if sheet:
        yield _sheet(sheet, grid, number, first, len(cards))


def _free_place(used: set[tuple[int, int]], span: tuple[int, int]) -> tuple[int, int] | None:
    """The first cell, row by row, from which a card of `span` fits; None if the sheet is full.
    Cells before the last one used stay empty, so cards keep their order."""
    after = max(used, default=(-1, COLUMNS - 1))
    start = after[0] * COLUMNS + after[1] + 1
    for cell in range(start, CARDS_PER_SHEET):
        row, column = divmod(cell, COLUMNS)
        cells = {(row + r, column + c) for r in range(span[1]) for c in range(span[0])}
        if row + span[1] <= ROWS and column + span[0] <= COLUMNS and not cells & used:
            return row, column
    return None


def _sheet(placed: list[tuple[SheetFaces, int, int, tuple[int, int]]], grid: Geometry, number: int, first: int,
           last: int) -> Sheet:
    fronts, backs = [], []
    for faces, row, column, (width, height) in placed:
        card_id = faces.card.id
        size = (width * grid.card_width, height * grid.card_height)
        fronts.append(Face(card_id, *grid.cell(row, column), faces.front, SIZES[0], deck_label(faces.card), *size))
        back_cell = grid.cell(row, COLUMNS - column - width)
        backs.append(Face(card_id, *back_cell, faces.back, SIZES[0], "", *size))
    wide_rows = {row + r for _, row, _, (width, height) in placed if width == COLUMNS for r in range(height)}
    xs, ys = grid.cut_xs(), grid.cut_ys()
    if not wide_rows:
        return Sheet(number, first, last, tuple(fronts), tuple(backs), tuple(xs), tuple(ys))
    inner = tuple(Cut(x, ys[start], ys[end]) for x in xs[1:-1] for start, end in _runs(set(range(ROWS)) - wide_rows))
    return Sheet(number, first, last, tuple(fronts), tuple(backs), (xs[0], xs[-1]), tuple(ys), inner)


def _runs(rows: set[int]) -> list[tuple[int, int]]:
    """Consecutive rows as (first, one past the last) pairs: {0, 1, 3} gives (0, 2) and (3, 4)."""
    runs: list[tuple[int, int]] = []
    for row in sorted(rows):
        if runs and runs[-1][1] == row:
            runs[-1] = (runs[-1][0], row + 1)
        else:
            runs.append((row, row + 1))
    return runs


def cardsheet_html(
    cards: Sequence[SheetFaces], release: Release, grid: Geometry, spans: dict[str, tuple[int, int]] | None = None
) -> str:
    """The sheets as one HTML document, every face at the largest size, to be fitted."""
    laid_out = list(sheets(cards, grid, spans))
    return print_environment().get_template("cardsheet.html").render(
        target=(TARGET_X, TARGET_Y),
        sheets=laid_out,
        sheet_count=len(laid_out),
        card_count=len(cards),
        grid=grid,
        release=release,
    )


def fit_faces(page: Page, sizes: Sequence[str] = SIZES) -> list[str]:
    """Give every face the largest of `sizes` its text fits; the faces ("id side") that fit none."""
    left: list[str] = page.evaluate(FIT_FACES, list(sizes))
    return left


@contextmanager
def opened_sheets(
    browser: Browser, content: Content, release: Release, spans: dict[str, tuple[int, int]] | None = None
) -> Iterator[Page]:
    """The card sheets, laid out on A4, loaded in Chromium before their faces are fitted."""
    cards = [sheet_faces(card, content.faces[card.id]) for card in content.cards]
    with tempfile.TemporaryDirectory(prefix=".cards-") as folder:
        html = cardsheet_html(cards, release, geometry("a4"), spans)
        page = open_document(browser, html, Path(folder) / "cards.html")
        yield page
        close_document(page)


class CardTooLong(PelotonPrepError):
    """A card's text does not fit even the largest card at the smallest type size."""


@contextmanager
def fitted_sheets(browser: Browser, content: Content, release: Release) -> Iterator[Page]:
    """The sheets with every face fitted: a card whose face fits no size in one cell is laid out
    again over more cells (SPANS), so no text is cut off and none is set below 7.5 pt."""
    spans: dict[str, tuple[int, int]] = {}
    for span in (*SPANS[1:], None):
        with opened_sheets(browser, content, release, spans) as page:
            left = {face.split()[0] for face in fit_faces(page)}
            if not left:
                yield page
                return
        if span is None:
            raise CardTooLong(f"cards too long for a half page at 7.5 pt: {', '.join(sorted(left))}")
        spans.update({card_id: span for card_id in left})


def write_card_sheets(browser: Browser, content: Content, release: Release, targets: dict[str, Path]) -> None:
    """Print the cut-out cards with every face fitted, once, onto each paper (name to file)."""
    with fitted_sheets(browser, content, release) as page:
        metadata = Metadata("Peloton Interview Prep: Flashcards to Cut Out", SUBJECT, release)
        write_papers(finished(stamped(pdf_bytes(page), release), metadata), release, targets)
