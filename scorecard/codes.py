"""Code lists (DfE SSDA903 codes and the template's own), kept as data files.

Each list is `data/reference/codes/<name>.csv` with the columns
code, label, aliases, group, first_year, last_year, source, notes.
A value in an extract matches a code by the code itself, its label, or any alias,
ignoring case, spaces and punctuation ("U4", "u4", "Foster placement with other foster
carer - long term fostering" all mean U4).
"""
from __future__ import annotations

import csv
import functools
from dataclasses import dataclass, field
from pathlib import Path

from scorecard.settings import REFERENCE_DIR

CODES_DIR = REFERENCE_DIR / "codes"


def token(value: object) -> str:
    """The form used to compare headers and codes: lower case letters and digits only."""
    return "".join(ch for ch in str(value).lower() if ch.isalnum())


@dataclass(frozen=True)
class Code:
    code: str
    label: str
    group: str
    first_year: str
    last_year: str


@dataclass
class CodeList:
    name: str
    codes: dict[str, Code]
    source: str
    _lookup: dict[str, str] = field(default_factory=dict, repr=False)

    def match(self, value: object) -> str | None:
        """The code a written value stands for, or None."""
        return self._lookup.get(token(value))

    def group(self, code: str) -> str:
        return self.codes[code].group

    def describe(self, limit: int = 12) -> str:
        """A short 'allowed values' phrase for messages."""
        listed = ", ".join(self.codes)
        if len(self.codes) > limit:
            listed = (", ".join(list(self.codes)[:limit])
                      + f" ... {len(self.codes)} codes in all: see the template's Codes sheet")
        return listed


def _read(path: Path) -> CodeList:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    codes = {
        row["code"].strip(): Code(
            code=row["code"].strip(),
            label=row["label"].strip(),
            group=(row.get("group") or "").strip(),
            first_year=(row.get("first_year") or "").strip(),
            last_year=(row.get("last_year") or "").strip(),
        )
        for row in rows
    }
    sources = list(dict.fromkeys(row["source"].strip() for row in rows if row.get("source")))
    lookup: dict[str, str] = {}
    # Current codes first: a label shared with a retired code ("Male": 1 until 2023-24,
    # M since) means the current code.
    for row in sorted(rows, key=lambda row: bool((row.get("last_year") or "").strip())):
        for name in [row["label"], *(row.get("aliases") or "").split("|")]:
            if name.strip():
                lookup.setdefault(token(name), row["code"].strip())
    # A code always means itself, even when another code's alias spells the same.
    for code in codes:
        lookup[token(code)] = code
    return CodeList(name=path.stem, codes=codes, source="; ".join(sources), _lookup=lookup)


@functools.cache
def code_list(name: str) -> CodeList:
    path = CODES_DIR / f"{name}.csv"
    if not path.exists():
        raise KeyError(f"no code list {name!r} (expected {path})")
    return _read(path)
