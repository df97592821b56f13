"""The PDF pack's "Since the last meeting" section, from the briefing note: each change
once, with its reason, under the heading of its kind (turned red, amber, green, improved,
worsened), as the briefing page lists them."""
from __future__ import annotations

from typing import TYPE_CHECKING

from scorecard.packs.pdf_layout import escape
from scorecard.ui.briefing import SECTIONS as KINDS

if TYPE_CHECKING:
    from scorecard.packs.pdf import PackContext


def briefing_section(context: PackContext) -> str:
    note = context.briefing
    if note is None:
        return ""
    parts = [(f'<section class="theme-section changes-section"><h2>Since the last meeting: {escape(note.since_label)} '
             f'to {escape(note.period_label)}</h2><p>Compared with {escape(note.basis_text)}.</p>')]
    for attribute, title in KINDS:
        changes = getattr(note, attribute)
        parts.append(f"<h3>{escape(title)} ({len(changes)})</h3>")
        if not changes:
            parts.append("<p>None.</p>")
            continue
        rows = "".join(f'<tr><th scope="row">{escape(c.row.label)}</th><td>{escape(c.row.value_text)}</td>'
                       f"<td>{escape(c.was.value_text)}</td><td>{escape(c.reason)}</td></tr>" for c in changes)
        parts.append('<table class="changes"><thead><tr><th scope="col">Indicator</th>'
                     f'<th scope="col">{escape(note.period_label)}</th><th scope="col">{escape(note.since_label)}</th>'
                     f'<th scope="col">Why it is listed</th></tr></thead><tbody>{rows}</tbody></table>')
    parts.append(f"<p>{note.unchanged} other indicators kept their rating and moved less than the no-change "
                 "threshold.</p></section>")
    return "".join(parts)
