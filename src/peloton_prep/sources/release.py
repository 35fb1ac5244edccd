"""The version and timestamp of the content, taken from git so builds are reproducible."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from peloton_prep.errors import UsageError


@dataclass(frozen=True)
class Release:
    """What one build is stamped with; never the time of the build itself."""

    version: str
    timestamp: int
    # Built from uncommitted cards or pages: a development build, which must never pass for a release.
    dev: bool = False

    @property
    def date(self) -> str:
        return datetime.fromtimestamp(self.timestamp, UTC).strftime("%Y-%m-%d")

    @property
    def iso_time(self) -> str:
        return datetime.fromtimestamp(self.timestamp, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def current_release(root: Path) -> Release:
    """SOURCE_DATE_EPOCH wins; else the last commit's time; else the newest source file's.

    Sources that differ from the last commit (or a folder outside git) make a development build:
    its version says so and its time is the newest source file's, so a rebuilt preview is newer
    than the last one.
    """
    commit_time, commit = _git_head(root)
    dev = not commit or bool(uncommitted_sources(root))
    built = max(commit_time, _newest_source_mtime(root)) if dev else commit_time
    timestamp = _source_date_epoch() or built
    version = f"{_date(timestamp)}-{commit or 'uncommitted'}" + ("-dev" if dev else "")
    return Release(version=version, timestamp=timestamp, dev=dev)


# What the deck and pages are built from; the rest (tests, build code) does not change a card.
CONTENT_PATHS = ("cards", "docs", "diagrams", "mkdocs.yml")


def uncommitted_sources(root: Path) -> list[str]:
    """Content files that are changed, added or deleted since the last commit (git's short status)."""
    try:
        out = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=all", "--", *CONTENT_PATHS],
            cwd=root, capture_output=True, text=True, check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return []
    return [line[3:] for line in out.splitlines() if line.strip()]


def last_changed(root: Path) -> dict[str, int]:
    """Each tracked file's last commit time, from one walk of the history (newest first)."""
    try:
        log = subprocess.run(
            ["git", "log", "--format=%x00%ct", "--name-only", "--", "docs", "cards"],
            cwd=root, capture_output=True, text=True, check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return {}
    times: dict[str, int] = {}
    for commit in log.split("\0")[1:]:
        stamp, *names = commit.strip().splitlines()
        for name in names:
            times.setdefault(name, int(stamp))
    return times


def _git_head(root: Path) -> tuple[int, str]:
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%ct %h"],
            cwd=root, capture_output=True, text=True, check=True,
        ).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        return 0, ""
    return (int(out[0]), out[1]) if len(out) == 2 else (0, "")


# Zip members and Anki's timestamps cannot go before 1980 or past 9999.
EARLIEST, LATEST = 315_532_800, 253_402_300_799


def _source_date_epoch() -> int:
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return 0
    if not value.isdigit() or not EARLIEST <= int(value) <= LATEST:
        raise UsageError(f"SOURCE_DATE_EPOCH={value[:20]!r} must be a Unix time between 1980 and 9999")
    return int(value)


def _newest_source_mtime(root: Path) -> int:
    sources = [*root.glob("docs/**/*"), *root.glob("cards/*")]
    return max((int(path.stat().st_mtime) for path in sources if path.is_file()), default=0)


def _date(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y.%m.%d")
