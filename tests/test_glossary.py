"""The glossary page read as entries, the terms the index marks, and the terms cards link."""

from __future__ import annotations

import json
import posixpath
import re
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT
from peloton_prep.build import BuildReport
from peloton_prep.pdf.apparatus import Indexer, slug
from peloton_prep.site.cardblocks import terms_line
from peloton_prep.sources.content import Content, load_content
from peloton_prep.sources.glossary import (
    GLOSSARY_PAGE,
    MAX_TERMS_PER_CARD,
    NOT_LINKED_FROM_CARDS,
    CardTerms,
    GlossaryEntry,
    glossary_entries,
    is_acronym,
)

Built = tuple[Path, BuildReport]

GLOSSARY = """\
# Glossary

ABR (adaptive bitrate) { #abr }
:   Video delivery that switches renditions as throughput changes.

Token bucket { #token-bucket }
:   A rate limiter that refills at a steady rate.

HLC (hybrid logical clock) { #hlc }
:   A timestamp that follows physical time and still orders causally related events.

SLRU (segmented LRU) { #slru }
:   An LRU split into a probation and a protected segment.

LRU (least recently used) { #lru }
:   Evicts the item unused for longest.

Quorum
:   A majority of replicas; this entry sets no anchor.
"""


def test_entries_have_key_term_and_anchor() -> None:
    entries = glossary_entries(GLOSSARY)
    assert entries[0] == GlossaryEntry("ABR", "ABR (adaptive bitrate)", "abr")
    assert entries[1] == GlossaryEntry("Token bucket", "Token bucket", "token-bucket")
    assert entries[-1] == GlossaryEntry("Quorum", "Quorum", "")
    assert [entry.key for entry in entries] == ["ABR", "Token bucket", "HLC", "SLRU", "LRU", "Quorum"]


def test_the_index_marks_each_mention_as_its_own_term() -> None:
    """The pattern tries longer keys first; a mention still counts for the key it names, not for
    whichever key sorted into its place."""
    indexer = Indexer.from_glossary(GLOSSARY, "glossary")
    html = indexer.marked("<p>An HLC, two token buckets, an SLRU and an LRU; ABRs.</p>", "ch")
    assert 'id="ch--ix-hlc">HLC<' in html
    assert 'id="ch--ix-token-bucket">token buckets<' in html
    assert 'id="ch--ix-slru">SLRU<' in html
    assert 'id="ch--ix-lru">LRU<' in html
    assert 'id="ch--ix-abr">ABRs<' in html
    assert {term.key: term.anchors for term in indexer.terms if term.anchors} == {
        "ABR": ["ch--ix-abr"], "Token bucket": ["ch--ix-token-bucket"], "HLC": ["ch--ix-hlc"],
        "SLRU": ["ch--ix-slru"], "LRU": ["ch--ix-lru"],
    }


def card_terms(*faces: str) -> list[str]:
    return [entry.key for entry in CardTerms.from_glossary(glossary_entries(CARD_GLOSSARY)).used_in(*faces)]


CARD_GLOSSARY = GLOSSARY + """
API (application programming interface) { #api }
:   The contract one program offers another.

LWW (last-writer-wins) { #lww }
:   Keeps the write with the latest timestamp.

CRDT (conflict-free replicated data type) { #crdt }
:   A data type whose replicas merge without conflicts.

SFU (selective forwarding unit) { #sfu }
:   A media server that forwards streams without mixing them.

ARC (adaptive replacement cache) { #arc }
:   A cache that balances recency and frequency.
"""


def test_a_card_links_the_acronyms_it_uses() -> None:
    assert card_terms("<p>Why does an HLC beat a wall clock?</p>", "<p>Causality.</p>") == ["HLC"]
    assert card_terms("<p>What does the SFU forward?</p>", "<p>Streams; unlike a mixer.</p>") == ["SFU"]


def test_acronyms_match_their_case_and_plurals_count() -> None:
    assert card_terms("<p>An arc, an hlc, a Crdt.</p>", "") == []
    assert card_terms("<p>Two CRDTs and three HLCs.</p>", "") == ["CRDT", "HLC"]
    assert card_terms("<p>CRDTish, pre-HLC, HLC_v2</p>", "") == []


def test_only_acronyms_with_an_anchor_are_linked() -> None:
    """Phrases ("token bucket") read as plain words on a card; an entry without an id has nowhere to link."""
    glossary = "\nBackoff\n:   Waiting longer.\n\nQPS (queries per second)\n:   Load.\n"
    finder = CardTerms.from_glossary(glossary_entries(GLOSSARY + glossary))
    assert finder.used_in("<p>A token bucket at 500 QPS with backoff, and ABR.</p>") == (
        GlossaryEntry("ABR", "ABR (adaptive bitrate)", "abr"),
    )


