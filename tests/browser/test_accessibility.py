"""Every page for every reader: axe-core everywhere, diagrams and code on a phone, the first visit, print, search."""

from __future__ import annotations

import json
import re
import subprocess
import time
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from . import axe
from .axe import MODES, PHONE_390, site_pages, sweep
from .conftest import ROUND_PAGE, Built, LoggedPages

DIAGRAM_PAGE = "patterns/retries/"
WIDE_DIAGRAM_PAGE = "patterns/offline-sync/"  # wider than a desktop screen at its legible size
SVG_VIEWBOX = re.compile(r'viewBox="[\d.]+ [\d.]+ ([\d.]+) ([\d.]+)"')
SVG_SCALE = re.compile(r'<g id="graph0" class="graph" transform="scale\(([\d.]+) ([\d.]+)\)')
FONT_SIZE = re.compile(r'font-size="([\d.]+)"')


def test_axe_finds_nothing_on_any_page_in_any_mode(browser: Browser, site_url: str, real_build: Built) -> None:
    """axe-core (all rules) on every built page and the 404 page, in light and dark, on a desktop
    and a 390 px phone, with every card open and the page scrolled through: no violations; nor
    does any page scroll sideways, nor any block scroll sideways without a tab stop and a name."""
    paths = site_pages(real_build[0] / "site")
    assert len(paths) > 30
    violations = [str(violation) for violation in sweep(browser, site_url, paths)]
    assert not violations, f"{len(violations)} violations:\n" + "\n".join(violations)



