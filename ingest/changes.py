"""What a load changes in the store: the load summary an analyst reads before and after.

For one validated table, against the council's current records of its dataset:
- new records, records whose values change (and which fields), records repeated as they were;
- records older than the version already stored from a file as at a later date (that
  version stays: the newest knowledge wins, see the README's "Which record wins");
- the earlier load of the same months that this one supersedes, and its records that
  this file no longer has (they disappear from the figures);
- records of earlier-dated files that this file, being complete for its months, leaves
  out: taken as ended by its first day, or withdrawn (`scorecard.vocabulary.Completeness`).
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Float, Integer
from sqlalchemy.engine import Connection

from ingest.parse import Table
from scorecard import store
from scorecard.periods import month_first
from scorecard.vocabulary import (DATASET_TITLES, RECORD_KEYS, CompleteFile, Completeness, omissions,
                                  same_missing_episodes)

EXAMPLES = 5


@dataclass
class DatasetChanges:
    dataset: str
    rows: int
    new: int = 0
    updated: int = 0
    updated_fields: dict[str, int] = field(default_factory=dict)
    unchanged: int = 0
    older: int = 0
    older_than: str = ""
    superseded: list[dict] = field(default_factory=list)
    """The extracts this load supersedes: id, file, loaded (text)."""
    dropped: int = 0
    dropped_examples: list[str] = field(default_factory=list)
    ended: int = 0
    ended_by: str = ""
    ended_examples: list[str] = field(default_factory=list)
    withdrawn: int = 0
    withdrawn_examples: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The summary as sentences, one per kind of change."""
        title = DATASET_TITLES.get(self.dataset, self.dataset)
        parts = [f"{self.new:,} new"]
        if self.updated:
            fields = ", ".join(f"{name.replace('_', ' ')} {count:,}" for name, count in
                               sorted(self.updated_fields.items(), key=lambda item: -item[1]))
            parts.append(f"{self.updated:,} updated ({fields})")
        parts.append(f"{self.unchanged:,} as already stored")
        lines = [f"{title}: {self.rows:,} records: {'; '.join(parts)}"]
        if self.older:
            lines.append(f"  {self.older:,} are older than the version already stored from a file as at "
                         f"{self.older_than}, which stays")
        for extract in self.superseded:
            lines.append(f"  supersedes extract {extract['id']} ({extract['file']}, loaded {extract['loaded']})")
        if self.dropped:
            lines.append(f"  {self.dropped:,} records of the superseded load are not in this file and no longer "
                         f"count: {_examples(self.dropped_examples, self.dropped)}")
        if self.ended:
            lines.append(f"  {self.ended:,} records earlier files listed as open are not in this file, which lists "
                         f"every one open in its months: taken as ended by {self.ended_by}: "
                         f"{_examples(self.ended_examples, self.ended)}")
        if self.withdrawn:
            lines.append(f"  {self.withdrawn:,} records earlier files listed for these months are not in this "
                         f"file, which lists every one: withdrawn: "
                         f"{_examples(self.withdrawn_examples, self.withdrawn)}")
        return lines

    def to_json(self) -> str:
        return json.dumps(asdict(self), default=str)


def _examples(examples: Sequence[str], count: int) -> str:
    more = f" and {count - len(examples):,} more" if count > len(examples) else ""
    return ", ".join(examples) + more


def _normaliser(column_type):
    """Values as comparable text, whether they come from a file (Python objects) or from
    the store (dates cast to ISO text, booleans as 0/1 or True/False)."""
    if isinstance(column_type, DateTime):
        return lambda v: None if v is None else (v.isoformat(" ") if isinstance(v, dt.datetime) else str(v))[:19]
    if isinstance(column_type, Date):
        return lambda v: None if v is None else (v.isoformat() if isinstance(v, dt.date) else str(v))[:10]
    if isinstance(column_type, Boolean):
        return lambda v: None if v is None else str(bool(int(v)) if isinstance(v, (int, str)) and str(v).isdigit()
                                                     else v in (True, "true", "True", "t"))
    if isinstance(column_type, Float):
        return lambda v: None if v is None else repr(round(float(v), 9))
    if isinstance(column_type, Integer):
        return lambda v: None if v is None else str(int(v))
    return lambda v: None if v is None else str(v)


