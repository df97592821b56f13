"""The committee's meeting calendar and its improvement actions.

- meetings: new. Each row is one meeting of a committee and the month its scorecard
  showed; a later row for the same date and committee (moved or cancelled) supersedes it.
- improvement_actions: new. Each row is one dated version of an action agreed for an
  indicator (what, who, due, status, the update given); the newest is the action now.

The tables are written out here as they stand at this revision, not imported, so that
the migration means the same whatever the code becomes.

Revision ID: 0004
Revises: 0003
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("council", sa.String(16), nullable=False),
        sa.Column("meeting_date", sa.Date, nullable=False),
        sa.Column("committee", sa.String(120), nullable=False),
        sa.Column("shows_period", sa.String(7), nullable=False),
        sa.Column("cancelled", sa.Boolean, nullable=False),
        sa.Column("source_file", sa.Text),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("loaded_by", sa.String(120), nullable=False),
    )
    op.create_index("meetings_by_date", "meetings", ["council", "meeting_date"])
    op.create_table(
        "improvement_actions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("council", sa.String(16), nullable=False),
        sa.Column("reference", sa.String(40), nullable=False),
        sa.Column("indicator", sa.String(80), nullable=False),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("owner", sa.String(120), nullable=False),
        sa.Column("due", sa.Date, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("update_text", sa.Text),
        sa.Column("updated_on", sa.Date, nullable=False),
        sa.Column("source_file", sa.Text),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("loaded_by", sa.String(120), nullable=False),
    )
    op.create_index("actions_by_reference", "improvement_actions", ["council", "reference"])
    op.create_index("actions_by_indicator", "improvement_actions", ["council", "indicator"])


def downgrade() -> None:
    op.drop_table("improvement_actions")
    op.drop_table("meetings")
