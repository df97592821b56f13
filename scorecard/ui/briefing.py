"""The briefing note for between meetings, as plain data and as plain text: what turned
red, amber or green, and what improved or worsened, between two months."""
from __future__ import annotations

from dataclasses import dataclass

from scorecard.metrics import CouncilMetrics
from scorecard.metrics.calendar import Month
from scorecard.metrics.rating import direction
from scorecard.ui.style import rag_style
from scorecard.ui.text import direction_text, month_label
from scorecard.ui.views import PUBLIC, Row, _records, as_at_text, choose_period, make_row

RATED = ("green", "amber", "red")
SECTIONS = (("turned_red", "Turned red"), ("turned_amber", "Turned amber"), ("turned_green", "Turned green"),
            ("improved", "Improved"), ("worsened", "Worsened"))


@dataclass(frozen=True)
class Change:
    row: Row
    was: Row
    direction: str | None
    direction_text: str


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


def build_briefing(metrics: CouncilMetrics, period: str | None = None, since: str | None = None) -> Briefing:
    """What changed between two months: ratings that turned red, amber or green, and the
    indicators that improved or worsened beyond the no-change threshold."""
    period = choose_period(metrics, period)
    periods = metrics.periods()
    earlier = [p for p in periods if p < period]
    default_since = Month.parse(period).shift(-2).period
    since = since if since in earlier else (default_since if default_since in earlier else (earlier[0] if earlier
                                                                                            else period))
    comments = metrics.latest_commentary(period)
    now = {r["indicator"]: make_row(r, comment=comments.get(r["indicator"]))
           for r in _records(metrics.scorecard(period, public=PUBLIC))}
    was = {r["indicator"]: make_row(r) for r in _records(metrics.scorecard(since, public=PUBLIC))}
    lists: dict[str, list[Change]] = {k: [] for k in ("red", "amber", "green", "improved", "worsened")}
    unchanged = 0
    for indicator in metrics.catalogue.indicators:
        row, before = now[indicator.id], was[indicator.id]
        moved = direction(indicator, row.value, before.value, metrics.catalogue.no_change_within(indicator))
        change = Change(row, before, moved, direction_text(moved, row.value, before.value))
        rating_changed = row.rag != before.rag and row.rag in ("red", "amber", "green")
        if rating_changed:
            lists[row.rag].append(change)
        if moved in ("improving", "worsening"):
            lists["improved" if moved == "improving" else "worsened"].append(change)
        elif not rating_changed:
            unchanged += 1
    return Briefing(period, month_label(period), since, month_label(since), as_at_text(metrics, period),
                    turned_red=tuple(lists["red"]), turned_amber=tuple(lists["amber"]),
                    turned_green=tuple(lists["green"]), improved=tuple(lists["improved"]),
                    worsened=tuple(lists["worsened"]), unchanged=unchanged, periods=tuple(reversed(periods)))


def rating_change(change: Change) -> str:
    """'Red (was Amber)', 'still Amber', or nothing when neither month is rated."""
    now, was = rag_style(change.row.rag).word, rag_style(change.was.rag).word
    if change.row.rag not in RATED and change.was.rag not in RATED:
        return ""
    return f"still {now}" if now == was else f"{now} (was {was})"


def briefing_text(note: Briefing) -> str:
    """The note as plain text, for an email between meetings (`scorecard briefing`)."""
    lines = [f"Briefing note: {note.since_label} to {note.period_label}", note.as_at_text, ""]
    for attribute, title in SECTIONS:
        changes = getattr(note, attribute)
        lines.append(f"{title} ({len(changes)})")
        lines += ["; ".join(part for part in (f"- {c.row.label}: {c.row.value_text} (was {c.was.value_text})",
                                              rating_change(c), c.direction_text) if part)
                  for c in changes] or ["- None."]
        lines.append("")
    lines.append(f"{note.unchanged} other indicators kept their rating and moved less than the no-change threshold.")
    return "\n".join(lines)
