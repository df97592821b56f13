"""Where each key of a YAML file is, so a problem in a data file is reported with its line."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


def line_index(node, path: tuple = (), lines: dict | None = None) -> dict[tuple, int]:
    """Line number (1-based) of every key and list item in the YAML document."""
    lines = {} if lines is None else lines
    if node is None:
        return lines
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            lines[(*path, key.value)] = key.start_mark.line + 1
            line_index(value, (*path, key.value), lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            line_index(item, (*path, index), lines)
    return lines


class NotValidYaml(ValueError):
    """'metrics.yaml:12: not valid YAML: ...': the file and line, as every data file's problems are."""


def read_with_lines(path: Path) -> tuple[Any, dict[tuple, int]]:
    """A YAML data file's content and the line of each of its keys."""
    text = path.read_text(encoding="utf-8")
    try:
        return yaml.safe_load(text), line_index(yaml.compose(text))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise NotValidYaml(f"{path.name}:{line}: not valid YAML: {getattr(error, 'problem', error)}") from None
