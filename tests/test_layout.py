"""The package as the README describes it: every module named in the layout table, no state kept
in modules (caches that a preview needs live on the plugin object), and each diagram drawn once."""

from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT
from peloton_prep.sources import diagrams
from peloton_prep.sources.content import load_content

PACKAGE = ROOT / "src" / "peloton_prep"
CACHES = {"cache", "lru_cache", "cached_property"}


def modules() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if path.name != "__init__.py")


def layout_table() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split("\n## Layout\n", 1)[1].split("\n## ", 1)[0]


def test_every_module_is_in_the_readme_layout_table() -> None:
    table = layout_table()
    folders = {row.group(1) for row in re.finditer(r"^\| `([^`]+)/` \|", table, re.MULTILINE)}
    missing = []
    for path in modules():
        folder = path.parent.relative_to(ROOT).as_posix()
        row = next((line for line in table.splitlines() if line.startswith(f"| `{folder}/` |")), "")
        if folder not in folders or f"`{path.stem}`" not in row:
            missing.append(path.relative_to(ROOT).as_posix())
    assert not missing, missing


def module_state(path: Path) -> list[str]:
    """Lines that keep state in a module: a cache decorator, a `global`, or a module-level name
    that is neither a constant (UPPER_CASE) nor a type (CapWords)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Global):
            found.append(f"{path.name}:{node.lineno}: global")
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for decorator in node.decorator_list:
                name = ast.unparse(decorator).split("(")[0].split(".")[-1]
                if name in CACHES:
                    found.append(f"{path.name}:{node.lineno}: @{name} on {node.name}")
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        targets += [node.target] if isinstance(node, ast.AnnAssign) else []
        for target in targets:
            if isinstance(target, ast.Name) and not target.id.lstrip("_")[:1].isupper():
                found.append(f"{path.name}:{node.lineno}: module-level {target.id}")
    return found


def test_no_module_keeps_state() -> None:
    found = [line for path in modules() for line in module_state(path)]
    assert not found, found


def test_each_diagram_layout_is_drawn_once_per_load(monkeypatch: pytest.MonkeyPatch) -> None:
    """One Graphviz run per diagram, and one more only for a flow too wide to print (its top to
    bottom layout); the site, deck, guide and EPUB all take theirs from the loaded content."""
    runs: list[list[str]] = []
    real_run = subprocess.run

    def counted(command: list[str], *args: Any, **kwargs: Any) -> Any:
        if command[0] == "dot":
            runs.append(command)
        return real_run(command, *args, **kwargs)

    monkeypatch.setattr(subprocess, "run", counted)  # diagrams.py calls subprocess.run
    content = load_content(ROOT)
    wide = [name for name, svg in content.diagrams.items() if diagrams.needs_top_to_bottom(svg)]
    assert len(content.diagrams) == len(list((ROOT / "diagrams").glob("*.dot")))
    assert len(runs) == len(content.diagrams) + len(wide)
