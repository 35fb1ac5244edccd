"""Diagrams: Graphviz text in diagrams/, rendered to SVG at build time with no browser.

Each diagram has two variants: the site's, as its author laid it out, and the print one, which
the guide and the EPUB show at one scale (PRINT_SCALE). A flow too wide for the page at that
scale is laid out again top to bottom for print; every other diagram prints the site's layout.
Either way, one Graphviz run per diagram and variant per build.
"""

from __future__ import annotations

import os
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

from peloton_prep.errors import ContentError, Problem, ToolMissing
from peloton_prep.sources.fileversion import FileVersion, file_version
from peloton_prep.sources.textfile import read_text

# Plain styling on a transparent background: the site inverts it for dark mode, print keeps it.
DEFAULTS = [
    "-Gbgcolor=transparent",
    "-Gfontname=DejaVu Sans",
    "-Nfontname=DejaVu Sans",
    "-Efontname=DejaVu Sans",
    "-Nshape=box",
    "-Nstyle=rounded",
    "-Gpad=0.1",
]


# Print shows every diagram at this fraction of Graphviz's size: its 14 pt labels print at 9.1 pt
# and the smallest label any diagram sets (11 pt) at 7.15 pt, above the legible minimum of 7 pt.
PRINT_SCALE = 0.65
# The widest a printed diagram may be (the guide's text block, 146 mm: anything wider makes
# Chromium shrink every page to fit) and the tallest (about half the text block), in points.
PRINT_WIDTH_PT = 146 / 25.4 * 72
PRINT_HEIGHT_PT = 125 / 25.4 * 72
# A wide flow turned top to bottom, with its ranks and nodes drawn closer so it stays short.
TOP_TO_BOTTOM = ["-Grankdir=TB", "-Granksep=0.3", "-Gnodesep=0.25"]
# Graphviz's own tool for wide fan-outs: it staggers the leaves of a node with many children over
# two ranks, so a four-way branch is half as wide.
UNFLATTEN = ["unflatten", "-l", "2"]
SVG_SIZE = re.compile(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"')
# In a PDF viewer a ligature ("fi") is one glyph, so search and copy miss the word; an SVG shown as
# an image takes no style from the page, so the rule goes inside it.
NO_LIGATURES = b"<style>text { font-variant-ligatures: none; font-kerning: normal; }</style>"


def diagram_sources(root: Path) -> list[Path]:
    return sorted((root / "diagrams").glob("*.dot"))


def render_diagrams(root: Path, cache: dict[FileVersion, bytes]) -> tuple[dict[str, bytes], list[Problem]]:
    """Every diagram as SVG by name, one Graphviz run per version of each source (`cache` keeps
    them between a preview's rebuilds); every broken file is reported, not only the first.
    Graphviz runs side by side, one process per core."""
    sources = {source: file_version(source) for source in diagram_sources(root)}
    missing = [source for source, key in sources.items() if key not in cache]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        runs = dict(zip(missing, pool.map(partial(_try_dot, root), missing), strict=True))
    svgs: dict[str, bytes] = {}
    problems: list[Problem] = []
    for source, key in sources.items():
        if isinstance(run := runs.get(source), ContentError):
            problems += run.problems
            continue
        if run is not None:
            cache[key] = run
        svgs[source.stem] = cache[key]
    return svgs, problems


def _try_dot(root: Path, source: Path) -> bytes | ContentError:
    try:
        return _run_dot(root, source)
    except ContentError as error:
        return error


def svg_size(svg: bytes) -> tuple[float, float]:
    """A Graphviz SVG's width and height in points."""
    found = SVG_SIZE.search(svg.decode())
    return (float(found.group(1)), float(found.group(2))) if found else (PRINT_WIDTH_PT, PRINT_HEIGHT_PT)


def needs_top_to_bottom(svg: bytes) -> bool:
    """Whether the site's layout is too wide for the page at the print scale."""
    return svg_size(svg)[0] * PRINT_SCALE > PRINT_WIDTH_PT


def render_print_diagrams(
    root: Path, svgs: dict[str, bytes], cache: dict[FileVersion, bytes]
) -> tuple[dict[str, bytes], list[Problem]]:
    """The print variant of every diagram the site has, by name: a second Graphviz run (once per
    version of its source) only for a flow too wide to print; problems are reported, not raised."""
    prints: dict[str, bytes] = {}
    problems: list[Problem] = []
    for source in diagram_sources(root):
        if source.stem not in svgs:
            continue
        svg = svgs[source.stem]
        if not needs_top_to_bottom(svg):
            prints[source.stem] = for_print(svg)
            continue
        key = file_version(source)
        if key not in cache:
            try:
                cache[key] = for_print(_run_dot(root, source, TOP_TO_BOTTOM))
            except ContentError as error:
                problems += error.problems
                continue
        prints[source.stem] = cache[key]
    return prints, problems


def for_print(svg: bytes) -> bytes:
    """Black on white, without ligatures: a diagram for paper and e-ink screens."""
    svg = svg.replace(b'"currentColor"', b'"black"')
    return re.sub(rb"(<svg\b[^>]*>)", lambda found: found.group(1) + NO_LIGATURES, svg, count=1)


def _unflattened(text: str) -> str:
    try:
        result = subprocess.run(UNFLATTEN, input=text.encode(), capture_output=True, check=False, timeout=60)
    except (FileNotFoundError, subprocess.TimeoutExpired):
        return text  # laid out without staggering: wider, and the read-back tests say so
    return result.stdout.decode() if result.returncode == 0 else text


def _run_dot(root: Path, source: Path, extra: list[str] | None = None) -> bytes:
    name = source.relative_to(root).as_posix()
    text = read_text(root, source)
    if extra:
        text = _unflattened(text)
    try:
        result = subprocess.run(
            ["dot", "-Tsvg", *DEFAULTS, *(extra or [])],
            input=text.encode(), capture_output=True, check=False, timeout=60,
        )
    except FileNotFoundError as error:
        raise ToolMissing("Graphviz 'dot' is not installed: run scripts/system-deps") from error
    except subprocess.TimeoutExpired as error:
        raise ContentError([Problem(name, 1, "", "", "Graphviz took over 60 s on this file")]) from error
    if result.returncode != 0:
        message = " ".join(result.stderr.decode(errors="replace").split())
        raise ContentError([Problem(name, _error_line(message), "", "", message)])
    return _themeable(result.stdout)


def _themeable(svg: bytes) -> bytes:
    """Draw in currentColor (black unless inlined) and drop the comment naming Graphviz's version."""
    text = svg.decode()
    text = re.sub(r"<!-- Generated by graphviz[^>]*-->\n", "", text)
    text = text.replace('"black"', '"currentColor"').replace('fill="white"', 'fill="none"')
    return text.encode()


def _error_line(message: str) -> int:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else 1
