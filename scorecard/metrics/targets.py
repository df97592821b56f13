"""Targets: metrics.yaml's, with the ones the council sets over them.

An analyst sets a target on the edit page or with `scorecard targets set`; each is a
version kept in the store (target_settings), never changed afterwards. For a month, the
target that applies is the latest one from that month or before, the council's version
replacing metrics.yaml's from its month on (the latest set wins among the council's for
one month); a version with neither green nor amber means no target from then. Ratings,
the scorecard, the charts, the PDF pack and the workbook all read targets through
`CouncilTargets.target_for` (CouncilMetrics.target_for), so they agree.

Values are stored as metrics.yaml writes them (a percentage as a fraction, 0.9) and
entered as people write them (90 for 90%): `entry_scale` converts.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.engine import Connection, Engine

from scorecard import store
from scorecard.access import audit
from scorecard.metrics.catalogue import (
    Indicator,
    Polarity,
    RagRule,
    Target,
    Unit,
    period_is_valid,
)
from scorecard.metrics.checks import threshold_problems
from scorecard.metrics.formatting import format_value

MAX_REASON = 500
FROM_CATALOGUE = "metrics.yaml"


class TargetError(ValueError):
    """A target that cannot be set; `problems` lists every reason, each a plain sentence."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True)
class TargetVersion:
    """One target the council set: from `applies_from`, green and amber (None: no target)."""
    id: int
    indicator: str
    applies_from: str
    green: float | None
    amber: float | None
    reason: str
    set_at: dt.datetime
    set_by: str

    @property
    def target(self) -> Target | None:
        return make_target(self.applies_from, self.green, self.amber)


@dataclass(frozen=True)
class Applying:
    """The target applying in a month, and where it comes from (metrics.yaml or a version)."""
    target: Target | None
    version: TargetVersion | None

    @property
    def source(self) -> str:
        if self.version is None:
            return f"as {FROM_CATALOGUE} sets it" if self.target is not None else ""
        return f"set by {self.version.set_by} on {self.version.set_at:%d/%m/%Y}"


@dataclass(frozen=True)
class TargetChange:
    """A version with what applied from its month just before it was set."""
    version: TargetVersion
    before: Applying


def make_target(applies_from: str, green: float | None, amber: float | None) -> Target | None:
    return None if green is None or amber is None else Target(**{"from": applies_from, "green": green, "amber": amber})


def _version(row: dict) -> TargetVersion:
    return TargetVersion(row["id"], row["indicator"], row["applies_from"], row["green"], row["amber"],
                         row.get("reason") or "", row["set_at"], row["set_by"])


class CouncilTargets:
    """The targets applying to one council's indicators, month by month."""

    def __init__(self, versions: Iterable[TargetVersion]):
        self._by_indicator: dict[str, list[TargetVersion]] = {}
        for version in versions:  # as target_rows orders them: by month, then as set
            self._by_indicator.setdefault(version.indicator, []).append(version)

    def applying(self, indicator: Indicator, period: str) -> Applying:
        from_catalogue = indicator.target_for(period)
        set_here = [v for v in self._by_indicator.get(indicator.id, ()) if v.applies_from <= period]
        if set_here and (from_catalogue is None or set_here[-1].applies_from >= from_catalogue.applies_from):
            return Applying(set_here[-1].target, set_here[-1])
        return Applying(from_catalogue, None)

    def target_for(self, indicator: Indicator, period: str) -> Target | None:
        return self.applying(indicator, period).target

    def versions(self, indicator_id: str) -> list[TargetVersion]:
        return list(self._by_indicator.get(indicator_id, ()))


def council_targets(engine: Engine | Connection, council: str) -> CouncilTargets:
    """The council's target versions; read on `engine`'s own connection, or on a given one
    (the metrics' snapshot)."""
    if isinstance(engine, Connection):
        return CouncilTargets(_version(row) for row in store.target_rows(engine, council))
    with store.read_connection(engine) as conn:
        return CouncilTargets(_version(row) for row in store.target_rows(conn, council))


def target_history(engine: Engine, council: str, indicator: Indicator) -> list[TargetChange]:
    """Every version the council set for the indicator, the latest set first, each with
    the target that applied from its month before it (metrics.yaml's or an earlier version)."""
    versions = sorted(council_targets(engine, council).versions(indicator.id), key=lambda v: (v.set_at, v.id))
    changes = []
    for index, version in enumerate(versions):
        earlier = CouncilTargets(sorted(versions[:index], key=lambda v: (v.applies_from, v.set_at, v.id)))
        changes.append(TargetChange(version, earlier.applying(indicator, version.applies_from)))
    return changes[::-1]


