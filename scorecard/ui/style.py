"""The look of every chart and rating, defined once for the web pages, the PDF and Excel.

Councillors print the scorecard, often in black and white, and some are colour-blind.
So no meaning is carried by colour alone: a rating is a word, a letter and a shape as
well as a colour, and chart series differ by line style and marker as well as by colour.
Colours come from the Okabe-Ito palette (safe for the common colour-vision deficiencies)
and the RAG colours are chosen to sit at clearly different greys when printed.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RagStyle:
    word: str        # what a screen reader and a printout say
    letter: str      # the PDF's compact column
    shape: str       # a glyph drawn beside the word, different for each rating
    colour: str      # background of the badge
    text: str        # text colour on that background (contrast of 4.5:1 or more)
    grey: str        # the fill the PDF uses; prints as three distinct greys


RAG: dict[str | None, RagStyle] = {
    "green": RagStyle("Green", "G", "●", "#1a6b35", "#ffffff", "#1a6b35"),
    "amber": RagStyle("Amber", "A", "▲", "#f0b429", "#111111", "#f0b429"),
    "red": RagStyle("Red", "R", "■", "#a3161a", "#ffffff", "#a3161a"),
    "too_few": RagStyle("Too few to rate", "–", "○", "#ffffff", "#333333", "#ffffff"),
    "not_rated": RagStyle("Not rated", "–", "", "#ffffff", "#333333", "#ffffff"),
    None: RagStyle("Not rated", "–", "", "#ffffff", "#333333", "#ffffff"),
}


def rag_style(rag: str | None) -> RagStyle:
    return RAG.get(rag, RAG[None])


# Direction of travel: the arrow shows which way the figure moved; the word says whether
# that is good, because for "lower is better" indicators a fall is an improvement.
DIRECTION_WORDS = {"improving": "Improving", "worsening": "Worsening", "no_change": "No change",
                   "up": "Up", "down": "Down"}
ARROWS = {"up": "↑", "down": "↓", "same": "→"}

INK = "#1b1b1b"              # text and the council's own series
MUTED = "#595959"            # secondary text: 7:1 on white
GRID = "#d9d9d9"
SERIES = {                   # Okabe-Ito colours, each with its own dash and marker
    "value": {"colour": "#0b3c73", "dash": "solid", "marker": "circle", "mpl_dash": "-", "mpl_marker": "o"},
    "target": {"colour": "#1b1b1b", "dash": "dash", "marker": None, "mpl_dash": "--", "mpl_marker": None},
    "england": {"colour": "#d55e00", "dash": "dot", "marker": None, "mpl_dash": ":", "mpl_marker": None},
    "region": {"colour": "#009e73", "dash": "dashdot", "marker": None, "mpl_dash": "-.", "mpl_marker": None},
    "statistical_neighbours": {"colour": "#cc79a7", "dash": "longdash", "marker": None,
                               "mpl_dash": (0, (8, 3)), "mpl_marker": None},
}
BAR = "#0b3c73"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"

# One small plotly template, sent once per figure as plain data: the default template
# adds ~7 KB to every figure and most of the figure-building time.
PLOTLY_LAYOUT = {
    "font": {"family": FONT, "size": 14, "color": INK},
    "paper_bgcolor": "#ffffff",
    "plot_bgcolor": "#ffffff",
    "margin": {"l": 70, "r": 30, "t": 40, "b": 60},
    "xaxis": {"showgrid": False, "linecolor": INK, "ticks": "outside", "tickcolor": INK},
    "yaxis": {"gridcolor": GRID, "zeroline": False, "linecolor": INK, "tickcolor": INK},
    "legend": {"orientation": "h", "yanchor": "top", "y": -0.18, "x": 0},
    "hoverlabel": {"font": {"family": FONT}},
    "separators": ".,",
}

PLOTLY_CONFIG = {"displaylogo": False, "responsive": True,
                 "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
                 "toImageButtonOptions": {"format": "png", "scale": 2}}

MATPLOTLIB_RC = {
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.edgecolor": INK,
    "axes.labelcolor": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": GRID,
    "xtick.color": INK,
    "ytick.color": INK,
    "legend.frameon": False,
    "svg.fonttype": "none",
}


# --- The meeting packs (PDF and workbook) -------------------------------------------------

def rag_badge(rag: str | None) -> str:
    """Shape, letter and word together, as the PDF's compact RAG column shows them: '■ R Red'."""
    style = rag_style(rag)
    return " ".join(part for part in (style.shape, style.letter, style.word) if part)


# Excel number formats by unit: the workbook holds real numbers, formatted as the pages show them.
EXCEL_NUMBER_FORMATS = {"percent": "0.0%", "rate_per_10000": "0.0", "count": "#,##0", "days": "0.0"}
PACK_HEADING = "#e8eef5"     # theme header rows and table headings: pale, prints as a light grey
