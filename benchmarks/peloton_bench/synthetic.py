"""Projects to measure: a copy of the real one, and synthetic ones of any size.

Every project gets three configs: `mkdocs.yml` (the real one, nav replaced for synthetic
projects), `mkdocs-offline.yml`, and `mkdocs-bare.yml`, the same with `plugins: [search]` only,
which builds the same pages with no peloton-prep plugin.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path
from typing import Any

import yaml

from peloton_prep.outputs import DOWNLOADS
from peloton_prep.sources.cardrules import MAX_BACK_WORDS
from peloton_prep.sources.entries import read_entries
from peloton_prep.sources.taxonomy import ROLES, ROUNDS, SEEDS

REPOSITORY = Path(__file__).resolve().parents[2]
SOURCES = ("docs", "cards", "diagrams", "solutions")
CONFIGS = ("mkdocs.yml", "mkdocs-offline.yml")
BARE_CONFIG = "mkdocs-bare.yml"
SYNTHETIC_PAGES = 50
SECTIONS_PER_PAGE = 5


def copy_project(source: Path, target: Path, downloads: bool = True) -> Path:
    """The sources and configs of `source` (without its git history) in `target`, plus the bare config
    and, with `downloads`, stand-ins for an earlier build's downloads in `target/build`."""
    target.mkdir(parents=True)
    for name in SOURCES:
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in CONFIGS:
        if (source / name).is_file():
            shutil.copyfile(source / name, target / name)
    write_bare_config(target)
    if downloads:
        stage_downloads(target / "build", source / "build")
    return target


def write_bare_config(project: Path) -> None:
    """mkdocs.yml with `plugins: [search]`: the same pages, theme and extensions, no plugin of ours."""
    config = _read_config(project / "mkdocs.yml")
    config["plugins"] = ["search"]
    (project / BARE_CONFIG).write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


def _read_config(path: Path) -> dict[str, Any]:
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(config, dict):
        raise ValueError(f"{path} is not a mapping")
    return config


def stage_downloads(folder: Path, built: Path) -> dict[str, Path]:
    """The site links the deck and guides built beside it: copies of `built`'s, or empty files."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in DOWNLOADS:
        if (built / name).is_file():
            shutil.copyfile(built / name, folder / name)
        else:
            (folder / name).write_bytes(b"")
    return {name: folder / name for name in DOWNLOADS}


WORDS = (
    "latency", "budget", "retry", "queue", "shard", "replica", "leader", "follower", "quorum", "cache",
    "eviction", "stream", "backpressure", "idempotent", "ledger", "outbox", "consumer", "partition",
    "watermark", "checkpoint", "rollout", "canary", "firmware", "device", "sync", "conflict", "merge",
    "clock", "vector", "causal", "region", "failover", "throughput", "percentile", "tail", "fan-out",
    "leaderboard", "heart-rate", "session", "rider", "class", "instructor", "metric", "dashboard", "alert",
    "incident", "postmortem", "owner", "roadmap", "trade-off", "cost", "capacity",
)


class Writer:
    """Deterministic filler text, so two runs time the same content."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)

    def words(self, count: int) -> str:
        return " ".join(self.random.choice(WORDS) for _ in range(count))

    def sentence(self, count: int) -> str:
        text = self.words(count)
        return text[0].upper() + text[1:] + "."


def synthetic_page(number: int, writer: Writer) -> str:
    parts = [
        "---",
        f"description: Synthetic benchmark page {number} with {SECTIONS_PER_PAGE} sections of prose and cards.",
        "---",
        "",
        f"# Synthetic page {number}",
        "",
        " ".join(writer.sentence(12) for _ in range(3)),
        "",
    ]
    for section in range(1, SECTIONS_PER_PAGE + 1):
        parts += [
            f"## Section {section}",
            "",
            " ".join(writer.sentence(14) for _ in range(4)),
            "",
            f"- **{writer.words(2)}:** {writer.words(10)}",
            f"- `{writer.random.choice(WORDS)}_{section}` {writer.words(8)}",
            f"- {writer.words(12)}",
            "",
        ]
        if section % 2 == 0:
            parts += ["| choice | cost | when |", "| --- | --- | --- |"]
            parts += [f"| {writer.words(2)} | {writer.random.randint(1, 900)} ms | {writer.words(4)} |"
                      for _ in range(3)]
            parts.append("")
        if section % 3 == 0:
            parts += ["```python", "def handle(event):", "    return retry(event, budget=3)", "```", ""]
    return "\n".join(parts)


