"""Where the build writes, and how it replaces old outputs only once all new ones exist."""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

DECK = "peloton-prep.apkg"
GUIDE = "peloton-prep-guide.pdf"
GUIDE_LETTER = "peloton-prep-guide-letter.pdf"
CARDS = "peloton-prep-cards.pdf"
CARDS_LETTER = "peloton-prep-cards-letter.pdf"
OFFLINE_ZIP = "peloton-prep-offline.zip"
DOWNLOADS = (DECK, GUIDE, GUIDE_LETTER, CARDS, CARDS_LETTER, OFFLINE_ZIP)
SITE = "site"

# The hook reads downloads from here, so the site being built links the deck and guide
# that are being built alongside it rather than the previous ones.
OUTPUTS_ENV = "PELOTON_PREP_OUTPUTS"


def guide_name(paper: str) -> str:
    return GUIDE_LETTER if paper == "letter" else GUIDE


def card_sheet_name(paper: str) -> str:
    return CARDS_LETTER if paper == "letter" else CARDS


@contextmanager
def staging_area(build_dir: Path) -> Iterator[Path]:
    """A scratch folder beside build/'s outputs, removed whatever happens."""
    build_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=build_dir))
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def publish(staging: Path, build_dir: Path) -> None:
    """Move every staged output into build/, each replacing its old self in one rename."""
    for item in sorted(staging.iterdir()):
        target = build_dir / item.name
        if item.is_dir() and target.exists():
            retired = build_dir / f".retired-{item.name}"
            shutil.rmtree(retired, ignore_errors=True)
            target.rename(retired)
            item.rename(target)
            shutil.rmtree(retired)
        else:
            item.replace(target)


def write_zip(target: Path, members: dict[str, bytes]) -> None:
    """Fixed member times and permissions keep two builds of one commit byte-identical."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)


def zip_directory(source: Path, target: Path) -> None:
    """Zip a folder's files in sorted order, so the archive depends only on their contents."""
    files = sorted(path for path in source.rglob("*") if path.is_file())
    write_zip(target, {path.relative_to(source).as_posix(): path.read_bytes() for path in files})
