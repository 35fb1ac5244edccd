"""One real build of the kit: the site, the deck and the guides, read back and checked."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from playwright.sync_api import Browser
from pypdf import PdfReader

from conftest import ROOT
from pdfobjects import entry, page_number, text
from pdfread import PageText, read_pages
from peloton_prep.build import BuildReport
from peloton_prep.deck import identity_for
from peloton_prep.epub import write_epub
from peloton_prep.outputs import DOWNLOADS
from peloton_prep.pdf.apparatus import slug
from peloton_prep.pdf.guide import SITE_ONLY_SECTIONS, book, write_guides
from peloton_prep.sources.content import Content, load_content
from peloton_prep.sources.glossary import glossary_entries
from peloton_prep.sources.release import current_release
from peloton_prep.sources.taxonomy import DECK_ROOT

Built = tuple[Path, BuildReport]
# Debian's epubcheck is a jar; /usr/bin/epubcheck runs only where binfmt knows jars.
EPUBCHECK = ["java", "-jar", "/usr/share/java/epubcheck.jar"] if shutil.which("java") else ["epubcheck"]


@pytest.fixture(scope="module")
def content() -> Content:
    """The repository's own content, loaded and checked."""
    return load_content(ROOT)


@pytest.fixture(scope="module")
def guide(real_build: Built) -> PdfReader:
    """The A4 guide of the real build, opened with pypdf."""
    return PdfReader(real_build[0] / "peloton-prep-guide.pdf")


@pytest.fixture(scope="module")
def guide_pages(real_build: Built) -> list[PageText]:
    """Each page of the A4 guide read back once (text, type sizes, line positions): every test
    of the guide's text shares this one reading of its 300-odd pages."""
    return read_pages(real_build[0] / "peloton-prep-guide.pdf")


@pytest.fixture(scope="module")
def guide_text(guide_pages: list[PageText]) -> str:
    """All the guide's text, whitespace folded, one page after another."""
    return " ".join(page.words for page in guide_pages)


