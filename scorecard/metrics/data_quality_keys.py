"""Records by the key that identifies them across files (`scorecard.vocabulary.RECORD_KEYS`),
as text, whether read from the store's rows or from the metrics' frames, so the two compare."""
from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import Date, DateTime

from scorecard import store
from scorecard.vocabulary import RECORD_KEYS


def key_columns(dataset: str) -> list[str]:
    """The stored columns a dataset's key is read from."""
    names = []
    for name in RECORD_KEYS[dataset]:
        names += ["date_due", "date_completed"] if name == "due_or_done" else [name]
    return names


def stored_keys(dataset: str, names: list[str], rows: list[tuple]) -> list[tuple]:
    """Each stored record's key as text (dates to the minute), the health key's due date
    falling back to the date done, as `RECORD_KEYS` reads it."""
    table = store.RECORD_TABLES[dataset]
    at = {name: i for i, name in enumerate(names)}

    def value(row, name):
        if name == "due_or_done":
            raw, column = row[at["date_due"]] or row[at["date_completed"]], table.c.date_due
        else:
            raw, column = row[at[name]], table.c[name]
        if raw is None:
            return ""
        if isinstance(column.type, DateTime):  # as `key_text` writes a time: to the minute, none at midnight
            return str(raw).replace("T", " ")[:16].removesuffix(" 00:00")
        return str(raw)[:10] if isinstance(column.type, Date) else str(raw)
    return [tuple(value(row, name) for name in RECORD_KEYS[dataset]) for row in rows]


def frame_keys(frame: pd.DataFrame, dataset: str) -> list[tuple]:
    """Each row's key, as `stored_keys` writes a stored record's."""
    columns = [key_text(frame[name]) for name in RECORD_KEYS[dataset]]
    return list(zip(*columns)) if len(frame) else []


def record_names(dataset: str, frame: pd.DataFrame) -> np.ndarray:
    """Each record by the rest of the key that identifies it across files ('episode_start
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
