"""Page 1 of the PDF pack: the one-page scorecard.

Every indicator in one table, grouped by theme, then what is going well and what needs
attention. It must fit one A4 landscape page for ~28 indicators, so the type is set at
the largest size (7.5pt down to 7pt) at which the whole page fits.
"""
from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from scorecard.packs.common import glossary_terms, short_meaning
from scorecard.packs.pdf_layout import (
    BOLD,
    FONT,
    WIDTH,
    OlderBenchmarkMark,
    para,
    rag_paragraph,
    style,
)
from scorecard.ui.style import GRID, INK, MUTED, PACK_HEADING, RAG, rag_badge, rag_style
from scorecard.ui.views import Row, Scorecard

HEADINGS = ("Indicator", "Value", "Counts", "RAG rating", "vs last month", "vs last year", "Target", "SN",
            "England", "Region")
# The three comparators share what is left (~105pt): enough for '6,570 (2023/24, older year)' on one line.
WIDTHS = (190, 40, 48, 58, 50, 50, 34)
SIZES = (7.5, 7.2, 7.0)


def scorecard_page(card: Scorecard, available_height: float) -> list:
    """The page's flowables at the largest type size that fits `available_height`."""
    for size in SIZES:
        flowables = _page(card, size)
        height = sum(f.wrap(WIDTH, available_height)[1] + f.getSpaceBefore() + f.getSpaceAfter()
                     for f in flowables)
        if height <= available_height:
            return flowables
    return flowables  # too many indicators for one page: the table continues, its heading repeated


def _page(card: Scorecard, size: float) -> list:
    title = style("title", 12, font=BOLD, spaceAfter=4)
    flowables = [
        OlderBenchmarkMark() if card.older_benchmarks else Spacer(0, 0),
        Paragraph(f"Scorecard for {escape(card.period_label)}  <font name='{FONT}' size={size + 1} "
                  f"color='{MUTED}'>{escape(card.framework_label)} · each indicator's 13-month trend, benchmarks "
                  "and commentary follow, theme by theme</font>", title),
        scorecard_table(card, size),
        Spacer(0, 4),
        *([Paragraph(escape(card.compared_text), style("compared", size, colour=MUTED)), Spacer(0, 2)]
          if card.compared_text else []),
        key_paragraph(size),
        Spacer(0, 4),
        summary_table(card, size),
    ]
    return flowables


def scorecard_table(card: Scorecard, size: float) -> Table:
    cell = style("cell", size, leading=size + 1.4)
    value = style("value", size, font=BOLD, leading=size + 1.4)
    head = style("head", size, font=BOLD, leading=size + 1.4)
    theme = style("theme", size + 0.5, font=BOLD, leading=size + 1.8)
    comparator_width = (WIDTH - sum(WIDTHS)) / 3
    data = [[para(card.region_name if h == "Region" and card.region_name else h, head) for h in HEADINGS]]
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), BOLD),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.3),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("LINEBELOW", (0, 0), (-1, 0), 1, colors.HexColor(INK)),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, colors.HexColor(GRID)),
        ("LINEAFTER", (1, 0), (-2, -1), 0.3, colors.HexColor(GRID)),
    ]
    for group in card.groups:
        index = len(data)
        data.append([Paragraph(f"{escape(group.label)} <font color='{MUTED}' size={size}>"
                               f"({len(group.rows)})</font>", theme)] + [""] * (len(HEADINGS) - 1))
        commands += [("SPAN", (0, index), (-1, index)), ("BACKGROUND", (0, index), (-1, index),
                                                          colors.HexColor(PACK_HEADING)),
                     ("TOPPADDING", (0, index), (-1, index), 1.2), ("BOTTOMPADDING", (0, index), (-1, index), 1.4)]
        for row in group.rows:
            index = len(data)
            data.append(_cells(row, cell, value))
            commands.append(("BACKGROUND", (3, index), (3, index), colors.HexColor(rag_style(row.rag).colour)))
    return Table(data, colWidths=[*WIDTHS, comparator_width, comparator_width, comparator_width], repeatRows=1,
                 style=TableStyle(commands), hAlign="LEFT")


def _cells(row: Row, cell, value) -> list:
    rag_cell = rag_paragraph(row.rag, cell)
    counts = "; ".join(t for t in (row.counts_text, row.caveat) if t)
    return [para(row.label, cell), para(row.value_text, value), para(counts, cell), rag_cell,
            para(row.month_direction_text, cell), para(row.year_direction_text, cell),
            para(row.target_text if row.target is not None else "–", cell),
            *(para(c.text, cell) for c in row.comparators)]


def key_paragraph(size: float) -> Paragraph:
    """How to read the table, with its acronyms spelt out where they appear."""
    glossary = glossary_terms()
    ratings = " · ".join(f"<b>{escape(rag_badge(r))}</b>" for r in ("green", "amber", "red", "too_few"))
    rag = short_meaning(glossary.get("RAG", "Red, amber, green")).lower()
    sn = short_meaning(glossary.get("SN", "Statistical neighbours")).lower()
    return Paragraph(
        f"<b>Key.</b> RAG ({escape(rag)}): {ratings} · {escape(RAG[None].letter)} not rated (context). "
        f"Arrows: which way the figure moved; the word: whether that is good. SN: {escape(sn)}. "
        "Acronyms: see the glossary at the end.",
        style("key", size, colour=INK, leading=size + 1.8))


def summary_table(card: Scorecard, size: float) -> Table:
    text = style("summary", size, leading=size + 1.8)

    def listing(title: str, rows) -> Paragraph:
        items = "; ".join(f"{escape(r.label)} <b>{escape(r.value_text)}</b>" for r in rows) or "None this month."
        return Paragraph(f"<b>{escape(title)} ({len(rows)}):</b> {items}", text)

    good = "● Going well"
    attention = "▲ ■ Needs attention"
    table = Table([[listing(good, card.going_well), listing(attention, card.needs_attention)]],
                  colWidths=[WIDTH / 2, WIDTH / 2], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BOX", (0, 0), (0, 0), 0.6, colors.HexColor(INK)),
        ("BOX", (1, 0), (1, 0), 0.6, colors.HexColor(INK)),
        ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table
