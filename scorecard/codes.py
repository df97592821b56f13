"""Code lists (DfE SSDA903 codes and the template's own), kept as data files.

Each list is `data/reference/codes/<name>.csv` with the columns
code, label, aliases, group, first_year, last_year, source, notes.
A value in an extract matches a code by the code itself, its label, or any alias,
ignoring case, spaces and punctuation ("U4", "u4", "Foster placement with other foster
carer - long term fostering" all mean U4). Failing that, by its words (`word_match`):
"Refused by parent" is "Refused by the parent or carer", while "Refused" alone, which
could be the child or the parent, matches nothing.
"""
from __future__ import annotations

import csv
import difflib
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from scorecard.settings import REFERENCE_DIR

CODES_DIR = REFERENCE_DIR / "codes"


def token(value: object) -> str:
    """The form used to compare headers and codes: lower case letters and digits only."""
    return "".join(ch for ch in str(value).lower() if ch.isalnum())


# Words that carry no meaning in a code's label: "Refused by the parent or carer(s)" is
# {refus, parent, carer}. Negations and prepositions that change a meaning ("not", "no",
# "in", "out", "other") are not filler.
FILLER_WORDS = frozenset({"a", "an", "the", "by", "of", "for", "to", "with", "at", "on", "from", "as", "is",
                          "was", "were", "be", "been", "or", "and", "their", "his", "her", "its", "s", "only",
                          "e", "g", "eg", "etc"})
_SUFFIXES = ("ing", "ed", "es", "s", "e")
_IRREGULAR = {"children": "child", "childrens": "child", "people": "person"}
_WORD = re.compile(r"[a-z0-9]+")


def _stem(word: str) -> str:
    """A word's stem, so that 'refused', 'refuses' and 'refuse' compare equal: one common
    English suffix removed from words of five letters or more, leaving at least four."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.isalpha() and len(word) > 4:
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                return word[: -len(suffix)]
    return word


def content_words(text: object) -> frozenset[str]:
    """The stems of the words that carry meaning, ignoring case, punctuation and filler."""
    return frozenset(_stem(w) for w in _WORD.findall(str(text).lower().replace("'", "")) if w not in FILLER_WORDS)


def covers(written: frozenset[str], name: frozenset[str]) -> bool:
    """Whether words written in a file match a code's name (label or alias), by the rule:

    - every written word is one of the name's words (nothing is added, such as "not");
    - a single written word matches only a single-word name (so "Parent" is not
      "Parent refused");
    - otherwise the written words are at least two, and at least half of the name's words.
    """
    if not written or not written <= name:
        return False
    if len(written) == 1:
        return len(name) == 1
    return len(written) >= max(2, -(-len(name) // 2))


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
    _names: list[tuple[str, frozenset[str], str]] = field(default_factory=list, repr=False)
    """(code, content words, name as written) of every label and alias."""

    def match(self, value: object, aliases: Mapping[str, str] | None = None) -> str | None:
        """The code a written value stands for, or None: the code, its label or an alias
        (ignoring case, spaces and punctuation); then `aliases` (a council's own, by
        token); then the label's words, where exactly one code matches (`word_match`)."""
        key = token(value)
        code = self._lookup.get(key)
        if code is None and aliases:
            code = aliases.get(key)
        return code if code is not None else self.word_match(value)

    def word_match(self, value: object) -> str | None:
        """The one code whose label or an alias has exactly the value's words; else the one
        whose label or an alias the value's words cover (see `covers`)."""
        written = content_words(value)
        if not written:
            return None
        exact = {code for code, words, _ in self._names if words == written}
        if exact:
            return exact.pop() if len(exact) == 1 else None
        matched = {code for code, words, _ in self._names if covers(written, words)}
        if len(matched) == 1:
            return matched.pop()
        return None if matched else self._parts_match(value)

    def _parts_match(self, value: object) -> str | None:
        """A code written with its label or an alias beside it ("U4 - Foster placement ...",
        "Initial health assessment (IHA)"): the parts between dashes, colons and brackets
        name one code between them, and none names another."""
        parts = [p for p in re.split(r"\s+[-–:]\s+|[()\[\]]", str(value)) if p.strip()]
        if len(parts) < 2:
            return None
        named = {self._lookup.get(token(part)) or self.word_match(part) for part in parts} - {None}
        return named.pop() if len(named) == 1 else None

    def closest(self, value: object, count: int = 3) -> list[str]:
        """The codes most like a value that matched none, as 'CODE (label)', best first."""
        written = content_words(value)
        text = token(value)
        scores: dict[str, float] = {}
        for code, words, name in self._names:
            shared = len(written & words) / len(written | words) if written or words else 0.0
            score = max(shared, difflib.SequenceMatcher(None, text, token(name)).ratio() * 0.9)
            scores[code] = max(scores.get(code, 0.0), score)
        best = sorted((c for c in scores if scores[c] >= 0.3), key=lambda c: -scores[c])[:count]
        return [f"{c} ({self.codes[c].label})" for c in best]

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
    names = [(row["code"].strip(), content_words(name), name.strip())
             for row in rows for name in [row["code"], row["label"], *(row.get("aliases") or "").split("|")]
             if name.strip()]
    return CodeList(name=path.stem, codes=codes, source="; ".join(sources), _lookup=lookup, _names=names)


@functools.cache
def code_list(name: str) -> CodeList:
    path = CODES_DIR / f"{name}.csv"
    if not path.exists():
        raise KeyError(f"no code list {name!r} (expected {path})")
    return _read(path)
