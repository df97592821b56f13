"""The web app's view models, without Dash: built from the demo county's real computed
figures, and checked against `scorecard report` (the figures a councillor sees on the page
must be the figures the command line reports)."""
from __future__ import annotations

import dataclasses
from urllib.parse import unquote

import pytest

from scorecard import store
from scorecard.metrics import council_metrics, format_value, report_table
from scorecard.ui import text
from scorecard.ui.briefing import briefing_text, build_briefing
from scorecard.ui.charts import breakdown_figure, comparison_figure, sparkline_alt, sparkline_svg, trend_figure
from scorecard.ui.indicator_view import build_indicator
from scorecard.ui.views import build_scorecard, theme_options

pytestmark = pytest.mark.slow
COUNCIL = "E10000099"


@pytest.fixture(scope="module")
def metrics(demo_database_url):
    return council_metrics(store.engine(demo_database_url), COUNCIL)


def test_scorecard_shows_what_scorecard_report_reports(metrics):
    card = build_scorecard(metrics, "2025-03")
    report = {r["indicator"]: r for r in report_table(metrics, "2025-03", public=True).to_dict("records")}
    assert [row.id for row in card.rows] == [i.id for i in metrics.catalogue.indicators]
    for row in card.rows:
        expected = report[row.id]
        assert row.value_text == (expected["value_shown"] or row.value_text), row.id
        assert row.value == expected["value"], row.id
        assert row.rag == expected["rag"], row.id
        if expected["unit"] == "percent" and expected["numerator"] is not None:
            assert row.counts_text == f"{expected['numerator']:,.0f} of {expected['denominator']:,.0f}"
    assert card.period_label == "March 2025"
    assert card.as_at_text.startswith("Data as at 31 March 2025 (loaded ")
    assert card.periods[0] == "2025-03" and "2022-04" in card.periods


def test_success_is_listed_as_visibly_as_concern(metrics):
    card = build_scorecard(metrics, "2025-03")
    well, attention = [r.id for r in card.going_well], [r.id for r in card.needs_attention]
    assert well and attention and not set(well) & set(attention)
    # The lists agree with the table's ratings: reds before ambers, and nothing unrated or context.
    assert well == [r.id for r in card.rows if r.rag == "green"]
    assert attention == [r.id for r in card.rows if r.rag == "red"] + [r.id for r in card.rows if r.rag == "amber"]
    assert not any(r.context for r in (*card.going_well, *card.needs_attention))


def test_headline_and_since_the_last_meeting(metrics):
    card = build_scorecard(metrics, "2025-03")
    # The demo committee met on 12 March 2025 and saw January 2025's scorecard.
    assert (card.since, card.since_label) == ("2025-01", "January 2025")
    assert "last meeting (12 March 2025)" in card.basis_text
    rows = card.rows
    counts = {rag: sum(r.rag == rag for r in rows) for rag in ("red", "amber", "green")}
    assert card.headline.startswith(f"March 2025: {counts['red']} red, {counts['amber']} amber and "
                                    f"{counts['green']} green")
    january = {r.id: r for r in build_scorecard(metrics, "2025-01").rows}
    turned_red = [r.label for r in rows if r.rag == "red" and january[r.id].rag != "red"]
    assert turned_red and all(label in card.headline for label in turned_red)
    for row in rows:  # the "since" column is January's figure, as January's scorecard showed it
        assert row.since_text == (january[row.id].value_text if january[row.id].value is not None else "No figure")
    chosen = build_scorecard(metrics, "2025-03", since="2024-03")
    assert chosen.since == "2024-03" and chosen.basis_text == "March 2024, as chosen"
    assert build_scorecard(metrics, "2025-03", since="2025-04").since == "2025-01", "a later month is not a basis"


def test_a_month_that_cannot_be_shown_says_so(metrics):
    assert build_scorecard(metrics, "2025-03").notice == ""
    assert build_scorecard(metrics, "2025-13").notice.startswith("\u20182025-13\u2019 is not a month")
    assert build_scorecard(metrics, "2031-01").notice == ("There are no figures for January 2031: showing "
                                                          "March 2025, the latest month.")