def test_an_audit_that_stalls_once_is_run_again(browser: Browser, site_url: str,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The first audit in each mode "stalls" (no outcome); the fresh page's clean audit of the
    404 page counts as clean, not as a second stall."""
    stalled: set[BrowserContext] = set()
    real_result = axe._audit_result

    def stalls_once(page: Page) -> list[dict[str, object]] | None:
        if page.context not in stalled:
            stalled.add(page.context)
            return None
        return real_result(page)

    monkeypatch.setattr(axe, "_audit_result", stalls_once)
    assert [str(violation) for violation in sweep(browser, site_url, ["404.html"])] == []
    assert len(stalled) == len(MODES)

def diagram_pages(site: Path) -> list[str]:
    return sorted(
        index.parent.relative_to(site).as_posix() + "/"
        for index in site.rglob("index.html")
        if "data-pp-diagram" in index.read_text(encoding="utf-8")
    )


def smallest_label(svg: str) -> float:
    """The smallest font size in an SVG, in its viewBox units after the graph's own scale."""
    scale = SVG_SCALE.search(svg)
    return min(float(size) for size in FONT_SIZE.findall(svg)) * (float(scale.group(1)) if scale else 1.0)


def test_every_diagram_opens_legible_on_a_phone(pages: LoggedPages, site_url: str, real_build: Built) -> None:
    """On a 390 px phone, tapping a diagram opens it full size with its smallest label at least
    11 CSS px (measured from the SVG's font sizes and the size it is drawn at); it pans and
    zooms, and Esc closes it and gives focus back to the diagram."""
    site = real_build[0] / "site"
    phone = pages.new(**PHONE_390)
    found = 0
    sizes: dict[str, float] = {}
    for path in diagram_pages(site):
        phone.goto(site_url + path)
        links = phone.locator("a[data-pp-diagram]")
        for index in range(links.count()):
            link = links.nth(index)
            svg = (site / urlsplit(link.evaluate("a => a.href")).path.lstrip("/")).read_text(encoding="utf-8")
            view_width = float(SVG_VIEWBOX.search(svg).group(1))  # type: ignore[union-attr]
            link.tap()
            image = phone.locator("dialog.pp-viewer[open] .pp-viewer__image")
            expect(image).to_be_visible()
            shown = image.evaluate("image => image.getBoundingClientRect().width")
            label = smallest_label(svg) * shown / view_width
            sizes[link.evaluate("a => a.getAttribute('href')")] = round(label, 1)
            assert label >= 11, f"{path}: a label is {label:.1f} px when the diagram opens"
            found += 1
            phone.keyboard.press("Escape")
            expect(phone.locator("dialog.pp-viewer")).not_to_be_visible()
    assert found >= 10, f"only {found} diagrams on {len(diagram_pages(site))} pages"
    print("smallest label when opened on a 390 px phone (CSS px):", json.dumps(sizes, indent=1))

    desktop = pages.new(**MODES["desktop dark"])
    desktop.goto(site_url + WIDE_DIAGRAM_PAGE)
    link = desktop.locator("a[data-pp-diagram]").first
    link.focus()
    desktop.keyboard.press("Enter")  # a link: the keyboard opens it too
    stage = desktop.locator(".pp-viewer__stage")
    expect(stage).to_be_focused()
    image = desktop.locator(".pp-viewer__image")
    assert "invert" in image.evaluate("image => getComputedStyle(image).filter")  # light lines in dark mode
    before = image.evaluate("image => image.getBoundingClientRect().width")
    desktop.keyboard.press("+")
    after = image.evaluate("image => image.getBoundingClientRect().width")
    assert after > before * 1.1
    left = image.evaluate("image => image.getBoundingClientRect().left")
    desktop.keyboard.press("ArrowRight")
    desktop.keyboard.press("ArrowRight")
    assert image.evaluate("image => image.getBoundingClientRect().left") < left
    box = stage.bounding_box()
    assert box is not None
    desktop.mouse.move(box["x"] + 200, box["y"] + 200)
    desktop.mouse.down()
    desktop.mouse.move(box["x"] + 300, box["y"] + 200, steps=4)
    desktop.mouse.up()
    assert image.evaluate("image => image.getBoundingClientRect().left") > left - 300
    desktop.keyboard.press("Escape")
    expect(desktop.locator("dialog.pp-viewer")).not_to_be_visible()
    expect(link).to_be_focused()


def test_code_scrolls_and_estimates_wrap_on_a_phone(pages: LoggedPages, site_url: str) -> None:
    """On a 390 px phone, estimates wrap within the column, and code that is wider than the
    screen scrolls in a focusable, named block that shows it scrolls."""
    phone = pages.new(**PHONE_390)
    phone.goto(site_url + ROUND_PAGE)
    prose = phone.locator(".pp-prose pre > code")
    assert prose.count() >= 3
    assert prose.evaluate_all("blocks => blocks.every(block => block.scrollWidth <= block.clientWidth + 1)")
    phone.goto(site_url + "de/coding/")
    code = phone.locator(".highlight:not(.pp-prose) pre > code").first
    code.scroll_into_view_if_needed()  # blocks are marked as they come near the screen
    expect(code).to_have_attribute("tabindex", "0")
    expect(code).to_have_attribute("aria-label", re.compile("scrolls sideways"))
    assert code.evaluate("code => code.scrollWidth > code.clientWidth")
    assert "gradient" in code.evaluate("code => getComputedStyle(code).backgroundImage")
    code.focus()
    phone.keyboard.press("ArrowRight")
    # The arrow key scrolls smoothly, over a few frames: wait for it to move.
    phone.wait_for_function("code => code.scrollLeft > 0", arg=code.element_handle(), timeout=5000)


# Pages whose scripts add to the page after it loads: the study tools, practice and the mock interview.
SCRIPTED_PAGES = ("de/study-plan/", "practice/", "mock-interview/", ROUND_PAGE)
# Lighthouse counts a cumulative layout shift under 0.1 as good.
GOOD_LAYOUT_SHIFT = 0.1


def late(route: Route) -> None:
    """A script that arrives 0.3 s late, after the page has been painted."""
    time.sleep(0.3)
    route.continue_()


@pytest.mark.parametrize("path", SCRIPTED_PAGES)
def test_nothing_moves_as_a_page_loads_on_a_phone(pages: LoggedPages, site_url: str, path: str) -> None:
    """What the page's scripts add once it has loaded does not push what a reader sees. The
    scripts arrive late, as on a slow phone, so the page has been painted before they run."""
    phone = pages.new(**PHONE_390)
    phone.route("**/assets/*.js", late)
    phone.goto(site_url + path)
    phone.wait_for_timeout(1000)
    # The buffered entries arrive in one callback; a page without a shift calls it never. Every
    # shift counts: the test gives no input, though Chromium may flag a shift as after input.
    shift = phone.evaluate("""() => new Promise(done => {
      new PerformanceObserver(list => done(list.getEntries().reduce((sum, entry) => sum + entry.value, 0)))
        .observe({type: "layout-shift", buffered: true});
      setTimeout(() => done(0), 1000);
    })""")
    assert shift < GOOD_LAYOUT_SHIFT, shift


def test_first_paint_is_in_the_readers_colour_scheme(pages: LoggedPages, site_url: str, requests: list[str]) -> None:
    """With a dark system theme the page is dark before the theme's script loads; a palette the
    reader chose wins over the system's."""
    dark = pages.new(**MODES["desktop dark"])
    dark.goto(site_url + ROUND_PAGE, wait_until="domcontentloaded")
    assert dark.evaluate("document.body.dataset.mdColorScheme") == "slate"
    background = dark.evaluate("getComputedStyle(document.body).backgroundColor")
    assert sum(map(int, re.findall(r"\d+", background)[:3])) < 150, background
    assert not [url for url in requests if "/javascripts/bundle." in url]

    chosen = pages.new(**MODES["desktop dark"])
    chosen.add_init_script(
        'localStorage.setItem(new URL("/", location).pathname + ".__palette", JSON.stringify('
        '{index: 0, color: {media: "(prefers-color-scheme: light)", scheme: "default"}}))'
    )
    chosen.goto(site_url + ROUND_PAGE, wait_until="domcontentloaded")
    assert chosen.evaluate("document.body.dataset.mdColorScheme") == "default"


def test_first_tap_on_search_focuses_it_on_a_phone(pages: LoggedPages, site_url: str, search_word: str) -> None:
    """On a phone, the first tap on the search icon opens search with its box focused (so the
    keyboard comes up), and what is typed finds results once the theme has loaded."""
    phone = pages.new(**PHONE_390)
    phone.goto(site_url)
    phone.locator('label.md-header__button[for="__search"]').tap()
    search = phone.locator("input.md-search__input")
    expect(search).to_be_focused()
    phone.keyboard.type(search_word, delay=30)
    expect(phone.locator(f'.md-search-result__link[href*="{ROUND_PAGE}"]').first).to_be_visible()


def test_printing_opens_every_card_in_light_colours(pages: LoggedPages, site_url: str, tmp_path: Path) -> None:
    """Printing straight after the page loads, in dark mode, prints every answer, on white, with
    dark diagrams; afterwards the page is as the reader left it."""
    page = pages.new(**MODES["desktop dark"])
    page.goto(site_url + DIAGRAM_PAGE, wait_until="load")
    cards = page.locator("details.pp-card")
    assert cards.count() > 0
    answer = cards.first.locator("p").first.inner_text()
    pdf = tmp_path / "printed.pdf"
    pdf.write_bytes(page.pdf())
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert " ".join(answer.split())[:60] in " ".join(text.split())
    expect(page.locator("details.pp-card[open]")).to_have_count(0)
    assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"

    page.emulate_media(media="print")
    page.evaluate("dispatchEvent(new Event('beforeprint'))")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") in (
        "rgb(255, 255, 255)",
        "rgba(0, 0, 0, 0)",
    )
    assert page.locator(".pp-diagram img").first.evaluate("image => getComputedStyle(image).filter") == "none"
    expect(page.locator("details.pp-card:not([open])")).to_have_count(0)
    page.evaluate("dispatchEvent(new Event('afterprint'))")
    expect(page.locator("details.pp-card[open]")).to_have_count(0)


