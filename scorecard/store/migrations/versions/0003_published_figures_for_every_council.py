"""The DfE's published figures for every council, region and England, by release.

- published_releases, published_figures: new. A release is one imported file (its
  content's sha256 says whether it is already in); a figure is one measure for one area
  and year, with its state (published, or the EES symbol's meaning: suppressed, rounds to
  zero, not available, not applicable).
- benchmarks (England, regional and neighbour figures loaded from a CSV, by indicator):
  each source file's rows become a release of layout `csv`, and the table goes. England
  and regional rows keep their meaning (levels national and regional); a neighbour row,
  a figure for the council's neighbours rather than for an area, is kept with level
  `statistical_neighbours` and the council's code, and no comparator reads it.

The tables are written out here as they stand at this revision, not imported, so that
the migration means the same whatever the code becomes.

Revision ID: 0003
Revises: 0002
"""
from __future__ import annotations

import datetime as dt
import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

LEVELS = {"england": "national", "region": "regional", "statistical_neighbours": "statistical_neighbours"}


def _tables() -> tuple[sa.Table, sa.Table]:
    metadata = sa.MetaData()
    releases = sa.Table(
        "published_releases", metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source_file", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("layout", sa.String(16), nullable=False),
        sa.Column("latest_year", sa.Integer, nullable=False),
        sa.Column("figure_count", sa.Integer, nullable=False),
        sa.Column("not_mapped", sa.Text),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("loaded_by", sa.String(120), nullable=False),
    )
    figures = sa.Table(
        "published_figures", metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("release_id", sa.Integer, sa.ForeignKey("published_releases.id"), nullable=False),
        sa.Column("measure", sa.String(200), nullable=False),
        sa.Column("indicator", sa.String(80), nullable=False),
        sa.Column("area_code", sa.String(16), nullable=False),
        sa.Column("level", sa.String(24), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("value", sa.Float),
        sa.Column("numerator", sa.Float),
        sa.Column("denominator", sa.Float),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Index("published_by_indicator", "indicator", "year"),
    )
    return releases, figures


def _year(period_end: dt.date) -> int:
    """The year ending 31 March that a figure's day falls in."""
    return period_end.year if period_end.month <= 3 else period_end.year + 1


def upgrade() -> None:
    bind = op.get_bind()
    releases, figures = _tables()
    releases.create(bind)
    figures.create(bind)
    old = sa.table("benchmarks", *(sa.column(name, sa.String) for name in (
        "indicator", "comparator", "area_code", "publication", "source_file", "loaded_by")),
        sa.column("period_end", sa.Date), sa.column("value", sa.Float),
        sa.column("loaded_at", sa.DateTime(timezone=True)))
    rows = bind.execute(sa.select(old)).mappings().all()
    by_file: dict[str, list] = {}
    for row in rows:
        by_file.setdefault(row["source_file"], []).append(row)
    for source_file, group in by_file.items():
        period_ends = [r["period_end"] for r in group]
        release_id = bind.execute(releases.insert().values(
            source_file=source_file, sha256=hashlib.sha256(f"benchmarks table: {source_file}".encode()).hexdigest(),
            layout="csv", latest_year=max(_year(day) for day in period_ends), figure_count=len(group),
            not_mapped=None, loaded_at=max(r["loaded_at"] for r in group), loaded_by=group[0]["loaded_by"],
        )).inserted_primary_key[0]
        bind.execute(figures.insert(), [
            dict(release_id=release_id, measure=f"csv:{source_file}:{r['indicator']}", indicator=r["indicator"],
                 area_code=r["area_code"], level=LEVELS.get(r["comparator"], r["comparator"]), year=_year(day),
                 value=r["value"], numerator=None, denominator=None, state="published")
            for r, day in zip(group, period_ends, strict=True)])
    op.drop_table("benchmarks")


def downgrade() -> None:
    raise RuntimeError("a store is not taken back to an earlier release: restore the backup taken before upgrading")
