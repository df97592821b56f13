"""Accounts: adding users, changing roles, disabling, passwords, and signing in.

Passwords are hashed with argon2id (argon2-cffi, the OWASP-recommended algorithm at its
default cost); an account for single sign-on only has no password. Every change is in the
audit log, written in the same transaction. Changing a role, a password or the status
raises the account's session version, which signs out its sessions everywhere.

Failed sign-ins are throttled through the audit log, so the count holds across the
workers of a gunicorn server: after `MAX_FAILURES` failures for an account (or
`MAX_FAILURES_FROM_ADDRESS` from one address) within `THROTTLE_WINDOW`, sign-in is
refused without checking the password until the window has passed.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from scorecard import store
from scorecard.access import audit
from scorecard.access.roles import Identity, Role

MAX_FAILURES = 5
MAX_FAILURES_FROM_ADDRESS = 20
THROTTLE_WINDOW = dt.timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 12

_hasher = PasswordHasher()
# Checked when the username is unknown, so a wrong name takes as long as a wrong password.
_UNKNOWN_USER_HASH = _hasher.hash("not anyone's password")


class AccountError(ValueError):
    """A change to an account that cannot be made, said in words."""


class SignInRefused(PermissionError):
    """Wrong name or password, a disabled account, or too many failures: said in words."""


def parse_role(value: str) -> Role:
    try:
        return Role(value.strip().lower())
    except ValueError:
        raise AccountError(f"{value!r} is not a role: choose one of {', '.join(r.value for r in Role)}") from None


def parse_themes(value: str | Iterable[str] | None) -> frozenset[str] | None:
    """Theme ids (from the catalogue's frameworks); None or empty for every theme."""
    if value is None:
        return None
    items = value.split(",") if isinstance(value, str) else list(value)
    themes = frozenset(item.strip() for item in items if item.strip())
    if not themes:
        return None
    from scorecard.metrics import load_catalogue

    known = {theme.id for framework in load_catalogue().frameworks for theme in framework.themes}
    unknown = sorted(themes - known)
    if unknown:
        raise AccountError(f"no theme called {', '.join(unknown)}: the themes are {', '.join(sorted(known))}")
    return themes


def parse_council(value: str | None) -> str | None:
    """The ONS code of the council an account is bound to, given its code, LA number or name;
    None (or blank) for the deployment's council. Only a council the reference list names."""
    if value is None or not value.strip():
        return None
    from scorecard.councils import UnknownCouncil, resolve

    try:
        return resolve(value)
    except UnknownCouncil as error:
        raise AccountError(str(error)) from None


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")


def identity_of(row: dict) -> Identity:
    themes = frozenset(t for t in (row.get("themes") or "").split(",") if t) or None
    return Identity(username=row["username"], role=Role(row["role"]), display_name=row["display_name"],
                    themes=themes, council=row.get("council"))


def add_user(engine: Engine, username: str, role: str, display_name: str = "", password: str | None = None,
             themes: str | Iterable[str] | None = None, council: str | None = None) -> Identity:
    username = username.strip().lower()
    if not username or len(username) > 120 or any(c.isspace() for c in username):
        raise AccountError("a username is 1 to 120 characters without spaces")
    chosen_role, chosen_themes, council = parse_role(role), parse_themes(themes), parse_council(council)
    if password is not None:
        check_password(password)
    row = {"username": username, "display_name": display_name.strip() or username, "role": chosen_role.value,
           "themes": ",".join(sorted(chosen_themes)) if chosen_themes else None, "council": council,
           "password_hash": _hasher.hash(password) if password is not None else None, "created_by": audit.actor()}
    try:
        with store.write_transaction(engine) as conn:
            store.insert_user(conn, row)
            audit.record(conn, "user_added", subject=username,
                         details={"role": row["role"], "themes": row["themes"], "council": council,
                                  "password": password is not None})
    except IntegrityError:
        raise AccountError(f"there is already a user called {username}") from None
    return identity_of(row)


def _existing(conn, username: str) -> dict:
    row = store.user_row(conn, username)
    if row is None:
        raise AccountError(f"there is no user called {username.strip().lower()}")
    return row


def _keep_an_admin(conn, before: dict) -> None:
    """Refuse a change that would leave nobody able to manage the users."""
    if before["role"] == Role.ADMIN.value and before["active"]:
        others = [row for row in store.user_rows(conn) if row["role"] == Role.ADMIN.value and row["active"]
                  and row["username"] != before["username"]]
        if not others:
            raise AccountError(f"{before['username']} is the only active admin: make another admin first")


def set_role(engine: Engine, username: str, role: str, themes: str | Iterable[str] | None = None) -> None:
    chosen_role, chosen_themes = parse_role(role), parse_themes(themes)
    with store.write_transaction(engine) as conn:
        before = _existing(conn, username)
        if chosen_role != Role.ADMIN:
            _keep_an_admin(conn, before)
        after = {"role": chosen_role.value, "themes": ",".join(sorted(chosen_themes)) if chosen_themes else None}
        store.update_user(conn, username, after)
        audit.record(conn, "role_change", subject=before["username"],
                     details={"before": {"role": before["role"], "themes": before["themes"]}, "after": after})


def set_council(engine: Engine, username: str, council: str | None) -> str | None:
    """Bind an account to a council (None: the deployment's). Its sessions are signed out, so
    no page open in a browser goes on showing the council it saw before. Returns the code."""
    chosen = parse_council(council)
    with store.write_transaction(engine) as conn:
        before = _existing(conn, username)
        store.update_user(conn, username, {"council": chosen})
        audit.record(conn, "council_change", subject=before["username"], council=chosen,
                     details={"before": before["council"], "after": chosen})
    return chosen


def set_active(engine: Engine, username: str, active: bool) -> None:
    with store.write_transaction(engine) as conn:
        before = _existing(conn, username)
        if not active:
            _keep_an_admin(conn, before)
        store.update_user(conn, username, {"active": active})
        audit.record(conn, "user_enabled" if active else "user_disabled", subject=before["username"],
                     details={"before": {"active": before["active"]}, "after": {"active": active}})


def set_password(engine: Engine, username: str, password: str) -> None:
    check_password(password)
    with store.write_transaction(engine) as conn:
        before = _existing(conn, username)
        store.update_user(conn, username, {"password_hash": _hasher.hash(password)})
        audit.record(conn, "password_set", subject=before["username"])


def list_users(engine: Engine) -> list[dict]:
    with store.read_connection(engine) as conn:
        return [{key: value for key, value in row.items() if key != "password_hash"} | {
            "password": row["password_hash"] is not None} for row in store.user_rows(conn)]


def session_key(row: dict) -> str:
    """What a session remembers: the account and its session version, so that a change
    of role, password or status ends the sessions made before it."""
    return f"{row['id']}:{row['session_version']}:{row['username']}"


def account_for_session(engine: Engine, key: str) -> dict | None:
    """The active account a session key names, if it is still valid."""
    try:
        user_id, version, username = key.split(":", 2)
        user_id, version = int(user_id), int(version)
    except ValueError:
        return None
    with store.read_connection(engine) as conn:
        row = store.user_row(conn, username)
    if row is None or row["id"] != user_id or row["session_version"] != version or not row["active"]:
        return None
    return row


def account_for_sso(engine: Engine, username: str) -> dict | None:
    """The active account the single-sign-on proxy names (it has checked the password)."""
    with store.read_connection(engine) as conn:
        row = store.user_row(conn, username)
    return row if row is not None and row["active"] else None


def sign_in(engine: Engine, username: str, password: str, address: str | None = None) -> dict:
    """The account if the password is right; SignInRefused (in words, never saying which
    of name and password was wrong) otherwise. Each outcome is in the audit log."""
    username = (username or "").strip().lower()[:120]
    since = dt.datetime.now(dt.UTC) - THROTTLE_WINDOW
    with store.write_transaction(engine) as conn:  # the refusal is recorded, then said
        failures = store.count_events(conn, "login_failed", since, subject=username)
        from_address = store.count_events(conn, "login_failed", since, address=address) if address else 0
        if failures >= MAX_FAILURES or from_address >= MAX_FAILURES_FROM_ADDRESS:
            audit.record(conn, "login_throttled", subject=username, who=username or "(blank)", address=address,
                         details={"failures": failures, "from_address": from_address})
            minutes = int(THROTTLE_WINDOW.total_seconds() // 60)
            refused = (f"Too many failed sign-ins. Try again in {minutes} minutes, "
                       "or ask the administrator to check the account.")
        else:
            row = store.user_row(conn, username) if username else None
            matches = _password_matches(row, password)
            if matches and row["active"]:
                audit.record(conn, "login", subject=username, who=username, address=address)
                if _hasher.check_needs_rehash(row["password_hash"]):
                    store.update_user(conn, username, {"password_hash": _hasher.hash(password)}, sign_out=False)
                return row
            disabled = matches and not row["active"]
            audit.record(conn, "login_failed", subject=username, who=username or "(blank)", address=address,
                         details={"reason": "disabled" if disabled else "wrong name or password"})
            refused = ("This account is disabled: ask the administrator." if disabled
                       else "The username or password is not right.")
    raise SignInRefused(refused)


def _password_matches(row: dict | None, password: str) -> bool:
    stored = row["password_hash"] if row is not None else None
    try:
        return _hasher.verify(stored or _UNKNOWN_USER_HASH, password or "") and stored is not None
    except (VerificationError, InvalidHashError):
        return False
