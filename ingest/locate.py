"""Finding which dataset a sheet holds, and on which row its header is.

Real exports put title rows, run dates and filters above the header, so we look at the
first rows of each sheet and take the row whose cells name the most required fields
of some dataset. A sheet is recognised as a dataset when at least half of that
dataset's required columns are there; the rest are then reported as missing.

A header names a field when, ignoring case, spaces and punctuation, it is one of the
field's accepted headers, or is after dropping a trailing note in brackets ("Date of
Birth (dd/mm/yyyy)"), or has the same words in another order, filler words aside ("Date
Missing" and "Missing Date", "Type of Assessment" and "Assessment Type"). A council's
saved mapping comes first: a header it maps is that field, whatever else it looks like.

Which dataset a sheet holds is decided on all its headers, not only on whether some
dataset's few required ones are there: a header no field takes but that resembles one of
a dataset's fields ("Date Went AWOL", "Child Ref") counts for that dataset, and headers
resembling nothing count against it. So an export with an unknown wording for one of its
required columns is recognised for what it is, and refused with "did you mean", rather
than read as another dataset whose two required headers it happens to have.
"""
from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ingest.schema import Dataset, Field, Kind
from scorecard.codes import content_words, token

HEADER_SEARCH_ROWS = 30
MIN_REQUIRED_SHARE = 0.5
NEAR_WORDS, NEAR_LETTERS = 0.5, 0.8
"""How much a header must resemble a field's accepted header to count as evidence for it:
half its words shared, or four-fifths of its letters in order."""
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
    claimed: frozenset[str] = frozenset()
    """Headers that are another dataset's field by name: evidence for that one, not this."""

    @property
    def missing(self) -> list[Field]:
        return [f for f in self.dataset.required
                if f.name not in self.columns and self.dataset.derivable(f.name, self.columns) is None]

    @property
    def required_share(self) -> float:
        required = self.dataset.required
        return (len(required) - len(self.missing)) / len(required) if required else 0.0

    @functools.cached_property
    def near(self) -> dict[str, str]:
        """Unmatched headers that resemble a field the file has no column for: field name ->
        the header most like it (each header counted once, for the field it is most like)."""
        open_fields = [f for f in self.dataset.fields if f.name not in self.columns]
        best: dict[str, tuple[float, str]] = {}
        for _, written in self.extra:
            if written in self.claimed:
                continue
            scored = [(near_score(written, f, self.dataset), f.name) for f in open_fields]
            score, name = max(scored, default=(0.0, ""))
            if score > 0 and score > best.get(name, (0.0, ""))[0]:
                best[name] = (score, written)
        return {name: written for name, (_, written) in best.items()}

    def resolvable(self, f: Field) -> bool:
        """Whether a required field the file lacks could be one of its headers (or be worked
        out from fields that could be)."""
        if f.name in self.near:
            return True
        present = set(self.columns) | set(self.near)
        return self.dataset.derivable(f.name, present) is not None

    @property
    def plausible_share(self) -> float:
        """The share of the required fields present, or resembled by a header."""
        required = self.dataset.required
        missing = [f for f in self.missing if not self.resolvable(f)]
        return (len(required) - len(missing)) / len(required) if required else 0.0

    def score(self) -> tuple:
        """How well the dataset explains the whole header row: its columns, headers that
        resemble its fields, less headers it cannot explain and required fields it lacks."""
        near = len(self.near)
        far = len(self.extra) - near
        lacking = self.missing
        resolvable = sum(1 for f in lacking if self.resolvable(f))
        evidence = len(self.columns) + 0.75 * near - 0.5 * far - (len(lacking) - resolvable) - 0.25 * resolvable
        return (evidence, not lacking, len(self.columns))

    def closest_headers(self, f: Field, count: int = 3) -> list[str]:
        """The file's unmatched headers most like one of the field's accepted headers (for a
        birthday that may be written as an age, an age column's headers too)."""
        alike = [f, *(g for g in self.dataset.fields if f.accepts_age and g.input_only and g.kind is Kind.INTEGER)]
        scored = [(max(resemblance(written, g) for g in alike), written) for _, written in self.extra]
        return [written for score, written in sorted(scored, key=lambda s: -s[0]) if score >= 0.4][:count]


@functools.cache
def _datasets_using_word() -> dict[str, frozenset[str]]:
    """Each word of the datasets' accepted headers, and the datasets whose headers use it."""
    from ingest.datasets import DATASETS

    found: dict[str, set[str]] = {}
    for dataset in DATASETS.values():
        for f in dataset.fields:
            for header in f.headers:
                for word in content_words(header):
                    found.setdefault(word, set()).add(dataset.name)
    return {word: frozenset(names) for word, names in found.items()}


