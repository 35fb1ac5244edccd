"""The downloads page's table: what this build made, with sizes."""

from __future__ import annotations

from html import escape

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
from peloton_prep.sources.release import Release

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


def downloads_table(
    sizes: dict[str, int], link_prefix: str, release: Release | None = None, import_url: str | None = None
) -> str:
    """The release these files are, how to add the deck to Anki, then the downloads this build made,
    with their sizes; a file not built is not offered."""
    rows = "".join(
        f'<tr><td><a href="{link_prefix}{name}" download>{label}</a></td><td>{about}</td>'
        f"<td>{sizes[name] / 1_048_576:.1f} MB</td></tr>"
        for name, (label, about) in DOWNLOAD_LABELS.items()
        if name in sizes
    )
    intro = ""
    if release is not None:
        intro += (
            f'<p class="pp-release">Release {escape(release.version)}, '
            f'content as of <time datetime="{release.date}">{release.date}</time></p>'
        )
    if DECK in sizes:
        how = f' Step by step, with updates: <a href="{escape(import_url)}">Import into Anki</a>.' if import_url else ""
        intro += (
            "<p>To study on your phone or computer, download the <strong>Anki deck</strong> and open it "
            "with Anki (desktop: File › Import; AnkiDroid and AnkiMobile: open the file from your downloads). "
            f"Importing a newer release over an older one keeps your review history.{how}</p>"
        )
    return intro + (
        '<table class="pp-downloads"><thead><tr><th>Download</th><th>What it is</th><th>Size</th></tr>'
        f"</thead><tbody>{rows}</tbody></table>"
    )
