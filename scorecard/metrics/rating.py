"""Red, amber, green; direction of travel; small numbers.

Each rating comes with its reason in words, because a councillor reading in black and
white needs "Red: 62.0% against a target of 80%" and not a colour alone.
"""
from __future__ import annotations

from dataclasses import dataclass

from scorecard.metrics.catalogue import Indicator, Polarity, RagRule, Target
from scorecard.metrics.comparators import Comparison
from scorecard.metrics.disclosure import is_small
from scorecard.metrics.formatting import format_value

GREEN, AMBER, RED = "green", "amber", "red"
TOO_FEW = "too_few"  # "too few to rate"
NOT_RATED = "not_rated"

IMPROVING, WORSENING, NO_CHANGE = "improving", "worsening", "no_change"
UP, DOWN = "up", "down"  # for context indicators, where neither way is better


@dataclass(frozen=True)
class Rating:
    rag: str | None  # None: the indicator is context and is never rated
    reason: str


def rate(indicator: Indicator, value: float | None, denominator: float | None, target: Target | None,
         england: Comparison | None, neighbours: Comparison | None, min_denominator: int) -> Rating:
    if indicator.polarity is Polarity.CONTEXT:
        return Rating(None, "not rated: a context figure, neither higher nor lower is better")
    if indicator.rag is RagRule.NONE:
        return Rating(None, "not rated: no target or benchmark is set for it")
    if value is None:
        return Rating(NOT_RATED, "no figure for this month")
    if denominator is not None and denominator < min_denominator:
        return Rating(TOO_FEW, f"too few to rate: fewer than {min_denominator}")
    higher = indicator.polarity is Polarity.HIGHER
    if indicator.rag is RagRule.TARGET:
        if target is None:
            return Rating(NOT_RATED, "no target for this month")
        return Rating(_against_target(value, target, higher), f"against a target of "
                      f"{format_value(indicator.unit, target.green)} (amber from {format_value(indicator.unit, target.amber)})")
    missing = [c.comparator for c in (england, neighbours) if c is None or c.value is None]
    if missing:
        return Rating(NOT_RATED, f"no {' or '.join(m.replace('_', ' ') for m in missing)} benchmark")
    better = [_better(value, c.value, higher) for c in (england, neighbours)]
    if all(better):
        return Rating(GREEN, "better than England and statistical neighbours")
    if not any(_better(value, c.value, higher) or value == c.value for c in (england, neighbours)):
        return Rating(RED, "worse than England and statistical neighbours")
    return Rating(AMBER, "between England and statistical neighbours")


def _better(value: float, other: float, higher: bool) -> bool:
    return value > other if higher else value < other


def _against_target(value: float, target: Target, higher: bool) -> str:
    if _better(value, target.green, higher) or value == target.green:
        return GREEN
    if _better(value, target.amber, higher) or value == target.amber:
        return AMBER
    return RED


def direction(indicator: Indicator, value: float | None, earlier: float | None, no_change_within: float) -> str | None:
    """Improving, worsening or no change (up or down for context), or None without an earlier figure."""
    if value is None or earlier is None:
        return None
    change = value - earlier
    # Rounding noise in stored fractions must not turn "exactly at the threshold" into a trend.
    if abs(change) <= no_change_within + 1e-12:
        return NO_CHANGE
    if indicator.polarity is Polarity.CONTEXT:
        return UP if change > 0 else DOWN
    return IMPROVING if (change > 0) == (indicator.polarity is Polarity.HIGHER) else WORSENING


def suppressed(count: float | None, threshold: int) -> bool:
    """Whether a count must be hidden in public outputs (1 to threshold-1: could identify a
    child). The figures hidden beside it are decided in `suppression`."""
    return is_small(count, threshold)
