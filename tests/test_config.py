"""mkdocs.yml is read by YAML, which keeps the last of two equal keys without a word: a second
`extra_javascript:` once dropped the study tools' script from every page."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import yaml

from conftest import ROOT


def mappings(node: yaml.Node) -> Iterator[yaml.MappingNode]:
    if isinstance(node, yaml.MappingNode):
        yield node
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
        for child in node.value:
            for part in child if isinstance(child, tuple) else (child,):
                yield from mappings(part)


def test_mkdocs_yml_gives_each_key_once() -> None:
    root = yaml.compose((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    assert root is not None
    repeated = [
        f"line {key.start_mark.line + 1}: {key.value}"
        for mapping in mappings(root)
        for key, _ in mapping.value
        if Counter(other.value for other, _ in mapping.value)[key.value] > 1
    ]
    assert not repeated, repeated