def entry_scale(indicator: Indicator) -> float:
    """What a stored value is multiplied by to read as entered: 100 for a percentage."""
    return 100.0 if indicator.unit is Unit.PERCENT else 1.0


def entry_unit(indicator: Indicator) -> str:
    """The unit a target is entered in, in words, for the form and the command line."""
    return {Unit.PERCENT: "per cent (90 for 90%)", Unit.RATE_PER_10000: "per 10,000 children",
            Unit.COUNT: "a number of children or episodes", Unit.DAYS: "days"}[indicator.unit]


def rating_note(indicator: Indicator) -> str:
    """Whether a target sets the indicator's rating, in words."""
    if indicator.polarity is Polarity.CONTEXT:
        return "A context figure: never rated, so it has no target."
    if indicator.rag is RagRule.TARGET:
        return "Rated against its target: green at or beyond green, amber at or beyond amber, red otherwise."
    if indicator.rag is RagRule.BENCHMARKS:
        return ("Rated against England and statistical neighbours: a target is drawn on its chart and shown beside "
                "the figure, but does not set its rating.")
    return "Not rated: a target is drawn on its chart and shown beside the figure."


def check_target(indicator: Indicator, applies_from: str, green: float | None, amber: float | None,
                 reason: str) -> tuple[str, float | None, float | None, str]:
    """(applies_from, green, amber, reason) as stored, from values as entered (90 for 90%);
    TargetError with every reason the target cannot be set. Held to metrics.yaml's rule
    for thresholds (checks.threshold_problems)."""
    applies_from, reason = (applies_from or "").strip(), " ".join((reason or "").split())
    problems = []
    if indicator.polarity is Polarity.CONTEXT:
        problems.append(f"{indicator.label} is a context figure, never rated: it has no target")
    if not period_is_valid(applies_from):
        problems.append(f"'{applies_from}' is not a month written YYYY-MM, e.g. 2025-04 (the first month it applies to)")
    if (green is None) != (amber is None):
        problems.append("give both green and amber, or neither (no target from that month)")
    scale = entry_scale(indicator)
    stored_green, stored_amber = (None if v is None else v / scale for v in (green, amber))
    if stored_green is not None and stored_amber is not None:
        problems += threshold_problems(indicator, stored_green, stored_amber,
                                       shown=lambda value: format_value(indicator.unit, value),
                                       out_of_range="a percentage is between 0 and 100")
        if indicator.unit is not Unit.PERCENT and min(stored_green, stored_amber) < 0:
            problems.append("a target cannot be negative")
    if not reason:
        problems.append("say why the target is set (e.g. the committee's decision and its date)")
    elif len(reason) > MAX_REASON:
        problems.append(f"the reason is {len(reason):,} characters long; keep it to {MAX_REASON:,} or fewer")
    if problems:
        raise TargetError(problems)
    return applies_from, stored_green, stored_amber, reason


def _audited(applying: Applying | TargetVersion) -> dict | None:
    target = applying.target
    if target is None:
        return {"target": None, "source": applying.source if isinstance(applying, Applying) else "set"}
    return {"from": target.applies_from, "green": target.green, "amber": target.amber,
            "source": applying.source if isinstance(applying, Applying) else "set"}


def set_target(engine: Engine, council: str, indicator: Indicator, applies_from: str, green: float | None,
               amber: float | None, reason: str, set_by: str) -> tuple[TargetVersion, bool]:
    """Store a target version from values as entered, with its audit event, in one
    transaction. Returns (the version, whether it is new: the same thresholds as the
    council's latest for that month add nothing). Raises TargetError."""
    applies_from, green, amber, reason = check_target(indicator, applies_from, green, amber, reason)
    with store.write_transaction(engine) as conn:
        stored = [_version(row) for row in store.target_rows(conn, council, indicator.id)]
        same_month = [v for v in stored if v.applies_from == applies_from]
        if same_month and (same_month[-1].green, same_month[-1].amber) == (green, amber):
            return same_month[-1], False
        before = CouncilTargets(stored).applying(indicator, applies_from)
        row = {"council": council, "indicator": indicator.id, "applies_from": applies_from, "green": green,
               "amber": amber, "reason": reason, "set_by": set_by}
        row_id = store.insert_target(conn, row)
        [saved] = [_version(r) for r in store.target_rows(conn, council, indicator.id) if r["id"] == row_id]
        audit.record(conn, "target", subject=f"{indicator.id} from {applies_from}", council=council,
                     details={"before": _audited(before), "after": _audited(saved), "reason": reason})
    return saved, True
