"""The site's header: the pages the signed-in user's role opens, and who is signed in."""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html
from flask import has_request_context
from flask_wtf.csrf import generate_csrf

from scorecard.access import Identity, Permission

# (address, words, the permission that opens it): a link is offered only to those it opens
# for, and each page checks again on the server.
NAVIGATION = [
    ("/", "Scorecard", Permission.VIEW),
    ("/briefing", "Briefing note", Permission.VIEW),
    ("/glossary", "Glossary", Permission.VIEW),
    ("/upload", "Load a month", Permission.UPLOAD),
    ("/data-quality", "Data quality", Permission.DATA_QUALITY),
    ("/benchmarks", "Published figures", Permission.BENCHMARKS),
    ("/admin/users", "Users", Permission.USERS),
    ("/admin/audit", "Audit log", Permission.AUDIT),
]


def site_header(who: Identity | None) -> html.Header:
    links = [html.Li(html.A(text, href=href)) for href, text, needs in NAVIGATION if who is not None and who.can(needs)]
    account = []
    if who is not None:
        account = [html.Form([
            html.Span(f"{who.name} ({who.role.value})", className="signed-in-as"),
            dcc.Input(type="hidden", name="csrf_token", value=generate_csrf() if has_request_context() else ""),
            html.Button("Sign out", type="submit", className="btn btn-sm btn-outline-light"),
        ], method="POST", action="/logout", className="sign-out")]
    return html.Header(dbc.Container(fluid="xxl", children=html.Nav([
        html.A("Corporate Parenting Scorecard", href="/", className="brand"),
        html.Ul(links, className="nav-links"),
        *account,
    ], **{"aria-label": "Main"})), className="site-header")
