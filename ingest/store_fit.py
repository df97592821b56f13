"""Whether a table's text fits the store's columns, checked before anything is written.

The record tables' text columns have lengths (a child id is at most 40 characters), and
PostgreSQL refuses a longer value, or a NUL character in any text, by failing the whole
load with a driver traceback; SQLite takes both without a word, so the same file would load
on one store and not the other. The lengths are read from the store's own table definitions
(`scorecard.store.RECORD_TEXT_COLUMNS`), so a schema change moves the check with it. Each
value that does not fit is an error at its row and column, like any other.
"""
from __future__ import annotations

from collections.abc import Iterable

from ingest.parse import Table
from ingest.problems import Problem
from scorecard import store

SHOWN = 40
"""Characters of a long value quoted in its problem."""


def check_tables(tables: Iterable[Table]) -> list[Problem]:
    problems: list[Problem] = []
    for table in tables:
        for what, text in (("its name", table.file), ("the sheet's name", table.sheet or "")):
            if "\x00" in text:  # both are stored with the extract
                problems.append(Problem("type-error", f"{what} holds a NUL character (a zero byte), which the store "
                                        "cannot hold: rename it", file=_shown(table.file),
                                        sheet=_shown(table.sheet) if table.sheet else None))
        lengths = store.RECORD_TEXT_COLUMNS.get(table.dataset.name, {})
        for name, values in table.columns.items():
            if name in lengths:
                problems += _check_column(table, name, values, lengths[name])
    return problems


def _check_column(table: Table, name: str, values: list, length: int | None) -> list[Problem]:
    # Most values are fine and many repeat: look at each distinct one once, at C speed.
    unfit = {v for v in set(values) if v.__class__ is str and ((length is not None and len(v) > length) or "\x00" in v)}
    if not unfit:
        return []
    written = table.headers.get(name, name)
    problems = []
    for i, value in enumerate(values):
        if value not in unfit:
            continue
        if "\x00" in value:
            message = (f"{written} holds a NUL character (a zero byte, invisible in Excel) at position "
                       f"{value.index(chr(0)) + 1}, which the store cannot hold: retype the cell or clear it")
        else:
            message = (f"'{_shown(value)}' is {len(value):,} characters long; {written} holds at most {length:,}: "
                       "check the column holds what its header says")
        code = "type-error" if "\x00" in value else "constraint-error"
        problems.append(Problem(code, message, file=table.file, sheet=table.sheet,
                                row=table.source_rows[i], column=written, value=_shown(value)))
    return problems


def _shown(value: str) -> str:
    shown = value.replace("\x00", "\\0")
    return shown if len(shown) <= SHOWN else shown[:SHOWN] + "..."
