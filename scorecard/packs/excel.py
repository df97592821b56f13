"""The meeting pack as an Excel workbook for analysts, written in memory with XlsxWriter.

Every figure is a real number in its unit's format (percent, rate per 10,000, days,
count) with its state beside it: an empty cell is never a zero, and says why it is
empty (hidden as a small number, no figure, not yet published...). Sheets, each written
by its own function:

- "Scorecard": one row per indicator (an Excel table): value, numerator, denominator,
  RAG, target, last month, last year, each comparator's value, year, state and note,
  the rank and quartile band, the DfE's figure for the council, commentary.
- "Actions": the committee's improvement actions, one row per action as it stands.
- "Breakdowns": one tidy table of every group of every breakdown of every indicator in
  the month, for filtering and pivot tables.
- "Trend data": every indicator's last 13 months, one row a month, with the target.
- One sheet per theme: each indicator's 13 months and its target, with a chart of both.
- "About": source, council, month, "as at", the small-number rule, every column's meaning,
  the glossary.

Every sheet starts with its title and the "as at" date, as a date and in words. What
each table holds is declared in `excel_columns`, how a cell is written in `excel_cells`,
and the numbers come from `workbook_data`.
"""
from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING

import xlsxwriter

from scorecard.packs.common import (
    OLDER_NOTE,
    PRODUCT,
    glossary_terms,
    pack_title,
    running_marking,
    small_numbers_note,
)
from scorecard.packs.excel_cells import (
    TITLE_ROWS,
    WORKBOOK_OPTIONS,
    Column,
    Formats,
    title_block,
    write_cell,
    write_merged,
    write_table,
)
from scorecard.packs.excel_columns import (
    action_columns,
    action_records,
    breakdown_columns,
    scorecard_columns,
    trend_data_columns,
    trend_points,
)
from scorecard.packs.excel_trends import TREND_COLUMNS, theme_sheet
from scorecard.packs.workbook_data import (
    HIDDEN,
    WorkbookData,
    workbook_data,
)

if TYPE_CHECKING:
    from scorecard.metrics import CouncilMetrics
    from scorecard.ui.views import Scorecard

SCORECARD, ACTIONS, BREAKDOWNS, TREND_DATA, ABOUT = "Scorecard", "Actions", "Breakdowns", "Trend data", "About"


def excel_pack(card: Scorecard, metrics: CouncilMetrics) -> bytes:
    """The month's workbook as .xlsx bytes: the card's figures, and the numbers behind them
    read from `metrics` (the `CouncilMetrics` the card was built from)."""
    return write_workbook(workbook_data(card, metrics))


def write_workbook(data: WorkbookData) -> bytes:
    card = data.card
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, WORKBOOK_OPTIONS)
    workbook.set_properties({"title": pack_title(card), "author": card.council_name, "subject": card.as_at_text,
                             "comments": f"{PRODUCT}: public figures only (small numbers hidden)." if card.public
                             else f"{PRODUCT}: {card.marking}"})
    formats = Formats(workbook)
    columns = {SCORECARD: scorecard_columns(data), ACTIONS: action_columns(), BREAKDOWNS: breakdown_columns(),
               TREND_DATA: trend_data_columns()}
    scorecard_sheet(workbook, formats, data, columns[SCORECARD])
    actions_sheet(workbook, formats, data, columns[ACTIONS])
    breakdowns_sheet(workbook, formats, data, columns[BREAKDOWNS])
    trend_data_sheet(workbook, formats, data, columns[TREND_DATA])
    names = {SCORECARD, ACTIONS, BREAKDOWNS, TREND_DATA, ABOUT}
    for group in card.groups:
        name = sheet_name(group.label, names)
        names.add(name)
        theme_sheet(workbook, formats, data, group, name)
    about_sheet(workbook, formats, data, columns)
    if not card.public:
        mark_not_for_publication(workbook, formats, card)
    workbook.close()
    return buffer.getvalue()


def mark_not_for_publication(workbook, formats: Formats, card: Scorecard) -> None:
    """Every sheet of a workbook that shows small numbers says so, above its table (the row
    every sheet leaves empty under its title) and at the top of every printed page."""
    for sheet in workbook.worksheets():
        write_cell(sheet, formats, TITLE_ROWS - 1, 0, card.marking, formats.bold)
        sheet.set_header(_page_header(card))


def sheet_name(label: str, taken: set[str]) -> str:
    """A valid, unique sheet name: at most 31 characters, none of []:*?/\\ ."""
    base = " ".join(re.sub(r"[\[\]:*?/\\]", " ", label).split()).strip("'") or "Theme"
    name, number = base[:31], 2
    while name.lower() in {t.lower() for t in taken}:
        suffix = f" ({number})"
        name, number = base[:31 - len(suffix)] + suffix, number + 1
    return name


