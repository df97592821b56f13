"""The admin pages' plain functions: the users and what may be done to them, and the audit
log filtered as the address says. Each checks the identity itself, so a callback or a
route that forgot to could still not be used by anyone else."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from urllib.parse import urlencode

from sqlalchemy.engine import Engine

from scorecard.access import Identity, Permission, Role, accounts
from scorecard.access.audit_export import audit_csv, audit_events
from scorecard.ui.text import date_label

AUDIT_ROWS_SHOWN = 500
KEEP = "keep"  # the choice that leaves a user's role or status as it is
USER_COLUMNS = ["Username", "Name", "Role", "Themes", "Status", "Signs in with", "Added", "Last changed"]
AUDIT_COLUMNS = ["When (UTC)", "Who", "What", "Subject", "Address", "Details"]


@dataclass(frozen=True)
class Outcome:
    ok: bool
    message: str


def user_table_rows(engine: Engine, who: Identity) -> list[list[str]]:
    who.require(Permission.USERS)
    return [[row["username"], row["display_name"], row["role"], (row["themes"] or "every theme").replace(",", ", "),
             "active" if row["active"] else "disabled", "password" if row["password"] else "single sign-on only",
             date_label(row["created_at"]), date_label(row["updated_at"])] for row in accounts.list_users(engine)]


def usernames(engine: Engine, who: Identity) -> list[str]:
    who.require(Permission.USERS)
    return [row["username"] for row in accounts.list_users(engine)]


def add_account(engine: Engine, who: Identity, username: str | None, display_name: str | None, role: str | None,
                themes: str | None, password: str | None) -> Outcome:
    who.require(Permission.USERS)
    if not username or not role:
        return Outcome(False, "Give a username and a role.")
    try:
        added = accounts.add_user(engine, username, role, display_name or "", password or None, themes or None)
    except accounts.AccountError as error:
        return Outcome(False, f"Not added: {error}.")
    how = "with the password given" if password else "to sign in through single sign-on only"
    return Outcome(True, f"Added {added.username} as {added.role.value}, {how}.")


def change_account(engine: Engine, who: Identity, username: str | None, role: str | None, themes: str | None,
                   status: str | None) -> Outcome:
    """Set the role (and themes) or the status of an account."""
    who.require(Permission.USERS)
    role, status = (None if role == KEEP else role), (None if status == KEEP else status)
    if not username:
        return Outcome(False, "Choose a user.")
    try:
        if status in ("active", "disabled"):
            accounts.set_active(engine, username, status == "active")
            return Outcome(True, f"{username} is now {status}.")
        if not role:
            return Outcome(False, "Choose a role or a status.")
        accounts.set_role(engine, username, role, themes or None)
    except accounts.AccountError as error:
        return Outcome(False, f"Not changed: {error}.")
    return Outcome(True, f"{username} is now {role}; their sessions are signed out.")


def role_options() -> list[tuple[str, str]]:
    return [(role.value, f"{role.value.capitalize()}") for role in Role]


@dataclass(frozen=True)
class AuditFilter:
    actor: str | None = None
    action: str | None = None
    days: int | None = 30

    @classmethod
    def from_query(cls, actor: str | None = None, action: str | None = None, days: str | None = None) -> AuditFilter:
        try:
            chosen = int(days) if days else 30
        except ValueError:
            chosen = 30
        return cls(actor or None, action or None, chosen if chosen > 0 else 30)

    @property
    def since(self) -> dt.datetime | None:
        return dt.datetime.now(dt.UTC) - dt.timedelta(days=self.days) if self.days else None

    def query(self) -> str:
        values = {"actor": self.actor, "action": self.action, "days": self.days}
        return urlencode({key: value for key, value in values.items() if value})

    def described(self) -> str:
        parts = [f"the last {self.days} days"]
        if self.actor:
            parts.append(f"by {self.actor}")
        if self.action:
            parts.append(f"of kind {self.action}")
        return " ".join(parts)


def audit_table_rows(engine: Engine, who: Identity, chosen: AuditFilter) -> tuple[list[list[str]], bool]:
    """The newest events matching the filter, and whether there were more than are shown."""
    who.require(Permission.AUDIT)
    rows = audit_events(engine, chosen.since, chosen.actor, chosen.action, limit=AUDIT_ROWS_SHOWN + 1)
    shown = [[row["at"].strftime("%Y-%m-%d %H:%M:%S") if row["at"] else "", row["actor"], row["action"],
              row["subject"] or "", row["address"] or "", _details(row["details"])] for row in rows[:AUDIT_ROWS_SHOWN]]
    return shown, len(rows) > AUDIT_ROWS_SHOWN


def _details(details: str | None) -> str:
    if not details:
        return ""
    try:
        return "; ".join(f"{key}: {json.dumps(value, default=str)}" for key, value in json.loads(details).items())
    except (ValueError, AttributeError):
        return details


def audit_download(engine: Engine, who: Identity, chosen: AuditFilter) -> tuple[bytes, int]:
    """The filtered log as CSV; the download is itself recorded."""
    who.require(Permission.AUDIT)
    from scorecard import store
    from scorecard.access import audit

    content, count = audit_csv(engine, chosen.since, chosen.actor, chosen.action)
    with store.write_transaction(engine) as conn:
        audit.record(conn, "export", subject="audit log", details={"filter": chosen.query(), "events": count})
    return content, count
