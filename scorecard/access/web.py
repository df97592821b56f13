"""Sign-in for the web app, and the gate every request passes.

`secure(app)` sets up, on the Dash app's Flask server:
- sessions: a signed cookie (HttpOnly, SameSite=Lax, Secure in production) holding the
  account and its session version (Flask-Login), so a changed role or a disabled account
  takes effect on the next request, in every worker;
- single sign-on, when SCORECARD_TRUSTED_USER_HEADER names the header the council's
  proxy sets: that header names the user on every request (an account must exist here);
- CSRF on every state-changing request (Flask-WTF): forms carry the token, and Dash's
  renderer sends it from the `_csrf_token` cookie as X-CSRFToken;
- the gate: a request that is not for code or styles needs a signed-in user, and the
  permission the route, the Dash callback or Dash's own endpoint needs. A callback or
  route that declares no permission is refused, so a new one cannot be left open.
"""
from __future__ import annotations

import datetime as dt
import traceback
from urllib.parse import urlsplit

from dash import Dash
from flask import Flask, Response, g, jsonify, redirect, request, session
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf.csrf import CSRFError, CSRFProtect, generate_csrf
from werkzeug.exceptions import RequestEntityTooLarge

from scorecard import settings, store
from scorecard.access import accounts, audit
from scorecard.access.callback_requests import callback_problem
from scorecard.access.guards import required_permission
from scorecard.access.login_page import login_page
from scorecard.access.roles import Forbidden, Identity, Permission, refusal

# Code and styles only: the renderer's scripts and the stylesheets show no data.
OPEN_PREFIXES = ("/_dash-component-suites/", "/assets/")
OPEN_ENDPOINTS = frozenset({"login", "_dash_assets.static", "/_favicon.ico"})
# Dash's own endpoints: the page shell, the layout, the callback list. The pages inside
# check their own permission (guards.page_layout).
DASH_ENDPOINTS = frozenset({"/", "/<path:path>", "/_dash-layout", "/_dash-dependencies", "/_reload-hash", "static"})
CALLBACK_ENDPOINT = "/_dash-update-component"
# Dash's own callback that renders the page for an address: each layout checks itself.
DASH_PAGES_CALLBACK = "_pages_content.children"
SESSION_LIFETIME = dt.timedelta(hours=8)
CSRF_COOKIE = "_csrf_token"  # the name Dash's renderer reads


class SignedIn(UserMixin):
    def __init__(self, row: dict):
        self.row = row
        self.identity = accounts.identity_of(row)

    def get_id(self) -> str:
        return accounts.session_key(self.row)


def secure(app: Dash) -> None:
    server = app.server
    server.secret_key = settings.secret_key()
    server.config.update(
        SESSION_COOKIE_NAME="scorecard_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.production(),
        REMEMBER_COOKIE_SECURE=settings.production(),
        PERMANENT_SESSION_LIFETIME=SESSION_LIFETIME,
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session it is bound to
    )
    if settings.proxies():
        from werkzeug.middleware.proxy_fix import ProxyFix

        count = settings.proxies()
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=count, x_proto=count, x_host=count)

    login_manager = LoginManager()
    login_manager.session_protection = "strong"
    login_manager.init_app(server)

    @login_manager.user_loader
    def load_user(key: str):
        row = accounts.account_for_session(store.engine(), key)
        return SignedIn(row) if row is not None else None

    # Registered before CSRFProtect's own check, so that a request from nobody is told to
    # sign in rather than that its token is missing.
    server.before_request(lambda: _gate(app))
    CSRFProtect(server)
    server.after_request(_after)
    server.register_error_handler(Forbidden, lambda error: _refuse(403, str(error)))
    server.register_error_handler(CSRFError, lambda error: _refuse(
        400, "The form had expired or did not come from this site: reload the page and try again."))
    server.register_error_handler(RequestEntityTooLarge, lambda error: _refuse(413, (
        f"The request was larger than this site accepts ({server.config['MAX_CONTENT_LENGTH'] // 2**20} MB); "
        "nothing was read from it.")))
    server.log_exception = _log_exception_without_request_data(server)
    _routes(server)


def _log_exception_without_request_data(server):
    """Flask's log of an unhandled exception, without the exceptions' messages when the
    request sent a body: they may quote it (a 20 MB value, or a child's record), and
    request bodies are never logged. The frames still say where it failed."""
    def log_exception(exc_info) -> None:
        if not request.content_length and request.method in ("GET", "HEAD"):
            return Flask.log_exception(server, exc_info)
        server.logger.error("Exception on %s [%s]\n%s", request.path, request.method, _frames_only(exc_info[1]))
    return log_exception


