"""Figures computed once per load, kept so that no web worker computes them again.

A set holds one council's figure for every indicator and month, computed from exactly
the extracts that were current then (`basis` names them, with the catalogue and the code
that computed it, as a digest made by the metrics layer). Each month's suppression
decision is kept beside it with a digest of the counts it was decided on, so a later set
whose month has the same counts takes the decision instead of making it again.

Two processes may compute the same set at once (two workers starting after a load): the
unique index on (council, basis) lets one win, and the other reads the winner's.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from scorecard.store.bulk import insert_columns
from scorecard.store.connections import write_transaction
from scorecard.store.refusals import StoreReadOnly
from scorecard.store.tables import (
    CURRENT,
    computed_figures,
    extracts,
    figure_sets,
    published_releases,
    suppression_decisions,
    target_settings,
)

_log = logging.getLogger(__name__)
FIGURE_COLUMNS = ("indicator", "period", "numerator", "denominator", "value", "extract_ids", "note", "incomplete",
                  "history_note")
SETS_KEPT = 3
"""Sets kept per council: the newest, and two before it for workers still reading them."""


def current_extract_ids(conn: Connection, council: str) -> list[int]:
    """The council's current extracts: what a set of its figures must have been made from."""
    query = select(extracts.c.id).where(extracts.c.council == council, extracts.c.status == CURRENT)
    return sorted(conn.scalars(query))


def figures_state(conn: Connection, councils: Sequence[str], council: str) -> tuple:
    """Changes whenever what a council's page shows could: the current extracts of the
    council and of `councils` (its neighbours), a benchmark release, or a target the
    council set. Not commentary (read fresh), nor another council's load: a cache key.

    Extracts are only added (superseding marks the earlier one), so each council's count,
    highest and summed current ids change with any load that changes its figures; the
    latest load's time tells a store emptied and loaded again to the same ids (a restore,
    a test database) from the one before, which a worker may live through."""
    wanted = sorted({council, *councils})
    per_council = conn.execute(
        select(extracts.c.council, func.count(), func.max(extracts.c.id), func.sum(extracts.c.id),
               func.max(extracts.c.loaded_at))
        .where(extracts.c.council.in_(wanted), extracts.c.status == CURRENT)
        .group_by(extracts.c.council).order_by(extracts.c.council)).all()
    releases = published_state(conn)
    targets = conn.execute(select(func.count(), func.max(target_settings.c.id), func.max(target_settings.c.set_at))
                           .where(target_settings.c.council == council)).one()
    return tuple(map(tuple, per_council)), releases, tuple(targets)


def published_state(conn: Connection) -> tuple:
    """Changes whenever a benchmark release is imported (releases are only added, and a
    release's figures only grow; the latest import's time tells a store emptied and filled
    again): what a process's copy of the published figures is kept by."""
    return tuple(conn.execute(select(func.count(), func.max(published_releases.c.id),
                                     func.sum(published_releases.c.figure_count),
                                     func.max(published_releases.c.loaded_at))).one())


def figure_set(conn: Connection, council: str, basis: str) -> dict | None:
    row = conn.execute(select(figure_sets).where(figure_sets.c.council == council,
                                                 figure_sets.c.basis == basis)).first()
    return dict(row._mapping) if row else None


def figure_columns(conn: Connection, set_id: int) -> dict[str, list]:
    """A set's figures, column by column (FIGURE_COLUMNS)."""
    query = select(*(computed_figures.c[name] for name in FIGURE_COLUMNS)).where(
        computed_figures.c.figure_set_id == set_id)
    rows = conn.execute(query).all()
    return {name: [row[i] for row in rows] for i, name in enumerate(FIGURE_COLUMNS)}


