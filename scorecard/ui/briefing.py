"""The briefing note for between meetings, as plain data and as plain text: what turned
red, amber or green, and what improved or worsened, since the month the last meeting's
scorecard showed (or any earlier month). Each change is listed once, with its reason."""
from __future__ import annotations

from dataclasses import dataclass

from scorecard.metrics import CouncilMetrics
from scorecard.ui.changes import KINDS, Change, basis_for, basis_text, by_kind, classify
from scorecard.ui.text import month_label
from scorecard.ui.views import (
    PUBLIC,
    _records,
    as_at_text,
    choose_period,
    make_row,
    marking_for,
    period_notice,
)

SECTIONS = KINDS


@dataclass(frozen=True)
class Briefing:
    period: str
    period_label: str
    since: str
    since_label: str
    as_at_text: str
    turned_red: tuple[Change, ...] = ()
    turned_amber: tuple[Change, ...] = ()
    turned_green: tuple[Change, ...] = ()
    improved: tuple[Change, ...] = ()
    worsened: tuple[Change, ...] = ()
    unchanged: int = 0
    periods: tuple[str, ...] = ()
    basis_text: str = ""
    notice: str = ""
    public: bool = True        # small numbers hidden; else `marking` says so
    marking: str = ""

    @property
    def title(self) -> str:
        return f"Briefing note: {self.since_label} to {self.period_label}"


def build_briefing(metrics: CouncilMetrics, period: str | None = None, since: str | None = None,
                   public: bool = PUBLIC) -> Briefing:
    """What changed between two months: ratings that turned red, amber or green, and (for
    the rest) the indicators that improved or worsened beyond the no-change threshold."""
    asked, period = period, choose_period(metrics, period)
    basis = basis_for(metrics, period, since)
    comments = metrics.latest_commentary(period)
    now = {r["indicator"]: r for r in _records(metrics.scorecard(period, public=public))}
    was = {r["indicator"]: r for r in _records(metrics.scorecard(basis.since, public=public))}
    changes = [classify(metrics, make_row(now[i.id], comment=comments.get(i.id)), make_row(was[i.id]),
                        not (now[i.id].get("history_note") or was[i.id].get("history_note")))
               for i in metrics.catalogue.indicators]
    lists = by_kind(changes)
    notice = period_notice(asked, period)
    if since and since != basis.since:
        notice = " ".join(p for p in (notice, (f"No figures to compare with for {since}: compared with "
                                      f"{month_label(basis.since)}.")) if p)
    return Briefing(period, month_label(period), basis.since, month_label(basis.since), as_at_text(metrics, period),
                    unchanged=sum(c.kind is None for c in changes), periods=tuple(reversed(metrics.periods())),
                    basis_text=basis_text(basis), notice=notice, public=public,
                    marking=marking_for(public, metrics.catalogue.defaults.suppress_below), **lists)


def briefing_text(note: Briefing) -> str:
    """The note as plain text, for an email between meetings (`scorecard briefing`)."""
    lines = [note.title, *([note.marking] if note.marking else []), note.as_at_text,
             f"Compared with {note.basis_text}.", ""]
    for attribute, title in SECTIONS:
        changes = getattr(note, attribute)
        lines.append(f"{title} ({len(changes)})")
        lines += [f"- {c.row.label}: {c.row.value_text} (was {c.was.value_text}); {c.reason}" for c in changes] \
            or ["- None."]
        lines.append("")
    lines.append(f"{note.unchanged} other indicators kept their rating and moved less than the no-change threshold.")
    return "\n".join(lines)
