"""The first release's schema (before Alembic): what a store made by it holds.

A store made by that release is stamped with this revision and upgraded from it; a new
store is made from the current tables and stamped with the newest revision, so this one
runs only to rebuild an old store, as the migration tests do.

Revision ID: 0001
Revises:
"""
from __future__ import annotations

from alembic import op
from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

metadata = MetaData()
CURRENT = "current"

extracts = Table(
    "extracts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("upload_id", String(36), nullable=False, index=True),
    Column("council", String(16), nullable=False),
    Column("dataset", String(40), nullable=False),
    Column("period", String(7), nullable=False, doc="YYYY-MM: the month the extract is as at"),
    Column("source_format", String(16), nullable=False, doc="template or ssda903"),
    Column("source_file", Text, nullable=False),
    Column("source_sheet", Text),
    Column("sha256", String(64), nullable=False),
    Column("also_from", Text, doc="JSON list of further files joined in (SSDA903 Header, UASC)"),
    Column("row_count", Integer, nullable=False),
    Column("loaded_at", DateTime(timezone=True), nullable=False),
    Column("loaded_by", String(120), nullable=False),
    Column("status", String(12), nullable=False),
    Column("superseded_by", Integer, ForeignKey("extracts.id")),
    # At most one current extract per council, dataset and month: a second load
    # racing the first fails instead of leaving two "current" versions.
    Index(
        "one_current_extract",
        "council",
        "dataset",
        "period",
        unique=True,
        sqlite_where=Column("status") == CURRENT,
        postgresql_where=Column("status") == CURRENT,
    ),
)


def _record_table(name: str, *columns: Column) -> Table:
    """A table of child-level records, each pointing at the extract and row it came from."""
    table = Table(
        name,
        metadata,
        Column("id", Integer, primary_key=True),
        Column("extract_id", Integer, ForeignKey("extracts.id"), nullable=False),
        Column("source_row", Integer, nullable=False, doc="row number as shown in the source file"),
        *columns,
    )
    # Only the extract index: rows are read per extract. An index on child_id costs 40%
    # more insert time on every upload for look-ups the metrics layer does in memory.
    Index(f"{name}_by_extract", table.c.extract_id)
    return table


children_in_care = _record_table(
    "children_in_care",
    Column("child_id", String(40), nullable=False),
    Column("date_of_birth", Date, nullable=False),
    Column("sex", String(4), nullable=False),
    Column("ethnicity", String(4)),
    Column("uasc", Boolean, nullable=False),
    Column("disability", Boolean),
    Column("legal_status", String(4), nullable=False),
    Column("period_start", Date, nullable=False),
    Column("episode_start", Date, nullable=False),
    Column("episode_end", Date),
    Column("reason_new_episode", String(4)),
    Column("reason_episode_ceased", String(4)),
    Column("category_of_need", String(4)),
    Column("placement_type", String(4), nullable=False),
    Column("placement_provider", String(4), doc="required in the template; the SSDA903 leaves it blank for some placements"),
    Column("placed_in_area", Boolean),
    Column("placement_la", String(16)),
    Column("distance_miles", Float),
    Column("home_postcode", String(10)),
    Column("placement_postcode", String(10)),
    Column("district", String(80)),
)

visits = _record_table(
    "visits",
    Column("child_id", String(40), nullable=False),
    Column("date_due", Date, nullable=False),
    Column("date_done", Date),
    Column("team", String(80)),
)

missing_episodes = _record_table(
    "missing_episodes",
    Column("episode_id", String(60), nullable=False),
    Column("child_id", String(40), nullable=False),
    Column("in_care", Boolean, nullable=False),
    Column("missing_from", DateTime, nullable=False),
    Column("found_at", DateTime),
    Column("absence_type", String(2)),
    Column("district", String(80)),
)

return_interviews = _record_table(
    "return_interviews",
    Column("episode_id", String(60), nullable=False),
    Column("child_id", String(40), nullable=False),
    Column("outcome", String(20), nullable=False),
    Column("offered_at", DateTime),
    Column("held_at", DateTime),
)

health_assessments = _record_table(
    "health_assessments",
    Column("child_id", String(40), nullable=False),
    Column("assessment_type", String(10), nullable=False),
    Column("looked_after_date", Date),
    Column("date_due", Date),
    Column("date_completed", Date),
    Column("placed_in_area", Boolean),
    Column("host_la", String(80)),
    Column("up_to_date", Boolean, doc="SSDA903 OC2 flags, where no date is known"),
    Column("sdq_score", Integer),
)

care_leavers = _record_table(
    "care_leavers",
    Column("child_id", String(40), nullable=False),
    Column("date_of_birth", Date, nullable=False),
    Column("birthday", Date, nullable=False),
    Column("in_touch", String(4), nullable=False),
    Column("activity", String(4)),
    Column("accommodation", String(4)),
)

benchmarks = Table(
    "benchmarks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("indicator", String(80), nullable=False),
    Column("comparator", String(40), nullable=False, doc="england, region or statistical_neighbours"),
    Column("area_code", String(16), nullable=False, doc="E92000001, a region's code, or the council whose neighbours"),
    Column("period", String(16), nullable=False, doc="as published: 2022/23, 2021"),
    Column("period_end", Date, nullable=False, doc="the day the figure is as at, or its year's last day"),
    Column("value", Float, nullable=False, doc="in the indicator's stored unit: a fraction for percentages"),
    Column("publication", Text, nullable=False),
    Column("release_date", Date, doc="DfE revises earlier years: every release is kept"),
    Column("source", Text),
    Column("notes", Text),
    Column("source_file", Text, nullable=False),
    Column("loaded_at", DateTime(timezone=True), nullable=False),
    Column("loaded_by", String(120), nullable=False),
    Index("benchmarks_by_indicator", "indicator", "comparator"),
)

commentary = Table(
    "commentary",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("council", String(16), nullable=False),
    Column("indicator", String(80), nullable=False, doc="an indicator id in metrics.yaml"),
    Column("period", String(7), nullable=False, doc="YYYY-MM: the month of the figure it explains"),
    Column("text", Text, nullable=False, doc="a short footnote, at most 1,000 characters"),
    Column("author", String(120), nullable=False),
    Column("written_at", DateTime, nullable=False, doc="UK local time, as the officer wrote it"),
    Column("source_file", Text, doc="the file it was loaded from; null when added by hand"),
    Column("loaded_at", DateTime(timezone=True), nullable=False),
    Column("loaded_by", String(120), nullable=False),
    # Every version is kept: a later comment on the same figure is a new row.
    Index("commentary_by_indicator", "council", "indicator", "period"),
)



def upgrade() -> None:
    metadata.create_all(op.get_bind())


def downgrade() -> None:
    metadata.drop_all(op.get_bind())
