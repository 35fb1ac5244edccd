"""MkDocs hooks: check the cards, render them into their sections, add diagrams and downloads.

Loaded by path from mkdocs.yml, so it imports the package absolutely and keeps each handler thin.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from peloton_prep.content import Content, load_content
from peloton_prep.diagrams import diagram_sources, render_svg
from peloton_prep.lazytheme import load_theme_on_interaction
from peloton_prep.markup import Renderer
from peloton_prep.outputs import DOWNLOADS, OUTPUTS_ENV
from peloton_prep.problems import ContentError
from peloton_prep.release import current_release, last_changed
from peloton_prep.sections import append_to_sections
from peloton_prep.site import downloads_table, practice_script, section_blocks
from peloton_prep.studytools import study_assets

_state: dict[str, Any] = {}

DOWNLOADS_PAGE = "guide/downloads.md"
PRACTICE_PAGE = "practice.md"
PRACTICE_ASSETS = re.compile(r'(src|href)="\.\./(assets/practice[\w.-]*)"')
SHIM = Path(__file__).parent / "vendor" / "iframe-worker-shim.js"

IMG_SVG = re.compile(r'<img alt="([^"]*)" src="([^"]*diagrams/([\w-]+)\.svg)"\s*/?>')
SVG_SIZE = re.compile(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"')


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    root = Path(config.config_file_path).parent
    try:
        _state["content"] = load_content(root)
        _state["svgs"] = {path.stem: render_svg(path) for path in diagram_sources(root)}
    except ContentError as error:
        raise PluginError(f"peloton-prep: the sources in {root} have problems:\n{error}") from error
    _state["renderer"] = Renderer(_state["content"].settings, permalinks=False)
    _state["changed"] = last_changed(root)
    _state["release"] = current_release(root)
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for name, svg in _state["svgs"].items():
        files.append(File.generated(config, f"diagrams/{name}.svg", content=svg))
    script = practice_script(_state["content"], _state["renderer"], config.use_directory_urls)
    files.append(File.generated(config, "assets/practice-cards.js", content=script))
    for name, data in study_assets(_state["content"], config.use_directory_urls).items():
        files.append(File.generated(config, name, content=data))
    files.append(File.generated(config, "assets/javascripts/iframe-worker-shim.js", abs_src_path=str(SHIM)))
    outputs = Path(os.environ.get(OUTPUTS_ENV, Path(config.config_file_path).parent / "build"))
    _state["downloads"] = {name: (outputs / name).stat().st_size for name in DOWNLOADS if (outputs / name).is_file()}
    for name in _state["downloads"]:
        files.append(File.generated(config, f"downloads/{name}", abs_src_path=str(outputs / name)))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    page.meta.setdefault("revision_date", f"Last updated {_updated(page.file.src_uri)}")
    return markdown


def _updated(page: str) -> str:
    """A page changes when its Markdown or any of its cards does; files not yet committed take the release date."""
    content: Content = _state["content"]
    sources = {f"docs/{page}", *(card.path for card in content.cards_for(page))}
    fallback = _state["release"].timestamp
    newest = max(_state["changed"].get(source, fallback) for source in sources)
    return datetime.fromtimestamp(newest, UTC).strftime("%Y-%m-%d")


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    content: Content = _state["content"]
    blocks = section_blocks(content, page.file.src_uri, _state["renderer"])
    if page.file.src_uri == DOWNLOADS_PAGE:
        prefix = "../../downloads/" if config.use_directory_urls else "../downloads/"
        blocks["files"] = downloads_table(_state["downloads"], prefix)
    html = IMG_SVG.sub(_diagram, append_to_sections(html, blocks))
    if page.file.src_uri == PRACTICE_PAGE:
        # Raw HTML is not rewritten by MkDocs, and the offline site puts this page one level up.
        html = PRACTICE_ASSETS.sub(lambda m: f'{m[1]}="{get_relative_url(m[2], page.url)}"', html)
    return html


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return _finish(output)


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    """Theme pages that are not Markdown pages, such as 404.html, get the same finish."""
    return _finish(output_content) if template_name.endswith(".html") else output_content


def _finish(output: str) -> str:
    """Name the search dialog and the checklist boxes, which the theme leaves unlabelled; load the
    theme's script on first interaction."""
    output = load_theme_on_interaction(output)
    output = output.replace(
        'data-md-component="search" role="dialog"',
        'data-md-component="search" role="dialog" aria-label="Search"',
    )
    return output.replace('<input type="checkbox" disabled', '<input type="checkbox" aria-label="Done" disabled')


def _diagram(match: re.Match[str]) -> str:
    """A lazily loaded diagram with its size known up front, so the page never jumps."""
    alt, src, name = match.groups()
    size = SVG_SIZE.search(_state["svgs"][name].decode())
    width, height = (round(float(value) * 4 / 3) for value in size.groups()) if size else (600, 300)
    return (
        f'<figure class="pp-diagram"><img src="{src}" alt="{alt}" width="{width}" height="{height}" '
        f'loading="lazy" decoding="async"></figure>'
    )
