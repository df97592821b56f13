"""Cell conversion: the shapes dates, flags, ids and codes take in real exports."""
import datetime as dt

import pytest

from ingest import cells
from scorecard.codes import code_list

D = dt.date(2019, 9, 4)


@pytest.mark.parametrize("raw", [
    dt.datetime(2019, 9, 4), dt.date(2019, 9, 4), 43712, 43712.0, "43712", "04/09/2019", "4/9/2019", "04/09/19",
    "2019-09-04", "2019-09-04T00:00:00", "2019-09-04 10:30:00", "04-09-2019", "04.09.2019", "4 Sep 2019",
    "04-Sep-2019", "4 September 2019", "20190904", " 04/09/2019 ",
])
def test_dates_in_every_shape_real_exports_use(raw):
    values, problems = cells.convert_date([raw])
    assert problems == []
    assert values == [D]


@pytest.mark.parametrize("raw, reason", [
    ("31/02/2019", "is not a date"), ("13/13/2019", "is not a date"), ("next week", "is not a date"),
    (12.5, "is a number, not a date"), (True, "is not a date"), ("09/04", "is not a date"),
])
def test_bad_dates_are_reported_not_guessed(raw, reason):
    values, problems = cells.convert_date(["01/01/2019", raw])
    assert values == [dt.date(2019, 1, 1), None]
    assert problems == [(1, problems[0][1])] and reason in problems[0][1]


def test_dates_are_day_first_as_english_systems_write_them():
    assert cells.convert_date(["04/05/2019"])[0] == [dt.date(2019, 5, 4)]


def test_date_times_keep_the_time_and_round_excel_fractions_to_the_second():
    values, problems = cells.convert_datetime([
        "04/09/2019 18:45", "2019-09-04T18:45:30", dt.datetime(2019, 9, 4, 18, 44, 59, 999_998), 43712.78125,
        dt.date(2019, 9, 4),
    ])
    assert problems == []
    assert values == [dt.datetime(2019, 9, 4, 18, 45), dt.datetime(2019, 9, 4, 18, 45, 30),
                      dt.datetime(2019, 9, 4, 18, 45), dt.datetime(2019, 9, 4, 18, 45), dt.datetime(2019, 9, 4)]


def test_date_times_on_a_12_hour_clock():
    values, problems = cells.convert_datetime(["04/09/2019 9:30 PM", "2019-09-04 12:05 am", "4 Sep 2019 12:00 p.m.",
                                               "04/09/2019 13:00 PM"])
    assert values == [dt.datetime(2019, 9, 4, 21, 30), dt.datetime(2019, 9, 4, 0, 5), dt.datetime(2019, 9, 4, 12, 0),
                      None]
    assert [row for row, _ in problems] == [3]


def test_blank_cells_are_none_and_not_problems():
    assert cells.convert_date([None, "", "   "]) == ([None, None, None], [])


@pytest.mark.parametrize("raw, expected", [
    ("Y", True), ("yes", True), ("YES", True), (1, True), (1.0, True), ("1", True), ("True", True), (True, True),
    ("In", True), ("N", False), ("No", False), (0, False), ("0", False), ("false", False), ("Out of area", False),
])
def test_flags(raw, expected):
    assert cells.convert_bool([raw]) == ([expected], [])


def test_flag_blank_means_what_the_field_says():
    assert cells.convert_bool([None, "Y"], blank_means=False) == ([False, True], [])
    values, problems = cells.convert_bool(["maybe"])
    assert values == [None] and "yes/no" in problems[0][1]


def test_ids_typed_as_numbers_keep_their_digits():
    assert cells.convert_text([123456.0, "  C 001 ", 7]) == (["123456", "C 001", "7"], [])


def test_codes_match_code_label_or_alias_ignoring_case_and_punctuation():
    placement = code_list("placement_type")
    values, problems = cells.convert_code(["U4", "u4", " k2 "], placement)
    assert values == ["U4", "U4", "K2"] and problems == []
    sex = code_list("sex")
    # A label shared by a retired and a current code means the current one.
    assert cells.convert_code([1.0, "M", "Female", "f", 2], sex)[0] == ["1", "M", "F", "F", "2"]


def test_unknown_codes_say_what_is_allowed():
    values, problems = cells.convert_code(["U9"], code_list("placement_type"))
    assert values == [None]
    assert "not a known placement type code" in problems[0][1] and "Codes sheet" in problems[0][1]
    assert "closest: U1 (" in problems[0][1]  # the codes most like it come first
    values, problems = cells.convert_code(["X"], code_list("missing_type"))
    assert "expected one of M, A" in problems[0][1]


def test_2024_to_2026_codes_are_known():
    placement = code_list("placement_type")
    for code in ("K3", "Z11", "Z12", "Z13", "Z14"):
        assert placement.match(code) == code
    sex = code_list("sex")
    assert [sex.match(v) for v in ("M", "F", "U", "1", "2")] == ["M", "F", "U", "1", "2"]
    assert sex.group("1") == sex.group("M") == "male"


def test_every_problem_row_index_points_at_the_bad_cell_even_when_repeated():
    values, problems = cells.convert_date(["x", "01/01/2019", "x"])
    assert [i for i, _ in problems] == [0, 2]


