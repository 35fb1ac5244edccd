"""One build: check the sources, render every output into a new version folder, then publish it.

Sources, the release and the git history are read once, here, and handed to every stage: the
deck, the PDFs (in worker processes) and the site (through the plugin's `prepared` inputs).
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from peloton_prep.deck import write_deck
from peloton_prep.epub import write_epub
from peloton_prep.outputs import (
    DECK,
    DOWNLOADS,
    EPUB,
    OFFLINE_ZIP,
    SITE,
    card_sheet_name,
    guide_name,
    locked,
    publish,
    staging_area,
    zip_directory,
)
from peloton_prep.pdf.cardsheet import write_card_sheets
from peloton_prep.pdf.chromium import chromium
from peloton_prep.pdf.edits import PAPER_MM
from peloton_prep.pdf.guide import COMPACT, FULL, Edition, book, write_guides
from peloton_prep.site.plugin import PLUGIN_NAME, SiteInputs
from peloton_prep.sources.content import Content, load_content
from peloton_prep.sources.release import Release, current_release, last_changed

PAPERS = tuple(PAPER_MM)  # "a4" first: the default paper
PR_SET_PDEATHSIG = 1


@dataclass
class BuildReport:
    """What the build did and how long each stage took, for the closing summary."""

    stages: list[tuple[str, float]] = field(default_factory=list)
    outputs: dict[str, int] = field(default_factory=dict)
    content: Content | None = None


def build(root: Path, build_dir: Path, papers: tuple[str, ...], say: Callable[[str], None]) -> BuildReport:
    """Write site, deck and guides to build/; on any error build/ is left as it was."""
    report = BuildReport()
    with _stage(report, "check sources", say):
        content = report.content = load_content(root)
        release = current_release(root)
        changed = last_changed(root)
    with locked(build_dir), staging_area(build_dir) as staging:
        with _stage(report, "anki deck", say):
            write_deck(content, release, staging / DECK)
        with _stage(report, f"guide + cards ({', '.join(papers)})", say):
            write_pdfs(content, release, staging, papers)
        with _stage(report, "epub", say):
            write_epub(content, release, staging / EPUB)
        with _stage(report, "offline zip", say):
            offline_site = staging / ".offline-site"
            offline_inputs = SiteInputs(content, release, changed, _downloads(staging))
            build_site(root / "mkdocs-offline.yml", offline_site, offline_inputs)
            zip_directory(offline_site, staging / OFFLINE_ZIP)
            shutil.rmtree(offline_site)
        with _stage(report, "site", say):
            build_site(root / "mkdocs.yml", staging / SITE, SiteInputs(content, release, changed, _downloads(staging)))
        report.outputs = _sizes(staging)
        publish(staging, build_dir)
    return report


def _downloads(staging: Path) -> dict[str, Path]:
    return {name: staging / name for name in DOWNLOADS if (staging / name).is_file()}


def write_pdfs(content: Content, release: Release, staging: Path, papers: tuple[str, ...]) -> None:
    """Printing is CPU-bound, so the full guide prints beside the card sheets and the compact
    guide, which together take about as long."""
    guides = {paper: staging / guide_name(paper) for paper in papers}
    compact = {paper: staging / guide_name(paper, compact=True) for paper in papers}
    sheets = {paper: staging / card_sheet_name(paper) for paper in papers}
    workers = min(2, os.cpu_count() or 1)
    with ProcessPoolExecutor(max_workers=workers, initializer=_die_with_parent) as pool:
        jobs = [
            pool.submit(_print_guides, content, release, staging, {FULL: guides}),
            pool.submit(_print_guides, content, release, staging, {COMPACT: compact}, sheets),
        ]
        for job in jobs:
            job.result()


def _die_with_parent() -> None:
    """A worker (and so its Chromium) ends when the build does, even if the build is killed."""
    with suppress(OSError, AttributeError):  # not Linux: workers still end when their pipe closes
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle


def _print_guides(
    content: Content,
    release: Release,
    staging: Path,
    editions: dict[Edition, dict[str, Path]],
    sheets: dict[str, Path] | None = None,
) -> None:
    """The guide's text renders in a thread while Chromium starts (and prints the card sheets,
    if this worker has them), which is mostly waiting."""
    with tempfile.TemporaryDirectory(prefix=".print-", dir=staging) as folder, ThreadPoolExecutor(1) as thread:
        texts = {edition: thread.submit(book, content, Path(folder), edition) for edition in editions}
        with chromium() as browser:
            if sheets:
                write_card_sheets(browser, content, release, sheets)
            for edition, targets in editions.items():
                write_guides(browser, texts[edition].result(), release, targets)


def build_site(config_file: Path, site_dir: Path, inputs: SiteInputs) -> None:
    """Run a strict `mkdocs build` whose plugin gets the sources this build already loaded."""
    config = load_config(str(config_file), site_dir=str(site_dir))
    config.plugins[PLUGIN_NAME].prepared = inputs  # type: ignore[attr-defined]
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(config)
    finally:
        config.plugins.on_shutdown()


@contextmanager
def _stage(report: BuildReport, name: str, say: Callable[[str], None]) -> Iterator[None]:
    started = time.perf_counter()
    yield
    seconds = time.perf_counter() - started
    report.stages.append((name, seconds))
    say(f"  {name:<22} {seconds:6.2f} s")


def _sizes(staging: Path) -> dict[str, int]:
    sizes = {}
    for item in sorted(staging.iterdir()):
        files = [item] if item.is_file() else [p for p in item.rglob("*") if p.is_file()]
        sizes[item.name + ("/" if item.is_dir() else "")] = sum(p.stat().st_size for p in files)
    return sizes


def summary_lines(report: BuildReport) -> list[str]:
    """Pages, cards by kind and by deck, and the size of each output."""
    content = report.content
    assert content is not None
    kinds = Counter(card.kind for card in content.cards)
    decks = Counter(card.deck for card in content.cards)
    lines = [
        f"{len(content.pages)} pages, {len(content.cards)} cards "
        f"({kinds['qa']} Q&A, {kinds['cloze']} cloze)",
    ]
    lines += [f"  {count:4d}  {deck}" for deck, count in sorted(decks.items())]
    lines += [f"  {name:<32} {size / 1024:8.0f} KiB" for name, size in report.outputs.items()]
    return lines
