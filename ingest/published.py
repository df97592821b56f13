"""Importing the DfE's published figures: Explore Education Statistics tidy CSV files and
LAIT's long file, for every council, region and England.

Which rows feed which indicator is data (`data/reference/published_measures.yaml`). A
file is read by its layout and columns, not its name, so next year's release, or any
EES download of the same table, imports the same way. Each file is a release, kept for
good: importing the same content again adds nothing, and a later release (a later
latest year) revises the years it repeats. EES symbols become states, never zeros.
What the file holds that no measure reads, and rows that could not be read, are listed.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy.engine import Connection, Engine

from scorecard import councils, store
from scorecard.measures import Measure, Rows, measures

SYMBOLS = {"c": "suppressed", "k": "rounds_to_zero", "x": "not_available", "z": "not_applicable",
           "-": "not_available", "": "not_available", "low": "rounds_to_zero", "u": "not_available"}
"""EES symbols (and LAIT's "-" or blank) as states. `low` and `u` are older EES symbols."""
STATE_ORDER = ("suppressed", "not_applicable", "not_available", "rounds_to_zero", "published")
"""For a ratio of two cells: the first of these either cell has is the figure's state."""
STATE_RANK = {state: position for position, state in enumerate(STATE_ORDER)}
EES_COLUMNS = ("time_period", "geographic_level")
LAIT_COLUMNS = ("measure_short", "years", "la_number", "value")
LEVELS = {"national": "national", "regional": "regional", "local authority": "local_authority"}
EXAMPLES = 8
LAIT_ENGLAND = "970"  # LAIT's number for England
LAIT_REGION_NAMES = {"london (inner)": "inner london", "london (outer)": "outer london"}
"""LAIT's names for the two London regions, as the ONS names them."""


class NotAPublishedFile(ValueError):
    pass


@dataclass
class ImportResult:
    path: Path
    release_id: int | None = None
    already: dict | None = None          # the release this content was imported as before
    added_to: int | None = None          # that release, when measures defined since were read from it
    figures: Counter = field(default_factory=Counter)    # indicator -> figures read
    not_mapped: list[str] = field(default_factory=list)
    latest_year: int | None = None


def layout_of(columns: list[str]) -> str:
    names = set(columns)
    if all(c in names for c in EES_COLUMNS):
        return "ees"
    if all(c in names for c in LAIT_COLUMNS):
        return "lait"
    raise NotAPublishedFile(
        f"neither an Explore Education Statistics tidy file (columns {', '.join(EES_COLUMNS)}) nor LAIT's long "
        f"file (columns {', '.join(LAIT_COLUMNS)}); its columns are {', '.join(columns[:12])}")


def read_file(path: Path) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise NotAPublishedFile(f"not a CSV file pandas can read: {error}") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    # Stripped once, not once per measure: the columns a measure or the areas read.
    read = {c for m in measures() for c in m.columns} | set(EES_COLUMNS) | set(LAIT_COLUMNS) | {
        "region_code", "new_la_code", "old_la_code", "la_and_regions", "la_name"}
    for column in read & set(frame.columns):
        frame[column] = frame[column].str.strip()
    return frame


def _cells(column: pd.Series, scale: float) -> tuple[pd.Series, pd.Series]:
    """Numbers (NaN where a symbol is) and states."""
    text = column.str.replace(",", "", regex=False)
    numbers = pd.to_numeric(text, errors="coerce")
    states = text.str.lower().map(SYMBOLS)
    states = states.where(numbers.isna(), "published").fillna("unreadable")
    return numbers * scale, states


def _matching(frame: pd.DataFrame, rows: Rows) -> pd.Series:
    mask = pd.Series(True, index=frame.index)
    for column, wanted in rows.items():
        values = [wanted] if isinstance(wanted, str) else list(wanted)
        mask &= frame[column].isin(values)
    return mask


def _areas(frame: pd.DataFrame, layout: str) -> pd.DataFrame:
    """Each row's area: ONS code and level ('' where the area is not known)."""
    if layout == "ees":
        level = frame["geographic_level"].str.lower().map(LEVELS).fillna("")
        code = pd.Series("", index=frame.index)
        code[level == "national"] = councils.ENGLAND
        if "region_code" in frame:
            code[level == "regional"] = frame.loc[level == "regional", "region_code"]
        if "new_la_code" in frame:
            code[level == "local_authority"] = frame.loc[level == "local_authority", "new_la_code"]
        if "old_la_code" in frame:  # a council whose ONS code is missing from the row
            blank = (level == "local_authority") & (code == "")
            code[blank] = [getattr(councils.by_la_number(n), "code", "") for n in frame.loc[blank, "old_la_code"]]
        # An area no reference file lists would count in ranks and bands: listed, not imported.
        known = set(councils.councils()) | set(councils.regions())
        code[~code.isin(known)] = ""
        return pd.DataFrame({"area_code": code, "level": level})
    numbers = frame["la_number"]
    names = (frame["la_and_regions"].str.lower() if "la_and_regions" in frame else numbers).replace(LAIT_REGION_NAMES)
    region_codes = {name.lower(): code for code, name in councils.regions().items() if code != councils.ENGLAND}
    council_codes = {c.la_number: c.code for c in councils.councils().values() if c.la_number}
    code = numbers.map(council_codes)
    level = pd.Series(np.where(code.notna(), "local_authority", ""), index=frame.index, dtype=object)
    regional = code.isna() & names.isin(region_codes)
    code[regional], level[regional] = names[regional].map(region_codes), "regional"
    national = numbers == LAIT_ENGLAND
    code[national], level[national] = councils.ENGLAND, "national"
    return pd.DataFrame({"area_code": code.fillna(""), "level": level}, index=frame.index)


def _sum(frame: pd.DataFrame, mask: pd.Series, column: str, keys: list[str]) -> pd.DataFrame:
    numbers, states = _cells(frame.loc[mask, column], 1.0)
    part = frame.loc[mask, keys].assign(number=numbers, state=states)
    part["order"] = part["state"].map(STATE_RANK).fillna(-1)
    grouped = part.groupby(keys, sort=False)
    result = grouped["number"].sum(min_count=1).to_frame()
    worst = grouped["order"].min()
    result["state"] = [STATE_ORDER[int(i)] if i >= 0 else "unreadable" for i in worst]
    result.loc[result["state"] != "published", "number"] = float("nan")
    return result


def read_measure(frame: pd.DataFrame, measure: Measure, layout: str) -> tuple[pd.DataFrame, pd.Series]:
    """The figures the measure reads from the frame (area_code, level, year, value,
    numerator, denominator, state) and the mask of rows it read."""
    base = _matching(frame, measure.filters)
    keys = ["area_code", "level", "year"]
    if measure.value is not None:
        used = base
        values, states = _cells(frame.loc[used, measure.value], measure.scale)
        table = frame.loc[used, keys].assign(value=values, numerator=float("nan"), denominator=float("nan"),
                                             state=states)
        return table, used
    parts, used = {}, pd.Series(False, index=frame.index)
    for name in ("numerator", "numerator_less", "denominator", "denominator_less"):
        rows = getattr(measure, name)
        if rows is None:
            continue
        mask = base & _matching(frame, rows)
        used |= mask
        parts[name] = _sum(frame, mask, measure.count, keys)
    table = parts["denominator"].rename(columns={"number": "denominator", "state": "denominator_state"})
    table = table.join(parts["numerator"].rename(columns={"number": "numerator", "state": "numerator_state"}),
                       how="outer")
    for name, target in (("numerator_less", "numerator"), ("denominator_less", "denominator")):
        if name in parts:
            less = parts[name].rename(columns={"number": "less", "state": "less_state"})
            table = table.join(less, how="left")
            table[target] = table[target] - table["less"].fillna(0)
            bad = table["less_state"].notna() & (table["less_state"] != "published")
            table.loc[bad, f"{target}_state"] = table.loc[bad, "less_state"]
            table = table.drop(columns=["less", "less_state"])
    states = table[["numerator_state", "denominator_state"]].fillna("not_available")
    table["state"] = [min(pair, key=lambda s: STATE_RANK.get(s, -1)) for pair in states.itertuples(index=False)]
    usable = (table["state"] == "published") & (table["denominator"] > 0)
    table["value"] = (table["numerator"] / table["denominator"]).where(usable)
    table.loc[(table["state"] == "published") & ~usable, "state"] = "not_applicable"
    table = table.reset_index()[[*keys, "value", "numerator", "denominator", "state"]]
    return table, used


def _filter_columns(frame: pd.DataFrame, layout: str, known: set[str]) -> list[str]:
    """The file's filter columns: text columns other than time, geography and the counts."""
    if layout == "lait":
        return ["measure_short"]
    geography = {"time_period", "time_identifier", "geographic_level", "country_code", "country_name", "region_code",
                 "region_name", "old_la_code", "la_name", "new_la_code", "pcon_code", "pcon_name", "lad_code",
                 "lad_name", "opendata_id", "year", "area_code", "level"}
    result = []
    for column in frame.columns:
        if column in geography or (column in known and column not in _filters_named()):
            continue
        sample = frame[column].head(2000)
        if pd.to_numeric(sample.str.replace(",", "", regex=False), errors="coerce").notna().mean() < 0.5:
            result.append(column)
    return result


def _filters_named() -> set[str]:
    named = set()
    for m in measures():
        for rows in (m.filters, m.numerator, m.numerator_less, m.denominator, m.denominator_less):
            named |= set(rows or ())
    return named


def _years(column: pd.Series) -> pd.Series:
    """The year ending 31 March: EES writes a reporting year as 2025 and a financial or
    academic year as 202425 (its second year is the one it ends in)."""
    years = pd.to_numeric(column.str[:4], errors="coerce")
    return years.where(column.str.len() != 6, years + 1)


def read_published(path: Path) -> tuple[str, pd.DataFrame, list[str]]:
    """(layout, figures, what was not mapped) for one file; NotAPublishedFile when it is neither layout."""
    frame = read_file(path)
    layout = layout_of(list(frame.columns))
    year_column = "time_period" if layout == "ees" else "years"
    years = _years(frame[year_column])
    frame = frame.assign(year=years)
    frame = frame.join(_areas(frame, layout))
    parts, used = [], pd.Series(False, index=frame.index)
    readable = frame["year"].notna() & (frame["area_code"] != "")
    candidates = [m for m in measures() if m.layout == layout and m.columns <= set(frame.columns)]
    known = {c for m in candidates for c in m.columns}
    # A download may break the rows down further (by sex, say) than a measure names: the
    # measure reads those filters' Total rows, as EES writes them, and never sums the parts.
    with_totals = {c: frame[c].str.lower() == "total" for c in _filter_columns(frame, layout, known)}
    with_totals = {c: mask for c, mask in with_totals.items() if mask.any()}
    for measure in candidates:
        totals = pd.Series(True, index=frame.index)
        for column, mask in with_totals.items():
            if column not in measure.columns:
                totals &= mask
        table, rows = read_measure(frame[readable & totals], measure, layout)
        if table.empty:
            continue
        used |= rows.reindex(frame.index, fill_value=False)
        parts.append(table.assign(measure=measure.key, indicator=measure.indicator))
    figures = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["area_code", "level", "year", "value", "numerator", "denominator", "state", "measure", "indicator"])
    not_mapped = _not_mapped(frame, layout, used, readable, known)
    unreadable = figures["state"] == "unreadable"
    if unreadable.any():
        not_mapped.append(f"{int(unreadable.sum())} figures had a cell that is neither a number nor an EES symbol "
                          "(c, k, x, z): left out")
        figures = figures[~unreadable]
    if figures.empty and not not_mapped:
        not_mapped.append("no row of the file is read by any measure in published_measures.yaml")
    return layout, figures, not_mapped


