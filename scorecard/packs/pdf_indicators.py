"""The PDF pack's theme sections, as HTML: a section per theme, and in it each indicator's
13-month chart (a vector SVG with its values said in its alternative text), its figures
and the officers' commentary side by side, kept on one page.

An indicator's block is made of parts, each a function (row, context) -> HTML, laid out
left to right in the order of `INDICATOR_PARTS`; a part whose outer element (a div) has the
class `part-wide` takes the whole width below the others (room for an action log, say).
"""
from __future__ import annotations

import base64
from collections.abc import Callable
from typing import TYPE_CHECKING

from scorecard.metrics import load_catalogue
from scorecard.packs.common import short_meaning, terms_in, trend_values
from scorecard.packs.pdf_layout import CHART_HEIGHT, CHART_WIDTH, escape
from scorecard.packs.pdf_summary import comparator_cell, rag_badge_html, rag_class
from scorecard.packs.pdf_svg import trend_svg
from scorecard.ui.charts import sparkline_alt
from scorecard.ui.commentary_text import commentary_html, commentary_plain
from scorecard.ui.text import action_status_text, date_label, short_month
from scorecard.ui.views import Row, ThemeGroup

if TYPE_CHECKING:
    from scorecard.packs.pdf import PackContext

IndicatorPart = Callable[[Row, "PackContext"], str]


def theme_sections(context: PackContext) -> str:
    return "\n".join(theme_section(group, context) for group in context.card.groups)


def theme_section(group: ThemeGroup, context: PackContext) -> str:
    count = len(group.rows)
    blocks = "\n".join(indicator_block(row, context) for row in group.rows)
    return (f'<section class="theme-section"><h2>{escape(group.label)} <span class="sub">({count} indicator'
            f'{"s" if count != 1 else ""}, {escape(context.card.period_label)}; trends over the last '
            f'{len(context.periods)} months)</span></h2>\n{blocks}</section>')


def indicator_block(row: Row, context: PackContext) -> str:
    parts = "".join(part(row, context) for part in INDICATOR_PARTS)   # no space between: inline blocks
    return (f'<section class="indicator"><h3>{escape(row.label)}</h3>'
            f'<div class="indicator-body">{parts}</div></section>')


def series_breaks(indicator: str, periods: list[str]) -> dict[int, tuple[str, str]]:
    """Breaks in the indicator's series inside the chart's months (from the catalogue: the
    view model's sparkline does not carry them): point index -> (period, reason)."""
    found = load_catalogue().by_id.get(indicator)
    if found is None:
        return {}
    return {periods.index(b.period): (b.period, b.reason) for b in found.series_breaks
            if b.period in periods[1:]}


def chart_alt(row: Row, context: PackContext, breaks: dict[int, tuple[str, str]]) -> str:
    """The chart in words, as the web page's sparkline says it, with its target and breaks."""
    values = trend_values(row, context.periods)
    text = sparkline_alt(list(zip(context.months, values, strict=True)), row.unit, f"Chart: {row.label}") + "."
    if row.target is not None:
        text += f" Target {row.target_text}, drawn as a dashed line."
    text += "".join(f" Series break from {short_month(period)}: {reason}." for period, reason in breaks.values())
    return text


def chart_part(row: Row, context: PackContext) -> str:
    breaks = series_breaks(row.id, context.periods)
    svg = trend_svg(trend_values(row, context.periods), context.months, row.unit, target=row.target,
                    breaks={i: reason for i, (_, reason) in breaks.items()}, width=CHART_WIDTH, height=CHART_HEIGHT)
    source = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
    return f'<div class="part-chart"><img src="{source}" alt="{escape(chart_alt(row, context, breaks))}"></div>'


