"""Markdown to HTML with the site's own extensions, so every target renders alike."""

from __future__ import annotations

import copy
import html
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import markdown

from peloton_prep.sources.taxonomy import SEEDS

VOID_TAGS = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]
)
SNIPPETS = "pymdownx.snippets"


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


class Renderer:
    """One reusable Markdown converter.

    `snippets=False` drops the snippet extension, for card text: a card never includes a file.
    `memo` keeps renderings between calls (a preview's cache across rebuilds).
    """

    def __init__(
        self,
        settings: MarkdownSettings,
        permalinks: bool = False,
        snippets: bool = True,
        memo: dict[str, str] | None = None,
    ) -> None:
        configs = copy.deepcopy(settings.configs)
        if "toc" in configs:
            configs["toc"]["permalink"] = permalinks
        extensions = [name for name in settings.extensions if snippets or name != SNIPPETS]
        configs = {name: options for name, options in configs.items() if name in extensions}
        self._md = markdown.Markdown(extensions=extensions, extension_configs=configs)
        self.settings_key = repr((extensions, sorted(configs.items()), permalinks))
        self._memo = memo if memo is not None else {}

    def html(self, text: str) -> str:
        """Render Markdown; text that includes files (snippets) is rendered afresh every time."""
        if "--8<--" in text:
            return self._convert(text)
        key = self.settings_key + "\0" + text
        if key not in self._memo:
            self._memo[key] = self._convert(text)
        return self._memo[key]

    def page(self, text: str) -> tuple[str, list[tuple[int, str, str]]]:
        """A page's HTML and the (level, anchor, title) of its headings, as the site's contents see them."""
        page_html = self._convert(text)
        return page_html, list(_flatten(getattr(self._md, "toc_tokens", [])))

    def _convert(self, text: str) -> str:
        self._md.reset()
        return str(self._md.convert(text))


def _flatten(tokens: list[dict[str, Any]]) -> Any:
    for token in tokens:
        yield token["level"], token["id"], token["name"]
        yield from _flatten(token["children"])


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
    """Seeds by their title, public references as links named by their site (a full address
    fills a phone's line several times over; the link keeps it)."""
    return "; ".join(
        html.escape(SEEDS[source]) if source in SEEDS
        else f'<a href="{html.escape(source)}">{html.escape(_site_name(source))}</a>'
        for source in sources
    )


def _site_name(address: str) -> str:
    return (urlsplit(address).hostname or address).removeprefix("www.")
