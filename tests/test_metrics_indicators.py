"""Every indicator on a hand-built month (March 2024), the expected figures worked out by
hand in each test. March 2024 has Good Friday (29th) and Easter Monday (1 April), and its
last day is a Sunday: the month-end edges are all in play.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from metrics_builders import MONTH, episode, make_records, months
from scorecard.metrics.catalogue import load_catalogue
from scorecard.metrics.compute import TOTAL, compute


def figures(records, month: str = MONTH, breakdowns: bool = False):
    table = compute(records, load_catalogue(), breakdowns=breakdowns, periods=[month])
    return {(row.indicator, row.breakdown, row.group): row for row in table.itertuples()}


def figure(row):
    return tuple(None if pd.isna(value) else value for value in (row.numerator, row.denominator, row.value))


def total(table, indicator):
    return figure(table[(indicator, TOTAL, TOTAL)])


# Children in care. Month end: Sunday 31 March 2024.
CHILDREN = [
    # c1: UASC in residential care out of area since June 2023; aged 16.
    episode("c1", "2023-06-01", None, placement="K2", provider="PR4", born="2007-05-01", uasc=True, in_area=False),
    # c2: in-house foster care, in area, 3 miles, same placement since 2019; aged 10.
    episode("c2", "2019-01-10", None, placement="U6", provider="PR1", born="2014-01-01", miles=3),
    # c3: three placements in the last 12 months (the first open when the window starts on
    # 1 April 2023, two begun in it), then a change of legal status that is not a change of
    # placement (L); agency fostering out of area, 25 miles; aged 11.
    episode("c3", "2020-02-01", "2023-05-01", placement="U4", provider="PR1", born="2012-06-15"),
    episode("c3", "2023-05-01", "2023-09-01", reason="P", placement="U6", provider="PR4", born="2012-06-15",
            period_start="2020-02-01"),
    episode("c3", "2023-09-01", "2024-01-15", reason="P", placement="U6", provider="PR4", born="2012-06-15",
            period_start="2020-02-01", in_area=False, miles=25),
    episode("c3", "2024-01-15", None, reason="L", placement="U6", provider="PR4", born="2012-06-15",
            period_start="2020-02-01", in_area=False, miles=25, legal="C1"),
    # c4: placed with parents since March 2021 (a legal change in 2022 is the same
    # placement); 15th birthday on the month end; 0 miles.
    episode("c4", "2021-03-01", "2022-01-10", placement="P1", provider="PR0", born="2009-03-31", miles=0),
    episode("c4", "2022-01-10", None, reason="L", placement="P1", provider="PR0", born="2009-03-31",
            period_start="2021-03-01", miles=0, legal="C1"),
    # c5: left care on the month end itself: not in care at the month end.
    episode("c5", "2023-01-01", "2024-03-31", born="2010-10-10"),
    # c6: comes into care after the month end.
    episode("c6", "2024-04-02", None, born="2011-11-11"),
    # c7: aged 3, in care since January 2021, placed for adoption since October 2023, 10 miles.
    episode("c7", "2021-01-01", "2023-10-01", placement="U4", provider="PR1", born="2020-05-05", miles=10),
    episode("c7", "2023-10-01", None, reason="P", placement="A5", provider="PR1", born="2020-05-05",
            period_start="2021-01-01", miles=10),
    # c8: residential, area not recorded; aged 16.
    episode("c8", "2023-11-01", None, placement="K2", provider="PR4", born="2008-01-01", in_area=None),
    # c9: UASC fostered by another council, out of area; aged 16.
    episode("c9", "2023-08-01", None, placement="U6", provider="PR2", born="2007-09-09", uasc=True, in_area=False),
]


@pytest.fixture(scope="module")
def children():
    return figures(make_records({"children_in_care": CHILDREN}), breakdowns=True)


def test_children_in_care_at_month_end(children):
    # c1, c2, c3, c4, c7, c8, c9: c5 left on the day, c6 not yet in care.
    assert total(children, "children_in_care") == (7, None, 7)
    assert children[("children_in_care", "uasc", "UASC")].numerator == 2
    assert children[("children_in_care", "age_band", "16 and over")].numerator == 3  # c1, c8, c9
    assert children[("children_in_care", "age_band", "10 to 15")].numerator == 3  # c2, c3, c4 (15 on the day)
    assert children[("children_in_care", "age_band", "1 to 4")].numerator == 1  # c7


def test_rate_per_10000_uses_the_years_population(children):
    # The demo county's mid-2024 estimate in data/reference/child_population.csv: 139,600.
    numerator, denominator, value = total(children, "children_in_care_rate")
    assert (numerator, denominator) == (7, 139_600)
    assert value == pytest.approx(7 / 139_600 * 10_000)


def test_uasc_percent(children):
    assert total(children, "uasc_percent") == (2, 7, pytest.approx(2 / 7))


def test_placed_out_of_area_excludes_uasc_and_unknown_area(children):
    # Not UASC: c2 (in), c3 (out), c4 (in), c7 (in), c8 (not recorded: left out).
    assert total(children, "placed_out_of_area") == (1, 4, 0.25)


def test_placed_20_miles_or_more(children):
    # Distances known: c2 3, c3 25, c4 0, c7 10.
    assert total(children, "placed_20_miles") == (1, 4, 0.25)


def test_placement_mix_adds_up_to_every_child(children):
    mix = {"placement_in_house_fostering": 1, "placement_agency_fostering": 1, "placement_residential": 2,
           "placement_with_parents": 1, "placement_adoption": 1, "placement_other": 1}
    for indicator, count in mix.items():
        assert total(children, indicator) == (count, 7, pytest.approx(count / 7)), indicator
    assert sum(mix.values()) == 7


def test_short_term_stability_counts_placements_not_legal_changes(children):
    # c3: three placements in the 12 months (the L episode is the third placement going on).
    # c7: two. Everyone else one.
    assert total(children, "placement_stability_short") == (1, 7, pytest.approx(1 / 7))


def test_long_term_stability(children):
    # Under 16 and in care since 30 September 2021 or before: c2, c3, c4, c7.
    # Same placement 2+ years: c2 (2019), c4 (2021, through a legal change); c7 is placed
    # for adoption; c3 moved in September 2023.
    assert total(children, "placement_stability_long") == (3, 4, 0.75)


def test_a_change_of_legal_status_alone_is_not_a_new_placement():
    only_legal = [episode("x", "2023-06-01", "2023-12-01"),
                  episode("x", "2023-12-01", "2024-02-01", reason="L", period_start="2023-06-01"),
                  episode("x", "2024-02-01", None, reason="L", period_start="2023-06-01")]
    moves = [dict(row, reason_new_episode="P") if row["reason_new_episode"] == "L" else row for row in only_legal]
    assert total(figures(make_records({"children_in_care": only_legal})), "placement_stability_short")[0] == 0
    assert total(figures(make_records({"children_in_care": moves})), "placement_stability_short")[0] == 1


def test_visits_due_in_the_month_done_by_the_due_date():
    visits = [
        {"child_id": "c1", "date_due": "2024-03-05", "date_done": "2024-03-05"},  # on the day: in time
        {"child_id": "c2", "date_due": "2024-03-10", "date_done": "2024-03-12"},  # late
        {"child_id": "c3", "date_due": "2024-03-31", "date_done": None},  # not done
        {"child_id": "c4", "date_due": "2024-04-01", "date_done": "2024-03-30"},  # due next month
        {"child_id": "c5", "date_due": "2024-02-29", "date_done": "2024-03-01"},  # due last month
    ]
    assert total(figures(make_records({"visits": visits})), "visits_in_timescale") == (1, 3, pytest.approx(1 / 3))


def missing(episode_id, child, start, found, in_care=True):
    return {"episode_id": episode_id, "child_id": child, "in_care": in_care, "missing_from": start,
            "found_at": found, "district": "North"}


def interview(episode_id, child, outcome, held=None):
    return {"episode_id": episode_id, "child_id": child, "outcome": outcome, "held_at": held}


MISSING = [
    # K1, in care, goes missing five times in the month.
    missing("e1", "K1", "2024-03-02 22:00", "2024-03-03 10:00"),
    missing("e2", "K1", "2024-03-06 22:00", "2024-03-07 10:00"),
    missing("e3", "K1", "2024-03-10 22:00", "2024-03-11 10:00"),
    missing("e4", "K1", "2024-03-15 22:00", "2024-03-16 10:00"),
    missing("e5", "K1", "2024-03-20 22:00", "2024-03-21 10:00"),
    # K2, not in care: missing over the month end (ends in April), and found on a Friday evening.
    missing("e6", "K2", "2024-03-30 22:00", "2024-04-02 09:00", in_care=False),
    missing("e8", "K2", "2024-03-08 01:00", "2024-03-08 20:00", in_care=False),
    # K3, in care: went missing in February, found on 1 March.
    dict(missing("e7", "K3", "2024-02-28 23:00", "2024-03-01 08:00"), period="2024-02"),
]
INTERVIEWS = [
    interview("e1", "K1", "completed", "2024-03-06 10:01"),  # 72 hours and a minute: late
    interview("e2", "K1", "refused_child"),
    interview("e3", "K1", "missing_again"),
    interview("e4", "K1", "completed", "2024-03-18 10:00"),  # 48 hours
    # e5: no interview recorded
    interview("e7", "K3", "completed", "2024-03-04 08:00"),  # exactly 72 hours: in time
    interview("e8", "K2", "completed", "2024-03-11 19:59"),  # Friday 20:00 to Monday 19:59: in time
]


@pytest.fixture(scope="module")
def missing_figures():
    records = make_records({"missing_episodes": MISSING, "return_interviews": INTERVIEWS})
    return figures(records, breakdowns=True)


def test_missing_episodes_started_in_the_month(missing_figures):
    # e1-e5, e6 (still missing at the month end) and e8; not e7, which started in February.
    assert total(missing_figures, "missing_episodes") == (7, None, 7)
    assert missing_figures[("missing_episodes", "care_status", "Children in care")].numerator == 5
    assert missing_figures[("missing_episodes", "care_status", "Other children")].numerator == 2


def test_a_child_missing_five_times_is_one_child(missing_figures):
    assert total(missing_figures, "children_missing") == (2, None, 2)
    assert missing_figures[("children_missing", "care_status", "Children in care")].numerator == 1
    assert missing_figures[("children_missing", "care_status", "Other children")].numerator == 1


def test_return_interviews_completed_of_episodes_ended_in_the_month(missing_figures):
    # Ended in March: e1-e5, e7 (began in February), e8; not e6 (found in April).
    # Completed: e1, e4, e7, e8.
    assert total(missing_figures, "rhi_completed") == (4, 7, pytest.approx(4 / 7))


def test_return_interviews_within_72_hours_of_completed(missing_figures):
    # e4 (48 h), e7 (exactly 72 h), e8 (Friday evening to Monday evening, 71 h 59 min); not e1.
    assert total(missing_figures, "rhi_within_72_hours") == (3, 4, 0.75)


def test_return_interviews_not_completed_by_reason(missing_figures):
    assert total(missing_figures, "rhi_not_completed") == (3, None, 3)
    for reason in ("Refused by the child", "Missing again before it could be held", "No interview recorded"):
        assert missing_figures[("rhi_not_completed", "rhi_outcome", reason)].numerator == 1


def test_the_councils_worked_example():
    """94 episodes ended in the month, 73 interviews completed, 24 of them within 72 hours."""
    episodes, interviews = [], []
    for n in range(94):
        found = f"2024-03-{1 + n % 28:02d} 12:00"
        episodes.append(missing(f"w{n}", f"child{n}", f"2024-03-{1 + n % 28:02d} 01:00", found))
        if n < 73:
            hours = 24 if n < 24 else 96
            held = (dt.datetime.fromisoformat(found) + dt.timedelta(hours=hours)).isoformat(" ")
            interviews.append(interview(f"w{n}", f"child{n}", "completed", held))
    result = figures(make_records({"missing_episodes": episodes, "return_interviews": interviews}))
    completed = total(result, "rhi_completed")
    within = total(result, "rhi_within_72_hours")
    assert completed[:2] == (73, 94) and f"{completed[2]:.1%}" == "77.7%"
    assert within[:2] == (24, 73) and f"{within[2]:.1%}" == "32.9%"


def iha(child, looked_after, done, in_area=True, host=None):
    return {"child_id": child, "assessment_type": "initial", "looked_after_date": looked_after,
            "date_completed": done, "placed_in_area": in_area, "host_la": host}


def test_initial_health_assessments_due_in_the_month_in_20_working_days():
    assessments = [
        # Friday 23 Feb: the 20th working day after is Friday 22 March. Done that day: in time.
        iha("i1", "2024-02-23", "2024-03-22"),
        # Thursday 29 Feb: due Thursday 28 March (before Good Friday). Done 2 April: late.
        iha("i2", "2024-02-29", "2024-04-02", in_area=False, host="Warwickshire"),
        # Friday 1 March: Good Friday and Easter Monday push the 20th working day to Tuesday
        # 2 April, so this assessment is due in April, not March (without the bank holidays
        # it would be due on 29 March).
        iha("i3", "2024-03-01", "2024-03-28"),
        # Tuesday 20 Feb: due Tuesday 19 March. Done the day before.
        iha("i4", "2024-02-20", "2024-03-18", in_area=False, host="Warwickshire"),
    ]
    result = figures(make_records({"health_assessments": assessments}), breakdowns=True)
    assert total(result, "iha_in_timescale") == (2, 3, pytest.approx(2 / 3))
    assert figure(result[("iha_in_timescale", "area", "In area")]) == (1, 1, 1.0)
    assert figure(result[("iha_in_timescale", "area", "Out of area")]) == (1, 2, 0.5)
    assert figure(result[("iha_in_timescale", "host_la", "Warwickshire")]) == (1, 2, 0.5)
    assert figure(result[("iha_in_timescale", "host_la", "Own council")]) == (1, 1, 1.0)
    april = figures(make_records({"health_assessments": assessments}, month="2024-04"), month="2024-04")
    assert total(april, "iha_in_timescale") == (1, 1, 1.0)  # i3, done before it was due


def health(child, kind, done, period=None):
    """An assessment done on its due date, in the file of the month it was due (each month's
    file lists every assessment due in it)."""
    return {"child_id": child, "assessment_type": kind, "date_completed": done, "date_due": done,
            "period": period or done[:7]}


def test_health_and_dental_checks_for_children_in_care_12_months():
    assessments = [
        health("c2", "review", "2023-03-31"),  # exactly 12 months before the month end: up to date
        health("c3", "review", "2023-03-30"),  # a day more: not
        health("c4", "review", "2024-01-10", period=MONTH),
        health("c7", "review", "2023-09-01"),  # aged 3: due every 6 months, so not up to date
        health("c2", "dental", "2023-06-01"),
        health("c3", "dental", "2022-12-01"),
        health("c7", "dental", "2024-02-01", period=MONTH),
    ]
    records = make_records({"children_in_care": CHILDREN, "health_assessments": assessments},
                           loaded={"health_assessments": months("2023-04", MONTH)})
    result = figures(records)
    # In care continuously since 31 March 2023 or before: c2, c3, c4, c7.
    assert total(result, "health_assessments_up_to_date") == (2, 4, 0.5)  # c2, c4
    assert total(result, "dental_checks") == (2, 4, 0.5)  # c2, c7


def test_health_needs_a_years_extracts_first():
    records = make_records({"children_in_care": CHILDREN, "health_assessments": [health("c2", "review", "2024-01-01", period=MONTH)]},
                           loaded={"health_assessments": months("2023-05", MONTH)})
    row = figures(records)[("health_assessments_up_to_date", TOTAL, TOTAL)]
    assert figure(row) == (None, None, None) and "needs 12 months of health_assessments" in row.note


def leaver(child, born, birthday, in_touch, activity=None, accommodation=None, period=MONTH):
    return {"child_id": child, "date_of_birth": born, "birthday": birthday, "in_touch": in_touch,
            "activity": activity, "accommodation": accommodation, "period": period}


def test_care_leavers_birthday_window_is_the_12_months_to_the_month_end():
    leavers = [
        leaver("L1", "2006-04-01", "2023-04-01", "YES", "F1", "B1", period="2023-04"),  # first day of the window
        leaver("L2", "2006-03-31", "2024-03-31", "NO"),  # last day of the window
        leaver("L3", "2005-03-31", "2023-03-31", "YES", "F1", "B1", period="2023-04"),  # the day before it
        leaver("L4", "2004-06-10", "2023-06-10", "YES", "G5", "B2"),  # 19th: NEET, unsuitable
        leaver("L5", "2003-01-20", "2024-01-20", "YES", "P1", "D1"),  # 21st
        leaver("L6", "2003-04-01", "2024-04-01", "YES", "P1", "D1"),  # after the window
        leaver("L7", "2004-11-11", "2023-11-11", "RHOM", "0"),  # returned home: not in touch
    ]
    records = make_records({"care_leavers": leavers}, loaded={"care_leavers": months("2023-04", MONTH)})
    result = figures(records)
    assert total(result, "care_leavers_in_touch_17_18") == (1, 2, 0.5)  # L1 of L1, L2
    assert total(result, "care_leavers_eet_17_18") == (1, 2, 0.5)
    assert total(result, "care_leavers_suitable_accommodation_17_18") == (1, 2, 0.5)
    assert total(result, "care_leavers_in_touch_19_21") == (2, 3, pytest.approx(2 / 3))  # L4, L5 of L4, L5, L7
    assert total(result, "care_leavers_eet_19_21") == (1, 3, pytest.approx(1 / 3))  # L5
    assert total(result, "care_leavers_suitable_accommodation_19_21") == (1, 3, pytest.approx(1 / 3))  # L5


def test_a_month_without_its_extract_has_no_figure_rather_than_zero():
    records = make_records({"visits": [{"child_id": "c1", "date_due": "2024-03-05", "date_done": None}]})
    row = figures(records, month="2024-02")[("visits_in_timescale", TOTAL, TOTAL)]
    assert figure(row) == (None, None, None) and row.note == "no visits extract loaded for 2024-02"


def test_every_value_names_the_extracts_it_came_from():
    records = make_records({"missing_episodes": MISSING, "return_interviews": INTERVIEWS})
    ids = dict(zip(zip(records.extracts["dataset"], records.extracts["first_month"]), records.extracts["id"]))
    result = figures(records)
    # e7 came in February's file; the interviews in March's.
    assert set(result[("rhi_completed", TOTAL, TOTAL)].extract_ids) == {
        ids[("missing_episodes", "2024-02")], ids[("missing_episodes", MONTH)], ids[("return_interviews", MONTH)]}
    assert set(result[("missing_episodes", TOTAL, TOTAL)].extract_ids) == {ids[("missing_episodes", MONTH)]}


def test_breakdown_groups_sum_to_the_total(children):
    for indicator in ("children_in_care", "placed_out_of_area", "placement_stability_short"):
        numerator, denominator, _ = total(children, indicator)
        for breakdown in {key[1] for key in children if key[0] == indicator and key[1] != TOTAL}:
            groups = [row for key, row in children.items() if key[:2] == (indicator, breakdown)]
            assert sum(row.numerator for row in groups) == numerator, (indicator, breakdown)
            if denominator is not None:
                assert sum(figure(row)[1] for row in groups) == denominator, (indicator, breakdown)
