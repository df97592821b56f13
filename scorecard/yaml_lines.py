"""Where each key of a YAML file is, so a problem in a data file is reported with its line."""
from __future__ import annotations

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
