"""Every English council, region and England, and the DfE's statistical neighbour models.

Read from the DfE's and ONS's own files under `data/reference/dfe/`, not typed by hand:
LAIT's code list (LA number, name, type, including councils reorganised away, such as
Northamptonshire and Cumbria), the ONS population file (each LA number's ONS code and
region), and the two statistical neighbour models (May 2025, the default, and April
2021). `data/reference/councils.csv` adds councils the DfE does not list, such as the
demo county, each compared as a real council (its region and neighbours).

A council is named by its ONS code (E10000018) or its LA number (855): `resolve` takes
either. Shared by the ingest, the metrics and the pages; it reads files, not the store.
"""
from __future__ import annotations

import csv
import difflib
import functools
import gzip
import io
import re
from dataclasses import dataclass
from pathlib import Path

from scorecard.settings import REFERENCE_DIR

DFE_DIR = REFERENCE_DIR / "dfe"
CODE_LIST = DFE_DIR / "lait" / "la_code_list.csv"
POPULATION = DFE_DIR / "population" / "ons_mid-year_population_estimates_2012_to_2024.csv.gz"
MODEL_FILES = {"2025": DFE_DIR / "statistical_neighbours" / "sn_model_2025_wide.csv",
               "2021": DFE_DIR / "statistical_neighbours" / "sn_groupings_april_2021.csv"}
MODEL_NAMES = {"2025": "the DfE statistical neighbour model of May 2025",
               "2021": "the DfE statistical neighbour model of April 2021"}
DEFAULT_MODEL = "2025"
LOCAL_COUNCILS = REFERENCE_DIR / "councils.csv"
ENGLAND = "E92000001"
TYPES = {"UA": "unitary authority", "MD": "metropolitan district", "SC": "shire county",
         "OLB": "outer London borough", "ILB": "inner London borough"}


class UnknownCouncil(ValueError):
    """A council code or LA number that no reference file lists."""


@dataclass(frozen=True)
class Council:
    code: str               # ONS code, E06/E08/E09/E10
    la_number: str          # the DfE's three-digit LA number ("" for a council the DfE does not list)
    name: str
    region_code: str        # E12...
    region_name: str
    kind: str               # unitary authority, shire county, ...
    current: bool           # False: reorganised away (its last year is in `note`)
    compared_as: str = ""   # the LA number whose region and neighbours it takes (the demo county)
    note: str = ""


@dataclass(frozen=True)
class Neighbour:
    code: str
    la_number: str
    name: str
    closeness: str          # as the model says: Extremely close ... Not close
    position: int           # 1 = the closest


def open_text(path: Path) -> io.TextIOBase:
    """A CSV file as text, gzipped or not, without a byte-order mark."""
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8-sig", newline="")
    return path.open(encoding="utf-8-sig", newline="")


