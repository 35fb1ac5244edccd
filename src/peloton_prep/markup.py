"""Markdown to HTML with the site's own extensions, so every target renders alike."""

from __future__ import annotations

import copy
import html
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown
import nh3

from .taxonomy import SEEDS

VOID_TAGS = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]
)
SAFE_TAGS = nh3.ALLOWED_TAGS | {
    "div", "span", "pre", "code", "table", "thead", "tbody", "tr", "th", "td",
    "details", "summary", "input", "label", "sup", "sub", "hr", "img",
}
SAFE_ATTRIBUTES = {
    "*": {"class", "id", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "input": {"type", "checked", "disabled"},
    "td": {"align"},
    "th": {"align"},
    "ol": {"start"},
}


@dataclass(frozen=True)
class MarkdownSettings:
    """The extension list and options, read once from mkdocs.yml."""

    extensions: tuple[str, ...]
    configs: dict[str, dict[str, Any]] = field(default_factory=dict)


def settings_from_mkdocs(root: Path, config: dict[str, Any]) -> MarkdownSettings:
    """Read `markdown_extensions` from mkdocs.yml, anchoring snippet paths at the project root."""
    names: list[str] = []
    configs: dict[str, dict[str, Any]] = {}
    for item in config.get("markdown_extensions", []):
        name, options = next(iter(item.items())) if isinstance(item, dict) else (item, {})
        names.append(name)
        configs[name] = dict(options or {})
    if "pymdownx.snippets" in configs:
        bases = configs["pymdownx.snippets"].get("base_path", ["."])
        configs["pymdownx.snippets"]["base_path"] = [str(root / base) for base in bases]
    return MarkdownSettings(tuple(names), configs)


# Rendered card text, shared by every renderer of the same settings in this process: the
# checker, the site, the practice data and the deck all render the same texts, and a
# preview server rebuilding after an edit re-renders only what changed.
_RENDERED: dict[tuple[str, str], str] = {}
_MAX_RENDERED = 100_000


class Renderer:
    """One reusable Markdown converter; `permalinks` is for the site only."""

    def __init__(self, settings: MarkdownSettings, permalinks: bool = False) -> None:
        configs = copy.deepcopy(settings.configs)
        if "toc" in configs:
            configs["toc"]["permalink"] = permalinks
        self._md = markdown.Markdown(extensions=list(settings.extensions), extension_configs=configs)
        self.settings_key = repr((settings.extensions, sorted(configs.items()), permalinks))

    def html(self, text: str) -> str:
        """Render Markdown; text that includes files (snippets) is rendered afresh every time."""
        if "--8<--" in text:
            return self._convert(text)
        key = (self.settings_key, text)
        if key not in _RENDERED:
            if len(_RENDERED) >= _MAX_RENDERED:
                _RENDERED.clear()
            _RENDERED[key] = self._convert(text)
        return _RENDERED[key]

    def headings(self, text: str) -> list[tuple[int, str, str]]:
        """The (level, anchor, title) of every heading, as the site's table of contents sees them."""
        self._convert(text)
        return list(_flatten(getattr(self._md, "toc_tokens", [])))

    def _convert(self, text: str) -> str:
        self._md.reset()
        return str(self._md.convert(text))


def _flatten(tokens: list[dict[str, Any]]) -> Any:
    for token in tokens:
        yield token["level"], token["id"], token["name"]
        yield from _flatten(token["children"])


def sanitise(html: str) -> str:
    """Strip scripts, event handlers and unknown tags from HTML bound for the deck."""
    return nh3.clean(html, tags=SAFE_TAGS, attributes=SAFE_ATTRIBUTES, link_rel=None)


def markup_errors(text: str, html: str) -> list[str]:
    """What is broken in a Markdown source, judged from the source and its HTML."""
    errors = []
    if sum(1 for line in text.splitlines() if line.lstrip().startswith("```")) % 2:
        errors.append("unclosed ``` code fence")
    errors += _TagBalance.errors(html)
    return errors


class _TagBalance(HTMLParser):
    """Finds HTML tags that are closed without being opened, or never closed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.found: list[str] = []

    @classmethod
    def errors(cls, html: str) -> list[str]:
        parser = cls()
        parser.feed(html)
        parser.close()
        return parser.found + [f"<{tag}> is never closed" for tag in parser.open]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID_TAGS:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_TAGS:
            return
        if tag in self.open:
            while (inner := self.open.pop()) != tag:
                self.found.append(f"<{inner}> is never closed")
        else:
            self.found.append(f"</{tag}> closes nothing")


def source_links(sources: tuple[str, ...]) -> str:
    """Seeds by their title, public references as links."""
    return "; ".join(
        html.escape(SEEDS[source]) if source in SEEDS
        else f'<a href="{html.escape(source)}">{html.escape(source)}</a>'
        for source in sources
    )
