"""The briefing note's sections as Dash components, from `views.Briefing`."""
from __future__ import annotations

from dash import html

from scorecard.ui.components import rag_badge
from scorecard.ui.scorecard_table import indicator_href
from scorecard.ui.views import Briefing, Change

SECTIONS = (("turned_red", "Turned red"), ("turned_amber", "Turned amber"), ("turned_green", "Turned green"),
            ("improved", "Improved"), ("worsened", "Worsened"))


def _change(change: Change, period: str) -> html.Li:
    row, was = change.row, change.was
    return html.Li([html.A(row.label, href=indicator_href(row.id, period)), ": ",
                    html.Strong(row.value_text), f" (was {was.value_text}). ", rag_badge(row.rag, row.rag_reason),
                    f" (was {rag_badge_word(was.rag)}). ", change.direction_text or "",
                    html.Div(row.commentary.text, className="commentary-inline") if row.commentary else None])


def rag_badge_word(rag: str | None) -> str:
    from scorecard.ui.style import rag_style
    return rag_style(rag).word


def briefing_sections(note: Briefing) -> list:
    sections = []
    for attribute, title in SECTIONS:
        changes = getattr(note, attribute)
        heading_id = f"briefing-{attribute.replace('_', '-')}"
        sections.append(html.Section([
            html.H2(f"{title} ({len(changes)})", id=heading_id),
            html.Ul([_change(c, note.period) for c in changes]) if changes else html.P("None."),
        ], className=f"briefing briefing-{attribute}", **{"aria-labelledby": heading_id}))
    sections.append(html.P(f"{note.unchanged} other indicators kept their rating and moved less than the "
                           "no-change threshold.", className="muted"))
    return sections


def briefing_text(note: Briefing) -> str:
    """The note as plain text, for an email between meetings (`scorecard briefing`)."""
    lines = [f"Briefing note: {note.since_label} to {note.period_label}", note.as_at_text, ""]
    for attribute, title in SECTIONS:
        changes = getattr(note, attribute)
        lines.append(f"{title} ({len(changes)})")
        lines += [f"- {c.row.label}: {c.row.value_text} (was {c.was.value_text}); "
                  f"{rag_badge_word(c.row.rag)} (was {rag_badge_word(c.was.rag)}); {c.direction_text}".rstrip("; ")
                  for c in changes] or ["- None."]
        lines.append("")
    lines.append(f"{note.unchanged} other indicators kept their rating and moved less than the no-change threshold.")
    return "\n".join(lines)
