"""Edits to the bytes of a PDF Chromium printed: the release's dates and identifier, and page boxes
for other papers. Each edit keeps every byte offset valid, so no cross-reference table is rebuilt.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from peloton_prep.errors import PelotonPrepError
from peloton_prep.sources.release import Release

# With TZ=UTC Chromium writes every date in this one form, so a replacement keeps its length.
CLOCK_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}\+00'00'\)")
MEDIA_BOX = re.compile(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]")
POINTS_PER_MM = 72 / 25.4
# Paper sizes in millimetres, portrait. Documents are laid out on A4 and shown on the others
# through a page box of their size (`reboxed`).
PAPER_MM = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}

# Chromium writes one trailer, in the file's last bytes; an incremental update adds another after it.
TAIL = 4096
TRAILER = re.compile(rb"trailer\s*<<((?:(?!trailer).)*?)>>\s*startxref\s*(\d+)\s*%%EOF\s*$", re.DOTALL)


class PdfEditError(PelotonPrepError):
    """Chromium's PDF is not laid out as expected, so it cannot be edited in place."""


@dataclass(frozen=True)
class LastTrailer:
    """The dictionary's contents, where in the file they end, and the offset of the xref it closes."""

    entries: bytes
    entries_end: int
    xref: int


def last_trailer(pdf: bytes) -> LastTrailer | None:
    start = max(len(pdf) - TAIL, 0)
    found = TRAILER.search(pdf, start)
    return LastTrailer(found.group(1), found.end(1), int(found.group(2))) if found else None


def stamped(pdf: bytes, release: Release) -> bytes:
    """The release's time for the clock's creation and modification dates (in place, same length)."""
    stamp = datetime.fromtimestamp(release.timestamp, UTC).strftime("D:%Y%m%d%H%M%S+00'00'").encode()
    return CLOCK_DATE.sub(lambda found: b"/" + found.group(1) + b" (" + stamp + b")", pdf)


def identified(pdf: bytes, release: Release, name: str) -> bytes:
    """The file identifier in the last trailer: a digest of the release's version and the file's
    name, so each file of a release has its own, and the same file of one commit the same one."""
    trailer = last_trailer(pdf)
    if trailer is None:
        raise PdfEditError("Chromium's PDF has no trailer at its end")
    if b"/ID" in trailer.entries:
        raise PdfEditError("the PDF already has a file identifier")
    digest = hashlib.md5(f"{release.version}/{name}".encode(), usedforsecurity=False).hexdigest().upper().encode()
    # Only startxref follows the trailer, and it points before it: the dictionary can grow in place.
    identifier = b"\n/ID [<" + digest + b"> <" + digest + b">]"
    return pdf[: trailer.entries_end] + identifier + pdf[trailer.entries_end :]


def reboxed(pdf: bytes, width_mm: float, height_mm: float) -> bytes:
    """Show every page through a page box of another size, centred on the page it replaces.

    Nothing is laid out again: text, links and bookmarks keep their coordinates, so a text block
    that fits both papers prints on the second without a second typesetting. The new box is
    padded to the old one's length, which keeps every byte offset in the file valid.
    """

    def centred(found: re.Match[bytes]) -> bytes:
        old_width, old_height = float(found.group(1)), float(found.group(2))
        width, height = width_mm * POINTS_PER_MM, height_mm * POINTS_PER_MM
        left, bottom = (old_width - width) / 2, (old_height - height) / 2
        box = f"/MediaBox [{left:.1f} {bottom:.1f} {left + width:.1f} {bottom + height:.1f}".encode()
        if len(box) >= len(found.group(0)):
            raise PdfEditError(f"page box {box.decode()}] is longer than Chromium's {found.group(0).decode()}")
        return box.ljust(len(found.group(0)) - 1) + b"]"

    return MEDIA_BOX.sub(centred, pdf)


def write_papers(a4_pdf: bytes, release: Release, targets: dict[str, Path]) -> None:
    """Write a PDF laid out on A4 to each paper's file (paper name to path), each identified by its name."""
    for paper, target in targets.items():
        pdf = a4_pdf if paper == "a4" else reboxed(a4_pdf, *PAPER_MM[paper])
        target.write_bytes(identified(pdf, release, target.name))
