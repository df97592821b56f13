"""The meeting pack as an Excel workbook, written in memory with XlsxWriter.

- "Scorecard": one row per indicator, the figure as a real number with the unit's number
  format (so analysts can sort and filter it), the RAG as a word on its colour, and every
  other column as the text the scorecard shows, commentary included.
- One sheet per theme: the 13-month trend of each indicator (real numbers, blank where there
  is no public figure) with a line chart per indicator, its values written on the points.
- "About": what the workbook is, the "as at" date, small-number hiding and the glossary.
"""
from __future__ import annotations

import io
import re

import xlsxwriter

from scorecard.packs.common import (
    OLDER_NOTE,
    PRODUCT,
    SMALL_NUMBERS,
    glossary_terms,
    pack_title,
    trend_periods,
    trend_values,
)
from scorecard.ui.style import EXCEL_NUMBER_FORMATS, GRID, INK, MUTED, PACK_HEADING, SERIES, rag_style
from scorecard.ui.text import short_month
from scorecard.ui.views import Row, Scorecard

HEADER_ROW = 4          # the table starts below the title block (0-based row)
COLUMNS = (             # heading, width
    ("Theme", 22), ("Indicator", 46), ("Value", 11), ("Counts", 13), ("RAG rating", 16),
    ("vs last month", 15), ("vs last year", 15), ("Last month", 12), ("Same month last year", 12),
    ("Target", 10), ("Statistical neighbours (SN)", 24), ("England", 24), ("Region", 24),
    ("Rank among councils", 22), ("DfE's published figure for this council", 30),
    ("Commentary", 60), ("Commentary by", 26), ("Commentary written", 17), ("Note", 34),
)
CHART_COLUMNS = 2       # charts per row on a theme sheet
CHART_W, CHART_H = 620, 260   # pixels
CHART_ROWS = 14                  # default rows (20 pixels) each chart takes, with a gap


def excel_pack(card: Scorecard) -> bytes:
    """The month's workbook as .xlsx bytes."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.set_properties({"title": pack_title(card), "author": card.council_name, "subject": card.as_at_text,
                             "comments": f"{PRODUCT}: public figures only (small numbers hidden)."})
    formats = _Formats(workbook)
    scorecard_sheet(workbook, formats, card)
    names = {"Scorecard", "About"}
    for group in card.groups:
        name = sheet_name(group.label, names)
        names.add(name)
        theme_sheet(workbook, formats, card, group, name)
    about_sheet(workbook, formats, card)
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


class _Formats:
    """The workbook's cell formats, each made once (XlsxWriter adds every format object it is given)."""

    def __init__(self, workbook):
        self._workbook, self._made = workbook, {}
        base = {"font_name": "Arial", "font_size": 10, "font_color": INK, "valign": "top"}
        self.base = base
        self.title = self.get(bold=True, font_size=14)
        self.subtitle = self.get(font_color=MUTED)
        self.header = self.get(bold=True, bg_color=PACK_HEADING, bottom=1, text_wrap=True, valign="bottom")
        self.text = self.get()
        self.wrap = self.get(text_wrap=True)
        self.bold = self.get(bold=True)

    def get(self, **properties):
        merged = dict(self.base if hasattr(self, "base") else {}, **properties)
        key = tuple(sorted(merged.items()))
        if key not in self._made:
            self._made[key] = self._workbook.add_format(merged)
        return self._made[key]

    def number(self, unit: str, **extra):
        return self.get(num_format=EXCEL_NUMBER_FORMATS.get(unit, "General"), **extra)

    def rag(self, rag: str | None):
        style = rag_style(rag)
        return self.get(bold=True, bg_color=style.colour, font_color=style.text, border=1, border_color=GRID)


def _themes_of(card: Scorecard) -> dict[str, list[str]]:
    themes: dict[str, list[str]] = {}
    for group in card.groups:
        for row in group.rows:
            themes.setdefault(row.id, []).append(group.label)
    return themes


