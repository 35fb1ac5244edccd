"""`peloton-prep serve` rebuilds the preview when a card file changes."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

PAGE = "peloton-prep/de/recruiter-screen/"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode())
    except OSError:
        return ""


def wait_for(url: str, text: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if text in fetch(url):
            return True
        time.sleep(0.3)
    return False


@pytest.fixture
def preview(project_copy: Path) -> Iterator[str]:
    """A running preview of a copy of the project, stopped after the test."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "peloton_prep.cli", "--root", str(project_copy), "serve",
         "--dev-addr", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        yield f"http://127.0.0.1:{port}/{PAGE}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_card_edit_reaches_the_preview(preview: str, project_copy: Path) -> None:
    """Saving a changed card back shows the new text on its page without a restart."""
    assert wait_for(preview, "pp-card", 60), "the preview never came up"
    cards = project_copy / "cards" / "de-recruiter-screen.yaml"
    text = cards.read_text()
    marker = "Freshly edited answer marker"
    cards.write_text(text.replace("  back: |\n", f"  back: |\n    {marker}.\n", 1))
    assert wait_for(preview, marker, 30)


def test_broken_source_shows_in_the_preview(preview: str, project_copy: Path) -> None:
    """A broken card is shown on the page, escaped, while the preview keeps serving; fixing it clears it."""
    assert wait_for(preview, "pp-card", 60), "the preview never came up"
    cards = project_copy / "cards" / "de-recruiter-screen.yaml"
    text = cards.read_text()
    cards.write_text(text.replace("  kind: qa\n", "  kind: <b>essay</b>\n", 1))
    assert wait_for(preview, "pp-problems", 30)
    page = fetch(preview)
    assert "&lt;b&gt;essay&lt;/b&gt;" in page and "<b>essay</b>" not in page
    assert "pp-card" in page, "the last good cards are still shown"
    cards.write_text(text)
    deadline = time.monotonic() + 30
    while "pp-problems" in fetch(preview) and time.monotonic() < deadline:
        time.sleep(0.3)
    assert "pp-problems" not in fetch(preview)
