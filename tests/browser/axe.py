"""axe-core over the built site: every page, light and dark, desktop and 390 px phone, scrolled through.

One browser and one context per mode. `sweep` yields the violations per page and mode; the test
asserts there are none, and `python -m tests.browser.axe build/site` prints them all.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .chromium import DESKTOP, PHONE

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
AXE_URL = "/__tests__/axe.min.js"

PHONE_390: dict[str, Any] = {**PHONE, "viewport": {"width": 390, "height": 844}}
MODES: dict[str, dict[str, Any]] = {
    "desktop light": {**DESKTOP, "color_scheme": "light"},
    "desktop dark": {**DESKTOP, "color_scheme": "dark"},
    "phone light": {**PHONE_390, "color_scheme": "light"},
    "phone dark": {**PHONE_390, "color_scheme": "dark"},
}

# Started in every mode's page at once and awaited after, so the four renderers work side by
# side. A reader's view: the theme's script loaded (a first scroll starts it), every card
# opened, every image loaded, the page scrolled through a screen at a time, then axe with all
# its rules. Then two checks of our own: the page is
# no wider than the screen, and whatever scrolls sideways can be focused and has a name
# (peloton-prep.js marks such blocks a frame after they change).
AUDIT = """axeUrl => {
  // A frame, or 100 ms: Chromium may stop drawing a page it thinks nobody sees, and then
  // requestAnimationFrame never calls back.
  const frame = () => new Promise(done => { requestAnimationFrame(() => done()); setTimeout(done, 100); });
  // The outcome lands in window.__ppAuditDone, which Python polls with a limit of its own: a
  // page whose timers have stalled cannot time itself out.
  delete window.__ppAuditDone;
  const stage = name => { window.__ppAuditStage = name; };
  const scrollsSideways = el =>
    el.scrollWidth > el.clientWidth + 1 && /auto|scroll/.test(getComputedStyle(el).overflowX);
  const named = el => el.tabIndex >= 0 && Boolean(el.getAttribute("aria-label") || el.tagName === "TABLE");
  (async () => {
    stage("theme script");
    // A reader's first scroll starts the theme's script; audit the page once it has settled.
    dispatchEvent(new Event("scroll"));
    for (let waited = 0; typeof window.document$ === "undefined" && waited < 5000; waited += 50) {
      await new Promise(done => setTimeout(done, 50));
    }
    stage("idle");
    await new Promise(done => requestIdleCallback(done, {timeout: 2000}));
    stage("scroll");
    document.querySelectorAll("details:not([open])").forEach(details => { details.open = true; });
    document.querySelectorAll("img[loading=lazy]").forEach(image => { image.loading = "eager"; });
    for (let y = 0; y < document.documentElement.scrollHeight; y += innerHeight) {
      scrollTo(0, y);
      await frame();
      await frame();
    }
    stage("images");
    const images = [...document.images].filter(image => !image.complete);
    await Promise.race([
      Promise.all(images.map(image => new Promise(done => { image.onload = image.onerror = done; }))),
      new Promise(done => setTimeout(done, 3000)),
    ]);
    // peloton-prep.js marks a block that scrolls sideways once it comes near the screen, as a
    // reader's scroll brings it; on a busy machine the scroll above can pass a block before its
    // observer reports it. Bring each unmarked one into view, as a reader would, and give it a
    // second: one still unmarked is a finding below.
    stage("scrollers");
    for (const el of [...document.querySelectorAll(".md-content *")].filter(el => scrollsSideways(el) && !named(el))) {
      el.scrollIntoView({block: "center"});
      for (let waited = 0; !named(el) && waited < 1000; waited += 50) {
        await new Promise(done => setTimeout(done, 50));
      }
    }
    scrollTo(0, 0);
    stage("load axe");
    await new Promise((done, fail) => {
      const script = document.createElement("script");
      script.src = axeUrl;
      script.onload = done;
      script.onerror = () => fail(new Error("axe did not load"));
      document.head.appendChild(script);
    });
    await frame();
    await frame();
    await frame();
    stage("axe.run");
    const result = await axe.run(document, {resultTypes: ["violations"]});
    const found = result.violations.map(v => ({
      id: v.id, help: v.help, targets: v.nodes.map(n => n.target.join(" ")),
    }));
    const name = el => el.tagName.toLowerCase() + (typeof el.className === "string" && el.className
      ? "." + el.className.trim().split(/\\s+/).join(".") : "");
    const width = document.documentElement.scrollWidth;
    if (width > innerWidth) {
      const wide = [...document.querySelectorAll("body *")]
        .filter(el => el.getBoundingClientRect().right > innerWidth + 1 && !el.closest(".md-sidebar, .md-search"));
      found.push({id: "page-overflow", help: `the page is ${width} px wide on a ${innerWidth} px screen`,
                  targets: wide.slice(0, 5).map(name)});
    }
    const stuck = [...document.querySelectorAll(".md-content *")].filter(el => scrollsSideways(el) && !named(el));
    if (stuck.length) {
      found.push({id: "scroller-not-focusable", help: "a block that scrolls sideways has no tab stop or no name",
                  targets: stuck.map(name)});
    }
    return found;
  })().then(found => { window.__ppAuditDone = found; },
            error => { window.__ppAuditDone = [{id: "audit-failed", help: String(error), targets: []}]; });
}"""


@dataclass(frozen=True)
class Violation:
    page: str
    mode: str
    rule: str
    help: str
    targets: tuple[str, ...]

    def __str__(self) -> str:
        shown = ", ".join(self.targets[:3]) + (f" and {len(self.targets) - 3} more" if len(self.targets) > 3 else "")
        return f"{self.page or '/'} [{self.mode}] {self.rule}: {self.help} ({shown})"


def axe_source() -> str:
    """The vendored axe-core, checked against the hash its README records."""
    data = AXE.read_bytes()
    if hashlib.sha256(data).hexdigest() != AXE_SHA256:
        raise RuntimeError(f"{AXE} is not the axe-core recorded in vendor/README.md")
    return data.decode()


def site_pages(site: Path) -> list[str]:
    """Every built page as a path under the site's root ("" for the home page), and the 404 page."""
    paths = sorted(index.parent.relative_to(site).as_posix() for index in site.rglob("index.html"))
    return ["" if path == "." else path + "/" for path in paths] + ["404.html"]


