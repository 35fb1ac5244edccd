"""Profile one build stage with cProfile and print where its time goes.

    .venv/bin/python benchmarks/profile_stage.py STAGE [--cards N] [--top 25] [--save FILE.prof]

STAGE is one of: load, deck, site, pdf, cold, rebuild.
  --cards N   profile a synthetic project of N cards (as benchmarks/run.py writes it) instead
              of the real content (not for cold or rebuild, which always use a copy of the real one)

Prints the stage's wall time, its time by package (self time summed over each library's
functions) and the top functions by cumulative and by self time, each as a share of the total.

`rebuild` profiles what `peloton-prep serve` runs after a card's answer is edited: a fresh
load_config and a full `mkdocs build` with our hook, after one warm-up build as serve does.
`cold` profiles `peloton-prep build` in-process. Its PDFs print in child processes and in
Chromium, so they show as waiting: `pdf` profiles the PDF step alone, and even then Chromium's
layout and drawing show only as waiting on its pipe.
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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run as bench  # noqa: E402  (benchmarks/run.py: project copies and synthetic content)

ROOT = bench.ROOT


def package_of(filename: str) -> str:
    """Group a profiled function by the library it lives in."""
    if filename.startswith("<") or filename == "~":
        return "builtins (C)"
    match = re.search(r"site-packages/([^/]+)", filename)
    if match:
        name = match.group(1)
        return name.removesuffix(".py")
    if "/peloton_prep/" in filename:
        return "peloton_prep"
    match = re.search(r"/python3\.\d+/([^/]+)", filename)
    return f"stdlib:{match.group(1).removesuffix('.py')}" if match else filename


def by_package(stats: pstats.Stats) -> list[tuple[str, float]]:
    """Self time summed per package; C builtins are charged to the Python caller's package."""
    totals: dict[str, float] = defaultdict(float)
    for (filename, _, function), (_, _, self_time, _, callers) in stats.stats.items():  # type: ignore[attr-defined]
        package = package_of(filename)
        if package == "builtins (C)" and callers:
            # Charge a C function to whoever called it most.
            caller = max(callers.items(), key=lambda item: item[1][3])[0]
            package = f"{package_of(caller[0])} (C calls)"
            if "regex" in function or "re." in function or "Pattern" in function:
                package = f"{package_of(caller[0])} (regex)"
        totals[package] += self_time
    return sorted(totals.items(), key=lambda item: -item[1])


def report(profile: cProfile.Profile, wall: float, top: int) -> str:
    stats = pstats.Stats(profile)
    total = stats.total_tt  # type: ignore[attr-defined]
    lines = [f"wall {wall:.2f} s, profiled CPU in this process {total:.2f} s", "", "time by package (self time):"]
    for package, seconds in by_package(stats)[:15]:
        lines.append(f"  {seconds:7.2f} s  {seconds / wall:6.1%}  {package}")
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("stage", choices=["load", "deck", "site", "pdf", "cold", "rebuild"])
    parser.add_argument("--cards", type=int, help="use a synthetic project of this many cards")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--save", help="also write the raw profile (for snakeviz, pstats)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="peloton-profile-"))
    try:
        if args.stage in ("cold", "rebuild"):
            project = bench.copy_project(work / "project")
        elif args.cards:
            project = bench.write_synthetic_project(work / "project", args.cards)
        else:
            project = ROOT
        os.chdir(project)  # snippets resolve base_path "." against the working directory
        target = work / "out"
        target.mkdir()
        call = prepare(args.stage, project, target)
        profile = cProfile.Profile()
        started = time.perf_counter()
        profile.enable()
        call()
        profile.disable()
        wall = time.perf_counter() - started
        if args.save:
            profile.dump_stats(args.save)
        where = f"{args.cards} synthetic cards" if args.cards else (
            "the real project" if project == ROOT else "a copy of the real project")
        print(f"stage {args.stage} on {where}")
        print(report(profile, wall, args.top))
    finally:
        os.chdir(ROOT)
        shutil.rmtree(work, ignore_errors=True)
    return 0


def prepare(stage: str, project: Path, target: Path):  # type: ignore[no-untyped-def]
    """Everything the stage needs, done before profiling starts; returns the call to profile."""
    from peloton_prep.sources.content import load_content
    from peloton_prep.sources.release import current_release

    if stage == "load":
        return lambda: load_content(project)
    if stage == "deck":
        from peloton_prep.deck import write_deck

        content, release = load_content(project), current_release(project)
        return lambda: write_deck(content, release, target / "deck.apkg")
    if stage == "pdf":
        # Chromium's own work runs in its processes: this shows the Python side and the waits.
        from peloton_prep.build import write_pdfs

        content, release = load_content(project), current_release(project)
        return lambda: write_pdfs(content, release, target, ("a4", "letter"))
    if stage == "site":
        bench.stage_downloads(target / "downloads")
        return lambda: bench._call_build_site(project / "mkdocs.yml", target / "site", target / "downloads")
    if stage == "rebuild":
        from mkdocs.commands.build import build
        from mkdocs.config import load_config

        bench.stage_downloads(project / "build")

        def rebuild() -> None:  # mkdocs.commands.serve.serve's builder(), after a change
            config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(target / "site"))
            config.site_url = "http://127.0.0.1:8000/peloton-prep/"
            build(config, serve_url=config.site_url, dirty=False)

        # serve has already run on_startup once and built once; warm the imports the same way
        config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(target / "site"))
        config.plugins.on_startup(command="serve", dirty=False)
        rebuild()
        # Then edit one card's answer, as the benchmark does, so the profiled rebuild sees a change.
        card_file, line_index, _ = bench.card_to_edit(project)
        lines = card_file.read_text(encoding="utf-8").splitlines(keepends=True)
        lines[line_index] = lines[line_index].rstrip("\n") + " profiled-edit\n"
        card_file.write_text("".join(lines), encoding="utf-8")
        return rebuild
    if stage == "cold":
        from peloton_prep.cli import main as cli

        return lambda: cli(["--root", str(project), "build"])
    raise SystemExit(f"unknown stage {stage}")


if __name__ == "__main__":
    sys.exit(main())
