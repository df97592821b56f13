"""Figures computed once per load and kept in the store, rather than by every web worker.

- figure_sets: new. One row per set of a council's figures, named by the extracts, the
  catalogue and the code it was computed from.
- computed_figures: new. Every indicator's figure for every month of a set.
- suppression_decisions: new. Each month's decision of which figures public outputs
  hide, with a digest of the counts it was made on.

Nothing existing changes: the sets are made again from the records when first needed.
The tables are written out as they stand at this revision, not imported.

Revision ID: 0006
Revises: 0005
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "figure_sets",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("council", sa.String(16), nullable=False),
        sa.Column("basis", sa.String(64), nullable=False),
        sa.Column("extract_ids", sa.Text, nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seconds", sa.Float),
        sa.Column("figure_count", sa.Integer, nullable=False),
    )
    op.create_index("one_set_per_basis", "figure_sets", ["council", "basis"], unique=True)
    op.create_table(
        "computed_figures",
        sa.Column("figure_set_id", sa.Integer, sa.ForeignKey("figure_sets.id", ondelete="CASCADE"), nullable=False),
        sa.Column("indicator", sa.String(80), nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("numerator", sa.Float),
        sa.Column("denominator", sa.Float),
        sa.Column("value", sa.Float),
        sa.Column("extract_ids", sa.Text),
        sa.Column("note", sa.Text),
        sa.Column("incomplete", sa.Float),
        sa.Column("history_note", sa.Text),
    )
    op.create_index("figures_of_set", "computed_figures", ["figure_set_id"])
    op.create_table(
        "suppression_decisions",
        sa.Column("figure_set_id", sa.Integer, sa.ForeignKey("figure_sets.id", ondelete="CASCADE"), nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("counts_digest", sa.String(64), nullable=False),
        sa.Column("hidden", sa.Text, nullable=False),
    )
    op.create_index("decision_of_month", "suppression_decisions", ["figure_set_id", "period"], unique=True)


def downgrade() -> None:
    op.drop_table("suppression_decisions")
    op.drop_table("computed_figures")
    op.drop_table("figure_sets")
