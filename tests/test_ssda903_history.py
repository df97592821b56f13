"""A council's SSDA903 returns, year after year, give the figures a person works out by hand.

The returns come from tests/ssda903_returns.py: four collection years (2017-18 to
2020-21) of a handful of children whose stories are told there. Everything goes through
the real command line (`scorecard ingest ... --year`, `scorecard report --format json`)
on a real store (SQLite, and PostgreSQL when TEST_POSTGRES_URL is set), because what is
tested is what an analyst sees: a period of care pieced together from several returns,
whatever order they are loaded in, and said to be incomplete when the store cannot see
its start.

The expected figures below are worked out by hand from the stories, not by code: each
table says who counts and why.
"""
from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner
from ssda903_returns import STORY, YEARS, write_return, write_returns

from scorecard import store
from scorecard.cli import main
from scorecard.metrics import cache as metrics_cache

COUNCIL = "E10000099"
RATED = ("green", "amber", "red")
OLDEST_FIRST = YEARS
NEWEST_FIRST = tuple(reversed(YEARS))
MIXED = ("2019-20", "2017-18", "2020-21", "2018-19")

ALL_MONTHS = tuple(f"{y}-{m:02d}" for start in range(2017, 2021)
                   for y, m in [(start, m) for m in range(4, 13)] + [(start + 1, m) for m in range(1, 4)])

# --- Hand working -----------------------------------------------------------------------
#
# Children in care on the last day of each month (an episode ending that day does not
# count). The count changes only in the months listed; it holds until the next one.
CHILDREN_IN_CARE_FROM = {
    "2017-04": 2,   # J (from 10/04), H (from 20/04)
    "2017-05": 8,   # + A1-A6 (15/05)
    "2017-06": 11,  # + B1, B2 (01/06), M (15/06)
    "2017-08": 12,  # + D (01/08)
    "2017-09": 13,  # + E (01/09)
    "2017-11": 16,  # + L1-L3 (20/11)
    "2018-02": 15,  # - D, home on 15/02/2018
    "2018-04": 16,  # + G, from 30/04/2018, the month's last day: that day counts
    "2018-07": 17,  # + C (01/07)
    "2018-08": 18,  # + F (20/08)
    "2018-10": 19,  # + D again (01/10): a second period of care
    "2018-12": 18,  # - J, left at 18 on 01/12/2018
    "2019-04": 17,  # - G: open in the 2018-19 return, absent from the 2019-20 one
    "2019-05": 18,  # + N (01/05)
    "2020-05": 17,  # - F, left at 18 on 10/05/2020
    "2020-09": 16,  # - E, adopted on 30/09/2020, the month's last day
}

# Three or more placements in the 12 months to the month end (a legal-status-only
# change, RNE L, is not a placement). The window starts the day after the same day a
# year before. Only C gets there: placements from 01/07/2018, 01/11/2018 and 01/02/2019,
# so 3 from February 2019 until October 2019, whose window starts on 01/11/2018, the day
# the first placement ended (it still touches the window); from November 2019, 2.
# Nobody else reaches 3: B, E and N have 2 at most (N's L on 01/11/2019 would make a
# third if it were counted), A and M have 1 (their L episodes are not placements), and
# D's first period (to 15/02/2018) and second (from 01/10/2018) make 2 until February
# 2019.
SHORT_TERM_NUMERATOR = {m: 1 for m in ("2019-02", "2019-03", "2019-04", "2019-05", "2019-06", "2019-07",
                                       "2019-08", "2019-09", "2019-10")}

