"""A source file's version as the build's caches see it: saving the file changes its time or size."""

from __future__ import annotations

from pathlib import Path

FileVersion = tuple[str, int, int]


def file_version(path: Path) -> FileVersion:
    stat = path.stat()
    return (str(path), stat.st_mtime_ns, stat.st_size)
