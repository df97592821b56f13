"""The Corporate Parenting Scorecard web app. `server` is the Flask app for gunicorn:

    gunicorn app:server --workers 3 --bind 127.0.0.1:8050
"""
from __future__ import annotations

from pathlib import Path

from dash import Dash, html, page_container

app = Dash(
    __name__,
    use_pages=True,
    pages_folder=str(Path(__file__).parent / "scorecard" / "pages"),
    title="Corporate Parenting Scorecard",
)
app.layout = html.Div([
    html.Header(html.H1("Corporate Parenting Scorecard")),
    html.Main(page_container, id="main"),
], lang="en")
server = app.server

if __name__ == "__main__":
    app.run(host="127.0.0.1", port=8050, debug=False)
