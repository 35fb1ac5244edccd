"""Benchmarks for peloton-prep: time and memory of every build stage, against the budgets.

    .venv/bin/python benchmarks/run.py [--runs N] [--quick] [--output benchmarks/results.md]

Every measurement runs in its own child process (this script re-run with --worker, or the
`peloton-prep` command itself), so the peak memory of one stage never includes another's. The
parent reaps each child with os.wait4, whose rusage gives the child's ru_maxrss (its largest
process, descendants included), and samples the proportional set size (PSS) summed over the
child's whole process tree every 0.1 s, which catches parallel workers that ru_maxrss, being a
maximum and not a sum, would hide. "Peak MB" is the larger of the two.

Nothing is written inside the project: synthetic projects, copies and outputs live in a temp dir.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
COPIED_DIRS = ("docs", "cards", "diagrams", "solutions")
COPIED_CONFIGS = ("mkdocs.yml", "mkdocs-offline.yml")
SYNTHETIC_PAGES = 50
SECTIONS_PER_PAGE = 5

# Budgets from the brief.
COLD_BUILD_S = 15.0
DECK_MS_PER_CARD = 1.0  # deck <= 1 s per 1,000 cards
DECK_10K_S = 10.0
SITE_10K_S = 60.0
PEAK_MB = 500.0
HOOK_RATIO = 1.3
INCREMENTAL_S = 2.0
PDF_STEP_S = 10.0  # issue 3: the PDF step, both papers, on this 2-core machine

# Timeouts: a stuck stage must not hang the run.
STAGE_TIMEOUT_S = 1800
SERVE_TIMEOUT_S = 300


# --------------------------------------------------------------------------------------------
# Measuring a child process: wall time, ru_maxrss, sampled PSS of its process tree
# --------------------------------------------------------------------------------------------


@dataclass
class Sample:
    seconds: float  # the stage's own time (from the worker) or the child's wall time
    peak_mb: float
    maxrss_mb: float
    tree_mb: float
    info: dict[str, Any] = field(default_factory=dict)
    cpu_s: float | None = None  # user + system CPU of the stage (its children included)


def _children_index() -> dict[int, list[int]]:
    index: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as stat:
                ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        index.setdefault(ppid, []).append(int(entry.name))
    return index


def _pss_kb(pid: int) -> int:
    """Proportional set size: pages shared after fork count once across the tree, not twice."""
    for path, key in ((f"/proc/{pid}/smaps_rollup", "Pss:"), (f"/proc/{pid}/status", "VmRSS:")):
        try:
            with open(path, encoding="ascii", errors="replace") as handle:
                for line in handle:
                    if line.startswith(key):
                        return int(line.split()[1])
        except (OSError, ValueError):
            continue
    return 0


def _tree_kb(root_pid: int) -> int:
    children = _children_index()
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        total += _pss_kb(pid)
        stack += children.get(pid, [])
    return total


def measure(
    command: Sequence[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = STAGE_TIMEOUT_S,
    sample_memory: bool = True,
) -> tuple[Sample, str]:
    """Run one child to completion; return its sample and stdout. Raises if it fails.

    Without `sample_memory` the process tree's PSS is not sampled: each sample of a tree of
    Chromium processes costs about 40 ms of CPU, which on 2 cores slows the stage it measures
    by a third. The peak is then the child's ru_maxrss only.
    """
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        child = subprocess.Popen(
            list(command), cwd=cwd, env=env, stdout=out, stderr=err, start_new_session=True
        )
        tree_peak = 0
        done = threading.Event()

        def sample_tree() -> None:
            nonlocal tree_peak
            while sample_memory and not done.wait(0.1):
                tree_peak = max(tree_peak, _tree_kb(child.pid))

        def hard_stop() -> None:
            if not done.wait(timeout):
                os.killpg(child.pid, signal.SIGKILL)  # the child's own session: only what we started

        sampler = threading.Thread(target=sample_tree, daemon=True)
        killer = threading.Thread(target=hard_stop, daemon=True)
        sampler.start()
        killer.start()
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        done.set()
        sampler.join()
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if child.returncode != 0:
        tail = "\n".join((stdout + stderr).splitlines()[-30:])
        raise RuntimeError(f"{' '.join(command)} exited {child.returncode}:\n{tail}")
    maxrss_mb = usage.ru_maxrss / 1024  # Linux reports KiB
    tree_mb = tree_peak / 1024
    cpu = usage.ru_utime + usage.ru_stime
    return Sample(wall, max(maxrss_mb, tree_mb), maxrss_mb, tree_mb, cpu_s=cpu), stdout


def run_worker(stage: str, cwd: Path, sample_memory: bool = True, **spec: Any) -> Sample:
    """Run one stage in a fresh interpreter; the worker times only the stage itself."""
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", json.dumps({"stage": stage, **spec})]
    sample, stdout = measure(command, cwd, sample_memory=sample_memory)
    result = json.loads(stdout.strip().splitlines()[-1])
    sample.seconds = result["seconds"]
    sample.cpu_s = result["cpu"]
    sample.info = result.get("info", {})
    return sample


# --------------------------------------------------------------------------------------------
# The worker: one stage, timed in-process after its imports and inputs are ready
# --------------------------------------------------------------------------------------------


def _call_build_site(config_file: Path, site_dir: Path, downloads: Path) -> None:
    """build_site takes the config file (or, in older versions, the project root)."""
    import inspect

    from peloton_prep.build import build_site

    first = next(iter(inspect.signature(build_site).parameters))
    build_site(config_file.parent if first == "root" else config_file, site_dir, downloads)


def _bare_mkdocs(config_file: Path, site_dir: Path, strict: bool) -> None:
    """What `mkdocs build` does, in-process like our build_site, so the two compare fairly."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(config_file), site_dir=str(site_dir), strict=strict)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()