def _key_columns(dataset: str) -> tuple[str, ...]:
    """The stored columns a record's key is made of (the health key's date is the due date,
    or with none the date done)."""
    names = []
    for name in RECORD_KEYS[dataset]:
        names += ["date_due", "date_completed"] if name == "due_or_done" else [name]
    return tuple(names)


def _keyed(dataset: str, columns: dict[str, Sequence[Any]], names: Sequence[str], count: int) -> list[tuple]:
    """Each row's key, normalised: the health key's due date falls back to the date done."""
    table = store.RECORD_TABLES[dataset]
    parts = []
    for name in RECORD_KEYS[dataset]:
        if name == "due_or_done":
            due, done = columns["date_due"], columns["date_completed"]
            values = [d if d is not None else c for d, c in zip(due, done)]
            parts.append(list(map(_normaliser(table.c.date_due.type), values)))
        else:
            parts.append(list(map(_normaliser(table.c[name].type), columns.get(name, [None] * count))))
    return list(zip(*parts)) if parts else [()] * count


def _describe_key(dataset: str, key: tuple) -> str:
    names = RECORD_KEYS[dataset]
    shown = []
    for name, value in zip(names, key):
        if value and len(value) >= 10 and value[4] == "-" and value[7] == "-":
            value = _day(value)
        shown.append(value if name in ("child_id", "episode_id") else f"{name.replace('_', ' ')} {value}")
    return " ".join(str(s) for s in shown)


def changes_for(conn: Connection, council: str, table: Table) -> DatasetChanges:
    """What loading `table` would change in the council's current records of its dataset."""
    dataset = table.dataset.name
    record_table = store.RECORD_TABLES[dataset]
    compared = table.fields  # a file says nothing about the fields it does not have
    changes = DatasetChanges(dataset=dataset, rows=len(table))
    extracts = {e["id"]: e for e in store.current_extracts(conn, council) if e["dataset"] == dataset}
    same_months = {i for i, e in extracts.items()
                   if (e["first_month"], e["last_month"], e["source_format"]) ==
                   (table.first_month, table.last_month, table.source_format)}
    changes.superseded = [{"id": i, "file": extracts[i]["source_file"],
                           "loaded": f"{extracts[i]['loaded_at']:%d/%m/%Y %H:%M}"} for i in sorted(same_months)]
    rules = [table.complete_for, *(Completeness.parse(e["complete_for"]) for e in extracts.values())]
    wanted = sorted(set(compared) | set(_key_columns(dataset)) | set().union(*map(_rule_columns, rules))
                    | ({"child_id", "missing_from"} if dataset == "missing_episodes" else set()))
    names, rows = store.current_records(conn, council, dataset, columns=wanted)
    if not rows and not same_months:
        changes.new = len(table)
        return changes
    stored_columns = {name: [row[i] for row in rows] for i, name in enumerate(names)}
    stored_keys = _keyed(dataset, stored_columns, names, len(rows))
    normal = {name: _normaliser(record_table.c[name].type) for name in compared}
    # The version of each key that wins now (`winner`), and the latest apart from the load
    # being superseded (`latest`), which is what this file's version competes with.
    latest: dict[tuple, tuple] = {}
    winner: dict[tuple, tuple] = {}
    superseded_keys: dict[tuple, int] = {}
    order = ["extract_as_at", "extract_id", "source_row"]
    for position, key in enumerate(stored_keys):
        rank = tuple(stored_columns[o][position] for o in order)
        if key not in winner or rank > winner[key][0]:
            winner[key] = (rank, position)
        if stored_columns["extract_id"][position] in same_months:
            superseded_keys.setdefault(key, position)
        elif key not in latest or rank > latest[key][0]:
            latest[key] = (rank, position)
    new_columns = _as_monthly_episodes(table, stored_columns, extracts) if dataset == "missing_episodes" \
        else table.columns
    new_keys = _keyed(dataset, new_columns, list(new_columns), len(table))
    this_as_at = table.as_at.isoformat()
    latest_day = ""
    for i, key in enumerate(new_keys):
        before = latest.get(key)
        if before is not None and before[0][0][:10] > this_as_at:
            changes.older += 1
            latest_day = max(latest_day, before[0][0][:10])
            continue
        position = winner[key][1] if key in winner else None
        if position is None:
            changes.new += 1
            continue
        differ = [name for name in compared if not _same(normal[name](new_columns[name][i]),
                                                         normal[name](stored_columns[name][position]))]
        if differ:
            changes.updated += 1
            for name in differ:
                changes.updated_fields[name] = changes.updated_fields.get(name, 0) + 1
        else:
            changes.unchanged += 1
    changes.older_than = _day(latest_day) if latest_day else ""
    listed = set(new_keys)
    dropped = [key for key in superseded_keys if key not in listed and key not in latest]
    changes.dropped = len(dropped)
    changes.dropped_examples = [_describe_key(dataset, key) for key in dropped[:EXAMPLES]]
    earlier = [e for i, e in extracts.items() if i not in same_months]
    _omissions(changes, table, stored_columns, [(key, position) for key, (rank, position) in latest.items()
                                                if key not in listed and rank[0][:10] < this_as_at], earlier)
    return changes


