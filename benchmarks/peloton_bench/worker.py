"""One stage in a fresh interpreter, timed after its imports and inputs are ready.

    python -m peloton_bench.worker '{"stage": "site", "root": "/tmp/project", "out": "/tmp/out"}'

Prints one JSON line: {"seconds", "cpu", "info"}. Every stage calls the project's own functions
(`load_content`, `write_deck`, `write_pdfs`, `build_site`, ...), the way `peloton-prep build` does.
"""

from __future__ import annotations

import json
import logging
import resource
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from peloton_prep.build import build_site, write_pdfs
from peloton_prep.deck import write_deck
from peloton_prep.outputs import OFFLINE_ZIP, zip_directory
from peloton_prep.site.plugin import SiteInputs
from peloton_prep.sources.content import load_content
from peloton_prep.sources.release import current_release, last_changed

STAGES = ("load", "deck", "pdfs", "site", "site-handed", "bare", "offline")


def plain_mkdocs_build(config_file: Path, site_dir: Path, strict: bool = True) -> None:
    """What `mkdocs build` does, in-process: the plugin (if the config names it) loads the sources."""
    config = load_config(str(config_file), site_dir=str(site_dir), strict=strict)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(config)
    finally:
        config.plugins.on_shutdown()


def prepare(stage: str, root: Path, out: Path, spec: dict[str, Any]) -> tuple[Callable[[], None], dict[str, Any]]:
    """The call to time, with everything it needs done first; and the dict it reports into."""
    info: dict[str, Any] = {}
    site = out / "site"

    def site_build(build: Callable[[], None]) -> Callable[[], None]:
        def timed() -> None:
            build()
            info["html_files"] = sum(1 for _ in site.rglob("*.html"))
        return timed

    if stage == "load":
        def load() -> None:
            content = load_content(root)
            info.update(pages=len(content.pages), cards=len(content.cards))
        return load, info
    if stage == "bare":  # not strict: the pages link diagrams and downloads only the plugin adds
        return site_build(partial(plain_mkdocs_build, root / "mkdocs-bare.yml", site, strict=False)), info
    if stage == "site":
        return site_build(partial(plain_mkdocs_build, root / "mkdocs.yml", site)), info
    content, release = load_content(root), current_release(root)
    info["cards"] = len(content.cards)
    downloads = {path.name: path for path in sorted((root / "build").iterdir()) if path.is_file()}
    inputs = SiteInputs(content, release, last_changed(root), downloads)
    if stage == "site-handed":
        return site_build(partial(build_site, root / "mkdocs.yml", site, inputs)), info
    if stage == "offline":
        def offline() -> None:
            build_site(root / "mkdocs-offline.yml", out / "offline-site", inputs)
            zip_directory(out / "offline-site", out / OFFLINE_ZIP)
            info["bytes"] = (out / OFFLINE_ZIP).stat().st_size
        return offline, info
    if stage == "deck":
        return lambda: write_deck(content, release, out / "deck.apkg"), info
    if stage == "pdfs":
        papers = tuple(spec.get("papers", ("a4", "letter")))
        return lambda: write_pdfs(content, release, out, papers), info
    raise SystemExit(f"unknown stage {stage!r}; one of {', '.join(STAGES)}")


def cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main(argv: list[str]) -> None:
    spec: dict[str, Any] = json.loads(argv[0])
    # MkDocs reports through logging; show its warnings (strict mode fails on them) as the CLI does.
    logging.getLogger("mkdocs").addHandler(logging.StreamHandler(sys.stderr))
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    out = Path(spec["out"])
    out.mkdir(parents=True, exist_ok=True)
    action, info = prepare(spec["stage"], Path(spec["root"]), out, spec)
    started, cpu_started = time.perf_counter(), cpu_seconds()
    action()
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu_started
    print(json.dumps({"seconds": seconds, "cpu": cpu, "info": info}))


if __name__ == "__main__":
    main(sys.argv[1:])