def answer_only_word(page: Page) -> tuple[str, str]:
    """A word that appears in one card's answer on the page and nowhere else, with the card's id."""
    found: list[str] = page.evaluate(
        """() => {
          const words = text => new Set(text.toLowerCase().match(/[a-z]{7,}/g) || []);
          const main = document.querySelector("article").cloneNode(true);
          main.querySelectorAll("details.pp-card > :not(summary), .pp-search-only").forEach(el => el.remove());
          const elsewhere = words(main.textContent);
          for (const card of document.querySelectorAll("details.pp-card")) {
            const answer = [...card.children].filter(el => el.tagName !== "SUMMARY")
              .map(el => el.textContent).join(" ");
            const others = [...document.querySelectorAll("details.pp-card")].filter(c => c !== card)
              .map(c => c.textContent.toLowerCase()).join(" ");
            for (const word of words(answer)) {
              if (!elsewhere.has(word) && !others.includes(word)) return [word, card.id];
            }
          }
          return [];
        }"""
    )
    assert found, "no word only in one card's answer"
    return found[0], found[1]


def test_a_search_result_opens_the_card_that_holds_it(page: Page, site_url: str) -> None:
    """A search for words only in a card's answer leads to that card, opened, its words highlighted."""
    page.goto(site_url + ROUND_PAGE)
    word, card = answer_only_word(page)
    page.goto(site_url)
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially(word, delay=30)
    page.locator(f'.md-search-result__link[href*="{ROUND_PAGE}?h={word}#"]').first.click()
    expect(page.locator(f"#{card}")).to_have_attribute("open", "")
    expect(page.locator(f"#{card} mark").first).to_be_in_viewport()


def test_search_index_lists_table_rows_and_each_cloze_card_once(real_build: Built) -> None:
    """In the search index a table is one line a row, each cell after its column's heading, not
    its cells run together; a cloze card's text appears once, not as question and answer."""
    site = real_build[0] / "site"
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    assert not [doc["location"] for doc in docs if "[…]" in doc["text"]]
    tables = [doc for doc in docs if doc["location"] == "trade-offs/#latency-budgets"]
    assert tables and "<li>" in tables[0]["text"] and "Number or rule: " in tables[0]["text"]
    assert "Fact Number or rule" not in tables[0]["text"]


