"""Signing in and out, sessions, throttling, CSRF, cookies, the secret key, single sign-on
and the audit log's refusal to change: through the Flask test client as a browser would,
and the account functions on SQLite and PostgreSQL."""
from __future__ import annotations

import itertools

import pytest
from browser_support import csrf_header, form_token, sign_in
from click.testing import CliRunner
from conftest import DEMO_PASSWORD, signed_in_client
from sqlalchemy.exc import DBAPIError

from scorecard import settings, store
from scorecard.access import Forbidden, Identity, Permission, Role, acting_as, require
from scorecard.access import accounts
from scorecard.cli import main

_names = (f"temporary-{number}" for number in itertools.count())


@pytest.fixture
def new_user(demo_app):
    """A fresh account in the demo store (a new name each time, so tests cannot meet)."""
    def make(role: str = "viewer") -> str:
        username = next(_names)
        accounts.add_user(store.engine(), username, role, password=DEMO_PASSWORD)
        return username
    return make


def _events(action: str, subject: str) -> list[dict]:
    with store.read_connection(store.engine()) as conn:
        return [row for row in store.audit_rows(conn, action=action) if row["subject"] == subject]


def test_roles_are_cumulative_and_themes_limit_only_commentary_and_actions():
    manager = Identity("m", Role.MANAGER, themes=frozenset({"health"}))
    assert manager.can(Permission.SMALL_NUMBERS) and not manager.can(Permission.UPLOAD)
    assert manager.can(Permission.COMMENTARY, themes=["health", "healthy"])
    assert not manager.can(Permission.COMMENTARY, themes=["placements"])
    assert manager.can(Permission.RECORDS, themes=["placements"])  # not a themed permission
    assert Identity("a", Role.ANALYST).can(Permission.COMMENTARY, themes=["placements"])
    assert not Identity("a", Role.ANALYST).can(Permission.USERS)
    assert all(Identity("x", Role.ADMIN).can(p) for p in Permission)
    with pytest.raises(Forbidden, match="sign in"):
        require(None, Permission.VIEW)
    with pytest.raises(Forbidden, match="viewer"):
        require(Identity("v", Role.VIEWER), Permission.RECORDS)


