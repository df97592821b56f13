"""The meeting pack as a PDF: A4 landscape, built with reportlab's platypus.

Page 1 is the one-page scorecard (pdf_summary). Then a section per theme: each indicator's
13-month chart with every value written on it (pdf_charts), its figures beside the chart and
the officers' commentary beside those; an indicator never splits across pages. Last, the
glossary of the acronyms used and how to read the figures.

Every page carries the council, the month, the "as at" date and "Page n of N", and a
footnote when a benchmark on it is of an older year. Nothing is formatted here: every
figure is the view model's own text, so the PDF says what the web pages say.
"""
from __future__ import annotations

import io
from functools import partial
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from scorecard.metrics import load_catalogue
from scorecard.packs.common import (
    OLDER_NOTE,
    PRODUCT,
    SMALL_NUMBERS,
    glossary_terms,
    has_older_benchmark,
    pack_title,
    short_meaning,
    terms_in,
    terms_used,
    trend_periods,
    trend_values,
)
from scorecard.packs.pdf_charts import trend_image
from scorecard.packs.pdf_layout import (
    BOLD,
    BOTTOM,
    FONT,
    HEIGHT,
    ITALIC,
    MARGIN,
    PAGE,
    TOP,
    WIDTH,
    OlderBenchmarkMark,
    para,
    rag_paragraph,
    register_fonts,
    style,
)
from scorecard.packs.pdf_summary import scorecard_page
from scorecard.ui.style import GRID, INK, MUTED, PACK_HEADING, RAG, rag_badge, rag_style
from scorecard.ui.text import short_month
from scorecard.ui.views import Row, Scorecard, ThemeGroup

CHART_W, CHART_H, FIGURES_W = 360, 130, 236
COMMENT_W = WIDTH - CHART_W - FIGURES_W
LABEL_W = 92

SECTION = style("section", 14, font=BOLD, spaceAfter=5, keepWithNext=1)
HEADING = style("block", 10, font=BOLD, spaceAfter=1, keepWithNext=1)
CELL = style("cell", 7.6, leading=9.2)
CELL_LABEL = style("cell-label", 7.6, leading=9.2, colour=MUTED)
REASON = style("reason", 6.8, leading=8.2, colour=MUTED)
BIG = style("big", 15, font=BOLD, leading=17)
COMMENT_HEAD = style("comment-head", 8, font=BOLD, spaceAfter=2)
COMMENT = style("comment", 8, leading=10)
COMMENT_BY = style("comment-by", 7.2, font=ITALIC, leading=9, colour=MUTED, spaceBefore=3)
TERMS = style("terms", 6.8, leading=8.2, colour=MUTED, spaceBefore=3)
NO_COMMENT = style("no-comment", 8, font=ITALIC, colour=MUTED)
BODY = style("body", 8.5, leading=11, spaceAfter=4)


class Picture(Flowable):
    """A chart's pixels drawn at a fixed size in points."""

    def __init__(self, image, width: float, height: float):
        super().__init__()
        self.image, self.width, self.height = image, width, height

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self):
        self.canv.drawImage(ImageReader(self.image), 0, 0, self.width, self.height)


class _PackCanvas(Canvas):
    """Holds each page until the end, so that the footer can say 'Page 3 of 12'."""

    def __init__(self, *args, card: Scorecard, **kwargs):
        super().__init__(*args, **kwargs)
        self._card, self._pages, self.older_on_page = card, [], False

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()
        self.older_on_page = False

    def save(self):
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._furniture(number, total)
            super().showPage()
        super().save()

    def _furniture(self, number: int, total: int) -> None:
        card, (width, height) = self._card, PAGE
        self.saveState()
        self.setFillColor(colors.HexColor(INK))
        self.setFont(BOLD, 9.5)
        self.drawString(MARGIN, height - TOP + 18, f"{card.council_name}  ·  {PRODUCT}  ·  {card.period_label}")
        self.setFont(FONT, 9)
        self.drawRightString(width - MARGIN, height - TOP + 18, card.as_at_text)
        self.setStrokeColor(colors.HexColor(INK))
        self.setLineWidth(0.6)
        self.line(MARGIN, height - TOP + 12, width - MARGIN, height - TOP + 12)
        self.setStrokeColor(colors.HexColor(GRID))
        self.line(MARGIN, BOTTOM - 14, width - MARGIN, BOTTOM - 14)
        self.setFillColor(colors.HexColor(MUTED))
        self.setFont(FONT, 7)
        if self.older_on_page:
            self.drawString(MARGIN, BOTTOM - 10, "Older year: " + OLDER_NOTE)
        self.drawString(MARGIN, BOTTOM - 25, f"{card.council_name}, {card.period_label}. {card.as_at_text}. "
                                             "Small numbers are hidden to protect children's privacy.")
        self.setFillColor(colors.HexColor(INK))
        self.setFont(BOLD, 9)
        self.drawRightString(width - MARGIN, BOTTOM - 26, f"Page {number} of {total}")
        self.restoreState()


