"""What the store holds, summarised for people: the latest month of each dataset."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from scorecard import store


@dataclass(frozen=True)
class DatasetSummary:
    dataset: str
    latest_period: str
    months: int
    rows_in_latest: int
    source_file: str


def loaded_summary(council: str, engine=None) -> list[DatasetSummary]:
    """One line per dataset: the latest month loaded, how many months, and its file."""
    extracts = store.extracts
    engine = engine or store.engine()
    with store.read_connection(engine) as conn:
        latest = (
            select(extracts.c.dataset, func.max(extracts.c.period).label("period"),
                   func.count().label("months"))
            .where(extracts.c.council == council, extracts.c.status == store.CURRENT)
            .group_by(extracts.c.dataset)
            .subquery()
        )
        query = (
            select(latest.c.dataset, latest.c.period, latest.c.months, extracts.c.row_count, extracts.c.source_file)
            .join(extracts, (extracts.c.dataset == latest.c.dataset) & (extracts.c.period == latest.c.period))
            .where(extracts.c.council == council, extracts.c.status == store.CURRENT)
            .order_by(latest.c.dataset)
        )
        return [DatasetSummary(*row) for row in conn.execute(query)]
