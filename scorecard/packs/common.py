"""What the PDF and the workbook share: the pack's title, its 13 months and its acronyms."""
from __future__ import annotations

from scorecard.metrics import load_catalogue
from scorecard.metrics.calendar import Month
from scorecard.ui.commentary_text import commentary_plain
from scorecard.ui.text import acronym_parts
from scorecard.ui.views import NOT_FOR_PUBLICATION, SPARKLINE_MONTHS, Row, Scorecard

PRODUCT = "Corporate Parenting scorecard"
SMALL_NUMBERS = ("Members see aggregates only: small numbers, and any percentage made from them, are hidden "
                 "(shown as “Hidden (small number)”) because they could identify a child.")
OLDER_NOTE = ("A benchmark marked “older year” is the latest one published, but it is for an earlier year "
              "than this month: the newer figure is not yet published.")
# Terms the packs' own headings use, whatever the indicators say.
FURNITURE_TERMS = ("RAG", "SN")


def small_numbers_note(card: Scorecard) -> str:
    """What the pack says about small numbers: hidden, or (a head of service's pack) shown
    and not for publication."""
    if card.public:
        return SMALL_NUMBERS
    return f"{card.marking} Nothing is hidden in this pack."


def running_marking(card: Scorecard) -> str:
    """The short words at the top of every page and sheet of a pack that shows small numbers."""
    return "" if card.public else NOT_FOR_PUBLICATION.upper()


def pack_title(card: Scorecard) -> str:
    return f"{card.council_name}: {PRODUCT}, {card.period_label}"


def trend_periods(card: Scorecard) -> list[str]:
    """The 13 months a sparkline covers, oldest first, ending with the pack's month."""
    last = Month.parse(card.period)
    return [last.shift(-back).period for back in range(SPARKLINE_MONTHS - 1, -1, -1)]


def trend_values(row: Row, periods: list[str]) -> list[float | None]:
    """The row's sparkline lined up with `periods`: None where there is no (public) figure."""
    points = dict(row.sparkline)
    return [points.get(period) for period in periods]


def has_older_benchmark(row: Row) -> bool:
    return any(cell.state == "older" for cell in row.comparators)


def glossary_terms() -> dict[str, str]:
    return load_catalogue().glossary_terms()


def terms_in(text: str, glossary: dict[str, str]) -> list[str]:
    """Glossary terms written in `text` as whole words, in the order they first appear."""
    if not text:
        return []
    return list(dict.fromkeys(run for run, meaning in acronym_parts(text, glossary) if meaning))


def terms_used(card: Scorecard, glossary: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """The glossary terms the pack uses (in labels, figures, notes and commentary, and in its
    own headings), alphabetically, with their meanings."""
    glossary = glossary_terms() if glossary is None else glossary
    texts = [" ".join(FURNITURE_TERMS)]
    for row in card.rows:
        texts += [row.label, row.counts_text, row.note, row.rag_reason]
        texts += [cell.text for cell in row.comparators]
        if row.commentary:
            texts += [commentary_plain(row.commentary.text), row.commentary.author]
    used = set(terms_in("\n".join(texts), glossary))
    return sorted(((t, glossary[t]) for t in used), key=lambda item: item[0].lower())


def short_meaning(meaning: str) -> str:
    """'Initial health assessment: the health check ...' -> 'Initial health assessment'."""
    return meaning.split(":", 1)[0].rstrip(".")
