"""Every bad source and unlucky condition ends with its exit code and one clear line naming the
file; no traceback reaches the user, and build/ keeps its previous outputs byte for byte."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import GOOD_CLOZE, GOOD_QA, PAGE
from peloton_prep import cli
from peloton_prep.outputs import locked

Setup = Callable[[Path], None]
OLD_OUTPUTS = {"peloton-prep.apkg": b"previous deck", "site/index.html": b"<p>previous site</p>"}


def _write(relative: str, data: str | bytes) -> Setup:
    def setup(root: Path) -> None:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return setup


def _cards(text: str) -> Setup:
    return _write("cards/cards.yaml", text)


def _back(back: str) -> Setup:
    return _cards(GOOD_QA.replace("back: An idempotency key the server remembers.", f"back: {back}"))


def _symlink(relative: str, target: Path) -> Setup:
    def setup(root: Path) -> None:
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).symlink_to(target)
    return setup


OUTSIDE = Path("/etc/hostname")
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + level)}: &{chr(98 + level)} [*{chr(97 + level)}, *{chr(97 + level)}, *{chr(97 + level)}]\n"
    for level in range(8)
)

CASES: dict[str, tuple[Setup, str]] = {
    "card-not-utf8": (_write("cards/bad.yaml", b"- id: caf\xe9\n"), "cards/bad.yaml:1: not UTF-8: byte 9"),
    "page-not-utf8": (_write("docs/bad.md", b"---\ndescription: x\n---\n# Caf\xe9\n"), "docs/bad.md:4: not UTF-8"),
    "missing-snippet": (_write("docs/snip.md", PAGE + '\n--8<-- "solutions/nope.py"\n'),
                        "docs/snip.md:1: cannot render"),
    "snippet-in-card": (_back("'--8<-- \".git/config\"'"), "card 'test-qa': back: cards cannot include files"),
    "missing-diagram": (_back("'![Flow](../diagrams/nope.svg)'"), "back: no diagram diagrams/nope.dot"),
    "hot-link-capitals": (_back("\"<IMG SRC='https://evil.example/x.png'>\""), "back: images must be diagrams"),
    "hot-link-unquoted": (_back("'<img src=//evil.example/x.png>'"), "back: images must be diagrams"),
    "local-image": (_back("'![x](file:///etc/passwd)'"), "back: images must be diagrams"),
    "broken-dot": (_write("diagrams/a.dot", "digraph { a -> }"), "diagrams/a.dot:1:"),
    "yaml-alias-bomb": (_cards(BOMB), "cards/cards.yaml:1: YAML anchors and aliases"),
    "field-too-long": (_back("'" + "word " * 1000 + "'"), "back: 4,999 characters, over the 4,000 limit"),
    "long-token": (_back("'" + "x" * 300 + "'"), "back: an unbroken run of 300 characters"),
    "file-too-big": (_write("cards/big.yaml", "# " + "x" * 600_000 + "\n"), "cards/big.yaml:1: 600,003 bytes"),
    "no-cards-folder": (lambda root: shutil.rmtree(root / "cards"), "cards/:1: no cards/ folder"),
    "no-cards": (lambda root: (root / "cards" / "cards.yaml").unlink(), "cards/:1: no cards: an empty deck"),
    "card-in-subfolder": (_write("cards/more/x.yaml", GOOD_CLOZE), "cards/more/x.yaml:1: not loaded"),
    "card-upper-suffix": (_write("cards/x.YAML", GOOD_CLOZE), "cards/x.YAML:1: not loaded"),
    "symlinked-page": (_symlink("docs/leak.md", OUTSIDE), "docs/leak.md:1: symlink to /etc/hostname leaves"),
    "symlinked-card-file": (_symlink("cards/leak.yaml", OUTSIDE), "cards/leak.yaml:1: symlink to"),
    "symlinked-solution": (_symlink("solutions/leak.py", OUTSIDE), "solutions/leak.py:1: symlink to"),
    "broken-mkdocs-yml": (_write("mkdocs.yml", "nav: [\n"), "mkdocs.yml:2: invalid YAML"),
    "mkdocs-yml-not-mapping": (_write("mkdocs.yml", "- just\n- a list\n"), "mkdocs.yml:1: must be a mapping"),
    "dead-link": (_write("docs/test.md", PAGE + "\nSee [gone](gone.md).\n"), "docs/test.md:15: link to gone.md"),
    "dead-anchor": (_write("docs/test.md", PAGE + "\nSee [here](#nowhere).\n"), "no anchor #nowhere on test.md"),
}


@pytest.fixture
def project(tiny_project: Path) -> Path:
    """The tiny project with a good card and the outputs of an earlier build."""
    (tiny_project / "cards" / "cards.yaml").write_text(GOOD_QA)
    for folder in ("diagrams", "solutions"):
        (tiny_project / folder).mkdir()
    for name, data in OLD_OUTPUTS.items():
        (tiny_project / "build" / name).parent.mkdir(parents=True, exist_ok=True)
        (tiny_project / "build" / name).write_bytes(data)
    return tiny_project


def outputs(root: Path) -> dict[str, bytes]:
    build = root / "build"
    return {path.relative_to(build).as_posix(): path.read_bytes() for path in build.rglob("*") if path.is_file()}


def run(root: Path, *argv: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = cli.main(["--root", str(root), *argv])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    return code, captured.err.strip().splitlines()


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_source_is_one_line_and_keeps_outputs(
    project: Path, case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each bad source: exit 1, its line naming the file, the summary line, build/ untouched."""
    setup, expected = CASES[case]
    setup(project)
    code, lines = run(project, "build", capsys=capsys)
    assert code == 1
    assert any(line.startswith(expected) or expected in line for line in lines), lines
    assert lines[-1].endswith("nothing was written") or lines[-1].startswith("peloton-prep:")
    assert outputs(project) == OLD_OUTPUTS