# Long-term stability: under 16 at the month end, in care since on or before the same day
# 30 months earlier plus one day (T30), and in the same placement since on or before the
# same day 24 months earlier plus one day (T24), or placed for adoption (A3-A6).
#   up to 2019-09 (T30 31/03/2017 or earlier): nobody; the first start is J's, 10/04/2017.
#   2019-10 (T30 01/05/2017, T24 01/11/2017): H (20/04/2017, aged 14), settled: 1 of 1.
#   2019-11 (T30 31/05/2017): + A x6 (15/05/2017; their L on 01/07/2017 is not a move):
#     7 of 7.
#   2019-12 (T30 01/07/2017, T24 01/01/2018): + B x2 (01/06/2017), M (15/06/2017; his L
#     on 01/09/2019 is not a move): 10 of 10.
#   2020-01 (T30 01/08/2017), 2020-02 (T30 30/08/2017): the same 10. Not D: his current
#     period began 01/10/2018 (the first, from 01/08/2017, ended on 15/02/2018).
#   2020-03 (T30 01/10/2017, T24 01/04/2018): + E (01/09/2017, placed for adoption on
#     01/12/2019: counts as settled) = 11; B moved on 01/03/2020: 9 of 11.
#   2020-04 (T30 31/10/2017): 9 of 11.
#   2020-05 to 2020-08 (T30 01/12/2017 to 01/03/2018, T24 01/06/2018 to 01/09/2018):
#     + L x3 (20/11/2017), settled: 12 of 14.
#   2020-09 (T30 31/03/2018): - E, adopted on 30/09/2020, not in care that day: 11 of 13.
#   2020-10 (T30 01/05/2018): 11 of 13.
#   2020-11 (T30 31/05/2018): - H, 16 on 15/11/2020: 10 of 12.
#   2020-12 (T30 01/07/2018, T24 01/01/2019): + C (01/07/2018, exactly 30 months counting
#     the first day), placed on 01/02/2019, after T24: 10 of 13.
#   2021-01 (T30 01/08/2018, T24 01/02/2019): C's placement is now 24 months old counting
#     its first day: 11 of 13.  2021-02 (T24 01/03/2019): 11 of 13.
#   2021-03 (T30 01/10/2018, T24 01/04/2019): + D (01/10/2018, exactly 30 months), settled:
#     12 of 14 (all but B x2).
LONG_TERM = {"2019-10": (1, 1), "2019-11": (7, 7), "2019-12": (10, 10), "2020-01": (10, 10), "2020-02": (10, 10),
             "2020-03": (9, 11), "2020-04": (9, 11), "2020-05": (12, 14), "2020-06": (12, 14), "2020-07": (12, 14),
             "2020-08": (12, 14), "2020-09": (11, 13), "2020-10": (11, 13), "2020-11": (10, 12),
             "2020-12": (10, 13), "2021-01": (11, 13), "2021-02": (11, 13), "2021-03": (12, 14)}

# OC2 at 31 March: children in care that day whose period began on or before 1 April of
# the year before, with their HEALTH_ASSESSMENT and TEETH_CHECK flags (the table in
# tests/ssda903_returns.py).
#   2018-03: nobody (the earliest start is 10/04/2017): an OC2 with its header only.
#   2019-03: A x6, B x2, E, H, L x3, M = 14 (not D: back in care only on 01/10/2018);
#     health 14 - H = 13, dental 14 - B x2 - H = 11.
#   2020-03: A x6, B x2, C, D, E, F, H, L x3, M = 17;
#     health 17 - C - F = 15, dental 17 - D - F - H = 14.
#   2021-03: A x6, B x2, C, D, H, L x3, M, N = 16;
#     health 16 - B x2 - N = 13, dental 16 - A x6 - N = 9.
HEALTH = {"2018-03": (0, 0), "2019-03": (13, 14), "2020-03": (15, 17), "2021-03": (13, 16)}
DENTAL = {"2018-03": (0, 0), "2019-03": (11, 14), "2020-03": (14, 17), "2021-03": (9, 16)}

# UASC: F, in care from 20/08/2018 to 10/05/2020. Missing episodes started in the month:
# H on 05/10/2017, C on 10/12/2018 and 05/01/2019, N on 14/09/2020; the 2019-20 Missing
# table has its header only, so that year's months count 0.
UASC_MONTHS = tuple(m for m in ALL_MONTHS if "2018-08" <= m <= "2020-04")
MISSING_STARTED = {"2017-10": 1, "2018-12": 1, "2019-01": 1, "2020-09": 1}

# Care leavers (OC3) in touch, by their birthday in the 12 months to the month end:
# K (born 15/06/1999: YES at 18, NO at 19, YES at 20, NO at 21) and J (born 01/12/2000:
# YES at 18, 19 and 20).
#   2018-03: K 18.  2019-03: J 18; K 19 (no).  2019-09: J 18 (01/12/2018); K 20.
#   2020-03: J 19, K 20.  2021-03: J 20; K 21 (no).
IN_TOUCH_17_18 = {"2018-03": (1, 1), "2019-03": (1, 1), "2019-09": (1, 1), "2020-03": (0, 0), "2021-03": (0, 0)}
IN_TOUCH_19_21 = {"2018-03": (0, 0), "2019-03": (0, 1), "2019-09": (1, 1), "2020-03": (2, 2), "2021-03": (1, 2)}