def _binary_images() -> None:
    """Embed images as binary streams, not ASCII85 text: reportlab's pure-Python ASCII85
    encoder was a tenth of the pack's build time and made the file a quarter larger."""
    from reportlab import rl_config
    rl_config.useA85 = 0


def pdf_pack(card: Scorecard) -> bytes:
    """The month's meeting pack as PDF bytes."""
    register_fonts()
    _binary_images()
    buffer = io.BytesIO()
    doc = BaseDocTemplate(buffer, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=TOP,
                          bottomMargin=BOTTOM, title=pack_title(card), author=card.council_name,
                          subject=f"{PRODUCT} for {card.period_label}. {card.as_at_text}.",
                          creator="Corporate Parenting Scorecard", lang="en-GB")
    frame = Frame(MARGIN, BOTTOM, WIDTH, HEIGHT, id="body", leftPadding=0, rightPadding=0, topPadding=0,
                  bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    glossary = glossary_terms()
    story = scorecard_page(card, HEIGHT)
    for group in card.groups:
        story += [PageBreak(), *theme_section(card, group, glossary)]
    story += [PageBreak(), *glossary_section(card, glossary)]
    doc.build(story, canvasmaker=partial(_PackCanvas, card=card))
    return buffer.getvalue()


def theme_section(card: Scorecard, group: ThemeGroup, glossary: dict[str, str]) -> list:
    periods = trend_periods(card)
    months = [short_month(p) for p in periods]
    count = len(group.rows)
    story = [Paragraph(f"{escape(group.label)} <font size=9 color='{MUTED}'>({count} indicator"
                       f"{'s' if count != 1 else ''}, {escape(card.period_label)}; trends over the last "
                       f"{len(periods)} months)</font>", SECTION)]
    for row in group.rows:
        story.append(indicator_block(row, periods, months, glossary))
    return story


def indicator_block(row: Row, periods: list[str], months: list[str], glossary: dict[str, str]) -> KeepTogether:
    """The chart, the figures and the commentary side by side, kept on one page."""
    breaks = _series_breaks(row.id, periods)
    chart = Picture(trend_image(trend_values(row, periods), months, row.unit, target=row.target,
                                breaks={i: reason for i, (_, reason) in breaks.items()}, width=CHART_W,
                                height=CHART_H), CHART_W, CHART_H)
    table = Table([[chart, figures_table(row, breaks), commentary_cell(row, glossary)]],
                  colWidths=[CHART_W, FIGURES_W, COMMENT_W], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (0, 0), 0), ("RIGHTPADDING", (0, 0), (0, 0), 4),
        ("LEFTPADDING", (1, 0), (-1, -1), 6), ("RIGHTPADDING", (1, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ("LINEBEFORE", (2, 0), (2, 0), 0.6, colors.HexColor(GRID)),
    ]))
    parts = [OlderBenchmarkMark()] if has_older_benchmark(row) else []
    parts += [Paragraph(escape(row.label), HEADING), table, Spacer(0, 3)]
    rule = Table([[""]], colWidths=[WIDTH], rowHeights=[3],
                 style=TableStyle([("LINEABOVE", (0, 0), (-1, -1), 0.4, colors.HexColor(GRID))]))
    return KeepTogether([*parts, rule])


