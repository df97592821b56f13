"""The meeting pack as an Excel workbook for analysts, written in memory with XlsxWriter.

Every figure is a real number in its unit's format (percent, rate per 10,000, days,
count) with its state beside it: an empty cell is never a zero, and says why it is
empty (hidden as a small number, no figure, not yet published...). Sheets, each written
by its own function:

- "Scorecard": one row per indicator (an Excel table): value, numerator, denominator,
  RAG, target, last month, last year, each comparator's value, year, state and note,
  the rank and quartile band, the DfE's figure for the council, commentary.
- "Breakdowns": one tidy table of every group of every breakdown of every indicator in
  the month, for filtering and pivot tables.
- One sheet per theme: each indicator's 13 months and its target, with a chart of both.
- "About": source, council, month, "as at", the small-number rule, every column's meaning,
  the glossary.

Every sheet starts with its title and the "as at" date, as a date and in words.
"""
from __future__ import annotations

import io
import re

import xlsxwriter

from scorecard.metrics.calendar import Month, to_date
from scorecard.packs.common import (
    OLDER_NOTE,
    PRODUCT,
    SMALL_NUMBERS,
    glossary_terms,
    pack_title,
)
from scorecard.packs.excel_cells import (
    COUNT_FORMAT,
    TITLE_ROWS,
    WHOLE_NUMBER,
    WORKBOOK_OPTIONS,
    Column,
    Formats,
    title_block,
    write_cell,
    write_merged,
    write_table,
)
from scorecard.packs.excel_trends import TREND_COLUMNS, theme_sheet
from scorecard.packs.workbook_data import (
    BENCHMARK_STATES,
    COMPARATOR_ORDER,
    HIDDEN,
    NO_FIGURE,
    NOT_APPLICABLE,
    NOT_COMPARED,
    NOT_RANKED,
    OLDER_YEAR,
    RANKED,
    SHOWN,
    WorkbookData,
    workbook_data,
)

SCORECARD, BREAKDOWNS, ABOUT = "Scorecard", "Breakdowns", "About"
COMPARATOR_SHORT = {"statistical_neighbours": "SN", "england": "England"}


def excel_pack(card, metrics) -> bytes:
    """The month's workbook as .xlsx bytes: the card's figures, and the numbers behind them
    read from `metrics` (the `CouncilMetrics` the card was built from)."""
    return write_workbook(workbook_data(card, metrics))


def write_workbook(data: WorkbookData) -> bytes:
    card = data.card
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, WORKBOOK_OPTIONS)
    workbook.set_properties({"title": pack_title(card), "author": card.council_name, "subject": card.as_at_text,
                             "comments": f"{PRODUCT}: public figures only (small numbers hidden)."})
    formats = Formats(workbook)
    columns = {SCORECARD: scorecard_columns(data), BREAKDOWNS: breakdown_columns()}
    scorecard_sheet(workbook, formats, data, columns[SCORECARD])
    breakdowns_sheet(workbook, formats, data, columns[BREAKDOWNS])
    # The committee's improvement actions will have their own sheet here, written by an
    # `actions_sheet(workbook, formats, data)` like the two above.
    names = {SCORECARD, BREAKDOWNS, ABOUT}
    for group in card.groups:
        name = sheet_name(group.label, names)
        names.add(name)
        theme_sheet(workbook, formats, data, group, name)
    about_sheet(workbook, formats, data, columns)
    workbook.close()
    return buffer.getvalue()


def sheet_name(label: str, taken: set[str]) -> str:
    """A valid, unique sheet name: at most 31 characters, none of []:*?/\\ ."""
    base = " ".join(re.sub(r"[\[\]:*?/\\]", " ", label).split()).strip("'") or "Theme"
    name, number = base[:31], 2
    while name.lower() in {t.lower() for t in taken}:
        suffix = f" ({number})"
        name, number = base[:31 - len(suffix)] + suffix, number + 1
    return name


# --- Columns shared by the Scorecard and Breakdowns sheets: a figure, its counts, its rating
# and its movement, read from an IndicatorFigures or a BreakdownFigures alike.

def _in_unit(formats: Formats, record) -> dict:
    return formats.number(record.unit)


def _state_meaning(what: str) -> str:
    return f"Why {what} is empty, or '{SHOWN}': {HIDDEN}, {NO_FIGURE} or {NOT_APPLICABLE}."


