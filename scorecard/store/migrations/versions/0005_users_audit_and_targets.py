"""Accounts, the audit log, and targets set in the browser.

- users: new. One row per account (role, themes, password hash); changed in place, each
  change recorded in the audit log.
- audit_events: new, append-only: triggers refuse UPDATE and DELETE (and TRUNCATE on
  PostgreSQL).
- target_settings: new. Each row is a target for an indicator from a month on, over the
  catalogue's own; every version kept.

The tables are written out here as they stand at this revision, not imported, so that
the migration means the same whatever the code becomes (the trigger statements are the
same text as scorecard.store.tables').

Revision ID: 0005
Revises: 0004
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

APPEND_ONLY = {
    "sqlite": [
        f"CREATE TRIGGER IF NOT EXISTS audit_events_no_{verb.lower()} BEFORE {verb} ON audit_events "
        "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
        for verb in ("UPDATE", "DELETE")],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$",
        "CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events "
        "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()",
        "CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()",
    ],
}


def upgrade() -> None:
    op.create_table(
        "target_settings",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("council", sa.String(16), nullable=False),
        sa.Column("indicator", sa.String(80), nullable=False),
        sa.Column("applies_from", sa.String(7), nullable=False),
        sa.Column("green", sa.Float),
        sa.Column("amber", sa.Float),
        sa.Column("reason", sa.Text),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("set_by", sa.String(120), nullable=False),
    )
    op.create_index("targets_by_indicator", "target_settings", ["council", "indicator", "applies_from"])
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(120), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("themes", sa.Text),
        sa.Column("council", sa.String(16)),
        sa.Column("password_hash", sa.Text),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("session_version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(120), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("one_username", "users", ["username"], unique=True)
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(120), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("council", sa.String(16)),
        sa.Column("subject", sa.Text),
        sa.Column("details", sa.Text),
        sa.Column("address", sa.String(64)),
    )
    op.create_index("audit_by_time", "audit_events", ["at"])
    op.create_index("audit_by_actor", "audit_events", ["actor", "action", "at"])
    for statement in APPEND_ONLY.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def downgrade() -> None:
    op.drop_table("audit_events")
    op.drop_table("users")
    op.drop_table("target_settings")
