"""Seconds from saving a card edit to `peloton-prep serve` serving the page that shows it.

The server runs in its own process group on 127.0.0.1. Once the page answers, a word is appended
to a Q&A card's answer and the page is fetched every 50 ms until the word appears. At the end the
server gets Ctrl-C (SIGKILL after 15 s); the whole measurement has a time limit.
"""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from peloton_bench.measure import child_env, tree_mb
from peloton_bench.synthetic import card_to_edit
from peloton_prep.sources.content import page_url

SERVE_TIMEOUT_S = 300
SETTLE_S = 1.5  # after the first page and after each edit: no rebuild in flight when the next edit lands


@dataclass
class ServeTiming:
    seconds: list[float]
    cpu: list[float]  # the server's CPU seconds from each save to the updated page: less sensitive to load
    peak_mb: float
    url: str


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and of its children it has waited for (Git, Graphviz)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str, timeout: float) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - 127.0.0.1 only
            return bytes(response.read()).decode("utf-8", errors="replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def page_address(project: Path, port: int, page: str) -> str:
    """`serve` mounts the site under site_url's path (here /peloton-prep/)."""
    site_url = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8")).get("site_url") or "/"
    mount = urlsplit(site_url).path.strip("/")
    return f"http://127.0.0.1:{port}/{mount + '/' if mount else ''}{page_url(page)}"


def time_card_edits(project: Path, edits: int, log_path: Path) -> ServeTiming:
    """Serve `project` (which this edits) and time `edits` card edits."""
    card_file, line_index, page = card_to_edit(project)
    port = free_port()
    url = page_address(project, port, page)
    deadline = time.monotonic() + SERVE_TIMEOUT_S
    command = [sys.executable, "-m", "peloton_prep.cli", "--root", str(project), "serve", "--dev-addr",
               f"127.0.0.1:{port}"]
    with open(log_path, "w", encoding="utf-8") as log:
        server = subprocess.Popen(command, cwd=project, env=child_env(), stdout=log, stderr=subprocess.STDOUT,
                                  start_new_session=True)
    timings: list[float] = []
    cpu: list[float] = []
    peak_mb = 0.0

    def alive() -> None:
        if server.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"serve failed or timed out on {url}:\n{log_path.read_text()[-3000:]}")

    try:
        while fetch(url, timeout=5) is None:
            alive()
            time.sleep(0.2)
        time.sleep(SETTLE_S)  # let the file watcher take its first snapshot
        original = card_file.read_text(encoding="utf-8").splitlines(keepends=True)
        for number in range(edits):
            marker = f"benchedit{number}x{random.randrange(16**8):08x}"
            lines = list(original)
            lines[line_index] = lines[line_index].rstrip("\n") + f" {marker}\n"
            card_file.write_text("".join(lines), encoding="utf-8")
            saved, cpu_before = time.perf_counter(), cpu_seconds(server.pid)
            while marker not in (fetch(url, timeout=5) or ""):
                alive()
                time.sleep(0.05)
            timings.append(time.perf_counter() - saved)
            cpu.append(cpu_seconds(server.pid) - cpu_before)
            peak_mb = max(peak_mb, tree_mb(server.pid))
            time.sleep(SETTLE_S)
    finally:
        stop(server)
    return ServeTiming(timings, cpu, peak_mb, url)


def stop(server: subprocess.Popen[bytes]) -> None:
    """Ctrl-C the server's own process group (MkDocs cleans up); SIGKILL it if it lingers."""
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGINT)
    try:
        server.wait(15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
