"""Accounts, the audit log and targets set by the council: their rows in the store.

The audit log is append-only: `record_event` adds, nothing here changes or removes an
event, and the database's triggers refuse to (tables.APPEND_ONLY_*). Write an event in
the same transaction as the change it records, so neither is kept without the other.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from scorecard.store.tables import audit_events, target_settings, users


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# --- users ---------------------------------------------------------------------------------

def user_row(conn: Connection, username: str) -> dict | None:
    row = conn.execute(select(users).where(users.c.username == username.strip().lower())).first()
    return dict(row._mapping) if row else None


def user_rows(conn: Connection) -> list[dict]:
    return [dict(row._mapping) for row in conn.execute(select(users).order_by(users.c.username))]


def insert_user(conn: Connection, row: Mapping[str, Any]) -> int:
    """Add an account (username, display_name, role, themes, council, password_hash,
    created_by); its id. IntegrityError if the username is taken."""
    stamp = now()
    values = {"active": True, "session_version": 1, "created_at": stamp, "updated_at": stamp, **row,
              "username": row["username"].strip().lower()}
    return conn.execute(users.insert().values(**values)).inserted_primary_key[0]


def update_user(conn: Connection, username: str, changes: Mapping[str, Any], sign_out: bool = True) -> None:
    """Change an account in place; `sign_out` ends its sessions (raises its session version)."""
    values = {**changes, "updated_at": now()}
    if sign_out:
        values["session_version"] = users.c.session_version + 1
    conn.execute(users.update().where(users.c.username == username.strip().lower()).values(**values))


# --- the audit log -------------------------------------------------------------------------

def record_event(conn: Connection, actor: str, action: str, subject: str | None = None,
                 details: Mapping[str, Any] | None = None, council: str | None = None,
                 address: str | None = None) -> int:
    row = {"at": now(), "actor": actor, "action": action, "subject": subject, "council": council,
           "details": json.dumps(details, default=str, sort_keys=True) if details else None,
           "address": address}
    return conn.execute(audit_events.insert().values(**row)).inserted_primary_key[0]


def audit_rows(conn: Connection, actor: str | None = None, action: str | None = None,
               since: dt.datetime | None = None, limit: int | None = None) -> list[dict]:
    """Events, newest first."""
    query = select(audit_events).order_by(audit_events.c.at.desc(), audit_events.c.id.desc())
    if actor is not None:
        query = query.where(audit_events.c.actor == actor)
    if action is not None:
        query = query.where(audit_events.c.action == action)
    if since is not None:
        query = query.where(audit_events.c.at >= since)
    if limit is not None:
        query = query.limit(limit)
    return [dict(row._mapping) for row in conn.execute(query)]


def count_events(conn: Connection, action: str, since: dt.datetime, subject: str | None = None,
                 address: str | None = None) -> int:
    query = select(func.count()).select_from(audit_events).where(
        audit_events.c.action == action, audit_events.c.at >= since)
    if subject is not None:
        query = query.where(audit_events.c.subject == subject)
    if address is not None:
        query = query.where(audit_events.c.address == address)
    return conn.execute(query).scalar_one()


# --- targets set by the council ------------------------------------------------------------

def insert_target(conn: Connection, row: Mapping[str, Any]) -> int:
    """Add a target version (council, indicator, applies_from, green, amber, reason, set_by)."""
    return conn.execute(target_settings.insert().values(set_at=now(), **row)).inserted_primary_key[0]


def target_rows(conn: Connection, council: str, indicator: str | None = None) -> list[dict]:
    """Every target version the council set, oldest first (the last for a month stands)."""
    query = select(target_settings).where(target_settings.c.council == council).order_by(
        target_settings.c.indicator, target_settings.c.applies_from, target_settings.c.set_at, target_settings.c.id)
    if indicator is not None:
        query = query.where(target_settings.c.indicator == indicator)
    return [dict(row._mapping) for row in conn.execute(query)]
