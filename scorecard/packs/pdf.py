"""The meeting pack as a tagged, accessible PDF (PDF/UA-1): HTML laid out by WeasyPrint.

Page 1 is the one-page scorecard (pdf_summary), with its headline. Then, when the pack is
given the briefing note, what changed since the last meeting (pdf_briefing). Then a section per theme: each indicator's
13-month chart with every value written on it and said in its alternative text, its
figures beside the chart and the officers' commentary beside those (pdf_indicators); an
indicator never splits across pages. Last, the glossary of the acronyms used and how to
read the figures. Every page carries the council, the month, the "as at" date and
"Page n of N", and a footnote when a benchmark on it is of an older year (pdf_layout).

Committee packs are published on council websites, where the accessibility regulations
apply, so the PDF is tagged: its title and language are set, headings are real headings
(h1 the scorecard, h2 each theme and the glossary, h3 each indicator) in reading order,
tables have header cells with their scope, and every chart is a Figure with alternative
text. Nothing is formatted here: every figure is the view model's own text, escaped.

The pack is a list of sections, each a function (PackContext) -> HTML; to add one, write
such a function and put it in `SECTIONS` (or pass `sections=` for one pack). A section
that should start on a new page gives its outer element a class with `break-before: page`
(see `.theme-section` in pdf_layout).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from scorecard.packs.common import (
    OLDER_NOTE,
    PRODUCT,
    glossary_terms,
    pack_title,
    small_numbers_note,
    terms_used,
    trend_periods,
)
from scorecard.packs.pdf_briefing import briefing_section
from scorecard.packs.pdf_indicators import theme_sections
from scorecard.packs.pdf_layout import escape, stylesheet
from scorecard.packs.pdf_summary import rag_badge_html, rag_class, scorecard_page
from scorecard.ui.briefing import Briefing
from scorecard.ui.style import RAG
from scorecard.ui.text import short_month
from scorecard.ui.views import Scorecard

# Page 1's type sizes, largest first: the first at which the whole scorecard fits one page.
SUMMARY_SIZES = (7.5, 7.2, 7.0, 6.8)
PDF_VARIANT = "pdf/ua-1"
LANGUAGE = "en-GB"


@dataclass(frozen=True)
class PackContext:
    """What every section may use: the scorecard, the glossary, the charts' 13 months, and
    the briefing note of what changed since the month compared with (when there is one)."""
    card: Scorecard
    glossary: dict[str, str] = field(default_factory=dict)
    periods: list[str] = field(default_factory=list)   # '2024-03' ... '2025-03'
    months: list[str] = field(default_factory=list)    # 'Mar 2024' ... 'Mar 2025'
    briefing: Briefing | None = None


Section = Callable[[PackContext], str]


def glossary_section(context: PackContext) -> str:
    terms = "".join(f'<tr><th scope="row">{escape(term)}</th><td>{escape(meaning)}</td></tr>'
                    for term, meaning in terms_used(context.card, context.glossary))
    ratings = "; ".join(f'<span class="{rag_class(r)}">{rag_badge_html(r)}</span>'
                        for r in ("green", "amber", "red", "too_few"))
    notes = [
        (f"Ratings: {ratings}; {escape(RAG[None].letter)} not rated (a figure shown for context). Each rating "
         "is a shape and a word as well as a colour, so it reads the same printed in black and white."),
        escape("Direction of travel: the arrow shows which way the figure moved (↑ up, ↓ down, → about the "
               "same); the word says whether that is an improvement, because for some indicators lower is better."),
        escape("Charts: the solid line with dots is the monthly figure, every value written beside its point; "
               "the ringed point is the latest month; the dashed line is the target."),
        escape(small_numbers_note(context.card)),
        escape(OLDER_NOTE),
        escape(f"{context.card.as_at_text}. Figures are computed from the council's monthly extracts by the "
               "definitions in the indicator catalogue."),
    ]
    return (f'<section class="glossary-section"><h2>Glossary and how to read this pack</h2>'
            f'<p>Acronyms used in this pack:</p><table class="glossary"><thead><tr><th scope="col">Term</th>'
            f'<th scope="col">Meaning</th></tr></thead><tbody>{terms}</tbody></table>'
            + "".join(f"<p>{note}</p>" for note in notes) + "</section>")


SECTIONS: tuple[Section, ...] = (scorecard_page, briefing_section, theme_sections, glossary_section)


def pack_context(card: Scorecard, briefing: Briefing | None = None) -> PackContext:
    periods = trend_periods(card)
    return PackContext(card, glossary_terms(), periods, [short_month(p) for p in periods], briefing)


def pack_html(card: Scorecard, sections: Sequence[Section] = SECTIONS, summary_size: float = SUMMARY_SIZES[0],
              briefing: Briefing | None = None) -> str:
    """The whole pack as one HTML document (what WeasyPrint lays out; open it in a browser to look)."""
    context = pack_context(card, briefing)
    return _document(card, "\n".join(section(context) for section in sections), summary_size)


def _document(card: Scorecard, body: str, summary_size: float) -> str:
    return f"""<!DOCTYPE html>
<html lang="{LANGUAGE}"><head><meta charset="utf-8">
<title>{escape(pack_title(card))}</title>
<meta name="author" content="{escape(card.council_name)}">
<meta name="description" content="{escape(f'{PRODUCT} for {card.period_label}. {card.as_at_text}.')}">
<meta name="generator" content="Corporate Parenting Scorecard">
<style>{stylesheet(card, summary_size)}</style>
</head><body>
{body}
</body></html>"""


def summary_size(card: Scorecard, context: PackContext) -> float:
    """The largest of SUMMARY_SIZES at which page 1 fits its page, laid out on its own
    (a page of text: a tenth of the whole pack's layout); the smallest if none does, and
    then the table runs on, its column headings repeated."""
    from weasyprint import HTML

    page = scorecard_page(context)
    for size in SUMMARY_SIZES:
        if len(HTML(string=_document(card, page, size)).render().pages) == 1:
            return size
    return SUMMARY_SIZES[-1]


def pdf_pack(card: Scorecard, *, sections: Sequence[Section] = SECTIONS, briefing: Briefing | None = None) -> bytes:
    """The month's meeting pack as PDF bytes (A4 landscape, tagged PDF/UA-1). With a
    `briefing` (what changed since the month compared with), it follows page 1."""
    from weasyprint import HTML

    context = pack_context(card, briefing)
    size = summary_size(card, context) if scorecard_page in sections else SUMMARY_SIZES[0]
    body = "\n".join(section(context) for section in sections)
    return HTML(string=_document(card, body, size)).write_pdf(pdf_variant=PDF_VARIANT, finisher=_header_scopes)


def _header_scopes(document, pdf) -> None:
    """Say in each table header cell's attributes what it heads (/Scope, as PDF/UA asks):
    WeasyPrint links every data cell to its headers but leaves the scope out. In this pack
    a header cell in a table's head heads its column, and one in a table's body its row
    (or, for a theme's name, the group of rows it starts)."""
    def parent(element):
        return pdf.objects[int(element["P"].split()[0])]

    for element in pdf.objects:
        if isinstance(element, dict) and element.get("S") == "/TH" and "A" in element:
            in_head = parent(parent(element)).get("S") == "/THead"
            element["A"]["Scope"] = "/Column" if in_head else "/Row"
