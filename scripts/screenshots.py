"""Screenshots of the built site in Debian's Chromium: the home page and a round page, on a desktop and a phone.

Usage: .venv/bin/python scripts/screenshots.py BUILD_SITE_DIR OUT_DIR

Writes OUT_DIR/home-desktop.png, home-phone.png, round-desktop.png and round-phone.png; the round page
(de/system-design) is shown with its first card's answer open.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser.chromium import DESKTOP, PHONE, launch, serve  # noqa: E402

ROUND_PAGE = "de/system-design/"
SIZES = {"desktop": DESKTOP, "phone": PHONE}


def open_first_card(page: Page) -> None:
    """Open the first card's answer and scroll so the question sits below the header."""
    card = page.locator("details.pp-card").first
    card.locator("summary").click()
    # One scroll down, clear of the header: scrolling up would bring out the "Back to top" button.
    card.evaluate("card => window.scrollTo(0, card.getBoundingClientRect().top + window.scrollY - 72)")


def shoot(browser: Browser, url: str, out: Path) -> list[Path]:
    written = []
    for size, options in SIZES.items():
        context = browser.new_context(**options)
        try:
            page = context.new_page()
            for name, path in (("home", ""), ("round", ROUND_PAGE)):
                page.goto(url + path, wait_until="load")
                if name == "round":
                    open_first_card(page)
                page.wait_for_timeout(400)  # let the header and scroll settle
                target = out / f"{name}-{size}.png"
                page.screenshot(path=str(target))
                written.append(target)
        finally:
            context.close()
    return written


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    site, out = Path(argv[1]), Path(argv[2])
    if not (site / "index.html").is_file():
        print(f"{site}: no index.html here; build the site first (peloton-prep build)", file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True)
    with serve(site) as url, sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            written = shoot(browser, url, out)
        finally:
            browser.close()
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