def test_improvement_actions_beside_the_figure(metrics):
    rows = {r.id: r for r in build_scorecard(metrics, "2025-03").rows}
    iha = rows["iha_in_timescale"]
    assert [a.reference for a in iha.open_actions] == ["CP-01"] and iha.open_actions[0].overdue
    assert [u.status for u in iha.actions[0].history] == ["not_started", "in_progress", "delayed"]
    assert rows["rhi_within_72_hours"].actions and not rows["rhi_within_72_hours"].open_actions  # complete
    assert not rows["children_in_care"].actions


def test_month_framework_and_theme_choices(metrics):
    card = build_scorecard(metrics, "2024-06", framework="2019", theme="healthy")
    assert card.period == "2024-06" and card.framework == "2019" and card.theme == "healthy"
    assert [g.id for g in card.groups] == ["healthy"]
    assert {r.id for r in card.rows} == {i.id for i in metrics.catalogue.indicators if "healthy" in i.themes["2019"]}
    fallback = build_scorecard(metrics, "1999-01", framework="nonsense", theme="nonsense")
    assert (fallback.period, fallback.framework, fallback.theme) == ("2025-03", "2021", None)
    assert theme_options("2019")[0] == ("safe", "Being and feeling safe")


def test_sparklines_are_the_last_13_months_ending_with_the_value(metrics):
    card = build_scorecard(metrics, "2025-03")
    for row in card.rows:
        assert [p for p, _ in row.sparkline] == [f"2024-{m:02d}" for m in range(3, 13)] + ["2025-01", "2025-02",
                                                                                          "2025-03"]
        assert row.sparkline[-1][1] == row.value
    row = next(r for r in card.rows if r.id == "iha_in_timescale")
    svg = unquote(sparkline_svg(row.sparkline, row.unit))
    assert svg.startswith("data:image/svg+xml") and f">{row.value_text}</text>" in svg
    alt = sparkline_alt(row.sparkline, row.unit, row.label)
    assert alt.count(";") == 12 and alt.endswith(f"2025-03: {row.value_text}")


def test_commentary_is_the_newest_version_for_the_month(metrics):
    card = build_scorecard(metrics, "2025-03")
    rhi = next(r for r in card.rows if r.id == "rhi_within_72_hours")
    assert rhi.commentary.text.startswith("Interviews within 72 hours have improved through the year, from under")
    assert rhi.commentary.written == "9 April 2025"
    assert next(r for r in card.rows if r.id == "children_in_care").commentary is None


def test_small_numbers_are_hidden_everywhere_they_are_shown(metrics):
    page = build_indicator(metrics, "iha_in_timescale", "2025-03", "area")
    hidden = [g for g in page.breakdown.groups if g.note.startswith("suppressed")]
    assert hidden, "the demo's out-of-area IHAs in a month are fewer than 5"
    for group in hidden:
        assert group.value is None and group.counts_text == ""
    # The small out-of-area figure, and in area hidden beside it (else 12 - 10 of 20 - 12 tells it)
    assert {g.value_text for g in hidden} == {"Hidden (small number)", "Hidden (protects a small number)"}
    raw = metrics.breakdowns("iha_in_timescale", ["2025-03"])
    assert ((raw["numerator"] > 0) & (raw["numerator"] < 5)).any()


def test_indicator_page(metrics):
    page = build_indicator(metrics, "iha_in_timescale", "2024-12", "nonsense")
    assert [p.period for p in page.trend][-1] == "2024-12" and len(page.trend) == 24
    assert page.trend[0].period == "2023-01" and page.trend[-1].label == "Dec 2024"
    assert page.breakdown.name == "area", "an unknown breakdown falls back to the first offered"
    assert page.drilldown.problems == ("This indicator has no breakdown \u201cnonsense\u201d; showing in or out of "
                                       "area instead.",), "and the page says so"
    assert ("host_la", "Host council") in page.breakdown_names
    assert page.sources == ("Health assessments",)
    # The month's own extract, and later ones holding newer versions of the same records
    # (an IHA due in December and completed in January is in January's extract).
    assert page.extracts[0].first_month == "2024-12" and all(e.first_month >= "2024-12" for e in page.extracts)
    assert page.extracts[0].months_text == "December 2024"
    assert {e.dataset for e in page.extracts} == {"Health assessments"}
    assert len(page.extracts) == len(page.row.extract_ids)
    assert [c.period for c in page.comments] == sorted((c.period for c in page.comments), reverse=True)
    assert all(c.period <= "2024-12" for c in page.comments) and page.comments
    assert "20 working days" in page.numerator_text and page.denominator_text and page.timescale_text
    with pytest.raises(KeyError):
        build_indicator(metrics, "no_such_indicator")


