"""Print HTML to PDF with Debian's Chromium: the guide and the card sheets are typeset here.

Chromium lays out a 200-page book in about two seconds, against half a minute for a Python
typesetter, and embeds subsets of the fonts it uses (`edits` makes its bytes repeatable).

The documents hold card text, which is contributor input, so the browser that prints them is
locked down: page scripts are off (only our own `evaluate` calls run), every request other than
a file inside the document's own folder is aborted, host names resolve to nothing, and each
document has a time limit that ends in a clear error.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

from playwright.sync_api import Browser, BrowserType, Error, Page, Route, ViewportSize, sync_playwright

from peloton_prep.errors import PelotonPrepError, ToolMissing

# Debian's Chromium; Playwright's own browser downloads are never used.
EXECUTABLE = os.environ.get("PELOTON_PREP_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # No name lookups but loopback (the browser tests): the build needs no network, and Chromium
    # otherwise looks up Google's hosts.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
]
# Playwright's own default screen.
DEFAULT_VIEWPORT: ViewportSize = {"width": 1280, "height": 720}
# Seconds a document may take to load, lay out or print before the build gives up on it.
TIME_LIMIT = 120


class PrinterError(PelotonPrepError):
    """A document could not be printed; the message names it and says why."""


def launch_chromium(browser_type: BrowserType) -> Browser:
    """Headless Chromium with no background traffic of its own, dating its PDFs in UTC."""
    return browser_type.launch(executable_path=EXECUTABLE, args=ARGS, headless=True, env={**os.environ, "TZ": "UTC"})


@contextmanager
def chromium() -> Iterator[Browser]:
    """One browser for a batch of documents; a missing Chromium is a clear error, not a trace."""
    if not Path(EXECUTABLE).exists():
        raise ToolMissing(
            f"Chromium not found at {EXECUTABLE}: run scripts/system-deps (or set PELOTON_PREP_CHROMIUM)"
        )
    with sync_playwright() as playwright:
        try:
            browser = launch_chromium(playwright.chromium)
        except Error as error:
            raise ToolMissing(f"Chromium at {EXECUTABLE} did not start: {error.message}") from error
        try:
            yield browser
        finally:
            browser.close()


# Every @font-face, loaded before anything is laid out for print. `document.fonts.ready` alone
# waits only for faces already requested, and a face whose glyphs few lines use (the symbol
# fonts) is requested during layout and arrives a moment later: on a busy machine a printing
# could then run with a stand-in font, and two builds of one commit differ.
LOAD_FONTS = "Promise.all([...document.fonts].map(face => face.load())).then(() => document.fonts.ready, () => true)"
# Nor is anything laid out before then, as a page shows itself while its fonts load: a layout
# made with a stand-in font leaves marks that later layouts keep. In one clean-clone run a link
# laid out that way kept a box of its own and printed as one link rectangle instead of one per
# run of text, and the guide differed from a second printing by three annotations.
HOLD_LAYOUT = '<style id="pp-hold-layout">html { display: none !important; }</style>'
RELEASE_LAYOUT = "document.getElementById('pp-hold-layout').remove()"


def open_document(browser: Browser, html: str, source: Path, viewport: ViewportSize | None = None) -> Page:
    """Load the HTML from the file `source`, so the file URLs of its images (beside it) resolve,
    with its fonts ready; nothing outside `source`'s folder can load. `viewport` is the screen it
    is laid out on before printing, given here rather than resized after load: a measurement
    taken before a resize had reached the page would see the old width."""
    source.write_text(held(html), encoding="utf-8")
    context = browser.new_context(java_script_enabled=False, service_workers="block", offline=True,
                                  viewport=viewport or DEFAULT_VIEWPORT)
    context.set_default_timeout(TIME_LIMIT * 1000)
    folder = source.parent.resolve()
    context.route("**/*", lambda route: _only_inside(route, folder))
    page = context.new_page()
    try:
        page.goto(source.as_uri(), wait_until="load")
        page.evaluate(LOAD_FONTS)
        page.evaluate(RELEASE_LAYOUT)
    except Error as error:
        context.close()
        raise PrinterError(f"{source.name}: Chromium could not load it: {error.message.splitlines()[0]}") from error
    return page


def held(html: str) -> str:
    """The document with HOLD_LAYOUT at the start of its head (one the parser makes, if the
    document leaves it out: a style before `<html>` opens the head)."""
    if "<head>" in html:
        return html.replace("<head>", "<head>" + HOLD_LAYOUT, 1)
    doctype, closed, rest = html.partition(">") if html.startswith("<!DOCTYPE") else ("", "", html)
    return doctype + closed + HOLD_LAYOUT + rest


def _only_inside(route: Route, folder: Path) -> None:
    url = route.request.url
    path = Path(unquote(urlsplit(url).path))
    if url.startswith("file://") and path.resolve().is_relative_to(folder):
        route.continue_()
    else:
        route.abort("blockedbyclient")


def pdf_bytes(page: Page) -> bytes:
    """The page as an untagged PDF at its CSS page size (outline.py adds bookmarks)."""
    try:
        return page.pdf(prefer_css_page_size=True, print_background=True, tagged=False, outline=False)
    except Error as error:
        raise PrinterError(f"Chromium could not print: {error.message.splitlines()[0]}") from error


def close_document(page: Page) -> None:
    page.context.close()


