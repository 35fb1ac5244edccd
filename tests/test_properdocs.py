"""The site builds through the plugin's entry point under ProperDocs as well as MkDocs.

MkDocs 1.6.1 is the last MkDocs release; ProperDocs continues MkDocs 1.x and runs the same
`mkdocs.plugins` entry points, so the same mkdocs.yml must give the same pages under both.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import GOOD_CLOZE, GOOD_QA

pytest.importorskip("properdocs")


def site(project: Path, tool: str) -> Path:
    """`TOOL build` of the project's mkdocs.yml, in a child process as a user would run it."""
    target = project / f"site-{tool}"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([sys.executable, "-m", tool, "build", "--strict", "-f", "mkdocs.yml", "-d", str(target)],
                   cwd=project, env=env, check=True, capture_output=True, timeout=120)
    return target


def pages(folder: Path) -> set[str]:
    return {path.relative_to(folder).as_posix() for path in folder.rglob("*.html")}


def test_properdocs_builds_the_same_pages(tiny_project: Path, write_cards: Callable[[str, str], Path]) -> None:
    write_cards("test.yaml", GOOD_QA + GOOD_CLOZE)
    for watched in ("diagrams", "solutions"):  # mkdocs.yml watches them
        (tiny_project / watched).mkdir()
    mkdocs, properdocs = site(tiny_project, "mkdocs"), site(tiny_project, "properdocs")
    assert pages(properdocs) == pages(mkdocs) == {"404.html", "test/index.html"}
    for folder in (mkdocs, properdocs):
        page = (folder / "test" / "index.html").read_text()
        assert 'id="card-test-qa"' in page and 'id="card-test-cloze"' in page, f"{folder.name}: no cards"
        assert (folder / "assets" / "practice-cards.js").is_file(), f"{folder.name}: the plugin did not run"