def children_in_care(month: str) -> int:
    return [count for start, count in CHILDREN_IN_CARE_FROM.items() if start <= month][-1]


# --- Driving the command line -------------------------------------------------------------

@pytest.fixture(autouse=True)
def _no_cached_figures():
    """The report caches figures by store URL and store version (highest extract id and
    row counts). On PostgreSQL every test uses the same URL and starts from an empty
    store, so two tests loading the same number of extracts would share a version:
    drop the cache, as tests/test_metrics_store.py does."""
    metrics_cache.forget_all()
    yield
    metrics_cache.forget_all()


@pytest.fixture
def returns(tmp_path):
    """The four returns, written the DfE's way: {year: [six CSV paths]}."""
    return write_returns(tmp_path / "903")


def ingest(files, *how: str):
    return CliRunner().invoke(main, ["ingest", "--quiet", *map(str, files), *how, "--council", COUNCIL])


def load(returns, years) -> dict[str, str]:
    """Load these years' returns in this order with --year; returns each load's output."""
    outputs = {}
    for year in years:
        result = ingest(returns[year], "--year", year)
        assert result.exit_code == 0, f"{year}: {result.output}"
        outputs[year] = result.output
    return outputs


def report(period: str) -> dict[str, dict]:
    """`scorecard report --format json` for a month: each indicator's row."""
    result = CliRunner().invoke(main, ["report", "--format", "json", "--period", period, "--council", COUNCIL])
    assert result.exit_code == 0, result.output
    return {row["indicator"]: row for row in json.loads(result.output)["indicators"]}


def counts(row: dict) -> tuple[int | None, int | None]:
    """(numerator, denominator) as whole numbers."""
    return tuple(None if row[k] is None else int(row[k]) for k in ("numerator", "denominator"))


def everything(months=ALL_MONTHS) -> dict[str, dict[str, dict]]:
    """Every indicator's row for every month, without the extract ids (which depend on the
    order of loading, not on the figures)."""
    return {m: {i: {k: v for k, v in row.items() if k != "extract_ids"} for i, row in report(m).items()}
            for m in months}