def test_whole_columns_of_one_clean_shape_convert_the_same_as_cell_by_cell():
    # These take the bulk (C-speed) paths; each result must equal the cell-by-cell one.
    iso = ["2019-09-04 18:45:00", "2019-09-05 07:00:00", "", None]
    assert cells.convert_datetime(iso) == ([dt.datetime(2019, 9, 4, 18, 45), dt.datetime(2019, 9, 5, 7, 0), None,
                                            None], [])
    moments = [dt.datetime(2019, 9, 4, 18, 45), dt.datetime(2019, 9, 4, 18, 44, 59, 999_999)]
    assert cells.convert_datetime(moments)[0] == [dt.datetime(2019, 9, 4, 18, 45)] * 2
    aware = ["2019-09-04T18:45:00+01:00"]
    assert cells.convert_datetime(aware)[0] == [dt.datetime(2019, 9, 4, 18, 45)]
    assert cells.convert_date([dt.datetime(2019, 9, 4, 10, 0), dt.date(2019, 9, 5)])[0] == [D, dt.date(2019, 9, 5)]
    assert cells.convert_date(["2019-09-04", "04/09/2019"])[0] == [D, D]
    assert cells.convert_text(["C001", "C002", ""]) == (["C001", "C002", None], [])
    assert cells.convert_text(["C001 ", "C\t002", "a  b"])[0] == ["C001", "C 002", "a b"]


@pytest.mark.parametrize("column, expected", [
    (["C001", "C002"], ["C001", "C002"]),
    (["C001", " C002"], ["C001", "C002"]),
    (["C001", "C002 "], ["C001", "C002"]),
    (["a  b", "c"], ["a b", "c"]),
    (["a\x1fb", "c"], ["a b", "c"]),            # str.split counts the unit separator as a space
    (["Sévérn", "Tëst"], ["Sévérn", "Tëst"]),
    (["Sévérn\u2009Vale", "x"], ["Sévérn Vale", "x"]),
    (["North\xa0East", "x"], ["North East", "x"]),
])
def test_text_is_tidied_whether_or_not_the_column_looks_clean(column, expected):
    assert cells.convert_text(column)[0] == expected


# -- codes written in words: the rule, on matches and on near-misses that must not match --

@pytest.mark.parametrize(("codes", "written", "code"), [
    ("rhi_outcome", "Refused by parent", "refused_parent"),            # two of the label's three words
    ("rhi_outcome", "Parent/Carer refused", "refused_parent"),         # any order, punctuation ignored
    ("rhi_outcome", "Declined (parent)", "refused_parent"),            # an alias's words
    ("rhi_outcome", "child refused", "refused_child"),
    ("rhi_outcome", "Exempted", "exempt"),                             # one word: the whole (one-word) label
    ("in_touch", "Refuses contact", "REFU"),
    ("in_touch", "young person refused contact", "REFU"),             # refused / refuses: the same stem
    ("placement_type", "children's home", "K2"),
])
def test_a_code_written_in_words_matches_where_one_code_has_them(codes, written, code):
    assert code_list(codes).match(written) == code


@pytest.mark.parametrize(("codes", "written", "why"), [
    ("rhi_outcome", "Refused", "the child or the parent?"),
    ("rhi_outcome", "Parent", "one word matches only a one-word label"),
    ("rhi_outcome", "Completed late", "a word the label does not have"),
    ("rhi_outcome", "Not refused", "'not' is not filler"),
    ("rhi_outcome", "Refused by the child's parent", "words of two codes"),
    ("in_touch", "Touch", "one word of a longer label"),
    ("in_touch", "no contact", "'no' is not filler, and 'contact' alone is not enough"),
    ("placement_type", "Long term fostering with other foster carer", "U4 and U6 ('not long term') both have them"),
    ("missing_type", "Away from home", "'home' is not in 'Away from placement without authorisation'"),
])
def test_near_misses_do_not_match(codes, written, why):
    assert code_list(codes).match(written) is None, why


def test_a_near_miss_names_the_closest_codes_and_a_council_alias_settles_it():
    outcomes = code_list("rhi_outcome")
    values, problems = cells.convert_code(["Refused"], outcomes)
    assert values == [None] and "closest: refused_child" in problems[0][1] and "refused_parent" in problems[0][1]
    values, problems = cells.convert_code(["Refused", "Parent said no"], outcomes,
                                          {"refused": "refused_child", "parentsaidno": "refused_parent"})
    assert values == ["refused_child", "refused_parent"] and problems == []


def test_content_words_drop_filler_and_stem():
    from scorecard.codes import content_words

    assert content_words("Refused by the parent or carer(s)") == {"refus", "parent", "carer"}
    assert content_words("Children's homes") == {"child", "home"}


@pytest.mark.parametrize(("raw", "expected"), [
    (dt.time(14, 30), dt.time(14, 30)), ("14:30", dt.time(14, 30)), ("9.05", dt.time(9, 5)),
    ("2.30pm", dt.time(14, 30)), ("12:15 am", dt.time(0, 15)), ("1430", dt.time(14, 30)),
    (0.5, dt.time(12, 0)), (dt.datetime(1899, 12, 30, 23, 59, 59, 999_000), dt.time(0, 0)),
    ("07:45:10", dt.time(7, 45, 10)),
])
def test_times_of_day_in_the_forms_exports_write_them(raw, expected):
    values, problems = cells.convert_time([raw])
    assert problems == [] and values == [expected]


@pytest.mark.parametrize("raw", ["25:00", "13.30pm", "noon", "14:3", 1.5])
def test_bad_times_are_reported(raw):
    values, problems = cells.convert_time([raw])
    assert values == [None] and "is not a time of day" in problems[0][1]


@pytest.mark.parametrize(("raw", "age"), [(18, 18), (18.0, 18), ("18", 18), ("18th", 18), ("21st birthday", 21),
                                          ("Age 19", 19)])
def test_a_birthday_may_be_written_as_the_age_reached(raw, age):
    values, problems = cells.convert_date_or_age([raw])
    assert problems == [] and values[0].age == age


def test_a_birthday_date_stays_a_date():
    values, _ = cells.convert_date_or_age(["01/05/2019", dt.datetime(2019, 5, 1)])
    assert values == [dt.date(2019, 5, 1)] * 2
