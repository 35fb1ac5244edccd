"""Figures that float and headings that close up, as in a typeset book.

A figure never splits, so one too tall for the rest of its page moves whole to the next and
leaves the foot of the page blank. A book lets the text after the figure move up to fill the
page and sets the figure after it. Here a printing shows where each figure and the blocks
before it landed (named destinations give their pages and tops); a figure that left a blank
worth filling moves down past as many of the blocks after it as fill that blank, never past a
section heading (h1 or h2: it may pass a subheading), another figure or the end of the section.
A heading kept with what follows it can leave the same blank; a typesetter shrinks the glue
around it, and here the space around it (and a subheading or lead-in right under it) closes up.

A change moves everything after it, so each printing makes at most one change per chapter
(every chapter starts a page), and the next printing shows where the rest landed. Page numbers
are filled in from every printing, since a number that gains or loses a digit can move a line.
The whole book is printed each time: a chapter printed alone can break its pages differently
(Chromium, measured)."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

from playwright.sync_api import Page
from pypdf import PdfReader

from peloton_prep.pdf.chromium import pdf_bytes

# The text block's foot, in PDF points from the bottom of the page. Chromium writes a named
# destination's top as if the text block's top were the page's (the margins left out), so the
# foot sits the text block's height (guide.css: 245 mm on A4) below the top of the 297 mm page.
FOOT_PT = (297 - 245) / 25.4 * 72
PT_PER_PX = 0.75
# A blank foot worth filling: below it, moving a figure away from its text, or closing up the
# space above a heading, costs more than the blank (the guide's rule is at most 40 mm, counted
# from the last line of text, which sits a box's padding above the box's foot).
WORTH_FILLING_PT = 30 / 25.4 * 72
# How many blocks before a figure may have moved with it (a heading and its lead-in, say).
BLOCKS_BEFORE = 6

# Runs in the page, at the text block's width, where a block's height on screen is its height on
# paper. Gives each figure and heading of a chapter, and the blocks just before it, an anchor (a
# link to it makes Chromium write a named destination) and returns, for each in order, its
# chapter, their heights and, for a figure, how far down each block after it ends, measured from
# the first one's top. Run again after changes, it replaces the anchors' links.
MEASURE = """count => {
  document.getElementById('pp-float-marks')?.remove();
  const marks = document.createElement('nav');
  marks.hidden = true;
  marks.id = 'pp-float-marks';
  const mark = (block, id) => {
    if (!block.id) block.id = id;
    const link = document.createElement('a');
    link.href = '#' + block.id;
    marks.append(link);
    return block.id;
  };
  // A heading kept with a figure moves with it, and the figure's float fills the page instead.
  const placed = [...document.querySelectorAll('.chapter > :is(figure.figure, h2, h3, h4)')].filter(
    item => item.matches('figure') || !item.nextElementSibling?.matches('figure'));
  const found = placed.map(item => {
    const heading = !item.matches('figure');
    const before = [];
    let block = item.previousElementSibling;
    while (block && before.length < (heading ? 1 : count)) {
      before.unshift([mark(block, `${item.id}--before-${before.length}`), block.getBoundingClientRect().height]);
      block = block.previousElementSibling;
    }
    const after = [];
    const first = item.nextElementSibling;
    for (let next = first; next && !heading && !next.matches('h1, h2, figure, .link-notes');
         next = next.nextElementSibling) {
      // A heading or lead-in binds to the block after it: the figure never lands between them.
      const binds = next.matches('h3, h4, h5, h6, .lead-in');
      after.push([next.getBoundingClientRect().bottom - first.getBoundingClientRect().top, binds]);
    }
    return {id: mark(item, item.id), chapter: item.parentElement.id, heading: heading, before: before, after: after};
  });
  document.body.append(marks);
  return found;
}"""
# Moves each figure past its next `count` blocks, and closes up the space around each heading
# to squeeze and any subheading or lead-in right under it (guide.css).
ADJUST = """([moves, squeezes]) => {
  for (const [id, count] of Object.entries(moves)) {
    const figure = document.getElementById(id);
    let last = figure;
    for (let step = 0; step < count; step++) last = last.nextElementSibling;
    last.after(figure);
  }
  for (const id of squeezes) {
    const heading = document.getElementById(id);
    heading.previousElementSibling.classList.add('before-squeezed');
    // A subheading or lead-in right under it closes up too.
    for (let next = heading; next && next.matches('h2, h3, h4, .lead-in'); next = next.nextElementSibling) {
      next.classList.add('squeezed');
    }
  }
}"""
DROP_MARKS = "() => document.getElementById('pp-float-marks').remove()"
# A chapter takes one printing per change, and one more to show nothing is left to change; each
# edition of the guide takes four. A cap, so a layout that kept changing could not hold a build.
MOST_ROUNDS = 8


@dataclass(frozen=True)
class Place:
    """Where an anchor landed: its page (from 1) and its top, in points from the page's bottom."""

    page: int
    top: float


