"""The cut-out flashcards: fronts then mirrored backs, read back from the PDF."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from pypdf import PageObject, PdfReader
from pypdf.generic import DictionaryObject

from conftest import GOOD_CLOZE, RELEASE, ROOT
from pdfobjects import entry, string_bytes, text
from peloton_prep.pdf.cardsheet import (
    SIZES,
    Cut,
    fit_faces,
    fitted_sheets,
    geometry,
    opened_sheets,
    sheet_faces,
    write_card_sheets,
)
from peloton_prep.pdf.cardsheet import sheets as laid_out_sheets
from peloton_prep.pdf.edits import PAPER_MM
from peloton_prep.sources.content import Content, load_content

QA = """\
- id: sheet-qa-{n}
  kind: qa
  front: What is question number {n} about {topic}?
  back: {back}
  tags: [role::de, round::system-design]
  page: test.md
  section: idempotency
  source: seed:de-loop-guide
"""

# A topic a question, so no two questions read as one asked twice.
TOPICS = dict(enumerate(["", "retries", "queues", "caches", "leases", "shards", "quotas", "tokens", "clocks"]))

HINTED_CLOZE = """\
- id: sheet-cloze-hint
  kind: cloze
  text: A retried POST is safe only with an {{c1::idempotency key::what the client sends}}.
  extra: The server stores the key with the response.
  tags: [role::pm, round::trade-offs]
  page: test.md
  section: idempotency
  source: seed:pm-system-design
"""

# A back of 58 words in four list items and a paragraph, near the 60-word limit: it does not fit
# at the largest size, so it has to be stepped down.
LONG_ITEM = "    - **Point {}:** retry with backoff and jitter; the server dedupes.\n"
LONG_BACK = "|\n" + "".join(LONG_ITEM.format(i) for i in range(1, 5))
LONG_BACK += "\n    Then the rest of the answer, in a closing paragraph that also needs its room.\n"


@pytest.fixture
def cards(tiny_project: Path, write_cards: Callable[[str, str], Path]) -> Content:
    """Ten cards in the tiny project: eight Q&A (the last with a back near the word limit) and two cloze."""
    qa = "".join(QA.format(n=n, topic=TOPICS[n], back=f"'Answer number {n}: use an idempotency key.'")
                 for n in range(1, 8))
    write_cards("sheet.yaml", qa + QA.format(n=8, topic=TOPICS[8], back=LONG_BACK) + GOOD_CLOZE + HINTED_CLOZE)
    content = load_content(tiny_project)
    assert len(content.cards) == 10
    return content


@pytest.fixture
def sheets(browser: Browser, cards: Content, tmp_path: Path) -> dict[str, Path]:
    """The ten cards printed to an A4 and a US Letter card sheet."""
    targets = {paper: tmp_path / f"cards-{paper}.pdf" for paper in PAPER_MM}
    write_card_sheets(browser, cards, RELEASE, targets)
    return targets


@pytest.fixture
def sheet(sheets: dict[str, Path]) -> PdfReader:
    """The A4 card sheet, opened with pypdf."""
    return PdfReader(sheets["a4"])


def page_text(page: PageObject) -> str:
    return " ".join((page.extract_text() or "").split())


def text_x(page: PageObject, needle: str) -> float:
    """The x position, in points from the page's left edge, where the text `needle` starts."""
    found: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if needle in text:
            found.append(tm[4] * cm[0] + tm[5] * cm[2] + cm[4])

    page.extract_text(visitor_text=visit)
    assert len(found) == 1, (needle, found)
    return found[0]


def test_page_count_is_fronts_and_backs(sheet: PdfReader, cards: Content) -> None:
    """An instruction sheet, then each sheet of eight cards on two pages: fronts, then backs."""
    assert len(sheet.pages) == 2 + 2 * math.ceil(len(cards.cards) / 8) == 6


def test_first_sheet_says_how_to_print(sheet: PdfReader) -> None:
    """The first sheet asks for 100% and a long-edge flip, with a 100 mm bar to check the scale."""
    text = page_text(sheet.pages[0])
    assert "Print at 100%" in text and "flip on the long edge" in text and "100 mm" in text


def test_front_has_question_back_has_answer(sheet: PdfReader) -> None:
    """The first card's question and deck are on page 1; its answer is on page 2, not page 1."""
    front, back = page_text(sheet.pages[2]), page_text(sheet.pages[3])
    assert "What is question number 1 about retries?" in front
    assert "DISTINGUISHED ENGINEER · SYSTEM DESIGN" in front
    assert "Answer number 1: use an idempotency key." in back
    assert "Answer number 1" not in front and "question number 1" not in back


def test_cloze_front_shows_gaps_and_back_fills_them(sheet: PdfReader) -> None:
    """A cloze front shows a gap or its hint; the back shows the deleted text and the extra."""
    front, back = page_text(sheet.pages[4]), page_text(sheet.pages[5])
    assert "Heart-rate sharing must arrive within […]." in front
    assert "with an [what the client sends]." in front
    assert "1 s" not in front and "idempotency key" not in front
    assert "Heart-rate sharing must arrive within 1 s." in back
    assert "Riders compare effort live; older numbers mislead." in back
    assert "A retried POST is safe only with an idempotency key." in back


