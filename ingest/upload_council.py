"""The council an upload's files name, so that one council's files are not loaded as another's.

In a store holding several councils, the browser's upload loads into the uploader's council
(`scorecard.access.council_for`); the extracts' rows carry no council code. Their file names
and title rows often do ("Gloucestershire CLA 2025-03.xlsx", "E10000013 children in care"):
when those name another council, and never the uploader's own, the upload is refused with
what was read and where, rather than loading the wrong council's children under this one.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.problems import Problem
from ingest.readers import SourceFile
from ingest.upload_month import title_rows
from scorecard import councils

_ONS_CODE = re.compile(r"\bE(?:06|07|08|09|10)\d{6}\b", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s_.\-]+")


@dataclass(frozen=True)
class CouncilClue:
    code: str
    file: str
    how: str
    """Where it was read: "its name 'Gloucestershire CLA.xlsx'", "the title '...' (row 1)"."""


def _plain(text: str) -> str:
    return _SEPARATORS.sub(" ", text).strip().lower()


@functools.cache
def _names() -> tuple[re.Pattern, dict[str, str]]:
    """A pattern matching any council's name as whole words (the longest first, so South
    Gloucestershire is not read as Gloucestershire), and each plain name's code."""
    by_name: dict[str, str] = {}
    for council in councils.councils().values():
        name = _plain(council.name.split("(")[0].split(",")[0])
        if name and (council.current or name not in by_name):
            by_name[name] = council.code
    alternatives = "|".join(re.escape(name) for name in sorted(by_name, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})\b"), by_name


def councils_in_text(text: str) -> list[str]:
    """The ONS codes of the councils `text` names, by ONS code or by name."""
    pattern, by_name = _names()
    plain = _plain(text)  # "E10000013_cla" and "gloucestershire-cla" as words
    found = [code.upper() for code in _ONS_CODE.findall(plain)]
    found += [by_name[match] for match in pattern.findall(plain)]
    return list(dict.fromkeys(found))


def council_clues(sources: Sequence[SourceFile]) -> list[CouncilClue]:
    clues = []
    for source in sources:
        clues += [CouncilClue(code, source.name, f"its name '{source.name}'")
                  for code in councils_in_text(source.name.rsplit(".", 1)[0])]
        for text, where in title_rows(source):
            shown = text if len(text) <= 80 else text[:77] + "..."
            clues += [CouncilClue(code, source.name, f"the title '{shown}' ({where})")
                      for code in councils_in_text(text)]
    return clues


def other_council_problems(sources: Sequence[SourceFile], council: str) -> list[Problem]:
    """An error for each file that names another council and never `council`."""
    by_file: dict[str, list[CouncilClue]] = {}
    for clue in council_clues(sources):
        by_file.setdefault(clue.file, []).append(clue)
    problems = []
    own = councils.area_name(council)
    for file, clues in by_file.items():
        if any(clue.code == council for clue in clues):
            continue
        named = "; ".join(f"{councils.area_name(c.code)} ({c.code}) in {c.how}" for c in clues)
        problems.append(Problem(
            "other-council", f"this file names {named}, but your uploads load into {own} ({council}) only: "
            "load each council's files signed in as one of its analysts; if the name or title does not mean "
            "that council, rename the file or remove the title and check it again", file=file))
    return problems
