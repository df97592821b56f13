"""`data/reference/published_measures.yaml`: which published DfE measure feeds which indicator.

Data, validated strictly (unknown keys, an entry with neither a value column nor a
numerator and denominator) with the file and line of each problem. Read by the import
(`ingest/published.py`: which rows of a file become figures) and by the metrics (what
a comparator is, and how its definition differs). LAIT's data dictionary says each LAIT
measure's polarity and whether LAIT puts it in quartile bands.
"""
from __future__ import annotations

import csv
import functools
import hashlib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from scorecard.councils import DFE_DIR, open_text
from scorecard.settings import REFERENCE_DIR
from scorecard.yaml_lines import NotValidYaml, read_with_lines

MEASURES_PATH = REFERENCE_DIR / "published_measures.yaml"
LAIT_DICTIONARY = DFE_DIR / "lait" / "lait_data_dictionary.csv"

Rows = dict[str, str | list[str]]


class Measure(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    indicator: str
    layout: Literal["ees", "lait"]
    file: str
    filters: Rows = {}
    value: str | None = None
    scale: float = 1.0
    numerator: Rows | None = None
    numerator_less: Rows | None = None
    denominator: Rows | None = None
    denominator_less: Rows | None = None
    count: str | None = None
    measured: str
    lait_measure: str | None = None
    note: str = ""

    @model_validator(mode="after")
    def _one_way_to_a_figure(self):
        ratio = (self.numerator, self.denominator, self.count)
        if self.value is None and not all(part is not None for part in ratio):
            raise ValueError("give either value: (a column) or numerator:, denominator: and count:")
        if self.value is not None and any(part is not None for part in ratio):
            raise ValueError("value: and numerator:/denominator:/count: are two ways to a figure: give one")
        return self

    @property
    def key(self) -> str:
        """What the store records as the measure a figure came from: its indicator, file
        and a digest of its definition, so a changed definition is a new measure (read
        again from files already imported) and figures read by the old one are passed over."""
        digest = hashlib.sha256(self.model_dump_json().encode()).hexdigest()[:10]
        return f"{self.layout}:{self.file}:{self.indicator}:{digest}"

    @property
    def columns(self) -> set[str]:
        """The columns a file must have for this measure to be read from it."""
        named = {*self.filters}
        for rows in (self.numerator, self.numerator_less, self.denominator, self.denominator_less):
            named |= set(rows or ())
        return named | {c for c in (self.value, self.count) if c}


class MeasuresFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    measures: list[Measure]


class MeasuresError(ValueError):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@functools.cache
def measures(path: Path = MEASURES_PATH) -> tuple[Measure, ...]:
    """Every entry, in the file's order (the order says which is used when two have a year)."""
    try:
        data, lines = read_with_lines(path)
    except NotValidYaml as error:
        raise MeasuresError([str(error)]) from None
    try:
        parsed = MeasuresFile.model_validate(data)
    except ValidationError as error:
        problems = []
        for err in error.errors():
            loc = tuple(err["loc"])
            line = next((lines[loc[:n]] for n in range(len(loc), -1, -1) if loc[:n] in lines), 1)
            problems.append(f"{path.name}:{line}: {'.'.join(map(str, loc))}: {err['msg']}")
        raise MeasuresError(problems) from None
    return tuple(parsed.measures)


def for_indicator(indicator: str) -> tuple[Measure, ...]:
    return tuple(m for m in measures() if m.indicator == indicator)


def priority() -> dict[str, int]:
    """Measure key -> its place in the file (lower is preferred)."""
    return {m.key: position for position, m in enumerate(measures())}


@functools.cache
def lait_dictionary() -> dict[str, dict[str, str]]:
    """LAIT measure -> its dictionary row (Polarity: High, Low or -; No_Quartile: N when not banded)."""
    with open_text(LAIT_DICTIONARY) as handle:
        return {row["Measure_short"].strip(): {k: (v or "").strip() for k, v in row.items()}
                for row in csv.DictReader(handle) if row.get("Measure_short")}


def banded(measure: Measure) -> bool:
    """Whether figures from the measure are put in quartile bands: not when LAIT does not band it."""
    if measure.lait_measure is None:
        return True
    return lait_dictionary().get(measure.lait_measure, {}).get("No_Quartile", "").upper() != "N"
