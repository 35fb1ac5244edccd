"""Read a card file into plain mappings that remember their line numbers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from peloton_prep.errors import Problem

# libyaml's parser when PyYAML was built with it: the same nodes and marks, far faster.
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Entry:
    """One mapping of a card file, with the line of the entry and of each key."""

    line: int
    values: dict[str, Any]
    lines: dict[str, int]


def read_entries(path: str, text: str) -> tuple[list[Entry], list[Problem]]:
    """Parse a card file; a file that is not a list of mappings yields problems, never raises."""
    try:
        aliased = _anchors_and_aliases(text)
        if aliased:
            message = "YAML anchors and aliases (& and *) are not allowed in card files: write the value out"
            return [], [Problem(path, line, "", "", message) for line in aliased]
        root = yaml.compose(text, Loader=Loader)
    except yaml.YAMLError as error:
        return [], [Problem(path, _error_line(error), "", "", f"invalid YAML: {_first_line(error)}")]
    if root is None:
        return [], []
    if not isinstance(root, yaml.SequenceNode):
        return [], [Problem(path, _line(root), "", "", "a card file must be a YAML list of cards")]
    entries: list[Entry] = []
    problems: list[Problem] = []
    loader = Loader("")
    for item in root.value:
        entry, entry_problems = _read_entry(path, item, loader)
        problems += entry_problems
        if entry is not None:
            entries.append(entry)
    return entries, problems


def _anchors_and_aliases(text: str) -> list[int]:
    """Lines of every YAML anchor or alias, found from the event stream before anything is built:
    an alias expands to a copy of its anchor's value, so a few hundred bytes can fill gigabytes."""
    lines = []
    for event in yaml.parse(text, Loader=Loader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            mark = event.start_mark
            lines.append(int(mark.line) + 1 if mark is not None else 1)
    return lines


def _read_entry(path: str, node: yaml.Node, loader: Any) -> tuple[Entry | None, list[Problem]]:
    if not isinstance(node, yaml.MappingNode):
        return None, [Problem(path, _line(node), "", "", "each card must be a mapping of fields")]
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    problems: list[Problem] = []
    for key_node, value_node in node.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else repr(key_node.value)
        if key in values:
            problems.append(Problem(path, _line(key_node), "", str(key), "field given twice"))
            continue
        try:
            values[str(key)] = _construct(value_node, loader)
        except (yaml.YAMLError, RecursionError) as error:
            problems.append(Problem(path, _line(value_node), "", str(key), _first_line(error)))
            continue
        lines[str(key)] = _line(key_node)
    return Entry(_line(node), values, lines), problems


def _construct(node: yaml.Node, loader: Any) -> Any:
    """Build one value; the loader's memo of built nodes is cleared so values never share state."""
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader.constructed_objects.clear()
        loader.recursive_objects.clear()


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _error_line(error: yaml.YAMLError) -> int:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    return int(mark.line) + 1 if mark is not None else 1


def _first_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return " ".join(text.split())