def _as_monthly_episodes(table: Table, stored: dict[str, list], extracts: dict[int, dict]) -> dict[str, list]:
    """A return's missing episodes under the ids of the monthly extracts' episodes they are."""
    if table.source_format != "ssda903" or "missing_from" not in stored:
        return table.columns
    returned = list(zip(table.columns["episode_id"], table.columns["child_id"], table.columns["missing_from"]))
    monthly = {e: (e, c, m) for e, c, m, extract_id in zip(stored["episode_id"], stored["child_id"],
                                                          stored["missing_from"], stored["extract_id"])
               if extracts[extract_id]["source_format"] == "template"}
    monthly = list(monthly.values())
    renaming = same_missing_episodes(returned, monthly)
    return {**table.columns, "episode_id": [renaming.get(e, e) for e in table.columns["episode_id"]]}


def _same(new: str | None, stored: str | None) -> bool:
    """Equal, or the same day given without its time (a return's dates keep the time an
    earlier file gave: see `scorecard.metrics.records`)."""
    return new == stored or (new is not None and stored is not None and len(new) == 19 and new.endswith("00:00:00")
                             and new[:10] == stored[:10])


def _day(iso: str) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}"


def _rule_columns(rule: Completeness) -> set[str]:
    return {*rule.date_columns, *([rule.only] if rule.only else [])}


def _omissions(changes: DatasetChanges, table: Table, stored: dict[str, list], candidates: list[tuple],
               earlier: list[dict]) -> None:
    """The stored records this complete file's omission ends or withdraws, beyond what the
    files already stored ended or withdrew (as the metrics read them: see
    `scorecard.metrics.records.apply_omissions`)."""
    rule = table.complete_for
    if not candidates or rule.kind not in ("spans", "dated"):
        return
    import numpy as np  # here: most loads never get this far, and numpy adds to every start-up

    positions = [position for _, position in candidates]
    as_at = np.array([str(stored["extract_as_at"][p])[:10] for p in positions], dtype=object)
    files = [CompleteFile(Completeness.parse(e["complete_for"]), e["first_month"], str(e["as_at"])[:10])
             for e in earlier]
    rules = [rule, *(f.rule for f in files)]
    date_names = {name for r in rules for name in r.date_columns}
    columns = {name: np.array([_as_day(stored[name][p]) for p in positions], dtype="datetime64[D]")
               for name in date_names if name in stored}
    flags = {r.only: np.array([str(stored[r.only][p]).lower() in ("1", "true", "t") for p in positions])
             for r in rules if r.only and r.only in stored}
    gone_before, _, ends = omissions(files, columns, flags, as_at)
    columns.update(ends)
    withdrawn, ended, _ = rule.apply_omission({name: columns[name] for name in rule.date_columns},
                                              flags.get(rule.only) if rule.only else None,
                                              np.datetime64(month_first(table.first_month)),
                                              np.datetime64(table.as_at.isoformat()))
    ended, gone = np.flatnonzero(ended & ~gone_before), np.flatnonzero(withdrawn & ~gone_before)
    keys = [key for key, _ in candidates]
    changes.ended = int(ended.size)
    changes.ended_by = f"{month_first(table.first_month):%d/%m/%Y}" if ended.size else ""
    changes.ended_examples = [_describe_key(changes.dataset, keys[i]) for i in ended[:EXAMPLES]]
    changes.withdrawn = int(gone.size)
    changes.withdrawn_examples = [_describe_key(changes.dataset, keys[i]) for i in gone[:EXAMPLES]]


def _as_day(value) -> str | None:
    return None if value is None else str(value)[:10]