def figures_part(row: Row, context: PackContext) -> str:
    headline = escape(row.value_text)
    if row.counts_text:
        headline += f' <span class="counts">{escape(row.counts_text)}</span>'
    if row.caveat:
        headline += f' <span class="caveat">{escape(row.caveat)}</span>'
    rating = rag_badge_html(row.rag)
    lines = [("Rating", f'<td><span class="{rag_class(row.rag)}">{rating}</span>'
                        + (f'<br><span class="reason">{escape(row.rag_reason)}</span>' if row.rag_reason else "")
                        + "</td>"),
             ("Last month", _plain(_with_direction(row.last_month_text, row.month_direction_text))),
             ("A year before", _plain(_with_direction(row.last_year_text, row.year_direction_text))),
             ("Target", _plain(row.target_text))]
    # The neighbours' model and average are said once, on the summary page.
    lines += [("Statistical neighbours" if cell.name == "statistical_neighbours" else cell.label,
               f"<td>{comparator_cell(cell, _measured(cell))}</td>") for cell in row.comparators]
    if row.standing_text != "Not ranked":
        lines.append(("Rank among councils", _plain(row.standing_text)))
    if row.published_value is not None:
        lines.append(("DfE published", _plain(row.published_text)))
    if row.definition_note:
        lines.append(("DfE's definition", _plain(row.definition_note)))
    lines += [("Series break", _plain(f"{short_month(period)}: {reason}"))
              for period, reason in series_breaks(row.id, context.periods).values()]
    if row.note:
        lines.append(("Note", _plain(row.note)))
    table = "".join(f'<tr><th scope="row">{escape(label)}</th>{cell}</tr>' for label, cell in lines)
    return (f'<div class="part-figures"><p class="headline">{headline}</p>'
            f'<table class="figures">{table}</table></div>')


def _measured(cell) -> str:
    """'81,770 (2024/25), at 31 March 2025': the figure and what the DfE measured."""
    return f"{cell.text}, {cell.measured}" if cell.measured and cell.value is not None else cell.text


def _plain(text: str) -> str:
    return f"<td>{escape(text)}</td>"


def _with_direction(value: str, direction: str) -> str:
    return f"{value}   {direction}" if direction else value


def commentary_part(row: Row, context: PackContext) -> str:
    comment = row.commentary
    if comment is None:
        return ('<div class="part-commentary"><h4>Commentary</h4>'
                '<p class="no-comment">No commentary for this month.</p></div>')
    by = f"— {comment.author}, {comment.written}" if comment.written else f"— {comment.author}"
    terms = [t for t in terms_in(commentary_plain(comment.text), context.glossary) if t not in row.label]
    explained = ("<p class=\"terms\">" + "; ".join(f"<b>{escape(t)}</b>: {escape(short_meaning(context.glossary[t]))}"
                                                   for t in terms) + "</p>") if terms else ""
    return (f'<div class="part-commentary"><h4>Commentary</h4><div class="comment">{commentary_html(comment.text)}</div>'
            f'<p class="comment-by">{escape(by)}</p>{explained}</div>')


def actions_part(row: Row, context: PackContext) -> str:
    """The indicator's open improvement actions, under its chart and figures; an overdue one
    says so in words. Closed actions are in the workbook and on the indicator page."""
    if not row.open_actions:
        return ""
    cells = "".join(
        f'<tr><th scope="row">{escape(a.reference)}</th><td>{escape(a.action)}</td><td>{escape(a.owner)}</td>'
        f'<td>{"<b>Overdue.</b> " if a.overdue else ""}{escape(action_status_text(a))}</td>'
        f'<td>{escape(f"{date_label(a.updated_on)}: {a.latest_update}" if a.latest_update else "None")}</td></tr>'
        for a in row.open_actions)
    return ('<div class="part-wide part-actions"><h4>Improvement actions</h4><table class="actions"><thead><tr>'
            + "".join(f'<th scope="col">{h}</th>' for h in ("Ref", "Action", "Owner", "Status", "Latest update"))
            + f"</tr></thead><tbody>{cells}</tbody></table></div>")


INDICATOR_PARTS: tuple[IndicatorPart, ...] = (chart_part, figures_part, commentary_part, actions_part)