def _not_mapped(frame: pd.DataFrame, layout: str, used: pd.Series, readable: pd.Series, known: set[str]) -> list[str]:
    lines = []
    areas = frame.loc[~readable & frame["year"].notna(), :]
    if len(areas):
        name_column = "la_and_regions" if layout == "lait" else ("la_name" if "la_name" in frame else "geographic_level")
        names = sorted({str(n) for n in areas[name_column]} - {""})
        lines.append(f"{len(areas)} rows for areas no reference file lists (not imported): "
                     f"{', '.join(names[:EXAMPLES])}{' ...' if len(names) > EXAMPLES else ''}")
    filters = _filter_columns(frame, layout, known)
    if filters:
        left = frame.loc[~used & readable, filters].drop_duplicates()
        if len(left):
            shown = ["; ".join(f"{c}={row[c]}" for c in filters) for _, row in left.head(EXAMPLES).iterrows()]
            lines.append(f"{len(left)} measures no indicator uses (not imported), such as: " + " | ".join(shown)
                         + (" ..." if len(left) > EXAMPLES else ""))
    return lines


def import_published(engine: Engine, path: Path, loaded_by: str,
                     recorded: Callable[[Connection, ImportResult], None] | None = None) -> ImportResult:
    """Import one file as a release, in one transaction; nothing when its content is already in.
    `recorded(conn, result)` runs inside that transaction (the browser's audit event)."""
    result = ImportResult(path)
    content = path.read_bytes()
    sha = hashlib.sha256(content).hexdigest()
    with store.read_connection(engine) as conn:
        result.already = store.published_release(conn, sha)
        known = store.release_measures(conn, result.already["id"]) if result.already else set()
    if result.already and not _new_measures(path, known):
        return result
    layout, figures, result.not_mapped = read_published(path)
    figures = figures[~figures["measure"].isin(known)]
    result.figures = Counter(figures["indicator"])
    result.latest_year = int(figures["year"].max()) if len(figures) else None
    if figures.empty:
        return result
    columns = {name: [None if pd.isna(v) else v for v in figures[name]]
               for name in ("measure", "indicator", "area_code", "level", "value", "numerator", "denominator",
                            "state")}
    columns["year"] = [int(y) for y in figures["year"]]
    if result.already:
        result.added_to = result.already["id"]
        with store.write_transaction(engine) as conn:
            store.add_published_figures(conn, result.already["id"], columns)
            if recorded is not None:
                recorded(conn, result)
        return result
    with store.write_transaction(engine) as conn:
        result.release_id = store.add_published_release(conn, {
            "source_file": path.name, "sha256": sha, "layout": layout, "latest_year": result.latest_year,
            "figure_count": len(figures), "not_mapped": json.dumps(result.not_mapped),
            "loaded_at": dt.datetime.now(dt.UTC), "loaded_by": loaded_by}, columns)
        if recorded is not None:
            recorded(conn, result)
    return result


def _new_measures(path: Path, known: set[str]) -> bool:
    """Whether published_measures.yaml has measures for this file (by its header) that
    its release was not read with."""
    header = set(pd.read_csv(path, dtype=str, nrows=0, encoding="utf-8-sig").columns.str.strip())
    layout = layout_of(list(header))
    return any(m.key not in known for m in measures() if m.layout == layout and m.columns <= header)


def published_files(paths: list[Path]) -> list[Path]:
    """The files named, and the CSV files (gzipped or not) under the folders named, in
    order; in a folder, the reference files read in place (councils, neighbour models,
    population, LAIT's dictionary) are not figures and are passed over."""
    from scorecard.measures import LAIT_DICTIONARY

    reference = {p.name for p in (councils.CODE_LIST, councils.POPULATION, LAIT_DICTIONARY,
                                  *councils.MODEL_FILES.values())}
    found = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.name.endswith((".csv", ".csv.gz"))
                            and p.name not in reference)
        else:
            found.append(path)
    return found
