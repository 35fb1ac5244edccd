"""Printing with Chromium: the release's dates, Letter page boxes, appended bookmarks, floating figures."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from pypdf import PdfReader
from pypdf.generic import Destination

from conftest import RELEASE
from pdfobjects import bookmarks, entry, text
from peloton_prep.errors import ToolMissing
from peloton_prep.pdf import chromium as printer
from peloton_prep.pdf.chromium import chromium, open_document, pdf_bytes
from peloton_prep.pdf.edits import identified, reboxed, stamped
from peloton_prep.pdf.floats import FOOT_PT, PT_PER_PX, Place, Placed, float_figures, next_adjustments
from peloton_prep.pdf.guide import MEASURING_VIEWPORT
from peloton_prep.pdf.outline import Bookmark, Metadata, OutlineError, finished, with_outline

# Three pages; the hidden links make Chromium write a named destination for each heading.
DOCUMENT = """<!DOCTYPE html><html><head><title>T</title><style>@page { size: A4; }
h1, h2 { break-before: page; }</style></head><body>
<nav hidden><a href="#one"></a><a href="#two"></a><a href="#three"></a></nav>
<h1 id="one">One</h1><p>First page.</p>
<h2 id="two">Two</h2><p>Second page.</p>
<h2 id="three">Three &amp; “quotes”</h2><p>Third page.</p>
</body></html>"""


@pytest.fixture
def printed(browser: Browser, tmp_path: Path) -> bytes:
    """The three-page document printed by Chromium, dated by the release."""
    page = open_document(browser, DOCUMENT, tmp_path / "doc.html")
    pdf = stamped(pdf_bytes(page), RELEASE)
    page.close()
    return pdf


def test_dates_and_identifier_are_the_release_s_in_place(browser: Browser, tmp_path: Path) -> None:
    """Both dates become the release's time without moving a byte; each file name gets its own identifier."""
    page = open_document(browser, DOCUMENT, tmp_path / "doc.html")
    raw = pdf_bytes(page)
    fixed = stamped(raw, RELEASE)
    assert fixed != raw and len(fixed) == len(raw)
    reader = PdfReader(io.BytesIO(identified(fixed, RELEASE, "a.pdf")), strict=True)
    assert reader.metadata is not None
    assert text(reader.metadata, "/CreationDate") == text(reader.metadata, "/ModDate") == "D:20260102120000+00'00'"
    assert entry(reader.trailer, "/ID", 0) == entry(reader.trailer, "/ID", 1)
    other = PdfReader(io.BytesIO(identified(fixed, RELEASE, "b.pdf")), strict=True)
    assert entry(other.trailer, "/ID", 0) != entry(reader.trailer, "/ID", 0)


def test_finished_pdf_has_language_author_and_subject(printed: bytes) -> None:
    """The appended update gives the catalog /Lang (en) and the information Author and Subject."""
    reader = PdfReader(io.BytesIO(finished(printed, Metadata("T", "S", RELEASE))), strict=True)
    assert text(reader.trailer, "/Root", "/Lang") == "en"
    assert reader.metadata is not None and reader.metadata.author and reader.metadata.subject == "S"


