"""Finding which dataset a sheet holds, and on which row its header is.

Real exports put title rows, run dates and filters above the header, so we look at the
first rows of each sheet and take the row whose cells name the most required fields
of some dataset. A sheet is recognised as a dataset when at least half of that
dataset's required columns are there; the rest are then reported as missing.
"""
from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from scorecard.codes import token
from ingest.schema import Dataset, Field

HEADER_SEARCH_ROWS = 30
MIN_REQUIRED_SHARE = 0.5


@dataclass
class HeaderMatch:
    dataset: Dataset
    header_index: int
    """Index into the sheet's rows (the spreadsheet row is one more)."""
    columns: dict[str, tuple[int, str]] = field(default_factory=dict)
    """field name -> (column index, header as written)."""
    extra: list[tuple[int, str]] = field(default_factory=list)
    """Columns with a header that no field takes."""

    @property
    def missing(self) -> list[Field]:
        return [f for f in self.dataset.required if f.name not in self.columns]

    @property
    def required_share(self) -> float:
        required = self.dataset.required
        return (len(required) - len(self.missing)) / len(required) if required else 0.0

    def score(self) -> tuple:
        return (not self.missing, self.required_share, len(self.columns), -len(self.extra))


@functools.cache
def _header_lookup(dataset: Dataset) -> dict[str, Field]:
    lookup: dict[str, Field] = {}
    for f in dataset.fields:
        for name in f.header_tokens:
            lookup.setdefault(name, f)
    return lookup


def match_header(cells: Sequence[Any], dataset: Dataset, header_index: int) -> HeaderMatch:
    lookup = _header_lookup(dataset)
    match = HeaderMatch(dataset=dataset, header_index=header_index)
    for index, cell in enumerate(cells):
        if cell is None or not str(cell).strip():
            continue
        written = " ".join(str(cell).split())
        f = lookup.get(token(written))
        if f is not None and f.name not in match.columns:
            match.columns[f.name] = (index, written)
        else:
            match.extra.append((index, written))
    return match


def locate(head: Sequence[Sequence[Any]], candidates: Sequence[Dataset],
           min_share: float = MIN_REQUIRED_SHARE, min_columns: int = 2) -> HeaderMatch | None:
    """The best (dataset, header row) in the first rows of a sheet, or None.

    With the minimums at 0 it returns the closest match however poor, to say what is missing.
    """
    best: HeaderMatch | None = None
    for index, cells in enumerate(head[:HEADER_SEARCH_ROWS]):
        for dataset in candidates:
            match = match_header(cells, dataset, index)
            if match.required_share < min_share or len(match.columns) < min_columns:
                continue
            if best is None or match.score() > best.score():
                best = match
    return best
