"""The site's rendering of cards: collapsible blocks a reader can quiz themselves with."""

from __future__ import annotations

import json

from peloton_prep.sources.cards import Card
from peloton_prep.sources.content import Content, Faces, page_url
from peloton_prep.sources.markdown import source_links


def card_block(card: Card, faces: Faces) -> str:
    """A collapsed question whose answer opens on click, tap or Enter."""
    kind = "question" if card.kind == "qa" else "abstract"
    # A cloze card's answer repeats its question with the blanks filled: search indexes it once.
    exclude = "" if card.kind == "qa" else " data-search-exclude"
    return (
        f'<details class="{kind} pp-card" id="card-{card.id}" data-card-id="{card.id}">'
        f"<summary{exclude}>{_inline(faces.question)}</summary>{faces.answer}"
        f'<p class="pp-source">Source: {source_links(card.sources)}</p></details>'
    )


def section_blocks(content: Content, page: str) -> dict[str, str]:
    """Every card of a page, grouped into one HTML block per section."""
    blocks: dict[str, str] = {}
    for card in content.cards_for(page):
        blocks[card.section] = blocks.get(card.section, "") + card_block(card, content.faces[card.id])
    return {section: f'<div class="pp-cards">{block}</div>' for section, block in blocks.items()}


def practice_record(card: Card, faces: Faces, url: str) -> dict[str, str]:
    """What practice mode needs of a card: its round, both faces as sanitised HTML, and where it lives."""
    return {
        "id": card.id,
        "role": card.role,
        "round": card.round,
        "deck": card.deck.split("::", 1)[1],
        "front": faces.question,
        "back": faces.answer,
        "url": f"{url}#{card.section}",
    }


def practice_script(content: Content, directory_urls: bool) -> bytes:
    """All cards as a script, not JSON: pages opened from file:// may load scripts but not fetch."""
    records = [
        practice_record(card, content.faces[card.id], page_url(card.page, directory_urls)) for card in content.cards
    ]
    return f"window.PELOTON_PREP_CARDS = {json.dumps(records, sort_keys=True)};\n".encode()


def _inline(block_html: str) -> str:
    """A summary holds phrasing content, so drop the paragraph wrapper Markdown adds."""
    if block_html.startswith("<p>") and block_html.endswith("</p>") and block_html.count("<p>") == 1:
        return block_html[3:-4]
    return block_html