@dataclass(frozen=True)
class Placed:
    """A figure or a heading: its anchor and chapter, the blocks before it (anchor and height in
    CSS px, in order; for a heading, only the one) and, for a figure, how far down each block
    after it ends and whether that block binds to the next (a heading or lead-in)."""

    anchor: str
    chapter: str
    heading: bool
    before: tuple[tuple[str, float], ...]
    after: tuple[tuple[float, bool], ...]

    def blank_before(self, places: dict[str, Place]) -> float:
        """The blank, in points, at the foot of the page before this one's when the last block
        on that page is one of those just before it; 0 otherwise (a block that runs on to this
        page leaves no blank)."""
        page = places[self.anchor].page
        ending = [(anchor, height) for anchor, height in self.before if places[anchor].page == page - 1]
        if not ending:
            return 0.0
        anchor, height = ending[-1]
        return max(0.0, places[anchor].top - height * PT_PER_PX - FOOT_PT)

    def blocks_to_pass(self, blank: float) -> int:
        """The fewest blocks after the figure that fill the blank, or all of them; but never
        ending on a heading or lead-in, which would leave the figure between it and what it
        introduces: then the figure stops before them, and the blank is only partly filled."""
        count = next((count for count, (end, _) in enumerate(self.after, 1) if end * PT_PER_PX >= blank),
                     len(self.after))
        while count and self.after[count - 1][1]:
            count -= 1
        return count

    def blocks_to_move_past(self, places: dict[str, Place]) -> int:
        """How many blocks after it the figure moves past: none unless it left a blank worth
        filling that the blocks after it can fill."""
        blank = self.blank_before(places)
        return self.blocks_to_pass(blank) if blank >= WORTH_FILLING_PT and self.after else 0

    def to_squeeze(self, places: dict[str, Place]) -> bool:
        """A heading whose group moved whole to the next page and left a blank worth filling:
        closing up the space above it may bring the group back."""
        return self.heading and self.blank_before(places) >= WORTH_FILLING_PT


@dataclass(frozen=True)
class Adjustments:
    """Figures to move (anchor: blocks to pass) and headings to squeeze."""

    moves: dict[str, int]
    squeezes: tuple[str, ...]

    @property
    def anchors(self) -> frozenset[str]:
        return frozenset(self.moves) | frozenset(self.squeezes)


def next_adjustments(placed: list[Placed], places: dict[str, Place], changed: frozenset[str]) -> Adjustments:
    """In each chapter, the first figure to move or heading to squeeze that has not changed
    before: a change moves everything after it, so what follows waits for the next printing to
    show where it lands. Nothing changes twice."""
    moves = {}
    squeezes = []
    chapters = set()
    for block in placed:
        if block.anchor in changed or block.chapter in chapters:
            continue
        count = block.blocks_to_move_past(places)
        if count:
            moves[block.anchor] = count
        elif block.to_squeeze(places):
            squeezes.append(block.anchor)
        else:
            continue
        chapters.add(block.chapter)
    return Adjustments(moves, tuple(squeezes))


def destinations(pdf: bytes) -> dict[str, Place]:
    """Every named destination Chromium wrote, by anchor."""
    reader = PdfReader(io.BytesIO(pdf))
    places = {}
    for name, target in reader.named_destinations.items():
        page = reader.get_destination_page_number(target)
        if page is not None:
            places[name.removeprefix("/")] = Place(page + 1, float(target.get("/Top") or 0))
    return places


def unchanged(pages: dict[str, int]) -> bool:
    return False


def float_figures(page: Page, printed: Callable[[dict[str, int]], bool] = unchanged) -> dict[str, int]:
    """Print to see where figures and headings landed; move each figure that left a blank worth
    filling and squeeze each heading that left one; print again after every round of changes,
    until a printing changes nothing. `printed` gets the page of every anchor in each printing
    and says whether it changed the page (the guide fills in its page numbers from them).
    Returns the pages of the last printing, which is the layout as it stands."""
    changed: frozenset[str] = frozenset()
    for _ in range(MOST_ROUNDS):
        placed = [
            Placed(item["id"], item["chapter"], item["heading"],
                   tuple((anchor, height) for anchor, height in item["before"]),
                   tuple((end, binds) for end, binds in item["after"]))
            for item in page.evaluate(MEASURE, BLOCKS_BEFORE)
        ]
        places = destinations(pdf_bytes(page))
        pages = {anchor: place.page for anchor, place in places.items()}
        renumbered = printed(pages)
        adjustments = next_adjustments(placed, places, changed)
        if not (renumbered or adjustments.anchors):
            break
        page.evaluate(ADJUST, [adjustments.moves, list(adjustments.squeezes)])
        changed |= adjustments.anchors
    page.evaluate(DROP_MARKS)
    return pages
