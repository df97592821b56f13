"""Values as people read them: the only place a fraction becomes a percentage."""
from __future__ import annotations

import pandas as pd

from scorecard.metrics.catalogue import Unit

_LABELS = {"green": "Green", "amber": "Amber", "red": "Red", "too_few": "Too few to rate", "not_rated": "Not rated",
           "improving": "Improving", "worsening": "Worsening", "no_change": "No change", "up": "Up", "down": "Down",
           "published": "", "older": "older year", "not_yet_published": "Not yet published",
           "computed": "from neighbours' data"}


def format_value(unit: Unit | str, value: float | None) -> str:
    if value is None or pd.isna(value):
        return ""
    unit = Unit(unit)
    if unit is Unit.PERCENT:
        return f"{value * 100:.1f}%"
    if unit is Unit.RATE_PER_10000:
        return f"{value:.1f}"
    if unit is Unit.DAYS:
        return f"{value:.1f} days"
    return f"{value:,.0f}"


def describe(state: str | None) -> str:
    """'not_yet_published' -> 'Not yet published', for RAG, direction and benchmark states."""
    return _LABELS.get(state, state or "") if state else ""