def test_downloads_page_leads_with_the_release_and_how_to_import(page: Page, site_url: str) -> None:
    """The downloads section starts with the release's version and date and how to import the deck."""
    page.goto(site_url + "guide/downloads/")
    release = page.locator(".pp-release")
    expect(release).to_contain_text(re.compile(r"Release \d{4}\.\d\d\.\d\d-[\w-]+, content as of \d{4}-\d\d-\d\d"))
    intro = release.locator("xpath=following-sibling::p[1]")
    expect(intro.get_by_role("link", name="Import into Anki")).to_be_visible()
    table = page.locator("table.pp-downloads")
    assert release.evaluate(
        "(a, b) => !!(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING)", table.element_handle()
    )
    assert table.evaluate("table => getComputedStyle(table.querySelector('th')).fontWeight") == "700"


def test_404_page_offers_a_way_on_online_and_offline(
    browser: Browser, site_url: str, real_build: Built, tmp_path: Path
) -> None:
    """The 404 page links home and to practice; in the offline zip every reference it makes resolves."""
    context = browser.new_context(**MODES["phone light"])
    context.route(
        "**/peloton-prep/**", lambda route: route.continue_(url=route.request.url.replace("/peloton-prep/", "/", 1))
    )
    page = context.new_page()
    page.goto(site_url + "404.html")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.locator("article").get_by_role("link", name="Start from the home page")).to_be_visible()
    page.locator("article").get_by_role("link", name="practise with the flashcards").click()
    expect(page).to_have_url(re.compile(r"/practice/$"))
    expect(page.locator("#pp-practice")).to_be_attached()
    context.close()

    with zipfile.ZipFile(real_build[0] / "peloton-prep-offline.zip") as archive:
        archive.extractall(tmp_path)
    html = (tmp_path / "404.html").read_text(encoding="utf-8")
    references = re.findall(r'(?:href|src)="([^"#?]+)', html)
    local = [ref for ref in references if not re.match(r"[a-z]+:", ref)]
    broken = sorted({ref for ref in local if not (tmp_path / unquote(ref)).exists()})
    assert len(local) > 20 and not broken, broken


def test_page_title_has_no_blank_line_on_a_phone(pages: LoggedPages, site_url: str) -> None:
    """A one-line page title takes one line on a phone: its hidden permalink no longer wraps."""
    phone = pages.new(**PHONE_390)
    phone.goto(site_url + "mistakes/")
    h1 = phone.locator("h1").first
    height, line = h1.evaluate("h => [h.getBoundingClientRect().height, parseFloat(getComputedStyle(h).lineHeight)]")
    assert height < line * 1.5, (height, line)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_current_page_stands_out_in_the_nav(pages: LoggedPages, site_url: str, scheme: str) -> None:
    """The current page's nav entry is bold and in the accent colour, not a near-identical shade."""
    page = pages.new(**MODES[f"desktop {scheme}"])
    page.goto(site_url + ROUND_PAGE)
    current = page.locator(".md-nav--primary a.md-nav__link--active")
    other = page.locator(".md-nav--primary a.md-nav__link:not(.md-nav__link--active)").first
    assert current.evaluate("a => getComputedStyle(a).fontWeight") == "700"
    assert current.evaluate("a => getComputedStyle(a).color") != other.evaluate("a => getComputedStyle(a).color")


def test_home_page_links_look_like_links(page: Page, site_url: str) -> None:
    """The home page's three ways to study are underlined links, not bold text."""
    page.goto(site_url)
    links = page.locator("article dt > a")
    assert links.count() == 3
    assert links.evaluate_all("links => links.every(a => getComputedStyle(a).textDecorationLine === 'underline')")


def test_practice_checkboxes_show_focus_and_questions_are_announced(page: Page, site_url: str) -> None:
    """The round checkboxes show a focus ring from the keyboard; a new card's question is in a
    live region; "2" does nothing until the card has been turned over."""
    page.goto(site_url + "practice/")
    box = page.get_by_role("group", name="Distinguished Engineer").get_by_role(
        "checkbox", name=re.compile("^System Design")
    )
    box.focus()
    page.keyboard.press("Space")
    assert box.evaluate("box => getComputedStyle(box).outlineStyle") != "none"
    page.get_by_role("button", name="Start").click()
    front = page.locator(".pp-front")
    expect(front).to_have_attribute("aria-live", "polite")
    counts = page.locator(".pp-counts")
    expect(counts).to_have_text(re.compile(r"0 answers this session$"))
    page.keyboard.press("2")
    expect(counts).to_have_text(re.compile(r"0 answers this session$"))
    page.keyboard.press("Space")
    page.keyboard.press("2")
    expect(counts).to_have_text(re.compile(r"1 answer this session$"))
