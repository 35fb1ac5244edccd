"""Run one child process to completion and measure its wall time, CPU and peak memory.

The parent reaps the child with os.wait4, whose rusage gives ru_maxrss (its largest process,
descendants included), and samples the proportional set size (PSS) summed over the child's whole
process tree every 0.1 s, which catches parallel workers that a maximum would hide. The peak is
the larger of the two.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

STAGE_TIMEOUT_S = 1800  # a stuck stage must not hang the run
BENCHMARKS = Path(__file__).resolve().parent.parent


@dataclass
class Sample:
    """One measured run: seconds are the stage's own time (from the worker) or the child's wall time."""

    seconds: float
    peak_mb: float
    cpu_s: float | None = None  # user + system CPU, children included
    info: dict[str, Any] = field(default_factory=dict)


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


def tree_mb(root_pid: int) -> float:
    """PSS of a process and all its descendants, in MB."""
    children = _children_index()
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        total += _pss_kb(pid)
        stack += children.get(pid, [])
    return total / 1024


def measure(
    command: Sequence[str], cwd: Path, env: dict[str, str] | None = None, sample_memory: bool = True,
) -> tuple[Sample, str]:
    """Run one child to completion; return its sample and stdout. Raises if it fails.

    Without `sample_memory` the tree is not sampled: each sample of a tree of Chromium processes
    costs about 40 ms of CPU, which on 2 cores slows the stage it measures. The peak is then the
    child's ru_maxrss only.
    """
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        child = subprocess.Popen(list(command), cwd=cwd, env=env, stdout=out, stderr=err, start_new_session=True)
        tree_peak = 0.0
        done = threading.Event()

        def sample_tree() -> None:
            nonlocal tree_peak
            while sample_memory and not done.wait(0.1):
                tree_peak = max(tree_peak, tree_mb(child.pid))

        def hard_stop() -> None:
            if not done.wait(STAGE_TIMEOUT_S):
                os.killpg(child.pid, signal.SIGKILL)  # the child's own session: only what we started

        sampler = threading.Thread(target=sample_tree, daemon=True)
        sampler.start()
        threading.Thread(target=hard_stop, daemon=True).start()
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
    peak = max(usage.ru_maxrss / 1024, tree_peak)  # Linux reports ru_maxrss in KiB
    return Sample(wall, peak, cpu_s=usage.ru_utime + usage.ru_stime), stdout


def child_env() -> dict[str, str]:
    """The environment of a child: this one, with benchmarks/ importable and MkDocs 2's banner off."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(BENCHMARKS), env.get("PYTHONPATH", "")]))
    env.setdefault("NO_MKDOCS_2_WARNING", "1")
    return env


def run_worker(spec: dict[str, Any], cwd: Path, sample_memory: bool = True) -> Sample:
    """Run one stage in a fresh interpreter; the worker times only the stage itself."""
    command = [sys.executable, "-m", "peloton_bench.worker", json.dumps(spec)]
    sample, stdout = measure(command, cwd, env=child_env(), sample_memory=sample_memory)
    result = json.loads(stdout.strip().splitlines()[-1])
    sample.seconds, sample.cpu_s, sample.info = result["seconds"], result["cpu"], result["info"]
    return sample
