"""Saved column mappings: an export's own wording, told once and used by every later load.

An analyst whose system writes "Date Went AWOL" for the date a child went missing says
so once (`scorecard mapping set`), per council and dataset; every later load of that
council's exports reads the column as that field. Council-specific words for codes
("Parent said no" for refused_parent) are saved the same way (`scorecard mapping value`).

Every change is a new version of the council's mapping for the dataset; none is ever
deleted, and each extract records the version its load used.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy.engine import Connection

from ingest.datasets import DATASETS
from ingest.schema import Dataset, Kind
from scorecard import store
from scorecard.codes import code_list, token


class MappingError(ValueError):
    """A mapping that cannot be saved: an unknown dataset, field or code."""


@dataclass(frozen=True)
class ColumnMapping:
    """One version of a council's mapping for one dataset."""

    council: str
    dataset: str
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """field -> headers as written in the council's exports."""
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    """field -> {value as written: code}."""
    version: int = 0
    id: int | None = None

    @property
    def header_fields(self) -> dict[str, str]:
        """token of a mapped header -> field name."""
        return {token(header): name for name, headers in self.columns.items() for header in headers}

    def value_aliases(self, field_name: str) -> dict[str, str]:
        """token of a mapped value -> code, for one coded field."""
        return {token(written): code for written, code in self.values.get(field_name, {}).items()}

    def describe(self) -> list[str]:
        """The mapping as lines a person reads ('"Date Went AWOL" -> missing_from')."""
        lines = [f"'{header}' -> {name}" for name, headers in sorted(self.columns.items()) for header in headers]
        lines += [f"{name}: '{written}' -> {code}" for name, values in sorted(self.values.items())
                  for written, code in sorted(values.items())]
        return lines


def _from_row(row: dict) -> ColumnMapping:
    columns = {name: tuple(headers) for name, headers in json.loads(row["column_headers"]).items()}
    return ColumnMapping(row["council"], row["dataset"], columns, json.loads(row["value_aliases"]),
                         row["version"], row["id"])


def current_mappings(conn: Connection | None, council: str) -> dict[str, ColumnMapping]:
    """The council's current mapping for each dataset that has one."""
    if conn is None:
        return {}
    rows = store.current_mappings(conn, council)
    return {name: _from_row(rows[name]) for name in DATASETS if name in rows}


def history(conn: Connection, council: str | None = None, dataset: str | None = None) -> list[tuple[dict, ColumnMapping]]:
    """Every saved version (its row: who, when, note; and the mapping), oldest first."""
    return [(row, _from_row(row)) for row in store.mapping_versions(conn, council, dataset)]


def _dataset(name: str) -> Dataset:
    if name not in DATASETS:
        raise MappingError(f"there is no dataset '{name}' (choose from {', '.join(DATASETS)})")
    return DATASETS[name]


def _field(dataset: Dataset, name: str):
    for f in dataset.fields:
        if f.name == name:
            return f
    raise MappingError(f"the {dataset.title.lower()} dataset has no field '{name}' (its fields: "
                       f"{', '.join(f.name for f in dataset.fields)})")


def _save(conn: Connection, council: str, dataset: str, columns: dict, values: dict, note: str,
          by: str) -> ColumnMapping:
    row = store.save_mapping(conn, council, dataset, json.dumps(columns, sort_keys=True),
                             json.dumps(values, sort_keys=True), note, by, dt.datetime.now(dt.timezone.utc))
    return _from_row(row)


def _current(conn: Connection, council: str, dataset: str) -> ColumnMapping:
    row = store.current_mapping(conn, council, dataset)
    return _from_row(row) if row else ColumnMapping(council, dataset)


def set_column(conn: Connection, council: str, dataset: str, field_name: str, header: str,
               by: str) -> ColumnMapping:
    """Map a header as written in the council's exports to a field (a new version). A header
    already mapped to another field of the dataset moves to this one."""
    f = _field(_dataset(dataset), field_name)
    header = " ".join(header.split())
    if not header:
        raise MappingError("give the header as it is written in the export")
    current = _current(conn, council, dataset)
    columns = {name: [h for h in headers if token(h) != token(header)] for name, headers in current.columns.items()}
    columns = {name: headers for name, headers in columns.items() if headers}
    columns.setdefault(f.name, []).append(header)
    return _save(conn, council, dataset, columns, {k: dict(v) for k, v in current.values.items()},
                 f"'{header}' -> {f.name}", by)


