"""What the project takes from elsewhere is pinned: vendored files by sha256, Python packages by
hash in the lock files, and the deploy workflow's actions by commit."""

from __future__ import annotations

import hashlib
import re

from conftest import ROOT

VENDOR = ROOT / "src" / "peloton_prep" / "vendor"


def test_vendored_files_match_their_recorded_sha256() -> None:
    recorded = dict(re.findall(r"`([\w.-]+\.js)` \|[^|]*sha256 `([0-9a-f]{64})`", (VENDOR / "README.md").read_text()))
    scripts = sorted(path.name for path in VENDOR.glob("*.js"))
    assert sorted(recorded) == scripts
    for name, digest in recorded.items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, name


def test_every_locked_package_has_a_hash() -> None:
    for lock in ("requirements.lock", "requirements-test.lock"):
        text = (ROOT / lock).read_text()
        pins = re.findall(r"^([A-Za-z0-9_.-]+)==", text, re.MULTILINE)
        assert pins, lock
        for block in re.split(r"\n(?=[A-Za-z0-9_.-]+==)", text.split("\n\n", 1)[-1]):
            if "==" in block.splitlines()[0]:
                assert "--hash=sha256:" in block, block.splitlines()[0]


def test_workflow_actions_are_pinned_by_commit() -> None:
    for workflow in (ROOT / ".github" / "workflows").glob("*.yml"):
        uses = re.findall(r"uses:\s*(\S+)", workflow.read_text())
        assert uses, workflow
        for action in uses:
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", action), action
        assert "persist-credentials: false" in workflow.read_text()