def stage_downloads(folder: Path) -> None:
    """The site links the deck and guides built beside it; stand in last build's (or empty files)."""
    from peloton_prep.outputs import DOWNLOADS

    folder.mkdir(parents=True, exist_ok=True)
    for name in DOWNLOADS:
        built = ROOT / "build" / name
        if built.is_file():
            shutil.copyfile(built, folder / name)
        else:
            (folder / name).write_bytes(b"")


def worker(spec: dict[str, Any]) -> None:
    root = Path(spec.get("root", ROOT))
    out = Path(spec.get("out", "."))  # only stages that write something are given an out folder
    stage = spec["stage"]
    action: Callable[[], Any]
    # MkDocs logs through "mkdocs"; show its warnings (strict mode fails on them) as the CLI does.
    import logging

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s - %(message)s"))
    logging.getLogger("mkdocs").addHandler(handler)
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    info: dict[str, Any] = {}

    from peloton_prep.sources.content import load_content
    from peloton_prep.sources.release import current_release

    if stage == "load":
        def action() -> Any:
            content = load_content(root)
            info.update(pages=len(content.pages), cards=len(content.cards))
    elif stage in ("deck", "pdfs"):
        from peloton_prep.build import write_pdfs
        from peloton_prep.deck import write_deck

        # "pdfs" is the build's whole PDF step: guide and card sheets on every paper asked for.
        papers = tuple(spec.get("papers", ["a4", "letter"]))
        writers = {
            "deck": lambda c, r, o: write_deck(c, r, o / "deck.apkg"),
            "pdfs": lambda c, r, o: write_pdfs(c, r, o, papers),
        }
        write = writers[stage]
        content, release = load_content(root), current_release(root)
        info.update(cards=len(content.cards))
        def action() -> Any:
            write(content, release, out)
            info.update(bytes=sum(path.stat().st_size for path in out.iterdir() if path.is_file()))
    elif stage == "site":
        config = Path(spec["config"])
        downloads = out / "downloads"
        stage_downloads(downloads)
        def action() -> Any:
            _call_build_site(config, out / "site", downloads)
            info.update(html_files=sum(1 for _ in (out / "site").rglob("*.html")))
    elif stage == "bare":
        config = Path(spec["config"])
        def action() -> Any:
            _bare_mkdocs(config, out / "site", strict=spec.get("strict", True))
            info.update(html_files=sum(1 for _ in (out / "site").rglob("*.html")))
    elif stage == "offline":
        from peloton_prep import outputs

        stage_downloads(out)
        def action() -> Any:
            site = out / ".offline-site"
            _call_build_site(root / "mkdocs-offline.yml", site, out)
            outputs.zip_directory(site, out / outputs.OFFLINE_ZIP)
            info.update(bytes=(out / outputs.OFFLINE_ZIP).stat().st_size)
    else:
        raise SystemExit(f"unknown stage {stage}")

    import resource

    def cpu() -> float:
        own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

    started, cpu_started = time.perf_counter(), cpu()
    action()
    seconds, cpu_seconds = time.perf_counter() - started, cpu() - cpu_started
    print(json.dumps({"seconds": seconds, "cpu": cpu_seconds, "info": info}))


