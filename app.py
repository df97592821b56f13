"""The Corporate Parenting Scorecard web app. `server` is the Flask app for gunicorn:

    make serve          # gunicorn --config python:scorecard.serve_config app:server
"""
from __future__ import annotations

import sys
from pathlib import Path

import dash_bootstrap_components as dbc
from dash import Dash, html, page_container
from flask_compress import Compress

from scorecard import settings
from scorecard.access import Permission, current_identity
from scorecard.access.web import secure
from scorecard.ui.downloads import register_downloads
from scorecard.ui.site import site_header

HERE = Path(__file__).parent
# Gunicorn stops every worker, rather than starting them again and again, when one exits
# with this status while booting (its WORKER_BOOT_ERROR).
CANNOT_START = 3


def check_store_or_exit() -> None:
    """Stop at start-up, with the reason in one sentence on stderr, when the store cannot be
    served (a wrong DATABASE_URL, a server not running, no store file yet): otherwise the
    app would start and answer every page with an error."""
    from scorecard import store

    try:
        store.check_store(store.engine())
    except (settings.SettingError, store.StoreRefused) as refused:
        print(f"The scorecard cannot start: {refused}", file=sys.stderr)
        raise SystemExit(CANNOT_START) from None


check_store_or_exit()

app = Dash(
    __name__,
    use_pages=True,
    pages_folder=str(HERE / "scorecard" / "pages"),
    assets_folder=str(HERE / "assets"),
    title="Corporate Parenting Scorecard",
    # Page layouts are built from the data on each visit, so Dash cannot check callbacks
    # against them up front; each page's callbacks are exercised by the tests instead.
    suppress_callback_exceptions=True,
    compress=False,  # flask-compress is set up below, for every route, downloads included
)

# Dash's own page template, with the language declared for screen readers.
app.index_string = """<!DOCTYPE html>
<html lang="en-GB">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
    </head>
    <body>
        {%app_entry%}
        <footer>
            {%config%}
            {%scripts%}
            {%renderer%}
        </footer>
    </body>
</html>"""


def page_frame():
    """Built for each visit, so the header shows who is signed in and the pages their role opens."""
    who = current_identity()
    sees_small_numbers = who is not None and who.can(Permission.SMALL_NUMBERS)
    return html.Div([
        html.A("Skip to main content", href="#main", className="skip-link"),
        site_header(who),
        html.Main(dbc.Container(page_container, fluid="xxl"), id="main", tabIndex=-1),
        html.Footer(dbc.Container(fluid="xxl", children=html.P(
            [("Figures are computed from the council's own monthly extracts and SSDA903 returns, by the definitions "
              "each indicator page gives; comparisons use the Department for Education's published figures. "
              + ("Your role shows numbers of 1 to 4 children, which the scorecard hides from councillors and the "
                "public: do not publish or forward what you see here. " if sees_small_numbers else
                "Numbers of 1 to 4 children are hidden, and so is any figure from which one could be worked out. ")),
             html.A("Glossary", href="/glossary")])), className="site-footer"),
    ])


app.layout = page_frame
server = app.server
# Twice an upload's base64 size: an upload up to twice the limit still reaches the page
# and is refused there in words; anything bigger gets Flask's 413 before it is read.
server.config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes()
secure(app)  # sign-in, CSRF and the permission gate, before any route that shows data
Compress(server)
register_downloads(server)

if __name__ == "__main__":
    app.run(host="127.0.0.1", port=8050, debug=False)
