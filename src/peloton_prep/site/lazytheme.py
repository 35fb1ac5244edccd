"""Load the theme's script on the reader's first interaction, not while the page loads.

mkdocs-material's bundle.js mounts all its components at once when the page loads, and in doing
so forces a full style and layout pass of the page inside one long task: on a long round page
that task is most of Lighthouse's Total Blocking Time. Everything the bundle adds (search, the
palette switch, the contents' highlight, back-to-top) waits for a tap, a key, a scroll or focus
anyway, and reading needs none of it; so each page loads the bundle on the first of those.

What cannot wait for it is done before: the colour scheme is set before the first paint (the
bundle would pick the reader's saved or system palette only when it loads, so a dark system
showed a light page until the first tap), and the loader focuses search on the first tap.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

BUNDLE_TAG = re.compile(r'<script src="([^"]*assets/javascripts/bundle\.[0-9a-f]+\.min\.js)"></script>')
LOADER = (Path(__file__).parent / "theme-loader.js").read_text(encoding="utf-8")
BODY_TAG = re.compile(r"<body\b[^>]*>")
PALETTE_OPTION = re.compile(r'<input class="md-option" ([^>]*)>')
COLOR_ATTRIBUTE = re.compile(r'data-md-color-(media|scheme|primary|accent)="([^"]*)"')
# Applies the saved palette, or else the first whose media query matches (the OS's light or dark),
# exactly as the bundle's palette component will when it loads.
PALETTE_SCRIPT = (
    "<script>(function(){var options=__OPTIONS__,color=null;"
    'try{var saved=__md_get("__palette");color=saved&&saved.color}catch(e){}'
    'if(!color||color.media==="(prefers-color-scheme)"){color=null;'
    "for(var i=0;i<options.length&&!color;i++)if(matchMedia(options[i].media).matches)color=options[i]}"
    'if(color)for(var key in color)document.body.setAttribute("data-md-color-"+key,color[key])})()</script>'
)


def load_theme_on_interaction(html: str) -> str:
    """Replace the page's bundle script tag with the inline loader that fetches it when needed."""

    def inline(tag: re.Match[str]) -> str:
        return "<script>" + LOADER.replace("__BUNDLE__", json.dumps(tag.group(1))) + "</script>"

    return BUNDLE_TAG.sub(inline, html, count=1)


def first_paint_palette(html: str) -> str:
    """Set the body's colour scheme in a script that runs before anything in the body is drawn."""
    options = [dict(COLOR_ATTRIBUTE.findall(attributes)) for attributes in PALETTE_OPTION.findall(html)]
    options = [option for option in options if "media" in option]
    body = BODY_TAG.search(html)
    if not options or body is None:
        return html
    script = PALETTE_SCRIPT.replace("__OPTIONS__", json.dumps(options, separators=(",", ":")))
    return html[: body.end()] + script + html[body.end() :]
