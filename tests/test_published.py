"""The DfE's published figures: the import of EES tidy CSV and LAIT long files as
releases (ingest/published.py), the councils and neighbour models (scorecard/councils.py),
which measure feeds which indicator (published_measures.yaml), and the comparators built
on them (scorecard/metrics/comparators.py).

Every expected value is picked by hand from the DfE's files (read here independently
with csv and gzip) or from the small EES-shaped files the tests write themselves; the
store is a real one, on SQLite and on PostgreSQL (the `engine` fixture of conftest.py).
"""
from __future__ import annotations

import csv
import gzip
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import func, select

from ingest.published import NotAPublishedFile, import_published, published_files, read_published
from scorecard import councils, measures, store
from scorecard.metrics.calendar import Month
from scorecard.metrics.catalogue import load_catalogue
from scorecard.metrics.comparators import (
    MEAN,
    MEDIAN,
    NOT_YET_PUBLISHED,
    OLDER,
    PUBLISHED,
    PublishedFigures,
    area_comparison,
    neighbour_comparison,
    own_published,
    standing,
)

DFE = councils.DFE_DIR
HEALTH_FILE = DFE / "ees" / "la_conviction_health_outcome_cla.csv.gz"
STABILITY_FILE = DFE / "ees" / "la_cla_placement_stability.csv.gz"
LAIT_FILE = DFE / "lait" / "lait_children_looked_after.csv.gz"

LEICESTERSHIRE, EAST_MIDLANDS, ENGLAND, DEMO = "E10000018", "E12000004", "E92000001", "E10000099"
HEALTH = "health_assessments_up_to_date"
SHORT, LONG = "placement_stability_short", "placement_stability_long"  # lower / higher is better

# The header of the DfE's la_cla_placement_stability.csv, as published.
STABILITY_HEADER = ("time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,"
                    "old_la_code,la_name,new_la_code,cla_group,placement_stability,children_count,children_percent")
GROUPS = {SHORT: ("CLA on 31 March", "With 3 or more placements during the year"),
          LONG: ("Children looked after continuously for at least 2.5 years on 31 March aged under 16 years",
                 "Living with the same carer for at least 2 years")}
COUNTS_HEADER = ("time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,"
                 "old_la_code,la_name,new_la_code,population_type,population_estimate,children_count,rate_per_10000")
ON_31_MARCH = "Children looked after on 31 March each year"

# Month whose covering year (ending 31 March) is the key.
MONTH = {2023: Month.parse("2022-12"), 2024: Month.parse("2023-12"), 2025: Month.parse("2025-03")}


# --- writing small EES-shaped files -------------------------------------------------------

def area(code: str) -> list[str]:
    """The geography columns (geographic_level ... new_la_code) of England, a region or a council."""
    if code == ENGLAND:
        return ["National", ENGLAND, "England", "", "", "", "", ""]
    if code in councils.regions():
        return ["Regional", ENGLAND, "England", code, councils.regions()[code], "", "", ""]
    found = councils.find(code)
    return ["Local authority", ENGLAND, "England", found.region_code, found.region_name, found.la_number,
            found.name, found.code]


def percent(numerator, denominator) -> str:
    if isinstance(numerator, int) and isinstance(denominator, int) and denominator:
        return str(round(100 * numerator / denominator))
    return numerator if isinstance(numerator, str) else "x"


def stability(year: int, geography: list[str], indicator: str, numerator, denominator) -> list[list]:
    """The two rows (numerator, 'Total children') of one area's figure in la_cla_placement_stability."""
    group, label = GROUPS[indicator]
    start = [str(year), "Reporting year", *geography, group]
    return [[*start, label, str(numerator), percent(numerator, denominator)],
            [*start, "Total children", str(denominator), "100" if isinstance(denominator, int) else str(denominator)]]


def write_file(path: Path, header: str, rows: list[list]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header.split(","))
        writer.writerows(rows)
    return path


def stability_file(path: Path, figures: list[tuple]) -> Path:
    """figures: (year, area code, indicator, numerator, denominator), a count or an EES symbol."""
    rows = []
    for year, code, indicator, numerator, denominator in figures:
        rows += stability(year, area(code), indicator, numerator, denominator)
    return write_file(path, STABILITY_HEADER, rows)


# --- reading the store and the DfE's files ------------------------------------------------

def stored(engine, **where) -> list[dict]:
    with store.read_connection(engine) as conn:
        rows = store.published_rows(conn)
    return [r for r in rows if all(r[k] == v for k, v in where.items())]


def one(engine, **where) -> dict:
    rows = stored(engine, **where)
    assert len(rows) == 1, f"expected one stored figure for {where}, found {len(rows)}"
    return rows[0]


def figure_count(engine) -> int:
    with store.read_connection(engine) as conn:
        return conn.execute(select(func.count()).select_from(store.published_figures)).scalar_one()


def published(engine) -> PublishedFigures:
    with store.read_connection(engine) as conn:
        return PublishedFigures(pd.DataFrame(store.published_rows(conn)))