# --------------------------------------------------------------------------------------------
# Projects: a copy of the real one, and synthetic ones of any size
# --------------------------------------------------------------------------------------------


def absolute_hooks(config_text: str, root: Path) -> str:
    """Rewrite each entry of the `hooks:` list as an absolute path under the real project."""
    lines, in_hooks = [], False
    for line in config_text.splitlines(keepends=True):
        if re.match(r"^hooks:\s*$", line):
            in_hooks = True
        elif in_hooks and (item := re.match(r"^(\s*-\s*)(['\"]?)(.+?)\2\s*$", line)):
            path = Path(item.group(3))
            line = f"{item.group(1)}{path if path.is_absolute() else (root / path)}\n"
        elif in_hooks and line.strip() and not line[0].isspace() and not line.startswith("#"):
            in_hooks = False
        lines.append(line)
    return "".join(lines)


def without_block(config_text: str, key: str) -> str:
    """Drop a top-level key and its indented block."""
    lines, skipping = [], False
    for line in config_text.splitlines(keepends=True):
        if re.match(rf"^{key}:", line):
            skipping = True
            continue
        if skipping and line.strip() and not line[0].isspace() and not line.startswith("#"):
            skipping = False
        if not skipping:
            lines.append(line)
    return "".join(lines)


def copy_project(target: Path) -> Path:
    """The real sources in a temp folder, with the hook's path made absolute."""
    target.mkdir(parents=True)
    for name in COPIED_DIRS:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in COPIED_CONFIGS:
        if (ROOT / name).is_file():
            text = (ROOT / name).read_text(encoding="utf-8")
            (target / name).write_text(absolute_hooks(text, ROOT), encoding="utf-8")
    return target


