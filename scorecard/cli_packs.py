"""`scorecard pack` and `scorecard briefing`: the meeting pack and the briefing note from
the command line, the same files and words the web app gives."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from scorecard import settings
from scorecard.cli_options import council_option


def _figures(council: str | None):
    from scorecard.ui.views import figures

    council = council or settings.default_council()
    metrics = figures(council)
    if not metrics.periods():
        click.echo(f"No figures for {council}: load some extracts first (scorecard ingest).", err=True)
        sys.exit(1)
    return metrics


@click.command()
@click.option("--period", default=None, help="The month, YYYY-MM (default: the latest with data).")
@click.option("--format", "kind", type=click.Choice(["pdf", "xlsx"]), default="pdf", show_default=True)
@click.option("--framework", default=None, help="Theme framework (default: metrics.yaml's default_framework).")
@council_option
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="File to write (default: corporate-parenting-scorecard-COUNCIL-PERIOD.pdf|xlsx here).")
def pack(period, kind, framework, council, out) -> None:
    """Write the meeting pack for a month: a PDF (A4 landscape) or an Excel workbook."""
    from scorecard.packs import PackUnavailable, meeting_pack
    from scorecard.ui.views import build_scorecard

    metrics = _figures(council)
    if period is not None and period not in metrics.periods():
        click.echo(f"No figures for {period}: months with figures run from {metrics.periods()[0]} to "
                   f"{metrics.periods()[-1]}.", err=True)
        sys.exit(1)
    card = build_scorecard(metrics, period, framework)
    out = out or Path(f"corporate-parenting-scorecard-{metrics.council}-{card.period}.{kind}")
    try:
        content = meeting_pack(kind, card, metrics)
    except PackUnavailable as error:
        click.echo(f"No pack written: {error}", err=True)
        sys.exit(1)
    out.write_bytes(content)
    click.echo(f"Wrote {out} ({card.period_label}, {len(card.rows)} indicators)")


@click.command()
@click.option("--period", default=None, help="The month, YYYY-MM (default: the latest with data).")
@click.option("--since", default=None, help="The earlier month to compare with (default: the month the last meeting's scorecard showed).")
@council_option
def briefing(period, since, council) -> None:
    """Print the briefing note: what turned red, amber or green, and what improved or worsened."""
    from scorecard.ui.briefing import briefing_text, build_briefing

    click.echo(briefing_text(build_briefing(_figures(council), period, since)))
