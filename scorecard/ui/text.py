"""Words for figures: how a value, a comparator, a direction or a month reads on a page,
in the PDF and in the workbook. One place, so the three never disagree."""
from __future__ import annotations

import datetime as dt
import re

from scorecard.metrics import describe, format_value
from scorecard.metrics.calendar import Month
from scorecard.ui.style import ARROWS, DIRECTION_WORDS, rag_style
from scorecard.vocabulary import DATASET_TITLES

__all__ = ["COMPARATOR_NAMES", "DATASET_TITLES", "acronym_parts", "caveat_text", "comparator_text", "counts_text",
           "date_label",
           "direction_text", "month_label", "months_text", "ordinal", "published_text", "rag_text", "short_month",
           "standing_text", "value_text"]

COMPARATOR_NAMES = {"statistical_neighbours": ("Statistical neighbours", "SN"),
                    "england": ("England", "England"), "region": ("Region", "Region")}



def month_label(period: str) -> str:
    """'2025-03' -> 'March 2025'."""
    return short_month(period, "%B %Y")


def months_text(first: str, last: str) -> str:
    """'March 2025', or 'April 2019 to March 2020' for an extract covering several months."""
    return month_label(first) if first == last else f"{month_label(first)} to {month_label(last)}"


def short_month(period: str, pattern: str = "%b %Y") -> str:
    """'2025-03' -> 'Mar 2025'."""
    return dt.date.fromisoformat(Month.parse(period).period + "-01").strftime(pattern)


def date_label(value) -> str:
    """A date as councillors read it: '31 March 2025'."""
    if value is None:
        return ""
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    return f"{value.day} {value:%B %Y}"


def value_text(unit: str, value, note: str = "") -> str:
    if value is not None:
        return format_value(unit, value)
    if note.startswith("suppressed so that"):  # hidden beside a small number, not small itself
        return "Hidden (protects a small number)"
    if note.startswith("suppressed"):
        return "Hidden (small number)"
    if note.startswith("not shown"):  # a two-way table whose cells would give a hidden figure away
        return "Not shown (would reveal a hidden figure)"
    return "No figure"


def caveat_text(record: dict) -> str:
    """What a reader must know before reading a figure, in a few words beside it: that the
    store lacks some children's history, or that the data covers children in care only.
    The note (on the indicator page, in the packs) gives the full reason."""
    if record.get("history_note"):
        count = record.get("incomplete")
        if isinstance(count, (int, float)) and count == count and count > 0:
            return f"Incomplete history: {count:,.0f} {'child' if count == 1 else 'children'}"
        return "Incomplete history"
    if (record.get("note") or "").startswith("children in care only"):
        return "Children in care only"
    return ""


def counts_text(unit: str, numerator, denominator) -> str:
    """The counts behind a rate: '73 of 94' for a percentage, nothing for a plain count."""
    if numerator is None or unit == "count":
        return ""
    if unit == "percent" and denominator is not None:
        return f"{numerator:,.0f} of {denominator:,.0f}"
    if unit == "rate_per_10000":
        return f"{numerator:,.0f} children"
    if unit == "days" and denominator is not None:
        return f"{denominator:,.0f} children"
    return ""


def comparator_text(unit: str, value, period, state, rank=None, rank_of=None) -> str:
    """'46.3 (2017/18)', '64.0 (2023/24, older year)', 'Not yet published' or 'Not compared'."""
    if not state:
        return "Not compared"
    if state == "not_yet_published" or value is None:
        return "Not yet published"
    details = [str(period)] if period else []
    if state == "older":
        details.append("older year")
    if rank and rank_of:
        details.append(f"we rank {rank} of {rank_of}")
    return f"{format_value(unit, value)} ({', '.join(details)})" if details else format_value(unit, value)


def ordinal(number: int) -> str:
    """1 -> '1st', 12 -> '12th', 23 -> '23rd'."""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def standing_text(rank, of, band, period, older: bool = False) -> str:
    """'16th of 150, band A (2024/25)', '(2023/24, older year)' or 'Not ranked'."""
    if not rank or not of:
        return "Not ranked"
    text = f"{ordinal(int(rank))} of {int(of)}"
    if band:
        text += f", band {band}"
    if older:
        period = f"{period}, older year"
    return f"{text} ({period})" if period else text


def published_text(unit: str, value, period, state, note: str, difference) -> str:
    """The DfE's published figure for the council, and how far this figure is from it."""
    if value is None or state not in ("published", "older"):
        return note or "No published figure"
    text = f"{format_value(unit, value)} ({period}{', older year' if state == 'older' else ''})"
    if difference is not None:
        if unit == "percent":
            text += f"; this figure is {abs(difference) * 100:.1f} points {'higher' if difference > 0 else 'lower'}" \
                if abs(difference) >= 0.0005 else "; this figure agrees"
        else:
            text += f"; this figure is {format_value(unit, abs(difference))} {'higher' if difference > 0 else 'lower'}" \
                if abs(difference) >= 0.05 else "; this figure agrees"
    return text


def direction_text(state: str | None, now, before) -> str:
    """'↑ Improving': the arrow is the way the figure moved, the word whether that is good."""
    if not state:
        return ""
    if now is None or before is None or now == before or state == "no_change":
        arrow = ARROWS["same"]
    else:
        arrow = ARROWS["up"] if now > before else ARROWS["down"]
    return f"{arrow} {DIRECTION_WORDS.get(state, describe(state))}"


def rag_text(rag: str | None) -> str:
    style = rag_style(rag)
    return f"{style.shape} {style.word}".strip()


def acronym_parts(text: str, glossary: dict[str, str]) -> list[tuple[str, str | None]]:
    """Split text into plain runs and glossary terms: [('Children with an ', None),
    ('IHA', 'Initial health assessment: ...'), (' in time', None)]."""
    if not glossary:
        return [(text, None)]
    pattern = re.compile(r"\b(" + "|".join(re.escape(t) for t in sorted(glossary, key=len, reverse=True)) + r")\b")
    parts, position = [], 0
    for match in pattern.finditer(text):
        if match.start() > position:
            parts.append((text[position:match.start()], None))
        parts.append((match.group(0), glossary[match.group(0)]))
        position = match.end()
    if position < len(text):
        parts.append((text[position:], None))
    return parts


def action_status_text(action) -> str:
    """'Delayed, overdue (due 30 September 2025)' / 'Complete (due 31 March 2025)'."""
    overdue = ", overdue" if action.overdue else ""
    return f"{action.status_label}{overdue} (due {date_label(action.due)})"


def action_text(action) -> str:
    """One line for a pack: 'CP-01 Agree ... Owner: Designated Nurse. Delayed, overdue (due 30
    September 2025). Latest update, 12 March 2025: ...'"""
    update = f" Latest update, {date_label(action.updated_on)}: {action.latest_update}" \
        if action.latest_update else ""
    return f"{action.reference} {action.action}. Owner: {action.owner}. {action_status_text(action)}.{update}"