def test_letter_box_is_centred_on_the_a4_page(printed: bytes) -> None:
    """A reboxed page is 612 x 792 points, centred on the A4 page, and the file keeps its length."""
    letter = reboxed(printed, 215.9, 279.4)
    assert len(letter) == len(printed)
    a4_box = PdfReader(io.BytesIO(printed)).pages[0].mediabox
    box = PdfReader(io.BytesIO(letter)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    assert abs((float(box.left) + float(box.right)) - float(a4_box.right)) < 0.2
    assert abs((float(box.bottom) + float(box.top)) - float(a4_box.top)) < 0.2


def test_bookmarks_nest_and_open_their_pages(printed: bytes) -> None:
    """Appended bookmarks keep their nesting and titles and open the pages of their anchors."""
    marks = [Bookmark("One", "one", (Bookmark("Two", "two"), Bookmark("Three & “quotes”", "three")))]
    pdf = with_outline(printed, marks)
    assert pdf.startswith(printed)
    reader = PdfReader(io.BytesIO(pdf), strict=True)
    top, nested = reader.outline
    children = bookmarks(nested)
    assert isinstance(top, Destination)
    assert top.title == "One" and [child.title for child in children] == ["Two", "Three & “quotes”"]
    assert [reader.get_destination_page_number(item) for item in (top, *children)] == [0, 1, 2]
    assert text(reader.trailer, "/Root", "/PageMode") == "/UseOutlines"


def test_bookmarks_need_a_pdf_as_chromium_writes_it() -> None:
    """Bytes without a trailer are refused with a message, not appended to."""
    with pytest.raises(OutlineError, match="trailer"):
        with_outline(b"%PDF-1.4\n%%EOF\n", [Bookmark("One", "one")])


def test_missing_chromium_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Without Chromium the build stops with the command that installs it."""
    monkeypatch.setattr(printer, "EXECUTABLE", str(tmp_path / "no-chromium"))
    with pytest.raises(ToolMissing, match="scripts/system-deps"), chromium():
        pass



# Text that fills most of a page, then a figure too tall for the rest of it, then more of the
# section. Page margins as guide.css sets them, which floats.FOOT_PT assumes.
FLOATING = """<!DOCTYPE html><html><head><title>F</title><style>@page {{ size: A4; margin: 26mm 32mm; }}
body {{ margin: 0; font: 10.5pt/1.4 serif; }} p {{ margin: 3mm 0; }} figure {{ margin: 0; break-inside: avoid; }}
</style></head><body>
<article class="chapter" id="chapter"><p style="height: {first}mm">The section so far.</p>
<figure class="figure" id="fig"><div style="height: 120mm; background: #888"></div></figure>
{after}
<h2>Next section</h2><p>Its text.</p></article>
</body></html>"""


def floated(browser: Browser, tmp_path: Path, first: int, after: int) -> tuple[int, str]:
    """Float the figure; where it ends up among the body's blocks, and the first page's text."""
    paragraphs = "".join(f'<p style="height: 25mm">Paragraph {n}.</p>' for n in range(1, after + 1))
    page = open_document(browser, FLOATING.format(first=first, after=paragraphs), tmp_path / "floating.html",
                         MEASURING_VIEWPORT)
    float_figures(page)
    blocks = page.evaluate("() => [...document.querySelector('.chapter').children].map(node => node.tagName)")
    text = first_page_text(page)
    page.close()
    return blocks.index("FIGURE"), text


def test_a_figure_floats_past_the_text_that_fills_its_page(browser: Browser, tmp_path: Path) -> None:
    """After 190 mm of text a 120 mm figure would leave 52 mm blank: the two 25 mm paragraphs
    after it move up to fill the page, and the figure follows them; the rest stay after it."""
    position, first_page = floated(browser, tmp_path, first=190, after=4)
    assert position == 3
    assert "Paragraph 2." in first_page and "Paragraph 3." not in first_page


def test_a_figure_never_floats_past_its_section(browser: Browser, tmp_path: Path) -> None:
    position, _ = floated(browser, tmp_path, first=190, after=1)
    assert position == 2  # after the one paragraph, before the next section's heading


def test_a_figure_that_fits_stays_put(browser: Browser, tmp_path: Path) -> None:
    position, first_page = floated(browser, tmp_path, first=60, after=2)
    assert position == 1 and "Paragraph 2." in first_page


# A chapter of the guide's own stylesheet: text, a card, then a heading, its lead-in and a list
# whose items keep their two lines together; with 195 mm of text the group just misses the page.
SQUEEZING = """<!DOCTYPE html><html><head><title>S</title><style>{css}</style></head><body>
<article class="chapter" id="chapter"><p style="height: {first}mm">The section so far.</p>
<div class="card">A card at the foot of the page.</div>
<h3 id="next">The next section's heading</h3><p class="lead-in">Its lead-in:</p>
<ul><li>{item}</li><li>{item}</li><li>{item}</li></ul></article></body></html>"""
GUIDE_CSS = Path(printer.__file__).parent / "templates" / "guide.css"
TWO_LINES = ("An item long enough to take two lines of the text block, so that orphans and widows keep "
             "both of its lines together on one page.")


def test_a_heading_that_left_a_blank_closes_up_the_space_above_it(browser: Browser, tmp_path: Path) -> None:
    """Printed as it is, the heading group moves whole to the next page and leaves over 30 mm
    blank; closing up the space above the heading brings the group back to the first page."""
    html = SQUEEZING.format(css=GUIDE_CSS.read_text(encoding="utf-8"), first=195, item=TWO_LINES)
    page = open_document(browser, html, tmp_path / "squeezing.html", MEASURING_VIEWPORT)
    assert "heading" not in first_page_text(page)
    float_figures(page)
    assert "heading" in first_page_text(page)
    page.close()


def first_page_text(page: Page) -> str:
    return PdfReader(io.BytesIO(pdf_bytes(page))).pages[0].extract_text()


def placed(anchor: str, chapter: str, page: int, heading: bool = False) -> tuple[Placed, dict[str, Place]]:
    """A figure or heading on `page` whose one block before it ends 50 mm above the previous
    page's foot, with 60 mm of blocks after a figure; and where those landed."""
    after = () if heading else ((100.0, False), (300.0, False))
    block = Placed(anchor, chapter, heading, ((f"{anchor}-before", 10.0),), after)
    top = FOOT_PT + 50 / 25.4 * 72 + 10 * PT_PER_PX
    return block, {anchor: Place(page, 800.0), f"{anchor}-before": Place(page - 1, top)}


def test_one_change_per_chapter_per_printing() -> None:
    """In each chapter only the first figure to move (or heading to squeeze) changes: what is
    after it waits for the next printing; nothing changes twice; a block that leaves no blank
    worth filling does not change."""
    first, first_places = placed("a-1", "a", 3)
    second, second_places = placed("a-2", "a", 6)
    heading, heading_places = placed("b-h", "b", 4, heading=True)
    fits = Placed("c-1", "c", False, (("c-1-before", 10.0),), ((100.0, False),))
    places = {**first_places, **second_places, **heading_places,
              "c-1": Place(9, 800.0), "c-1-before": Place(9, 820.0)}
    blocks = [first, second, heading, fits]
    adjustments = next_adjustments(blocks, places, frozenset())
    assert adjustments.moves == {"a-1": 2} and adjustments.squeezes == ("b-h",)
    adjustments = next_adjustments(blocks, places, adjustments.anchors)
    assert adjustments.moves == {"a-2": 2} and adjustments.squeezes == ()
    assert not next_adjustments(blocks, places, frozenset({"a-1", "a-2", "b-h"})).anchors


def test_a_figure_never_lands_between_a_lead_in_and_what_it_introduces() -> None:
    """The third block after the figure would fill the blank, but the two before its end are a
    heading and its lead-in: the figure stops before them."""
    figure = Placed("f", "c", False, (), ((40.0, False), (140.0, True), (160.0, True), (400.0, False)))
    assert figure.blocks_to_pass(100.0) == 1
