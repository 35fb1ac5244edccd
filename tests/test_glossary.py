"""The glossary page read as entries, and the terms the index marks."""

from __future__ import annotations

from peloton_prep.pdf.apparatus import Indexer
from peloton_prep.sources.glossary import GlossaryEntry, glossary_entries

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