def figure_columns() -> list[Column]:
    counts = {"num_format": COUNT_FORMAT}
    return [
        Column("Value", "The month's figure, in the unit's number format (a percentage is stored as a fraction). "
               "Empty when it is hidden or there is none: see Value state.", lambda r: r.value.value, 11,
               lambda formats, r: dict(formats.number(r.unit), bold=True)),
        Column("Value state", _state_meaning("the value"), lambda r: r.value.state, 12),
        Column("Numerator", "The count the value is made from: children, visits, episodes (for a count, the count "
               "itself).", lambda r: r.numerator.value, 11, counts),
        Column("Numerator state", _state_meaning("the numerator"), lambda r: r.numerator.state, 12),
        Column("Denominator", "The count the numerator is out of (for a rate per 10,000, the child population). "
               "A count has none.", lambda r: r.denominator.value, 12, counts),
        Column("Denominator state", _state_meaning("the denominator"), lambda r: r.denominator.state, 12),
        Column("RAG rating", "Red, amber or green, as a shape and a word on its colour (legible in black and white); "
               "'Too few to rate' or 'Not rated' otherwise.", lambda r: r.rag_text, 15,
               lambda formats, r: formats.rag(r.rag)),
        Column("RAG reason", "What the rating was judged against.", lambda r: r.rag_reason, 30, {"text_wrap": True}),
        Column("Target", "The council's target for the month (green at or beyond it); empty: no target.",
               lambda r: r.target, 10, _in_unit),
    ]


def movement_columns() -> list[Column]:
    return [
        Column("Last month", "The figure a month before, as public outputs show it.", lambda r: r.last_month.value, 11,
               _in_unit),
        Column("Last month state", _state_meaning("last month's figure"), lambda r: r.last_month.state, 12),
        Column("vs last month", "Which way the figure moved since last month (arrow) and whether that is an "
               "improvement (word).", lambda r: r.month_direction_text, 14),
        Column("Same month last year", "The figure twelve months before.", lambda r: r.last_year.value, 12, _in_unit),
        Column("Last year state", _state_meaning("last year's figure"), lambda r: r.last_year.state, 12),
        Column("vs last year", "Movement since the same month last year, as for last month.",
               lambda r: r.year_direction_text, 14),
    ]


def _month_column(data: WorkbookData) -> Column:
    month_end = to_date(Month.parse(data.card.period).last)
    return Column("Month", "The month the figure is for, as its last day (a date).", lambda r: month_end, 12,
                  {"num_format": "mmm yyyy", "align": "left"})


def scorecard_columns(data: WorkbookData) -> list[Column]:
    wrap = {"text_wrap": True}
    columns = [
        Column("Theme", "The theme(s) the indicator sits under.", lambda f: f.themes, 22, wrap),
        Column("Indicator", "The indicator, as the scorecard names it.", lambda f: f.label, 46,
               {"text_wrap": True, "bold": True}),
        Column("Indicator id", "The indicator's id in the catalogue: stable, for joining months together.",
               lambda f: f.indicator, 22),
        _month_column(data),
        Column("Unit", "percent, rate_per_10000, days or count.", lambda f: f.unit, 12),
        Column("Polarity", "higher or lower is better, or context (neither).", lambda f: f.row.polarity, 9),
        *figure_columns(),
        Column("Amber from", "Amber from this figure to the target; red beyond it.", lambda f: f.target_amber, 10,
               _in_unit),
        *movement_columns(),
    ]
    for name in COMPARATOR_ORDER:
        columns += comparator_columns(name, COMPARATOR_SHORT.get(name) or data.card.region_name or "Region")
        if name == "statistical_neighbours":
            columns += [
                Column("SN rank", "The council's rank among itself and its statistical neighbours (1 = best).",
                       lambda f: f.neighbour_rank, 8, {"num_format": WHOLE_NUMBER}),
                Column("SN rank of", "How many councils that rank is among.", lambda f: f.neighbour_rank_of, 8,
                       {"num_format": WHOLE_NUMBER})]
    columns += [
        Column("Rank among councils", "The figure's rank among every council's published figure for the year "
               "(1 = best by the indicator's polarity).", lambda f: f.rank, 10, {"num_format": WHOLE_NUMBER}),
        Column("Ranked among", "How many councils' figures it is ranked among.", lambda f: f.rank_of, 10,
               {"num_format": WHOLE_NUMBER}),
        Column("Quartile band", "A (best quarter of councils) to D.", lambda f: f.band, 9),
        Column("Rank year", "The DfE's year the rank is taken in.", lambda f: f.rank_year, 9),
        Column("Rank state", f"'{RANKED}', '{OLDER_YEAR}' (the latest published year is older than the month) or "
               f"'{NOT_RANKED}' (context figure, hidden figure, or nothing published).", lambda f: f.rank_state, 11),
        Column("DfE figure for the council", "The DfE's own published figure for the council.",
               lambda f: f.published.value, 12, _in_unit),
        Column("DfE figure year", "Its year.", lambda f: f.published.year, 9),
        Column("DfE figure state", "Its state, as for the comparators.", lambda f: f.published.state, 12),
        Column("DfE figure note", "Why there is none, or anything unusual about it.", lambda f: f.published.note, 30,
               wrap),
        Column("Difference from DfE figure", "This figure minus the DfE's, at the March the DfE's year ends on "
               "(for a percentage, in percentage points).", lambda f: f.published_difference, 12, _in_unit),
        Column("DfE definition note", "How the DfE's definition differs from the scorecard's.",
               lambda f: f.row.definition_note, 30, wrap),
        Column("Commentary", "The officers' footnote for the month.",
               lambda f: f.row.commentary.text if f.row.commentary else None, 60, wrap),
        Column("Commentary by", "Who wrote it.", lambda f: f.row.commentary.author if f.row.commentary else None, 24,
               wrap),
        Column("Commentary written", "When (a date and time).", lambda f: f.commentary_written, 16),
        Column("Caveat", "What to know before reading the figure (incomplete history, children in care only).",
               lambda f: f.row.caveat, 24, wrap),
        Column("Note", "How the figure was made, and why one is missing.", lambda f: f.row.note, 34, wrap),
    ]
    return columns


