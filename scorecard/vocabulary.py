"""What the ingest and the metrics layer must agree on about the datasets, declared once.

- `DATASET_TITLES`: the datasets an analyst loads, by name.
- `RECORD_KEYS`: what identifies one record across files: the same key in two loads is
  two versions of one record, and the later one wins (see `Completeness` for "later").
- `Completeness`: what an extract lists in full for the months it covers, so that a
  record an earlier file had and a later complete file leaves out can be read for what
  it is (ended, or withdrawn) instead of living on for ever. Each extract stores its own
  rule (`extracts.complete_for`), because the same dataset can come from a monthly export
  (complete for every visit due in its month) or from the SSDA903 return (complete for
  children in care only).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy is imported where the rule is applied: the ingest starts faster without it
    import numpy as np

DATASET_TITLES: dict[str, str] = {
    "children_in_care": "Children in care",
    "visits": "Statutory visits",
    "missing_episodes": "Missing episodes",
    "return_interviews": "Return home interviews",
    "health_assessments": "Health assessments",
    "care_leavers": "Care leavers",
}

# Health assessments are keyed by their due date (or, with none, the date done), not by
# both: next month's file completes this month's overdue assessment rather than adding a
# second one.
RECORD_KEYS: dict[str, tuple[str, ...]] = {
    "children_in_care": ("child_id", "episode_start"),
    "visits": ("child_id", "date_due"),
    "missing_episodes": ("episode_id",),
    "return_interviews": ("episode_id",),
    "health_assessments": ("child_id", "assessment_type", "due_or_done"),
    "care_leavers": ("child_id", "birthday"),
}

SPANS, DATED, STATUS, NOT_COMPLETE = "spans", "dated", "status", "none"


@dataclass(frozen=True)
class Completeness:
    """What an extract lists in full for the months it covers.

    - `spans`: every record whose span (`start` to `end`, open if no end) touches the
      months. A record an earlier-dated file has and this one omits was not open in these
      months: it ended by their first day (if it began before) or it is withdrawn.
    - `dated`: every record whose date (the first given of `dates`) falls in the months.
      A record so dated that an earlier-dated file has and this one omits is withdrawn.
    - `status`: flags as at the extract's date (the 903's OC2 health flags). They sum up
      the year before, and imply nothing about records they do not list.
    - `none`: only what changed (return home interviews): omission implies nothing.

    `only` narrows `spans` and `dated` to the records with a flag set (the 903 lists only
    the missing episodes of children in care).
    """

    kind: str
    dates: tuple[str, ...] = ()
    end: str | None = None
    only: str | None = None

    @property
    def date_columns(self) -> tuple[str, ...]:
        """The date columns the rule reads: its dates, and the end of a span."""
        return (*self.dates, *([self.end] if self.end else []))

    def code(self) -> str:
        """The rule as stored on the extract: 'spans:episode_start:episode_end', 'dated:date_due',
        'dated:missing_from;only=in_care', 'status', 'none'."""
        parts = [self.kind]
        if self.dates:
            parts.append(",".join(self.dates))
        if self.end:
            parts.append(self.end)
        code = ":".join(parts)
        return f"{code};only={self.only}" if self.only else code

    @classmethod
    def parse(cls, code: str | None) -> Completeness:
        if not code:
            return cls(NOT_COMPLETE)
        body, _, only = code.partition(";only=")
        kind, *rest = body.split(":")
        if kind not in (SPANS, DATED, STATUS, NOT_COMPLETE):
            raise ValueError(f"unknown completeness rule {code!r}")
        dates = tuple(rest[0].split(",")) if rest else ()
        end = rest[1] if len(rest) > 1 else None
        return cls(kind, dates, end, only or None)

    def describe(self) -> str:
        """In words, for the README, the templates and load summaries."""
        scope = f" with {self.only.replace('_', ' ')} set" if self.only else ""
        if self.kind == SPANS:
            return (f"every record{scope} open at any time in the months it covers: one an earlier file "
                    "listed as open and this file leaves out is taken as ended by the first day it covers")
        if self.kind == DATED:
            dates = " (or ".join(d.replace("_", " ") for d in self.dates) + ")" * (len(self.dates) - 1)
            return (f"every record{scope} whose {dates} falls in the months it covers: one an earlier file "
                    "listed with such a date and this file leaves out is withdrawn")
        if self.kind == STATUS:
            return "each child's status as at its date; it says nothing about records it does not list"
        return "only what is new or changed: a record it leaves out stays as it was"

    def apply_omission(self, columns: dict[str, np.ndarray], flags: np.ndarray | None, first: np.datetime64,
                       last: np.datetime64) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """For records that an extract with this rule, covering the days `first` to `last`,
        does not list, although an earlier-dated file did: (withdrawn, ended, ends).

        `columns` holds the records' date columns (datetime64[D]), `flags` the `only`
        column. `withdrawn`: the extract says the record was never in its months. `ended`:
        a span that began before them was over by `first`, so `ends` holds `first` there
        (otherwise the end as it was). Nothing is withdrawn or ended by other rules.
        """
        import numpy as np

        count = len(next(iter(columns.values()))) if columns else 0
        scope = np.ones(count, dtype=bool) if flags is None else np.asarray(flags, dtype=bool)
        nothing = np.zeros(count, dtype=bool)
        if self.kind == SPANS:
            start, end = columns[self.dates[0]], columns[self.end]
            touches = scope & (start <= last) & (np.isnat(end) | (end >= first))
            ended = touches & (start < first) & (np.isnat(end) | (end > first))
            ends = end.copy()
            ends[ended] = first
            return touches & (start >= first), ended, ends
        if self.kind == DATED:
            day = columns[self.dates[0]].copy()
            for other in self.dates[1:]:
                day = np.where(np.isnat(day), columns[other], day)
            return scope & (day >= first) & (day <= last), nothing, None
        return nothing, nothing, None


SPANS_OF_EPISODES = Completeness(SPANS, ("episode_start",), "episode_end")


@dataclass(frozen=True)
class CompleteFile:
    """One stored extract, as far as its omissions go: its rule, first month and as-at day."""

    rule: Completeness
    first_month: str
    as_at: str
    """ISO day, 'YYYY-MM-DD'."""


def omissions(files: list[CompleteFile], columns: dict[str, np.ndarray], flags: dict[str, np.ndarray],
              as_at: np.ndarray) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """What the files, in date order, say of the records dated before each of them that
    they leave out: (withdrawn, ended, ends), `ends` holding the end columns some file
    changed, `ended` the records whose end it changed.

    `columns`: the records' date columns (datetime64[D]) by name; `flags`: their `only`
    columns; `as_at`: the as-at day (ISO text) of the file each record's version is from.
    The load summary and the metrics read omissions through this one function.
    """
    import numpy as np

    withdrawn = np.zeros(len(as_at), dtype=bool)
    clipped = np.zeros(len(as_at), dtype=bool)
    ends: dict[str, np.ndarray] = {}
    for file in sorted(files, key=lambda f: f.as_at):
        rule = file.rule
        used = rule.date_columns
        if rule.kind not in (SPANS, DATED) or not all(name in columns for name in used):
            continue
        older = as_at < file.as_at
        if not older.any():
            continue
        gone, ended, new_ends = rule.apply_omission(
            {name: ends.get(name, columns[name]) for name in used}, flags.get(rule.only) if rule.only else None,
            np.datetime64(f"{file.first_month}-01", "D"), np.datetime64(file.as_at, "D"))
        withdrawn |= gone & older
        if rule.end and (ended & older).any():
            ends[rule.end] = np.where(ended & older, new_ends, ends.get(rule.end, columns[rule.end]))
            clipped |= ended & older
    return withdrawn, clipped, ends


def same_missing_episodes(returned: list[tuple[str, str, object]],
                          monthly: list[tuple[str, str, object]]) -> dict[str, str]:
    """Which missing episode of a monthly extract each of a return's is: the 903 has no
    episode ids (the ingest makes them from the child and the date), so a return's episode
    is the monthly extract's episode of the same child that began the same day, the n-th
    of that day in time order if there are several. Takes (episode id, child, start) of
    each side (start: a date or a date-time, sorted here) and returns {return's id: monthly id}."""
    def numbered(episodes):
        seen: dict[tuple, int] = {}
        found = {}
        for episode_id, child, start in sorted(episodes, key=lambda e: (str(e[2]), e[0])):
            day = str(start)[:10]
            n = seen[(child, day)] = seen.get((child, day), -1) + 1
            found[(child, day, n)] = episode_id
        return found
    theirs = numbered(monthly)
    return {episode_id: theirs[key] for key, episode_id in numbered(returned).items() if key in theirs}
