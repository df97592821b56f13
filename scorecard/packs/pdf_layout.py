"""The PDF pack's page and type: the stylesheet WeasyPrint lays the pack's HTML out with,
and the few helpers every part of the pack writes its HTML with.

A4 landscape. The running header and footer are CSS page-margin boxes: the council, the
month and the "as at" date at the top; at the bottom the privacy line, "Page n of N" and,
on a page that shows an older year's benchmark (and only there), the note that says what
that means. That last works with a named string: an element that shows an older-year
benchmark sets it to the note, and an empty element just after it back to nothing, so the first
value set on a page is the note exactly when such an element is on that page.

Colours come from scorecard.ui.style, so the pack looks as the web pages do; fonts are
DejaVu Sans, bundled with matplotlib (so the charts and the text share one font on any
machine): it has ● ▲ ■ ○ ↑ ↓ →.
"""
from __future__ import annotations

import html
from pathlib import Path

import matplotlib

from scorecard.packs.common import OLDER_NOTE, PRODUCT, running_marking
from scorecard.ui.style import GRID, INK, MUTED, PACK_HEADING, RAG
from scorecard.ui.views import Scorecard

FONT_FAMILY = "DejaVu Sans"   # the family matplotlib's SVG text names, too
_FONT_FILES = {("normal", "normal"): "DejaVuSans.ttf", ("bold", "normal"): "DejaVuSans-Bold.ttf",
               ("normal", "italic"): "DejaVuSans-Oblique.ttf", ("bold", "italic"): "DejaVuSans-BoldOblique.ttf"}
# Points. The text area (A4's 841.9 less two 28pt margins) holds the chart, the figures
# and the commentary side by side, each with its padding; 1pt is left for rounding.
TEXT_WIDTH = 785
CHART_WIDTH, CHART_HEIGHT, FIGURES_WIDTH = 360, 142, 226
COMMENT_WIDTH = TEXT_WIDTH - 1 - (CHART_WIDTH + 4) - (FIGURES_WIDTH + 10)
OLDER_STRING = "older"


def escape(text: str | None) -> str:
    """Text (never markup) for an HTML element or attribute."""
    return html.escape(text or "", quote=True)


def css_string(text: str) -> str:
    """A CSS string literal holding `text` exactly, safe inside a <style> element too
    ('<' as an escape, so no text can close the element)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ").replace("<", "\\3C ") + '"'


def _font_faces() -> str:
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return "\n".join(f"@font-face {{ font-family: {css_string(FONT_FAMILY)}; font-weight: {weight}; "
                     f"font-style: {style}; src: url({css_string((folder / name).as_uri())}); }}"
                     for (weight, style), name in _FONT_FILES.items())


def _rag_rules() -> str:
    """Each rating's badge: its colour behind, its text colour on it, a ring for the unrated."""
    rules = []
    for rag, look in RAG.items():
        if rag is None:
            continue
        border = INK if rag in ("green", "amber", "red") else GRID
        rules.append(f".rag-{rag} {{ background: {look.colour}; color: {look.text}; border-color: {border}; }}")
    return "\n".join(rules)