def sweep(browser: Browser, base: str, paths: list[str]) -> Iterator[Violation]:
    """Audit every path in every mode: one context per mode, the four audits of a page at once."""
    source = axe_source()
    contexts: list[BrowserContext] = []
    pages: dict[str, Page] = {}
    try:
        for mode, options in MODES.items():
            context = browser.new_context(**options)
            context.set_default_timeout(60_000)
            context.route(f"**{AXE_URL}", lambda route: route.fulfill(body=source, content_type="text/javascript"))
            # The 404 page links from the published site's root (/peloton-prep/); here that is /.
            context.route("**/peloton-prep/**", lambda route: route.continue_(url=_unprefixed(route.request.url)))
            contexts.append(context)
            pages[mode] = context.new_page()
        for path in paths:
            for page in pages.values():
                _start_audit(page, base + path)
            for mode, page in list(pages.items()):
                found = _audit_result(page)
                if found is None:
                    # In 3 of about 10 full suite runs today one audit never finished, with its
                    # renderer idle (timers and frames no longer running): the same audit once
                    # more in a fresh page; a second stall is a finding.
                    page.close()
                    pages[mode] = page = page.context.new_page()
                    _start_audit(page, base + path)
                    found = _audit_result(page)
                    if found is None:  # an empty list is a clean audit, not a stall
                        found = [{"id": "audit-stalled", "help": STALLED, "targets": [audit_stage(page)]}]
                for item in found:
                    yield Violation(path, mode, item["id"], item["help"], tuple(item["targets"]))
    finally:
        for context in contexts:
            context.close()


# Seconds an audit may take; a long round page takes about 10 in each mode.
AUDIT_LIMIT = 90
STALLED = f"the audit did not finish within {AUDIT_LIMIT} s, twice; the second stopped at"


def _start_audit(page: Page, url: str) -> None:
    page.goto(url, wait_until="load")
    page.evaluate(AUDIT, AXE_URL)


def audit_stage(page: Page) -> str:
    """How far a stalled audit got, or that its page no longer answers."""
    try:
        return str(page.wait_for_function("() => window.__ppAuditStage || 'not started'", timeout=5000).json_value())
    except PlaywrightTimeout:
        return "page not answering"


def _audit_result(page: Page) -> list[dict[str, Any]] | None:
    """The audit's findings, or None if it did not finish in time. Playwright's own timer keeps
    the limit, so a page that stalls cannot hold the sweep."""
    try:
        page.wait_for_function("() => window.__ppAuditDone !== undefined", timeout=AUDIT_LIMIT * 1000, polling=250)
    except PlaywrightTimeout:
        return None
    found: list[dict[str, Any]] = page.evaluate("() => window.__ppAuditDone")
    return found


def _unprefixed(url: str) -> str:
    return url.replace("/peloton-prep/", "/", 1)


def main(argv: list[str]) -> int:
    from peloton_prep.pdf.chromium import chromium

    from .chromium import serve

    site = Path(argv[0] if argv else "build/site")
    paths = argv[1:] or site_pages(site)
    count = 0
    with serve(site) as base, chromium() as browser:
        for violation in sweep(browser, base, paths):
            count += 1
            print(violation, flush=True)
    print(f"{count} violations")
    return 1 if count else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
