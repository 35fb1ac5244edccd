"""The MkDocs plugin: cards at the end of their sections, diagrams, practice data and downloads.

`peloton-prep build` loads the sources once and hands them over (`PelotonPrepPlugin.prepared`)
before it runs MkDocs; run alone (`serve`, or a plain `mkdocs build`), the plugin loads them
itself and keeps its caches on itself, so a preview re-renders only what an edit changed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from peloton_prep.errors import ContentError
from peloton_prep.outputs import DOWNLOADS
from peloton_prep.site.cardblocks import practice_script, section_blocks
from peloton_prep.site.downloads import downloads_table
from peloton_prep.site.lazytheme import first_paint_palette, load_theme_on_interaction
from peloton_prep.site.preview import TemplateCache, page_keys, remove_stale, watch_often
from peloton_prep.site.sections import append_to_sections
from peloton_prep.site.studytools import study_assets, with_plan_date_box
from peloton_prep.sources.content import Content, SourceCache, empty_content, load_content, page_url
from peloton_prep.sources.glossary import GLOSSARY_PAGE
from peloton_prep.sources.release import Release, current_release, last_changed
from peloton_prep.sources.releases import release_notes

PLUGIN_NAME = "peloton-prep"  # the entry point's name in pyproject.toml and mkdocs.yml
PRACTICE_ASSETS = re.compile(r'(src|href)="\.\./(assets/practice[\w.-]*)"')
SHIM = Path(__file__).resolve().parent.parent / "vendor" / "iframe-worker-shim.js"
IMG_SVG = re.compile(r'<img alt="([^"]*)" src="([^"]*diagrams/([\w-]+)\.svg)"\s*/?>')
RELEASE_NOTES = "<!-- deck release notes -->"
SVG_SIZE = re.compile(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"')
FONT_SIZE = re.compile(r'font-size="([\d.]+)"')
# A plain-text fenced block (an estimate or a sketch): Pygments marks up no tokens in it.
PLAIN_BLOCK = re.compile(r'<div class="highlight"><pre><span></span><code>((?:(?!<span|</code>).)*)</code></pre>', re.S)
TABLE = re.compile(r"<table>(.*?)</table>", re.S)
ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
CELL = re.compile(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", re.S)
TAG = re.compile(r"<[^>]+>")
NOT_FOUND_TITLE = "<h1>404 - Not found</h1>"


@dataclass(frozen=True)
class SiteInputs:
    """What a build hands the plugin: the loaded sources, the release, each source's last
    commit time, and the downloads it made (file name to path)."""

    content: Content
    release: Release
    changed: dict[str, int]
    downloads: dict[str, Path] = field(default_factory=dict)


class PelotonPrepConfig(Config):  # type: ignore[no-untyped-call]
    """`plugins: [peloton-prep]` options in mkdocs.yml."""

    downloads_page = config_options.Type(str, default="guide/downloads.md")
    practice_page = config_options.Type(str, default="practice.md")
    plan_page = config_options.Type(str, default="de/study-plan.md")
    # The page whose RELEASE_NOTES marker becomes the deck's release notes, from the release record.
    changelog_page = config_options.Type(str, default="changelog.md")
    # Where a plain `mkdocs build` or `serve` finds earlier outputs to offer as downloads.
    outputs_dir = config_options.Type(str, default="build")


class PelotonPrepPlugin(BasePlugin[PelotonPrepConfig]):  # type: ignore[no-untyped-call]
    """One instance lives through a `serve` session (it has on_startup), with its cache."""

    def __init__(self) -> None:
        self.prepared: SiteInputs | None = None
        self.cache = SourceCache()
        self.inputs: SiteInputs | None = None
        self.serving = False
        self.dirty = False
        self.built: dict[str, str] = {}  # under a dirty `serve`: each page's inputs at its last build
        self.templates = TemplateCache()
        # Under `serve`, the problems of the latest sources, shown on every page of the preview.
        self.problems: ContentError | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Its presence keeps this instance, and its cache, across a preview's rebuilds."""
        self.serving = command == "serve"
        self.dirty = dirty

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path).parent
        try:
            self.inputs = self.prepared or self._load(root)
            self.problems = None
        except ContentError as error:
            if not self.serving:
                raise PluginError(f"peloton-prep: the sources in {root} have problems:\n{error}") from error
            # The preview keeps showing the last good sources, with the problems on every page.
            self.problems = error
            self.inputs = self.inputs or SiteInputs(empty_content(root), current_release(root), {})
        return config

    def _load(self, root: Path) -> SiteInputs:
        content = load_content(root, self.cache)
        outputs = root / self.config.outputs_dir
        downloads = {name: outputs / name for name in DOWNLOADS if (outputs / name).is_file()}
        return SiteInputs(content, current_release(root), last_changed(root), downloads)

    @property
    def _inputs(self) -> SiteInputs:
        if self.inputs is None:
            raise PluginError("peloton-prep: the plugin ran before on_config")
        return self.inputs

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        content = self._inputs.content
        for name, svg in content.diagrams.items():
            files.append(File.generated(config, f"diagrams/{name}.svg", content=svg))
        script = practice_script(content, config.use_directory_urls)
        files.append(File.generated(config, "assets/practice-cards.js", content=script))
        for name, data in study_assets(content, config.use_directory_urls).items():
            files.append(File.generated(config, name, content=data))
        files.append(File.generated(config, "assets/javascripts/iframe-worker-shim.js", abs_src_path=str(SHIM)))
        for name, path in self._inputs.downloads.items():
            files.append(File.generated(config, f"downloads/{name}", abs_src_path=str(path)))
        return files

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        page.meta.setdefault("revision_date", f"Last updated {self._updated(page.file.src_uri)}")
        if page.file.src_uri == self.config.changelog_page:
            content = self._inputs.content
            cards = {card.id: card for card in (*content.cards, *content.retired)}
            markdown = markdown.replace(RELEASE_NOTES, release_notes(content.record, cards))
        return markdown

    def _updated(self, page: str) -> str:
        """A page changes when its Markdown or any of its cards does; files not yet committed take the release date."""
        inputs = self._inputs
        sources = {f"docs/{page}", *(card.path for card in inputs.content.cards_for(page))}
        newest = max(inputs.changed.get(source, inputs.release.timestamp) for source in sources)
        return datetime.fromtimestamp(newest, UTC).strftime("%Y-%m-%d")

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        # Raw HTML, which MkDocs does not rewrite: the glossary's address is made relative here.
        glossary_url = get_relative_url(page_url(GLOSSARY_PAGE, config.use_directory_urls), page.url)
        blocks = section_blocks(self._inputs.content, page.file.src_uri, glossary_url)
        if page.file.src_uri == self.config.downloads_page:
            prefix = get_relative_url("downloads/", page.url)
            sizes = {name: path.stat().st_size for name, path in self._inputs.downloads.items()}
            import_page = files.get_file_from_path("guide/import.md")
            import_url = get_relative_url(import_page.url, page.url) if import_page else None
            blocks["files"] = downloads_table(sizes, prefix, self._inputs.release, import_url)
        html = IMG_SVG.sub(self._diagram, append_to_sections(html, blocks))
        html = PLAIN_BLOCK.sub(_prose_block, html)
        html = TABLE.sub(_searchable_table, html)
        if page.file.src_uri == self.config.plan_page:
            html = with_plan_date_box(html)
        if page.file.src_uri == self.config.practice_page:
            # Raw HTML is not rewritten by MkDocs, and the offline site puts this page one level up.
            html = PRACTICE_ASSETS.sub(lambda m: f'{m[1]}="{get_relative_url(m[2], page.url)}"', html)
        return html

    def on_nav(self, navigation: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        """Under a dirty `serve`, have MkDocs render again the pages whose cards, date or navigation changed."""
        if self.serving and self.dirty:
            pages = {file.src_uri: Path(file.abs_dest_path) for file in files.documentation_pages()}
            shared = (self.problems and str(self.problems), sorted(self._inputs.downloads),
                      Path(config.config_file_path).stat().st_mtime_ns)
            remove_stale(self.built, page_keys(self._inputs.content, list(pages), shared, self._updated), pages)
        return navigation

    def on_serve(
        self, server: LiveReloadServer, config: MkDocsConfig, builder: Callable[..., None],
    ) -> LiveReloadServer:
        watch_often(server, config)
        return server

    def on_env(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment:
        if self.serving:
            env.bytecode_cache = self.templates
        return env

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        if self.problems is not None:
            body = output.find(">", output.find("<body")) + 1
            output = output[:body] + problems_banner(self.problems) + output[body:]
        return _finish(output)

    def on_post_template(self, output_content: str, template_name: str, config: MkDocsConfig) -> str:
        """Theme pages that are not Markdown pages, such as 404.html, get the same finish."""
        if template_name == "404.html":
            output_content = _not_found_page(output_content, config)
        return _finish(output_content) if template_name.endswith(".html") else output_content

    def _diagram(self, match: re.Match[str]) -> str:
        """A lazily loaded diagram with its size known up front, so the page never jumps; it is a
        link to the SVG, which diagram-viewer.js opens full size with pan and zoom. The smallest
        label's size (in the SVG's own units) lets the viewer open it large enough to read."""
        alt, src, name = match.groups()
        svg = self._inputs.content.diagrams.get(name, b"").decode()
        size = SVG_SIZE.search(svg)
        width, height = (round(float(value) * 4 / 3) for value in size.groups()) if size else (600, 300)
        smallest = min((float(value) for value in FONT_SIZE.findall(svg)), default=14.0)
        return (
            f'<figure class="pp-diagram"><a class="pp-diagram__open" href="{src}" data-pp-diagram '
            f'data-label-px="{smallest * 4 / 3:.2f}">'
            f'<img src="{src}" alt="{alt}" width="{width}" height="{height}" loading="lazy" decoding="async">'
            f'<span class="pp-diagram__hint">Open full size</span></a></figure>'
        )


def problems_banner(error: ContentError) -> str:
    """The preview's notice of broken sources, first in the page's body; everything it shows is escaped."""
    items = "".join(f"<li><code>{escape(str(problem))}</code></li>" for problem in error.problems[:50])
    return (
        '<div class="pp-problems" role="alert" style="background:#fff4e5;color:#5f2b00;padding:1em;'
        'border-bottom:3px solid #b3261e;font:14px/1.4 sans-serif;position:relative;z-index:10">'
        f"<strong>The sources have {len(error.problems)} problem(s); this preview shows the last good "
        f"cards. Fix them and save:</strong><ul>{items}</ul></div>"
    )


def _prose_block(match: re.Match[str]) -> str:
    """A plain-text block, one element a line, so a line that wraps on a phone hangs under its start."""
    lines = "".join(f'<span class="pp-line">{line}\n</span>' for line in match[1].rstrip("\n").split("\n"))
    return f'<div class="highlight pp-prose"><pre><span></span><code>{lines}</code></pre>'


def _searchable_table(match: re.Match[str]) -> str:
    """A table as search sees it: one line a row, each cell after its column's heading, instead of
    every cell run together. The table itself is left out of the index; the rows, hidden on the
    page, go in."""
    rows = [[TAG.sub("", cell).strip() for cell in CELL.findall(row)] for row in ROW.findall(match[1])]
    if len(rows) < 2:
        return match[0]
    heads, body = rows[0], rows[1:]
    lines = []
    for row in body:
        pairs = enumerate(zip(heads, row, strict=False))
        cells = [f"{head}: {cell}" if head and index else cell for index, (head, cell) in pairs]
        lines.append(f"<li>{' · '.join(cell for cell in cells if cell)}</li>")
    return f'<table data-search-exclude>{match[1]}</table><ul class="pp-search-only" hidden>{"".join(lines)}</ul>'


def _not_found_page(html: str, config: MkDocsConfig) -> str:
    """The 404 page says where to go next. Online it is served at any depth, so it links from the
    site's root; in the offline copy it sits beside index.html, so its links are made relative."""
    root = urlsplit(config.site_url or "/").path or "/"
    offline = not config.use_directory_urls
    if offline:
        html = html.replace(f'="{root}', '="./')
        root = "./"
    home = f"{root}index.html" if offline else root
    practice = f"{root}practice.html" if offline else f"{root}practice/"
    onward = (
        '<h1 id="not-found">Page not found</h1>'
        "<p>There is no page at this address; it may have moved when the kit was reorganised.</p>"
        f'<ul><li><a href="{escape(home)}">Start from the home page</a>, '
        "which says where to begin for each loop;</li>"
        f"<li>search for it with the search box at the top (press <kbd>/</kbd>);</li>"
        f'<li>or <a href="{escape(practice)}">practise with the flashcards</a>.</li></ul>'
    )
    return html.replace(NOT_FOUND_TITLE, onward)


def _finish(output: str) -> str:
    """Name the search dialog and the checklist boxes, which the theme leaves unlabelled; load the
    theme's script on first interaction."""
    output = first_paint_palette(load_theme_on_interaction(output))
    output = output.replace(
        'data-md-component="search" role="dialog"',
        'data-md-component="search" role="dialog" aria-label="Search"',
    )
    return output.replace('<input type="checkbox" disabled', '<input type="checkbox" aria-label="Done" disabled')