def scorecard_sheet(workbook, formats: _Formats, card: Scorecard) -> None:
    sheet = workbook.add_worksheet("Scorecard")
    sheet.write(0, 0, pack_title(card), formats.title)
    sheet.write(1, 0, f"{card.council_name} · {card.period_label} · {card.as_at_text}", formats.text)
    note = f"{card.framework_label}. Public figures: small numbers are hidden. See the About sheet for the glossary."
    if card.compared_text:
        note += " " + card.compared_text
    if card.older_benchmarks:
        note += " Benchmarks marked “older year” are of an older year: the newer figure is not yet published."
    sheet.write(2, 0, note, formats.subtitle)
    for column, (heading, width) in enumerate(COLUMNS):
        heading = card.region_name if heading == "Region" and card.region_name else heading
        sheet.write(HEADER_ROW, column, heading, formats.header)
        sheet.set_column(column, column, width)
    sheet.set_row(HEADER_ROW, 30)
    themes = _themes_of(card)
    rows = card.rows
    for offset, row in enumerate(rows, start=1):
        _write_row(sheet, formats, HEADER_ROW + offset, row, "; ".join(themes.get(row.id, [])))
    last = HEADER_ROW + len(rows)
    sheet.freeze_panes(HEADER_ROW + 1, 2)
    sheet.autofilter(HEADER_ROW, 0, max(last, HEADER_ROW), len(COLUMNS) - 1)
    sheet.set_landscape()
    sheet.set_paper(9)                     # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(HEADER_ROW)
    sheet.set_header(f"&L{_escape_header(card.council_name)}&C{_escape_header(card.period_label)}"
                     f"&R{_escape_header(card.as_at_text)}")
    sheet.set_footer("&RPage &P of &N")
    sheet.activate()


def _escape_header(text: str) -> str:
    return text.replace("&", "&&")


def _write_row(sheet, formats: _Formats, index: int, row: Row, themes: str) -> None:
    wrap = formats.wrap
    cells = [(themes, wrap), (row.label, formats.get(text_wrap=True, bold=True))]
    cells.append((row.value, formats.number(row.unit, bold=True)) if row.value is not None
                 else (row.value_text, formats.text))
    cells += [("; ".join(t for t in (row.counts_text, row.caveat) if t), formats.text),
              (row.rag_text, formats.rag(row.rag)),
              (row.month_direction_text, formats.text), (row.year_direction_text, formats.text),
              (row.last_month_text, formats.text), (row.last_year_text, formats.text)]
    cells.append((row.target, formats.number(row.unit)) if row.target is not None else (row.target_text, formats.text))
    cells += [(cell.text, wrap) for cell in row.comparators]
    cells += [(row.standing_text, wrap), (row.published_text, wrap)]
    comment = row.commentary
    cells += [(comment.text if comment else "", wrap), (comment.author if comment else "", wrap),
              (comment.written if comment else "", formats.text),
              ("; ".join(n for n in (row.note, row.definition_note and f"DfE: {row.definition_note}") if n), wrap)]
    for column, (value, cell_format) in enumerate(cells):
        if isinstance(value, (int, float)):
            sheet.write_number(index, column, float(value), cell_format)
        elif value:
            sheet.write_string(index, column, value, cell_format)
        else:
            sheet.write_blank(index, column, None, cell_format)