def test_backs_are_mirrored_for_long_edge_duplex(sheet: PdfReader) -> None:
    """Card 1's id is in the left column on the front page and in the right column on the back."""
    middle = float(sheet.pages[2].mediabox.width) / 2
    assert text_x(sheet.pages[2], "sheet-qa-1") < middle < text_x(sheet.pages[3], "sheet-qa-1")
    assert text_x(sheet.pages[2], "sheet-qa-2") > middle > text_x(sheet.pages[3], "sheet-qa-2")
    assert text_x(sheet.pages[4], "test-cloze") < middle < text_x(sheet.pages[5], "test-cloze")


@pytest.mark.parametrize("paper", sorted(PAPER_MM))
def test_grid_is_centred_so_the_mirror_is_exact(paper: str) -> None:
    """Every cut line has a partner at the same distance from the other edge of the page."""
    grid = geometry(paper)
    width, height = PAPER_MM[paper]
    assert sorted(round(width - x, 6) for x in grid.cut_xs()) == [round(x, 6) for x in grid.cut_xs()]
    assert grid.margin_x >= 15 and grid.margin_y >= 24
    assert grid.cut_ys()[-1] <= height - 24


def test_a_card_as_wide_as_the_sheet_stops_the_cut_between_columns(cards: Content) -> None:
    """Crop marks in the margins mean a cut right across the sheet: with a card two columns wide
    in the second row, the cut between the columns is drawn on the sheet above and below it."""
    faces = [sheet_faces(card, cards.faces[card.id]) for card in cards.cards]
    grid = geometry("a4")
    xs, ys = grid.cut_xs(), grid.cut_ys()
    plain = next(laid_out_sheets(faces, grid))
    assert plain.cut_xs == tuple(xs) and plain.inner_cuts == ()
    wide = next(laid_out_sheets(faces, grid, {cards.cards[2].id: (2, 1)}))
    assert wide.cut_xs == (xs[0], xs[-1]) and wide.cut_ys == tuple(ys)
    assert wide.inner_cuts == (Cut(xs[1], ys[0], ys[1]), Cut(xs[1], ys[2], ys[4]))


def test_face_that_fits_no_allowed_size_is_reported(browser: Browser, cards: Content) -> None:
    """With only the largest size allowed, the long back is the one face reported as not fitting."""
    with opened_sheets(browser, cards, RELEASE) as page:
        assert fit_faces(page, SIZES[:1]) == ["sheet-qa-8 back"]


def test_long_back_is_not_cut_off(browser: Browser, cards: Content, sheet: PdfReader) -> None:
    """A 58-word back gets a smaller size, or a bigger card, at which the whole of it shows."""
    with fitted_sheets(browser, cards, RELEASE) as page:
        assert fit_faces(page, SIZES) == []
    text = " ".join(page_text(page) for page in sheet.pages)
    assert "Then the rest of the answer, in a closing paragraph that also needs its room." in text


def test_letter_sheet_is_the_a4_sheet_on_letter_paper(sheets: dict[str, Path]) -> None:
    """The Letter sheet has Letter pages with the same grid, still centred, so backs still mirror."""
    a4, letter = PdfReader(sheets["a4"]), PdfReader(sheets["letter"])
    box = letter.pages[2].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    assert len(letter.pages) == len(a4.pages)
    middle = (float(box.left) + float(box.right)) / 2
    assert text_x(letter.pages[2], "sheet-qa-1") < middle < text_x(letter.pages[3], "sheet-qa-1")
    assert abs(text_x(letter.pages[2], "sheet-qa-1") - text_x(a4.pages[2], "sheet-qa-1")) < 0.01


def test_fonts_are_embedded(sheet: PdfReader) -> None:
    """Every font the sheet uses is embedded, so it prints the same anywhere."""
    for page in sheet.pages:
        fonts = entry(page, "/Resources", "/Font")
        assert isinstance(fonts, DictionaryObject)
        for font in fonts.values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_dates_and_identifier_come_from_the_release(sheet: PdfReader) -> None:
    """The PDF's dates are the release's time, not the clock's; each paper's file has its own identifier."""
    assert sheet.metadata is not None
    assert text(sheet.metadata, "/CreationDate") == text(sheet.metadata, "/ModDate") == "D:20260102120000+00'00'"
    assert len(string_bytes(sheet.trailer, "/ID", 0)) == 16


def test_same_release_is_byte_identical(
    browser: Browser, cards: Content, sheets: dict[str, Path], tmp_path: Path
) -> None:
    """Printing the sheets again from the same release gives the same bytes."""
    again = {"letter": tmp_path / "again" / "cards-letter.pdf"}
    again["letter"].parent.mkdir()
    write_card_sheets(browser, cards, RELEASE, again)
    assert again["letter"].read_bytes() == sheets["letter"].read_bytes()


def test_every_real_card_fits_its_card(browser: Browser) -> None:
    """Every card of the kit shows in full on the card size shared by both papers."""
    with fitted_sheets(browser, load_content(ROOT), RELEASE) as page:
        assert fit_faces(page, SIZES) == []
