"""Benchmarks of peloton-prep: every build stage, the full cold build and a card edit under `serve`.

    python benchmarks/run.py [--runs 5] [--quick] [--only real,cold,synthetic,serve] [--output FILE]

Each measurement runs in a child process (see benchmarks/peloton_bench/). Nothing is written inside
the project: copies, synthetic projects and outputs live in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from peloton_bench import report
from peloton_bench.measure import Sample, child_env, measure, run_worker
from peloton_bench.report import Row
from peloton_bench.serve_timing import time_card_edits
from peloton_bench.synthetic import REPOSITORY, copy_project, write_synthetic_project

GROUPS = ("real", "cold", "synthetic", "serve")


class Run:
    """One benchmark run: its options, its scratch folder and the rows measured so far."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.runs: int = args.runs if args.runs is not None else (1 if args.quick else 5)
        self.work = Path(tempfile.mkdtemp(prefix="peloton-bench-"))
        self.rows: list[Row] = []
        self.by_size: dict[tuple[str, int], Row] = {}
        self.outputs = 0

    def scratch(self) -> str:
        self.outputs += 1
        return str(self.work / f"out-{self.outputs}")

    def repeat(self, row: Row, once: Callable[[bool], Sample], memory_run: bool = False) -> Row:
        """`runs` timed runs; with `memory_run`, they skip memory sampling and one more, untimed run samples it."""
        for number in range(self.runs):
            sample = once(not memory_run)
            row.samples.append(sample)
            cpu = f", CPU {sample.cpu_s:6.2f} s" if sample.cpu_s is not None else ""
            print(f"    run {number + 1}/{self.runs}: {sample.seconds:6.2f} s{cpu}, peak {sample.peak_mb:5.0f} MB, "
                  f"load {os.getloadavg()[0]:.1f}", flush=True)
        if memory_run:
            row.memory_runs.append(once(True))
            print(f"    memory run: peak {row.memory_runs[-1].peak_mb:5.0f} MB (not timed)", flush=True)
        self.rows.append(row)
        return row

    def stage(self, row: Row, stage: str, project: Path, memory_run: bool = False, **spec: Any) -> Row:
        print(f"  {row.stage}", flush=True)

        def once(sample_memory: bool) -> Sample:
            job = {"stage": stage, "root": str(project), "out": self.scratch(), **spec}
            return run_worker(job, project, sample_memory=sample_memory)

        return self.repeat(row, once, memory_run)

    def site_and_bare(self, project: Path, label: str, size: int | None = None) -> tuple[Row, Row]:
        ten_thousand = size == 10_000
        site = self.stage(Row(f"Site, `mkdocs build` with the plugin ({label})", cards=size,
                              seconds_budget=report.SITE_10K_S if ten_thousand else None), "site", project)
        bare = self.stage(Row(f"Same pages, `plugins: [search]` only ({label})"), "bare", project)
        cpu = f"CPU {site.cpu / bare.cpu:.2f}×" if site.cpu and bare.cpu else ""
        self.rows.append(Row(f"Our site ÷ bare mkdocs ({label})", ratio=site.median / bare.median,
                             ratio_budget=report.SITE_RATIO, memory_budget=False, note=cpu))
        return site, bare


def real(run: Run, source: Path) -> None:
    print(f"real content ({source})", flush=True)
    project = copy_project(source, run.work / "real")
    load = run.stage(Row("Load + check"), "load", project)
    cards = load.cards = int(load.samples[0].info["cards"])
    load.note = f"{load.samples[0].info['pages']} pages, {cards} cards"
    run.stage(Row("Deck", cards=cards, ms_per_card_budget=report.DECK_MS_PER_CARD), "deck", project)
    run.site_and_bare(project, "real content")
    run.stage(Row("Site with the sources handed over, as in `peloton-prep build`"), "site-handed", project)
    run.stage(Row("Offline site + zip"), "offline", project)
    run.stage(Row("PDF step (guide + card sheets, A4 and Letter)", cards=cards, seconds_budget=report.PDF_STEP_S),
              "pdfs", project, memory_run=True)