def test_outputs_exist(real_build: Built) -> None:
    """The build writes the site, the deck and both guides, and nothing else: beside them only the
    hidden version folder and the `.current` link that switches them all at once."""
    names = sorted(path.name for path in real_build[0].iterdir())
    assert names == [
        ".current", ".versions",
        "peloton-prep-cards-letter.pdf", "peloton-prep-cards.pdf", "peloton-prep-guide-compact-letter.pdf",
        "peloton-prep-guide-compact.pdf", "peloton-prep-guide-letter.pdf", "peloton-prep-guide.epub",
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
    """The official anki library imports one note per card, each in its round's subdeck (under the
    development build's own root when the working tree has uncommitted content)."""
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        request = ImportAnkiPackageRequest(
            package_path=str(real_build[0] / "peloton-prep.apkg"), options=ImportAnkiPackageOptions()
        )
        col.import_anki_package(request)
        assert col.note_count() == len(content.cards) + len(content.retired)
        deck_names = {deck.name for deck in col.decks.all_names_and_ids()}
        root = identity_for(current_release(ROOT)).root
        assert {root + card.deck.removeprefix(DECK_ROOT) for card in content.cards} <= deck_names
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
def page_words(guide_pages: list[PageText]) -> list[str]:
    """Each page's text as words_of joined by spaces, page 1 first."""
    return [" ".join(words_of(page.text)) for page in guide_pages]


def test_cards_split_only_across_a_page_turn(page_words: list[str], content: Content) -> None:
    """A card's question opens on the page that prints its id (the last line of its box), or, for
    a card taller than 40 mm that split rather than leave a large blank, on the page before."""
    split = 0
    for card in content.cards:
        opening = " ".join(words_of(re.sub(r"\{\{c\d+::.*?\}\}.*", "", card.front, flags=re.DOTALL))[:6])
        id_words = " ".join(words_of(card.id))
        pages = [number for number, words in enumerate(page_words) if id_words in words]
        assert pages, card.id
        if opening not in page_words[pages[0]]:
            split += 1
            assert opening in page_words[pages[0] - 1], card.id
    assert split < len(content.cards) / 5


def test_running_header_names_the_chapter(guide: PdfReader, guide_pages: list[PageText], content: Content) -> None:
    """A chapter's pages after its first carry its title in the header, above the text."""
    starts = [page_number(guide, item) for item in _chapter_marks(guide)]
    titles = [item.title for item in _chapter_marks(guide)]
    checked = 0
    for title, start, following in zip(titles, starts, starts[1:], strict=False):
        if following - start >= 2:
            text = guide_pages[start + 1].words
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
    assert [item.title for item in top] == ["Contents", "How to use this guide", *parts, "Index", "Colophon"]
    design = guide.outline[guide.outline.index(top[parts.index("Distinguished Engineer") + 2]) + 1]
    assert isinstance(design, list)
    assert "System design round" in [item.title for item in design if not isinstance(item, list)]
    chapter = next(item for item in design if not isinstance(item, list) and item.title == "System design round")
    sections = design[design.index(chapter) + 1]
    assert len([item for item in sections if not isinstance(item, list)]) >= 3
    assert page_number(guide, chapter) + 1 > 2


def test_diagrams_print_as_vector_art(real_build: Built, guide_text: str) -> None:
    """The guide holds no raster image, and a diagram's labels are text in it."""
    assert b"/Subtype /Image" not in (real_build[0] / "peloton-prep-guide.pdf").read_bytes()
    assert "Classify outcome" in guide_text  # a label of diagrams/pat-retries.dot


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


def test_toc_page_numbers_match_chapter_starts(guide_pages: list[PageText], content: Content) -> None:
    """Each chapter's number in the table of contents is the page its title starts on."""
    toc = " ".join(page.words for page in guide_pages[1:4])
    starts = {}
    for number, page in enumerate(guide_pages, 1):
        text = page.words
        for part, name in content.nav:
            title = " ".join(content.pages[name].title.split())
            opens_chapter = f"{part.upper()} {title}" in text
            if part not in SITE_ONLY_SECTIONS and name not in starts and number > 4 and opens_chapter:
                starts[name] = number
    for name, number in starts.items():
        title = " ".join(content.pages[name].title.split())
        assert re.search(re.escape(title) + r"[ .]*" + str(number) + r"\b", toc), (title, number)
    assert len(starts) >= len([1 for part, _ in content.nav if part not in SITE_ONLY_SECTIONS]) - 2


def test_guide_is_reproducible(real_build: Built, browser: Browser, content: Content, tmp_path: Path) -> None:
    """Printing the same commit again gives a byte-identical PDF (its identifier is made from the
    release and the file's name, so the copy has the same name)."""
    again = tmp_path / "peloton-prep-guide-letter.pdf"
    write_guides(browser, book(content, tmp_path), current_release(ROOT), {"letter": again})
    assert again.read_bytes() == (real_build[0] / "peloton-prep-guide-letter.pdf").read_bytes()


# The text block's foot, in millimetres from the top of the A4 page (guide.css: 26 mm margins).
TEXT_BLOCK_FOOT = 297 - 26
MAX_BLANK_FOOT_MM = 40
PDFS = (
    "peloton-prep-guide.pdf", "peloton-prep-guide-letter.pdf", "peloton-prep-guide-compact.pdf",
    "peloton-prep-guide-compact-letter.pdf", "peloton-prep-cards.pdf", "peloton-prep-cards-letter.pdf",
)


def _chapter_pages(guide: PdfReader) -> tuple[list[int], int]:
    """The first page (from 0) of every chapter, and the first page of the back matter."""
    starts = [page_number(guide, item) for item in _chapter_marks(guide)]
    index = next(item for item in guide.outline if not isinstance(item, list) and item.title == "Index")
    return starts, page_number(guide, index)


def test_smallest_type_per_kind(guide_pages: list[PageText], real_build: Built) -> None:
    """Body text (Noto) never below 7 pt, diagram labels (DejaVu Sans) never below 7 pt, body at
    10.5 pt (Chromium did not shrink the pages), and no card back below 7.5 pt."""
    runs = [run for page in guide_pages for run in page.runs]
    body = [run.size for run in runs if run.font.startswith("Noto")]
    labels = [run.size for run in runs if run.font == "DejaVuSans"]
    assert min(body) >= 7.0 and min(labels) >= 7.0, (min(body), min(labels))
    assert max(set(body), key=body.count) == 10.5
    sheets = read_pages(real_build[0] / "peloton-prep-cards.pdf")
    backs = [run.size for page in sheets[3::2] for run in page.runs if not run.font.startswith("DejaVuSansMono")]
    assert min(backs) >= 7.5


def test_no_mid_chapter_page_ends_with_a_large_blank(guide: PdfReader, guide_pages: list[PageText],
                                                     real_build: Built) -> None:
    """Outside the last page of a chapter, no page's text ends more than 40 mm above the foot of
    the text block, in the full edition or the compact one."""
    compact = real_build[0] / "peloton-prep-guide-compact.pdf"
    assert blank_feet(guide, guide_pages) == {}
    assert blank_feet(PdfReader(compact), read_pages(compact)) == {}


def blank_feet(guide: PdfReader, pages: list[PageText]) -> dict[int, int]:
    """Each mid-chapter page (from 1) whose text ends more than 40 mm above the text block's foot,
    with that blank in millimetres."""
    starts, back_matter = _chapter_pages(guide)
    ends = {start - 1 for start in starts[1:]} | {back_matter - 1}
    blank = {}
    for number in range(starts[0], back_matter):
        bottoms = [bottom for bottom in pages[number].line_bottoms if bottom <= TEXT_BLOCK_FOOT + 1.5]
        if number not in ends and bottoms and TEXT_BLOCK_FOOT - max(bottoms) > MAX_BLANK_FOOT_MM:
            blank[number + 1] = round(TEXT_BLOCK_FOOT - max(bottoms))
    return blank


def test_every_cross_reference_carries_its_page(guide: PdfReader, guide_pages: list[PageText]) -> None:
    """Every link from a chapter to a place in the book is followed by "(p. N)", N being the page
    its named destination opens (on the link's page, or the next if the reference wraps)."""
    starts, back_matter = _chapter_pages(guide)
    checked = 0
    for number in range(starts[0], back_matter):
        for annotation in guide.pages[number].get("/Annots", []) or []:
            annotation = annotation.get_object()
            destination = annotation.get("/Dest")
            if destination is None or "--fn" in str(destination):
                continue
            target = page_number(guide, guide.named_destinations[str(destination)]) + 1
            nearby = guide_pages[number].words + " " + guide_pages[min(number + 1, back_matter)].words
            assert f"(p.\u00a0{target})" in nearby or f"(p. {target})" in nearby, (number + 1, destination, target)
            checked += 1
    assert checked > 150


def test_site_address_and_how_to_page(guide_pages: list[PageText], content: Content) -> None:
    """The cover and the how-to page give the downloads page's address (beside its QR code)."""
    address = content.site_url.rstrip("/") + "/guide/downloads/"
    cover = "".join(guide_pages[0].text.split()).replace("\ufffe", "-").replace("\u00ad", "")
    assert address in cover
    assert any("How to use this guide" in page.words and "From paper to the deck" in page.words
               for page in guide_pages[3:6])


def test_pdf_metadata_and_distinct_identifiers(real_build: Built) -> None:
    """Every PDF says its language, author and subject, and has a file identifier of its own."""
    identifiers = set()
    for name in PDFS:
        reader = PdfReader(real_build[0] / name)
        assert text(reader.trailer, "/Root", "/Lang") == "en", name
        assert reader.metadata is not None and reader.metadata.author and reader.metadata.subject, name
        identifiers.add(repr(entry(reader.trailer, "/ID", 0)))
    assert len(identifiers) == len(PDFS)


def test_compact_edition_has_no_cards(real_build: Built, content: Content) -> None:
    """The compact guide has the chapters and the glossary but none of the card blocks."""
    pages = PdfReader(real_build[0] / "peloton-prep-guide-compact.pdf").pages
    text = " ".join((page.extract_text() or "") for page in pages[-40:])
    assert "Glossary" in text or "Index" in text
    full = PdfReader(real_build[0] / "peloton-prep-guide.pdf")
    assert len(pages) < len(full.pages) * 0.8


def test_epub_passes_epubcheck(real_build: Built) -> None:
    """Debian's epubcheck finds no error and no warning in the EPUB."""
    result = subprocess.run(
        [*EPUBCHECK, str(real_build[0] / "peloton-prep-guide.epub")], capture_output=True, text=True, check=False
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0 and "No errors or warnings detected" in output, output[-3000:]


def test_epub_is_reproducible_and_reads_cards_question_first(real_build: Built, content: Content,
                                                             tmp_path: Path) -> None:
    """Writing the EPUB again gives the same bytes; a card shows its question, then its answer."""
    again = tmp_path / "again.epub"
    write_epub(content, current_release(ROOT), again)
    assert again.read_bytes() == (real_build[0] / "peloton-prep-guide.epub").read_bytes()
    with zipfile.ZipFile(again) as archive:
        assert archive.namelist()[0] == "mimetype" and archive.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
        chapter = archive.read("OEBPS/patterns-retries.xhtml").decode()
    assert chapter.index('class="question"') < chapter.index('class="answer"')
    assert 'href="patterns-' in chapter or 'href="de-' in chapter or 'href="glossary.xhtml' in chapter


def test_glossary_anchors_are_the_index_keys(content: Content) -> None:
    """Each glossary entry's anchor is its key's slug, so the index and cards can link to it."""
    markdown = content.pages["glossary.md"].markdown
    entries = glossary_entries(markdown)
    assert len(entries) >= 100
    for listed in entries:
        assert listed.anchor == slug(listed.key), listed.term
