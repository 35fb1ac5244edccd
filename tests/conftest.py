"""Shared fixtures: a tiny project for error cases, and one real build of the kit."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser

from peloton_prep.build import PAPERS, BuildReport, build
from peloton_prep.pdf.chromium import chromium
from peloton_prep.sources.release import Release

ROOT = Path(__file__).resolve().parent.parent
# A fixed release for outputs written in tests: 2026-01-02 12:00 UTC.
RELEASE = Release("2026.01.02-abc1234", 1767355200)

PAGE = """---
description: A page for tests.
---

# Test page

## Latency budgets { #latency-budgets }

Some prose.

## Idempotency

More prose.
"""

GOOD_QA = """\
- id: test-qa
  kind: qa
  front: What makes a retry safe?
  back: An idempotency key the server remembers.
  tags: [role::pm, round::trade-offs, topic::idempotency]
  page: test.md
  section: idempotency
  source: seed:pm-system-design
"""

GOOD_CLOZE = """\
- id: test-cloze
  kind: cloze
  text: Heart-rate sharing must arrive within {{c1::1 s}}.
  extra: Riders compare effort live; older numbers mislead.
  tags: [role::pm, round::trade-offs]
  page: test.md
  section: latency-budgets
  source: [seed:pm-system-design, https://example.org/ref]
"""


@pytest.fixture
def tiny_project(tmp_path: Path) -> Path:
    """A minimal project with the real Markdown settings, one page and no cards."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    config["nav"] = [{"Test": "test.md"}]
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config))
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "test.md").write_text(PAGE)
    (tmp_path / "cards").mkdir()
    return tmp_path


@pytest.fixture
def write_cards(tiny_project: Path) -> Callable[[str, str], Path]:
    """Write a card file into the tiny project and return its path."""

    def write(name: str, text: str) -> Path:
        path = tiny_project / "cards" / name
        path.write_text(text)
        return path

    return write


@pytest.fixture(scope="session")
def real_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    """The real kit built once into a temporary build/ folder."""
    build_dir = tmp_path_factory.mktemp("build")
    report = build(ROOT, build_dir, PAPERS, lambda line: None)
    return build_dir, report


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A copy of the real sources, to edit without touching the repository."""
    target = tmp_path / "project"
    for name in ("mkdocs.yml", "mkdocs-offline.yml", "docs", "cards", "diagrams", "solutions"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        elif source.exists():
            target.mkdir(exist_ok=True)
            shutil.copy(source, target / name)
    return target


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's headless Chromium as the build launches it, shared by every test."""
    with chromium() as launched:
        yield launched
