"""The workbook's theme sheets: each indicator's last 13 months and its target, as numbers,
with a line chart of both (the target dashed, so it reads in black and white too)."""
from __future__ import annotations

from scorecard.packs.excel_cells import TITLE_ROWS, Formats, title_block, write_cell
from scorecard.packs.workbook_data import SHOWN, TrendFigures, WorkbookData
from scorecard.ui.style import EXCEL_NUMBER_FORMATS, GRID, INK, SERIES
from scorecard.ui.text import short_month

FIGURE, TARGET = "Figure", "Target"
TREND_COLUMNS = (
    ("Indicator", "The indicator; each has a row of its figures and, if it has a target, a row of targets."),
    ("Series", f"'{FIGURE}' (the month's public figure) or '{TARGET}' (the council's target that month)."),
    ("One column a month", ("The last 13 months, oldest first: numbers in the unit's format, empty where there "
                            "is no figure or it is hidden.")),
    ("Blank months", "Why each empty month is empty."),
)
CHART_COLUMNS = 2              # charts side by side on a theme sheet
CHART_W, CHART_H = 620, 280    # pixels
CHART_ROWS = 15                # default rows (20 pixels) each chart takes, with a gap
DATA_FROM = 2                  # the first month's column


def theme_sheet(workbook, formats: Formats, data: WorkbookData, group, name: str) -> None:
    card = data.card
    sheet = workbook.add_worksheet(name)
    periods = data.periods
    title_block(sheet, formats, f"{group.label}: the last {len(periods)} months", data.as_at, card.as_at_text,
                f"{card.council_name}. Empty: no figure, or hidden because the numbers are small (see Blank months). "
                "Charts below: the figure with its values written on the points, and the target dashed.")
    header = TITLE_ROWS
    month_header = formats.get(formats.header, align="right")  # a Format: written directly
    for column, heading in enumerate(("Indicator", "Series")):
        write_cell(sheet, formats, header, column, heading, formats.header)
    for offset, period in enumerate(periods):
        sheet.write_string(header, DATA_FROM + offset, short_month(period), month_header)
    blank_column = DATA_FROM + len(periods)
    write_cell(sheet, formats, header, blank_column, "Blank months", formats.header)
    sheet.set_column(0, 0, 46)
    sheet.set_column(1, 1, 12)          # wide enough for the as-at date above the table
    sheet.set_column(DATA_FROM, blank_column - 1, 9.5)
    sheet.set_column(blank_column, blank_column, 40)
    row_number, placed = header + 1, []
    for row in group.rows:
        trend = data.trends[row.id]
        figure_row, target_row = row_number, None
        number = formats.number(row.unit)
        _write_series(sheet, formats, figure_row, row.label, FIGURE, [f.value for f in trend.values], number)
        write_cell(sheet, formats, figure_row, blank_column, blank_months(trend, periods), formats.wrap)
        row_number += 1
        if any(t is not None for t in trend.targets):
            target_row = row_number
            _write_series(sheet, formats, target_row, row.label, TARGET, list(trend.targets), number)
            row_number += 1
        placed.append((row, figure_row, target_row))
    sheet.freeze_panes(header + 1, DATA_FROM)
    first_chart_row = row_number + 2
    for index, (row, figure_row, target_row) in enumerate(placed):
        chart = trend_chart(workbook, name, row, header, figure_row, target_row, len(periods))
        sheet.insert_chart(first_chart_row + (index // CHART_COLUMNS) * CHART_ROWS, 0, chart,
                           {"x_offset": 4 + (index % CHART_COLUMNS) * (CHART_W + 16), "y_offset": 4})


def _write_series(sheet, formats: Formats, row: int, label: str, series: str, values: list, number: dict) -> None:
    write_cell(sheet, formats, row, 0, label, formats.wrap)
    write_cell(sheet, formats, row, 1, series, formats.text)
    for offset, value in enumerate(values):
        write_cell(sheet, formats, row, DATA_FROM + offset, value, number)


def blank_months(trend: TrendFigures, periods) -> str:
    """'hidden (small number): Apr 2024, Jun 2024; no figure: Mar 2024', or ''."""
    by_state: dict[str, list[str]] = {}
    for period, figure in zip(periods, trend.values, strict=True):
        if figure.state != SHOWN:
            by_state.setdefault(figure.state, []).append(short_month(period))
    return "; ".join(f"{state}: {', '.join(months)}" for state, months in by_state.items())


def trend_chart(workbook, sheet: str, row, header: int, figure_row: int, target_row: int | None, months: int):
    last = DATA_FROM + months - 1
    number_format = EXCEL_NUMBER_FORMATS.get(row.unit)
    style = SERIES["value"]
    chart = workbook.add_chart({"type": "line"})
    chart.add_series({
        "name": [sheet, figure_row, 1],
        "categories": [sheet, header, DATA_FROM, header, last],
        "values": [sheet, figure_row, DATA_FROM, figure_row, last],
        "line": {"color": style["colour"], "width": 2},
        "marker": {"type": "circle", "size": 5, "fill": {"color": style["colour"]},
                   "border": {"color": style["colour"]}},
        "data_labels": {"value": True, "position": "above", "num_format": number_format,
                        "font": {"size": 8, "color": INK}},
    })
    if target_row is not None:
        target = SERIES["target"]
        chart.add_series({
            "name": [sheet, target_row, 1],
            "categories": [sheet, header, DATA_FROM, header, last],
            "values": [sheet, target_row, DATA_FROM, target_row, last],
            "line": {"color": target["colour"], "width": 1.5, "dash_type": "dash"},
            "marker": {"type": "none"},
        })
    chart.set_title({"name": row.label, "name_font": {"size": 10, "bold": True}})
    axis = {"num_format": number_format, "min": 0, "major_gridlines": {"visible": True, "line": {"color": GRID}}}
    if row.unit == "percent":
        axis["max"] = 1
    chart.set_y_axis(axis)
    chart.set_x_axis({"num_font": {"size": 8}})
    chart.set_legend({"position": "bottom"} if target_row is not None else {"none": True})
    chart.show_blanks_as("gap")
    chart.set_size({"width": CHART_W, "height": CHART_H})
    return chart
