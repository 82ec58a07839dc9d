"""Read YAML source files keeping the line of every mapping, so problems can name it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from geo.sources.problems import BuildError, Problem

LINE_KEY = "__line__"


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that records each mapping's 1-based start line under LINE_KEY."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping = super().construct_mapping(node, deep=deep)
        mapping[LINE_KEY] = node.start_mark.line + 1
        return mapping


def read_yaml(path: Path, display: str) -> Any:
    """Parse one file; a syntax error becomes a BuildError naming file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise BuildError([Problem(display, f"not UTF-8 text ({exc.reason} at byte {exc.start})")]) from None
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else None
        raise BuildError([Problem(display, f"invalid YAML: {exc.problem}", line)]) from None


def line_of(mapping: Any) -> int | None:
    return mapping.get(LINE_KEY) if isinstance(mapping, dict) else None


def without_lines(value: Any) -> Any:
    """A plain copy of parsed YAML with the line markers removed."""
    if isinstance(value, dict):
        return {k: without_lines(v) for k, v in value.items() if k != LINE_KEY}
    if isinstance(value, list):
        return [without_lines(v) for v in value]
    return value
