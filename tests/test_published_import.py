"""The import of the DfE's published figures (ingest/published.py): EES tidy CSV and LAIT's
long file as kept releases, symbols as states, what could not be mapped, and the
measures file against metrics.yaml. Expected values are read from the DfE's files here,
independently, or written by the tests; the store is real (SQLite and PostgreSQL)."""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from ingest.published import NotAPublishedFile, import_published, published_files, read_published
from scorecard import councils, measures, store
from scorecard.metrics.catalogue import load_catalogue
from scorecard.metrics.comparators import (
    NOT_YET_PUBLISHED,
    own_published,
)

from published_files import (
    COUNTS_HEADER,
    DFE,
    EAST_MIDLANDS,
    ENGLAND,
    GROUPS,
    HEALTH,
    HEALTH_FILE,
    LAIT_FILE,
    LEICESTERSHIRE,
    LONG,
    MONTH,
    ON_31_MARCH,
    SHORT,
    STABILITY_FILE,
    STABILITY_HEADER,
    area,
    figure_count,
    one,
    published,
    raw_rows,
    stability,
    stability_file,
    stored,
    write_file,
)


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


def test_an_ees_download_shaped_unlike_the_shipped_files(engine, tmp_path):
    """Columns in another order, an extra filter column, cells padded with spaces, counts
    written "1,234", a BOM, and a financial-year period (202425 is the year to March 2025)."""
    header = ["la_name", "new_la_code", "old_la_code", "geographic_level", "time_period", "time_identifier",
              "country_code", "region_code", "cla_group", "sex", "placement_stability", "children_count"]
    leicestershire = councils.find(LEICESTERSHIRE)
    group, label = GROUPS[LONG]
    rows = []
    for sex in ("Total", "Female"):
        for breakdown, count in ((label, " 1,234 "), ("Total children", "2,000")):
            rows.append([f" {leicestershire.name}", f"{leicestershire.code} ", leicestershire.la_number,
                         "Local authority", "202425", "Financial year", ENGLAND, leicestershire.region_code,
                         f" {group}", sex, f"{breakdown} ", count])
    path = tmp_path / "download.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    result = import_published(engine, path, "tester")
    figures = stored(engine, indicator=LONG)
    assert [(f["area_code"], f["year"], f["numerator"], f["denominator"]) for f in figures] == [
        (LEICESTERSHIRE, 2025, 1234, 2000)]  # the Total rows of the extra filter, not Total + Female
    assert any("sex=Female" in line for line in result.not_mapped)  # the breakdown it did not read, listed
