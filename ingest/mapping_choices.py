"""The column headers of an upload that the scorecard does not read, and the fields they
could be: what the browser's upload page offers to map (saved through ingest.mappings,
as `scorecard mapping set` saves them).

For each sheet, the dataset it holds (or, when none is recognised, the one it comes
closest to, as the "unknown dataset" problem names it), the required fields it lacks,
and each header no field takes, with the dataset's fields that have no column yet. A
header that resembles a missing required field ("Date Went AWOL" for the date missing)
is offered with that field suggested; nothing is saved until the analyst says so.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ingest.datasets import DATASETS
from ingest.locate import HEADER_SEARCH_ROWS, HeaderMatch, locate
from ingest.mappings import ColumnMapping
from ingest.readers import SourceFile


@dataclass(frozen=True)
class HeaderChoice:
    header: str
    """As written in the file."""
    suggested: str | None
    """The missing required field it resembles, if any."""


@dataclass(frozen=True)
class SheetChoices:
    file: str
    sheet: str | None
    dataset: str
    title: str
    recognised: bool
    """False: no dataset was recognised and this is the closest."""
    missing: tuple[str, ...]
    """Required fields the sheet has no column for (their names)."""
    headers: tuple[HeaderChoice, ...]
    options: tuple[tuple[str, str], ...]
    """(field name, label) for the fields with no column, required ones first."""

    @property
    def where(self) -> str:
        return self.file + (f", sheet '{self.sheet}'" if self.sheet else "")


def _matches(source: SourceFile, mappings: Mapping[str, ColumnMapping]) -> list[tuple[str | None, HeaderMatch, bool]]:
    """The sheets recognised as a dataset; with none, the sheet closest to one (as the
    upload's "unknown dataset" problem names it)."""
    candidates = list(DATASETS.values())
    mapped = {name: m.header_fields for name, m in mappings.items()}
    recognised = [(sheet.name, match, True) for sheet in source.sheets
                  if (match := locate(sheet.head(HEADER_SEARCH_ROWS), candidates, mappings=mapped)) is not None]
    if recognised:
        return recognised
    closest = [(sheet.name, match, False) for sheet in source.sheets
               if (match := locate(sheet.head(HEADER_SEARCH_ROWS), candidates, min_share=0, min_columns=0,
                                   mappings=mapped)) is not None and match.columns]
    return [max(closest, key=lambda found: found[1].score())] if closest else []


def _label(f, missing: bool) -> str:
    return f"{f.header} ({f.name})" + (": required, missing" if missing else "")


def sheet_choices(sources: Sequence[SourceFile], mappings: Mapping[str, ColumnMapping]) -> list[SheetChoices]:
    """What each sheet of the files could have mapped (sheets with no unread header left out)."""
    found = []
    for source in sources:
        for sheet_name, match, recognised in _matches(source, mappings):
            if not match.extra:
                continue
            dataset = match.dataset
            missing = [f.name for f in match.missing]
            suggested = {header: name for name, header in match.near.items() if name in missing}
            open_fields = [f for f in dataset.fields if f.name not in match.columns]
            open_fields.sort(key=lambda f: f.name not in missing)
            found.append(SheetChoices(
                file=source.name, sheet=sheet_name, dataset=dataset.name, title=dataset.title, recognised=recognised,
                missing=tuple(missing),
                headers=tuple(HeaderChoice(written, suggested.get(written)) for _, written in match.extra),
                options=tuple((f.name, _label(f, f.name in missing)) for f in open_fields)))
    return found
