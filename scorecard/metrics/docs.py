"""docs/metrics.md, the indicator catalogue for people, written from metrics.yaml.

`scorecard metrics docs` writes it; a test fails when the file in the repository is not
what metrics.yaml would write now.
"""
from __future__ import annotations

from scorecard.metrics.catalogue import Catalogue, Indicator, Polarity, RagRule
from scorecard.metrics.cohorts import BREAKDOWNS, COHORTS
from scorecard.metrics.formatting import format_value
from scorecard.settings import PROJECT_ROOT

DOCS_PATH = PROJECT_ROOT / "docs" / "metrics.md"

_POLARITY = {Polarity.HIGHER: "higher is better", Polarity.LOWER: "lower is better",
             Polarity.CONTEXT: "context (neither way is better)"}
_UNIT = {"percent": "percentage", "rate_per_10000": "rate per 10,000 children", "count": "count",
         "days": "average in days"}


def catalogue_markdown(catalogue: Catalogue) -> str:
    lines = [
        "# Indicator catalogue",
        "",
        "Written by `scorecard metrics docs` from `metrics.yaml`; do not edit by hand.",
        "",
        f"{len(catalogue.indicators)} indicators. Small numbers: below a denominator of "
        f"{catalogue.defaults.min_denominator} the RAG rating is withheld (\"too few to rate\"); public outputs "
        f"hide counts from 1 to {catalogue.defaults.suppress_below - 1}, and enough figures beside them that none "
        "can be worked out from the totals and the other groups (check with `scorecard metrics check-disclosure`).",
        "",
    ]
    framework = catalogue.framework()
    for theme in framework.themes:
        lines += [f"## {theme.label}", ""]
        for indicator in catalogue.indicators:
            if theme.id in indicator.themes.get(framework.id, ()):
                lines += _indicator(indicator, catalogue)
    lines += ["## Theme frameworks", ""]
    for other in catalogue.frameworks:
        default = " (the default)" if other.id == catalogue.default_framework else ""
        lines.append(f"- **{other.label}**{default}: {'; '.join(t.label for t in other.themes)}")
    lines += ["", "## Cohorts", "",
              "The named measure functions in `scorecard/metrics/cohorts.py` that indicators count rows of. An "
              "indicator offers every breakdown of its cohort unless metrics.yaml lists its own, but for those its "
              "definition makes all or nothing (a share that tests the breakdown's column is 0% or 100% in every "
              "group; a denominator holding it to one value leaves one group). A rate per head of population has "
              "no breakdowns: the store holds no population for a group.", ""]
    for cohort in COHORTS.values():
        lines += [f"### `{cohort.name}`", "", f"{cohort.description[0].upper()}{cohort.description[1:]}.", "",
                  f"- Datasets: {', '.join(cohort.datasets)}",
                  f"- Columns for filters: {', '.join(f'`{c}`' for c in sorted(cohort.columns))}",
                  f"- Breakdowns: {', '.join(f'`{b}`' for b in cohort.breakdowns)}", ""]
    lines += ["## Glossary", ""]
    lines += [f"- **{term.term}**: {term.meaning}" for term in sorted(catalogue.glossary, key=lambda t: t.term)]
    return "\n".join(lines) + "\n"


def _indicator(indicator: Indicator, catalogue: Catalogue) -> list[str]:
    definition = indicator.definition
    lines = [f"### {indicator.label}", "", indicator.description, "",
             f"- Id: `{indicator.id}`; {_UNIT[indicator.unit.value]}; {_POLARITY[indicator.polarity]}",
             f"- Counts: {definition.numerator}"]
    if definition.denominator:
        lines.append(f"- Out of: {definition.denominator}")
    lines.append(f"- When: {definition.timescale}")
    lines.append(f"- RAG: {_rag(indicator)}")
    if indicator.breakdowns:
        lines.append(f"- Breakdowns: {', '.join(BREAKDOWNS[b].label for b in indicator.breakdowns)}")
    if indicator.benchmarks:
        lines.append(f"- Compared with: {', '.join(b.value.replace('_', ' ') for b in indicator.benchmarks)}")
    cohort = COHORTS[indicator.cohort]
    lines.append(f"- From: {', '.join(cohort.datasets)} (cohort `{cohort.name}`)")
    if indicator.acronyms:
        lines.append(f"- Acronyms: {', '.join(indicator.acronyms)}")
    for series_break in indicator.series_breaks:
        lines.append(f"- Series break from {series_break.period}: {series_break.reason}")
    return lines + [""]


def _rag(indicator: Indicator) -> str:
    if indicator.rag is RagRule.NONE:
        return "none"
    if indicator.rag is RagRule.BENCHMARKS:
        return "green if better than England and statistical neighbours, red if worse than both, amber between"
    return "; ".join(f"from {t.applies_from}: green at {format_value(indicator.unit, t.green)} or "
                     f"{'better' if indicator.polarity is Polarity.HIGHER else 'lower'}, amber at "
                     f"{format_value(indicator.unit, t.amber)}" for t in indicator.targets)
