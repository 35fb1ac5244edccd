"""The CLI, called as main(argv): exit codes, error output, and outputs kept on failure."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import GOOD_QA, ROOT
from peloton_prep.cli import COMMAND_OPTIONS, GLOBAL_OPTIONS, main
from peloton_prep.pdf import chromium as printer


def test_check_passes_on_the_real_content(capsys: pytest.CaptureFixture[str]) -> None:
    """`check` on the repository's own sources finds nothing wrong."""
    assert main(["--root", str(ROOT), "check"]) == 0
    assert "no problems" in capsys.readouterr().out


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown command or option is a usage error."""
    assert main(["publish"]) == 2
    assert main(["build", "--paper", "a3"]) == 2


def test_missing_project_is_a_usage_error(tmp_path: Path) -> None:
    """A folder without mkdocs.yml is not a project."""
    assert main(["--root", str(tmp_path), "check"]) == 2


def test_broken_card_fails_build_and_keeps_outputs(
    project_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A broken card exits 1 naming path, line, id and field, and build/ stays as it was."""
    old = project_copy / "build" / "peloton-prep.apkg"
    old.parent.mkdir()
    old.write_bytes(b"previous deck")
    broken = GOOD_QA.replace("page: test.md", "page: de/index.md").replace("section: idempotency", "section: nope")
    (project_copy / "cards" / "zz-broken.yaml").write_text(broken)
    assert main(["--root", str(project_copy), "build"]) == 1
    err = capsys.readouterr().err
    assert "cards/zz-broken.yaml:7: card 'test-qa': section: no heading #nope on de/index.md" in err
    assert old.read_bytes() == b"previous deck"
    assert sorted(path.name for path in old.parent.iterdir()) == ["peloton-prep.apkg"]


def test_missing_chromium_exits_3_and_keeps_outputs(
    project_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without Chromium the build exits 3 with the command that installs it; build/ is untouched."""
    old = project_copy / "build" / "peloton-prep.apkg"
    old.parent.mkdir()
    old.write_bytes(b"previous deck")
    monkeypatch.setattr(printer, "EXECUTABLE", str(project_copy / "no-chromium"))
    assert main(["--root", str(project_copy), "build", "--paper", "a4"]) == 3
    assert "scripts/system-deps" in capsys.readouterr().err
    assert sorted(path.name for path in old.parent.iterdir()) == ["peloton-prep.apkg"]
    assert old.read_bytes() == b"previous deck"


def test_every_command_is_documented() -> None:
    """Each CLI command and option appears in the README."""
    readme = (ROOT / "README.md").read_text()
    for name, (_, flags) in COMMAND_OPTIONS.items():
        assert f"peloton-prep {name}" in readme, name
        for flag in flags:
            assert flag in readme, flag
    for flag in GLOBAL_OPTIONS:
        assert flag in readme, flag


def test_readme_has_two_setup_commands() -> None:
    """The README's quick start gives exactly the build and the test command."""
    readme = (ROOT / "README.md").read_text()
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    assert re.findall(r"^make \w+$", quick_start, re.MULTILINE) == ["make build", "make test"]
