"""Place HTML at the end of a heading's section, for the site and the guide alike."""

from __future__ import annotations

import re

HEADING = re.compile(r'<h([1-6])\b[^>]*\bid="([^"]+)"')
ANY_HEADING = re.compile(r"<h([1-6])\b")


def append_to_sections(html: str, blocks: dict[str, str]) -> str:
    """Insert each block just before the next heading of the same or a higher level."""
    inserts: list[tuple[int, str]] = []
    for match in HEADING.finditer(html):
        block = blocks.get(match.group(2))
        if block is not None:
            inserts.append((_section_end(html, match), block))
    for position, block in sorted(inserts, key=lambda insert: insert[0], reverse=True):
        html = html[:position] + block + html[position:]
    return html


def _section_end(html: str, heading: re.Match[str]) -> int:
    level = int(heading.group(1))
    for match in ANY_HEADING.finditer(html, heading.end()):
        if int(match.group(1)) <= level:
            return match.start()
    return len(html)
