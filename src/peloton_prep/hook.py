"""MkDocs hooks: check the cards, render them into their sections, add diagrams and downloads.

Loaded by path from mkdocs.yml, so it imports the package absolutely and keeps each handler thin.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from peloton_prep.content import Content, load_content
from peloton_prep.diagrams import diagram_sources, render_svg
from peloton_prep.markup import Renderer
from peloton_prep.outputs import DOWNLOADS, OUTPUTS_ENV
from peloton_prep.problems import ContentError
from peloton_prep.sections import append_to_sections
from peloton_prep.site import practice_script, section_blocks

_state: dict[str, Any] = {}

IMG_SVG = re.compile(r'<img alt="([^"]*)" src="([^"]*diagrams/([\w-]+)\.svg)"\s*/?>')


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    root = Path(config.config_file_path).parent
    try:
        _state["content"] = load_content(root)
        _state["svgs"] = {path.stem: render_svg(path) for path in diagram_sources(root)}
    except ContentError as error:
        raise PluginError(f"peloton-prep: the sources in {root} have problems:\n{error}") from error
    _state["renderer"] = Renderer(_state["content"].settings, permalinks=False)
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for name, svg in _state["svgs"].items():
        files.append(File.generated(config, f"diagrams/{name}.svg", content=svg))
    script = practice_script(_state["content"], _state["renderer"])
    files.append(File.generated(config, "assets/practice-cards.js", content=script))
    outputs = Path(os.environ.get(OUTPUTS_ENV, Path(config.config_file_path).parent / "build"))
    for name in DOWNLOADS:
        if (outputs / name).is_file():
            files.append(File.generated(config, f"downloads/{name}", abs_src_path=str(outputs / name)))
    return files


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    content: Content = _state["content"]
    blocks = section_blocks(content, page.file.src_uri, _state["renderer"])
    return IMG_SVG.sub(_inline_svg, append_to_sections(html, blocks))


def _inline_svg(match: re.Match[str]) -> str:
    """Inline diagrams so their strokes follow the light or dark theme's text colour."""
    svg = _state["svgs"][match.group(3)].decode()
    svg = svg[svg.index("<svg"):]
    alt = match.group(1)
    return f'<figure class="pp-diagram" role="img" aria-label="{alt}">{svg}</figure>'
