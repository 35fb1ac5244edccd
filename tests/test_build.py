"""One real build of the kit: the site, the deck and the guides, read back and checked."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from playwright.sync_api import Browser
from pypdf import PdfReader

from conftest import ROOT
from peloton_prep.build import BuildReport
from peloton_prep.sources.content import Content, load_content
from peloton_prep.pdf.guide import SITE_ONLY_SECTIONS, book, write_guides
from peloton_prep.outputs import DOWNLOADS
from peloton_prep.sources.release import current_release

Built = tuple[Path, BuildReport]


@pytest.fixture(scope="module")
def content() -> Content:
    """The repository's own content, loaded and checked."""
    return load_content(ROOT)


@pytest.fixture(scope="module")
def guide(real_build: Built) -> PdfReader:
    """The A4 guide of the real build, opened with pypdf."""
    return PdfReader(real_build[0] / "peloton-prep-guide.pdf")


@pytest.fixture(scope="module")
def guide_text(guide: PdfReader) -> str:
    """All the guide's text, whitespace folded, one page after another."""
    return " ".join(" ".join((page.extract_text() or "").split()) for page in guide.pages)


def test_outputs_exist(real_build: Built) -> None:
    """The build writes the site, the deck and both guides, and nothing else: beside them only the
    hidden version folder and the `.current` link that switches them all at once."""
    names = sorted(path.name for path in real_build[0].iterdir())
    assert names == [
        ".current", ".versions",
        "peloton-prep-cards-letter.pdf", "peloton-prep-cards.pdf", "peloton-prep-guide-letter.pdf",
        "peloton-prep-guide.pdf", "peloton-prep-offline.zip", "peloton-prep.apkg", "site",
    ]
    assert len(list((real_build[0] / ".versions").iterdir())) == 1


def test_site_shows_cards_in_their_sections(real_build: Built, content: Content) -> None:
    """Every card appears on its page as a collapsible block after its section's heading."""
    for card in content.cards:
        page = card.page.removesuffix(".md")
        page = page.removesuffix("index") if page.endswith("index") else page + "/"
        html = (real_build[0] / "site" / page / "index.html").read_text()
        heading = html.index(f'id="{card.section}"')
        assert html.index(f'id="card-{card.id}"') > heading, card.id


def test_site_serves_downloads(real_build: Built) -> None:
    """The downloads page links files that are inside the built site and are the real outputs."""
    site = real_build[0] / "site"
    html = (site / "guide" / "downloads" / "index.html").read_text()
    for name in DOWNLOADS:
        assert f'href="../../downloads/{name}" download' in html
        assert (site / "downloads" / name).read_bytes() == (real_build[0] / name).read_bytes()


def test_diagrams_are_sized_lazy_svg_images(real_build: Built) -> None:
    """Each diagram is an SVG rendered at build time, shown lazily with its size reserved, in a
    link that opens it full size."""
    site = real_build[0] / "site"
    html = (site / "patterns" / "offline-sync" / "index.html").read_text()
    image = re.search(r'<figure class="pp-diagram"><a class="pp-diagram__open" href="([^"]+)" data-pp-diagram '
                      r'data-label-px="[\d.]+"><img src="\1" alt="[^"]+" width="\d+" height="\d+" '
                      r'loading="lazy"', html)
    assert image is not None
    svg = (site / "patterns" / "offline-sync" / image.group(1)).resolve()
    assert svg.read_text().lstrip().startswith("<?xml") and "<svg" in svg.read_text()


def test_no_request_leaves_for_a_cdn(real_build: Built) -> None:
    """No built page loads fonts, scripts or styles from another host."""
    for page in (real_build[0] / "site").rglob("*.html"):
        html = page.read_text()
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html, page
        for tag in re.findall(r"<(?:script|link|img)\b[^>]*>", html):
            if 'rel="canonical"' not in tag and re.search(r'(?:src|href)="https?://', tag):
                raise AssertionError(f"{page} loads {tag}")


def test_every_page_loads_the_theme_script_on_interaction(real_build: Built) -> None:
    """No built page (the offline zip's included) loads the theme's bundle directly; each has the loader for it."""
    with zipfile.ZipFile(real_build[0] / "peloton-prep-offline.zip") as archive:
        offline = [archive.read(name).decode() for name in archive.namelist() if name.endswith(".html")]
    pages = [page.read_text() for page in (real_build[0] / "site").rglob("*.html")] + offline
    for html in pages:
        assert not re.search(r"<script src=\"[^\"]*bundle\.[0-9a-f]+\.min\.js\"", html)
        assert re.search(r'script\.src = "[^"]*assets/javascripts/bundle\.[0-9a-f]+\.min\.js"', html)
    assert len(pages) > 40


def test_real_deck_imports_every_card(real_build: Built, content: Content, tmp_path: Path) -> None:
    """The official anki library imports one note per card, each in its round's subdeck."""
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        request = ImportAnkiPackageRequest(
            package_path=str(real_build[0] / "peloton-prep.apkg"), options=ImportAnkiPackageOptions()
        )
        col.import_anki_package(request)
        assert col.note_count() == len(content.cards)
        deck_names = {deck.name for deck in col.decks.all_names_and_ids()}
        assert {card.deck for card in content.cards} <= deck_names
    finally:
        col.close()


def test_deck_zip_is_normalised(real_build: Built) -> None:
    """Zip members carry a fixed time and mode, so rebuilds are byte-identical."""
    with zipfile.ZipFile(real_build[0] / "peloton-prep.apkg") as archive:
        infos = archive.infolist()
    assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {info.external_attr >> 16 for info in infos} == {0o644}


