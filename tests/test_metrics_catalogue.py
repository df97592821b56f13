"""metrics.yaml: the real catalogue is valid and documented; broken ones are reported
with the file, line and indicator of every problem, all at once."""
from __future__ import annotations

import textwrap

import pytest
from click.testing import CliRunner

from scorecard.cli import main
from scorecard.metrics.catalogue import CATALOGUE_PATH, CatalogueError, load_catalogue
from scorecard.metrics.cohorts import COHORTS
from scorecard.metrics.docs import DOCS_PATH, catalogue_markdown

DOMAIN_INDICATORS = {
    "children_in_care", "children_in_care_rate", "uasc_percent", "placed_out_of_area", "placed_20_miles",
    "placement_in_house_fostering", "placement_agency_fostering", "placement_residential", "placement_with_parents",
    "placement_adoption", "placement_other", "placement_stability_short", "placement_stability_long",
    "visits_in_timescale", "missing_episodes", "children_missing", "rhi_completed", "rhi_within_72_hours",
    "rhi_not_completed", "iha_in_timescale", "health_assessments_up_to_date", "dental_checks",
    "care_leavers_in_touch_17_18", "care_leavers_in_touch_19_21", "care_leavers_eet_17_18", "care_leavers_eet_19_21",
    "care_leavers_suitable_accommodation_17_18", "care_leavers_suitable_accommodation_19_21",
}


def test_the_catalogue_holds_the_domain_briefs_indicators():
    catalogue = load_catalogue()
    assert DOMAIN_INDICATORS <= set(catalogue.by_id)
    # Every missing-episode measure can be split by children in care and other children.
    for indicator in catalogue.indicators:
        if indicator.cohort.startswith("missing_episodes"):
            assert "care_status" in indicator.breakdowns, indicator.id
    # Both theme frameworks of the brief, each indicator under each.
    assert {f.id for f in catalogue.frameworks} == {"2019", "2021"}
    assert all(set(i.themes) == {"2019", "2021"} for i in catalogue.indicators)


def test_every_indicator_offers_its_cohorts_breakdowns_but_the_all_or_nothing_ones():
    catalogue = load_catalogue()
    for indicator in catalogue.indicators:
        cohort = COHORTS[indicator.cohort]
        if indicator.denominator is not None and indicator.denominator.reference is not None:
            assert indicator.breakdowns == (), indicator.id  # no population for a group
            continue
        left_out = set(cohort.breakdowns) - set(indicator.breakdowns)
        assert left_out <= {"area", "uasc", "placement_type", "rhi_outcome"}, (indicator.id, left_out)
    by_id = catalogue.by_id
    assert by_id["visits_in_timescale"].breakdowns == ("team", "age_band", "district")
    assert by_id["iha_in_timescale"].breakdowns == ("area", "host_la", "age_band", "district")
    # The out-of-area share by area is 0% or 100%; it excludes UASC, so one UASC group.
    assert not {"area", "uasc"} & set(by_id["placed_out_of_area"].breakdowns)
    assert "placement_type" not in by_id["placement_residential"].breakdowns
    # A count of interviews not completed, by outcome, is the point of it; the share completed is not.
    assert "rhi_outcome" in by_id["rhi_not_completed"].breakdowns
    assert "rhi_outcome" not in by_id["rhi_completed"].breakdowns
    assert "uasc" in by_id["children_in_care"].breakdowns


def test_metrics_check_passes_on_the_shipped_catalogue():
    result = CliRunner().invoke(main, ["metrics", "check"])
    assert result.exit_code == 0, result.output
    assert "no problems" in result.output


def test_the_generated_catalogue_document_is_up_to_date():
    assert DOCS_PATH.read_text(encoding="utf-8") == catalogue_markdown(load_catalogue()), (
        "docs/metrics.md is stale: run `scorecard metrics docs`")


