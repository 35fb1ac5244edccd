"""Reading a source file: inside the project, within its size limit, as UTF-8, or a content error."""

from __future__ import annotations

from pathlib import Path

from peloton_prep.errors import ContentError, Problem

MAX_SOURCE_BYTES = 2_000_000


def read_text(root: Path, path: Path, limit: int = MAX_SOURCE_BYTES) -> str:
    """The file's text; a file that is unreadable, too big, not UTF-8 or outside the project
    is a content error naming the file (and the byte where decoding failed)."""
    name = _display(root, path)
    if not inside(root, path):
        raise ContentError([Problem(name, 1, "", "", "resolves outside the project (a symlink?): not read")])
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ContentError([Problem(name, 1, "", "", f"cannot read: {error.strerror or error}")]) from error
    if len(data) > limit:
        raise ContentError([Problem(name, 1, "", "", f"{len(data):,} bytes, over the {limit:,}-byte limit")])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        message = f"not UTF-8: byte {error.start} (0x{data[error.start]:02x}) cannot be decoded; save the file as UTF-8"
        raise ContentError([Problem(name, line, "", "", message)]) from error


def inside(root: Path, path: Path) -> bool:
    """Whether `path`, with every symlink followed, is still inside the project."""
    return path.resolve().is_relative_to(root.resolve())


def _display(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)