def synthetic_card(number: int, page: str, section: int, tags: tuple[str, str], seed: str, writer: Writer) -> str:
    """One card that passes `peloton-prep check`; even numbers Q&A, odd ones cloze, every answer distinct."""
    role, round_ = tags
    common = [
        f"  tags: [role::{role}, round::{round_}, topic::synthetic]",
        f"  page: {page}",
        f"  section: section-{section}",
        f"  source: {seed}" if number % 3 else f"  source: [{seed}, https://example.org/ref/{number}]",
    ]
    if number % 2 == 0:
        back = [
            f"**Clarify** {writer.words(8)}.",
            "",
            f"- {writer.words(10)}",
            f"- `{writer.random.choice(WORDS)}` {writer.words(8)}",
            f"- {writer.words(10)}",
            "",
            writer.sentence(15),
        ]
        front = f"How would you handle {writer.words(10)} in case {number}?"
        head = ["  kind: qa", f"  front: {json.dumps(front)}", "  back: |",
                *[f"    {line}" if line else "" for line in back]]
    else:
        text = (f"{writer.sentence(6)[:-1]} {{{{c1::{writer.random.choice(WORDS)} {number}}}}} {writer.words(5)} "
                f"{{{{c2::{number + 10} ms::latency}}}} in case {number}.")
        extra = f"{writer.sentence(30)} **{writer.words(2)}** {writer.sentence(10)}"
        head = ["  kind: cloze", f"  text: {json.dumps(text)}", f"  extra: {json.dumps(extra)}"]
    return "\n".join([f"- id: syn-{number:05d}", *head, *common]) + "\n"


def write_synthetic_project(target: Path, cards: int, pages: int = SYNTHETIC_PAGES) -> Path:
    """`pages` pages and `cards` cards spread evenly over their sections, with the real config."""
    writer = Writer(cards)
    for name in SOURCES:
        (target / name).mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPOSITORY / "docs" / "assets", target / "docs" / "assets")
    names = [f"p{number:02d}.md" for number in range(1, pages + 1)]
    for number, name in enumerate(names, 1):
        (target / "docs" / name).write_text(synthetic_page(number, writer), encoding="utf-8")
    files: dict[str, list[str]] = {name: [] for name in names}
    roles, rounds, seeds = sorted(ROLES), sorted(ROUNDS), sorted(SEEDS)
    for number in range(cards):
        index = number % pages
        section = (number // pages) % SECTIONS_PER_PAGE + 1
        tags = (roles[index % len(roles)], rounds[index % len(rounds)])
        files[names[index]].append(synthetic_card(number, names[index], section, tags, seeds[number % 2], writer))
    for page, entries in files.items():
        (target / "cards" / page.replace(".md", ".yaml")).write_text("\n".join(entries), encoding="utf-8")
    for name in CONFIGS:
        config = _read_config(REPOSITORY / name)
        if "nav" in config:
            config["nav"] = [{f"Synthetic page {number}": name} for number, name in enumerate(names, 1)]
        (target / name).write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    write_bare_config(target)
    stage_downloads(target / "build", REPOSITORY / "build")
    return target


def card_to_edit(project: Path) -> tuple[Path, int, str]:
    """A Q&A card whose answer starts with a prose line and has room for one more word:
    (its file, the index of that line, its page)."""
    for path in sorted((project / "cards").glob("*.yaml")):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        entries, _ = read_entries(path.name, "".join(lines))
        for entry in entries:
            back = entry.values.get("back")
            if entry.values.get("kind") != "qa" or not isinstance(back, str) or len(back.split()) >= MAX_BACK_WORDS:
                continue
            key_index = entry.lines["back"] - 1
            if lines[key_index].split(":", 1)[1].strip() in ("|", "|-", ">", ">-"):
                first = lines[key_index + 1]
                if first.strip() and first.lstrip()[0].isalpha():
                    return path, key_index + 1, str(entry.values["page"])
    raise RuntimeError("no Q&A card with a plain first line of its answer and under the word limit")