def raw_rows(path: Path) -> list[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def health_raw() -> dict[tuple[int, str, str], str]:
    """(year, area code, breakdown) -> children_count of the health assessment rows, as the DfE wrote it."""
    result = {}
    for row in raw_rows(HEALTH_FILE):
        if row["characteristic"] != "Health assessments: Children looked after all ages":
            continue
        level = row["geographic_level"]
        code = ENGLAND if level == "National" else row["region_code"] if level == "Regional" else row["new_la_code"]
        result[(int(row["time_period"]), code, row["breakdown"])] = row["children_count"]
    return result


# --- the real EES file --------------------------------------------------------------------

def test_real_health_assessments_match_the_dfe_file(engine, health_raw):
    result = import_published(engine, HEALTH_FILE, "tester")
    assert result.release_id is not None and result.already is None
    assert result.latest_year == 2025

    # Hand-picked from the file: Leicestershire 2024/25, 437 of 479 had their annual health assessment.
    leics = one(engine, indicator=HEALTH, area_code=LEICESTERSHIRE, year=2025)
    assert (leics["numerator"], leics["denominator"]) == (437, 479)
    assert leics["value"] == pytest.approx(437 / 479)
    assert leics["state"] == "published" and leics["level"] == "local_authority"
    assert leics["source_file"] == "la_conviction_health_outcome_cla.csv.gz" and leics["latest_year"] == 2025
    dental = one(engine, indicator="dental_checks", area_code=LEICESTERSHIRE, year=2025)
    assert (dental["numerator"], dental["denominator"]) == (446, 479)

    # A few more councils, England and a region, against the file read here with csv.
    picks = [(2025, LEICESTERSHIRE, "local_authority"), (2022, LEICESTERSHIRE, "local_authority"),
             (2023, "E09000002", "local_authority"),  # Barking and Dagenham
             (2021, "E08000025", "local_authority"),  # Birmingham
             (2024, "E06000061", "local_authority"),  # North Northamptonshire
             (2025, ENGLAND, "national"), (2024, EAST_MIDLANDS, "regional")]
    for year, code, level in picks:
        numerator = float(health_raw[(year, code, "Had their annual health assessment")])
        denominator = float(health_raw[(year, code, "Total all ages")])
        row = one(engine, indicator=HEALTH, area_code=code, year=year)
        assert row["level"] == level, (year, code)
        assert (row["numerator"], row["denominator"]) == (numerator, denominator), (year, code)
        assert row["value"] == pytest.approx(numerator / denominator), (year, code)

    # Every area and year of the file's health rows is one figure; none is a zero in place of a symbol.
    expected = {(y, c) for (y, c, b) in health_raw if b == "Total all ages"}
    assert result.figures[HEALTH] == len(expected)
    assert {(r["year"], r["area_code"]) for r in stored(engine, indicator=HEALTH)} == expected
    # City of London: "c" in the file -> suppressed; Isles of Scilly 2025: "z" -> not applicable.
    assert health_raw[(2024, "E09000001", "Total all ages")] == "c"
    city = one(engine, indicator=HEALTH, area_code="E09000001", year=2024)
    assert city["state"] == "suppressed" and city["value"] is None
    assert health_raw[(2025, "E06000053", "Had their annual health assessment")] == "z"
    scilly = one(engine, indicator=HEALTH, area_code="E06000053", year=2025)
    assert scilly["state"] == "not_applicable" and scilly["value"] is None

    with store.read_connection(engine) as conn:
        (release,) = store.published_releases_list(conn)
    assert release["layout"] == "ees" and release["figure_count"] == figure_count(engine)


# --- EES symbols --------------------------------------------------------------------------

def test_ees_symbols_become_states_never_zero(engine, tmp_path):
    path = stability_file(tmp_path / "stability.csv", [
        (2025, LEICESTERSHIRE, SHORT, "c", 700),
        (2025, "E10000007", SHORT, "k", 650),          # Derbyshire
        (2025, "E10000024", SHORT, "x", 800),          # Nottinghamshire
        (2025, "E10000019", SHORT, "z", "z"),          # Lincolnshire
        (2025, "E06000017", SHORT, 0, 0),              # Rutland: 0 of 0 is not applicable, not 0%
        (2025, "E06000018", SHORT, 12, 60),            # Nottingham: a published figure
        (2025, "E06000015", SHORT, 0, 60),             # Derby: a real zero stays a zero
    ])
    result = import_published(engine, path, "tester")
    assert result.figures[SHORT] == 7

    expected = {LEICESTERSHIRE: "suppressed", "E10000007": "rounds_to_zero", "E10000024": "not_available",
                "E10000019": "not_applicable", "E06000017": "not_applicable"}
    for code, state in expected.items():
        row = one(engine, indicator=SHORT, area_code=code, year=2025)
        assert row["state"] == state, code
        assert row["value"] is None, code            # never 0
        assert row["numerator"] != 0 or code == "E06000017", code
    assert one(engine, indicator=SHORT, area_code=LEICESTERSHIRE, year=2025)["denominator"] == 700
    nottingham = one(engine, indicator=SHORT, area_code="E06000018", year=2025)
    assert (nottingham["state"], nottingham["value"]) == ("published", pytest.approx(0.2))
    derby = one(engine, indicator=SHORT, area_code="E06000015", year=2025)
    assert (derby["state"], derby["value"]) == ("published", 0.0)

    # Only published figures are compared with: the symbols are neither values nor zeros.
    figures = published(engine)
    assert figures.council_values(SHORT, 2025) == {"E06000018": pytest.approx(0.2), "E06000015": 0.0}
    own = own_published(figures, SHORT, MONTH[2025], LEICESTERSHIRE)
    assert own.state == NOT_YET_PUBLISHED and own.value is None and "suppressed" in own.note


def test_ees_symbols_in_a_value_column(engine, tmp_path):
    """A figure read straight from a column (children_count, rate_per_10000) takes the symbol's state too."""
    def counts(code, count, rate):
        return ["2025", "Reporting year", *area(code), ON_31_MARCH, "1000", count, rate]

    path = write_file(tmp_path / "counts.csv", COUNTS_HEADER, [
        counts(LEICESTERSHIRE, "c", "c"), counts("E10000007", "k", "k"), counts("E10000024", "x", "x"),
        counts("E10000019", "z", "z"), counts("E06000018", "1,234", "56")])
    import_published(engine, path, "tester")
    for code, state in {LEICESTERSHIRE: "suppressed", "E10000007": "rounds_to_zero", "E10000024": "not_available",
                        "E10000019": "not_applicable"}.items():
        for indicator in ("children_in_care", "children_in_care_rate"):
            row = one(engine, indicator=indicator, area_code=code, year=2025)
            assert (row["state"], row["value"]) == (state, None), (code, indicator)
    assert one(engine, indicator="children_in_care", area_code="E06000018", year=2025)["value"] == 1234
    assert one(engine, indicator="children_in_care_rate", area_code="E06000018", year=2025)["value"] == 56


# --- releases -----------------------------------------------------------------------------

def test_importing_the_same_file_twice_adds_nothing(engine, tmp_path):
    first = import_published(engine, STABILITY_FILE, "tester")
    assert first.release_id is not None and first.already is None
    count = figure_count(engine)
    assert count == sum(first.figures.values()) > 0

    again = import_published(engine, STABILITY_FILE, "someone else")
    assert again.already is not None and again.already["id"] == first.release_id
    assert again.release_id is None and again.added_to is None and sum(again.figures.values()) == 0
    # The same content under another name is the same release.
    copy = shutil.copy(STABILITY_FILE, tmp_path / "renamed.csv.gz")
    assert import_published(engine, Path(copy), "tester").already["id"] == first.release_id

    assert figure_count(engine) == count
    with store.read_connection(engine) as conn:
        assert len(store.published_releases_list(conn)) == 1


@pytest.mark.parametrize("order", ["older first", "newer first"])
def test_a_later_release_revises_the_years_it_repeats(engine, tmp_path, order):
    older = stability_file(tmp_path / "release_2024.csv", [
        (2023, LEICESTERSHIRE, LONG, 55, 100), (2024, LEICESTERSHIRE, LONG, 60, 100)])
    newer = stability_file(tmp_path / "release_2025.csv", [
        (2024, LEICESTERSHIRE, LONG, 62, 100), (2025, LEICESTERSHIRE, LONG, 70, 100)])
    paths = [older, newer] if order == "older first" else [newer, older]
    results = {p.name: import_published(engine, p, "tester") for p in paths}
    assert results["release_2024.csv"].latest_year == 2024 and results["release_2025.csv"].latest_year == 2025

    # Both releases are kept: 2024 is in the store twice, once from each.
    kept = sorted((r["source_file"], r["value"]) for r in stored(engine, indicator=LONG, area_code=LEICESTERSHIRE,
                                                                  year=2024))
    assert kept == [("release_2024.csv", pytest.approx(0.60)), ("release_2025.csv", pytest.approx(0.62))]

    figures = published(engine)
    revised = figures.figure(LONG, 2024, LEICESTERSHIRE)
    assert revised["value"] == pytest.approx(0.62) and revised["source_file"] == "release_2025.csv"
    assert figures.figure(LONG, 2023, LEICESTERSHIRE)["value"] == pytest.approx(0.55)  # only the older has it
    assert figures.figure(LONG, 2025, LEICESTERSHIRE)["value"] == pytest.approx(0.70)
    own = own_published(figures, LONG, MONTH[2024], LEICESTERSHIRE)
    assert own.value == pytest.approx(0.62) and own.source == "release_2025.csv (release with 2025)"


# --- what could not be mapped -------------------------------------------------------------

def test_what_could_not_be_mapped_is_listed(engine, tmp_path):
    unused = [["2025", "Reporting year", *area(LEICESTERSHIRE), "CLA 2 years on 31 March",
               "With 3 or more placements during the previous 2 years", "80", "11"]]
    # An LA no reference file lists (no ONS code, an LA number nobody has), and a geography
    # the DfE's CLA files do not use.
    elsewhere = [["2025", "Reporting year", "Local authority", ENGLAND, "England", EAST_MIDLANDS, "East Midlands",
                  "998", "Elsewhere", "", *GROUPS[SHORT], "5", "10"],
                 ["2025", "Reporting year", "Local authority", ENGLAND, "England", EAST_MIDLANDS, "East Midlands",
                  "998", "Elsewhere", "", GROUPS[SHORT][0], "Total children", "50", "100"],
                 ["2025", "Reporting year", "Local authority district", ENGLAND, "England", EAST_MIDLANDS,
                  "East Midlands", "", "Charnwood", "E07000130", GROUPS[SHORT][0], "Total children", "50", "100"]]
    path = write_file(tmp_path / "stability.csv", STABILITY_HEADER,
                      stability(2025, area(LEICESTERSHIRE), SHORT, 63, 700) + unused + elsewhere)
    result = import_published(engine, path, "tester")

    assert result.figures == {SHORT: 1}
    lines = " / ".join(result.not_mapped)
    assert "With 3 or more placements during the previous 2 years" in lines
    assert "CLA 2 years on 31 March" in lines
    unknown = next(line for line in result.not_mapped if "Elsewhere" in line)
    assert unknown.startswith("3 rows for areas") and "Charnwood" in unknown and "not imported" in unknown
    assert {r["area_code"] for r in stored(engine)} == {LEICESTERSHIRE}
    with store.read_connection(engine) as conn:
        (release,) = store.published_releases_list(conn)
    assert "previous 2 years" in release["not_mapped"] and "Elsewhere" in release["not_mapped"]


def test_a_row_for_a_council_no_reference_file_lists_is_listed_not_imported(engine, tmp_path):
    """A well-formed ONS code and LA number that no reference file has (say, a mistyped
    code, or a council of another country) is not a council to rank or compare with."""
    nowhere = ["Local authority", ENGLAND, "England", EAST_MIDLANDS, "East Midlands", "999", "Nowhere", "E06999999"]
    path = write_file(tmp_path / "stability.csv", STABILITY_HEADER,
                      stability(2025, area(LEICESTERSHIRE), SHORT, 63, 700) + stability(2025, nowhere, SHORT, 5, 50))
    result = import_published(engine, path, "tester")
    assert {r["area_code"] for r in stored(engine)} == {LEICESTERSHIRE}
    assert any("Nowhere" in line and "not imported" in line for line in result.not_mapped), result.not_mapped


def test_a_file_in_neither_layout_is_refused(engine, tmp_path):
    wrong = write_file(tmp_path / "budget.csv", "council,year,spend", [["Leicestershire", "2025", "12"]])
    with pytest.raises(NotAPublishedFile) as raised:
        import_published(engine, wrong, "tester")
    message = str(raised.value)
    assert "neither an Explore Education Statistics tidy file" in message
    assert "time_period, geographic_level" in message and "measure_short" in message
    assert "its columns are council, year, spend" in message
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(NotAPublishedFile, match="not a CSV file pandas can read"):
        read_published(empty)
    binary = tmp_path / "scorecard.csv"
    binary.write_bytes(b"\xff\xfe\x00\x81\x82 not text \x9c\x00")
    with pytest.raises(NotAPublishedFile):
        import_published(engine, binary, "tester")
    assert figure_count(engine) == 0
    with store.read_connection(engine) as conn:
        assert store.published_releases_list(conn) == []


def test_published_files_passes_over_the_reference_files():
    figures = sorted([*(DFE / "ees").iterdir(), LAIT_FILE])
    assert published_files([DFE]) == figures
    assert published_files([HEALTH_FILE, DFE / "lait"]) == [HEALTH_FILE, LAIT_FILE]


# --- rank and band ------------------------------------------------------------------------

# Nine East Midlands councils, out of 100 each: sorted .1 .2 .3 .3 .5 .6 .7 .8 .9, so
# numpy's quartiles (R's type 7) fall on values: q25 = .3, q50 = .5, q75 = .7.
NINE = {"E06000015": 10, "E06000016": 20, "E06000017": 30, "E06000018": 30, "E10000007": 50,
        LEICESTERSHIRE: 60, "E10000019": 70, "E10000024": 80, "E06000061": 90}
RUTLAND, NOTTINGHAM, DERBY, DERBYSHIRE, LEICESTER = "E06000017", "E06000018", "E06000015", "E10000007", "E06000016"
WEST_NORTHANTS = "E06000062"


@pytest.fixture
def ranked(engine, tmp_path) -> PublishedFigures:
    """2025: the nine councils for both stability indicators, West Northamptonshire
    suppressed, and England and the region with values that would be best if counted.
    2024: four councils .1 .2 .3 .4, whose type-7 quartiles are .175, .25 and .325."""
    rows = []
    for indicator in (SHORT, LONG):
        rows += [(2025, code, indicator, n, 100) for code, n in NINE.items()]
        rows += [(2025, WEST_NORTHANTS, indicator, "c", 100)]
        rows += [(2025, ENGLAND, indicator, 0 if indicator == SHORT else 100, 100),
                 (2025, EAST_MIDLANDS, indicator, 0 if indicator == SHORT else 100, 100)]
        rows += [(2024, code, indicator, n, 100) for code, n in zip((DERBY, LEICESTER, RUTLAND, NOTTINGHAM),
                                                                     (10, 20, 30, 40), strict=True)]
    import_published(engine, stability_file(tmp_path / "ranked.csv", rows), "tester")
    return published(engine)


def test_rank_ties_share_the_better_rank_and_polarity_decides_best(ranked):
    # Lower is better (3+ placements): .1 .2 .3 .3 .5 ... -> ranks 1 2 3 3 5 ...
    lower = {code: standing(ranked, SHORT, MONTH[2025], code, n / 100, False) for code, n in NINE.items()}
    assert {code: s.rank for code, s in lower.items()} == {
        DERBY: 1, LEICESTER: 2, RUTLAND: 3, NOTTINGHAM: 3, DERBYSHIRE: 5, LEICESTERSHIRE: 6, "E10000019": 7,
        "E10000024": 8, "E06000061": 9}
    # Higher is better (same carer 2 years): .9 first; the tie at .3 shares rank 6, .2 is 8th.
    higher = {code: standing(ranked, LONG, MONTH[2025], code, n / 100, True) for code, n in NINE.items()}
    assert {code: s.rank for code, s in higher.items()} == {
        "E06000061": 1, "E10000024": 2, "E10000019": 3, LEICESTERSHIRE: 4, DERBYSHIRE: 5, RUTLAND: 6,
        NOTTINGHAM: 6, LEICESTER: 8, DERBY: 9}
    # "of N": the nine councils with a value (itself included); not England, the region or the suppressed one.
    assert {s.of for s in [*lower.values(), *higher.values()]} == {9}
    assert lower[RUTLAND].period == "2024/25"
    # A council with no published value of its own (suppressed; the demo county) is ranked among the nine: of 10.
    for code in (WEST_NORTHANTS, DEMO):
        placed = standing(ranked, SHORT, MONTH[2025], code, 0.3, False)
        assert (placed.rank, placed.of) == (3, 10), code
        placed = standing(ranked, LONG, MONTH[2025], code, 0.95, True)
        assert (placed.rank, placed.of) == (1, 10), code
    # The monthly figure is what is ranked, not the council's published one.
    assert standing(ranked, SHORT, MONTH[2025], LEICESTERSHIRE, 0.05, False).rank == 1


def test_a_context_figure_or_no_figure_is_not_ranked(ranked):
    assert standing(ranked, SHORT, MONTH[2025], LEICESTERSHIRE, 0.6, None) is None
    assert standing(ranked, SHORT, MONTH[2025], LEICESTERSHIRE, None, False) is None
    assert standing(ranked, "children_in_care", MONTH[2025], LEICESTERSHIRE, 600.0, True) is None  # none published


@pytest.mark.parametrize(("value", "lower_band", "higher_band"), [
    (0.05, "A", "D"), (0.3, "A", "D"), (0.31, "B", "C"), (0.5, "B", "C"), (0.51, "C", "B"),
    (0.7, "C", "B"), (0.71, "D", "A"), (0.95, "D", "A")])
def test_bands_are_lait_quartiles(ranked, value, lower_band, higher_band):
    """q25 = .3, q50 = .5, q75 = .7: for lower-is-better a value at or below q25 is A; for
    higher-is-better a value above q75 is A (at q75 is B)."""
    assert standing(ranked, SHORT, MONTH[2025], RUTLAND, value, False).band == lower_band
    assert standing(ranked, LONG, MONTH[2025], RUTLAND, value, True).band == higher_band


def test_bands_use_numpys_default_quartiles(ranked):
    """.1 .2 .3 .4: numpy's default (R type 7) gives q25 .175 and q75 .325; another
    definition (type 6, Excel's PERCENTILE.EXC) would give .125 and .375."""
    assert np.quantile([0.1, 0.2, 0.3, 0.4], [0.25, 0.75]) == pytest.approx([0.175, 0.325])
    assert standing(ranked, LONG, MONTH[2024], RUTLAND, 0.35, True).band == "A"    # type 6: B
    assert standing(ranked, SHORT, MONTH[2024], RUTLAND, 0.17, False).band == "A"  # type 6: B
    assert standing(ranked, SHORT, MONTH[2024], RUTLAND, 0.18, False).band == "B"
    assert standing(ranked, SHORT, MONTH[2024], RUTLAND, 0.3, False).of == 4


def test_measures_lait_does_not_band_are_not_banded(ranked, monkeypatch):
    uasc = measures.Measure(indicator="uasc_percent", layout="lait", file="lait_children_looked_after",
                            filters={"measure_short": "Unacc_Asylmn_Seek_Childn%"}, value="value", scale=0.01,
                            measured="at 31 March", lait_measure="Unacc_Asylmn_Seek_Childn%")
    assert measures.lait_dictionary()["Unacc_Asylmn_Seek_Childn%"]["No_Quartile"] == "N"
    assert measures.banded(uasc) is False
    assert measures.banded(uasc.model_copy(update={"lait_measure": "LACHealth%"})) is True
    assert measures.banded(uasc.model_copy(update={"lait_measure": None})) is True
    # Every measure in published_measures.yaml is banded exactly when LAIT bands its LAIT measure.
    for m in measures.measures():
        if m.lait_measure:
            assert measures.banded(m) == (measures.lait_dictionary()[m.lait_measure]["No_Quartile"] != "N")

    # Were LAIT not to band 3+ placements, its figures would be ranked but not banded.
    dictionary = {k: dict(v) for k, v in measures.lait_dictionary().items()}
    dictionary["LACStable_2016on"]["No_Quartile"] = "N"
    monkeypatch.setattr(measures, "lait_dictionary", lambda: dictionary)
    placed = standing(ranked, SHORT, MONTH[2025], RUTLAND, 0.3, False)
    assert (placed.rank, placed.band) == (3, None)
    assert standing(ranked, LONG, MONTH[2025], RUTLAND, 0.3, True).band == "D"  # LAC_LongStable% still banded


# --- statistical neighbours ---------------------------------------------------------------

# Leicestershire's ten neighbours in the May 2025 model, closest first, as the DfE's file lists them.
LEICS_2025 = ["916", "803", "937", "802", "850", "865", "933", "938", "811", "891"]
HAMPSHIRE, SOMERSET = "E10000014", "E06000066"


def test_leicestershires_neighbours_are_the_dfe_files(tmp_path):
    (row,) = [r for r in raw_rows(councils.MODEL_FILES["2025"]) if r["old_la_code"] == "855"]
    assert [row[f"SN_{i}"] for i in range(1, 11)] == LEICS_2025
    group = councils.neighbours(LEICESTERSHIRE, "2025")
    assert [n.la_number for n in group] == LEICS_2025
    assert [n.position for n in group] == list(range(1, 11))
    assert (group[0].name, group[4].code, group[6].code) == ("Gloucestershire", HAMPSHIRE, SOMERSET)


@pytest.fixture
def neighbourhood(engine, tmp_path) -> PublishedFigures:
    """Long-term stability (out of 100) of Leicestershire's ten neighbours:
    2025, Hampshire suppressed; 2024, Hampshire missing and Somerset suppressed; 2023, all ten."""
    codes = [n.code for n in councils.neighbours(LEICESTERSHIRE, "2025")]
    v2025 = dict(zip(codes, [50, 60, 70, 40, "c", 98, 55, 65, 75, 45], strict=True))
    v2024 = dict(zip(codes, [50, 60, 70, 40, None, 98, "c", 65, 75, 45], strict=True))
    v2023 = dict(zip(codes, [61, 62, 63, 64, 65, 66, 67, 68, 69, 70], strict=True))
    rows = [(2025, LEICESTERSHIRE, LONG, 58, 100), (2025, EAST_MIDLANDS, LONG, 66, 100),
            (2025, ENGLAND, LONG, 69, 100)]
    for year, values in ((2025, v2025), (2024, v2024), (2023, v2023)):
        rows += [(year, code, LONG, n, 100) for code, n in values.items() if n is not None]
    import_published(engine, stability_file(tmp_path / "neighbours.csv", rows), "tester")
    return published(engine)


def test_neighbour_mean_leaves_out_a_suppressed_neighbour_and_names_it(neighbourhood):
    mean = neighbour_comparison(neighbourhood, LONG, MONTH[2025], LEICESTERSHIRE, "2025", MEAN)
    # (.5 + .6 + .7 + .4 + .98 + .55 + .65 + .75 + .45) / 9 = 5.58 / 9 = .62
    assert mean.value == pytest.approx(0.62)
    assert mean.state == PUBLISHED and mean.period == "2024/25"
    assert mean.name == "Statistical neighbours (mean of 9 of 10, 2025 model)"
    assert "9 of the 10 neighbours have a published figure (not: Hampshire)" in mean.note
    assert len(mean.members) == 10
    assert mean.members[4] == ("Hampshire", None, "Very close", "suppressed")
    assert mean.members[0] == ("Gloucestershire", pytest.approx(0.5), "Very close", "published")
    assert mean.source == "neighbours.csv (release with 2025)"

    median = neighbour_comparison(neighbourhood, LONG, MONTH[2025], LEICESTERSHIRE, "2025", MEDIAN)
    # sorted .4 .45 .5 .55 .6 .65 .7 .75 .98: the fifth
    assert median.value == pytest.approx(0.60)
    assert median.name == "Statistical neighbours (median of 9 of 10, 2025 model)"


def test_neighbour_missing_and_suppressed(neighbourhood):
    mean = neighbour_comparison(neighbourhood, LONG, MONTH[2024], LEICESTERSHIRE, "2025", MEAN)
    # Hampshire has no row, Somerset is suppressed: (.5 + .6 + .7 + .4 + .98 + .65 + .75 + .45) / 8
    assert mean.value == pytest.approx(5.03 / 8)
    assert mean.name == "Statistical neighbours (mean of 8 of 10, 2025 model)"
    assert "(not: Hampshire, Somerset)" in mean.note
    assert mean.members[4][1:] == (None, "Very close", "not_available")
    assert mean.members[6][1:] == (None, "Very close", "suppressed")
    median = neighbour_comparison(neighbourhood, LONG, MONTH[2024], LEICESTERSHIRE, "2025", MEDIAN)
    assert median.value == pytest.approx((0.6 + 0.65) / 2)  # .4 .45 .5 .6 .65 .7 .75 .98

    every = neighbour_comparison(neighbourhood, LONG, MONTH[2023], LEICESTERSHIRE, "2025", MEAN)
    assert every.value == pytest.approx(0.655)
    assert every.name == "Statistical neighbours (mean of 10, 2025 model)" and every.note == ""
    assert neighbour_comparison(neighbourhood, LONG, MONTH[2023], LEICESTERSHIRE, "2025", MEDIAN).value == \
        pytest.approx(0.655)


def test_a_month_after_the_latest_year_is_compared_with_it_saying_so(neighbourhood):
    later = Month.parse("2026-06")
    mean = neighbour_comparison(neighbourhood, LONG, later, LEICESTERSHIRE, "2025", MEAN)
    assert mean.state == OLDER and mean.period == "2024/25" and mean.value == pytest.approx(0.62)
    assert "latest published is 2024/25, older than 2026-06" in mean.note
    before = neighbour_comparison(neighbourhood, LONG, Month.parse("2021-06"), LEICESTERSHIRE, "2025", MEAN)
    assert before.state == NOT_YET_PUBLISHED and before.value is None


def test_the_demo_county_is_compared_as_leicestershire(neighbourhood):
    demo = councils.find(DEMO)
    assert demo.compared_as == "855" and demo.la_number == ""
    assert (demo.region_code, demo.region_name) == (EAST_MIDLANDS, "East Midlands")
    for model in ("2025", "2021"):
        assert councils.neighbours(DEMO, model) == councils.neighbours(LEICESTERSHIRE, model)
    assert councils.compared_with(DEMO) == "Leicestershire"

    ours = neighbour_comparison(neighbourhood, LONG, MONTH[2025], DEMO, "2025", MEAN)
    theirs = neighbour_comparison(neighbourhood, LONG, MONTH[2025], LEICESTERSHIRE, "2025", MEAN)
    assert (ours.value, ours.name, ours.members) == (theirs.value, theirs.name, theirs.members)
    region = area_comparison(neighbourhood, LONG, MONTH[2025], "region", demo.region_code, demo.region_name)
    assert (region.state, region.value, region.name) == (PUBLISHED, pytest.approx(0.66), "East Midlands")
    england = area_comparison(neighbourhood, LONG, MONTH[2025], "england", ENGLAND, "England")
    assert england.value == pytest.approx(0.69) and england.measured == "at 31 March 2025"
    # The demo county is not in the DfE's figures: it has no published figure of its own.
    assert own_published(neighbourhood, LONG, MONTH[2025], DEMO).state is None
    assert own_published(neighbourhood, LONG, MONTH[2025], LEICESTERSHIRE).value == pytest.approx(0.58)


# --- councils -----------------------------------------------------------------------------

def test_a_reorganised_council(neighbourhood):
    northants = councils.find("928")
    assert northants.name == "Northamptonshire" and northants.code == "E10000021"
    assert northants.current is False and "reorganised away" in northants.note
    assert councils.find("E10000021") == northants

    (row,) = [r for r in raw_rows(councils.MODEL_FILES["2021"]) if r["LA num"] == "928"]
    group = councils.neighbours(northants.code, "2021")
    assert [n.la_number for n in group] == [row[f"SN{i}"] for i in range(1, 11)]
    assert (group[0].name, group[0].code) == ("Kent", "E10000016")
    assert all(councils.find(n.code) is not None for n in group)
    # The 2025 model was made after it was abolished: no neighbours, said so.
    assert councils.neighbours(northants.code, "2025") == ()
    none = neighbour_comparison(neighbourhood, LONG, MONTH[2025], northants.code, "2025", MEAN)
    assert none.state is None and none.value is None
    assert "Northamptonshire has no neighbours in the DfE statistical neighbour model of May 2025" in none.note
    # Its successors are current councils with neighbours in the 2025 model.
    for number in ("940", "941"):
        assert councils.find(number).current and len(councils.neighbours(councils.find(number).code)) == 10


def test_resolve_takes_a_code_a_number_or_a_name():
    assert councils.resolve("855") == LEICESTERSHIRE
    assert councils.resolve(" E10000018 ") == LEICESTERSHIRE
    assert councils.resolve("e10000018") == LEICESTERSHIRE
    assert councils.resolve("leicestershire") == LEICESTERSHIRE
    assert councils.resolve("928") == "E10000021"
    with pytest.raises(councils.UnknownCouncil, match="did you mean Leicestershire"):
        councils.resolve("Leicestershre")


# --- the real LAIT long file --------------------------------------------------------------

@pytest.fixture(scope="module")
def lait_raw() -> dict[tuple[str, str, str], str]:
    """(measure_short, year, la_number) -> value, as LAIT wrote it."""
    return {(r["measure_short"], r["years"], r["la_number"]): r["value"] for r in raw_rows(LAIT_FILE)}


def test_real_lait_file(engine, lait_raw):
    result = import_published(engine, LAIT_FILE, "tester")
    assert result.release_id is not None and result.latest_year == 2025

    # LACHealth% for Leicestershire (855) in 2018: LAIT's 80 (a percentage) is 0.80.
    assert lait_raw[("LACHealth%", "2018", "855")] == "80"
    leics = one(engine, indicator=HEALTH, area_code=LEICESTERSHIRE, year=2018)
    assert leics["value"] == pytest.approx(0.80) and leics["state"] == "published"
    (lait_health,) = [m for m in measures.for_indicator(HEALTH) if m.layout == "lait"]
    assert leics["measure"] == lait_health.key
    assert leics["numerator"] is None and leics["denominator"] is None
    for measure, indicator, year, number, code, scale in [
            ("LACDental%", "dental_checks", "2019", "855", LEICESTERSHIRE, 0.01),
            ("LAC_LongStable%", LONG, "2019", "855", LEICESTERSHIRE, 0.01),
            ("LACStable_2016on", SHORT, "2016", "831", "E06000015", 0.01),            # Derby
            ("CareLeaverEET", "care_leavers_eet_19_21", "2020", "928", "E10000021", 0.01),  # Northamptonshire
            ("LACnum", "children_in_care", "2017", "855", LEICESTERSHIRE, 1),
            ("LAC", "children_in_care_rate", "2017", "855", LEICESTERSHIRE, 1),
            ("LACHealth%", HEALTH, "2018", "970", ENGLAND, 0.01),
            ("LACHealth%", HEALTH, "2018", "983", EAST_MIDLANDS, 0.01)]:
        row = one(engine, indicator=indicator, area_code=code, year=int(year))
        assert row["value"] == pytest.approx(float(lait_raw[(measure, year, number)]) * scale), (measure, number)
    assert one(engine, indicator=HEALTH, area_code=ENGLAND, year=2018)["level"] == "national"
    assert one(engine, indicator=HEALTH, area_code=EAST_MIDLANDS, year=2018)["level"] == "regional"

    # LAIT's "-" is not available, never a zero: Cumberland (942) had no care leavers' figure in 2016.
    assert lait_raw[("CareLeaverAcc", "2016", "942")] == "-"
    dash = one(engine, indicator="care_leavers_suitable_accommodation_19_21", area_code="E06000063", year=2016)
    assert (dash["state"], dash["value"]) == ("not_available", None)
    dashes = [k for k, v in lait_raw.items() if v == "-" and k[0] == "LACHealth%" and councils.by_la_number(k[2])]
    assert dashes
    for measure, year, number in dashes:
        row = one(engine, indicator=HEALTH, area_code=councils.by_la_number(number).code, year=int(year))
        assert (row["state"], row["value"]) == ("not_available", None)

    # Measures no indicator uses are listed, not imported.
    assert any("measure_short=Children_missing" in line for line in result.not_mapped)


def test_lait_inner_and_outer_london_are_regions(engine, lait_raw):
    """LAIT calls the London halves 'London (Inner)' (987) and 'London (Outer)' (988); the
    ONS file, and so every London borough's region, 'Inner London' and 'Outer London'."""
    import_published(engine, LAIT_FILE, "tester")
    assert councils.find("302").region_code == "E13000002"  # Barnet: Outer London
    for number, code in (("987", "E13000001"), ("988", "E13000002")):
        row = one(engine, indicator=HEALTH, area_code=code, year=2018)
        assert row["level"] == "regional"
        assert row["value"] == pytest.approx(float(lait_raw[("LACHealth%", "2018", number)]) / 100)


def test_ees_before_lait_for_a_year_both_have(engine, lait_raw):
    import_published(engine, LAIT_FILE, "tester")
    import_published(engine, HEALTH_FILE, "tester")
    figures = published(engine)
    ees = figures.figure(HEALTH, 2025, LEICESTERSHIRE)
    assert ees["value"] == pytest.approx(437 / 479) and ees["measure"].startswith("ees:")
    assert len(stored(engine, indicator=HEALTH, area_code=LEICESTERSHIRE, year=2025)) == 2  # LAIT's 91 kept too
    assert lait_raw[("LACHealth%", "2025", "855")] == "91"
    older = figures.figure(HEALTH, 2018, LEICESTERSHIRE)  # only LAIT has 2018
    assert older["value"] == pytest.approx(0.80) and older["measure"].startswith("lait:")
    assert figures.years[HEALTH] == list(range(2018, 2026))


# --- published_measures.yaml against metrics.yaml and LAIT's dictionary -------------------

def test_every_published_indicator_has_its_benchmarks():
    catalogue = {i.id: i for i in load_catalogue().indicators}
    fed = {m.indicator for m in measures.measures()}
    assert fed <= set(catalogue), fed - set(catalogue)
    assert len(fed) >= 15
    for indicator in sorted(fed):
        benchmarks = {b.value for b in catalogue[indicator].benchmarks}
        if indicator == "children_in_care":  # a count: no neighbour average
            assert benchmarks == {"england", "region"}, indicator
        else:
            assert benchmarks == {"england", "statistical_neighbours", "region"}, indicator


def test_lait_polarity_agrees_with_the_indicators():
    catalogue = {i.id: i for i in load_catalogue().indicators}
    dictionary = measures.lait_dictionary()
    words = {"High": "higher", "Low": "lower"}
    checked = 0
    for m in measures.measures():
        if m.lait_measure is None:
            continue
        assert m.lait_measure in dictionary, f"{m.lait_measure} is not in LAIT's data dictionary"
        lait = dictionary[m.lait_measure]["Polarity"]
        ours = catalogue[m.indicator].polarity.value
        if lait in words and ours in ("higher", "lower"):
            assert words[lait] == ours, (m.indicator, m.lait_measure, lait, ours)
            checked += 1
        if ours == "context":  # LAIT passes no judgement on a context figure either
            assert lait not in words, (m.indicator, m.lait_measure, lait)
    assert checked >= 8