def test_trend_chart_writes_every_value_and_marks_breaks(metrics):
    page = build_indicator(metrics, "placement_stability_short", "2025-03")
    figure = trend_figure(page)
    values = figure["data"][0]
    assert values["text"] == [p.value_text if p.value is not None else "" for p in page.trend]
    assert "text" in values["mode"] and figure["layout"]["yaxis"]["ticksuffix"] == "%"
    assert {t["name"] for t in figure["data"]} >= {"Target", "England"}
    assert all(t["line"]["dash"] != figure["data"][0]["line"]["dash"] for t in figure["data"][1:])
    broken = dataclasses.replace(page, trend=tuple(
        dataclasses.replace(p, series_break="new case-management system" if p.period == "2024-01" else "")
        for p in page.trend))
    marked = trend_figure(broken)
    assert [s["x0"] for s in marked["layout"]["shapes"]] == ["Jan 2024"]
    assert marked["layout"]["annotations"][0]["text"] == "Series break: new case-management system"
    bars = breakdown_figure(page.breakdown, page.unit)
    assert bars["data"][0]["text"] == [g.value_text for g in page.breakdown.groups]


def test_briefing_note_lists_what_changed(metrics):
    note = build_briefing(metrics, "2025-03", "2024-12")
    before = {r.id: r for r in build_scorecard(metrics, "2024-12").rows}
    now = {r.id: r for r in build_scorecard(metrics, "2025-03").rows}
    assert {c.row.id for c in note.turned_red} == {i for i in now if now[i].rag == "red" and before[i].rag != "red"}
    assert {c.row.id for c in note.turned_amber} == {i for i in now
                                                     if now[i].rag == "amber" and before[i].rag != "amber"}
    for change in note.improved:
        assert change.direction == "improving" and "Improving" in change.direction_text
    listed = [c.row.id for group in (note.turned_red, note.turned_amber, note.turned_green, note.improved,
                                     note.worsened) for c in group]
    assert len(set(listed)) == len(listed), "each change is listed once"
    assert len(listed) + note.unchanged == len(now)
    assert note.improved or note.worsened
    rhi = next(c for c in note.turned_red if c.row.id == "rhi_completed")
    assert rhi.row.commentary.text.startswith("The March completion rate is provisional")
    plain = briefing_text(note)
    assert plain.startswith("Briefing note: December 2024 to March 2025") and "Turned red (" in plain
    unknown = build_briefing(metrics, "2025-03", "2030-01")
    assert unknown.since == "2025-01", "compared with what the last meeting saw"
    assert "No figures to compare with for 2030-01" in unknown.notice


@pytest.mark.parametrize(("state", "now", "before", "expected"), [
    ("improving", 0.5, 0.4, "↑ Improving"), ("improving", 0.1, 0.2, "↓ Improving"),
    ("worsening", 0.3, 0.2, "↑ Worsening"), ("no_change", 0.2, 0.2, "→ No change"), (None, 1, 2, "")])
def test_direction_words_and_arrows(state, now, before, expected):
    assert text.direction_text(state, now, before) == expected


def test_comparator_and_value_words():
    assert text.comparator_text("rate_per_10000", 46.3, "2017/18", "published") == "46.3 (2017/18)"
    assert text.comparator_text("percent", 0.69, "2023/24", "older") == "69.0% (2023/24, older year)"
    assert text.comparator_text("percent", None, None, "not_yet_published") == "Not yet published"
    assert text.comparator_text("percent", None, None, None) == "Not compared"
    assert text.comparator_text("percent", 0.5, "2024-03", "computed", 2, 11) == "50.0% (2024-03, we rank 2 of 11)"
    assert text.counts_text("percent", 73, 94) == "73 of 94"
    assert text.value_text("percent", None, "suppressed: fewer than 5") == "Hidden (small number)"
    assert text.month_label("2025-03") == "March 2025" and text.short_month("2024-12") == "Dec 2024"
    assert format_value("percent", 73 / 94) == "77.7%"


def test_acronyms_are_found_as_whole_words():
    glossary = {"RHI": "Return home interview", "EET": "In education, employment or training"}
    assert text.acronym_parts("Return home interviews (RHI) completed", glossary) == [
        ("Return home interviews (", None), ("RHI", "Return home interview"), (") completed", None)]
    assert text.acronym_parts("MEETING", glossary) == [("MEETING", None)]


