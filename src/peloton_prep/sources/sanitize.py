"""The one sanitiser for card HTML: cards are contributor input, like any pull request.

Every card's rendered HTML passes through `clean_card_html` once, when the sources are loaded,
before any renderer (site, practice data, deck, printed guide, card sheets) sees it. Pages in
docs/ are the maintainers' own and are not cleaned; cards are.
"""

from __future__ import annotations

import re

import nh3

# Phrasing and block tags Markdown produces, plus what our extensions emit (tables, code,
# collapsible blocks). No script, style, iframe, object, embed, form, base, meta or input.
CARD_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "div", "dl", "dt",
    "em", "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "mark", "ol", "p", "pre", "s", "small",
    "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
})
# Tags whose content goes too, not only the tag: their text is code or markup, never prose.
DROPPED_WITH_CONTENT = frozenset({
    "script", "style", "iframe", "object", "embed", "form", "template", "noscript", "textarea",
    "select", "button", "svg", "math", "frameset", "frame", "noembed", "xmp", "title",
})
CARD_ATTRIBUTES = {
    "*": {"class", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"align"},
    "th": {"align"},
    "ol": {"start"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# A card shows images only from the project's own diagrams, by a relative address.
DIAGRAM_SRC = re.compile(r"^(?:\.\./)*diagrams/[a-z0-9][a-z0-9-]*\.svg$")


def _keep(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value if DIAGRAM_SRC.match(value) else None
    return value


def clean_card_html(html: str) -> str:
    """Strip everything that could run, load, submit or restyle from a card's HTML."""
    return nh3.clean(
        html,
        tags=set(CARD_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in CARD_ATTRIBUTES.items()},
        attribute_filter=_keep,
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
    )
