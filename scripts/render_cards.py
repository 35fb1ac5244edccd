"""Render a sample of the deck's cards as Anki shows them on a phone, in day and night mode, to look at.

Usage: .venv/bin/python scripts/render_cards.py [--root DIR] [--apkg FILE] [--count N] [--out DIR]

Builds the deck from the sources under --root (or takes an existing --apkg, e.g. build/peloton-prep.apkg),
imports it into a fresh, temporary collection with the official `anki` package, and picks a fixed
sample: --count Q&A cards and --count cloze cards (default 20 each), shared out in turn between the
subdecks and spread evenly inside each. Anki's own renderer makes each card's question and answer
with the note type's CSS; each is wrapped the way AnkiDroid and AnkiMobile do (`card` on the body,
`mobile` on the page, `nightMode night_mode` at night), with the collection's media folder beside it
so diagrams resolve, and Debian's Chromium screenshots it at 390 px wide (a phone, at 2x).

Writes to --out (default build/card-renders/):
  light/NN-KIND-CARDID-question.png, ...-answer.png, and the same under night/;
  contact-light.png and contact-night.png: every sampled card, question above answer, tiled;
  report.txt: one line a card with what the browser measured (overflow, broken images, tiny text,
  lists that read as a paragraph, screens of scrolling), and the same lines on standard output.
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from playwright.sync_api import Browser, Page, Route

if TYPE_CHECKING:  # anki.cards must not be imported before anki.collection
    from anki.cards import CardId

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from peloton_prep.deck import write_deck  # noqa: E402
from peloton_prep.pdf.chromium import chromium  # noqa: E402
from peloton_prep.sources.content import load_content  # noqa: E402
from peloton_prep.sources.release import current_release  # noqa: E402

KINDS = ("qa", "cloze")
MODES = ("light", "night")
SIDES = ("question", "answer")
# A 6.1-inch phone (iPhone 14, Pixel 7 class): 390 CSS px wide, drawn at 2x.
PHONE_WIDTH, PHONE_HEIGHT, PHONE_SCALE = 390, 844, 2
TINY_TEXT_PX = 13
MIN_HEIGHT = 120
SHEET_COLUMNS = 8
# A list Python-Markdown did not see: a line starting "- ", "* " or "1. " inside a paragraph.
RUN_ON_LIST = re.compile(r"<p>(?:(?!</p>).)*\n\s*(?:[-*+]|\d+[.)])\s", re.DOTALL)


@dataclass(frozen=True)
class Sampled:
    """One card of the sample: which note, which cloze number, and where it lives."""

    card_id: CardId
    name: str  # the note's Card ID field, with -cN for a cloze card past the first
    deck: str
    kind: str  # "qa" or "cloze"


@dataclass(frozen=True)
class Entry:
    """What the sample is picked from: a card's sort key and kind, without the collection."""

    key: tuple[str, str, int]  # deck, Card ID, card ordinal
    kind: str