def _rows(path: Path) -> list[dict[str, str]]:
    with open_text(path) as handle:
        return [{(k or "").strip(): (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


@functools.cache
def regions() -> dict[str, str]:
    """Region ONS code -> name, with England, as the ONS file names them."""
    names = {ENGLAND: "England"}
    for row in _rows(POPULATION):
        if row["geographic_level"] == "Regional":
            names[row["region_code"]] = row["region_name"]
    return names


@functools.cache
def councils() -> dict[str, Council]:
    """Every council by ONS code: the DfE's list, then the local file's additions."""
    ons: dict[str, tuple[str, str, str]] = {}  # LA number -> (ONS code, region code, latest year)
    for row in _rows(POPULATION):
        if row["geographic_level"] == "Local authority" and row["old_la_code"]:
            known = ons.get(row["old_la_code"])
            if known is None or row["time_period"] > known[2]:
                ons[row["old_la_code"]] = (row["new_la_code"], row["region_code"], row["time_period"])
    latest = max(year for _, _, year in ons.values())
    names = regions()
    result: dict[str, Council] = {}
    for row in _rows(CODE_LIST):
        number, kind = row["LA Number"], row["Type"]
        if kind not in TYPES or number not in ons:
            continue  # England and the regions, which LAIT lists among the councils
        code, region, last_year = ons[number]
        current = last_year == latest
        result[code] = Council(code, number, row["LA Name"], region, names.get(region, row["Region"]), TYPES[kind],
                               current, note="" if current else f"reorganised away: last ONS estimate mid-{last_year}")
    by_number = {c.la_number: c for c in result.values()}
    for row in _rows(LOCAL_COUNCILS):
        like = by_number.get(row["compared_as"])
        if like is None:
            raise UnknownCouncil(f"{LOCAL_COUNCILS.name}: {row['code']} is compared as LA number "
                                 f"{row['compared_as']!r}, which the DfE's code list does not have")
        result[row["code"]] = Council(row["code"], "", row["name"], like.region_code, like.region_name, like.kind,
                                      True, like.la_number, row.get("notes", ""))
    return result


@functools.cache
def _by_number() -> dict[str, Council]:
    return {c.la_number: c for c in councils().values() if c.la_number}


def by_la_number(number: str) -> Council | None:
    return _by_number().get(str(number).strip())


def find(code_or_number: str) -> Council | None:
    text = str(code_or_number).strip()
    return councils().get(text.upper()) or by_la_number(text)


def resolve(code_or_number: str) -> str:
    """The ONS code of a council named by its ONS code, LA number or exact name."""
    text = str(code_or_number).strip()
    found = find(text) or next((c for c in councils().values() if c.name.lower() == text.lower()), None)
    if found:
        return found.code
    names = {c.name.lower(): c for c in councils().values()}
    close = [f"{names[n].name} ({names[n].code})" for n in difflib.get_close_matches(text.lower(), names, n=3)]
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise UnknownCouncil(f"no English council has the code, LA number or name {text!r}{hint} "
                         f"(the list is {CODE_LIST.relative_to(REFERENCE_DIR.parent.parent)})")


def code_for(code_or_number: str) -> str:
    """The ONS code of a council given as its ONS code, LA number or name; an ONS-shaped
    code no reference file lists is kept (a council the DfE's files do not have yet)."""
    text = str(code_or_number).strip()
    found = find(text)
    if found:
        return found.code
    if re.fullmatch(r"E\d{8}", text.upper()):
        return text.upper()
    return resolve(text)


def council(code: str) -> Council:
    """The council's entry; one no file lists is named by its code and has no region or neighbours."""
    return find(code) or Council(code, "", code, "", "", "", True)


def area_name(code: str) -> str:
    """A council's, region's or England's name; the code itself when no file lists it."""
    if code in regions():
        return regions()[code]
    found = find(code)
    return found.name if found else code


@functools.cache
def _models() -> dict[str, dict[str, tuple[tuple[str, str], ...]]]:
    """Model -> LA number -> its ten (LA number, closeness), closest first. The two files
    name their columns differently (SN_1/SN_1P; SN1/SNP with pandas-style repeats), so the
    columns are read by position: the LA number first, then pairs of neighbour and closeness."""
    result = {}
    for model, path in MODEL_FILES.items():
        with open_text(path) as handle:
            reader = csv.reader(handle)
            header = [h.strip() for h in next(reader)]
            first = next(i for i, h in enumerate(header) if h.upper().startswith("SN") and h[2:].strip("_").isdigit())
            groups = {}
            for row in reader:
                if not row or not row[0].strip():
                    continue
                cells = [c.strip() for c in row[first:first + 20]]
                groups[row[0].strip()] = tuple((cells[i], cells[i + 1].capitalize()) for i in range(0, len(cells) - 1, 2)
                                               if cells[i])
        result[model] = groups
    return result


def neighbours(code: str, model: str = DEFAULT_MODEL) -> tuple[Neighbour, ...]:
    """The council's statistical neighbours in the model, closest first (none when the
    model does not have it: a council made after it, or one reorganised away before)."""
    if model not in MODEL_FILES:
        raise ValueError(f"no statistical neighbour model {model!r}: {', '.join(MODEL_FILES)}")
    found = council(code)
    number = found.compared_as or found.la_number
    result = []
    for position, (neighbour, closeness) in enumerate(_models()[model].get(number, ()), start=1):
        other = by_la_number(neighbour)
        if other is not None:
            result.append(Neighbour(other.code, other.la_number, other.name, closeness, position))
    return tuple(result)


def compared_with(code: str) -> str:
    """For a council compared as another ("compared with the neighbours of Leicestershire"), or ""."""
    found = council(code)
    like = by_la_number(found.compared_as) if found.compared_as else None
    return like.name if like else ""
