"""Load the theme's script on the reader's first interaction, not while the page loads.

mkdocs-material's bundle.js mounts all its components at once when the page loads, and in doing
so forces a full style and layout pass of the page inside one long task: on a long round page
that task is most of Lighthouse's Total Blocking Time. Everything the bundle adds (search, the
palette switch, the contents' highlight, back-to-top) waits for a tap, a key, a scroll or focus
anyway, and reading needs none of it; so each page loads the bundle on the first of those.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

BUNDLE_TAG = re.compile(r'<script src="([^"]*assets/javascripts/bundle\.[0-9a-f]+\.min\.js)"></script>')
LOADER = (Path(__file__).parent / "theme-loader.js").read_text(encoding="utf-8")


def load_theme_on_interaction(html: str) -> str:
    """Replace the page's bundle script tag with the inline loader that fetches it when needed."""

    def inline(tag: re.Match[str]) -> str:
        return "<script>" + LOADER.replace("__BUNDLE__", json.dumps(tag.group(1))) + "</script>"

    return BUNDLE_TAG.sub(inline, html, count=1)