def test_the_stop_list_is_not_linked_and_names_only_real_acronyms() -> None:
    assert card_terms("<p>The API returns an HLC.</p>", "") == ["HLC"]
    real = {entry.key for entry in glossary_entries((ROOT / "docs" / GLOSSARY_PAGE).read_text(encoding="utf-8"))}
    assert {key for key in NOT_LINKED_FROM_CARDS if not is_acronym(key) or key not in real} == set()


def test_at_most_four_terms_in_order_of_first_mention() -> None:
    front = "<p>LWW or a CRDT?</p>"
    back = "<p>An <strong>HLC</strong> orders LWW writes; SFU, ARC and ABR do not care.</p>"
    assert card_terms(front, back) == ["LWW", "CRDT", "HLC", "SFU"]
    assert MAX_TERMS_PER_CARD == 4


def test_terms_are_read_from_text_not_markup() -> None:
    """Tags split words (a table's cells stay apart) and are never read as text; entities are decoded."""
    assert card_terms("<table><tr><td>HLC</td><td>LWW</td></tr></table>", "") == ["HLC", "LWW"]
    assert card_terms('<p><a href="https://example.org/SFU" title="ARC">a link</a> &amp;CRDT</p>', "") == ["CRDT"]


def test_terms_line_escapes_and_links_each_entry() -> None:
    terms = (GlossaryEntry("HLC", "HLC (hybrid logical clock)", "hlc"),
             GlossaryEntry('X"<Y', 'X"<Y (odd)', 'x"y'))
    line = terms_line(terms, "../../glossary/")
    assert line.startswith('<p class="pp-terms">Terms: <a href="../../glossary/#hlc" '
                           'title="HLC (hybrid logical clock)">HLC</a> · <a ')
    assert '"<' not in line and "X&quot;&lt;Y" in line and 'href="../../glossary/#x&quot;y"' in line
    assert terms_line((), "../../glossary/") == ""


# ---- the built site -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content(ROOT)


LINK = re.compile(r'<a href="([^"]+)"[^>]*>([^<]+)</a>')
TERMS_LINE = re.compile(r'<p class="pp-terms">(.*?)</p>', re.DOTALL)
CARD_BLOCK = re.compile(r'<details class="[^"]*pp-card" id="card-([^"]+)".*?</details>', re.DOTALL)


def glossary_ids(html: str) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', html))


def resolved(page: str, href: str) -> tuple[str, str]:
    """The file a relative link from `page` opens (a directory URL opens its index.html), and its anchor."""
    path, _, anchor = href.partition("#")
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    return (f"{target}/index.html" if path.endswith("/") else target), anchor


def test_a_round_page_links_its_cards_terms_to_the_glossary(real_build: Built) -> None:
    site = real_build[0] / "site"
    ids = glossary_ids((site / "glossary" / "index.html").read_text(encoding="utf-8"))
    html = (site / "patterns" / "offline-sync" / "index.html").read_text(encoding="utf-8")
    lines = [line for block in CARD_BLOCK.finditer(html) for line in TERMS_LINE.findall(block.group(0))]
    assert lines, "no card on the page links a glossary term"
    for line in lines:
        assert line.startswith("Terms: ")
        for href, key in LINK.findall(line):
            assert href.startswith("../../glossary/#") and href.split("#")[1] in ids, href
            assert href.split("#")[1] == slug(key)


def test_every_card_glossary_link_resolves(real_build: Built, content: Content) -> None:
    """On the site, in the offline zip and in practice data, every term link opens an id of the
    glossary page, and every card with terms shows them."""
    site = real_build[0] / "site"
    pages = {path.relative_to(site).as_posix(): path.read_text(encoding="utf-8") for path in site.rglob("*.html")}
    with zipfile.ZipFile(real_build[0] / "peloton-prep-offline.zip") as archive:
        offline = {name: archive.read(name).decode() for name in archive.namelist() if name.endswith(".html")}
    expected = {card_id for card_id, terms in content.card_terms.items() if terms}
    assert len(expected) > 50
    for built in (pages, offline):
        shown = set()
        for page, html in built.items():
            for block in CARD_BLOCK.finditer(html):
                for line in TERMS_LINE.findall(block.group(0)):
                    shown.add(block.group(1))
                    for href, _ in LINK.findall(line):
                        target, anchor = resolved(page, href)
                        assert target in built and anchor in glossary_ids(built[target]), (page, href)
        assert shown == expected
    ids = glossary_ids(pages["glossary/index.html"])
    script = (site / "assets" / "practice-cards.js").read_text(encoding="utf-8")
    for card in json.loads(script.split("=", 1)[1].strip().rstrip(";")):
        assert [term["url"] for term in card["terms"]] == [
            f"glossary/#{term.anchor}" for term in content.card_terms[card["id"]]
        ]
        assert all(term["url"].split("#")[1] in ids for term in card["terms"])
