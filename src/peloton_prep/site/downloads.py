"""The downloads page's table: what this build made, with sizes."""

from __future__ import annotations

from peloton_prep.outputs import (
    CARDS,
    CARDS_LETTER,
    DECK,
    EPUB,
    GUIDE,
    GUIDE_COMPACT,
    GUIDE_COMPACT_LETTER,
    GUIDE_LETTER,
    OFFLINE_ZIP,
)

DOWNLOAD_LABELS = {
    DECK: ("Anki deck", "Every card, one subdeck per loop and round; updates keep your history"),
    GUIDE: ("Study guide, A4", "Every page and card, answers printed open"),
    GUIDE_LETTER: ("Study guide, US Letter", "The same guide on Letter paper"),
    GUIDE_COMPACT: ("Compact study guide, A4", "Every page without its cards, lighter to print beside the cut-outs"),
    GUIDE_COMPACT_LETTER: ("Compact study guide, US Letter", "The compact guide on Letter paper"),
    EPUB: ("Study guide for e-readers (EPUB)", "Every page and card, for Kindle (Send to Kindle), Kobo or Apple Books"),
    CARDS: ("Cut-out flashcards, A4", "Eight cards a sheet, fronts and mirrored backs"),
    CARDS_LETTER: ("Cut-out flashcards, US Letter", "The same cards on Letter paper"),
    OFFLINE_ZIP: ("Offline site", "This site with search, to unzip and open without a network"),
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
