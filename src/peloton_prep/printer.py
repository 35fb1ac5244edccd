"""Print HTML to PDF with Debian's Chromium: the guide and the card sheets are typeset here.

Chromium lays out a 200-page book in about two seconds, against half a minute for a Python
typesetter, and embeds subsets of the fonts it uses. Its PDFs are byte-for-byte repeatable
except for the two dates it takes from the clock, which `stamped` replaces with the release's; it
also gives the file the release's version as its identifier, which Chromium leaves out.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from playwright.sync_api import Browser, BrowserType, Error, Page, sync_playwright

from .pdftrailer import last_trailer
from .release import Release

# Debian's Chromium; Playwright's own browser downloads are never used.
EXECUTABLE = os.environ.get("PELOTON_PREP_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# With TZ=UTC Chromium writes every date in this one form, so a replacement keeps its length.
CLOCK_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}\+00'00'\)")
MEDIA_BOX = re.compile(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]")
POINTS_PER_MM = 72 / 25.4
# Paper sizes in millimetres, portrait. Documents are laid out on A4 and shown on the others
# through a page box of their size (`reboxed`).
PAPER_MM = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}


class PrinterError(Exception):
    """Chromium is missing or could not print; the message says what to do."""


def launch_chromium(browser_type: BrowserType) -> Browser:
    """Headless Chromium with no background traffic of its own, dating its PDFs in UTC."""
    return browser_type.launch(executable_path=EXECUTABLE, args=ARGS, headless=True, env={**os.environ, "TZ": "UTC"})


@contextmanager
def chromium() -> Iterator[Browser]:
    """One browser for a batch of documents; a missing Chromium is a clear error, not a trace."""
    if not Path(EXECUTABLE).exists():
        raise PrinterError(
            f"Chromium not found at {EXECUTABLE}: run scripts/system-deps (or set PELOTON_PREP_CHROMIUM)"
        )
    with sync_playwright() as playwright:
        try:
            browser = launch_chromium(playwright.chromium)
        except Error as error:
            raise PrinterError(f"Chromium at {EXECUTABLE} did not start: {error.message}") from error
        try:
            yield browser
        finally:
            browser.close()


def open_document(browser: Browser, html: str, source: Path) -> Page:
    """Load the HTML from the file `source`, so the file URLs of its images resolve, fonts ready."""
    source.write_text(html, encoding="utf-8")
    page = browser.new_page()
    page.goto(source.as_uri(), wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")
    return page


def pdf_bytes(page: Page) -> bytes:
    """The page as an untagged PDF at its CSS page size (pdfoutline adds bookmarks)."""
    return page.pdf(prefer_css_page_size=True, print_background=True, tagged=False, outline=False)


def stamped(pdf: bytes, release: Release) -> bytes:
    """The release's time for the clock's creation and modification dates (in place, same length),
    and the release's version as the file identifier in the last trailer."""
    stamp = datetime.fromtimestamp(release.timestamp, UTC).strftime("D:%Y%m%d%H%M%S+00'00'").encode()
    pdf = CLOCK_DATE.sub(lambda found: b"/" + found.group(1) + b" (" + stamp + b")", pdf)
    version = release.version.encode().replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    trailer = last_trailer(pdf)
    if trailer is None:
        raise PrinterError("Chromium's PDF has no trailer at its end")
    # Only startxref follows the trailer, and it points before it: the dictionary can grow in place.
    identifier = b"\n/ID [(" + version + b") (" + version + b")]"
    return pdf[: trailer.entries_end] + identifier + pdf[trailer.entries_end :]


def reboxed(pdf: bytes, width_mm: float, height_mm: float) -> bytes:
    """Show every page through a page box of another size, centred on the page it replaces.

    Nothing is laid out again: text, links and bookmarks keep their coordinates, so a text block
    that fits both papers prints on the second without a second typesetting. The new box is
    padded to the old one's length, which keeps every byte offset in the file valid.
    """

    def centred(found: re.Match[bytes]) -> bytes:
        old_width, old_height = float(found.group(1)), float(found.group(2))
        width, height = width_mm * POINTS_PER_MM, height_mm * POINTS_PER_MM
        left, bottom = (old_width - width) / 2, (old_height - height) / 2
        box = f"/MediaBox [{left:.1f} {bottom:.1f} {left + width:.1f} {bottom + height:.1f}".encode()
        if len(box) >= len(found.group(0)):
            raise PrinterError(f"page box {box.decode()}] is longer than Chromium's {found.group(0).decode()}")
        return box.ljust(len(found.group(0)) - 1) + b"]"

    return MEDIA_BOX.sub(centred, pdf)


def write_papers(a4_pdf: bytes, targets: dict[str, Path]) -> None:
    """Write a PDF laid out on A4 to each paper's file (paper name to path)."""
    for paper, target in targets.items():
        target.write_bytes(a4_pdf if paper == "a4" else reboxed(a4_pdf, *PAPER_MM[paper]))
