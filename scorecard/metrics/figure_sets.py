"""Each council's figures computed once per load and kept in the store, not by every worker.

After a load, `refresh(engine, council)` computes the council's figures for every month
from its records and keeps them (`scorecard.store.figures`), with each month's decision
of what public outputs hide. A page then reads the kept set: a few thousand rows, not a
recomputation from hundreds of thousands of records in every web worker.

A set is named by its `basis`: the council's current extract ids, the catalogue and a
fingerprint of the code and reference data that compute figures. So a set is never read
for other data, another catalogue or another release of the code; and a load by one
council leaves every other council's set as it was. When no set matches (a store loaded
by an older release, or a load whose refresh did not run), the first reader computes it
and keeps it for the others.

A month's decision depends only on that month's counts: a new set takes the decision an
earlier set made on the same counts (by digest) and decides only the months that changed.
"""
from __future__ import annotations

import functools
import hashlib
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path

import pandas as pd
from sqlalchemy.engine import Connection, Engine

from scorecard import store
from scorecard.councils import LOCAL_COUNCILS, POPULATION
from scorecard.metrics.catalogue import Catalogue
from scorecard.metrics.compute import COLUMNS, TOTAL, compute
from scorecard.metrics.disclosure import Decision
from scorecard.metrics.records import EXTRACT_COLUMNS, Records, load_records
from scorecard.metrics.reference import POPULATION_PATH
from scorecard.metrics.suppression import decide
from scorecard.settings import PROJECT_ROOT, REFERENCE_DIR

_SCORECARD = PROJECT_ROOT / "scorecard"
# What a figure is computed from besides the records and the catalogue: a change to any
# of these in a new release makes every kept set stale.
CODE_FILES = (sorted((_SCORECARD / "metrics").glob("*.py"))
              + [_SCORECARD / name for name in ("codes.py", "vocabulary.py", "periods.py", "councils.py",
                                                "measures.py")]
              + sorted((REFERENCE_DIR / "codes").glob("*")) + [POPULATION_PATH, POPULATION, LOCAL_COUNCILS])


@functools.cache
def code_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in CODE_FILES:
        if Path(path).is_file():
            digest.update(str(Path(path).relative_to(PROJECT_ROOT)).encode())
            digest.update(Path(path).read_bytes())
    return digest.hexdigest()


_CATALOGUE_PRINTS: dict[int, tuple[Catalogue, str]] = {}


def catalogue_fingerprint(catalogue: Catalogue) -> str:
    kept = _CATALOGUE_PRINTS.get(id(catalogue))
    if kept is None or kept[0] is not catalogue:
        kept = _CATALOGUE_PRINTS[id(catalogue)] = catalogue, hashlib.sha256(
            catalogue.model_dump_json().encode()).hexdigest()
    return kept[1]


def basis(extract_ids: Sequence[int], catalogue: Catalogue) -> str:
    """What names a set: the extracts, the catalogue and the code it was computed from."""
    text = f"{code_fingerprint()}|{catalogue_fingerprint(catalogue)}|{','.join(map(str, sorted(extract_ids)))}"
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class FigureSet:
    """One council's figures for every indicator and month, as `compute` gives them, with
    the current extracts they came from (EXTRACT_COLUMNS) and the id of the kept set."""
    set_id: int | None
    """None: computed here and not kept (the store may only be read by this process)."""
    values: pd.DataFrame
    extracts: pd.DataFrame
    records: Records | None = None
    """The records it was computed from, when this process computed it (else loaded when needed)."""


def read(conn: Connection, council: str, catalogue: Catalogue) -> FigureSet | None:
    """The kept set for the council's current extracts, read on `conn` (a snapshot), or None."""
    extracts = pd.DataFrame(store.current_extracts(conn, council), columns=EXTRACT_COLUMNS)
    found = store.figure_set(conn, council, basis(extracts["id"].tolist(), catalogue))
    if found is None:
        return None
    return FigureSet(found["id"], _values_frame(store.figure_columns(conn, found["id"]), catalogue), extracts)


def computed(engine: Engine, council: str, catalogue: Catalogue) -> FigureSet:
    """The council's figures computed from its records now, and kept."""
    started = time.perf_counter()
    records = load_records(engine, council)
    values = compute(records, catalogue)
    ids = records.extracts["id"].tolist()
    set_id = store.store_figure_set(engine, council, basis(ids, catalogue), ids, _figure_columns(values),
                                    time.perf_counter() - started)
    return FigureSet(set_id, values, records.extracts, records)


def figures_for(engine: Engine, council: str, catalogue: Catalogue) -> FigureSet:
    """The kept set for the council's current extracts, computed and kept if there is none."""
    with store.snapshot_connection(engine) as conn:
        found = read(conn, council, catalogue)
    return found or computed(engine, council, catalogue)


def refresh(engine: Engine, council: str, catalogue: Catalogue) -> dict:
    """After a load: the council's figures and every month's decision computed and kept, so
    that no reader computes them. Months whose counts are unchanged take their earlier
    decision. Returns what was done (for the load's message and the benchmarks)."""
    started = time.perf_counter()
    figures = figures_for(engine, council, catalogue)
    periods = sorted(set(figures.values["period"]))
    stats = decisions(engine, figures.set_id, council, catalogue, periods,
                      figures.records or (lambda: load_records(engine, council)))[1]
    return {"council": council, "set_id": figures.set_id, "months": len(periods), **stats,
            "seconds": time.perf_counter() - started}