def test_a_page_asked_for_by_nobody_leads_to_sign_in_and_back(anonymous_client, new_user):
    response = anonymous_client.get("/indicator/iha_in_timescale?period=2025-03", headers={"Accept": "text/html"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/indicator/iha_in_timescale?period%3D2025-03" or \
        response.headers["Location"].startswith("/login?next=/indicator/iha_in_timescale")
    username = new_user()
    page = anonymous_client.get(response.headers["Location"]).get_data(as_text=True)
    answer = anonymous_client.post("/login", data={"username": username.upper(), "password": DEMO_PASSWORD,
                                                   "csrf_token": form_token(page),
                                                   "next": "/indicator/iha_in_timescale?period=2025-03"})
    assert answer.status_code == 302 and answer.headers["Location"] == "/indicator/iha_in_timescale?period=2025-03"
    assert _events("login", username)


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:x"])
def test_sign_in_never_sends_anyone_to_another_site(anonymous_client, new_user, target):
    username = new_user()
    token = form_token(anonymous_client.get("/login").get_data(as_text=True))
    answer = anonymous_client.post("/login", data={"username": username, "password": DEMO_PASSWORD,
                                                   "csrf_token": token, "next": target})
    assert answer.headers["Location"] == "/"


def test_sign_in_without_the_form_token_is_refused(anonymous_client, new_user):
    username = new_user()
    answer = anonymous_client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
    assert answer.status_code == 400
    assert "did not come from this site" in answer.get_data(as_text=True)
    assert not _events("login", username)


def test_a_wrong_password_says_so_without_saying_which_part_and_is_audited(anonymous_client, new_user):
    username = new_user()
    page = sign_in(anonymous_client, username, "not the password", expect_status=401).get_data(as_text=True)
    unknown = sign_in(anonymous_client, "nobody-at-all", "not the password", expect_status=401).get_data(as_text=True)
    assert "The username or password is not right." in page and "The username or password is not right." in unknown
    assert _events("login_failed", username) and _events("login_failed", "nobody-at-all")


def test_failed_sign_ins_are_throttled_then_even_the_right_password_waits(demo_app, new_user):
    username = new_user()
    client = demo_app.server.test_client()
    client.environ_base["REMOTE_ADDR"] = "192.0.2.10"  # its own address: other tests' failures do not count
    for _ in range(accounts.MAX_FAILURES):
        sign_in(client, username, "wrong", expect_status=401)
    refused = sign_in(client, username, DEMO_PASSWORD, expect_status=401).get_data(as_text=True)
    assert "Too many failed sign-ins" in refused
    assert _events("login_throttled", username) and not _events("login", username)


def test_failures_from_one_address_are_throttled_across_accounts(engine):
    for number in range(accounts.MAX_FAILURES_FROM_ADDRESS):
        with pytest.raises(accounts.SignInRefused, match="not right"):
            accounts.sign_in(engine, f"guess-{number}", "wrong", address="198.51.100.7")
    accounts.add_user(engine, "real", "viewer", password=DEMO_PASSWORD)
    with pytest.raises(accounts.SignInRefused, match="Too many"):
        accounts.sign_in(engine, "real", DEMO_PASSWORD, address="198.51.100.7")
    assert accounts.sign_in(engine, "real", DEMO_PASSWORD, address="198.51.100.8")["username"] == "real"


def test_cookies_are_http_only_and_same_site(anonymous_client, new_user):
    username = new_user()
    response = sign_in(anonymous_client, username, DEMO_PASSWORD)
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("scorecard_session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    csrf = next(h for h in anonymous_client.get("/_dash-layout").headers.getlist("Set-Cookie")
                if h.startswith("_csrf_token="))
    assert "SameSite=Strict" in csrf and "HttpOnly" not in csrf  # the renderer reads it to send it back
    assert response.headers["X-Frame-Options"] == "DENY"


def test_disabling_an_account_ends_its_session_at_once(demo_app, new_user):
    username = new_user()
    client = signed_in_client(demo_app, username)
    assert client.get("/_dash-layout").status_code == 200
    accounts.set_active(store.engine(), username, False)
    assert client.get("/_dash-layout").status_code == 401
    page = sign_in(demo_app.server.test_client(), username, DEMO_PASSWORD, expect_status=401)
    assert "disabled" in page.get_data(as_text=True)


def test_a_new_role_takes_effect_on_the_next_request(demo_app, new_user):
    username = new_user("viewer")
    client = signed_in_client(demo_app, username)
    accounts.set_role(store.engine(), username, "analyst")
    assert client.get("/_dash-layout").status_code == 401  # signed out: signs in again with the new role
    assert _events("role_change", username)[0]["details"] == (
        '{"after": {"role": "analyst", "themes": null}, "before": {"role": "viewer", "themes": null}}')


def test_signing_out_needs_the_token_and_ends_the_session(demo_app, new_user):
    username = new_user()
    client = signed_in_client(demo_app, username)
    assert client.post("/logout").status_code == 400  # no CSRF token: a forged sign-out is refused
    assert client.post("/logout", headers=csrf_header(client)).status_code == 302
    assert client.get("/_dash-layout").status_code == 401
    assert _events("logout", username)


def test_production_refuses_a_missing_or_weak_secret_key(monkeypatch):
    monkeypatch.setenv("SCORECARD_ENVIRONMENT", "production")
    for weak in ("", "changeme", "short-key"):
        monkeypatch.setenv("SCORECARD_SECRET_KEY", weak)
        with pytest.raises(settings.SettingError, match="SCORECARD_SECRET_KEY"):
            settings.secret_key()
    monkeypatch.setenv("SCORECARD_SECRET_KEY", "k" * 40)
    assert settings.secret_key() == "k" * 40
    monkeypatch.setenv("SCORECARD_ENVIRONMENT", "staging")
    with pytest.raises(settings.SettingError, match="development, production"):
        settings.production()


def test_the_app_will_not_start_in_production_with_the_default_key(monkeypatch):
    from dash import Dash

    from scorecard.access.web import secure

    monkeypatch.setenv("SCORECARD_ENVIRONMENT", "production")
    monkeypatch.delenv("SCORECARD_SECRET_KEY", raising=False)
    with pytest.raises(settings.SettingError):
        secure(Dash(__name__))


def test_single_sign_on_header_is_ignored_unless_configured(demo_app, new_user, monkeypatch):
    username = new_user("manager")
    client = demo_app.server.test_client()
    assert client.get("/_dash-layout", headers={"X-Remote-User": username}).status_code == 401
    monkeypatch.setenv("SCORECARD_TRUSTED_USER_HEADER", "X-Remote-User")
    assert client.get("/_dash-layout", headers={"X-Remote-User": username}).status_code == 200
    assert client.get("/_dash-layout", headers={"X-Remote-User": "not-registered"}).status_code == 401
    assert [e for e in _events("login", username) if "single sign-on" in (e["details"] or "")]


def test_the_audit_log_refuses_change_in_the_database(engine):
    with store.write_transaction(engine) as conn:
        store.record_event(conn, "someone", "login", subject="someone")
    for statement in (store.audit_events.update().values(actor="someone else"), store.audit_events.delete()):
        with pytest.raises(DBAPIError, match="append-only"):
            with store.write_transaction(engine) as conn:
                conn.execute(statement)
    with store.read_connection(engine) as conn:
        assert [row["actor"] for row in store.audit_rows(conn)] == ["someone"]


def test_users_commands_add_list_change_and_disable(database_url, tmp_path):
    runner = CliRunner()
    added = runner.invoke(main, ["users", "add", "Jo", "--role", "manager", "--themes", "health",
                                 "--name", "Jo Bloggs", "--password-stdin"], input=f"{DEMO_PASSWORD}\n")
    assert added.exit_code == 0 and "Added jo (manager, limited to health)" in added.output
    assert runner.invoke(main, ["users", "add", "jo", "--role", "viewer", "--sso-only"]).exit_code == 1
    short = runner.invoke(main, ["users", "add", "sam", "--role", "viewer", "--password-stdin"], input="short\n")
    assert short.exit_code == 1 and "at least 12 characters" in short.output
    assert runner.invoke(main, ["users", "set-role", "jo", "chief"]).exit_code == 1
    assert runner.invoke(main, ["users", "set-role", "jo", "analyst"]).exit_code == 0
    assert runner.invoke(main, ["users", "disable", "jo"]).exit_code == 0
    listed = runner.invoke(main, ["users", "list"]).output
    assert "jo" in listed and "analyst" in listed and "disabled" in listed
    exported = runner.invoke(main, ["audit", "export", "--out", str(tmp_path / "audit.csv")])
    assert exported.exit_code == 0 and "Wrote 3 events" in exported.output
    assert "role_change" in (tmp_path / "audit.csv").read_text(encoding="utf-8-sig")


def test_actions_on_the_command_line_are_recorded_as_the_operating_system_user(engine, monkeypatch):
    monkeypatch.setenv("SCORECARD_USER", "analyst-on-cli")
    accounts.add_user(engine, "pat", "viewer", password=DEMO_PASSWORD)
    with acting_as(Identity("web-admin", Role.ADMIN)):
        accounts.set_role(engine, "pat", "manager")
    with store.read_connection(engine) as conn:
        actors = [(row["action"], row["actor"]) for row in reversed(store.audit_rows(conn))]
    assert actors == [("user_added", "cli:analyst-on-cli"), ("role_change", "web-admin")]
