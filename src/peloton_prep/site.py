"""The site's rendering of cards: collapsible blocks a reader can quiz themselves with."""

from __future__ import annotations

import json

from .cards import CLOZE_PATTERN, Card
from .content import Content, page_url
from .markup import Renderer, source_links


def card_block(card: Card, renderer: Renderer) -> str:
    """A collapsed question whose answer opens on click, tap or Enter."""
    kind = "question" if card.kind == "qa" else "abstract"
    summary = renderer.html(cloze_gaps(card.front) if card.kind == "cloze" else card.front)
    answer = renderer.html(cloze_filled(card.front)) if card.kind == "cloze" else ""
    return (
        f'<details class="{kind} pp-card" id="card-{card.id}" data-card-id="{card.id}">'
        f'<summary>{_inline(summary)}</summary>{answer}{renderer.html(card.back)}'
        f'<p class="pp-source">Source: {source_links(card.sources)}</p></details>'
    )


def practice_record(card: Card, renderer: Renderer, page_url: str) -> dict[str, str]:
    """What practice mode needs of a card: its round, both faces as HTML, and where it lives."""
    front = cloze_gaps(card.front) if card.kind == "cloze" else card.front
    back = f"{cloze_filled(card.front)}\n\n{card.back}" if card.kind == "cloze" else card.back
    return {
        "id": card.id,
        "role": card.role,
        "round": card.round,
        "deck": card.deck.split("::", 1)[1],
        "front": renderer.html(front),
        "back": renderer.html(back),
        "url": f"{page_url}#{card.section}",
    }


def practice_script(content: Content, renderer: Renderer, directory_urls: bool) -> bytes:
    """All cards as a script, not JSON: pages opened from file:// may load scripts but not fetch."""
    records = [practice_record(card, renderer, page_url(card.page, directory_urls)) for card in content.cards]
    return f"window.PELOTON_PREP_CARDS = {json.dumps(records, sort_keys=True)};\n".encode()


def section_blocks(content: Content, page: str, renderer: Renderer) -> dict[str, str]:
    """Every card of a page, grouped into one HTML block per section."""
    blocks: dict[str, str] = {}
    for card in content.cards_for(page):
        blocks[card.section] = blocks.get(card.section, "") + card_block(card, renderer)
    return {section: f'<div class="pp-cards">{block}</div>' for section, block in blocks.items()}


def cloze_gaps(text: str) -> str:
    """The front of a cloze: each deletion becomes a gap, showing its hint if it has one."""
    return CLOZE_PATTERN.sub(lambda match: f"[{match.group(3) or '…'}]", text)


def cloze_filled(text: str) -> str:
    """The back of a cloze: each deletion shown in bold."""
    return CLOZE_PATTERN.sub(lambda match: f"**{match.group(2)}**", text)


def _inline(block_html: str) -> str:
    """A summary holds phrasing content, so drop the paragraph wrapper Markdown adds."""
    if block_html.startswith("<p>") and block_html.endswith("</p>") and block_html.count("<p>") == 1:
        return block_html[3:-4]
    return block_html


DOWNLOAD_LABELS = {
    "peloton-prep.apkg": ("Anki deck", "Every card, one subdeck per loop and round; updates keep your history"),
    "peloton-prep-guide.pdf": ("Study guide, A4", "Every page and card, answers printed open"),
    "peloton-prep-guide-letter.pdf": ("Study guide, US Letter", "The same guide on Letter paper"),
    "peloton-prep-cards.pdf": ("Cut-out flashcards, A4", "Eight cards a sheet, fronts and mirrored backs"),
    "peloton-prep-cards-letter.pdf": ("Cut-out flashcards, US Letter", "The same cards on Letter paper"),
    "peloton-prep-offline.zip": ("Offline site", "This site with search, to unzip and open without a network"),
}


def downloads_table(sizes: dict[str, int], link_prefix: str) -> str:
    """The downloads this build made, with their sizes; a file not built is not offered."""
    rows = "".join(
        f'<tr><td><a href="{link_prefix}{name}" download>{label}</a></td><td>{about}</td>'
        f"<td>{sizes[name] / 1_048_576:.1f} MB</td></tr>"
        for name, (label, about) in DOWNLOAD_LABELS.items()
        if name in sizes
    )
    return (
        '<table class="pp-downloads"><thead><tr><th>Download</th><th>What it is</th><th>Size</th></tr>'
        f"</thead><tbody>{rows}</tbody></table>"
    )
