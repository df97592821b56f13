"""The briefing note's sections as Dash components, from `views.Briefing`."""
from __future__ import annotations

from dash import html

from scorecard.ui.briefing import SECTIONS, Briefing, Change
from scorecard.ui.components import rag_badge
from scorecard.ui.scorecard_table import indicator_href
from scorecard.ui.style import rag_style


def _change(change: Change, period: str) -> html.Li:
    row, was = change.row, change.was
    return html.Li([html.A(row.label, href=indicator_href(row.id, period)), ": ",
                    html.Strong(row.value_text), f" (was {was.value_text}). ", rag_badge(row.rag, row.rag_reason),
                    f" (was {rag_style(was.rag).word}). ", change.direction_text or "",
                    html.Div(row.commentary.text, className="commentary-inline") if row.commentary else None])


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
