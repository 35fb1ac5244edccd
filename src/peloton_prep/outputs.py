"""Where the build writes, and how it switches every output at once.

build/ holds each build's outputs in a folder of its own under `.versions/`, and `.current`, a
symlink to the newest complete one. The names a reader uses (`build/site`, `build/peloton-prep.apkg`,
...) are symlinks through `.current`, so replacing that one symlink (an atomic rename) switches
every output in one step: a build killed at any instant leaves all old or all new outputs.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from peloton_prep.errors import OutputError

DECK = "peloton-prep.apkg"
GUIDE = "peloton-prep-guide.pdf"
GUIDE_LETTER = "peloton-prep-guide-letter.pdf"
GUIDE_COMPACT = "peloton-prep-guide-compact.pdf"
GUIDE_COMPACT_LETTER = "peloton-prep-guide-compact-letter.pdf"
CARDS = "peloton-prep-cards.pdf"
CARDS_LETTER = "peloton-prep-cards-letter.pdf"
EPUB = "peloton-prep-guide.epub"
OFFLINE_ZIP = "peloton-prep-offline.zip"
DOWNLOADS = (DECK, GUIDE, GUIDE_LETTER, GUIDE_COMPACT, GUIDE_COMPACT_LETTER, CARDS, CARDS_LETTER, EPUB, OFFLINE_ZIP)
SITE = "site"
OUTPUTS = (SITE, *DOWNLOADS)

VERSIONS = ".versions"
CURRENT = ".current"


def guide_name(paper: str, compact: bool = False) -> str:
    if compact:
        return GUIDE_COMPACT_LETTER if paper == "letter" else GUIDE_COMPACT
    return GUIDE_LETTER if paper == "letter" else GUIDE


def card_sheet_name(paper: str) -> str:
    return CARDS_LETTER if paper == "letter" else CARDS


@contextmanager
def locked(build_dir: Path) -> Iterator[None]:
    """One build at a time in a folder: a second one stops with a clear message."""
    try:
        build_dir.mkdir(parents=True, exist_ok=True)
        # The folder itself is the lock: no lock file to leave behind or to remove in a race.
        handle = os.open(build_dir, os.O_RDONLY)
    except OSError as error:
        raise OutputError(f"cannot write to {build_dir}: {error.strerror or error}") from error
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise OutputError(f"another build is running in {build_dir}; wait for it to finish") from error
        yield
    finally:
        os.close(handle)


@contextmanager
def staging_area(build_dir: Path) -> Iterator[Path]:
    """A new version folder to write into, removed unless it is published. Call under `locked`."""
    remove_stale(build_dir)
    try:
        (build_dir / VERSIONS).mkdir(exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix="v-", dir=build_dir / VERSIONS))
    except OSError as error:
        raise OutputError(f"cannot write to {build_dir}: {error.strerror or error}") from error
    try:
        yield staging
    except OSError as error:
        raise OutputError(f"cannot write the outputs: {error.strerror or error} ({error.filename or build_dir})") \
            from error
    finally:
        if _current(build_dir) != staging:
            shutil.rmtree(staging, ignore_errors=True)
            _remove_if_empty(build_dir / VERSIONS)


def remove_stale(build_dir: Path) -> None:
    """Folders of builds that were interrupted, and of versions no longer current."""
    current = _current(build_dir)
    versions = build_dir / VERSIONS
    for folder in sorted(versions.iterdir()) if versions.is_dir() else []:
        if folder != current:
            shutil.rmtree(folder, ignore_errors=True)
    # Left by releases before versioned outputs, or by an interrupted switch.
    for stale in [*build_dir.glob(".staging-*"), *build_dir.glob(".retired-*"), *build_dir.glob(".current-*")]:
        if stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale, ignore_errors=True)
        else:
            stale.unlink(missing_ok=True)


def _remove_if_empty(folder: Path) -> None:
    with suppress(OSError):
        folder.rmdir()


def _current(build_dir: Path) -> Path | None:
    link = build_dir / CURRENT
    return (build_dir / os.readlink(link)) if link.is_symlink() else None


def publish(staging: Path, build_dir: Path) -> None:
    """Make `staging` the current outputs in one rename; outputs this build did not make (one
    paper only) are carried over from the current version as hard links."""
    current = _current(build_dir)
    try:
        for name in OUTPUTS:
            if current is not None and not (staging / name).exists() and (current / name).is_file():
                os.link(current / name, staging / name)
        for name in OUTPUTS:
            _point(build_dir / name, Path(CURRENT) / name)
        _point(build_dir / CURRENT, staging.relative_to(build_dir))
    except OSError as error:
        raise OutputError(f"cannot publish the outputs in {build_dir}: {error.strerror or error}") from error
    if current is not None and current != staging:
        shutil.rmtree(current, ignore_errors=True)


def _point(link: Path, target: Path) -> None:
    """Make `link` a symlink to `target`, atomically: a new link renamed over the old name."""
    if link.is_symlink() and Path(os.readlink(link)) == target:
        return
    if link.exists() and not link.is_symlink():
        # An output from before versioned folders: move it out of the way first.
        _retire(link)
    temporary = link.with_name(f".current-{link.name}")
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(target)
    os.replace(temporary, link)


def _retire(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink()


def write_zip(target: Path, members: dict[str, bytes], stored: frozenset[str] = frozenset()) -> None:
    """Fixed member times and permissions keep two builds of one commit byte-identical; members
    named in `stored` are not compressed (an EPUB's mimetype)."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            archive.writestr(info, data)


def zip_directory(source: Path, target: Path) -> None:
    """Zip a folder's files in sorted order, so the archive depends only on their contents."""
    files = sorted(path for path in source.rglob("*") if path.is_file())
    write_zip(target, {path.relative_to(source).as_posix(): path.read_bytes() for path in files})
