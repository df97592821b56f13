"""Comparators from the published figures (scorecard/metrics/comparators.py) and the
councils and neighbour models they use (scorecard/councils.py): rank and ties, LAIT's
quartile bands, the neighbours' mean and median, reorganised councils, the demo county."""
from __future__ import annotations


import numpy as np
import pytest

from ingest.published import import_published
from scorecard import councils, measures
from scorecard.metrics.calendar import Month
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

from published_files import (
    DEMO,
    EAST_MIDLANDS,
    ENGLAND,
    LEICESTERSHIRE,
    LONG,
    MONTH,
    SHORT,
    published,
    raw_rows,
    stability_file,
)


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
    placed = standing(neighbourhood, LONG, later, LEICESTERSHIRE, 0.9, True)
    assert placed.period == "2024/25" and placed.older  # ranked among an older year's figures, and says so
    assert not standing(neighbourhood, LONG, Month.parse("2025-03"), LEICESTERSHIRE, 0.9, True).older


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
