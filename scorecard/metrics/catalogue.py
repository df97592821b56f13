"""metrics.yaml, the indicator catalogue: parsed into strict models, then checked by rules.

Parsing (pydantic, unknown keys forbidden) catches the shape: a misspelt key, a missing
field, a unit that is not one of ours. The rules in `checks` then catch what a shape
cannot: a filter on a column the cohort does not have, thresholds the wrong way round
for the polarity, an acronym missing from the glossary. Every problem is reported with
the file and line it is on, all of them at once.
"""
from __future__ import annotations

import enum
import functools
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from scorecard.settings import PROJECT_ROOT
from scorecard.yaml_lines import NotValidYaml, read_with_lines

CATALOGUE_PATH = PROJECT_ROOT / "metrics.yaml"
PERIOD = r"^\d{4}-(0[1-9]|1[0-2])$"


class Unit(str, enum.Enum):
    PERCENT = "percent"
    RATE_PER_10000 = "rate_per_10000"
    COUNT = "count"
    DAYS = "days"


class Polarity(str, enum.Enum):
    HIGHER = "higher"
    LOWER = "lower"
    CONTEXT = "context"


class RagRule(str, enum.Enum):
    TARGET = "target"
    BENCHMARKS = "benchmarks"
    NONE = "none"


class Comparator(str, enum.Enum):
    ENGLAND = "england"
    STATISTICAL_NEIGHBOURS = "statistical_neighbours"
    REGION = "region"


class Op(str, enum.Enum):
    EQ = "eq"
    NE = "ne"
    IN = "in"
    NOT_IN = "not_in"
    LT = "lt"
    LE = "le"
    GT = "gt"
    GE = "ge"
    IS_NULL = "is_null"
    NOT_NULL = "not_null"


class Reference(str, enum.Enum):
    CHILD_POPULATION = "child_population"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Filter(Strict):
    column: str
    op: Op
    value: Any = None


class Numerator(Strict):
    where: tuple[Filter, ...] = ()
    count_distinct: str | None = None
    sum: str | None = None


class Denominator(Strict):
    where: tuple[Filter, ...] = ()
    reference: Reference | None = None


class Definition(Strict):
    numerator: str
    denominator: str | None = None
    timescale: str


class Target(Strict):
    applies_from: str = Field(alias="from", pattern=PERIOD)
    green: float
    amber: float


class SeriesBreak(Strict):
    period: str = Field(pattern=PERIOD)
    reason: str


