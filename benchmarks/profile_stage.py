"""Profile one build stage with cProfile and print where its time goes.

    python benchmarks/profile_stage.py STAGE [--cards N] [--project DIR] [--top 25] [--save FILE.prof]

STAGE is one of: load, deck, site, pdf, cold, rebuild.
  --cards N      a synthetic project of N cards (as benchmarks/run.py writes it) instead of a copy
                 of the real project (not for cold or rebuild)
  --project DIR  the project to copy (default: this one)

Prints the stage's wall time, its self time by package and the top functions by cumulative and by
self time, each as a share of the wall time.

`site` is a plain `mkdocs build` whose plugin loads the sources itself. `rebuild` is what
`peloton-prep serve` runs after a card's answer is edited: a fresh config and a dirty build, after
one warm-up build, with the plugin instance (and its caches) kept as serve keeps it. `cold` is
`peloton-prep build` in-process: its PDFs print in worker processes and Chromium, so they show
as waiting; `pdf` profiles the PDF step alone.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import re
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from peloton_bench.synthetic import REPOSITORY, card_to_edit, copy_project, write_synthetic_project
from peloton_bench.worker import plain_mkdocs_build

STAGES = ("load", "deck", "site", "pdf", "cold", "rebuild")


def package_of(filename: str) -> str:
    """The library a profiled function lives in."""
    if filename.startswith("<") or filename == "~":
        return "builtins (C)"
    if match := re.search(r"site-packages/([^/]+)", filename):
        return match.group(1).removesuffix(".py")
    if "/peloton_prep/" in filename:
        return "peloton_prep"
    match = re.search(r"/python3\.\d+/([^/]+)", filename)
    return f"stdlib:{match.group(1).removesuffix('.py')}" if match else filename


def by_package(stats: pstats.Stats) -> list[tuple[str, float]]:
    """Self time summed per package; a C function is charged to the package of its main caller."""
    totals: dict[str, float] = defaultdict(float)
    entries = stats.stats  # type: ignore[attr-defined]
    for (filename, _, _), (_, _, self_time, _, callers) in entries.items():
        package = package_of(filename)
        if package == "builtins (C)" and callers:
            caller = max(callers.items(), key=lambda item: item[1][3])[0]
            package = f"{package_of(caller[0])} (C calls)"
        totals[package] += self_time
    return sorted(totals.items(), key=lambda item: -item[1])


def report(profile: cProfile.Profile, wall: float, top: int) -> str:
    stats = pstats.Stats(profile)
    lines = [f"wall {wall:.2f} s, profiled CPU in this process {stats.total_tt:.2f} s",  # type: ignore[attr-defined]
             "", "self time by package:"]
    lines += [f"  {seconds:7.2f} s  {seconds / wall:6.1%}  {package}" for package, seconds in by_package(stats)[:15]]
    for order, title in (("cumulative", "cumulative time"), ("tottime", "self time")):
        buffer = io.StringIO()
        pstats.Stats(profile, stream=buffer).sort_stats(order).print_stats(top)
        lines += ["", f"top {top} by {title} (share of wall time in the last column):"]
        for row in buffer.getvalue().splitlines():
            numbers = row.split()
            if len(numbers) >= 6 and re.match(r"^[\d/]+$", numbers[0]) and re.match(r"^[\d.]+$", numbers[1]):
                seconds = float(numbers[3] if order == "cumulative" else numbers[1])
                lines.append(f"{row}   {seconds / wall:6.1%}")
    return "\n".join(lines)


def prepare(stage: str, project: Path, target: Path) -> Callable[[], object]:
    """Everything the stage needs, done before profiling starts; returns the call to profile."""
    from peloton_prep.build import write_pdfs
    from peloton_prep.cli import main as cli
    from peloton_prep.deck import write_deck
    from peloton_prep.sources.content import load_content
    from peloton_prep.sources.release import current_release

    if stage == "load":
        return lambda: load_content(project)
    if stage == "deck":
        content, release = load_content(project), current_release(project)
        return lambda: write_deck(content, release, target / "deck.apkg")
    if stage == "pdf":
        content, release = load_content(project), current_release(project)
        return lambda: write_pdfs(content, release, target, ("a4", "letter"))
    if stage == "site":
        return lambda: plain_mkdocs_build(project / "mkdocs.yml", target / "site")
    if stage == "cold":
        shutil.rmtree(project / "build")
        return lambda: cli(["--root", str(project), "build"])
    return _rebuild(project, target)


def _rebuild(project: Path, target: Path) -> Callable[[], object]:
    def rebuild() -> None:  # mkdocs.commands.serve's builder after a change: a fresh config, a dirty build
        config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(target / "site"), strict=False)
        config.site_url = "http://127.0.0.1:8000/peloton-prep/"
        mkdocs_build(config, serve_url=config.site_url, dirty=True)

    first = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(target / "site"), strict=False)
    first.plugins.on_startup(command="serve", dirty=True)  # keeps the plugin instance, as serve does
    rebuild()
    card_file, line_index, _ = card_to_edit(project)
    lines = card_file.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[line_index] = lines[line_index].rstrip("\n") + " profiled-edit\n"
    card_file.write_text("".join(lines), encoding="utf-8")
    return rebuild


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("stage", choices=STAGES)
    parser.add_argument("--cards", type=int, help="use a synthetic project of this many cards")
    parser.add_argument("--project", type=Path, default=REPOSITORY, help="the project to copy (default: this one)")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--save", help="also write the raw profile (for snakeviz, pstats)")
    args = parser.parse_args()
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    work = Path(tempfile.mkdtemp(prefix="peloton-profile-"))
    try:
        if args.cards and args.stage not in ("cold", "rebuild"):
            project = write_synthetic_project(work / "project", args.cards)
        else:
            project = copy_project(args.project.resolve(), work / "project")
        os.chdir(project)  # snippets resolve base_path "." against the working directory
        (work / "out").mkdir()
        call = prepare(args.stage, project, work / "out")
        profile = cProfile.Profile()
        started = time.perf_counter()
        profile.runcall(call)
        wall = time.perf_counter() - started
        if args.save:
            profile.dump_stats(args.save)
        where = f"{args.cards} synthetic cards" if args.cards else f"a copy of {args.project}"
        print(f"stage {args.stage} on {where}")
        print(report(profile, wall, args.top))
    finally:
        os.chdir(REPOSITORY)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
