"""Page 1 of the PDF pack: the one-page scorecard, as HTML.

Every indicator in one table (a row header per indicator, a row group per theme, column
headers repeated if it ever runs over), who the council is compared with, how to read the
table, then what is going well and what needs attention. It must fit one A4 landscape
page for ~28 indicators: pdf.py sets the type at the largest size that does.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from scorecard.packs.common import glossary_terms, short_meaning
from scorecard.packs.pdf_layout import escape
from scorecard.ui.style import RAG, rag_style
from scorecard.ui.views import ComparatorCell, Row, Scorecard

if TYPE_CHECKING:
    from scorecard.packs.pdf import PackContext

COLUMNS = (("indicator", "Indicator"), ("value", "Value"), ("counts", "Counts"), ("rating", "RAG rating"),
           ("movement", "Since"), ("movement", "vs last year"), ("target", "Target"),
           ("comparator", "SN"), ("comparator", "England"), ("comparator", "Region"))


def rag_badge_html(rag: str | None) -> str:
    """The rating's shape (large) and word, for a cell with the rating's class."""
    look = rag_style(rag)
    shape = f'<span class="shape">{escape(look.shape)}</span>' if look.shape else ""
    return f"{shape}{escape(look.word)}"


def rag_class(rag: str | None) -> str:
    return f"rag rag-{rag if rag in RAG and rag is not None else 'not_rated'}"


def comparator_cell(cell: ComparatorCell, text: str | None = None) -> str:
    """A comparator's text; an older year's figure marks its page for the footnote (see
    pdf_layout: the note is set as the figure starts and unset just after it)."""
    shown = escape(cell.text if text is None else text)
    if cell.state != "older":
        return shown
    return f'<span class="older-year">{shown}</span><span class="older-end"></span>'


def scorecard_page(context: PackContext) -> str:
    card = context.card
    return f"""<section class="summary">
<h1>Scorecard for {escape(card.period_label)} <span class="sub">{escape(card.framework_label)} · each
indicator's 13-month trend, benchmarks and commentary follow, theme by theme</span></h1>
{f'<p class="card-headline">{escape(card.headline)}</p>' if card.headline else ''}
{scorecard_table(card)}
{f'<p class="compared muted">{escape(card.compared_text)}</p>' if card.compared_text else ''}
{key_paragraph()}
{summary_lists(card)}
</section>"""


def scorecard_table(card: Scorecard) -> str:
    columns = "".join(f'<col class="{kind}">' for kind, _ in COLUMNS)
    headings = "".join(f'<th scope="col">{escape(_heading(card, label))}</th>' for _, label in COLUMNS)
    bodies = []
    for group in card.groups:
        rows = "".join(_row(row) for row in group.rows)
        bodies.append(f'<tbody><tr class="theme"><th scope="rowgroup" colspan="{len(COLUMNS)}">'
                      f'{escape(group.label)} <span class="muted">({len(group.rows)})</span></th></tr>{rows}</tbody>')
    return (f'<table class="scorecard"><colgroup>{columns}</colgroup><thead><tr>{headings}</tr></thead>'
            f'{"".join(bodies)}</table>')


def _heading(card: Scorecard, label: str) -> str:
    if label == "Since":
        return f"vs {card.since_label}" if card.since_label else "vs last month"
    return card.region_name if label == "Region" and card.region_name else label


def _row(row: Row) -> str:
    counts = "; ".join(t for t in (row.counts_text, row.caveat) if t)
    cells = [f'<td class="value">{escape(row.value_text)}</td>', f"<td>{escape(counts)}</td>",
             f'<td class="{rag_class(row.rag)}">{rag_badge_html(row.rag)}</td>',
             f"<td>{escape(row.since_direction_text)}</td>", f"<td>{escape(row.year_direction_text)}</td>",
             f"<td>{escape(row.target_text if row.target is not None else '–')}</td>",
             *(f"<td>{comparator_cell(cell)}</td>" for cell in row.comparators)]
    return f'<tr><th scope="row">{escape(row.label)}</th>{"".join(cells)}</tr>'


def key_paragraph() -> str:
    """How to read the table, with its acronyms spelt out where they appear."""
    glossary = glossary_terms()
    ratings = " · ".join(f'<span class="{rag_class(r)}">{rag_badge_html(r)}</span>'
                         for r in ("green", "amber", "red", "too_few"))
    rag = short_meaning(glossary.get("RAG", "Red, amber, green")).lower()
    sn = short_meaning(glossary.get("SN", "Statistical neighbours")).lower()
    return (f'<p class="key"><b>Key.</b> RAG ({escape(rag)}): {ratings} · {escape(RAG[None].letter)} not rated '
            "(context). Arrows: which way the figure moved; the word: whether that is good. "
            f"SN: {escape(sn)}. Acronyms: see the glossary at the end.</p>")


def summary_lists(card: Scorecard) -> str:
    """Reds then ambers, and greens, as the web page lists them; overdue actions said."""
    def listing(title: str, rows) -> str:
        items = "; ".join(f"{escape(r.label)} <b>{escape(r.value_text)}</b> {escape(rag_style(r.rag).word)}"
                          + (" (action overdue)" if any(a.overdue for a in r.open_actions) else "")
                          for r in rows) or "None this month."
        return f"<div><h2>{escape(title)} ({len(rows)}):</h2> <p>{items}</p></div>"

    return (f'<div class="lists">{listing("Needs attention", card.needs_attention)}'
            f'{listing("Going well", card.going_well)}</div>')