def broken(tmp_path, edit) -> list[str]:
    path = tmp_path / "metrics.yaml"
    path.write_text(edit(CATALOGUE_PATH.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(path)
    return caught.value.problems


def line_of(text: str, needle: str, after: str = "") -> int:
    start = text.index(after) if after else 0
    return text[:text.index(needle, start)].count("\n") + 1


def test_unknown_keys_and_missing_fields_are_reported_with_their_lines(tmp_path):
    def edit(text):
        text = text.replace("    unit: percent\n    polarity: context\n", "    unit: percent\n    polarty: context\n", 1)
        return text.replace("  - id: visits_in_timescale\n    label: Statutory visits in timescale\n",
                            "  - id: visits_in_timescale\n")
    problems = broken(tmp_path, edit)
    text = edit(CATALOGUE_PATH.read_text(encoding="utf-8"))
    typo = line_of(text, "polarty")
    assert f"metrics.yaml:{typo} indicator 'uasc_percent': unknown key 'polarty'" in problems
    assert any(p.startswith("metrics.yaml:") and "indicator 'uasc_percent': missing field 'polarity'" in p
               for p in problems)
    visits = line_of(text, "- id: visits_in_timescale")
    assert f"metrics.yaml:{visits} indicator 'visits_in_timescale': missing field 'label'" in problems


def test_rules_find_what_the_shape_cannot(tmp_path):
    def edit(text):
        text = text.replace("{column: placements_last_12_months, op: ge, value: 3}",
                            "{column: placements_in_year, op: ge, value: 3}")
        text = text.replace("      - {from: \"2019-04\", green: 0.90, amber: 0.85}\n    cohort: visits_due_in_month",
                            "      - {from: \"2019-04\", green: 0.85, amber: 0.90}\n    cohort: visits_due_in_month")
        text = text.replace("  - id: dental_checks", "  - id: health_assessments_up_to_date")
        text = text.replace("cohort: care_leavers_with_birthday_in_last_12_months", "cohort: care_leavers_by_birthday", 1)
        text = text.replace("acronyms: [IHA]", "acronyms: [IHA, CAMHS]")
        text = text.replace("    cohort: visits_due_in_month\n", "    cohort: visits_due_in_month\n    breakdowns: [team, sex]\n")
        text = text.replace("    cohort: children_in_care_at_month_end\n    numerator: {}\n    denominator: {reference:",
                            "    cohort: children_in_care_at_month_end\n    breakdowns: [district]\n    numerator: {}\n"
                            "    denominator: {reference:")
        return text.replace("      - {from: \"2019-04\", green: 0.70, amber: 0.65}",
                            "      - {from: \"2019-04\", green: 70, amber: 65}")
    problems = broken(tmp_path, edit)
    text = edit(CATALOGUE_PATH.read_text(encoding="utf-8"))
    expected = [
        (line_of(text, "placements_in_year"), "placement_stability_short", "cohort 'children_in_care_at_month_end' "
         "has no column 'placements_in_year'"),
        (line_of(text, "green: 0.85, amber: 0.90"), "visits_in_timescale", "thresholds in the wrong order for "
         "polarity higher: green (0.85) must be at or above amber (0.9)"),
        (line_of(text, "- id: health_assessments_up_to_date", after="id: health_assessments_up_to_date\n"),
         "health_assessments_up_to_date", "duplicate id: 2 indicators are called 'health_assessments_up_to_date'"),
        (line_of(text, "cohort: care_leavers_by_birthday"), "care_leavers_in_touch_17_18", "unknown cohort "
         "'care_leavers_by_birthday'"),
        (line_of(text, "CAMHS]") , "iha_in_timescale", "acronym 'CAMHS' is not in the glossary"),
        (line_of(text, "breakdowns: [team, sex]"), "visits_in_timescale", "cohort 'visits_due_in_month' "
         "cannot be broken down by 'sex'"),
        (line_of(text, "breakdowns: [district]"), "children_in_care_rate", "a rate per head of a population cannot "
         "be broken down"),
        (line_of(text, "green: 70, amber: 65"), "placement_stability_long", "percentages are written as "
         "fractions: 90% is 0.9"),
    ]
    for line, indicator, message in expected:
        assert any(p.startswith(f"metrics.yaml:{line} indicator '{indicator}': {message}") for p in problems), (
            line, indicator, message, problems)


def test_context_indicators_are_not_rated_and_counts_have_no_denominator(tmp_path):
    def edit(text):
        text = text.replace("    polarity: context\n    rag: none\n    cohort: children_in_care_at_month_end\n"
                            "    numerator: {where: [{column: uasc, op: eq, value: true}]}",
                            "    polarity: context\n    rag: target\n    cohort: children_in_care_at_month_end\n"
                            "    numerator: {where: [{column: uasc, op: eq, value: true}]}")
        return text.replace("    cohort: missing_episodes_started_in_month\n    numerator: {}\n",
                            "    cohort: missing_episodes_started_in_month\n    numerator: {}\n    denominator: {}\n", 1)
    problems = broken(tmp_path, edit)
    assert any("indicator 'uasc_percent': a context indicator has no RAG rating" in p for p in problems)
    assert any("indicator 'missing_episodes': a count has no denominator" in p for p in problems)


def test_not_yaml_at_all(tmp_path):
    problems = broken(tmp_path, lambda text: text + "\n  - id: [unclosed\n")
    assert len(problems) == 1 and problems[0].startswith("metrics.yaml:") and "not valid YAML" in problems[0]


def test_metrics_check_exits_non_zero_listing_problems(tmp_path, monkeypatch):
    path = tmp_path / "metrics.yaml"
    path.write_text(CATALOGUE_PATH.read_text(encoding="utf-8").replace("unit: count", "unit: counts", 1))
    monkeypatch.setattr("scorecard.metrics.catalogue.CATALOGUE_PATH", path)
    monkeypatch.setattr(load_catalogue, "__defaults__", (path,))
    result = CliRunner().invoke(main, ["metrics", "check"])
    assert result.exit_code == 1
    assert "indicator 'children_in_care': unit:" in result.output and "1 problem(s)" in result.output


def test_a_new_indicator_reusing_a_cohort_is_a_yaml_edit(tmp_path):
    """The README's example: children in care aged 16 and over, as a share."""
    addition = textwrap.dedent("""
      - id: aged_16_and_over
        label: Children in care aged 16 and over
        description: The share of children in care who are 16 or 17.
        definition:
          numerator: Children in care at the month end aged 16 or over.
          denominator: All children in care at the month end.
          timescale: A snapshot on the last day of the month.
        themes: {"2021": [placements], "2019": [adulthood]}
        unit: percent
        polarity: context
        rag: none
        cohort: children_in_care_at_month_end
        numerator: {where: [{column: age, op: ge, value: 16}]}
        denominator: {}
        breakdowns: [sex, uasc]
    """)
    path = tmp_path / "metrics.yaml"
    path.write_text(CATALOGUE_PATH.read_text(encoding="utf-8") + textwrap.indent(addition, "  "), encoding="utf-8")
    catalogue = load_catalogue(path)
    assert catalogue.by_id["aged_16_and_over"].numerator.where[0].value == 16