def set_value(conn: Connection, council: str, dataset: str, field_name: str, written: str, code: str,
              by: str) -> ColumnMapping:
    """Say that a value as written in the council's exports means a code (a new version)."""
    f = _field(_dataset(dataset), field_name)
    if f.kind is not Kind.CODE:
        raise MappingError(f"{f.name} is not a coded field, so its values cannot be mapped to codes")
    codes = code_list(f.codes)
    if code not in codes.codes:
        raise MappingError(f"'{code}' is not a {codes.name.replace('_', ' ')} code (the codes: {codes.describe(40)})")
    written = " ".join(written.split())
    current = _current(conn, council, dataset)
    values = {k: dict(v) for k, v in current.values.items()}
    values.setdefault(f.name, {})[written] = code
    return _save(conn, council, dataset, {k: list(v) for k, v in current.columns.items()}, values,
                 f"{f.name}: '{written}' -> {code}", by)


def unset(conn: Connection, council: str, dataset: str, field_name: str, header: str | None = None,
          value: str | None = None, by: str = "") -> ColumnMapping:
    """Remove a mapped header (or every header of the field when `header` is None), or one
    mapped value, as a new version."""
    f = _field(_dataset(dataset), field_name)
    current = _current(conn, council, dataset)
    columns = {k: list(v) for k, v in current.columns.items()}
    values = {k: dict(v) for k, v in current.values.items()}
    if value is not None:
        kept = {w: c for w, c in values.get(f.name, {}).items() if token(w) != token(value)}
        if len(kept) == len(values.get(f.name, {})):
            raise MappingError(f"no value '{value}' is mapped for {f.name}")
        values[f.name] = kept
        note = f"{f.name}: '{value}' unmapped"
    else:
        before = columns.get(f.name, [])
        after = [h for h in before if header is not None and token(h) != token(header)]
        if len(after) == len(before):
            raise MappingError(f"no header {'' if header is None else repr(header) + ' '}is mapped to {f.name}")
        columns[f.name] = after
        note = f"{f.name}: {'every header' if header is None else repr(header)} unmapped"
    columns = {k: v for k, v in columns.items() if v}
    values = {k: v for k, v in values.items() if v}
    return _save(conn, council, dataset, columns, values, note, by)


def load_rows(conn: Connection, council: str, rows: Iterable[dict], by: str) -> list[ColumnMapping]:
    """Apply a mapping file's rows (dataset, field, header | value and code), each a change;
    every row is checked before any is saved."""
    rows = list(rows)
    for number, row in enumerate(rows, start=2):
        try:
            f = _field(_dataset(row.get("dataset", "")), row.get("field", ""))
            if row.get("value"):
                codes = code_list(f.codes) if f.codes else None
                if codes is None or row.get("code") not in codes.codes:
                    raise MappingError(f"'{row.get('code')}' is not a code of {f.name}")
            elif not row.get("header"):
                raise MappingError("give a header (or a value and its code)")
        except MappingError as exc:
            raise MappingError(f"row {number}: {exc}") from exc
    saved = []
    for row in rows:
        if row.get("value"):
            saved.append(set_value(conn, council, row["dataset"], row["field"], row["value"], row["code"], by))
        else:
            saved.append(set_column(conn, council, row["dataset"], row["field"], row["header"], by))
    return saved


def mapping_command(council: str, dataset: str, field_name: str, header: str) -> str:
    """The command that maps a header, for messages."""
    return (f"scorecard mapping set --council {council} --dataset {dataset} --field {field_name} "
            f"--header {_quoted(header)}")


def value_command(council: str, dataset: str, field_name: str, written: str) -> str:
    return (f"scorecard mapping value --council {council} --dataset {dataset} --field {field_name} "
            f"--value {_quoted(written)} --code CODE")


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"
