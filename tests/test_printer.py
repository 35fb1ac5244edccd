"""Printing with Chromium: the release's dates, Letter page boxes, appended bookmarks, floating figures."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from pypdf import PdfReader
from pypdf.generic import Destination

from conftest import RELEASE
from pdfobjects import bookmarks, entry, text
from peloton_prep.errors import ToolMissing
from peloton_prep.pdf import chromium as printer
from peloton_prep.pdf.chromium import chromium, open_document, pdf_bytes
from peloton_prep.pdf.edits import identified, reboxed, stamped
from peloton_prep.pdf.floats import float_figures
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
<p style="height: {first}mm">The section so far.</p>
<figure class="figure" id="fig"><div style="height: 120mm; background: #888"></div></figure>
{after}
<h2>Next section</h2><p>Its text.</p>
</body></html>"""


def floated(browser: Browser, tmp_path: Path, first: int, after: int) -> tuple[int, str]:
    """Float the figure; where it ends up among the body's blocks, and the first page's text."""
    paragraphs = "".join(f'<p style="height: 25mm">Paragraph {n}.</p>' for n in range(1, after + 1))
    page = open_document(browser, FLOATING.format(first=first, after=paragraphs), tmp_path / "floating.html",
                         MEASURING_VIEWPORT)
    float_figures(page)
    blocks = page.evaluate("() => [...document.body.children].map(node => node.tagName)")
    pdf = pdf_bytes(page)
    page.close()
    return blocks.index("FIGURE"), PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


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