def describe(done: dict) -> str:
    """A refresh in words: "36 months; disclosure decided for 1 month, 35 unchanged (2.1 s)"."""
    def months(n: int) -> str:
        return f"{n} month{'s' if n != 1 else ''}"
    unchanged = done["decisions_reused"] + done["decisions_kept"]
    return (f"{months(done['months'])}; disclosure decided for {months(done['decisions_made'])}, "
            f"{unchanged} unchanged ({done['seconds']:.1f} s)")


def decisions(engine: Engine, set_id: int | None, council: str, catalogue: Catalogue, periods: Sequence[str],
              records: Records | Callable[[], Records]) -> tuple[dict[str, Decision], dict]:
    """Each month's decision of which figures public outputs hide: the set's kept ones, the
    council's earlier ones made on the same counts, and the rest decided now and kept."""
    wanted = list(dict.fromkeys(periods))
    with store.read_connection(engine) as conn:
        kept = store.decisions(conn, set_id, wanted) if set_id is not None else {}
    found = {period: _decision(hidden, period) for period, (_, hidden) in kept.items()}
    missing = [p for p in wanted if p not in found]
    stats = {"decisions_kept": len(found), "decisions_reused": 0, "decisions_made": 0}
    if not missing:
        return found, stats
    records = records() if callable(records) else records
    counts = compute(records, catalogue, breakdowns=True, periods=missing, lineage=False)
    by_month = dict(tuple(counts.groupby("period", sort=False))) if len(counts) else {}
    digests = {p: _counts_digest(by_month.get(p), catalogue) for p in missing}
    with store.read_connection(engine) as conn:
        earlier = store.decisions_by_digest(conn, council, sorted(set(digests.values())))
    new = {}
    for period in missing:
        hidden = earlier.get(digests[period])
        if hidden is None:
            month = by_month.get(period, counts.iloc[0:0])
            hidden = _hidden_json(decide(month, catalogue, True))
            stats["decisions_made"] += 1
        else:
            stats["decisions_reused"] += 1
        new[period] = (digests[period], hidden)
        found[period] = _decision(hidden, period)
    store.store_decisions(engine, set_id, new)
    return found, stats


# --- how figures and decisions are kept ------------------------------------------------

def _figure_columns(values: pd.DataFrame) -> dict[str, list]:
    totals = values[values["breakdown"] == TOTAL] if "breakdown" in values else values
    columns = {name: [None if _missing(v) else v for v in totals[name]] for name in store.FIGURE_COLUMNS}
    columns["extract_ids"] = [";".join(map(str, ids)) if ids else "" for ids in totals["extract_ids"]]
    return columns


def _values_frame(columns: dict[str, list], catalogue: Catalogue) -> pd.DataFrame:
    """The kept figures as `compute` gives them (its columns and types), so that every
    reader sees the same table whether the figures were computed here or read."""
    parsed: dict[str, tuple[int, ...]] = {}   # a month's figures mostly share their extracts' list

    def extract_ids(text: str | None) -> tuple[int, ...]:
        if text not in parsed:
            parsed[text] = tuple(map(int, text.split(";"))) if text else ()
        return parsed[text]
    rows = zip(columns["indicator"], columns["period"], repeat(TOTAL), repeat(TOTAL), columns["numerator"],
               columns["denominator"], columns["value"], map(extract_ids, columns["extract_ids"]),
               (note or "" for note in columns["note"]), columns["incomplete"],
               (note or "" for note in columns["history_note"]))
    # In compute()'s order (month by month, the indicators in catalogue order), and built as
    # it builds its table, so the columns' types are the ones it gives.
    position = {indicator.id: i for i, indicator in enumerate(catalogue.indicators)}
    ordered = sorted(rows, key=lambda row: (row[1], position.get(row[0], len(position))))
    return pd.DataFrame.from_records(ordered, columns=COLUMNS)


def _counts_digest(month: pd.DataFrame | None, catalogue: Catalogue) -> str:
    digest = hashlib.sha256(f"{code_fingerprint()}|{catalogue_fingerprint(catalogue)}".encode())
    if month is not None:
        rows = month[["indicator", "breakdown", "group", "numerator", "denominator", "note"]].astype(object)
        rows = rows.where(rows.notna(), None).to_numpy().tolist()
        digest.update(json.dumps(sorted(rows, key=repr), default=_plain).encode())
    return digest.hexdigest()


def _hidden_json(decision: Decision) -> str:
    return json.dumps(sorted(([indicator, breakdown, group, reason]
                              for (indicator, _, breakdown, group), reason in decision.hidden.items()), key=repr),
                      default=_plain)


def _decision(hidden: str, period: str) -> Decision:
    return Decision({(indicator, period, breakdown, _tupled(group)): reason
                     for indicator, breakdown, group, reason in json.loads(hidden)})


def _tupled(value):
    # JSON has no tuples: a two-way table's group is a pair.
    return tuple(_tupled(v) for v in value) if isinstance(value, list) else value


def _plain(value):
    return value.item() if hasattr(value, "item") else str(value)


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value))
