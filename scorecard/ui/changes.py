"""What changed between a month and the month it is compared with: the scorecard's
headline and "since" column, and the briefing note, read the same list, so they agree.

Each indicator's change is one of: turned red, turned amber, turned green (its rating
changed), improved or worsened (its rating did not change, and it moved beyond the
no-change threshold), or none. A change is listed once, under the first that applies.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from scorecard.metrics import CouncilMetrics
from scorecard.metrics.meetings import Basis, comparison_basis, meetings
from scorecard.metrics.rating import direction
from scorecard.ui.style import rag_style
from scorecard.ui.text import date_label, direction_text, month_label

if TYPE_CHECKING:  # views builds its rows with these, so imports this module
    from scorecard.ui.views import Row

RATED = ("green", "amber", "red")
KINDS = (("turned_red", "Turned red"), ("turned_amber", "Turned amber"), ("turned_green", "Turned green"),
         ("improved", "Improved"), ("worsened", "Worsened"))


@dataclass(frozen=True)
class Change:
    row: Row
    was: Row
    direction: str | None       # improving / worsening / no_change / up / down, or None when not comparable
    direction_text: str         # '↑ Improving'
    kind: str | None            # one of KINDS' keys, or None: kept its rating and moved less than the threshold

    @property
    def reason(self) -> str:
        """'Red (was Amber); ↓ Worsening', 'still Amber; ↑ Improving'."""
        return "; ".join(part for part in (rating_change(self), self.direction_text) if part)


def rating_change(change: Change) -> str:
    """'Red (was Amber)', 'still Amber', or nothing when neither month is rated."""
    now, was = rag_style(change.row.rag).word, rag_style(change.was.rag).word
    if change.row.rag not in RATED and change.was.rag not in RATED:
        return ""
    return f"still {now}" if now == was else f"{now} (was {was})"


def basis_for(metrics: CouncilMetrics, period: str, since: str | None = None) -> Basis:
    """The month `period` is compared with: the one asked for, else the last meeting's, else the month before."""
    return comparison_basis(meetings(metrics.engine, metrics.council), period, metrics.periods(), since)


def basis_text(basis: Basis) -> str:
    """'January 2025, the month the scorecard at the meeting of 12 March 2025 showed'."""
    label = month_label(basis.since)
    if basis.meeting is not None:
        return f"{label}, the month the scorecard at the last meeting ({date_label(basis.meeting.date)}) showed"
    if basis.chosen:
        return f"{label}, as chosen"
    return f"{label}, the month before (no earlier meeting is recorded)"


def classify(metrics: CouncilMetrics, row: Row, was: Row, moved_ok: bool = True) -> Change:
    """The change from `was` to `row`. `moved_ok` is False when either figure lacks the
    history it needs: then a movement says nothing."""
    indicator = metrics.catalogue.by_id[row.id]
    moved = direction(indicator, row.value, was.value, metrics.catalogue.no_change_within(indicator)) \
        if moved_ok else None
    kind = None
    if row.rag != was.rag and row.rag in RATED:
        kind = f"turned_{row.rag}"
    elif moved in ("improving", "worsening"):
        kind = "improved" if moved == "improving" else "worsened"
    return Change(row, was, moved, direction_text(moved, row.value, was.value), kind)


def by_kind(changes) -> dict[str, tuple[Change, ...]]:
    return {key: tuple(c for c in changes if c.kind == key) for key, _ in KINDS}
