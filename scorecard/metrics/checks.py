"""The rules metrics.yaml must follow beyond its shape, each a small function.

Each rule takes the parsed catalogue and yields (path, message) pairs; the path is where
in the file the problem is, turned into a line number by the caller. All rules run and
all problems are reported together.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from scorecard.metrics.catalogue import Catalogue, Comparator, Indicator, Op, Polarity, RagRule, Unit
from scorecard.metrics.cohorts import BREAKDOWNS, COHORTS

Problem = tuple[tuple, str]
LIST_OPS = {Op.IN, Op.NOT_IN}
NULL_OPS = {Op.IS_NULL, Op.NOT_NULL}


def check_catalogue(catalogue: Catalogue) -> list[Problem]:
    problems: list[Problem] = []
    for rule in CATALOGUE_RULES:
        problems.extend(rule(catalogue))
    for index, indicator in enumerate(catalogue.indicators):
        for rule in INDICATOR_RULES:
            problems.extend((("indicators", index, *path), message)
                            for path, message in rule(indicator, catalogue))
    return problems


def unique_ids(catalogue: Catalogue) -> Iterator[Problem]:
    seen = Counter(indicator.id for indicator in catalogue.indicators)
    for index, indicator in enumerate(catalogue.indicators):
        if seen[indicator.id] > 1:
            yield ("indicators", index, "id"), f"duplicate id: {seen[indicator.id]} indicators are called {indicator.id!r}"


def default_framework_exists(catalogue: Catalogue) -> Iterator[Problem]:
    if catalogue.default_framework not in {f.id for f in catalogue.frameworks}:
        yield ("default_framework",), f"no framework {catalogue.default_framework!r} among the frameworks"


def glossary_terms_unique(catalogue: Catalogue) -> Iterator[Problem]:
    seen: set[str] = set()
    for index, term in enumerate(catalogue.glossary):
        if term.term in seen:
            yield ("glossary", index, "term"), f"{term.term!r} is in the glossary twice"
        seen.add(term.term)


def known_cohort(indicator: Indicator, catalogue: Catalogue) -> Iterator[Problem]:
    if indicator.cohort not in COHORTS:
        yield ("cohort",), f"unknown cohort {indicator.cohort!r}; known: {', '.join(sorted(COHORTS))}"


def filters_name_cohort_columns(indicator: Indicator, catalogue: Catalogue) -> Iterator[Problem]:
    cohort = COHORTS.get(indicator.cohort)
    if cohort is None:
        return
    parts = [("numerator", indicator.numerator.where)]
    if indicator.denominator is not None:
        parts.append(("denominator", indicator.denominator.where))
    for part, filters in parts:
        for index, where in enumerate(filters):
            path = (part, "where", index)
            if where.column not in cohort.columns:
                yield (*path, "column"), (f"cohort {cohort.name!r} has no column {where.column!r}; it has: "
                                          f"{', '.join(sorted(cohort.columns))}")
            if where.op in NULL_OPS and where.value is not None:
                yield (*path, "value"), f"{where.op.value} takes no value"
            elif where.op in LIST_OPS and not isinstance(where.value, list):
                yield (*path, "value"), f"{where.op.value} needs a list of values"
            elif where.op not in NULL_OPS | LIST_OPS and (where.value is None or isinstance(where.value, list)):
                yield (*path, "value"), f"{where.op.value} needs one value"
    for key in ("count_distinct", "sum"):
        column = getattr(indicator.numerator, key)
        if column is not None and column not in cohort.columns:
            yield ("numerator", key), f"cohort {cohort.name!r} has no column {column!r}"


def offered_breakdowns(indicator: Indicator, catalogue: Catalogue) -> Iterator[Problem]:
    cohort = COHORTS.get(indicator.cohort)
    for index, name in enumerate(indicator.breakdowns):
        if name not in BREAKDOWNS:
            yield ("breakdowns", index), f"unknown breakdown {name!r}; known: {', '.join(BREAKDOWNS)}"
        elif cohort is not None and name not in cohort.breakdowns:
            yield ("breakdowns", index), (f"cohort {cohort.name!r} cannot be broken down by {name!r}; it offers: "
                                          f"{', '.join(cohort.breakdowns)}")


def per_head_rates_are_not_broken_down(indicator: Indicator, catalogue: Catalogue) -> Iterator[Problem]:
    if indicator.breakdowns and indicator.denominator is not None and indicator.denominator.reference is not None:
        yield ("breakdowns",), ("a rate per head of a population cannot be broken down: the store holds no "
                                "population for each group; leave breakdowns out")


def known_themes(indicator: Indicator, catalogue: Catalogue) -> Iterator[Problem]:
    frameworks = {f.id: {t.id for t in f.themes} for f in catalogue.frameworks}
    for framework, themes in indicator.themes.items():
        if framework not in frameworks:
            yield ("themes", framework), f"unknown theme framework {framework!r}"
            continue
        for index, theme in enumerate(themes):
            if theme not in frameworks[framework]:
                yield ("themes", framework, index), f"framework {framework!r} has no theme {theme!r}"
    for framework in frameworks:
        if framework not in indicator.themes:
            yield ("themes",), f"no theme under framework {framework!r}"


def acronyms_in_glossary(indicator: Indicator, catalogue: Catalogue) -> Iterator[Problem]:
    terms = catalogue.glossary_terms()
    for index, acronym in enumerate(indicator.acronyms):
        if acronym not in terms:
            yield ("acronyms", index), f"acronym {acronym!r} is not in the glossary"


def unit_fits_denominator(indicator: Indicator, catalogue: Catalogue) -> Iterator[Problem]:
    denominator = indicator.denominator
    if indicator.unit is Unit.COUNT:
        if denominator is not None:
            yield ("denominator",), "a count has no denominator"
        if indicator.definition.denominator is not None:
            yield ("definition", "denominator"), "a count has no denominator"
        return
    if denominator is None:
        yield ("unit",), f"a {indicator.unit.value} needs a denominator"
        return
    if indicator.definition.denominator is None:
        yield ("definition",), "say in words what the denominator is (definition.denominator)"
    if indicator.unit is Unit.RATE_PER_10000 and denominator.reference is None:
        yield ("denominator",), "a rate per 10,000 is per head of a population: give denominator.reference"
    if denominator.reference is not None and denominator.where:
        yield ("denominator", "where"), "a reference denominator takes no filters"
    if (indicator.unit is Unit.DAYS) != (indicator.numerator.sum is not None):
        yield ("numerator",), "an average in days sums a column of days (numerator.sum); other units count"


def rag_fits_polarity(indicator: Indicator, catalogue: Catalogue) -> Iterator[Problem]:
    if indicator.polarity is Polarity.CONTEXT:
        if indicator.rag is not RagRule.NONE:
            yield ("rag",), "a context indicator has no RAG rating: use rag: none"
        if indicator.targets:
            yield ("targets",), "a context indicator has no target"
        return
    if indicator.rag is RagRule.TARGET and not indicator.targets:
        yield ("targets",), "rag: target needs at least one target"
    if indicator.rag is RagRule.BENCHMARKS:
        for needed in (Comparator.ENGLAND, Comparator.STATISTICAL_NEIGHBOURS):
            if needed not in indicator.benchmarks:
                yield ("benchmarks",), f"rag: benchmarks compares with {needed.value}: list it under benchmarks"
    for index, target in enumerate(indicator.targets):
        for problem in threshold_problems(indicator, target.green, target.amber):
            yield ("targets", index), problem
    froms = [t.applies_from for t in indicator.targets]
    if len(froms) != len(set(froms)):
        yield ("targets",), "two targets apply from the same month"


def threshold_problems(indicator: Indicator, green: float, amber: float, shown=None,
                       out_of_range: str = "percentages are written as fractions: 90% is 0.9") -> list[str]:
    """Why a target's thresholds do not fit the indicator: green must be beyond amber in
    the good direction, a percentage between 0 and 1. metrics.yaml's targets and those a
    council sets (metrics.targets) are held to this one rule; `shown` writes a value as
    the reader entered it (default: as stored), `out_of_range` says what a percentage
    outside 0 to 1 means where it was entered."""
    shown = shown or (lambda value: f"{value}")
    problems = []
    higher = indicator.polarity is Polarity.HIGHER
    if (higher and green < amber) or (not higher and green > amber):
        better = "at or above" if higher else "at or below"
        problems.append(f"thresholds in the wrong order for polarity {indicator.polarity.value}: "
                        f"green ({shown(green)}) must be {better} amber ({shown(amber)})")
    if indicator.unit is Unit.PERCENT and not all(0 <= v <= 1 for v in (green, amber)):
        problems.append(out_of_range)
    return problems


def breaks_are_explained(indicator: Indicator, catalogue: Catalogue) -> Iterator[Problem]:
    for index, series_break in enumerate(indicator.series_breaks):
        if not series_break.reason.strip():
            yield ("series_breaks", index, "reason"), "say why the series breaks"


CATALOGUE_RULES = (unique_ids, default_framework_exists, glossary_terms_unique)
INDICATOR_RULES = (known_cohort, filters_name_cohort_columns, offered_breakdowns, per_head_rates_are_not_broken_down,
                   known_themes, acronyms_in_glossary, unit_fits_denominator, rag_fits_polarity, breaks_are_explained)