class Indicator(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    description: str
    definition: Definition
    themes: dict[str, tuple[str, ...]]
    unit: Unit
    polarity: Polarity
    rag: RagRule
    targets: tuple[Target, ...] = ()
    cohort: str
    numerator: Numerator
    denominator: Denominator | None = None
    # Left out (the usual case): every breakdown the cohort carries (`_cohort_breakdowns`).
    breakdowns: tuple[str, ...] = ()
    benchmarks: tuple[Comparator, ...] = ()
    acronyms: tuple[str, ...] = ()
    min_denominator: int | None = Field(default=None, ge=0)
    no_change_within: float | None = Field(default=None, ge=0)
    series_breaks: tuple[SeriesBreak, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _cohort_breakdowns(cls, data: Any) -> Any:
        """An indicator offers its cohort's breakdowns unless it lists its own, so a
        breakdown added to a cohort reaches all of its indicators
        (`cohorts.default_breakdowns`). A rate per head of population has none: the store
        holds no population for a group."""
        if not isinstance(data, dict) or "breakdowns" in data or not isinstance(data.get("cohort"), str):
            return data
        from scorecard.metrics.cohorts import default_breakdowns

        numerator, denominator = data.get("numerator"), data.get("denominator")
        if isinstance(denominator, dict) and denominator.get("reference") is not None:
            return data
        pinned = {f.get("column") for f in _filters(denominator) if f.get("op") == Op.EQ.value}
        offered = default_breakdowns(data["cohort"], data.get("unit") == Unit.COUNT.value,
                                     {f.get("column") for f in _filters(numerator)}, pinned)
        return {**data, "breakdowns": offered}

    def target_for(self, period: str) -> Target | None:
        """The target that applies in a month: the latest one applying from then or before."""
        applying = [t for t in self.targets if t.applies_from <= period]
        return max(applying, key=lambda t: t.applies_from) if applying else None


def _filters(part: Any) -> list[dict]:
    """The filters of a numerator or denominator as written, before they are checked."""
    where = part.get("where") if isinstance(part, dict) else None
    return [f for f in where if isinstance(f, dict)] if isinstance(where, list) else []


class Theme(Strict):
    id: str
    label: str


class Framework(Strict):
    id: str
    label: str
    themes: tuple[Theme, ...]


class Term(Strict):
    term: str
    meaning: str


class Defaults(Strict):
    min_denominator: int = Field(ge=0, description="below this denominator the RAG is withheld")
    suppress_below: int = Field(ge=0, description="public outputs hide counts below this")
    no_change_within: dict[Unit, float]


class Catalogue(Strict):
    frameworks: tuple[Framework, ...]
    default_framework: str
    defaults: Defaults
    glossary: tuple[Term, ...]
    indicators: tuple[Indicator, ...]

    @functools.cached_property
    def by_id(self) -> dict[str, Indicator]:
        return {indicator.id: indicator for indicator in self.indicators}

    def framework(self, framework_id: str | None = None) -> Framework:
        wanted = framework_id or self.default_framework
        for framework in self.frameworks:
            if framework.id == wanted:
                return framework
        raise KeyError(f"no theme framework {wanted!r}")

    def min_denominator(self, indicator: Indicator) -> int:
        return self.defaults.min_denominator if indicator.min_denominator is None else indicator.min_denominator

    def no_change_within(self, indicator: Indicator) -> float:
        if indicator.no_change_within is not None:
            return indicator.no_change_within
        return self.defaults.no_change_within.get(indicator.unit, 0.0)

    def glossary_terms(self) -> dict[str, str]:
        return {term.term: term.meaning for term in self.glossary}


class CatalogueError(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def load_catalogue(path: Path | str = CATALOGUE_PATH) -> Catalogue:
    """The catalogue in `path`, or CatalogueError listing every problem with its line."""
    path = Path(path)
    return _load(path, path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _load(path: Path, _mtime: int) -> Catalogue:
    from scorecard.metrics.checks import check_catalogue

    try:
        data, lines = read_with_lines(path)
    except NotValidYaml as error:
        raise CatalogueError([str(error)]) from None
    locate = Locator(path.name, data, lines)
    try:
        catalogue = Catalogue.model_validate(data)
    except ValidationError as error:
        raise CatalogueError([locate(err["loc"], _message(err)) for err in error.errors()]) from None
    problems = [locate(loc, message) for loc, message in check_catalogue(catalogue)]
    if problems:
        raise CatalogueError(problems)
    return catalogue


def _message(error: dict) -> str:
    if error["type"] == "extra_forbidden":
        return f"unknown key {error['loc'][-1]!r}"
    if error["type"] == "missing":
        return f"missing field {error['loc'][-1]!r}"
    return f"{error['loc'][-1]}: {error['msg']}"


class Locator:
    """Turns a path into the document ('indicators', 3, 'unit') into 'metrics.yaml:52 indicator 'x': ...'."""

    def __init__(self, file_name: str, data: Any, lines: dict[tuple, int]):
        self.file_name, self.data, self.lines = file_name, data, lines

    def __call__(self, loc: tuple, message: str) -> str:
        loc = tuple(_yaml_key(part) for part in loc)
        line = next((self.lines[loc[:n]] for n in range(len(loc), -1, -1) if loc[:n] in self.lines), 1)
        where = ""
        if len(loc) >= 2 and loc[0] == "indicators" and isinstance(loc[1], int):
            try:
                where = f" indicator {self.data['indicators'][loc[1]].get('id', f'#{loc[1] + 1}')!r}"
            except (AttributeError, IndexError, KeyError, TypeError):
                where = f" indicator #{loc[1] + 1}"
        return f"{self.file_name}:{line}{where}: {message}"


def _yaml_key(part):
    # pydantic names the `from` key by its field name; the file says `from`.
    return "from" if part == "applies_from" else part


def period_is_valid(period: str) -> bool:
    return bool(re.match(PERIOD, period))