def _frames_only(error: BaseException | None) -> str:
    """Each exception of the chain as its frames and its type, outermost last, as Python
    prints a traceback but with no message."""
    chain, seen = [], set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        chain.append("Traceback (most recent call last):\n" + "".join(traceback.format_tb(error.__traceback__))
                     + f"{type(error).__module__}.{type(error).__qualname__} (its message is not logged)\n")
        error = error.__cause__ or error.__context__
    return "\nThe above caused:\n\n".join(reversed(chain))


def _identify() -> Identity | None:
    header = settings.trusted_user_header()
    if header and request.headers.get(header):
        username = request.headers[header].strip().lower()
        row = accounts.account_for_sso(store.engine(), username)
        if row is None:
            return None
        if session.get("sso_user") != username:  # one "login" event per session, not per request
            with store.write_transaction(store.engine()) as conn:
                audit.record(conn, "login", subject=username, who=username, details={"method": "single sign-on"})
            session["sso_user"] = username
        return accounts.identity_of(row)
    return current_user.identity if current_user.is_authenticated else None


def _gate(app: Dash):
    g.identity = None
    if request.path.startswith(OPEN_PREFIXES) or request.endpoint in OPEN_ENDPOINTS:
        return None
    if request.endpoint is None:  # no such route: Flask answers 404 (or 405)
        return None
    g.identity = who = _identify()
    if who is None:
        return _ask_to_sign_in()
    permission, problem = _permission_for_request(app)
    if problem:
        return _refuse(400, problem)
    if permission is None:
        return _refuse(403, "This address declares no permission, so it is refused.")
    if not who.can(permission):
        return _refuse(403, refusal(permission, who))
    return None


def _permission_for_request(app: Dash) -> tuple[Permission | None, str | None]:
    if request.endpoint == CALLBACK_ENDPOINT:
        try:
            body = request.get_json(silent=True)  # kept by Flask for Dash: read once
        except RecursionError:
            return None, "A callback request must not nest its JSON that deeply."
        problem = callback_problem(body, app.callback_map)
        if problem:
            return None, problem
        if body["output"].startswith(f"..{DASH_PAGES_CALLBACK}") or body["output"] == DASH_PAGES_CALLBACK:
            return Permission.VIEW, None
        return required_permission(app.callback_map[body["output"]]["callback"]), None
    if request.endpoint in DASH_ENDPOINTS:
        return Permission.VIEW, None
    view = app.server.view_functions.get(request.endpoint)
    return (required_permission(view) if view is not None else None), None


def _wants_page() -> bool:
    return request.method == "GET" and not request.path.startswith(("/_dash-", "/download/")) and \
        "text/html" in request.headers.get("Accept", "text/html")


def _ask_to_sign_in():
    if _wants_page():
        return redirect(f"/login?next={_relative(request.full_path)}")
    return _refuse(401, "Please sign in.")


def _refuse(status: int, message: str) -> Response:
    if (_wants_page() or request.endpoint in ("login", "logout")) and status != 401:
        return Response(login_page(message=message, title="Not available", form=False), status=status,
                        mimetype="text/html")
    response = jsonify({"message": message})
    response.status_code = status
    return response


def _after(response: Response) -> Response:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if not request.path.startswith(OPEN_PREFIXES):
        # Pages, callbacks and packs hold children's data: never kept by a shared cache.
        response.headers["Cache-Control"] = "no-store"
        if g.get("identity") is not None or request.endpoint == "login":
            response.set_cookie(CSRF_COOKIE, generate_csrf(), samesite="Strict", secure=settings.production(),
                                httponly=False)  # the renderer must read it
    return response


def _relative(target: str | None) -> str:
    """Only an address on this site (never //elsewhere or https://elsewhere)."""
    target = (target or "/").rstrip("?") or "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _routes(server) -> None:
    @server.route("/login", methods=["GET", "POST"])
    def login():
        next_page = _relative(request.values.get("next"))
        if request.method == "GET":
            return login_page(next_page=next_page, csrf_token=generate_csrf())
        try:
            row = accounts.sign_in(store.engine(), request.form.get("username", ""),
                                   request.form.get("password", ""), request.remote_addr)
        except accounts.SignInRefused as refused:
            return Response(login_page(message=str(refused), next_page=next_page, csrf_token=generate_csrf(),
                                       username=request.form.get("username", "")), status=401,
                            mimetype="text/html")
        session.clear()  # a new session for the signed-in user: nothing carried over from before
        session.permanent = True
        login_user(SignedIn(row))
        return redirect(next_page)

    @server.post("/logout")
    def logout():
        who = g.get("identity")
        if who is not None:
            with store.write_transaction(store.engine()) as conn:
                audit.record(conn, "logout", subject=who.username)
        logout_user()
        session.clear()
        return redirect("/login")

    logout.required_permission = Permission.VIEW
