"""Figures that float, as in a typeset book.

A figure never splits, so one too tall for the rest of its page moves whole to the next and
leaves the foot of the page blank. A book lets the text after the figure move up to fill the
page and sets the figure after it. Here a first printing shows where each figure and the blocks
before it landed (named destinations give their pages and tops); a figure that left a blank
worth filling moves down past as many of the blocks after it as fill that blank, never past a
section heading (h1 or h2: it may pass a subheading), another figure or the end of the section.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from playwright.sync_api import Page
from pypdf import PdfReader

from peloton_prep.pdf.chromium import pdf_bytes

# The text block's foot, in PDF points from the bottom of the page. Chromium writes a named
# destination's top as if the text block's top were the page's (the margins left out), so the
# foot sits the text block's height (guide.css: 245 mm on A4) below the top of the 297 mm page.
FOOT_PT = (297 - 245) / 25.4 * 72
PT_PER_PX = 0.75
# A blank foot worth filling: below it, moving a figure away from its text costs more than the
# blank (the guide's rule is at most 40 mm).
WORTH_FILLING_PT = 30 / 25.4 * 72
# How many blocks before a figure may have moved with it (a heading and its lead-in, say).
BLOCKS_BEFORE = 6

# Runs in the page, at the text block's width, where a block's height on screen is its height on
# paper. Gives each figure and the blocks just before it an anchor (a link to it makes Chromium
# write a named destination) and returns their heights, and how far down each block after the
# figure ends, measured from the first one's top.
MEASURE = """count => {
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
  const figures = [...document.querySelectorAll('figure.figure')].map(figure => {
    const before = [];
    let block = figure.previousElementSibling;
    while (block && before.length < count) {
      before.unshift([mark(block, `${figure.id}--before-${before.length}`), block.getBoundingClientRect().height]);
      block = block.previousElementSibling;
    }
    const after = [];
    const first = figure.nextElementSibling;
    for (let next = first; next && !next.matches('h1, h2, figure, .link-notes');
         next = next.nextElementSibling) {
      after.push(next.getBoundingClientRect().bottom - first.getBoundingClientRect().top);
    }
    return {id: mark(figure, figure.id), before: before, after: after};
  });
  document.body.append(marks);
  return figures;
}"""
# Moves each figure past its next `count` blocks, then drops the anchors MEASURE added.
MOVE = """moves => {
  for (const [id, count] of Object.entries(moves)) {
    const figure = document.getElementById(id);
    let last = figure;
    for (let step = 0; step < count; step++) last = last.nextElementSibling;
    last.after(figure);
  }
  document.getElementById('pp-float-marks').remove();
}"""


@dataclass(frozen=True)
class Place:
    """Where an anchor landed: its page (from 1) and its top, in points from the page's bottom."""

    page: int
    top: float


@dataclass(frozen=True)
class FigureLayout:
    """A figure's anchor, the blocks before it (anchor and height in CSS px, in order) and how
    far down each block after it ends."""

    anchor: str
    before: tuple[tuple[str, float], ...]
    after: tuple[float, ...]

    def blank_before(self, places: dict[str, Place]) -> float:
        """The blank, in points, at the foot of the page before the figure's when the last block
        on that page is one of those just before the figure; 0 otherwise (a block that runs on
        to the figure's page leaves no blank)."""
        page = places[self.anchor].page
        ending = [(anchor, height) for anchor, height in self.before if places[anchor].page == page - 1]
        if not ending:
            return 0.0
        anchor, height = ending[-1]
        return max(0.0, places[anchor].top - height * PT_PER_PX - FOOT_PT)

    def blocks_to_pass(self, blank: float) -> int:
        """The fewest blocks after the figure that fill the blank, or all of them."""
        return next((count for count, end in enumerate(self.after, 1) if end * PT_PER_PX >= blank), len(self.after))


def destinations(pdf: bytes) -> dict[str, Place]:
    """Every named destination Chromium wrote, by anchor."""
    reader = PdfReader(io.BytesIO(pdf))
    places = {}
    for name, target in reader.named_destinations.items():
        page = reader.get_destination_page_number(target)
        if page is not None:
            places[name.removeprefix("/")] = Place(page + 1, float(target.get("/Top") or 0))
    return places


def float_figures(page: Page) -> None:
    """Print once to see where figures landed, and move each that left a blank worth filling."""
    layouts = [
        FigureLayout(item["id"], tuple((anchor, height) for anchor, height in item["before"]), tuple(item["after"]))
        for item in page.evaluate(MEASURE, BLOCKS_BEFORE)
    ]
    places = destinations(pdf_bytes(page))
    moves = {}
    for layout in layouts:
        blank = layout.blank_before(places)
        if blank >= WORTH_FILLING_PT and layout.after:
            moves[layout.anchor] = layout.blocks_to_pass(blank)
    page.evaluate(MOVE, moves)