def figures_table(row: Row, breaks: dict[int, tuple[str, str]]) -> Table:
    figure = f"{escape(row.value_text)}"
    if row.counts_text:
        figure += f" <font name='{FONT}' size=8 color='{MUTED}'>{escape(row.counts_text)}</font>"
    if row.caveat:
        figure += f"<br/><font name='{FONT}' size=8><b>{escape(row.caveat)}</b></font>"
    data = [[Paragraph(figure, BIG), ""],
            [para("Rating", CELL_LABEL), rag_paragraph(row.rag, CELL)]]
    commands = [("SPAN", (0, 0), (1, 0)),
                ("BACKGROUND", (1, 1), (1, 1), colors.HexColor(rag_style(row.rag).colour)),
                ("BOX", (1, 1), (1, 1), 0.5, colors.HexColor(INK if row.rag in ("green", "amber", "red") else GRID))]
    if row.rag_reason:
        data.append(["", para(row.rag_reason, REASON)])
    lines = [("Last month", _with_direction(row.last_month_text, row.month_direction_text)),
             ("A year before", _with_direction(row.last_year_text, row.year_direction_text)),
             ("Target", row.target_text)]
    # The neighbours' model and average are said once, on the summary page.
    lines += [("Statistical neighbours" if cell.name == "statistical_neighbours" else cell.label,
               f"{cell.text}, {cell.measured}" if cell.measured and cell.value is not None else cell.text)
              for cell in row.comparators]
    if row.standing_text != "Not ranked":
        lines.append(("Rank among councils", row.standing_text))
    if row.published_value is not None:
        lines.append(("DfE published", row.published_text))
    if row.definition_note:
        lines.append(("DfE's definition", row.definition_note))
    lines += [("Series break", f"{short_month(period)}: {reason}") for period, reason in breaks.values()]
    if row.note:
        lines.append(("Note", row.note))
    data += [[para(label, CELL_LABEL), para(text, CELL)] for label, text in lines]
    commands += [("VALIGN", (0, 0), (-1, -1), "TOP"),
                 ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                 ("TOPPADDING", (0, 0), (-1, -1), 0.6), ("BOTTOMPADDING", (0, 0), (-1, -1), 0.6),
                 ("BOTTOMPADDING", (0, 0), (-1, 0), 3)]
    return Table(data, colWidths=[LABEL_W, FIGURES_W - LABEL_W - 10], style=TableStyle(commands), hAlign="LEFT")


def _with_direction(value: str, direction: str) -> str:
    return f"{value}   {direction}" if direction else value


def commentary_cell(row: Row, glossary: dict[str, str]) -> list:
    if row.commentary is None:
        return [para("Commentary", COMMENT_HEAD), para("No commentary for this month.", NO_COMMENT)]
    comment = row.commentary
    cell = [para("Commentary", COMMENT_HEAD), para(comment.text, COMMENT),
            para(f"— {comment.author}, {comment.written}" if comment.written else f"— {comment.author}",
                 COMMENT_BY)]
    terms = [t for t in terms_in(comment.text, glossary) if t not in row.label]
    if terms:
        cell.append(Paragraph("; ".join(f"<b>{escape(t)}</b>: {escape(short_meaning(glossary[t]))}" for t in terms),
                              TERMS))
    return cell


def _series_breaks(indicator: str, periods: list[str]) -> dict[int, tuple[str, str]]:
    """Breaks in the indicator's series inside the chart's months (from metrics.yaml: the
    view model's sparkline does not carry them): point index -> (period, reason)."""
    found = load_catalogue().by_id.get(indicator)
    if found is None:
        return {}
    return {periods.index(b.period): (b.period, b.reason) for b in found.series_breaks
            if b.period in periods[1:]}


def glossary_section(card: Scorecard, glossary: dict[str, str]) -> list:
    heading = style("glossary-head", 8.5, font=BOLD)
    story = [Paragraph("Glossary and how to read this pack", SECTION),
             para("Acronyms used in this pack:", BODY)]
    terms = terms_used(card, glossary)
    table = Table([[para(term, heading), para(meaning, BODY)] for term, meaning in terms],
                  colWidths=[70, WIDTH - 70], hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor(GRID)),
                               ("BACKGROUND", (0, 0), (0, -1), colors.HexColor(PACK_HEADING)),
                               ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    ratings = "; ".join(f"{rag_badge(r)}" for r in ("green", "amber", "red", "too_few"))
    notes = [
        (f"Ratings: {ratings}; {RAG[None].letter} not rated (a figure shown for context). Each rating is a shape, "
         "a letter and a word as well as a colour, so it reads the same printed in black and white."),
        ("Direction of travel: the arrow shows which way the figure moved (↑ up, ↓ down, → about the same); the "
         "word says whether that is an improvement, because for some indicators lower is better."),
        ("Charts: the solid line with dots is the monthly figure, every value written beside its point; the "
         "ringed point is the latest month; the dashed line is the target."),
        SMALL_NUMBERS,
        OLDER_NOTE,
        (f"{card.as_at_text}. Figures are computed from the council's monthly extracts by the definitions in the "
         "indicator catalogue (metrics.yaml)."),
    ]
    return [*story, table, Spacer(0, 10), *(para(note, BODY) for note in notes)]
