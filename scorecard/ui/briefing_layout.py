"""The briefing note's sections as Dash components, from `views.Briefing`."""
from __future__ import annotations

from dash import html

from scorecard.ui.briefing import SECTIONS, Briefing
from scorecard.ui.changes import Change, rating_change
from scorecard.ui.commentary_text import commentary_components
from scorecard.ui.components import rag_badge
from scorecard.ui.scorecard_table import indicator_href
from scorecard.ui.style import rag_style


def _change(change: Change, period: str) -> html.Li:
    row, was = change.row, change.was
    rating = rating_change(change)
    return html.Li([html.A(row.label, href=indicator_href(row.id, period)), ": ",
                    html.Strong(row.value_text), f" (was {was.value_text}). ",
                    *(_rating(change) if rating else []),
                    change.direction_text or "",
                    html.Div(commentary_components(row.commentary.text), className="commentary-inline") if row.commentary else None])


def _rating(change: Change) -> list:
    badge = rag_badge(change.row.rag, change.row.rag_reason)
    if change.row.rag == change.was.rag:
        return ["still ", badge, ". "]
    return [badge, f" (was {rag_style(change.was.rag).word}). "]


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