def decisions(conn: Connection, set_id: int, periods: Sequence[str] | None = None) -> dict[str, tuple[str, str]]:
    """The set's decided months: period -> (counts digest, hidden figures as JSON)."""
    query = select(suppression_decisions.c.period, suppression_decisions.c.counts_digest,
                   suppression_decisions.c.hidden).where(suppression_decisions.c.figure_set_id == set_id)
    if periods is not None:
        query = query.where(suppression_decisions.c.period.in_(list(periods)))
    return {period: (digest, hidden) for period, digest, hidden in conn.execute(query)}


def decisions_by_digest(conn: Connection, council: str, digests: Sequence[str]) -> dict[str, str]:
    """Decisions any of the council's sets made on these counts: digest -> hidden (JSON)."""
    if not digests:
        return {}
    query = (select(suppression_decisions.c.counts_digest, suppression_decisions.c.hidden)
             .join(figure_sets, figure_sets.c.id == suppression_decisions.c.figure_set_id)
             .where(figure_sets.c.council == council, suppression_decisions.c.counts_digest.in_(list(digests))))
    return dict(conn.execute(query).all())


def store_figure_set(eng: Engine, council: str, basis: str, extract_ids: Sequence[int],
                     figures: Mapping[str, Sequence[Any]], seconds: float) -> int | None:
    """Keep a computed set (figures column by column, FIGURE_COLUMNS) and return its id;
    when another process kept the same set first, the id of theirs; None when the store
    may only be read here (the figures then serve this process only). Older sets of the
    council beyond SETS_KEPT go."""
    row = {"council": council, "basis": basis, "extract_ids": ";".join(map(str, extract_ids)),
           "computed_at": dt.datetime.now(dt.UTC), "seconds": seconds, "figure_count": len(figures["indicator"])}
    try:
        with write_transaction(eng) as conn:
            set_id = conn.execute(figure_sets.insert().values(**row)).inserted_primary_key[0]
            insert_columns(conn, computed_figures, {"figure_set_id": [set_id] * row["figure_count"], **figures})
            _prune(conn, council)
            return set_id
    except IntegrityError:
        with eng.connect() as conn:
            found = figure_set(conn, council, basis)
        if found is None:
            raise
        return found["id"]
    except StoreReadOnly:
        # A read-only file or replica, a role granted SELECT only: the pages still work.
        _log.warning("the store may only be read here: %s's figures are kept in this process only", council)
        return None


def store_decisions(eng: Engine, set_id: int, decided: Mapping[str, tuple[str, str]]) -> None:
    """Keep months' decisions (period -> (counts digest, hidden JSON)) with their set;
    a month another process decided meanwhile keeps theirs (they were made on the same
    counts, so they are the same). A set pruned meanwhile keeps nothing."""
    if not decided or set_id is None:
        return
    with write_transaction(eng) as conn:
        if conn.execute(select(figure_sets.c.id).where(figure_sets.c.id == set_id)).first() is None:
            return
        have = set(decisions(conn, set_id, list(decided)))
        new = {p: d for p, d in decided.items() if p not in have}
    if not new:
        return
    try:
        with write_transaction(eng) as conn:
            insert_columns(conn, suppression_decisions, {
                "figure_set_id": [set_id] * len(new), "period": list(new),
                "counts_digest": [d for d, _ in new.values()], "hidden": [h for _, h in new.values()]})
    except IntegrityError:
        pass  # another worker kept the same months first: made on the same counts, so the same
    except StoreReadOnly:
        pass  # the decisions serve this process only


def _prune(conn: Connection, council: str) -> None:
    ids = list(conn.scalars(select(figure_sets.c.id).where(figure_sets.c.council == council)
                            .order_by(figure_sets.c.id.desc())))
    old = ids[SETS_KEPT:]
    if old:
        # Explicitly, child tables first: foreign-key cascades are not on in every SQLite connection.
        conn.execute(delete(suppression_decisions).where(suppression_decisions.c.figure_set_id.in_(old)))
        conn.execute(delete(computed_figures).where(computed_figures.c.figure_set_id.in_(old)))
        conn.execute(delete(figure_sets).where(figure_sets.c.id.in_(old)))