@functools.lru_cache(maxsize=100_000)
def near_score(written: str, f: Field, dataset: Dataset) -> float:
    """How strongly a header looks like a field (0 if not enough to count as evidence)."""
    bare = _TRAILING_NOTE.sub("", written) or written
    written_token, written_words = token(bare), content_words(bare)
    best = 0.0
    for header in (*f.headers, f.name):
        words = content_words(header)
        # Sharing a one-word header ("Type", "Status", "CLA") says something only when no
        # other dataset's headers use that word ("Age").
        if len(words) < 2 and not (words and _datasets_using_word().get(next(iter(words))) == {dataset.name}):
            continue
        shared = len(written_words & words) / len(written_words | words)
        if shared >= NEAR_WORDS:
            best = max(best, shared)
        matcher = difflib.SequenceMatcher(None, written_token, token(header))
        if matcher.real_quick_ratio() >= NEAR_LETTERS and matcher.quick_ratio() >= NEAR_LETTERS:
            ratio = matcher.ratio()
            if ratio >= NEAR_LETTERS:
                best = max(best, ratio)
    return best


@functools.lru_cache(maxsize=100_000)
def resemblance(written: str, f: Field) -> float:
    """How much a header, its note in brackets aside, resembles one of a field's accepted
    headers, for "did you mean": shared words count most (all of an accepted header's words
    in it, "Statutory Visit Due" for "Visit Due", most of all), letters in order a little less."""
    bare = _TRAILING_NOTE.sub("", written) or written
    written_token, written_words = token(bare), content_words(bare)
    best = 0.0
    for header in (*f.headers, f.name):
        words = content_words(header)
        if len(words) > 1 and words <= written_words:
            best = max(best, 0.85)
        if written_words and words:
            shared = len(written_words & words)
            best = max(best, shared / len(written_words | words), 0.8 * shared / min(len(written_words), len(words)))
        matcher = difflib.SequenceMatcher(None, written_token, token(header))
        if 0.9 * matcher.real_quick_ratio() > best and 0.9 * matcher.quick_ratio() > best:
            best = max(best, 0.9 * matcher.ratio())
    return best


@functools.cache
def _header_lookup(dataset: Dataset) -> dict[str, Field]:
    lookup: dict[str, Field] = {}
    for f in dataset.fields:
        for name in f.header_tokens:
            lookup.setdefault(name, f)
    return lookup


@functools.cache
def _word_lookup(dataset: Dataset) -> dict[frozenset[str], Field | None]:
    """Accepted headers by their words in any order, filler aside; None where two fields share them."""
    lookup: dict[frozenset[str], Field | None] = {}
    for f in dataset.fields:
        for header in f.headers:
            words = content_words(header)
            if len(words) > 1:
                lookup[words] = f if lookup.get(words, f) is f else None
    return lookup


@functools.lru_cache(maxsize=100_000)
def field_for_header(written: str, dataset: Dataset) -> Field | None:
    """The field a header names without any mapping, or None."""
    lookup = _header_lookup(dataset)
    bare = _TRAILING_NOTE.sub("", written) if _TRAILING_NOTE.search(written) else written
    found = lookup.get(token(written)) or lookup.get(token(bare))
    if found is None:
        found = _word_lookup(dataset).get(content_words(bare))
    return found


def match_header(cells: Sequence[Any], dataset: Dataset, header_index: int,
                 mapped_headers: Mapping[str, str] | None = None, claimed: frozenset[str] = frozenset()) -> HeaderMatch:
    """Which field each header cell names. `mapped_headers` (token of a header -> field
    name, from the council's saved mapping) comes first; a header it maps to a field
    means that field, and no other header is then taken for it. `claimed`: headers
    another dataset names exactly."""
    match = HeaderMatch(dataset=dataset, header_index=header_index, claimed=claimed)
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
        written = {" ".join(str(c).split()) for c in cells if c is not None and str(c).strip()}
        naming = {w: {d.name for d in candidates if field_for_header(w, d) is not None} for w in written}
        claimed = {dataset.name: frozenset(w for w, names in naming.items() if names - {dataset.name})
                   for dataset in candidates}
        for dataset in candidates:
            match = match_header(cells, dataset, index, mappings.get(dataset.name), claimed.get(dataset.name,
                                                                                                frozenset()))
            if len(match.columns) < min_columns:  # at least two of the dataset's own headers
                continue
            # Half its required columns there (or resembled), or three of its own headers at
            # least: then what is missing is reported against it, with "did you mean".
            if match.plausible_share < min_share and len(match.columns) < 3:
                continue
            if best is None or match.score() > best.score():
                best = match
    return best