def scorecard_sheet(workbook, formats: Formats, data: WorkbookData, columns: list[Column]) -> None:
    card = data.card
    sheet = workbook.add_worksheet(SCORECARD)
    hidden = ("Public figures: small numbers are hidden (empty cells, the state column says why)." if card.public
              else "Small numbers are shown: not for publication.")
    note = f"{card.framework_label}. {hidden} Each column is explained on the About sheet."
    if card.compared_text:
        note += " " + card.compared_text
    title_block(sheet, formats, pack_title(card), data.as_at, card.as_at_text, note)
    write_table(sheet, formats, TITLE_ROWS, columns, list(data.indicators), "Scorecard_table")
    sheet.freeze_panes(TITLE_ROWS + 1, 2)
    _print_setup(sheet, card, TITLE_ROWS, 2)
    sheet.activate()


def actions_sheet(workbook, formats: Formats, data: WorkbookData, columns: list[Column]) -> None:
    card = data.card
    sheet = workbook.add_worksheet(ACTIONS)
    records = action_records(data)
    title_block(sheet, formats, f"Improvement actions, {card.period_label}", data.as_at, card.as_at_text,
                "Every action the committee agreed for the indicators on the Scorecard sheet, as it stands: open "
                "ones first, soonest due first." if records else "The committee has recorded no improvement action.")
    write_table(sheet, formats, TITLE_ROWS, columns, records, "Actions_table")
    sheet.freeze_panes(TITLE_ROWS + 1, 1)
    _print_setup(sheet, card, TITLE_ROWS, 1)


def breakdowns_sheet(workbook, formats: Formats, data: WorkbookData, columns: list[Column]) -> None:
    card = data.card
    sheet = workbook.add_worksheet(BREAKDOWNS)
    title_block(sheet, formats, f"Every breakdown of every indicator, {card.period_label}", data.as_at,
                card.as_at_text, "One row per group. Groups of a breakdown add up to the indicator's total on the "
                "Scorecard sheet, where none is hidden. Hidden groups are empty, with their state.")
    write_table(sheet, formats, TITLE_ROWS, columns, list(data.breakdowns), "Breakdowns_table")
    sheet.freeze_panes(TITLE_ROWS + 1, 1)
    _print_setup(sheet, card, TITLE_ROWS, 1)


def trend_data_sheet(workbook, formats: Formats, data: WorkbookData, columns: list[Column]) -> None:
    card = data.card
    sheet = workbook.add_worksheet(TREND_DATA)
    title_block(sheet, formats, f"Every indicator's last {len(data.periods)} months, one row a month",
                data.as_at, card.as_at_text, "The figures the theme sheets chart, as one table for filters and pivot "
                "tables.")
    write_table(sheet, formats, TITLE_ROWS, columns, trend_points(data), "Trend_table")
    sheet.freeze_panes(TITLE_ROWS + 1, 2)


def _print_setup(sheet, card, header: int, title_columns: int) -> None:
    sheet.set_landscape()
    sheet.set_paper(9)                     # A4
    sheet.repeat_rows(header)
    sheet.repeat_columns(0, title_columns - 1)
    sheet.set_header(_page_header(card))
    sheet.set_footer("&RPage &P of &N")


def _page_header(card: Scorecard) -> str:
    middle = " · ".join(t for t in (running_marking(card), card.period_label) if t)
    return (f"&L{_escape_header(card.council_name)}&C{_escape_header(middle)}"
            f"&R{_escape_header(card.as_at_text)}")


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
        ("What", (f"The {PRODUCT} for {card.council_name}, {card.period_label}: the same "
                  f"{'public ' if card.public else ''}figures as the web scorecard and the PDF meeting pack, as "
                  "numbers for analysis.")),
        ("Council", f"{card.council_name} ({card.council_code})"),
        ("Month", card.period_label),
        ("Source", ("Computed by the scorecard from the council's case-management extracts listed below, one "
                    "definition per indicator; benchmarks and ranks from the DfE's published figures. "
                    + card.compared_text).strip()),
        ("Themes", card.framework_label),
        ("Small numbers", (f"{small_numbers_note(card)} A count below {data.suppress_below} is hidden. Hidden "
                           f"figures are empty cells with the state '{HIDDEN}', never a zero." if card.public
                           else small_numbers_note(card))),
        ("Benchmarks", "Statistical neighbours (SN), England and the region, each with its year and state. "
         + OLDER_NOTE),
        ("Ratings", ("Red, amber or green against the target or benchmarks (the word and a shape are always written "
                     "as well as the colour); 'Not rated' for figures shown for context.")),
        ("Sheets", (f"{SCORECARD}: one row per indicator. {ACTIONS}: the committee's improvement actions. "
                    f"{BREAKDOWNS}: every group of every breakdown. {TREND_DATA}: every indicator's last 13 months, "
                    "one row a month. One sheet per theme: the same months across, with the target, and a chart "
                    "of each.")),
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
