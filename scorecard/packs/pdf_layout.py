"""The PDF pack's page geometry, fonts and paragraph styles (colours come from scorecard.ui.style)."""
from __future__ import annotations

import threading
from xml.sax.saxutils import escape

import matplotlib
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph

from scorecard.ui.style import INK, rag_badge, rag_style

PAGE = landscape(A4)                 # 841.9 x 595.3 points
MARGIN, TOP, BOTTOM = 28, 46, 42     # the header and footer are drawn in the top and bottom margins
WIDTH = PAGE[0] - 2 * MARGIN
HEIGHT = PAGE[1] - TOP - BOTTOM
FONT, BOLD, ITALIC, BOLD_ITALIC = "DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "DejaVuSans-BoldOblique"

_FONT_LOCK = threading.Lock()


def register_fonts() -> None:
    """DejaVu Sans (bundled with matplotlib) has ● ▲ ■ ○ ↑ ↓ →, which reportlab's Helvetica lacks."""
    with _FONT_LOCK:
        if FONT in pdfmetrics.getRegisteredFontNames():
            return
        folder = matplotlib.get_data_path() + "/fonts/ttf/"
        for name in (FONT, BOLD, ITALIC, BOLD_ITALIC):
            pdfmetrics.registerFont(TTFont(name, f"{folder}{name}.ttf"))
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC)


def style(name: str, size: float = 8, **extra) -> ParagraphStyle:
    extra.setdefault("leading", round(size * 1.22, 1))
    return ParagraphStyle(name, fontName=extra.pop("font", FONT), fontSize=size, textColor=extra.pop("colour", INK),
                          **extra)


def para(text: str, paragraph_style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (escaped); use Paragraph directly for markup."""
    return Paragraph(escape(text or ""), paragraph_style)


def rag_paragraph(rag: str | None, paragraph_style: ParagraphStyle) -> Paragraph:
    """'■ R Red' in the rating's text colour, for a cell whose background is the rating's colour."""
    colour = rag_style(rag).text
    return Paragraph(f"<font color='{colour}'><b>{escape(rag_badge(rag))}</b></font>", paragraph_style)


class OlderBenchmarkMark(Flowable):
    """Draws nothing; tells the page furniture that this page shows an older-year benchmark."""

    def wrap(self, available_width, available_height):
        return 0, 0

    def draw(self):
        self.canv.older_on_page = True