def test_check_reports_every_broken_diagram(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """All broken DOT files are reported at once, not only the first."""
    for name in ("a", "b"):
        (project / "diagrams" / f"{name}.dot").write_text("digraph { x -> }")
    code, lines = run(project, "check", capsys=capsys)
    assert code == 1
    assert [line.split(":")[0] for line in lines[:-1]] == ["diagrams/a.dot", "diagrams/b.dot"]


def test_build_dir_that_cannot_be_written_exits_4(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An output folder that is not a folder (or is read-only, or full) is exit 4 with one line."""
    (project / "build" / "site" / "index.html").unlink()
    (project / "build" / "site").rmdir()
    (project / "build" / "site").write_text("not a folder")
    (project / "build" / ".versions").write_text("not a folder either")
    before = outputs(project)
    code, lines = run(project, "build", "--paper", "a4", capsys=capsys)
    assert code == 4 and len(lines) == 1 and "cannot write" in lines[0], lines
    assert outputs(project) == before


def test_second_build_at_once_exits_4(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """While one build holds build/, another stops with a clear message and changes nothing."""
    with locked(project / "build"):
        code, lines = run(project, "build", capsys=capsys)
    assert code == 4 and lines == [f"peloton-prep: another build is running in {project / 'build'}; "
                                   "wait for it to finish"]
    assert outputs(project) == OLD_OUTPUTS


def test_source_date_epoch_past_9999_is_a_usage_error(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "999999999999")
    code, lines = run(project, "build", capsys=capsys)
    assert code == 2 and len(lines) == 1 and "SOURCE_DATE_EPOCH" in lines[0]
    assert outputs(project) == OLD_OUTPUTS


def test_missing_graphviz_exits_3(project: Path, monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (project / "diagrams" / "flow.dot").write_text("digraph { a -> b }")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    code, lines = run(project, "check", capsys=capsys)
    assert code == 3 and lines == ["peloton-prep: Graphviz 'dot' is not installed: run scripts/system-deps"]


def test_bad_dev_addr_is_a_usage_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["--root", str(project), "serve", "--dev-addr", "nowhere"])
    assert code == 2 and "HOST:PORT" in capsys.readouterr().err


def test_ctrl_c_exits_130(project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def interrupted(root: Path) -> None:
        raise KeyboardInterrupt
    monkeypatch.setattr(cli, "load_content", interrupted)
    code, lines = run(project, "check", capsys=capsys)
    assert code == 130 and lines == ["peloton-prep: interrupted; build/ keeps its previous outputs"]


def test_internal_error_is_one_line_with_a_saved_traceback(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(root: Path) -> None:
        raise ValueError("a bug")
    monkeypatch.setattr(cli, "load_content", broken)
    code, lines = run(project, "check", capsys=capsys)
    assert code == 1 and len(lines) == 1 and "internal error (ValueError: a bug)" in lines[0]
    saved = Path(lines[0].split("traceback saved to ")[1].split(";")[0])
    assert "ValueError: a bug" in saved.read_text()
    os.unlink(saved)
