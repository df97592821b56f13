"""The records behind a figure, for heads of service: the pseudonymised list of the
children or events a figure counts, and those only in its denominator, with the fields
its definition uses. `/records/<indicator_id>?period=2025-03`; the CSV is a download route
(`ui.downloads`). Needs the records permission; the list says it is not for publication."""
from __future__ import annotations

import dash
from dash import html

from scorecard.access import Permission, current_identity, page_layout
from scorecard.metrics import load_catalogue
from scorecard.ui.pages_common import no_data
from scorecard.ui.records_view import build_records_page, records_layout
from scorecard.ui.views import NoData, figures_for


def title(indicator_id: str | None = None, **_other) -> str:
    indicator = load_catalogue().by_id.get(indicator_id or "")
    return f"Records behind {indicator.label if indicator else 'a figure'} - Corporate Parenting Scorecard"


dash.register_page(__name__, path_template="/records/<indicator_id>", title=title, order=5)


@page_layout(Permission.RECORDS)
def layout(indicator_id: str | None = None, period: str | None = None, **_other):
    if (indicator_id or "") not in load_catalogue().by_id:
        return html.Div([html.H1("No such indicator"),
                         html.P([f"There is no indicator called \u201c{indicator_id}\u201d. ",
                                 html.A("Back to the scorecard", href="/")])])
    try:
        page = build_records_page(figures_for(current_identity()), indicator_id, period, current_identity())
    except NoData:
        return no_data()
    return records_layout(page)