def theme_sheet(workbook, formats: _Formats, card: Scorecard, group, name: str) -> None:
    sheet = workbook.add_worksheet(name)
    periods = trend_periods(card)
    sheet.write(0, 0, f"{group.label}: the last {len(periods)} months", formats.title)
    sheet.write(1, 0, f"{card.council_name} · {card.as_at_text}. Blank: no figure, or hidden because the "
                      "numbers are small.", formats.subtitle)
    header = 3
    sheet.write(header, 0, "Indicator", formats.header)
    sheet.set_column(0, 0, 46)
    for offset, period in enumerate(periods, start=1):
        sheet.write(header, offset, short_month(period), formats.get(bold=True, bg_color=PACK_HEADING, bottom=1,
                                                                      align="right"))
    sheet.set_column(1, len(periods), 9.5)
    for number, row in enumerate(group.rows, start=header + 1):
        sheet.write_string(number, 0, row.label, formats.wrap)
        cell_format = formats.number(row.unit)
        for offset, value in enumerate(trend_values(row, periods), start=1):
            if value is None:
                sheet.write_blank(number, offset, None, cell_format)
            else:
                sheet.write_number(number, offset, float(value), cell_format)
    sheet.freeze_panes(header + 1, 1)
    first_chart_row = header + len(group.rows) + 3
    sheet.write(first_chart_row - 1, 0, "Charts: each indicator's monthly figures, values written on the points.",
                formats.subtitle)
    for index, row in enumerate(group.rows):
        chart = _line_chart(workbook, name, row, header + 1 + index, len(periods), header)
        sheet.insert_chart(first_chart_row + (index // CHART_COLUMNS) * CHART_ROWS, 0, chart,
                           {"x_offset": 4 + (index % CHART_COLUMNS) * (CHART_W + 16), "y_offset": 4})


def _line_chart(workbook, sheet: str, row: Row, data_row: int, months: int, header: int):
    style = SERIES["value"]
    chart = workbook.add_chart({"type": "line"})
    chart.add_series({
        "name": row.label,
        "categories": [sheet, header, 1, header, months],
        "values": [sheet, data_row, 1, data_row, months],
        "line": {"color": style["colour"], "width": 2},
        "marker": {"type": "circle", "size": 5, "fill": {"color": style["colour"]},
                   "border": {"color": style["colour"]}},
        "data_labels": {"value": True, "position": "above", "num_format": EXCEL_NUMBER_FORMATS.get(row.unit),
                        "font": {"size": 8, "color": INK}},
    })
    chart.set_title({"name": row.label, "name_font": {"size": 10, "bold": True}})
    axis = {"num_format": EXCEL_NUMBER_FORMATS.get(row.unit), "min": 0, "major_gridlines": {
        "visible": True, "line": {"color": GRID}}}
    if row.unit == "percent":
        axis["max"] = 1
    chart.set_y_axis(axis)
    chart.set_x_axis({"num_font": {"size": 8}})
    chart.set_legend({"none": True})
    chart.show_blanks_as("gap")
    chart.set_size({"width": CHART_W, "height": CHART_H})
    return chart


def about_sheet(workbook, formats: _Formats, card: Scorecard) -> None:
    sheet = workbook.add_worksheet("About")
    sheet.set_column(0, 0, 16)
    sheet.set_column(1, 1, 110)
    sheet.write(0, 0, f"About this workbook: {pack_title(card)}", formats.title)
    lines = [
        ("What", (f"The {PRODUCT} for {card.council_name}, {card.period_label}: the same figures as the web "
                  "scorecard and the PDF meeting pack, for analysis. The Scorecard sheet has one row per indicator; "
                  "each theme's sheet has the last 13 months.")),
        ("As at", card.as_at_text),
        ("Themes", card.framework_label),
        ("Privacy", SMALL_NUMBERS),
        ("Benchmarks", "Statistical neighbours (SN), England and the region, each with its year. " + OLDER_NOTE),
        ("Ratings", ("Red, amber or green against the target or benchmarks (the word is always written as well as "
                     "the colour); 'Not rated' for figures shown for context.")),
        ("Directions", "The arrow shows which way the figure moved; the word says whether that is an improvement."),
    ]
    for number, (label, text) in enumerate(lines, start=2):
        sheet.write(number, 0, label, formats.bold)
        sheet.write(number, 1, text, formats.wrap)
    start = len(lines) + 3
    sheet.write(start, 0, "Glossary", formats.get(bold=True, font_size=12))
    sheet.write(start + 1, 0, "Term", formats.header)
    sheet.write(start + 1, 1, "Meaning", formats.header)
    terms = sorted(glossary_terms().items(), key=lambda item: item[0].lower())
    for number, (term, meaning) in enumerate(terms, start=start + 2):
        sheet.write(number, 0, term, formats.bold)
        sheet.write(number, 1, meaning, formats.wrap)