def rebuild_the_store(engine) -> None:
    """Start again from a new, empty store on the same backend, as the engine fixture
    makes one (its tables and Alembic's version table dropped, then made again)."""
    store.metadata.drop_all(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    store.create_all(engine)



def refused(engine, files, *how: str) -> str:
    """Run an upload that must be refused; check that the store is exactly as before and
    return what the analyst is told."""
    with engine.connect() as conn:
        before = store.dump(conn)
    result = ingest(files, *how)
    assert result.exit_code == 1, result.output
    assert "Nothing loaded" in result.output and "the store is unchanged" in result.output
    with engine.connect() as conn:
        assert store.dump(conn) == before
    return result.output


def row_of(path, child: str) -> int:
    """The spreadsheet row number (header = 1) of a child's first row in a CSV file."""
    with path.open(newline="") as handle:
        return next(n for n, row in enumerate(csv.reader(handle), start=1) if row[0] == child)


def assert_hand_figures(months=ALL_MONTHS) -> None:
    """The report's figures for these months against the hand working above."""
    for month in months:
        figures = report(month)
        in_care = children_in_care(month)
        assert counts(figures["children_in_care"])[0] == in_care, month
        assert counts(figures["placement_stability_short"]) == (SHORT_TERM_NUMERATOR.get(month, 0), in_care), month
        assert counts(figures["placement_stability_long"]) == LONG_TERM.get(month, (0, 0)), month
        assert counts(figures["uasc_percent"]) == (int(month in UASC_MONTHS), in_care), month
        assert counts(figures["missing_episodes"])[0] == MISSING_STARTED.get(month, 0), month
        for indicator, expected in (("health_assessments_up_to_date", HEALTH), ("dental_checks", DENTAL),
                                    ("care_leavers_in_touch_17_18", IN_TOUCH_17_18),
                                    ("care_leavers_in_touch_19_21", IN_TOUCH_19_21)):
            if month in expected:
                assert counts(figures[indicator]) == expected[month], (month, indicator)
        for indicator in ("placement_stability_short", "placement_stability_long"):
            assert (figures[indicator]["incomplete"], figures[indicator]["history_note"]) == (0, ""), \
                (month, indicator)


# --- Loading the returns --------------------------------------------------------------------

def test_each_return_loads_with_its_header_only_tables(engine, database_url, returns):
    """Each year loads as four datasets covering its twelve months (OC2: March only), and
    a table with only its header row loads as "nothing in these months", not as a gap:
    the 2019-20 missing episodes count 0, the 2017-18 UASC share is 0%."""
    outputs = load(returns, OLDEST_FIRST)
    assert "uasc.csv: the table has its header and no rows" in outputs["2017-18"]
    assert "oc2.csv: the table has its header and no rows" in outputs["2017-18"]
    assert "missing.csv: the table has its header and no rows" in outputs["2019-20"]
    listed = json.loads(CliRunner().invoke(main, ["extracts", "--json", "--council", COUNCIL]).output)
    covered = {(e["dataset"], e["first_month"], e["last_month"]) for e in listed if e["status"] == "current"}
    for year in YEARS:
        first, last = f"{year[:4]}-04", f"{int(year[:4]) + 1}-03"
        assert {(d, first, last) for d in ("children_in_care", "missing_episodes", "care_leavers")} <= covered
        assert ("health_assessments", last, last) in covered
    assert len(listed) == 16

    september_2019 = report("2019-09")
    assert counts(september_2019["missing_episodes"])[0] == 0
    assert "no missing_episodes extract" not in september_2019["missing_episodes"]["note"]
    assert counts(report("2017-09")["uasc_percent"]) == (0, 13)


@pytest.mark.parametrize("order", [OLDEST_FIRST, NEWEST_FIRST, MIXED], ids=["oldest-first", "newest-first", "mixed"])
def test_all_returns_give_the_hand_figures_in_any_order(engine, database_url, returns, order):
    """With every return loaded, each child's period of care is known from its RNE S
    episode, whichever return holds it and whenever it was loaded: the figures are the
    hand figures for every month of every year, complete, and long-term stability is
    rated wherever 10 or more children are in its cohort."""
    load(returns, order)
    assert_hand_figures()
    for month, (_, cohort) in LONG_TERM.items():
        long_term = report(month)["placement_stability_long"]
        # From 9 of 11 (81.8%) to 10 of 13 (76.9%): above the 70% target, green.
        assert long_term["rag"] == ("green" if cohort >= 10 else "too_few"), (month, long_term["rag_reason"])


def test_newest_first_gives_exactly_the_same_figures_as_oldest_first(engine, database_url, returns):
    """Every field of every indicator in every month, not only the ones worked out by hand:
    an older return loaded later corrects the newer months completely."""
    load(returns, OLDEST_FIRST)
    oldest_first = everything()
    rebuild_the_store(engine)
    metrics_cache.forget_all()  # as in a new process (see the last test below)
    load(returns, NEWEST_FIRST)
    assert everything() == oldest_first


# --- One return alone: what the store cannot see ---------------------------------------------

# 2020-21 alone. Its first episodes: A x6 L (01/07/2017), B x2 P (01/03/2020), C P
# (01/02/2019), E B (01/12/2019), M L (01/09/2019), N L (01/11/2019): continuations, so
# each period's start is only known to be on or before that date. D, F, H and L begin
# with their RNE S episode and are known. Long-term stability:
#   2020-04 (T30 31/10/2017): in the cohort on what is known: A x6 (on or before
#     01/07/2017), H = 7, all in the same placement (A's since at least 01/07/2017 <= T24
#     01/05/2018). Unknown: B x2, C, E, M, N (under 16, earliest episode after T30) = 6.
#     Only 7 children: too few to rate anyway.
#   2020-09 (T30 31/03/2018): A x6, H, L x3 = 10, all settled; unknown B x2, C, M, N = 5
#     (E adopted on the 30th).
#   2021-03 (T30 01/10/2018): A x6, D, L x3 = 10 (H is 16), all settled; unknown B x2, C
#     (01/02/2019), M, N = 5.
# 2019-20 alone, 2020-03 (T30 01/10/2017): A x6 (L from 01/07/2017), B x2 and M and E
#   (their S episodes are still open on 1 April 2019, so the return has them), H = 11,
#   same placement 9, as with every return; unknown: C (P from 01/02/2019) = 1.
# In none of these is a child in the cohort on what is known yet unsure of the placement:
# with returns only, the earliest known episode bounds both starts, and 24 months is
# less than 30.
ONE_RETURN_LONG_TERM = [
    ("2020-21", "2020-04", (7, 7), 6),
    ("2020-21", "2020-09", (10, 10), 5),
    ("2020-21", "2021-03", (10, 10), 5),
    ("2019-20", "2020-03", (9, 11), 1),
]


@pytest.mark.parametrize("year, month, expected, unknown", ONE_RETURN_LONG_TERM,
                         ids=[f"{y}-alone-{m}" for y, m, _, _ in ONE_RETURN_LONG_TERM])
def test_one_return_alone_says_long_term_stability_history_is_incomplete(engine, database_url, returns, year,
                                                                         month, expected, unknown):
    """One return cannot see when a period that began years ago started: the figure says
    so, with the number of children affected, and is not rated. Loading the earlier
    returns afterwards completes it."""
    load(returns, [year])
    long_term = report(month)["placement_stability_long"]
    assert counts(long_term) == expected
    assert long_term["incomplete"] == unknown
    assert f"history incomplete for {unknown} child" in long_term["history_note"]
    assert long_term["rag"] not in RATED, long_term["rag_reason"]
    if expected[1] >= 10:
        assert long_term["rag"] == "not_rated"

    load(returns, [y for y in NEWEST_FIRST if y < year])
    long_term = report(month)["placement_stability_long"]
    assert counts(long_term) == LONG_TERM[month]
    assert (long_term["incomplete"], long_term["history_note"], long_term["rag"]) == (0, "", "green")


def test_one_return_alone_knows_what_its_own_year_shows(engine, database_url, returns):
    """What 2020-21 alone can answer, it answers in full: every month's children in care,
    the OC2 flags (a child listed there has been looked after 12 months, whatever the store
    can see), and short-term stability once the 12 months fall inside the year.

    Short-term stability, 2020-21 alone: a child whose earliest known episode began after
    the window's first day, with fewer than 3 placements seen, is unknown:
      2020-04 (from 01/05/2019): B x2 (01/03/2020), E (01/12/2019), M (01/09/2019),
        N (01/11/2019) = 5;  2020-09 (from 01/10/2019): B x2, N = 3;  2021-03: none.
    """
    load(returns, ["2020-21"])
    for month in ALL_MONTHS[36:]:
        assert counts(report(month)["children_in_care"])[0] == children_in_care(month), month
    march = report("2021-03")
    assert counts(march["health_assessments_up_to_date"]) == HEALTH["2021-03"]
    assert counts(march["dental_checks"]) == DENTAL["2021-03"]
    for month, unknown in (("2020-04", 5), ("2020-09", 3), ("2021-03", 0)):
        short = report(month)["placement_stability_short"]
        assert counts(short) == (0, children_in_care(month)), month
        assert short["incomplete"] == unknown, month
        assert bool(short["history_note"]) == bool(unknown), month


# --- Refusals, reloads, omissions ----------------------------------------------------------------

def test_a_return_without_its_year_is_refused_naming_the_year_its_dates_suggest(engine, database_url, returns):
    """2018-19 rather than 2019-20, which the message also gives as its example."""
    load(returns, ["2017-18"])
    output = refused(engine, returns["2018-19"])
    assert "[missing-year]" in output and "--year 2018-19" in output


@pytest.mark.parametrize("how", [("--year", "2018-19"), ("--year", "2020-21"), ("--period", "2020-07")],
                         ids=["year-before", "year-after", "period-in-the-next-year"])
def test_a_return_given_the_wrong_year_is_refused(engine, database_url, returns, how):
    load(returns, ["2018-19"])
    output = refused(engine, returns["2019-20"], *how)
    assert "[wrong-year]" in output and "--year 2019-20?" in output


def test_any_month_of_the_year_gives_the_year(engine, database_url, returns):
    """`--period` with any month of the collection year is the same as `--year`."""
    for year, month in zip(YEARS, ("2017-04", "2018-11", "2020-03", "2020-08")):
        result = ingest(returns[year], "--period", month)
        assert result.exit_code == 0, result.output
        assert f"the collection year {year}" in result.output
    assert_hand_figures(("2019-09", "2020-03", "2021-03"))


def test_loading_a_return_again_supersedes_it_and_changes_no_figure(engine, database_url, returns):
    load(returns, OLDEST_FIRST)
    before = everything()
    output = load(returns, ["2019-20"])["2019-20"]
    assert output.count("supersedes extract") == 4
    assert everything() == before
    listed = json.loads(CliRunner().invoke(main, ["extracts", "--json", "--council", COUNCIL]).output)
    superseded = {e["dataset"] for e in listed if e["status"] == "superseded"}
    assert superseded == {"children_in_care", "missing_episodes", "health_assessments", "care_leavers"}
    assert sum(e["status"] == "current" for e in listed) == 16


@pytest.mark.parametrize("order", [("2018-19", "2019-20"), ("2019-20", "2018-19")], ids=["in-order", "reversed"])
def test_a_child_absent_from_the_next_return_left_care_by_its_first_day(engine, database_url, returns, order):
    """G's episode is open in the 2018-19 return and the 2019-20 return does not list him:
    he left care by 1 April 2019 (in care on 31 March 2019, not on 30 April), and stays
    out, whichever return was loaded first."""
    outputs = load(returns, order)
    if order[0] == "2018-19":
        assert "taken as ended by 01/04/2019: G1" in outputs["2019-20"]
    for month in ("2019-03", *ALL_MONTHS[24:36]):
        assert counts(report(month)["children_in_care"])[0] == children_in_care(month), month


# --- Bugs these returns found, each kept as a test of its fix --------------------------------

def test_a_return_with_nothing_new_in_its_year_loads(engine, database_url, tmp_path):
    """A small council's 2019-20 return: the six A children, in care all year in the
    episode that began on 01/07/2017 (L). Nothing started or ended in 2019-20, which makes
    it no less a 2019-20 return; the product says its latest date is in 2017-18."""
    files = write_return(tmp_path / "small", "2019-20", stories=(STORY["A"],))
    result = ingest(files, "--year", "2019-20")
    assert result.exit_code == 0, result.output
    for month in ALL_MONTHS[24:36]:
        assert counts(report(month)["children_in_care"])[0] == 6, month


@pytest.fixture
def reporters_returns(tmp_path):
    """The returns as the issue reporter's files seem to be written: in 2019-20, B1, B2
    (moved 01/03/2020, RNE P), E1 (placed for adoption 01/12/2019, RNE B) and M1 (legal
    status changed 01/09/2019, RNE L) start the year with their new episode; the episode
    open on 1 April 2019 is not repeated. (Only 2019-20 has such children.)"""
    return write_returns(tmp_path / "reporter", repeat_open_episode=False)


def test_the_reporters_return_is_reported_row_by_row(engine, database_url, tmp_path, reporters_returns):
    """The 2019-20 return alone: each such child's first row must be pointed out, as the
    DfE's own validator does (rule 357: a first episode that is not S means an episode
    has been left out), whether the load then goes ahead or not."""
    files = reporters_returns["2019-20"]
    episodes = next(f for f in files if f.name == "episodes.csv")
    problems_file = tmp_path / "problems.json"
    ingest(files, "--year", "2019-20", "--report", str(problems_file))
    problems = json.loads(problems_file.read_text())
    flagged = {p.get("row") for p in problems if p.get("file") == "episodes.csv" and p.get("severity") != "info"}
    assert {row_of(episodes, child) for child in ("B1", "B2", "E1", "M1")} <= flagged


def test_the_reporters_returns_do_not_drop_children_from_care(engine, database_url, reporters_returns):
    """If the product accepts these files, the children are in care all along: their
    2019-20 episodes continue the period 2018-19 shows open. (Refusing the files is right
    too: then nothing is miscounted.)"""
    for year in OLDEST_FIRST:
        if ingest(reporters_returns[year], "--year", year).exit_code != 0:
            return
    # 2019-20. The product gives 4 fewer to August (B1, B2, E1, M1), 3 to November, 2 to February.
    for month in ALL_MONTHS[24:36]:
        assert counts(report(month)["children_in_care"])[0] == children_in_care(month), month


def test_a_later_return_does_not_end_again_a_child_already_gone(engine, database_url, returns):
    outputs = load(returns, OLDEST_FIRST)
    assert "G1" not in outputs["2020-21"], outputs["2020-21"]


def test_figures_follow_a_store_emptied_and_loaded_again(engine, database_url, returns, tmp_path):
    load(returns, ["2019-20"])
    assert counts(report("2019-09")["children_in_care"])[0] == 18
    rebuild_the_store(engine)  # the process, like a web worker, carries on
    smaller = write_return(tmp_path / "smaller", "2019-20", stories=(STORY["A"], STORY["N"]))
    assert ingest(smaller, "--year", "2019-20").exit_code == 0  # four extracts again, like the first store
    assert counts(report("2019-09")["children_in_care"])[0] == 7  # A x6 and N
