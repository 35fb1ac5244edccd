"""The last trailer of a PDF Chromium wrote: what its dictionary says, and where it ends."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Chromium writes one trailer, in the file's last bytes; an incremental update adds another after it.
TAIL = 4096
TRAILER = re.compile(rb"trailer\s*<<((?:(?!trailer).)*?)>>\s*startxref\s*(\d+)\s*%%EOF\s*$", re.DOTALL)


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