def pick(entries: Sequence[Entry], count: int) -> list[Entry]:
    """`count` entries of each kind: subdecks take turns, one card a turn, and inside a subdeck the picks
    are spread evenly over its cards in Card ID order. The same entries always give the same sample."""
    chosen: list[Entry] = []
    for kind in KINDS:
        decks: dict[str, list[Entry]] = {}
        for entry in sorted((e for e in entries if e.kind == kind), key=lambda e: e.key):
            decks.setdefault(entry.key[0], []).append(entry)
        shares = dict.fromkeys(decks, 0)
        left = min(count, sum(len(cards) for cards in decks.values()))
        while left:
            for deck, cards in decks.items():
                if left and shares[deck] < len(cards):
                    shares[deck] += 1
                    left -= 1
        for deck, cards in decks.items():
            taken = shares[deck]
            chosen += [cards[(2 * i + 1) * len(cards) // (2 * taken)] for i in range(taken)]
    return chosen


def phone_page(body: str, media: Path, night: bool, ordinal: int) -> str:
    """Anki's rendered side (its <style> included) in the page an Anki phone app puts it in."""
    platform = "mobile android"
    mode = " nightMode night_mode" if night else ""
    return (
        f'<!doctype html><html class="{platform}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<base href="{media.resolve().as_uri()}/"></head>'
        f'<body class="card card{ordinal + 1}{mode}"><div id="qa">{body}</div></body></html>'
    )


def run_on_lists(rendered: str) -> int:
    """How many paragraphs hold a line that looks like a list item: a list shown as running text."""
    return len(RUN_ON_LIST.findall(rendered))


def import_deck(apkg: Path, folder: Path) -> Collection:
    """A new collection in `folder` holding the package's notes and media, as Anki itself imports it."""
    col = Collection(str(folder / "collection.anki2"))
    col.import_anki_package(ImportAnkiPackageRequest(package_path=str(apkg), options=ImportAnkiPackageOptions()))
    return col


def sample(col: Collection, count: int) -> list[Sampled]:
    cards: dict[Entry, CardId] = {}
    for card_id in col.find_cards(""):
        card = col.get_card(card_id)
        note = card.note()
        kind = "cloze" if card.note_type()["type"] == 1 else "qa"
        cards[Entry((col.decks.name(card.did), note["Card ID"], card.ord), kind)] = card_id
    picked = []
    for entry in pick(list(cards), count):
        deck, name, ordinal = entry.key
        suffix = f"-c{ordinal + 1}" if ordinal else ""
        picked.append(Sampled(cards[entry], name + suffix, deck, entry.kind))
    return picked


MEASURE = """() => {
  const root = document.documentElement;
  const wide = [...document.querySelectorAll('#qa *')].filter(e => e.scrollWidth > e.clientWidth + 1
      && getComputedStyle(e).overflowX !== 'visible').map(e => e.tagName.toLowerCase());
  const text = '.pp-front, .pp-front *, .pp-back, .pp-back *';  // the card's own words, not the meta line
  const sizes = [...document.querySelectorAll(text)].filter(e => [...e.childNodes].some(
      n => n.nodeType === 3 && n.textContent.trim())).map(e => parseFloat(getComputedStyle(e).fontSize));
  const images = [...document.images];
  return {
    pageWidth: root.scrollWidth, height: Math.ceil(document.body.getBoundingClientRect().bottom
      + parseFloat(getComputedStyle(document.body).marginBottom)),
    scrollers: wide,
    smallest: sizes.length ? Math.min(...sizes) : 0,
    broken: images.filter(i => !i.complete || i.naturalWidth === 0).map(i => i.getAttribute('src')),
    images: images.map(i => [i.getAttribute('src'), Math.round(i.getBoundingClientRect().width)]),
  };
}"""


def problems(measured: dict[str, Any], rendered: str) -> list[str]:
    """What a reader would trip over, from the browser's measurements of one side."""
    found = []
    if measured["pageWidth"] > PHONE_WIDTH:
        found.append(f"page {measured['pageWidth']} px wide: scrolls sideways")
    if measured["scrollers"]:
        found.append("scrolls sideways inside: " + ", ".join(sorted(set(measured["scrollers"]))))
    if measured["broken"]:
        found.append("broken image: " + ", ".join(measured["broken"]))
    if 0 < measured["smallest"] < TINY_TEXT_PX:
        found.append(f"text at {measured['smallest']:g} px")
    if run_on_lists(rendered):
        found.append("list shown as a paragraph")
    if measured["height"] > PHONE_HEIGHT:
        found.append(f"{measured['height'] / PHONE_HEIGHT:.1f} screens tall")
    return found


def _inside(route: Route, folders: tuple[Path, ...]) -> None:
    """Card text is contributor input: only files under our own folders may load."""
    url = route.request.url
    path = Path(unquote(urlsplit(url).path)).resolve()
    if url.startswith("file://") and any(path.is_relative_to(folder) for folder in folders):
        route.continue_()
    else:
        route.abort("blockedbyclient")


def new_page(browser: Browser, folders: tuple[Path, ...], **options: Any) -> Page:
    context = browser.new_context(java_script_enabled=False, service_workers="block", offline=True, **options)
    resolved = tuple(folder.resolve() for folder in folders)
    context.route("**/*", lambda route: _inside(route, resolved))
    return context.new_page()


def shoot(browser: Browser, col: Collection, picked: list[Sampled], out: Path) -> list[str]:
    """Every sampled card's two sides in both modes; returns one report line a card."""
    media = Path(col.media.dir())
    page = new_page(
        browser, (media,), viewport={"width": PHONE_WIDTH, "height": PHONE_HEIGHT},
        device_scale_factor=PHONE_SCALE, is_mobile=True, has_touch=True,
    )
    lines = []
    try:
        for number, item in enumerate(picked, 1):
            card = col.get_card(item.card_id)
            sides = {"question": card.question(), "answer": card.answer()}
            found: dict[str, None] = {}
            for mode in MODES:
                for side, rendered in sides.items():
                    document = media / f".render-{number}-{side}-{mode}.html"
                    document.write_text(phone_page(rendered, media, mode == "night", card.ord), encoding="utf-8")
                    measured = shoot_side(page, document, out / mode / f"{stem(number, item)}-{side}.png")
                    found.update(dict.fromkeys(f"{side}: {problem}" for problem in problems(measured, rendered)))
            lines.append(f"{stem(number, item)}\t{item.deck}\t{'; '.join(found) or 'ok'}")
    finally:
        page.context.close()
    return lines


def shoot_side(page: Page, document: Path, target: Path) -> dict[str, Any]:
    """Screenshot one side: the whole card, no blank screen below a short one, wider than the phone if it overflows."""
    page.goto(document.as_uri(), wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")
    measured: dict[str, Any] = page.evaluate(MEASURE)
    width, height = max(PHONE_WIDTH, measured["pageWidth"]), max(MIN_HEIGHT, measured["height"])
    page.screenshot(path=str(target), full_page=True, clip={"x": 0, "y": 0, "width": width, "height": height})
    return measured


def stem(number: int, item: Sampled) -> str:
    return f"{number:02d}-{item.kind}-{item.name}"


def contact_sheet(browser: Browser, picked: list[Sampled], out: Path, mode: str) -> Path:
    """Every sampled card of one mode, its question above its answer, in columns, each named."""
    background = "#000" if mode == "night" else "#c8c8cc"
    ink = "#ddd" if mode == "night" else "#222"
    tiles = "".join(
        f'<figure><figcaption>{html.escape(stem(number, item))}<br>{html.escape(item.deck)}</figcaption>'
        f'<img src="{mode}/{stem(number, item)}-question.png"><img src="{mode}/{stem(number, item)}-answer.png">'
        "</figure>"
        for number, item in enumerate(picked, 1)
    )
    sheet = out / f".contact-{mode}.html"
    sheet.write_text(
        "<!doctype html><html><head><meta charset='utf-8'><style>"
        f"body {{ margin: 0; background: {background}; font: 13px 'DejaVu Sans', sans-serif; color: {ink}; }}"
        f"#sheet {{ column-count: {SHEET_COLUMNS}; column-gap: 12px; padding: 12px;"
        f" width: {SHEET_COLUMNS * (PHONE_WIDTH + 12)}px; }}"
        "figure { break-inside: avoid; margin: 0 0 16px; }"
        f"img {{ display: block; width: {PHONE_WIDTH}px; margin-top: 4px; outline: 1px solid #888; }}"
        f"</style></head><body><div id='sheet'>{tiles}</div></body></html>",
        encoding="utf-8",
    )
    page = new_page(browser, (out,), viewport={"width": SHEET_COLUMNS * (PHONE_WIDTH + 12) + 24, "height": 800})
    try:
        page.goto(sheet.as_uri(), wait_until="load")
        target = out / f"contact-{mode}.png"
        page.locator("#sheet").screenshot(path=str(target))
    finally:
        page.context.close()
        sheet.unlink()
    return target


def parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="render_cards.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="project folder to build the deck from")
    parser.add_argument("--apkg", type=Path, help="render this package instead of building one")
    parser.add_argument("--count", type=int, default=20, help="cards of each kind (default 20)")
    parser.add_argument("--out", type=Path, help="output folder (default ROOT/build/card-renders)")
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("--count must be at least 1")
    if args.apkg is not None and not args.apkg.is_file():
        parser.error(f"--apkg {args.apkg}: no such file")
    return args


def main(argv: Sequence[str]) -> int:
    args = parse(argv)
    started = time.perf_counter()
    out: Path = (args.out or args.root / "build" / "card-renders").resolve()
    with tempfile.TemporaryDirectory(prefix="render-cards-") as scratch:
        folder = Path(scratch)
        apkg: Path = args.apkg
        if apkg is None:
            apkg = folder / "deck.apkg"
            write_deck(load_content(args.root), current_release(args.root), apkg)
        (folder / "collection").mkdir()
        col = import_deck(apkg, folder / "collection")
        try:
            picked = sample(col, args.count)
            shutil.rmtree(out, ignore_errors=True)
            for mode in MODES:
                (out / mode).mkdir(parents=True)
            with chromium() as browser:
                lines = shoot(browser, col, picked, out)
                sheets = [contact_sheet(browser, picked, out, mode) for mode in MODES]
        finally:
            col.close()
    (out / "report.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    kinds = {kind: sum(item.kind == kind for item in picked) for kind in KINDS}
    print(
        f"{kinds['qa']} Q&A and {kinds['cloze']} cloze cards from {len({item.deck for item in picked})} subdecks, "
        f"{len(picked) * len(SIDES) * len(MODES)} renders in {time.perf_counter() - started:.1f} s: "
        + ", ".join(str(sheet) for sheet in sheets)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
