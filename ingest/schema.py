"""The vocabulary of dataset schemas: fields, row rules, datasets.

A schema says, for one table an analyst loads, which columns it has, what each means,
its type, whether it is required, its allowed codes, and the header names real exports
use for it. The templates, the notes sheet, the validation and the README's data
dictionary are all generated from these declarations.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from scorecard.codes import code_list, token
from scorecard.vocabulary import Completeness


class Kind(str, Enum):
    TEXT = "text"
    DATE = "date"
    DATETIME = "date and time"
    FLAG = "yes/no"
    NUMBER = "number"
    INTEGER = "whole number"
    CODE = "code"
    TIME = "time of day"


@dataclass(frozen=True, eq=False)  # one object per field: compared and hashed by identity, quickly
class Field:
    name: str
    kind: Kind
    meaning: str
    headers: tuple[str, ...]
    """Header names accepted for this column; the first is the template's."""
    required: bool = False
    """The column must be present and (unless `blank_means` is set) every cell filled."""
    codes: str | None = None
    blank_means: bool | None = None
    """For flags exported as 'Y' or empty: what an empty cell means."""
    not_after_period: bool = False
    """An event date: one after the end of the month being loaded is reported."""
    input_only: bool = False
    """Read from files to work out another field (a time beside a date), never stored
    and not in the template."""
    accepts_age: bool = False
    """A birthday that may be written as the age reached (18, '18th'): worked out from
    the date of birth."""
    identifier: bool = False
    """An id: "100101.0" is "100101" (systems write ids as numbers)."""

    @property
    def header(self) -> str:
        return self.headers[0]

    @property
    def header_tokens(self) -> frozenset[str]:
        return frozenset(token(h) for h in (*self.headers, self.name))

    def describe_type(self) -> str:
        if self.kind is Kind.CODE and self.codes:
            return f"code ({self.codes.replace('_', ' ')})"
        if self.kind is Kind.DATE:
            return "date (dd/mm/yyyy)"
        if self.kind is Kind.DATETIME:
            return "date and time (dd/mm/yyyy hh:mm)"
        return self.kind.value


# The template's own sheets besides the data sheet: not reported as ignored.
TEMPLATE_SHEETS = ("Notes", "Codes")

# A row rule looks at whole converted columns and returns (row index, field name,
# message) for each row that breaks it. Rules run only on fields that are present.
RowRule = Callable[[Mapping[str, Sequence[Any]]], list[tuple[int, str, str]]]


@dataclass(frozen=True)
class Derivation:
    """The same fact in another form: `target` worked out from `sources` when a file has
    all of them (a birthday from the date of birth and the age reached; a date and a
    time in two columns). `compute` takes the typed columns and returns the target's
    values and the problems (row index, message)."""
    target: str
    sources: tuple[str, ...]
    compute: Callable[[Mapping[str, Sequence[Any]]], tuple[list[Any], list[tuple[int, str]]]]
    meaning: str

    def applies(self, present: set[str] | dict) -> bool:
        return all(name in present for name in self.sources)


@dataclass(frozen=True, eq=False)  # one object per dataset: compared and hashed by identity, quickly
class Dataset:
    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    key: tuple[str, ...]
    rules: tuple[RowRule, ...] = ()
    source_format: str = "template"
    sheet_name: str = ""
    completeness: Completeness = Completeness("none")
    """What one extract of this dataset lists in full for its months (and so what a record
    an earlier extract had and this one leaves out means)."""
    derivations: tuple[Derivation, ...] = ()
    ignored: bool = False
    """Recognised so that it is reported as not used, rather than as an unknown file."""

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @property
    def required(self) -> list[Field]:
        return [f for f in self.fields if f.required]

    @property
    def stored_fields(self) -> list[Field]:
        return [f for f in self.fields if not f.input_only]

    def derivable(self, name: str, present: set[str] | dict) -> Derivation | None:
        """A way to work out field `name` from the fields `present`, when it is not there itself."""
        for derivation in self.derivations:
            if derivation.target == name and name not in derivation.sources and derivation.applies(present):
                return derivation
        return None


def not_before(earlier: str, later: str, message: str) -> RowRule:
    """`later` must not be before `earlier` (where both are given)."""

    def rule(columns: Mapping[str, Sequence[Any]]) -> list[tuple[int, str, str]]:
        if earlier not in columns or later not in columns:
            return []
        return [
            (i, later, message)
            for i, (a, b) in enumerate(zip(columns[earlier], columns[later]))
            if a is not None and b is not None and b < a
        ]

    rule.__doc__ = message
    return rule


def required_when(name: str, condition: Callable[[Mapping[str, Any]], bool], message: str) -> RowRule:
    """`name` must be given on rows where `condition(row)` holds."""

    def rule(columns: Mapping[str, Sequence[Any]]) -> list[tuple[int, str, str]]:
        names = list(columns)
        problems = []
        for i, values in enumerate(zip(*columns.values())):
            row = dict(zip(names, values))
            if row.get(name) is None and condition(row):
                problems.append((i, name, message))
        return problems

    rule.__doc__ = message
    return rule


def is_birthday(date_of_birth: dt.date, day: dt.date) -> bool:
    """Is `day` a birthday of someone born on `date_of_birth`? (29 February birthdays
    fall on 28 February in other years, as in English law for reaching an age.)"""
    if (day.month, day.day) == (date_of_birth.month, date_of_birth.day):
        return True
    return (date_of_birth.month, date_of_birth.day) == (2, 29) and (day.month, day.day) == (2, 28)


def known_codes(names: Sequence[str]) -> None:
    """Fail at import time if a schema names a code list that does not exist."""
    for name in names:
        code_list(name)


CHILD_ID = Field(
    "child_id", Kind.TEXT, "The child's identifier in the case-management system (never a name).",
    ("Child ID", "CHILD", "Child Identifier", "Person ID", "Client ID", "LCS ID", "Mosaic ID", "Eclipse ID",
     "ID", "Child Number"),
    required=True, identifier=True,
)
DISTRICT = Field(
    "district", Kind.TEXT, "District or team responsible for the child.",
    ("District", "Team", "Locality", "Area", "District/Team", "Area Team", "Responsible Team"),
)


def date_and_time(target: str, time_field: str) -> Derivation:
    """`target` (a date and time) from its own column plus a separate time column: exports
    that split 'Date Missing' and 'Time Missing'. A blank time keeps the date's own time."""
    def compute(columns: Mapping[str, Sequence[Any]]) -> tuple[list[Any], list[tuple[int, str]]]:
        moments = []
        for moment, time in zip(columns[target], columns[time_field]):
            if moment is not None and time is not None:
                moment = dt.datetime.combine(moment.date(), time)
            moments.append(moment)
        return moments, []
    return Derivation(target, (target, time_field), compute, f"{target.replace('_', ' ')} from a date column "
                      f"and a separate time column")