def stylesheet(card: Scorecard, summary_size: float) -> str:
    """The whole pack's CSS; `summary_size` is page 1's type size in points (the largest at
    which the one-page scorecard fits its page)."""
    header = f"{card.council_name}  ·  {PRODUCT}  ·  {card.period_label}"
    footer = f"{card.council_name}, {card.period_label}. {card.as_at_text}. "
    if card.public:
        footer += "Small numbers are hidden to protect children's privacy."
    else:  # a head of service's pack: every page says it must not be published
        header = f"{running_marking(card)}  ·  {header}"
        footer += card.marking
    return f"""
{_font_faces()}
@page {{
  size: A4 landscape;
  margin: 44pt 28pt 46pt 28pt;
  @top-left {{ content: {css_string(header)}; font: bold 9.5pt {css_string(FONT_FAMILY)}; color: {INK};
              vertical-align: bottom; padding-bottom: 4pt; border-bottom: 0.6pt solid {INK}; width: 62%; }}
  @top-right {{ content: {css_string(card.as_at_text)}; font: 9pt {css_string(FONT_FAMILY)}; color: {INK};
               vertical-align: bottom; padding-bottom: 4pt; border-bottom: 0.6pt solid {INK}; width: 38%; }}
  @bottom-left {{ content: string({OLDER_STRING}, first) "\\A " {css_string(footer)};
                 white-space: pre-wrap; font: 7pt/1.35 {css_string(FONT_FAMILY)}; color: {MUTED};
                 vertical-align: top; padding-top: 3pt; border-top: 0.6pt solid {GRID}; width: 84%; }}
  @bottom-right {{ content: "Page " counter(page) " of " counter(pages); font: bold 9pt {css_string(FONT_FAMILY)};
                  color: {INK}; vertical-align: top; padding-top: 13pt; border-top: 0.6pt solid {GRID};
                  width: 16%; text-align: right; }}
}}
html {{ font-family: {css_string(FONT_FAMILY)}; font-size: 8pt; line-height: 1.25; color: {INK}; }}
body {{ margin: 0; }}
h1, h2, h3, h4 {{ margin: 0; break-after: avoid; }}
h1 {{ font-size: 12.5pt; margin-bottom: 2pt; }}
h2 {{ font-size: 14pt; margin-bottom: 5pt; }}
h3 {{ font-size: 10.5pt; margin-bottom: 2pt; }}
h4 {{ font-size: 8.5pt; margin-bottom: 2pt; }}
p {{ margin: 0 0 3pt 0; }}
.muted, .sub {{ color: {MUTED}; }}
.sub {{ font-size: 9pt; font-weight: normal; }}
table {{ border-collapse: collapse; }}
th, td {{ text-align: left; vertical-align: top; font-weight: normal; }}
/* An element showing an older year's benchmark puts the note in the page's footer
   (elements, not ::before and ::after: WeasyPrint sets no string from a pseudo-element). */
.older-year {{ string-set: {OLDER_STRING} {css_string("Older year: " + OLDER_NOTE)}; }}
.older-end {{ string-set: {OLDER_STRING} ""; }}

/* Ratings: the colour, a large shape and the word, so a black-and-white print reads the same. */
.rag {{ border: 0.6pt solid {GRID}; font-weight: bold; white-space: nowrap; }}
.rag .shape {{ font-size: 1.75em; line-height: 1; vertical-align: -0.14em; margin-right: 0.2em; }}
/* In page 1's table the large shape does not make its row taller (it sits in the cell's padding);
   elsewhere the badge is a box around the shape and the word. */
td.rag .shape {{ line-height: 0; font-size: 1.6em; }}
span.rag {{ display: inline-block; padding: 0.5pt 4pt 0.5pt 3pt; }}
{_rag_rules()}

/* Page 1: the one-page scorecard. */
.summary {{ font-size: {summary_size}pt; line-height: 1.2; }}
.summary h1 .sub {{ font-size: {summary_size + 1}pt; }}
.scorecard {{ width: 100%; table-layout: fixed; }}
.scorecard col.indicator {{ width: 27%; }}
.scorecard col.value {{ width: 5.3%; }}
.scorecard col.counts {{ width: 6.3%; }}
.scorecard col.rating {{ width: 9.4%; }}
.scorecard col.movement {{ width: 6.9%; }}
.scorecard col.target {{ width: 4.6%; }}
.scorecard th, .scorecard td {{ padding: 0.7pt 2pt 0.8pt 2pt; border-bottom: 0.3pt solid {GRID}; }}
.scorecard td + td, .scorecard th + td {{ border-left: 0.3pt solid {GRID}; }}
.scorecard thead th {{ font-weight: bold; border-bottom: 1pt solid {INK}; vertical-align: bottom; }}
.scorecard .theme th {{ font-weight: bold; background: {PACK_HEADING}; font-size: {summary_size + 0.5}pt;
                        padding-top: 1.2pt; padding-bottom: 1.4pt; }}
.scorecard td.value {{ font-weight: bold; }}
.scorecard td.rag {{ border: 0.6pt solid {INK}; }}
.scorecard td.rag-too_few, .scorecard td.rag-not_rated {{ border-color: {GRID}; }}
.compared, .key {{ margin: 2.5pt 0 0 0; }}
.card-headline {{ font-size: {summary_size + 2}pt; font-weight: bold; border: 1pt solid {INK};
                  border-left-width: 4pt; padding: 1.5pt 4pt; margin: 1pt 0 3pt 0; }}
.lists {{ display: flex; gap: 0; margin-top: 3pt; }}
.lists > div {{ flex: 1 1 0; border: 0.6pt solid {INK}; padding: 2pt 4pt 3pt 4pt; }}
.lists > div + div {{ border-left: none; }}
.lists h2 {{ font-size: {summary_size + 0.5}pt; display: inline; margin: 0; }}
.lists p {{ display: inline; }}

/* A theme: each indicator's chart, figures and commentary side by side, never split. */
.theme-section {{ break-before: page; }}
.indicator {{ break-inside: avoid; border-bottom: 0.4pt solid {GRID}; padding: 3pt 0 5pt 0; }}
/* Inline blocks of fixed widths, not flex: WeasyPrint lays a flex row out several times over
   (it was 90% of the pack's layout time); an inline block is laid out once, at its width. */
.indicator-body > div {{ display: inline-block; vertical-align: top; box-sizing: border-box; }}
.part-chart {{ width: {CHART_WIDTH + 4}pt; padding-right: 4pt; }}
.part-chart img {{ width: {CHART_WIDTH}pt; height: {CHART_HEIGHT}pt; display: block; }}
.part-figures {{ width: {FIGURES_WIDTH + 10}pt; padding: 0 6pt 0 4pt; }}
.part-commentary {{ width: {COMMENT_WIDTH}pt; padding-left: 6pt; border-left: 0.6pt solid {GRID}; }}
.indicator-body > .part-wide {{ display: block; padding-top: 3pt; }}   /* takes the whole width below */
.headline {{ font-size: 15pt; font-weight: bold; line-height: 1.1; margin-bottom: 3pt; }}
.headline .counts {{ font-size: 8pt; font-weight: normal; color: {MUTED}; }}
.headline .caveat {{ font-size: 8pt; display: block; }}
.figures {{ width: 100%; font-size: 7.6pt; line-height: 1.2; }}
.figures th {{ color: {MUTED}; width: 88pt; padding: 0.5pt 4pt 0.5pt 0; }}
.figures td {{ padding: 0.5pt 0; }}
.figures td.rag {{ padding: 1pt 3pt; font-size: 8pt; }}
.figures .reason {{ font-size: 6.8pt; color: {MUTED}; }}
.comment {{ font-size: 8pt; line-height: 1.25; }}
.comment p, .comment ul, .comment ol {{ margin: 0 0 3pt 0; }}
.comment ul, .comment ol {{ padding-left: 10pt; }}
.comment-by {{ font-style: italic; color: {MUTED}; font-size: 7.2pt; margin-top: 3pt; }}
.terms {{ font-size: 6.8pt; color: {MUTED}; margin-top: 3pt; }}
.no-comment {{ font-style: italic; color: {MUTED}; }}

/* Improvement actions under an indicator, and the changes since the last meeting. */
table.actions, table.changes {{ width: 100%; font-size: 7.4pt; line-height: 1.2; }}
table.actions th, table.actions td, table.changes th, table.changes td {{
    padding: 0.8pt 3pt; border-bottom: 0.3pt solid {GRID}; vertical-align: top; text-align: left; }}
table.actions thead th, table.changes thead th {{ font-weight: bold; border-bottom: 1pt solid {INK}; }}
table.changes {{ font-size: 8.5pt; margin-bottom: 6pt; table-layout: fixed; }}
table.changes th:first-child {{ width: 42%; }}
table.changes th + th {{ width: 12%; }}
table.changes th:last-child {{ width: 34%; }}
.changes-section h3 {{ font-size: 10pt; margin: 6pt 0 2pt 0; }}

/* The glossary. */
.glossary-section {{ break-before: page; font-size: 8.5pt; line-height: 1.3; }}
.glossary {{ width: 100%; margin-bottom: 10pt; }}
.glossary th, .glossary td {{ padding: 2pt 4pt 1pt 4pt; border-bottom: 0.3pt solid {GRID}; }}
.glossary thead th {{ font-weight: bold; border-bottom: 1pt solid {INK}; }}
.glossary tbody th {{ font-weight: bold; background: {PACK_HEADING}; width: 125pt; }}
"""