def cold(run: Run, source: Path) -> None:
    print("full cold build: `peloton-prep build` on a fresh copy, every output, both papers", flush=True)

    def once(sample_memory: bool) -> Sample:
        project = copy_project(source, Path(run.scratch()), downloads=False)
        command = [sys.executable, "-m", "peloton_prep.cli", "--root", str(project), "build"]
        sample, _ = measure(command, project, env=child_env(), sample_memory=sample_memory)
        shutil.rmtree(project, ignore_errors=True)
        return sample

    run.repeat(Row("Full cold build (`peloton-prep build`)", seconds_budget=report.COLD_BUILD_S), once,
               memory_run=True)


def synthetic(run: Run, sizes: list[int]) -> None:
    for size in sizes:
        label = f"{size:,} cards"
        print(f"synthetic content: {label}", flush=True)
        project = write_synthetic_project(run.work / f"synthetic-{size}", size)
        rows = {
            "load + check": run.stage(Row(f"Load + check ({label})", cards=size), "load", project),
            "deck": run.stage(Row(f"Deck ({label})", cards=size, ms_per_card_budget=report.DECK_MS_PER_CARD,
                                  seconds_budget=report.DECK_10K_S if size == 10_000 else None), "deck", project),
        }
        rows["site"], rows["bare mkdocs"] = run.site_and_bare(project, label, size)
        if size <= 1_000 or run.args.pdf_large:
            rows["PDF step"] = run.stage(Row(f"PDF step ({label})", cards=size), "pdfs", project, memory_run=True)
        run.by_size.update({(name, size): row for name, row in rows.items()})
        shutil.rmtree(project, ignore_errors=True)


def serve(run: Run, source: Path) -> None:
    print("card edit → updated page under `peloton-prep serve`", flush=True)
    project = copy_project(source, run.work / "serve")
    timing = time_card_edits(project, edits=run.runs, log_path=run.work / "serve.log")
    for number, (seconds, cpu) in enumerate(zip(timing.seconds, timing.cpu, strict=True), 1):
        print(f"    edit {number}: {seconds:.2f} s, server CPU {cpu:.2f} s", flush=True)
    row = Row("Card edit → updated page under `serve`", seconds_budget=report.SERVE_EDIT_S)
    row.samples = [Sample(seconds, timing.peak_mb, cpu)
                   for seconds, cpu in zip(timing.seconds, timing.cpu, strict=True)]
    run.rows.append(row)


def arguments() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--runs", type=int, help="runs per measurement (default 5, or 1 with --quick)")
    parser.add_argument("--quick", action="store_true", help="one run each, synthetic content of 1,000 cards only")
    parser.add_argument("--project", type=Path, default=REPOSITORY, help="the project to measure (default: this one)")
    parser.add_argument("--only", help=f"comma list of groups: {', '.join(GROUPS)}")
    parser.add_argument("--sizes", default="1000,10000", help="synthetic card counts (default 1000,10000)")
    parser.add_argument("--pdf-large", action="store_true", help="also print synthetic content over 1,000 cards")
    parser.add_argument("--output", type=Path, default=REPOSITORY / "benchmarks" / "results.md",
                        help="where the Markdown report goes (default benchmarks/results.md)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = arguments().parse_args(argv)
    groups = args.only.split(",") if args.only else list(GROUPS)
    sizes = [1000] if args.quick else [int(size) for size in args.sizes.split(",")]
    run, source = Run(args), args.project.resolve()
    load_before = os.getloadavg()[0]
    print(f"peloton-prep benchmarks: {run.runs} run(s) each; scratch in {run.work}", flush=True)
    try:
        for group in groups:
            {"real": lambda: real(run, source), "cold": lambda: cold(run, source),
             "synthetic": lambda: synthetic(run, sizes), "serve": lambda: serve(run, source)}[group]()
    finally:
        if args.keep:
            print(f"kept {run.work}")
        else:
            shutil.rmtree(run.work, ignore_errors=True)
    growth = report.growth_table(sizes, run.by_size) if run.by_size else ""
    text = report.render(run.rows, growth, run.runs, (load_before, os.getloadavg()[0]), REPOSITORY)
    print("\n" + text)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
