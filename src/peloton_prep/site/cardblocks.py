"""The site's rendering of cards: collapsible blocks a reader can quiz themselves with."""

from __future__ import annotations

import json
from html import escape

from peloton_prep.sources.cards import Card
from peloton_prep.sources.content import Content, Faces, page_url
from peloton_prep.sources.glossary import GLOSSARY_PAGE, GlossaryEntry
from peloton_prep.sources.markdown import source_links


def card_block(card: Card, faces: Faces, terms: str = "") -> str:
    """A collapsed question whose answer opens on click, tap or Enter; `terms` is its line of
    glossary links (`terms_line`), shown after the answer."""
    kind = "question" if card.kind == "qa" else "abstract"
    # A cloze card's answer repeats its question with the blanks filled: search indexes it once.
    exclude = "" if card.kind == "qa" else " data-search-exclude"
    return (
        f'<details class="{kind} pp-card" id="card-{card.id}" data-card-id="{card.id}">'
        f"<summary{exclude}>{_inline(faces.question)}</summary>{faces.answer}{terms}"
        f'<p class="pp-source">Source: {source_links(card.sources)}</p></details>'
    )


def terms_line(terms: tuple[GlossaryEntry, ...], glossary_url: str) -> str:
    """"Terms: ABR · HLC", each linked to its glossary entry (`glossary_url` is the glossary page's
    address from the card's page); nothing for a card without terms."""
    if not terms:
        return ""
    links = " · ".join(
        f'<a href="{escape(f"{glossary_url}#{term.anchor}")}" title="{escape(term.term)}">{escape(term.key)}</a>'
        for term in terms
    )
    return f'<p class="pp-terms">Terms: {links}</p>'


def section_blocks(content: Content, page: str, glossary_url: str) -> dict[str, str]:
    """Every card of a page, grouped into one HTML block per section; `glossary_url` is the
    glossary page's address from this page."""
    blocks: dict[str, str] = {}
    for card in content.cards_for(page):
        terms = terms_line(content.card_terms[card.id], glossary_url)
        blocks[card.section] = blocks.get(card.section, "") + card_block(card, content.faces[card.id], terms)
    return {section: f'<div class="pp-cards">{block}</div>' for section, block in blocks.items()}


def practice_record(card: Card, faces: Faces, url: str, terms: list[dict[str, str]]) -> dict[str, object]:
    """What practice mode needs of a card: its round, both faces as sanitised HTML, where it lives,
    and its glossary terms (`practice_terms`)."""
    return {
        "id": card.id,
        "role": card.role,
        "round": card.round,
        "deck": card.deck.split("::", 1)[1],
        "front": faces.question,
        "back": faces.answer,
        "url": f"{url}#{card.section}",
        "terms": terms,
    }


def practice_terms(terms: tuple[GlossaryEntry, ...], glossary_url: str) -> list[dict[str, str]]:
    """Each term as data, not HTML: practice.js writes them with textContent. `glossary_url` is
    from the site root, like the card's own `url`."""
    return [{"key": term.key, "title": term.term, "url": f"{glossary_url}#{term.anchor}"} for term in terms]


def practice_script(content: Content, directory_urls: bool) -> bytes:
    """All cards as a script, not JSON: pages opened from file:// may load scripts but not fetch."""
    glossary_url = page_url(GLOSSARY_PAGE, directory_urls)
    records = [
        practice_record(card, content.faces[card.id], page_url(card.page, directory_urls),
                        practice_terms(content.card_terms[card.id], glossary_url))
        for card in content.cards
    ]
    return f"window.PELOTON_PREP_CARDS = {json.dumps(records, sort_keys=True)};\n".encode()


def _inline(block_html: str) -> str:
    """A summary holds phrasing content, so drop the paragraph wrapper Markdown adds."""
    if block_html.startswith("<p>") and block_html.endswith("</p>") and block_html.count("<p>") == 1:
        return block_html[3:-4]
    return block_html
