"""Rows of measurements against their budgets, and the Markdown report of a run."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import time
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from peloton_bench.measure import Sample

# Issue 13's budgets, on this 2-core machine, median of 5.
COLD_BUILD_S = 10.0
SERVE_EDIT_S = 1.0
SITE_RATIO = 1.5
# Earlier budgets, kept.
DECK_MS_PER_CARD = 1.0
DECK_10K_S = 10.0
SITE_10K_S = 60.0
PDF_STEP_S = 10.0
PEAK_MB = 500.0


@dataclass
class Row:
    """One line of the table: the samples of one measurement and the budgets it is held to."""

    stage: str
    samples: list[Sample] = field(default_factory=list)
    cards: int | None = None
    seconds_budget: float | None = None
    ms_per_card_budget: float | None = None
    ratio: float | None = None
    ratio_budget: float | None = None
    memory_budget: bool = True
    note: str = ""
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
        return self.median / self.cards * 1000 if self.cards and self.samples else None

    def misses(self) -> list[str]:
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
        stage = self.stage + (f" — {self.note}" if self.note else "")
        if self.ratio is not None:
            return [stage, f"{self.ratio:.2f}×", "", "", ", ".join(budgets), met, ""]
        per_card = self.per_card_ms
        cpu = self.cpu
        return [
            stage, f"{self.median:.2f}", f"{per_card:.2f}" if per_card is not None else "", f"{self.peak:.0f}",
            ", ".join(budgets) or "–", met, f"{cpu:.2f}" if cpu is not None else "",
        ]


HEADER = ["Stage", "Median s", "Per card ms", "Peak MB", "Budget", "Met?", "CPU s"]


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def growth_table(sizes: list[int], by_size: dict[tuple[str, int], Row]) -> str:
    """Seconds and ms per card of each stage at each synthetic size."""
    stages = list(dict.fromkeys(stage for stage, _ in by_size))
    header = ["Stage", *[f"{size:,} cards s" for size in sizes], *[f"{size:,} ms/card" for size in sizes]]
    rows = []
    for stage in stages:
        present = [by_size[(stage, size)] for size in sizes if (stage, size) in by_size]
        if len(present) != len(sizes):
            continue
        rows.append([stage, *[f"{row.median:.2f}" for row in present],
                     *[f"{row.median / size * 1000:.2f}" for row, size in zip(present, sizes, strict=True)]])
    return markdown_table(header, rows)


def environment(repository: Path) -> str:
    commit = "unknown"
    with suppress(OSError, subprocess.CalledProcessError):
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=repository, capture_output=True,
                                text=True, check=True).stdout.strip()
    cpu = "unknown CPU"
    with suppress(OSError, StopIteration):
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
    return (f"{time.strftime('%Y-%m-%d %H:%M %Z')}, commit {commit} (plus any uncommitted edits), "
            f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}")


def render(rows: list[Row], growth: str, runs: int, loads: tuple[float, float], repository: Path) -> str:
    parts = [
        "# peloton-prep benchmark results",
        "",
        f"{environment(repository)}. Median of {runs} run(s); per card = median ÷ cards; peak MB = the larger "
        "of the child's ru_maxrss and the sampled PSS of its whole process tree (for stages that run Chromium, "
        "from one extra run that is not timed); CPU s = median user + system CPU of the stage, children "
        f"included. The 1-minute load average was {loads[0]:.1f} at the start and {loads[1]:.1f} at the end.",
        "",
        markdown_table(HEADER, [row.cells() for row in rows]),
    ]
    if growth:
        parts += ["", "## Growth with card count", "", growth]
    missed = [row.stage for row in rows if row.misses()]
    parts += ["", f"Missed budgets: {len(missed)} of {len(rows)} rows" + (f" ({'; '.join(missed)})." if missed
                                                                         else ".")]
    return "\n".join(parts) + "\n"