def comparator_columns(name: str, short: str) -> list[Column]:
    words = {"statistical_neighbours": "the statistical neighbours' average", "england": "England's figure",
             "region": "the region's figure"}[name]
    states = ", ".join(f"'{s}'" for s in (*BENCHMARK_STATES.values(), NOT_COMPARED))
    return [
        Column(f"{short} value", f"{words[0].upper() + words[1:]} (published by the DfE once a year).",
               lambda f: f.benchmarks[name].value, 10, _in_unit),
        Column(f"{short} year", "The DfE's year that figure is for.", lambda f: f.benchmarks[name].year, 9),
        Column(f"{short} state", f"One of {states}: '{OLDER_YEAR}' is the latest published, for an earlier year "
               "than the month.", lambda f: f.benchmarks[name].state, 12),
        Column(f"{short} note", "What the figure is (and for neighbours, which model and average) and anything "
               "missing.", lambda f: f.benchmarks[name].note, 30, {"text_wrap": True}),
    ]


def breakdown_columns() -> list[Column]:
    return [
        Column("Indicator", "The indicator.", lambda b: b.label, 40, {"text_wrap": True}),
        Column("Indicator id", "The indicator's id in the catalogue.", lambda b: b.indicator, 22),
        Column("Unit", "percent, rate_per_10000, days or count.", lambda b: b.unit, 10),
        Column("Breakdown", "What the children are split by.", lambda b: b.breakdown, 16),
        Column("Group", "One group of that split (host councils by name).", lambda b: b.group, 22),
        *figure_columns(),
        *movement_columns(),
        Column("Note", "Why a figure is missing, or anything unusual about it.", lambda b: b.note, 30,
               {"text_wrap": True}),
    ]


def scorecard_sheet(workbook, formats: Formats, data: WorkbookData, columns: list[Column]) -> None:
    card = data.card
    sheet = workbook.add_worksheet(SCORECARD)
    note = (f"{card.framework_label}. Public figures: small numbers are hidden (empty cells, the state column says "
            "why). Each column is explained on the About sheet.")
    if card.compared_text:
        note += " " + card.compared_text
    title_block(sheet, formats, pack_title(card), data.as_at, card.as_at_text, note)
    write_table(sheet, formats, TITLE_ROWS, columns, list(data.indicators), "Scorecard_table")
    sheet.freeze_panes(TITLE_ROWS + 1, 2)
    _print_setup(sheet, card, TITLE_ROWS, 2)
    sheet.activate()


def breakdowns_sheet(workbook, formats: Formats, data: WorkbookData, columns: list[Column]) -> None:
    card = data.card
    sheet = workbook.add_worksheet(BREAKDOWNS)
    title_block(sheet, formats, f"Every breakdown of every indicator, {card.period_label}", data.as_at,
                card.as_at_text, "One row per group. Groups of a breakdown add up to the indicator's total on the "
                "Scorecard sheet, where none is hidden. Hidden groups are empty, with their state.")
    write_table(sheet, formats, TITLE_ROWS, columns, list(data.breakdowns), "Breakdowns_table")
    sheet.freeze_panes(TITLE_ROWS + 1, 1)
    _print_setup(sheet, card, TITLE_ROWS, 1)