def test_standing_and_published_words():
    assert text.standing_text(16, 150, "A", "2024/25") == "16th of 150, band A (2024/25)"
    assert text.standing_text(1, 151, None, "2024/25") == "1st of 151 (2024/25)"
    assert text.standing_text(3, 151, "A", "2024/25", older=True) == "3rd of 151, band A (2024/25, older year)"
    assert [text.ordinal(n) for n in (2, 3, 11, 12, 13, 21, 102)] == ["2nd", "3rd", "11th", "12th", "13th", "21st",
                                                                        "102nd"]
    assert text.standing_text(None, None, None, None) == "Not ranked"
    assert text.published_text("percent", 0.60, "2024/25", "published", "", 0.021) == \
        "60.0% (2024/25); this figure is 2.1 points higher"
    assert text.published_text("count", 694, "2024/25", "published", "", -682) == \
        "694 (2024/25); this figure is 682 lower"
    assert text.published_text("percent", 0.6, "2024/25", "published", "", 0.0) == "60.0% (2024/25); this figure agrees"
    assert text.published_text("percent", None, None, None, "not in the DfE's figures", None) == \
        "not in the DfE's figures"


def test_the_demo_is_compared_with_leicestershires_neighbours(metrics):
    card = build_scorecard(metrics, "2025-03")
    assert "statistical neighbours of Leicestershire" in card.compared_text and card.region_name == "East Midlands"
    stability = next(r for r in card.rows if r.id == "placement_stability_long")
    sn, england, region = stability.comparators
    assert sn.label == "Statistical neighbours (mean of 10, 2025 model)" and sn.state == "published"
    assert (england.label, england.measured) == ("England", "at 31 March 2025")
    assert region.label == "East Midlands"
    assert stability.standing_text.endswith("(2024/25)") and " of 15" in stability.standing_text
    context = next(r for r in card.rows if r.id == "children_in_care_rate")
    assert context.standing_text == "Not ranked"  # neither higher nor lower is better

    page = build_indicator(metrics, "placement_stability_long", "2025-03")
    compared = page.compared
    assert compared.year_text == "2024/25, at 31 March 2025"
    kinds = [b.kind for b in compared.bars]
    assert kinds == ["council"] + ["neighbour"] * 10 + ["average", "england", "region"]
    neighbours = [b for b in compared.bars if b.kind == "neighbour"]
    assert neighbours[0].name == "Gloucestershire" and neighbours[0].detail == "Very close"
    assert sum(b.value for b in neighbours) / 10 == pytest.approx(sn.value)  # the mean, as LAIT
    periods = [y.period for y in compared.years]
    assert periods[0] == "2017/18" and periods[-1] == "2024/25"  # LAIT's longer series, then EES
    latest = compared.years[-1]
    assert latest.values[0] is None  # the demo county has no published figure of its own
    assert latest.values[1] == pytest.approx(stability.value)  # its own March figure beside the DfE's
    assert latest.values[4] == pytest.approx(england.value)
    assert "not in the DfE's published figures" in compared.published_text
    figure = comparison_figure(compared.bars, page.unit)
    assert figure["data"][0]["text"][0] == stability.value_text  # every value written on its bar
    assert figure["data"][0]["marker"]["color"][0] != figure["data"][0]["marker"]["color"][1]
    assert build_indicator(metrics, "visits_in_timescale", "2025-03").compared is None


def test_host_councils_are_named(metrics):
    page = build_indicator(metrics, "iha_in_timescale", "2025-03", "host_la")
    groups = [g.group for g in page.breakdown.groups]
    assert groups and not any(g.startswith("E0") or g.startswith("E1") for g in groups), groups


def test_indicator_page_has_the_months_commentary_actions_and_says_when_a_month_cannot_be_shown(metrics):
    page = build_indicator(metrics, "iha_in_timescale", "2025-03")
    march = [c for c in page.comments if c.period == "2025-03"]
    assert march and page.row.commentary == march[0], "the headline shows the commentary listed below it"
    assert [a.reference for a in page.row.actions] == ["CP-01"] and page.row.actions[0].overdue
    assert page.notice == ""
    assert build_indicator(metrics, "iha_in_timescale", "2025-00").notice.startswith("\u20182025-00\u2019 is not")