WORDS = (
    "latency", "budget", "retry", "queue", "shard", "replica", "leader", "follower", "quorum", "cache",
    "eviction", "stream", "backpressure", "idempotent", "ledger", "outbox", "consumer", "partition",
    "watermark", "checkpoint", "rollout", "canary", "firmware", "device", "sync", "conflict", "merge",
    "clock", "vector", "causal", "region", "failover", "throughput", "percentile", "tail", "fan-out",
    "leaderboard", "heart-rate", "session", "rider", "class", "instructor", "metric", "dashboard", "alert",
    "incident", "postmortem", "budget", "owner", "roadmap", "trade-off", "cost", "capacity",
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
            parts += [
                f"| {writer.words(2)} | {writer.random.randint(1, 900)} ms | {writer.words(4)} |" for _ in range(3)
            ]
            parts.append("")
        if section % 3 == 0:
            parts += ["```python", "def handle(event):", "    return retry(event, budget=3)", "```", ""]
    return "\n".join(parts)


def synthetic_card(number: int, page: str, section: int, role: str, round_: str, seed: str, writer: Writer) -> str:
    """One card, valid per docs/guide/authoring.md; even numbers Q&A, odd ones cloze."""
    card_id = f"syn-{number:05d}"
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
        head = [
            f"- id: {card_id}",
            "  kind: qa",
            f"  front: {json.dumps(f'How would you handle {writer.words(6)} in case {number}?')}",
            "  back: |",
            *[f"    {line}" if line else "" for line in back],
        ]
    else:
        text = (
            f"{writer.sentence(6)[:-1]} {{{{c1::{writer.words(2)}}}}} {writer.words(5)} "
            f"{{{{c2::{writer.random.randint(10, 999)} ms::latency}}}} in case {number}."
        )
        head = [
            f"- id: {card_id}",
            "  kind: cloze",
            f"  text: {json.dumps(text)}",
            f"  extra: {json.dumps(writer.sentence(30) + ' **' + writer.words(2) + '** ' + writer.sentence(10))}",
        ]
    return "\n".join(head + common) + "\n"


def write_synthetic_project(target: Path, cards: int, pages: int = SYNTHETIC_PAGES) -> Path:
    """A project of `pages` pages and `cards` cards, built with the real config and hook."""
    from peloton_prep.sources.taxonomy import ROLES, ROUNDS, SEEDS

    writer = Writer(cards)
    for name in ("docs", "cards", "diagrams", "solutions"):
        (target / name).mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "docs" / "assets", target / "docs" / "assets")
    names = [f"p{number:02d}.md" for number in range(1, pages + 1)]
    for number, name in enumerate(names, 1):
        (target / "docs" / name).write_text(synthetic_page(number, writer), encoding="utf-8")
    files: dict[str, list[str]] = {name: [] for name in names}
    roles, rounds, seeds = sorted(ROLES), sorted(ROUNDS), sorted(SEEDS)
    for number in range(cards):
        page_index = number % pages
        page = names[page_index]
        section = (number // pages) % SECTIONS_PER_PAGE + 1
        files[page].append(
            synthetic_card(
                number, page, section, roles[page_index % len(roles)], rounds[page_index % len(rounds)],
                seeds[number % len(seeds)], writer,
            )
        )
    for page, entries in files.items():
        (target / "cards" / page.replace(".md", ".yaml")).write_text("\n".join(entries), encoding="utf-8")

    config = absolute_hooks((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), ROOT)
    nav = "nav:\n" + "".join(f"  - Synthetic page {number}: {name}\n" for number, name in enumerate(names, 1))
    config = without_block(config, "nav").rstrip("\n") + "\n\n" + nav
    (target / "mkdocs.yml").write_text(config, encoding="utf-8")
    (target / "mkdocs-bare.yml").write_text(without_block(config, "hooks"), encoding="utf-8")
    return target


# --------------------------------------------------------------------------------------------
# Incremental rebuild under `peloton-prep serve`
# --------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str, timeout: float = 60) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - 127.0.0.1 only
            return str(response.read().decode("utf-8", errors="replace"))
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def card_to_edit(project: Path) -> tuple[Path, int, str]:
    """A Q&A card whose answer starts with a prose line: (file, line index, page)."""
    from peloton_prep.sources.entries import read_entries

    for path in sorted((project / "cards").glob("*.yaml")):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        entries, _ = read_entries(path.name, "".join(lines))
        for entry in entries:
            back = entry.values.get("back")
            if entry.values.get("kind") != "qa" or not isinstance(back, str) or len(back.split()) > 140:
                continue
            key_index = entry.lines["back"] - 1
            value = lines[key_index].split(":", 1)[1].strip()
            if value in ("|", "|-", ">", ">-"):
                index = key_index + 1
                if re.match(r"^\s+[A-Za-z*]", lines[index]):
                    return path, index, str(entry.values["page"])
    raise RuntimeError("no Q&A card with a plain first line of its answer")


def measure_incremental(workdir: Path, edits: int) -> tuple[list[float], float, str]:
    """Seconds from saving a card edit to the served page showing it, for each edit."""
    from peloton_prep.sources.content import page_url

    project = copy_project(workdir / "serve-project")
    # Serve as after a `peloton-prep build`: the downloads page links build/'s outputs (a strict
    # serve of a fresh copy without them used to fail on those links).
    stage_downloads(project / "build")
    card_file, line_index, page = card_to_edit(project)
    port = free_port()
    # `mkdocs serve` mounts the site under site_url's path (here /peloton-prep/).
    from urllib.parse import urlsplit

    import yaml

    site_url = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8")).get("site_url") or "/"
    mount = "/" + urlsplit(site_url).path.strip("/")
    url = f"http://127.0.0.1:{port}{mount.rstrip('/')}/{page_url(page)}"
    log_path = workdir / "serve.log"
    deadline = time.monotonic() + SERVE_TIMEOUT_S
    with open(log_path, "w", encoding="utf-8") as log:
        server = subprocess.Popen(
            [str(BIN / "peloton-prep"), "--root", str(project), "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    timings: list[float] = []
    peak_mb = 0.0
    try:
        while fetch(url, timeout=5) is None:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"serve never answered on {url}:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.2)
        time.sleep(1.5)  # let the file watcher take its first snapshot
        original = card_file.read_text(encoding="utf-8").splitlines(keepends=True)
        for number in range(edits):
            marker = f"benchedit{number}x{random.randrange(16**8):08x}"
            lines = list(original)
            lines[line_index] = lines[line_index].rstrip("\n") + f" {marker}\n"
            card_file.write_text("".join(lines), encoding="utf-8")
            saved = time.perf_counter()
            while True:
                body = fetch(url, timeout=max(1.0, deadline - time.monotonic()))
                if body is not None and marker in body:
                    timings.append(time.perf_counter() - saved)
                    break
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"edit {number} never showed:\n{log_path.read_text()[-3000:]}")
                time.sleep(0.05)
            peak_mb = max(peak_mb, _tree_kb(server.pid) / 1024)
            time.sleep(1.5)  # settle: no rebuild in flight when the next edit lands
    finally:
        peak_mb = max(peak_mb, stop_server(server))
    return timings, peak_mb, url


def stop_server(server: subprocess.Popen[bytes]) -> float:
    """Ctrl-C the server's own process group (mkdocs cleans up), SIGKILL it if it lingers; its ru_maxrss in MB."""
    if server.returncode is not None:
        return 0.0
    os.killpg(server.pid, signal.SIGINT)
    end = time.monotonic() + 15
    while True:
        pid, status, usage = os.wait4(server.pid, os.WNOHANG)
        if pid:
            server.returncode = os.waitstatus_to_exitcode(status)
            return float(usage.ru_maxrss / 1024)
        if time.monotonic() > end:
            os.killpg(server.pid, signal.SIGKILL)
            _, status, usage = os.wait4(server.pid, 0)
            server.returncode = os.waitstatus_to_exitcode(status)
            return float(usage.ru_maxrss / 1024)
        time.sleep(0.1)


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------


@dataclass
class Row:
    stage: str
    samples: list[Sample] = field(default_factory=list)
    cards: int | None = None
    seconds_budget: float | None = None
    ms_per_card_budget: float | None = None
    ratio: float | None = None  # for ratio rows: the measured ratio
    ratio_budget: float | None = None
    note: str = ""
    skipped: bool = False
    memory_budget: bool = True
    memory_note: str = ""
    memory_runs: list[Sample] = field(default_factory=list)  # runs that sampled memory, not timed

    @property
    def median(self) -> float:
        return statistics.median(sample.seconds for sample in self.samples)

    @property
    def cpu(self) -> float | None:
        values = [sample.cpu_s for sample in self.samples if sample.cpu_s is not None]
        return statistics.median(values) if values else None

    @property
    def peak(self) -> float:
        return max(sample.peak_mb for sample in self.samples + self.memory_runs)

    @property
    def per_card_ms(self) -> float | None:
        return self.median / self.cards * 1000 if self.cards else None

    def misses(self) -> list[str]:
        if self.skipped:
            return []
        missed = []
        if self.ratio is not None and self.ratio_budget is not None and self.ratio > self.ratio_budget:
            missed.append("ratio")
        if self.samples:
            if self.seconds_budget is not None and self.median > self.seconds_budget:
                missed.append("time")
            per_card = self.per_card_ms
            if self.ms_per_card_budget is not None and per_card is not None and per_card > self.ms_per_card_budget:
                missed.append("per card")
            if self.memory_budget and self.peak > PEAK_MB:
                missed.append("memory")
        return missed

    def cells(self) -> list[str]:
        if self.skipped:
            return [f"{self.stage} — skipped: {self.note}", "", "", "", "", "–", ""]
        budgets = []
        if self.ratio_budget is not None:
            budgets.append(f"≤ {self.ratio_budget:g}×")
        if self.seconds_budget is not None:
            budgets.append(f"≤ {self.seconds_budget:g} s")
        if self.ms_per_card_budget is not None:
            budgets.append(f"≤ {self.ms_per_card_budget:g} ms/card")
        if self.memory_budget and self.samples:
            budgets.append(f"≤ {PEAK_MB:g} MB")
        missed = self.misses()
        met = "no (" + ", ".join(missed) + ")" if missed else "yes"
        if self.ratio is not None:
            median = f"{self.ratio:.2f}×"
            peak = ""
        else:
            median = f"{self.median:.2f}"
            peak = f"{self.peak:.0f}"
        per_card = f"{self.per_card_ms:.2f}" if self.per_card_ms is not None else ""
        cpu = f"{self.cpu:.2f}" if self.cpu is not None and self.ratio is None else ""
        stage = self.stage + (f" — {self.note}" if self.note else "")
        return [stage, median, per_card, peak, ", ".join(budgets) or "–", met, cpu]


HEADER = ["Stage", "Median s", "Per card ms", "Peak MB", "Budget", "Met?", "CPU s"]


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def growth_table(sizes: list[int], by_size: dict[tuple[str, int], Row]) -> str:
    names = ("load + validate", "deck", "site", "bare mkdocs", "PDF (A4)")
    stages = [name for name in names if (name, sizes[0]) in by_size]
    header = ["Stage", *[f"{size:,} cards s" for size in sizes], *[f"{size:,} ms/card" for size in sizes]]
    if len(sizes) > 1:
        header.append(f"time ×{sizes[-1] // sizes[0]} cards")
    rows = []
    for stage in stages:
        present = [by_size.get((stage, size)) for size in sizes]
        if any(row is None or not row.samples for row in present):
            continue
        cells = [stage]
        cells += [f"{row.median:.2f}" for row in present if row]
        cells += [f"{row.median / size * 1000:.2f}" for row, size in zip(present, sizes, strict=True) if row]
        if len(sizes) > 1 and present[0] and present[-1]:
            cells.append(f"{present[-1].median / present[0].median:.1f}×")
        rows.append(cells)
    return markdown_table(header, rows)


def environment() -> str:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    cpu = "unknown CPU"
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    return (
        f"{time.strftime('%Y-%m-%d %H:%M %Z')}, commit {commit} (plus any uncommitted edits), "
        f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}"
    )


# --------------------------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------------------------


def say(message: str) -> None:
    print(message, flush=True)


def repeat_then_sample(row: Row, runs: int, once: Callable[[int, bool], Sample]) -> Row:
    """`runs` timed runs without memory sampling, then one more that samples the peak."""
    repeat(row, runs, lambda number: once(number, False))
    sample = once(runs, True)
    row.memory_runs.append(sample)
    say(f"    memory run: peak {sample.peak_mb:5.0f} MB ({sample.seconds:.2f} s, not counted)")
    return row


def repeat(row: Row, runs: int, once: Callable[[int], Sample]) -> Row:
    for number in range(runs):
        sample = once(number)
        row.samples.append(sample)
        cpu = f", CPU {sample.cpu_s:7.2f} s" if sample.cpu_s is not None else ""
        say(f"    run {number + 1}/{runs}: {sample.seconds:7.2f} s{cpu}, peak {sample.peak_mb:5.0f} MB, "
            f"load {os.getloadavg()[0]:.1f}")
    return row


def main(argv: Sequence[str] | None = None) -> int:
    args = arguments().parse_args(argv)
    if args.worker:
        worker(json.loads(args.worker))
        return 0
    runs = args.runs if args.runs is not None else (1 if args.quick else 3)
    sizes = [int(size) for size in args.sizes.split(",")]
    groups = set(args.only.split(",")) if args.only else {"real", "cold", "synthetic", "incremental"}
    rows: list[Row] = []
    by_size: dict[tuple[str, int], Row] = {}
    work = Path(tempfile.mkdtemp(prefix="peloton-bench-"))
    counter = iter(range(10**6))

    def scratch() -> Path:
        path = work / f"out-{next(counter)}"
        path.mkdir()
        return path

    load_before = os.getloadavg()[0]
    say(f"peloton-prep benchmarks: {runs} run(s) each; scratch in {work}; load average {load_before:.1f}")
    try:
        if "real" in groups:
            real_stages(rows, runs, scratch, args)
        if "cold" in groups:
            say("full cold build (peloton-prep build on a fresh copy)")

            def cold(number: int, sample_memory: bool) -> Sample:
                project = copy_project(work / f"cold-{number}")
                command = [str(BIN / "peloton-prep"), "--root", str(project), "build"]
                sample, _ = measure(command, cwd=project, sample_memory=sample_memory)
                shutil.rmtree(project, ignore_errors=True)
                return sample

            label = "Full cold build (`peloton-prep build`, every output, both papers)"
            rows.append(repeat_then_sample(Row(label, seconds_budget=COLD_BUILD_S), runs, cold))
        if "synthetic" in groups:
            synthetic_stages(rows, by_size, runs, sizes, work, scratch, args)
        if "incremental" in groups:
            say("incremental rebuild under peloton-prep serve (3 edits)")
            timings, peak_mb, url = measure_incremental(work, edits=3)
            for number, seconds in enumerate(timings, 1):
                say(f"    edit {number}: {seconds:.2f} s")
            row = Row("Incremental rebuild (card edit → served page)", seconds_budget=INCREMENTAL_S)
            row.samples = [Sample(seconds, peak_mb, peak_mb, peak_mb) for seconds in timings]
            rows.append(row)
    finally:
        if args.keep:
            say(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    report = render_report(rows, by_size, sizes, runs, (load_before, os.getloadavg()[0]))
    print()
    print(report)
    if args.output:
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        Path(args.output).write_text(report, encoding="utf-8")
        say(f"\nwrote {args.output}")
    return 0


def real_stages(rows: list[Row], runs: int, scratch: Callable[[], Path], args: argparse.Namespace) -> None:
    say("real content")
    from peloton_prep import outputs

    say("  load + validate")
    load = repeat(Row("Load + validate (real content)"), runs, lambda _: run_worker("load", ROOT, root=str(ROOT)))
    cards = int(load.samples[0].info["cards"])
    load.cards = cards
    load.note = f"{load.samples[0].info['pages']} pages, {cards} cards"
    rows.append(load)
    say("  deck")
    rows.append(repeat(Row("Deck (real content)", cards=cards, ms_per_card_budget=DECK_MS_PER_CARD), runs,
                       lambda _: run_worker("deck", ROOT, root=str(ROOT), out=str(scratch()))))
    say("  site")
    rows.append(repeat(Row("Site (real content)", cards=cards), runs,
                       lambda _: run_worker("site", ROOT, config=str(ROOT / "mkdocs.yml"), out=str(scratch()))))
    say("  bare mkdocs on the real pages (not strict: diagrams only exist with the hook)")
    copy = copy_project(scratch() / "project")
    bare_config = copy / "mkdocs-bare.yml"
    bare_config.write_text(without_block((copy / "mkdocs.yml").read_text(encoding="utf-8"), "hooks"), encoding="utf-8")
    bare = repeat(Row("Bare mkdocs, no hook (real pages)", memory_budget=True), runs,
                  lambda _: run_worker("bare", copy, config=str(bare_config), out=str(scratch()), strict=False))
    rows.append(bare)
    site = rows[-2]
    rows.append(Row("Our site / bare mkdocs (real content)", ratio=site.median / bare.median, ratio_budget=HOOK_RATIO,
                    samples=[], memory_budget=False))
    say("  PDF step: guide and card sheets, A4 and Letter")
    rows.append(repeat_then_sample(
        Row("PDF step (guide + card sheets, A4 and Letter, real content)", cards=cards, seconds_budget=PDF_STEP_S),
        runs, lambda _, sample_memory: run_worker(
            "pdfs", ROOT, sample_memory=sample_memory, root=str(ROOT), out=str(scratch()))))
    if hasattr(outputs, "zip_directory") and (ROOT / "mkdocs-offline.yml").is_file():
        say("  offline zip (offline site build + zip)")
        rows.append(repeat(Row("Offline zip (site with mkdocs-offline.yml + zip)"), runs,
                           lambda _: run_worker("offline", ROOT, root=str(ROOT), out=str(scratch()))))
    else:
        rows.append(Row("Offline zip", skipped=True,
                        note="no offline-zip function in peloton_prep (outputs.zip_directory + mkdocs-offline.yml)"))


def synthetic_stages(
    rows: list[Row], by_size: dict[tuple[str, int], Row], runs: int, sizes: list[int], work: Path,
    scratch: Callable[[], Path], args: argparse.Namespace,
) -> None:
    for size in sizes:
        say(f"synthetic content: {size:,} cards on {SYNTHETIC_PAGES} pages")
        project = write_synthetic_project(work / f"synthetic-{size}", size)
        try:
            synthetic_size(rows, by_size, runs, size, project, scratch, args)
        finally:
            shutil.rmtree(project, ignore_errors=True)


def synthetic_size(
    rows: list[Row], by_size: dict[tuple[str, int], Row], runs: int, size: int, project: Path,
    scratch: Callable[[], Path], args: argparse.Namespace,
) -> None:
    label = f"{size:,} cards"

    def add(stage: str, row: Row) -> Row:
        by_size[(stage, size)] = row
        rows.append(row)
        return row

    say("  load + validate")
    add("load + validate", repeat(Row(f"Load + validate ({label})", cards=size), runs,
                                  lambda _: run_worker("load", project, root=str(project))))
    say("  deck")
    deck = Row(f"Deck ({label})", cards=size, ms_per_card_budget=DECK_MS_PER_CARD)
    if size == 10_000:
        deck.seconds_budget = DECK_10K_S
    add("deck", repeat(deck, runs, lambda _: run_worker("deck", project, root=str(project), out=str(scratch()))))
    say("  site (with our hook)")
    site = Row(f"Site ({label})", cards=size)
    if size == 10_000:
        site.seconds_budget = SITE_10K_S
    add("site", repeat(site, runs, lambda _: run_worker(
        "site", project, config=str(project / "mkdocs.yml"), out=str(scratch()))))
    say("  bare mkdocs (hooks: removed)")
    bare = add("bare mkdocs", repeat(Row(f"Bare mkdocs, no hook ({label})"), runs, lambda _: run_worker(
        "bare", project, config=str(project / "mkdocs-bare.yml"), out=str(scratch()))))
    rows.append(Row(f"Our site / bare mkdocs ({label})", ratio=site.median / bare.median,
                    ratio_budget=HOOK_RATIO, memory_budget=False))
    if args.quick or (size > 1_000 and not args.pdf_large):
        rows.append(Row(f"PDF step, A4 only ({label})", skipped=True,
                        note="--quick" if args.quick else "only up to 1,000 cards unless --pdf-large"))
    else:
        say("  PDF (A4), one run: typesetting is slow and this row has no budget of its own")
        pdf = Row(f"PDF step, A4 only ({label})", cards=size, note="1 run")
        add("PDF (A4)", repeat(pdf, 1, lambda _: run_worker(
            "pdfs", project, root=str(project), out=str(scratch()), papers=["a4"])))


def render_report(
    rows: list[Row], by_size: dict[tuple[str, int], Row], sizes: list[int], runs: int, load: tuple[float, float]
) -> str:
    parts = [
        "# peloton-prep benchmark results",
        "",
        f"{environment()}. Median of {runs} run(s); per card = median ÷ cards; peak MB = the larger "
        "of the child's ru_maxrss and the sampled PSS of its whole process tree (for the PDF step and the "
        "cold build, which run Chromium, from one extra run that is not timed: sampling a tree of Chromium "
        "processes costs enough CPU to slow them); CPU s = median user + "
        "system CPU of the stage, children included (less sensitive than wall time to other load on the "
        f"machine: the 1-minute load average was {load[0]:.1f} at the start and {load[1]:.1f} at the end).",
        "",
        markdown_table(HEADER, [row.cells() for row in rows]),
    ]
    if by_size:
        parts += [
            "",
            f"## Growth with card count ({SYNTHETIC_PAGES} pages, {SECTIONS_PER_PAGE} sections each)",
            "",
            "Linear growth means a constant ms/card and a time ratio near the card ratio "
            "(fixed costs such as start-up and theme copying make small sizes look dearer per card).",
            "",
            growth_table(sizes, by_size),
        ]
    missed = [row for row in rows if row.misses()]
    parts += ["", f"Missed budgets: {len(missed)} of {sum(1 for row in rows if not row.skipped)} rows."]
    return "\n".join(parts) + "\n"


def arguments() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, help="runs per measurement (default 3, or 1 with --quick)")
    parser.add_argument("--quick", action="store_true", help="one run each, no PDF of synthetic content")
    parser.add_argument("--output", default=str(ROOT / "benchmarks" / "results.md"), help="Markdown table file")
    parser.add_argument("--sizes", default="1000,10000", help="synthetic card counts (default 1000,10000)")
    parser.add_argument("--only", help="comma list of groups: real, cold, synthetic, incremental")
    parser.add_argument("--pdf-large", action="store_true", help="also typeset synthetic content over 1,000 cards")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    return parser


if __name__ == "__main__":
    sys.exit(main())
