"""scripts/render_cards.py: the sample it picks, the page it wraps a card in, and one run on a tiny project."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import GOOD_CLOZE, GOOD_QA
from scripts.render_cards import Entry, parse, phone_page, pick, run_on_lists

ROOT = Path(__file__).resolve().parent.parent

LONG_URL = "https://example.org/" + "a-very-long-path-segment-" * 6 + "end.html"


def entries(kind: str, sizes: dict[str, int]) -> list[Entry]:
    return [Entry((deck, f"{deck}-{n:02d}", 0), kind) for deck, size in sizes.items() for n in range(size)]


def test_pick_shares_the_sample_between_subdecks_and_spreads_it() -> None:
    """Subdecks take turns, the picks inside one are spread out, and the order of the input does not matter."""
    cards = entries("qa", {"A": 10, "B": 4, "C": 1}) + entries("cloze", {"A": 3})
    picked = pick(cards, 6)
    assert [entry.key[1] for entry in picked if entry.kind == "qa"] == ["A-01", "A-05", "A-08", "B-01", "B-03", "C-00"]
    assert [entry.key[1] for entry in picked if entry.kind == "cloze"] == ["A-00", "A-01", "A-02"]
    assert pick(list(reversed(cards)), 6) == picked


def test_phone_page_carries_the_classes_the_apps_set() -> None:
    day = phone_page("<b>Q</b>", Path("/tmp/media"), night=False, ordinal=0)
    night = phone_page("<b>Q</b>", Path("/tmp/media"), night=True, ordinal=1)
    assert '<html class="mobile android">' in day and '<body class="card card1">' in day
    assert '<body class="card card2 nightMode night_mode">' in night
    assert '<base href="file:///tmp/media/">' in night


def test_run_on_lists_counts_items_left_in_a_paragraph() -> None:
    assert run_on_lists("<p>Three steps:\n- one\n- two</p>") == 1
    assert run_on_lists("<p>Steps:\n1. one</p><p>plain\ntext - with a dash</p>") == 1
    assert run_on_lists("<p>Steps:</p>\n<ul>\n<li>one</li>\n</ul>") == 0


def test_renders_a_tiny_deck_in_both_modes(tiny_project: Path, tmp_path: Path, capsys: object) -> None:
    """Every side in both modes, two contact sheets, and a clean report: the diagram loads from the
    collection's media and a long source URL wraps inside the phone's width."""
    (tiny_project / "diagrams").mkdir()
    (tiny_project / "diagrams" / "flow.dot").write_text("digraph { a -> b }")
    qa = GOOD_QA.replace("back: An idempotency key the server remembers.", "back: '![Flow](../diagrams/flow.svg)'")
    cloze = GOOD_CLOZE.replace("https://example.org/ref", LONG_URL)
    (tiny_project / "cards" / "cards.yaml").write_text(qa + cloze)
    out = tmp_path / "renders"

    # Its own process, as the README runs it: this process may already hold the tests' browser.
    script = ROOT / "scripts" / "render_cards.py"
    run = subprocess.run([sys.executable, str(script), "--root", str(tiny_project), "--count", "1", "--out", str(out)],
                         check=False)
    assert run.returncode == 0

    for mode in ("light", "night"):
        names = sorted(path.name for path in (out / mode).iterdir())
        assert names == [f"0{n}-{card}-{side}.png" for n, card in ((1, "qa-test-qa"), (2, "cloze-test-cloze"))
                         for side in ("answer", "question")]
        assert (out / f"contact-{mode}.png").read_bytes().startswith(b"\x89PNG")
    report = (out / "report.txt").read_text().splitlines()
    assert [line.split("\t")[2] for line in report] == ["ok", "ok"]


def test_the_readme_runs_it() -> None:
    """The README's command is a Makefile target that runs the script, and it names every option."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Looking at the cards", 1)[1].split("\n## ", 1)[0]
    assert "```sh\nmake render-cards\n```" in section
    recipe = (ROOT / "Makefile").read_text().split("\nrender-cards:", 1)[1].split("\n\n", 1)[0]
    assert "$(BIN)/python scripts/render_cards.py" in recipe
    for option in vars(parse([])):
        assert f"--{option}" in section, option
