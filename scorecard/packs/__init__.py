"""The meeting packs: the month's scorecard as a printable PDF and as an Excel workbook.

Both are built from one `scorecard.ui.views.Scorecard`, so they show exactly what the web
pages show (public figures, unless the card was built for someone who may see the small
numbers, when every page and sheet says "not for publication"), formatted by the same
text functions:

    card = build_scorecard(metrics, "2025-03")
    pdf_pack(card)      # bytes of a tagged A4 landscape PDF: the one-page scorecard, a section
                        # per theme with 13-month charts and commentary, and a glossary
    excel_pack(card, metrics)   # bytes of an .xlsx for analysts: every figure a number with its
                                # state, every breakdown group, the trends with targets, About

The heavy libraries (WeasyPrint, matplotlib, XlsxWriter) are imported on first use.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scorecard.metrics import CouncilMetrics
    from scorecard.ui.views import Scorecard

__all__ = ["PackUnavailable", "excel_pack", "meeting_pack", "pdf_pack"]


class PackUnavailable(RuntimeError):
    """A pack cannot be built on this machine (a system library is missing); says what to install."""


def pdf_pack(card: Scorecard, **options) -> bytes:
    """See scorecard.packs.pdf.pdf_pack (options: `sections`, `briefing`)."""
    try:
        from scorecard.packs.pdf import pdf_pack as build
        from weasyprint import HTML  # noqa: F401  (loads pango: fails here, not halfway through a pack)
    except OSError as error:  # WeasyPrint found, the system's pango not
        raise PackUnavailable(
            "the PDF pack is laid out by WeasyPrint, which needs the pango library: on Debian or Ubuntu, "
            f"apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 ({error})") from error
    return build(card, **options)


def excel_pack(card: Scorecard, metrics: CouncilMetrics) -> bytes:
    """`metrics`: the figures the card was built from; the workbook reads the numbers behind
    the card's text (counts, comparators' years and states, breakdowns) from them."""
    from scorecard.packs.excel import excel_pack as build

    return build(card, metrics)


def meeting_pack(kind: str, card: Scorecard, metrics: CouncilMetrics) -> bytes:
    """The pack the command line and the download link give: the PDF with the briefing of
    what changed since the month the card is compared with, or the workbook."""
    if kind == "pdf":
        from scorecard.ui.briefing import build_briefing

        return pdf_pack(card, briefing=build_briefing(metrics, card.period, card.since if card.since_chosen else None,
                                                      public=card.public))
    return excel_pack(card, metrics)
