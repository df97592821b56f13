"""Finding which dataset a sheet holds, and on which row its header is.

Real exports put title rows, run dates and filters above the header, so we look at the
first rows of each sheet and take the row whose cells name the most required fields
of some dataset. A sheet is recognised as a dataset when at least half of that
dataset's required columns are there; the rest are then reported as missing.

A header names a field when, ignoring case, spaces and punctuation, it is one of the
field's accepted headers, or is after dropping a trailing note in brackets ("Date of
Birth (dd/mm/yyyy)"), or has the same words in another order ("Date Missing" and
"Missing Date"). A council's saved mapping comes first: a header it maps is that field,
whatever else it looks like.
"""
from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ingest.schema import Dataset, Field
from scorecard.codes import content_words, token

HEADER_SEARCH_ROWS = 30
MIN_REQUIRED_SHARE = 0.5
_TRAILING_NOTE = re.compile(r"\s*[(\[][^()\[\]]*[)\]]\s*$")


@dataclass
class HeaderMatch:
    dataset: Dataset
    header_index: int
    """Index into the sheet's rows (the spreadsheet row is one more)."""
    columns: dict[str, tuple[int, str]] = field(default_factory=dict)
    """field name -> (column index, header as written)."""
    extra: list[tuple[int, str]] = field(default_factory=list)
    """Columns with a header that no field takes."""
    duplicates: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    """field name -> the further columns whose header also names it (the first is in `columns`)."""
    mapped: set[str] = field(default_factory=set)
    """Fields found through the council's saved mapping."""

    @property
    def missing(self) -> list[Field]:
        return [f for f in self.dataset.required
                if f.name not in self.columns and self.dataset.derivable(f.name, self.columns) is None]

    @property
    def required_share(self) -> float:
        required = self.dataset.required
        return (len(required) - len(self.missing)) / len(required) if required else 0.0

    def score(self) -> tuple:
        return (not self.missing, self.required_share, len(self.columns), -len(self.extra))

    def closest_headers(self, f: Field, count: int = 3) -> list[str]:
        """The file's unmatched headers most like one of the field's accepted headers."""
        names = [token(h) for h in (*f.headers, f.name)]
        scored = []
        for _, written in self.extra:
            written_token = token(written)
            score = max(difflib.SequenceMatcher(None, written_token, name).ratio() for name in names)
            shared = max(_overlap(content_words(written), content_words(h)) for h in f.headers)
            scored.append((max(score, shared), written))
        return [written for score, written in sorted(scored, key=lambda s: -s[0]) if score >= 0.5][:count]


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


@functools.cache
def _header_lookup(dataset: Dataset) -> dict[str, Field]:
    lookup: dict[str, Field] = {}
    for f in dataset.fields:
        for name in f.header_tokens:
            lookup.setdefault(name, f)
    return lookup


@functools.cache
def _word_lookup(dataset: Dataset) -> dict[frozenset[str], Field | None]:
    """Accepted headers by their words in any order; None where two fields share them."""
    lookup: dict[frozenset[str], Field | None] = {}
    for f in dataset.fields:
        for header in f.headers:
            words = frozenset(re.findall(r"[a-z0-9]+", header.lower()))
            if len(words) > 1:
                lookup[words] = f if lookup.get(words, f) is f else None
    return lookup


def field_for_header(written: str, dataset: Dataset) -> Field | None:
    """The field a header names without any mapping, or None."""
    lookup = _header_lookup(dataset)
    found = lookup.get(token(written))
    if found is None and _TRAILING_NOTE.search(written):
        found = lookup.get(token(_TRAILING_NOTE.sub("", written)))
    if found is None:
        found = _word_lookup(dataset).get(frozenset(re.findall(r"[a-z0-9]+", written.lower())))
    return found


def match_header(cells: Sequence[Any], dataset: Dataset, header_index: int,
                 mapped_headers: Mapping[str, str] | None = None) -> HeaderMatch:
    """Which field each header cell names. `mapped_headers` (token of a header -> field
    name, from the council's saved mapping) comes first; a header it maps to a field
    means that field, and no other header is then taken for it."""
    match = HeaderMatch(dataset=dataset, header_index=header_index)
    mapped_headers = mapped_headers or {}
    by_name = {f.name: f for f in dataset.fields}
    written_cells = [(index, " ".join(str(cell).split())) for index, cell in enumerate(cells)
                     if cell is not None and str(cell).strip()]
    for index, written in written_cells:
        name = mapped_headers.get(token(written))
        if name in by_name and name not in match.columns:
            match.columns[name] = (index, written)
            match.mapped.add(name)
    for index, written in written_cells:
        if any(index == taken for taken, _ in match.columns.values()):
            continue
        f = field_for_header(written, dataset)
        if f is None or f.name in match.mapped:
            match.extra.append((index, written))
        elif f.name in match.columns:
            match.duplicates.setdefault(f.name, []).append((index, written))
        else:
            match.columns[f.name] = (index, written)
    return match


def locate(head: Sequence[Sequence[Any]], candidates: Sequence[Dataset],
           min_share: float = MIN_REQUIRED_SHARE, min_columns: int = 2,
           mappings: Mapping[str, Mapping[str, str]] | None = None) -> HeaderMatch | None:
    """The best (dataset, header row) in the first rows of a sheet, or None.

    `mappings`: dataset name -> that dataset's mapped headers (see `match_header`).
    With the minimums at 0 it returns the closest match however poor, to say what is missing.
    """
    best: HeaderMatch | None = None
    mappings = mappings or {}
    for index, cells in enumerate(head[:HEADER_SEARCH_ROWS]):
        for dataset in candidates:
            match = match_header(cells, dataset, index, mappings.get(dataset.name))
            if match.required_share < min_share or len(match.columns) < min_columns:
                continue
            if best is None or match.score() > best.score():
                best = match
    return best
