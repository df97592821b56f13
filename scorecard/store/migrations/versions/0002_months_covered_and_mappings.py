"""An extract covers a span of months; saved column mappings; one history per child.

- extracts: `period` (the month an extract was as at) becomes `first_month`, `last_month`
  and `as_at`, with `complete_for` (what it lists in full), `fields` (what it carries),
  `mapping_id` and `changes`. A monthly extract covers its month. An SSDA903 extract,
  loaded then with `--period` and any month of its year, covers its collection year (its
  OC2 health flags: March only), as at 31 March. One current extract per council,
  dataset, months and format: where two current 903 extracts now cover the same year
  (loaded with two months of it), the later supersedes the earlier.
- column_mappings: new.
- children_in_care.period_start: may be empty, and is emptied for SSDA903 rows, whose
  start the first release worked out from one file only (wrongly, for a child in care
  before that year); the metrics now work it out from all of a child's episodes.
- health_assessments.assessment_type: up to 20 characters ("immunisations").

The rules are written out here as they stand at this revision, not imported, so that the
migration means the same whatever the code becomes.

Revision ID: 0002
Revises: 0001
"""
from __future__ import annotations

import calendar
import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TEMPLATE_RULES = {
    "children_in_care": "spans:episode_start:episode_end",
    "visits": "dated:date_due",
    "missing_episodes": "dated:missing_from",
    "return_interviews": "none",
    "health_assessments": "dated:date_due,date_completed",
    "care_leavers": "dated:birthday",
}
RETURN_RULES = {
    "children_in_care": "spans:episode_start:episode_end",
    "missing_episodes": "dated:missing_from;only=in_care",
    "health_assessments": "status",
    "care_leavers": "dated:birthday",
}
RETURN_FIELDS = {
    "children_in_care": "child_id,date_of_birth,sex,ethnicity,uasc,legal_status,episode_start,episode_end,"
                        "reason_new_episode,reason_episode_ceased,category_of_need,placement_type,"
                        "placement_provider,home_postcode,placement_postcode",
    "missing_episodes": "episode_id,child_id,in_care,missing_from,found_at,absence_type",
    "health_assessments": "child_id,assessment_type,date_due,up_to_date,sdq_score",
}

extracts = sa.table("extracts", sa.column("id", sa.Integer), sa.column("council", sa.String),
                    sa.column("dataset", sa.String), sa.column("period", sa.String),
                    sa.column("source_format", sa.String), sa.column("status", sa.String),
                    sa.column("superseded_by", sa.Integer), sa.column("first_month", sa.String),
                    sa.column("last_month", sa.String), sa.column("as_at", sa.Date),
                    sa.column("complete_for", sa.String), sa.column("fields", sa.Text))


def _coverage(dataset: str, period: str, source_format: str) -> dict:
    year, month = int(period[:4]), int(period[5:7])
    if source_format != "ssda903":
        last_day = dt.date(year, month, calendar.monthrange(year, month)[1])
        return dict(first_month=period, last_month=period, as_at=last_day,
                    complete_for=TEMPLATE_RULES.get(dataset, "none"), fields=None)
    start = year if month >= 4 else year - 1
    first = f"{start + 1}-03" if dataset == "health_assessments" else f"{start}-04"
    return dict(first_month=first, last_month=f"{start + 1}-03", as_at=dt.date(start + 1, 3, 31),
                complete_for=RETURN_RULES.get(dataset, "none"), fields=RETURN_FIELDS.get(dataset))


def upgrade() -> None:
    bind = op.get_bind()
    op.create_table(
        "column_mappings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("council", sa.String(16), nullable=False),
        sa.Column("dataset", sa.String(40), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("column_headers", sa.Text, nullable=False),
        sa.Column("value_aliases", sa.Text, nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(120), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
    )
    op.create_index("one_mapping_version", "column_mappings", ["council", "dataset", "version"], unique=True)
    op.drop_index("one_current_extract", table_name="extracts")
    with op.batch_alter_table("extracts") as batch:
        for column in (sa.Column("first_month", sa.String(7)), sa.Column("last_month", sa.String(7)),
                       sa.Column("as_at", sa.Date), sa.Column("complete_for", sa.String(120)),
                       sa.Column("fields", sa.Text), sa.Column("mapping_id", sa.Integer),
                       sa.Column("changes", sa.Text)):
            batch.add_column(column)
    rows = bind.execute(sa.select(extracts.c.id, extracts.c.dataset, extracts.c.period,
                                  extracts.c.source_format)).all()
    for extract_id, dataset, period, source_format in rows:
        bind.execute(sa.update(extracts).where(extracts.c.id == extract_id)
                     .values(**_coverage(dataset, period, source_format)))
    _one_current_per_span(bind)
    with op.batch_alter_table("extracts") as batch:
        for name, kind in (("first_month", sa.String(7)), ("last_month", sa.String(7)), ("as_at", sa.Date),
                           ("complete_for", sa.String(120))):
            batch.alter_column(name, existing_type=kind, nullable=False)
        batch.create_foreign_key("extracts_mapping", "column_mappings", ["mapping_id"], ["id"])
        batch.drop_column("period")
    op.create_index("one_current_extract", "extracts",
                    ["council", "dataset", "first_month", "last_month", "source_format"], unique=True,
                    sqlite_where=sa.text("status = 'current'"), postgresql_where=sa.text("status = 'current'"))
    with op.batch_alter_table("children_in_care") as batch:
        batch.alter_column("period_start", existing_type=sa.Date, nullable=True)
    returns = sa.select(extracts.c.id).where(extracts.c.source_format == "ssda903").scalar_subquery()
    cic = sa.table("children_in_care", sa.column("extract_id", sa.Integer), sa.column("period_start", sa.Date))
    bind.execute(sa.update(cic).where(cic.c.extract_id.in_(returns)).values(period_start=None))
    with op.batch_alter_table("health_assessments") as batch:
        batch.alter_column("assessment_type", existing_type=sa.String(10), type_=sa.String(20),
                           existing_nullable=False)


def _one_current_per_span(bind) -> None:
    """Where two current extracts now cover the same months in the same format (two 903
    loads of one year, with different months as --period), the later supersedes the earlier."""
    rows = bind.execute(sa.select(extracts.c.id, extracts.c.council, extracts.c.dataset, extracts.c.first_month,
                                  extracts.c.last_month, extracts.c.source_format)
                        .where(extracts.c.status == "current").order_by(extracts.c.id)).all()
    latest: dict[tuple, int] = {}
    for extract_id, *span in rows:
        latest[tuple(span)] = extract_id
    for extract_id, *span in rows:
        if latest[tuple(span)] != extract_id:
            bind.execute(sa.update(extracts).where(extracts.c.id == extract_id)
                         .values(status="superseded", superseded_by=latest[tuple(span)]))


def downgrade() -> None:
    """One way only: the upgrade merges what cannot be split again (two current 903 loads of
    one year become one superseding the other) and empties the 903 rows' period_start,
    which the first release's tables require. Going back is restoring the backup taken
    before upgrading (README, "Upgrading a store")."""
    raise RuntimeError("a store upgraded past the first release cannot be taken back to it: the upgrade merged "
                       "SSDA903 loads and emptied their period starts; restore the backup taken before upgrading")
