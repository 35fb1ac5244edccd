"""Screenshots of the built site in Debian's Chromium: the home page and a round page, on a desktop and a phone;
and one image of the printed guide.

Usage: .venv/bin/python scripts/screenshots.py BUILD_SITE_DIR OUT_DIR

Writes OUT_DIR/home-desktop.png, home-phone.png, round-desktop.png and round-phone.png; the round page
(de/system-design) is shown with its first card's answer open. Then the study tools: practice-phone.png
(a card turned over), mock-phone.png (a mock interview's second phase), plan-desktop.png (the study plan
with an interview date and ticks) and progress-desktop.png (Your progress, just exported).
Then OUT_DIR/guide-pages.png: the A4
guide's cover, contents and the first page of a design chapter, and the first sheet of cut-out cards,
rendered by pdftoppm from the PDFs beside BUILD_SITE_DIR and set side by side.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

from playwright.sync_api import Browser, Page
from pypdf import PdfReader

# The browser tests' helpers, by the name pytest (and mypy) give them: tests/ is not a package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from browser.chromium import DESKTOP, PHONE, serve  # noqa: E402
from peloton_prep.pdf.chromium import chromium  # noqa: E402

ROUND_PAGE = "de/system-design/"
SIZES = {"desktop": DESKTOP, "phone": PHONE}
DESIGN_CHAPTER = "Offline workout sync"
# Scroll down to an element, leaving room for the sticky header.
SCROLL_TO = "(node, header) => window.scrollTo(0, node.getBoundingClientRect().top + scrollY - header)"


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


def study_tools(browser: Browser, url: str, out: Path) -> list[Path]:
    """The study tools: practice on a phone, the ticked plan with dates, a mock interview, and Your progress."""
    written = []
    phone = browser.new_context(**PHONE)
    desktop = browser.new_context(**DESKTOP)
    try:
        page = phone.new_page()
        page.goto(url + "practice/", wait_until="load")
        page.get_by_role("group", name="Distinguished Engineer").get_by_role("checkbox", name="System Design").tap()
        page.get_by_role("button", name="Start").tap()
        page.locator(".pp-front").tap()
        page.locator(".pp-session").evaluate(SCROLL_TO, 60)
        written.append(snap(page, out / "practice-phone.png"))

        page.goto(url + "mock-interview/", wait_until="load")
        page.get_by_role("group", name="Distinguished Engineer").get_by_role("radio", name="System design").tap()
        page.get_by_role("button", name="Draw a prompt and start").tap()
        page.evaluate("document.querySelector('.pp-mock-next').click()")  # a tap would scroll to the button
        written.append(snap(page, out / "mock-phone.png", wait=3400))  # after the phase cue's flash

        page = desktop.new_page()
        page.goto(url + "de/study-plan/", wait_until="load")
        interview = date.today() + timedelta(days=45)
        page.get_by_label("Your interview date:").fill(interview.isoformat())
        for index in range(3):
            page.locator("#week-1 ~ ul li.task-list-item label").nth(index).click()
        page.reload(wait_until="load")  # from the top, so the scroll below goes down (no "Back to top")
        page.locator("#phase-1-foundations").evaluate(SCROLL_TO, 72)
        written.append(snap(page, out / "plan-desktop.png"))

        page.goto(url + "practice/", wait_until="load")
        page.get_by_role("button", name="Select all").click()
        page.locator("#your-progress").evaluate(SCROLL_TO, 72)
        page.get_by_role("button", name="Export progress").click()
        written.append(snap(page, out / "progress-desktop.png"))
    finally:
        phone.close()
        desktop.close()
    return written


def snap(page: Page, target: Path, wait: int = 400) -> Path:
    page.wait_for_timeout(wait)
    page.screenshot(path=str(target))
    return target


def chapter_page(guide: Path, title: str) -> int:
    """The page number (from 1) where the guide's bookmark `title` points, searched two levels deep."""
    reader = PdfReader(guide)
    for part in reader.outline:
        for item in part if isinstance(part, list) else [part]:
            if not isinstance(item, list) and item.title == title:
                page = reader.get_destination_page_number(item)
                if page is not None:
                    return page + 1
    raise LookupError(f"no bookmark {title!r} in {guide}")


def pdf_page_png(pdf: Path, number: int, folder: Path) -> Path:
    """One page of a PDF as a PNG at 50 dpi, drawn by Poppler's pdftoppm."""
    stem = folder / f"{pdf.stem}-{number}"
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-singlefile", "-f", str(number), "-l", str(number),
                    str(pdf), str(stem)], check=True)
    return stem.with_suffix(".png")


def shoot_guide(browser: Browser, build: Path, out: Path) -> Path:
    """The guide's cover, contents and a design chapter, and a card sheet, side by side on grey."""
    guide, cards = build / "peloton-prep-guide.pdf", build / "peloton-prep-cards.pdf"
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        pages = [pdf_page_png(guide, number, folder) for number in (1, 2, chapter_page(guide, DESIGN_CHAPTER))]
        pages.append(pdf_page_png(cards, 1, folder))
        images = "".join(f'<img src="{page.as_uri()}">' for page in pages)
        (folder / "sheet.html").write_text(
            "<body style='margin:0'><div id='pages' style='display:inline-flex;gap:16px;padding:16px;"
            f"background:#d4d4d4'>{images}</div></body>"
        )
        page = browser.new_page(viewport={"width": 2000, "height": 800})
        page.goto((folder / "sheet.html").as_uri(), wait_until="load")
        target = out / "guide-pages.png"
        page.locator("#pages").screenshot(path=str(target))
        page.close()
    return target


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    site, out = Path(argv[1]), Path(argv[2])
    if not (site / "index.html").is_file():
        print(f"{site}: no index.html here; build the site first (peloton-prep build)", file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True)
    with serve(site) as url, chromium() as browser:
        written = shoot(browser, url, out)
        written.extend(study_tools(browser, url, out))
        written.append(shoot_guide(browser, site.parent, out))
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
