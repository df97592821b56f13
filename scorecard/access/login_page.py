"""The sign-in page: plain HTML from the server (no script needed to sign in), in the
app's own styles, escaped by Jinja."""
from __future__ import annotations

from flask import render_template_string

TEMPLATE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{{ title }} - Corporate Parenting Scorecard</title>
  <link rel="stylesheet" href="/assets/00-bootstrap-5.3.8.min.css">
  <link rel="stylesheet" href="/assets/10-scorecard.css">
</head>
<body>
  <a class="skip-link" href="#main">Skip to main content</a>
  <header class="site-header"><div class="container-xxl"><nav aria-label="Main">
    <a class="brand" href="/">Corporate Parenting Scorecard</a></nav></div></header>
  <main id="main" tabindex="-1"><div class="container-xxl" style="max-width: 32rem">
    <h1>{{ title }}</h1>
    {% if message %}<div class="alert alert-warning" role="alert" id="sign-in-message">{{ message }}</div>{% endif %}
    {% if form %}
    <p>The scorecard holds information about children in the council's care: sign in with the account
       the scorecard's administrator gave you.</p>
    <form method="post" action="/login" id="sign-in">
      <input type="hidden" name="csrf_token" value="{{ csrf_token }}">
      <input type="hidden" name="next" value="{{ next_page }}">
      <div class="mb-3"><label class="form-label" for="username">Username</label>
        <input class="form-control" id="username" name="username" autocomplete="username" required
               value="{{ username }}" autocapitalize="none" spellcheck="false"></div>
      <div class="mb-3"><label class="form-label" for="password">Password</label>
        <input class="form-control" id="password" name="password" type="password"
               autocomplete="current-password" required></div>
      <button class="btn btn-primary" type="submit">Sign in</button>
    </form>
    {% if hint %}<p class="muted mt-3" id="sign-in-hint">{{ hint }}</p>{% endif %}
    {% else %}
    <p><a href="/">Back to the scorecard</a></p>
    {% endif %}
  </div></main>
</body>
</html>"""


def login_page(message: str = "", next_page: str = "/", csrf_token: str = "", username: str = "",
               title: str = "Sign in", form: bool = True) -> str:
    return render_template_string(TEMPLATE, message=message, next_page=next_page, csrf_token=csrf_token,
                                  username=username, title=title, form=form, hint=_hint())


def _hint() -> str:
    """On one analyst's machine only: where `make run` put the demo's sign-ins."""
    from scorecard import settings

    if settings.production() or not (settings.DATA_DIR / "demo-accounts.txt").exists():
        return ""
    return ("Trying the demo? `make run` made one account of each role: their usernames and passwords "
            "are in data/demo-accounts.txt.")