def test_guide_has_every_chapter_and_card(guide_text: str, content: Content) -> None:
    """Every chapter title and every card's question is printed in the guide."""
    for part, page in content.nav:
        if part not in SITE_ONLY_SECTIONS:
            assert " ".join(content.pages[page].title.split()) in guide_text, page
    printed = " ".join(words_of(guide_text))
    for card in content.cards:
        opening = words_of(re.sub(r"\{\{c\d+::.*?\}\}.*", "", card.front, flags=re.DOTALL))[:6]
        assert " ".join(opening) in printed, card.id


def words_of(text: str) -> list[str]:
    """Lowercase letters and digits only, so Markdown marks and typography do not matter."""
    return re.findall(r"[a-z0-9]+", text.lower().replace("’", "'"))


@pytest.fixture(scope="module")
def page_words(guide: PdfReader) -> list[str]:
    """Each page's text as words_of joined by spaces, page 1 first."""
    return [" ".join(words_of(page.extract_text() or "")) for page in guide.pages]


def test_no_card_is_split_from_its_answer(page_words: list[str], content: Content) -> None:
    """Each card's question opens on the page that also prints its id, the last line of its box."""
    for card in content.cards:
        opening = " ".join(words_of(re.sub(r"\{\{c\d+::.*?\}\}.*", "", card.front, flags=re.DOTALL))[:6])
        id_words = " ".join(words_of(card.id))
        pages = [number for number, words in enumerate(page_words) if id_words in words]
        assert pages and opening in page_words[pages[0]], card.id


def test_running_header_names_the_chapter(guide: PdfReader, content: Content) -> None:
    """A chapter's pages after its first carry its title in the header, above the text."""
    starts = [guide.get_destination_page_number(item) for item in _chapter_marks(guide)]
    titles = [item.title for item in _chapter_marks(guide)]
    checked = 0
    for title, start, following in zip(titles, starts, starts[1:], strict=False):
        if following - start >= 2:
            text = " ".join((guide.pages[start + 1].extract_text() or "").split())
            assert text.startswith(title), (title, text[:80])
            checked += 1
    assert checked >= 10


def _chapter_marks(guide: PdfReader) -> list[Any]:
    """The outline's second level: every chapter, in order."""
    return [item for part in guide.outline if isinstance(part, list) for item in part if not isinstance(item, list)]


def test_link_addresses_are_printed_as_chapter_notes(guide_text: str) -> None:
    """Links whose text is not their address get a number, and the addresses are listed after the chapter."""
    assert guide_text.count("Links in this chapter") >= 5
    assert "https://" in guide_text.split("Links in this chapter", 1)[1]


def test_guide_outline_has_parts_chapters_and_sections(guide: PdfReader, content: Content) -> None:
    """The bookmarks are the contents, then each part holding its chapters, which hold their sections."""
    top = [item for item in guide.outline if not isinstance(item, list)]
    parts = list(dict.fromkeys(part for part, _ in content.nav if part not in SITE_ONLY_SECTIONS))
    assert [item.title for item in top] == ["Contents", *parts]
    design = guide.outline[guide.outline.index(top[parts.index("Distinguished Engineer") + 1]) + 1]
    assert "System design round" in [item.title for item in design if not isinstance(item, list)]
    chapter = next(item for item in design if not isinstance(item, list) and item.title == "System design round")
    sections = design[design.index(chapter) + 1]
    assert len([item for item in sections if not isinstance(item, list)]) >= 3
    assert guide.get_destination_page_number(chapter) + 1 > 2


def test_diagrams_print_as_vector_art(real_build: Built, guide_text: str) -> None:
    """The guide holds no raster image, and a diagram's labels are text in it."""
    assert b"/Subtype /Image" not in (real_build[0] / "peloton-prep-guide.pdf").read_bytes()
    assert "chunk acked" in guide_text


def test_letter_guide_is_the_a4_guide_on_letter_paper(real_build: Built, guide: PdfReader) -> None:
    """The Letter guide has the same pages in Letter-sized page boxes."""
    letter = PdfReader(real_build[0] / "peloton-prep-guide-letter.pdf")
    box = letter.pages[10].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    assert len(letter.pages) == len(guide.pages)
    assert letter.pages[10].extract_text() == guide.pages[10].extract_text()


def test_guide_embeds_its_fonts(guide: PdfReader) -> None:
    """The PDF embeds every font it uses."""
    for page in guide.pages[:40]:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for font in fonts.values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_toc_page_numbers_match_chapter_starts(guide: PdfReader, content: Content) -> None:
    """Each chapter's number in the table of contents is the page its title starts on."""
    toc = " ".join((guide.pages[1].extract_text() or "").split() + (guide.pages[2].extract_text() or "").split())
    starts = {}
    for number, page in enumerate(guide.pages, 1):
        text = " ".join((page.extract_text() or "").split())
        for part, name in content.nav:
            title = " ".join(content.pages[name].title.split())
            opens_chapter = f"{part.upper()} {title}" in text
            if part not in SITE_ONLY_SECTIONS and name not in starts and number > 2 and opens_chapter:
                starts[name] = number
    for name, number in starts.items():
        title = " ".join(content.pages[name].title.split())
        assert re.search(re.escape(title) + r"[ .]*" + str(number) + r"\b", toc), (title, number)
    assert len(starts) >= len([1 for part, _ in content.nav if part not in SITE_ONLY_SECTIONS]) - 2


def test_guide_is_reproducible(real_build: Built, browser: Browser, content: Content, tmp_path: Path) -> None:
    """Printing the same commit again gives a byte-identical PDF."""
    again = tmp_path / "again.pdf"
    write_guides(browser, book(content, tmp_path), current_release(ROOT), {"letter": again})
    assert again.read_bytes() == (real_build[0] / "peloton-prep-guide-letter.pdf").read_bytes()