def _print_setup(sheet, card, header: int, title_columns: int) -> None:
    sheet.set_landscape()
    sheet.set_paper(9)                     # A4
    sheet.repeat_rows(header)
    sheet.repeat_columns(0, title_columns - 1)
    sheet.set_header(f"&L{_escape_header(card.council_name)}&C{_escape_header(card.period_label)}"
                     f"&R{_escape_header(card.as_at_text)}")
    sheet.set_footer("&RPage &P of &N")


def _escape_header(text: str) -> str:
    return text.replace("&", "&&")


def about_sheet(workbook, formats: Formats, data: WorkbookData, columns: dict[str, list[Column]]) -> None:
    card = data.card
    sheet = workbook.add_worksheet(ABOUT)
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 1, 28)
    sheet.set_column(2, 2, 100)
    sheet.set_column(3, 5, 16)
    title_block(sheet, formats, f"About this workbook: {pack_title(card)}", data.as_at, card.as_at_text)
    lines = [
        ("What", (f"The {PRODUCT} for {card.council_name}, {card.period_label}: the same public figures as the web "
                  "scorecard and the PDF meeting pack, as numbers for analysis.")),
        ("Council", f"{card.council_name} ({card.council_code})"),
        ("Month", card.period_label),
        ("Source", ("Computed by the scorecard from the council's case-management extracts listed below, one "
                    "definition per indicator; benchmarks and ranks from the DfE's published figures. "
                    + card.compared_text).strip()),
        ("Themes", card.framework_label),
        ("Small numbers", (f"{SMALL_NUMBERS} A count below {data.suppress_below} is hidden. Hidden figures are "
                           f"empty cells with the state '{HIDDEN}', never a zero.")),
        ("Benchmarks", "Statistical neighbours (SN), England and the region, each with its year and state. "
         + OLDER_NOTE),
        ("Ratings", ("Red, amber or green against the target or benchmarks (the word and a shape are always written "
                     "as well as the colour); 'Not rated' for figures shown for context.")),
        ("Sheets", (f"{SCORECARD}: one row per indicator. {BREAKDOWNS}: every group of every breakdown. One sheet "
                    "per theme: the last 13 months with the target, and a chart of each.")),
    ]
    row = TITLE_ROWS
    for label, text in lines:
        write_cell(sheet, formats, row, 0, label, formats.bold)
        write_merged(sheet, formats, row, 1, 2, text, formats.wrap)
        row += 1
    row = _about_sources(sheet, formats, data, row + 1)
    row = _about_columns(sheet, formats, columns, row + 1)
    _about_glossary(sheet, formats, row + 1)


def _about_sources(sheet, formats: Formats, data: WorkbookData, row: int) -> int:
    write_cell(sheet, formats, row, 0, "Extracts the month's figures come from", formats.section)
    row += 1
    for column, heading in enumerate(("Dataset", "File", "Months covered", "Extracts", "Newest as at", "Loaded")):
        write_cell(sheet, formats, row, column, heading, formats.header)
    for source in data.sources:
        row += 1
        for column, value in enumerate((source.dataset, source.file, source.months, source.extracts, source.as_at,
                                        source.loaded_at)):
            # the as-at day as a date; the loading time as a date and time (write_cell's default)
            write_cell(sheet, formats, row, column, value, formats.date if column == 4 else formats.text)
    return row + 1


def _about_columns(sheet, formats: Formats, columns: dict[str, list[Column]], row: int) -> int:
    write_cell(sheet, formats, row, 0, "What each column means", formats.section)
    row += 1
    for column, heading in enumerate(("Sheet", "Column", "Meaning")):
        write_cell(sheet, formats, row, column, heading, formats.header)
    described = [(name, c.heading, c.meaning) for name, table in columns.items() for c in table]
    described += [("Each theme", heading, meaning) for heading, meaning in TREND_COLUMNS]
    for sheet_label, heading, meaning in described:
        row += 1
        for column, value in enumerate((sheet_label, heading, meaning)):
            write_cell(sheet, formats, row, column, value, formats.wrap if column == 2 else formats.text)
    return row + 1


def _about_glossary(sheet, formats: Formats, row: int) -> None:
    write_cell(sheet, formats, row, 0, "Glossary", formats.section)
    write_cell(sheet, formats, row + 1, 0, "Term", formats.header)
    write_cell(sheet, formats, row + 1, 1, "Meaning", formats.header)
    terms = sorted(glossary_terms().items(), key=lambda item: item[0].lower())
    for number, (term, meaning) in enumerate(terms, start=row + 2):
        write_cell(sheet, formats, number, 0, term, formats.bold)
        write_merged(sheet, formats, number, 1, 2, meaning, formats.wrap)
