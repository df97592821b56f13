"""Records by the key that identifies them across files (`scorecard.vocabulary.RECORD_KEYS`),
whether read from the store's rows or from the metrics' frames, typed alike so the two
compare (an index lookup, not text built for every record)."""
from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import Date, DateTime

from scorecard import store
from scorecard.vocabulary import RECORD_KEYS


def key_columns(dataset: str) -> list[str]:
    """The stored columns a dataset's key is read from (the health key's date is the due
    date, or with none the date done)."""
    names = []
    for name in RECORD_KEYS[dataset]:
        names += ["date_due", "date_completed"] if name == "due_or_done" else [name]
    return names


def key_frame(dataset: str, names: list[str], rows: list[tuple]) -> pd.DataFrame:
    """Stored rows (dates as ISO text, as the store's queries give them) with their key
    columns typed as the metrics' frames type them (`scorecard.metrics.records`)."""
    # Column by column: pandas inspects each SQLAlchemy row as a record otherwise, which
    # costs more than the query (as `records.load_records` says).
    columns = zip(*rows) if rows else ([] for _ in names)
    stored = pd.DataFrame({name: pd.Series(values, dtype=object) for name, values in zip(names, columns)})
    if "due_or_done" in RECORD_KEYS[dataset]:
        stored["due_or_done"] = stored["date_due"].where(stored["date_due"].notna(), stored["date_completed"])
    table = store.RECORD_TABLES[dataset]
    for name in RECORD_KEYS[dataset]:
        column = table.c["date_due" if name == "due_or_done" else name]
        if isinstance(column.type, (Date, DateTime)):
            stored[name] = pd.to_datetime(stored[name], format="ISO8601").astype("datetime64[s]")
        else:
            stored[name] = stored[name].astype(object)
    return stored


def key_index(frame: pd.DataFrame, dataset: str) -> pd.Index:
    """The frame's keys, one per row, to look others up in."""
    key = list(RECORD_KEYS[dataset])
    return pd.MultiIndex.from_frame(frame[key]) if len(key) > 1 else pd.Index(frame[key[0]])


def record_names(dataset: str, frame: pd.DataFrame) -> np.ndarray:
    """Each record by the rest of the key that identifies it across files ('episode start
    2024-01-05'), as text: the child id has its own column."""
    key = [k for k in RECORD_KEYS[dataset] if k != "child_id" and k in frame]
    parts = [key_text(frame[k]) for k in key]
    return np.array([", ".join(f"{k.replace('_', ' ')} {v}" for k, v in zip(key, values))
                     for values in zip(*parts)] if key else [""] * len(frame), dtype=object)


def key_text(column: pd.Series) -> np.ndarray:
    """A key column as text: dates as YYYY-MM-DD (with the time where there is one)."""
    if pd.api.types.is_datetime64_any_dtype(column):
        values = column.dt.strftime("%Y-%m-%d %H:%M").str.removesuffix(" 00:00")
        return values.fillna("").to_numpy(dtype=object)
    return column.astype(object).where(column.notna(), "").astype(str).to_numpy(dtype=object)
